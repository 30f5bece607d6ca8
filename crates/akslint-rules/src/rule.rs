//! The rule trait and the contexts rules run in.

use std::any::Any;
use std::sync::Arc;

use akslint_core::{
    AzureResource, Diagnostic, Document, Edit, FixPlan, K8sObject, ParseProblem, ParseProblemKind,
    RuleMeta, SharedSource, Span, Tree,
};

use crate::facts::FactKind;
use crate::memo::Memos;
use crate::{ProjectIndex, Scopes, Suppressions};

/// Writes fix plans in the syntax of the file being checked, with its parse at hand: the file's
/// front end, lent to the rules by the engine.
pub trait FixWriter: Sync {
    /// The edits of `plan`, or `None` when it cannot be written unambiguously.
    fn write(&self, plan: &FixPlan) -> Option<Vec<Edit>>;
}

impl<F: Fn(&FixPlan) -> Option<Vec<Edit>> + Sync> FixWriter for F {
    fn write(&self, plan: &FixPlan) -> Option<Vec<Edit>> {
        self(plan)
    }
}

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
        // Problems often share their lines (hundreds on one long broken line): each window of
        // lines is scanned once.
        let mut scanned = SecretsNear::default();
        for problem in self.problems.iter().filter(|p| p.kind == kind) {
            let mut diagnostic =
                Diagnostic::new(rule, self.file, problem.span, problem.message.clone());
            if let Some(help) = &problem.help {
                diagnostic = diagnostic.with_help(help.clone());
            }
            if let Some((span, message)) = &problem.related {
                diagnostic = diagnostic.with_label(self.file, *span, message.clone());
            }
            let mut places = vec![problem.span];
            places.extend(problem.related.as_ref().map(|(span, _)| *span));
            for secret in scanned.around(self.file, &places) {
                diagnostic = diagnostic.with_sensitive(secret);
            }
            out.push(diagnostic);
        }
    }
}

/// Lines around a problem searched for secrets to mask: more than any output shows.
const LINES_AROUND_A_PROBLEM: usize = 3;

/// The secrets, judged from the text alone, on the lines around problems: a document that does
/// not parse has no secret findings, yet the lines a snippet shows of it must not print a secret.
/// Each window of lines is scanned once, however many problems it holds.
#[derive(Default)]
struct SecretsNear {
    /// The secrets of each window of lines scanned, by the window's byte range.
    by_window: std::collections::HashMap<(usize, usize), Vec<Span>>,
}

impl SecretsNear {
    /// The secrets on the lines around `places`.
    fn around(&mut self, file: &SharedSource, places: &[Span]) -> Vec<Span> {
        let text = file.text();
        let lines = file.lines();
        let mut found = Vec::new();
        for place in places {
            let first = lines
                .line_of(place.start as usize)
                .saturating_sub(LINES_AROUND_A_PROBLEM);
            let last = lines.line_of(place.end as usize) + LINES_AROUND_A_PROBLEM;
            let start = lines.line_start(first).min(text.len());
            let end = lines.line_start(last + 1).min(text.len()).max(start);
            let secrets = self.by_window.entry((start, end)).or_insert_with(|| {
                crate::secrets::scan_text(None, &text[start..end])
                    .into_iter()
                    .map(|finding| {
                        Span::new(start + finding.range.start, start + finding.range.end)
                    })
                    .collect()
            });
            found.extend(secrets.iter().copied());
        }
        found
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
    /// The file's front end, to write fixes with.
    pub fixes: &'a dyn FixWriter,
    /// Values shared by the rules that look at this document.
    pub memos: &'a Memos,
}

impl<'a> DocumentContext<'a> {
    /// The document's tree.
    pub fn tree(&self) -> &Tree {
        &self.document.tree
    }

    /// The context of one of the document's objects.
    pub fn object(&self, object: &'a K8sObject) -> ObjectContext<'a> {
        ObjectContext {
            file: self.file,
            document: self.document,
            object,
            fixes: self.fixes,
        }
    }

    /// A value derived from the document, computed by `compute` the first time a value of its
    /// type is asked for and shared by every rule afterwards.
    pub fn memo<T: Any + Send + Sync>(&self, compute: impl FnOnce(&Self) -> T) -> Arc<T> {
        self.memos.get(|| compute(self))
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
    /// The file's front end, to write fixes with.
    pub fixes: &'a dyn FixWriter,
}

impl ObjectContext<'_> {
    /// The document's tree.
    pub fn tree(&self) -> &Tree {
        &self.document.tree
    }

    /// The edits of a fix plan, written now by the file's front end (for facts, whose findings
    /// are made after the file's syntax is gone).
    pub fn render_fix(&self, plan: &FixPlan) -> Option<Vec<Edit>> {
        self.fixes.write(plan)
    }
}

/// A file's suppressions once every finding of the file went through them, for the `SUP` rules.
pub struct SuppressionContext<'a> {
    /// The file.
    pub file: &'a SharedSource,
    /// Its suppressions, each code marked with whether it silenced a finding.
    pub suppressions: &'a Suppressions,
    /// Whether a rule is on under the file's configuration.
    pub is_enabled: &'a dyn Fn(&RuleMeta) -> bool,
}

/// One evaluated Azure resource a rule looks at, with the others of the run.
pub struct ResourceContext<'a> {
    /// The resource.
    pub resource: &'a AzureResource,
    /// Every resource of the resource's group of templates (the files that refer to one another:
    /// a deployment as a whole; each group is checked as it is evaluated, then dropped).
    pub resources: &'a [AzureResource],
    /// The index of the group's templates ([`crate::Templates`]), without facts: resource rules
    /// run once per project, and a check that links a resource to the project's manifests is a
    /// project rule (`check_project`, which sees the facts of each scope).
    pub index: &'a ProjectIndex,
}

impl<'a> ResourceContext<'a> {
    /// The resource, when it is deployed (not an `existing` reference) and of this type
    /// (compared case-insensitively, any API version).
    pub fn deployed(&self, resource_type: &str) -> Option<&'a AzureResource> {
        Some(self.resource).filter(|r| r.is_type(resource_type) && !r.existing)
    }
}

/// A check. Each hook has an empty default: a rule implements the ones it needs, and reports
/// findings of its own code only (the engine drops any other with an internal-error notice).
///
/// `check_parse`, `check_document` and `check_object` see one file or document;
/// `check_resource` one evaluated Azure resource, with the templates; `check_project` the
/// [`ProjectIndex`] of facts gathered from every file of the project, for findings that link
/// documents and files (the fact types a rule reads are listed by [`Rule::facts`]);
/// `check_suppressions` a file's suppressions after every other finding went through them.
///
/// The project stage runs `check_resource`, and the `check_project` of a rule that reads no
/// facts, once per project; for a rule that reads facts, `check_scopes`, whose findings are
/// those of its `check_project` for each scope of the project (the Kustomize builds whose
/// objects collide are indexed in scopes apart, each with the project's other files), as they
/// may differ between scopes.
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;

    /// The cross-file fact types the rule reads in `check_project`. The engine collects only the
    /// types some rule declares; the `check_project` of a rule that declares none runs once per
    /// project, over an index of the templates ([`crate::Templates`]) without facts; a rule that
    /// declares some is run by [`Rule::check_scopes`], over the facts of each scope.
    fn facts(&self) -> &'static [FactKind] {
        &[]
    }

    /// For a rule that reads facts: the types of the Azure resources it reads from the templates
    /// ([`crate::Templates::resources`]; compared as
    /// [`akslint_core::AzureResource::is_type`] does). Each group
    /// of templates is checked by the rules that read no facts as soon as it is evaluated, and
    /// dropped but for the resources of these types: the templates such a rule sees hold those
    /// alone, without declarations or parameter values.
    fn template_types(&self) -> &'static [&'static str] {
        &[]
    }

    /// Reports the problems reading and parsing a file ran into (the `PARSE` rules).
    fn check_parse(&self, _cx: &ParseContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one document of any YAML file (Kubernetes or not).
    fn check_document(&self, _cx: &DocumentContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one Kubernetes object.
    fn check_object(&self, _cx: &ObjectContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks one evaluated Azure resource (from Bicep).
    fn check_resource(&self, _cx: &ResourceContext<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Checks facts across every document and file of the project.
    fn check_project(&self, _index: &ProjectIndex, _out: &mut Vec<Diagnostic>) {}

    /// For a rule that reads facts: its `check_project` findings on each of a project's scopes,
    /// by scope. A finding may be left out of a scope when an earlier scope has it (the engine
    /// keeps the first of equal findings), so a rule whose findings on most facts do not depend
    /// on the scope's builds reports those once. The default runs `check_project` on each
    /// scope's index.
    fn check_scopes(&self, scopes: &Scopes) -> Vec<Vec<Diagnostic>> {
        (scopes.indexes().iter())
            .map(|index| {
                let mut out = Vec::new();
                self.check_project(index, &mut out);
                out
            })
            .collect()
    }

    /// Checks a file's suppressions (the `SUP` rules).
    fn check_suppressions(&self, _cx: &SuppressionContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
