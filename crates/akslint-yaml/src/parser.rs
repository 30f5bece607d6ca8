//! The parser: the scanner's tokens into events (documents, collections, scalars, aliases), with
//! byte spans, as go-yaml's parser reads them (the YAML 1.1 `%YAML` directive only, go-yaml's
//! error messages).

use akslint_core::ScalarStyle;
use compact_str::CompactString;

use crate::scanner::{Mark, Scanner, SyntaxError, Token, TokenKind};

/// What an event is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(String),
    /// A scalar: its value, how it is written, its anchor and its resolved tag.
    Scalar {
        value: CompactString,
        style: ScalarStyle,
        anchor: Option<String>,
        tag: Option<String>,
    },
    SequenceStart {
        anchor: Option<String>,
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
        flow: bool,
    },
    MappingEnd,
}

/// An event and its bytes: a scalar's own text (quotes and block indicator included, properties
/// not), a collection's first token (`[`, `{`, the first `-` or the first key), a flow
/// collection's closing bracket, a document marker; empty where nothing is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Event {
    pub kind: EventKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

type Parse<T> = Result<T, SyntaxError>;

/// The tag handles every document knows.
const DEFAULT_TAG_DIRECTIVES: [(&str, &str); 2] = [("!", "!"), ("!!", "tag:yaml.org,2002:")];

/// The parser of one stream: an iterator of events, ending after the stream's end or at the first
/// error.
pub(crate) struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    /// Where each open collection started (for error messages).
    marks: Vec<Mark>,
    /// The `%TAG` handles of the current document, and the default ones.
    tag_directives: Vec<(String, String)>,
    done: bool,
}

impl<'a> Parser<'a> {
    /// A parser of `text`, one piece of a file as Kubernetes reads it.
    pub fn new(text: &'a str) -> Parser<'a> {
        Parser {
            scanner: Scanner::new(text),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
            done: false,
        }
    }

    /// The next token, not consumed; a scalar's without its value (which only [`Parser::node`]
    /// takes, with the token itself: never copied).
    fn peek(&mut self) -> Parse<Token> {
        match self.scanner.peek()? {
            Some(Token {
                kind: TokenKind::Scalar { style, .. },
                start,
                end,
            }) => Ok(Token {
                kind: TokenKind::Scalar {
                    value: CompactString::default(),
                    style: *style,
                },
                start: *start,
                end: *end,
            }),
            Some(token) => Ok(token.clone()),
            None => Err(SyntaxError {
                at: 0,
                context: None,
                problem: "found unexpected end of stream".to_owned(),
            }),
        }
    }

    fn skip(&mut self) {
        // The token was peeked, so taking it cannot fail.
        let _ = self.scanner.next_token();
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn event(kind: EventKind, start: Mark, end: Mark) -> Event {
        Event {
            kind,
            start: start.pos,
            end: end.pos,
        }
    }

    fn empty_scalar(mark: Mark) -> Event {
        Parser::event(
            EventKind::Scalar {
                value: CompactString::default(),
                style: ScalarStyle::Plain,
                anchor: None,
                tag: None,
            },
            mark,
            mark,
        )
    }

    fn next_event(&mut self) -> Parse<Event> {
        match self.state {
            State::StreamStart => self.stream_start(),
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => self.document_content(),
            State::DocumentEnd => self.document_end(),
            State::BlockNode => self.node(true, false),
            State::BlockSequenceFirstEntry => self.block_sequence_entry(true),
            State::BlockSequenceEntry => self.block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.block_mapping_key(true),
            State::BlockMappingKey => self.block_mapping_key(false),
            State::BlockMappingValue => self.block_mapping_value(),
            State::FlowSequenceFirstEntry => self.flow_sequence_entry(true),
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => Err(SyntaxError {
                at: 0,
                context: None,
                problem: "no event after the end of the stream".to_owned(),
            }),
        }
    }

    fn stream_start(&mut self) -> Parse<Event> {
        let token = self.peek()?;
        if token.kind != TokenKind::StreamStart {
            return Err(SyntaxError::at(
                token.start,
                "did not find expected <stream-start>",
            ));
        }
        self.state = State::ImplicitDocumentStart;
        self.skip();
        Ok(Parser::event(
            EventKind::StreamStart,
            token.start,
            token.end,
        ))
    }

    fn document_start(&mut self, implicit: bool) -> Parse<Event> {
        let mut token = self.peek()?;
        if !implicit {
            while token.kind == TokenKind::DocumentEnd {
                self.skip();
                token = self.peek()?;
            }
        }
        let directive_or_start = matches!(
            token.kind,
            TokenKind::VersionDirective { .. }
                | TokenKind::TagDirective { .. }
                | TokenKind::DocumentStart
                | TokenKind::StreamEnd
        );
        if implicit && !directive_or_start {
            // A document without `---`: its content starts here.
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Ok(Parser::event(
                EventKind::DocumentStart,
                token.start,
                token.start,
            ));
        }
        if token.kind == TokenKind::StreamEnd {
            self.state = State::End;
            self.skip();
            return Ok(Parser::event(EventKind::StreamEnd, token.start, token.end));
        }
        let start = token.start;
        self.process_directives()?;
        let token = self.peek()?;
        if token.kind != TokenKind::DocumentStart {
            return Err(SyntaxError::at(
                token.start,
                "did not find expected <document start>",
            ));
        }
        self.states.push(State::DocumentEnd);
        self.state = State::DocumentContent;
        self.skip();
        Ok(Parser::event(EventKind::DocumentStart, start, token.end))
    }

    /// Reads the directives before a document, and sets its tag handles.
    fn process_directives(&mut self) -> Parse<()> {
        self.tag_directives.clear();
        let mut version_seen = false;
        loop {
            let token = self.peek()?;
            match token.kind {
                TokenKind::VersionDirective { major, minor } => {
                    if version_seen {
                        return Err(SyntaxError::at(
                            token.start,
                            "found duplicate %YAML directive",
                        ));
                    }
                    if (major, minor) != (1, 1) {
                        return Err(SyntaxError::at(
                            token.start,
                            "found incompatible YAML document",
                        ));
                    }
                    version_seen = true;
                }
                TokenKind::TagDirective { handle, prefix } => {
                    if self.tag_directives.iter().any(|(h, _)| *h == handle) {
                        return Err(SyntaxError::at(
                            token.start,
                            "found duplicate %TAG directive",
                        ));
                    }
                    self.tag_directives.push((handle, prefix));
                }
                _ => break,
            }
            self.skip();
        }
        for (handle, prefix) in DEFAULT_TAG_DIRECTIVES {
            if !self.tag_directives.iter().any(|(h, _)| h == handle) {
                self.tag_directives
                    .push((handle.to_owned(), prefix.to_owned()));
            }
        }
        Ok(())
    }

    fn document_content(&mut self) -> Parse<Event> {
        let token = self.peek()?;
        if matches!(
            token.kind,
            TokenKind::VersionDirective { .. }
                | TokenKind::TagDirective { .. }
                | TokenKind::DocumentStart
                | TokenKind::DocumentEnd
                | TokenKind::StreamEnd
        ) {
            self.pop_state();
            return Ok(Parser::empty_scalar(token.start));
        }
        self.node(true, false)
    }

    fn document_end(&mut self) -> Parse<Event> {
        let token = self.peek()?;
        let mut end = token.start;
        if token.kind == TokenKind::DocumentEnd {
            end = token.end;
            self.skip();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(Parser::event(EventKind::DocumentEnd, token.start, end))
    }

    /// A node: an alias, or a scalar or collection with its anchor and tag (either order).
    fn node(&mut self, block: bool, indentless_sequence: bool) -> Parse<Event> {
        let mut token = self.peek()?;
        if let TokenKind::Alias(name) = token.kind {
            self.pop_state();
            self.skip();
            return Ok(Parser::event(
                EventKind::Alias(name),
                token.start,
                token.end,
            ));
        }
        let start = token.start;
        let mut end = token.start;
        let mut anchor = None;
        let mut tag_token: Option<(String, String, Mark)> = None;
        for _ in 0..2 {
            match &token.kind {
                TokenKind::Anchor(name) if anchor.is_none() => {
                    anchor = Some(name.clone());
                }
                TokenKind::Tag { handle, suffix } if tag_token.is_none() => {
                    tag_token = Some((handle.clone(), suffix.clone(), token.start));
                }
                _ => break,
            }
            end = token.end;
            self.skip();
            token = self.peek()?;
        }
        let tag = match tag_token {
            None => None,
            Some((handle, suffix, _)) if handle.is_empty() => Some(suffix),
            Some((handle, suffix, tag_mark)) => {
                match self.tag_directives.iter().find(|(h, _)| *h == handle) {
                    Some((_, prefix)) => Some(format!("{prefix}{suffix}")),
                    None => {
                        return Err(SyntaxError::within(
                            "while parsing a node",
                            start,
                            tag_mark,
                            "found undefined tag handle",
                        ));
                    }
                }
            }
        };
        match token.kind {
            TokenKind::BlockEntry if indentless_sequence => {
                // A sequence at its parent mapping's indentation: its first `-` starts it.
                self.state = State::IndentlessSequenceEntry;
                Ok(Parser::event(
                    EventKind::SequenceStart {
                        anchor,
                        flow: false,
                    },
                    token.start,
                    token.end,
                ))
            }
            TokenKind::Scalar { style, .. } => {
                self.pop_state();
                // The token was peeked, so taking it cannot fail.
                let value = match self.scanner.next_token() {
                    Ok(Some(Token {
                        kind: TokenKind::Scalar { value, .. },
                        ..
                    })) => value,
                    _ => CompactString::default(),
                };
                Ok(Parser::event(
                    EventKind::Scalar {
                        value,
                        style,
                        anchor,
                        tag,
                    },
                    token.start,
                    token.end,
                ))
            }
            TokenKind::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                Ok(Parser::event(
                    EventKind::SequenceStart { anchor, flow: true },
                    token.start,
                    token.end,
                ))
            }
            TokenKind::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                Ok(Parser::event(
                    EventKind::MappingStart { anchor, flow: true },
                    token.start,
                    token.end,
                ))
            }
            TokenKind::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                Ok(Parser::event(
                    EventKind::SequenceStart {
                        anchor,
                        flow: false,
                    },
                    token.start,
                    token.end,
                ))
            }
            TokenKind::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                Ok(Parser::event(
                    EventKind::MappingStart {
                        anchor,
                        flow: false,
                    },
                    token.start,
                    token.end,
                ))
            }
            _ if anchor.is_some() || tag.is_some() => {
                // Properties without content: an empty scalar, placed after them.
                self.pop_state();
                let mut event = Parser::empty_scalar(end);
                if let EventKind::Scalar {
                    anchor: a, tag: t, ..
                } = &mut event.kind
                {
                    *a = anchor;
                    *t = tag;
                }
                Ok(event)
            }
            _ => {
                let context = if block {
                    "while parsing a block node"
                } else {
                    "while parsing a flow node"
                };
                Err(SyntaxError::within(
                    context,
                    start,
                    token.start,
                    "did not find expected node content",
                ))
            }
        }
    }

    /// Consumes a collection's opening token, remembering where the collection started.
    fn open_collection(&mut self) -> Parse<()> {
        let token = self.peek()?;
        self.marks.push(token.start);
        self.skip();
        Ok(())
    }

    /// Consumes a collection's closing token (the block's end, `]`, `}`): the collection ends
    /// with `kind`, spanning `start..end`, and the parser returns to the enclosing state.
    fn close_collection(&mut self, kind: EventKind, start: Mark, end: Mark) -> Event {
        self.pop_state();
        self.marks.pop();
        self.skip();
        Parser::event(kind, start, end)
    }

    /// After an indicator ending at `after` (`-`, `?`, `:`) is consumed: its node, or an empty
    /// scalar when the next token is one of `empty_before`; the parser goes on with `next`.
    fn node_or_empty(
        &mut self,
        after: Mark,
        empty_before: &[TokenKind],
        next: State,
        indentless_sequence: bool,
    ) -> Parse<Event> {
        let token = self.peek()?;
        if empty_before.contains(&token.kind) {
            self.state = next;
            Ok(Parser::empty_scalar(after))
        } else {
            self.states.push(next);
            self.node(true, indentless_sequence)
        }
    }

    fn context_error(&mut self, context: &'static str, problem: &str, at: Mark) -> SyntaxError {
        let start = self.marks.pop().unwrap_or(at);
        SyntaxError::within(context, start, at, problem)
    }

    fn block_sequence_entry(&mut self, first: bool) -> Parse<Event> {
        if first {
            self.open_collection()?;
        }
        let token = self.peek()?;
        match token.kind {
            TokenKind::BlockEntry => {
                self.skip();
                self.node_or_empty(
                    token.end,
                    &[TokenKind::BlockEntry, TokenKind::BlockEnd],
                    State::BlockSequenceEntry,
                    false,
                )
            }
            TokenKind::BlockEnd => {
                Ok(self.close_collection(EventKind::SequenceEnd, token.start, token.start))
            }
            _ => Err(self.context_error(
                "while parsing a block collection",
                "did not find expected '-' indicator",
                token.start,
            )),
        }
    }

    fn indentless_sequence_entry(&mut self) -> Parse<Event> {
        let token = self.peek()?;
        if token.kind != TokenKind::BlockEntry {
            self.pop_state();
            return Ok(Parser::event(
                EventKind::SequenceEnd,
                token.start,
                token.start,
            ));
        }
        self.skip();
        self.node_or_empty(
            token.end,
            &[
                TokenKind::BlockEntry,
                TokenKind::Key,
                TokenKind::Value,
                TokenKind::BlockEnd,
            ],
            State::IndentlessSequenceEntry,
            false,
        )
    }

    fn block_mapping_key(&mut self, first: bool) -> Parse<Event> {
        if first {
            self.open_collection()?;
        }
        let token = self.peek()?;
        match token.kind {
            TokenKind::Key => {
                self.skip();
                self.node_or_empty(
                    token.end,
                    &[TokenKind::Key, TokenKind::Value, TokenKind::BlockEnd],
                    State::BlockMappingValue,
                    true,
                )
            }
            TokenKind::BlockEnd => {
                Ok(self.close_collection(EventKind::MappingEnd, token.start, token.start))
            }
            _ => Err(self.context_error(
                "while parsing a block mapping",
                "did not find expected key",
                token.start,
            )),
        }
    }

    fn block_mapping_value(&mut self) -> Parse<Event> {
        let token = self.peek()?;
        if token.kind != TokenKind::Value {
            self.state = State::BlockMappingKey;
            return Ok(Parser::empty_scalar(token.start));
        }
        self.skip();
        self.node_or_empty(
            token.end,
            &[TokenKind::Key, TokenKind::Value, TokenKind::BlockEnd],
            State::BlockMappingKey,
            true,
        )
    }

    /// The next item of a flow collection: after its opening bracket (`first`), or after the
    /// `,` that must follow the previous item unless the collection ends (`end`).
    fn next_flow_item(
        &mut self,
        first: bool,
        end: TokenKind,
        context: &'static str,
        problem: &'static str,
    ) -> Parse<Token> {
        if first {
            self.open_collection()?;
        }
        let token = self.peek()?;
        if first || token.kind == end {
            return Ok(token);
        }
        if token.kind != TokenKind::FlowEntry {
            return Err(self.context_error(context, problem, token.start));
        }
        self.skip();
        self.peek()
    }

    /// The value of a pair in a flow collection, after its key: a node after `:`, else empty;
    /// then `next`.
    fn flow_pair_value(&mut self, end: TokenKind, next: State) -> Parse<Event> {
        let token = self.peek()?;
        self.state = next;
        if token.kind != TokenKind::Value {
            return Ok(Parser::empty_scalar(token.start));
        }
        self.skip();
        let after = self.peek()?;
        if after.kind == TokenKind::FlowEntry || after.kind == end {
            return Ok(Parser::empty_scalar(after.start));
        }
        self.states.push(next);
        self.node(false, false)
    }

    fn flow_sequence_entry(&mut self, first: bool) -> Parse<Event> {
        let token = self.next_flow_item(
            first,
            TokenKind::FlowSequenceEnd,
            "while parsing a flow sequence",
            "did not find expected ',' or ']'",
        )?;
        if token.kind != TokenKind::FlowSequenceEnd {
            if token.kind == TokenKind::Key {
                // `[a: b]`: a single-pair mapping inside the sequence.
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip();
                return Ok(Parser::event(
                    EventKind::MappingStart {
                        anchor: None,
                        flow: true,
                    },
                    token.start,
                    token.end,
                ));
            }
            if token.kind != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.node(false, false);
            }
        }
        Ok(self.close_collection(EventKind::SequenceEnd, token.start, token.end))
    }

    fn flow_sequence_entry_mapping_key(&mut self) -> Parse<Event> {
        let token = self.peek()?;
        if !matches!(
            token.kind,
            TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowSequenceEnd
        ) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.node(false, false);
        }
        self.skip();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(Parser::empty_scalar(token.end))
    }

    fn flow_sequence_entry_mapping_value(&mut self) -> Parse<Event> {
        self.flow_pair_value(
            TokenKind::FlowSequenceEnd,
            State::FlowSequenceEntryMappingEnd,
        )
    }

    fn flow_sequence_entry_mapping_end(&mut self) -> Parse<Event> {
        let token = self.peek()?;
        self.state = State::FlowSequenceEntry;
        Ok(Parser::event(
            EventKind::MappingEnd,
            token.start,
            token.start,
        ))
    }

    fn flow_mapping_key(&mut self, first: bool) -> Parse<Event> {
        let token = self.next_flow_item(
            first,
            TokenKind::FlowMappingEnd,
            "while parsing a flow mapping",
            "did not find expected ',' or '}'",
        )?;
        if token.kind != TokenKind::FlowMappingEnd {
            if token.kind == TokenKind::Key {
                self.skip();
                let next = self.peek()?;
                if matches!(
                    next.kind,
                    TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowMappingEnd
                ) {
                    self.state = State::FlowMappingValue;
                    return Ok(Parser::empty_scalar(next.start));
                }
                self.states.push(State::FlowMappingValue);
                return self.node(false, false);
            }
            if token.kind != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.node(false, false);
            }
        }
        Ok(self.close_collection(EventKind::MappingEnd, token.start, token.end))
    }

    fn flow_mapping_value(&mut self, empty: bool) -> Parse<Event> {
        if empty {
            let token = self.peek()?;
            self.state = State::FlowMappingKey;
            return Ok(Parser::empty_scalar(token.start));
        }
        self.flow_pair_value(TokenKind::FlowMappingEnd, State::FlowMappingKey)
    }
}

impl Iterator for Parser<'_> {
    type Item = Result<Event, SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let event = self.next_event();
        if event
            .as_ref()
            .map_or(true, |e| e.kind == EventKind::StreamEnd)
        {
            self.done = true;
        }
        Some(event)
    }
}
