//! The JSON reader and the expression parser on every compiled template of the Bicep compiler's
//! samples (`shared/bicep-conformance/**/main.json`, what `bicep build` writes): the tree equals
//! what `serde_json` reads, every string's span holds exactly that string, and every expression
//! parses. Skips with a notice when the data is absent (fails under `CI=true`).

use std::path::{Path, PathBuf};

use akslint_arm::expression::{StringValue, classify};
use akslint_arm::json::{JsonDocument, parse};
use akslint_core::{NodeId, NodeKind, ScalarType};

fn templates() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bicep-conformance");
    if !dir.is_dir() {
        let what = format!("conformance data not found at {}", dir.display());
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{what}, under CI"
        );
        eprintln!("NOTICE: {what}; skipping");
        return None;
    }
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}

/// Whether the node equals the `serde_json` value (numbers compared by value).
fn same(doc: &JsonDocument, node: NodeId, value: &serde_json::Value) -> bool {
    match (&doc.tree.node(node).kind, value) {
        (NodeKind::Mapping(entries), serde_json::Value::Object(map)) => {
            entries.len() == map.len()
                && entries.iter().all(|e| {
                    let key = doc.tree.str(e.key).unwrap_or_default();
                    map.get(key).is_some_and(|v| same(doc, e.value, v))
                })
        }
        (NodeKind::Sequence(items), serde_json::Value::Array(values)) => {
            items.len() == values.len() && items.iter().zip(values).all(|(i, v)| same(doc, *i, v))
        }
        (NodeKind::Scalar(scalar), value) => match (scalar.ty, value) {
            (ScalarType::String, serde_json::Value::String(s)) => scalar.text == s.as_str(),
            (ScalarType::Bool, serde_json::Value::Bool(b)) => scalar.as_bool() == Some(*b),
            (ScalarType::Null, serde_json::Value::Null) => true,
            (ScalarType::Int | ScalarType::Float, serde_json::Value::Number(n)) => {
                scalar.text.parse::<f64>().ok() == n.as_f64()
            }
            _ => false,
        },
        _ => false,
    }
}

#[test]
fn compiled_templates_read_as_serde_json_reads_them_with_exact_spans() {
    let Some(files) = templates() else { return };
    let (mut strings, mut expressions, mut failures) = (0, 0, Vec::new());
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let doc = parse(&text);
        let expected: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        if !doc.problems.is_empty() || !doc.root.is_some_and(|root| same(&doc, root, &expected)) {
            failures.push(format!("{}: {:?}", path.display(), doc.problems.first()));
            continue;
        }
        for (id, node) in doc.tree.iter() {
            let NodeKind::Scalar(scalar) = &node.kind else {
                continue;
            };
            if scalar.ty != ScalarType::String {
                continue;
            }
            strings += 1;
            let written = &text[node.span.start as usize..node.span.end as usize];
            let reread: String =
                serde_json::from_str(written).expect("a string's span is a JSON string");
            assert_eq!(reread, scalar.text.as_str(), "{}", path.display());
            match classify(&scalar.text) {
                Ok(StringValue::Expression(_)) => expressions += 1,
                Ok(StringValue::Literal(_)) => {}
                Err(err) => failures.push(format!(
                    "{}: node {id:?}: {:?}: {}",
                    path.display(),
                    scalar.text,
                    err.message
                )),
            }
        }
    }
    eprintln!(
        "{} compiled templates: {strings} strings, {expressions} expressions, all read",
        files.len()
    );
    assert!(
        files.len() > 100,
        "the samples hold their compiled templates"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
