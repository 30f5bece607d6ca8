//! What a front end hands to the engine: documents, comments and syntax diagnostics.

use std::any::Any;
use std::sync::Arc;

use crate::{
    Edit, Evaluation, FixPlan, NodeId, SharedSource, SourceKind, SourceLoader, Span, Tree,
};

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

/// What kind of problem kept a file, or part of it, from being read or parsed. With the file's
/// kind it decides the `PARSE` rule that reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParseProblemKind {
    /// The text is not valid in its language (a YAML or Bicep syntax error).
    Syntax,
    /// The file is larger than the configured limit and was not read.
    TooLarge,
    /// Nesting deeper than the configured limit.
    TooDeep,
    /// Aliases that expand to too many nodes, or to themselves.
    AliasExpansion,
    /// The file is binary, UTF-16/32 or not UTF-8.
    NotText,
    /// A mapping sets the same key twice.
    DuplicateKey,
}

/// Why a file, or part of it, could not be read or parsed: what a front end (or the reading of
/// the file) found, for the `PARSE` rule of its kind to report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseProblem {
    /// What kind of problem.
    pub kind: ParseProblemKind,
    /// Where it is.
    pub span: Span,
    /// What is wrong, in words.
    pub message: String,
    /// How to fix it, when the front end knows better than the rule.
    pub help: Option<String>,
    /// A related place in the same file, with what is there (the first of two duplicate keys).
    pub related: Option<(Span, String)>,
}

impl ParseProblem {
    /// A problem of `kind` at `span`.
    pub fn new(kind: ParseProblemKind, span: Span, message: impl Into<String>) -> ParseProblem {
        ParseProblem {
            kind,
            span,
            message: message.into(),
            help: None,
            related: None,
        }
    }

    /// Sets how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> ParseProblem {
        self.help = Some(help.into());
        self
    }

    /// Adds the related place.
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> ParseProblem {
        self.related = Some((span, message.into()));
        self
    }
}

/// A suppression written in a language's own syntax (Bicep's `#disable-next-line` and
/// `#disable-diagnostics` … `#restore-diagnostics`): the codes it names and the lines it covers.
/// Its other codes belong to the language's own tools; it needs no reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pragma {
    /// The first and last 0-based line it covers.
    pub lines: (usize, usize),
    /// The codes it names, as written, with where each is written.
    pub codes: Vec<(String, Span)>,
    /// Where the pragma (or, for a range, the code that opened it) is written.
    pub span: Span,
}

/// A front end's result for one file.
#[derive(Clone, Debug, Default)]
pub struct ParsedFile {
    /// The documents that parsed (a document with a syntax error is left out and reported).
    pub documents: Vec<Document>,
    /// Every comment in the file, in order.
    pub comments: Vec<Comment>,
    /// Syntax errors, limit hits and duplicate keys (the `PARSE` rules report them).
    pub problems: Vec<ParseProblem>,
    /// Suppressions written in the language's own syntax (Bicep's pragmas); `akslint-ignore`
    /// comments are found by the engine in `comments`.
    pub pragmas: Vec<Pragma>,
    /// The front end's own syntax tree, when it wants it back: the engine keeps it for the
    /// front end's evaluation ([`FrontEnd::evaluate`]) and fix rendering
    /// ([`FrontEnd::render_fix`]), so the file is parsed once.
    pub syntax: Option<Syntax>,
}

/// A front end's syntax tree of one file, opaque to everyone else.
pub type Syntax = Arc<dyn Any + Send + Sync>;

/// A file of a project as a front end's evaluation sees it: its text and, when the engine kept
/// it, the front end's own parse of it.
#[derive(Clone)]
pub struct ProjectSource {
    /// The file.
    pub file: SharedSource,
    /// The front end's syntax tree of it ([`ParsedFile::syntax`]), when kept.
    pub syntax: Option<Syntax>,
}

/// Limits enforced on every file: before and while it is parsed, and on what is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Deepest nesting of collections in one document.
    pub max_depth: usize,
    /// Most nodes reachable through aliases in one document (a billion-laughs guard).
    pub max_alias_expansion: usize,
    /// Most findings of one rule reported in one file; the rest are counted in one more finding.
    pub max_findings_per_rule: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: 10 * 1024 * 1024,
            max_depth: 200,
            max_alias_expansion: 100_000,
            max_findings_per_rule: 100,
        }
    }
}

/// A front end: everything akslint knows about one format, the seam a new format plugs into.
///
/// 1. [`parse`](FrontEnd::parse) reads one file into documents (for the Kubernetes rules),
///    comments, parse problems, pragmas and, if it wants, its own syntax tree;
/// 2. [`evaluate`](FrontEnd::evaluate) turns the files of one project that it reads into the
///    Azure model (templates: resources, declarations, parameter values);
/// 3. [`render_fix`](FrontEnd::render_fix) writes a rule's [`FixPlan`] in the file's syntax.
pub trait FrontEnd: Send + Sync {
    /// The kinds of file it reads.
    fn kinds(&self) -> &'static [SourceKind];

    /// Parses a file, enforcing the limits.
    fn parse(&self, file: &SharedSource, limits: &Limits) -> ParsedFile;

    /// Evaluates the files of one project that this front end reads (every one of them, in path
    /// order) into Azure resources and template declarations; files they refer to outside the
    /// project are read through `loader`. The files are given, not lent, so that the front end
    /// can drop each syntax tree as soon as its evaluation is done with it. The default
    /// evaluates nothing.
    fn evaluate(&self, _files: Vec<ProjectSource>, _loader: &dyn SourceLoader) -> Evaluation {
        Evaluation::default()
    }

    /// Renders a fix plan into edits of `file`, with the file's parse when the caller still has
    /// it (else the front end reads the text again). `None` when the plan cannot be written
    /// unambiguously in this file's syntax: the finding is then reported without a fix.
    fn render_fix(
        &self,
        file: &SharedSource,
        parsed: Option<&ParsedFile>,
        plan: &FixPlan,
    ) -> Option<Vec<Edit>>;
}
