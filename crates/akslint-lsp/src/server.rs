//! The language server: the document store, linting off the runtime through the engine's
//! stages, publishing per version, the workspace on disk and each project's cached stage,
//! settings, and the protocol handlers.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use akslint_core::{DiskLoader, LineIndex, SourceFile, SourceKind, SourceLoader, Span};
use akslint_engine::built;
use akslint_engine::project::Projects;
use akslint_engine::{
    Config, ConfigResolver, Content, Engine, FileAnalysis, FileReport, NoticeLevel, ProjectFile,
    ProjectFindings,
};
use akslint_kustomize::is_kustomization_file;
use akslint_kustomize::kustomization::normalize;
use tower_lsp_server::jsonrpc::{self, Result as RpcResult};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::actions::{self, EditStyle, FIX_ALL_KIND};
use crate::builds::{Builds, Kept, ToBuild};
use crate::convert::{self, SOURCE};
use crate::hover;
use crate::linted::Linted;
use crate::open_texts::{EditorLoader, OpenTexts};
use crate::position::Encoding;
use crate::settings::{Excludes, Settings};
use crate::workspace::{self, DiskFiles};

/// The `workspace/executeCommand` command that lints every file of the workspace folders, as
/// `workspace/diagnostic` does ("akslint: Lint workspace"): a client that pulls is asked to pull
/// again; to one that does not, the findings of the files that are not open are pushed and kept
/// current. Its result is `{"files": N, "findings": N}`: the files linted and the findings
/// shown in them, open documents' included.
pub const LINT_WORKSPACE_COMMAND: &str = "akslint.server.lintWorkspace";

/// Tuning of the server (the defaults are what `akslint lsp` uses).
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Threads that index the workspace at start.
    pub index_threads: usize,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            index_threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

/// What the client can do, as read from `initialize`.
#[derive(Clone, Copy, Debug, Default)]
struct Caps {
    encoding: Encoding,
    pull: bool,
    refresh: bool,
    progress: bool,
    document_changes: bool,
    configuration: bool,
    watch_registration: bool,
}

/// An open document.
struct Doc {
    path: PathBuf,
    kind: Option<SourceKind>,
    /// The project the document belongs to.
    project: PathBuf,
    version: i32,
    text: String,
    generation: u64,
    lint_seq: u64,
    /// Whether a lint of the document is running (at most one is, per document).
    in_flight: bool,
    /// Whether the document changed while a lint of it was running: lint it again after.
    rerun: bool,
    /// The per-file analysis of a text of the document (reused while the text and the
    /// configuration stay the same, so re-finishing after another file changed is cheap).
    analysis: Option<Analysed>,
    /// What the document last gave its project's stage.
    input: Input,
    result: Option<Arc<Linted>>,
}

/// What an open document gives its project's stage.
#[derive(Clone)]
enum Input {
    /// Not linted yet: its file on disk, if any, stands in for it.
    NotLinted,
    /// Not linted (off, excluded): it is not part of the project.
    Excluded,
    /// Its text's facts (and the text, which a template's evaluation reads).
    File(ProjectFile),
}

/// A document's per-file analysis, with what it was made from.
#[derive(Clone)]
struct Analysed {
    generation: u64,
    config_epoch: u64,
    /// Whether it is an analysis for placement only (of a file a kustomization's build reads).
    placement_only: bool,
    analysis: Arc<FileAnalysis>,
}

/// The cached project stage of one project.
#[derive(Default)]
struct ProjectState {
    /// Bumped whenever an input of the project stage changes (facts, template texts, files,
    /// builds).
    epoch: u64,
    findings: Option<Arc<ProjectFindings>>,
    /// Bumped whenever a text a kustomization's build reads changes, or a kustomization comes
    /// or goes.
    builds_epoch: u64,
    /// The project's kustomizations built.
    builds: Option<Arc<Builds>>,
}

/// What a change made stale, dropped off the linting thread once its result is published
/// (dropping a large project's findings or builds takes a while, and nobody waits for it).
type Garbage = Vec<Box<dyn Send>>;

struct State {
    docs: HashMap<Uri, Doc>,
    /// The workspace's files on disk, by absolute path.
    disk: DiskFiles,
    /// The project stage of each project, by project folder.
    projects: HashMap<PathBuf, ProjectState>,
    /// Bumped when `akslint.yaml` or the client's settings change.
    config_epoch: u64,
    settings: Settings,
    excludes: Excludes,
    resolver: Arc<ConfigResolver>,
    folders: Vec<PathBuf>,
    caps: Caps,
    indexing: u64,
    shown: HashSet<String>,
    pending_messages: Vec<String>,
    /// The findings of the workspace's closed files as last computed from disk (for
    /// `workspace/diagnostic` and [`LINT_WORKSPACE_COMMAND`]), by path, with what they were
    /// computed from.
    closed: HashMap<PathBuf, ClosedReport>,
    /// The documents the last `workspace/diagnostic` reported findings for: one that has none
    /// any more, or is gone, gets an empty report next time.
    reported: HashSet<Uri>,
    /// Whether a client that does not pull asked for the whole workspace's findings
    /// ([`LINT_WORKSPACE_COMMAND`]): from then on closed files' findings are pushed and kept
    /// current.
    workspace_linted: bool,
    /// The closed files whose findings were pushed, with the URI they went to and their result
    /// id (a file whose findings keep their result id is not pushed again).
    published_closed: HashMap<PathBuf, (Uri, String)>,
}

/// The findings of a closed file of the workspace, cached with what they were computed from.
#[derive(Clone)]
struct ClosedReport {
    stamp: Option<(std::time::SystemTime, u64)>,
    config_epoch: u64,
    project_epoch: u64,
    result_id: String,
    diagnostics: Vec<Diagnostic>,
}

/// A closed file's findings from disk, as reported or pushed.
struct ClosedFindings {
    path: PathBuf,
    uri: Uri,
    result_id: String,
    diagnostics: Vec<Diagnostic>,
}

impl State {
    /// The project stage of a project.
    fn project(&mut self, root: &Path) -> &mut ProjectState {
        self.projects.entry(root.to_owned()).or_default()
    }

    /// Marks a project's stage stale.
    fn invalidate(&mut self, root: &Path) -> Option<Arc<ProjectFindings>> {
        let project = self.project(root);
        project.epoch += 1;
        project.findings.take()
    }

    /// Marks a project's builds stale, and so its stage.
    fn invalidate_builds(&mut self, root: &Path) -> Garbage {
        let project = self.project(root);
        project.epoch += 1;
        project.builds_epoch += 1;
        let mut garbage: Garbage = Vec::new();
        if let Some(findings) = project.findings.take() {
            garbage.push(Box::new(findings));
        }
        if let Some(builds) = project.builds.take() {
            garbage.push(Box::new(builds));
        }
        garbage
    }

    /// Marks every project's stage and builds stale.
    fn invalidate_all(&mut self) {
        for project in self.projects.values_mut() {
            project.epoch += 1;
            project.findings = None;
            project.builds_epoch += 1;
            project.builds = None;
        }
    }

    /// The current epoch of a project's stage.
    fn project_epoch(&self, root: &Path) -> u64 {
        self.projects.get(root).map_or(0, |p| p.epoch)
    }
}

/// The files whose changes on disk the server asks the client for: what it lints (YAML,
/// Bicep, ARM JSON) and what a chart renders with besides (its helpers and text templates, its
/// packed dependencies, its `values.schema.json`).
const WATCHED_FILES: &[&str] = &[
    "**/*.{yaml,yml}",
    "**/*.{bicep,bicepparam}",
    "**/*.json",
    "**/*.tpl",
    "**/*.tgz",
    "**/templates/**/*.txt",
];

/// Everything a handler and a background task share.
struct Inner {
    client: Client,
    /// The engine every lint and index task uses.
    engine: Engine,
    options: ServerOptions,
    /// Finds the project of a file (cached per folder).
    projects: Projects,
    /// The open documents' texts, which the engine reads a kustomization's bases and patches
    /// through (see [`EditorLoader`]).
    open_texts: OpenTexts,
    state: Mutex<State>,
    publish: tokio::sync::Mutex<()>,
    /// Held while the closed files' findings are computed and pushed (one update at a time).
    push_closed_lock: tokio::sync::Mutex<()>,
    /// Whether an update of the pushed closed files' findings waits to run.
    push_queued: AtomicBool,
    counter: AtomicU64,
    shutdown: AtomicBool,
}

/// akslint's language server backend (see the crate documentation).
pub struct AkslintServer {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AkslintServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AkslintServer").finish_non_exhaustive()
    }
}

/// A handle that tells whether the client asked the server to shut down.
#[derive(Clone)]
pub struct ShutdownFlag(Arc<Inner>);

impl std::fmt::Debug for ShutdownFlag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ShutdownFlag")
            .field(&self.requested())
            .finish()
    }
}

impl ShutdownFlag {
    /// Whether `shutdown` was received.
    pub fn requested(&self) -> bool {
        self.0.shutdown.load(Ordering::SeqCst)
    }
}

impl AkslintServer {
    /// A server that lints with `engine`, talking to `client`. The engine reads the files a
    /// lint refers to (a kustomization's bases, a Bicep module) through the open documents
    /// first, then from disk: its loader is replaced.
    pub fn new(client: Client, engine: Engine, options: ServerOptions) -> AkslintServer {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let open_texts = OpenTexts::default();
        AkslintServer {
            inner: Arc::new(Inner {
                client,
                engine: engine.with_loader(EditorLoader::new(open_texts.clone())),
                options,
                projects: Projects::new(),
                open_texts,
                state: Mutex::new(State {
                    docs: HashMap::new(),
                    disk: DiskFiles::new(),
                    projects: HashMap::new(),
                    config_epoch: 0,
                    settings: Settings::default(),
                    excludes: Excludes::default(),
                    resolver: Arc::new(ConfigResolver::discover(cwd).keeping_last_valid()),
                    folders: Vec::new(),
                    caps: Caps::default(),
                    indexing: 0,
                    shown: HashSet::new(),
                    pending_messages: Vec::new(),
                    closed: HashMap::new(),
                    reported: HashSet::new(),
                    workspace_linted: false,
                    published_closed: HashMap::new(),
                }),
                publish: tokio::sync::Mutex::new(()),
                push_closed_lock: tokio::sync::Mutex::new(()),
                push_queued: AtomicBool::new(false),
                counter: AtomicU64::new(1),
                shutdown: AtomicBool::new(false),
            }),
        }
    }

    /// A handle on whether the client asked to shut down (for the process's exit code).
    pub fn shutdown_flag(&self) -> ShutdownFlag {
        ShutdownFlag(self.inner.clone())
    }

    /// A malformed message from the client (replaced by the input guard): logged.
    pub(crate) async fn malformed(&self, params: serde_json::Value) {
        let problem = params["problem"].as_str().unwrap_or("a malformed message");
        self.inner
            .log(
                MessageType::WARNING,
                format!("akslint: ignored {problem} from the client"),
            )
            .await;
    }

    /// A message with an id but no valid shape: answered with "invalid request".
    pub(crate) async fn invalid_request(
        &self,
        _: serde_json::Value,
    ) -> RpcResult<serde_json::Value> {
        Err(jsonrpc::Error::invalid_request())
    }
}

/// What one lint works on: a copy of the document taken under the lock.
struct Snapshot {
    uri: Uri,
    path: PathBuf,
    kind: Option<SourceKind>,
    project: PathBuf,
    version: i32,
    generation: u64,
    seq: u64,
    config_epoch: u64,
    text: String,
    /// The document's analysis of this text under this configuration, if it has one.
    analysis: Option<Analysed>,
    /// Its analysis of an earlier text, dropped on the linting thread before the new parse
    /// (so the parser reuses the old tree's memory, see `akslint_bicep`'s spare buffers).
    stale: Option<Analysed>,
    settings: Settings,
    excludes: Excludes,
    resolver: Arc<ConfigResolver>,
    encoding: Encoding,
}

/// A lint's result and what it changed.
struct LintDone {
    linted: Arc<Linted>,
    /// The project whose stage this lint made stale (the document's facts or template text
    /// changed): its other open documents are finished again.
    stale_project: Option<PathBuf>,
    /// What the lint made stale, dropped once the result is published.
    garbage: Garbage,
    messages: Vec<String>,
}

/// A document's kind: by its path's extension, else its language; a JSON document is linted
/// only when it is an ARM template or parameters file (by its `$schema`). (A Helm chart's
/// template is a YAML document: the engine renders it with its chart; so is a chart's helper
/// file, `templates/_helpers.tpl`, whatever language the editor gives it.)
fn kind_of(path: &Path, language_id: &str, text: &str) -> Option<SourceKind> {
    let json = SourceKind::may_be_arm_template(path)
        || matches!(language_id, "json" | "jsonc" | "arm-template");
    if json {
        return SourceKind::sniff_json(text.as_bytes());
    }
    if path.extension().is_some_and(|e| e == "tpl") && akslint_helm::chart_of(path).is_some() {
        return Some(SourceKind::Yaml);
    }
    SourceKind::from_path(path).or(match language_id {
        "yaml" | "helm" => Some(SourceKind::Yaml),
        "bicep" => Some(SourceKind::Bicep),
        "bicep-params" | "bicepparam" => Some(SourceKind::BicepParam),
        _ => None,
    })
}

fn path_of(uri: &Uri) -> PathBuf {
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file");
    match uri.to_file_path().filter(|_| is_file) {
        Some(Cow::Borrowed(path)) => path.to_owned(),
        Some(Cow::Owned(path)) => path,
        None => PathBuf::from(uri.as_str()),
    }
}

/// Applies one content change to a document's text.
pub(crate) fn apply_change(
    text: &mut String,
    change: TextDocumentContentChangeEvent,
    encoding: Encoding,
) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = LineIndex::new(text);
            let start = encoding.offset_in(text, &lines, range.start);
            let end = encoding.offset_in(text, &lines, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn next(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    async fn log(&self, typ: MessageType, message: impl std::fmt::Display) {
        self.client.log_message(typ, message).await;
    }

    /// Shows a message once per session (configuration errors and the like).
    async fn show_once(&self, message: String) {
        let fresh = self.state().shown.insert(message.clone());
        if fresh {
            self.log(MessageType::ERROR, &message).await;
            self.client.show_message(MessageType::ERROR, message).await;
        }
    }

    /// Lints the document's latest text as soon as it can, without a fixed delay: when no lint
    /// of it is running, now; when one is, once more right after it (changes in between are
    /// coalesced into that one run, and the running lint's result, already stale, is not
    /// published). So a user waits at most for the lint in progress and one lint of the text
    /// they see.
    fn schedule(self: &Arc<Self>, uri: Uri) {
        {
            let mut state = self.state();
            let Some(doc) = state.docs.get_mut(&uri) else {
                return;
            };
            if doc.in_flight {
                doc.rerun = true;
                return;
            }
            doc.in_flight = true;
        }
        let inner = self.clone();
        tokio::spawn(async move {
            loop {
                let Some(generation) = inner.state().docs.get(&uri).map(|d| d.generation) else {
                    return;
                };
                inner.lint_now(&uri, Some(generation)).await;
                let mut state = inner.state();
                let Some(doc) = state.docs.get_mut(&uri) else {
                    return;
                };
                if !std::mem::take(&mut doc.rerun) {
                    doc.in_flight = false;
                    return;
                }
            }
        });
    }

    /// Lints the document now, off the runtime, and delivers the result. With `expect`, does
    /// nothing when the document moved past that generation or already has a fresh result.
    async fn lint_now(self: &Arc<Self>, uri: &Uri, expect: Option<u64>) -> Option<Arc<Linted>> {
        let snapshot = {
            let mut state = self.state();
            let config_epoch = state.config_epoch;
            let settings = state.settings.clone();
            let excludes = state.excludes.clone();
            let resolver = state.resolver.clone();
            let encoding = state.caps.encoding;
            let seq = self.next();
            let project_epoch = state
                .docs
                .get(uri)
                .map(|doc| state.project_epoch(&doc.project))?;
            let doc = state.docs.get_mut(uri)?;
            if let Some(generation) = expect {
                let fresh = doc.result.as_ref().is_some_and(|r| {
                    r.generation == doc.generation
                        && r.config_epoch == config_epoch
                        && r.project_epoch == project_epoch
                });
                if generation != doc.generation || fresh {
                    return None;
                }
            }
            doc.lint_seq = seq;
            let current =
                |a: &Analysed| a.generation == doc.generation && a.config_epoch == config_epoch;
            let stale = doc.analysis.take_if(|a| !current(a));
            let analysis = doc.analysis.clone();
            Snapshot {
                uri: uri.clone(),
                path: doc.path.clone(),
                kind: doc.kind,
                project: doc.project.clone(),
                version: doc.version,
                generation: doc.generation,
                seq,
                config_epoch,
                text: doc.text.clone(),
                analysis,
                stale,
                settings,
                excludes,
                resolver,
                encoding,
            }
        };
        let inner = self.clone();
        match tokio::task::spawn_blocking(move || inner.lint(snapshot)).await {
            Ok(done) => {
                let linted = done.linted.clone();
                self.deliver(done).await;
                Some(linted)
            }
            Err(_) => {
                self.log(
                    MessageType::ERROR,
                    format!(
                        "akslint: internal error while linting {}; please report this",
                        uri.as_str()
                    ),
                )
                .await;
                None
            }
        }
    }

    /// The document's result for its current text, linting it when there is none.
    async fn fresh(self: &Arc<Self>, uri: &Uri) -> Option<Arc<Linted>> {
        {
            let state = self.state();
            let doc = state.docs.get(uri)?;
            if let Some(result) = &doc.result
                && result.generation == doc.generation
                && result.config_epoch == state.config_epoch
                && result.project_epoch == state.project_epoch(&doc.project)
            {
                return Some(result.clone());
            }
        }
        self.lint_now(uri, None).await
    }

    /// Stores a result and publishes it, if it is still the latest for its document.
    async fn deliver(self: &Arc<Self>, done: LintDone) {
        for message in done.messages {
            self.show_once(message).await;
        }
        let linted = done.linted;
        let mut replaced = None;
        {
            let _order = self.publish.lock().await;
            let publish = {
                let mut state = self.state();
                let push = !state.caps.pull;
                match state.docs.get_mut(&linted.uri) {
                    Some(doc)
                        if doc.generation == linted.generation && doc.lint_seq == linted.seq =>
                    {
                        let unchanged = doc.result.as_ref().is_some_and(|old| {
                            old.version == linted.version && old.diagnostics == linted.diagnostics
                        });
                        replaced = doc.result.replace(linted.clone());
                        (push && !unchanged).then(|| linted.diagnostics.clone())
                    }
                    _ => None,
                }
            };
            if let Some(diagnostics) = publish {
                self.client
                    .publish_diagnostics(linted.uri.clone(), diagnostics, Some(linted.version))
                    .await;
            }
        }
        let garbage = (replaced, done.garbage);
        tokio::task::spawn_blocking(move || drop(garbage));
        if let Some(project) = done.stale_project {
            self.relint_open(Some(&project), Some(&linted.uri));
        }
    }

    /// Lints the open documents again (of one project, or all; but `except`) after their
    /// configuration or their project's cross-file inputs changed.
    fn relint_open(self: &Arc<Self>, project: Option<&Path>, except: Option<&Uri>) {
        let (uris, caps) = {
            let state = self.state();
            let uris: Vec<Uri> = state
                .docs
                .iter()
                .filter(|(u, d)| Some(*u) != except && project.is_none_or(|p| d.project == p))
                .map(|(u, _)| u.clone())
                .collect();
            (uris, state.caps)
        };
        // The closed files' findings may have changed too; a client that pulls pulls the open
        // documents' findings as well.
        if self.closed_changed(caps) || uris.is_empty() {
            return;
        }
        for uri in uris {
            self.schedule(uri);
        }
    }

    /// Asks a client that pulls diagnostics to pull again (`workspace/diagnostic/refresh`);
    /// returns whether it pulls.
    fn request_pull(&self, caps: Caps) -> bool {
        if !(caps.pull && caps.refresh) {
            return false;
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            let _ = client.workspace_diagnostic_refresh().await;
        });
        true
    }

    /// The closed files' findings may have changed (files on disk, a project's cross-file
    /// inputs, the configuration or settings): a client that pulls is asked to pull again
    /// (returns `true`); to a client that asked for the workspace's findings with
    /// [`LINT_WORKSPACE_COMMAND`], the changed ones are pushed in the background.
    fn closed_changed(self: &Arc<Self>, caps: Caps) -> bool {
        if self.request_pull(caps) {
            return true;
        }
        if self.state().workspace_linted && !self.push_queued.swap(true, Ordering::SeqCst) {
            // At most one update runs and one waits: the waiting one reads the latest state,
            // so the updates asked for meanwhile are folded into it.
            let inner = self.clone();
            tokio::spawn(async move {
                let _one_at_a_time = inner.push_closed_lock.lock().await;
                inner.push_queued.store(false, Ordering::SeqCst);
                let (closed, _) = inner.workspace_findings(false).await;
                inner.push_closed(closed).await;
            });
        }
        false
    }

    /// The findings of every file of the workspace folders that `akslint check FOLDER` lints:
    /// the closed ones from disk (see [`Inner::closed_reports`]), and with `open` the open
    /// documents' as the editor has them (linted when stale). Nothing when linting is off.
    async fn workspace_findings(
        self: &Arc<Self>,
        open: bool,
    ) -> (Vec<ClosedFindings>, Vec<Arc<Linted>>) {
        let (folders, resolver, exclude, open_docs, enabled) = {
            let state = self.state();
            let open_docs: Vec<(Uri, PathBuf)> = state
                .docs
                .iter()
                .filter(|(_, doc)| workspace::folder_of(&state.folders, &doc.path).is_some())
                .map(|(uri, doc)| (uri.clone(), doc.path.clone()))
                .collect();
            (
                state.folders.clone(),
                state.resolver.clone(),
                state.settings.exclude.clone(),
                open_docs,
                state.settings.enable,
            )
        };
        if !enabled {
            return (Vec::new(), Vec::new());
        }
        let inner = self.clone();
        let open_paths: HashSet<PathBuf> = open_docs.iter().map(|(_, p)| p.clone()).collect();
        let closed = tokio::task::spawn_blocking(move || {
            inner.closed_reports(&folders, &resolver, &exclude, &open_paths)
        })
        .await;
        let closed = match closed {
            Ok(closed) => closed,
            Err(_) => {
                self.log(
                    MessageType::ERROR,
                    "akslint: internal error while linting the workspace; please report this",
                )
                .await;
                Vec::new()
            }
        };
        let mut linted = Vec::new();
        for (uri, _) in open_docs.into_iter().filter(|_| open) {
            linted.extend(self.fresh(&uri).await);
        }
        (closed, linted)
    }

    /// The report of `workspace/diagnostic`: every file of the workspace folders that `akslint
    /// check FOLDER` lints (closed ones read from disk, open ones as the editor has them), each
    /// invalid `akslint.yaml`, and an empty report for each document reported before that has
    /// no findings now. A document whose findings still have the result id the client sent is
    /// reported unchanged.
    async fn workspace_report(
        self: &Arc<Self>,
        previous: HashMap<Uri, String>,
    ) -> WorkspaceDiagnosticReport {
        let (closed, open) = self.workspace_findings(true).await;
        let closed = closed
            .into_iter()
            .map(|c| (c.uri, None, c.result_id, c.diagnostics));
        let open = open.iter().map(|linted| {
            let diagnostics = linted.diagnostics.clone();
            let id = result_id(&diagnostics);
            (linted.uri.clone(), Some(linted.version), id, diagnostics)
        });
        let mut state = self.state();
        let mut reported = HashSet::new();
        let mut items = Vec::new();
        for (uri, version, result_id, diagnostics) in closed.chain(open) {
            if !diagnostics.is_empty() {
                reported.insert(uri.clone());
            }
            items.push(workspace_item(
                uri,
                version,
                result_id,
                diagnostics,
                &previous,
            ));
        }
        let gone: Vec<Uri> = state
            .reported
            .iter()
            .filter(|uri| !items.iter().any(|item| item_uri(item) == *uri))
            .cloned()
            .collect();
        for uri in gone {
            items.push(workspace_item(
                uri,
                None,
                result_id(&[]),
                Vec::new(),
                &previous,
            ));
        }
        state.reported = reported;
        WorkspaceDiagnosticReport { items }
    }

    /// Pushes the closed files' findings (to a client that does not pull) that are new or
    /// changed since they were last pushed, and clears those of the files no longer among them
    /// (deleted, excluded, or open: an open document's own findings replace them).
    async fn push_closed(&self, closed: Vec<ClosedFindings>) {
        let _order = self.publish.lock().await;
        let sends = {
            let mut state = self.state();
            let open: HashSet<&PathBuf> = state.docs.values().map(|doc| &doc.path).collect();
            let mut pushed = HashMap::new();
            let mut sends = Vec::new();
            for found in closed.into_iter().filter(|c| !open.contains(&c.path)) {
                let last = state.published_closed.get(&found.path);
                if last.is_none_or(|(_, id)| *id != found.result_id) {
                    sends.push((found.uri.clone(), found.diagnostics));
                }
                pushed.insert(found.path, (found.uri, found.result_id));
            }
            let gone = state
                .published_closed
                .iter()
                .filter(|(path, _)| !pushed.contains_key(*path))
                .map(|(_, (uri, _))| (uri.clone(), Vec::new()));
            sends.extend(gone);
            state.published_closed = pushed;
            sends
        };
        for (uri, diagnostics) in sends {
            self.client
                .publish_diagnostics(uri, diagnostics, None)
                .await;
        }
    }

    /// The findings of the closed files of the workspace folders (runs on a blocking thread),
    /// and the problems of each invalid `akslint.yaml` that is not open.
    fn closed_reports(
        &self,
        folders: &[PathBuf],
        resolver: &Arc<ConfigResolver>,
        exclude: &[String],
        open: &HashSet<PathBuf>,
    ) -> Vec<ClosedFindings> {
        let (files, _) = workspace::collect_files(folders, resolver, exclude, &self.engine);
        let files: Vec<_> = files
            .into_iter()
            .filter(|(p, _)| !open.contains(p))
            .collect();
        let mut reports =
            workspace::parallel_map(&files, self.options.index_threads, |(path, kind)| {
                self.closed_report(folders, resolver, path, *kind)
            });
        let encoding = self.state().caps.encoding;
        for err in resolver.invalid() {
            let Some(uri) = Uri::from_file_path(&err.path).filter(|_| !open.contains(&err.path))
            else {
                continue;
            };
            let text = std::fs::read_to_string(&err.path).unwrap_or_default();
            let file = SourceFile::new(&err.path, SourceKind::Yaml, text);
            let diagnostics = config_diagnostics(&file, &err, encoding);
            reports.push(ClosedFindings {
                path: err.path.clone(),
                uri,
                result_id: result_id(&diagnostics),
                diagnostics,
            });
        }
        reports
    }

    /// The findings of one closed file, as `akslint check` reports them (its cross-file ones
    /// included), from the cache when neither the file, its configuration nor its project's
    /// stage changed; `None` when its configuration was never valid.
    fn closed_report(
        &self,
        folders: &[PathBuf],
        resolver: &ConfigResolver,
        path: &Path,
        kind: SourceKind,
    ) -> Option<ClosedFindings> {
        let uri = Uri::from_file_path(path)?;
        let stamp = workspace::stamp(path);
        let project = workspace::project_of(&self.projects, folders, path);
        let found = |closed: &ClosedReport| ClosedFindings {
            path: path.to_owned(),
            uri: uri.clone(),
            result_id: closed.result_id.clone(),
            diagnostics: closed.diagnostics.clone(),
        };
        let (settings, encoding, config_epoch) = {
            let state = self.state();
            let project_epoch = state.project_epoch(&project);
            if let Some(cached) = state.closed.get(path).filter(|c| {
                c.stamp == stamp
                    && c.config_epoch == state.config_epoch
                    && c.project_epoch == project_epoch
            }) {
                return Some(found(cached));
            }
            (
                state.settings.clone(),
                state.caps.encoding,
                state.config_epoch,
            )
        };
        let config = resolver.for_file(path).ok()?;
        let builds = self.project_builds(&project);
        let content = Content::Disk(path.to_owned());
        let analysis = self.analyse_in_builds(&builds, path, kind, content, config);
        // Internal errors in a closed file are said when it is opened, not on every update.
        let mut ignored = Vec::new();
        let (report, project_epoch) =
            self.finish_in_project(&analysis, &project, &uri, &mut ignored);
        let (_, diagnostics) = shown(report.diagnostics, &settings, &report.file, &uri, encoding);
        let closed = ClosedReport {
            stamp,
            config_epoch,
            project_epoch,
            result_id: result_id(&diagnostics),
            diagnostics,
        };
        let found = found(&closed);
        self.state().closed.insert(path.to_owned(), closed);
        Some(found)
    }

    /// Lints a snapshot (runs on a blocking thread): the engine's per-file stage (or the
    /// document's analysis of this text), its project's stage (cached), and the last stage.
    fn lint(&self, mut snap: Snapshot) -> LintDone {
        drop(snap.stale.take());
        let text = std::mem::take(&mut snap.text);
        let mut messages = Vec::new();
        let kind = snap.kind.unwrap_or(SourceKind::Yaml);
        let empty = |text: String| Arc::new(SourceFile::new(&snap.path, kind, text));
        let mut extra = Vec::new();
        let mut stale_project = None;
        let mut garbage = Vec::new();
        let mut project_epoch = None;
        let mut finished_from = None;
        let (file, findings, suppressions) = 'lint: {
            let supported = snap.kind.is_some_and(|k| self.engine.supports(k));
            if !snap.settings.enable || snap.excludes.is_excluded(&snap.path, false) {
                (stale_project, garbage) = self.set_analysis(&snap, None, false, true);
                break 'lint (empty(text), Vec::new(), Default::default());
            }
            if workspace::is_config(&snap.path) {
                let file = empty(text);
                if let Err(err) = Config::parse(&snap.path, file.text()) {
                    extra.extend(config_diagnostics(&file, &err, snap.encoding));
                }
                break 'lint (file, Vec::new(), Default::default());
            }
            if !supported {
                break 'lint (empty(text), Vec::new(), Default::default());
            }
            let config = match snap.resolver.for_file(&snap.path) {
                Ok(config) => config,
                Err(err) => {
                    // Never valid in this session (else the resolver falls back on its last
                    // valid version): said once per file, not once per problem or edit; the
                    // problems themselves are diagnostics in the file.
                    messages.push(format!(
                        "akslint: {} is invalid; files under it get no findings until it is fixed",
                        err.path.display()
                    ));
                    break 'lint (empty(text), Vec::new(), Default::default());
                }
            };
            if config.is_excluded(&snap.path, false) {
                (stale_project, garbage) = self.set_analysis(&snap, None, false, true);
                break 'lint (empty(text), Vec::new(), Default::default());
            }
            // A build that read another text of the document (a base, a patch, a
            // kustomization) is built again, and the project's open documents linted again.
            let mut builds = self.project_builds(&snap.project);
            if builds.are_stale_for(&snap.path, snap.generation, &text) {
                garbage = self.state().invalidate_builds(&snap.project);
                stale_project = Some(snap.project.clone());
                let previous = builds;
                let kept = Kept::after_edit_of(&previous, &snap.path, &text);
                builds = self.project_builds_keeping(&snap.project, kept);
            }
            let placement_only = builds.is_placement_only(&snap.path);
            let reused = snap.analysis.take().filter(|a| {
                a.placement_only == placement_only && builds.built(&snap.path).is_none()
            });
            let analysis = match reused {
                Some(analysed) => analysed.analysis,
                None => self.analyse_in_builds(
                    &builds,
                    &snap.path,
                    kind,
                    Content::Bytes(text.into_bytes()),
                    config,
                ),
            };
            // The facts of a file a build reads, and of a kustomization, reach the project
            // stage through the builds.
            let own_facts = !placement_only && builds.built(&snap.path).is_none();
            let (stale, more_garbage) =
                self.set_analysis(&snap, Some(analysis.clone()), placement_only, own_facts);
            stale_project = stale_project.or(stale);
            garbage.extend(more_garbage);
            let (report, epoch) =
                self.finish_in_project(&analysis, &snap.project, &snap.uri, &mut messages);
            project_epoch = Some(epoch);
            finished_from = Some(analysis.clone());
            (report.file, report.diagnostics, report.suppressions)
        };
        let (findings, mut diagnostics) =
            shown(findings, &snap.settings, &file, &snap.uri, snap.encoding);
        diagnostics.extend(extra);
        let project_epoch =
            project_epoch.unwrap_or_else(|| self.state().project_epoch(&snap.project));
        LintDone {
            linted: Arc::new(Linted {
                uri: snap.uri,
                version: snap.version,
                generation: snap.generation,
                project_epoch,
                config_epoch: snap.config_epoch,
                seq: snap.seq,
                file,
                findings,
                diagnostics,
                suppressions,
                encoding: snap.encoding,
                analysis: finished_from,
            }),
            stale_project,
            garbage,
            messages,
        }
    }

    /// The last stage of a file's lint: its project's stage (cached) gives its cross-file
    /// findings, the engine finishes the file. Internal errors become messages for the user.
    /// Returns the report and the epoch of the project stage it used.
    fn finish_in_project(
        &self,
        analysis: &FileAnalysis,
        project: &Path,
        uri: &Uri,
        messages: &mut Vec<String>,
    ) -> (FileReport, u64) {
        let (findings, epoch) = self.project_findings(project);
        let errors = analysis
            .notices
            .iter()
            .chain(&findings.notices)
            .filter(|notice| notice.level == NoticeLevel::Error);
        messages.extend(errors.map(|notice| internal_error_message(uri, &notice.message)));
        let cross_file = findings
            .by_file
            .get(analysis.file.path())
            .cloned()
            .unwrap_or_default();
        let report = self.engine.finish(analysis, cross_file);
        messages.extend(
            report
                .notices
                .iter()
                .map(|notice| internal_error_message(uri, &notice.message)),
        );
        (report, epoch)
    }

    /// Stores a document's analysis (`None`: the document is not linted, excluded or off) if
    /// the lint is of its current text. When the cross-file inputs it gives its project change
    /// (its facts, or the text of a template; not when its facts are not its own, see
    /// [`Builds`]), the project's stage is made stale: the project is returned, with its stale
    /// findings.
    fn set_analysis(
        &self,
        snap: &Snapshot,
        analysis: Option<Arc<FileAnalysis>>,
        placement_only: bool,
        own_facts: bool,
    ) -> (Option<PathBuf>, Garbage) {
        let mut state = self.state();
        let previous = {
            let Some(doc) = state.docs.get(&snap.uri) else {
                return (None, Vec::new());
            };
            if doc.generation != snap.generation {
                return (None, Vec::new());
            }
            match &doc.input {
                Input::File(file) => Some(file.clone()),
                Input::Excluded => None,
                Input::NotLinted => state.disk.get(&snap.path).map(|d| d.project_file.clone()),
            }
        };
        let input = analysis.as_ref().map(|a| ProjectFile {
            parsed: None,
            ..a.project_file()
        });
        let changed = own_facts && !same_project_input(previous.as_ref(), input.as_ref());
        let Some(doc) = state.docs.get_mut(&snap.uri) else {
            return (None, Vec::new());
        };
        doc.input = input.map_or(Input::Excluded, Input::File);
        doc.analysis = analysis.map(|analysis| Analysed {
            generation: snap.generation,
            config_epoch: snap.config_epoch,
            placement_only,
            analysis,
        });
        if changed {
            let stale = state.invalidate(&snap.project);
            let garbage = stale.map(|f| Box::new(f) as Box<dyn Send>);
            return (Some(snap.project.clone()), garbage.into_iter().collect());
        }
        (None, Vec::new())
    }

    /// The analysis of a file of a project whose kustomizations are `builds`: a kustomization's
    /// is its build's (the findings of what it built are placed by the project stage); a file a
    /// build reads is analysed for placement only (text and suppressions); any other file in
    /// full, as `akslint check` analyses it.
    fn analyse_in_builds(
        &self,
        builds: &Builds,
        path: &Path,
        kind: SourceKind,
        content: Content,
        config: Arc<Config>,
    ) -> Arc<FileAnalysis> {
        if let Some(analysis) = builds.built(path) {
            return analysis;
        }
        if builds.is_placement_only(path) {
            return Arc::new(
                self.engine
                    .analyse_for_placement(path, kind, content, config),
            );
        }
        let mut analysis = self.engine.analyse(path, kind, content, config);
        if built::builds_at_source(&analysis) {
            // A kustomization not among the builds (its configuration changed meanwhile): the
            // findings of what it built are not its own.
            built::place_built(&mut analysis, Vec::new());
        }
        Arc::new(analysis)
    }

    /// The kustomizations of a project built (built when stale), with the open documents'
    /// texts (see [`Builds`]).
    fn project_builds(&self, root: &Path) -> Arc<Builds> {
        self.project_builds_keeping(root, None)
    }

    /// [`Inner::project_builds`], keeping what `kept` allows of the builds they replace.
    fn project_builds_keeping(&self, root: &Path, kept: Option<Kept<'_>>) -> Arc<Builds> {
        let (to_build, generations, epoch, resolver, open) = {
            let mut state = self.state();
            let project = state.project(root);
            if let Some(builds) = &project.builds {
                return builds.clone();
            }
            let epoch = project.builds_epoch;
            let generations = state
                .docs
                .values()
                .map(|doc| (normalize(&doc.path), doc.generation))
                .collect();
            let resolver = state.resolver.clone();
            let to_build: Vec<(PathBuf, Option<String>)> = renderings_of(&state, root);
            let open: Vec<PathBuf> = state
                .docs
                .values()
                .filter(|d| d.project == root && d.kind == Some(SourceKind::Yaml))
                .map(|d| d.path.clone())
                .collect();
            (to_build, generations, epoch, resolver, open)
        };
        // An open file built by no kustomization of the workspace (none is indexed: a file
        // opened without its folder) is linted through the kustomization of the nearest folder
        // above it, as `akslint check FILE` lints it.
        let mut to_build = to_build;
        for path in open.iter().filter(|p| !is_kustomization_file(p)) {
            if let Some(nearest) = nearest_kustomization(path)
                && !to_build.iter().any(|(k, _)| *k == nearest)
            {
                to_build.push((nearest, None));
            }
        }
        let to_build: Vec<ToBuild> = to_build
            .into_iter()
            .filter_map(|(path, text)| {
                let config = resolver.for_file(&path).ok()?;
                (!config.is_excluded(&path, false)).then_some(ToBuild { path, text, config })
            })
            .collect();
        let builds = Arc::new(Builds::new(
            &self.engine,
            &to_build,
            generations,
            self.options.index_threads,
            kept,
        ));
        let mut state = self.state();
        let project = state.project(root);
        if project.builds_epoch == epoch {
            project.builds = Some(builds.clone());
        }
        builds
    }

    /// The project stage of a project (computed when stale), with the epoch it belongs to: its
    /// cross-file findings, and the findings of its kustomizations' builds placed where their
    /// values were written.
    fn project_findings(&self, root: &Path) -> (Arc<ProjectFindings>, u64) {
        let builds = self.project_builds(root);
        let (files, epoch) = {
            let mut state = self.state();
            let project = state.project(root);
            if let Some(findings) = &project.findings {
                return (findings.clone(), project.epoch);
            }
            let epoch = project.epoch;
            (project_files(&state, root, &builds), epoch)
        };
        let mut findings = self.engine.evaluate_project(files);
        builds.place(&mut findings);
        let findings = Arc::new(findings);
        let mut state = self.state();
        let project = state.project(root);
        if project.epoch == epoch {
            project.findings = Some(findings.clone());
        }
        (findings, epoch)
    }

    /// Reads the whole workspace again (in the background), reporting progress.
    async fn reindex(self: &Arc<Self>) {
        let (folders, resolver, exclude, run, progress) = {
            let mut state = self.state();
            state.indexing += 1;
            (
                state.folders.clone(),
                state.resolver.clone(),
                state.settings.exclude.clone(),
                state.indexing,
                state.caps.progress,
            )
        };
        if folders.is_empty() {
            return;
        }
        let started = Instant::now();
        let token = NumberOrString::String(format!("akslint/index/{run}"));
        let mut report = None;
        if progress
            && self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok()
        {
            report = Some(
                self.client
                    .progress(token, "akslint")
                    .with_message("indexing the workspace")
                    .with_percentage(0)
                    .begin()
                    .await,
            );
        }
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let inner = self.clone();
        let (done2, total2) = (done.clone(), total.clone());
        let mut task = tokio::task::spawn_blocking(move || {
            let (files, _notices) =
                workspace::collect_files(&folders, &resolver, &exclude, &inner.engine);
            total2.store(files.len(), Ordering::SeqCst);
            workspace::read_files(
                &inner.engine,
                &resolver,
                &inner.projects,
                &folders,
                &files,
                &done2,
                inner.options.index_threads,
            )
        });
        let result = loop {
            tokio::select! {
                result = &mut task => break result,
                () = tokio::time::sleep(Duration::from_millis(250)) => {
                    if let Some(report) = &report {
                        let total = total.load(Ordering::SeqCst).max(1);
                        let done = done.load(Ordering::SeqCst);
                        report
                            .report_with_message(format!("{done}/{total} files"), (done * 100 / total) as u32)
                            .await;
                    }
                }
            }
        };
        let Ok(disk) = result else {
            if let Some(report) = report {
                report.finish_with_message("failed").await;
            }
            self.log(
                MessageType::ERROR,
                "akslint: internal error while indexing the workspace",
            )
            .await;
            return;
        };
        let count = disk.len();
        let with_facts = disk
            .values()
            .filter(|d| !d.project_file.facts.is_empty())
            .count();
        {
            let mut state = self.state();
            if state.indexing != run {
                return;
            }
            state.disk = disk;
            state.invalidate_all();
        }
        let message = format!(
            "indexed {count} files ({with_facts} with cross-file facts) in {} ms",
            started.elapsed().as_millis()
        );
        if let Some(report) = report {
            report.finish_with_message(message.clone()).await;
        }
        self.log(MessageType::INFO, format!("akslint: {message}"))
            .await;
        self.relint_open(None, None);
    }

    /// Reads some files of the workspace from disk again; lints the open documents of the
    /// projects whose cross-file inputs changed.
    async fn refresh_files(self: &Arc<Self>, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        let (resolver, exclude, folders) = {
            let state = self.state();
            (
                state.resolver.clone(),
                state.settings.exclude.clone(),
                state.folders.clone(),
            )
        };
        let inner = self.clone();
        let read = tokio::task::spawn_blocking(move || {
            let (walked, _) =
                workspace::collect_files(&folders, &resolver, &exclude, &inner.engine);
            paths
                .into_iter()
                .map(|path| {
                    let file = walked
                        .iter()
                        .find(|(p, _)| *p == path)
                        .and_then(|(_, kind)| {
                            workspace::read_file(
                                &inner.engine,
                                &resolver,
                                &inner.projects,
                                &folders,
                                &path,
                                *kind,
                            )
                        });
                    // What a kustomization's build would read of it now.
                    let text = DiskLoader::default().load_text(&path);
                    (path, file, text)
                })
                .collect::<Vec<_>>()
        })
        .await;
        let Ok(read) = read else { return };
        let (stale, caps): (Vec<PathBuf>, Caps) = {
            let mut state = self.state();
            let mut stale = Vec::new();
            for (path, file, text) in read {
                state.closed.remove(&path);
                let old = state.disk.get(&path).cloned();
                let came_or_went = old.is_some() != file.is_some();
                let homes = [old.as_ref(), file.as_ref()].map(|d| d.map(|d| d.project.clone()));
                for project in builds_reading(&state, &path, text.as_deref(), came_or_went, &homes)
                {
                    state.invalidate_builds(&project);
                    if !stale.contains(&project) {
                        stale.push(project);
                    }
                }
                let same = same_project_input(
                    old.as_ref().map(|d| &d.project_file),
                    file.as_ref().map(|d| &d.project_file),
                );
                if same {
                    continue;
                }
                for project in [
                    old.map(|d| d.project),
                    file.as_ref().map(|d| d.project.clone()),
                ]
                .into_iter()
                .flatten()
                {
                    if !stale.contains(&project) {
                        stale.push(project);
                    }
                }
                match file {
                    Some(file) => {
                        state.disk.insert(path, file);
                    }
                    None => {
                        state.disk.remove(&path);
                    }
                }
            }
            for project in &stale {
                state.invalidate(project);
            }
            (stale, state.caps)
        };
        // A closed file's own findings may have changed even when its facts did not.
        if self.closed_changed(caps) {
            return;
        }
        for project in stale {
            self.relint_open(Some(&project), None);
        }
    }

    /// `akslint.yaml` changed: forget cached configurations and projects, re-index, re-lint.
    fn config_changed(self: &Arc<Self>) {
        {
            let mut state = self.state();
            state.resolver.clear();
            self.projects.clear();
            state.config_epoch += 1;
        }
        self.relint_open(None, None);
        let inner = self.clone();
        tokio::spawn(async move { inner.reindex().await });
    }

    /// Applies new client settings.
    async fn apply_settings(self: &Arc<Self>, settings: Settings) {
        let (excludes_changed, errors) = {
            let mut state = self.state();
            if state.settings == settings {
                return;
            }
            let excludes_changed = state.settings.exclude != settings.exclude
                || state.settings.enable != settings.enable;
            let (excludes, errors) = Excludes::new(&state.folders, &settings.exclude);
            state.settings = settings;
            state.excludes = excludes;
            state.config_epoch += 1;
            (excludes_changed, errors)
        };
        for error in errors {
            self.show_once(format!("akslint: {error}")).await;
        }
        self.relint_open(None, None);
        if excludes_changed {
            let inner = self.clone();
            tokio::spawn(async move { inner.reindex().await });
        }
    }

    /// Asks the client for the `akslint` section of its settings.
    async fn pull_settings(self: &Arc<Self>) {
        if !self.state().caps.configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("akslint".to_owned()),
        };
        match self.client.configuration(vec![item]).await {
            Ok(values) => match values.first().map(Settings::from_json) {
                Some(Ok(Some(settings))) => self.apply_settings(settings).await,
                Some(Err(message)) => self.show_once(format!("akslint: {message}")).await,
                _ => {}
            },
            Err(err) => {
                self.log(
                    MessageType::WARNING,
                    format!(
                        "akslint: could not read the client's settings: {}",
                        err.message
                    ),
                )
                .await;
            }
        }
    }

    /// Asks the client to tell the server about changes to the files it lints and the files a
    /// chart renders with: YAML, Bicep, JSON (ARM templates, a chart's `values.schema.json`),
    /// a chart's helpers and text templates, and its packed dependencies.
    async fn register_watchers(&self) {
        if !self.state().caps.watch_registration {
            return;
        }
        let watchers = WATCHED_FILES
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).to_owned()),
                kind: None,
            })
            .collect();
        let registration = Registration {
            id: "akslint-watched-files".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        if let Err(err) = self.client.register_capability(vec![registration]).await {
            self.log(
                MessageType::WARNING,
                format!("akslint: could not watch files: {}", err.message),
            )
            .await;
        }
    }
}

/// The files of a project as its stage sees them: the workspace's files on disk, each open
/// document's text (and an open document that is not on disk) in place of its file; the files
/// the builds read through the builds only, and each kustomization as what it built.
fn project_files(state: &State, root: &Path, builds: &Builds) -> Vec<ProjectFile> {
    let mut files: HashMap<PathBuf, ProjectFile> = state
        .disk
        .iter()
        .filter(|(_, d)| d.project == root)
        .map(|(path, d)| (path.clone(), d.project_file.clone()))
        .collect();
    for doc in state.docs.values().filter(|d| d.project == root) {
        match (&doc.analysis, &doc.input) {
            (Some(analysed), Input::File(_)) => {
                files.insert(doc.path.clone(), analysed.analysis.project_file());
            }
            (None, Input::File(input)) => {
                files.insert(doc.path.clone(), input.clone());
            }
            (_, Input::Excluded) => {
                files.remove(doc.path.as_path());
            }
            (_, Input::NotLinted) => {}
        }
    }
    files.retain(|path, _| !builds.is_placement_only(path));
    files.extend(builds.project_files());
    let mut files: Vec<ProjectFile> = files.into_values().collect();
    files.sort_by(|a, b| a.file.path().cmp(b.file.path()));
    files
}

/// The projects whose builds a change of a closed file on disk makes stale: those whose builds
/// read another text of it (`text`, now) or render the chart whose folder holds it, and, when
/// it is a kustomization or a file that came or went (a build may name it), its own projects
/// (`homes`, before and now). An open file's change on disk changes no build: the builds read
/// the document.
fn builds_reading(
    state: &State,
    path: &Path,
    text: Option<&str>,
    came_or_went: bool,
    homes: &[Option<PathBuf>; 2],
) -> Vec<PathBuf> {
    if state.docs.values().any(|doc| doc.path == path) {
        return Vec::new();
    }
    let comes_or_goes = came_or_went || is_kustomization_file(path);
    state
        .projects
        .iter()
        .filter(|(root, project)| {
            let Some(builds) = &project.builds else {
                return false;
            };
            match builds.read_text(path) {
                Some(read) => Some(read) != text,
                None => {
                    builds.in_rendered_chart(path)
                        || (comes_or_goes && homes.iter().flatten().any(|home| home == *root))
                }
            }
        })
        .map(|(root, _)| root.clone())
        .collect()
}

/// The kustomization of the nearest folder above a file, on disk.
fn nearest_kustomization(path: &Path) -> Option<PathBuf> {
    (path.ancestors().skip(1))
        .find_map(|dir| akslint_kustomize::kustomization::kustomization_in(dir, Path::is_file))
}

/// The files of a project that render (see [`Builds`]): its kustomizations and chart
/// templates, those on disk, each open one with its text (and an open one that is not on
/// disk); not those the settings exclude.
fn renderings_of(state: &State, root: &Path) -> Vec<(PathBuf, Option<String>)> {
    if !state.settings.enable {
        return Vec::new();
    }
    let mut texts: HashMap<&Path, Option<String>> = state
        .disk
        .iter()
        .filter(|(path, d)| d.project == root && renders(path, None))
        .map(|(path, _)| (path.as_path(), None))
        .collect();
    for doc in state.docs.values() {
        if doc.project == root
            && doc.kind == Some(SourceKind::Yaml)
            && renders(&doc.path, Some(&doc.text))
        {
            texts.insert(&doc.path, Some(doc.text.clone()));
        }
    }
    texts
        .into_iter()
        .filter(|(path, _)| !state.excludes.is_excluded(path, false))
        .map(|(path, text)| (path.to_owned(), text))
        .collect()
}

/// Whether a YAML file renders to what is linted: a kustomization, or a chart's template (with
/// a template action, when its text is at hand).
fn renders(path: &Path, text: Option<&str>) -> bool {
    is_kustomization_file(path) || crate::builds::is_chart_template(path, text)
}

/// The findings at or above the severity the settings show, and their diagnostics.
fn shown(
    findings: Vec<akslint_core::Diagnostic>,
    settings: &Settings,
    file: &SourceFile,
    uri: &Uri,
    encoding: Encoding,
) -> (Vec<akslint_core::Diagnostic>, Vec<Diagnostic>) {
    let findings: Vec<_> = findings
        .into_iter()
        .filter(|f| f.severity >= settings.severity)
        .collect();
    let diagnostics = findings
        .iter()
        .map(|f| convert::diagnostic(f, file, uri, encoding))
        .collect();
    (findings, diagnostics)
}

/// Whether two versions of a file give its project's stage the same inputs: the same facts,
/// and for a template the same text.
fn same_project_input(old: Option<&ProjectFile>, new: Option<&ProjectFile>) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(old), Some(new)) => {
            let template = |f: &ProjectFile| f.file.kind().is_azure_template();
            old.facts == new.facts
                && template(old) == template(new)
                && (!template(new) || old.file.text() == new.file.text())
        }
        _ => false,
    }
}

/// A message for the user about an internal error while linting a document; the notice's
/// detail may quote the file's text, so only what failed is said.
fn internal_error_message(uri: &Uri, notice: &str) -> String {
    let what = notice.split(':').next().unwrap_or("internal error");
    format!(
        "akslint: {what} while linting {}; please report this (`akslint check` on the file shows the details)",
        uri.as_str()
    )
}

/// The problems of a configuration file as diagnostics on `akslint.yaml` itself, each on the
/// bytes it is about (a problem with no bytes, on the rest of its line).
fn config_diagnostics(
    file: &SourceFile,
    err: &akslint_engine::ConfigError,
    encoding: Encoding,
) -> Vec<Diagnostic> {
    let text = file.text();
    let lines = file.lines();
    err.problems
        .iter()
        .map(|problem| {
            let start = (problem.span.start as usize).min(text.len());
            let span = if problem.span.is_empty() {
                let line_end = lines.line_span(text, lines.line_of(start)).end as usize;
                Span::new(start, line_end.max(start))
            } else {
                problem.span
            };
            Diagnostic {
                range: encoding.range(file, span),
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String("config".to_owned())),
                source: Some(SOURCE.to_owned()),
                message: format!("invalid configuration: {}", problem.message),
                ..Diagnostic::default()
            }
        })
        .collect()
}

/// The result id of a document's diagnostics: a hash of them, so that the same findings have
/// the same id whichever request computed them.
fn result_id(diagnostics: &[Diagnostic]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    serde_json::to_string(diagnostics)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// A document's item of a workspace report: unchanged when the client has this result.
fn workspace_item(
    uri: Uri,
    version: Option<i32>,
    result_id: String,
    items: Vec<Diagnostic>,
    previous: &HashMap<Uri, String>,
) -> WorkspaceDocumentDiagnosticReport {
    let version = version.map(i64::from);
    if previous.get(&uri) == Some(&result_id) {
        WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
            uri,
            version,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        })
    } else {
        WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
            uri,
            version,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items,
            },
        })
    }
}

/// The document a workspace report's item is about.
fn item_uri(item: &WorkspaceDocumentDiagnosticReport) -> &Uri {
    match item {
        WorkspaceDocumentDiagnosticReport::Full(full) => &full.uri,
        WorkspaceDocumentDiagnosticReport::Unchanged(unchanged) => &unchanged.uri,
    }
}

/// Runs `f`, turning a panic into an internal error response.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> RpcResult<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        let mut error = jsonrpc::Error::internal_error();
        error.message = format!("akslint: internal error in {what}").into();
        error
    })
}

impl LanguageServer for AkslintServer {
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        let mut caps = {
            let c = &params.capabilities;
            let text = c.text_document.as_ref();
            let workspace = c.workspace.as_ref();
            Caps {
                encoding: Encoding::negotiate(
                    c.general
                        .as_ref()
                        .and_then(|g| g.position_encodings.as_deref()),
                ),
                pull: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
                refresh: workspace
                    .and_then(|w| w.diagnostics.as_ref())
                    .and_then(|d| d.refresh_support)
                    .unwrap_or(false),
                progress: c
                    .window
                    .as_ref()
                    .and_then(|w| w.work_done_progress)
                    .unwrap_or(false),
                document_changes: workspace
                    .and_then(|w| w.workspace_edit.as_ref())
                    .and_then(|e| e.document_changes)
                    .unwrap_or(false),
                configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
                watch_registration: workspace
                    .and_then(|w| w.did_change_watched_files.as_ref())
                    .and_then(|d| d.dynamic_registration)
                    .unwrap_or(false),
            }
        };
        // Findings depend on other files and on akslint.yaml: pull only from a client that can
        // be told to pull again (`workspace/diagnostic/refresh`), else push.
        caps.pull &= caps.refresh;
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(Cow::into_owned))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
        {
            folders.push(root.into_owned());
        }
        let settings = params
            .initialization_options
            .as_ref()
            .map(Settings::from_json)
            .transpose();
        {
            let mut state = self.inner.state();
            state.caps = caps;
            if let Some(first) = folders.first() {
                state.resolver = Arc::new(ConfigResolver::discover(first).keeping_last_valid());
            }
            match settings {
                Ok(Some(Some(settings))) => {
                    let (excludes, errors) = Excludes::new(&folders, &settings.exclude);
                    state.excludes = excludes;
                    state.settings = settings;
                    state.pending_messages.extend(errors);
                }
                Err(message) => state.pending_messages.push(message),
                _ => {}
            }
            state.folders = folders;
        }
        let code_action_kinds = vec![CodeActionKind::QUICKFIX, CodeActionKind::from(FIX_ALL_KIND)];
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(caps.encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![LINT_WORKSPACE_COMMAND.to_owned()],
                    ..ExecuteCommandOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(code_action_kinds),
                        resolve_provider: Some(false),
                        ..CodeActionOptions::default()
                    },
                )),
                diagnostic_provider: caps.pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(SOURCE.to_owned()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        ..DiagnosticOptions::default()
                    })
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "akslint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let inner = self.inner.clone();
        let messages = std::mem::take(&mut inner.state().pending_messages);
        tokio::spawn(async move {
            for message in messages {
                inner.show_once(format!("akslint: {message}")).await;
            }
            inner.pull_settings().await;
            inner.register_watchers().await;
            inner.reindex().await;
        });
    }

    async fn shutdown(&self) -> RpcResult<()> {
        self.inner.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let path = path_of(&document.uri);
        let kind = kind_of(&path, &document.language_id, &document.text);
        {
            let mut state = self.inner.state();
            let generation = self.inner.next();
            let project = workspace::project_of(&self.inner.projects, &state.folders, &path);
            self.inner.open_texts.set(&path, &document.text);
            state.docs.insert(
                document.uri.clone(),
                Doc {
                    path: path.clone(),
                    kind,
                    project,
                    version: document.version,
                    text: document.text,
                    generation,
                    lint_seq: 0,
                    in_flight: false,
                    rerun: false,
                    analysis: None,
                    input: Input::NotLinted,
                    result: None,
                },
            );
        }
        // Its pushed findings from disk make way for the document's own (taken under the
        // publishing lock, after it is open, so that no push of closed files brings them back).
        {
            let _order = self.inner.publish.lock().await;
            let pushed = self.inner.state().published_closed.remove(&path);
            if let Some((uri, _)) = pushed {
                self.inner
                    .client
                    .publish_diagnostics(uri, Vec::new(), None)
                    .await;
            }
        }
        self.inner.schedule(document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let known = {
            let mut state = self.inner.state();
            let encoding = state.caps.encoding;
            let generation = self.inner.next();
            match state.docs.get_mut(&uri) {
                Some(doc) => {
                    for change in params.content_changes {
                        apply_change(&mut doc.text, change, encoding);
                    }
                    self.inner.open_texts.set(&doc.path, &doc.text);
                    doc.version = params.text_document.version;
                    doc.generation = generation;
                    true
                }
                None => false,
            }
        };
        if known {
            self.inner.schedule(uri);
        } else {
            self.inner
                .log(
                    MessageType::WARNING,
                    format!("akslint: a change to {}, which is not open", uri.as_str()),
                )
                .await;
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let path = path_of(&params.text_document.uri);
        if workspace::is_config(&path) {
            self.inner.config_changed();
        } else {
            self.inner.refresh_files(vec![path]).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (closed, stale) = {
            let mut state = self.inner.state();
            let closed = state.docs.remove(&uri);
            if let Some(doc) = &closed {
                self.inner.open_texts.remove(&doc.path);
            }
            // The file's cross-file inputs now come from disk again.
            let stale = closed.as_ref().is_some_and(|doc| {
                let open = match &doc.input {
                    Input::File(file) => Some(file),
                    Input::Excluded => None,
                    Input::NotLinted => return false,
                };
                let disk = state.disk.get(&doc.path).map(|d| &d.project_file);
                !same_project_input(open, disk)
            });
            if let Some(doc) = closed.as_ref().filter(|_| stale) {
                state.invalidate(&doc.project);
            }
            (closed, stale)
        };
        {
            let _order = self.inner.publish.lock().await;
            self.inner
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
        if let Some(doc) = closed {
            if stale {
                self.inner.relint_open(Some(&doc.project), None);
            }
            let inner = self.inner.clone();
            tokio::spawn(async move { inner.refresh_files(vec![doc.path]).await });
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config = false;
        let mut paths = Vec::new();
        for change in params.changes {
            let path = path_of(&change.uri);
            if workspace::is_config(&path) {
                config = true;
            } else if SourceKind::from_path(&path).is_some()
                || SourceKind::may_be_arm_template(&path)
            {
                // A `.json` file counts when the walk finds it an ARM template.
                paths.push(path);
            } else if akslint_helm::chart_of_file(&path).is_some() {
                // A helper, text template or packed dependency: the builds that render its
                // chart are stale.
                paths.push(path);
            }
        }
        if config {
            self.inner.config_changed();
        } else if !paths.is_empty() {
            let inner = self.inner.clone();
            tokio::spawn(async move { inner.refresh_files(paths).await });
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let inner = self.inner.clone();
        match Settings::from_json(&params.settings) {
            Ok(Some(settings)) if params.settings.get("akslint").is_some() => {
                inner.apply_settings(settings).await;
            }
            Err(message) if params.settings.get("akslint").is_some() => {
                inner.show_once(format!("akslint: {message}")).await;
            }
            _ => {
                tokio::spawn(async move { inner.pull_settings().await });
            }
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        {
            let mut state = self.inner.state();
            let removed: Vec<PathBuf> = params
                .event
                .removed
                .iter()
                .filter_map(|f| f.uri.to_file_path().map(Cow::into_owned))
                .collect();
            state.folders.retain(|f| !removed.contains(f));
            for added in &params.event.added {
                if let Some(path) = added.uri.to_file_path() {
                    state.folders.push(path.into_owned());
                }
            }
            let (excludes, _) = Excludes::new(&state.folders, &state.settings.exclude);
            state.excludes = excludes;
        }
        let inner = self.inner.clone();
        tokio::spawn(async move { inner.reindex().await });
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> RpcResult<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let report = match self.inner.fresh(&uri).await {
            Some(linted) => {
                let result_id = result_id(&linted.diagnostics);
                if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
                    DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                        related_documents: None,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id,
                        },
                    })
                } else {
                    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                        related_documents: None,
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: Some(result_id),
                            items: linted.diagnostics.clone(),
                        },
                    })
                }
            }
            None => DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport::default()),
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> RpcResult<WorkspaceDiagnosticReportResult> {
        let previous = params
            .previous_result_ids
            .into_iter()
            .map(|p| (p.uri, p.value))
            .collect();
        let report = self.inner.workspace_report(previous).await;
        Ok(WorkspaceDiagnosticReportResult::Report(report))
    }

    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        let Some(linted) = self.inner.fresh(&params.text_document.uri).await else {
            return Ok(None);
        };
        let style = EditStyle {
            document_changes: self.inner.state().caps.document_changes,
        };
        let only = params.context.only.as_deref();
        let engine = &self.inner.engine;
        let fix_of = |finding: &akslint_core::Diagnostic| match &linted.analysis {
            Some(analysis) => engine.write_fix(analysis, finding),
            None => finding.fix.as_deref().cloned(),
        };
        let actions = guarded("code actions", || {
            actions::code_actions(&linted, params.range, only, style, &fix_of)
        })?;
        Ok(Some(actions))
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> RpcResult<Option<serde_json::Value>> {
        if params.command != LINT_WORKSPACE_COMMAND {
            let mut error = jsonrpc::Error::invalid_params(format!(
                "akslint: unknown command {:?} (the server offers {LINT_WORKSPACE_COMMAND})",
                params.command
            ));
            error.data = None;
            return Err(error);
        }
        // The same findings, through the same cache, as `workspace/diagnostic`: a client that
        // pulls is asked to pull them; to one that does not, the closed files' are pushed and
        // from then on kept current.
        let caps = self.inner.state().caps;
        if !caps.pull {
            self.inner.state().workspace_linted = true;
        }
        let _one_at_a_time = self.inner.push_closed_lock.lock().await;
        let (closed, open) = self.inner.workspace_findings(true).await;
        let files = closed.len() + open.len();
        let findings = closed.iter().map(|c| c.diagnostics.len()).sum::<usize>()
            + open.iter().map(|l| l.diagnostics.len()).sum::<usize>();
        if caps.pull {
            self.inner.request_pull(caps);
        } else {
            self.inner.push_closed(closed).await;
        }
        Ok(Some(
            serde_json::json!({ "files": files, "findings": findings }),
        ))
    }

    async fn hover(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        let position = params.text_document_position_params;
        let Some(linted) = self.inner.fresh(&position.text_document.uri).await else {
            return Ok(None);
        };
        guarded("hover", || hover::hover(&linted, position.position))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change replacing `from..to` of one line with `new`.
    fn change(line: u32, from: u32, to: u32, new: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(line, from),
                Position::new(line, to),
            )),
            range_length: None,
            text: new.to_owned(),
        }
    }

    #[test]
    fn incremental_changes_in_both_encodings() {
        let mut text = String::from("a: \u{1F600}x\nb: 2\n");
        apply_change(&mut text, change(0, 5, 6, "y"), Encoding::Utf16);
        assert_eq!(text, "a: \u{1F600}y\nb: 2\n");
        apply_change(&mut text, change(0, 7, 8, "z"), Encoding::Utf8);
        assert_eq!(text, "a: \u{1F600}z\nb: 2\n");
        apply_change(&mut text, change(1, 3, 4, "33"), Encoding::Utf16);
        assert_eq!(text, "a: \u{1F600}z\nb: 33\n");
        apply_change(
            &mut text,
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".to_owned(),
            },
            Encoding::Utf16,
        );
        assert_eq!(text, "new");
    }

    #[test]
    fn lines_end_at_cr_lf_and_lone_cr_as_the_protocol_counts_them() {
        let mut text = String::from("a: 1\rb: 2\r\nc: 3\nd: 4");
        apply_change(&mut text, change(1, 3, 4, "20"), Encoding::Utf16);
        assert_eq!(text, "a: 1\rb: 20\r\nc: 3\nd: 4");
        apply_change(&mut text, change(2, 3, 4, "30"), Encoding::Utf8);
        assert_eq!(text, "a: 1\rb: 20\r\nc: 30\nd: 4");
        // A column past the line's end is the line's end, before its break.
        apply_change(&mut text, change(0, 99, 99, "0"), Encoding::Utf16);
        assert_eq!(text, "a: 10\rb: 20\r\nc: 30\nd: 4");
    }

    #[test]
    fn kinds_from_extension_then_language() {
        assert_eq!(
            kind_of(Path::new("/a/x.yml"), "plaintext", ""),
            Some(SourceKind::Yaml)
        );
        assert_eq!(
            kind_of(Path::new("/a/x"), "bicep", ""),
            Some(SourceKind::Bicep)
        );
        assert_eq!(
            kind_of(Path::new("untitled:1"), "bicep-params", ""),
            Some(SourceKind::BicepParam)
        );
        assert_eq!(kind_of(Path::new("/a/x.txt"), "plaintext", ""), None);
        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}"#;
        assert_eq!(
            kind_of(Path::new("/a/azuredeploy.json"), "json", template),
            Some(SourceKind::ArmTemplate)
        );
        assert_eq!(kind_of(Path::new("/a/package.json"), "json", "{}"), None);
    }

    #[test]
    fn a_charts_helper_file_is_yaml_whatever_its_language() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("web/templates")).unwrap();
        std::fs::write(dir.path().join("web/Chart.yaml"), "name: web\n").unwrap();
        let helper = dir.path().join("web/templates/_helpers.tpl");
        for language in ["plaintext", "helm", "smarty"] {
            assert_eq!(kind_of(&helper, language, ""), Some(SourceKind::Yaml));
        }
        // Not in a chart: a .tpl file is not akslint's.
        let elsewhere = dir.path().join("templates/mail.tpl");
        assert_eq!(kind_of(&elsewhere, "plaintext", ""), None);
    }
}
