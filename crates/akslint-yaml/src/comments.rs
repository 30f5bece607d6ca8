//! Finding comments, which the YAML event stream does not carry.
//!
//! A `#` starts a comment at the start of a line or after whitespace, unless it lies inside a
//! quoted or block scalar (whose byte ranges the builder records). Plain scalars cannot contain a
//! `#` preceded by whitespace, so they need no exclusion.

use akslint_core::{Comment, Span};

/// The comments of `text[start..end]`, skipping `#` inside the sorted `scalar_ranges`.
pub fn scan(
    text: &str,
    start: usize,
    end: usize,
    scalar_ranges: &[(usize, usize)],
) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut range = scalar_ranges.iter().peekable();
    let mut at = start;
    while let Some(found) = text[at..end].find('#') {
        let hash = at + found;
        at = hash + 1;
        while range
            .peek()
            .is_some_and(|&&(_, range_end)| range_end <= hash)
        {
            range.next();
        }
        if range
            .peek()
            .is_some_and(|&&(range_start, range_end)| range_start <= hash && hash < range_end)
        {
            continue;
        }
        let preceded_by_space =
            hash == start || hash == 0 || matches!(bytes[hash - 1], b' ' | b'\t' | b'\n' | b'\r');
        if !preceded_by_space {
            continue;
        }
        let line_end = text[hash..end].find('\n').map_or(end, |i| hash + i);
        let comment_end = if line_end > hash && bytes[line_end - 1] == b'\r' {
            line_end - 1
        } else {
            line_end
        };
        let line_start = text[..hash].rfind('\n').map_or(0, |i| i + 1);
        let own_line = text[line_start..hash]
            .trim_start_matches('\u{feff}')
            .bytes()
            .all(|b| b == b' ' || b == b'\t');
        comments.push(Comment {
            span: Span::new(hash, comment_end),
            body: Span::new(hash + 1, comment_end),
            own_line,
        });
        at = line_end;
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_but_not_hashes_in_values() {
        let text = "# top\na: b#c # tail\r\nd: 'x # y'  # after\n";
        let quoted = text.find("'x").unwrap();
        let ranges = [(quoted, quoted + 7)];
        let comments = scan(text, 0, text.len(), &ranges);
        let bodies: Vec<&str> = comments.iter().map(|c| &text[c.body.range()]).collect();
        assert_eq!(bodies, [" top", " tail", " after"]);
        assert_eq!(
            comments.iter().map(|c| c.own_line).collect::<Vec<_>>(),
            [true, false, false]
        );
    }
}
