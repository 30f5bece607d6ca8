//! What a front end hands to the engine: documents, comments and syntax diagnostics.

use crate::{Diagnostic, NodeId, Span, Tree};

/// The `helm template` template a document was rendered from (its `# Source:` line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmSource {
    /// The template path as Helm wrote it, e.g. `mychart/templates/deployment.yaml`.
    pub template: String,
    /// The span of the `# Source:` comment.
    pub span: Span,
}

/// One parsed document (a YAML document of a stream).
#[derive(Clone, Debug)]
pub struct Document {
    /// The document's nodes.
    pub tree: Tree,
    /// The root node; `None` for an empty document.
    pub root: Option<NodeId>,
    /// The bytes of the document, from its start marker (or first content) to its end.
    pub span: Span,
    /// The Helm template it was rendered from, if a `# Source:` line names one.
    pub helm_source: Option<HelmSource>,
}

/// A comment, with the text after its leader (`#` or `//`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, leader included.
    pub span: Span,
    /// The text after the leader.
    pub body: Span,
    /// Whether nothing but whitespace precedes the comment on its line.
    pub own_line: bool,
}

/// A front end's result for one file.
#[derive(Clone, Debug, Default)]
pub struct ParsedFile {
    /// The documents that parsed (a document with a syntax error is left out and reported).
    pub documents: Vec<Document>,
    /// Every comment in the file, in order.
    pub comments: Vec<Comment>,
    /// Syntax errors and limit hits (codes `PARSE…`).
    pub diagnostics: Vec<Diagnostic>,
    /// Suppressions written in the language's own syntax (Bicep's pragmas); `akslint-ignore`
    /// comments are found by the engine in `comments`.
    pub suppressions: Vec<crate::suppression::Suppression>,
}
