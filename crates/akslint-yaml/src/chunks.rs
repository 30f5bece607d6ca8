//! Splitting a YAML stream into document chunks before parsing, so that a syntax error in one
//! document never hides the others.
//!
//! YAML forbids a document marker (`---` or `...` at the start of a line, followed by a space,
//! a tab or a line break) inside any content, quoted and block scalars included, so every such
//! `---` line starts a new document whatever precedes it. Directive lines (`%YAML`, `%TAG`) that
//! precede a `---` belong to the chunk it starts.

/// A byte range of the stream that holds one or more documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Splits a stream at each `---` document start marker.
pub fn split(text: &str) -> Vec<Chunk> {
    let mut starts = vec![0];
    let mut directive_block_start: Option<usize> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with('%') {
            directive_block_start.get_or_insert(line_start);
        } else if is_marker(line, "---") {
            let start = directive_block_start.unwrap_or(line_start);
            if start > 0 && *starts.last().unwrap_or(&0) != start {
                starts.push(start);
            }
            directive_block_start = None;
        } else if !is_blank_or_comment(line) {
            directive_block_start = None;
        }
        line_start += line.len();
    }
    let mut chunks: Vec<Chunk> = starts
        .windows(2)
        .map(|pair| Chunk {
            start: pair[0],
            end: pair[1],
        })
        .collect();
    chunks.push(Chunk {
        start: *starts.last().unwrap_or(&0),
        end: text.len(),
    });
    chunks
}

/// Whether a line is a document marker (`---` or `...` followed by whitespace or its end).
fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty() || trimmed.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        split(text)
            .into_iter()
            .map(|c| &text[c.start..c.end])
            .collect()
    }

    #[test]
    fn splits_at_markers_only() {
        assert_eq!(
            pieces("a: 1\n---\nb: 2\n--- # c\nc: |\n  ---\n"),
            ["a: 1\n", "---\nb: 2\n", "--- # c\nc: |\n  ---\n"]
        );
        assert_eq!(pieces("---\na: 1\n"), ["---\na: 1\n"]);
        assert_eq!(pieces("a: ---x\n----\n"), ["a: ---x\n----\n"]);
        assert_eq!(pieces(""), [""]);
    }

    #[test]
    fn directives_go_with_their_document() {
        assert_eq!(
            pieces("a: 1\n%YAML 1.2\n---\nb: 2\n"),
            ["a: 1\n", "%YAML 1.2\n---\nb: 2\n"]
        );
    }
}
