//! A project's renderings, as `akslint check` makes them (see `akslint_engine::run`): its
//! kustomizations built and its chart templates rendered, each with the open documents' texts,
//! its rules run on what it rendered and their findings placed in the files that wrote the
//! values (a base, a patch; a chart's `values.yaml`); the files the builds read are linted
//! only through them (a patch is no whole object), and the project stage's findings in a
//! rendered text are placed the same way, each finding once with the kustomizations or
//! templates that reach it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{SharedSource, SourceKind};
use akslint_engine::built::{self, PlacedFinding};
use akslint_engine::{Config, Content, Engine, FileAnalysis, ProjectFile, ProjectFindings};
use akslint_kustomize::is_kustomization_file;
use akslint_kustomize::kustomization::normalize;

use crate::workspace;

/// Whether a file is a chart's template or helper (`.tpl`; under a chart's `templates/`
/// folder, with a template action when its text is at hand): it renders with its chart (an
/// edit of a helper renders the chart's templates again).
pub fn is_chart_template(path: &Path, text: Option<&str>) -> bool {
    let template = path
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml" || e == "tpl");
    template
        && match text {
            Some(text) => akslint_helm::is_chart_template(path, text),
            None => {
                path.components().any(|c| c.as_os_str() == "templates")
                    && akslint_helm::chart_of(path).is_some()
            }
        }
}

/// A file to render (a kustomization, a chart template): its path, its open document's text
/// (else it is read from disk), and its configuration.
pub struct ToBuild {
    /// The file.
    pub path: PathBuf,
    /// The open document's text, if it is open.
    pub text: Option<String>,
    /// The configuration that applies to it.
    pub config: Arc<Config>,
}

/// One kustomization built, or chart template rendered.
#[derive(Clone)]
struct Built {
    /// Its analysis, the findings placed in other files taken out: what is left is its own
    /// (build errors; what a template wrote itself), with its suppressions and the facts of
    /// what it rendered.
    analysis: Arc<FileAnalysis>,
    /// The findings of its rules on what it rendered, placed in other files.
    placed: Vec<PlacedFinding>,
    /// The text it was rendered from: the open document's, or `None` for the file on disk.
    text: Option<String>,
    /// The folder of its chart, for a chart template (normalized).
    chart: Option<PathBuf>,
}

/// Earlier builds of a project and the one open document whose edit alone made them stale: a
/// chart template that is no helper ([`Kept::after_edit_of`]). A chart's other templates
/// render as before (the front end renders them with their chart's files on disk, and only
/// values and helper files as the editor has them), so their renderings are kept.
pub struct Kept<'a> {
    previous: &'a Builds,
    edited: PathBuf,
}

impl<'a> Kept<'a> {
    /// What of `previous` a build may keep after an edit of the open document at `path` to
    /// `text`: its other chart templates' renderings when the document is a chart template
    /// that is no helper; `None` otherwise (a values, helper or `Chart.yaml` edit, a
    /// kustomization's, changes what the others render).
    pub fn after_edit_of(previous: &'a Builds, path: &Path, text: &str) -> Option<Kept<'a>> {
        let template = is_chart_template(path, Some(text)) && !akslint_helm::chart::is_helper(path);
        template.then(|| Kept {
            previous,
            edited: normalize(path),
        })
    }

    /// Whether the edited document is the only open document that changed since the earlier
    /// builds started (`generations`: the open documents' now; none opened or closed).
    fn alone_changed(&self, generations: &HashMap<PathBuf, u64>) -> bool {
        generations.len() == self.previous.generations.len()
            && generations
                .iter()
                .all(|(p, g)| *p == self.edited || self.previous.generations.get(p) == Some(g))
    }

    /// The earlier rendering of `k`, if it can be kept: a chart template other than the edited
    /// one, rendered from the same text with the same configuration.
    fn rendering_of(&self, k: &ToBuild) -> Option<Built> {
        let path = normalize(&k.path);
        if path == self.edited || is_kustomization_file(&path) {
            return None;
        }
        let built = &self.previous.kustomizations[*self.previous.by_path.get(&path)?];
        (built.text == k.text && Arc::ptr_eq(&built.analysis.config, &k.config))
            .then(|| built.clone())
    }
}

/// The kustomizations of a project built and its chart templates rendered (see the module's
/// documentation).
#[derive(Default)]
pub struct Builds {
    /// Each kustomization built and chart template rendered, by path.
    kustomizations: Vec<Built>,
    /// The index in `kustomizations` of each one's normalized path.
    by_path: HashMap<PathBuf, usize>,
    /// Every file a rendering read (kustomizations and templates included), by normalized
    /// path, with the text it read.
    read: HashMap<PathBuf, SharedSource>,
    /// The files read by a build that are not kustomizations: linted only through the builds.
    placement_only: HashSet<PathBuf>,
    /// The folders of the charts whose templates render here (normalized).
    charts: HashSet<PathBuf>,
    /// The generation of each open document when the builds started.
    generations: HashMap<PathBuf, u64>,
}

impl Builds {
    /// Builds the kustomizations on `threads` threads (keeping what `kept` allows of earlier
    /// builds); `generations` are those of the open documents, taken before (their texts are
    /// read through the engine's loader).
    pub fn new(
        engine: &Engine,
        to_build: &[ToBuild],
        generations: HashMap<PathBuf, u64>,
        threads: usize,
        kept: Option<Kept<'_>>,
    ) -> Builds {
        let kept = kept.filter(|kept| kept.alone_changed(&generations));
        let (mut kustomizations, to_build): (Vec<Built>, Vec<&ToBuild>) = match &kept {
            Some(kept) => {
                let mut reused = Vec::new();
                let mut left = Vec::new();
                for k in to_build {
                    match kept.rendering_of(k) {
                        Some(built) => reused.push(built),
                        None => left.push(k),
                    }
                }
                (reused, left)
            }
            None => (Vec::new(), to_build.iter().collect()),
        };
        kustomizations.extend(workspace::parallel_map(&to_build, threads, |k| {
            let content = match &k.text {
                Some(text) => Content::Bytes(text.clone().into_bytes()),
                None => Content::Disk(k.path.clone()),
            };
            let mut analysis = engine.analyse(&k.path, SourceKind::Yaml, content, k.config.clone());
            let placed = built::place_built(&mut analysis, Vec::new());
            let chart = (!is_kustomization_file(&k.path))
                .then(|| akslint_helm::chart_of(&k.path).map(|dir| normalize(&dir)))
                .flatten();
            Some(Built {
                analysis: Arc::new(analysis),
                placed,
                text: k.text.clone(),
                chart,
            })
        }));
        kustomizations.sort_by(|a, b| a.analysis.file.path().cmp(b.analysis.file.path()));
        let by_path = kustomizations
            .iter()
            .enumerate()
            .map(|(at, built)| (normalize(built.analysis.file.path()), at))
            .collect();
        let mut read = HashMap::new();
        let mut placement_only = HashSet::new();
        for built in &kustomizations {
            let rendered = built.analysis.rendered.as_ref();
            for source in rendered.into_iter().flat_map(|r| &r.sources) {
                read.entry(normalize(source.path()))
                    .or_insert_with(|| source.clone());
            }
            placement_only.extend(built::files_read_by_build(&built.analysis));
        }
        let charts = kustomizations
            .iter()
            .filter_map(|b| b.chart.clone())
            .collect();
        Builds {
            kustomizations,
            by_path,
            read,
            placement_only,
            charts,
            generations,
        }
    }

    /// Whether a file is linted only through the builds that read it (a base's resource, a
    /// patch): its own findings are not shown, the builds' are placed in it.
    pub fn is_placement_only(&self, path: &Path) -> bool {
        self.placement_only.contains(&normalize(path))
    }

    /// The analysis of a kustomization built or chart template rendered here (the findings
    /// placed in other files taken out).
    pub fn built(&self, path: &Path) -> Option<Arc<FileAnalysis>> {
        let at = *self.by_path.get(&normalize(path))?;
        Some(self.kustomizations[at].analysis.clone())
    }

    /// Whether a file is in the folder of a chart whose templates render here: loading the
    /// chart reads it (`Chart.yaml`, a file of `.Files`, a dependency), so a change of it on
    /// disk changes what they render.
    pub fn in_rendered_chart(&self, path: &Path) -> bool {
        let path = normalize(path);
        self.charts.iter().any(|chart| path.starts_with(chart))
    }

    /// The text a build read of a file, if one read it.
    pub fn read_text(&self, path: &Path) -> Option<&str> {
        self.read.get(&normalize(path)).map(|file| file.text())
    }

    /// Whether the builds are stale for an open document with this text and generation: a
    /// build read another text of it, it was rendered from another text (a chart template
    /// that renders nothing), or it renders and was not rendered. Never for the generation the
    /// builds started with, so a text a build cannot read as the editor has it (a byte order
    /// mark) is built once per edit, not again and again.
    pub fn are_stale_for(&self, path: &Path, generation: u64, text: &str) -> bool {
        let path = normalize(path);
        if self.generations.get(&path) == Some(&generation) {
            return false;
        }
        match (self.read.get(&path), self.built(&path)) {
            (Some(read), _) => read.text() != text,
            (None, Some(built)) => built.file.text() != text,
            (None, None) => is_kustomization_file(&path) || is_chart_template(&path, Some(text)),
        }
    }

    /// The rendering files as the project stage sees them: the facts of what they rendered.
    pub fn project_files(&self) -> impl Iterator<Item = (PathBuf, ProjectFile)> + '_ {
        self.kustomizations
            .iter()
            .map(|k| (k.analysis.file.path().to_owned(), k.analysis.project_file()))
    }

    /// Places the findings of the renderings in `found` (the project stage's, whose findings in
    /// a rendered text are placed too): each in the file that wrote its value, under that
    /// file's path, once with the kustomizations or templates that reach it.
    pub fn place(&self, found: &mut ProjectFindings) {
        let mut placed = Vec::new();
        for built in &self.kustomizations {
            placed.extend(built.placed.iter().cloned());
            let path = built.analysis.file.path();
            let cross_file = found.take(path);
            let (in_build, own) = built::place_in_build(&built.analysis, cross_file);
            placed.extend(in_build);
            if !own.is_empty() {
                found
                    .by_file
                    .entry(path.to_owned())
                    .or_default()
                    .extend(own);
            }
        }
        for diagnostic in built::merge_placed(placed) {
            found
                .by_file
                .entry(diagnostic.file.path().to_owned())
                .or_default()
                .push(diagnostic);
        }
    }
}
