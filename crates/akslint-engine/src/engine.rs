//! The lint engine: parses each file with its front end, runs the rules on its documents and
//! objects, gathers facts for the run-wide index, then runs the cross-file rules, applies
//! configuration and suppressions, and sorts the findings.

use std::any::Any;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{
    Diagnostic, DiskLoader, Document, Evaluation, FrontEnd, K8sObject, NotText, ParseProblem,
    ParseProblemKind, ProjectEvaluator, SharedSource, SourceFile, SourceKind, SourceLoader, Span,
    Subject,
};
use akslint_rules::rules::{SuppressionWithoutReason, UnknownRuleInSuppression, UnusedSuppression};
use akslint_rules::suppression::{IGNORE_ANNOTATION, Suppression, SuppressionKind};
use akslint_rules::{
    DocumentContext, FileFacts, ObjectContext, ParseContext, ProjectIndex, ResourceContext, Rule,
    Suppressions, registry,
};

use crate::config::{Config, RuleState};

/// How serious a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoticeLevel {
    /// For information (an empty file).
    Note,
    /// Something was skipped that the user may want to know about (a symlink loop).
    Warning,
    /// The run is incomplete: a file could not be read, or akslint failed internally.
    Error,
}

/// A message about the run rather than a finding in a file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Notice {
    /// The file or folder it concerns.
    pub path: PathBuf,
    /// How serious it is.
    pub level: NoticeLevel,
    /// What happened.
    pub message: String,
}

/// What linting one file produced, before cross-file rules and suppressions.
#[derive(Debug)]
pub struct FileOutcome {
    /// The file.
    pub file: SharedSource,
    /// The configuration that applies to it.
    pub config: Arc<Config>,
    /// Syntax diagnostics and findings of single-document rules.
    pub diagnostics: Vec<Diagnostic>,
    /// Facts for the run-wide index.
    pub facts: FileFacts,
    /// The file's suppressions.
    pub suppressions: Suppressions,
    /// Spans of documents rendered from a Helm template, with the template's name.
    pub helm_templates: Vec<(Span, String)>,
    /// Notices (internal errors).
    pub notices: Vec<Notice>,
}

impl FileOutcome {
    fn empty(file: SharedSource, config: Arc<Config>) -> FileOutcome {
        FileOutcome {
            file,
            config,
            diagnostics: Vec::new(),
            facts: FileFacts::default(),
            suppressions: Suppressions::default(),
            helm_templates: Vec::new(),
            notices: Vec::new(),
        }
    }

    /// The Helm template a span of this file was rendered from.
    fn helm_template_at(&self, span: Span) -> Option<&str> {
        self.helm_templates
            .iter()
            .find(|(document, _)| {
                document.contains(span) || document.contains_offset(span.start as usize)
            })
            .map(|(_, template)| template.as_str())
    }
}

/// The findings of a file, final.
#[derive(Debug)]
pub struct FileReport {
    /// The file.
    pub file: SharedSource,
    /// Its findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every span of the file that holds a secret, suppressed findings' included, so that no
    /// output that shows the file's text shows one.
    pub sensitive: Vec<Span>,
}

/// The result of a run: every file's findings, sorted by path, and the run's notices.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per file linted, sorted by path.
    pub files: Vec<FileReport>,
    /// Notices, sorted.
    pub notices: Vec<Notice>,
}

impl Report {
    /// Every finding, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }
}

/// The engine: the front ends and the rules.
pub struct Engine {
    front_ends: Vec<(SourceKind, Box<dyn FrontEnd>)>,
    evaluator: Option<Box<dyn ProjectEvaluator>>,
    loader: Box<dyn SourceLoader>,
    rules: &'static [&'static dyn Rule],
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine with every rule and no front end yet.
    pub fn new() -> Engine {
        Engine {
            front_ends: Vec::new(),
            evaluator: None,
            loader: Box::new(DiskLoader::default()),
            rules: registry::all(),
        }
    }

    /// Registers the evaluator that turns the run's Bicep files into Azure resources.
    pub fn with_evaluator(mut self, evaluator: impl ProjectEvaluator + 'static) -> Engine {
        self.evaluator = Some(Box::new(evaluator));
        self
    }

    /// Replaces how files outside the run (module files) are read; by default from disk.
    pub fn with_loader(mut self, loader: impl SourceLoader + 'static) -> Engine {
        self.loader = Box::new(loader);
        self
    }

    /// Evaluates Bicep and `.bicepparam` files into Azure resources and declarations (nothing
    /// without an evaluator); the evaluation's notes become notices. A panic in the evaluator
    /// becomes a notice.
    pub fn evaluate(&self, files: &[SharedSource]) -> (Evaluation, Vec<Notice>) {
        let Some(evaluator) = &self.evaluator else {
            return (Evaluation::default(), Vec::new());
        };
        if files.is_empty() {
            return (Evaluation::default(), Vec::new());
        }
        match catch_unwind(AssertUnwindSafe(|| {
            evaluator.evaluate(files, self.loader.as_ref())
        })) {
            Ok(mut evaluation) => {
                let notices = std::mem::take(&mut evaluation.notes)
                    .into_iter()
                    .map(|note| Notice {
                        path: note.location.map_or_else(
                            || files[0].path().to_owned(),
                            |l| l.file.path().to_owned(),
                        ),
                        level: NoticeLevel::Note,
                        message: format!("Bicep: {}", note.message),
                    })
                    .collect();
                (evaluation, notices)
            }
            Err(panic) => (
                Evaluation::default(),
                vec![internal_error(
                    files[0].path(),
                    "the Bicep evaluator",
                    panic,
                )],
            ),
        }
    }

    /// Registers the front end for a kind of file.
    pub fn with_front_end(
        mut self,
        kind: SourceKind,
        front_end: impl FrontEnd + 'static,
    ) -> Engine {
        self.front_ends.push((kind, Box::new(front_end)));
        self
    }

    /// Whether a front end handles this kind of file.
    pub fn supports(&self, kind: SourceKind) -> bool {
        self.front_ends.iter().any(|(k, _)| *k == kind)
    }

    /// Lints a file read from disk or stdin: decodes it, then lints it.
    pub fn lint_bytes(
        &self,
        path: &Path,
        kind: SourceKind,
        bytes: Vec<u8>,
        config: Arc<Config>,
    ) -> FileOutcome {
        match SourceFile::decode(bytes) {
            Ok(text) => self.lint_file(Arc::new(SourceFile::new(path, kind, text)), config),
            Err((reason, bytes)) => {
                let (text, span, message) = match reason {
                    NotText::Binary { offset } => (
                        String::new(),
                        Span::empty(0),
                        format!("the file is binary (a NUL byte at offset {offset}), not YAML or Bicep text"),
                    ),
                    NotText::Utf16 => (
                        String::new(),
                        Span::empty(0),
                        "the file is UTF-16 or UTF-32 encoded (it starts with such a byte-order mark); save it as UTF-8".to_owned(),
                    ),
                    NotText::InvalidUtf8 { offset } => {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        let end = akslint_core::floor_char_boundary(&text, offset + 1).max(offset);
                        let end = text[offset..].chars().next().map_or(end, |c| offset + c.len_utf8());
                        (
                            text,
                            Span::new(offset, end),
                            format!("the file is not valid UTF-8 (invalid byte at offset {offset}); save it as UTF-8"),
                        )
                    }
                };
                let file = Arc::new(SourceFile::new(path, kind, text));
                let mut outcome = FileOutcome::empty(file.clone(), config);
                let problem = ParseProblem::new(ParseProblemKind::NotText, span, message);
                outcome.diagnostics = self.parse_findings(&file, &[problem]);
                outcome
            }
        }
    }

    /// The outcome for a file too large to read.
    pub fn too_large(
        &self,
        path: &Path,
        kind: SourceKind,
        size: u64,
        config: Arc<Config>,
    ) -> FileOutcome {
        let file = Arc::new(SourceFile::new(path, kind, String::new()));
        let message = format!(
            "the file is {size} bytes, over the limit of {} bytes; it was not read (raise `limits.max-file-size` in akslint.yaml to lint it)",
            config.limits.max_file_size
        );
        let mut outcome = FileOutcome::empty(file.clone(), config);
        let problem = ParseProblem::new(ParseProblemKind::TooLarge, Span::empty(0), message);
        outcome.diagnostics = self.parse_findings(&file, &[problem]);
        outcome
    }

    /// The findings of the `PARSE` rules for a file's problems.
    fn parse_findings(&self, file: &SharedSource, problems: &[ParseProblem]) -> Vec<Diagnostic> {
        let cx = ParseContext { file, problems };
        let mut found = Vec::new();
        for rule in self.rules {
            rule.check_parse(&cx, &mut found);
        }
        found
    }

    /// Parses a file and runs the single-document rules on it.
    pub fn lint_file(&self, file: SharedSource, config: Arc<Config>) -> FileOutcome {
        let mut outcome = FileOutcome::empty(file.clone(), config.clone());
        let Some((_, front_end)) = self.front_ends.iter().find(|(k, _)| *k == file.kind()) else {
            outcome.notices.push(Notice {
                path: file.path().to_owned(),
                level: NoticeLevel::Warning,
                message: format!(
                    "no front end for {:?} files in this build; skipped",
                    file.kind()
                ),
            });
            return outcome;
        };
        if file.text().trim().is_empty() {
            outcome.notices.push(Notice {
                path: file.path().to_owned(),
                level: NoticeLevel::Note,
                message: "the file is empty; nothing to lint".to_owned(),
            });
            return outcome;
        }
        let parsed = match catch_unwind(AssertUnwindSafe(|| front_end.parse(&file, &config.limits)))
        {
            Ok(parsed) => parsed,
            Err(panic) => {
                outcome
                    .notices
                    .push(internal_error(file.path(), "the parser", panic));
                return outcome;
            }
        };
        outcome.diagnostics = self.parse_findings(&file, &parsed.problems);
        outcome.suppressions = Suppressions::from_comments(&file, &parsed.comments);
        outcome
            .suppressions
            .items
            .extend(parsed.pragmas.iter().map(Suppression::from_pragma));
        let rules: Vec<&dyn Rule> = self
            .rules
            .iter()
            .copied()
            .filter(|rule| config.is_enabled(rule.meta()))
            .collect();
        for document in &parsed.documents {
            self.lint_document(&file, document, &rules, &mut outcome);
        }
        for diagnostic in &mut outcome.diagnostics {
            diagnostic.helm_template = outcome
                .helm_templates
                .iter()
                .find(|(document, _)| document.contains_offset(diagnostic.span.start as usize))
                .map(|(_, template)| template.clone());
        }
        outcome
    }

    fn lint_document(
        &self,
        file: &SharedSource,
        document: &Document,
        rules: &[&dyn Rule],
        outcome: &mut FileOutcome,
    ) {
        let tree = &document.tree;
        let objects = akslint_core::objects(document);
        if let Some(helm) = &document.helm_source {
            outcome
                .helm_templates
                .push((document.span, helm.template.clone()));
        }
        for object in &objects {
            if let Some(annotations) = object.annotations
                && let Some(value) = tree.get(annotations, IGNORE_ANNOTATION)
                && let Some(text) = tree.str(value)
            {
                outcome.suppressions.add_annotation(
                    text,
                    tree.span(value),
                    tree.span(object.node),
                    file.text(),
                );
            }
        }
        let document_cx = DocumentContext {
            file,
            document,
            objects: &objects,
        };
        for rule in rules {
            let result = catch_unwind(AssertUnwindSafe(|| {
                let mut found = Vec::new();
                rule.check_document(&document_cx, &mut found);
                for object in &objects {
                    rule.check_object(
                        &ObjectContext {
                            file,
                            document,
                            object,
                        },
                        &mut found,
                    );
                }
                found
            }));
            match result {
                Ok(found) => outcome
                    .diagnostics
                    .extend(found.into_iter().map(|mut diagnostic| {
                        if diagnostic.subject.is_none() {
                            diagnostic.subject =
                                Some(subject_of(document, &objects, diagnostic.span));
                        }
                        diagnostic
                    })),
                Err(panic) => outcome.notices.push(internal_error(
                    file.path(),
                    &format!("rule {}", rule.meta().code),
                    panic,
                )),
            }
        }
        outcome.facts.collect(file, document, &objects);
    }

    /// Runs the cross-file rules over the facts of every outcome, then finalises each file.
    pub fn finish(&self, outcomes: Vec<FileOutcome>) -> Report {
        let bicep: Vec<SharedSource> = outcomes
            .iter()
            .filter(|o| matches!(o.file.kind(), SourceKind::Bicep | SourceKind::BicepParam))
            .map(|o| o.file.clone())
            .collect();
        let (evaluation, notices) = self.evaluate(&bicep);
        let index = ProjectIndex::new(outcomes.iter().map(|o| &o.facts))
            .with_evaluation(evaluation)
            .with_run_files(outcomes.iter().map(|o| o.file.path().to_owned()));
        let mut report = self.finish_with_index(&index, outcomes);
        report.notices.extend(notices);
        report.notices.sort();
        report
    }

    /// Like [`Engine::finish`] with an index built elsewhere (a language server's workspace):
    /// cross-file findings are kept for the outcomes' files only.
    pub fn finish_with_index(&self, index: &ProjectIndex, outcomes: Vec<FileOutcome>) -> Report {
        let mut report = Report::default();
        let mut project_findings = Vec::new();
        for resource in &index.resources {
            let cx = ResourceContext {
                resource,
                resources: &index.resources,
                index,
            };
            for rule in self.rules {
                let mut found = Vec::new();
                match catch_unwind(AssertUnwindSafe(|| rule.check_resource(&cx, &mut found))) {
                    Ok(()) => project_findings
                        .extend(found.into_iter().map(|d| index.onto_run(d, resource))),
                    Err(panic) => report.notices.push(internal_error(
                        resource.file.path(),
                        &format!("rule {}", rule.meta().code),
                        panic,
                    )),
                }
            }
        }
        for rule in self.rules {
            let mut found = Vec::new();
            match catch_unwind(AssertUnwindSafe(|| rule.check_project(index, &mut found))) {
                Ok(()) => project_findings.extend(found),
                Err(panic) => report.notices.push(internal_error(
                    Path::new(""),
                    &format!("rule {} (cross-file)", rule.meta().code),
                    panic,
                )),
            }
        }
        let by_path: HashMap<PathBuf, usize> = outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| (o.file.path().to_owned(), i))
            .collect();
        let mut extra: Vec<Vec<Diagnostic>> = outcomes.iter().map(|_| Vec::new()).collect();
        for mut diagnostic in project_findings {
            if let Some(&i) = by_path.get(diagnostic.file.path()) {
                diagnostic.helm_template = outcomes[i]
                    .helm_template_at(diagnostic.span)
                    .map(str::to_owned);
                extra[i].push(diagnostic);
            }
        }
        for (outcome, extra) in outcomes.into_iter().zip(extra) {
            report.notices.extend(outcome.notices.iter().cloned());
            let file = outcome.file.clone();
            let mut sensitive: Vec<Span> = outcome
                .diagnostics
                .iter()
                .chain(&extra)
                .flat_map(|d| d.sensitive.iter().copied())
                .collect();
            sensitive.sort();
            sensitive.dedup();
            let diagnostics = finalize(outcome, extra);
            report.files.push(FileReport {
                file,
                diagnostics,
                sensitive,
            });
        }
        report
            .files
            .sort_by(|a, b| a.file.path().cmp(b.file.path()));
        report.notices.sort();
        report
    }
}

/// Applies configuration and suppressions to a file's findings and reports the suppressions
/// that are malformed or unused.
fn finalize(outcome: FileOutcome, extra: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let FileOutcome {
        file,
        config,
        diagnostics,
        mut suppressions,
        ..
    } = outcome;
    let mut kept = Vec::new();
    for mut diagnostic in diagnostics.into_iter().chain(extra) {
        match config.rule_state(diagnostic.rule) {
            RuleState::Off => continue,
            RuleState::On => {}
            RuleState::Severity(severity) => diagnostic.severity = severity,
        }
        let line = file.lines().line_of(diagnostic.span.start as usize);
        if !suppressions.suppresses(diagnostic.rule, line, diagnostic.span) {
            kept.push(diagnostic);
        }
    }
    let mut report =
        |rule: &'static akslint_core::RuleMeta, span: Span, message: String, help: &str| {
            let state = config.rule_state(rule);
            if state == RuleState::Off {
                return;
            }
            let mut diagnostic = Diagnostic::new(rule, &file, span, message).with_help(help);
            if let RuleState::Severity(severity) = state {
                diagnostic.severity = severity;
            }
            kept.push(diagnostic);
        };
    for suppression in &suppressions.items {
        let akslint_syntax = suppression.kind == SuppressionKind::Akslint;
        if akslint_syntax && suppression.reason.is_none() {
            report(
                &SuppressionWithoutReason::META,
                suppression.span,
                "this suppression gives no reason".to_owned(),
                "add the reason after a colon: `akslint-ignore CODE: why this is acceptable`",
            );
        }
        for code in &suppression.codes {
            match code.rule {
                None if akslint_syntax => report(
                    &UnknownRuleInSuppression::META,
                    code.span,
                    format!("`{}` is not an akslint rule code or name", code.text),
                    "use a code or name listed by `akslint rules`",
                ),
                Some(rule) if !code.used && config.is_enabled(rule) => report(
                    &UnusedSuppression::META,
                    code.span,
                    format!(
                        "this suppression of {} ({}) silences no finding",
                        rule.code, rule.name
                    ),
                    "remove the code from the suppression, or the whole comment",
                ),
                _ => {}
            }
        }
    }
    kept.sort_by(Diagnostic::sort_key_cmp);
    // The same finding reached twice (a template evaluated through two parameter files) once.
    kept.dedup_by(|a, b| a.rule.code == b.rule.code && a.span == b.span && a.message == b.message);
    kept
}

/// What a finding at `span` is about: the Kubernetes object around it and the key path inside.
fn subject_of(document: &Document, objects: &[K8sObject], span: Span) -> Subject {
    let tree = &document.tree;
    match objects.iter().find(|o| tree.span(o.node).contains(span)) {
        Some(object) => Subject {
            object: object.identity(),
            path: tree.path_to(object.node, span),
        },
        None => Subject {
            object: String::new(),
            path: document
                .root
                .map(|root| tree.path_to(root, span))
                .unwrap_or_default(),
        },
    }
}

fn internal_error(path: &Path, what: &str, panic: Box<dyn Any + Send>) -> Notice {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    Notice {
        path: path.to_owned(),
        level: NoticeLevel::Error,
        message: format!("internal error in {what}: {detail}; please report this"),
    }
}
