//! The real-world corpus beside the checkout (`../shared/corpus-real`): every file either
//! parses or yields a located PARSE diagnostic, and nothing panics. Prints what it found.

use std::collections::BTreeMap;

use akslint_core::{Family, NoticeLevel};
use akslint_tests::{files_under, lint, shared_data};

#[test]
fn real_world_corpus_lints_without_internal_errors() {
    let Some(corpus) = shared_data("corpus-real") else {
        return;
    };
    let files = files_under(&corpus, &["yaml", "yml"]);
    assert!(
        files.len() > 900,
        "expected the ~970 YAML files, found {}",
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
        "real-world corpus: {} YAML files, findings by rule: {by_code:?}",
        report.files.len()
    );
    assert_eq!(report.files.len(), files.len(), "every file is reported on");
}
