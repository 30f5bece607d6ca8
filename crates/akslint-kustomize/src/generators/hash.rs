//! The hash Kustomize appends to a generated object's name: the SHA-256 of a JSON encoding
//! of the object's kind, name and content, its first ten hex digits with some letters mapped
//! so that the suffix has no vowels and no digits that read as words.

use sha2::{Digest, Sha256};

use crate::node::{Node, Value};

/// The name suffix (without the `-`) of a ConfigMap or Secret: its kind, `data` and (when
/// they are mappings) `binaryData`, or for a Secret `type`, `data` and `stringData`; another
/// kind's hash is that of its whole JSON. Kustomize looks the name up as one field named
/// `metadata/name`, which no object has: its name counts as empty.
pub fn name_hash(node: &Node) -> String {
    let kind = node.str_at(&["kind"]).unwrap_or("");
    let mut fields: Vec<(&str, String)> = Vec::new();
    let field = |keys: &[&str]| match node.path(keys) {
        Some(value) if value.is_map() || value.items().is_some() => go_json(value),
        Some(value) => go_string(&value.scalar_text().unwrap_or_default()),
        None => go_string(""),
    };
    let map_field = |key: &str| node.get(key).filter(|v| v.is_map()).map(go_json);
    match kind {
        "ConfigMap" => {
            fields.push(("data", field(&["data"])));
            fields.push(("kind", go_string("ConfigMap")));
            fields.push(("name", go_string("")));
            if let Some(binary) = map_field("binaryData") {
                fields.push(("binaryData", binary));
            }
        }
        "Secret" => {
            fields.push(("data", field(&["data"])));
            fields.push(("kind", go_string("Secret")));
            fields.push(("name", go_string("")));
            fields.push(("type", field(&["type"])));
            if let Some(string_data) = map_field("stringData") {
                fields.push(("stringData", string_data));
            }
        }
        _ => return encode(&hex_sha256(&go_json(node))),
    }
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> = fields
        .iter()
        .map(|(key, value)| format!("{}:{value}", go_string(key)))
        .collect();
    encode(&hex_sha256(&format!("{{{}}}", body.join(","))))
}

/// The hex SHA-256 of a text.
fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The first ten hex digits with `0 1 3 a e` written `g h k m t` (Kubernetes' hash encoding).
fn encode(hex: &str) -> String {
    hex.chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}

/// A value as Go's `encoding/json` writes it: mapping keys sorted, strings escaped as Go
/// escapes them.
fn go_json(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Float(text) => text
            .parse::<f64>()
            .map_or_else(|_| go_string(text), |f| f.to_string()),
        Value::Str(text) => go_string(text),
        Value::Seq(items) => {
            let items: Vec<String> = items.iter().map(go_json).collect();
            format!("[{}]", items.join(","))
        }
        Value::Map(entries) => {
            let mut sorted: Vec<_> = entries.iter().collect();
            sorted.sort_by(|a, b| a.key.cmp(&b.key));
            let body: Vec<String> = sorted
                .iter()
                .map(|e| format!("{}:{}", go_string(&e.key), go_json(&e.value)))
                .collect();
            format!("{{{}}}", body.join(","))
        }
    }
}

/// A string as Go's `encoding/json` quotes it (HTML characters and line separators escaped).
fn go_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoding_maps_digits_and_vowels() {
        assert_eq!(encode("0123456789abcdef"), "gh2k456789");
        assert_eq!(
            go_string("a<b>&\u{1}"),
            "\"a\\u003cb\\u003e\\u0026\\u0001\""
        );
    }
}
