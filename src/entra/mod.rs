//! Microsoft Entra ID attribute-mapping expressions, evaluated offline.
//!
//! # Overview
//!
//! Entra's provisioning service computes every attribute it sends to a SCIM application with
//! an expression, such as Hugging Face's recommended
//! `Replace([mailNickname], ".", "", "", "", "", "")` for `userName`. This module parses those
//! expressions and evaluates them on a row of attributes (one user of a directory export) the
//! way the service does, per Microsoft's "Reference for writing expressions for attribute
//! mappings in Microsoft Entra ID":
//!
//! * attributes in `[brackets]`, strings in double quotes with `\"` and `\\` escapes, whole
//!   numbers, empty arguments (`Replace([x], , "re", , "", , )`), nested calls, comparisons
//!   (`=`, `<>`, `<`, `<=`, `>`, `>=`) for conditions, case-sensitive function names;
//! * Entra's value model ([`Value`]): an absent attribute is null, which is not an empty
//!   string; multi-valued attributes;
//! * every function of the reference. `Guid`, `RandomString`, `Now` and the date functions
//!   evaluate, but mark the result as not reproducible ([`Evaluation::reproducible`]).
//!   `SelectUniqueValue` is an error: Microsoft supports it only for provisioning into Active
//!   Directory, never for SCIM applications.
//!
//! [`Profile`] maps SCIM attributes to expressions and builds the SCIM User resource;
//! [`Profile::huggingface_entra`] is Hugging Face's recommended mapping.
//! [`ProvisioningSchema`] reads the provisioning schema an admin downloads from Entra: the
//! user mapping's `userName`, `externalId` and `active` expressions, when each applies, the
//! matching attributes, and whether Entra may delete users.
//!
//! # Examples
//!
//! ```
//! use usernorm::entra::{Expression, Value};
//!
//! let expr = Expression::parse(r#"Replace([mailNickname], ".", "", "", "", "", "")"#)?;
//! assert_eq!(expr.attributes(), ["mailNickname"]);
//!
//! let row = [("mailNickname", "jean.luc"), ("givenName", "Jean-Luc")];
//! let result = expr.evaluate(&row)?;
//! assert_eq!(result.value, Value::from("jeanluc"));
//! assert!(result.reproducible);
//!
//! // An absent attribute is null, and a null source gives null: Entra sends nothing.
//! assert!(expr.evaluate(&[("givenName", "Ann")])?.value.is_null());
//!
//! // Errors draw the expression with a caret under the fault.
//! let err = Expression::parse(r#"Join(", " [surname])"#).unwrap_err();
//! assert!(err.to_string().ends_with("\n  Join(\", \" [surname])\n            ^^^^^^^^^"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Untrusted input
//!
//! Parsing never recurses deeper than [`MAX_DEPTH`] calls and rejects expressions longer than
//! [`MAX_EXPRESSION_LEN`] bytes. Evaluation bounds every value at [`MAX_VALUE_LEN`] bytes and
//! the total produced at [`MAX_WORK`] bytes, so nested `Replace` calls cannot grow without end.
//! Regular expressions run on a [`RegexEngine`]: by default the `regex` crate ([`RustRegex`]),
//! whose matching is linear in the input, with compiled-size limits. .NET constructs it cannot
//! honour (lookaround, backreferences, ...) are rejected with a message naming them, never
//! evaluated differently. An engine given with [`Expression::parse_with`] runs what it is
//! given: JavaScript's `RegExp` backtracks, so a hostile pattern can take long there.
//!
//! # Crate features
//!
//! * `entra`: this module, without a regular-expression engine: `Replace` with a pattern needs
//!   one given to [`Expression::parse_with`] (the browser build gives JavaScript's).
//! * `entra-regex` (default): the `regex` crate as the engine of [`Expression::parse`].

mod ast;
mod calendar;
mod chars;
mod context;
mod error;
mod eval;
mod functions;
mod lexer;
mod parser;
mod profile;
mod regex;
mod schema;
mod value;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::sync::Arc;

pub use ast::{CmpOp, Node, NodeKind};
pub use error::{Error, EvalError, ParseError};
pub use profile::{Profile, ProfileError};
#[cfg(feature = "entra-regex")]
pub use regex::RustRegex;
pub use regex::{Captures, CompiledRegex, Dialect, RegexEngine};
pub use schema::{
    AttributeMapping, FlowType, MAX_SCHEMA_BYTES, ObjectFlows, ProvisioningSchema, SchemaError,
};
pub use value::Value;

use self::regex::DotNetRegex;

/// The deepest nesting of function calls the parser accepts.
pub const MAX_DEPTH: usize = 256;
/// The longest expression the parser accepts, in bytes.
pub const MAX_EXPRESSION_LEN: usize = 64 * 1024;
/// The largest value one step of an evaluation may produce, in bytes.
pub const MAX_VALUE_LEN: usize = 16 * 1024 * 1024;
/// The most bytes one evaluation may produce in all its steps.
pub const MAX_WORK: usize = 64 * 1024 * 1024;

/// A row of source attributes, looked up by name.
///
/// Names match exactly first, then ignoring ASCII case, as Entra's attribute names are not
/// case-sensitive (`[MailNickname]` reads `mailNickname`). Implemented for maps and slices of
/// name/value pairs; an attribute that is not there is null, one that is there with an empty
/// value is an empty string.
///
/// ```
/// use std::collections::HashMap;
/// use usernorm::entra::{Attributes, Value};
///
/// let row: HashMap<String, String> = [("mailNickname".to_owned(), "jdoe".to_owned())].into();
/// assert_eq!(row.get_attribute("MAILNICKNAME"), Some(Value::from("jdoe")));
/// assert_eq!([("mail", "")].get_attribute("mail"), Some(Value::from("")));
/// assert_eq!([("mail", "")].get_attribute("surname"), None);
/// ```
pub trait Attributes {
    /// The value of the attribute called `name`, or `None` when it is absent (null).
    fn get_attribute(&self, name: &str) -> Option<Value>;
}

/// Finds `name` exactly, then ignoring ASCII case.
fn find<'a, V: 'a>(
    pairs: impl Iterator<Item = (&'a str, &'a V)> + Clone,
    name: &str,
) -> Option<&'a V> {
    pairs
        .clone()
        .find(|(k, _)| *k == name)
        .or_else(|| {
            pairs
                .into_iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
        })
        .map(|(_, v)| v)
}

impl<S: BuildHasher> Attributes for HashMap<String, String, S> {
    fn get_attribute(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.get(name) {
            return Some(Value::String(v.clone()));
        }
        find(self.iter().map(|(k, v)| (k.as_str(), v)), name).map(|v| Value::String(v.clone()))
    }
}

impl<S: BuildHasher> Attributes for HashMap<String, Value, S> {
    fn get_attribute(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.get(name) {
            return Some(v.clone());
        }
        find(self.iter().map(|(k, v)| (k.as_str(), v)), name).cloned()
    }
}

impl Attributes for BTreeMap<String, String> {
    fn get_attribute(&self, name: &str) -> Option<Value> {
        find(self.iter().map(|(k, v)| (k.as_str(), v)), name).map(|v| Value::String(v.clone()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Attributes for [(K, V)] {
    fn get_attribute(&self, name: &str) -> Option<Value> {
        find(self.iter().map(|(k, v)| (k.as_ref(), v)), name).map(|v| Value::from(v.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Attributes for [(K, V); N] {
    fn get_attribute(&self, name: &str) -> Option<Value> {
        self.as_slice().get_attribute(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Attributes for Vec<(K, V)> {
    fn get_attribute(&self, name: &str) -> Option<Value> {
        self.as_slice().get_attribute(name)
    }
}

impl<T: Attributes + ?Sized> Attributes for &T {
    fn get_attribute(&self, name: &str) -> Option<Value> {
        (**self).get_attribute(name)
    }
}

/// The outcome of evaluating an expression on one row.
///
/// ```
/// use usernorm::entra::Expression;
///
/// let expr = Expression::parse("IgnoreFlowIfNullOrEmpty([department])")?;
/// let out = expr.evaluate(&[("department", "")])?;
/// assert!(out.value.is_null() && out.ignored && out.reproducible);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Evaluation {
    /// The value the provisioning service would send; null means it sends none.
    pub value: Value,
    /// False when a function whose result changes between runs, or depends on the service's
    /// clock or culture, was evaluated (`Guid`, `RandomString`, `Now`, date functions).
    pub reproducible: bool,
    /// True when `IgnoreFlowIfNullOrEmpty` dropped the attribute from the flow.
    pub ignored: bool,
}

/// A parsed expression, ready to evaluate on any number of rows.
///
/// Two expressions are equal when their trees are, whatever their spacing; `Display` prints an
/// expression back in a canonical form that parses to the same tree.
///
/// ```
/// use usernorm::entra::Expression;
///
/// let a = Expression::parse(r#"Append( [givenName],"x" )"#)?;
/// assert_eq!(a.to_string(), r#"Append([givenName], "x")"#);
/// assert_eq!(Expression::parse(&a.to_string())?, a);
/// # Ok::<(), usernorm::entra::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Expression {
    source: String,
    root: Node,
    regexes: HashMap<usize, Arc<DotNetRegex>>,
    engine: Arc<dyn RegexEngine>,
}

impl PartialEq for Expression {
    fn eq(&self, other: &Expression) -> bool {
        self.root == other.root
    }
}

impl Eq for Expression {}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.fmt(f)
    }
}

impl std::str::FromStr for Expression {
    type Err = Error;

    fn from_str(s: &str) -> Result<Expression, Error> {
        Expression::parse(s)
    }
}

impl Expression {
    /// Parses an expression. Regular expressions given as string literals are checked and
    /// compiled here, so an unsupported pattern is a parse error pointing at it. They run on
    /// the `regex` crate with the `entra-regex` feature; without it, a pattern is an error (see
    /// [`Expression::parse_with`]).
    ///
    /// ```
    /// use usernorm::entra::Expression;
    ///
    /// assert!(Expression::parse(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#).is_ok());
    /// let err = Expression::parse(r#"Replace([x], , "(?<=a)b", , "", , )"#).unwrap_err();
    /// assert!(err.message().contains("lookbehind"));
    /// ```
    ///
    /// # Errors
    /// A syntax error, an unknown function or a wrong number of arguments, nesting deeper than
    /// [`MAX_DEPTH`], input longer than [`MAX_EXPRESSION_LEN`], or an unsupported regular
    /// expression.
    pub fn parse(source: &str) -> Result<Expression, Error> {
        Expression::parse_with(source, regex::default_engine())
    }

    /// Parses an expression whose regular expressions run on `engine`, which compiles the
    /// string-literal patterns here and any computed one during evaluation.
    ///
    /// ```
    /// # #[cfg(feature = "entra-regex")] {
    /// use std::sync::Arc;
    /// use usernorm::entra::{Expression, RustRegex, Value};
    ///
    /// let expr = Expression::parse_with(r#"Replace([a], , "\\s+", , " ", , )"#, Arc::new(RustRegex))?;
    /// assert_eq!(expr.evaluate(&[("a", "Ann \t Lee")])?.value, Value::from("Ann Lee"));
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Expression::parse`]; a pattern the engine cannot compile is an error with the
    /// engine's message.
    pub fn parse_with(source: &str, engine: Arc<dyn RegexEngine>) -> Result<Expression, Error> {
        let root = parser::parse(source)?;
        let mut regexes = HashMap::new();
        let mut fault = None;
        root.walk(&mut |node| {
            let NodeKind::Call { name, args } = &node.kind else {
                return;
            };
            if name != "Replace" || fault.is_some() {
                return;
            }
            if let Some(Some(pattern)) = args.get(2)
                && let NodeKind::String(text) = &pattern.kind
            {
                if text.is_empty() {
                    return;
                }
                match DotNetRegex::new(text, engine.as_ref()) {
                    Ok(re) => {
                        regexes.insert(pattern.span.start, Arc::new(re));
                    }
                    Err(message) => fault = Some((pattern.span.clone(), message)),
                }
            }
        });
        if let Some((span, message)) = fault {
            return Err(Error::new(source, span, message));
        }
        Ok(Expression {
            source: source.to_owned(),
            root,
            regexes,
            engine,
        })
    }

    /// Evaluates the expression on one row of attributes.
    ///
    /// ```
    /// use usernorm::entra::{Expression, Value};
    ///
    /// let expr = Expression::parse(r#"Coalesce([mail], [userPrincipalName])"#)?;
    /// let row = [("userPrincipalName", "John.Doe@contoso.com")];
    /// assert_eq!(expr.evaluate(&row)?.value, Value::from("John.Doe@contoso.com"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// A value of the wrong kind for a function, an unsupported function (`SelectUniqueValue`),
    /// an IIF condition on a null or empty attribute (which fails in Entra too), or a value
    /// over the size limits.
    pub fn evaluate(&self, attributes: &(impl Attributes + ?Sized)) -> Result<Evaluation, Error> {
        let attrs: &dyn Attributes = &attributes;
        let outcome = eval::evaluate(&self.root, attrs, &self.regexes, self.engine.as_ref());
        match outcome.value {
            Ok(value) => Ok(Evaluation {
                value,
                reproducible: outcome.reproducible,
                ignored: outcome.ignored,
            }),
            Err(fault) => Err(fault.in_expression(&self.source)),
        }
    }

    /// The names of the attributes the expression reads, each once, in order of appearance.
    ///
    /// ```
    /// let expr = usernorm::entra::Expression::parse("Join(\" \", [givenName], [surname], [givenName])")?;
    /// assert_eq!(expr.attributes(), ["givenName", "surname"]);
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn attributes(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        self.root.walk(&mut |node| {
            if let NodeKind::Attribute(name) = &node.kind
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        });
        names
    }

    /// The names of the functions the expression calls, each once, in order of appearance.
    ///
    /// ```
    /// let expr = usernorm::entra::Expression::parse("ToLower(Append([a], Guid()))")?;
    /// assert_eq!(expr.functions(), ["ToLower", "Append", "Guid"]);
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn functions(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        self.root.walk(&mut |node| {
            if let NodeKind::Call { name, .. } = &node.kind
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        });
        names
    }

    /// Whether every function the expression calls gives the same answer on every run; false
    /// when it calls `Guid`, `RandomString`, `Now` or a date function.
    ///
    /// ```
    /// use usernorm::entra::Expression;
    /// assert!(Expression::parse("ToLower([mail])")?.is_reproducible());
    /// assert!(!Expression::parse("Append([mail], Guid())")?.is_reproducible());
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn is_reproducible(&self) -> bool {
        self.functions()
            .iter()
            .all(|f| functions::lookup(f).is_none_or(|s| s.reproducible))
    }

    /// The expression as it was written.
    ///
    /// ```
    /// let expr = usernorm::entra::Expression::parse("[mail]")?;
    /// assert_eq!(expr.source(), "[mail]");
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The root of the syntax tree.
    ///
    /// ```
    /// use usernorm::entra::{Expression, NodeKind};
    /// let expr = Expression::parse("[mail]")?;
    /// assert_eq!(expr.root().kind, NodeKind::Attribute("mail".into()));
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn root(&self) -> &Node {
        &self.root
    }
}

/// The names of every function of Microsoft's reference that the parser knows.
///
/// ```
/// assert!(usernorm::entra::function_names().any(|f| f == "NormalizeDiacritics"));
/// ```
pub fn function_names() -> impl Iterator<Item = &'static str> {
    functions::names()
}
