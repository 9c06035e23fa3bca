//! Okta Expression Language, as a username mapping uses it, evaluated offline.
//!
//! # Overview
//!
//! Okta computes an app's `userName` (what it sends over SCIM) with an expression such as
//! `String.substringBefore(user.login, "@")`. This module parses those expressions and
//! evaluates them on one user's profile, per Okta's "Okta Expression Language overview":
//!
//! * strings in `'…'` or `"…"` (the quote doubled inside; a backslash is an ordinary
//!   character), integers, numbers, `true`, `false`, `null`, array literals `{1, 2}` and
//!   indexing `[0]`;
//! * `user.NAME` (the Okta profile), `appuser.NAME` (the app user profile), `source.NAME` (the
//!   left side of the mapping: for an Okta-to-app mapping, the Okta user, as the docs' own
//!   `toUpperCase(source.firstName)` example reads it), and
//!   `user.getInternalProperty("id" | "status")`;
//! * `String.append, join, len, removeSpaces, replace, replaceFirst, startsWith,
//!   stringContains, stringSwitch, substring, substringAfter, substringBefore, toUpperCase,
//!   toLowerCase`, the deprecated `toUpperCase(…)`, `toLowerCase(…)`, `substring(…)`,
//!   `substringBefore(…)`, `substringAfter(…)`, `Arrays.add, remove, clear, get, flatten,
//!   contains, size, isEmpty, toCsvString` (a CSV string is an array wherever one is expected),
//!   `Convert.toInt, toNum`;
//! * `+`, `-`, `==`, `!=`, `<`, `>`, `<=`, `>=`, `AND`, `OR`, `!`, `matches` (a Java regular
//!   expression, deprecated), `c ? a : b` and `x ?: d` (`d` when `x` is null or empty).
//!
//! A never-set attribute is null; a cleared one is the empty string. Functions that need what
//! an export does not hold (groups, time, Active Directory, Workday) are parse errors that say
//! so.
//!
//! # Readings
//!
//! Okta's documentation leaves some questions open ([`Ambiguity`]): whether `String.replace`
//! takes a literal or a Java regular expression, what `substringBefore` gives without its
//! search string, what null does in `+` or in a `String` function, and a few more. usernorm
//! never picks an answer silently: [`Expression::evaluate`] computes the value under the
//! primary reading of each question ([`Ambiguity::primary`]), then, for each question the
//! evaluation met, under the other readings (every combination, fewest changes first, at most
//! [`MAX_READINGS`]), and reports each value that differs with a warning naming the readings
//! that give it.
//!
//! # Examples
//!
//! ```
//! use usernorm::okta::{Context, Expression, Reading, Value};
//!
//! let user = Context::new()
//!     .user("login", "winston.churchill@gmail.com")
//!     .user("firstName", "Winston")
//!     .user("lastName", "Churchill");
//!
//! let expr = Expression::parse(r#"toLowerCase(substring(user.firstName, 0, 1)) + "." + toLowerCase(user.lastName)"#)?;
//! assert_eq!(expr.evaluate(&user)?.value, Value::from("w.churchill"));
//!
//! // A literal `.` or a Java regular expression? Both are evaluated, and the warning says so.
//! let expr = Expression::parse(r#"String.replace(String.substringBefore(user.login, "@"), ".", "")"#)?;
//! let out = expr.evaluate(&user)?;
//! assert_eq!(out.value, Value::from("winstonchurchill"));
//! assert_eq!(out.readings[0].choices[0].reading, Reading::JavaRegex);
//! assert_eq!(out.readings[0].outcome.value(), Some(&Value::from("")));
//! assert!(out.warnings[0].contains("Java regular expression"));
//!
//! // Errors draw the expression with a caret under the fault.
//! let err = Expression::parse("String.toLowerCase(user.login))").unwrap_err();
//! assert!(err.to_string().ends_with("\n  String.toLowerCase(user.login))\n                                ^"));
//! # Ok::<(), usernorm::okta::Error>(())
//! ```
//!
//! # Auditing Okta users
//!
//! [`Users::from_json`] turns the Users API JSON (`GET /api/v1/users`) into a table whose
//! columns are `id`, `status` and the profile's variable names ([`Users::to_csv`]); an
//! [`OktaMapping`] (an expression, or a built-in [`OktaFormat`] such as `email-prefix`) gives
//! each row of such a table its username in [`Audit`](crate::audit::Audit). A CSV whose
//! headers are profile variable names, as Okta's user import takes, is read the same way.
//! [`write_import_csv`] writes that import file with the fixed usernames in a custom
//! attribute.
//!
//! ```
//! use usernorm::audit::{Audit, Status};
//! use usernorm::okta::{OktaFormat, OktaMapping, Users};
//! use usernorm::{EmptyRegistry, Policy};
//!
//! let json = br#"[{"id": "00u1", "status": "ACTIVE", "profile": {"login": "ann.lee@x.org", "email": "ann.lee@x.org"}}]"#;
//! let csv = Users::from_json(json)?.to_csv();
//! let policy = Policy::huggingface();
//! let mut mapping = OktaMapping::from_format(OktaFormat::EmailPrefix);
//! let mut checked = Audit::new(&policy, &EmptyRegistry).run(std::io::Cursor::new(csv), &mut mapping)?;
//! let record = checked.records().next().unwrap()?;
//! assert_eq!((record.username.as_str(), record.status), ("ann.lee", Status::Invalid));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Untrusted input
//!
//! Parsing rejects expressions longer than [`MAX_EXPRESSION_LEN`] bytes and nesting deeper
//! than [`MAX_DEPTH`]. An evaluation bounds each value at [`MAX_VALUE_LEN`] bytes and all it
//! produces, under all its readings together, at [`MAX_WORK`]; one expression is evaluated
//! at most [`MAX_READINGS`] + 1 times.
//! Java regular expressions run on the `regex` crate (linear time, size limits; feature
//! `okta-regex`); constructs it
//! cannot honour make that reading "cannot be evaluated", said in the warning.
//! [`Users::from_json`] never panics; it refuses more than [`MAX_PROFILE_KEYS`] profile keys
//! and keys or a header over the CSV limits of [`limits`](crate::limits), and its memory is
//! proportional to the input.
//!
//! # Crate features
//!
//! * `okta` (default): this module. Alone, the Java-regular-expression readings cannot be
//!   evaluated (the warning says so: this build has no engine); never a different answer.
//! * `okta-regex` (default): the `regex` crate as their engine.

mod error;
mod eval;
mod format;
mod functions;
mod import;
mod jregex;
mod lexer;
mod mapping;
mod parser;
mod readings;
mod users;
mod value;

use std::collections::BTreeMap;
use std::fmt;

pub use error::Error;
pub use format::OktaFormat;
pub use import::{IMPORT_ATTRIBUTE, ImportRow, write_import_csv};
pub use mapping::OktaMapping;
pub use readings::{Ambiguity, Choice, Reading};
pub use users::{MAX_PROFILE_KEYS, Users, UsersError, looks_like_users_json};
pub use value::Value;

use self::error::Fault;
use self::eval::Run;
use self::parser::{Kind, Node};
use self::readings::Choices;

/// The longest expression the parser accepts, in bytes.
pub const MAX_EXPRESSION_LEN: usize = 64 * 1024;
/// The deepest nesting (parentheses, calls, operators) the parser accepts.
pub const MAX_DEPTH: usize = 64;
/// The largest value one step of an evaluation may produce, in bytes.
pub const MAX_VALUE_LEN: usize = 16 * 1024 * 1024;
/// The most bytes one evaluation may produce in all its steps, under all its readings.
pub const MAX_WORK: usize = 64 * 1024 * 1024;
/// The most combinations of other readings one evaluation tries.
pub const MAX_READINGS: usize = 32;

/// One user as an expression sees it: the Okta profile (`user.*`, also `source.*`), the app
/// user profile (`appuser.*`), and the internal id and status.
///
/// Attribute names are case-sensitive, as Okta's are. An attribute not set is null.
///
/// ```
/// use usernorm::okta::{Context, Expression, Value};
///
/// let ctx = Context::new().user("login", "a@b.c").appuser("userName", "ab").id("00u1");
/// let expr = Expression::parse(r#"appuser.userName + "/" + user.getInternalProperty("id")"#)?;
/// assert_eq!(expr.evaluate(&ctx)?.value, Value::from("ab/00u1"));
/// # Ok::<(), usernorm::okta::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    user: BTreeMap<String, Value>,
    appuser: BTreeMap<String, Value>,
    id: Option<String>,
    status: Option<String>,
}

impl Context {
    /// An empty context: every attribute null.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::Context::new().get_user("login"), None);
    /// ```
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets `user.NAME` (which `source.NAME` reads too).
    ///
    /// ```
    /// let ctx = usernorm::okta::Context::new().user("login", "a@b.c");
    /// assert_eq!(ctx.get_user("login"), Some(&"a@b.c".into()));
    /// ```
    pub fn user(mut self, name: impl Into<String>, value: impl Into<Value>) -> Context {
        self.set_user(name, value);
        self
    }

    /// Sets `appuser.NAME`.
    ///
    /// ```
    /// let ctx = usernorm::okta::Context::new().appuser("userName", "ab");
    /// assert_eq!(ctx.get_appuser("userName"), Some(&"ab".into()));
    /// ```
    pub fn appuser(mut self, name: impl Into<String>, value: impl Into<Value>) -> Context {
        self.set_appuser(name, value);
        self
    }

    /// Sets the user's Okta id (`user.getInternalProperty("id")`).
    ///
    /// ```
    /// use usernorm::okta::{Context, Expression, Value};
    /// let expr = Expression::parse(r#"user.getInternalProperty("id")"#)?;
    /// assert_eq!(expr.evaluate(&Context::new().id("00u1"))?.value, Value::from("00u1"));
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    pub fn id(mut self, id: impl Into<String>) -> Context {
        self.id = Some(id.into());
        self
    }

    /// Sets the user's status (`user.getInternalProperty("status")`), such as `ACTIVE`.
    ///
    /// ```
    /// use usernorm::okta::{Context, Expression, Value};
    /// let expr = Expression::parse(r#"user.getInternalProperty("status") == "ACTIVE""#)?;
    /// assert_eq!(expr.evaluate(&Context::new().status("ACTIVE"))?.value, Value::Bool(true));
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    pub fn status(mut self, status: impl Into<String>) -> Context {
        self.status = Some(status.into());
        self
    }

    /// Sets `user.NAME` in place.
    ///
    /// ```
    /// let mut ctx = usernorm::okta::Context::new();
    /// ctx.set_user("firstName", "Ann");
    /// assert_eq!(ctx.get_user("firstName"), Some(&"Ann".into()));
    /// ```
    pub fn set_user(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        self.user.insert(name.into(), value.into());
    }

    /// Sets `appuser.NAME` in place.
    ///
    /// ```
    /// let mut ctx = usernorm::okta::Context::new();
    /// ctx.set_appuser("userName", "ann");
    /// assert_eq!(ctx.get_appuser("userName"), Some(&"ann".into()));
    /// ```
    pub fn set_appuser(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        self.appuser.insert(name.into(), value.into());
    }

    /// The value of `user.NAME`, if set.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::Context::new().get_user("email"), None);
    /// ```
    pub fn get_user(&self, name: &str) -> Option<&Value> {
        self.user.get(name)
    }

    /// The value of `appuser.NAME`, if set.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::Context::new().get_appuser("userName"), None);
    /// ```
    pub fn get_appuser(&self, name: &str) -> Option<&Value> {
        self.appuser.get(name)
    }
}

/// What an evaluation gives under one combination of readings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// A value.
    Value(Value),
    /// The evaluation fails under these readings, in Okta too (Okta then keeps the target's
    /// previous value): where and why.
    Fails(Error),
    /// usernorm cannot evaluate it faithfully under these readings (a Java regular expression
    /// construct the `regex` crate does not honour, a size limit): where and why.
    CannotEvaluate(Error),
}

impl Outcome {
    /// The value, when there is one.
    ///
    /// ```
    /// use usernorm::okta::{Outcome, Value};
    /// assert_eq!(Outcome::Value(Value::Int(1)).value(), Some(&Value::Int(1)));
    /// ```
    pub fn value(&self) -> Option<&Value> {
        match self {
            Outcome::Value(v) => Some(v),
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Outcome::Value(v) => v.quoted(),
            Outcome::Fails(e) => format!("a failure ({})", e.message()),
            Outcome::CannotEvaluate(e) => {
                format!("no value usernorm can compute ({})", e.message())
            }
        }
    }
}

/// An outcome that differs from the primary value, and the readings that give it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReadingOutcome {
    /// The readings that differ from the primary ones (the fewest that give this outcome).
    pub choices: Vec<Choice>,
    /// What the expression gives under them.
    pub outcome: Outcome,
}

/// The result of evaluating an expression on one user.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Evaluation {
    /// The value under the primary reading of every ambiguity.
    pub value: Value,
    /// The ambiguities the evaluation met, whether or not their readings changed the value.
    pub ambiguities: Vec<Ambiguity>,
    /// Each distinct outcome other readings give that differs from `value`.
    pub readings: Vec<ReadingOutcome>,
    /// One line per entry of `readings`, naming the readings and the value they give; and one
    /// when the combinations were cut at [`MAX_READINGS`].
    pub warnings: Vec<String>,
}

impl Evaluation {
    /// Whether every reading the evaluation met gives the same value.
    ///
    /// ```
    /// use usernorm::okta::{Context, Expression};
    /// let expr = Expression::parse(r#"String.substringBefore(user.login, "@")"#)?;
    /// assert!(expr.evaluate(&Context::new().user("login", "a@b"))?.is_settled());
    /// assert!(!expr.evaluate(&Context::new().user("login", "ab"))?.is_settled());
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    pub fn is_settled(&self) -> bool {
        self.readings.is_empty()
    }
}

/// A parsed Okta expression, ready to evaluate on any number of users.
///
/// ```
/// use usernorm::okta::{Context, Expression, Value};
///
/// let expr: Expression = "user.firstName + ' ' + user.lastName".parse()?;
/// let ctx = Context::new().user("firstName", "Ada").user("lastName", "Lovelace");
/// assert_eq!(expr.evaluate(&ctx)?.value, Value::from("Ada Lovelace"));
/// assert_eq!(expr.attributes(), ["user.firstName", "user.lastName"]);
/// # Ok::<(), usernorm::okta::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Expression {
    source: String,
    root: Node,
}

impl PartialEq for Expression {
    fn eq(&self, other: &Expression) -> bool {
        self.root == other.root
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for Expression {
    type Err = Error;

    fn from_str(s: &str) -> Result<Expression, Error> {
        Expression::parse(s)
    }
}

impl Expression {
    /// Parses an expression.
    ///
    /// ```
    /// use usernorm::okta::Expression;
    ///
    /// assert!(Expression::parse(r#"user.email ?: user.login"#).is_ok());
    /// let err = Expression::parse("hasWorkdayUser() ? findWorkdayUser().employeeID : null").unwrap_err();
    /// assert!(err.message().contains("cannot be evaluated offline"));
    /// ```
    ///
    /// # Errors
    /// A syntax error, an unknown function or binding, a wrong number of arguments, a function
    /// that needs more than a user's profile, nesting deeper than [`MAX_DEPTH`], or input longer
    /// than [`MAX_EXPRESSION_LEN`].
    pub fn parse(source: &str) -> Result<Expression, Error> {
        if source.len() > MAX_EXPRESSION_LEN {
            let end = source.floor_char_boundary(MAX_EXPRESSION_LEN);
            return Err(Fault::new(
                &(end..end),
                format!("the expression is longer than {MAX_EXPRESSION_LEN} bytes"),
            )
            .in_expression(source));
        }
        let tokens = lexer::tokenize(source).map_err(|f| f.in_expression(source))?;
        let root = parser::parse(&tokens).map_err(|f| f.in_expression(source))?;
        Ok(Expression {
            source: source.to_owned(),
            root,
        })
    }

    /// Evaluates the expression on one user, under every reading of the ambiguities it meets.
    ///
    /// ```
    /// use usernorm::okta::{Ambiguity, Context, Expression, Outcome, Value};
    ///
    /// let expr = Expression::parse(r#"user.firstName + "." + user.lastName"#)?;
    /// let out = expr.evaluate(&Context::new().user("firstName", "Cher"))?;
    /// assert_eq!(out.value, Value::from("Cher.null"));
    /// assert_eq!(out.ambiguities, [Ambiguity::NullConcatenation]);
    /// assert_eq!(out.readings[0].outcome, Outcome::Value(Value::from("Cher.")));
    /// assert!(matches!(out.readings[1].outcome, Outcome::Fails(_)));
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    ///
    /// # Errors
    /// The evaluation fails under the primary readings: a value of the wrong type (a condition
    /// that is not a boolean, an index outside an array), a `matches` pattern usernorm cannot
    /// honour, a value over the size limits.
    pub fn evaluate(&self, context: &Context) -> Result<Evaluation, Error> {
        let mut run = Run::new(context, Choices::default(), 0);
        let value = run
            .eval(&self.root)
            .map_err(|f| f.in_expression(&self.source))?;
        let primary = Outcome::Value(value.clone());
        let mut met = run.met;
        let mut spent = run.spent();
        let mut first_met = run.first_met.clone();
        let mut tried: Vec<Choices> = Vec::new();
        let mut readings: Vec<ReadingOutcome> = Vec::new();
        let mut cut = false;
        loop {
            let pending: Vec<Choices> = Choices::combinations(met)
                .into_iter()
                .filter(|c| !tried.contains(c))
                .collect();
            let Some(choices) = pending.first().copied() else {
                break;
            };
            if tried.len() >= MAX_READINGS {
                cut = true;
                break;
            }
            tried.push(choices);
            let mut alt = Run::new(context, choices, spent);
            let outcome = match alt.eval(&self.root) {
                Ok(v) => Outcome::Value(v),
                Err(f) if f.unsupported => Outcome::CannotEvaluate(f.in_expression(&self.source)),
                Err(f) => Outcome::Fails(f.in_expression(&self.source)),
            };
            spent = alt.spent();
            met |= alt.met;
            for (slot, seen) in first_met.iter_mut().zip(alt.first_met) {
                if slot.is_none() {
                    *slot = seen;
                }
            }
            let same = |a: &Outcome, b: &Outcome| match (a, b) {
                (Outcome::Value(x), Outcome::Value(y)) => x == y,
                (Outcome::Fails(_), Outcome::Fails(_)) => true,
                (Outcome::CannotEvaluate(_), Outcome::CannotEvaluate(_)) => true,
                _ => false,
            };
            if same(&outcome, &primary) || readings.iter().any(|r| same(&r.outcome, &outcome)) {
                continue;
            }
            readings.push(ReadingOutcome {
                choices: choices.deviations(),
                outcome,
            });
        }
        let ambiguities: Vec<Ambiguity> = Ambiguity::ALL
            .into_iter()
            .filter(|a| met & (1 << a.index()) != 0)
            .collect();
        let mut warnings: Vec<String> = readings
            .iter()
            .map(|r| {
                let what: Vec<String> = r
                    .choices
                    .iter()
                    .map(|c| {
                        let at = first_met[c.ambiguity.index()]
                            .as_ref()
                            .map(|s| where_in(&self.source, s))
                            .unwrap_or_default();
                        format!("{c}{at}")
                    })
                    .collect();
                format!(
                    "Okta's docs leave this open: with {}, the expression gives {} instead of {}",
                    what.join(" and "),
                    r.outcome.describe(),
                    value.quoted()
                )
            })
            .collect();
        if cut {
            warnings.push(format!(
                "the expression meets more combinations of readings than usernorm tries ({MAX_READINGS}); the rest were not evaluated"
            ));
        }
        Ok(Evaluation {
            value,
            ambiguities,
            readings,
            warnings,
        })
    }

    /// The expression as it was written.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::Expression::parse("user.login")?.source(), "user.login");
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The attributes the expression reads (`user.login`, `appuser.userName`), each once, in
    /// order of appearance; `source.NAME` is listed as `user.NAME`.
    ///
    /// ```
    /// let expr = usernorm::okta::Expression::parse("source.firstName + appuser.x + user.firstName")?;
    /// assert_eq!(expr.attributes(), ["user.firstName", "appuser.x"]);
    /// # Ok::<(), usernorm::okta::Error>(())
    /// ```
    pub fn attributes(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        self.root.walk(&mut |node| {
            if let Kind::Attr { binding, name } = &node.kind {
                let prefix = match binding {
                    parser::Binding::Source => parser::Binding::User.prefix(),
                    other => other.prefix(),
                };
                let full = format!("{prefix}.{name}");
                if !names.contains(&full) {
                    names.push(full);
                }
            }
        });
        names
    }
}

/// Where `span` is, for a warning: `` (`"."`, column 57)``, the text cut at 40 characters.
fn where_in(source: &str, span: &std::ops::Range<usize>) -> String {
    let text = source.get(span.clone()).unwrap_or("");
    let mut shown: String = text.chars().take(40).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    let column = source.get(..span.start).map_or(0, |s| s.chars().count()) + 1;
    format!(" (`{shown}`, column {column})")
}

/// The names of every function the evaluator knows (`String.append`, …, the deprecated
/// `toLowerCase`, …).
///
/// ```
/// assert!(usernorm::okta::function_names().any(|f| f == "String.stringSwitch"));
/// ```
pub fn function_names() -> impl Iterator<Item = &'static str> {
    functions::names()
}
