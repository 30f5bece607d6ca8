//! `toToml`: a value written as Helm's `toToml` writes it (the BurntSushi/toml encoder): a map's
//! plain values first, then its tables, each group with its keys sorted; a blank line before a
//! top-level table and before each `[[item]]` of an array of tables; nested headers and their
//! keys indented two spaces per level; lists of maps inside a plain list as inline tables. A
//! value it cannot write gives the encoder's message as the text, as Helm prints it.

use super::value::{Kind, Value, go_float};

/// Why a value cannot be written: the encoder's message, which `toToml` renders as its text.
#[derive(Debug, PartialEq)]
pub struct TomlError(pub &'static str);

const NIL_IN_ARRAY: TomlError = TomlError("toml: cannot encode array with nil element");
const NO_KEY: TomlError = TomlError("toml: top-level values must be Go maps or structs");

/// The TOML text of `value` (which is not nil: Helm's `toToml nil` is a render error, see
/// [`super::functions`]).
pub fn to_toml(value: &Value) -> Result<String, TomlError> {
    let mut encoder = Encoder::default();
    encoder.encode(&[], value)?;
    Ok(encoder.out)
}

/// The text written so far.
#[derive(Default)]
struct Encoder {
    out: String,
}

/// What a value is to the encoder.
#[derive(PartialEq)]
enum Shape {
    /// Written after `key = `.
    Plain,
    /// A map: a `[table]`.
    Table,
    /// A non-empty list of maps only: `[[tables]]`.
    ArrayOfTables,
    /// Nil: skipped in a map.
    Nil,
}

fn shape(value: &Value) -> Result<Shape, TomlError> {
    Ok(match &value.kind {
        Kind::Nil => Shape::Nil,
        Kind::Map(_) => Shape::Table,
        Kind::List(items) if !items.is_empty() => {
            let mut all_maps = true;
            for item in items.iter() {
                match item.kind {
                    Kind::Nil => return Err(NIL_IN_ARRAY),
                    Kind::Map(_) => {}
                    _ => all_maps = false,
                }
            }
            if all_maps {
                Shape::ArrayOfTables
            } else {
                Shape::Plain
            }
        }
        _ => Shape::Plain,
    })
}

impl Encoder {
    fn write(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// A line break, unless nothing was written yet.
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// Two spaces per level below the top of `key`'s last part.
    fn indent(&mut self, key: &[&str]) {
        for _ in 1..key.len() {
            self.write("  ");
        }
    }

    fn encode(&mut self, key: &[&str], value: &Value) -> Result<(), TomlError> {
        match shape(value)? {
            Shape::Table => self.table(key, value),
            Shape::ArrayOfTables if key.is_empty() => Err(NO_KEY),
            Shape::ArrayOfTables => self.array_of_tables(key, value),
            Shape::Plain | Shape::Nil => self.key_value(key, value, false),
        }
    }

    fn key_value(&mut self, key: &[&str], value: &Value, inline: bool) -> Result<(), TomlError> {
        let Some(last) = key.last() else {
            return self.element(value);
        };
        self.indent(key);
        self.write(&quoted_key(last));
        self.write(" = ");
        self.element(value)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn table(&mut self, key: &[&str], value: &Value) -> Result<(), TomlError> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            self.header(key, "[", "]");
        }
        self.map(key, value, false)
    }

    fn array_of_tables(&mut self, key: &[&str], value: &Value) -> Result<(), TomlError> {
        let Kind::List(items) = &value.kind else {
            return Ok(());
        };
        for item in items.iter() {
            self.newline();
            self.header(key, "[[", "]]");
            self.map(key, item, false)?;
        }
        Ok(())
    }

    fn header(&mut self, key: &[&str], open: &str, close: &str) {
        self.indent(key);
        self.write(open);
        let dotted: Vec<String> = key.iter().map(|part| quoted_key(part)).collect();
        self.write(&dotted.join("."));
        self.write(close);
        self.newline();
    }

    /// A map's entries: plain values, then tables; inline as `{k = v, …}`.
    fn map(&mut self, key: &[&str], value: &Value, inline: bool) -> Result<(), TomlError> {
        let Kind::Map(entries) = &value.kind else {
            return Ok(());
        };
        let entries = entries.borrow();
        let mut plain = Vec::new();
        let mut tables = Vec::new();
        for (name, item) in entries.iter() {
            match shape(item)? {
                Shape::Table | Shape::ArrayOfTables => tables.push((name.as_str(), item)),
                Shape::Plain | Shape::Nil => plain.push((name.as_str(), item)),
            }
        }
        if inline {
            self.write("{");
        }
        let tables_follow = !tables.is_empty();
        for (group, comma_after_last) in [(plain, tables_follow), (tables, false)] {
            let count = group.len();
            for (at, (name, item)) in group.into_iter().enumerate() {
                if item.kind == Kind::Nil {
                    continue;
                }
                if inline {
                    self.key_value(&[name], item, true)?;
                    if comma_after_last || at + 1 != count {
                        self.write(", ");
                    }
                } else {
                    let mut nested = key.to_vec();
                    nested.push(name);
                    self.encode(&nested, item)?;
                }
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }

    /// A value after `key = ` or inside an inline array or table.
    fn element(&mut self, value: &Value) -> Result<(), TomlError> {
        match &value.kind {
            Kind::Nil => Err(NIL_IN_ARRAY),
            Kind::Bool(b) => {
                self.write(if *b { "true" } else { "false" });
                Ok(())
            }
            Kind::Int(n) => {
                self.write(&n.to_string());
                Ok(())
            }
            Kind::Float(f) => {
                self.write(&toml_float(*f));
                Ok(())
            }
            Kind::Str(s) => {
                self.write(&quoted(s.as_str()));
                Ok(())
            }
            Kind::List(items) => {
                self.write("[");
                for (at, item) in items.iter().enumerate() {
                    if at > 0 {
                        self.write(", ");
                    }
                    self.element(item)?;
                }
                self.write("]");
                Ok(())
            }
            Kind::Map(_) => self.map(&[], value, true),
        }
    }
}

/// A key bare when it is letters, digits, `_` and `-` only, else quoted.
fn quoted_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { key.to_owned() } else { quoted(key) }
}

/// A basic string: `"` and `\` escaped, control characters as `\b \t \n \f \r` or `\u00xx`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float as the TOML encoder writes it: Go's `%g` (the shortest digits; an exponent
/// below 1e-4 or from 1e6 on, written `e+06`), with `.0` added to a plain integer.
fn toml_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let printed = go_float(f);
    if printed.contains(['.', 'e']) {
        printed
    } else {
        printed + ".0"
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn map(entries: Vec<(&str, Value)>) -> Value {
        Value::map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn float(f: f64) -> Value {
        Value::new(Kind::Float(f))
    }

    fn int(n: i64) -> Value {
        Value::new(Kind::Int(n))
    }

    // The expected texts are what Helm's engine (helm-python-sdk 0.2.2, Helm SDK v4.2.3)
    // rendered for the same values read from a values file (numbers are float64 there).
    #[test]
    fn a_map_writes_plain_values_then_tables_as_helm() {
        let server = map(vec![
            ("host", Value::str("h")),
            ("tls", map(vec![("enabled", Value::new(Kind::Bool(false)))])),
            (
                "list",
                Value::list(vec![
                    map(vec![("name", Value::str("a")), ("v", float(1.0))]),
                    map(vec![("name", Value::str("b"))]),
                ]),
            ),
        ]);
        let config = map(vec![
            ("name", Value::str("web \"x\"\n")),
            ("port", float(8080.0)),
            ("ratio", float(0.5)),
            ("big", float(1e20)),
            ("empty", Value::str("")),
            ("nothing", Value::default()),
            ("tags", Value::list(vec![Value::str("a"), Value::str("b")])),
            ("key with space", float(1.0)),
            ("server", server),
            ("zeta", Value::str("z")),
            ("emptymap", map(vec![])),
            ("emptylist", Value::list(vec![])),
        ]);
        assert_eq!(
            to_toml(&config).unwrap(),
            "big = 1e+20\nempty = \"\"\nemptylist = []\n\"key with space\" = 1.0\n\
             name = \"web \\\"x\\\"\\n\"\nport = 8080.0\nratio = 0.5\ntags = [\"a\", \"b\"]\n\
             zeta = \"z\"\n\n[emptymap]\n\n[server]\n  host = \"h\"\n\n  [[server.list]]\n\
             \x20   name = \"a\"\n    v = 1.0\n\n  [[server.list]]\n    name = \"b\"\n\
             \x20 [server.tls]\n    enabled = false\n"
        );
    }

    #[test]
    fn nested_arrays_of_tables_keys_and_strings_as_helm() {
        let deep = map(vec![(
            "deep",
            map(vec![
                (
                    "arr",
                    Value::list(vec![map(vec![
                        ("inner", map(vec![("x", float(1.0))])),
                        ("list", Value::list(vec![map(vec![("y", float(2.0))])])),
                    ])]),
                ),
                ("after", float(1.0)),
            ]),
        )]);
        assert_eq!(
            to_toml(&deep).unwrap(),
            "[deep]\n  after = 1.0\n\n  [[deep.arr]]\n    [deep.arr.inner]\n      x = 1.0\n\n\
             \x20   [[deep.arr.list]]\n      y = 2.0\n"
        );
        let keys = map(vec![
            ("a.b", float(1.0)),
            ("", float(2.0)),
            ("é", float(3.0)),
            ("-x_y", float(4.0)),
            ("t", Value::str("tab\there é \u{1} \u{7f} ü")),
        ]);
        assert_eq!(
            to_toml(&keys).unwrap(),
            "\"\" = 2.0\n-x_y = 4.0\n\"a.b\" = 1.0\nt = \"tab\\there é \\u0001 \\u007f ü\"\n\
             \"é\" = 3.0\n"
        );
    }

    #[test]
    fn numbers_as_go_writes_them() {
        let numbers = map(vec![
            ("a", float(0.0000001)),
            ("b", float(123456789012.0)),
            ("c", float(1.5e300)),
            ("d", float(2500000.0)),
            ("e", float(1e21)),
            ("h", float(-3.25)),
            ("i", float(12345678901234567890.0)),
            ("k", float(0.1)),
            ("n", int(5)),
            ("z", float(0.0)),
        ]);
        assert_eq!(
            to_toml(&numbers).unwrap(),
            "a = 1e-07\nb = 1.23456789012e+11\nc = 1.5e+300\nd = 2.5e+06\ne = 1e+21\n\
             h = -3.25\ni = 1.2345678901234567e+19\nk = 0.1\nn = 5\nz = 0.0\n"
        );
    }

    #[test]
    fn what_the_encoder_refuses_or_writes_bare_as_helm() {
        let with_nil = map(vec![("l", Value::list(vec![int(1), Value::default()]))]);
        assert_eq!(to_toml(&with_nil), Err(NIL_IN_ARRAY));
        let tables = Value::list(vec![map(vec![("a", int(1))]), map(vec![("b", int(2))])]);
        assert_eq!(to_toml(&tables), Err(NO_KEY));
        assert_eq!(to_toml(&Value::list(vec![])).unwrap(), "[]");
        assert_eq!(
            to_toml(&Value::list(vec![int(1), int(2)])).unwrap(),
            "[1, 2]"
        );
        assert_eq!(to_toml(&int(3)).unwrap(), "3");
        assert_eq!(to_toml(&Value::str("s")).unwrap(), "\"s\"");
        assert_eq!(to_toml(&map(vec![])).unwrap(), "");
        let mixed = map(vec![(
            "a",
            Value::list(vec![map(vec![("x", int(1))]), int(2)]),
        )]);
        assert_eq!(to_toml(&mixed).unwrap(), "a = [{x = 1}, 2]\n");
        let typed = map(vec![
            ("i", int(5)),
            ("f", float(2.0)),
            ("b", Value::new(Kind::Bool(true))),
        ]);
        assert_eq!(to_toml(&typed).unwrap(), "b = true\nf = 2.0\ni = 5\n");
    }
}
