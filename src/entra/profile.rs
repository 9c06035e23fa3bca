//! Mapping profiles: which expression computes each SCIM attribute, and the SCIM User resource
//! they build together.

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value as Json, json};

use super::{Attributes, Error, Expression, Value};

const HUGGINGFACE_ENTRA: &str = include_str!("profiles/huggingface-entra.toml");
const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

/// A set of attribute mappings: SCIM target attribute -> Entra expression, in order.
///
/// The file format is TOML:
///
/// ```
/// use usernorm::entra::Profile;
///
/// let profile = Profile::from_toml(r#"
///     name = "acme"
///     [[mapping]]
///     target = "userName"
///     expression = 'ToLower([mailNickname])'
///     [[mapping]]
///     target = 'emails[type eq "work"].value'
///     expression = '[mail]'
/// "#)?;
/// let user = profile.evaluate(&[("mailNickname", "JDoe"), ("mail", "jdoe@acme.test")])?;
/// assert_eq!(user["userName"], "jdoe");
/// assert_eq!(user["emails"][0]["value"], "jdoe@acme.test");
/// assert_eq!(user["emails"][0]["primary"], true);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Profile {
    name: String,
    mappings: Vec<Mapping>,
}

/// One mapping of a [`Profile`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Mapping {
    /// The SCIM attribute, as Entra names it: `userName`, `name.givenName`,
    /// `emails[type eq "work"].value`, or an extension's `urn:...:attribute`.
    pub target: String,
    /// The expression that computes it.
    pub expression: Expression,
    /// Where the mapping comes from, if the file says.
    pub source: Option<String>,
}

/// A profile file that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileError {
    /// The file is not valid TOML of the profile's shape.
    Toml(String),
    /// A mapping's expression does not parse.
    Expression {
        /// The mapping's target attribute.
        target: String,
        /// The parse error, with its caret diagram.
        error: Error,
    },
    /// Two mappings have the same target.
    DuplicateTarget(String),
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileError::Toml(message) => write!(f, "invalid profile: {message}"),
            ProfileError::Expression { target, error } => {
                write!(f, "the mapping for `{target}`: {error}")
            }
            ProfileError::DuplicateTarget(target) => {
                write!(f, "invalid profile: `{target}` is mapped twice")
            }
        }
    }
}

impl std::error::Error for ProfileError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    mapping: Vec<MappingFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    target: String,
    expression: String,
    #[serde(default)]
    source: Option<String>,
}

impl Profile {
    /// Hugging Face's recommended Entra ID profile: `userName`, `active`,
    /// `emails[type eq "work"].value`, `name.givenName`, `name.familyName`, `externalId`.
    ///
    /// ```
    /// use usernorm::entra::Profile;
    ///
    /// let hf = Profile::huggingface_entra();
    /// let user = hf.evaluate(&[
    ///     ("mailNickname", "jean.luc"), ("IsSoftDeleted", "False"), ("mail", "jl@acme.test"),
    ///     ("givenName", "Jean-Luc"), ("surname", "Picard"), ("objectId", "0001"),
    /// ])?;
    /// assert_eq!(user, serde_json::json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///     "userName": "jeanluc",
    ///     "active": true,
    ///     "emails": [{"type": "work", "value": "jl@acme.test", "primary": true}],
    ///     "name": {"givenName": "Jean-Luc", "familyName": "Picard"},
    ///     "externalId": "0001",
    /// }));
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn huggingface_entra() -> Profile {
        match Profile::from_toml(HUGGINGFACE_ENTRA) {
            Ok(profile) => profile,
            // The built-in file is checked by a test; an empty profile is the safe fallback.
            Err(_) => Profile {
                name: "huggingface-entra".to_owned(),
                mappings: Vec::new(),
            },
        }
    }

    /// A built-in profile by name (`huggingface-entra`).
    ///
    /// ```
    /// assert!(usernorm::entra::Profile::builtin("huggingface-entra").is_some());
    /// assert!(usernorm::entra::Profile::builtin("nope").is_none());
    /// ```
    pub fn builtin(name: &str) -> Option<Profile> {
        (name == "huggingface-entra").then(Profile::huggingface_entra)
    }

    /// Loads a profile from TOML: `name`, optional `description`, and `[[mapping]]` tables
    /// with `target`, `expression` and optional `source`.
    ///
    /// # Errors
    /// Invalid TOML, an unknown field, an expression that does not parse, or a target mapped
    /// twice.
    ///
    /// ```
    /// use usernorm::entra::{Profile, ProfileError};
    /// let err = Profile::from_toml("name = \"x\"\n[[mapping]]\ntarget = \"userName\"\nexpression = \"[a\"").unwrap_err();
    /// assert!(matches!(err, ProfileError::Expression { .. }));
    /// ```
    pub fn from_toml(text: &str) -> Result<Profile, ProfileError> {
        let file: ProfileFile =
            toml::from_str(text).map_err(|e| ProfileError::Toml(e.message().to_owned()))?;
        let mut mappings: Vec<Mapping> = Vec::with_capacity(file.mapping.len());
        for m in file.mapping {
            if mappings.iter().any(|other| other.target == m.target) {
                return Err(ProfileError::DuplicateTarget(m.target));
            }
            let expression =
                Expression::parse(&m.expression).map_err(|error| ProfileError::Expression {
                    target: m.target.clone(),
                    error,
                })?;
            mappings.push(Mapping {
                target: m.target,
                expression,
                source: m.source,
            });
        }
        Ok(Profile {
            name: file.name,
            mappings,
        })
    }

    /// The profile's name.
    ///
    /// ```
    /// assert_eq!(usernorm::entra::Profile::huggingface_entra().name(), "huggingface-entra");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The mappings, in file order.
    ///
    /// ```
    /// let hf = usernorm::entra::Profile::huggingface_entra();
    /// assert_eq!(hf.mappings()[0].target, "userName");
    /// ```
    pub fn mappings(&self) -> &[Mapping] {
        &self.mappings
    }

    /// The expression for one target attribute.
    ///
    /// ```
    /// let hf = usernorm::entra::Profile::huggingface_entra();
    /// assert_eq!(hf.expression("userName").map(|e| e.attributes()), Some(vec!["mailNickname"]));
    /// ```
    pub fn expression(&self, target: &str) -> Option<&Expression> {
        self.mappings
            .iter()
            .find(|m| m.target == target)
            .map(|m| &m.expression)
    }

    /// Evaluates every mapping on a row and builds the SCIM User resource. Attributes whose
    /// expression yields null are left out, as Entra leaves them out; `active` becomes a JSON
    /// boolean.
    ///
    /// # Errors
    /// The first mapping that fails to evaluate.
    ///
    /// ```
    /// let hf = usernorm::entra::Profile::huggingface_entra();
    /// let user = hf.evaluate(&[("mailNickname", "ann")])?;
    /// assert_eq!(user, serde_json::json!({
    ///     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    ///     "userName": "ann",
    /// }));
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn evaluate(&self, attributes: &(impl Attributes + ?Sized)) -> Result<Json, Error> {
        let mut user = Map::new();
        user.insert("schemas".to_owned(), json!([USER_SCHEMA]));
        for m in &self.mappings {
            let value = m.expression.evaluate(attributes)?.value;
            if value.is_null() {
                continue;
            }
            set(&mut user, &m.target, to_json(&m.target, value));
        }
        Ok(Json::Object(user))
    }
}

fn to_json(target: &str, value: Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Number(n) => json!(n),
        Value::Multi(items) => json!(items),
        Value::String(s) if target == "active" => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            _ => Json::String(s),
        },
        other => Json::String(other.as_text().map(|t| t.into_owned()).unwrap_or_default()),
    }
}

/// Sets `target` in the resource: `a`, `a.b`, `a[type eq "x"].b`, or `urn:...:a`.
fn set(user: &mut Map<String, Json>, target: &str, value: Json) {
    if target.starts_with("urn:")
        && let Some((schema, attr)) = target.rsplit_once(':')
    {
        if let Some(Json::Array(schemas)) = user.get_mut("schemas")
            && !schemas.iter().any(|s| s == schema)
        {
            schemas.push(Json::String(schema.to_owned()));
        }
        let ext = user
            .entry(schema.to_owned())
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(ext) = ext {
            set(ext, attr, value);
        }
        return;
    }
    let (head, rest) = match target.find(['.', '[']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    if rest.is_empty() {
        user.insert(head.to_owned(), value);
    } else if let Some(sub) = rest.strip_prefix('.') {
        let child = user
            .entry(head.to_owned())
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(child) = child {
            set(child, sub, value);
        }
    } else if let Some((filter, sub)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        // `type eq "work"` -> an element {type: "work", primary: true} of the array `head`.
        let mut words = filter.splitn(3, ' ');
        let (Some(key), Some(_op), Some(raw)) = (words.next(), words.next(), words.next()) else {
            user.insert(target.to_owned(), value);
            return;
        };
        let wanted = raw.trim().trim_matches('"');
        let list = user
            .entry(head.to_owned())
            .or_insert_with(|| Json::Array(Vec::new()));
        let Json::Array(list) = list else { return };
        let index = match list
            .iter()
            .position(|e| e.get(key).and_then(Json::as_str) == Some(wanted))
        {
            Some(i) => i,
            None => {
                let mut element = Map::new();
                element.insert(key.to_owned(), Json::String(wanted.to_owned()));
                if list.is_empty() {
                    element.insert("primary".to_owned(), Json::Bool(true));
                }
                list.push(Json::Object(element));
                list.len() - 1
            }
        };
        if let Some(Json::Object(element)) = list.get_mut(index) {
            let sub = sub.strip_prefix('.').unwrap_or("value");
            set(element, sub, value);
        }
    } else {
        user.insert(target.to_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profile_parses() {
        let parsed = Profile::from_toml(HUGGINGFACE_ENTRA);
        assert!(parsed.is_ok(), "{parsed:?}");
        assert_eq!(Profile::huggingface_entra().mappings().len(), 6);
    }
}
