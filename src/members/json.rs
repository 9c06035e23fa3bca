//! Members as SCIM-like JSON: user objects one after the other (JSON lines), an array of them,
//! or SCIM `ListResponse` pages. Streamed: memory holds the members read and one user at most
//! [`MAX_RECORD_BYTES`] long, whatever the input.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufReader, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::csv::{not_a_bool, parse_bool};
use super::{LoadError, too_long};
use crate::limits::{MAX_FIELD_BYTES, MAX_RECORD_BYTES};
use crate::snapshot::Member;

/// What the reader and the parser share: where the input is, and how far since the current
/// user (or page) began.
#[derive(Debug, Default)]
struct Position {
    /// Line breaks read so far.
    newlines: Cell<usize>,
    /// Bytes read since the last user or page began.
    since_start: Cell<usize>,
    /// The reading stopped at the record limit.
    over: Cell<bool>,
}

impl Position {
    /// The 1-based line of the byte read last.
    fn line(&self) -> usize {
        self.newlines.get() + 1
    }

    /// A user or page begins at the byte read last; returns its line.
    fn start(&self) -> usize {
        self.since_start.set(0);
        self.line()
    }
}

/// The input, counted as the JSON parser reads it (it reads a byte at a time, so the count is
/// exact), cut off at the record limit.
struct Counted<'p, R> {
    inner: R,
    position: &'p Position,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let p = self.position;
        if p.since_start.get() > MAX_RECORD_BYTES {
            p.over.set(true);
            return Err(io::Error::other("the record limit is passed"));
        }
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        p.newlines
            .set(p.newlines.get() + read.iter().filter(|&&b| b == b'\n').count());
        p.since_start.set(p.since_start.get() + n);
        Ok(n)
    }
}

/// Reads every member of the JSON input.
pub(super) fn read(reader: impl Read) -> Result<Vec<Member>, LoadError> {
    let position = Position::default();
    let counted = Counted {
        inner: BufReader::with_capacity(64 * 1024, reader),
        position: &position,
    };
    let mut de = serde_json::Deserializer::from_reader(counted);
    let mut members = Vec::new();
    // `end` succeeds at the end of the input (whitespace aside) and fails, leaving the next
    // byte unread, when another value follows.
    loop {
        let more = de.end().is_err();
        if position.over.get() {
            return Err(too_long(position.line(), MAX_RECORD_BYTES, "record"));
        }
        if !more {
            break;
        }
        position.start();
        let seed = Top {
            out: &mut members,
            position: &position,
        };
        seed.deserialize(&mut de)
            .map_err(|e| json_error(&e, &position))?;
    }
    Ok(members)
}

fn json_error(e: &serde_json::Error, position: &Position) -> LoadError {
    if position.over.get() {
        return too_long(position.line(), MAX_RECORD_BYTES, "record");
    }
    let text = e.to_string();
    let message = match text.rsplit_once(" at line ") {
        Some((message, _)) if e.line() > 0 => message.to_owned(),
        _ => text,
    };
    LoadError {
        column: (e.column() > 0).then_some(e.column()),
        ..LoadError::new(e.line().max(1), message)
    }
}

/// A value at the top of the input: a user, an array of users, or a list response.
struct Top<'a> {
    out: &'a mut Vec<Member>,
    position: &'a Position,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SCIM user object, an array of them, or a SCIM ListResponse")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let line = self.position.start();
        if let Some(fields) = user_or_page(map, Some(self.out), self.position)? {
            self.out.push(fields.into_member(line)?);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        push_users(seq, self.out, self.position)
    }
}

/// Reads an array of user objects into `out`: a top-level array, or a list response's
/// `Resources`.
fn push_users<'de, A: SeqAccess<'de>>(
    mut seq: A,
    out: &mut Vec<Member>,
    position: &Position,
) -> Result<(), A::Error> {
    while let Some(member) = seq.next_element_seed(User { position })? {
        out.push(member);
    }
    Ok(())
}

/// One user object.
struct User<'a> {
    position: &'a Position,
}

impl<'de> DeserializeSeed<'de> for User<'_> {
    type Value = Member;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Member, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for User<'_> {
    type Value = Member;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SCIM user object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member, A::Error> {
        let line = self.position.start();
        match user_or_page(map, None, self.position)? {
            Some(fields) => fields.into_member(line),
            None => Err(de::Error::custom("a list response inside a list of users")),
        }
    }
}

/// The `Resources` of a list response: users, or `null`.
struct Resources<'a> {
    out: &'a mut Vec<Member>,
    position: &'a Position,
}

impl<'de> DeserializeSeed<'de> for Resources<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Resources<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resources as an array of SCIM user objects")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        push_users(seq, self.out, self.position)
    }
}

/// The attributes of a user read so far.
#[derive(Default)]
struct Fields {
    user_name: Option<Option<String>>,
    external_id: Option<Option<String>>,
    active: Option<Option<bool>>,
    id: Option<Option<String>>,
}

impl Fields {
    fn into_member<E: de::Error>(self, line: usize) -> Result<Member, E> {
        let user_name = self.user_name.flatten().unwrap_or_default();
        if user_name.is_empty() {
            return Err(E::custom("a user without a userName"));
        }
        Ok(Member {
            user_name,
            external_id: self.external_id.flatten(),
            active: self.active.flatten(),
            id: self.id.flatten(),
            line: Some(line),
        })
    }
}

/// Reads an object's attributes: a user's (returned), or a list response's, whose users go to
/// `out` (`None` where a list response is not expected). Attribute names are matched in any
/// case; an attribute given twice is an error.
fn user_or_page<'de, A: MapAccess<'de>>(
    mut map: A,
    mut out: Option<&mut Vec<Member>>,
    position: &Position,
) -> Result<Option<Fields>, A::Error> {
    let mut fields = Fields::default();
    let (mut page, mut resources) = (false, false);
    while let Some(key) = map.next_key::<String>()? {
        let lower = key.to_ascii_lowercase();
        let slot = match lower.as_str() {
            "username" => Some(&mut fields.user_name),
            "externalid" => Some(&mut fields.external_id),
            "id" => Some(&mut fields.id),
            _ => None,
        };
        if let Some(slot) = slot {
            once(slot.is_some(), &key)?;
            *slot = Some(text(&key, map.next_value()?)?);
            continue;
        }
        match (lower.as_str(), out.as_deref_mut()) {
            ("active", _) => {
                once(fields.active.is_some(), &key)?;
                fields.active = Some(boolean(map.next_value()?)?);
            }
            ("resources", Some(out)) => {
                once(resources, &key)?;
                (page, resources) = (true, true);
                map.next_value_seed(Resources { out, position })?;
            }
            ("totalresults", Some(_)) => {
                page = true;
                map.next_value::<IgnoredAny>()?;
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    match (page, &fields.user_name) {
        (true, Some(Some(_))) => Err(de::Error::custom(
            "an object with both a userName and Resources: a user or a list response?",
        )),
        (true, _) => Ok(None),
        (false, _) => Ok(Some(fields)),
    }
}

fn once<E: de::Error>(seen: bool, key: &str) -> Result<(), E> {
    if seen {
        Err(E::custom(format_args!("`{key}` given twice")))
    } else {
        Ok(())
    }
}

/// A text attribute (`userName`, `externalId`, `id`): a string (trimmed; empty is none), a
/// number for `id`, or `null`.
fn text<E: de::Error>(key: &str, value: Value) -> Result<Option<String>, E> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(s) => s,
        Value::Number(n) if key.eq_ignore_ascii_case("id") => n.to_string(),
        other => {
            return Err(E::custom(format_args!(
                "`{key}` is {}, not a string",
                kind(&other)
            )));
        }
    };
    if text.len() > MAX_FIELD_BYTES {
        return Err(E::custom(format_args!(
            "`{key}` is longer than {MAX_FIELD_BYTES} bytes, the limit for a field"
        )));
    }
    let trimmed = text.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// `active`: a boolean, a string as a CSV writes one, or `null`.
fn boolean<E: de::Error>(value: Value) -> Result<Option<bool>, E> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => parse_bool(&s)
            .map(Some)
            .ok_or_else(|| E::custom(format_args!("`active`: {}", not_a_bool(&s)))),
        other => Err(E::custom(format_args!(
            "`active` is {}, not a boolean",
            kind(&other)
        ))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(json: &str) -> Result<Vec<String>, LoadError> {
        Ok(read(json.as_bytes())?
            .into_iter()
            .map(|m| m.user_name)
            .collect())
    }

    #[test]
    fn json_lines_arrays_and_list_responses_all_read() {
        let lines = "{\"userName\":\"a\"}\n\n{\"UserName\":\"b\",\"ExternalID\":\"x\"}\r\n";
        assert_eq!(names(lines).ok(), Some(vec!["a".into(), "b".into()]));
        let array = "[\n {\"userName\": \"a\"},\n {\"userName\": \"b\"}\n]";
        let members = read(array.as_bytes()).expect("array");
        assert_eq!(members[1].line, Some(3));
        let page = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults":2,"Resources":[{"userName":"a","active":"False","id":7}]}
            {"totalResults":2,"resources":[{"userName":"b","name":{"givenName":"B"}}]}
            {"totalResults":0}"#;
        let members = read(page.as_bytes()).expect("pages");
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].active, Some(false));
        assert_eq!(members[0].id.as_deref(), Some("7"));
        assert_eq!(members[1].line, Some(3));
        assert_eq!(names("").ok(), Some(vec![]));
        assert_eq!(names("[]").ok(), Some(vec![]));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let e = names("{\"userName\":\"a\"}\n{\"userName\": 1}\n").expect_err("number");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("`userName` is a number"), "{e}");
        let e = names("{\"userName\":\"a\"}\n{\"userName\":\"b\",\"active\":\"yes\"}")
            .expect_err("yes");
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("`yes` is not true, false, 1 or 0"),
            "{e}"
        );
        let e = names("{\"userName\":\"a\"}\n{\"userName\":\"b\",}").expect_err("bad JSON");
        assert_eq!((e.line, e.column), (2, Some(17)), "{e}");
        let e = names("\n\n{\"externalId\":\"x\"}").expect_err("no userName");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("without a userName"), "{e}");
        let e = names("{\"userName\":\"a\",\"username\":\"b\"}").expect_err("twice");
        assert!(e.message.contains("given twice"), "{e}");
        let e = names("\"jdoe\"").expect_err("a string");
        assert!(e.message.contains("expected a SCIM user object"), "{e}");
        let e = names("[[{\"userName\":\"a\"}]]").expect_err("nested");
        assert!(e.message.contains("expected a SCIM user object"), "{e}");
        let e = names("{\"userName\":\"a\",\"Resources\":[]}").expect_err("both");
        assert!(e.message.contains("both"), "{e}");
        assert!(names(&"[".repeat(100_000)).is_err());
    }

    #[test]
    fn a_user_over_the_record_limit_stops_the_reading() {
        let mut big = String::from("{\"userName\":\"a\"}\n{\"userName\":\"b\",\"notes\":\"");
        big.push_str(&"x".repeat(MAX_RECORD_BYTES));
        big.push_str("\"}\n");
        let e = names(&big).expect_err("too long");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("the limit for a record"), "{e}");
        // Many users, each small, are fine however long the whole.
        let many = "{\"userName\":\"abcdefgh\"}\n".repeat(MAX_RECORD_BYTES / 20);
        assert_eq!(names(&many).map(|n| n.len()), Ok(MAX_RECORD_BYTES / 20));
        let field = format!("{{\"userName\":\"{}\"}}", "y".repeat(MAX_FIELD_BYTES + 1));
        assert!(
            names(&field)
                .expect_err("field")
                .message
                .contains("limit for a field")
        );
        let endless = io::repeat(b' ').take(1 << 40);
        let e = read(endless).expect_err("endless whitespace");
        assert!(e.message.contains("record"), "{e}");
    }
}
