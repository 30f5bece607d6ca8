//! Findings: what a rule reports, where, how bad it is and how to fix it.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use crate::{FixPlan, RuleMeta, SharedSource, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; not a defect by itself.
    Info,
    /// A weakness that should be fixed.
    Warning,
    /// A defect that must be fixed.
    Error,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

    /// The lowercase name used in configuration, flags and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses a lowercase severity name.
    pub fn parse(name: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps the file's meaning apart from removing the defect.
    Safe,
    /// Changes behaviour or needs a value only the user knows; apply on request only.
    Unsafe,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The bytes to replace (empty to insert).
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

/// A set of edits to one file that fixes a finding, as the file's front end rendered it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, e.g. "add the label azure.workload.identity/use: \"true\"".
    pub message: String,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
    /// Whether it is safe to apply unattended.
    pub applicability: Applicability,
}

impl Fix {
    /// The fix of a plan, with the edits its file's front end wrote for it.
    pub fn from_plan(plan: &FixPlan, edits: Vec<Edit>) -> Fix {
        Fix {
            message: plan.message.clone(),
            edits,
            applicability: plan.applicability,
        }
    }
}

/// A secondary location of a finding, possibly in another file.
#[derive(Clone, Debug)]
pub struct Label {
    /// The file it points into.
    pub file: SharedSource,
    /// The bytes it points at.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// What a finding is about, independent of line numbers: the object it sits on and the key path
/// inside it. Baselines and SARIF fingerprints use it, so they survive edits elsewhere in a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subject {
    /// The object: `Deployment shop/orders` for Kubernetes, a Bicep symbolic name, or empty.
    pub object: String,
    /// The key path inside it, e.g. `spec.template.spec.containers[name=api].env[name=DB_PASSWORD].value`.
    pub path: String,
}

/// Where a finding of a Helm chart's rendering came from: the rendered objects it is about and
/// the values sets whose renderings have it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartRendering {
    /// The rendered objects, as messages name them (`Deployment web`): one, or several when
    /// templates print the same values key.
    pub objects: Vec<String>,
    /// The values sets whose renderings have the finding (`default`, `prod`).
    pub values_sets: Vec<String>,
    /// How many values sets the chart was rendered with.
    pub sets_rendered: usize,
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The rule that reported it.
    pub rule: &'static RuleMeta,
    /// The file it is in.
    pub file: SharedSource,
    /// The primary span.
    pub span: Span,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong and why, in one or two sentences. Never contains a secret value whole.
    pub message: String,
    /// How to fix it (most rules' help is a constant, not copied into every finding).
    pub help: Option<Cow<'static, str>>,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// The fix the rule plans, in terms of the model; the engine has the file's front end render
    /// it into [`Diagnostic::fix`]. Boxed, as are the other parts few findings have: a run keeps
    /// every finding to its report.
    pub fix_plan: Option<Box<FixPlan>>,
    /// Edits that fix it, where one fix does.
    pub fix: Option<Box<Fix>>,
    /// The `helm template` template the offending document was rendered from.
    pub helm_template: Option<String>,
    /// Spans of `file` holding secret values: every output masks them.
    pub sensitive: Vec<Span>,
    /// The object and key path the finding is about (set by the engine when the rule does not).
    pub subject: Option<Subject>,
    /// A finer kind within the rule, e.g. the class of a secret (`azure-storage-key`).
    pub category: Option<&'static str>,
    /// For a finding of a Helm chart's rendering (placed in a template or at a values key): the
    /// objects and values sets it came from.
    pub chart: Option<Box<ChartRendering>>,
}

impl Diagnostic {
    /// A finding of `rule` at `span` of `file`, with the rule's default severity.
    pub fn new(
        rule: &'static RuleMeta,
        file: &SharedSource,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            file: file.clone(),
            span,
            severity: rule.default_severity,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix_plan: None,
            fix: None,
            helm_template: None,
            sensitive: Vec::new(),
            subject: None,
            category: None,
            chart: None,
        }
    }

    /// Sets the finding's finer kind.
    pub fn with_category(mut self, category: &'static str) -> Diagnostic {
        self.category = Some(category);
        self
    }

    /// Sets what the finding is about.
    pub fn with_subject(mut self, subject: Subject) -> Diagnostic {
        self.subject = Some(subject);
        self
    }

    /// Whether the finding's offending text (its primary span) holds a secret, or part of one.
    pub fn holds_secret(&self) -> bool {
        self.sensitive
            .iter()
            .any(|s| s.start < self.span.end.max(self.span.start + 1) && self.span.start < s.end)
    }

    /// A keyed hash of the rule and the offending text (the primary span), for baselines: the
    /// HMAC-SHA-256 under `key` (the baseline's own key), 128 bits in hex. Without the key, no
    /// guess of a secret can be checked against it; a changed secret gives another hash.
    pub fn keyed_value_hash(&self, key: &[u8]) -> String {
        let mut message = Vec::with_capacity(self.span.len() + 16);
        message.extend_from_slice(self.rule.code.as_bytes());
        message.push(0);
        message.extend_from_slice(self.file.slice(self.span).as_bytes());
        hex(&hmac_sha256(key, &message)[..16])
    }

    /// The unkeyed hash of version 1 baselines (64 bits of SHA-256 of the rule and the text):
    /// read for baselines written before keys, never written.
    pub fn unkeyed_value_hash(&self) -> String {
        hex_digest(&[
            self.rule.code.as_bytes(),
            self.file.slice(self.span).as_bytes(),
        ])
    }

    /// A fingerprint that identifies the finding by rule, file, subject and offending text,
    /// not by its position, so it stays the same when lines are inserted above it. For a
    /// finding that holds a secret it is value-free (rule, file and subject only): SARIF and
    /// JSON reports travel further than the repository, and a hash of a weak secret is a test
    /// for guesses.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_in(&self.file)
    }

    /// [`Diagnostic::fingerprint`] with the offending text taken from `file`: the finding's
    /// file, or a copy of it with its text in memory ([`crate::SourceFile::resident`]).
    pub fn fingerprint_in(&self, file: &crate::SourceFile) -> String {
        let subject = self.subject.clone().unwrap_or_default();
        let path = self.file.path().to_string_lossy();
        let text = if self.holds_secret() {
            ""
        } else {
            file.slice(self.span)
        };
        hex_digest(&[
            self.rule.code.as_bytes(),
            path.as_bytes(),
            subject.object.as_bytes(),
            subject.path.as_bytes(),
            text.as_bytes(),
        ])
    }

    /// Sets the severity, for a case of the rule that is milder (or graver) than its default;
    /// the configuration can still override it.
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary location.
    pub fn with_label(
        mut self,
        file: &SharedSource,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.labels.push(Label {
            file: file.clone(),
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the fix, rendered already (by a front end, while the file's syntax was at hand).
    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(Box::new(fix));
        self
    }

    /// Sets the fix the rule plans; the engine has the file's front end render it.
    pub fn with_fix_plan(mut self, plan: FixPlan) -> Diagnostic {
        self.fix_plan = Some(Box::new(plan));
        self
    }

    /// Marks a span of the file as holding a secret that output must mask.
    pub fn with_sensitive(mut self, span: Span) -> Diagnostic {
        self.sensitive.push(span);
        self
    }

    /// The order findings are printed in: by file, position, code, then message.
    pub fn sort_key_cmp(&self, other: &Diagnostic) -> Ordering {
        self.file
            .path()
            .cmp(other.file.path())
            .then(self.span.start.cmp(&other.span.start))
            .then(self.span.end.cmp(&other.span.end))
            .then(self.rule.code.cmp(other.rule.code))
            .then_with(|| self.message.cmp(&other.message))
    }
}

/// The first 64 bits of the SHA-256 of the parts (each followed by a NUL), in hex.
fn hex_digest(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
        hasher.update([0u8]);
    }
    hex(&hasher.finalize()[..8])
}

/// Bytes in lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// A short, safe preview of a secret value: a few leading characters and the length.
///
/// Shows at most 3 characters and never more than a quarter of the value, so the value can be
/// recognised by its owner but not used.
pub fn redacted_preview(value: &str) -> String {
    let count = value.chars().count();
    let shown = (count / 4).min(3);
    let prefix: String = value.chars().take(shown).collect();
    format!("\"{prefix}…\" ({count} characters)")
}

/// How a secret written at a span is masked for display: its enclosing quotes and whitespace
/// stay, the first few characters stay (as many as [`redacted_preview`] shows), every other
/// character becomes `*`. The number of characters does not change, so columns stay right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretMask {
    /// The bytes whose characters are hidden (whitespace excepted).
    hidden: std::ops::Range<usize>,
}

impl SecretMask {
    /// The mask of the secret at `span` of `text` (`None` when the span is not in the text).
    /// Costs a few characters, whatever the secret's length.
    pub fn new(text: &str, span: Span) -> Option<SecretMask> {
        let slice = text.get(span.range())?;
        let quoted = slice.len() >= 2
            && (slice.starts_with('"') && slice.ends_with('"')
                || slice.starts_with('\'') && slice.ends_with('\''));
        let (start, inner) = if quoted {
            (span.start as usize + 1, &slice[1..slice.len() - 1])
        } else {
            (span.start as usize, slice)
        };
        // `redacted_preview` shows a quarter of the characters, at most 3: past 12 visible
        // characters the count no longer matters.
        let visible = inner
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(12)
            .count();
        let shown = (visible / 4).min(3);
        let first_hidden = inner
            .char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .nth(shown)
            .map_or(inner.len(), |(i, _)| i);
        Some(SecretMask {
            hidden: start + first_hidden..start + inner.len(),
        })
    }

    /// Whether the character `c` at byte `offset` is shown as `*`.
    pub fn hides(&self, offset: usize, c: char) -> bool {
        self.hidden.contains(&offset) && !c.is_whitespace()
    }
}

/// A whole text with the secrets at `sensitive` (sorted by start) masked as [`SecretMask`]
/// masks them: each hidden character becomes one `*`, so lines stay lines.
pub fn masked_text<'a>(text: &'a str, sensitive: &[Span]) -> std::borrow::Cow<'a, str> {
    let masks: Vec<SecretMask> = sensitive
        .iter()
        .filter_map(|span| SecretMask::new(text, *span))
        .collect();
    if masks.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for mask in &masks {
        let start = mask.hidden.start.max(at);
        if start >= mask.hidden.end {
            continue;
        }
        out.push_str(&text[at..start]);
        for c in text[start..mask.hidden.end].chars() {
            out.push(if c.is_whitespace() { c } else { '*' });
        }
        at = mask.hidden.end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run keeps every finding to its report (147,600 on the 1 GB monorepo of
    /// docs/benchmarks.md): the parts few findings have stay boxed.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_finding_stays_small() {
        assert!(
            std::mem::size_of::<Diagnostic>() <= 240,
            "{} bytes",
            std::mem::size_of::<Diagnostic>()
        );
    }

    #[test]
    fn a_masked_text_keeps_its_lines_and_hides_only_the_secrets() {
        let text = "a: ñandú-secret-value\nb: plain\nc: 'Zq9-Lm4'\n";
        let first = text.find("ñandú").unwrap();
        let second = text.find("'Zq9").unwrap();
        let spans = [
            Span::new(first, first + "ñandú-secret-value".len()),
            Span::new(second, second + "'Zq9-Lm4'".len()),
        ];
        assert_eq!(
            masked_text(text, &spans),
            "a: ñan***************\nb: plain\nc: 'Z******'\n"
        );
        assert_eq!(masked_text(text, &[]), text);
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        let mac = hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn preview_never_shows_much() {
        assert_eq!(
            redacted_preview("hunter2hunter2"),
            "\"hun…\" (14 characters)"
        );
        assert_eq!(redacted_preview("abcd"), "\"a…\" (4 characters)");
        assert_eq!(redacted_preview("ab"), "\"…\" (2 characters)");
    }

    fn masked(text: &str, span: Span) -> String {
        let mask = SecretMask::new(text, span).unwrap();
        text.char_indices()
            .map(|(i, c)| if mask.hides(i, c) { '*' } else { c })
            .collect()
    }

    #[test]
    fn mask_keeps_columns() {
        let text = "pw: s3cr3t-välue\nnext";
        let start = text.find("s3").unwrap();
        let end = text.find('\n').unwrap();
        assert_eq!(
            masked(text, Span::new(start, end)),
            "pw: s3c*********\nnext"
        );
        assert_eq!(
            masked("pw: \"abcdefgh\" # c", Span::new(4, 14)),
            "pw: \"ab******\" # c"
        );
        let block = "|\n  line one\n  two";
        assert_eq!(
            masked(block, Span::new(0, block.len())),
            "|\n  l*** ***\n  ***"
        );
        assert_eq!(SecretMask::new("ab", Span::new(1, 5)), None);
    }
}
