//! Writing fix plans in Bicep syntax, through the lossless tree: a value is replaced only where
//! a literal is written, an entry is inserted only into an object literal written on several
//! lines (at its first own property's indentation), `@secure()` goes before the declaration's
//! first decorator. Anything else is declined, and the finding keeps no fix.

use akslint_core::{
    ChangeWriter, Edit, FixPlan, Literal, Span, first_key_indent, insert_before_key, render_plan,
};

use crate::ast::{Expr, ObjectExpr, ParamDecl};
use crate::{Node, Parsed, SyntaxKind};

/// A span of the Bicep tree as a span of the core model.
fn core(span: crate::Span) -> Span {
    Span::new(span.start as usize, span.end as usize)
}

use akslint_core::EntryToInsert as Entry;

/// The edits of a plan in the file `text` parsed as `parsed`, sorted; `None` when one of its
/// changes cannot be written unambiguously.
pub(crate) fn render(text: &str, parsed: &Parsed, plan: &FixPlan) -> Option<Vec<Edit>> {
    render_plan(
        plan,
        &BicepWriter {
            text,
            root: parsed.tree.root(),
        },
    )
}

/// Writes changes in a Bicep file through its lossless tree.
struct BicepWriter<'t> {
    text: &'t str,
    root: Node<'t>,
}

impl ChangeWriter for BicepWriter<'_> {
    fn replace(&self, at: Span, expected: Option<&Literal>, value: &Literal) -> Option<Edit> {
        let written = expression_at(self.root, at)?;
        if !is_literal(written) || expected.is_some_and(|e| !written_as(written, e)) {
            return None;
        }
        let indent = line_indent(self.text, at.start as usize)?;
        Some(Edit {
            span: at,
            replacement: literal(value, &indent),
        })
    }

    fn insert(&self, object: Span, entries: &[Entry<'_>]) -> Option<Edit> {
        insert_entries(self.text, self.root, object, entries)
    }

    fn mark_secure(&self, declaration: Span) -> Option<Edit> {
        mark_secure(self.text, self.root, declaration)
    }

    fn edit_string(&self, span: Span, text: &str) -> Option<Edit> {
        let token = string_content_at(self.root, span)?;
        token.contains(span).then(|| Edit {
            span,
            replacement: text.to_owned(),
        })
    }
}

/// The expression written exactly at `span` (the innermost one, when several share it).
fn expression_at(root: Node<'_>, span: Span) -> Option<Expr<'_>> {
    let mut node = root.tree().node_at(span.start);
    loop {
        if core(node.span()) == span
            && let Some(expr) = Expr::cast(node)
        {
            return Some(expr);
        }
        node = node.parent()?;
        let outer = core(node.span());
        if outer.start < span.start || outer.end > span.end {
            return None;
        }
    }
}

/// Whether an expression is a literal: a scalar, a string without holes, or an array or object
/// written out.
fn is_literal(expr: Expr<'_>) -> bool {
    match expr {
        Expr::Bool(_) | Expr::Int(_) | Expr::Null(_) | Expr::Array(_) | Expr::Object(_) => true,
        Expr::String(s) => !s.is_interpolated(),
        _ => false,
    }
}

/// Whether an expression is written as the literal `expected` (scalars only).
fn written_as(expr: Expr<'_>, expected: &Literal) -> bool {
    match expected {
        Literal::Bool(b) => expr.as_bool() == Some(*b),
        Literal::String(s) => expr.as_str().as_deref() == Some(s.as_str()),
        Literal::Array(_) | Literal::Object(_) => false,
    }
}

/// The whitespace that starts the line holding `offset`, when only whitespace precedes
/// `offset`'s line content up to its first non-blank character.
fn line_indent(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    Some(
        text[line_start..offset]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect(),
    )
}

/// A value in Bicep syntax; objects are written over several lines, each nested line starting
/// with `indent` and two more spaces per level.
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
            let mut out = String::from("{");
            for (key, value) in entries {
                out.push('\n');
                out.push_str(&inner);
                out.push_str(&entry(key, value, &inner));
            }
            out.push('\n');
            out.push_str(indent);
            out.push('}');
            out
        }
    }
}

/// `key: value`.
fn entry(key: &str, value: &Literal, indent: &str) -> String {
    format!("{}: {}", object_key(key), literal(value, indent))
}

/// An object key: the identifier when it is one, else a string.
fn object_key(key: &str) -> String {
    let is_identifier = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_identifier {
        key.to_owned()
    } else {
        string(key)
    }
}

/// A single-quoted Bicep string.
fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `path: value` nested, e.g. `a: {\n  b: value\n}` for `[a, b]`, lines after the first indented
/// by `indent`.
fn nested_entry(path: &[String], value: &Literal, indent: &str) -> Option<String> {
    match path {
        [] => None,
        [last] => Some(entry(last, value, indent)),
        [first, rest @ ..] => {
            let inner = format!("{indent}  ");
            let nested = nested_entry(rest, value, &inner)?;
            Some(format!(
                "{}: {{\n{inner}{nested}\n{indent}}}",
                object_key(first)
            ))
        }
    }
}

/// One edit that inserts the entries before the first property written in the object literal
/// at `object`, at that property's indentation. The object must be written over several lines
/// with its first own property on a line of its own, and must not have the entries' keys.
fn insert_entries(text: &str, root: Node<'_>, object: Span, entries: &[Entry<'_>]) -> Option<Edit> {
    let Expr::Object(written) = expression_at(root, object)? else {
        return None;
    };
    if entries
        .iter()
        .any(|(path, _)| path.first().is_some_and(|key| has_key(written, key)))
    {
        return None;
    }
    let key_start = written.properties().next()?.key_span().start as usize;
    let indent = first_key_indent(text, object, key_start)?;
    let lines = entries
        .iter()
        .map(|(path, value)| nested_entry(path, value, indent))
        .collect::<Option<Vec<String>>>()?;
    Some(insert_before_key(key_start, indent, &lines, ""))
}

/// Whether the object literal writes the key itself (compared ignoring case, as Azure does).
fn has_key(object: ObjectExpr<'_>, key: &str) -> bool {
    object
        .properties()
        .any(|p| p.key().is_some_and(|k| k.eq_ignore_ascii_case(key)))
}

/// `@secure()` on its own line before the declaration of the parameter whose name is written at
/// `name`, with the declaration's indentation and the file's line ending.
fn mark_secure(text: &str, root: Node<'_>, name: Span) -> Option<Edit> {
    let parameter = root
        .tree()
        .node_at(name.start)
        .parent()
        .into_iter()
        .chain(std::iter::once(root.tree().node_at(name.start)))
        .find_map(ParamDecl::cast)?;
    if core(parameter.name()?.span()) != name || parameter.decorator("secure").is_some() {
        return None;
    }
    let start = parameter
        .decorators()
        .next()
        .map(|d| d.span().start)
        .or_else(|| keyword_start(parameter.syntax()))? as usize;
    let indent = line_indent(text, start)?;
    let newline = if text[start..].contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(Edit {
        span: Span::empty(start),
        replacement: format!("@secure(){newline}{indent}"),
    })
}

/// Where a declaration's keyword starts.
fn keyword_start(declaration: Node<'_>) -> Option<u32> {
    declaration
        .child_tokens()
        .find(|t| t.kind() == SyntaxKind::Ident)
        .map(|t| t.span().start)
}

/// The span of the string token holding `span` (between the quotes of a string literal, outside
/// its holes).
fn string_content_at(root: Node<'_>, span: Span) -> Option<Span> {
    let node = root.tree().node_at(span.start);
    let literal = if node.kind() == SyntaxKind::StringLiteral {
        node
    } else {
        node.parent()
            .filter(|p| p.kind() == SyntaxKind::StringLiteral)?
    };
    literal
        .child_tokens()
        .filter(|t| {
            matches!(
                t.kind(),
                SyntaxKind::String
                    | SyntaxKind::StringHead
                    | SyntaxKind::StringMiddle
                    | SyntaxKind::StringTail
            )
        })
        .map(|t| core(t.span()))
        .find(|t| t.start < span.start && span.end < t.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::Change;

    fn plan(change: Change) -> FixPlan {
        FixPlan::new("fix", akslint_core::Applicability::Safe, change)
    }

    fn apply(text: &str, edits: &[Edit]) -> String {
        let mut out = text.to_owned();
        for edit in edits.iter().rev() {
            out.replace_range(edit.span.range(), &edit.replacement);
        }
        out
    }

    fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("needle");
        Span::new(start, start + needle.len())
    }

    #[test]
    fn a_literal_false_becomes_true_and_an_expression_stays() {
        let text = "resource a 'T@1' = {\n  properties: {\n    x: false\n    y: !z\n  }\n}\n";
        let parsed = crate::parse(text);
        let replace = |at: Span| {
            plan(Change::Replace {
                at,
                expected: Some(Literal::Bool(false)),
                value: Literal::Bool(true),
            })
        };
        let edits = render(text, &parsed, &replace(span_of(text, "false"))).expect("edits");
        assert!(apply(text, &edits).contains("x: true"));
        assert!(render(text, &parsed, &replace(span_of(text, "!z"))).is_none());
    }

    #[test]
    fn entries_go_before_the_first_property_nested_and_indented() {
        let text = "resource a 'T@1' = {\n  properties: {\n    dnsPrefix: 'p'\n  }\n}\n";
        let parsed = crate::parse(text);
        let object = span_of(text, "{\n    dnsPrefix: 'p'\n  }");
        let mut both = plan(Change::Insert {
            object,
            path: vec!["aadProfile".into(), "managed".into()],
            value: Literal::Bool(true),
        });
        both.changes.push(Change::Insert {
            object,
            path: vec!["disableLocalAccounts".into()],
            value: Literal::Bool(true),
        });
        let edits = render(text, &parsed, &both).expect("edits");
        assert_eq!(edits.len(), 1);
        assert_eq!(
            apply(text, &edits),
            "resource a 'T@1' = {\n  properties: {\n    aadProfile: {\n      managed: true\n    }\n    disableLocalAccounts: true\n    dnsPrefix: 'p'\n  }\n}\n"
        );
        // Written on one line, or with the key already there: declined.
        let one_line = "resource a 'T@1' = {\n  properties: { dnsPrefix: 'p' }\n}\n";
        let insert = plan(Change::Insert {
            object: span_of(one_line, "{ dnsPrefix: 'p' }"),
            path: vec!["x".into()],
            value: Literal::Bool(true),
        });
        assert!(render(one_line, &crate::parse(one_line), &insert).is_none());
        let has = plan(Change::Insert {
            object,
            path: vec!["DNSPREFIX".into()],
            value: Literal::Bool(true),
        });
        assert!(render(text, &parsed, &has).is_none());
    }

    #[test]
    fn objects_and_strings_are_written_in_bicep() {
        let value = Literal::Object(vec![
            ("enabled".into(), Literal::Bool(true)),
            (
                "config".into(),
                Literal::Object(vec![(
                    "enableSecretRotation".into(),
                    Literal::String("true".into()),
                )]),
            ),
            ("odd-key".into(), Literal::String("it's ${x}".into())),
        ]);
        assert_eq!(
            literal(&value, "  "),
            "{\n    enabled: true\n    config: {\n      enableSecretRotation: 'true'\n    }\n    'odd-key': 'it\\'s \\${x}'\n  }"
        );
    }

    #[test]
    fn secure_goes_before_the_first_decorator() {
        let text = "  @description('p')\n  param adminPassword string\n";
        let parsed = crate::parse(text);
        let edits = render(
            text,
            &parsed,
            &plan(Change::MarkSecure {
                declaration: span_of(text, "adminPassword"),
            }),
        )
        .expect("edits");
        assert_eq!(
            apply(text, &edits),
            "  @secure()\n  @description('p')\n  param adminPassword string\n"
        );
    }
}
