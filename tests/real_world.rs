//! The real-world corpus beside the checkout (`../shared/corpus-real`): every YAML file either
//! parses or yields a located PARSE diagnostic, every Bicep file parses, nothing panics, and the
//! public clusters among the Bicep files are found. Prints what it found.

use std::collections::BTreeMap;

use akslint_core::Family;
use akslint_engine::NoticeLevel;
use akslint_tests::{files_under, lint, shared_data};

#[test]
fn real_world_corpus_lints_without_internal_errors() {
    let Some(corpus) = shared_data("corpus-real") else {
        return;
    };
    let files = files_under(&corpus, &["yaml", "yml", "bicep", "bicepparam"]);
    assert!(
        files.len() > 1000,
        "expected the ~1,080 YAML and Bicep files, found {}",
        files.len()
    );
    let report = lint(&corpus, &files);
    let internal: Vec<String> = report
        .notices
        .iter()
        .filter(|n| n.level == NoticeLevel::Error)
        .map(|n| format!("{}: {}", n.path.display(), n.message))
        .collect();
    assert!(
        internal.is_empty(),
        "internal errors:\n{}",
        internal.join("\n")
    );

    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for diagnostic in report.diagnostics() {
        *by_code.entry(diagnostic.rule.code).or_default() += 1;
        if diagnostic.rule.family == Family::Parse {
            let at = diagnostic.file.line_column(diagnostic.span.start as usize);
            println!(
                "{}:{}:{}: {} {}",
                diagnostic.file.path().display(),
                at.line,
                at.column,
                diagnostic.rule.code,
                diagnostic.message
            );
            assert!(
                diagnostic.span.end as usize <= diagnostic.file.text().len(),
                "span within the file"
            );
        }
    }
    println!(
        "real-world corpus: {} YAML and Bicep files, findings by rule: {by_code:?}",
        report.files.len()
    );
    assert_eq!(report.files.len(), files.len(), "every file is reported on");
    let bicep_parse_errors: Vec<String> = report
        .diagnostics()
        .filter(|d| {
            d.rule.family == Family::Parse && d.file.kind() != akslint_core::SourceKind::Yaml
        })
        .map(|d| format!("{}: {}", d.file.path().display(), d.message))
        .collect();
    assert!(
        bicep_parse_errors.is_empty(),
        "every real Bicep file parses:\n{}",
        bicep_parse_errors.join("\n")
    );
    assert!(
        by_code.get("API001").is_some_and(|&n| n > 0),
        "public clusters among the real Bicep files are found"
    );
}
