//! The lexer: source text to tokens and trivia.
//!
//! It follows the Bicep compiler's lexer (`Lexer.cs`) token for token: the same token kinds and spans (in bytes
//! here, in UTF-16 units there), the same modal handling of `${...}` holes and the same lexical errors. Unlike
//! the compiler it keeps trivia (whitespace, comments, pragmas, the byte-order mark) as tokens of their own in
//! the output, so that the token list covers every byte of the input in order.

use crate::error::{ErrorKind, Span, SyntaxError};
use crate::kind::SyntaxKind as K;
use crate::kind::SyntaxKind;
use crate::parser::MAX_ERRORS;

/// A token or trivia item: a kind and the bytes it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: SyntaxKind,
    /// The bytes it covers.
    pub span: Span,
}

/// The output of [`lex`].
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    /// Every token and trivia item in order; their spans are contiguous and cover the whole input. The last one
    /// is always the zero-length [`SyntaxKind::Eof`].
    pub tokens: Vec<Token>,
    /// The lexical errors (unterminated strings and comments, unknown characters and escapes, ...).
    pub errors: Vec<SyntaxError>,
}

/// Tokens in compact form, 5 bytes each rather than the 12 of a [`Token`]: their kinds, and where each starts.
/// Tokens are contiguous, so a token ends where the next one starts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tokens {
    kinds: Vec<SyntaxKind>,
    /// One entry more than `kinds`: the last is where the last token ends.
    starts: Vec<u32>,
}

impl Tokens {
    /// Empties the list and makes room for at least `capacity` tokens (keeping the memory it has).
    fn reset(&mut self, capacity: usize) {
        self.kinds.clear();
        self.starts.clear();
        self.kinds.reserve(capacity);
        self.starts.reserve(capacity + 1);
    }

    /// Gives back the memory reserved beyond the tokens the list holds.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.kinds.shrink_to_fit();
        self.starts.shrink_to_fit();
    }

    /// The bytes the list has allocated.
    pub(crate) fn allocated_bytes(&self) -> usize {
        self.kinds.capacity() * std::mem::size_of::<SyntaxKind>()
            + self.starts.capacity() * std::mem::size_of::<u32>()
    }

    /// The number of tokens.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.kinds.len()
    }

    /// The kind of token `i`.
    #[inline]
    pub(crate) fn kind(&self, i: usize) -> SyntaxKind {
        self.kinds[i]
    }

    /// Whether token `i` exists and is trivia.
    #[inline]
    pub(crate) fn is_trivia(&self, i: usize) -> bool {
        self.kinds.get(i).is_some_and(|k| k.is_trivia())
    }

    /// The bytes of token `i`.
    #[inline]
    pub(crate) fn span(&self, i: usize) -> Span {
        Span::new(self.starts[i], self.starts[i + 1])
    }

    /// Token `i`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Token {
        Token {
            kind: self.kinds[i],
            span: self.span(i),
        }
    }

    /// Adds a token that starts at `start` (it ends where the next one starts, or at [`Tokens::finish`]).
    #[inline]
    fn push(&mut self, kind: SyntaxKind, start: u32) {
        self.kinds.push(kind);
        self.starts.push(start);
    }

    /// Makes room for about as many tokens as the rest of a text of `len` bytes holds, at the density seen up to
    /// byte `at`, once the room is used up: one regrowth to the right size rather than several doublings.
    #[inline]
    fn reserve_for(&mut self, at: usize, len: usize) {
        if self.kinds.len() == self.kinds.capacity() {
            let density = self.kinds.len() as f64 / at.max(1) as f64;
            let more = (density * 1.1 * (len - at.min(len)) as f64) as usize + 64;
            self.kinds.reserve_exact(more);
            self.starts.reserve_exact(more + 1);
        }
    }

    /// Ends the last token at `end`.
    fn finish(&mut self, end: u32) {
        self.starts.push(end);
    }
}

/// The size from which inputs are not read (2 GiB), so that offsets and token indices fit in 31 bits.
pub const MAX_INPUT: usize = 1 << 31;

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// The pragma keywords that may follow `#` at the start of a line.
const PRAGMA_KEYWORDS: [&str; 3] = [
    "disable-diagnostics",
    "restore-diagnostics",
    "disable-next-line",
];

/// Identifiers longer than this are an error.
const MAX_IDENTIFIER_LENGTH: usize = 255;

/// Splits `text` into tokens and trivia.
///
/// Never fails: anything unexpected becomes an [`SyntaxKind::Unrecognized`] token or an unterminated string or
/// comment, with an error. Inputs of [`MAX_INPUT`] bytes or more are not read: for them the result is a lone
/// end-of-file token and one error.
pub fn lex(text: &str) -> Lexed {
    let mut tokens = Tokens::default();
    let errors = lex_into(text, &mut tokens);
    Lexed {
        tokens: (0..tokens.len()).map(|i| tokens.get(i)).collect(),
        errors,
    }
}

/// [`lex`] with the tokens in compact form, into `tokens` (whatever it held is replaced; its memory is reused).
pub(crate) fn lex_into(text: &str, tokens: &mut Tokens) -> Vec<SyntaxError> {
    if text.len() >= MAX_INPUT {
        tokens.reset(1);
        tokens.push(K::Eof, 0);
        tokens.finish(0);
        let error = SyntaxError {
            span: Span::empty(0),
            kind: ErrorKind::InputTooLarge,
        };
        return vec![error];
    }
    let (lexed, errors) = Lexer::new(text, std::mem::take(tokens)).run();
    *tokens = lexed;
    errors
}

/// Whether comments after a token of this kind (on its line) belong to it rather than to the next token.
///
/// This is the compiler's "comment stickiness": the parser needs it to know whether a line break token has
/// comments in front of it (see the handling of call arguments).
pub(crate) fn takes_trailing_comments(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        K::RParen
            | K::RBracket
            | K::RBrace
            | K::StringTail
            | K::Question
            | K::Bang
            | K::FalseKw
            | K::TrueKw
            | K::NullKw
            | K::String
            | K::Integer
            | K::Ident
    )
}

/// What an open `${` or `{` inside a hole is waiting for.
#[derive(Clone, Copy)]
enum Template {
    /// A `{` inside a hole (the compiler never pops these; see `scan_token`).
    Brace,
    /// A string hole; `dollars` is the number of `$` of a `$'''` string (0 for single-line strings).
    String { multiline: bool, dollars: usize },
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    bom_len: usize,
    tokens: Tokens,
    errors: Vec<SyntaxError>,
    templates: Vec<Template>,
    /// Start of the line of the last pragma check, and how far that line is known to hold only whitespace
    /// (`None` once something else was found on it).
    line_start: usize,
    line_scanned_to: usize,
    line_ws_to: Option<usize>,
}

/// Converts a byte offset into a span offset; inputs are limited to `u32::MAX` bytes by [`lex`].
fn off(pos: usize) -> u32 {
    pos as u32
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length in bytes of the UTF-8 sequence that starts with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The value of the hex digits `digits` if they form a valid code point (at most 10FFFF; surrogates allowed, as in
/// the compiler).
pub(crate) fn parse_code_point(digits: &[u8]) -> Option<u32> {
    let mut value: u32 = 0;
    for &d in digits {
        value = value * 16 + char::from(d).to_digit(16)?;
        if value > 0x10FFFF {
            return None;
        }
    }
    (!digits.is_empty()).then_some(value)
}

/// If `text` (starting with `\`) starts with a valid escape sequence, its length in bytes.
///
/// `\$` followed by `{` is one 3-byte escape, so that `\${` does not open a hole.
pub(crate) fn escape_len(text: &[u8]) -> Option<usize> {
    match *text.get(1)? {
        b'u' => {
            if text.get(2) != Some(&b'{') {
                return None;
            }
            let digits = text[3..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            let close = 3 + digits;
            (text.get(close) == Some(&b'}') && parse_code_point(&text[3..close]).is_some())
                .then_some(close + 1)
        }
        b'$' if text.get(2) == Some(&b'{') => Some(3),
        b'n' | b'r' | b't' | b'\\' | b'\'' | b'$' => Some(2),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    /// A lexer for `text` that puts the tokens into `tokens` (emptied first; its memory is reused).
    fn new(text: &'a str, mut tokens: Tokens) -> Self {
        tokens.reset(text.len() / 4 + 2);
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            bom_len: 0,
            tokens,
            errors: Vec::new(),
            templates: Vec::new(),
            line_start: 0,
            line_scanned_to: 0,
            line_ws_to: Some(0),
        }
    }

    fn run(mut self) -> (Tokens, Vec<SyntaxError>) {
        if self.text.starts_with(BOM) {
            self.bom_len = BOM.len();
            self.pos = BOM.len();
            self.push(K::ByteOrderMark, 0);
        }
        self.lex_all();
        self.tokens.finish(off(self.pos));
        (self.tokens, self.errors)
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Pushes a token or trivia item from `start` to the current position.
    #[inline]
    fn push(&mut self, kind: SyntaxKind, start: usize) {
        self.tokens.reserve_for(start, self.bytes.len());
        self.tokens.push(kind, off(start));
    }

    /// Consumes the second character of a two-character operator.
    fn two(&mut self, kind: SyntaxKind) -> SyntaxKind {
        self.pos += 1;
        kind
    }

    /// Records an error, up to one more than [`MAX_ERRORS`] (the parser reports the excess).
    fn error(&mut self, start: usize, end: usize, kind: ErrorKind) {
        if self.errors.len() <= MAX_ERRORS {
            self.errors.push(SyntaxError {
                span: Span::new(off(start), off(end)),
                kind,
            });
        }
    }

    /// Lexes the tokens and trivia up to the end of the text, in one loop with one branch per item.
    ///
    /// The compiler splits trivia into the trailing trivia of one token and the leading trivia of the next; the
    /// split decides nothing here, as a comment is the same item either way. (The compiler does not look for a
    /// pragma right after a comment; where the split would make a difference, a comment ending with `*/` sits
    /// before the `#` on its line, which is then not a pragma anyway.)
    fn lex_all(&mut self) {
        // Whether the last item was a comment: a `#` right after one does not start a pragma.
        let mut after_comment = false;
        loop {
            let start = self.pos;
            let kind = match self.peek(0) {
                b' ' | b'\t' => {
                    self.scan_whitespace();
                    after_comment = false;
                    continue;
                }
                b'/' if self.peek(1) == b'/' => {
                    self.scan_line_comment();
                    after_comment = true;
                    continue;
                }
                b'/' if self.peek(1) == b'*' => {
                    self.scan_block_comment();
                    after_comment = true;
                    continue;
                }
                b'#' if !after_comment => {
                    if let Some(keyword) = self.pragma_keyword()
                        && self.line_is_blank_before(start)
                    {
                        self.scan_pragma(keyword);
                        continue;
                    }
                    self.scan_token()
                }
                // The commonest tokens outside string holes, without the general dispatch of `scan_token` and
                // its checks (a tenth off the time of parsing a file of short lines).
                b'{' | b'}' | b'\n' | b'\r' if self.templates.is_empty() => {
                    let kind = match self.peek(0) {
                        b'{' => {
                            self.pos += 1;
                            K::LBrace
                        }
                        b'}' => {
                            self.pos += 1;
                            K::RBrace
                        }
                        _ => self.scan_newlines(),
                    };
                    self.push(kind, start);
                    after_comment = false;
                    continue;
                }
                _ => self.scan_token(),
            };
            after_comment = false;
            if kind == K::Unrecognized {
                self.unrecognized(start);
            }
            self.push(kind, start);
            if kind == K::Eof {
                return;
            }
        }
    }

    /// Reports the unrecognized token from `start` to the current position.
    #[cold]
    fn unrecognized(&mut self, start: usize) {
        let error = match self.text[start..self.pos].chars().next() {
            Some('"') => ErrorKind::DoubleQuote,
            c => ErrorKind::UnrecognizedToken(c.unwrap_or_default()),
        };
        self.error(start, self.pos, error);
    }

    fn scan_whitespace(&mut self) {
        let start = self.pos;
        self.pos += self.bytes[start..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        self.push(K::Whitespace, start);
    }

    /// Scans a run of line breaks.
    fn scan_newlines(&mut self) -> SyntaxKind {
        self.pos += self.bytes[self.pos..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        K::Newline
    }

    fn scan_line_comment(&mut self) {
        let start = self.pos;
        let n = self.bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(self.bytes.len() - start);
        self.pos = start + n;
        self.push(K::LineComment, start);
    }

    fn scan_block_comment(&mut self) {
        let start = self.pos;
        match self.text[start + 2..].find("*/") {
            Some(i) => self.pos = start + 2 + i + 2,
            None => {
                self.pos = self.bytes.len();
                self.error(start, self.pos, ErrorKind::UnterminatedBlockComment);
            }
        }
        self.push(K::BlockComment, start);
    }

    /// The pragma keyword right after the `#` at the current position, if any.
    fn pragma_keyword(&self) -> Option<&'static str> {
        let rest = &self.bytes[self.pos + 1..];
        PRAGMA_KEYWORDS
            .into_iter()
            .find(|k| rest.starts_with(k.as_bytes()))
    }

    /// Whether everything between the start of the line and `pos` is whitespace (as the compiler checks it, with
    /// .NET's notion of whitespace). Amortised linear over a file.
    fn line_is_blank_before(&mut self, pos: usize) -> bool {
        if let Some(i) = self.bytes[self.line_scanned_to..pos]
            .iter()
            .rposition(|&b| b == b'\n')
        {
            self.line_start = self.line_scanned_to + i + 1;
            self.line_ws_to = Some(self.line_start);
        }
        self.line_scanned_to = pos;
        let Some(ws_to) = self.line_ws_to else {
            return false;
        };
        let from = ws_to.max(self.bom_len);
        let blank = from >= pos || self.text[from..pos].chars().all(char::is_whitespace);
        self.line_ws_to = blank.then_some(pos);
        blank
    }

    /// Scans `#keyword code code ...` up to the last code on the line (as the compiler does).
    fn scan_pragma(&mut self, keyword: &str) {
        let start = self.pos;
        self.pos += 1 + keyword.len();
        let mut word_start = self.pos;
        let mut end = self.pos;
        let mut last_code_end = None;
        while !self.at_end() {
            let b = self.peek(0);
            if b == b'\n' || b == b'\r' {
                break;
            }
            if is_ident_continue(b) || b == b'-' {
                let next = self.peek(1);
                self.pos += 1;
                if matches!(next, b' ' | b'\t' | b'\n' | b'\r') || self.at_end() {
                    end = self.pos;
                    last_code_end = Some(self.pos);
                }
            } else if b == b' ' || b == b'\t' {
                self.pos += 1;
                end = self.pos;
                word_start = self.pos;
            } else {
                if self.pos > word_start {
                    end = self.pos;
                    last_code_end = Some(self.pos);
                }
                break;
            }
        }
        match last_code_end {
            Some(code_end) => self.pos = code_end,
            None => {
                self.error(word_start, self.pos, ErrorKind::PragmaWithoutCodes);
                self.pos = end;
            }
        }
        self.push(K::Pragma, start);
    }

    /// Scans one token (no trivia) and returns its kind.
    fn scan_token(&mut self) -> SyntaxKind {
        let start = self.pos;
        let Some(&b) = self.bytes.get(self.pos) else {
            return K::Eof;
        };
        self.pos += 1;
        let next = self.peek(0);
        match b {
            b'{' => {
                if !self.templates.is_empty() {
                    self.templates.push(Template::Brace);
                }
                K::LBrace
            }
            b'}' => match self.templates.last() {
                // The compiler never pops a `{` pushed inside a hole: a `}` then always closes an object.
                Some(&Template::String { multiline, dollars }) => {
                    let kind = if multiline {
                        self.scan_multiline_string(start, false, dollars)
                    } else {
                        self.scan_string_segment(start, false)
                    };
                    if kind == K::StringTail {
                        self.templates.pop();
                    }
                    kind
                }
                _ => K::RBrace,
            },
            b'(' => K::LParen,
            b')' => K::RParen,
            b'[' => K::LBracket,
            b']' => K::RBracket,
            b'@' => K::At,
            b',' => K::Comma,
            b';' => K::Semicolon,
            b'+' => K::Plus,
            b'-' => K::Minus,
            b'%' => K::Percent,
            b'*' => K::Star,
            b'/' => K::Slash,
            b'^' => K::Caret,
            b'.' if next == b'.' && self.peek(1) == b'.' => {
                self.pos += 2;
                K::Ellipsis
            }
            b'.' => K::Dot,
            b'?' if next == b'?' => self.two(K::QuestionQuestion),
            b'?' => K::Question,
            b':' if next == b':' => self.two(K::ColonColon),
            b':' => K::Colon,
            b'!' if next == b'=' => self.two(K::NotEq),
            b'!' if next == b'~' => self.two(K::NotTilde),
            b'!' => K::Bang,
            b'<' if next == b'=' => self.two(K::LtEq),
            b'<' => K::Lt,
            b'>' if next == b'=' => self.two(K::GtEq),
            b'>' => K::Gt,
            b'=' if next == b'=' => self.two(K::EqEq),
            b'=' if next == b'~' => self.two(K::EqTilde),
            b'=' if next == b'>' => self.two(K::Arrow),
            b'=' => K::Assign,
            b'&' if next == b'&' => self.two(K::AndAnd),
            b'|' if next == b'|' => self.two(K::OrOr),
            b'|' => K::Pipe,
            b'$' => {
                let dollars = 1 + self.bytes[self.pos..]
                    .iter()
                    .take_while(|&&b| b == b'$')
                    .count();
                self.pos = start + dollars;
                if self.bytes[self.pos..].starts_with(b"'''") {
                    self.pos += 3;
                    let kind = self.scan_multiline_string(start, true, dollars);
                    if kind == K::StringHead {
                        self.templates.push(Template::String {
                            multiline: true,
                            dollars,
                        });
                    }
                    kind
                } else {
                    K::Unrecognized
                }
            }
            b'\'' if next == b'\'' && self.peek(1) == b'\'' => {
                self.pos += 2;
                self.scan_multiline_string(start, true, 0)
            }
            b'\'' => {
                let kind = self.scan_string_segment(start, true);
                if kind == K::StringHead {
                    self.templates.push(Template::String {
                        multiline: false,
                        dollars: 0,
                    });
                }
                kind
            }
            b'\n' | b'\r' if !self.templates.is_empty() => {
                // A line break inside a hole ends the string with a zero-length piece.
                self.pos = start;
                self.error(start, start, ErrorKind::UnterminatedStringAtNewline);
                self.templates.clear();
                K::StringTail
            }
            b'\n' | b'\r' => {
                self.pos = start;
                self.scan_newlines()
            }
            b'0'..=b'9' => {
                self.pos += self.bytes[self.pos..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                K::Integer
            }
            _ if is_ident_start(b) => {
                self.pos += self.bytes[self.pos..]
                    .iter()
                    .take_while(|&&b| is_ident_continue(b))
                    .count();
                match &self.text[start..self.pos] {
                    "true" => K::TrueKw,
                    "false" => K::FalseKw,
                    "null" => K::NullKw,
                    ident => {
                        if ident.len() > MAX_IDENTIFIER_LENGTH {
                            self.error(start, self.pos, ErrorKind::IdentifierTooLong);
                        }
                        K::Ident
                    }
                }
            }
            _ => {
                self.pos = start + utf8_len(b);
                K::Unrecognized
            }
        }
    }

    /// Scans the rest of a single-line string piece (after its opening `'` or `}`).
    fn scan_string_segment(&mut self, start: usize, at_start: bool) -> SyntaxKind {
        let (complete, open) = if at_start {
            (K::String, K::StringHead)
        } else {
            (K::StringTail, K::StringMiddle)
        };
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                self.error(start, self.pos, ErrorKind::UnterminatedString);
                return complete;
            };
            if b == b'\n' || b == b'\r' {
                self.error(start, self.pos, ErrorKind::UnterminatedStringAtNewline);
                return complete;
            }
            let escape_start = self.pos;
            self.pos += 1;
            match b {
                b'\'' => return complete,
                b'$' if self.peek(0) == b'{' => {
                    self.pos += 1;
                    return open;
                }
                b'\\' if self.at_end() => {
                    self.error(start, self.pos, ErrorKind::UnterminatedEscape);
                    return complete;
                }
                b'\\' => self.scan_escape(escape_start),
                _ => {}
            }
        }
    }

    /// Scans an escape sequence whose `\` is at `escape_start` (the position is just after it, not at the end).
    fn scan_escape(&mut self, escape_start: usize) {
        if let Some(len) = escape_len(&self.bytes[escape_start..]) {
            self.pos = escape_start + len;
            return;
        }
        let c = self.peek(0);
        self.pos += utf8_len(c);
        if c != b'u' {
            // Not one of the single-character escapes (those are always valid).
            self.error(escape_start, self.pos, ErrorKind::UnknownEscape);
            return;
        }
        // A malformed `\u{...}`: consume what belongs to it, as the compiler does, then report it, unless the
        // string ends first (the caller reports that).
        if self.at_end() {
            return;
        }
        if self.peek(0) == b'{' {
            self.pos += 1;
            if self.at_end() {
                return;
            }
            self.pos += self.bytes[self.pos..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            if self.at_end() {
                return;
            }
            if self.peek(0) == b'}' && self.bytes[self.pos - 1] != b'{' {
                self.pos += 1;
            }
        }
        self.error(escape_start, self.pos, ErrorKind::InvalidUnicodeEscape);
    }

    /// Scans the rest of a multi-line string piece (after its opening `'''`, `$'''` or `}`).
    fn scan_multiline_string(
        &mut self,
        start: usize,
        at_start: bool,
        dollars: usize,
    ) -> SyntaxKind {
        let (complete, open) = if at_start {
            (K::String, K::StringHead)
        } else {
            (K::StringTail, K::StringMiddle)
        };
        while let Some(i) = self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'$' || b == b'\'')
        {
            self.pos += i;
            let b = self.bytes[self.pos];
            let run = self.bytes[self.pos..]
                .iter()
                .take_while(|&&c| c == b)
                .count();
            self.pos += run;
            if b == b'\'' && run >= 3 {
                return complete;
            }
            if b == b'$' && dollars > 0 && run >= dollars && self.peek(0) == b'{' {
                self.pos += 1;
                return open;
            }
        }
        self.pos = self.bytes.len();
        self.error(start, self.pos, ErrorKind::UnterminatedMultilineString);
        complete
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The non-trivia tokens as `Kind:text` strings.
    fn toks(text: &str) -> Vec<String> {
        lex(text)
            .tokens
            .iter()
            .filter(|t| !t.kind.is_trivia())
            .map(|t| format!("{:?}:{}", t.kind, &text[t.span.range()]))
            .collect()
    }

    fn errors(text: &str) -> Vec<&'static str> {
        lex(text)
            .errors
            .iter()
            .map(|e| e.kind.compiler_code())
            .collect()
    }

    #[test]
    fn covers_every_byte() {
        let text = "\u{feff}var x = 'a${b}c' // hi\n#disable-next-line BCP1 \n/* x */ @sys.d(1)\n";
        let lexed = lex(text);
        let mut pos = 0;
        for t in &lexed.tokens {
            assert_eq!(t.span.start, pos, "{t:?}");
            pos = t.span.end;
        }
        assert_eq!(pos as usize, text.len());
        assert_eq!(lexed.tokens.last().map(|t| t.kind), Some(K::Eof));
        assert!(lexed.errors.is_empty());
        let kinds: Vec<_> = lexed
            .tokens
            .iter()
            .map(|t| t.kind)
            .filter(|k| k.is_trivia())
            .collect();
        assert!(kinds.contains(&K::Pragma) && kinds.contains(&K::ByteOrderMark));
    }

    #[test]
    fn operators() {
        assert_eq!(
            toks("a.?b ?? c::d ... => =~ !~ != == <= >= && || | ^ !x"),
            [
                "Ident:a",
                "Dot:.",
                "Question:?",
                "Ident:b",
                "QuestionQuestion:??",
                "Ident:c",
                "ColonColon:::",
                "Ident:d",
                "Ellipsis:...",
                "Arrow:=>",
                "EqTilde:=~",
                "NotTilde:!~",
                "NotEq:!=",
                "EqEq:==",
                "LtEq:<=",
                "GtEq:>=",
                "AndAnd:&&",
                "OrOr:||",
                "Pipe:|",
                "Caret:^",
                "Bang:!",
                "Ident:x",
                "Eof:",
            ]
        );
        assert_eq!(toks("&"), ["Unrecognized:&", "Eof:"]);
        assert_eq!(errors("& \" é"), ["BCP001", "BCP103", "BCP001"]);
    }

    #[test]
    fn keywords_numbers_newlines() {
        assert_eq!(
            toks("true false null resource 12\r\n\n x"),
            [
                "TrueKw:true",
                "FalseKw:false",
                "NullKw:null",
                "Ident:resource",
                "Integer:12",
                "Newline:\r\n\n",
                "Ident:x",
                "Eof:"
            ]
        );
        assert_eq!(errors(&"a".repeat(256)), ["BCP024"]);
        assert!(errors(&"a".repeat(255)).is_empty());
    }

    #[test]
    fn interpolated_strings() {
        assert_eq!(
            toks("'a${b}c${'d${e}'}f'"),
            [
                "StringHead:'a${",
                "Ident:b",
                "StringMiddle:}c${",
                "StringHead:'d${",
                "Ident:e",
                "StringTail:}'",
                "StringTail:}f'",
                "Eof:",
            ]
        );
        assert_eq!(toks(r"'\${x}\''"), [r"String:'\${x}\''", "Eof:"]);
        // A `{` inside a hole is never popped, so the following `}` is a brace, as in the compiler.
        assert_eq!(
            toks("'${{}}'"),
            [
                "StringHead:'${",
                "LBrace:{",
                "RBrace:}",
                "RBrace:}",
                "String:'",
                "Eof:"
            ]
        );
    }

    #[test]
    fn multiline_strings() {
        assert_eq!(toks("'''a\n'b''c'''"), ["String:'''a\n'b''c'''", "Eof:"]);
        assert_eq!(toks("''''''"), ["String:''''''", "Eof:"]);
        assert_eq!(
            toks("$$'''${x}$${y}'''"),
            [
                "StringHead:$$'''${x}$${",
                "Ident:y",
                "StringTail:}'''",
                "Eof:"
            ]
        );
        assert_eq!(toks("$x"), ["Unrecognized:$", "Ident:x", "Eof:"]);
        assert_eq!(errors("'''abc"), ["BCP140"]);
    }

    #[test]
    fn string_errors() {
        assert_eq!(errors("'abc"), ["BCP003"]);
        assert_eq!(errors("'abc\n'"), ["BCP004", "BCP003"]);
        assert_eq!(errors("'a${b\n"), ["BCP004"]);
        assert_eq!(
            toks("'a${b\nc"),
            [
                "StringHead:'a${",
                "Ident:b",
                "StringTail:",
                "Newline:\n",
                "Ident:c",
                "Eof:"
            ]
        );
        assert_eq!(errors("'\\"), ["BCP005"]);
        assert_eq!(errors("'\\q'"), ["BCP006"]);
        assert_eq!(
            errors("'\\u{110000}' '\\u{}' '\\u0' '\\u{41' '\\u{41}'"),
            ["BCP133", "BCP133", "BCP133", "BCP133"]
        );
        assert_eq!(errors("/* abc"), ["BCP002"]);
    }

    #[test]
    fn pragmas() {
        let text = "#disable-next-line BCP1 no-unused  // c\n  #restore-diagnostics\nx #disable-next-line a\n";
        let lexed = lex(text);
        let pragmas: Vec<_> = lexed
            .tokens
            .iter()
            .filter(|t| t.kind == K::Pragma)
            .map(|t| &text[t.span.range()])
            .collect();
        assert_eq!(
            pragmas,
            ["#disable-next-line BCP1 no-unused", "#restore-diagnostics"]
        );
        assert_eq!(
            lexed
                .errors
                .iter()
                .map(|e| e.kind.compiler_code())
                .collect::<Vec<_>>(),
            ["BCP226", "BCP001"]
        );
        // A comment before `#` on the line prevents a pragma.
        assert_eq!(toks("/**/#disable-next-line a")[0], "Unrecognized:#");
        assert_eq!(
            toks("#disable-next-line a|b")[..2],
            ["Pipe:|".to_owned(), "Ident:b".to_owned()]
        );
    }

    #[test]
    fn escape_lengths() {
        assert_eq!(escape_len(br"\n"), Some(2));
        assert_eq!(escape_len(br"\${"), Some(3));
        assert_eq!(escape_len(br"\u{1F600}x"), Some(9));
        assert_eq!(escape_len(br"\u{00000041}"), Some(12));
        assert_eq!(escape_len(br"\u{110000}"), None);
        assert_eq!(escape_len(br"\x"), None);
        assert_eq!(escape_len(br"\"), None);
        assert_eq!(parse_code_point(b""), None);
    }
}
