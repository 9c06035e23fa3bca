//! An Okta username mapping as the audit's [`UsernameSource`]: an expression evaluated on each
//! row of a table whose columns are Okta profile variable names.

use std::borrow::Cow;

use super::parser::{Binding, Kind, Node};
use super::{Ambiguity, Context, Evaluation, Expression, OktaFormat, Outcome, Value};
use crate::audit::{AuditError, Header, Row, UsernameSource};

/// The username is an Okta Expression Language expression (or a built-in
/// [`OktaFormat`]) evaluated on each row.
///
/// The file's columns are Okta profile variable names, as in Okta's user import CSV and in
/// [`Users::to_csv`](super::Users::to_csv):
///
/// * `user.X` (and `source.X`) reads the column named exactly `X`, else the one column whose
///   name is `X` in another case. Two columns for one attribute that differ only in case are
///   an [`AuditError::DuplicateColumn`] naming both (Okta's attribute names collide when they
///   differ only in case); an attribute without a column is
///   [`AuditError::MissingColumns`].
/// * `user.getInternalProperty("id")` and `("status")` read the columns `id` and `status`.
/// * `appuser.X` reads a column named `appuser.X` when there is one, else is null (an export
///   of Okta users holds no app user profile).
/// * **An empty cell is null**, an attribute never set: a CSV cannot tell a never-set
///   attribute from one that was cleared (`""` in Okta).
///
/// A row whose evaluation fails, whose value is null or an array, or whose value depends on
/// what Okta's documentation leaves open ([`Evaluation::is_settled`]) gets status `error`,
/// with a message naming the readings and the value each gives: usernorm never picks one
/// silently.
///
/// ```
/// use usernorm::audit::{Header, Row, UsernameSource};
/// use usernorm::okta::{OktaFormat, OktaMapping};
///
/// let header = Header::new(["id", "status", "login", "email"]);
/// let mut mapping = OktaMapping::from_format(OktaFormat::EmailPrefix);
/// mapping.bind(&header)?;
/// let row = Row::new(&header, &["00u1", "ACTIVE", "ann.lee@example.com", "ann-lee@example.com"]);
/// assert_eq!(mapping.username(&row).as_deref(), Ok("ann-lee"));
///
/// // No `@`: the docs do not say whether substringBefore gives "" or the input.
/// let row = Row::new(&header, &["00u2", "ACTIVE", "bo@example.com", "bo"]);
/// let err = mapping.username(&row).unwrap_err();
/// assert!(err.starts_with("Okta's documentation does not settle"), "{err}");
/// assert!(err.contains("`bo`"), "{err}");
///
/// let mut mapping = OktaMapping::parse(r#"String.toLowerCase(user.firstName) + "-" + user.LASTNAME"#)?;
/// let header = Header::new(["FirstName", "lastName"]);
/// mapping.bind(&header)?;
/// assert_eq!(mapping.username(&Row::new(&header, &["Ann", "Lee"])).as_deref(), Ok("ann-Lee"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct OktaMapping {
    expression: Expression,
    format: Option<OktaFormat>,
    /// `user.X` names and their columns, once bound.
    user: Vec<(String, usize)>,
    /// `appuser.X` names and their columns, for those the file has.
    appuser: Vec<(String, usize)>,
    id: Option<usize>,
    status: Option<usize>,
    /// The column the whole expression is, when it is one attribute (`user.login`): its
    /// non-empty cell is the username, borrowed from the row.
    direct: Option<usize>,
}

impl OktaMapping {
    /// A built-in format's name ([`OktaFormat::from_name`]), else an expression.
    ///
    /// ```
    /// use usernorm::okta::{OktaFormat, OktaMapping};
    /// assert_eq!(OktaMapping::parse("hf-okta-id")?.format(), Some(OktaFormat::HfOktaId));
    /// assert_eq!(OktaMapping::parse("user.nickName")?.format(), None);
    /// assert!(OktaMapping::parse("user.").is_err());
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    ///
    /// # Errors
    /// The expression's parse error, with a caret under the fault.
    pub fn parse(text: &str) -> Result<OktaMapping, super::Error> {
        match OktaFormat::from_name(text) {
            Some(format) => Ok(OktaMapping::from_format(format)),
            None => Expression::parse(text).map(OktaMapping::from_expression),
        }
    }

    /// The mapping of a built-in format.
    ///
    /// ```
    /// use usernorm::okta::{OktaFormat, OktaMapping};
    /// use usernorm::audit::UsernameSource;
    /// let mapping = OktaMapping::from_format(OktaFormat::OktaUsername);
    /// assert_eq!(mapping.describe(), "okta-username: user.login");
    /// ```
    pub fn from_format(format: OktaFormat) -> OktaMapping {
        let expression = format.parsed().unwrap_or_else(|_| {
            // Never: a test parses every format. Null makes every row an error, not a
            // wrong name.
            debug_assert!(false, "the format {format} does not parse");
            Expression {
                source: format.expression().to_owned(),
                root: Node {
                    kind: Kind::Lit(Value::Null),
                    span: 0..0,
                },
            }
        });
        OktaMapping {
            format: Some(format),
            ..OktaMapping::from_expression(expression)
        }
    }

    /// The mapping of an expression already parsed.
    ///
    /// ```
    /// use usernorm::okta::{Expression, OktaMapping};
    /// let mapping = OktaMapping::from_expression(Expression::parse("user.login")?);
    /// assert_eq!(mapping.expression().source(), "user.login");
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    pub fn from_expression(expression: Expression) -> OktaMapping {
        OktaMapping {
            expression,
            format: None,
            user: Vec::new(),
            appuser: Vec::new(),
            id: None,
            status: None,
            direct: None,
        }
    }

    /// The built-in format, when the mapping is one.
    ///
    /// ```
    /// use usernorm::okta::{OktaFormat, OktaMapping};
    /// assert_eq!(OktaMapping::from_format(OktaFormat::Email).format(), Some(OktaFormat::Email));
    /// ```
    pub fn format(&self) -> Option<OktaFormat> {
        self.format
    }

    /// The expression evaluated.
    ///
    /// ```
    /// use usernorm::okta::{OktaFormat, OktaMapping};
    /// let mapping = OktaMapping::from_format(OktaFormat::HfOktaId);
    /// assert_eq!(mapping.expression().source(), r#"user.getInternalProperty("id")"#);
    /// ```
    pub fn expression(&self) -> &Expression {
        &self.expression
    }

    /// The row as the expression sees it.
    fn context(&self, row: &Row<'_>) -> Context {
        let cell = |i: usize| row.field(i).filter(|v| !v.is_empty());
        let mut ctx = Context::new();
        for (name, i) in &self.user {
            if let Some(v) = cell(*i) {
                ctx.set_user(name.as_str(), v);
            }
        }
        for (name, i) in &self.appuser {
            if let Some(v) = cell(*i) {
                ctx.set_appuser(name.as_str(), v);
            }
        }
        if let Some(v) = self.id.and_then(cell) {
            ctx = ctx.id(v);
        }
        if let Some(v) = self.status.and_then(cell) {
            ctx = ctx.status(v);
        }
        ctx
    }

    /// Why a null value is no username: the attributes read that are empty.
    fn null_message(&self, row: &Row<'_>) -> String {
        format!(
            "the mapping gives null{}: Okta would send no userName",
            self.empty_attributes(row)
        )
    }

    /// ` (`user.email` is empty: never set, or cleared)` for the attributes the row leaves
    /// empty, or nothing.
    fn empty_attributes(&self, row: &Row<'_>) -> String {
        let empty = |i: usize| row.field(i).is_none_or(str::is_empty);
        let mut names: Vec<String> = Vec::new();
        for (name, i) in &self.user {
            if empty(*i) {
                names.push(format!("`user.{name}`"));
            }
        }
        if self.id.is_some_and(empty) {
            names.push("`id`".to_owned());
        }
        match names.len() {
            0 => String::new(),
            1 => format!(" ({} is empty: never set, or cleared)", names.join("")),
            _ => format!(" ({} are empty: never set, or cleared)", join_and(&names)),
        }
    }
}

/// Finds the column of a profile attribute: the one named exactly `name`, else the one named
/// so in another case; two that differ only in case are an error.
fn column(header: &Header, name: &str) -> Result<Option<usize>, AuditError> {
    let names = header.names();
    let lower = name.to_lowercase();
    let same: Vec<usize> = (0..names.len())
        .filter(|&i| names.get(i).is_some_and(|n| n.to_lowercase() == lower))
        .collect();
    match same.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        [a, b, ..] => Err(AuditError::DuplicateColumn {
            attribute: name.to_owned(),
            columns: [(*a, column_name(names, *a)), (*b, column_name(names, *b))],
        }),
    }
}

fn column_name(names: &[String], i: usize) -> String {
    names.get(i).cloned().unwrap_or_default()
}

impl UsernameSource for OktaMapping {
    fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
        let mut missing = Vec::new();
        self.user.clear();
        self.appuser.clear();
        for attribute in self.expression.attributes() {
            match attribute.split_once('.') {
                Some(("appuser", name)) => {
                    if let Some(i) = column(header, &attribute)? {
                        self.appuser.push((name.to_owned(), i));
                    }
                }
                Some((_, name)) => match column(header, name)? {
                    Some(i) => self.user.push((name.to_owned(), i)),
                    None => missing.push(name.to_owned()),
                },
                None => {}
            }
        }
        let (mut uses_id, mut uses_status) = (false, false);
        self.expression.root.walk(&mut |node| {
            if let Kind::Internal { id } = node.kind {
                if id {
                    uses_id = true;
                } else {
                    uses_status = true;
                }
            }
        });
        self.id = None;
        self.status = None;
        for (used, name, slot) in [
            (uses_id, "id", &mut self.id),
            (uses_status, "status", &mut self.status),
        ] {
            if used {
                *slot = column(header, name)?;
                if slot.is_none() {
                    missing.push(name.to_owned());
                }
            }
        }
        if !missing.is_empty() {
            return Err(AuditError::MissingColumns {
                missing,
                columns: header.names().to_vec(),
            });
        }
        let find = |list: &[(String, usize)], name: &str| {
            list.iter().find(|(n, _)| n == name).map(|&(_, i)| i)
        };
        self.direct = match &self.expression.root.kind {
            Kind::Attr {
                binding: Binding::User | Binding::Source,
                name,
            } => find(&self.user, name),
            Kind::Attr {
                binding: Binding::AppUser,
                name,
            } => find(&self.appuser, name),
            Kind::Internal { id: true } => self.id,
            Kind::Internal { id: false } => self.status,
            _ => None,
        };
        Ok(())
    }

    fn username<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
        if let Some(name) = self.direct.and_then(|i| row.field(i))
            && !name.is_empty()
        {
            return Ok(Cow::Borrowed(name));
        }
        let evaluation = self
            .expression
            .evaluate(&self.context(row))
            .map_err(|e| e.message().to_owned())?;
        if !evaluation.is_settled() {
            let mut message = unsettled(&evaluation);
            let null = [Ambiguity::NullArgument, Ambiguity::NullConcatenation];
            if evaluation.ambiguities.iter().any(|a| null.contains(a)) {
                message.push_str(&self.empty_attributes(row));
            }
            return Err(message);
        }
        match evaluation.value {
            Value::String(name) => Ok(Cow::Owned(name)),
            Value::Null => Err(self.null_message(row)),
            Value::Array(_) => Err(format!(
                "the mapping gives an array, {}, not one username",
                evaluation.value.quoted()
            )),
            other => Ok(Cow::Owned(other.to_string())),
        }
    }

    fn describe(&self) -> String {
        match self.format {
            Some(format) => format!("{}: {}", format.name(), format.expression()),
            None => self.expression.source().to_owned(),
        }
    }
}

/// The message of a row whose value depends on readings Okta's documentation leaves open:
/// each question, then each value and the readings that give it.
fn unsettled(evaluation: &Evaluation) -> String {
    let mut asked: Vec<Ambiguity> = Vec::new();
    for choice in evaluation.readings.iter().flat_map(|r| &r.choices) {
        if !asked.contains(&choice.ambiguity) {
            asked.push(choice.ambiguity);
        }
    }
    let several = asked.len() > 1;
    let reading = |a: Ambiguity, r: super::Reading| match several {
        true => format!("{} {}", a.situation(), r.describe()),
        false => r.describe().to_owned(),
    };
    let primary: Vec<String> = asked.iter().map(|&a| reading(a, a.primary())).collect();
    let mut outcomes = vec![format!(
        "{} ({})",
        shown(&Outcome::Value(evaluation.value.clone())),
        primary.join(", ")
    )];
    for r in &evaluation.readings {
        let readings: Vec<String> = r
            .choices
            .iter()
            .map(|c| reading(c.ambiguity, c.reading))
            .collect();
        outcomes.push(format!("{} ({})", shown(&r.outcome), readings.join(", ")));
    }
    let situations: Vec<&str> = asked.iter().map(|a| a.situation()).collect();
    format!(
        "Okta's documentation does not settle {}; readings give {}",
        situations.join("; "),
        join_and(&outcomes)
    )
}

/// An outcome in a message: a value in backticks, null, or the failure.
fn shown(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Value(Value::Null) => "null".to_owned(),
        Outcome::Value(Value::Array(items)) => Value::Array(items.clone()).quoted(),
        Outcome::Value(v) => format!("`{v}`"),
        Outcome::Fails(e) => format!("a failure ({})", e.message()),
        Outcome::CannotEvaluate(e) => format!("no value usernorm can compute ({})", e.message()),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(mapping: &str, columns: &[&str]) -> Result<OktaMapping, String> {
        let mut m = OktaMapping::parse(mapping).map_err(|e| e.to_string())?;
        m.bind(&Header::new(columns)).map_err(|e| e.to_string())?;
        Ok(m)
    }

    fn name(mapping: &OktaMapping, columns: &[&str], fields: &[&str]) -> Result<String, String> {
        let header = Header::new(columns);
        let row = Row::new(&header, fields);
        mapping.username(&row).map(Cow::into_owned)
    }

    #[test]
    fn columns_match_exactly_else_in_another_case() {
        let cols = ["id", "status", "Login", "email"];
        let m = bound("okta-username", &cols).expect("a name");
        assert_eq!(
            name(&m, &cols, &["1", "A", "a@b", "c@d"]).expect("a name"),
            "a@b"
        );
    }

    #[test]
    fn two_columns_that_differ_only_in_case_are_an_error_naming_both() {
        let err = bound("user.login", &["id", "login", "LOGIN"]).expect_err("an error");
        assert!(err.contains("`login` (column 2)"), "{err}");
        assert!(err.contains("`LOGIN` (column 3)"), "{err}");
        // Unless the expression does not read it.
        assert!(bound("user.email", &["email", "login", "LOGIN"]).is_ok());
    }

    #[test]
    fn a_missing_attribute_is_missing_columns() {
        let err =
            bound("user.firstName + user.lastName", &["id", "firstName"]).expect_err("an error");
        assert_eq!(
            err,
            "the file has no `lastName` column; its columns are: id, firstName"
        );
        let err = bound("hf-okta-id", &["login"]).expect_err("an error");
        assert!(err.starts_with("the file has no `id` column"), "{err}");
    }

    #[test]
    fn internal_properties_and_appuser_columns() {
        let cols = ["ID", "status", "appuser.nick"];
        let m = bound(
            r#"user.getInternalProperty("status") + "/" + user.getInternalProperty("id") + "/" + (appuser.nick ?: "none") + (appuser.other ?: "")"#,
            &cols,
        )
        .expect("a name");
        assert_eq!(
            name(&m, &cols, &["00u1", "ACTIVE", ""]).expect("a name"),
            "ACTIVE/00u1/none"
        );
        assert_eq!(
            name(&m, &cols, &["00u1", "ACTIVE", "ann"]).expect("a name"),
            "ACTIVE/00u1/ann"
        );
    }

    #[test]
    fn an_empty_cell_is_null() {
        let cols = ["login", "nickName"];
        let m = bound("user.nickName ?: user.login", &cols).expect("a name");
        assert_eq!(name(&m, &cols, &["a@b", ""]).expect("a name"), "a@b");
        let m = bound("user.nickName", &cols).expect("a name");
        let err = name(&m, &cols, &["a@b", ""]).expect_err("an error");
        assert_eq!(
            err,
            "the mapping gives null (`user.nickName` is empty: never set, or cleared): Okta would send no userName"
        );
    }

    #[test]
    fn readings_that_disagree_fail_the_row_naming_each_value() {
        let cols = ["login"];
        let m = bound(
            r#"String.replace(String.substringBefore(user.login, "@"), ".", "")"#,
            &cols,
        )
        .expect("a name");
        let err = name(&m, &cols, &["ann.lee@x.org"]).expect_err("an error");
        #[cfg(feature = "okta-regex")]
        assert_eq!(
            err,
            "Okta's documentation does not settle the match of String.replace/replaceFirst; \
             readings give `annlee` (read as a literal string) and `` (read as a Java regular expression)"
        );
        // Without an engine the regex reading has no value, and the row still fails: never the
        // literal reading's answer alone.
        #[cfg(not(feature = "okta-regex"))]
        assert_eq!(
            err,
            "Okta's documentation does not settle the match of String.replace/replaceFirst; \
             readings give `annlee` (read as a literal string) and no value usernorm can compute \
             (as a Java regular expression: this build has no regular-expression engine, so it \
             cannot be evaluated here) (read as a Java regular expression)"
        );
        // Readings that agree are no failure.
        let m = bound(r#"String.replace(user.login, "-", "")"#, &cols).expect("a name");
        assert_eq!(name(&m, &cols, &["ann-lee"]).expect("a name"), "annlee");
        let m = bound(
            r#"String.substringBefore(user.login, "@") + user.login"#,
            &cols,
        )
        .expect("a name");
        let err = name(&m, &cols, &["ann"]).expect_err("an error");
        assert_eq!(
            err,
            "Okta's documentation does not settle substringBefore/After without its search string; \
             readings give `ann` (taken as the empty string) and `annann` (giving the input unchanged)"
        );
    }

    /// The readings of a null argument once named no attribute: which one was empty?
    #[test]
    fn readings_of_null_name_the_empty_attribute() {
        let cols = ["id", "email"];
        let m = bound("email-prefix", &cols).expect("a name");
        let err = name(&m, &cols, &["00u1", ""]).expect_err("an error");
        assert!(
            err.starts_with(
                "Okta's documentation does not settle a null argument of a String function; \
                 readings give `` (taken as the empty string), null (giving null) and a failure ("
            ),
            "{err}"
        );
        assert!(
            err.ends_with(") (`user.email` is empty: never set, or cleared)"),
            "{err}"
        );
    }

    #[test]
    fn evaluation_errors_and_non_strings() {
        let cols = ["login", "n"];
        let m = bound("user.login[0]", &cols).expect("a name");
        assert!(name(&m, &cols, &["a", "1"]).is_err());
        let m = bound("String.len(user.login)", &cols).expect("a name");
        assert_eq!(name(&m, &cols, &["abcd", "1"]).expect("a name"), "4");
        let m = bound("{user.login, user.n}", &cols).expect("a name");
        let err = name(&m, &cols, &["a", "b"]).expect_err("an error");
        assert!(err.contains("an array"), "{err}");
    }

    proptest::proptest! {
        /// Every format on any row gives a name or a message, and the bare attributes give
        /// the cell itself.
        #[test]
        fn every_format_gives_a_name_or_a_reason(
            id in "\\PC{0,8}", login in "\\PC{0,12}", email in "[a-z.@ ]{0,12}|\\PC{0,12}",
        ) {
            let cols = ["id", "status", "login", "email"];
            let fields = [id.as_str(), "ACTIVE", login.as_str(), email.as_str()];
            for format in OktaFormat::ALL {
                let m = bound(format.name(), &cols).expect("the columns are there");
                match name(&m, &cols, &fields) {
                    Ok(got) => match format {
                        OktaFormat::OktaUsername => proptest::prop_assert_eq!(&got, &login),
                        OktaFormat::Email => proptest::prop_assert_eq!(&got, &email),
                        OktaFormat::HfOktaId => proptest::prop_assert_eq!(&got, &id),
                        _ => {}
                    },
                    Err(why) => proptest::prop_assert!(!why.is_empty()),
                }
            }
        }
    }

    #[test]
    fn the_mapping_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<OktaMapping>();
    }
}
