//! Where a row's username comes from: a column, Hugging Face's recommended Entra mapping, or any
//! mapping the caller brings (an Entra expression, a closure).

use std::borrow::Cow;

use super::{AuditError, Header, Row};

/// Gives each row its username. Implementations are shared between threads.
///
/// ```
/// use std::borrow::Cow;
/// use usernorm::audit::{AuditError, Header, Row, UsernameSource};
///
/// /// `givenName.surname`, lowercased.
/// struct GivenDotSurname;
///
/// impl UsernameSource for GivenDotSurname {
///     fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
///         AuditError::require(header, &["givenName", "surname"])
///     }
///     fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
///         let given = row.get("givenName").unwrap_or_default();
///         let surname = row.get("surname").unwrap_or_default();
///         Ok(Cow::Owned(format!("{given}.{surname}").to_lowercase()))
///     }
///     fn describe(&self) -> String {
///         "givenName.surname, lowercased".to_owned()
///     }
/// }
/// ```
pub trait UsernameSource: Send + Sync {
    /// Called once with the header before any row: finds the columns the source needs.
    ///
    /// # Errors
    /// [`AuditError::MissingColumns`] when a column it needs is not in the file.
    fn bind(&mut self, header: &Header) -> Result<(), AuditError>;

    /// The row's username, or why it cannot be computed (the row's status is then `error`).
    ///
    /// # Errors
    /// A message saying why the mapping failed for this row.
    fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String>;

    /// [`UsernameSource::username`] with a buffer the caller keeps from row to row: a
    /// username that is not a piece of the row is written into `buf` (`Ok(None)`), so a
    /// source that builds usernames can reuse one allocation for every row. The default
    /// moves [`UsernameSource::username`]'s `String` into `buf`.
    ///
    /// ```
    /// use usernorm::audit::{Header, HuggingFaceMapping, Row, UsernameSource};
    ///
    /// let header = Header::new(["mailNickname"]);
    /// let mut mapping = HuggingFaceMapping::default();
    /// mapping.bind(&header)?;
    /// let mut buf = String::new();
    /// let row = Row::new(&header, &["jdoe"]);
    /// assert_eq!(mapping.username_in(&row, &mut buf), Ok(Some("jdoe")));
    /// let row = Row::new(&header, &["john.doe"]);
    /// assert_eq!(mapping.username_in(&row, &mut buf), Ok(None));
    /// assert_eq!(buf, "johndoe");
    /// # Ok::<(), usernorm::audit::AuditError>(())
    /// ```
    ///
    /// # Errors
    /// As [`UsernameSource::username`].
    fn username_in<'r>(&self, row: &Row<'r>, buf: &mut String) -> Result<Option<&'r str>, String> {
        match self.username(row)? {
            Cow::Borrowed(name) => Ok(Some(name)),
            Cow::Owned(name) => {
                *buf = name;
                Ok(None)
            }
        }
    }

    /// The mapping in words, for the summary.
    fn describe(&self) -> String;

    /// Whether the source gives a row the same username on every run: true unless it draws
    /// on randomness or the clock (an Entra expression calling `Guid`, `RandomString` or
    /// `Now`), which the audit's summary then warns about.
    ///
    /// ```
    /// use usernorm::audit::{EntraMapping, HuggingFaceMapping, UsernameSource};
    ///
    /// assert!(HuggingFaceMapping::default().reproducible());
    /// let random = EntraMapping::parse("Append([mailNickname], RandomString(4, 1, 1, 1, 1, \"\"))")
    ///     .map_err(|e| e.to_string())?;
    /// assert!(!random.reproducible());
    /// # Ok::<(), String>(())
    /// ```
    fn reproducible(&self) -> bool {
        true
    }
}

/// The username is a column's value, taken as it is.
///
/// ```
/// use usernorm::audit::{Column, Header, Row, UsernameSource};
///
/// let header = Header::new(["objectId", "UserName"]);
/// let mut source = Column::new("username");
/// source.bind(&header)?;
/// let row = Row::new(&header, &["42", "jdoe"]);
/// assert_eq!(source.username(&row).as_deref(), Ok("jdoe"));
/// # Ok::<(), usernorm::audit::AuditError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Column {
    name: String,
    index: Option<usize>,
}

impl Column {
    /// The column with this name or alias (case-insensitive).
    pub fn new(name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            index: None,
        }
    }
}

impl UsernameSource for Column {
    fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
        AuditError::require(header, &[self.name.as_str()])?;
        self.index = header.index(&self.name);
        Ok(())
    }

    fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
        match self.index {
            Some(i) => Ok(Cow::Borrowed(row.field(i).unwrap_or_default())),
            // mailNickname from userPrincipalName.
            None => Ok(row.get(&self.name).unwrap_or_default()),
        }
    }

    fn describe(&self) -> String {
        format!("column `{}`", self.name)
    }
}

/// Hugging Face's recommended Entra mapping for `userName`:
/// `Replace([mailNickname], ".", "", "", "", "", "")`, every `.` of the alias removed.
///
/// This is the expression evaluated natively; it gives what the expression engine gives.
///
/// ```
/// use usernorm::audit::{Header, HuggingFaceMapping, Row, UsernameSource};
///
/// let header = Header::new(["userPrincipalName", "mailNickname"]);
/// let mut mapping = HuggingFaceMapping::default();
/// mapping.bind(&header)?;
/// let row = Row::new(&header, &["john.doe@contoso.com", "john.doe"]);
/// assert_eq!(mapping.username(&row).as_deref(), Ok("johndoe"));
/// # Ok::<(), usernorm::audit::AuditError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct HuggingFaceMapping {
    nickname: Option<usize>,
}

impl HuggingFaceMapping {
    /// The expression, as written in Entra's attribute mapping.
    pub const EXPRESSION: &'static str = r#"Replace([mailNickname], ".", "", "", "", "", "")"#;
}

impl UsernameSource for HuggingFaceMapping {
    fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
        AuditError::require(header, &["mailNickname"])?;
        self.nickname = header.index("mailNickname");
        Ok(())
    }

    fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
        let alias = match self.nickname {
            Some(i) => Cow::Borrowed(row.field(i).unwrap_or_default()),
            None => row.get("mailNickname").unwrap_or_default(),
        };
        Ok(without_dots(alias))
    }

    fn username_in<'r>(&self, row: &Row<'r>, buf: &mut String) -> Result<Option<&'r str>, String> {
        let alias = match self.nickname {
            Some(i) => row.field(i).unwrap_or_default(),
            None => match self.username(row)? {
                Cow::Borrowed(name) => return Ok(Some(name)),
                Cow::Owned(name) => {
                    *buf = name;
                    return Ok(None);
                }
            },
        };
        if memchr::memchr(b'.', alias.as_bytes()).is_none() {
            return Ok(Some(alias));
        }
        buf.clear();
        push_without_dots(alias, buf);
        Ok(None)
    }

    fn describe(&self) -> String {
        Self::EXPRESSION.to_owned()
    }
}

/// `alias` less its dots. A dot is one byte, so the text around it is cut at character
/// boundaries; `memchr` finds them with less work than `str::split` for names this short.
fn without_dots(alias: Cow<'_, str>) -> Cow<'_, str> {
    if memchr::memchr(b'.', alias.as_bytes()).is_none() {
        return alias;
    }
    let mut name = String::with_capacity(alias.len());
    push_without_dots(&alias, &mut name);
    Cow::Owned(name)
}

/// Appends `alias` less its dots to `out`. Nicknames are short and have a dot or two, so the
/// dots are found eight bytes at a time with plain integer arithmetic, with less work than
/// starting a `memchr` search for each or looking at every byte.
fn push_without_dots(alias: &str, out: &mut String) {
    const LOW7: u64 = u64::from_le_bytes([0x7F; 8]);
    const DOTS: u64 = u64::from_le_bytes([b'.'; 8]);
    out.reserve(alias.len());
    // Where the text not yet appended starts; a dot is one byte, so it and the byte after it
    // are character boundaries.
    let mut start = 0;
    let mut cut = |dot: usize, out: &mut String| {
        out.push_str(alias.get(start..dot).unwrap_or_default());
        start = dot + 1;
    };
    let mut words = alias.as_bytes().chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let mut w = [0; 8];
        w.copy_from_slice(word);
        let x = u64::from_le_bytes(w) ^ DOTS;
        // The high bit of each byte that was a dot (exact: no carry crosses bytes).
        let mut dots = !(((x & LOW7) + LOW7) | x | LOW7);
        while dots != 0 {
            cut(base + dots.trailing_zeros() as usize / 8, out);
            dots &= dots - 1;
        }
        base += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == b'.' {
            cut(base + i, out);
        }
    }
    out.push_str(alias.get(start..).unwrap_or_default());
}

/// A mapping given as a closure, with the columns it needs.
///
/// ```
/// use std::borrow::Cow;
/// use usernorm::audit::{Header, MappingFn, Row, UsernameSource};
///
/// let mut lower = MappingFn::new("ToLower([mail])", &["mail"], |row: &Row<'_>| {
///     Ok(Cow::Owned(row.get("mail").unwrap_or_default().to_lowercase()))
/// });
/// let header = Header::new(["Mail"]);
/// lower.bind(&header)?;
/// assert_eq!(lower.username(&Row::new(&header, &["Ann@X.org"])).as_deref(), Ok("ann@x.org"));
/// # Ok::<(), usernorm::audit::AuditError>(())
/// ```
pub struct MappingFn<F> {
    description: String,
    required: Vec<String>,
    f: F,
}

impl<F> MappingFn<F>
where
    F: for<'r> Fn(&Row<'r>) -> Result<Cow<'r, str>, String> + Send + Sync,
{
    /// A mapping described as `description`, needing the `required` columns.
    pub fn new(description: impl Into<String>, required: &[&str], f: F) -> Self {
        MappingFn {
            description: description.into(),
            required: required.iter().map(|&s| s.to_owned()).collect(),
            f,
        }
    }
}

impl<F> std::fmt::Debug for MappingFn<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MappingFn")
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

impl<F> UsernameSource for MappingFn<F>
where
    F: for<'r> Fn(&Row<'r>) -> Result<Cow<'r, str>, String> + Send + Sync,
{
    fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
        let required: Vec<&str> = self.required.iter().map(String::as_str).collect();
        AuditError::require(header, &required)
    }

    fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
        (self.f)(row)
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

/// A row's attributes, as an Entra expression reads them (a missing `mailNickname` is
/// Entra's default alias, as [`Row::get`] says).
#[cfg(feature = "entra")]
impl crate::entra::Attributes for Row<'_> {
    fn get_attribute(&self, name: &str) -> Option<crate::entra::Value> {
        self.get(name)
            .map(|v| crate::entra::Value::String(v.into_owned()))
    }
}

/// The username is an Entra attribute-mapping expression evaluated on the row; a row whose
/// evaluation fails gets status `error`.
///
/// ```
/// use usernorm::audit::{EntraMapping, Header, Row, UsernameSource};
///
/// let mut mapping = EntraMapping::parse(r#"ToLower(Replace([mailNickname], ".", "", "", "", "", ""))"#)
///     .map_err(|e| e.to_string())?;
/// let header = Header::new(["mailNickname"]);
/// mapping.bind(&header).map_err(|e| e.to_string())?;
/// assert_eq!(mapping.username(&Row::new(&header, &["John.Doe"])).as_deref(), Ok("johndoe"));
/// # Ok::<(), String>(())
/// ```
#[cfg(feature = "entra")]
#[derive(Debug)]
pub struct EntraMapping {
    expression: crate::entra::Expression,
}

#[cfg(feature = "entra")]
impl EntraMapping {
    /// Parses the expression.
    ///
    /// # Errors
    /// The expression's parse error, with a caret under the fault.
    pub fn parse(source: &str) -> Result<EntraMapping, crate::entra::ParseError> {
        crate::entra::Expression::parse(source).map(EntraMapping::from_expression)
    }

    /// The mapping of an expression already parsed, say with
    /// [`Expression::parse_with`](crate::entra::Expression::parse_with) and a regular-expression
    /// engine of the caller's (the browser's build runs patterns on JavaScript's `RegExp`).
    ///
    /// ```
    /// use usernorm::audit::EntraMapping;
    /// use usernorm::entra::Expression;
    ///
    /// let expression = Expression::parse(r#"Join("-", [givenName], [surname])"#)?;
    /// let mapping = EntraMapping::from_expression(expression);
    /// # Ok::<(), usernorm::entra::ParseError>(())
    /// ```
    pub fn from_expression(expression: crate::entra::Expression) -> EntraMapping {
        EntraMapping { expression }
    }
}

#[cfg(feature = "entra")]
impl UsernameSource for EntraMapping {
    fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
        AuditError::require(header, &self.expression.attributes())
    }

    fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
        let evaluation = self
            .expression
            .evaluate(row)
            .map_err(|e| e.message().to_owned())?;
        Ok(Cow::Owned(
            evaluation
                .value
                .as_text()
                .map(Cow::into_owned)
                .unwrap_or_default(),
        ))
    }

    fn describe(&self) -> String {
        self.expression.source().to_owned()
    }

    fn reproducible(&self) -> bool {
        self.expression.is_reproducible()
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use proptest::prelude::*;

    use super::without_dots;

    proptest! {
        /// The same as Entra's `Replace([mailNickname], ".", "", ...)`: every dot removed.
        #[test]
        fn without_dots_removes_every_dot(alias in "[a.é_\\-]{0,40}|\\PC{0,40}") {
            let expected: String = alias.split('.').collect();
            prop_assert_eq!(without_dots(Cow::Borrowed(&alias)), expected);
        }
    }
}

/// A readable name for each row, for the admin to type where the identity provider's own
/// userName is unreadable or always rejected (Okta's default login, Okta's id, Google's
/// primary e-mail): the person's given and family names joined by `-` (as the audit's own
/// suggestions join them), else the part before `@` of the
/// login (`login`/`userName`) or of the e-mail (`mail`/`Email Address`). Raw: an audit with
/// this source normalizes the names that need it into its suggestions, unique across the
/// rows and the org, so each row's final username is a readable fix.
///
/// ```
/// use usernorm::audit::{Header, ReadableName, Row, UsernameSource};
///
/// let header = Header::new(["login", "firstName", "lastName"]);
/// let mut source = ReadableName::default();
/// source.bind(&header)?;
/// let row = Row::new(&header, &["ann.lee@x.org", "Ann", "Lee"]);
/// assert_eq!(source.username(&row).as_deref(), Ok("Ann-Lee"));
/// let row = Row::new(&header, &["ann.lee@x.org", "", ""]);
/// assert_eq!(source.username(&row).as_deref(), Ok("ann.lee"));
/// # Ok::<(), usernorm::audit::AuditError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ReadableName {
    person: Option<(usize, usize)>,
    fallback: Option<usize>,
}

impl UsernameSource for ReadableName {
    fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
        self.person = header.index("givenName").zip(header.index("surname"));
        self.fallback = header.index("userName").or_else(|| header.index("mail"));
        Ok(())
    }

    fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
        if let Some((g, f)) = self.person {
            let given = row.field(g).unwrap_or_default().trim();
            let family = row.field(f).unwrap_or_default().trim();
            match (given.is_empty(), family.is_empty()) {
                (true, true) => {}
                (false, true) => return Ok(Cow::Borrowed(given)),
                (true, false) => return Ok(Cow::Borrowed(family)),
                (false, false) => return Ok(Cow::Owned(format!("{given}-{family}"))),
            }
        }
        let login = self.fallback.and_then(|i| row.field(i)).unwrap_or_default();
        let local = login.split_once('@').map_or(login, |(local, _)| local);
        Ok(Cow::Borrowed(local.trim()))
    }

    fn describe(&self) -> String {
        "a readable name: given and family names, else the login's or e-mail's local part"
            .to_owned()
    }
}
