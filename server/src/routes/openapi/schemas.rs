//! Passes over the document as JSON, where utoipa's derive cannot say what the server does.
//!
//! **Each response type is its own schema.** A response built from a request type plus what the
//! server adds (`Inspection` = `SubmitInspection` + inspector, times, …; `Template`, `Patrol`,
//! `Works`, …) is written in Rust with `#[serde(flatten)]`, which utoipa renders as `allOf` of the
//! closed request schema (`additionalProperties: false`) and the added fields: a document no
//! answer can match. Every `allOf` of component schemas is merged here into one object with all
//! the properties and required fields of its parts, open to additions, as JSON Schema's `allOf`
//! of closed parts cannot be. The request types stay closed, as the server reads them.
//!
//! **The text rule** (`xunjian_shared::text`) holds for every string the server reads: every string
//! schema that has no pattern, format or enum of its own gets [`TEXT_PATTERN`], and every object
//! open to further properties gets it as `propertyNames` (a free-form object's keys are stored too).

use serde_json::{Map, Value};

/// `xunjian_shared::text`'s rule as a regular expression (ECMA-262): none of the refused controls.
pub const TEXT_PATTERN: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// Tagged enums whose variants with fields refuse fields they do not name (`deny_unknown_fields`;
/// utoipa leaves enum variants open). serde applies it to variants with fields only: a variant
/// without fields ignores extra ones, and stays open here. The tests check the Rust side.
pub const CLOSED_VARIANTS: [&str; 2] = ["HazardAction", "WorksAction"];

/// Applies every pass.
pub fn finish(doc: &mut Value) {
    merge_all_of(doc);
    close_variants(doc);
    unit_answers_carry_no_value(doc);
    every_body_is_required(doc);
    text_rule(doc);
}

fn close_variants(doc: &mut Value) {
    let Some(all) = schemas(doc) else { return };
    for name in CLOSED_VARIANTS {
        let variants = all.get_mut(name).and_then(|s| s.get_mut("oneOf")).and_then(Value::as_array_mut);
        for v in variants.into_iter().flatten() {
            if v.get("properties").and_then(Value::as_object).is_some_and(|p| p.len() > 1) {
                v["additionalProperties"] = Value::Bool(false);
            }
        }
    }
}

/// `AnswerValue` is tagged `kind` with its content in `value`: a variant without content (yes, no,
/// not applicable, photo) takes no `value` but null.
fn unit_answers_carry_no_value(doc: &mut Value) {
    let Some(all) = schemas(doc) else { return };
    let variants = all.get_mut("AnswerValue").and_then(|s| s.get_mut("oneOf")).and_then(Value::as_array_mut);
    for v in variants.into_iter().flatten() {
        if let Some(props) = v.get_mut("properties").and_then(Value::as_object_mut) {
            if !props.contains_key("value") {
                props.insert("value".into(), serde_json::json!({"type": "null"}));
            }
        }
    }
}

/// Every request body the server reads is required (an import without a file is refused too).
fn every_body_is_required(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut() {
            if let Some(body) = op.get_mut("requestBody").and_then(Value::as_object_mut) {
                body.insert("required".into(), Value::Bool(true));
            }
        }
    }
}

fn has_type(schema: &Map<String, Value>, name: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == name),
        _ => false,
    }
}

/// Walks every node; a node whose `type` is a string or a list of them is a schema.
fn text_rule(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if matches!(map.get("type"), Some(Value::String(_) | Value::Array(_))) {
                let free = ["pattern", "format", "enum", "const", "contentMediaType"];
                if has_type(map, "string") && !free.iter().any(|k| map.contains_key(*k)) {
                    map.insert("pattern".into(), TEXT_PATTERN.into());
                }
                if has_type(map, "object") && map.get("additionalProperties") != Some(&Value::Bool(false)) {
                    map.insert("propertyNames".into(), serde_json::json!({"pattern": TEXT_PATTERN}));
                }
            }
            map.values_mut().for_each(text_rule);
        }
        Value::Array(items) => items.iter_mut().for_each(text_rule),
        _ => {}
    }
}

fn schemas(doc: &mut Value) -> Option<&mut Map<String, Value>> {
    doc.get_mut("components")?.get_mut("schemas")?.as_object_mut()
}

fn merge_all_of(doc: &mut Value) {
    let Some(all) = schemas(doc) else { return };
    let snapshot = all.clone();
    for (name, schema) in all.iter_mut() {
        if schema.get("allOf").is_some() {
            *schema = merged(&snapshot, name, schema, 0);
        }
    }
}

/// The one object a schema with `allOf` stands for.
fn merged(all: &Map<String, Value>, name: &str, schema: &Value, depth: u8) -> Value {
    assert!(depth < 8, "allOf nests too deep at {name}");
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let parts = schema["allOf"].as_array().cloned().unwrap_or_default();
    for part in parts {
        let part = match part.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let target = r.trim_start_matches("#/components/schemas/");
                let t = all.get(target).unwrap_or_else(|| panic!("{name}: dangling {r}"));
                if t.get("allOf").is_some() {
                    merged(all, target, t, depth + 1)
                } else {
                    t.clone()
                }
            }
            None => part,
        };
        assert!(
            part.get("oneOf").is_none() && part.get("anyOf").is_none(),
            "{name}: a flattened enum cannot be merged into one object"
        );
        if let Some(p) = part.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        for r in part.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !required.contains(r) {
                required.push(r.clone());
            }
        }
    }
    let mut out = Map::new();
    if let Some(d) = schema.get("description") {
        out.insert("description".into(), d.clone());
    }
    out.insert("type".into(), "object".into());
    out.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_closed_variants_are_closed_in_rust() {
        use xunjian_shared::hazard::HazardAction;
        use xunjian_shared::road::works::WorksAction;
        assert_eq!(CLOSED_VARIANTS, ["HazardAction", "WorksAction"]);
        let fields = json!({"action": "fix_on_spot", "evidence": []});
        assert!(serde_json::from_value::<HazardAction>(fields.clone()).is_ok());
        let mut extra = fields;
        extra["extra"] = json!(1);
        assert!(serde_json::from_value::<HazardAction>(extra).is_err(), "a variant with fields is closed");
        assert!(
            serde_json::from_value::<HazardAction>(json!({"action": "close", "extra": 1})).is_ok(),
            "one without is open"
        );
        let works = serde_json::to_value(WorksAction::Refuse { reason: "x".into() }).unwrap();
        assert!(serde_json::from_value::<WorksAction>(works.clone()).is_ok());
        let mut with_extra = works;
        with_extra["extra"] = json!(1);
        assert!(serde_json::from_value::<WorksAction>(with_extra).is_err());
    }

    #[test]
    fn the_text_pattern_is_the_shared_rule() {
        // The pattern as a client reads it, one character at a time, against the shared rule.
        let body = TEXT_PATTERN.trim_start_matches("^[^").trim_end_matches("]*$");
        let mut refused = Vec::new();
        let mut parts = body.split("\\u").filter(|p| !p.is_empty()).peekable();
        while let Some(p) = parts.next() {
            let from = u32::from_str_radix(&p[..4], 16).unwrap();
            let to =
                if p.ends_with('-') { u32::from_str_radix(&parts.next().unwrap()[..4], 16).unwrap() } else { from };
            refused.push(from..=to);
        }
        for c in (0u32..0x300).filter_map(char::from_u32) {
            let by_pattern = refused.iter().any(|r| r.contains(&(c as u32)));
            assert_eq!(by_pattern, !xunjian_shared::text::allowed_char(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn strings_without_a_rule_of_their_own_get_the_text_rule() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {
                "free": {"type": ["string", "null"]},
                "id": {"type": "string", "format": "uuid"},
                "kind": {"type": "string", "enum": ["a"]},
                "sha": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "any": {"type": "object"},
            }},
            "Closed": {"type": "object", "additionalProperties": false, "properties": {}},
        }}});
        finish(&mut doc);
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(a["properties"]["free"]["pattern"], TEXT_PATTERN);
        assert!(a["properties"]["id"].get("pattern").is_none());
        assert!(a["properties"]["kind"].get("pattern").is_none());
        assert_eq!(a["properties"]["sha"]["pattern"], "^[0-9a-f]{64}$");
        assert_eq!(a["properties"]["any"]["propertyNames"]["pattern"], TEXT_PATTERN);
        assert_eq!(a["propertyNames"]["pattern"], TEXT_PATTERN);
        assert!(doc["components"]["schemas"]["Closed"].get("propertyNames").is_none());
    }

    #[test]
    fn a_response_made_of_a_closed_request_is_one_open_object() {
        let mut doc = json!({"components": {"schemas": {
            "Req": {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}, "required": ["a"]},
            "Mid": {"allOf": [{"$ref": "#/components/schemas/Req"}, {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}]},
            "Top": {"description": "top", "allOf": [{"$ref": "#/components/schemas/Mid"}, {"properties": {"c": {"type": "boolean"}}}]},
        }}});
        finish(&mut doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Req"]["additionalProperties"], false, "requests stay closed");
        assert_eq!(s["Mid"]["required"], json!(["a", "b"]));
        assert!(s["Top"].get("additionalProperties").is_none());
        assert_eq!(s["Top"]["description"], "top");
        let props: Vec<&String> = s["Top"]["properties"].as_object().unwrap().keys().collect();
        assert_eq!(props, ["a", "b", "c"]);
    }
}
