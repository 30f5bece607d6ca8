//! Source files and the line index that turns byte offsets into lines and columns.

use std::path::{Path, PathBuf};
use std::sync::Arc;

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
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    kind: SourceKind,
    text: Box<str>,
    lines: LineIndex,
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
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            kind,
            text,
            lines,
        }
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

    /// The full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The line index.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// 1-based line and column (in Unicode characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        self.lines.line_column(&self.text, offset)
    }

    /// 0-based line and UTF-16 column of a byte offset, as the Language Server Protocol counts.
    pub fn utf16_position(&self, offset: usize) -> (u32, u32) {
        self.lines.utf16_position(&self.text, offset)
    }

    /// Byte offset of a 0-based line and UTF-16 column; clamped to the line's end.
    pub fn offset_of_utf16(&self, line: u32, column: u32) -> usize {
        self.lines.offset_of_utf16(&self.text, line, column)
    }
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
/// do.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    ascii: bool,
}

const BOM: &str = "\u{feff}";

impl LineIndex {
    /// Indexes a text.
    pub fn new(text: &str) -> LineIndex {
        let first = if text.starts_with(BOM) { BOM.len() } else { 0 };
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(first as u32);
        let bytes = text.as_bytes();
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                .map(|(i, _)| (i + 1) as u32),
        );
        LineIndex {
            starts,
            ascii: text.is_ascii(),
        }
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
