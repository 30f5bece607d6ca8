//! Building akslint's [`Tree`] from the parser's events, one chunk of the stream at a time.
//!
//! The builder is iterative (an explicit stack of open collections), so neither building nor
//! dropping a tree recurses. It enforces the nesting limit as collections open, resolves aliases
//! by reference to their anchor's node while counting the nodes they would expand to, and
//! rejects aliases to a collection that is still open (which would make the tree a cycle).

use std::collections::HashMap;

use crate::chunks::Chunk;
use crate::parser::{Event, EventKind, Parser};
use crate::scanner::SyntaxError;
use akslint_core::{
    Document, Entry, Limits, NodeId, NodeKind, ParseProblem, ParseProblemKind, Scalar, ScalarStyle,
    SharedSource, Span, Tree,
};

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
    /// Written in flow style (`[…]`, `{…}`), so it ends at its closing bracket.
    flow: bool,
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
    let text = &file.text()[chunk.body..chunk.end];
    let mut builder = Builder {
        text: file.text(),
        chunk,
        limits,
        result: ChunkResult::default(),
        doc: DocumentState::new(chunk.start),
    };
    for event in Parser::new(text) {
        match event {
            Ok(Event {
                kind: EventKind::StreamEnd,
                ..
            }) => break,
            Ok(event) => {
                let span = Span::new(chunk.body + event.start, chunk.body + event.end);
                let document_end = event.kind == EventKind::DocumentEnd;
                if builder.event(event.kind, span).is_err() || document_end {
                    // Kubernetes decodes the first document of each piece and reads no further.
                    break;
                }
            }
            Err(error) => {
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
    anchors: HashMap<String, NodeId>,
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
    limits: &'a Limits,
    result: ChunkResult,
    doc: DocumentState,
}

impl Builder<'_> {
    fn event(&mut self, event: EventKind, span: Span) -> Result<(), StopChunk> {
        if matches!(event, EventKind::DocumentEnd) {
            self.end_document(span.end as usize);
            return Ok(());
        }
        if self.doc.skip.is_some() {
            return Ok(());
        }
        match event {
            EventKind::Scalar {
                value,
                style,
                anchor,
                tag,
            } => {
                let explicit = tag.as_deref().and_then(|tag| match tag {
                    // The non-specific tag makes a plain scalar a string.
                    "!" => Some("str"),
                    _ => tag.strip_prefix("tag:yaml.org,2002:"),
                });
                self.record_scalar_range(style, span);
                let scalar = Scalar::new(value, style, explicit);
                let node = self.push(NodeKind::Scalar(scalar), span, 1);
                self.register_anchor(anchor, node);
                self.attach(node);
            }
            EventKind::SequenceStart { anchor, flow } => {
                self.open(Collection::Sequence, flow, anchor, span)?
            }
            EventKind::MappingStart { anchor, flow } => {
                self.open(Collection::Mapping, flow, anchor, span)?
            }
            EventKind::SequenceEnd | EventKind::MappingEnd => self.close(span),
            EventKind::Alias(anchor) => self.alias(&anchor, span),
            EventKind::DocumentStart => {
                if self.doc.tree.is_empty() {
                    self.doc.start = self.doc.start.min(span.start as usize);
                }
            }
            EventKind::StreamStart | EventKind::StreamEnd | EventKind::DocumentEnd => {}
        }
        Ok(())
    }

    /// Records where `#` is content rather than a comment: inside a quoted scalar, and in a block
    /// scalar's lines after its header.
    fn record_scalar_range(&mut self, style: ScalarStyle, span: Span) {
        let (start, end) = (span.start as usize, span.end as usize);
        match style {
            ScalarStyle::Plain => {}
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                self.result.scalar_ranges.push((start, end));
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let content = self.text[start..end]
                    .find('\n')
                    .map_or(end, |i| start + i + 1);
                self.result.scalar_ranges.push((content, end));
            }
        }
    }

    fn push(&mut self, kind: NodeKind, span: Span, expanded: u64) -> NodeId {
        self.doc.expanded.push(expanded);
        self.doc.tree.push(kind, span)
    }

    fn register_anchor(&mut self, anchor: Option<String>, node: NodeId) {
        if let Some(anchor) = anchor {
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

    fn open(
        &mut self,
        kind: Collection,
        flow: bool,
        anchor: Option<String>,
        span: Span,
    ) -> Result<(), StopChunk> {
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
            flow,
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
        let children = &self.doc.children[frame.first_child..];
        let tree = &self.doc.tree;
        let start = tree.span(frame.node).start as usize;
        let end = if frame.flow {
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
        // One allocation per collection: its children are taken from the shared stack.
        let kind = match frame.kind {
            Collection::Sequence => NodeKind::Sequence(children.to_vec()),
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
        self.doc.children.truncate(frame.first_child);
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

    fn alias(&mut self, anchor: &str, span: Span) {
        let Some(&target) = self.doc.anchors.get(anchor) else {
            // Kubernetes refuses the document, so the document is dropped as broken.
            self.syntax_error(&SyntaxError {
                at: span.start as usize - self.chunk.body,
                context: None,
                problem: format!("unknown anchor '{anchor}' referenced"),
            });
            self.doc.skip = Some(Skip::Document);
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

    fn syntax_error(&mut self, error: &SyntaxError) {
        let problem = error.problem.as_str();
        let unclosed = problem.contains("unexpected end of stream")
            && error
                .context
                .is_some_and(|(what, _)| what.contains("quoted scalar"));
        // An unclosed quote is shown where it opens, not at the end of the file.
        let at = match error.context {
            Some((_, from)) if unclosed => from,
            _ => error.at,
        };
        let at = (self.chunk.body + at).min(self.chunk.end);
        let end = self.text[at..self.chunk.end]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let hint = if problem.contains("tab") || self.text[at..].starts_with('\t') {
            "; YAML does not allow tabs for indentation, indent with spaces"
        } else if problem.contains("mapping values are not allowed") {
            "; a `: ` inside a plain value starts a mapping: quote the value, or check the indentation"
        } else if unclosed {
            "; the quoted string is not closed"
        } else if problem.contains("control characters") {
            "; remove the character, or write it as an escape in a double-quoted string"
        } else if problem.contains("incompatible YAML document") {
            "; Kubernetes reads YAML 1.1 documents only: remove the `%YAML` line"
        } else if problem.contains("expected <document start>") {
            "; Kubernetes cuts files at `---` lines, so a directive (`%YAML`, `%TAG`) or content after `...` is left in a piece of its own: remove it"
        } else if problem.contains("indentation")
            || problem.contains("did not find expected")
            || problem.contains("could not find expected")
        {
            "; check the indentation of this line and the lines above"
        } else {
            ""
        };
        let context = error.context.map_or_else(String::new, |(what, from)| {
            let line = self
                .text
                .get(..self.chunk.body + from)
                .map_or(0, |before| before.matches('\n').count())
                + 1;
            format!(" ({what} from line {line})")
        });
        self.result.problems.push(
            ParseProblem::new(
                ParseProblemKind::Syntax,
                Span::new(at, end),
                format!("YAML syntax error: {problem}{hint}{context}"),
            )
            .with_help("fix the syntax here; the other documents of the file are still checked"),
        );
        // Whatever was completed before the error stays; the broken document is dropped.
        self.doc = DocumentState::new(at);
    }
}
