//! Rule documentation: `rules/` is generated from the rules' doc comments and must not drift,
//! and the examples in each doc comment are linted: the bad one must raise the rule, the good one
//! nothing at all.
//!
//! Regenerate with `AKSLINT_UPDATE_DOCS=1 cargo test -p akslint-tests --test rule_docs`.

use std::collections::BTreeMap;

use akslint_core::RuleMeta;
use akslint_rules::registry;
use akslint_tests::{lint_texts_every_rule, workspace_root};

/// Rules whose examples cannot be linted as text alone: a file over a size limit, nesting too
/// deep to write out, bytes that are not text (tested in the CLI's bad-input tests), a chart
/// template (it needs its chart on disk; the corpus has fixtures).
const EXAMPLES_NOT_LINTABLE: &[&str] = &["PARSE002", "PARSE003", "PARSE005", "PARSE010"];

fn expected_pages() -> BTreeMap<String, String> {
    let mut pages: BTreeMap<String, String> = registry::metas()
        .map(|m| (m.page_file_name(), m.page_markdown()))
        .collect();
    pages.insert("README.md".to_owned(), registry::index_markdown());
    pages
}

#[test]
fn rules_folder_matches_the_doc_comments() {
    let folder = workspace_root().join("rules");
    let expected = expected_pages();
    if std::env::var_os("AKSLINT_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&folder).expect("create rules/");
        for entry in std::fs::read_dir(&folder).expect("read rules/").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !expected.contains_key(&name) {
                std::fs::remove_file(entry.path()).expect("remove a stale page");
            }
        }
        for (name, text) in &expected {
            std::fs::write(folder.join(name), text).expect("write a page");
        }
    }
    let mut problems = Vec::new();
    for (name, text) in &expected {
        match std::fs::read_to_string(folder.join(name)) {
            Ok(actual) if actual == *text => {}
            Ok(_) => problems.push(format!("rules/{name} is out of date")),
            Err(_) => problems.push(format!("rules/{name} is missing")),
        }
    }
    for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !expected.contains_key(&name) {
            problems.push(format!("rules/{name} belongs to no rule"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nregenerate with: AKSLINT_UPDATE_DOCS=1 cargo test -p akslint-tests --test rule_docs",
        problems.join("\n")
    );
}

/// The fenced code blocks of the section under `## heading`, with their languages.
fn code_blocks(docs: &str, heading: &str) -> Vec<(String, String)> {
    let Some(start) = docs.find(&format!("## {heading}\n")) else {
        return Vec::new();
    };
    let section = &docs[start + heading.len() + 4..];
    let mut section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut blocks = Vec::new();
    while let Some(open) = section.find("```") {
        let after_fence = &section[open + 3..];
        let Some(language_end) = after_fence.find('\n') else {
            break;
        };
        let language = after_fence[..language_end].trim().to_owned();
        let body = &after_fence[language_end + 1..];
        let Some(close) = body.find("```") else {
            break;
        };
        blocks.push((language, body[..close].to_owned()));
        section = &body[close + 3..];
    }
    blocks
}

/// The name an example is linted under: a YAML block that is a kustomization is built as one.
fn example_file_name(language: &str, code: &str) -> Option<&'static str> {
    match language {
        "yaml" if code.contains("kind: Kustomization") => Some("kustomization.yaml"),
        "yaml" => Some("example.yaml"),
        "bicep" => Some("example.bicep"),
        "bicepparam" => Some("example.bicepparam"),
        "json" => Some("azuredeploy.json"),
        _ => None,
    }
}

fn check_examples(meta: &RuleMeta, problems: &mut Vec<String>) {
    let docs = meta.docs_markdown();
    for section in [
        "What it does",
        "Why it matters",
        "Example",
        "Use instead",
        "How to fix",
        "References",
    ] {
        if !docs.contains(&format!("## {section}\n")) {
            problems.push(format!(
                "{}: the doc comment lacks a `## {section}` section",
                meta.code
            ));
        }
    }
    let lintable = !EXAMPLES_NOT_LINTABLE.contains(&meta.code);
    for (heading, must_raise) in [("Example", true), ("Use instead", false)] {
        let blocks = code_blocks(&docs, heading);
        if blocks.is_empty() {
            problems.push(format!("{}: no code block under `## {heading}`", meta.code));
            continue;
        }
        // Several blocks (a Bicep template and the manifests deployed to it) are one run.
        let mut files = Vec::new();
        for (index, (language, code)) in blocks.iter().enumerate() {
            match example_file_name(language, code) {
                Some(name) if index == 0 => files.push((name.to_owned(), code.as_str())),
                Some(name) => files.push((format!("{index}-{name}"), code.as_str())),
                None if lintable => problems.push(format!(
                    "{}: the `## {heading}` blocks must be yaml, bicep or json to be linted",
                    meta.code
                )),
                None => {}
            }
        }
        if files.is_empty() {
            continue;
        }
        let named: Vec<(&str, &str)> = files.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        let report = lint_texts_every_rule(&named);
        let codes: Vec<&str> = report.diagnostics().map(|d| d.rule.code).collect();
        if must_raise && !codes.contains(&meta.code) {
            problems.push(format!(
                "{}: the bad example does not raise it (got {codes:?})",
                meta.code
            ));
        }
        if !must_raise && !codes.is_empty() {
            problems.push(format!("{}: the good example raises {codes:?}", meta.code));
        }
    }
}

#[test]
fn doc_examples_behave_as_documented() {
    let mut problems = Vec::new();
    for meta in registry::metas() {
        check_examples(meta, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
