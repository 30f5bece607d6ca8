//! The scanner: the characters of a YAML stream into tokens with byte spans.
//!
//! It reads YAML as Kubernetes reads it (go-yaml v3, whose scanner follows libyaml's design), so
//! that akslint accepts and rejects the same files:
//!
//! - an implicit key must reach its `:` on the same line and within 1,024 characters; a token
//!   that may start one is held back until that is known, then released, so a flow sequence of
//!   millions of items costs the tokens of about 1,024 characters at a time, not of all of them;
//! - a tab may follow `key:` and separate tokens within a line, never indent a block;
//! - continuation lines of a quoted scalar may sit at any indentation;
//! - control characters, unknown directives and bad escapes are errors, in go-yaml's words.
//!
//! Positions are byte offsets into the scanned text; columns and the 1,024-character limit count
//! characters, as go-yaml does.

use std::collections::VecDeque;

use compact_str::CompactString;

use akslint_core::ScalarStyle;

/// A position in the stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    /// Byte offset.
    pub pos: usize,
    /// Character offset (for the 1,024-character limit of implicit keys).
    pub index: usize,
    /// 0-based line.
    pub line: usize,
    /// 0-based column, in characters.
    pub column: usize,
}

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    StreamStart,
    StreamEnd,
    /// `%YAML major.minor`.
    VersionDirective {
        major: u8,
        minor: u8,
    },
    /// `%TAG handle prefix`.
    TagDirective {
        handle: String,
        prefix: String,
    },
    /// `---`.
    DocumentStart,
    /// `...`.
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    /// `-` of a block sequence.
    BlockEntry,
    /// `,`.
    FlowEntry,
    /// `?`, or where an implicit key starts.
    Key,
    /// `:`.
    Value,
    Alias(String),
    Anchor(String),
    /// A tag: its handle (`!`, `!!`, `!name!`; empty for a verbatim tag) and its suffix.
    Tag {
        handle: String,
        suffix: String,
    },
    /// A scalar, decoded.
    Scalar {
        value: CompactString,
        style: ScalarStyle,
    },
}

/// A token and where it is written. A block scalar's span runs from its `|` or `>` to its last
/// content character.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: Mark,
    pub end: Mark,
}

/// A syntax error: the problem, where, and what was being read from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// Byte offset of the problem.
    pub at: usize,
    /// What was being read, and the byte offset where it started.
    pub context: Option<(&'static str, usize)>,
    /// The problem, in go-yaml's words.
    pub problem: String,
}

impl SyntaxError {
    pub(crate) fn at(mark: Mark, problem: impl Into<String>) -> SyntaxError {
        SyntaxError {
            at: mark.pos,
            context: None,
            problem: problem.into(),
        }
    }

    pub(crate) fn within(
        context: &'static str,
        start: Mark,
        mark: Mark,
        problem: impl Into<String>,
    ) -> SyntaxError {
        SyntaxError {
            at: mark.pos,
            context: Some((context, start.pos)),
            problem: problem.into(),
        }
    }
}

type Scan<T> = Result<T, SyntaxError>;

/// A token that may start an implicit key.
#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    /// It starts a line at the block's indentation, so it must be a key.
    required: bool,
    /// The number of the token a key indicator would be inserted before.
    token_number: usize,
    mark: Mark,
}

/// Deepest flow nesting and block indentation read, as go-yaml.
const MAX_NESTING: usize = 10_000;
/// Longest implicit key, in characters from its start to its `:`.
const MAX_SIMPLE_KEY_LENGTH: usize = 1024;
/// How far go-yaml looks ahead for a comment, in bytes.
const LOOKAHEAD: usize = 512;

/// Whether go-yaml reads a character: tab, line breaks and printable characters; not the other
/// control characters, surrogates, U+FFFE or U+FFFF.
pub(crate) fn is_readable(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

/// The scanner of one stream.
pub(crate) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    mark: Mark,
    tokens: VecDeque<Token>,
    /// Tokens handed out so far.
    tokens_parsed: usize,
    stream_start_produced: bool,
    stream_end_produced: bool,
    /// The indentation of the innermost block (-1 outside any).
    indent: isize,
    indents: Vec<isize>,
    flow_level: usize,
    simple_key_allowed: bool,
    /// The possible implicit key of each flow level, the stream's own first.
    simple_keys: Vec<SimpleKey>,
    /// The first character go-yaml does not read, if any: the stream is refused there.
    unreadable: Option<usize>,
    /// Line breaks passed since the last character that is not a blank (go-yaml reads a comment
    /// after a token only on the token's line).
    newlines: usize,
    /// The first error: given again, and nothing more is scanned.
    error: Option<SyntaxError>,
}

impl<'a> Scanner<'a> {
    /// A scanner of `text`. A byte-order mark at its start is no character of the stream (go-yaml's
    /// reader takes it for the encoding); anywhere else it is an ordinary character.
    pub fn new(text: &'a str) -> Scanner<'a> {
        let unreadable = first_unreadable(text);
        let start = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Scanner {
            text,
            bytes: text.as_bytes(),
            mark: Mark {
                pos: start,
                ..Mark::default()
            },
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            newlines: 0,
            unreadable,
            error: None,
        }
    }

    /// The next token, not consumed; `None` after the end of the stream.
    pub fn peek(&mut self) -> Scan<Option<&Token>> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        if let Err(error) = self.fetch_more_tokens() {
            self.error = Some(error.clone());
            return Err(error);
        }
        Ok(self.tokens.front())
    }

    /// Consumes the next token.
    pub fn next_token(&mut self) -> Scan<Option<Token>> {
        self.peek()?;
        let token = self.tokens.pop_front();
        if token.is_some() {
            self.tokens_parsed += 1;
        }
        Ok(token)
    }

    // ---- characters ------------------------------------------------------------------------

    fn byte(&self, ahead: usize) -> u8 {
        self.bytes.get(self.mark.pos + ahead).copied().unwrap_or(0)
    }

    fn is_end(&self, ahead: usize) -> bool {
        self.mark.pos + ahead >= self.bytes.len()
    }

    fn is(&self, ahead: usize, byte: u8) -> bool {
        !self.is_end(ahead) && self.byte(ahead) == byte
    }

    fn is_blank(&self, ahead: usize) -> bool {
        self.is(ahead, b' ') || self.is(ahead, b'\t')
    }

    /// A line break: CR, LF, and (as go-yaml reads YAML 1.1) NEL, LS and PS.
    fn is_break(&self, ahead: usize) -> bool {
        if self.is_end(ahead) {
            return false;
        }
        match self.byte(ahead) {
            b'\r' | b'\n' => true,
            0xC2 => self.byte(ahead + 1) == 0x85,
            0xE2 => self.byte(ahead + 1) == 0x80 && matches!(self.byte(ahead + 2), 0xA8 | 0xA9),
            _ => false,
        }
    }

    fn is_breakz(&self, ahead: usize) -> bool {
        self.is_end(ahead) || self.is_break(ahead)
    }

    fn is_blankz(&self, ahead: usize) -> bool {
        self.is_blank(ahead) || self.is_breakz(ahead)
    }

    /// A character of anchors, directive names and tag handles.
    fn is_alpha(&self, ahead: usize) -> bool {
        !self.is_end(ahead)
            && matches!(self.byte(ahead), b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'-')
    }

    fn is_digit(&self, ahead: usize) -> bool {
        !self.is_end(ahead) && self.byte(ahead).is_ascii_digit()
    }

    fn is_hex(&self, ahead: usize) -> bool {
        !self.is_end(ahead) && self.byte(ahead).is_ascii_hexdigit()
    }

    fn hex(&self, ahead: usize) -> u32 {
        char::from(self.byte(ahead)).to_digit(16).unwrap_or(0)
    }

    /// Whether `---` or `...` (three `byte`s) followed by a blank or a line break is here.
    fn is_document_indicator(&self, byte: u8) -> bool {
        self.is(0, byte) && self.is(1, byte) && self.is(2, byte) && self.is_blankz(3)
    }

    fn current(&self) -> char {
        self.text[self.mark.pos..].chars().next().unwrap_or('\0')
    }

    /// Moves past the current character.
    fn advance(&mut self) {
        let Some(&lead) = self.bytes.get(self.mark.pos) else {
            return;
        };
        if lead != b' ' && lead != b'\t' {
            self.newlines = 0;
        }
        self.mark.pos += if lead.is_ascii() {
            1
        } else {
            self.current().len_utf8()
        };
        self.mark.index += 1;
        self.mark.column += 1;
    }

    /// Moves past the run of ASCII characters from here that `skip` accepts (none when the
    /// current character is not one); how many. `skip` never accepts a line break.
    fn skip_ascii_run(&mut self, skip: impl Fn(u8) -> bool) -> usize {
        let start = self.mark.pos;
        let run = &self.bytes[start..];
        let length = run
            .iter()
            .position(|&b| !b.is_ascii() || !skip(b))
            .unwrap_or(run.len());
        if run[..length].iter().any(|&b| b != b' ' && b != b'\t') {
            self.newlines = 0;
        }
        self.mark.pos += length;
        self.mark.index += length;
        self.mark.column += length;
        length
    }

    /// Appends the run of ASCII characters from here that `take` accepts to `out` and moves
    /// past them (none when the current character is not one): a line's worth of a scalar in
    /// one copy instead of a character at a time. `take` never accepts a line break.
    fn read_ascii_run(&mut self, out: &mut CompactString, take: impl Fn(u8) -> bool) -> usize {
        let start = self.mark.pos;
        let length = self.skip_ascii_run(take);
        out.push_str(&self.text[start..start + length]);
        length
    }

    /// Moves past the current line break.
    fn advance_line(&mut self) {
        if self.is(0, b'\r') && self.is(1, b'\n') {
            self.mark.pos += 2;
            self.mark.index += 2;
        } else if self.is_break(0) {
            self.mark.pos += self.current().len_utf8();
            self.mark.index += 1;
        } else {
            return;
        }
        self.mark.column = 0;
        self.mark.line += 1;
        self.newlines += 1;
    }

    /// Appends the current character to `out` and moves past it.
    fn read(&mut self, out: &mut CompactString) {
        match self.bytes.get(self.mark.pos) {
            Some(&b) if b.is_ascii() => out.push(char::from(b)),
            _ => out.push(self.current()),
        }
        self.advance();
    }

    /// Appends the current line break to `out` as YAML reads it (CR LF, CR, LF and NEL as a
    /// line feed; LS and PS as themselves) and moves past it.
    fn read_line(&mut self, out: &mut CompactString) {
        if !self.is_break(0) {
            return;
        }
        match self.current() {
            c @ ('\u{2028}' | '\u{2029}') => out.push(c),
            _ => out.push('\n'),
        }
        self.advance_line();
    }

    // ---- tokens ----------------------------------------------------------------------------

    fn push(&mut self, kind: TokenKind, start: Mark) {
        let end = self.mark;
        self.tokens.push_back(Token { kind, start, end });
    }

    /// Queues an indicator of `width` characters (`-`, `[`, `---`) as a token of `kind`.
    fn push_indicator(&mut self, kind: TokenKind, width: usize) -> Scan<()> {
        let start = self.mark;
        for _ in 0..width {
            self.advance();
        }
        self.push(kind, start);
        Ok(())
    }

    /// In block context, an indicator that may start a collection at its column (`-`, `?`, a
    /// `:` without a key): refused where a key could not start (`what` names the indicator's
    /// tokens in the error), else the collection opens there.
    fn open_block_collection(&mut self, kind: TokenKind, what: &str) -> Scan<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if !self.simple_key_allowed {
            return Err(SyntaxError::at(
                self.mark,
                format!("{what} are not allowed in this context"),
            ));
        }
        self.roll_indent(self.mark.column as isize, None, kind, self.mark)
    }

    /// Fetches tokens until the next one is decided: at least three are queued (go-yaml's
    /// lookahead), and the first is not a possible implicit key still waiting for its `:`.
    fn fetch_more_tokens(&mut self) -> Scan<()> {
        while !self.stream_end_produced {
            if self.tokens.len() > 2 && !self.head_may_be_key()? {
                break;
            }
            self.fetch_next_token()?;
        }
        Ok(())
    }

    /// Whether the first queued token is where a possible implicit key starts, still possible.
    fn head_may_be_key(&mut self) -> Scan<bool> {
        let head = self.tokens_parsed;
        match self
            .simple_keys
            .iter()
            .rposition(|key| key.possible && key.token_number == head)
        {
            Some(level) => self.key_is_possible(level),
            None => Ok(false),
        }
    }

    /// Whether the possible key of a flow level is still possible: on the line where it started
    /// and within 1,024 characters of it. A required key that no longer can be is an error.
    fn key_is_possible(&mut self, level: usize) -> Scan<bool> {
        let key = self.simple_keys[level];
        if !key.possible {
            return Ok(false);
        }
        if key.mark.line < self.mark.line
            || key.mark.index + MAX_SIMPLE_KEY_LENGTH < self.mark.index
        {
            if key.required {
                return Err(SyntaxError::within(
                    "while scanning a simple key",
                    key.mark,
                    self.mark,
                    "could not find expected ':'",
                ));
            }
            self.simple_keys[level].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn fetch_next_token(&mut self) -> Scan<()> {
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        if let Some(at) = self.unreadable {
            return Err(SyntaxError {
                at,
                context: None,
                problem: "control characters are not allowed".to_owned(),
            });
        }
        self.scan_to_next_token();
        self.unroll_indent(self.mark.column as isize);
        if self.is_end(0) {
            return self.fetch_stream_end();
        }
        if self.mark.column == 0 && self.is(0, b'%') {
            return self.fetch_directive();
        }
        if self.mark.column == 0 && self.is_document_indicator(b'-') {
            return self.fetch_document_indicator(TokenKind::DocumentStart);
        }
        if self.mark.column == 0 && self.is_document_indicator(b'.') {
            return self.fetch_document_indicator(TokenKind::DocumentEnd);
        }
        let flow = self.flow_level > 0;
        self.fetch_token(flow)?;
        self.skip_line_comment();
        Ok(())
    }

    /// Fetches the token that starts here (after directives and document indicators).
    fn fetch_token(&mut self, flow: bool) -> Scan<()> {
        match self.byte(0) {
            b'[' => self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            b'{' => self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            b']' => self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            b'}' => self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            b',' => self.fetch_flow_entry(),
            b'-' if self.is_blankz(1) => self.fetch_block_entry(),
            b'?' if flow || self.is_blankz(1) => self.fetch_key(),
            b':' if flow || self.is_blankz(1) => self.fetch_value(),
            b'*' => self.fetch_anchor(true),
            b'&' => self.fetch_anchor(false),
            b'!' => self.fetch_tag(),
            b'|' if !flow => self.fetch_block_scalar(true),
            b'>' if !flow => self.fetch_block_scalar(false),
            b'\'' => self.fetch_flow_scalar(true),
            b'"' => self.fetch_flow_scalar(false),
            _ if self.starts_plain_scalar() => self.fetch_plain_scalar(),
            _ => Err(SyntaxError::within(
                "while scanning for the next token",
                self.mark,
                self.mark,
                "found character that cannot start any token",
            )),
        }
    }

    /// Whether a plain scalar starts here: any character but blanks, breaks and indicators, and
    /// `-` (or, in a block, `?` and `:`) followed by a non-blank.
    fn starts_plain_scalar(&self) -> bool {
        let c = self.byte(0);
        let indicator = matches!(
            c,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        );
        !(self.is_blankz(0) || indicator)
            || c == b'-' && !self.is_blank(1)
            || self.flow_level == 0 && matches!(c, b'?' | b':') && !self.is_blankz(1)
    }

    /// Skips blanks, comments and line breaks up to the next token. Tabs separate tokens in flow
    /// collections and after a token that cannot start a key (as after `key:`), never where a
    /// block's indentation is read.
    fn scan_to_next_token(&mut self) {
        loop {
            let tabs = self.flow_level > 0 || !self.simple_key_allowed;
            self.skip_ascii_run(|b| b == b' ' || tabs && b == b'\t');
            if self.is(0, b'#') {
                self.skip_comment_block();
            }
            if !self.is_break(0) {
                break;
            }
            self.advance_line();
            if self.flow_level == 0 {
                self.simple_key_allowed = true;
            }
        }
    }

    /// Skips a comment and, as go-yaml gathers comment blocks, every comment line that follows it
    /// within 512 bytes over blanks (tabs too) and empty lines: a tab before such a comment is not
    /// indentation.
    fn skip_comment_block(&mut self) {
        loop {
            while !self.is_breakz(0) {
                if self.skip_ascii_run(|b| b != b'\r' && b != b'\n') == 0 {
                    self.advance();
                }
            }
            let Some(next) = self.comment_ahead(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            else {
                return;
            };
            let target = self.mark.pos + next;
            while self.mark.pos < target {
                if self.is_break(0) {
                    self.advance_line();
                } else {
                    self.advance();
                }
            }
        }
    }

    /// The distance to a `#` ahead, over bytes that `skip` allows, within 512 bytes.
    fn comment_ahead(&self, skip: impl Fn(u8) -> bool) -> Option<usize> {
        (0..LOOKAHEAD)
            .take_while(|&k| !self.is_end(k))
            .find(|&k| !skip(self.byte(k)))
            .filter(|&k| self.byte(k) == b'#')
    }

    /// After a token, a comment on the same line is read with the blanks before it, tabs
    /// included (go-yaml's line comments), except after a block entry's `-`.
    fn skip_line_comment(&mut self) {
        if self.newlines > 0
            || self
                .tokens
                .back()
                .is_some_and(|t| t.kind == TokenKind::BlockEntry)
        {
            return;
        }
        if let Some(next) = self.comment_ahead(|b| matches!(b, b' ' | b'\t')) {
            for _ in 0..next {
                self.advance();
            }
            while !self.is_breakz(0) {
                self.advance();
            }
        }
    }

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_keys.push(SimpleKey::default());
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        self.push(TokenKind::StreamStart, self.mark);
    }

    fn fetch_stream_end(&mut self) -> Scan<()> {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        self.stream_end_produced = true;
        self.push(TokenKind::StreamEnd, self.mark);
        Ok(())
    }

    fn fetch_directive(&mut self) -> Scan<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind) -> Scan<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        self.push_indicator(kind, 3)
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind) -> Scan<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        self.push_indicator(kind, 1)
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind) -> Scan<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        self.push_indicator(kind, 1)
    }

    fn fetch_flow_entry(&mut self) -> Scan<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push_indicator(TokenKind::FlowEntry, 1)
    }

    fn fetch_block_entry(&mut self) -> Scan<()> {
        // A `-` in a flow collection is left to the parser, which reports it in its context.
        self.open_block_collection(TokenKind::BlockSequenceStart, "block sequence entries")?;
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.push_indicator(TokenKind::BlockEntry, 1)
    }

    fn fetch_key(&mut self) -> Scan<()> {
        self.open_block_collection(TokenKind::BlockMappingStart, "mapping keys")?;
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.push_indicator(TokenKind::Key, 1)
    }

    fn fetch_value(&mut self) -> Scan<()> {
        let level = self.simple_keys.len() - 1;
        if self.key_is_possible(level)? {
            // The possible key is one: a key indicator goes before its first token, and a block
            // mapping starts there if it is the first key at that indentation.
            let key = self.simple_keys[level];
            let at = key.token_number - self.tokens_parsed;
            self.tokens.insert(
                at,
                Token {
                    kind: TokenKind::Key,
                    start: key.mark,
                    end: key.mark,
                },
            );
            self.roll_indent(
                key.mark.column as isize,
                Some(key.token_number),
                TokenKind::BlockMappingStart,
                key.mark,
            )?;
            self.simple_keys[level].possible = false;
            // A key cannot follow a key on the same line.
            self.simple_key_allowed = false;
        } else {
            // The value of a complex key (`? key`), or of an empty key.
            self.open_block_collection(TokenKind::BlockMappingStart, "mapping values")?;
            self.simple_key_allowed = self.flow_level == 0;
        }
        self.push_indicator(TokenKind::Value, 1)
    }

    fn fetch_anchor(&mut self, alias: bool) -> Scan<()> {
        self.fetch_possible_key(|s| s.scan_anchor(alias))
    }

    fn fetch_tag(&mut self) -> Scan<()> {
        self.fetch_possible_key(|s| s.scan_tag())
    }

    /// Queues a token that may be an implicit key (an anchor, alias, tag or flow scalar): its
    /// position is saved as a possible key, and no other key can start right after it.
    fn fetch_possible_key(&mut self, scan: impl FnOnce(&mut Self) -> Scan<Token>) -> Scan<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = scan(self)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> Scan<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Scan<()> {
        self.fetch_possible_key(|s| s.scan_flow_scalar(single))
    }

    fn fetch_plain_scalar(&mut self) -> Scan<()> {
        self.fetch_possible_key(|s| s.scan_plain_scalar())
    }

    // ---- implicit keys and indentation -----------------------------------------------------

    /// Records that the next token may start an implicit key (replacing the possible key of this
    /// flow level).
    fn save_simple_key(&mut self) -> Scan<()> {
        if !self.simple_key_allowed {
            return Ok(());
        }
        let key = SimpleKey {
            possible: true,
            required: self.flow_level == 0 && self.indent == self.mark.column as isize,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
        };
        self.remove_simple_key()?;
        if let Some(top) = self.simple_keys.last_mut() {
            *top = key;
        }
        Ok(())
    }

    /// Drops the possible key of this flow level; an error if it had to be a key.
    fn remove_simple_key(&mut self) -> Scan<()> {
        if let Some(top) = self.simple_keys.last_mut()
            && top.possible
        {
            if top.required {
                return Err(SyntaxError::within(
                    "while scanning a simple key",
                    top.mark,
                    self.mark,
                    "could not find expected ':'",
                ));
            }
            top.possible = false;
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> Scan<()> {
        self.simple_keys.push(SimpleKey {
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
            ..SimpleKey::default()
        });
        self.flow_level += 1;
        if self.flow_level > MAX_NESTING {
            return Err(SyntaxError::within(
                "while increasing flow level",
                self.mark,
                self.mark,
                format!("exceeded max depth of {MAX_NESTING}"),
            ));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            self.simple_keys.pop();
        }
    }

    /// Opens a block at `column` when it is deeper than the current one, with a `kind` token
    /// (before the token numbered `number`, or at the end of the queue).
    fn roll_indent(
        &mut self,
        column: isize,
        number: Option<usize>,
        kind: TokenKind,
        mark: Mark,
    ) -> Scan<()> {
        if self.flow_level > 0 || self.indent >= column {
            return Ok(());
        }
        self.indents.push(self.indent);
        self.indent = column;
        if self.indents.len() > MAX_NESTING {
            return Err(SyntaxError::within(
                "while increasing indent level",
                mark,
                self.mark,
                format!("exceeded max depth of {MAX_NESTING}"),
            ));
        }
        let token = Token {
            kind,
            start: mark,
            end: mark,
        };
        match number {
            Some(number) => self.tokens.insert(number - self.tokens_parsed, token),
            None => self.tokens.push_back(token),
        }
        Ok(())
    }

    /// Closes the blocks deeper than `column`.
    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            self.push(TokenKind::BlockEnd, self.mark);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    // ---- directives, anchors, tags ---------------------------------------------------------

    fn scan_directive(&mut self) -> Scan<Token> {
        let start = self.mark;
        self.advance();
        let name = self.scan_directive_name(start)?;
        let kind = match name.as_str() {
            "YAML" => {
                let (major, minor) = self.scan_version_directive_value(start)?;
                TokenKind::VersionDirective { major, minor }
            }
            "TAG" => {
                let (handle, prefix) = self.scan_tag_directive_value(start)?;
                TokenKind::TagDirective { handle, prefix }
            }
            _ => {
                return Err(SyntaxError::within(
                    "while scanning a directive",
                    start,
                    self.mark,
                    "found unknown directive name",
                ));
            }
        };
        let end = self.mark;
        while self.is_blank(0) {
            self.advance();
        }
        if self.is(0, b'#') {
            while !self.is_breakz(0) {
                self.advance();
            }
        }
        if !self.is_breakz(0) {
            return Err(SyntaxError::within(
                "while scanning a directive",
                start,
                self.mark,
                "did not find expected comment or line break",
            ));
        }
        self.advance_line();
        Ok(Token { kind, start, end })
    }

    fn scan_directive_name(&mut self, start: Mark) -> Scan<String> {
        let mut name = CompactString::default();
        while self.is_alpha(0) {
            self.read(&mut name);
        }
        if name.is_empty() {
            return Err(SyntaxError::within(
                "while scanning a directive",
                start,
                self.mark,
                "could not find expected directive name",
            ));
        }
        if !self.is_blankz(0) {
            return Err(SyntaxError::within(
                "while scanning a directive",
                start,
                self.mark,
                "found unexpected non-alphabetical character",
            ));
        }
        Ok(name.into())
    }

    fn scan_version_directive_value(&mut self, start: Mark) -> Scan<(u8, u8)> {
        while self.is_blank(0) {
            self.advance();
        }
        let major = self.scan_version_number(start)?;
        if !self.is(0, b'.') {
            return Err(SyntaxError::within(
                "while scanning a %YAML directive",
                start,
                self.mark,
                "did not find expected digit or '.' character",
            ));
        }
        self.advance();
        let minor = self.scan_version_number(start)?;
        Ok((major, minor))
    }

    fn scan_version_number(&mut self, start: Mark) -> Scan<u8> {
        let mut value = 0u8;
        let mut length = 0;
        while self.is_digit(0) {
            length += 1;
            if length > 2 {
                return Err(SyntaxError::within(
                    "while scanning a %YAML directive",
                    start,
                    self.mark,
                    "found extremely long version number",
                ));
            }
            value = value * 10 + (self.byte(0) - b'0');
            self.advance();
        }
        if length == 0 {
            return Err(SyntaxError::within(
                "while scanning a %YAML directive",
                start,
                self.mark,
                "did not find expected version number",
            ));
        }
        Ok(value)
    }

    fn scan_tag_directive_value(&mut self, start: Mark) -> Scan<(String, String)> {
        while self.is_blank(0) {
            self.advance();
        }
        let handle = self.scan_tag_handle(true, start)?;
        if !self.is_blank(0) {
            return Err(SyntaxError::within(
                "while scanning a %TAG directive",
                start,
                self.mark,
                "did not find expected whitespace",
            ));
        }
        while self.is_blank(0) {
            self.advance();
        }
        let prefix = self.scan_tag_uri(true, "", start)?;
        if !self.is_blankz(0) {
            return Err(SyntaxError::within(
                "while scanning a %TAG directive",
                start,
                self.mark,
                "did not find expected whitespace or line break",
            ));
        }
        Ok((handle, prefix))
    }

    fn scan_anchor(&mut self, alias: bool) -> Scan<Token> {
        let start = self.mark;
        self.advance();
        let mut name = CompactString::default();
        while self.is_alpha(0) {
            self.read(&mut name);
        }
        let end = self.mark;
        let followed_well = self.is_blankz(0)
            || matches!(
                self.byte(0),
                b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'
            );
        if name.is_empty() || !followed_well {
            let context = if alias {
                "while scanning an alias"
            } else {
                "while scanning an anchor"
            };
            return Err(SyntaxError::within(
                context,
                start,
                self.mark,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let kind = if alias {
            TokenKind::Alias(name.into())
        } else {
            TokenKind::Anchor(name.into())
        };
        Ok(Token { kind, start, end })
    }

    fn scan_tag(&mut self) -> Scan<Token> {
        let start = self.mark;
        let (handle, suffix) = if self.byte(1) == b'<' {
            // A verbatim tag: `!<uri>`.
            self.advance();
            self.advance();
            let suffix = self.scan_tag_uri(false, "", start)?;
            if !self.is(0, b'>') {
                return Err(SyntaxError::within(
                    "while scanning a tag",
                    start,
                    self.mark,
                    "did not find the expected '>'",
                ));
            }
            self.advance();
            (String::new(), suffix)
        } else {
            let handle = self.scan_tag_handle(false, start)?;
            if handle.len() > 1 && handle.starts_with('!') && handle.ends_with('!') {
                let suffix = self.scan_tag_uri(false, "", start)?;
                (handle, suffix)
            } else {
                // `!suffix`: what was read as a handle is the start of the suffix; a lone `!`
                // is the non-specific tag.
                let suffix = self.scan_tag_uri(false, &handle, start)?;
                if suffix.is_empty() {
                    (String::new(), "!".to_owned())
                } else {
                    ("!".to_owned(), suffix)
                }
            }
        };
        if !self.is_blankz(0) {
            return Err(SyntaxError::within(
                "while scanning a tag",
                start,
                self.mark,
                "did not find expected whitespace or line break",
            ));
        }
        let end = self.mark;
        Ok(Token {
            kind: TokenKind::Tag { handle, suffix },
            start,
            end,
        })
    }

    fn tag_error(&self, directive: bool, start: Mark, problem: &str) -> SyntaxError {
        let context = if directive {
            "while parsing a %TAG directive"
        } else {
            "while parsing a tag"
        };
        SyntaxError::within(context, start, self.mark, problem)
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> Scan<String> {
        if !self.is(0, b'!') {
            return Err(self.tag_error(directive, start, "did not find expected '!'"));
        }
        let mut handle = CompactString::default();
        self.read(&mut handle);
        while self.is_alpha(0) {
            self.read(&mut handle);
        }
        if self.is(0, b'!') {
            self.read(&mut handle);
        } else if directive && handle != "!" {
            return Err(self.tag_error(directive, start, "did not find expected '!'"));
        }
        Ok(handle.into())
    }

    /// A tag's URI characters, `%`-escapes decoded, after `head` (a handle read as the start of
    /// the URI, without its `!`).
    fn scan_tag_uri(&mut self, directive: bool, head: &str, start: Mark) -> Scan<String> {
        let mut uri = CompactString::from(head.get(1..).unwrap_or(""));
        let mut found = !head.is_empty();
        while self.is_alpha(0)
            || !self.is_end(0)
                && matches!(
                    self.byte(0),
                    b';' | b'/'
                        | b'?'
                        | b':'
                        | b'@'
                        | b'&'
                        | b'='
                        | b'+'
                        | b'$'
                        | b','
                        | b'.'
                        | b'!'
                        | b'~'
                        | b'*'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'%'
                )
        {
            if self.is(0, b'%') {
                self.scan_uri_escapes(directive, start, &mut uri)?;
            } else {
                self.read(&mut uri);
            }
            found = true;
        }
        if !found {
            return Err(self.tag_error(directive, start, "did not find expected tag URI"));
        }
        Ok(uri.into())
    }

    /// One `%`-escaped UTF-8 character of a tag URI.
    fn scan_uri_escapes(
        &mut self,
        directive: bool,
        start: Mark,
        uri: &mut CompactString,
    ) -> Scan<()> {
        let mut octets: Vec<u8> = Vec::new();
        let mut width = 0;
        loop {
            if !(self.is(0, b'%') && self.is_hex(1) && self.is_hex(2)) {
                return Err(self.tag_error(directive, start, "did not find URI escaped octet"));
            }
            let octet = (self.hex(1) << 4 | self.hex(2)) as u8;
            if octets.is_empty() {
                width = match octet {
                    0x00..=0x7F => 1,
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    0xF0..=0xF7 => 4,
                    _ => {
                        return Err(self.tag_error(
                            directive,
                            start,
                            "found an incorrect leading UTF-8 octet",
                        ));
                    }
                };
            } else if octet & 0xC0 != 0x80 {
                return Err(self.tag_error(
                    directive,
                    start,
                    "found an incorrect trailing UTF-8 octet",
                ));
            }
            octets.push(octet);
            self.advance();
            self.advance();
            self.advance();
            if octets.len() == width {
                break;
            }
        }
        uri.push_str(&String::from_utf8_lossy(&octets));
        Ok(())
    }

    // ---- scalars ---------------------------------------------------------------------------

    fn scan_block_scalar(&mut self, literal: bool) -> Scan<Token> {
        let start = self.mark;
        let context = "while scanning a block scalar";
        self.advance();
        // The header: chomping (`+` keep, `-` strip) and indentation indicators, either order.
        let mut chomping = 0i8;
        let mut increment = 0isize;
        for _ in 0..2 {
            if chomping == 0 && (self.is(0, b'+') || self.is(0, b'-')) {
                chomping = if self.is(0, b'+') { 1 } else { -1 };
                self.advance();
            } else if increment == 0 && self.is_digit(0) {
                if self.is(0, b'0') {
                    return Err(SyntaxError::within(
                        context,
                        start,
                        self.mark,
                        "found an indentation indicator equal to 0",
                    ));
                }
                increment = isize::from(self.byte(0) - b'0');
                self.advance();
            }
        }
        let mut content_end = self.mark;
        while self.is_blank(0) {
            self.advance();
        }
        if self.is(0, b'#') {
            while !self.is_breakz(0) {
                self.advance();
            }
        }
        if !self.is_breakz(0) {
            return Err(SyntaxError::within(
                context,
                start,
                self.mark,
                "did not find expected comment or line break",
            ));
        }
        self.advance_line();
        let mut indent = if increment > 0 {
            if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            }
        } else {
            0
        };
        let mut value = CompactString::default();
        let mut leading_break = CompactString::default();
        let mut trailing_breaks = CompactString::default();
        self.block_scalar_breaks(&mut indent, &mut trailing_breaks, start)?;
        let mut leading_blank = false;
        while self.mark.column as isize == indent && !self.is_end(0) {
            let trailing_blank = self.is_blank(0);
            // Folding: a line break between two lines that do not start with a blank is a space.
            if !literal && !leading_blank && !trailing_blank && leading_break.starts_with('\n') {
                if trailing_breaks.is_empty() {
                    value.push(' ');
                }
            } else {
                value.push_str(&leading_break);
            }
            leading_break.clear();
            value.push_str(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = self.is_blank(0);
            while !self.is_breakz(0) {
                if self.read_ascii_run(&mut value, |b| b != b'\r' && b != b'\n') == 0 {
                    self.read(&mut value);
                }
            }
            content_end = self.mark;
            self.read_line(&mut leading_break);
            self.block_scalar_breaks(&mut indent, &mut trailing_breaks, start)?;
        }
        if chomping != -1 {
            value.push_str(&leading_break);
        }
        if chomping == 1 {
            value.push_str(&trailing_breaks);
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Token {
            kind: TokenKind::Scalar { value, style },
            start,
            end: content_end,
        })
    }

    /// Reads the indentation and empty lines before a block scalar's next content line, and
    /// decides the indentation when it is not known yet (the deepest of the leading empty lines
    /// and the first content line, at least one more than the enclosing block).
    fn block_scalar_breaks(
        &mut self,
        indent: &mut isize,
        breaks: &mut CompactString,
        start: Mark,
    ) -> Scan<()> {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || (self.mark.column as isize) < *indent) && self.is(0, b' ') {
                self.advance();
            }
            max_indent = max_indent.max(self.mark.column as isize);
            if (*indent == 0 || (self.mark.column as isize) < *indent) && self.is(0, b'\t') {
                return Err(SyntaxError::within(
                    "while scanning a block scalar",
                    start,
                    self.mark,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !self.is_break(0) {
                break;
            }
            self.read_line(breaks);
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
        Ok(())
    }

    fn scan_flow_scalar(&mut self, single: bool) -> Scan<Token> {
        let start = self.mark;
        let context = "while scanning a quoted scalar";
        self.advance();
        let mut value = CompactString::default();
        let mut leading_break = CompactString::default();
        let mut trailing_breaks = CompactString::default();
        let mut whitespaces = CompactString::default();
        loop {
            if self.mark.column == 0
                && (self.is_document_indicator(b'-') || self.is_document_indicator(b'.'))
            {
                return Err(SyntaxError::within(
                    context,
                    start,
                    self.mark,
                    "found unexpected document indicator",
                ));
            }
            if self.is_end(0) {
                return Err(SyntaxError::within(
                    context,
                    start,
                    self.mark,
                    "found unexpected end of stream",
                ));
            }
            let mut leading_blanks = false;
            while !self.is_blankz(0) {
                if single && self.is(0, b'\'') && self.is(1, b'\'') {
                    value.push('\'');
                    self.advance();
                    self.advance();
                } else if single && self.is(0, b'\'') || !single && self.is(0, b'"') {
                    break;
                } else if !single && self.is(0, b'\\') && self.is_break(1) {
                    // An escaped line break: the lines join without a space.
                    self.advance();
                    self.advance_line();
                    leading_blanks = true;
                    break;
                } else if !single && self.is(0, b'\\') {
                    self.scan_escape(&mut value, start)?;
                } else if self.read_ascii_run(&mut value, |b| {
                    !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\'' | b'"' | b'\\')
                }) == 0
                {
                    self.read(&mut value);
                }
            }
            if single && self.is(0, b'\'') || !single && self.is(0, b'"') {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if leading_blanks {
                        self.advance();
                    } else {
                        self.read(&mut whitespaces);
                    }
                } else if leading_blanks {
                    self.read_line(&mut trailing_breaks);
                } else {
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                }
            }
            if leading_blanks {
                fold(&mut value, &leading_break, &trailing_breaks);
                leading_break.clear();
                trailing_breaks.clear();
            } else {
                value.push_str(&whitespaces);
                whitespaces.clear();
            }
        }
        self.advance();
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(Token {
            kind: TokenKind::Scalar { value, style },
            start,
            end: self.mark,
        })
    }

    /// An escape sequence of a double-quoted scalar, at its `\`.
    fn scan_escape(&mut self, value: &mut CompactString, start: Mark) -> Scan<()> {
        let context = "while parsing a quoted scalar";
        let code_length = match self.byte(1) {
            b'0' => Some('\0'),
            b'a' => Some('\u{7}'),
            b'b' => Some('\u{8}'),
            b't' | b'\t' => Some('\t'),
            b'n' => Some('\n'),
            b'v' => Some('\u{b}'),
            b'f' => Some('\u{c}'),
            b'r' => Some('\r'),
            b'e' => Some('\u{1b}'),
            b' ' => Some(' '),
            b'"' => Some('"'),
            b'\'' => Some('\''),
            b'\\' => Some('\\'),
            b'N' => Some('\u{85}'),
            b'_' => Some('\u{a0}'),
            b'L' => Some('\u{2028}'),
            b'P' => Some('\u{2029}'),
            b'x' | b'u' | b'U' => None,
            _ => {
                return Err(SyntaxError::within(
                    context,
                    start,
                    self.mark,
                    "found unknown escape character",
                ));
            }
        }
        .map_or_else(
            || match self.byte(1) {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            },
            |c| {
                value.push(c);
                0
            },
        );
        self.advance();
        self.advance();
        if code_length == 0 {
            return Ok(());
        }
        let mut code = 0u32;
        for k in 0..code_length {
            if !self.is_hex(k) {
                return Err(SyntaxError::within(
                    context,
                    start,
                    self.mark,
                    "did not find expected hexdecimal number",
                ));
            }
            code = code << 4 | self.hex(k);
        }
        let Some(c) = char::from_u32(code) else {
            return Err(SyntaxError::within(
                context,
                start,
                self.mark,
                "found invalid Unicode character escape code",
            ));
        };
        value.push(c);
        for _ in 0..code_length {
            self.advance();
        }
        Ok(())
    }

    fn scan_plain_scalar(&mut self) -> Scan<Token> {
        let start = self.mark;
        let mut end = self.mark;
        let indent = self.indent + 1;
        let mut value = CompactString::default();
        let mut leading_break = CompactString::default();
        let mut trailing_breaks = CompactString::default();
        let mut whitespaces = CompactString::default();
        let mut leading_blanks = false;
        loop {
            if self.mark.column == 0
                && (self.is_document_indicator(b'-') || self.is_document_indicator(b'.'))
            {
                break;
            }
            if self.is(0, b'#') {
                break;
            }
            while !self.is_blankz(0) {
                let ends = self.is(0, b':') && self.is_blankz(1)
                    || self.flow_level > 0
                        && matches!(self.byte(0), b',' | b'?' | b'[' | b']' | b'{' | b'}');
                if ends {
                    break;
                }
                if leading_blanks {
                    fold(&mut value, &leading_break, &trailing_breaks);
                    leading_break.clear();
                    trailing_breaks.clear();
                    leading_blanks = false;
                } else if !whitespaces.is_empty() {
                    value.push_str(&whitespaces);
                    whitespaces.clear();
                }
                let flow = self.flow_level > 0;
                let plain = |b: u8| match b {
                    b' ' | b'\t' | b'\r' | b'\n' | b':' => false,
                    b',' | b'?' | b'[' | b']' | b'{' | b'}' => !flow,
                    _ => true,
                };
                if self.read_ascii_run(&mut value, plain) == 0 {
                    self.read(&mut value);
                }
                end = self.mark;
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if leading_blanks && (self.mark.column as isize) < indent && self.is(0, b'\t') {
                        return Err(SyntaxError::within(
                            "while scanning a plain scalar",
                            start,
                            self.mark,
                            "found a tab character that violates indentation",
                        ));
                    }
                    if leading_blanks {
                        self.advance();
                    } else {
                        self.read(&mut whitespaces);
                    }
                } else if leading_blanks {
                    self.read_line(&mut trailing_breaks);
                } else {
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                }
            }
            if self.flow_level == 0 && (self.mark.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(Token {
            kind: TokenKind::Scalar {
                value,
                style: ScalarStyle::Plain,
            },
            start,
            end,
        })
    }
}

/// Where the first character go-yaml does not read is ([`is_readable`]): printable ASCII, tabs
/// and line breaks are passed over a byte at a time, only the other characters are decoded.
fn first_unreadable(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        at += bytes[at..]
            .iter()
            .position(|&b| !matches!(b, b' '..=b'~' | b'\t' | b'\n' | b'\r'))?;
        let c = text[at..].chars().next()?;
        if !is_readable(c) {
            return Some(at);
        }
        at += c.len_utf8();
    }
}

/// Line folding in flow and plain scalars: a single line break is a space, more keep all but the
/// first; LS and PS are kept as written.
fn fold(value: &mut CompactString, leading_break: &str, trailing_breaks: &str) {
    if leading_break.starts_with('\n') {
        if trailing_breaks.is_empty() {
            value.push(' ');
        } else {
            value.push_str(trailing_breaks);
        }
    } else {
        value.push_str(leading_break);
        value.push_str(trailing_breaks);
    }
}
