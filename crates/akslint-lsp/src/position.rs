//! Positions: byte offsets inside, LSP positions (UTF-16 or UTF-8 columns) at the edges.

use akslint_core::{LineIndex, SourceFile, Span, floor_char_boundary};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// How the client counts columns, as negotiated in `initialize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    #[default]
    Utf16,
    /// Bytes of UTF-8: used when the client offers it.
    Utf8,
}

impl Encoding {
    /// Picks UTF-8 when the client lists it among its position encodings, else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The protocol's name for the encoding.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }

    /// The position of a byte offset of a file.
    pub fn position(self, file: &SourceFile, offset: usize) -> Position {
        match self {
            Encoding::Utf16 => {
                let (line, character) = file.utf16_position(offset);
                Position::new(line, character)
            }
            Encoding::Utf8 => {
                let text = file.text();
                let offset = floor_char_boundary(text, offset);
                let line = file.lines().line_of(offset);
                let start = file.lines().line_start(line).min(offset);
                Position::new(line as u32, (offset - start) as u32)
            }
        }
    }

    /// The range of a byte span of a file.
    pub fn range(self, file: &SourceFile, span: Span) -> Range {
        Range::new(
            self.position(file, span.start as usize),
            self.position(file, span.end as usize),
        )
    }

    /// The byte offset of a position in a file (clamped to its line, and to the text).
    pub fn offset(self, file: &SourceFile, position: Position) -> usize {
        self.offset_in(file.text(), file.lines(), position)
    }

    /// The byte offset of a position in `text`, indexed by `lines`.
    pub fn offset_in(self, text: &str, lines: &LineIndex, position: Position) -> usize {
        match self {
            Encoding::Utf16 => lines.offset_of_utf16(text, position.line, position.character),
            Encoding::Utf8 => {
                let line = position.line as usize;
                if line >= lines.line_count() {
                    return text.len();
                }
                let span = lines.line_span(text, line);
                let offset = (span.start as usize)
                    .saturating_add(position.character as usize)
                    .min(span.end as usize);
                floor_char_boundary(text, offset)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::SourceKind;

    #[test]
    fn utf8_and_utf16_columns_differ_on_multibyte_text() {
        let file = SourceFile::new("a.yaml", SourceKind::Yaml, "k: \u{1F600}é x\n");
        let x = file.text().find('x').unwrap();
        assert_eq!(Encoding::Utf16.position(&file, x), Position::new(0, 7));
        assert_eq!(Encoding::Utf8.position(&file, x), Position::new(0, 10));
        assert_eq!(Encoding::Utf16.offset(&file, Position::new(0, 7)), x);
        assert_eq!(Encoding::Utf8.offset(&file, Position::new(0, 10)), x);
        // Past the end of a line: clamped to it; inside a character: to its start.
        assert_eq!(Encoding::Utf8.offset(&file, Position::new(0, 99)), x + 1);
        assert_eq!(Encoding::Utf8.offset(&file, Position::new(0, 4)), 3);
        assert_eq!(
            Encoding::Utf8.offset(&file, Position::new(5, 0)),
            file.text().len()
        );
    }
}
