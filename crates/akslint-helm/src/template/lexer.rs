//! Splitting a template into text and actions, and an action into tokens, as Go's
//! `text/template/parse` lexer does: `{{`/`}}` delimiters, `{{- ` and ` -}}` trimming the
//! whitespace of the text beside them, `{{/* comments */}}`.

use akslint_core::Span;

use super::ast::TemplateError;

/// A top-level piece of a template text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text, after trimming.
    Text(Span),
    /// An action: the span of its inside (between the delimiters and trim markers), and of the
    /// whole action with its delimiters.
    Action {
        /// The inside.
        inner: Span,
        /// The whole action.
        whole: Span,
    },
}

/// Splits a template into text and actions (comments and empty texts dropped), applying the
/// trim markers.
pub fn pieces(text: &str) -> Result<Vec<Piece>, TemplateError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    let mut trim_next = false;
    while at <= bytes.len() {
        let open = find(bytes, at, b"{{");
        let text_end = open.unwrap_or(bytes.len());
        let mut start = at;
        if trim_next {
            while start < text_end && is_space(bytes[start]) {
                start += 1;
            }
        }
        let Some(open) = open else {
            if start < text_end {
                out.push(Piece::Text(Span::new(start, text_end)));
            }
            break;
        };
        // `{{- ` trims the text before it.
        let left_trim =
            bytes.get(open + 2) == Some(&b'-') && bytes.get(open + 3).is_some_and(|b| is_space(*b));
        let mut end = text_end;
        if left_trim {
            while end > start && is_space(bytes[end - 1]) {
                end -= 1;
            }
        }
        if start < end {
            out.push(Piece::Text(Span::new(start, end)));
        }
        let inner_start = if left_trim { open + 3 } else { open + 2 };
        let (inner, close, right_trim) =
            action_end(text, inner_start).ok_or_else(|| TemplateError {
                span: Span::new(open, (open + 2).min(bytes.len())),
                message: "unclosed action: no `}}` after this `{{`".to_owned(),
            })?;
        trim_next = right_trim;
        at = close;
        let whole = Span::new(open, close);
        let inside = text[inner.start as usize..inner.end as usize].trim();
        if inside.starts_with("/*") {
            if !inside.ends_with("*/") || inside.len() < 4 {
                return Err(TemplateError {
                    span: whole,
                    message: "a comment must end with `*/` right before `}}`".to_owned(),
                });
            }
            continue;
        }
        out.push(Piece::Action { inner, whole });
    }
    Ok(out)
}

/// Where the action whose inside starts at `from` ends: its inside, the offset after `}}`, and
/// whether it ends with ` -}}`. Strings, raw strings and characters may hold `}}`.
fn action_end(text: &str, from: usize) -> Option<(Span, usize, bool)> {
    let bytes = text.as_bytes();
    let mut at = from;
    // A comment runs to `*/` whatever it holds.
    let first = skip_spaces(bytes, at);
    if bytes[first..].starts_with(b"/*") {
        let close = find(bytes, first + 2, b"*/")? + 2;
        at = close;
    }
    while at < bytes.len() {
        match bytes[at] {
            b'"' | b'\'' => at = skip_quoted(bytes, at)?,
            b'`' => at = find(bytes, at + 1, b"`")? + 1,
            b'}' if bytes.get(at + 1) == Some(&b'}') => {
                let right_trim = at >= from + 2 && bytes[at - 1] == b'-' && is_space(bytes[at - 2]);
                let inner_end = if right_trim { at - 2 } else { at };
                return Some((Span::new(from, inner_end.max(from)), at + 2, right_trim));
            }
            _ => at += 1,
        }
    }
    None
}

/// The offset after a `"…"` or `'…'` literal starting at `at` (backslash escapes skipped).
fn skip_quoted(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && is_space(bytes[at]) {
        at += 1;
    }
    at
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Go's template whitespace: space, tab, carriage return, newline.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A token inside an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    /// A keyword or function name.
    Ident(String),
    /// `.a.b` (the names), or `.` alone (no names).
    Field(Vec<String>),
    /// `$` or `$name`.
    Variable(String),
    /// `.name` right after a variable, a `)` or another field: a field of that value.
    Chained(String),
    /// A decoded string literal.
    String(String),
    /// A number as written (a character literal is its code).
    Number(String),
    /// `(`
    Open,
    /// `)`
    Close,
    /// `|`
    Pipe,
    /// `:=`
    Declare,
    /// `=`
    Assign,
    /// `,`
    Comma,
    /// Whitespace between tokens (it separates arguments).
    Space,
}

/// Splits the inside of an action (`span` of `text`) into tokens with their spans.
pub fn tokens(text: &str, span: Span) -> Result<Vec<(Token, Span)>, TemplateError> {
    let bytes = text.as_bytes();
    let end = span.end as usize;
    let mut at = span.start as usize;
    let mut out: Vec<(Token, Span)> = Vec::new();
    let error = |at: usize, message: &str| TemplateError {
        span: Span::new(at, (at + 1).min(end.max(at))),
        message: message.to_owned(),
    };
    while at < end {
        let start = at;
        let b = bytes[at];
        let token = match b {
            b if is_space(b) => {
                while at < end && is_space(bytes[at]) {
                    at += 1;
                }
                Token::Space
            }
            b'(' => {
                at += 1;
                Token::Open
            }
            b')' => {
                at += 1;
                Token::Close
            }
            b'|' => {
                at += 1;
                Token::Pipe
            }
            b',' => {
                at += 1;
                Token::Comma
            }
            b'=' => {
                at += 1;
                Token::Assign
            }
            b':' if bytes.get(at + 1) == Some(&b'=') => {
                at += 2;
                Token::Declare
            }
            b'"' => {
                at = skip_quoted(bytes, at)
                    .filter(|e| *e <= end)
                    .ok_or_else(|| error(start, "unterminated string"))?;
                Token::String(
                    unquote(&text[start + 1..at - 1])
                        .ok_or_else(|| error(start, "invalid escape in a string"))?,
                )
            }
            b'`' => {
                at = find(bytes, at + 1, b"`")
                    .filter(|e| *e < end)
                    .ok_or_else(|| error(start, "unterminated raw string"))?
                    + 1;
                Token::String(text[start + 1..at - 1].to_owned())
            }
            b'\'' => {
                at = skip_quoted(bytes, at)
                    .filter(|e| *e <= end)
                    .ok_or_else(|| error(start, "unterminated character"))?;
                let decoded = unquote(&text[start + 1..at - 1])
                    .filter(|s| s.chars().count() == 1)
                    .ok_or_else(|| error(start, "invalid character literal"))?;
                Token::Number((decoded.chars().next().unwrap_or_default() as u32).to_string())
            }
            b'$' => {
                at += 1;
                while at < end && is_word(bytes[at]) {
                    at += 1;
                }
                Token::Variable(text[start..at].to_owned())
            }
            b'.' if bytes.get(at + 1).is_some_and(|b| b.is_ascii_digit()) => {
                at = number_end(bytes, at, end);
                Token::Number(text[start..at].to_owned())
            }
            b'.' => {
                // `.name` after a value is a field of it; else the dot's fields.
                let chained = matches!(
                    out.last(),
                    Some((Token::Variable(_) | Token::Close | Token::Chained(_) | Token::Field(_), prev)) if prev.end as usize == start
                ) && bytes.get(at + 1).is_some_and(|b| is_word(*b));
                at += 1;
                let name_start = at;
                while at < end && is_word(bytes[at]) {
                    at += 1;
                }
                let name = text[name_start..at].to_owned();
                if chained {
                    Token::Chained(name)
                } else if name.is_empty() {
                    Token::Field(Vec::new())
                } else {
                    let mut names = vec![name];
                    while at < end
                        && bytes[at] == b'.'
                        && bytes.get(at + 1).is_some_and(|b| is_word(*b))
                    {
                        at += 1;
                        let s = at;
                        while at < end && is_word(bytes[at]) {
                            at += 1;
                        }
                        names.push(text[s..at].to_owned());
                    }
                    Token::Field(names)
                }
            }
            b'+' | b'-' | b'0'..=b'9' => {
                at = number_end(bytes, at, end);
                if at == start + 1 && !b.is_ascii_digit() {
                    return Err(error(start, "unexpected character in an action"));
                }
                Token::Number(text[start..at].to_owned())
            }
            b if is_word(b) => {
                while at < end && is_word(bytes[at]) {
                    at += 1;
                }
                Token::Ident(text[start..at].to_owned())
            }
            _ => return Err(error(start, "unexpected character in an action")),
        };
        out.push((token, Span::new(start, at)));
    }
    Ok(out)
}

/// The end of a number starting at `at` (sign, digits, `_`, `.`, exponent, hex, `i`).
fn number_end(bytes: &[u8], mut at: usize, end: usize) -> usize {
    if matches!(bytes[at], b'+' | b'-') {
        at += 1;
    }
    while at < end {
        let b = bytes[at];
        let exponent_sign =
            matches!(b, b'+' | b'-') && matches!(bytes[at - 1], b'e' | b'E' | b'p' | b'P');
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign {
            at += 1;
        } else {
            break;
        }
    }
    at
}

/// Letters, digits and `_` (Go identifiers; non-ASCII letters too).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Decodes the escapes of a Go interpreted string's content.
fn unquote(content: &str) -> Option<String> {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let escaped = match chars.next()? {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '\\' => '\\',
            '"' => '"',
            '\'' => '\'',
            'x' => hex(&mut chars, 2)?,
            'u' => hex(&mut chars, 4)?,
            'U' => hex(&mut chars, 8)?,
            d @ '0'..='7' => {
                let mut value = d.to_digit(8)?;
                for _ in 0..2 {
                    value = value * 8 + chars.next()?.to_digit(8)?;
                }
                char::from_u32(value)?
            }
            _ => return None,
        };
        out.push(escaped);
    }
    Some(out)
}

fn hex(chars: &mut std::str::Chars<'_>, digits: usize) -> Option<char> {
    let mut value = 0u32;
    for _ in 0..digits {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    char::from_u32(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        pieces(text)
            .unwrap()
            .into_iter()
            .map(|p| match p {
                Piece::Text(s) => format!("T{:?}", &text[s.start as usize..s.end as usize]),
                Piece::Action { inner, .. } => {
                    format!("A{:?}", &text[inner.start as usize..inner.end as usize])
                }
            })
            .collect()
    }

    #[test]
    fn trim_markers_and_comments() {
        assert_eq!(
            texts("a \n  {{- .x -}}\n b{{/* note */}}c{{ \"}}\" }}"),
            [
                "T\"a\"",
                "A\" .x\"",
                "T\"b\"",
                "T\"c\"",
                "A\" \\\"}}\\\" \""
            ]
        );
        assert_eq!(texts("x {{- /* c */ -}} y"), ["T\"x\"", "T\"y\""]);
        // `{{-3}}` is the number -3, not a trim marker.
        assert_eq!(texts("a {{-3}}"), ["T\"a \"", "A\"-3\""]);
        assert!(pieces("a {{ .x ").is_err());
    }

    #[test]
    fn action_tokens() {
        let text = r#"$v := (index .Values "a b").name | default 'x' 1.5e3 `raw` $x.y.z"#;
        let got: Vec<Token> = tokens(text, Span::new(0, text.len()))
            .unwrap()
            .into_iter()
            .map(|(t, _)| t)
            .filter(|t| *t != Token::Space)
            .collect();
        assert_eq!(
            got,
            [
                Token::Variable("$v".into()),
                Token::Declare,
                Token::Open,
                Token::Ident("index".into()),
                Token::Field(vec!["Values".into()]),
                Token::String("a b".into()),
                Token::Close,
                Token::Chained("name".into()),
                Token::Pipe,
                Token::Ident("default".into()),
                Token::Number("120".into()),
                Token::Number("1.5e3".into()),
                Token::String("raw".into()),
                Token::Variable("$x".into()),
                Token::Chained("y".into()),
                Token::Chained("z".into()),
            ]
        );
    }
}
