//! The provisioning schema an admin downloads from Entra (Provisioning → Attribute mappings →
//! Review your schema → Download; Graph
//! `GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema`): what the user mapping
//! to the SCIM application sends, when, and how users are matched.

use std::collections::BinaryHeap;
use std::fmt;

use serde_json::{Map, Value};

/// The largest schema file read, in bytes: 16 MiB (a downloaded schema, directory definitions
/// and all, is well under a megabyte).
pub const MAX_SCHEMA_BYTES: usize = 16 * 1024 * 1024;

/// When Entra applies an attribute mapping ("Apply this mapping" in the portal; `flowType` in
/// the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowType {
    /// On creation and on every update (`Always`, the default): a changed source value is sent
    /// to matched users too. For `userName`, a rename.
    Always,
    /// Only when the user is created (`ObjectAddOnly`, "Only during creation"): matched users
    /// keep their value.
    ObjectAddOnly,
    /// Only when values are added to a multi-valued attribute (`MultiValueAddOnly`).
    MultiValueAddOnly,
    /// Only adding values; removals do not flow (`ValueAddOnly`).
    ValueAddOnly,
    /// Only when the target has no value yet (`AttributeAddOnly`).
    AttributeAddOnly,
}

impl FlowType {
    const ALL: [(&'static str, FlowType); 5] = [
        ("Always", FlowType::Always),
        ("ObjectAddOnly", FlowType::ObjectAddOnly),
        ("MultiValueAddOnly", FlowType::MultiValueAddOnly),
        ("ValueAddOnly", FlowType::ValueAddOnly),
        ("AttributeAddOnly", FlowType::AttributeAddOnly),
    ];

    /// The name the schema gives it.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("Always", |(name, _)| name)
    }

    /// Whether a changed value reaches users that already exist (matched users): only
    /// [`FlowType::Always`] sends it.
    pub fn updates_existing(self) -> bool {
        self == FlowType::Always
    }
}

impl fmt::Display for FlowType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What Entra may do to target objects ("Target Object Actions"; the object mapping's
/// `flowTypes`, `Add, Update, Delete` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectFlows {
    /// Create users (`Add`).
    pub add: bool,
    /// Update matched users, disabling included (`Update`).
    pub update: bool,
    /// Delete the target user once the source user is hard-deleted (`Delete`). Under Hugging
    /// Face's Managed SSO that deletes the Hub account and its content.
    pub delete: bool,
}

/// One attribute mapping: what Entra sends to a target attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeMapping {
    /// The target (SCIM) attribute: `userName`, `externalId`, `emails[type eq "work"].value`.
    pub target: String,
    /// The source as an Entra expression (`[objectId]`, `Replace([mailNickname], ...)`):
    /// the schema's `source.expression`, or built from the source's `type`, `name` and
    /// `parameters` when the schema has none. `None` when the mapping has no source (a
    /// default value only).
    pub expression: Option<String>,
    /// When the mapping applies.
    pub flow_type: FlowType,
    /// Its matching precedence: above 0 it is a matching attribute, the lowest first.
    pub matching_priority: i64,
    /// The value sent on creation when the source is null.
    pub default_value: Option<String>,
    /// Where it is in the schema: `synchronizationRules[0].objectMappings[1].attributeMappings[0]`.
    pub path: String,
}

impl AttributeMapping {
    /// Whether users are matched on it (`matchingPriority` above 0).
    pub fn is_matching(&self) -> bool {
        self.matching_priority > 0
    }
}

/// The user mapping of a provisioning schema: the parts that decide what Entra does to each
/// user of the SCIM application.
///
/// ```
/// use usernorm::entra::{FlowType, ProvisioningSchema};
///
/// let schema = ProvisioningSchema::parse(r#"{"synchronizationRules": [{"objectMappings": [{
///     "sourceObjectName": "User",
///     "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
///     "flowTypes": "Add, Update, Delete",
///     "attributeMappings": [
///       {"targetAttributeName": "userName", "flowType": "ObjectAddOnly",
///        "source": {"expression": "Replace([mailNickname], \".\", \"\", \"\", \"\", \"\", \"\")"}},
///       {"targetAttributeName": "externalId", "matchingPriority": 1,
///        "source": {"type": "Attribute", "name": "objectId"}}
///     ]}]}]}"#)?;
/// assert_eq!(schema.user_name.flow_type, FlowType::ObjectAddOnly);
/// assert!(!schema.renames()); // userName is sent only on creation
/// assert!(schema.flows.delete);
/// assert_eq!(schema.external_id.unwrap().expression.as_deref(), Some("[objectId]"));
/// assert_eq!(schema.matching[0].target, "externalId");
/// # Ok::<(), usernorm::entra::SchemaError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisioningSchema {
    /// Where the user object mapping is: `synchronizationRules[0].objectMappings[1]`.
    pub path: String,
    /// Its name (`Provision Microsoft Entra ID Users`), when it has one.
    pub name: Option<String>,
    /// The source object (`User`).
    pub source_object: String,
    /// The target object (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`).
    pub target_object: String,
    /// Whether the mapping is enabled. A disabled one provisions no users.
    pub enabled: bool,
    /// The target object actions.
    pub flows: ObjectFlows,
    /// Whether a scoping filter limits which users it provisions.
    pub scoped: bool,
    /// The mapping to `userName`.
    pub user_name: AttributeMapping,
    /// The mapping to `externalId`, if any.
    pub external_id: Option<AttributeMapping>,
    /// The mapping to `active`, if any.
    pub active: Option<AttributeMapping>,
    /// The matching attributes, by precedence (the lowest `matchingPriority` first). Empty
    /// when the schema has none: Entra then cannot match, and every user would fail.
    pub matching: Vec<AttributeMapping>,
    /// Every attribute mapping of the user object, in order.
    pub mappings: Vec<AttributeMapping>,
}

/// A schema that cannot be read: what is missing or wrong, and where (the JSON path, or the
/// line and column of malformed JSON).
///
/// ```
/// use usernorm::entra::ProvisioningSchema;
///
/// let e = ProvisioningSchema::parse("{\"synchronizationRules\": [\n  {,}]}").unwrap_err();
/// assert_eq!((e.line, e.column), (Some(2), Some(4)));
/// let e = ProvisioningSchema::parse(r#"{"synchronizationRules": []}"#).unwrap_err();
/// assert!(e.to_string().contains("no object mapping from `User`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The JSON path of what is wrong (`synchronizationRules[0].objectMappings`), when known.
    pub path: Option<String>,
    /// The 1-based line of malformed JSON.
    pub line: Option<usize>,
    /// The 1-based column of malformed JSON.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl SchemaError {
    fn at(path: &str, message: impl Into<String>) -> SchemaError {
        SchemaError {
            path: Some(path.to_owned()),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column, &self.path) {
            (Some(line), Some(column), _) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None, _) => write!(f, "line {line}: ")?,
            (None, _, Some(path)) if !path.is_empty() => write!(f, "at {path}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for SchemaError {}

impl ProvisioningSchema {
    /// Reads a downloaded provisioning schema: the object with `synchronizationRules` (or a
    /// synchronization template that holds it under `schema`). Property names are matched
    /// exactly, then in any case.
    ///
    /// The user mapping is the enabled object mapping whose `sourceObjectName` is `User` and
    /// whose `targetObjectName` is a user (ends in `User`: the SCIM user schema, or `User`);
    /// when none is enabled, the first such mapping (then [`enabled`](Self::enabled) is
    /// `false`). Its `flowTypes` default to `Add, Update, Delete`, `enabled` to `true`; an
    /// attribute mapping's `flowType` to `Always` and `matchingPriority` to 0. Target names
    /// (`userName`, `externalId`, `active`) are matched in any case, as SCIM's are.
    ///
    /// # Errors
    /// Malformed JSON (with its line and column), or longer than [`MAX_SCHEMA_BYTES`]; no
    /// `synchronizationRules`; no user mapping, or two enabled ones; no mapping to `userName`,
    /// or two mappings to one of `userName`, `externalId`, `active`; a value of the wrong type
    /// or an unknown `flowType`/`flowTypes` (with its JSON path); a source without the name
    /// its expression would be built from.
    pub fn parse(text: &str) -> Result<ProvisioningSchema, SchemaError> {
        if text.len() > MAX_SCHEMA_BYTES {
            return Err(SchemaError::at(
                "",
                format!("longer than {MAX_SCHEMA_BYTES} bytes, the most a schema may be"),
            ));
        }
        let value: Value = serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text))
            .map_err(|e| {
                let text = e.to_string();
                let message = text
                    .rsplit_once(" at line ")
                    .map_or(text.as_str(), |(m, _)| m);
                SchemaError {
                    path: None,
                    line: Some(e.line()),
                    column: Some(e.column()),
                    message: format!("not JSON: {message}"),
                }
            })?;
        ProvisioningSchema::from_value(&value)
    }

    /// Reads a provisioning schema already parsed as JSON (by a caller with a JSON parser of
    /// its own: the browser package's `JSON.parse`), as [`parse`](Self::parse) does.
    ///
    /// ```
    /// use usernorm::entra::ProvisioningSchema;
    ///
    /// let value = serde_json::json!({"synchronizationRules": [{"objectMappings": [{
    ///     "sourceObjectName": "User", "targetObjectName": "User",
    ///     "attributeMappings": [{"targetAttributeName": "userName",
    ///                            "source": {"expression": "[mailNickname]"}}]}]}]});
    /// let schema = ProvisioningSchema::from_value(&value)?;
    /// assert_eq!(schema.user_name.expression.as_deref(), Some("[mailNickname]"));
    /// # Ok::<(), usernorm::entra::SchemaError>(())
    /// ```
    ///
    /// # Errors
    /// As [`parse`](Self::parse), but for malformed JSON and the size limit.
    pub fn from_value(value: &Value) -> Result<ProvisioningSchema, SchemaError> {
        let root = object(value, "")?;
        let (rules, prefix) = match (field(root, "synchronizationRules"), field(root, "schema")) {
            (Some(rules), _) => (rules, String::new()),
            (None, Some(Value::Object(schema)))
                if field(schema, "synchronizationRules").is_some() =>
            {
                (
                    field(schema, "synchronizationRules").unwrap_or(&Value::Null),
                    "schema.".to_owned(),
                )
            }
            _ => {
                return Err(SchemaError::at(
                    "",
                    "no `synchronizationRules`: is this the schema downloaded from Attribute \
                     mappings -> Review your schema?",
                ));
            }
        };
        let path = format!("{prefix}synchronizationRules");
        let mut users = Vec::new();
        for (i, rule) in array(rules, &path)?.iter().enumerate() {
            let path = format!("{path}[{i}]");
            let rule = object(rule, &path)?;
            let Some(mappings) = field(rule, "objectMappings") else {
                continue;
            };
            let path = format!("{path}.objectMappings");
            for (j, mapping) in array(mappings, &path)?.iter().enumerate() {
                let path = format!("{path}[{j}]");
                let mapping = object(mapping, &path)?;
                let source = string(mapping, "sourceObjectName", &path)?;
                let target = string(mapping, "targetObjectName", &path)?;
                let is_user = source.is_some_and(|s| s.eq_ignore_ascii_case("User"))
                    && target.is_some_and(|t| ends_with_ignore_case(t, "User"));
                if is_user {
                    let enabled = boolean(mapping, "enabled", &path)?.unwrap_or(true);
                    users.push((path, mapping, enabled));
                }
            }
        }
        let enabled: Vec<_> = users.iter().filter(|(_, _, on)| *on).collect();
        let (path, mapping, enabled) = match (enabled.as_slice(), users.first()) {
            ([one], _) => (*one).clone(),
            ([a, b, ..], _) => {
                return Err(SchemaError::at(
                    &a.0,
                    format!(
                        "two enabled object mappings from `User`, here and at {}: usernorm \
                         reads one",
                        b.0
                    ),
                ));
            }
            ([], Some(first)) => first.clone(),
            ([], None) => {
                return Err(SchemaError::at(
                    &path,
                    "no object mapping from `User` to a user object: the schema provisions no \
                     users",
                ));
            }
        };
        user_mapping(path, mapping, enabled)
    }

    /// Whether a changed `userName` renames users that already exist: the mapping applies
    /// [`FlowType::Always`] and the object mapping may update users.
    pub fn renames(&self) -> bool {
        self.flows.update && self.user_name.flow_type.updates_existing()
    }
}

fn user_mapping(
    path: String,
    mapping: &Map<String, Value>,
    enabled: bool,
) -> Result<ProvisioningSchema, SchemaError> {
    let flows = match field(mapping, "flowTypes") {
        None | Some(Value::Null) => ObjectFlows {
            add: true,
            update: true,
            delete: true,
        },
        Some(Value::String(text)) => flow_types(text, &format!("{path}.flowTypes"))?,
        Some(other) => return Err(wrong_type(&format!("{path}.flowTypes"), other, "a string")),
    };
    let scoped = !matches!(field(mapping, "scope"), None | Some(Value::Null));
    let list_path = format!("{path}.attributeMappings");
    let list = field(mapping, "attributeMappings")
        .ok_or_else(|| SchemaError::at(&path, "the user mapping has no `attributeMappings`"))?;
    let mut mappings = Vec::new();
    for (i, item) in array(list, &list_path)?.iter().enumerate() {
        mappings.push(attribute_mapping(item, &format!("{list_path}[{i}]"))?);
    }
    let only = |target: &str| -> Result<Option<AttributeMapping>, SchemaError> {
        let mut found = mappings
            .iter()
            .filter(|m| m.target.eq_ignore_ascii_case(target));
        match (found.next(), found.next()) {
            (Some(a), Some(b)) => Err(SchemaError::at(
                &a.path,
                format!("`{target}` is mapped twice, here and at {}", b.path),
            )),
            (found, _) => Ok(found.cloned()),
        }
    };
    let user_name =
        only("userName")?.ok_or_else(|| SchemaError::at(&list_path, "no mapping to `userName`"))?;
    let (external_id, active) = (only("externalId")?, only("active")?);
    // By precedence, equal ones in the schema's order: (precedence, position) pairs through a
    // heap sort, a fraction of the code of a stable sort of the mappings (1 KB gzipped of the
    // browser build), and O(n log n) however many a schema has.
    let order: Vec<(i64, usize)> = (mappings.iter().enumerate())
        .filter(|(_, m)| m.is_matching())
        .map(|(i, m)| (m.matching_priority, i))
        .collect();
    let matching: Vec<AttributeMapping> = (BinaryHeap::from(order).into_sorted_vec().into_iter())
        .filter_map(|(_, i)| mappings.get(i).cloned())
        .collect();
    Ok(ProvisioningSchema {
        name: string(mapping, "name", &path)?.map(str::to_owned),
        source_object: string(mapping, "sourceObjectName", &path)?
            .unwrap_or_default()
            .to_owned(),
        target_object: string(mapping, "targetObjectName", &path)?
            .unwrap_or_default()
            .to_owned(),
        path,
        enabled,
        flows,
        scoped,
        user_name,
        external_id,
        active,
        matching,
        mappings,
    })
}

fn attribute_mapping(item: &Value, path: &str) -> Result<AttributeMapping, SchemaError> {
    let item = object(item, path)?;
    let target = string(item, "targetAttributeName", path)?
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| SchemaError::at(path, "no `targetAttributeName`"))?
        .to_owned();
    let flow_type = match string(item, "flowType", path)? {
        None => FlowType::Always,
        Some(text) => FlowType::ALL
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                SchemaError::at(
                    &format!("{path}.flowType"),
                    format!(
                        "`{text}` is not a flow type ({})",
                        FlowType::ALL.map(|(n, _)| n).join(", ")
                    ),
                )
            })?,
    };
    let matching_priority = match field(item, "matchingPriority") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
        Some(other) => {
            return Err(wrong_type(
                &format!("{path}.matchingPriority"),
                other,
                "a whole number",
            ));
        }
    };
    let expression = match field(item, "source") {
        None | Some(Value::Null) => None,
        Some(source) => Some(expression(source, &format!("{path}.source"))?),
    };
    Ok(AttributeMapping {
        target,
        expression,
        flow_type,
        matching_priority,
        default_value: string(item, "defaultValue", path)?.map(str::to_owned),
        path: path.to_owned(),
    })
}

/// A mapping source as an expression: its own `expression`, or one built from its `type`,
/// `name` and `parameters` (each a `{key, value}` whose value is a source).
fn expression(source: &Value, path: &str) -> Result<String, SchemaError> {
    let source = object(source, path)?;
    if let Some(text) = string(source, "expression", path)?.filter(|t| !t.trim().is_empty()) {
        return Ok(text.to_owned());
    }
    let name = string(source, "name", path)?;
    let kind = string(source, "type", path)?.unwrap_or("Attribute");
    let missing = || SchemaError::at(path, "a source with neither `expression` nor `name`");
    if kind.eq_ignore_ascii_case("Attribute") {
        Ok(format!("[{}]", name.ok_or_else(missing)?))
    } else if kind.eq_ignore_ascii_case("Constant") {
        let value = name.ok_or_else(missing)?;
        Ok(format!(
            "\"{}\"",
            value.replace('\\', "\\\\").replace('"', "\\\"")
        ))
    } else if kind.eq_ignore_ascii_case("Function") {
        let name = name.ok_or_else(missing)?;
        let params_path = format!("{path}.parameters");
        let params = match field(source, "parameters") {
            None | Some(Value::Null) => &[][..],
            Some(params) => array(params, &params_path)?.as_slice(),
        };
        let mut arguments = Vec::with_capacity(params.len());
        for (i, param) in params.iter().enumerate() {
            let path = format!("{params_path}[{i}]");
            let value = field(object(param, &path)?, "value")
                .ok_or_else(|| SchemaError::at(&path, "a parameter without a `value`"))?;
            arguments.push(expression(value, &format!("{path}.value"))?);
        }
        Ok(format!("{name}({})", arguments.join(", ")))
    } else {
        Err(SchemaError::at(
            &format!("{path}.type"),
            format!("`{kind}` is not a source type (Attribute, Constant, Function)"),
        ))
    }
}

fn flow_types(text: &str, path: &str) -> Result<ObjectFlows, SchemaError> {
    let mut flows = ObjectFlows {
        add: false,
        update: false,
        delete: false,
    };
    for token in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let flag = match token.to_ascii_lowercase().as_str() {
            "add" => &mut flows.add,
            "update" => &mut flows.update,
            "delete" => &mut flows.delete,
            "none" => continue,
            _ => {
                return Err(SchemaError::at(
                    path,
                    format!("`{token}` is not a target object action (Add, Update, Delete)"),
                ));
            }
        };
        *flag = true;
    }
    Ok(flows)
}

/// The property of that name, exactly or else in any case.
fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, SchemaError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(wrong_type(path, other, "an object")),
    }
}

fn array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, SchemaError> {
    match value {
        Value::Array(items) => Ok(items),
        other => Err(wrong_type(path, other, "an array")),
    }
}

/// A string property; `None` when absent or null.
fn string<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<&'a str>, SchemaError> {
    match field(object, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type(&format!("{path}.{name}"), other, "a string")),
    }
}

/// A boolean property (or the string `true`/`false`); `None` when absent or null.
fn boolean(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<bool>, SchemaError> {
    match field(object, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(wrong_type(&format!("{path}.{name}"), other, "a boolean")),
    }
}

fn wrong_type(path: &str, value: &Value, expected: &str) -> SchemaError {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    SchemaError::at(path, format!("{found}, where {expected} belongs"))
}

fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text
            .get(text.len() - suffix.len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

#[cfg(test)]
mod tests;
