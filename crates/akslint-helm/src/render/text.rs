//! Text with provenance: every range of a rendered text knows the template span or the values
//! file span it came from, through concatenation, indentation, quoting and trimming.

use std::ops::Range;
use std::rc::Rc;

use akslint_core::Span;

/// Where a piece of rendered text came from: a span of one of the renderer's files (a
/// template's literal text or action, or a value written in a values file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Source {
    /// The file, an index into the renderer's files.
    pub file: usize,
    /// The span in that file.
    pub span: Span,
}

/// One range of a text and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The byte range in the text.
    pub start: u32,
    /// Its end.
    pub end: u32,
    /// Where it came from.
    pub source: Source,
}

/// A string and the provenance of its bytes (bytes without a segment were computed, such as the
/// spaces `nindent` adds).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    text: Rc<str>,
    segments: Rc<[Segment]>,
}

impl Text {
    /// A text with no provenance.
    pub fn plain(text: &str) -> Text {
        Text {
            text: text.into(),
            segments: Rc::new([]),
        }
    }

    /// A text that came whole from `source`.
    pub fn from_source(text: &str, source: Option<Source>) -> Text {
        let mut builder = TextBuilder::default();
        builder.push_str(text, source);
        builder.finish()
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The segments, in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The sources of the bytes in `range`, in order, without repeats: narrowed to the bytes of
    /// `range` where a segment is a verbatim copy of its source (as long as its span), else the
    /// segment's whole source.
    pub fn sources_in(&self, range: Range<usize>) -> Vec<Source> {
        sources_in(&self.segments, range)
    }

    /// The first source of the text, if any.
    pub fn first_source(&self) -> Option<Source> {
        self.segments.first().map(|s| s.source)
    }

    /// The text with `f` applied to its string: the provenance is kept byte for byte when the
    /// length is unchanged (case changes), else the whole result comes from the text's first
    /// source.
    pub fn map(&self, f: impl FnOnce(&str) -> String) -> Text {
        let mapped = f(&self.text);
        if mapped.len() == self.text.len() {
            return Text {
                text: mapped.into(),
                segments: self.segments.clone(),
            };
        }
        Text::from_source(&mapped, self.first_source())
    }

    /// The bytes of `range`, with their provenance.
    pub fn slice(&self, range: Range<usize>) -> Text {
        let mut builder = TextBuilder::default();
        builder.push_range(self, range);
        builder.finish()
    }

    /// Every line prefixed by `prefix` (which has no provenance), as `indent` does.
    pub fn indent(&self, prefix: &str) -> Text {
        let mut builder = TextBuilder::default();
        let mut line_start = 0;
        for (i, _) in self.text.match_indices('\n') {
            builder.push_str(prefix, None);
            builder.push_range(self, line_start..i + 1);
            line_start = i + 1;
        }
        builder.push_str(prefix, None);
        builder.push_range(self, line_start..self.text.len());
        builder.finish()
    }
}

/// The sources of the bytes in `range` of a text with these segments (see [`Text::sources_in`]).
pub fn sources_in(segments: &[Segment], range: Range<usize>) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    let first = segments.partition_point(|s| (s.end as usize) <= range.start);
    for segment in segments[first..]
        .iter()
        .take_while(|s| (s.start as usize) < range.end)
    {
        let source = narrowed(segment, range.clone());
        if !out.contains(&source) {
            out.push(source);
        }
    }
    out
}

/// The source of the bytes `range` of a segment: the matching part of its span when the
/// segment is a verbatim copy of its source (as long as its span), else the whole source.
fn narrowed(segment: &Segment, range: Range<usize>) -> Source {
    let (start, end) = (segment.start as usize, segment.end as usize);
    let span = segment.source.span;
    if end - start != (span.end - span.start) as usize {
        return segment.source;
    }
    let from = span.start as usize + range.start.max(start) - start;
    let to = span.start as usize + range.end.min(end) - start;
    Source {
        file: segment.source.file,
        span: Span::new(from, to),
    }
}

/// Builds a [`Text`] piece by piece.
#[derive(Debug, Default)]
pub struct TextBuilder {
    text: String,
    segments: Vec<Segment>,
}

impl TextBuilder {
    /// Appends a string from `source`.
    pub fn push_str(&mut self, text: &str, source: Option<Source>) {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        if let Some(source) = source
            && !text.is_empty()
        {
            self.add(Segment {
                start,
                end: self.text.len() as u32,
                source,
            });
        }
    }

    /// Appends a text with its provenance.
    pub fn push_text(&mut self, text: &Text) {
        self.push_range(text, 0..text.text.len());
    }

    /// Appends the bytes of `range` of a text with their provenance.
    pub fn push_range(&mut self, text: &Text, range: Range<usize>) {
        let offset = self.text.len() as i64 - range.start as i64;
        self.text.push_str(&text.text[range.clone()]);
        // Segments are in order: skip those before the range, stop at the first after it (a
        // text indented line by line is not scanned whole for every line).
        let first = text
            .segments
            .partition_point(|s| (s.end as usize) <= range.start);
        for segment in text.segments[first..]
            .iter()
            .take_while(|s| (s.start as usize) < range.end)
        {
            let start = (segment.start as usize).max(range.start);
            let end = (segment.end as usize).min(range.end);
            if start < end {
                self.add(Segment {
                    start: (start as i64 + offset) as u32,
                    end: (end as i64 + offset) as u32,
                    source: narrowed(segment, start..end),
                });
            }
        }
    }

    /// The length so far.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends a segment, merging it with the previous one when they continue each other.
    fn add(&mut self, segment: Segment) {
        if let Some(last) = self.segments.last_mut()
            && last.end == segment.start
            && last.source.file == segment.source.file
            && last.source.span.end == segment.source.span.start
            && segment.end - segment.start == segment.source.span.end - segment.source.span.start
            && last.end - last.start == last.source.span.end - last.source.span.start
        {
            last.end = segment.end;
            last.source.span = Span::new(
                last.source.span.start as usize,
                segment.source.span.end as usize,
            );
            return;
        }
        self.segments.push(segment);
    }

    /// The text built.
    pub fn finish(self) -> Text {
        Text {
            text: self.text.into(),
            segments: self.segments.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(start: usize, end: usize) -> Option<Source> {
        Some(Source {
            file: 1,
            span: Span::new(start, end),
        })
    }

    #[test]
    fn provenance_survives_concatenation_and_indentation() {
        let mut builder = TextBuilder::default();
        builder.push_str("a: ", source(0, 3));
        builder.push_str("x\ny", source(10, 13));
        let text = builder.finish().indent("  ");
        assert_eq!(text.as_str(), "  a: x\n  y");
        // `y`, on the second line after the added spaces; `x` on the first.
        let sources = text.sources_in(7..10);
        assert_eq!(sources, [source(12, 13).unwrap()]);
        assert_eq!(text.sources_in(5..6), [source(10, 11).unwrap()]);
        assert_eq!(text.sources_in(0..2), Vec::<Source>::new());
        let upper = text.map(|s| s.to_uppercase());
        assert_eq!(upper.sources_in(7..10), sources);
    }
}
