//! The ecosystem check of the secret rules: every `SEC` finding on the real files beside the
//! checkout (`../shared/corpus-real`, `../shared/bicep-conformance`, `../shared/helm-charts`:
//! YAML, Bicep, and the JSON files that are ARM templates or parameter files), reviewed by hand
//! and recorded in `tests/ecosystem/secret-findings.tsv` with its verdict (`TRUE` a real
//! secret, `FALSE` not one) and why. The test fails when a finding appears that
//! the file does not record, or a recorded one disappears, so every change of the rules' output
//! on real files is reviewed; `FALSE` entries are the known false positives still to fix.
//!
//! `AKSLINT_UPDATE_ECOSYSTEM=1` rewrites the file: recorded entries keep their verdict, new
//! ones are added as `UNREVIEWED` (which fails the test until reviewed), vanished ones dropped.

use std::collections::BTreeMap;
use std::path::Path;

use akslint_core::{Family, SourceKind};
use akslint_tests::{files_under, lint, shared_data, workspace_root};

/// The data sets, by their folder name under `../shared`.
const DATA_SETS: &[&str] = &["corpus-real", "bicep-conformance", "helm-charts"];

/// The recorded file, relative to the workspace root.
const RECORD: &str = "tests/ecosystem/secret-findings.tsv";

/// A finding's key: rule and `set/path:line`.
type Key = (String, String);

/// The SEC findings of every data set (one run per set), with how many of each key.
fn findings() -> Option<BTreeMap<Key, usize>> {
    let mut found = BTreeMap::new();
    for set in DATA_SETS {
        let folder = shared_data(set)?;
        // JSON files are linted when they are ARM templates or parameter files, as a walk
        // lints them; a named file is linted whatever its content.
        let files: Vec<_> = files_under(&folder, &["yaml", "yml", "bicep", "bicepparam", "json"])
            .into_iter()
            .filter(|path| {
                path.extension().is_none_or(|e| e != "json")
                    || std::fs::read(folder.join(path))
                        .is_ok_and(|bytes| SourceKind::sniff_json(&bytes).is_some())
            })
            .collect();
        let report = lint(&folder, &files);
        for diagnostic in report.diagnostics() {
            if diagnostic.rule.family != Family::Sec {
                continue;
            }
            let line = diagnostic
                .file
                .line_column(diagnostic.span.start as usize)
                .line;
            let path = diagnostic.file.path().to_string_lossy().replace('\\', "/");
            let key = (
                diagnostic.rule.code.to_owned(),
                format!("{set}/{path}:{line}"),
            );
            *found.entry(key).or_default() += 1;
        }
    }
    Some(found)
}

/// A recorded entry: its verdict and why.
struct Review {
    verdict: String,
    why: String,
}

/// The recorded entries, by key (a key recorded twice is two findings there).
fn recorded(text: &str) -> BTreeMap<Key, Vec<Review>> {
    let mut entries: BTreeMap<Key, Vec<Review>> = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        let [verdict, rule, place, why] = fields[..] else {
            panic!("{RECORD}:{}: expected 4 tab-separated fields", number + 1);
        };
        assert!(
            ["TRUE", "FALSE", "UNREVIEWED"].contains(&verdict),
            "{RECORD}:{}: verdict {verdict:?}",
            number + 1
        );
        entries
            .entry((rule.to_owned(), place.to_owned()))
            .or_default()
            .push(Review {
                verdict: verdict.to_owned(),
                why: why.to_owned(),
            });
    }
    entries
}

fn render(entries: &BTreeMap<Key, Vec<Review>>) -> String {
    let mut out = String::from(
        "# The SEC findings on ../shared (tests/ecosystem.rs), reviewed: verdict, rule, place, why.\n\
         # TRUE: a real secret (a credential a deployment would use, weak or not); FALSE: not a secret.\n",
    );
    for ((rule, place), reviews) in entries {
        for review in reviews {
            out.push_str(&format!(
                "{}\t{rule}\t{place}\t{}\n",
                review.verdict, review.why
            ));
        }
    }
    out
}

#[test]
fn every_secret_finding_on_real_files_is_reviewed() {
    let Some(found) = findings() else {
        return;
    };
    let path = workspace_root().join(RECORD);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut entries = recorded(&text);
    let mut appeared = Vec::new();
    let mut vanished = Vec::new();
    for (key, count) in &found {
        let reviews = entries.entry(key.clone()).or_default();
        while reviews.len() < *count {
            appeared.push(format!("{} {}", key.0, key.1));
            reviews.push(Review {
                verdict: "UNREVIEWED".to_owned(),
                why: String::new(),
            });
        }
        while reviews.len() > *count {
            vanished.push(format!("{} {}", key.0, key.1));
            reviews.pop();
        }
    }
    entries.retain(|key, reviews| {
        if found.contains_key(key) {
            return true;
        }
        vanished.extend(reviews.iter().map(|_| format!("{} {}", key.0, key.1)));
        false
    });
    let count = |verdict: &str| {
        entries
            .values()
            .flatten()
            .filter(|r| r.verdict == verdict)
            .count()
    };
    eprintln!(
        "ecosystem check: {} SEC findings: {} TRUE, {} FALSE, {} unreviewed",
        found.values().sum::<usize>(),
        count("TRUE"),
        count("FALSE"),
        count("UNREVIEWED")
    );
    if std::env::var_os("AKSLINT_UPDATE_ECOSYSTEM").is_some() {
        std::fs::create_dir_all(Path::new(&path).parent().expect("a folder")).expect("mkdir");
        std::fs::write(&path, render(&entries)).expect("write the record");
        return;
    }
    assert!(
        appeared.is_empty() && vanished.is_empty(),
        "the SEC findings on real files changed; review them in {RECORD} \
         (AKSLINT_UPDATE_ECOSYSTEM=1 writes the new ones as UNREVIEWED)\nappeared:\n{}\nvanished:\n{}",
        appeared.join("\n"),
        vanished.join("\n")
    );
    assert_eq!(count("UNREVIEWED"), 0, "unreviewed entries in {RECORD}");
}
