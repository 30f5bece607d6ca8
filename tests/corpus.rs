//! The fixture corpus: every file under `corpus/` marks the lines where findings start with
//! `# expect: CODE[, CODE]` (`// expect:` in Bicep; `# expect@-N: CODE` for the line N above,
//! inside block scalars; `CODE(class)` names a secret's class for the secrets evaluation) and
//! clean files with `expect: none`. The
//! files of one folder are linted together as one run (so cross-file rules see each other), and
//! the exact set of (line, code) pairs of each file must match its marks.

use std::collections::BTreeSet;
use std::path::Path;

use akslint_rules::registry;
use akslint_tests::{corpus_runs, lint, workspace_root};

#[derive(Default)]
struct Expectations {
    findings: BTreeSet<(u32, String)>,
    none: bool,
}

fn expectations(bytes: &[u8]) -> Expectations {
    let text = String::from_utf8_lossy(bytes);
    let mut expected = Expectations::default();
    for (index, line) in text.lines().enumerate() {
        for leader in ["# expect", "// expect"] {
            let Some(at) = line.find(leader) else {
                continue;
            };
            // `# expect: CODE` marks this line; `# expect@-N: CODE` the line N above (inside a
            // block scalar, where a comment would be content).
            let marker = &line[at + leader.len()..];
            let (offset, rest) = match marker.strip_prefix("@-").and_then(|m| m.split_once(':')) {
                Some((n, rest)) => (n.trim().parse::<u32>().unwrap_or(0), rest),
                None => match marker.strip_prefix(':') {
                    Some(rest) => (0, rest),
                    None => continue,
                },
            };
            let target = (index as u32 + 1).saturating_sub(offset);
            let rest = rest.find(" #").map_or(rest, |end| &rest[..end]);
            for code in rest
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                // `SEC002(azure-storage-key)`: the class is for the secrets evaluation.
                let code = code.split('(').next().unwrap_or(code);
                if code == "none" {
                    expected.none = true;
                } else {
                    expected.findings.insert((target, code.to_owned()));
                }
            }
        }
    }
    expected
}

#[test]
fn every_fixture_gets_exactly_its_expected_findings() {
    let root = workspace_root();
    let by_folder = corpus_runs();
    assert!(!by_folder.is_empty(), "no fixtures under corpus/");

    let mut failures = Vec::new();
    let mut expected_codes: BTreeSet<String> = BTreeSet::new();
    let mut clean_fixture_folders: BTreeSet<String> = BTreeSet::new();
    let mut checked = 0;
    for (folder, paths) in &by_folder {
        let report = lint(&root, paths);
        for notice in &report.notices {
            if notice.level == akslint_engine::NoticeLevel::Error {
                failures.push(format!("{}: {}", notice.path.display(), notice.message));
            }
        }
        for path in paths {
            checked += 1;
            let bytes = std::fs::read(root.join(path)).expect("readable fixture");
            let expected = expectations(&bytes);
            if expected.none != expected.findings.is_empty() {
                failures.push(format!(
                    "{}: needs either `expect: none` or `expect: CODE` marks, not both or neither",
                    path.display()
                ));
            }
            if expected.none {
                clean_fixture_folders.insert(folder.display().to_string());
            }
            expected_codes.extend(expected.findings.iter().map(|(_, code)| code.clone()));
            let actual: BTreeSet<(u32, String)> = report
                .files
                .iter()
                .filter(|f| f.file.path() == path.as_path())
                .flat_map(|f| f.diagnostics.iter())
                .map(|d| {
                    (
                        d.file.line_column(d.span.start as usize).line,
                        d.rule.code.to_owned(),
                    )
                })
                .collect();
            for missing in expected.findings.difference(&actual) {
                failures.push(format!(
                    "{}:{}: expected {} but it was not reported",
                    path.display(),
                    missing.0,
                    missing.1
                ));
            }
            for extra in actual.difference(&expected.findings) {
                let message = report
                    .diagnostics()
                    .find(|d| d.file.path() == path.as_path() && d.rule.code == extra.1)
                    .map_or(String::new(), |d| d.message.clone());
                failures.push(format!(
                    "{}:{}: unexpected {}: {message}",
                    path.display(),
                    extra.0,
                    extra.1
                ));
            }
        }
    }
    println!("corpus: {checked} fixtures in {} runs", by_folder.len());

    for meta in registry::metas() {
        if !expected_codes.contains(meta.code) {
            failures.push(format!("{}: no fixture expects this rule", meta.code));
        }
        let folder_prefix = format!("{}-", meta.code.to_ascii_lowercase());
        let has_clean = clean_fixture_folders.iter().any(|folder| {
            Path::new(folder)
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with(&folder_prefix))
        });
        if !has_clean {
            failures.push(format!(
                "{}: no `expect: none` fixture in a folder named {folder_prefix}*",
                meta.code
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
