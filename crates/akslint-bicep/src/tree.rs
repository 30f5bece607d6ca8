//! The lossless syntax tree: storage, construction and navigation.
//!
//! Every token and trivia item of the input is a leaf of exactly one node, in source order, so concatenating
//! the leaves gives back the input byte for byte. Nodes live in one arena and their children in another;
//! navigation is by small `Copy` handles ([`Node`], [`TokenRef`]) borrowing the [`SyntaxTree`]. Walks are
//! iterative, so deep trees cannot overflow the stack.

use std::fmt;

use crate::error::Span;
use crate::kind::SyntaxKind;
use crate::lexer::Token;

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

#[derive(Clone, Debug)]
struct NodeData {
    kind: SyntaxKind,
    span: Span,
    first_edge: u32,
    edge_count: u32,
    parent: u32,
}

/// Marks "no parent".
const NO_PARENT: u32 = u32::MAX;

/// A parsed file: its text, its tokens and the tree over them.
#[derive(Clone)]
pub struct SyntaxTree {
    text: String,
    tokens: Vec<Token>,
    token_parents: Vec<u32>,
    nodes: Vec<NodeData>,
    edges: Vec<Child>,
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
        let parent = self.data().parent;
        (parent != NO_PARENT).then_some(Node {
            tree: self.tree,
            id: parent,
        })
    }

    /// All children in order, trivia included.
    pub fn children(self) -> impl DoubleEndedIterator<Item = Element<'t>> + ExactSizeIterator + 't {
        let data = self.data();
        let tree = self.tree;
        let start = data.first_edge as usize;
        tree.edges[start..start + data.edge_count as usize]
            .iter()
            .map(move |&c| tree.child(c))
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
                    ChildRef::Node(id) => {
                        let data = &tree.nodes[id as usize];
                        let start = data.first_edge as usize;
                        stack.extend(
                            tree.edges[start..start + data.edge_count as usize]
                                .iter()
                                .rev(),
                        );
                    }
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
        self.tree.tokens[self.id as usize].kind
    }

    /// The token's bytes.
    pub fn span(self) -> Span {
        self.tree.tokens[self.id as usize].span
    }

    /// The token's text.
    pub fn text(self) -> &'t str {
        &self.tree.text[self.span().range()]
    }

    /// The node that contains the token.
    pub fn parent(self) -> Node<'t> {
        Node {
            tree: self.tree,
            id: self.tree.token_parents[self.id as usize],
        }
    }
}

/// A position in the construction of a tree, to wrap what follows in a node or to roll back to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    stack: u32,
    nodes: u32,
    edges: u32,
    raw: u32,
    /// The index of the next significant token at the time of the mark.
    pub(crate) sig: u32,
}

impl Mark {
    /// The stack height at the mark: the position of the first element pushed after it.
    #[inline]
    pub(crate) fn height(self) -> usize {
        self.stack as usize
    }
}

/// Builds a [`SyntaxTree`] bottom-up: tokens are pushed on a stack and [`Builder::wrap`] turns the top of the
/// stack since a [`Mark`] into a node. Trivia is attached to whatever node is open when the next token or mark
/// comes, so a node's span never starts with trivia.
pub(crate) struct Builder {
    tokens: Vec<Token>,
    /// Indices (into `tokens`) of the significant tokens; the last is the end-of-file token.
    sig: Vec<u32>,
    nodes: Vec<NodeData>,
    edges: Vec<Child>,
    stack: Vec<Child>,
    /// The next token (trivia included) to push.
    raw: usize,
    /// The next significant token to push.
    emitted: usize,
}

impl Builder {
    pub(crate) fn new(tokens: Vec<Token>) -> Self {
        let sig: Vec<u32> = (0..tokens.len() as u32)
            .filter(|&i| !tokens[i as usize].kind.is_trivia())
            .collect();
        let capacity = sig.len();
        let edges = Vec::with_capacity(tokens.len() + capacity / 2);
        Builder {
            tokens,
            sig,
            nodes: Vec::with_capacity(capacity / 2),
            edges,
            stack: Vec::with_capacity(64),
            raw: 0,
            emitted: 0,
        }
    }

    /// The significant tokens (indices into [`Builder::raw_tokens`]).
    pub(crate) fn significant(&self) -> &[u32] {
        &self.sig
    }

    /// All tokens, trivia included.
    pub(crate) fn raw_tokens(&self) -> &[Token] {
        &self.tokens
    }

    #[inline]
    fn flush_trivia(&mut self) {
        let until = self.sig[self.emitted.min(self.sig.len() - 1)] as usize;
        while self.raw < until {
            self.stack.push(Child::token(self.raw as u32));
            self.raw += 1;
        }
    }

    /// Pushes the next significant token (and the trivia before it).
    #[inline]
    pub(crate) fn token(&mut self) {
        self.flush_trivia();
        if let Some(&id) = self.sig.get(self.emitted) {
            self.stack.push(Child::token(id));
            self.raw = id as usize + 1;
            self.emitted += 1;
        }
    }

    /// The index of the next significant token to push.
    #[inline]
    pub(crate) fn emitted(&self) -> usize {
        self.emitted
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
            raw: self.raw as u32,
            sig: self.emitted as u32,
        }
    }

    #[inline]
    fn span_of(&self, child: Child) -> Option<Span> {
        match child.unpack() {
            ChildRef::Token(id) => {
                let token = self.tokens[id as usize];
                (!token.kind.is_trivia()).then_some(token.span)
            }
            ChildRef::Node(id) => Some(self.nodes[id as usize].span),
        }
    }

    fn new_node(
        &mut self,
        kind: SyntaxKind,
        children: std::ops::Range<usize>,
        empty_at: u32,
    ) -> Child {
        let mut spans = self.stack[children.clone()]
            .iter()
            .filter_map(|&c| self.span_of(c));
        let span = match spans.next() {
            Some(first) => first.cover(spans.next_back().unwrap_or(first)),
            None => Span::empty(empty_at),
        };
        let first_edge = self.edges.len() as u32;
        self.edges.extend_from_slice(&self.stack[children.clone()]);
        let id = self.nodes.len() as u32;
        self.nodes.push(NodeData {
            kind,
            span,
            first_edge,
            edge_count: children.len() as u32,
            parent: NO_PARENT,
        });
        Child::node(id)
    }

    /// Wraps everything pushed since `mark` into a node of `kind`; returns the node's id and span.
    pub(crate) fn wrap(&mut self, mark: Mark, kind: SyntaxKind) -> (u32, Span) {
        let from = (mark.stack as usize).min(self.stack.len());
        // An empty node sits where the next token at the mark starts.
        let next = self.sig[(mark.sig as usize).min(self.sig.len() - 1)];
        let empty_at = self.tokens[next as usize].span.start;
        self.replace(from..self.stack.len(), kind, empty_at)
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
        let at = range.start;
        let offset = self
            .stack
            .get(at)
            .and_then(|&c| self.span_of(c))
            .map_or(0, |s| s.start);
        self.replace(range, kind, offset)
    }

    fn replace(
        &mut self,
        range: std::ops::Range<usize>,
        kind: SyntaxKind,
        empty_at: u32,
    ) -> (u32, Span) {
        let node = self.new_node(kind, range.clone(), empty_at);
        if range.end == self.stack.len() {
            self.stack.truncate(range.start);
            self.stack.push(node);
        } else {
            self.stack.splice(range, [node]);
        }
        let ChildRef::Node(id) = node.unpack() else {
            unreachable!("new_node makes nodes")
        };
        (id, self.nodes[id as usize].span)
    }

    /// Inserts an empty node of `kind` at stack height `at`, sitting at byte `offset`.
    pub(crate) fn insert_empty(&mut self, at: usize, kind: SyntaxKind, offset: u32) {
        let node = self.new_node(kind, 0..0, offset);
        self.stack.insert(at, node);
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
        self.raw = mark.raw as usize;
        self.emitted = mark.sig as usize;
    }

    /// Finishes the tree: the stack must hold the root node (anything else is wrapped into a root).
    pub(crate) fn finish(mut self, text: String, root: SyntaxKind) -> SyntaxTree {
        while self.raw < self.tokens.len() {
            self.stack.push(Child::token(self.raw as u32));
            self.raw += 1;
        }
        let single_root = matches!(self.stack.as_slice(), [c] if matches!(c.unpack(), ChildRef::Node(id) if self.nodes[id as usize].kind == root));
        if !single_root {
            let end = self.stack.len();
            self.replace(0..end, root, 0);
        }
        let mut token_parents = vec![NO_PARENT; self.tokens.len()];
        let mut parents = vec![NO_PARENT; self.nodes.len()];
        for (id, node) in self.nodes.iter().enumerate() {
            let start = node.first_edge as usize;
            for &child in &self.edges[start..start + node.edge_count as usize] {
                match child.unpack() {
                    ChildRef::Token(t) => token_parents[t as usize] = id as u32,
                    ChildRef::Node(n) => parents[n as usize] = id as u32,
                }
            }
        }
        for (node, parent) in self.nodes.iter_mut().zip(parents) {
            node.parent = parent;
        }
        // The root must be the last node for `SyntaxTree::root`; it is, as it was created last.
        SyntaxTree {
            text,
            tokens: self.tokens,
            token_parents,
            nodes: self.nodes,
            edges: self.edges,
        }
    }
}
