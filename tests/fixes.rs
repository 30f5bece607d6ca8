//! Every fix offered in the fixture corpus, applied: for each run of `corpus/`, every fix (safe
//! and unsafe) is applied in memory the way `akslint check --fix --unsafe-fixes` does, and the
//! result must still parse (nothing refused, no new `PARSE` finding) and must no longer have the
//! findings that were fixed (same file, rule and subject).

use std::collections::BTreeSet;
use std::path::PathBuf;

use akslint_engine::Report;
use akslint_tests::{corpus_runs, fix_all, lint, workspace_root};

/// A finding's identity across edits: file, rule, and the object and key path it is about.
type FindingKey = (PathBuf, &'static str, String, String);

fn keys(report: &Report, only_fixable: bool) -> BTreeSet<FindingKey> {
    report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter())
        .filter(|d| !only_fixable || d.fix.is_some())
        .map(|d| {
            let subject = d.subject.clone().unwrap_or_default();
            (
                d.file.path().to_owned(),
                d.rule.code,
                subject.object,
                subject.path,
            )
        })
        .collect()
}

fn parse_findings(report: &Report) -> BTreeSet<FindingKey> {
    keys(report, false)
        .into_iter()
        .filter(|(_, code, _, _)| code.starts_with("PARSE"))
        .collect()
}

#[test]
fn every_fix_in_the_corpus_applies_and_removes_its_finding() {
    let root = workspace_root();
    let mut failures = Vec::new();
    let mut fixed_findings = 0;
    let mut codes = BTreeSet::new();
    for (folder, paths) in corpus_runs() {
        let before = lint(&root, &paths);
        let fixable = keys(&before, true);
        if fixable.is_empty() {
            continue;
        }
        let fixed = fix_all(&root, &paths);
        for notice in &fixed.refused {
            failures.push(format!(
                "{}: {}: {}",
                folder.display(),
                notice.path.display(),
                notice.message
            ));
        }
        let after = keys(&fixed.report, false);
        for key in fixable.intersection(&after) {
            failures.push(format!(
                "{}: {} at `{} {}` is still reported after its fix",
                key.0.display(),
                key.1,
                key.2,
                key.3
            ));
        }
        for key in parse_findings(&fixed.report).difference(&parse_findings(&before)) {
            failures.push(format!(
                "{}: the fixes introduced {}",
                key.0.display(),
                key.1
            ));
        }
        fixed_findings += fixable.len();
        codes.extend(fixable.iter().map(|k| k.1));
    }
    println!(
        "fixes: {fixed_findings} fixable findings of {} rules applied ({})",
        codes.len(),
        codes.iter().copied().collect::<Vec<_>>().join(", ")
    );
    assert!(fixed_findings > 0, "the corpus offers no fix at all");
    assert!(
        failures.is_empty(),
        "{} fix failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
