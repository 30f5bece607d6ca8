//! The JSON Schema of `akslint.yaml` (draft-07, what VS Code's YAML extension and
//! yaml-language-server validate with), generated from the tables the configuration reader
//! uses and from the rule registry, so the two cannot disagree.

use akslint_core::{Family, Limits, RuleMeta};
use akslint_rules::registry;
use serde_json::{Map, Value, json};

use super::{LIMIT_KEYS, LimitValue, RuleSetting, SECTIONS, SIZE_UNITS};

/// Where the schema is published: the committed file's address in the repository.
const SCHEMA_ID: &str = "https://raw.githubusercontent.com/akslint/akslint/main/editors/vscode/schemas/akslint.schema.json";

/// The JSON Schema of `akslint.yaml`: its sections, every rule code, name and family as a key
/// of `rules` (codes and families in any case, as the reader takes them), the rule settings
/// and the limits with their defaults, each with its description.
pub fn config_schema() -> Value {
    let properties: Map<String, Value> = SECTIONS
        .iter()
        .map(|section| {
            let mut schema = (section.schema)();
            schema["description"] = section.description.into();
            (section.key.to_owned(), schema)
        })
        .collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "akslint configuration (akslint.yaml)",
        "description": "akslint's configuration: found by walking up from each linted file; \
                        it applies to the files of its folder and below.",
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": false,
        "definitions": {"ruleSetting": rule_setting_schema()},
    })
}

/// `exclude`: a list of patterns.
pub(super) fn excludes_schema() -> Value {
    json!({
        "type": ["array", "null"],
        "items": {"type": "string"},
    })
}

/// `arm-parameters`: parameter file paths to template paths.
pub(super) fn arm_parameters_schema() -> Value {
    json!({
        "type": ["object", "null"],
        "additionalProperties": {"type": "string", "minLength": 1},
    })
}

/// `rules`: a key per rule code, rule name and family.
pub(super) fn rules_schema() -> Value {
    let setting = |description: String, markdown: String| {
        json!({
            "$ref": "#/definitions/ruleSetting",
            "description": description,
            "markdownDescription": markdown,
        })
    };
    let mut keys = Map::new();
    for family in Family::ALL {
        let codes: Vec<&str> = registry::sorted_metas()
            .into_iter()
            .filter(|m| m.family == family)
            .map(|m| m.code)
            .collect();
        let description = format!(
            "{}: {} (every rule of the family but the opt-in ones: {}).",
            family.as_str(),
            family.title(),
            codes.join(", ")
        );
        keys.insert(
            family.as_str().to_owned(),
            setting(description.clone(), description),
        );
    }
    for meta in registry::sorted_metas() {
        let (description, markdown) = rule_descriptions(meta);
        keys.insert(
            meta.code.to_owned(),
            setting(description.clone(), markdown.clone()),
        );
        keys.insert(meta.name.to_owned(), setting(description, markdown));
    }
    // The reader takes codes and families in any case; JSON Schema's regular expressions have
    // no case-insensitive flag, so each letter is a class of both cases.
    let any_case: Vec<String> = Family::ALL
        .iter()
        .map(|f| f.as_str())
        .chain(registry::sorted_metas().into_iter().map(|m| m.code))
        .map(letters_in_any_case)
        .collect();
    json!({
        "type": ["object", "null"],
        "properties": keys,
        "patternProperties": {
            format!("^(?:{})$", any_case.join("|")): {"$ref": "#/definitions/ruleSetting"},
        },
        "additionalProperties": false,
    })
}

/// A rule's description, plain and in Markdown (with a link to its page).
fn rule_descriptions(meta: &RuleMeta) -> (String, String) {
    let default = if meta.enabled_by_default {
        format!("on by default, at {}", meta.default_severity.as_str())
    } else {
        format!(
            "opt-in: off unless named here (then at {})",
            meta.default_severity.as_str()
        )
    };
    (
        format!("{} {}: {} ({default}).", meta.code, meta.name, meta.summary),
        format!(
            "**{}** `{}`: {} ({default}). [Rule page]({})",
            meta.code,
            meta.name,
            meta.summary,
            meta.docs_url()
        ),
    )
}

/// `text` as a regular expression that matches it in any case.
fn letters_in_any_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A rule setting: one of the reader's words.
fn rule_setting_schema() -> Value {
    json!({
        "type": "string",
        "enum": RuleSetting::ALL.map(RuleSetting::as_str),
        "enumDescriptions": RuleSetting::ALL.map(RuleSetting::description),
    })
}

/// `limits`: each limit, with its default.
pub(super) fn limits_schema() -> Value {
    let defaults = Limits::default();
    let units: Vec<&str> = SIZE_UNITS.iter().map(|(unit, _)| *unit).collect();
    let properties: Map<String, Value> = LIMIT_KEYS
        .iter()
        .map(|limit| {
            let pattern = match limit.value {
                LimitValue::Size => format!(r"^\s*[0-9]+\s*(?:{})?\s*$", units.join("|")),
                LimitValue::Count => r"^\s*[0-9]+\s*$".to_owned(),
            };
            let schema = json!({
                "description": limit.description,
                "type": ["integer", "string"],
                "minimum": 0,
                "pattern": pattern,
                "default": (limit.get)(&defaults),
            });
            (limit.key.to_owned(), schema)
        })
        .collect();
    json!({
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_and_family_is_a_key_and_every_setting_a_value() {
        let schema = config_schema();
        let rules = &schema["properties"]["rules"]["properties"];
        for meta in registry::metas() {
            assert!(rules[meta.code]["description"].is_string(), "{}", meta.code);
            assert!(rules[meta.name].is_object(), "{}", meta.name);
        }
        assert!(
            rules["SEC"]["description"]
                .as_str()
                .unwrap()
                .contains("SEC001")
        );
        assert_eq!(
            schema["definitions"]["ruleSetting"]["enum"],
            json!(["off", "on", "error", "warning", "info"])
        );
        let limits = &schema["properties"]["limits"]["properties"];
        assert_eq!(limits["max-depth"]["default"], json!(200));
        assert_eq!(limits.as_object().unwrap().len(), LIMIT_KEYS.len());
    }

    #[test]
    fn any_case_pattern() {
        assert_eq!(letters_in_any_case("Sec1"), "[Ss][Ee][Cc]1");
    }
}
