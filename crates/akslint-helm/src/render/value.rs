//! Values as templates see them (Go's `interface{}` from YAML: nil, bool, int64, float64,
//! string, `[]interface{}`, `map[string]interface{}`), each with where it was written.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use akslint_core::{NodeId, NodeKind, Scalar, ScalarStyle, ScalarType, Tree};

use super::text::{Source, Text, TextBuilder};

/// A value and where it was written (a values file's node; `None` for computed values).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Value {
    /// What it is.
    pub kind: Kind,
    /// Where it was written.
    pub origin: Option<Source>,
}

/// The kinds of values.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Kind {
    /// `nil`, a missing key.
    #[default]
    Nil,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, with the provenance of its bytes.
    Str(Text),
    /// A list.
    List(Rc<Vec<Value>>),
    /// A map, its keys sorted (as Go prints and ranges over maps). Maps are shared, as Go's
    /// are: `set` on a map changes it for every holder.
    Map(Rc<RefCell<BTreeMap<String, Value>>>),
}

impl Value {
    /// A computed value.
    pub fn new(kind: Kind) -> Value {
        Value { kind, origin: None }
    }

    /// A string without provenance.
    pub fn str(text: &str) -> Value {
        Value::new(Kind::Str(Text::plain(text)))
    }

    /// A string with provenance.
    pub fn text(text: Text) -> Value {
        let origin = text.first_source();
        Value {
            kind: Kind::Str(text),
            origin,
        }
    }

    /// A map.
    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::new(Kind::Map(Rc::new(RefCell::new(entries))))
    }

    /// A list.
    pub fn list(items: Vec<Value>) -> Value {
        Value::new(Kind::List(Rc::new(items)))
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are false.
    pub fn truthy(&self) -> bool {
        match &self.kind {
            Kind::Nil => false,
            Kind::Bool(b) => *b,
            Kind::Int(n) => *n != 0,
            Kind::Float(f) => *f != 0.0,
            Kind::Str(s) => !s.as_str().is_empty(),
            Kind::List(items) => !items.is_empty(),
            Kind::Map(entries) => !entries.borrow().is_empty(),
        }
    }

    /// The string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The map's entries, when it is one.
    pub fn as_map(&self) -> Option<std::cell::Ref<'_, BTreeMap<String, Value>>> {
        match &self.kind {
            Kind::Map(entries) => Some(entries.borrow()),
            _ => None,
        }
    }

    /// The value of a key of a map (`None` when it is not a map or has no such key).
    pub fn get(&self, key: &str) -> Option<Value> {
        self.as_map()?.get(key).cloned()
    }

    /// A copy that shares nothing with the value (`deepCopy`).
    pub fn deep_copy(&self) -> Value {
        let kind = match &self.kind {
            Kind::Map(entries) => Kind::Map(Rc::new(RefCell::new(
                entries
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_copy()))
                    .collect(),
            ))),
            Kind::List(items) => Kind::List(Rc::new(items.iter().map(Value::deep_copy).collect())),
            other => other.clone(),
        };
        Value {
            kind,
            origin: self.origin,
        }
    }

    /// Go's name of the value's kind, as sprig's `kindOf` gives it.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Nil => "invalid",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "int64",
            Kind::Float(_) => "float64",
            Kind::Str(_) => "string",
            Kind::List(_) => "slice",
            Kind::Map(_) => "map",
        }
    }

    /// The value as Go's `fmt` prints it with `%v` (what `{{ x }}` writes), with the
    /// provenance of its strings and scalars. Nil prints nothing (Helm's `<no value>` removal).
    pub fn printed(&self) -> Text {
        let mut out = TextBuilder::default();
        self.print_into(&mut out, true);
        out.finish()
    }

    fn print_into(&self, out: &mut TextBuilder, top: bool) {
        match &self.kind {
            Kind::Nil if top => {}
            Kind::Nil => out.push_str("<nil>", self.origin),
            Kind::Str(text) => out.push_text(text),
            Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) => {
                out.push_str(&self.scalar_text(), self.origin)
            }
            Kind::List(items) => {
                out.push_str("[", None);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" ", None);
                    }
                    item.print_into(out, false);
                }
                out.push_str("]", None);
            }
            Kind::Map(entries) => {
                out.push_str("map[", None);
                for (i, (key, value)) in entries.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(" ", None);
                    }
                    out.push_str(key, None);
                    out.push_str(":", None);
                    value.print_into(out, false);
                }
                out.push_str("]", None);
            }
        }
    }

    /// A scalar's text as Go prints it (`%v`).
    pub fn scalar_text(&self) -> String {
        match &self.kind {
            Kind::Bool(b) => b.to_string(),
            Kind::Int(n) => n.to_string(),
            Kind::Float(f) => go_float(*f),
            Kind::Str(s) => s.as_str().to_owned(),
            Kind::Nil => String::new(),
            Kind::List(_) | Kind::Map(_) => self.printed().as_str().to_owned(),
        }
    }

    /// The value read from a YAML node of a values file (`file` is its index among the renderer's
    /// files): scalars typed as YAML 1.1 reads them, as Helm does (a plain `yes`, `on` or `y` is
    /// `true`, as a value and as a key, where a key becomes `"true"`: see [`yaml11_bool`]),
    /// every number a float (Helm reads YAML through JSON: `8080` is `float64`, as with
    /// `fromYaml` and `fromJson`), every value with its node's span as origin.
    pub fn from_tree(tree: &Tree, node: NodeId, file: usize) -> Value {
        let node = tree.resolve(node);
        let origin = Some(Source {
            file,
            span: tree.span(node),
        });
        let kind = match &tree.node(node).kind {
            NodeKind::Scalar(scalar) => match (scalar.ty, yaml11_bool(scalar)) {
                (ScalarType::Null, _) => Kind::Nil,
                (_, Some(boolean)) => Kind::Bool(boolean),
                (ScalarType::Bool, None) => Kind::Bool(scalar.text.eq_ignore_ascii_case("true")),
                (ScalarType::Int, None) => Kind::Float(yaml_integer(&scalar.text)),
                (ScalarType::Float, None) => Kind::Float(scalar.text.parse().unwrap_or(0.0)),
                _ => {
                    let span = tree.span(node);
                    // Point at the characters of a plain or quoted scalar written on one line.
                    Kind::Str(Text::from_source(&scalar.text, Some(Source { file, span })))
                }
            },
            NodeKind::Sequence(items) => Kind::List(Rc::new(
                items
                    .iter()
                    .map(|&i| Value::from_tree(tree, i, file))
                    .collect(),
            )),
            NodeKind::Mapping(entries) => {
                let mut map = BTreeMap::new();
                for entry in entries {
                    // A key YAML 1.1 reads as a boolean is the JSON key "true" or "false".
                    let key = match tree.scalar(entry.key).and_then(yaml11_bool) {
                        Some(boolean) => Some(if boolean { "true" } else { "false" }),
                        None => tree
                            .str(entry.key)
                            .or_else(|| tree.scalar(entry.key).map(|s| s.text.as_str())),
                    };
                    if let Some(key) = key {
                        map.insert(key.to_owned(), Value::from_tree(tree, entry.value, file));
                    }
                }
                Kind::Map(Rc::new(RefCell::new(map)))
            }
            NodeKind::Unknown | NodeKind::Alias(_) => Kind::Nil,
        };
        Value { kind, origin }
    }
}

/// The boolean a plain scalar is in YAML 1.1, which Helm reads values with (go-yaml v2 under
/// sigs.k8s.io/yaml): `y`, `yes`, `on`, `true` and `n`, `no`, `off`, `false`, each in lower
/// case, capitalised or upper case. YAML 1.2 (akslint's YAML front end) reads only `true` and
/// `false` so; a quoted `"yes"` is a string in both.
fn yaml11_bool(scalar: &Scalar) -> Option<bool> {
    if scalar.style != ScalarStyle::Plain {
        return None;
    }
    let text = scalar.text.as_str();
    let lower = text.to_ascii_lowercase();
    let capitalised = lower
        .get(..1)
        .map(|first| first.to_ascii_uppercase() + &lower[1..]);
    let cased =
        text == lower || text == text.to_ascii_uppercase() || Some(text) == capitalised.as_deref();
    match lower.as_str() {
        "y" | "yes" | "on" | "true" if cased => Some(true),
        "n" | "no" | "off" | "false" if cased => Some(false),
        _ => None,
    }
}

/// An integer of YAML 1.1 (`8080`, `-3`, `1_000`, `0x1F`, `0o17`, `017`, `0b101`) as the float
/// Helm reads (go-yaml's integer through JSON: the nearest float64); 0 when it is none.
fn yaml_integer(text: &str) -> f64 {
    let digits = text.replace('_', "");
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits.strip_prefix('+').unwrap_or(&digits)),
    };
    let lower = digits.to_ascii_lowercase();
    let radix = |prefix: &str, radix: u32| {
        lower
            .strip_prefix(prefix)
            .and_then(|rest| u64::from_str_radix(rest, radix).ok())
            .map(|n| n as f64)
    };
    let magnitude = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
        .or_else(|| (lower.len() > 1).then(|| radix("0", 8)).flatten())
        .or_else(|| lower.parse::<f64>().ok())
        .unwrap_or(0.0);
    if negative { -magnitude } else { magnitude }
}

/// A float as Go's `%v` (and `%g`) prints it: the shortest digits that read back as the same
/// float, with an exponent from 1e6 and below 1e-4 (`2.5e+06`, `1e-05`); `NaN`, `+Inf`, `-Inf`.
pub(super) fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    match shortest_exponent(f) {
        Some((mantissa, exponent)) if f != 0.0 && !(-4..6).contains(&exponent) => {
            let sign = if exponent < 0 { '-' } else { '+' };
            format!("{mantissa}e{sign}{:02}", exponent.abs())
        }
        _ => format!("{f}"),
    }
}

/// A float as Go's `encoding/json` writes it (what `toJson` and sigs.k8s.io/yaml see): plain
/// shortest digits, with an exponent from 1e21 and below 1e-6 (`1e+21`, `1e-7`).
pub(super) fn json_float(f: f64) -> String {
    let magnitude = f.abs();
    match shortest_exponent(f) {
        Some((mantissa, exponent)) if magnitude != 0.0 && !(1e-6..1e21).contains(&magnitude) => {
            let sign = if exponent < 0 { '-' } else { '+' };
            format!("{mantissa}e{sign}{}", exponent.abs())
        }
        _ => format!("{f}"),
    }
}

/// A finite float's shortest digits as a mantissa (`2.5`) and its decimal exponent (6).
fn shortest_exponent(f: f64) -> Option<(String, i32)> {
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e')?;
    Some((mantissa.to_owned(), exponent.parse().ok()?))
}

/// A float as `toYaml` writes it: sigs.k8s.io/yaml writes the JSON number, which go-yaml reads
/// back as an integer when it is one (`2500000`, `9223372036854776000`), else as a float it
/// writes as `%g` does (`1e+21`, `1.5e-05`).
fn yaml_float(f: f64) -> String {
    let json = json_float(f);
    if json.parse::<i64>().is_ok() || json.parse::<u64>().is_ok() {
        json
    } else {
        match go_float(f).as_str() {
            "NaN" => ".nan".to_owned(),
            "+Inf" => ".inf".to_owned(),
            "-Inf" => "-.inf".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// `toYaml`: the value as sigs.k8s.io/yaml writes it (keys sorted, two-space indentation,
/// sequences not indented under their key, strings quoted when YAML would read them as
/// something else, multi-line strings as literal blocks), without the final newline, with the
/// provenance of every scalar.
pub fn to_yaml(value: &Value) -> Text {
    let mut out = TextBuilder::default();
    match &value.kind {
        Kind::Map(entries) if entries.borrow().is_empty() => out.push_str("{}", None),
        Kind::List(items) if items.is_empty() => out.push_str("[]", None),
        Kind::Map(_) | Kind::List(_) => yaml_block(value, 0, &mut out),
        _ => yaml_scalar(value, 0, &mut out),
    }
    let text = out.finish();
    let trimmed = text.as_str().trim_end_matches('\n').len();
    text.slice(0..trimmed)
}

fn yaml_block(value: &Value, indent: usize, out: &mut TextBuilder) {
    let pad = " ".repeat(indent);
    match &value.kind {
        Kind::Map(entries) => {
            for (key, item) in entries.borrow().iter() {
                out.push_str(&pad, None);
                out.push_str(&yaml_string(key), None);
                out.push_str(":", None);
                yaml_child(item, indent, out, false);
            }
        }
        Kind::List(items) => {
            for item in items.iter() {
                out.push_str(&pad, None);
                out.push_str("-", None);
                yaml_child(item, indent, out, true);
            }
        }
        _ => {
            out.push_str(&pad, None);
            yaml_scalar(value, indent, out);
            out.push_str("\n", None);
        }
    }
}

/// The value after `key:` or `-`.
fn yaml_child(item: &Value, indent: usize, out: &mut TextBuilder, in_list: bool) {
    match &item.kind {
        Kind::Map(entries) if !entries.borrow().is_empty() => {
            if in_list {
                // `- a: 1` then the other keys under the first.
                let mut first = true;
                for (key, value) in entries.borrow().iter() {
                    if first {
                        out.push_str(" ", None);
                        first = false;
                    } else {
                        out.push_str(&" ".repeat(indent + 2), None);
                    }
                    out.push_str(&yaml_string(key), None);
                    out.push_str(":", None);
                    yaml_child(value, indent + 2, out, false);
                }
            } else {
                out.push_str("\n", None);
                yaml_block(item, indent + 2, out);
            }
        }
        Kind::List(items) if !items.is_empty() => {
            out.push_str("\n", None);
            yaml_block(item, if in_list { indent + 2 } else { indent }, out);
        }
        _ => {
            out.push_str(" ", None);
            yaml_scalar(item, indent + 2, out);
            out.push_str("\n", None);
        }
    }
}

fn yaml_scalar(value: &Value, indent: usize, out: &mut TextBuilder) {
    match &value.kind {
        Kind::Nil => out.push_str("null", value.origin),
        Kind::Map(_) => out.push_str("{}", value.origin),
        Kind::List(_) => out.push_str("[]", value.origin),
        Kind::Str(text) => {
            let s = text.as_str();
            if s.contains('\n') && !s.trim_end_matches('\n').contains(['\r']) && !s.starts_with(' ')
            {
                let chomp = if s.ends_with('\n') { "|" } else { "|-" };
                out.push_str(chomp, None);
                let body = text.slice(0..s.trim_end_matches('\n').len());
                let pad = " ".repeat(indent.max(2));
                let mut start = 0;
                for (i, _) in body.as_str().match_indices('\n') {
                    out.push_str("\n", None);
                    if i > start {
                        out.push_str(&pad, None);
                    }
                    out.push_range(&body, start..i);
                    start = i + 1;
                }
                out.push_str("\n", None);
                out.push_str(&pad, None);
                out.push_range(&body, start..body.as_str().len());
            } else if yaml_string(s) != s {
                out.push_str(&yaml_string(s), text.first_source());
            } else {
                out.push_text(text);
            }
        }
        Kind::Float(f) => out.push_str(&yaml_float(*f), value.origin),
        _ => out.push_str(&value.scalar_text(), value.origin),
    }
}

/// A string as go-yaml v2 writes it: plain where YAML reads it back as that string;
/// double-quoted when YAML would read another type (`"true"`, `"8080"`, `""`) or it holds
/// control characters; else single-quoted (`'[groups]'`, `'a: b'`).
fn yaml_string(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    let other_type = s.is_empty()
        || reserved.contains(&lower.as_str())
        || s.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o");
    if other_type || s.chars().any(|c| c.is_control()) {
        return quoted(s);
    }
    let mut chars = s.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next();
    let indicator = match first {
        // `-`, `?` and `:` start a plain scalar when a non-space follows (`--flag`).
        '-' | '?' | ':' => second.is_none_or(|c| c == ' '),
        ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
        | '@' | '`' => true,
        _ => false,
    };
    let plain =
        !indicator && s.trim() == s && !s.contains(": ") && !s.contains(" #") && !s.ends_with(':');
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// A double-quoted string (YAML's, and Go's `%q` for the characters values hold).
fn quoted(s: &str) -> String {
    akslint_core::double_quoted(s)
}

/// The inside of a double-quoted string.
pub(super) fn escape_quoted(s: &str) -> String {
    let quoted = quoted(s);
    quoted[1..quoted.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn to_yaml_writes_as_sigs_k8s_yaml_does() {
        let value = map(&[
            ("name", Value::str("web")),
            ("replicas", Value::new(Kind::Int(2))),
            ("enabled", Value::str("true")),
            (
                "ports",
                Value::list(vec![map(&[
                    ("port", Value::new(Kind::Int(80))),
                    ("name", Value::str("http")),
                ])]),
            ),
            (
                "args",
                Value::list(vec![Value::str("--a"), Value::str("b: c")]),
            ),
            ("script", Value::str("line1\nline2\n")),
            ("empty", map(&[])),
        ]);
        assert_eq!(
            to_yaml(&value).as_str(),
            "args:\n- --a\n- 'b: c'\nempty: {}\nenabled: \"true\"\nname: web\nports:\n- name: http\n  port: 80\nreplicas: 2\nscript: |\n  line1\n  line2"
        );
    }

    /// The texts are Helm's (helm-python-sdk 0.2.2) for a values file holding each number, printed
    /// by `{{ .Values.x }}`, `toJson` and `toYaml`.
    #[test]
    fn floats_print_as_go_json_and_yaml_write_them() {
        // A values file's number, then `%v`, `toJson` and `toYaml` of it.
        let cases = "\
            1 1 1 1
            8080 8080 8080 8080
            100000 100000 100000 100000
            999999 999999 999999 999999
            1000000 1e+06 1000000 1000000
            -2500000 -2.5e+06 -2500000 -2500000
            123456789 1.23456789e+08 123456789 123456789
            12345678.5 1.23456785e+07 12345678.5 1.23456785e+07
            100000000000000000000 1e+20 100000000000000000000 1e+20
            1000000000000000000000 1e+21 1e+21 1e+21
            9007199254740993 9.007199254740992e+15 9007199254740992 9007199254740992
            9223372036854775807 9.223372036854776e+18 9223372036854776000 9223372036854776000
            0.5 0.5 0.5 0.5
            0.0001 0.0001 0.0001 0.0001
            0.00001 1e-05 0.00001 1e-05
            1.5e-5 1.5e-05 0.000015 1.5e-05
            3.0 3 3 3
            0 0 0 0
            0x1F 31 31 31
            0o17 15 15 15
            017 15 15 15
            1e3 1000 1000 1000";
        for line in cases.lines() {
            let [written, printed, json, yaml] = line.split_whitespace().collect::<Vec<_>>()[..]
            else {
                panic!("four columns: {line}");
            };
            let f = if written.contains(['.', 'e']) {
                written.parse().expect("a float")
            } else {
                yaml_integer(written)
            };
            assert_eq!(go_float(f), printed, "{written}");
            assert_eq!(json_float(f), json, "{written}");
            assert_eq!(yaml_float(f), yaml, "{written}");
        }
        assert_eq!(json_float(1.5e-7), "1.5e-7");
        assert_eq!(go_float(f64::NAN), "NaN");
        assert_eq!(yaml_float(f64::NEG_INFINITY), "-.inf");
        assert_eq!(yaml_integer("-1_000"), -1000.0);
        assert_eq!(yaml_integer("0b101"), 5.0);
    }

    #[test]
    fn go_prints_values() {
        assert_eq!(Value::new(Kind::Float(3.0)).printed().as_str(), "3");
        assert_eq!(Value::new(Kind::Nil).printed().as_str(), "");
        let list = Value::list(vec![Value::str("a"), Value::new(Kind::Int(1))]);
        assert_eq!(list.printed().as_str(), "[a 1]");
        assert_eq!(map(&[("k", list)]).printed().as_str(), "map[k:[a 1]]");
    }
}
