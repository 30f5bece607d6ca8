//! Source files and the line index that turns byte offsets into lines and columns.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::Span;

/// What language a source file is written in, which decides the front end that parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// YAML: Kubernetes manifests, Kustomize and `helm template` output, or any other YAML.
    Yaml,
    /// An Azure Bicep template (`.bicep`).
    Bicep,
    /// A Bicep parameters file (`.bicepparam`).
    BicepParam,
    /// An ARM JSON deployment template or parameters file: a `*.json` file whose `$schema` says
    /// so (see [`SourceKind::sniff_json`]); other JSON files are not linted in a walk.
    ArmTemplate,
}

impl SourceKind {
    /// The kind a file's extension says, if akslint lints that extension when walking folders.
    pub fn from_path(path: &Path) -> Option<SourceKind> {
        let ext = path.extension()?.to_str()?;
        match ext.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(SourceKind::Yaml),
            "bicep" => Some(SourceKind::Bicep),
            "bicepparam" => Some(SourceKind::BicepParam),
            _ => None,
        }
    }

    /// The comment leader used for suppression comments in this language.
    pub fn comment_leader(self) -> &'static str {
        match self {
            SourceKind::Yaml => "#",
            SourceKind::Bicep | SourceKind::BicepParam | SourceKind::ArmTemplate => "//",
        }
    }

    /// Whether the file is an Azure template (Bicep, `.bicepparam` or ARM JSON): evaluated into
    /// the Azure model with the other templates of its project.
    pub fn is_azure_template(self) -> bool {
        !matches!(self, SourceKind::Yaml)
    }

    /// Whether a path names a `.json` file, which is an [`SourceKind::ArmTemplate`] when its
    /// content says so ([`SourceKind::sniff_json`]).
    pub fn may_be_arm_template(path: &Path) -> bool {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    }

    /// How many bytes of a `*.json` file [`SourceKind::sniff_json`] needs.
    pub const JSON_SNIFF_BYTES: usize = 4096;

    /// The kind of a `*.json` file from its first bytes: [`SourceKind::ArmTemplate`] when its
    /// `$schema` is an ARM deployment template or parameters schema
    /// (`https://schema.management.azure.com/schemas/…/deploymentTemplate.json#`, also the
    /// subscription, management group, tenant and parameters ones), else `None`.
    pub fn sniff_json(head: &[u8]) -> Option<SourceKind> {
        let head = String::from_utf8_lossy(&head[..head.len().min(Self::JSON_SNIFF_BYTES)]);
        let at = head.find("\"$schema\"")?;
        let rest = &head[at..];
        let value_end = rest
            .find(',')
            .or_else(|| rest.find('}'))
            .unwrap_or(rest.len());
        let value = &rest[..value_end];
        let arm = value.contains("schema.management.azure.com")
            && (value.contains("eploymentTemplate") || value.contains("eploymentParameters"));
        arm.then_some(SourceKind::ArmTemplate)
    }
}

/// One file's text as akslint reads it, with its path and a line index.
///
/// The text is the file's exact content (a UTF-8 byte-order mark included), so byte spans can be
/// used to edit the file in place.
///
/// A file read from disk ([`SourceFile::on_disk`]) can give its text and its line index back
/// once the per-file stage is done with it ([`SourceFile::released`]): the released file keeps
/// its path, kind and length, reads the text again from disk when asked ([`SourceFile::text`]
/// keeps what it read, [`SourceFile::resident`] lends it for a while), and makes its line index
/// again the first time a line or column is asked for (most files of a run have no finding, and
/// their indexes are never made again). A file changed on disk since it was linted reads as
/// empty text (its length and digest no longer match): spans then slice to nothing, and lines
/// and columns come from the text on disk now.
#[derive(Debug)]
pub struct SourceFile {
    path: Arc<Path>,
    kind: SourceKind,
    text: OnceLock<Box<str>>,
    /// Shared with the released copy and the resident copies.
    origin: Option<Arc<Origin>>,
    /// Made with the text; a released file makes it again when asked ([`SourceFile::lines`]).
    lines: OnceLock<Arc<LineIndex>>,
}

/// Where a file's text was read from, and how to know it is still the same text.
#[derive(Clone, Debug)]
struct Origin {
    /// The location read (the path may be relative to another folder).
    disk: PathBuf,
    /// The text's digest ([`digest`]).
    digest: u64,
    /// The text's length in bytes.
    len: usize,
}

/// Why a file's bytes are not text akslint can lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotText {
    /// The file contains a NUL byte: it is binary.
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// The file starts with a UTF-16 or UTF-32 byte-order mark.
    Utf16,
    /// The bytes are not valid UTF-8.
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
}

impl SourceFile {
    /// A source file from text already decoded.
    pub fn new(
        path: impl Into<PathBuf>,
        kind: SourceKind,
        text: impl Into<Box<str>>,
    ) -> SourceFile {
        let text = text.into();
        let lines = index_of(&text);
        SourceFile {
            path: Arc::from(path.into()),
            kind,
            text: OnceLock::from(text),
            origin: None,
            lines: OnceLock::from(lines),
        }
    }

    /// The same file, noted as read from `disk`: it can then release its text
    /// ([`SourceFile::released`]) and read it again.
    pub fn on_disk(mut self, disk: impl Into<PathBuf>) -> SourceFile {
        self.origin = Some(Arc::new(Origin {
            disk: disk.into(),
            digest: digest(self.text().as_bytes()),
            len: self.text().len(),
        }));
        self
    }

    /// The same file without its text and line index, when it can read them again: it was read
    /// from disk ([`SourceFile::on_disk`]) and its line index gives columns without the text.
    /// The text is read again when asked for, and the index made again when a position is.
    pub fn released(&self) -> Option<SourceFile> {
        let origin = self.origin.clone()?;
        self.lines().columns_without_text().then(|| SourceFile {
            path: self.path.clone(),
            kind: self.kind,
            text: OnceLock::new(),
            origin: Some(origin),
            lines: OnceLock::new(),
        })
    }

    /// Whether the text is in memory (not released, or read again).
    pub fn is_resident(&self) -> bool {
        self.text.get().is_some()
    }

    /// This file with its text in memory: itself when the text is, else a copy that has read
    /// it again from disk (and is dropped with it), leaving this one released. For a caller
    /// that needs the text for a while (a renderer showing lines, a fix parsing the file).
    pub fn resident(self: &Arc<SourceFile>) -> SharedSource {
        if self.is_resident() {
            return self.clone();
        }
        // The copy shares this file's line index when it has one, else makes its own when asked
        // (dropped with it: the template evaluation lends every Bicep file this way).
        let lines = self
            .lines
            .get()
            .cloned()
            .map_or_else(OnceLock::new, OnceLock::from);
        Arc::new(SourceFile {
            path: self.path.clone(),
            kind: self.kind,
            text: OnceLock::from(self.read_again()),
            origin: self.origin.clone(),
            lines,
        })
    }

    /// The text read again from disk; empty when it cannot be read or is no longer the text
    /// that was linted (another length or digest).
    fn read_again(&self) -> Box<str> {
        let Some(origin) = &self.origin else {
            return Box::default();
        };
        std::fs::read(&origin.disk)
            .ok()
            .filter(|bytes| bytes.len() == origin.len && digest(bytes) == origin.digest)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(String::into_boxed_str)
            .unwrap_or_default()
    }

    /// Decodes a file's bytes as UTF-8 text, refusing binary files and other encodings.
    pub fn decode(bytes: Vec<u8>) -> Result<String, (NotText, Vec<u8>)> {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err((NotText::Utf16, bytes));
        }
        let probe = &bytes[..bytes.len().min(8192)];
        if let Some(offset) = probe.iter().position(|&b| b == 0) {
            return Err((NotText::Binary { offset }, bytes));
        }
        String::from_utf8(bytes).map_err(|err| {
            let offset = err.utf8_error().valid_up_to();
            (NotText::InvalidUtf8 { offset }, err.into_bytes())
        })
    }

    /// The path as given on the command line or found by walking (relative paths stay relative).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The language of this file.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// The full text (read again from disk, and kept, when it was released).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.read_again())
    }

    /// The text's length in bytes (known without the text).
    pub fn len(&self) -> usize {
        match &self.origin {
            Some(origin) => origin.len,
            None => self.text().len(),
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of a span (empty when the span is not in the text: a released file changed on
    /// disk).
    pub fn slice(&self, span: Span) -> &str {
        self.text().get(span.range()).unwrap_or_default()
    }

    /// The line index (of a released file, made again the first time it is asked for, from the
    /// text on disk, and kept).
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| match self.text.get() {
            Some(text) if text.len() == self.len() => index_of(text),
            _ => index_of(&self.on_disk_now()),
        })
    }

    /// The text of a released file as it is on disk now (what is not UTF-8 replaced), for its
    /// line index: the linted text when unchanged, else the nearest there is.
    fn on_disk_now(&self) -> String {
        let Some(origin) = &self.origin else {
            return String::new();
        };
        std::fs::read(&origin.disk)
            .map(|bytes| {
                String::from_utf8(bytes)
                    .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
            })
            .unwrap_or_default()
    }

    /// 1-based line and column (in Unicode characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let lines = self.lines();
        if lines.columns_without_text() {
            lines.line_column_without_text(offset)
        } else {
            lines.line_column(self.text(), offset)
        }
    }

    /// 0-based line and UTF-16 column of a byte offset, as the Language Server Protocol counts.
    pub fn utf16_position(&self, offset: usize) -> (u32, u32) {
        let lines = self.lines();
        if lines.columns_without_text() {
            lines.utf16_position_without_text(offset)
        } else {
            lines.utf16_position(self.text(), offset)
        }
    }

    /// Byte offset of a 0-based line and UTF-16 column; clamped to the line's end.
    pub fn offset_of_utf16(&self, line: u32, column: u32) -> usize {
        self.lines().offset_of_utf16(self.text(), line, column)
    }
}

/// The line index of a text, to share.
fn index_of(text: &str) -> Arc<LineIndex> {
    Arc::new(LineIndex::new(text))
}

/// A fast 64-bit digest of a text, to know whether a file read again is the one linted.
fn digest(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = bytes.len() as u64;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    (hash.rotate_left(5) ^ u64::from_le_bytes(last)).wrapping_mul(K)
}

/// A 1-based line and 1-based column counted in Unicode characters, for people and machine output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineColumn {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in Unicode scalar values from the start of the line.
    pub column: u32,
}

/// The start offset of every line of a text, so that an offset's line is a binary search away.
///
/// Lines end at `\r\n`, `\n` or a lone `\r`, as YAML, Bicep and the Language Server Protocol
/// count them. On the first line, columns are counted after a UTF-8 byte-order mark, as editors
/// do. The index also knows where the text's multi-byte characters are (unless there are many),
/// so that columns are counted without the text.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    ascii: bool,
    len: u32,
    /// The offset and UTF-8 length of every multi-byte character, when there are at most one
    /// for every [`LineIndex::BYTES_PER_WIDE_CHAR`] bytes (`None` beyond).
    wide: Option<Box<[(u32, u8)]>>,
}

const BOM: &str = "\u{feff}";

impl LineIndex {
    /// The fewest bytes of text per multi-byte character listed (more of them and the index
    /// would outgrow the text: columns are then counted in the text).
    const BYTES_PER_WIDE_CHAR: usize = 8;

    /// Indexes a text.
    pub fn new(text: &str) -> LineIndex {
        let first = if text.starts_with(BOM) { BOM.len() } else { 0 };
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(first as u32);
        let bytes = text.as_bytes();
        if text.contains('\r') {
            starts.extend(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| b == b'\n' || b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                    .map(|(i, _)| (i + 1) as u32),
            );
        } else {
            // Without carriage returns, the line feeds alone.
            line_feed_ends(bytes, &mut starts);
        }
        starts.shrink_to_fit();
        let ascii = text.is_ascii();
        let wide = (!ascii).then(|| wide_chars(text)).flatten();
        LineIndex {
            starts,
            ascii,
            len: text.len() as u32,
            wide,
        }
    }

    /// The length of the text indexed, in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the text indexed is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether columns are counted without the text ([`LineIndex::line_column_without_text`]):
    /// the text is ASCII, or the index lists its multi-byte characters.
    pub fn columns_without_text(&self) -> bool {
        self.ascii || self.wide.is_some()
    }

    /// Number of lines (a text ending in a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Byte offset where a 0-based line starts (the text's end for lines past the end).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(u32::MAX) as usize
    }

    /// The byte span of a 0-based line, without its line break.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line).min(text.len());
        let bytes = text.as_bytes();
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next as usize - 1);
        if end < bytes.len() && bytes[end] == b'\n' && end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        Span::new(start, end.max(start))
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = if self.ascii {
            offset - start
        } else {
            text[start..offset].chars().count()
        };
        LineColumn {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// 0-based line and UTF-16 column of a byte offset.
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = if self.ascii {
            offset - start
        } else {
            text[start..offset].chars().map(char::len_utf16).sum()
        };
        (line as u32, column as u32)
    }

    /// [`LineIndex::line_column`] without the text (see [`LineIndex::columns_without_text`];
    /// otherwise the columns of a text with multi-byte characters are too large).
    pub fn line_column_without_text(&self, offset: usize) -> LineColumn {
        let (line, column) = self.position_without_text(offset, |_| 1);
        LineColumn {
            line: line + 1,
            column: column + 1,
        }
    }

    /// [`LineIndex::utf16_position`] without the text (as [`LineIndex::line_column_without_text`]).
    pub fn utf16_position_without_text(&self, offset: usize) -> (u32, u32) {
        self.position_without_text(offset, |bytes| if bytes == 4 { 2 } else { 1 })
    }

    /// 0-based line and column of an offset, a multi-byte character of `bytes` bytes counting
    /// `units(bytes)` columns.
    fn position_without_text(&self, offset: usize, units: impl Fn(u8) -> usize) -> (u32, u32) {
        let mut offset = offset.min(self.len());
        let wide = self.wide.as_deref().unwrap_or_default();
        let before = wide.partition_point(|&(at, _)| (at as usize) < offset);
        if let Some(&(at, bytes)) = before.checked_sub(1).map(|i| &wide[i])
            && at as usize + bytes as usize > offset
        {
            offset = at as usize;
        }
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let first = wide.partition_point(|&(at, _)| (at as usize) < start);
        let last = wide.partition_point(|&(at, _)| (at as usize) < offset);
        let narrower: usize = wide[first..last]
            .iter()
            .map(|&(_, bytes)| bytes as usize - units(bytes))
            .sum();
        (line as u32, (offset - start - narrower) as u32)
    }

    /// Byte offset of a 0-based line and UTF-16 column, clamped to the line (and text) end.
    pub fn offset_of_utf16(&self, text: &str, line: u32, column: u32) -> usize {
        let line = line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let span = self.line_span(text, line);
        let mut units = 0usize;
        for (index, ch) in text[span.range()].char_indices() {
            if units >= column as usize {
                return span.start as usize + index;
            }
            units += ch.len_utf16();
        }
        span.end as usize
    }
}

/// The offset and length of every multi-byte character of a text, unless there are more than
/// one for every [`LineIndex::BYTES_PER_WIDE_CHAR`] bytes.
fn wide_chars(text: &str) -> Option<Box<[(u32, u8)]>> {
    let most = text.len() / LineIndex::BYTES_PER_WIDE_CHAR;
    let mut wide = Vec::new();
    for (at, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
        if wide.len() == most {
            return None;
        }
        wide.push((at as u32, c.len_utf8() as u8));
    }
    Some(wide.into_boxed_slice())
}

/// Pushes the offset just after each line feed of `bytes`, looked for eight bytes at a time
/// (a search call per line costs more than the line on short lines).
fn line_feed_ends(bytes: &[u8], starts: &mut Vec<u32>) {
    const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const FEEDS: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        // A byte of `x` is zero where the word has a line feed; the high bit of each zero
        // byte, and of no other (no carry crosses a byte: each sum is at most 0xfe).
        let x = u64::from_le_bytes(eight) ^ FEEDS;
        let mut feeds = !(((x & LOWS) + LOWS) | x | LOWS);
        while feeds != 0 {
            starts.push((at + feeds.trailing_zeros() as usize / 8 + 1) as u32);
            feeds &= feeds - 1;
        }
        at += 8;
    }
    let rest = words.remainder();
    starts.extend(
        (0..rest.len())
            .filter(|&i| rest[i] == b'\n')
            .map(|i| (at + i + 1) as u32),
    );
}

/// The largest char boundary at or below `offset` (clamped to the text's length).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A shared handle to a source file.
pub type SharedSource = Arc<SourceFile>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_json_is_known_by_its_schema() {
        let template = br#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": []
}"#;
        assert_eq!(
            SourceKind::sniff_json(template),
            Some(SourceKind::ArmTemplate)
        );
        let subscription = br#"{"$schema":"https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"}"#;
        assert_eq!(
            SourceKind::sniff_json(subscription),
            Some(SourceKind::ArmTemplate)
        );
        let parameters = br#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}"#;
        assert_eq!(
            SourceKind::sniff_json(parameters),
            Some(SourceKind::ArmTemplate)
        );
        for other in [
            &br#"{"name": "app", "version": "1.0.0"}"#[..],
            br#"{"$schema": "http://json-schema.org/draft-07/schema#", "title": "deploymentTemplate"}"#,
            br#"{"$schema": "https://json.schemastore.org/package.json"}"#,
            b"\xff\xfe not text",
        ] {
            assert_eq!(SourceKind::sniff_json(other), None);
        }
    }

    #[test]
    fn columns_in_characters_and_utf16() {
        let text = "a: 1\r\nü: \u{1F600}x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            index.line_column(text, x),
            LineColumn { line: 2, column: 5 }
        );
        assert_eq!(index.utf16_position(text, x), (1, 5));
        assert_eq!(index.offset_of_utf16(text, 1, 5), x);
        assert_eq!(index.line_span(text, 0), Span::new(0, 4));
    }

    #[test]
    fn line_feeds_are_found_at_every_place_in_a_word() {
        for len in 0..40 {
            for feeds in [1usize, 2, 3, 5, 7, 8, 9, 13] {
                let text: String = (0..len)
                    .map(|i| if i % feeds == feeds - 1 { '\n' } else { 'a' })
                    .collect();
                let index = LineIndex::new(&text);
                let mut expected = vec![0u32];
                expected.extend(text.match_indices('\n').map(|(i, _)| (i + 1) as u32));
                assert_eq!(index.starts, expected, "{text:?}");
            }
        }
        // Bytes next to a line feed's value, and multi-byte characters, are no line feeds.
        let text = "\u{b}\t\u{8a}\u{10a}é\n\u{0a}\u{8a}x\n";
        let mut expected = vec![0u32];
        expected.extend(text.match_indices('\n').map(|(i, _)| (i + 1) as u32));
        assert_eq!(LineIndex::new(text).starts, expected);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a: 1\rb: 2\r\nc: 3\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let starts: Vec<usize> = ["b:", "c:", "d"]
            .iter()
            .map(|k| text.find(k).unwrap())
            .collect();
        for (line, start) in starts.iter().enumerate() {
            assert_eq!(index.line_start(line + 1), *start);
            assert_eq!(index.utf16_position(text, *start), (line as u32 + 1, 0));
        }
        assert_eq!(index.line_span(text, 0), Span::new(0, 4));
        assert_eq!(index.line_span(text, 1), Span::new(5, 9));
        assert_eq!(index.line_span(text, 2), Span::new(11, 15));
        assert_eq!(index.offset_of_utf16(text, 1, 99), 9);
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}key: v";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_column(text, 3),
            LineColumn { line: 1, column: 1 }
        );
        assert_eq!(index.utf16_position(text, 8), (0, 5));
        assert_eq!(
            index.line_column(text, 1),
            LineColumn { line: 1, column: 1 }
        );
    }

    #[test]
    fn columns_without_the_text_are_those_counted_in_it() {
        let text = "\u{feff}caf\u{e9}: \u{1F600}x\r\n\u{fc}ber: \u{4e2d}\rplain: ascii, long enough for the index to list the others\n\u{e9}";
        let index = LineIndex::new(text);
        assert!(index.columns_without_text());
        for offset in 0..text.len() + 3 {
            assert_eq!(
                index.line_column_without_text(offset),
                index.line_column(text, offset),
                "line and column at {offset}"
            );
            assert_eq!(
                index.utf16_position_without_text(offset),
                index.utf16_position(text, offset),
                "UTF-16 position at {offset}"
            );
        }
        // Mostly multi-byte characters: the index does not list them, the text counts.
        let wide = "\u{4e2d}\u{6587}: \u{503c}\u{503c}\u{503c}\n".repeat(20);
        let index = LineIndex::new(&wide);
        assert!(!index.columns_without_text());
        let file = SourceFile::new("w.yaml", SourceKind::Yaml, wide.as_str()).on_disk("w.yaml");
        assert!(file.released().is_none());
        assert_eq!(file.line_column(wide.len()).line, 21);
    }

    #[test]
    fn a_released_file_reads_its_text_again_but_not_a_changed_one() {
        let path =
            std::env::temp_dir().join(format!("akslint-released-{}.yaml", std::process::id()));
        let text = "name: caf\u{e9}\nvalue: 1\n";
        std::fs::write(&path, text).unwrap();
        let file = SourceFile::new("a.yaml", SourceKind::Yaml, text).on_disk(&path);
        assert!(file.is_resident());
        let released = Arc::new(
            file.released()
                .expect("read from disk, few wide characters"),
        );
        assert!(!released.is_resident());
        assert_eq!(released.len(), text.len());
        assert!(
            released.lines.get().is_none(),
            "a released file holds no line index until a position is asked for"
        );
        assert_eq!(
            released.line_column(text.find("1").unwrap()),
            LineColumn { line: 2, column: 8 }
        );
        assert!(released.lines.get().is_some(), "then it keeps the one made");
        let fresh = Arc::new(file.released().unwrap());
        assert_eq!(fresh.resident().line_column(text.len()).line, 3);
        assert!(
            fresh.lines.get().is_none(),
            "a lent copy's index goes with it"
        );
        assert!(
            !released.is_resident(),
            "made from a text read for the while"
        );
        let lent = released.resident();
        assert_eq!(lent.text(), text);
        assert_eq!(lent.line_column(text.len()).line, 3);
        assert!(
            !released.is_resident(),
            "a lent copy leaves the file released"
        );
        assert_eq!(released.slice(Span::new(6, 11)), "caf\u{e9}");
        assert!(released.is_resident(), "text() keeps what it read");
        // Changed on disk (same length): the text reads as empty, positions still come.
        std::fs::write(&path, text.replace("value", "VALUE")).unwrap();
        let changed = Arc::new(file.released().unwrap());
        assert_eq!(changed.resident().text(), "");
        assert_eq!(changed.slice(Span::new(6, 11)), "");
        assert_eq!(changed.line_column(text.len()).line, 3);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(Arc::new(file.released().unwrap()).text(), "");
        // A file not read from disk keeps its text.
        assert!(
            SourceFile::new("b.yaml", SourceKind::Yaml, "a: 1")
                .released()
                .is_none()
        );
    }

    #[test]
    fn decode_refuses_binary_and_utf16() {
        assert_eq!(
            SourceFile::decode(vec![b'a', 0, b'b']).unwrap_err().0,
            NotText::Binary { offset: 1 }
        );
        assert_eq!(
            SourceFile::decode(vec![0xFF, 0xFE, b'a', 0]).unwrap_err().0,
            NotText::Utf16
        );
        assert_eq!(
            SourceFile::decode(b"ab\xC3(".to_vec()).unwrap_err().0,
            NotText::InvalidUtf8 { offset: 2 }
        );
        assert_eq!(SourceFile::decode(b"ok".to_vec()).unwrap(), "ok");
    }
}
