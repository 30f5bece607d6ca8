//! Output formats. Each renders a [`akslint_engine::Report`] into text.

mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Applicability, Diagnostic, Severity};
use akslint_engine::{FileReport, NoticeLevel, Report};
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::args::Format;

/// A rendered report and the number of findings it shows.
pub struct Rendered {
    /// The text.
    pub text: String,
    /// Findings at or above the threshold.
    pub findings: usize,
}

/// What every format needs besides the report.
pub struct RenderOptions {
    /// Show only findings at or above this severity.
    pub threshold: Severity,
    /// Colour (human output only).
    pub color: bool,
    /// No summary or notes (human output only).
    pub quiet: bool,
    /// The folder akslint was invoked in; machine formats give paths relative to it.
    pub cwd: PathBuf,
    /// What fixing and the baseline did (human summary only).
    pub counts: RunCounts,
}

/// What `--fix` and `--baseline` did in a run, for the human summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Fixes applied in place with `--fix` (`None` without it).
    pub fixed: Option<usize>,
    /// Findings a `--baseline` hid (`None` without one).
    pub baseline_hidden: Option<usize>,
    /// Whether `--unsafe-fixes` was given.
    pub unsafe_fixes: bool,
}

/// How many findings carry a fix, by how safe it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixable {
    /// Findings with a safe fix (`--fix` applies it).
    pub safe: usize,
    /// Findings with an unsafe fix (only `--fix --unsafe-fixes` applies it).
    pub unsafe_: usize,
}

impl Fixable {
    /// The counts of these findings.
    pub fn count<'a>(findings: impl IntoIterator<Item = &'a Diagnostic>) -> Fixable {
        let mut fixable = Fixable::default();
        for fix in findings.into_iter().filter_map(|d| d.fix.as_ref()) {
            match fix.applicability {
                Applicability::Safe => fixable.safe += 1,
                Applicability::Unsafe => fixable.unsafe_ += 1,
            }
        }
        fixable
    }
}

/// Renders a report in a format, whole, as text.
pub fn render(format: Format, report: &Report, options: &RenderOptions) -> Rendered {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report, options),
        Format::Sarif => sarif::render(report, options),
        Format::Github => github::render(report, options),
        Format::Junit => junit::render(report, options),
    }
}

/// Writes a report in a format to `out` and flushes it; returns how many findings it shows. JSON
/// and SARIF are written as they are made ([`json::write`], [`sarif::write`]); the other formats
/// are rendered whole first.
pub fn write(
    format: Format,
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<usize> {
    match format {
        Format::Json => json::write(report, options, out),
        Format::Sarif => sarif::write(report, options, out),
        Format::Human | Format::Github | Format::Junit => {
            write_rendered(&render(format, report, options), out)
        }
    }
}

/// Writes a rendered report to `out` and flushes it; returns how many findings it shows.
pub fn write_rendered(rendered: &Rendered, out: &mut dyn Write) -> io::Result<usize> {
    out.write_all(rendered.text.as_bytes())?;
    out.flush()?;
    Ok(rendered.findings)
}

/// The findings at or above the threshold, in output order.
pub fn shown(report: &Report, threshold: Severity) -> impl Iterator<Item = &Diagnostic> {
    report
        .diagnostics()
        .filter(move |d| d.severity >= threshold)
}

/// How many findings a chunk of a streamed report holds at least (but the last): the chunk's
/// fields are made in parallel, written, and dropped before the next chunk is made.
const CHUNK_FINDINGS: usize = 4096;

/// The findings at or above the threshold, in output order, each with its fingerprint
/// ([`Diagnostic::fingerprint`]), in chunks of whole files of at least `chunk_size` findings (but
/// the last). Each chunk is made when it is asked for, its files taken in parallel: the text of a
/// file that gave its text back after linting is read again once for all of its findings, and
/// given back when they are done.
fn shown_in_chunks(
    report: &Report,
    threshold: Severity,
    chunk_size: usize,
) -> impl Iterator<Item = Vec<(&Diagnostic, String)>> {
    let mut rest = report.files.as_slice();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut count = 0;
        let end = rest
            .iter()
            .position(|file| {
                count += file
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity >= threshold)
                    .count();
                count >= chunk_size
            })
            .map_or(rest.len(), |last| last + 1);
        let (chunk, after) = rest.split_at(end);
        rest = after;
        Some(with_fingerprints(chunk, threshold))
    })
}

/// The findings of `files` at or above the threshold, in order, each with its fingerprint.
fn with_fingerprints(files: &[FileReport], threshold: Severity) -> Vec<(&Diagnostic, String)> {
    let by_file: Vec<Vec<(&Diagnostic, String)>> = files
        .par_iter()
        .map(|file| {
            let resident = std::cell::OnceCell::new();
            file.diagnostics
                .iter()
                .filter(|d| d.severity >= threshold)
                .map(|d| {
                    let text = if Arc::ptr_eq(&d.file, &file.file) {
                        resident.get_or_init(|| file.file.resident())
                    } else {
                        &d.file
                    };
                    (d, d.fingerprint_in(text))
                })
                .collect()
        })
        .collect();
    by_file.into_iter().flatten().collect()
}

/// The shown findings of a report as a JSON array whose items `item` makes from a finding and
/// its fingerprint. It is serialised a chunk at a time ([`shown_in_chunks`]), each chunk's items
/// made in parallel, so that a writer gets the array as it is made and only one chunk of items
/// is held at once.
struct StreamedFindings<'a, F> {
    report: &'a Report,
    threshold: Severity,
    chunk_size: usize,
    item: F,
}

impl<'a, F> StreamedFindings<'a, F> {
    /// The findings of `report` at or above `threshold`, each serialised as `item` makes it.
    fn new(report: &'a Report, threshold: Severity, item: F) -> Self {
        StreamedFindings {
            report,
            threshold,
            chunk_size: CHUNK_FINDINGS,
            item,
        }
    }
}

impl<'a, F, T> Serialize for StreamedFindings<'a, F>
where
    F: Fn(&'a Diagnostic, String) -> T + Sync,
    T: Serialize + Send,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut array = serializer.serialize_seq(None)?;
        for chunk in shown_in_chunks(self.report, self.threshold, self.chunk_size) {
            let items: Vec<T> = chunk
                .into_par_iter()
                .map(|(diagnostic, fingerprint)| (self.item)(diagnostic, fingerprint))
                .collect();
            for item in &items {
                array.serialize_element(item)?;
            }
        }
        array.end()
    }
}

/// Writes a document to `out` as pretty-printed JSON and a newline (the bytes of
/// `serde_json::to_string_pretty` and `\n`), through a buffer, as it is serialised.
fn write_pretty_json(document: &impl Serialize, out: &mut dyn Write) -> io::Result<()> {
    let mut buffered = BufWriter::with_capacity(WRITE_BUFFER, out);
    serde_json::to_writer_pretty(&mut buffered, document)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// The size of the buffer a streamed report is written through.
const WRITE_BUFFER: usize = 64 * 1024;

/// A report as text, from a function that writes it and returns how many findings it shows.
fn rendered_from(write: impl FnOnce(&mut dyn Write) -> io::Result<usize>) -> Rendered {
    let mut bytes = Vec::new();
    let findings = match write(&mut bytes) {
        Ok(findings) => findings,
        Err(err) => {
            return Rendered {
                text: format!("{{\"error\": \"{err}\"}}\n"),
                findings: 0,
            };
        }
    };
    Rendered {
        text: String::from_utf8(bytes)
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
        findings,
    }
}

/// A path as machine formats show it: relative to `cwd` when it is under it, `/`-separated.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let relative = path.strip_prefix(cwd).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// How a character that must not reach a terminal or a CI log verbatim is shown instead: control
/// characters (an escape sequence could recolour, move the cursor or rewrite the log; a carriage
/// return overwrites the line), and the invisible characters that reorder or hide text
/// (bidirectional overrides, zero-width characters), and the non-characters U+FFFE and U+FFFF
/// (which XML does not allow). `None` for a character shown as it is;
/// line feeds and tabs are left to the caller.
pub fn escaped(c: char) -> Option<String> {
    let hidden = matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}'
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{fffe}' | '\u{ffff}');
    hidden.then(|| match c {
        '\r' => "\\r".to_owned(),
        c => format!("\\u{{{:x}}}", c as u32),
    })
}

/// Text with every character [`escaped`] names replaced by its escape (line feeds and tabs kept).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| escaped(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escaped(c) {
            Some(escape) => out.push_str(&escape),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The lowercase name of a notice level.
pub fn notice_level(level: NoticeLevel) -> &'static str {
    match level {
        NoticeLevel::Note => "note",
        NoticeLevel::Warning => "warning",
        NoticeLevel::Error => "error",
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use akslint_engine::walk::Input;
    use akslint_engine::{ConfigResolver, Engine, Notice, Overlay, StdinInput};

    use super::*;

    /// A pod with seven findings: six hardcoded passwords (errors) and a weak one (a warning).
    const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      env:
        - {name: DB_PASSWORD_0, value: hunter2hunter2hunter0}
        - {name: DB_PASSWORD_1, value: hunter2hunter2hunter1}
        - {name: DB_PASSWORD_2, value: hunter2hunter2hunter2}
        - {name: DB_PASSWORD_3, value: hunter2hunter2hunter3}
        - {name: DB_PASSWORD_4, value: hunter2hunter2hunter4}
        - {name: DB_PASSWORD_5, value: hunter2hunter2hunter5}
        - {name: ADMIN_PASSWORD, value: changeme}
";

    /// The options of a report of files under `/project`.
    pub(super) fn options() -> RenderOptions {
        RenderOptions {
            threshold: Severity::Info,
            color: false,
            quiet: true,
            cwd: PathBuf::from("/project"),
            counts: RunCounts::default(),
        }
    }

    /// The report of `files` copies of a pod with several findings (`/project/0.yaml`, …), with
    /// `notices` notices.
    pub(super) fn linted(files: usize, notices: usize) -> Report {
        let engine = Engine::new();
        let folder = tempfile::tempdir().expect("a temporary folder");
        let resolver = ConfigResolver::discover(folder.path());
        let mut report = Report::default();
        for index in 0..files {
            let name = PathBuf::from(format!("/project/{index}.yaml"));
            let stdin = StdinInput::read(name, POD.as_bytes(), &resolver).expect("read");
            let one =
                akslint_engine::run(&engine, &resolver, &[Input::Stdin], &stdin, &Overlay::new())
                    .expect("lint");
            report.files.extend(one.files);
        }
        report.notices = (0..notices)
            .map(|index| Notice {
                path: PathBuf::from(format!("/project/{index}.yaml")),
                level: [NoticeLevel::Note, NoticeLevel::Warning, NoticeLevel::Error][index % 3],
                message: format!("notice {index}: \"quoted\" and \\ escaped"),
            })
            .collect();
        report
    }

    /// The reports the streamed formats are checked on: no findings and no notices, notices
    /// alone, one finding, and several files of findings with notices.
    pub(super) fn reports() -> Vec<Report> {
        let mut one_finding = linted(1, 0);
        one_finding.files[0].diagnostics.truncate(1);
        vec![
            Report::default(),
            linted(0, 2),
            one_finding,
            linted(3, 0),
            linted(5, 4),
        ]
    }

    /// A writer that keeps what it is given and records how it was given.
    struct Recorder<'a> {
        bytes: Vec<u8>,
        writes: usize,
        largest_write: usize,
        /// Items made (by the counter `made`) when the first bytes arrived.
        made_at_first_write: Option<usize>,
        made: &'a AtomicUsize,
    }

    impl Write for Recorder<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            self.largest_write = self.largest_write.max(buf.len());
            self.made_at_first_write
                .get_or_insert(self.made.load(Ordering::SeqCst));
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn chunks_are_whole_files_of_at_least_the_chunk_size_in_output_order() {
        let report = linted(7, 0);
        let per_file = report.files[0].diagnostics.len();
        assert_eq!(per_file, 7);
        let all: Vec<(&Diagnostic, String)> = shown(&report, Severity::Info)
            .map(|d| (d, d.fingerprint()))
            .collect();
        let chunks: Vec<_> = shown_in_chunks(&report, Severity::Info, 2 * per_file).collect();
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 2, 2, 1].map(|files| files * per_file));
        let joined: Vec<(&Diagnostic, String)> = chunks.into_iter().flatten().collect();
        assert_eq!(joined.len(), all.len());
        for ((a, a_print), (b, b_print)) in joined.iter().zip(&all) {
            assert!(std::ptr::eq(*a, *b));
            assert_eq!(a_print, b_print);
        }
        assert_eq!(
            shown_in_chunks(&Report::default(), Severity::Info, 2).count(),
            0
        );
    }

    #[test]
    fn streamed_findings_are_serialised_as_one_array_and_written_as_they_are_made() {
        let report = linted(40, 0);
        let made = AtomicUsize::new(0);
        // Items of 4 KB, so that the write buffer fills many times over.
        let padding = "x".repeat(4096);
        let item = |d: &Diagnostic, fingerprint: String| {
            made.fetch_add(1, Ordering::SeqCst);
            (d.rule.code, fingerprint, padding.as_str())
        };
        let mut streamed = StreamedFindings::new(&report, Severity::Info, item);
        streamed.chunk_size = 10;
        let mut recorder = Recorder {
            bytes: Vec::new(),
            writes: 0,
            largest_write: 0,
            made_at_first_write: None,
            made: &made,
        };
        write_pretty_json(&streamed, &mut recorder).expect("written");

        let whole: Vec<_> = shown(&report, Severity::Info)
            .map(|d| (d.rule.code, d.fingerprint(), padding.as_str()))
            .collect();
        let expected = serde_json::to_string_pretty(&whole).expect("serialised") + "\n";
        assert_eq!(String::from_utf8(recorder.bytes).unwrap(), expected);
        let total = made.load(Ordering::SeqCst);
        assert_eq!(total, whole.len());
        let first = recorder.made_at_first_write.expect("written to");
        assert!(
            first < total / 2,
            "{first} of {total} made before the first write"
        );
        assert!(recorder.writes > 4, "{} writes", recorder.writes);
        assert!(
            recorder.largest_write <= WRITE_BUFFER,
            "{}",
            recorder.largest_write
        );
    }

    #[test]
    fn json_and_sarif_reach_the_writer_in_buffered_pieces() {
        let report = linted(60, 3);
        let unused = AtomicUsize::new(0);
        for format in [Format::Json, Format::Sarif] {
            let mut recorder = Recorder {
                bytes: Vec::new(),
                writes: 0,
                largest_write: 0,
                made_at_first_write: None,
                made: &unused,
            };
            let findings = write(format, &report, &options(), &mut recorder).expect("written");
            let rendered = render(format, &report, &options());
            assert_eq!(findings, rendered.findings);
            assert_eq!(String::from_utf8(recorder.bytes).unwrap(), rendered.text);
            assert!(
                rendered.text.len() > 4 * WRITE_BUFFER,
                "{}",
                rendered.text.len()
            );
            assert!(
                recorder.writes > 4,
                "{format:?}: {} writes",
                recorder.writes
            );
            assert!(recorder.largest_write <= WRITE_BUFFER, "{format:?}");
        }
    }

    #[test]
    fn escape_sequences_and_invisible_characters_are_shown_escaped() {
        assert_eq!(
            printable("plain text\tand\nlines"),
            "plain text\tand\nlines"
        );
        assert_eq!(printable("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(printable("over\rwrite"), "over\\rwrite");
        assert_eq!(printable("\u{202e}evil\u{9b}"), "\\u{202e}evil\\u{9b}");
        assert_eq!(printable("caf\u{e9} \u{1f600}"), "caf\u{e9} \u{1f600}");
    }
}
