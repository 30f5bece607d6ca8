//! Byte spans into a source file.

use std::ops::Range;

/// A half-open range of byte offsets `[start, end)` into a source file's text.
///
/// Spans are always in bytes of the original file (BOM included); conversion to lines and columns
/// happens at the edges through [`crate::LineIndex`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte of the span.
    pub start: u32,
    /// One past the last byte of the span.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (in bytes).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span {
            start: to_u32(start),
            end: to_u32(end),
        }
    }

    /// An empty span at `offset`.
    pub fn empty(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `other` lies entirely inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the byte at `offset` lies inside this span.
    pub fn contains_offset(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < self.end as usize
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// This span moved `delta` bytes to the right.
    pub fn shifted(self, delta: usize) -> Span {
        Span::new(self.start as usize + delta, self.end as usize + delta)
    }
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).expect("source files are limited far below 4 GiB")
}
