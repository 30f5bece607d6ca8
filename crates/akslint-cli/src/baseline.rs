//! Baselines: record today's findings, then hide them in later runs.
//!
//! A baseline file holds one JSON object per line (so concurrent additions merge cleanly): a
//! header `{"akslint_baseline": 1}`, then one entry per finding, sorted. An entry is keyed by
//! rule, file (relative to the baseline's folder), the object the finding sits on, the key path
//! inside it and a hash of the offending text; never by line number, so it survives edits
//! elsewhere in the file. Several identical findings give several identical entries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use akslint_core::{Diagnostic, Severity};
use akslint_engine::Report;
use serde::{Deserialize, Serialize};

/// The largest baseline read, in bytes: some 300,000 findings.
pub const BASELINE_LIMIT: u64 = 64 * 1024 * 1024;

/// The version of the baseline format.
const BASELINE_VERSION: u32 = 1;

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Entry {
    /// Rule code.
    pub rule: String,
    /// File, relative to the baseline's folder, with `/` separators.
    pub file: String,
    /// The object, e.g. `Deployment shop/orders`.
    pub object: String,
    /// The key path inside the object.
    pub path: String,
    /// A hash of the offending text.
    pub value: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    akslint_baseline: u32,
}

/// Where a baseline's relative paths start.
pub struct BaselineRoot {
    folder: PathBuf,
    cwd: PathBuf,
}

impl BaselineRoot {
    /// The root for a baseline file at `file` (relative to `cwd`).
    pub fn new(file: &Path, cwd: &Path) -> BaselineRoot {
        let absolute = normalize(&cwd.join(file));
        BaselineRoot {
            folder: absolute
                .parent()
                .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
            cwd: cwd.to_path_buf(),
        }
    }

    /// The baseline entry of a finding.
    pub fn entry(&self, diagnostic: &Diagnostic) -> Entry {
        let absolute = normalize(&self.cwd.join(diagnostic.file.path()));
        let relative = absolute.strip_prefix(&self.folder).unwrap_or(&absolute);
        let subject = diagnostic.subject.clone().unwrap_or_default();
        Entry {
            rule: diagnostic.rule.code.to_owned(),
            file: relative.to_string_lossy().replace('\\', "/"),
            object: subject.object,
            path: subject.path,
            value: diagnostic.value_hash(),
        }
    }
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The text of a baseline file for the findings at or above `threshold`.
pub fn render(report: &Report, threshold: Severity, root: &BaselineRoot) -> String {
    let mut entries: Vec<Entry> = report
        .diagnostics()
        .filter(|d| d.severity >= threshold)
        .map(|d| root.entry(d))
        .collect();
    entries.sort();
    let mut out = serde_json::to_string(&Header {
        akslint_baseline: BASELINE_VERSION,
    })
    .unwrap_or_default();
    out.push('\n');
    for entry in entries {
        out.push_str(&serde_json::to_string(&entry).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Parses a baseline file.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let header: Header = lines
        .next()
        .ok_or_else(|| "the file is empty; expected {\"akslint_baseline\": 1}".to_owned())
        .and_then(|(_, line)| serde_json::from_str(line).map_err(|err| format!("line 1: {err}")))?;
    if header.akslint_baseline != BASELINE_VERSION {
        return Err(format!(
            "baseline version {} is not supported (expected {BASELINE_VERSION})",
            header.akslint_baseline
        ));
    }
    lines
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|err| format!("line {}: {err}", index + 1))
        })
        .collect()
}

/// Removes the findings that baseline entries record; returns the entries that matched nothing.
pub fn apply(entries: Vec<Entry>, report: &mut Report, root: &BaselineRoot) -> Vec<Entry> {
    let mut remaining: BTreeMap<Entry, usize> = BTreeMap::new();
    for entry in entries {
        *remaining.entry(entry).or_default() += 1;
    }
    for file in &mut report.files {
        file.diagnostics.retain(|diagnostic| {
            let entry = root.entry(diagnostic);
            match remaining.get_mut(&entry) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            }
        });
    }
    remaining
        .into_iter()
        .flat_map(|(entry, count)| std::iter::repeat_n(entry, count))
        .collect()
}
