//! `values.schema.json` as Helm checks it: each chart's schema (JSON Schema draft 4 to 2020-12,
//! 2020-12 when `$schema` names no draft) against that chart's coalesced values, offline (a
//! `$ref` outside the schema is not fetched), `format` asserted up to draft 07 and an annotation
//! from draft 2019-09 on, as Helm's validator does. Every error is placed at the value that
//! breaks it, or at the object that lacks a required property; its message never shows a value
//! (a value may be a secret).

use akslint_core::Span;
use serde_json::{Map, Number, Value as Json};

use crate::render::text::Source;
use crate::render::value::{Kind, Value};

/// Where a chart's values do not meet its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaViolation {
    /// The chart whose schema it is (its name as the parent's values know it).
    pub chart: String,
    /// The values path of the offending value, as a JSON pointer (`/image/tag`; empty for the
    /// values' root).
    pub pointer: String,
    /// The keys of the chart's values in the outermost chart's (none for it; `["cache"]` for a
    /// dependency `cache`): with `pointer`, where the value is among the values a user gives.
    pub keys: Vec<String>,
    /// What the schema says is wrong.
    pub message: String,
    /// Where the offending value (or the object lacking a property) was written.
    pub source: Source,
}

impl SchemaViolation {
    /// Where the value is among the values a user gives (`--set`, a values file of the
    /// outermost chart), as a JSON pointer: `/cache/size` for `/size` of a dependency `cache`.
    pub fn user_pointer(&self) -> String {
        let keys: String = self
            .keys
            .iter()
            .map(|key| format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            .collect();
        format!("{keys}{}", self.pointer)
    }

    /// The message as Helm words it.
    pub fn helm_message(&self) -> String {
        format!(
            "values don't meet the specifications of the schema(s) in the following chart(s): {}: at '{}': {}",
            self.chart, self.pointer, self.message
        )
    }
}

/// Checks `values` against the schema text of chart `chart`; `fallback` is where a violation
/// whose values have no origin is placed (the start of the chart's `values.yaml`).
pub fn validate(
    chart: &str,
    schema: &str,
    values: &Value,
    fallback: Source,
) -> Vec<SchemaViolation> {
    let violation = |pointer: String, message: String, source: Source| SchemaViolation {
        chart: chart.to_owned(),
        pointer,
        keys: Vec::new(),
        message,
        source,
    };
    let schema: Json = match serde_json::from_str(schema) {
        Ok(schema) => schema,
        Err(error) => {
            return vec![violation(
                String::new(),
                format!("values.schema.json is not JSON: {error}"),
                fallback,
            )];
        }
    };
    let validator = match jsonschema::validator_for(&schema) {
        Ok(validator) => validator,
        Err(error) => {
            return vec![violation(
                String::new(),
                format!("values.schema.json cannot be used: {}", error.masked()),
                fallback,
            )];
        }
    };
    let instance = to_json(values);
    validator
        .iter_errors(&instance)
        .map(|error| {
            let pointer = error.instance_path().as_str().to_owned();
            let source = origin_at(values, &pointer).unwrap_or(fallback);
            violation(pointer, error.masked().to_string(), source)
        })
        .collect()
}

/// The origin of the deepest value written on the way down `pointer` (the start of a map or a
/// list, not all of it).
fn origin_at(values: &Value, pointer: &str) -> Option<Source> {
    let mut value = values.clone();
    let mut origin = value.origin;
    for token in pointer.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        let next = match &value.kind {
            Kind::Map(entries) => entries.borrow().get(&key).cloned(),
            Kind::List(items) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned()),
            _ => None,
        };
        let Some(next) = next else {
            break;
        };
        origin = next.origin.or(origin);
        value = next;
    }
    let whole = !matches!(value.kind, Kind::Map(_) | Kind::List(_));
    origin.map(|source| Source {
        span: if whole {
            source.span
        } else {
            Span::empty(source.span.start as usize)
        },
        ..source
    })
}

/// The values as JSON, as Helm hands them to the validator.
fn to_json(value: &Value) -> Json {
    match &value.kind {
        Kind::Nil => Json::Null,
        Kind::Bool(b) => Json::Bool(*b),
        Kind::Int(n) => Json::Number(Number::from(*n)),
        // Helm hands the validator JSON text: a values file's `8080` (a float) is written `8080`,
        // an integer to the schema.
        Kind::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => {
            Json::Number(Number::from(*f as i64))
        }
        Kind::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Kind::Str(s) => Json::String(s.as_str().to_owned()),
        Kind::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Json::Object(
            entries
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect::<Map<String, Json>>(),
        ),
    }
}
