//! The rule trait and the contexts rules run in.

use akslint_core::{
    AzureResource, Diagnostic, Document, K8sObject, ParseProblem, ParseProblemKind, RuleMeta,
    SharedSource, Tree,
};

use crate::ProjectIndex;

/// What reading and parsing one file ran into, for the `PARSE` rules.
pub struct ParseContext<'a> {
    /// The file.
    pub file: &'a SharedSource,
    /// Its problems, in the order found.
    pub problems: &'a [ParseProblem],
}

impl ParseContext<'_> {
    /// Reports every problem of `kind` as a finding of `rule`.
    pub fn report(
        &self,
        rule: &'static RuleMeta,
        kind: ParseProblemKind,
        out: &mut Vec<Diagnostic>,
    ) {
        for problem in self.problems.iter().filter(|p| p.kind == kind) {
            let mut diagnostic =
                Diagnostic::new(rule, self.file, problem.span, problem.message.clone());
            if let Some(help) = &problem.help {
                diagnostic = diagnostic.with_help(help.clone());
            }
            if let Some((span, message)) = &problem.related {
                diagnostic = diagnostic.with_label(self.file, *span, message.clone());
            }
            out.push(diagnostic);
        }
    }
}

/// The document a rule looks at, with the file it is in and the Kubernetes objects it holds.
pub struct DocumentContext<'a> {
    /// The file.
    pub file: &'a SharedSource,
    /// The document.
    pub document: &'a Document,
    /// The Kubernetes objects of the document (`kind: List` items each their own).
    pub objects: &'a [K8sObject],
}

impl DocumentContext<'_> {
    /// The document's tree.
    pub fn tree(&self) -> &Tree {
        &self.document.tree
    }
}

/// One Kubernetes object a rule looks at.
pub struct ObjectContext<'a> {
    /// The file.
    pub file: &'a SharedSource,
    /// The document that holds the object.
    pub document: &'a Document,
    /// The object.
    pub object: &'a K8sObject,
}

impl ObjectContext<'_> {
    /// The document's tree.
    pub fn tree(&self) -> &Tree {
        &self.document.tree
    }
}

/// One evaluated Azure resource a rule looks at, with the others of the run.
pub struct ResourceContext<'a> {
    /// The resource.
    pub resource: &'a AzureResource,
    /// Every resource of the run (for checks that look at a deployment as a whole).
    pub resources: &'a [AzureResource],
    /// The run-wide index (for checks that link a resource to the run's manifests).
    pub index: &'a ProjectIndex,
}

impl<'a> ResourceContext<'a> {
    /// The resource, when it is deployed (not an `existing` reference) and of this type
    /// (compared case-insensitively, any API version).
    pub fn deployed(&self, resource_type: &str) -> Option<&'a AzureResource> {
        Some(self.resource).filter(|r| r.is_type(resource_type) && !r.existing)
    }
}

/// A check. Each hook has an empty default: a rule implements the ones it needs.
///
/// `check_document` and `check_object` see one document of one file; `check_project` sees the
/// run-wide [`ProjectIndex`] of facts gathered from every file, for findings that link documents
/// and files.
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// Reports the problems reading and parsing a file ran into (the `PARSE` rules).
    fn check_parse(&self, _cx: &ParseContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one document of any YAML file (Kubernetes or not).
    fn check_document(&self, _cx: &DocumentContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one Kubernetes object.
    fn check_object(&self, _cx: &ObjectContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one evaluated Azure resource (from Bicep).
    fn check_resource(&self, _cx: &ResourceContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks facts across every document and file of the run.
    fn check_project(&self, _index: &ProjectIndex, _out: &mut Vec<Diagnostic>) {}
}
