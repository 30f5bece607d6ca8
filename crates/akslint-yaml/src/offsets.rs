//! Converting saphyr's character indices into byte offsets.
//!
//! saphyr-parser's markers count characters, not bytes. For ASCII text the two agree; otherwise a
//! checkpoint every [`STRIDE`] characters bounds each conversion to a short forward walk.

const STRIDE: usize = 64;

/// Character-index to byte-offset conversion for one text.
pub struct CharOffsets<'a> {
    text: &'a str,
    /// Byte offset of every `STRIDE`-th character; empty for ASCII text.
    checkpoints: Vec<u32>,
}

impl<'a> CharOffsets<'a> {
    /// Prepares the conversion for `text`.
    pub fn new(text: &'a str) -> CharOffsets<'a> {
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(STRIDE)
                .map(|(byte, _)| byte as u32)
                .collect()
        };
        CharOffsets { text, checkpoints }
    }

    /// The byte offset of the character at `index` (the text's length past its end).
    pub fn byte(&self, index: usize) -> usize {
        if self.checkpoints.is_empty() {
            return index.min(self.text.len());
        }
        let Some(&checkpoint) = self.checkpoints.get(index / STRIDE) else {
            return self.text.len();
        };
        let from = checkpoint as usize;
        self.text[from..]
            .char_indices()
            .nth(index % STRIDE)
            .map_or(self.text.len(), |(offset, _)| from + offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_char_indices() {
        let text = "añb€c\u{1F600}d".repeat(40);
        let offsets = CharOffsets::new(&text);
        for (index, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.byte(index), byte);
        }
        assert_eq!(offsets.byte(text.chars().count()), text.len());
        assert_eq!(offsets.byte(usize::MAX / 2), text.len());
        assert_eq!(CharOffsets::new("abc").byte(2), 2);
    }
}
