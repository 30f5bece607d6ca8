//! Baselines: record today's findings, then hide them in later runs.
//!
//! A baseline file holds one JSON object per line (so concurrent additions merge cleanly): a
//! header `{"akslint_baseline": 2, "key": "…"}`, then one entry per finding, sorted. An entry is
//! keyed by rule, file (relative to the baseline's folder), the object the finding sits on, the
//! key path inside it and a keyed hash of the offending text; never by line number, so it
//! survives edits elsewhere in the file, and a changed secret is a new finding. Several identical
//! findings give several identical entries.
//!
//! The hash is an HMAC under the baseline's own key: 256 random bits written once, when the
//! baseline is first written, and kept when it is written again. A hash of a weak password
//! without a key could be tested against guesses (its preview and length are in the finding's
//! message); with the key it only serves the repository that holds the baseline. Version 1
//! baselines (unkeyed hashes) are still read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use akslint_core::{Diagnostic, Severity};
use akslint_engine::Report;
use serde::{Deserialize, Serialize};

/// The largest baseline read, in bytes: some 300,000 findings.
pub const BASELINE_LIMIT: u64 = 64 * 1024 * 1024;

/// The version of the baseline format written.
const BASELINE_VERSION: u32 = 2;

/// The version whose hashes had no key, still read.
const UNKEYED_VERSION: u32 = 1;

/// Bytes of a baseline's key.
const KEY_BYTES: usize = 32;

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
    /// The key of the hashes, in hex (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
}

/// How a baseline hashes the offending text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hashing {
    /// HMAC-SHA-256 under the baseline's key (version 2).
    Keyed(Vec<u8>),
    /// SHA-256 without a key (version 1, read only).
    Unkeyed,
}

/// A fresh random key, for a baseline written for the first time.
pub fn new_key() -> Result<Vec<u8>, String> {
    let mut key = vec![0u8; KEY_BYTES];
    getrandom::fill(&mut key).map_err(|err| format!("no random key for the baseline: {err}"))?;
    Ok(key)
}

impl Hashing {
    fn hash(&self, diagnostic: &Diagnostic) -> String {
        match self {
            Hashing::Keyed(key) => diagnostic.keyed_value_hash(key),
            Hashing::Unkeyed => diagnostic.unkeyed_value_hash(),
        }
    }
}

/// A baseline file read: how it hashes, and its entries.
#[derive(Debug)]
pub struct Baseline {
    /// The hashing of its entries.
    pub hashing: Hashing,
    /// The entries.
    pub entries: Vec<Entry>,
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

    /// The baseline entry of a finding, its text hashed as `hashing` says.
    pub fn entry(&self, diagnostic: &Diagnostic, hashing: &Hashing) -> Entry {
        let absolute = normalize(&self.cwd.join(diagnostic.file.path()));
        let relative = absolute.strip_prefix(&self.folder).unwrap_or(&absolute);
        let subject = diagnostic.subject.clone().unwrap_or_default();
        Entry {
            rule: diagnostic.rule.code.to_owned(),
            file: relative.to_string_lossy().replace('\\', "/"),
            object: subject.object,
            path: subject.path,
            value: hashing.hash(diagnostic),
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

/// The text of a baseline file for the findings at or above `threshold`, hashed under `key`.
pub fn render(report: &Report, threshold: Severity, root: &BaselineRoot, key: &[u8]) -> String {
    let hashing = Hashing::Keyed(key.to_vec());
    let mut entries: Vec<Entry> = report
        .diagnostics()
        .filter(|d| d.severity >= threshold)
        .map(|d| root.entry(d, &hashing))
        .collect();
    entries.sort();
    let mut out = serde_json::to_string(&Header {
        akslint_baseline: BASELINE_VERSION,
        key: Some(key.iter().map(|b| format!("{b:02x}")).collect()),
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
pub fn parse(text: &str) -> Result<Baseline, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let header: Header = lines
        .next()
        .ok_or_else(|| "the file is empty; expected {\"akslint_baseline\": 2, ...}".to_owned())
        .and_then(|(_, line)| serde_json::from_str(line).map_err(|err| format!("line 1: {err}")))?;
    let hashing = match (header.akslint_baseline, header.key) {
        (BASELINE_VERSION, Some(key)) => {
            Hashing::Keyed(parse_key(&key).ok_or("line 1: the key is not 64 hexadecimal digits")?)
        }
        (BASELINE_VERSION, None) => return Err("line 1: the header has no key".to_owned()),
        (UNKEYED_VERSION, _) => Hashing::Unkeyed,
        (version, _) => {
            return Err(format!(
                "baseline version {version} is not supported (expected {BASELINE_VERSION})"
            ));
        }
    };
    let entries = lines
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|err| format!("line {}: {err}", index + 1))
        })
        .collect::<Result<_, String>>()?;
    Ok(Baseline { hashing, entries })
}

/// A key written as hex.
fn parse_key(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != KEY_BYTES * 2 || !hex.is_ascii() {
        return None;
    }
    (0..KEY_BYTES)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// Removes the findings that baseline entries record; returns the number hidden and the
/// entries that matched nothing.
pub fn apply(baseline: Baseline, report: &mut Report, root: &BaselineRoot) -> (usize, Vec<Entry>) {
    let mut remaining: BTreeMap<Entry, usize> = BTreeMap::new();
    let mut hidden = 0;
    for entry in baseline.entries {
        *remaining.entry(entry).or_default() += 1;
    }
    for file in &mut report.files {
        file.diagnostics.retain(|diagnostic| {
            let entry = root.entry(diagnostic, &baseline.hashing);
            match remaining.get_mut(&entry) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    hidden += 1;
                    false
                }
                _ => true,
            }
        });
    }
    let unmatched = remaining
        .into_iter()
        .flat_map(|(entry, count)| std::iter::repeat_n(entry, count))
        .collect();
    (hidden, unmatched)
}
