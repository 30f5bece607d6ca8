//! Writing fix plans in ARM JSON: a value is replaced only where a JSON literal is written (not a
//! `[…]` expression), an entry is inserted only into an object written on several lines (before
//! its first property, at that property's indentation), a parameter is made secure by turning its
//! `"type"` into `securestring` or `secureObject`, and text inside a string is replaced only where
//! the file holds it byte for byte. Anything else is declined, and the finding keeps no fix.

use akslint_core::{
    ChangeWriter, Edit, FixPlan, Literal, NodeId, NodeKind, Span, Tree, first_key_indent,
    insert_before_key, render_plan,
};

use crate::expression::is_expression;
use crate::json::JsonDocument;

use akslint_core::EntryToInsert as Entry;

/// The edits of a plan in the JSON file `text` read as `document`, sorted; `None` when one of its
/// changes cannot be written unambiguously.
pub fn render(text: &str, document: &JsonDocument, plan: &FixPlan) -> Option<Vec<Edit>> {
    render_plan(
        plan,
        &JsonWriter {
            text,
            tree: &document.tree,
        },
    )
}

/// Writes changes in a JSON file through its tree.
struct JsonWriter<'t> {
    text: &'t str,
    tree: &'t Tree,
}

impl ChangeWriter for JsonWriter<'_> {
    fn replace(&self, at: Span, expected: Option<&Literal>, value: &Literal) -> Option<Edit> {
        let node = node_at(self.tree, at)?;
        if !is_literal(self.tree, node) || expected.is_some_and(|e| !written_as(self.tree, node, e))
        {
            return None;
        }
        Some(Edit {
            span: at,
            replacement: literal(value, &line_indent(self.text, at.start as usize)),
        })
    }

    fn insert(&self, object: Span, entries: &[Entry<'_>]) -> Option<Edit> {
        insert_entries(self.text, self.tree, object, entries)
    }

    fn mark_secure(&self, declaration: Span) -> Option<Edit> {
        mark_secure(self.tree, declaration)
    }

    fn edit_string(&self, span: Span, text: &str) -> Option<Edit> {
        let tree = self.tree;
        let verbatim = tree.iter().any(|(id, node)| {
            let outer = tree.span(id);
            matches!(node.kind, NodeKind::Scalar(_))
                && self.text.as_bytes().get(outer.start as usize) == Some(&b'"')
                && outer.start < span.start
                && span.end < outer.end
        });
        let written = &self.text[span.start as usize..span.end as usize];
        (verbatim && !written.contains(['\\', '"'])).then(|| Edit {
            span,
            replacement: text.to_owned(),
        })
    }
}

/// The node written exactly at `span`.
fn node_at(tree: &Tree, span: Span) -> Option<NodeId> {
    tree.iter()
        .map(|(id, _)| id)
        .find(|&id| tree.span(id) == span)
}

/// Whether a node is a JSON literal: a scalar that is not a template expression, or an array or
/// object written out.
fn is_literal(tree: &Tree, node: NodeId) -> bool {
    match &tree.node(node).kind {
        NodeKind::Scalar(_) => !tree.str(node).is_some_and(is_expression),
        NodeKind::Sequence(_) | NodeKind::Mapping(_) => true,
        NodeKind::Unknown | NodeKind::Alias(_) => false,
    }
}

/// Whether a node is written as the literal `expected` (scalars only).
fn written_as(tree: &Tree, node: NodeId, expected: &Literal) -> bool {
    match expected {
        Literal::Bool(b) => tree.bool(node) == Some(*b),
        Literal::String(s) => tree.str(node) == Some(s.as_str()),
        Literal::Array(_) | Literal::Object(_) => false,
    }
}

/// The whitespace that starts the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> String {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// A value in JSON; objects are written over several lines, each nested line starting with
/// `indent` and two more spaces per level.
fn literal(value: &Literal, indent: &str) -> String {
    match value {
        Literal::Bool(b) => b.to_string(),
        Literal::String(s) => string(s),
        Literal::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| literal(i, indent)).collect();
            format!("[{}]", items.join(", "))
        }
        Literal::Object(entries) => {
            let inner = format!("{indent}  ");
            let lines: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{inner}{}", entry(key, value, &inner)))
                .collect();
            format!("{{\n{}\n{indent}}}", lines.join(",\n"))
        }
    }
}

/// `"key": value`.
fn entry(key: &str, value: &Literal, indent: &str) -> String {
    format!("{}: {}", string(key), literal(value, indent))
}

/// A JSON string; a text that ARM would read as an expression (`[…]`) is escaped as `[[…]`.
fn string(value: &str) -> String {
    if is_expression(value) {
        akslint_core::double_quoted(&format!("[{value}"))
    } else {
        akslint_core::double_quoted(value)
    }
}

/// `"path": value` nested, e.g. `"a": {\n  "b": value\n}` for `[a, b]`, lines after the first
/// indented by `indent`.
fn nested_entry(path: &[String], value: &Literal, indent: &str) -> Option<String> {
    match path {
        [] => None,
        [last] => Some(entry(last, value, indent)),
        [first, rest @ ..] => {
            let inner = format!("{indent}  ");
            let nested = nested_entry(rest, value, &inner)?;
            Some(format!(
                "{}: {{\n{inner}{nested}\n{indent}}}",
                string(first)
            ))
        }
    }
}

/// One edit that inserts the entries before the first property of the object at `object`, at
/// that property's indentation, each followed by a comma. The object must be written over
/// several lines with its first property on a line of its own, and must not have the entries'
/// keys (compared ignoring case, as ARM does).
fn insert_entries(text: &str, tree: &Tree, object: Span, entries: &[Entry<'_>]) -> Option<Edit> {
    let node = node_at(tree, object)?;
    let NodeKind::Mapping(written) = &tree.node(node).kind else {
        return None;
    };
    let has_key = |key: &str| {
        written
            .iter()
            .any(|e| tree.str(e.key).is_some_and(|k| k.eq_ignore_ascii_case(key)))
    };
    if entries
        .iter()
        .any(|(path, _)| path.first().is_some_and(|key| has_key(key)))
    {
        return None;
    }
    let key_start = tree.span(written.first()?.key).start as usize;
    let indent = first_key_indent(text, object, key_start)?;
    let lines = entries
        .iter()
        .map(|(path, value)| nested_entry(path, value, indent))
        .collect::<Option<Vec<String>>>()?;
    Some(insert_before_key(key_start, indent, &lines, ","))
}

/// Makes the parameter whose name is written at `name` secure: its `"type"` of `string` becomes
/// `securestring`, `object` becomes `secureObject`.
fn mark_secure(tree: &Tree, name: Span) -> Option<Edit> {
    let declaration = tree.iter().find_map(|(_, node)| match &node.kind {
        NodeKind::Mapping(entries) => entries.iter().find(|e| tree.span(e.key) == name).copied(),
        _ => None,
    })?;
    let type_entry = tree.entries(declaration.value).iter().find(|e| {
        tree.str(e.key)
            .is_some_and(|k| k.eq_ignore_ascii_case("type"))
    })?;
    let secure = match tree.str(type_entry.value)?.to_ascii_lowercase().as_str() {
        "string" => "securestring",
        "object" => "secureObject",
        _ => return None,
    };
    Some(Edit {
        span: tree.span(type_entry.value),
        replacement: string(secure),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::{Applicability, Change};

    fn apply(text: &str, change: Change) -> Option<String> {
        let document = crate::json::parse(text);
        let plan = FixPlan::new("fix", Applicability::Safe, change);
        let edits = render(text, &document, &plan)?;
        let mut out = text.to_owned();
        for edit in edits.iter().rev() {
            out.replace_range(
                edit.span.start as usize..edit.span.end as usize,
                &edit.replacement,
            );
        }
        assert!(crate::json::parse(&out).problems.is_empty(), "{out}");
        Some(out)
    }

    fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("in the text");
        Span::new(start, start + needle.len())
    }

    #[test]
    fn literals_are_replaced_expressions_are_not() {
        let text = "{\n  \"a\": false,\n  \"b\": \"[parameters('x')]\"\n}";
        let replace = |at: Span| Change::Replace {
            at,
            expected: Some(Literal::Bool(false)),
            value: Literal::Bool(true),
        };
        assert_eq!(
            apply(text, replace(span_of(text, "false"))).as_deref(),
            Some("{\n  \"a\": true,\n  \"b\": \"[parameters('x')]\"\n}")
        );
        assert_eq!(
            apply(text, replace(span_of(text, "\"[parameters('x')]\""))),
            None
        );
        let string = Change::Replace {
            at: span_of(text, "false"),
            expected: None,
            value: Literal::String("[say \"hi\"]".into()),
        };
        assert!(
            apply(text, string)
                .unwrap()
                .contains(r#""a": "[[say \"hi\"]","#)
        );
    }

    #[test]
    fn entries_are_inserted_into_objects_on_several_lines() {
        let text = "{\n  \"properties\": {\n    \"dnsPrefix\": \"aks\"\n  }\n}";
        let object = span_of(text, "{\n    \"dnsPrefix\": \"aks\"\n  }");
        let insert = |path: &[&str]| Change::Insert {
            object,
            path: path.iter().map(|s| s.to_string()).collect(),
            value: Literal::Bool(true),
        };
        assert_eq!(
            apply(text, insert(&["oidcIssuerProfile", "enabled"])).as_deref(),
            Some(
                "{\n  \"properties\": {\n    \"oidcIssuerProfile\": {\n      \"enabled\": true\n    },\n    \"dnsPrefix\": \"aks\"\n  }\n}"
            )
        );
        // A key the object already has (in any case) is not inserted again.
        assert_eq!(apply(text, insert(&["DNSPrefix"])), None);
        // An object on one line is declined.
        let flat = "{\"properties\": {\"dnsPrefix\": \"aks\"}}";
        let change = Change::Insert {
            object: span_of(flat, "{\"dnsPrefix\": \"aks\"}"),
            path: vec!["x".into()],
            value: Literal::Bool(true),
        };
        assert_eq!(apply(flat, change), None);
    }

    #[test]
    fn parameters_are_made_secure_by_their_type() {
        let text = "{\n  \"parameters\": {\n    \"adminPassword\": { \"type\": \"string\" },\n    \"count\": { \"type\": \"int\" }\n  }\n}";
        let secure = |name: &str| Change::MarkSecure {
            declaration: span_of(text, name),
        };
        assert!(
            apply(text, secure("\"adminPassword\""))
                .unwrap()
                .contains(r#""adminPassword": { "type": "securestring" }"#)
        );
        assert_eq!(apply(text, secure("\"count\"")), None);
    }

    #[test]
    fn text_inside_a_plain_string_is_edited() {
        let text = "{ \"image\": \"docker.io/app:1\", \"esc\": \"a\\u0041b\" }";
        let edit = |span: Span| Change::EditString {
            span,
            text: "mcr.microsoft.com".into(),
        };
        assert!(
            apply(text, edit(span_of(text, "docker.io")))
                .unwrap()
                .contains("mcr.microsoft.com/app:1")
        );
        assert_eq!(apply(text, edit(span_of(text, "\\u0041"))), None);
    }
}
