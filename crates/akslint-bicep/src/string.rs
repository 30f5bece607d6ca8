//! String literal pieces: their delimiters and their decoded values.

use crate::kind::SyntaxKind as K;
use crate::kind::SyntaxKind;
use crate::lexer::escape_len;

/// The form of a string literal, read from its first piece.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StringForm {
    /// `'''...'''` or `$'''...'''`.
    pub(crate) multiline: bool,
    /// The number of `$` before `'''` (0 for single-line and verbatim multi-line strings).
    pub(crate) dollars: usize,
}

impl StringForm {
    /// The form of the string whose first piece is `first`.
    pub(crate) fn of(first: &str) -> StringForm {
        let bytes = first.as_bytes();
        let multiline = bytes.len() > 2 && (bytes[0] == b'$' || bytes[1] == b'\'');
        let dollars = if multiline {
            bytes.iter().take_while(|&&b| b == b'$').count()
        } else {
            0
        };
        StringForm { multiline, dollars }
    }

    /// The byte range of the literal text inside a piece, without its delimiters (and, for the first piece of a
    /// multi-line string, without the line break right after the opening quotes). `None` if the piece lacks its
    /// delimiters (an unterminated string).
    pub(crate) fn contents(self, kind: SyntaxKind, text: &str) -> Option<std::ops::Range<usize>> {
        let d = self.dollars;
        let (open, close) = match (self.multiline, kind) {
            (false, K::String) => (Delim(0, "'"), Delim(0, "'")),
            (false, K::StringHead) => (Delim(0, "'"), Delim(0, "${")),
            (false, K::StringMiddle) => (Delim(0, "}"), Delim(0, "${")),
            (false, K::StringTail) => (Delim(0, "}"), Delim(0, "'")),
            (true, K::String) => (Delim(d, "'''"), Delim(0, "'''")),
            (true, K::StringHead) if d > 0 => (Delim(d, "'''"), Delim(d, "{")),
            (true, K::StringMiddle) if d > 0 => (Delim(0, "}"), Delim(d, "{")),
            (true, K::StringTail) if d > 0 => (Delim(0, "}"), Delim(0, "'''")),
            _ => return None,
        };
        let bytes = text.as_bytes();
        if bytes.len() < open.len() + close.len()
            || !open.is_prefix_of(bytes)
            || !close.is_suffix_of(bytes)
        {
            return None;
        }
        let mut start = open.len();
        if self.multiline && matches!(kind, K::String | K::StringHead) {
            start += match &bytes[start..] {
                [b'\r', b'\n', ..] => 2,
                [b'\r' | b'\n', ..] => 1,
                _ => 0,
            };
        }
        let end = bytes.len() - close.len();
        Some(start.min(end)..end)
    }

    /// The value of a piece, escapes decoded (single-line) or verbatim (multi-line); `None` if the piece is
    /// malformed (missing delimiters, an unknown escape, a bare quote).
    pub(crate) fn value(self, kind: SyntaxKind, text: &str) -> Option<String> {
        let contents = &text[self.contents(kind, text)?];
        if self.multiline {
            return Some(contents.to_owned());
        }
        let mut out = String::with_capacity(contents.len());
        decode_escapes(contents, Some(&mut out)).then_some(out)
    }

    /// Whether a piece is well formed (what [`StringForm::value`] checks, without building the value).
    pub(crate) fn is_valid(self, kind: SyntaxKind, text: &str) -> bool {
        match self.contents(kind, text) {
            Some(range) => self.multiline || decode_escapes(&text[range], None),
            None => false,
        }
    }
}

/// A string delimiter: a number of `$` followed by a fixed text.
#[derive(Clone, Copy)]
struct Delim(usize, &'static str);

impl Delim {
    fn len(self) -> usize {
        self.0 + self.1.len()
    }

    fn matches(self, bytes: &[u8]) -> bool {
        bytes.len() == self.len()
            && bytes[..self.0].iter().all(|&b| b == b'$')
            && bytes.ends_with(self.1.as_bytes())
    }

    fn is_prefix_of(self, bytes: &[u8]) -> bool {
        bytes.len() >= self.len() && self.matches(&bytes[..self.len()])
    }

    fn is_suffix_of(self, bytes: &[u8]) -> bool {
        bytes.len() >= self.len() && self.matches(&bytes[bytes.len() - self.len()..])
    }
}

/// Decodes the escapes of single-line string contents into `out` (if given); false if they are malformed.
fn decode_escapes(contents: &str, mut out: Option<&mut String>) -> bool {
    let bytes = contents.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        match bytes[pos] {
            b'\'' => return false,
            b'\\' => {
                let Some(len) = escape_len(&bytes[pos..]) else {
                    return false;
                };
                if let Some(out) = out.as_deref_mut() {
                    match bytes[pos + 1] {
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let digits = &contents[pos + 3..pos + len - 1];
                            let code = u32::from_str_radix(digits, 16).ok();
                            out.push(
                                code.and_then(char::from_u32)
                                    .unwrap_or(char::REPLACEMENT_CHARACTER),
                            );
                        }
                        other => {
                            out.push(char::from(other));
                            if len == 3 {
                                out.push('{');
                            }
                        }
                    }
                }
                pos += len;
            }
            _ => {
                let ch_len = contents[pos..].chars().next().map_or(1, char::len_utf8);
                if let Some(out) = out.as_deref_mut() {
                    out.push_str(&contents[pos..pos + ch_len]);
                }
                pos += ch_len;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const SINGLE: StringForm = StringForm {
        multiline: false,
        dollars: 0,
    };

    #[test]
    fn forms() {
        assert_eq!(StringForm::of("''"), SINGLE);
        assert_eq!(StringForm::of("'a'"), SINGLE);
        assert_eq!(
            StringForm::of("'''a'''"),
            StringForm {
                multiline: true,
                dollars: 0
            }
        );
        assert_eq!(
            StringForm::of("$$'''${"),
            StringForm {
                multiline: true,
                dollars: 2
            }
        );
    }

    #[test]
    fn single_line_values() {
        assert_eq!(
            SINGLE
                .value(K::String, r"'a\'b\\c\n\u{1F600}\${x}'")
                .as_deref(),
            Some("a'b\\c\n😀${x}")
        );
        assert_eq!(SINGLE.value(K::StringHead, "'ab${").as_deref(), Some("ab"));
        assert_eq!(SINGLE.value(K::StringMiddle, "}é${").as_deref(), Some("é"));
        assert_eq!(SINGLE.value(K::StringTail, "}x'").as_deref(), Some("x"));
        assert_eq!(
            SINGLE.value(K::String, r"'\u{D800}'").as_deref(),
            Some("\u{FFFD}")
        );
        assert_eq!(SINGLE.value(K::String, r"'\q'"), None);
        assert_eq!(SINGLE.value(K::String, "'abc"), None);
        assert!(!SINGLE.is_valid(K::StringTail, "}abc"));
        assert!(SINGLE.is_valid(K::String, "''"));
    }

    #[test]
    fn multiline_values() {
        let verbatim = StringForm::of("'''");
        assert_eq!(
            verbatim.value(K::String, "'''\r\nab\\n\n'''").as_deref(),
            Some("ab\\n\n")
        );
        assert_eq!(verbatim.value(K::String, "''''''").as_deref(), Some(""));
        assert_eq!(verbatim.value(K::String, "'''abc"), None);
        assert_eq!(verbatim.value(K::StringHead, "'''a${"), None);
        let interp = StringForm::of("$$'''");
        assert_eq!(
            interp.value(K::StringHead, "$$'''\nHi $${").as_deref(),
            Some("Hi ")
        );
        assert_eq!(interp.value(K::StringMiddle, "}-$${").as_deref(), Some("-"));
        assert_eq!(interp.value(K::StringTail, "}!'''").as_deref(), Some("!"));
    }
}
