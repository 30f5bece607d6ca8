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

/// Copies `corpus/` under `root` with every line break written `\r\n`.
fn corpus_with_crlf(root: &std::path::Path) {
    for entry in walk_files(&workspace_root().join("corpus")) {
        let relative = entry
            .strip_prefix(workspace_root())
            .expect("under the workspace");
        let target = root.join(relative);
        std::fs::create_dir_all(target.parent().expect("a folder")).expect("mkdir");
        let bytes = std::fs::read(&entry).expect("read");
        match String::from_utf8(bytes) {
            Ok(text) if !text.contains('\r') => {
                std::fs::write(&target, text.replace('\n', "\r\n")).expect("write")
            }
            Ok(text) => std::fs::write(&target, text).expect("write"),
            Err(err) => std::fs::write(&target, err.into_bytes()).expect("write"),
        }
    }
}

fn walk_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn fixes_keep_the_line_breaks_of_a_crlf_file() {
    let crlf_root = tempfile::tempdir().expect("temp dir");
    corpus_with_crlf(crlf_root.path());
    let root = workspace_root();
    let mut compared = 0;
    let mut failures = Vec::new();
    for (folder, paths) in corpus_runs() {
        let lf = fix_all(&root, &paths);
        if lf.changes.is_empty() {
            continue;
        }
        let crlf = fix_all(crlf_root.path(), &paths);
        for (path, (_, fixed)) in &lf.changes {
            compared += 1;
            let expected = fixed.replace('\n', "\r\n");
            match crlf.changes.get(path) {
                Some((_, got)) if *got == expected => {}
                Some((_, got)) => failures.push(format!(
                    "{}: {}: the fixed CRLF file differs:\n{}",
                    folder.display(),
                    path.display(),
                    akslint_cli::fix::unified_diff(path, (&expected, &[]), (got, &[]))
                )),
                None => failures.push(format!(
                    "{}: {}: fixed with LF line breaks, not with CRLF",
                    folder.display(),
                    path.display()
                )),
            }
        }
    }
    assert!(compared > 10, "only {compared} fixed files compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
