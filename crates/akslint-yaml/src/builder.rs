//! Building akslint's [`Tree`] from saphyr-parser events, one chunk of the stream at a time.
//!
//! The builder is iterative (an explicit stack of open collections), so neither building nor
//! dropping a tree recurses. It enforces the nesting limit as collections open, resolves aliases
//! by reference to their anchor's node while counting the nodes they would expand to, and
//! rejects aliases to a collection that is still open (which would make the tree a cycle).

use std::collections::HashMap;

use akslint_core::{
    Document, Entry, Limits, NodeId, NodeKind, ParseProblem, ParseProblemKind, Scalar, ScalarStyle,
    SharedSource, Span, Tree,
};
use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, ScanError, Span as SaphyrSpan};

use crate::chunks::Chunk;
use crate::offsets::CharOffsets;

/// What parsing one chunk produced.
#[derive(Default)]
pub struct ChunkResult {
    /// Documents that parsed and passed the limits.
    pub documents: Vec<Document>,
    /// Syntax errors, limit hits and duplicate keys.
    pub problems: Vec<ParseProblem>,
    /// Byte ranges of quoted and block scalar content, where `#` does not start a comment.
    pub scalar_ranges: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Collection {
    Mapping,
    Sequence,
}

/// An open collection; its children so far are `DocumentState::children[first_child..]`.
struct Frame {
    node: NodeId,
    kind: Collection,
    first_child: usize,
}

/// Mappings up to this size are checked for duplicate keys by comparing pairs, without hashing.
const SMALL_MAPPING: usize = 16;

/// Why the current document is being skipped.
enum Skip {
    /// Keep consuming events to the end of the document, then drop it.
    Document,
}

/// Parses one chunk of a file.
pub fn parse_chunk(file: &SharedSource, chunk: Chunk, limits: &Limits) -> ChunkResult {
    let text = &file.text()[chunk.start..chunk.end];
    let mut builder = Builder {
        text: file.text(),
        chunk,
        offsets: CharOffsets::new(text),
        limits,
        result: ChunkResult::default(),
        doc: DocumentState::new(chunk.start),
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => break,
            Some(Ok((event, span))) => {
                if builder.event(event, span).is_err() {
                    break;
                }
            }
            Some(Err(error)) => {
                builder.syntax_error(&error);
                break;
            }
        }
    }
    builder.result
}

/// The document being built.
struct DocumentState {
    tree: Tree,
    stack: Vec<Frame>,
    children: Vec<NodeId>,
    anchors: HashMap<usize, NodeId>,
    expanded: Vec<u64>,
    through_aliases: u64,
    root: Option<NodeId>,
    start: usize,
    skip: Option<Skip>,
}

impl DocumentState {
    fn new(start: usize) -> DocumentState {
        DocumentState {
            tree: Tree::new(),
            stack: Vec::new(),
            children: Vec::new(),
            anchors: HashMap::new(),
            expanded: Vec::new(),
            through_aliases: 0,
            root: None,
            start,
            skip: None,
        }
    }
}

/// Stops the chunk: a limit was hit that makes parsing further unsafe.
struct StopChunk;

struct Builder<'a> {
    text: &'a str,
    chunk: Chunk,
    offsets: CharOffsets<'a>,
    limits: &'a Limits,
    result: ChunkResult,
    doc: DocumentState,
}

impl Builder<'_> {
    /// The file byte offset of a saphyr character index.
    fn byte(&self, index: usize) -> usize {
        self.chunk.start + self.offsets.byte(index)
    }

    fn span_of(&self, span: &SaphyrSpan) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }

    fn event(&mut self, event: Event<'_>, span: SaphyrSpan) -> Result<(), StopChunk> {
        let span = self.span_of(&span);
        if matches!(event, Event::DocumentEnd) {
            self.end_document(span.end as usize);
            return Ok(());
        }
        if self.doc.skip.is_some() {
            return Ok(());
        }
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let explicit = tag
                    .as_ref()
                    .filter(|t| t.is_yaml_core_schema())
                    .map(|t| t.suffix.clone());
                let (style, node_span) = self.scalar_span(style, span);
                let scalar = Scalar::new(value.into_owned(), style, explicit.as_deref());
                let node = self.push(NodeKind::Scalar(scalar), node_span, 1);
                self.register_anchor(anchor, node);
                self.attach(node);
            }
            Event::SequenceStart(anchor, _) => self.open(Collection::Sequence, anchor, span)?,
            Event::MappingStart(anchor, _) => self.open(Collection::Mapping, anchor, span)?,
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(anchor) => self.alias(anchor, span),
            Event::DocumentStart(_) => {
                if self.doc.tree.is_empty() {
                    self.doc.start = self.doc.start.min(span.start as usize);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn push(&mut self, kind: NodeKind, span: Span, expanded: u64) -> NodeId {
        self.doc.expanded.push(expanded);
        self.doc.tree.push(kind, span)
    }

    fn register_anchor(&mut self, anchor: usize, node: NodeId) {
        if anchor != 0 {
            self.doc.anchors.insert(anchor, node);
        }
    }

    fn attach(&mut self, node: NodeId) {
        if self.doc.stack.is_empty() {
            self.doc.root = Some(node);
        } else {
            self.doc.children.push(node);
        }
    }

    fn open(&mut self, kind: Collection, anchor: usize, span: Span) -> Result<(), StopChunk> {
        if self.doc.stack.len() >= self.limits.max_depth {
            self.too_deep(span.start as usize);
            return Err(StopChunk);
        }
        let placeholder = match kind {
            Collection::Mapping => NodeKind::Mapping(Vec::new()),
            Collection::Sequence => NodeKind::Sequence(Vec::new()),
        };
        let node = self.push(placeholder, span, 1);
        self.register_anchor(anchor, node);
        self.doc.stack.push(Frame {
            node,
            kind,
            first_child: self.doc.children.len(),
        });
        Ok(())
    }

    fn too_deep(&mut self, at: usize) {
        let end = self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        self.result.problems.push(ParseProblem::new(
            ParseProblemKind::TooDeep,
            Span::new(at, end),
            format!(
                "this document nests deeper than {} levels; akslint stopped here and skipped the document (raise `limits.max-depth` in akslint.yaml if it is legitimate)",
                self.limits.max_depth
            ),
        ));
    }

    fn close(&mut self, end_span: Span) {
        let Some(frame) = self.doc.stack.pop() else {
            return;
        };
        let children: Vec<NodeId> = self.doc.children.drain(frame.first_child..).collect();
        let tree = &self.doc.tree;
        let start_span = tree.span(frame.node);
        let is_flow = !end_span.is_empty();
        let mut start = start_span.start as usize;
        if !is_flow && frame.kind == Collection::Sequence {
            // Block sequences start at their first `-`, which saphyr places after.
            let before = self.text[..start].trim_end_matches(' ');
            if before.ends_with('-') {
                start = before.len() - 1;
            }
        }
        let end = if is_flow {
            end_span.end as usize
        } else {
            children
                .iter()
                .map(|&c| tree.span(c).end as usize)
                .max()
                .unwrap_or(start)
                .max(start)
        };
        let expanded = children.iter().fold(1u64, |sum, &c| {
            sum.saturating_add(self.doc.expanded[c.index()])
        });
        let kind = match frame.kind {
            Collection::Sequence => NodeKind::Sequence(children),
            Collection::Mapping => {
                let entries: Vec<Entry> = children
                    .chunks_exact(2)
                    .map(|pair| Entry {
                        key: pair[0],
                        value: pair[1],
                    })
                    .collect();
                self.report_duplicate_keys(&entries);
                NodeKind::Mapping(entries)
            }
        };
        let node = self.doc.tree.node_mut(frame.node);
        node.kind = kind;
        node.span = Span::new(start, end);
        self.doc.expanded[frame.node.index()] = expanded;
        self.attach(frame.node);
    }

    fn report_duplicate_keys(&mut self, entries: &[Entry]) {
        if entries.len() < 2 {
            return;
        }
        let tree = &self.doc.tree;
        let key_text = |entry: &Entry| {
            tree.scalar(entry.key)
                .map(|s| s.text.as_str())
                .filter(|k| *k != "<<")
        };
        let mut duplicates: Vec<(NodeId, NodeId)> = Vec::new();
        if entries.len() <= SMALL_MAPPING {
            for (i, entry) in entries.iter().enumerate().skip(1) {
                let Some(key) = key_text(entry) else { continue };
                if let Some(first) = entries[..i].iter().find(|e| key_text(e) == Some(key)) {
                    duplicates.push((entry.key, first.key));
                }
            }
        } else {
            let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(entries.len());
            for entry in entries {
                let Some(key) = key_text(entry) else { continue };
                match seen.get(key) {
                    Some(&first) => duplicates.push((entry.key, first)),
                    None => {
                        seen.insert(key, entry.key);
                    }
                }
            }
        }
        for (duplicate, first) in duplicates {
            let key = tree.scalar(duplicate).map_or("", |s| s.text.as_str());
            let problem = ParseProblem::new(
                ParseProblemKind::DuplicateKey,
                tree.span(duplicate),
                format!("the key `{key}` is already set in this mapping; kubectl rejects the document, and tools disagree on which value wins"),
            )
            .with_help("keep one of the entries")
            .with_related(tree.span(first), "first set here");
            self.result.problems.push(problem);
        }
    }

    fn alias(&mut self, anchor: usize, span: Span) {
        let Some(&target) = self.doc.anchors.get(&anchor) else {
            return;
        };
        if self.doc.stack.iter().any(|frame| frame.node == target) {
            self.reject_document(span, "this alias refers to the collection it is inside of, which would make the document infinite".to_owned());
            return;
        }
        let expanded = self.doc.expanded[target.index()];
        self.doc.through_aliases = self.doc.through_aliases.saturating_add(expanded);
        if self.doc.through_aliases > self.limits.max_alias_expansion as u64 {
            let message = format!(
                "the aliases of this document expand to more than {} nodes (a \"billion laughs\" pattern); akslint skipped the document (raise `limits.max-alias-expansion` in akslint.yaml if it is legitimate)",
                self.limits.max_alias_expansion
            );
            self.reject_document(span, message);
            return;
        }
        let node = self.push(NodeKind::Alias(target), span, expanded);
        self.attach(node);
    }

    fn reject_document(&mut self, span: Span, message: String) {
        self.result.problems.push(ParseProblem::new(
            ParseProblemKind::AliasExpansion,
            span,
            message,
        ));
        self.doc.skip = Some(Skip::Document);
    }

    fn end_document(&mut self, end: usize) {
        let next_start = end.max(self.doc.start);
        let finished = std::mem::replace(&mut self.doc, DocumentState::new(next_start));
        if finished.skip.is_some() {
            return;
        }
        let content_end = finished
            .root
            .map_or(0, |r| finished.tree.span(r).end as usize);
        self.result.documents.push(Document {
            root: finished.root,
            span: Span::new(finished.start, end.max(content_end).max(finished.start)),
            tree: finished.tree,
            helm_source: None,
        });
    }

    fn syntax_error(&mut self, error: &ScanError) {
        let at = self.byte(error.marker().index());
        let info = error.info();
        if info.contains("recursion limit") {
            // saphyr-parser's own cap on flow nesting, when the configured limit is higher.
            self.too_deep(at);
            return;
        }
        let end = self.text[at..self.chunk.end]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let hint = if info.contains("tab") {
            "; YAML does not allow tabs for indentation, indent with spaces"
        } else if info.contains("mapping values are not allowed") {
            "; a `: ` inside a plain value starts a mapping: quote the value, or check the indentation"
        } else if info.contains("quoted scalar") {
            "; the quoted string is not closed"
        } else if info.contains("indentation") || info.contains("did not find expected") {
            "; check the indentation of this line and the lines above"
        } else {
            ""
        };
        self.result.problems.push(
            ParseProblem::new(
                ParseProblemKind::Syntax,
                Span::new(at, end),
                format!("YAML syntax error: {info}{hint}"),
            )
            .with_help("fix the syntax here; the other documents of the file are still checked"),
        );
        // Whatever was completed before the error stays; the broken document is dropped.
        self.doc = DocumentState::new(at);
    }

    /// The node span and style of a scalar, and records where `#` is content rather than a comment.
    fn scalar_span(&mut self, style: SaphyrStyle, raw: Span) -> (ScalarStyle, Span) {
        match style {
            SaphyrStyle::Plain => (ScalarStyle::Plain, raw),
            SaphyrStyle::SingleQuoted | SaphyrStyle::DoubleQuoted => {
                let (quote, ours) = if style == SaphyrStyle::SingleQuoted {
                    ('\'', ScalarStyle::SingleQuoted)
                } else {
                    ('"', ScalarStyle::DoubleQuoted)
                };
                let span = quoted_span(self.text, raw.start as usize, self.chunk.end, quote)
                    .unwrap_or(raw);
                self.result
                    .scalar_ranges
                    .push((span.start as usize, span.end as usize));
                (ours, span)
            }
            SaphyrStyle::Literal | SaphyrStyle::Folded => {
                let ours = if style == SaphyrStyle::Literal {
                    ScalarStyle::Literal
                } else {
                    ScalarStyle::Folded
                };
                match block_span(self.text, raw) {
                    Some((span, content_start)) => {
                        self.result
                            .scalar_ranges
                            .push((content_start, raw.end as usize));
                        (ours, span)
                    }
                    None => (ours, raw),
                }
            }
        }
    }
}

/// The span of a quoted scalar from its opening quote (at or after `from`) to its closing quote.
fn quoted_span(text: &str, from: usize, limit: usize, quote: char) -> Option<Span> {
    let open = from + text[from..limit].find(quote)?;
    let bytes = text.as_bytes();
    let mut i = open + 1;
    while i < limit {
        match bytes[i] {
            b'\\' if quote == '"' => i += 2,
            b'\'' if quote == '\'' => {
                if bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return Some(Span::new(open, i + 1));
                }
            }
            b'"' if quote == '"' => return Some(Span::new(open, i + 1)),
            _ => i += 1,
        }
    }
    None
}

/// The span of a block scalar from its `|`/`>` indicator to its last content character, and the
/// offset where its content lines start.
///
/// saphyr's span starts at the content (or at an anchor or tag before the indicator) and ends
/// after the trailing line breaks; the indicator is the last `|` or `>` of the header line,
/// before any comment and after which only chomping and indentation indicators follow.
fn block_span(text: &str, raw: Span) -> Option<(Span, usize)> {
    let raw_start = raw.start as usize;
    let line_start = |offset: usize| text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |offset: usize| text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    // The header is the marker's own line when the indicator follows the marker there, else the
    // first non-blank line above.
    let mut header = line_start(raw_start);
    let starts_with_properties = text[raw_start..].starts_with(['&', '!']);
    let on_marker_line = starts_with_properties
        .then(|| header_indicator(text, raw_start, line_end(raw_start)))
        .flatten();
    let indicator = match on_marker_line {
        Some(found) => found,
        None => {
            loop {
                if header == 0 {
                    return None;
                }
                header = line_start(header - 1);
                if !text[header..line_end(header)].trim().is_empty() {
                    break;
                }
            }
            header_indicator(text, header, line_end(header))?
        }
    };
    let content_start = (line_end(indicator) + 1).min(text.len());
    let trimmed_end = indicator
        + text[indicator..(raw.end as usize).max(indicator)]
            .trim_end()
            .len();
    Some((
        Span::new(indicator, trimmed_end.max(indicator + 1)),
        content_start,
    ))
}

/// The offset of a block scalar indicator in `text[from..to]`: the last `|` or `>` before any
/// comment, followed only by chomping/indentation indicators and spaces.
fn header_indicator(text: &str, from: usize, to: usize) -> Option<usize> {
    let line = &text[from..to];
    let code_end = line
        .match_indices('#')
        .find(|(i, _)| *i == 0 || line[..*i].ends_with([' ', '\t']))
        .map_or(line.len(), |(i, _)| i);
    let code = line[..code_end].trim_end_matches(|c: char| {
        c.is_ascii_whitespace() || c == '-' || c == '+' || c.is_ascii_digit()
    });
    (code.ends_with(['|', '>'])).then(|| from + code.len() - 1)
}
