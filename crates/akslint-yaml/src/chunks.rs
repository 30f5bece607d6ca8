//! Splitting a YAML stream into document chunks before parsing, as Kubernetes does, so that a
//! syntax error in one document never hides the others.
//!
//! Kubernetes' readers (kustomize's and `kubectl apply`'s) do not read a file as one YAML stream:
//! they cut it at every line that starts with `---` (the first line of the file aside), allow
//! only blanks and a comment after the dashes, and parse each piece on its own. akslint cuts the
//! same way, so that it accepts and refuses what Kubernetes does: the separator line is not part of
//! the piece parsed (so `...` after it ends nothing), a `%YAML` line before `---` ends the previous
//! piece (where it is an error), and `--- value` or `----` is an invalid separator.

/// A byte range of the stream that holds one piece (usually one document), from its `---` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// First byte: the start of its separator line (or of the file).
    pub start: usize,
    /// Where the piece Kubernetes parses starts: after the separator line.
    pub body: usize,
    /// One past the last byte.
    pub end: usize,
    /// The separator line has more than blanks and a comment after `---`: Kubernetes refuses
    /// the file there.
    pub invalid_separator: bool,
}

/// Splits a stream at each separator line.
pub fn split(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut invalid = false;
    let mut body = 0;
    // Where the line after the last separator starts: a separator is not right after another.
    let mut after_separator = None;
    let mut search = 0;
    // A separator is a whole line (with its line feed) after the first, and not right after
    // another: Kubernetes finds them with `\n---.*\n`, whose matches cannot share the line
    // feed between two lines. Only lines that start with `---` are looked at.
    while let Some(found) = text[search..].find("\n---") {
        let line_start = search + found + 1;
        search = line_start;
        let Some(line_end) = text[line_start..].find('\n').map(|i| line_start + i + 1) else {
            break;
        };
        if after_separator == Some(line_start) {
            continue;
        }
        after_separator = Some(line_end);
        chunks.push(Chunk {
            start,
            body,
            end: line_start,
            invalid_separator: invalid,
        });
        start = line_start;
        body = line_end;
        let rest = text[line_start + 3..line_end].trim();
        invalid = !rest.is_empty() && !rest.starts_with('#');
    }
    chunks.push(Chunk {
        start,
        body,
        end: text.len(),
        invalid_separator: invalid,
    });
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(&str, bool)> {
        split(text)
            .into_iter()
            .map(|c| {
                assert!(c.start <= c.body && c.body <= c.end.max(c.start));
                (&text[c.start..c.end], c.invalid_separator)
            })
            .collect()
    }

    #[test]
    fn the_body_follows_the_separator_line() {
        let text = "a: 1\n--- # c\nb: 2\n";
        let bodies: Vec<&str> = split(text).iter().map(|c| &text[c.body..c.end]).collect();
        assert_eq!(bodies, ["a: 1\n", "b: 2\n"]);
    }

    #[test]
    fn splits_at_separator_lines_after_the_first_line() {
        assert_eq!(
            pieces("a: 1\n---\nb: 2\n--- # c\nc: |\n  x\n---\n"),
            [
                ("a: 1\n", false),
                ("---\nb: 2\n", false),
                ("--- # c\nc: |\n  x\n", false),
                ("---\n", false)
            ]
        );
        assert_eq!(pieces("---\na: 1\n"), [("---\na: 1\n", false)]);
        assert_eq!(pieces("a: ---x\n"), [("a: ---x\n", false)]);
        assert_eq!(pieces(""), [("", false)]);
        // A last line without a line feed is not a separator.
        assert_eq!(pieces("a: 1\n---"), [("a: 1\n---", false)]);
    }

    #[test]
    fn a_separator_right_after_another_is_content() {
        assert_eq!(
            pieces("a: 1\n---\n--- x\nb\n---\n"),
            [
                ("a: 1\n", false),
                ("---\n--- x\nb\n", false),
                ("---\n", false)
            ]
        );
    }

    #[test]
    fn a_separator_with_content_is_invalid() {
        assert_eq!(
            pieces("a: 1\n--- b\nx: 1\n----\nc: 2\n"),
            [
                ("a: 1\n", false),
                ("--- b\nx: 1\n", true),
                ("----\nc: 2\n", true)
            ]
        );
    }

    #[test]
    fn directives_stay_with_the_piece_before_the_separator() {
        assert_eq!(
            pieces("a: 1\n%YAML 1.1\n---\nb: 2\n"),
            [("a: 1\n%YAML 1.1\n", false), ("---\nb: 2\n", false)]
        );
    }
}
