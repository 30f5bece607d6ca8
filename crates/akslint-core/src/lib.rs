//! akslint's core: the text model, the document tree, findings, and the models every front end
//! produces and every rule reads.
//!
//! - [`SourceFile`] and [`LineIndex`]: a file's text, byte spans and line/column conversion
//!   (characters for people, UTF-16 for the Language Server Protocol).
//! - [`Tree`] and [`Document`]: what a front end builds, every node with its byte span.
//! - [`FrontEnd`] and [`ParsedFile`]: the seam a format plugs into (documents, comments,
//!   [`ParseProblem`]s and [`Pragma`]s of one file).
//! - The Kubernetes model ([`K8sObject`]): a view of a document as Kubernetes objects.
//! - The Azure model ([`AzureResource`], [`BicepFile`], [`ParamBinding`]): what a template
//!   evaluator gives: resources, and the declarations and parameter values secret rules read.
//! - [`RuleMeta`] and [`Family`]: what every rule declares about itself ([`declare_rule!`]).
//! - [`Diagnostic`]: a finding, with fix edits and secondary labels.

mod azure;
mod diagnostic;
mod document;
mod fix;
mod k8s;
mod rule_meta;
mod source;
mod span;
mod tree;

pub use azure::{
    AzureResource, BicepFile, BoundString, DiskLoader, Evaluation, EvaluationNote,
    EvaluationNoteKind, Flag, Iteration, Leak, LeakKind, Location, Origin, Output, ParamBinding,
    Parameter, Setting, Site, SourceLoader, StringLiteral, Value,
};
pub use diagnostic::{
    Applicability, ChartRendering, Diagnostic, Edit, Fix, Label, SecretMask, Severity, Subject,
    masked_text, redacted_preview,
};
pub use document::{
    Comment, Document, EachGroup, FrontEnd, HelmSource, Limits, ParseProblem, ParseProblemKind,
    ParsedFile, Placement, Pragma, ProjectSource, RenderedFile, RenderedSegment, Syntax,
};
pub use fix::{
    Change, ChangeWriter, EntryToInsert, FixPlan, Literal, double_quoted, first_key_indent,
    in_line_endings_of, insert_before_key, render_plan,
};
pub use k8s::{
    ContainerList, DEFAULT_NAMESPACE, DEFAULT_SERVICE_ACCOUNT, K8sObject, PodTemplate, object_at,
    objects,
};
pub use rule_meta::{Family, RULES_BASE_URL, RuleMeta};
pub use source::{
    LineColumn, LineIndex, NotText, SharedSource, SourceFile, SourceKind, floor_char_boundary,
};
pub use span::Span;
pub use tree::{Entry, Node, NodeId, NodeKind, Scalar, ScalarStyle, ScalarType, Tree};
