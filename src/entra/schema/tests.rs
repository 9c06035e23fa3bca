//! The schema parser on the example schema and its variants.

use super::*;

const EXAMPLE: &str = include_str!("../../../examples/entra-schema.json");

/// The example with `edit` applied to its user object mapping.
fn variant(edit: impl FnOnce(&mut Map<String, Value>)) -> Result<ProvisioningSchema, SchemaError> {
    let mut value: Value = serde_json::from_str(EXAMPLE).expect("the example is JSON");
    let mapping = value["synchronizationRules"][0]["objectMappings"][1]
        .as_object_mut()
        .expect("the user mapping");
    edit(mapping);
    ProvisioningSchema::parse(&value.to_string())
}

fn attribute_mappings(m: &mut Map<String, Value>) -> &mut Vec<Value> {
    m.get_mut("attributeMappings")
        .and_then(Value::as_array_mut)
        .expect("attributeMappings")
}

#[test]
fn the_example_is_hugging_faces_recommended_mapping() {
    let s = ProvisioningSchema::parse(EXAMPLE).expect("the example parses");
    assert_eq!(s.path, "synchronizationRules[0].objectMappings[1]");
    assert_eq!(
        s.name.as_deref(),
        Some("Provision Microsoft Entra ID Users")
    );
    assert_eq!(
        s.user_name.expression.as_deref(),
        Some(r#"Replace([mailNickname], ".", "", "", "", "", "")"#)
    );
    assert_eq!(s.user_name.flow_type, FlowType::Always);
    assert!(s.renames());
    assert_eq!(
        s.active.as_ref().and_then(|a| a.expression.as_deref()),
        Some(r#"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#)
    );
    let ext = s.external_id.as_ref().expect("externalId");
    assert_eq!(
        (ext.expression.as_deref(), ext.matching_priority),
        (Some("[objectId]"), 1)
    );
    assert_eq!(s.matching.len(), 1);
    assert_eq!(s.matching[0].target, "externalId");
    assert_eq!(
        s.flows,
        ObjectFlows {
            add: true,
            update: true,
            delete: true
        }
    );
    assert!(s.enabled && !s.scoped);
    assert_eq!(s.mappings.len(), 6);
    // Every expression of the example is one the evaluator reads.
    for m in &s.mappings {
        let text = m.expression.as_deref().expect("a source");
        assert!(crate::entra::Expression::parse(text).is_ok(), "{text}");
    }
}

#[test]
fn user_name_only_on_creation_means_no_renames() {
    let s = variant(|m| {
        attribute_mappings(m)[0]["flowType"] = "ObjectAddOnly".into();
        m.insert("flowTypes".into(), "Add,Update".into());
    })
    .expect("parses");
    assert_eq!(s.user_name.flow_type, FlowType::ObjectAddOnly);
    assert!(!s.renames() && !s.flows.delete && s.flows.update);
}

#[test]
fn matching_attributes_come_by_precedence_or_not_at_all() {
    let s = variant(|m| {
        attribute_mappings(m)[5]["matchingPriority"] = 0.into();
    })
    .expect("parses");
    assert!(s.matching.is_empty());
    let s = variant(|m| {
        attribute_mappings(m)[0]["matchingPriority"] = 2.into();
    })
    .expect("parses");
    let targets: Vec<_> = s.matching.iter().map(|m| m.target.as_str()).collect();
    assert_eq!(targets, ["externalId", "userName"]);
    // Equal precedence keeps the schema's order.
    let s = variant(|m| {
        attribute_mappings(m)[0]["matchingPriority"] = 1.into();
    })
    .expect("parses");
    let targets: Vec<_> = s.matching.iter().map(|m| m.target.as_str()).collect();
    assert_eq!(targets, ["userName", "externalId"]);
}

#[test]
fn a_schema_without_a_user_mapping_or_user_name_is_an_error() {
    let e = variant(|m| {
        m.insert("sourceObjectName".into(), "Contact".into());
    })
    .expect_err("no user mapping");
    assert_eq!(e.path.as_deref(), Some("synchronizationRules"));
    assert!(e.message.contains("no object mapping from `User`"), "{e}");
    let e = variant(|m| {
        attribute_mappings(m).remove(0);
    })
    .expect_err("no userName");
    assert_eq!(
        e.to_string(),
        "at synchronizationRules[0].objectMappings[1].attributeMappings: no mapping to `userName`"
    );
    let e = variant(|m| {
        attribute_mappings(m)[3]["targetAttributeName"] = "USERNAME".into();
    })
    .expect_err("twice");
    assert!(e.message.contains("mapped twice"), "{e}");
    assert!(ProvisioningSchema::parse("{}").is_err());
    assert!(ProvisioningSchema::parse("[]").is_err());
}

#[test]
fn wrong_values_are_errors_with_their_path() {
    let e = variant(|m| {
        attribute_mappings(m)[0]["flowType"] = "Sometimes".into();
    })
    .expect_err("flowType");
    assert_eq!(
        e.path.as_deref(),
        Some("synchronizationRules[0].objectMappings[1].attributeMappings[0].flowType")
    );
    let e = variant(|m| {
        m.insert("flowTypes".into(), "Add, Remove".into());
    })
    .expect_err("flowTypes");
    assert!(e.message.contains("`Remove`"), "{e}");
    let e = variant(|m| {
        attribute_mappings(m)[5]["matchingPriority"] = "1".into();
    })
    .expect_err("a string");
    assert!(
        e.to_string()
            .contains("matchingPriority: a string, where a whole number"),
        "{e}"
    );
}

#[test]
fn disabled_and_duplicate_user_mappings() {
    let s = variant(|m| {
        m.insert("enabled".into(), false.into());
    })
    .expect("a disabled mapping is read");
    assert!(!s.enabled);
    let mut value: Value = serde_json::from_str(EXAMPLE).expect("JSON");
    let user = value["synchronizationRules"][0]["objectMappings"][1].clone();
    if let Some(list) = value["synchronizationRules"][0]["objectMappings"].as_array_mut() {
        list.push(user);
    }
    let e = ProvisioningSchema::parse(&value.to_string()).expect_err("two");
    assert!(e.message.contains("two enabled object mappings"), "{e}");
}

#[test]
fn expressions_are_built_from_sources_that_lack_one() {
    let s = variant(|m| {
        let mapping = &mut attribute_mappings(m)[0];
        mapping["source"] = serde_json::json!({
        "type": "Function", "name": "Join", "parameters": [
            {"key": "separator", "value": {"type": "Constant", "name": "\"-\\"}},
            {"key": "source1", "value": {"type": "Attribute", "name": "givenName"}},
            {"key": "source2", "value": {"name": "surname"}}
        ]});
    })
    .expect("parses");
    assert_eq!(
        s.user_name.expression.as_deref(),
        Some(r#"Join("\"-\\", [givenName], [surname])"#)
    );
    let e = variant(|m| {
        attribute_mappings(m)[0]["source"] = serde_json::json!({"type": "Function"});
    })
    .expect_err("no name");
    assert!(e.message.contains("neither"), "{e}");
}

#[test]
fn a_template_wrapping_the_schema_and_a_bom_are_read() {
    let wrapped = format!("\u{feff}{{\"id\": \"scim\", \"schema\": {EXAMPLE}}}");
    let s = ProvisioningSchema::parse(&wrapped).expect("wrapped");
    assert_eq!(s.path, "schema.synchronizationRules[0].objectMappings[1]");
}
