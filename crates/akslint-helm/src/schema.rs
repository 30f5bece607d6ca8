//! `values.schema.json` as Helm applies it before rendering: each chart of the tree that has
//! one checks its coalesced values (the parent all of them, a dependency its own section), and
//! a violation refuses the chart. `format` is asserted up to draft 07 and an annotation from
//! draft 2019-09 on, as Helm's validator does; a schema akslint cannot compile is reported as
//! unsupported, never guessed.

use akslint_core::Span;

use crate::render::text::Source;
use crate::render::value::{Kind, Value};
use crate::render::{RenderError, RenderErrorKind};

/// Most violations reported for one chart (Helm lists them all; the first ones say enough).
const MAX_VIOLATIONS: usize = 20;

/// The violations of `values` against the schema `text` of chart `chart` (its file is the
/// renderer's `file`), each located at the value at fault when it was written in a values
/// file, else at the schema's start. Messages never show a value: a value may be a secret.
pub fn violations(chart: &str, text: &str, file: usize, values: &Value) -> Vec<RenderError> {
    let at_schema = Source {
        file,
        span: Span::empty(0),
    };
    let schema: serde_json::Value = match serde_json::from_str(text) {
        Ok(schema) => schema,
        Err(error) => {
            return vec![RenderError {
                source: at_schema,
                message: format!("values.schema.json of chart {chart} is not JSON: {error}"),
                kind: RenderErrorKind::Invalid,
            }];
        }
    };
    let validator = match jsonschema::validator_for(&schema) {
        Ok(validator) => validator,
        Err(error) => {
            return vec![RenderError {
                source: at_schema,
                message: format!(
                    "values.schema.json of chart {chart} is not checked: akslint cannot compile it ({})",
                    error.masked()
                ),
                kind: RenderErrorKind::Unsupported,
            }];
        }
    };
    let instance = json_of(values);
    validator
        .iter_errors(&instance)
        .take(MAX_VIOLATIONS)
        .map(|error| {
            let pointer = error.instance_path().to_string();
            RenderError {
                // Values of files the renderer knows (added before the schema), else the schema.
                source: origin_at(values, &pointer)
                    .filter(|origin| origin.file < file)
                    .unwrap_or(at_schema),
                message: format!(
                    "values don't meet the schema of chart {chart}: at '{pointer}': {}",
                    error.masked()
                ),
                kind: RenderErrorKind::Refused,
            }
        })
        .collect()
}

/// A value as JSON (as Helm's values are: maps of strings to scalars, lists and maps).
fn json_of(value: &Value) -> serde_json::Value {
    match &value.kind {
        Kind::Nil => serde_json::Value::Null,
        Kind::Bool(b) => serde_json::Value::Bool(*b),
        Kind::Int(n) => serde_json::Value::from(*n),
        Kind::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Kind::Str(text) => serde_json::Value::String(text.as_str().to_owned()),
        Kind::List(items) => serde_json::Value::Array(items.iter().map(json_of).collect()),
        Kind::Map(entries) => serde_json::Value::Object(
            entries
                .borrow()
                .iter()
                .map(|(key, value)| (key.clone(), json_of(value)))
                .collect(),
        ),
    }
}

/// Where the value at a JSON pointer (`/a/0/b`) was written, the nearest written ancestor when
/// it was not (a missing property is placed at the map that lacks it).
fn origin_at(values: &Value, pointer: &str) -> Option<Source> {
    let mut value = values.clone();
    let mut origin = value.origin;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let next = match &value.kind {
            Kind::Map(_) => value.get(&segment),
            Kind::List(items) => segment
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned()),
            _ => None,
        };
        let Some(next) = next else { break };
        origin = next.origin.or(origin);
        value = next;
    }
    origin
}
