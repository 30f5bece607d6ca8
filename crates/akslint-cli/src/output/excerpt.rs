//! The part of a file that human output shows for a finding: the lines of its labels with one
//! line of context, as miette draws them, built so that output stays linear and safe whatever the
//! file holds:
//!
//! - only those lines are read (a line index finds them), so a finding costs the size of its
//!   excerpt, not of its file;
//! - a line longer than [`LONG_LINE`] bytes shows windows around the labels' ends, the rest as
//!   `…` (a minified manifest is one line of megabytes);
//! - a label is drawn over at most [`MAX_LABEL_LINES`] lines;
//! - secrets are masked ([`SecretMask`]), control and invisible characters escaped
//!   ([`super::escaped`]), line breaks shown as `\n`.
//!
//! Offsets of the file map to offsets of the excerpt ([`Excerpt::map`]); line numbers and the
//! header's line and column are the file's.

use std::ops::Range;

use akslint_core::{SecretMask, SharedSource, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escaped;

/// Lines longer than this many bytes are shown in windows around the labels' ends.
const LONG_LINE: usize = 240;
/// Bytes shown on each side of a label's end on a long line.
const WINDOW: usize = 48;
/// Lines of a label drawn at most; the rest of a longer label is not.
const MAX_LABEL_LINES: usize = 8;
/// Lines shown before and after the labels (miette's context).
pub const CONTEXT_LINES: usize = 1;
/// What stands for the bytes of a long line that are not shown.
const ELLIPSIS: &str = "…";

/// A run of the file's bytes and the excerpt's bytes it became.
#[derive(Debug)]
struct Piece {
    original: Range<usize>,
    shown: Range<usize>,
}

/// The excerpt of a file around some spans, as miette's source code.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    file: SharedSource,
    text: String,
    /// The file's 0-based line of the excerpt's first line.
    first_line: usize,
    /// Sorted by both ranges; together they cover the excerpt's text.
    pieces: Vec<Piece>,
}

impl Excerpt {
    /// The excerpt of `file` (shown as `name`) around `spans`, with the secrets at `sensitive`
    /// (sorted by start) masked. `spans` must not be empty.
    pub fn new(name: String, file: &SharedSource, sensitive: &[Span], spans: &[Span]) -> Excerpt {
        let text = file.text();
        let lines = file.lines();
        let spans: Vec<Span> = spans.iter().map(|span| clip(file, *span)).collect();
        let first_label_line = spans
            .iter()
            .map(|s| lines.line_of(s.start as usize))
            .min()
            .unwrap_or(0);
        let last_label_line = spans
            .iter()
            .map(|s| lines.line_of(s.end as usize))
            .max()
            .unwrap_or(0);
        let first_line = first_label_line.saturating_sub(CONTEXT_LINES);
        let last_line = (last_label_line + CONTEXT_LINES).min(lines.line_count() - 1);
        let start = lines.line_start(first_line).min(text.len());
        let end = lines.line_start(last_line + 1).min(text.len()).max(start);
        let masks: Vec<SecretMask> = overlapping(sensitive, start..end)
            .iter()
            .filter_map(|span| SecretMask::new(text, *span))
            .collect();
        let mut builder = Builder {
            text,
            masks: &masks,
            out: String::new(),
            pieces: Vec::new(),
        };
        let points: Vec<usize> = spans
            .iter()
            .flat_map(|s| [s.start as usize, s.end as usize])
            .collect();
        for line in first_line..=last_line {
            let span = lines.line_span(text, line);
            builder.line(span.range(), &points);
            let next = lines.line_start(line + 1).min(text.len());
            if line < last_line && next > span.end as usize {
                builder.piece(span.end as usize..next, "\n");
            }
        }
        Excerpt {
            name,
            file: file.clone(),
            text: builder.out,
            first_line,
            pieces: builder.pieces,
        }
    }

    /// The excerpt's span for a span of the file (clipped as labels are).
    pub fn map(&self, span: Span) -> SourceSpan {
        let span = clip(&self.file, span);
        let start = self.map_start(span.start as usize);
        let end = if span.is_empty() {
            start
        } else {
            self.map_end(span.end as usize).max(start)
        };
        (start, end - start).into()
    }

    fn map_start(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.original.end <= offset);
        self.pieces
            .get(index)
            .map_or(self.text.len(), |p| p.shown.start)
    }

    fn map_end(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.original.end < offset);
        self.pieces
            .get(index)
            .map_or(self.text.len(), |p| p.shown.end)
    }

    /// The file's offset where an excerpt offset's piece starts.
    fn original(&self, shown: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.shown.end <= shown);
        self.pieces
            .get(index)
            .map_or(self.file.text().len(), |p| p.original.start)
    }
}

/// A span cut after its first [`MAX_LABEL_LINES`] lines.
fn clip(file: &SharedSource, span: Span) -> Span {
    let lines = file.lines();
    let first = lines.line_of(span.start as usize);
    let last_drawn = first + MAX_LABEL_LINES - 1;
    if lines.line_of(span.end as usize) <= last_drawn {
        return span;
    }
    let end = lines.line_span(file.text(), last_drawn).end;
    Span::new(span.start as usize, end.max(span.start) as usize)
}

/// The spans of `sorted` (by start) that overlap `range`.
fn overlapping(sorted: &[Span], range: Range<usize>) -> Vec<Span> {
    let first = sorted.partition_point(|s| (s.start as usize) < range.start);
    // A span starting before the range may reach into it; secrets are short, but look back over
    // every earlier span only when the one before does.
    let mut found: Vec<Span> = sorted[..first]
        .iter()
        .rev()
        .take_while(|s| s.end as usize > range.start)
        .copied()
        .collect();
    found.extend(
        sorted[first..]
            .iter()
            .take_while(|s| (s.start as usize) < range.end),
    );
    found
}

/// Writes the excerpt's text and pieces.
struct Builder<'a> {
    text: &'a str,
    masks: &'a [SecretMask],
    out: String,
    pieces: Vec<Piece>,
}

impl Builder<'_> {
    fn piece(&mut self, original: Range<usize>, shown: &str) {
        let start = self.out.len();
        self.out.push_str(shown);
        self.pieces.push(Piece {
            original,
            shown: start..self.out.len(),
        });
    }

    /// One line (without its break): whole when short, else windows around `points` on it.
    fn line(&mut self, line: Range<usize>, points: &[usize]) {
        let windows = if line.len() <= LONG_LINE {
            vec![line.clone()]
        } else {
            windows(self.text, line.clone(), points)
        };
        let mut cursor = line.start;
        for window in windows {
            if window.start > cursor {
                self.piece(cursor..window.start, ELLIPSIS);
            }
            self.characters(window.clone());
            cursor = window.end;
        }
        if cursor < line.end {
            self.piece(cursor..line.end, ELLIPSIS);
        }
    }

    fn characters(&mut self, range: Range<usize>) {
        let text = self.text;
        for (index, c) in text[range.clone()].char_indices() {
            let offset = range.start + index;
            let original = offset..offset + c.len_utf8();
            if offset == 0 && c == '\u{feff}' {
                self.piece(original, "");
            } else if self.masks.iter().any(|mask| mask.hides(offset, c)) {
                self.piece(original, "*");
            } else if let Some(escape) = escaped(c) {
                self.piece(original, &escape);
            } else {
                let mut buffer = [0; 4];
                self.piece(original, c.encode_utf8(&mut buffer));
            }
        }
    }
}

/// The windows of a long line to show: [`WINDOW`] bytes around each point on it (its start when
/// none is), merged, on character boundaries.
fn windows(text: &str, line: Range<usize>, points: &[usize]) -> Vec<Range<usize>> {
    let mut centres: Vec<usize> = points
        .iter()
        .copied()
        .filter(|p| line.contains(p) || *p == line.end)
        .collect();
    if centres.is_empty() {
        centres.push(line.start);
    }
    centres.sort_unstable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for centre in centres {
        let start = floor_boundary(text, centre.saturating_sub(WINDOW).max(line.start));
        let end = ceil_boundary(text, (centre + WINDOW).min(line.end));
        match windows.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        let start = contents.span().offset();
        let line = self.first_line + contents.line();
        // The header's column is the file's, in characters (as in every other format).
        let column = if context_lines_before == 0 {
            self.file.line_column(self.original(start)).column as usize - 1
        } else {
            contents.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            line,
            column,
            // Like miette's own sources: the lines counted from the file's start to the end of
            // the span read (miette merges two labels' contexts by it).
            self.first_line + contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use akslint_core::{SourceFile, SourceKind};

    use super::*;

    fn file(text: &str) -> SharedSource {
        Arc::new(SourceFile::new(
            Path::new("f.yaml"),
            SourceKind::Yaml,
            text.to_owned(),
        ))
    }

    fn shown(excerpt: &Excerpt, span: Span) -> &str {
        let mapped = excerpt.map(span);
        &excerpt.text[mapped.offset()..mapped.offset() + mapped.len()]
    }

    #[test]
    fn the_lines_around_a_span_with_one_line_of_context() {
        let source = file("a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n");
        let at = source.text().find("3").unwrap();
        let excerpt = Excerpt::new("f".into(), &source, &[], &[Span::new(at, at + 1)]);
        assert_eq!(excerpt.text, "b: 2\nc: 3\nd: 4");
        assert_eq!(excerpt.first_line, 1);
        assert_eq!(shown(&excerpt, Span::new(at, at + 1)), "3");
        let header = excerpt
            .read_span(&excerpt.map(Span::new(at, at + 1)), 0, 0)
            .unwrap();
        assert_eq!((header.line(), header.column()), (2, 3));
    }

    #[test]
    fn a_long_line_shows_windows_around_the_span() {
        let text = format!("k: [{}x]\n", " ".repeat(70_000));
        let source = file(&text);
        let at = text.find('x').unwrap();
        let span = Span::new(at, at + 1);
        let excerpt = Excerpt::new("f".into(), &source, &[], &[span]);
        assert!(
            excerpt.text.len() < 2 * WINDOW + 16,
            "{}",
            excerpt.text.len()
        );
        assert!(excerpt.text.starts_with('…'));
        assert_eq!(shown(&excerpt, span), "x");
        let header = excerpt.read_span(&excerpt.map(span), 0, 0).unwrap();
        assert_eq!(header.column(), at);
    }

    #[test]
    fn secrets_are_masked_and_control_characters_escaped() {
        let text = "password: hunter2hunter2\ncolour: \u{1b}[31mred\rnext\n";
        let source = file(text);
        let secret = Span::new(10, 24);
        let excerpt = Excerpt::new("f".into(), &source, &[secret], &[secret]);
        assert_eq!(
            excerpt.text,
            "password: hun***********\ncolour: \\u{1b}[31mred"
        );
        assert_eq!(shown(&excerpt, secret), "hun***********");
    }

    #[test]
    fn a_long_label_is_drawn_over_its_first_lines_only() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let source = file(&text);
        let span = Span::new(0, text.len());
        let excerpt = Excerpt::new("f".into(), &source, &[], &[span]);
        assert_eq!(
            excerpt.text.lines().count(),
            MAX_LABEL_LINES + CONTEXT_LINES
        );
    }
}
