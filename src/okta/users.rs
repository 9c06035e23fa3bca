//! Okta's Users API JSON (`GET /api/v1/users`) as a table the audit reads.

use std::collections::HashMap;
use std::fmt;

use self::objects::RawUser;
use crate::limits::{MAX_FIELD_BYTES, MAX_RECORD_BYTES};

mod objects;

/// The most profile keys, over all users together, a Users export may have: a real Okta
/// profile has a few dozen.
pub const MAX_PROFILE_KEYS: usize = 1000;

/// Users from Okta's Users API (`GET /api/v1/users`), as a table: the columns `id`, `status`,
/// then every profile key in the order first seen; one row per user.
///
/// The input is what the API returns: a JSON array of user objects (`{"id", "status",
/// "profile": {...}, ...}`; other fields are let be), several such arrays one after another
/// (pages saved back to back), or one user object per line (JSON lines). A cell is a string
/// value as it is, an empty string for null or a key the user does not have, a number or
/// boolean as its JSON text, and an array or object as compact JSON.
///
/// ```
/// use usernorm::okta::Users;
///
/// let json = br#"[
///   {"id": "00u1", "status": "ACTIVE", "profile": {"login": "ann@x.org", "firstName": "Ann"}},
///   {"id": "00u2", "status": "STAGED", "profile": {"login": "bo@x.org", "nickName": null, "n": 3}}
/// ]"#;
/// let users = Users::from_json(json)?;
/// assert_eq!(users.columns(), ["id", "status", "login", "firstName", "nickName", "n"]);
/// assert_eq!(users.lines(), [2, 3]);
/// assert_eq!(
///     String::from_utf8(users.to_csv()).unwrap(),
///     "\"id\",\"status\",\"login\",\"firstName\",\"nickName\",\"n\"\n\
///      00u1,ACTIVE,ann@x.org,Ann,,\n\
///      00u2,STAGED,bo@x.org,,,3\n"
/// );
///
/// let err = Users::from_json(br#"[{"status": "ACTIVE", "profile": {}}]"#).unwrap_err();
/// assert_eq!(err.to_string(), "line 1, column 2: user 1 has no `id`");
/// # Ok::<(), usernorm::okta::UsersError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Users {
    columns: Vec<String>,
    users: Vec<User>,
    lines: Vec<u64>,
}

/// One user: id, status and its profile's cells as (column, text), sparse.
#[derive(Debug, Clone, PartialEq, Eq)]
struct User {
    id: String,
    status: String,
    cells: Vec<(usize, String)>,
}

/// Input that is not Users API JSON: where (1-based line and column, in bytes) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsersError {
    /// The 1-based line.
    pub line: u64,
    /// The 1-based column, in bytes.
    pub column: u64,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl fmt::Display for UsersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for UsersError {}

/// Whether `bytes` look like Users API JSON, cheaply: the first byte that is not blank (after
/// a byte-order mark) is `[` or `{`, and a `"profile"` key is in the first megabyte.
///
/// ```
/// use usernorm::okta::looks_like_users_json;
///
/// assert!(looks_like_users_json(br#" [{"id": "00u1", "profile" : {}}]"#));
/// assert!(!looks_like_users_json(br#"{"userName": "ann", "externalId": "1"}"#));
/// assert!(!looks_like_users_json(b"id,profile\n1,2\n"));
/// ```
pub fn looks_like_users_json(bytes: &[u8]) -> bool {
    crate::idp::looks_like_okta_json(bytes)
}

impl Users {
    /// Reads Users API JSON (see [`Users`]).
    ///
    /// ```
    /// use usernorm::okta::Users;
    ///
    /// // Two pages saved one after the other, then a user object on a line of its own.
    /// let json = "[{\"id\": \"00u1\", \"profile\": {\"login\": \"a@x\"}}]\n\
    ///             [{\"id\": \"00u2\", \"profile\": {\"email\": \"b@x\"}}]\n\
    ///             {\"id\": \"00u3\", \"status\": \"STAGED\", \"profile\": {}}\n";
    /// let users = Users::from_json(json.as_bytes())?;
    /// assert_eq!(users.len(), 3);
    /// assert_eq!(users.columns(), ["id", "status", "login", "email"]);
    /// assert_eq!(users.lines(), [1, 2, 3]);
    /// assert_eq!(users.row(2), Some(vec!["00u3", "STAGED", "", ""]));
    ///
    /// let err = Users::from_json(b"[{\"id\": \"00u1\", \"profile\": {}},\n oops]").unwrap_err();
    /// assert_eq!((err.line, err.column), (2, 2));
    /// assert_eq!(err.message, "expected user 2 (`{`), found `o`");
    /// # Ok::<(), usernorm::okta::UsersError>(())
    /// ```
    ///
    /// # Errors
    /// Input that is not such JSON, named by line and column: a syntax error, a top-level
    /// value that is neither an array nor a user object, a user without a string `id` or
    /// without a `profile` object, a profile key given twice or named `id` or `status`, more
    /// than [`MAX_PROFILE_KEYS`] keys, a key longer than
    /// [`MAX_FIELD_BYTES`](crate::limits::MAX_FIELD_BYTES) or a header longer than
    /// [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES).
    pub fn from_json(bytes: &[u8]) -> Result<Users, UsersError> {
        let mut reader = Reader {
            input: bytes,
            pos: if bytes.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            },
            users: Users {
                columns: vec!["id".to_owned(), "status".to_owned()],
                ..Users::default()
            },
            keys: HashMap::new(),
            header_bytes: "id,status".len(),
            counted: (0, 1),
            seen: Vec::new(),
        };
        reader.read_all()?;
        Ok(reader.users)
    }

    /// The columns: `id`, `status`, then the profile keys in the order first seen.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// How many users there are.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// Whether there are no users.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    /// For each user, in order, the 1-based line of the input its object starts on (its
    /// `{`): row `n` of the audit is user `n`, on line `lines()[n - 1]` of the JSON.
    pub fn lines(&self) -> &[u64] {
        &self.lines
    }

    /// User `index`'s (0-based) row: a cell per column.
    ///
    /// ```
    /// let users = usernorm::okta::Users::from_json(br#"{"id":"00u1","status":"ACTIVE","profile":{"login":"a@b"}}"#)?;
    /// assert_eq!(users.row(0), Some(vec!["00u1", "ACTIVE", "a@b"]));
    /// assert_eq!(users.row(1), None);
    /// # Ok::<(), usernorm::okta::UsersError>(())
    /// ```
    pub fn row(&self, index: usize) -> Option<Vec<&str>> {
        let user = self.users.get(index)?;
        let mut row = vec![""; self.columns.len()];
        for (slot, value) in row.iter_mut().zip([&user.id, &user.status]) {
            *slot = value;
        }
        for (column, value) in &user.cells {
            if let Some(slot) = row.get_mut(*column) {
                *slot = value;
            }
        }
        Some(row)
    }

    /// The table as CSV (RFC 4180, `,`, UTF-8, lines ending in `\n`), which
    /// [`Audit::run`](crate::audit::Audit::run) reads: the header's names quoted, so that the
    /// delimiter is always found to be `,`, and every row as many fields as the header.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let written = self.write_csv(&mut out);
        // Writing into a vector does not fail.
        debug_assert!(written.is_ok(), "writing CSV into a vector: {written:?}");
        out
    }

    fn write_csv(&self, out: &mut Vec<u8>) -> Result<(), csv::Error> {
        let mut header = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(&mut *out);
        header.write_record(&self.columns)?;
        header.flush()?;
        drop(header);
        let mut rows = csv::WriterBuilder::new().from_writer(out);
        for index in 0..self.users.len() {
            if let Some(row) = self.row(index) {
                rows.write_record(&row)?;
            }
        }
        rows.flush()?;
        Ok(())
    }
}

/// Reads the input value by value.
struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    users: Users,
    keys: HashMap<String, usize>,
    header_bytes: usize,
    /// A byte offset already reached and its 1-based line, so that each user's line is
    /// counted from the previous one's.
    counted: (usize, u64),
    /// For each column, the last user (1-based) that had it: a key given twice.
    seen: Vec<usize>,
}

impl Reader<'_> {
    /// Line and column (1-based, in bytes) of a byte offset.
    fn place(&self, offset: usize) -> (u64, u64) {
        let before = self.input.get(..offset).unwrap_or(self.input);
        let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
        let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        (line, (offset - start.min(offset)) as u64 + 1)
    }

    /// The 1-based line of `offset`, at or past every offset asked before.
    fn line_of(&mut self, offset: usize) -> u64 {
        let (from, line) = self.counted;
        let between = self.input.get(from..offset).unwrap_or_default();
        let line = line + memchr::memchr_iter(b'\n', between).count() as u64;
        self.counted = (offset.max(from), line);
        line
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> UsersError {
        let (line, column) = self.place(offset);
        UsersError {
            line,
            column,
            message: message.into(),
        }
    }

    fn skip_blank(&mut self) {
        while self
            .input
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn found(&self) -> String {
        match self.peek() {
            None => "the end of the input".to_owned(),
            Some(b) if b.is_ascii_graphic() => format!("`{}`", char::from(b)),
            Some(b) => format!("byte 0x{b:02X}"),
        }
    }

    fn read_all(&mut self) -> Result<(), UsersError> {
        let mut values = 0;
        loop {
            self.skip_blank();
            match self.peek() {
                None if values == 0 => {
                    return Err(self.error_at(
                        self.pos,
                        "the input is empty: expected Okta Users API JSON, an array of users",
                    ));
                }
                None => return Ok(()),
                Some(b'[') => self.read_array()?,
                Some(b'{') => self.read_user()?,
                Some(_) => {
                    return Err(self.error_at(
                        self.pos,
                        format!(
                            "expected `[` (a page of users) or `{{` (a user), found {}",
                            self.found()
                        ),
                    ));
                }
            }
            values += 1;
        }
    }

    /// A page: `[` user, user, ... `]`.
    fn read_array(&mut self) -> Result<(), UsersError> {
        self.pos += 1;
        self.skip_blank();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_blank();
            if self.peek() != Some(b'{') {
                return Err(self.error_at(
                    self.pos,
                    format!(
                        "expected user {} (`{{`), found {}",
                        self.users.len() + 1,
                        self.found()
                    ),
                ));
            }
            self.read_user()?;
            self.skip_blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => {
                    return Err(self.error_at(
                        self.pos,
                        format!(
                            "expected `,` or `]` after user {}, found {}",
                            self.users.len(),
                            self.found()
                        ),
                    ));
                }
            }
        }
    }

    /// One user object, at `{`.
    fn read_user(&mut self) -> Result<(), UsersError> {
        let start = self.pos;
        let number = self.users.len() + 1;
        let rest = self.input.get(start..).unwrap_or_default();
        let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<RawUser>();
        let raw = match stream.next() {
            Some(Ok(raw)) => raw,
            Some(Err(e)) => {
                let (line, column) = self.place(start);
                return Err(UsersError {
                    line: line + e.line() as u64 - 1,
                    column: if e.line() <= 1 {
                        column + e.column() as u64 - 1
                    } else {
                        e.column() as u64
                    },
                    message: format!("user {number}: {}", strip_position(&e)),
                });
            }
            None => return Err(self.error_at(start, format!("expected user {number}"))),
        };
        self.pos = start + stream.byte_offset();
        let Some(id) = raw.id else {
            return Err(self.error_at(start, format!("user {number} has no `id`")));
        };
        let Some(profile) = raw.profile else {
            return Err(self.error_at(
                start,
                format!("user {number} ({id}) has no `profile` object"),
            ));
        };
        let mut cells = Vec::with_capacity(profile.len());
        for (key, value) in profile {
            let column = self.column(&key, start, number)?;
            if self.seen.len() <= column {
                self.seen.resize(column + 1, 0);
            }
            if let Some(last) = self.seen.get_mut(column) {
                if *last == number {
                    return Err(self.error_at(
                        start,
                        format!("user {number} ({id}) has the profile key `{key}` twice"),
                    ));
                }
                *last = number;
            }
            cells.push((column, value));
        }
        self.users.users.push(User {
            id,
            status: raw.status.unwrap_or_default(),
            cells,
        });
        let line = self.line_of(start);
        self.users.lines.push(line);
        Ok(())
    }

    /// The column of a profile key, added when new.
    fn column(&mut self, key: &str, start: usize, number: usize) -> Result<usize, UsersError> {
        if let Some(&column) = self.keys.get(key) {
            return Ok(column);
        }
        let refuse = |reader: &Self, why: String| {
            Err(reader.error_at(start, format!("user {number}'s profile {why}")))
        };
        if key.eq_ignore_ascii_case("id") || key.eq_ignore_ascii_case("status") {
            return refuse(
                self,
                format!(
                    "has a key `{key}`, which the table's own column (the user's Okta {key}) would shadow"
                ),
            );
        }
        if key.len() > MAX_FIELD_BYTES {
            return refuse(
                self,
                format!("has a key longer than {MAX_FIELD_BYTES} bytes"),
            );
        }
        if self.keys.len() >= MAX_PROFILE_KEYS {
            return refuse(
                self,
                format!(
                    "brings the profile keys of the input past {MAX_PROFILE_KEYS}: an Okta profile has a few dozen"
                ),
            );
        }
        self.header_bytes += key.len() + 3;
        if self.header_bytes > MAX_RECORD_BYTES {
            return refuse(
                self,
                format!("brings the header (every profile key) past {MAX_RECORD_BYTES} bytes"),
            );
        }
        let column = self.users.columns.len();
        self.users.columns.push(key.to_owned());
        self.keys.insert(key.to_owned(), column);
        Ok(column)
    }
}

/// serde_json's message without its ` at line L column C`, which the caller gives in the
/// input's terms.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests;
