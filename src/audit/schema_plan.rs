//! What a provisioning schema downloaded from Entra sets for the audit: the userName mapping,
//! the matching attribute and whether matched users are renamed (SPEC section 8,
//! `--entra-schema`). Shared by the CLI and the browser package, which parse the mapping each
//! with their own regular-expression engine.

use super::plan::{Matching, Plan};
use crate::entra::{ProvisioningSchema, SchemaError};

/// The plan's settings from a [`ProvisioningSchema`]: the userName mapping's expression, how
/// rows are matched to members and whether a matched member's new name is applied.
///
/// ```
/// use usernorm::audit::{Matching, SchemaPlan};
/// use usernorm::entra::ProvisioningSchema;
///
/// let schema = ProvisioningSchema::parse(r#"{"synchronizationRules": [{"objectMappings": [{
///     "sourceObjectName": "User", "targetObjectName": "User", "flowTypes": "Add, Update",
///     "attributeMappings": [
///       {"targetAttributeName": "userName", "flowType": "ObjectAddOnly",
///        "source": {"expression": "[mailNickname]"}},
///       {"targetAttributeName": "externalId", "matchingPriority": 1,
///        "source": {"expression": "[employeeId]"}}
///     ]}]}]}"#)?;
/// let settings = SchemaPlan::new(&schema)?;
/// assert_eq!(settings.expression, "[mailNickname]");
/// assert_eq!(settings.matching, Matching::ExternalId);
/// assert_eq!(settings.match_column.as_deref(), Some("employeeId"));
/// assert!(!settings.renames); // userName applies only on creation
/// assert!(settings.warnings.is_empty()); // no Delete among the object actions
/// # Ok::<(), usernorm::entra::SchemaError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaPlan {
    /// The userName mapping's source expression (parse it with
    /// [`EntraMapping`](super::EntraMapping), or the caller's own regular-expression engine).
    pub expression: String,
    /// Where the userName mapping is in the schema, for messages about its expression.
    pub path: String,
    /// How rows are matched to members: the schema's first matching attribute.
    pub matching: Matching,
    /// The export's column holding the matching value, when `externalId` is mapped from an
    /// attribute other than `objectId` (see [`Plan::match_column`]).
    pub match_column: Option<String>,
    /// Whether matched members take a changed name ([`ProvisioningSchema::renames`]).
    pub renames: bool,
    /// Warnings for the summary: a schema whose target object actions include Delete.
    pub warnings: Vec<String>,
}

impl SchemaPlan {
    /// The settings `schema` gives.
    ///
    /// # Errors
    /// The userName mapping has no source (only a default value); the schema has no matching
    /// attribute, matches on an attribute other than `externalId` or `userName`, or maps
    /// `externalId` from anything but a plain source attribute (`[objectId]`).
    pub fn new(schema: &ProvisioningSchema) -> Result<SchemaPlan, SchemaError> {
        let expression = schema.user_name.expression.clone().ok_or_else(|| {
            error(format!(
                "the userName mapping ({}) has no source, only a default value",
                schema.user_name.path
            ))
        })?;
        let (matching, match_column) = matching(schema).map_err(error)?;
        let mut warnings = Vec::new();
        if schema.flows.delete {
            warnings.push(
                "the schema's target object actions include Delete: once Entra hard-deletes a \
                 user (30 days after a soft delete, or at once when purged), it deletes the \
                 Hugging Face account, and under managed SSO its content with it; clear Delete \
                 under Provisioning > Mappings > Target Object Actions to keep accounts"
                    .to_owned(),
            );
        }
        Ok(SchemaPlan {
            expression,
            path: schema.user_name.path.clone(),
            matching,
            match_column,
            renames: schema.renames(),
            warnings,
        })
    }

    /// `plan` with these settings.
    ///
    /// ```
    /// use usernorm::audit::{Matching, Plan, SchemaPlan};
    /// use usernorm::{OrgSnapshot, Policy};
    ///
    /// let org = OrgSnapshot::from_names(&Policy::huggingface(), ["jdoe"]);
    /// let settings = SchemaPlan {
    ///     expression: "[mailNickname]".into(),
    ///     path: "synchronizationRules[0].objectMappings[0].attributeMappings[0]".into(),
    ///     matching: Matching::UserName,
    ///     match_column: None,
    ///     renames: false,
    ///     warnings: vec!["a warning".into()],
    /// };
    /// let plan = settings.apply(Plan::new(&org));
    /// # let _ = plan;
    /// ```
    pub fn apply<'a>(&self, plan: Plan<'a>) -> Plan<'a> {
        let mut plan = plan.matching(self.matching).renames(self.renames);
        if let Some(column) = &self.match_column {
            plan = plan.match_column(column.clone());
        }
        for warning in &self.warnings {
            plan = plan.warning(warning.clone());
        }
        plan
    }
}

fn error(message: String) -> SchemaError {
    SchemaError {
        path: None,
        line: None,
        column: None,
        message,
    }
}

/// How the schema's first matching attribute matches rows: `externalId` from a plain source
/// attribute (its column holds the matching value), or `userName`.
fn matching(schema: &ProvisioningSchema) -> Result<(Matching, Option<String>), String> {
    let Some(first) = schema.matching.first() else {
        return Err("the user mapping has no matching attribute (matchingPriority above 0)".into());
    };
    if first.target.eq_ignore_ascii_case("userName") {
        return Ok((Matching::UserName, None));
    }
    if !first.target.eq_ignore_ascii_case("externalId") {
        return Err(format!(
            "the matching attribute is `{}`; usernorm matches on externalId or userName",
            first.target
        ));
    }
    let expression = first.expression.as_deref().unwrap_or_default().trim();
    let attribute = expression
        .strip_prefix('[')
        .and_then(|e| e.strip_suffix(']'))
        .filter(|a| !a.contains(['[', ']']));
    match attribute {
        Some(a) if a.eq_ignore_ascii_case("objectId") => Ok((Matching::ExternalId, None)),
        Some(a) => Ok((Matching::ExternalId, Some(a.to_owned()))),
        None => Err(format!(
            "externalId, the matching attribute, is mapped from `{expression}`; usernorm \
             matches on a plain source attribute such as [objectId]"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(mappings: &str, flows: &str) -> ProvisioningSchema {
        let text = format!(
            r#"{{"synchronizationRules": [{{"objectMappings": [{{
                "sourceObjectName": "User", "targetObjectName": "User", "flowTypes": "{flows}",
                "attributeMappings": [{mappings}]}}]}}]}}"#
        );
        ProvisioningSchema::parse(&text).expect("schema")
    }

    const USER_NAME: &str = r#"{"targetAttributeName": "userName",
        "source": {"expression": "Replace([mailNickname], \".\", \"\", \"\", \"\", \"\", \"\")"}}"#;

    #[test]
    fn hugging_faces_mapping_matches_on_the_object_id_and_renames() {
        let ext = r#"{"targetAttributeName": "externalId", "matchingPriority": 1,
            "source": {"type": "Attribute", "name": "objectId"}}"#;
        let s = SchemaPlan::new(&schema(
            &format!("{USER_NAME}, {ext}"),
            "Add, Update, Delete",
        ))
        .expect("settings");
        assert_eq!(s.matching, Matching::ExternalId);
        assert_eq!(s.match_column, None);
        assert!(s.renames);
        assert_eq!(s.warnings.len(), 1);
        assert!(
            s.warnings[0].contains("include Delete"),
            "{}",
            s.warnings[0]
        );
        assert!(s.expression.starts_with("Replace([mailNickname]"));
    }

    #[test]
    fn matching_on_user_name_needs_no_column() {
        let s = SchemaPlan::new(&schema(
            r#"{"targetAttributeName": "userName", "matchingPriority": 1,
                "source": {"expression": "[mailNickname]"}}"#,
            "Add, Update",
        ))
        .expect("settings");
        assert_eq!((s.matching, s.match_column), (Matching::UserName, None));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn unusable_schemas_say_why() {
        let message = |mappings: &str| {
            SchemaPlan::new(&schema(mappings, "Add, Update"))
                .expect_err("refused")
                .to_string()
        };
        assert!(message(USER_NAME).contains("no matching attribute"));
        let mail = r#"{"targetAttributeName": "emails", "matchingPriority": 1,
            "source": {"expression": "[mail]"}}"#;
        assert!(
            message(&format!("{USER_NAME}, {mail}")).contains("the matching attribute is `emails`")
        );
        let joined = r#"{"targetAttributeName": "externalId", "matchingPriority": 1,
            "source": {"expression": "Join(\"-\", [a], [b])"}}"#;
        assert!(message(&format!("{USER_NAME}, {joined}")).contains("plain source attribute"));
        let default_only = r#"{"targetAttributeName": "userName", "matchingPriority": 1,
            "defaultValue": "x", "source": null}"#;
        assert!(message(default_only).contains("has no source, only a default value"));
    }
}
