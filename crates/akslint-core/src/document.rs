//! What a front end hands to the engine: documents, comments and syntax diagnostics.

use std::any::Any;
use std::borrow::Cow;
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
    /// A Helm chart's template that does not render: it does not parse, the chart refuses its
    /// values (`required`, `fail`), or it uses what akslint does not render yet.
    Template,
    /// A kustomization that cannot be built (a resource that does not exist, a patch that
    /// does not apply, a cycle of bases).
    Build,
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
    pub help: Option<Cow<'static, str>>,
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
    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> ParseProblem {
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
    /// front end's evaluation ([`FrontEnd::evaluate_groups`]) and fix rendering
    /// ([`FrontEnd::render_fix`]), so the file is parsed once.
    pub syntax: Option<Syntax>,
    /// For a template (a Helm chart's), what it rendered to: the documents, comments and
    /// problems above are of the rendered text, and every finding is mapped back to the
    /// template and values files that wrote it.
    pub rendered: Option<Arc<RenderedFile>>,
}

/// The text a template rendered to, as a file of its own, and where each of its bytes came
/// from.
#[derive(Debug)]
pub struct RenderedFile {
    /// The rendered text, under the template's path.
    pub file: SharedSource,
    /// The template.
    pub template: SharedSource,
    /// The files the rendered bytes came from (the template, values files, helper templates).
    pub sources: Vec<SharedSource>,
    /// Byte ranges of the rendered text and where each came from, in order.
    pub segments: Vec<RenderedSegment>,
    /// Byte ranges of the rendered text that the template's own actions (`{{ … }}`) wrote, with
    /// the action (its `source` is the template).
    pub actions: Vec<RenderedSegment>,
    /// Where findings in the rendered text are placed.
    pub placement: Placement,
    /// Problems that kept parts of the template from rendering, in the template's own text
    /// (a Kustomize entry that names a missing file): the `PARSE` rules report them there.
    pub problems: Vec<ParseProblem>,
    /// What the rendering left out on purpose (a remote base it does not fetch), in words, for
    /// the run's notes.
    pub notes: Vec<String>,
    /// When the template was rendered with several values sets (a Helm chart's `values.yaml`,
    /// `values-prod.yaml`, ...): each set's part of the rendered text and its name, in order;
    /// empty for one rendering. The engine reports a finding found in every set once, and names
    /// the sets of one found in some.
    pub values_sets: Vec<(Span, String)>,
}

/// Where the findings in a rendered text are placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// In the template (a Helm chart's template file), with the other file that wrote the
    /// value (a values file) as a related place: [`RenderedFile::locate`].
    InTemplate,
    /// Where the bytes were written, in whichever file (a Kustomize base, patch or
    /// kustomization), with the template (the kustomization built) as a related place:
    /// [`RenderedFile::locate_source`].
    AtSource,
}

/// A byte range of a rendered text and the bytes of a source file it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderedSegment {
    /// The range in the rendered text.
    pub rendered: Span,
    /// The source file (an index into [`RenderedFile::sources`]).
    pub source: usize,
    /// The bytes of the source it came from (as long as `rendered` when copied verbatim).
    pub span: Span,
}

impl RenderedFile {
    /// Where the bytes `span` of the rendered text came from: the place in the template that
    /// wrote them (the template's own text, else the nearest action before them), and, when the
    /// bytes were written in another file (a values file, a helper template), that place too.
    pub fn locate(&self, span: Span) -> (crate::Location, Option<crate::Location>) {
        let overlapping = self.segments.iter().filter(|s| {
            s.rendered.start < span.end.max(span.start + 1) && span.start < s.rendered.end
        });
        let mut in_template = None;
        let mut elsewhere = None;
        for segment in overlapping {
            let narrowed = narrow(segment, span);
            let is_template = Arc::ptr_eq(&self.sources[segment.source], &self.template);
            if is_template && in_template.is_none() {
                in_template = Some(narrowed);
            } else if !is_template && elsewhere.is_none() {
                elsewhere = Some(crate::Location {
                    file: self.sources[segment.source].clone(),
                    span: narrowed,
                });
            }
        }
        // Written by an action of the template (a value it printed): the action; else the end
        // of the template's text before it.
        let action = self
            .actions
            .iter()
            .filter(|a| {
                a.rendered.start < span.end.max(span.start + 1) && span.start < a.rendered.end
            })
            .max_by_key(|a| a.rendered.end - a.rendered.start)
            .map(|a| a.span);
        let template_span = in_template.or(action).unwrap_or_else(|| {
            let before = self.segments.iter().rfind(|s| {
                s.rendered.end <= span.start && Arc::ptr_eq(&self.sources[s.source], &self.template)
            });
            Span::empty(before.map_or(0, |s| s.span.end as usize))
        });
        (
            crate::Location {
                file: self.template.clone(),
                span: template_span,
            },
            elsewhere,
        )
    }
}

impl RenderedFile {
    /// Where the bytes `span` of the rendered text were written when no byte of them is the
    /// template's own text: the place in the one other file that wrote them (a values file
    /// whose value an action printed), else `None` (the template, or several files, wrote
    /// them).
    pub fn written_elsewhere(&self, span: Span) -> Option<crate::Location> {
        let mut elsewhere: Option<crate::Location> = None;
        let overlapping = self.segments.iter().filter(|s| {
            s.rendered.start < span.end.max(span.start + 1) && span.start < s.rendered.end
        });
        for segment in overlapping {
            let source = &self.sources[segment.source];
            if Arc::ptr_eq(source, &self.template) {
                let printed = self
                    .actions
                    .iter()
                    .any(|a| a.span.start <= segment.span.start && segment.span.end <= a.span.end);
                if !printed {
                    return None;
                }
            } else if let Some(found) = &elsewhere {
                if !Arc::ptr_eq(&found.file, source) {
                    return None;
                }
            } else {
                elsewhere = Some(crate::Location {
                    file: source.clone(),
                    span: narrow(segment, span),
                });
            }
        }
        elsewhere
    }
}

impl RenderedFile {
    /// Where the bytes `span` of the rendered text were written: the smallest segment that
    /// holds them all (a scalar, a key, the collection a finding marks), else the first one they
    /// overlap, else the template's start.
    pub fn locate_source(&self, span: Span) -> crate::Location {
        let holding = self
            .segments
            .iter()
            .filter(|s| s.rendered.start <= span.start && span.end <= s.rendered.end)
            .min_by_key(|s| s.rendered.end - s.rendered.start);
        let segment = holding.or_else(|| {
            self.segments.iter().find(|s| {
                s.rendered.start < span.end.max(span.start + 1) && span.start < s.rendered.end
            })
        });
        match segment {
            Some(segment) => crate::Location {
                file: self.sources[segment.source].clone(),
                span: narrow(segment, span),
            },
            None => crate::Location {
                file: self.template.clone(),
                span: Span::empty(0),
            },
        }
    }
}

/// The part of a segment's source that `span` of the rendered text covers: exact when the
/// segment is a verbatim copy, else the segment's whole source.
fn narrow(segment: &RenderedSegment, span: Span) -> Span {
    let rendered = segment.rendered;
    if rendered.end - rendered.start != segment.span.end - segment.span.start {
        return segment.span;
    }
    let start = span.start.max(rendered.start) - rendered.start + segment.span.start;
    let end = span
        .end
        .min(rendered.end)
        .max(span.start.max(rendered.start))
        - rendered.start
        + segment.span.start;
    Span::new(start as usize, end as usize)
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
    /// For an ARM JSON parameter file, the template the configuration says it is for (when its
    /// name does not say it).
    pub template: Option<std::path::PathBuf>,
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

/// What [`FrontEnd::evaluate_groups`] gives each group's evaluation to: the group's place among
/// the groups, and its evaluation.
pub type EachGroup<'a> = dyn Fn(usize, Evaluation) + Sync + 'a;

/// A front end: everything akslint knows about one format, the seam a new format plugs into.
///
/// 1. [`parse`](FrontEnd::parse) reads one file into documents (for the Kubernetes rules),
///    comments, parse problems, pragmas and, if it wants, its own syntax tree;
/// 2. [`evaluate_groups`](FrontEnd::evaluate_groups) turns the files of one project that it
///    reads into the Azure model (templates: resources, declarations, parameter values), one
///    independent group of files at a time;
/// 3. [`render_fix`](FrontEnd::render_fix) writes a rule's [`FixPlan`] in the file's syntax.
pub trait FrontEnd: Send + Sync {
    /// The kinds of file it reads.
    fn kinds(&self) -> &'static [SourceKind];

    /// Parses a file, enforcing the limits.
    fn parse(&self, file: &SharedSource, limits: &Limits) -> ParsedFile;

    /// Evaluates the files of one project that this front end reads (every one of them, in path
    /// order) into Azure resources and template declarations, one independent group of files at
    /// a time; files they refer to outside the project are read through `loader`. `each` is
    /// given each group's evaluation with the group's place among the groups (no file of one
    /// group refers to a file of another), possibly from several threads at once, and drops it
    /// when done: a project's model is never held whole. The files are given, not lent, so that
    /// the front end can drop each syntax tree as soon as its evaluation is done with it. The
    /// default evaluates nothing.
    fn evaluate_groups(
        &self,
        _files: Vec<ProjectSource>,
        _loader: &dyn SourceLoader,
        _each: &EachGroup<'_>,
    ) {
    }

    /// What the project stage keeps of a file's syntax tree ([`ParsedFile::syntax`]) once the
    /// per-file rules are done with it, for a file that can read its text again
    /// ([`crate::SourceFile::released`]): the default keeps the whole tree; a front end whose
    /// evaluation can parse the file again keeps less, so that trees do not pile up.
    fn syntax_for_project(&self, syntax: Syntax) -> Syntax {
        syntax
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
