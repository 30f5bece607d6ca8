//! The lossless syntax tree: storage, construction and navigation.
//!
//! Every token and trivia item of the input is a leaf of exactly one node, in source order, so concatenating
//! the leaves gives back the input byte for byte. Nodes live in one arena and their children in another;
//! navigation is by small `Copy` handles ([`Node`], [`TokenRef`]) borrowing the [`SyntaxTree`]. Walks are
//! iterative, so deep trees cannot overflow the stack.

use std::cell::Cell;
use std::fmt;
use std::sync::OnceLock;

use crate::error::Span;
use crate::kind::SyntaxKind;
use crate::lexer::Tokens;

/// A child of a node, packed in 32 bits: a token (index into the token list) or, with the top bit set, a node
/// (index into the node arena). Inputs are limited to 2 GiB, so indices fit in 31 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Child(u32);

/// The top bit of a [`Child`] that marks a node.
const NODE_BIT: u32 = 1 << 31;

/// An unpacked [`Child`].
enum ChildRef {
    Token(u32),
    Node(u32),
}

impl Child {
    fn token(id: u32) -> Child {
        Child(id)
    }

    fn node(id: u32) -> Child {
        Child(id | NODE_BIT)
    }

    fn unpack(self) -> ChildRef {
        if self.0 & NODE_BIT == 0 {
            ChildRef::Token(self.0)
        } else {
            ChildRef::Node(self.0 & !NODE_BIT)
        }
    }
}

/// A node: its kind, its span and where its children start in the edge arena. Nodes are made in order and
/// their children appended to the arena at the same time, so a node's children end where the next node's
/// start (16 bytes a node, which matters as much of the time of a parse goes to touching fresh memory).
#[derive(Clone, Debug)]
struct NodeData {
    kind: SyntaxKind,
    span: Span,
    first_edge: u32,
}

/// Marks "no parent".
const NO_PARENT: u32 = u32::MAX;

/// A parsed file: its text, its tokens and the tree over them.
#[derive(Clone)]
pub struct SyntaxTree {
    text: String,
    tokens: Tokens,
    /// The parents of nodes and tokens, computed on the first [`Node::parent`] or [`TokenRef::parent`] call (few
    /// users need them, and computing them while parsing costs time and memory on every parse).
    parents: OnceLock<Parents>,
    nodes: Vec<NodeData>,
    edges: Vec<Child>,
}

/// The parent of each node and token, by index ([`NO_PARENT`] for the root).
#[derive(Clone)]
struct Parents {
    nodes: Box<[u32]>,
    tokens: Box<[u32]>,
}

impl SyntaxTree {
    /// Gives back the memory reserved beyond what the tree holds (the parse reserves from an
    /// estimate, or reuses a larger tree's buffers): for a tree kept after its parse.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.tokens.shrink_to_fit();
        self.nodes.shrink_to_fit();
        self.edges.shrink_to_fit();
    }
}

impl Drop for SyntaxTree {
    /// Keeps the tree's memory for the next parse on this thread (see [`Spare`]).
    fn drop(&mut self) {
        let spare = Spare {
            text: std::mem::take(&mut self.text),
            tokens: std::mem::take(&mut self.tokens),
            nodes: std::mem::take(&mut self.nodes),
            edges: std::mem::take(&mut self.edges),
        };
        if spare.allocated_bytes() <= MAX_SPARE_TREE {
            // Fails only while the thread is exiting; the memory is then simply freed.
            let _ = SPARE_TREE.try_with(|cell| cell.set(Some(spare)));
        }
    }
}

impl fmt::Debug for SyntaxTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.root().dump())
    }
}

impl SyntaxTree {
    /// The source text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The root node, of kind [`SyntaxKind::Program`].
    pub fn root(&self) -> Node<'_> {
        Node {
            tree: self,
            id: self.nodes.len().saturating_sub(1) as u32,
        }
    }

    /// Every token and trivia item in source order (the leaves of the tree).
    pub fn tokens(&self) -> impl ExactSizeIterator<Item = TokenRef<'_>> + '_ {
        (0..self.tokens.len() as u32).map(|id| TokenRef { tree: self, id })
    }

    /// The innermost node whose span contains `offset` (the root if none is smaller).
    pub fn node_at(&self, offset: u32) -> Node<'_> {
        let mut node = self.root();
        'descend: loop {
            for child in node.child_nodes() {
                let span = child.span();
                if span.start <= offset && offset < span.end {
                    node = child;
                    continue 'descend;
                }
            }
            return node;
        }
    }

    /// The parents of all nodes and tokens, computed once.
    fn parents(&self) -> &Parents {
        self.parents.get_or_init(|| {
            let mut parents = Parents {
                nodes: vec![NO_PARENT; self.nodes.len()].into_boxed_slice(),
                tokens: vec![NO_PARENT; self.tokens.len()].into_boxed_slice(),
            };
            for id in 0..self.nodes.len() as u32 {
                for &child in self.edges_of(id) {
                    match child.unpack() {
                        ChildRef::Token(token) => parents.tokens[token as usize] = id,
                        ChildRef::Node(node) => parents.nodes[node as usize] = id,
                    }
                }
            }
            parents
        })
    }

    /// The children of node `id`.
    fn edges_of(&self, id: u32) -> &[Child] {
        let start = self.nodes[id as usize].first_edge as usize;
        let end = self
            .nodes
            .get(id as usize + 1)
            .map_or(self.edges.len(), |next| next.first_edge as usize);
        &self.edges[start..end]
    }

    fn child(&self, child: Child) -> Element<'_> {
        match child.unpack() {
            ChildRef::Token(id) => Element::Token(TokenRef { tree: self, id }),
            ChildRef::Node(id) => Element::Node(Node { tree: self, id }),
        }
    }
}

/// A node or a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element<'t> {
    /// An inner node.
    Node(Node<'t>),
    /// A token or trivia item.
    Token(TokenRef<'t>),
}

impl<'t> Element<'t> {
    /// The kind of the node or token.
    pub fn kind(self) -> SyntaxKind {
        match self {
            Element::Node(n) => n.kind(),
            Element::Token(t) => t.kind(),
        }
    }

    /// The span of the node or token.
    pub fn span(self) -> Span {
        match self {
            Element::Node(n) => n.span(),
            Element::Token(t) => t.span(),
        }
    }
}

/// A handle to a node of a [`SyntaxTree`].
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t SyntaxTree,
    id: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.id == other.id
    }
}

impl Eq for Node<'_> {}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}@{}..{}",
            self.kind(),
            self.span().start,
            self.span().end
        )
    }
}

impl<'t> Node<'t> {
    fn data(self) -> &'t NodeData {
        &self.tree.nodes[self.id as usize]
    }

    /// The tree this node belongs to.
    pub fn tree(self) -> &'t SyntaxTree {
        self.tree
    }

    /// The node's kind.
    pub fn kind(self) -> SyntaxKind {
        self.data().kind
    }

    /// The bytes from the node's first to its last token (leading and trailing trivia excluded). A node without
    /// tokens (a placeholder for something missing) has an empty span where the missing piece belongs.
    pub fn span(self) -> Span {
        self.data().span
    }

    /// The source text of [`Node::span`].
    pub fn text(self) -> &'t str {
        &self.tree.text[self.span().range()]
    }

    /// The parent node, `None` for the root.
    pub fn parent(self) -> Option<Node<'t>> {
        let parent = self.tree.parents().nodes[self.id as usize];
        (parent != NO_PARENT).then_some(Node {
            tree: self.tree,
            id: parent,
        })
    }

    /// All children in order, trivia included.
    pub fn children(self) -> impl DoubleEndedIterator<Item = Element<'t>> + ExactSizeIterator + 't {
        let tree = self.tree;
        tree.edges_of(self.id).iter().map(move |&c| tree.child(c))
    }

    /// The child nodes in order.
    pub fn child_nodes(self) -> impl DoubleEndedIterator<Item = Node<'t>> + 't {
        self.children().filter_map(|c| match c {
            Element::Node(n) => Some(n),
            Element::Token(_) => None,
        })
    }

    /// The child tokens in order, trivia excluded.
    pub fn child_tokens(self) -> impl DoubleEndedIterator<Item = TokenRef<'t>> + 't {
        self.children().filter_map(|c| match c {
            Element::Token(t) if !t.kind().is_trivia() => Some(t),
            _ => None,
        })
    }

    /// The first child node of the given kind.
    pub fn child_of_kind(self, kind: SyntaxKind) -> Option<Node<'t>> {
        self.child_nodes().find(|n| n.kind() == kind)
    }

    /// The first child token of the given kind.
    pub fn token_of_kind(self, kind: SyntaxKind) -> Option<TokenRef<'t>> {
        self.child_tokens().find(|t| t.kind() == kind)
    }

    /// This node and all nodes below it, in pre-order.
    pub fn descendants(self) -> impl Iterator<Item = Node<'t>> + 't {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.child_nodes().rev());
            Some(node)
        })
    }

    /// All tokens and trivia below this node, in source order.
    pub fn descendant_tokens(self) -> impl Iterator<Item = TokenRef<'t>> + 't {
        let tree = self.tree;
        let mut stack: Vec<Child> = vec![Child::node(self.id)];
        std::iter::from_fn(move || {
            loop {
                match stack.pop()?.unpack() {
                    ChildRef::Token(id) => return Some(TokenRef { tree, id }),
                    ChildRef::Node(id) => stack.extend(tree.edges_of(id).iter().rev()),
                }
            }
        })
    }

    /// The text of all tokens and trivia below this node, concatenated: for the root, the whole input.
    pub fn full_text(self) -> String {
        self.descendant_tokens().map(|t| t.text()).collect()
    }

    /// An indented outline of the subtree (kinds, spans and token texts), for tests and debugging.
    pub fn dump(self) -> String {
        let mut out = String::new();
        let mut stack = vec![(Element::Node(self), 0usize)];
        while let Some((element, depth)) = stack.pop() {
            let indent = "  ".repeat(depth);
            match element {
                Element::Node(node) => {
                    out.push_str(&format!("{indent}{node:?}\n"));
                    stack.extend(node.children().rev().map(|c| (c, depth + 1)));
                }
                Element::Token(token) => out.push_str(&format!("{indent}{token:?}\n")),
            }
        }
        out
    }
}

/// A handle to a token (or trivia item) of a [`SyntaxTree`].
#[derive(Clone, Copy)]
pub struct TokenRef<'t> {
    tree: &'t SyntaxTree,
    id: u32,
}

impl PartialEq for TokenRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.id == other.id
    }
}

impl Eq for TokenRef<'_> {}

impl fmt::Debug for TokenRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}@{}..{} {:?}",
            self.kind(),
            self.span().start,
            self.span().end,
            self.text()
        )
    }
}

impl<'t> TokenRef<'t> {
    /// The token's kind.
    pub fn kind(self) -> SyntaxKind {
        self.tree.tokens.kind(self.id as usize)
    }

    /// The token's bytes.
    pub fn span(self) -> Span {
        self.tree.tokens.span(self.id as usize)
    }

    /// The token's text.
    pub fn text(self) -> &'t str {
        &self.tree.text[self.span().range()]
    }

    /// The node that contains the token.
    pub fn parent(self) -> Node<'t> {
        Node {
            tree: self.tree,
            id: self.tree.parents().tokens[self.id as usize],
        }
    }
}

/// A position in the construction of a tree, to wrap what follows in a node or to roll back to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    stack: u32,
    nodes: u32,
    edges: u32,
    /// The index (into the token list, trivia included) of the next significant token at the time of the mark.
    pub(crate) token: u32,
}

impl Mark {
    /// The stack height at the mark: the position of the first element pushed after it.
    #[inline]
    pub(crate) fn height(self) -> usize {
        self.stack as usize
    }
}

/// The largest builder stack (in entries) kept for the next parse on a thread: 4 MiB.
const MAX_SPARE_STACK: usize = 1 << 20;

/// The most memory (in bytes) of a dropped tree kept for the next parse on a thread: enough for inputs of about
/// a megabyte.
const MAX_SPARE_TREE: usize = 16 << 20;

/// The buffers of a dropped [`SyntaxTree`], kept for the next parse on the same thread.
///
/// A tree of a large file takes over a megabyte, which the allocator gives back to the system when the tree is
/// dropped; a fresh tree then costs a page fault for every 4 KiB it touches, a third of the time of a parse.
/// Parsing one file after another (a lint run, an editor re-parsing as the user types) reuses the memory instead.
#[derive(Default)]
pub(crate) struct Spare {
    text: String,
    /// The token list to lex into.
    pub(crate) tokens: Tokens,
    nodes: Vec<NodeData>,
    edges: Vec<Child>,
}

impl Spare {
    /// The buffers of the last tree dropped on this thread, or new ones; the token list is to be filled by the
    /// lexer, the rest is empty.
    pub(crate) fn take() -> Spare {
        let mut spare = SPARE_TREE
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_default();
        spare.text.clear();
        spare.nodes.clear();
        spare.edges.clear();
        spare
    }

    fn allocated_bytes(&self) -> usize {
        self.text.capacity()
            + self.tokens.allocated_bytes()
            + self.nodes.capacity() * std::mem::size_of::<NodeData>()
            + self.edges.capacity() * std::mem::size_of::<Child>()
    }
}

thread_local! {
    /// The memory of the last tree dropped on this thread.
    static SPARE_TREE: Cell<Option<Spare>> = const { Cell::new(None) };

    /// The builder stack of the last parse on this thread, kept so that the next parse reuses its memory. The
    /// stack is scratch space (it holds the pieces of the nodes not yet finished, all the items of a long array
    /// for example); a fresh one costs regrowth copies and page faults on every parse.
    static SPARE_STACK: Cell<Vec<Child>> = const { Cell::new(Vec::new()) };
}

/// Builds a [`SyntaxTree`] bottom-up: tokens are pushed on a stack and [`Builder::wrap`] turns the top of the
/// stack since a [`Mark`] into a node. Trivia is attached to whatever node is open when the next token or mark
/// comes, so a node's span never starts with trivia.
///
/// Each child is copied once, from the stack to the node's edges, when its node is made; parents are computed
/// when first asked for, so [`Builder::finish`] has no pass over the tree to do.
pub(crate) struct Builder {
    /// The buffer the text goes into.
    text: String,
    /// Every token, trivia included; the last is the end-of-file token.
    tokens: Tokens,
    nodes: Vec<NodeData>,
    edges: Vec<Child>,
    stack: Vec<Child>,
    /// The next token (trivia included) to push.
    raw: usize,
}

impl Builder {
    /// A builder over the tokens of `spare`, building into its memory.
    pub(crate) fn new(spare: Spare) -> Self {
        let Spare {
            text,
            tokens,
            mut nodes,
            mut edges,
        } = spare;
        // Real files have about one node per three tokens, the densest (an array of `{}`) one per two; the
        // vectors are sized for that so that they rarely grow (a regrowth copies them and touches fresh memory).
        let node_count = tokens.len() * 3 / 5 + 16;
        nodes.reserve(node_count);
        edges.reserve(tokens.len() + node_count);
        Builder {
            text,
            tokens,
            nodes,
            edges,
            stack: SPARE_STACK.try_with(Cell::take).unwrap_or_default(),
            raw: 0,
        }
    }

    /// All tokens, trivia included; the last is the end-of-file token.
    #[inline]
    pub(crate) fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// Pushes the trivia before the next significant token.
    #[inline]
    fn flush_trivia(&mut self) {
        while self.tokens.is_trivia(self.raw) {
            self.stack.push(Child::token(self.raw as u32));
            self.raw += 1;
        }
    }

    /// Pushes the next significant token (and the trivia before it); nothing once the end-of-file token is in.
    #[inline]
    pub(crate) fn token(&mut self) {
        self.flush_trivia();
        if self.raw < self.tokens.len() {
            self.stack.push(Child::token(self.raw as u32));
            self.raw += 1;
        }
    }

    /// Pushes the tokens up to token `i` (the trivia before it, then it); nothing if it is already in.
    #[inline]
    pub(crate) fn token_through(&mut self, i: usize) {
        while self.raw <= i && self.raw < self.tokens.len() {
            self.stack.push(Child::token(self.raw as u32));
            self.raw += 1;
        }
    }

    /// The index of the next significant token to push (the token list's length once all are in).
    pub(crate) fn next_token(&self) -> usize {
        let mut next = self.raw;
        while self.tokens.is_trivia(next) {
            next += 1;
        }
        next
    }

    /// The span of node `id`.
    #[inline]
    pub(crate) fn node_span(&self, id: u32) -> Span {
        self.nodes[id as usize].span
    }

    /// The current stack height (to find children again for [`Builder::wrap_range`]).
    #[inline]
    pub(crate) fn height(&self) -> usize {
        self.stack.len()
    }

    /// Marks the current position (pushing pending trivia first).
    #[inline]
    pub(crate) fn mark(&mut self) -> Mark {
        self.flush_trivia();
        Mark {
            stack: self.stack.len() as u32,
            nodes: self.nodes.len() as u32,
            edges: self.edges.len() as u32,
            token: self.raw as u32,
        }
    }

    /// The span of the stack entries `range`, from the first to the last that is not trivia (`None` if all
    /// are).
    #[inline]
    fn span_of_entries(&self, range: std::ops::Range<usize>) -> Option<Span> {
        let mut entries = self.stack[range].iter();
        let first = loop {
            if let Some(span) = self.span_of(*entries.next()?) {
                break span;
            }
        };
        let last = loop {
            match entries.next_back() {
                None => break first,
                Some(&entry) => {
                    if let Some(span) = self.span_of(entry) {
                        break span;
                    }
                }
            }
        };
        Some(first.cover(last))
    }

    /// The span of a stack entry (`None` for trivia).
    #[inline(always)]
    fn span_of(&self, child: Child) -> Option<Span> {
        match child.unpack() {
            ChildRef::Token(id) => {
                (!self.tokens.kind(id as usize).is_trivia()).then(|| self.tokens.span(id as usize))
            }
            ChildRef::Node(id) => Some(self.nodes[id as usize].span),
        }
    }

    /// Makes a node of `kind` and `span` from the stack entries `children`; returns its id (the stack is left
    /// unchanged).
    #[inline]
    fn new_node(&mut self, kind: SyntaxKind, children: std::ops::Range<usize>, span: Span) -> u32 {
        let id = self.nodes.len() as u32;
        let first_edge = self.edges.len() as u32;
        let entries = &self.stack[children];
        self.edges.extend_from_slice(entries);
        self.nodes.push(NodeData {
            kind,
            span,
            first_edge,
        });
        id
    }

    /// Wraps everything pushed since `mark` into a node of `kind`; returns the node's id and span.
    #[inline]
    pub(crate) fn wrap(&mut self, mark: Mark, kind: SyntaxKind) -> (u32, Span) {
        let end = self.stack.len();
        let from = (mark.stack as usize).min(end);
        let span = self.span_of_entries(from..end).unwrap_or_else(|| {
            // An empty node sits where the next token at the mark starts.
            let next = (mark.token as usize).min(self.tokens.len() - 1);
            Span::empty(self.tokens.span(next).start)
        });
        let id = self.new_node(kind, from..end, span);
        self.stack.truncate(from);
        self.stack.push(Child::node(id));
        (id, span)
    }

    /// The stack height of the last element pushed (to wrap it later with [`Builder::wrap_from`]).
    #[inline]
    pub(crate) fn top(&self) -> usize {
        self.stack.len().saturating_sub(1)
    }

    /// Wraps everything from stack height `height` (from [`Builder::top`]) into a node of `kind`.
    pub(crate) fn wrap_from(&mut self, height: usize, kind: SyntaxKind) -> (u32, Span) {
        let end = self.stack.len();
        self.wrap_range(height.min(end)..end, kind)
    }

    /// Wraps the stack entries `range` (heights from [`Builder::height`]) into a node of `kind`, in place.
    pub(crate) fn wrap_range(
        &mut self,
        range: std::ops::Range<usize>,
        kind: SyntaxKind,
    ) -> (u32, Span) {
        let span = self.span_of_entries(range.clone()).unwrap_or_else(|| {
            let offset = self
                .stack
                .get(range.start)
                .and_then(|&c| self.span_of(c))
                .map_or(0, |s| s.start);
            Span::empty(offset)
        });
        let id = self.new_node(kind, range.clone(), span);
        if range.end == self.stack.len() {
            self.stack.truncate(range.start);
            self.stack.push(Child::node(id));
        } else {
            self.stack.splice(range, [Child::node(id)]);
        }
        (id, span)
    }

    /// Inserts an empty node of `kind` at stack height `at`, sitting at byte `offset`.
    pub(crate) fn insert_empty(&mut self, at: usize, kind: SyntaxKind, offset: u32) {
        let id = self.new_node(kind, 0..0, Span::empty(offset));
        self.stack.insert(at, Child::node(id));
    }

    /// Changes the kind of an existing node.
    pub(crate) fn relabel(&mut self, id: u32, kind: SyntaxKind) {
        self.nodes[id as usize].kind = kind;
    }

    /// Forgets everything built since `mark`, including the tokens pushed (they can be pushed again).
    pub(crate) fn rollback(&mut self, mark: Mark) {
        self.stack.truncate(mark.stack as usize);
        self.nodes.truncate(mark.nodes as usize);
        self.edges.truncate(mark.edges as usize);
        self.raw = mark.token as usize;
    }

    /// Finishes the tree: the stack must hold the root node (anything else is wrapped into a root).
    pub(crate) fn finish(mut self, text: &str, root: SyntaxKind) -> SyntaxTree {
        while self.raw < self.tokens.len() {
            self.stack.push(Child::token(self.raw as u32));
            self.raw += 1;
        }
        let single_root = matches!(self.stack.as_slice(), [c] if matches!(c.unpack(), ChildRef::Node(id) if self.nodes[id as usize].kind == root));
        if !single_root {
            let end = self.stack.len();
            self.wrap_range(0..end, root);
        }
        let mut stack = std::mem::take(&mut self.stack);
        if stack.capacity() <= MAX_SPARE_STACK {
            stack.clear();
            // Fails only while the thread is exiting; the memory is then simply freed.
            let _ = SPARE_STACK.try_with(|cell| cell.set(stack));
        }
        self.text.push_str(text);
        // The root must be the last node for `SyntaxTree::root`; it is, as it was created last.
        SyntaxTree {
            text: self.text,
            tokens: self.tokens,
            parents: OnceLock::new(),
            nodes: self.nodes,
            edges: self.edges,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{FileKind, parse_as};

    #[test]
    fn a_shrunk_tree_is_the_same_tree_without_spare_room() {
        // A large tree dropped first leaves its buffers for the next parse on this thread.
        let large = "var a = [\n".to_owned() + &"  'x'\n".repeat(5_000) + "]\n";
        drop(parse_as(&large, FileKind::Bicep));
        let text = "param p string = 'a'\nvar v = p\n";
        let mut parsed = parse_as(text, FileKind::Bicep);
        let before: Vec<(crate::SyntaxKind, String)> = parsed
            .tree
            .tokens()
            .map(|t| (t.kind(), t.text().to_owned()))
            .collect();
        let tree = &parsed.tree;
        assert!(tree.tokens.allocated_bytes() > 5 * tree.tokens.len() + 4 * 16);
        parsed.tree.shrink_to_fit();
        let tree = &parsed.tree;
        assert_eq!(tree.text(), text);
        let after: Vec<(crate::SyntaxKind, String)> = tree
            .tokens()
            .map(|t| (t.kind(), t.text().to_owned()))
            .collect();
        assert_eq!(after, before);
        assert_eq!(tree.text.capacity(), text.len());
        assert_eq!(tree.nodes.capacity(), tree.nodes.len());
        assert_eq!(tree.edges.capacity(), tree.edges.len());
        assert!(tree.tokens.allocated_bytes() <= 5 * tree.tokens.len() + 4);
    }
}
