//! The secrets evaluation: precision and recall of the SEC rules per secret class, over the
//! labelled fixtures under `corpus/sec/` (positives are `# expect: SECxxx(class)` marks, hard
//! negatives `# neg: what` marks; `// expect:` and `// neg:` in Bicep and ARM JSON). Run it to see the table:
//!
//! ```sh
//! cargo test -p akslint-tests --test secrets_eval -- --nocapture
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use akslint_tests::{files_under, lint, workspace_root};

/// What a fixture line is labelled as.
#[derive(Default)]
struct Labels {
    /// (line, code, class) of every expected secret finding.
    positives: BTreeSet<(PathBuf, u32, String, String)>,
    /// How many hard negatives are marked, by format.
    negatives: BTreeMap<&'static str, usize>,
}

/// The format of a fixture: `Bicep` (`.bicep` and `.bicepparam`), `ARM JSON` (`.json`
/// templates and parameter files) or `YAML`.
fn format_of(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("bicep" | "bicepparam") => "Bicep",
        Some("json") => "ARM JSON",
        _ => "YAML",
    }
}

/// Classes of findings about declarations rather than secret values (a parameter that is not
/// `@secure()`, an output that returns a key).
const NOT_VALUES: &[&str] = &["param-not-secure", "output-leak"];

fn parse_labels(path: &Path, text: &str, labels: &mut Labels) {
    for (index, line) in text.lines().enumerate() {
        let line_number = index as u32 + 1;
        for leader in ["# ", "// "] {
            if let Some(at) = line.find(&format!("{leader}neg")) {
                let marker = &line[at + leader.len() + 3..];
                if marker.starts_with(':') || marker.starts_with('@') {
                    *labels.negatives.entry(format_of(path)).or_default() += 1;
                }
            }
            let Some(at) = line.find(&format!("{leader}expect")) else {
                continue;
            };
            let marker = &line[at + leader.len() + 6..];
            let (offset, rest) = match marker.strip_prefix("@-").and_then(|m| m.split_once(':')) {
                Some((n, rest)) => (n.trim().parse::<u32>().unwrap_or(0), rest),
                None => match marker.strip_prefix(':') {
                    Some(rest) => (0, rest),
                    None => continue,
                },
            };
            let rest = rest.find(" #").map_or(rest, |end| &rest[..end]);
            let rest = rest.find(" //").map_or(rest, |end| &rest[..end]);
            for token in rest.split([',', ' ']).filter(|t| t.starts_with("SEC")) {
                let (code, class) = match token.split_once('(') {
                    Some((code, class)) => (code, class.trim_end_matches(')')),
                    None => (token, "unlabelled"),
                };
                labels.positives.insert((
                    path.to_path_buf(),
                    line_number - offset,
                    code.to_owned(),
                    class.to_owned(),
                ));
            }
        }
    }
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

#[test]
fn secrets_precision_and_recall_per_class() {
    let root = workspace_root();
    let files: Vec<PathBuf> = files_under(
        &root.join("corpus/sec"),
        &["yaml", "yml", "bicep", "bicepparam", "json"],
    )
    .into_iter()
    .filter(|p| p.file_name().is_some_and(|n| n != "akslint.yaml"))
    .map(|p| Path::new("corpus/sec").join(p))
    .collect();
    let mut labels = Labels::default();
    let mut by_folder: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in &files {
        let text =
            String::from_utf8_lossy(&std::fs::read(root.join(file)).expect("fixture")).into_owned();
        parse_labels(file, &text, &mut labels);
        by_folder
            .entry(file.parent().unwrap_or(Path::new("")).to_path_buf())
            .or_default()
            .push(file.clone());
    }
    let mut found: BTreeSet<(PathBuf, u32, String, String)> = BTreeSet::new();
    for paths in by_folder.values() {
        let report = lint(&root, paths);
        for d in report
            .diagnostics()
            .filter(|d| d.rule.code.starts_with("SEC"))
        {
            let line = d.file.line_column(d.span.start as usize).line;
            found.insert((
                d.file.path().to_path_buf(),
                line,
                d.rule.code.to_owned(),
                d.category.unwrap_or("none").to_owned(),
            ));
        }
    }
    let key = |(p, l, c, _): &(PathBuf, u32, String, String)| (p.clone(), *l, c.clone());
    let expected_keys: BTreeSet<_> = labels.positives.iter().map(key).collect();
    let found_keys: BTreeSet<_> = found.iter().map(key).collect();
    let mut per_class: BTreeMap<String, Counts> = BTreeMap::new();
    let mut per_format: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut wrong_class = Vec::new();
    for item in &labels.positives {
        let counts = per_class.entry(item.3.clone()).or_default();
        let format = per_format.entry(format_of(&item.0)).or_default();
        if found_keys.contains(&key(item)) {
            counts.tp += 1;
            format.tp += 1;
            if !found.contains(item) {
                wrong_class.push(format!(
                    "{}:{} {} labelled {}",
                    item.0.display(),
                    item.1,
                    item.2,
                    item.3
                ));
            }
        } else {
            counts.fn_ += 1;
            format.fn_ += 1;
        }
    }
    for item in &found {
        if !expected_keys.contains(&key(item)) {
            per_class.entry(item.3.clone()).or_default().fp += 1;
            per_format.entry(format_of(&item.0)).or_default().fp += 1;
        }
    }
    let (tp, fp, fn_) = per_class
        .values()
        .fold((0, 0, 0), |(a, b, c), n| (a + n.tp, b + n.fp, c + n.fn_));
    println!(
        "{:<32} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "class", "tp", "fp", "fn", "precision", "recall"
    );
    for (class, n) in &per_class {
        let precision = n.tp as f64 / (n.tp + n.fp).max(1) as f64;
        let recall = n.tp as f64 / (n.tp + n.fn_).max(1) as f64;
        println!(
            "{class:<32} {:>4} {:>4} {:>4} {precision:>9.2} {recall:>7.2}",
            n.tp, n.fp, n.fn_
        );
    }
    let secrets_in = |format: &str| {
        labels
            .positives
            .iter()
            .filter(|p| format_of(&p.0) == format && !NOT_VALUES.contains(&p.3.as_str()))
            .count()
    };
    let negatives_in = |format: &str| labels.negatives.get(format).copied().unwrap_or(0);
    for (format, n) in &per_format {
        println!(
            "{format}: {} labelled secrets (and {} declaration findings), {} labelled hard negatives; tp {}, fp {}, fn {}; precision {:.3}, recall {:.3}",
            secrets_in(format),
            labels
                .positives
                .iter()
                .filter(|p| format_of(&p.0) == *format && NOT_VALUES.contains(&p.3.as_str()))
                .count(),
            negatives_in(format),
            n.tp,
            n.fp,
            n.fn_,
            n.tp as f64 / (n.tp + n.fp).max(1) as f64,
            n.tp as f64 / (n.tp + n.fn_).max(1) as f64,
        );
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "all: {} labelled findings, {} labelled hard negatives; tp {tp}, fp {fp}, fn {fn_}; precision {precision:.3}, recall {recall:.3}",
        labels.positives.len(),
        labels.negatives.values().sum::<usize>()
    );
    for line in &wrong_class {
        println!("class differs: {line}");
    }
    assert!(
        secrets_in("YAML") >= 150 && negatives_in("YAML") >= 150,
        "the YAML evaluation set is too small"
    );
    assert!(
        secrets_in("Bicep") >= 40 && negatives_in("Bicep") >= 40,
        "the Bicep evaluation set is too small"
    );
    assert!(
        secrets_in("ARM JSON") >= 30 && negatives_in("ARM JSON") >= 60,
        "the ARM JSON evaluation set is too small"
    );
    assert!(
        precision >= 0.95 && recall >= 0.95,
        "precision {precision:.3} or recall {recall:.3} below 0.95"
    );
    assert!(
        wrong_class.is_empty(),
        "findings with another class than labelled"
    );
}
