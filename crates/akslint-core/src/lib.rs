//! akslint's core: the model every front end produces and every rule reads.
//!
//! - [`SourceFile`] and [`LineIndex`]: a file's text, byte spans and line/column conversion
//!   (characters for people, UTF-16 for the Language Server Protocol).
//! - [`Tree`] and [`Document`]: what a front end builds, every node with its byte span.
//! - [`K8sObject`]: a Kubernetes view of a document.
//! - [`AzureResource`], [`BicepFile`] and [`ParamBinding`]: what the Bicep evaluator gives:
//!   resources, and the declarations and parameter values that secret rules read.
//! - [`Rule`], [`RuleMeta`] and the [`registry`]: the checks, each in its own file under `rules/`.
//! - [`Diagnostic`]: a finding, with fix edits and secondary labels.
//! - [`Suppressions`], [`Config`]: what users turn off, and where.
//! - [`ProjectIndex`]: facts gathered from every file for cross-file rules.
//! - [`Engine`]: runs it all.

pub mod aks;
mod azure;
mod bicep;
pub mod bicep_edit;
mod config;
mod diagnostic;
mod document;
mod engine;
pub mod index;
mod k8s;
pub mod registry;
mod rule;
pub mod rules;
pub mod secrets;
mod source;
mod span;
pub mod suppression;
mod tree;
mod yaml_edit;

pub use azure::{
    AzureResource, DiskLoader, Evaluation, EvaluationNote, Flag, Location, Origin,
    ProjectEvaluator, Setting, SourceLoader, Value,
};
pub use bicep::{
    BicepFile, BoundString, Leak, LeakKind, Output, ParamBinding, Parameter, Site, StringLiteral,
};
pub use config::{CONFIG_FILE_NAME, Config, ConfigError, ConfigResolver, Limits, RuleState};
pub use diagnostic::{
    Applicability, Diagnostic, Edit, Fix, Label, Severity, Subject, mask_span, redacted_preview,
};
pub use document::{Comment, Document, HelmSource, ParsedFile};
pub use engine::{Engine, FileOutcome, FileReport, FrontEnd, Notice, NoticeLevel, Report};
pub use index::{FileFacts, ProjectIndex};
pub use k8s::{
    ContainerList, DEFAULT_NAMESPACE, DEFAULT_SERVICE_ACCOUNT, K8sObject, PodTemplate, object_at,
    objects,
};
pub use rule::{
    DocumentContext, Family, ObjectContext, RULES_BASE_URL, ResourceContext, Rule, RuleMeta,
};
pub use source::{
    LineColumn, LineIndex, NotText, SharedSource, SourceFile, SourceKind, floor_char_boundary,
};
pub use span::Span;
pub use suppression::Suppressions;
pub use tree::{Entry, Node, NodeId, NodeKind, Scalar, ScalarStyle, ScalarType, Tree};
pub use yaml_edit::EntryInsertion;
