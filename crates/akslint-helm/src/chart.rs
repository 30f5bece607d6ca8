//! Charts from their folders, rendered as `helm template` renders them: `Chart.yaml`,
//! `values.yaml`, `templates/` and the dependencies unpacked under `charts/`, values coalesced
//! from the parent down (a subchart's section, `global`), dependencies switched off by their
//! `condition` or `tags`, every template of the chart tree parsed into one set (named templates
//! shared, the parent's winning), and each template rendered with its own chart's values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Limits, SourceFile, SourceKind};

use crate::render::text::{Source, Text};
use crate::render::value::{Kind, Value};
use crate::render::{RenderError, RenderErrorKind, Renderer};

mod archive;
mod imports;
pub mod schema;

pub use imports::Import;
use schema::SchemaViolation;

/// Most files read from one chart tree.
const MAX_CHART_FILES: usize = 10_000;

/// The release a chart is rendered for, as `helm template` defaults it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Release {
    /// `.Release.Name`.
    pub name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `.Capabilities.KubeVersion.Version` (`v1.M.P`).
    pub kube_version: String,
}

impl Default for Release {
    fn default() -> Release {
        Release {
            name: "release-name".to_owned(),
            namespace: "default".to_owned(),
            kube_version: DEFAULT_KUBE_VERSION.to_owned(),
        }
    }
}

/// The Kubernetes version charts see by default: `helm template`'s own default in the Helm that
/// akslint's renderer follows (v4.2.3, built with the Kubernetes v1.36 client libraries), so
/// that a chart choosing by `.Capabilities.KubeVersion` renders as `helm template` renders it.
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// A chart read from its folder.
#[derive(Debug)]
pub struct Chart {
    /// Its folder.
    pub dir: PathBuf,
    /// `name` in `Chart.yaml`.
    pub name: String,
    /// `Chart.yaml` as `.Chart` shows it (keys capitalised).
    pub metadata: Value,
    /// Its `values.yaml` (empty when it has none).
    pub values_text: String,
    /// Its template files: the path under the chart folder and the text.
    pub templates: Vec<(String, String)>,
    /// Its other files, for `.Files` (paths under the chart folder).
    pub files: Vec<(String, String)>,
    /// Its dependencies found under `charts/`, with the alias, condition and tags of the
    /// `dependencies` entry that names them.
    pub dependencies: Vec<(Chart, Dependency)>,
    /// Whether it is a library chart (its templates define, never render).
    pub library: bool,
    /// Every path loading read or listed (folders, files, a packed dependency's `.tgz` as one
    /// file), its dependencies' included: what to watch for the chart to change. Filled for
    /// the chart [`load`] reads; empty for its dependencies (read with it).
    pub read: Vec<PathBuf>,
}

/// How a parent's `Chart.yaml` uses a dependency.
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    /// The name its values and templates go by (`alias`, else the chart's name).
    pub name: String,
    /// `condition`: values paths, the first one set decides.
    pub condition: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `import-values`: the dependency's values tables the parent takes into its own values.
    pub import_values: Vec<Import>,
}

/// A chart that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartError {
    /// The file at fault.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl Chart {
    /// Replaces the text of the template file at `path` (in this chart or a dependency), as an
    /// editor has it; whether the chart tree has that template.
    pub fn replace_template(&mut self, path: &Path, text: &str) -> bool {
        for (relative, template) in &mut self.templates {
            if self.dir.join(relative.as_str()) == path {
                *template = text.to_owned();
                return true;
            }
        }
        self.dependencies
            .iter_mut()
            .any(|(dependency, _)| dependency.replace_template(path, text))
    }

    /// Replaces the text of the `values.yaml` at `path` (this chart's or a dependency's), as an
    /// editor has it; whether the chart tree has that file.
    pub fn replace_values(&mut self, path: &Path, text: &str) -> bool {
        if self.dir.join("values.yaml") == path {
            self.values_text = text.to_owned();
            return true;
        }
        self.dependencies
            .iter_mut()
            .any(|(dependency, _)| dependency.replace_values(path, text))
    }
}

impl Chart {
    /// Replaces the texts of the `values.yaml` and the helper files ([`is_helper`]) of this
    /// chart and of its dependencies with `text_of`'s where it has another (an editor's unsaved
    /// text); whether one was replaced.
    pub fn replace_edited(&mut self, text_of: &dyn Fn(&Path) -> Option<String>) -> bool {
        let mut replaced = false;
        let dir = &self.dir;
        let values = std::iter::once((VALUES_FILE, &mut self.values_text));
        let helpers = self
            .templates
            .iter_mut()
            .map(|(p, t)| (p.as_str(), t))
            .filter(|(p, _)| is_helper(Path::new(p)));
        for (relative, text) in values.chain(helpers) {
            if let Some(edited) = text_of(&dir.join(relative))
                && edited != *text
            {
                *text = edited;
                replaced = true;
            }
        }
        for (dependency, _) in &mut self.dependencies {
            replaced |= dependency.replace_edited(text_of);
        }
        replaced
    }
}

impl Chart {
    /// Every template file of the chart and of its dependencies, by its path (a packed
    /// dependency's named inside its archive: `charts/x-1.0.0.tgz/templates/a.yaml`), with its
    /// text.
    pub fn all_templates(&self) -> Vec<(PathBuf, &str)> {
        let mut all: Vec<(PathBuf, &str)> = self
            .templates
            .iter()
            .map(|(path, text)| (self.dir.join(path), text.as_str()))
            .collect();
        for (dependency, _) in &self.dependencies {
            all.extend(dependency.all_templates());
        }
        all
    }
}

/// The name of a chart's values file.
pub const VALUES_FILE: &str = "values.yaml";

/// The file that makes a folder a chart.
pub const CHART_FILE: &str = "Chart.yaml";

/// A chart's JSON schema of its values.
pub const SCHEMA_FILE: &str = "values.schema.json";

/// Whether a chart's template file is a helper, holding named templates for the others: its
/// name starts with `_` (Helm renders no output of it) or ends with `.tpl`
/// (`templates/_helpers.tpl`).
pub fn is_helper(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with('_') || name.ends_with(".tpl"))
}

/// Reads a chart from its folder (with its dependencies under `charts/`, unpacked or packed as
/// `.tgz`).
pub fn load(dir: &Path) -> Result<Chart, ChartError> {
    read_files(dir).assemble()
}

/// A chart folder's files as read from disk, not yet made a [`Chart`] (plain bytes, which
/// threads can share: an editor keeps them to load the chart again without reading it).
#[derive(Clone, Debug)]
pub struct ChartFiles {
    dir: PathBuf,
    /// The files, as paths under `dir` and bytes, in path order.
    files: Vec<(String, Vec<u8>)>,
    /// Every path reading read or listed (see [`Chart::read`]).
    pub read: Vec<PathBuf>,
    /// How many more files packed dependencies may hold.
    budget: usize,
}

/// Reads the files of the chart in `dir` (the first half of [`load`]).
pub fn read_files(dir: &Path) -> ChartFiles {
    let mut budget = MAX_CHART_FILES;
    let mut files = Vec::new();
    let mut read = Vec::new();
    read_tree(dir, dir, &mut files, &mut read, &mut budget);
    ChartFiles {
        dir: dir.to_path_buf(),
        files,
        read,
        budget,
    }
}

impl ChartFiles {
    /// The chart its files make (the second half of [`load`]).
    pub fn assemble(mut self) -> Result<Chart, ChartError> {
        let mut chart = assemble(&self.dir, self.files, &mut self.budget)?;
        chart.read = self.read;
        Ok(chart)
    }
}

/// A chart from its files (paths under its folder `dir`, which is a packed chart's archive for
/// a dependency read from one).
fn assemble(
    dir: &Path,
    files: Vec<(String, Vec<u8>)>,
    budget: &mut usize,
) -> Result<Chart, ChartError> {
    let text_of = |name: &str| {
        files
            .iter()
            .find(|(path, _)| path == name)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
    };
    let chart_yaml = dir.join("Chart.yaml");
    let metadata = match text_of("Chart.yaml") {
        Some(text) => yaml_value(&chart_yaml, &text, usize::MAX)?.unwrap_or_default(),
        None => Value::default(),
    };
    let name = string_at(&metadata, "name").unwrap_or_default();
    let values_text = text_of(VALUES_FILE).unwrap_or_default();
    yaml_value(&dir.join(VALUES_FILE), &values_text, usize::MAX)?;
    let library = string_at(&metadata, "type").as_deref() == Some("library");
    let entries: Vec<Value> = match metadata.get("dependencies").map(|d| d.kind) {
        Some(Kind::List(items)) => items.as_ref().clone(),
        _ => Vec::new(),
    };
    let mut templates = Vec::new();
    let mut other = Vec::new();
    // Dependencies: `charts/<name>/…` folders with a `Chart.yaml`, and `charts/*.tgz`.
    let mut packed: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for (path, bytes) in files {
        if let Some(below) = path.strip_prefix("charts/") {
            match below.split_once('/') {
                Some((folder, rest)) => packed
                    .entry(format!("charts/{folder}"))
                    .or_default()
                    .push((rest.to_owned(), bytes)),
                None if below.ends_with(".tgz") => {
                    let archive = dir.join(&path);
                    let unpacked = archive::read(&bytes, budget).map_err(|message| ChartError {
                        path: archive.clone(),
                        message,
                    })?;
                    packed.insert(path, unpacked);
                }
                None => {}
            }
            continue;
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if path.starts_with("templates/") {
            templates.push((path, text));
        } else {
            other.push((path, text));
        }
    }
    let mut dependencies = Vec::new();
    for (path, files) in packed {
        if !files.iter().any(|(p, _)| p == "Chart.yaml") {
            continue;
        }
        let chart = assemble(&dir.join(&path), files, budget)?;
        let entry = entries
            .iter()
            .find(|e| string_at(e, "name").as_deref() == Some(chart.name.as_str()));
        let dependency = Dependency::from_entry(entry, &chart.name);
        dependencies.push((chart, dependency));
    }
    Ok(Chart {
        dir: dir.to_path_buf(),
        name,
        metadata: capitalised(&metadata),
        values_text,
        templates,
        files: other,
        dependencies,
        library,
        read: Vec::new(),
    })
}

impl Dependency {
    /// How the `dependencies` entry `entry` of the parent's `Chart.yaml` uses the chart named
    /// `name` (no entry: under its own name, always on).
    fn from_entry(entry: Option<&Value>, name: &str) -> Dependency {
        let strings = |key: &str| -> Vec<String> {
            match entry.and_then(|e| e.get(key)).map(|v| v.kind) {
                Some(Kind::Str(s)) => s.as_str().split(',').map(|p| p.trim().to_owned()).collect(),
                Some(Kind::List(items)) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let import_values = match entry.and_then(|e| e.get("import-values")).map(|v| v.kind) {
            Some(Kind::List(items)) => items.iter().filter_map(Import::from_value).collect(),
            _ => Vec::new(),
        };
        Dependency {
            name: entry
                .and_then(|e| string_at(e, "alias"))
                .unwrap_or_else(|| name.to_owned()),
            condition: strings("condition"),
            tags: strings("tags"),
            import_values,
        }
    }
}

/// The string at `key` of a map value.
fn string_at(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(|v| v.as_str().map(str::to_owned))
}

/// A YAML text's first document as a value whose origins are in the renderer's file `file`.
fn yaml_value(path: &Path, text: &str, file: usize) -> Result<Option<Value>, ChartError> {
    let source = Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    if let Some(problem) = parsed.problems.first() {
        return Err(ChartError {
            path: path.to_path_buf(),
            message: problem.message.clone(),
        });
    }
    Ok(parsed
        .documents
        .first()
        .and_then(|d| d.root.map(|root| Value::from_tree(&d.tree, root, file))))
}

/// Every file of a chart's folder (dependencies' too), as paths under `root` and bytes, in
/// path order, at most `budget` files; the folders listed and files read go to `read`.
fn read_tree(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, Vec<u8>)>,
    read: &mut Vec<PathBuf>,
    budget: &mut usize,
) {
    read.push(dir.to_path_buf());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_tree(root, &path, files, read, budget);
            continue;
        }
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if let Ok(bytes) = std::fs::read(&path) {
            files.push((relative, bytes));
        }
        read.push(path);
    }
}

/// `Chart.yaml` keys as `.Chart` names them (`name` → `Name`, `appVersion` → `AppVersion`).
fn capitalised(metadata: &Value) -> Value {
    let Some(map) = metadata.as_map() else {
        return metadata.clone();
    };
    let entries: BTreeMap<String, Value> = map
        .iter()
        .map(|(key, value)| {
            let mut chars = key.chars();
            let upper: String = chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default();
            let upper = if upper == "ApiVersion" {
                "APIVersion".to_owned()
            } else {
                upper
            };
            (upper, value.clone())
        })
        .collect();
    Value {
        origin: metadata.origin,
        ..Value::map(entries)
    }
}

/// One template's output.
#[derive(Debug)]
pub struct Rendered {
    /// The template's name as Helm gives it (`chart/templates/x.yaml`, `chart/charts/sub/templates/x.yaml`).
    pub name: String,
    /// Its file on disk.
    pub path: PathBuf,
    /// What it rendered to, with provenance.
    pub text: Text,
    /// The output ranges its own actions wrote, with each action's span.
    pub actions: Vec<crate::render::text::Segment>,
}

/// A rendered chart: every template's output, the failures, and the renderer (which names the
/// files that sources point into).
pub struct RenderedChart {
    /// The templates that rendered, in Helm's order.
    pub manifests: Vec<Rendered>,
    /// The templates that did not (name and file), and why (a template that does not parse is
    /// one too).
    pub errors: Vec<(String, PathBuf, RenderError)>,
    /// Where the values do not meet a chart's `values.schema.json` (Helm refuses to render
    /// then; akslint reports them and renders all the same).
    pub violations: Vec<SchemaViolation>,
    /// The renderer: its files are the templates and values files sources point into.
    pub renderer: Renderer,
    /// The file paths of the renderer's files, by index.
    pub paths: Vec<PathBuf>,
}

/// Renders a chart for `release` with `overrides` (a user's values file) over its values.
pub fn render(chart: &Chart, overrides: Option<Value>, release: &Release) -> RenderedChart {
    render_over_files(chart, &[], overrides, release)
}

/// Renders a chart for `release` with `overrides` over its values, where the overrides were
/// written in `files` (path and text): those become the renderer's first files, in order, so
/// that an override's origin `Source { file: i, .. }` points into `files[i]` (the caller builds
/// the overrides with those indexes, e.g. a kustomization's inline values).
pub fn render_over_files(
    chart: &Chart,
    files: &[(PathBuf, &str)],
    overrides: Option<Value>,
    release: &Release,
) -> RenderedChart {
    render_parsed_by(Renderer::new(), chart, files, overrides, release, None)
}

/// [`render_over_files`] with `renderer` (empty; e.g. one whose templates are parsed through a
/// [`crate::template::ParseCache`] shared between renderings, see [`Renderer::with_cache`]);
/// with `only`, the template file at that path alone is rendered (every template is still
/// parsed, for its named templates): what an editor's edit of one template needs.
pub fn render_parsed_by(
    mut renderer: Renderer,
    chart: &Chart,
    files: &[(PathBuf, &str)],
    overrides: Option<Value>,
    release: &Release,
    only: Option<&Path>,
) -> RenderedChart {
    let mut paths = Vec::new();
    for (path, text) in files {
        renderer.add_file(&path.to_string_lossy(), text);
        paths.push(path.clone());
    }
    let tree = defaults(chart, &mut renderer, &mut paths);
    let mut values = tree.values.clone();
    if let Some(overrides) = overrides {
        values = coalesce_chart(&overrides, &values, chart);
    }
    let mut units: Vec<Unit<'_>> = Vec::new();
    gather(
        chart,
        &tree,
        (chart.name.clone(), chart.name.clone()),
        values,
        &mut units,
    );
    let violations = units.iter().flat_map(|unit| unit.violations()).collect();
    // Every template of the tree parsed in Helm's order: deepest paths first, so that a parent's
    // named templates (parsed later) win.
    let mut order: Vec<(usize, usize)> = units
        .iter()
        .enumerate()
        .flat_map(|(u, unit)| (0..unit.chart.templates.len()).map(move |t| (u, t)))
        .collect();
    let name_of =
        |(u, t): (usize, usize)| format!("{}/{}", units[u].prefix, units[u].chart.templates[t].0);
    order.sort_by(|a, b| {
        let (x, y) = (name_of(*a), name_of(*b));
        y.matches('/')
            .count()
            .cmp(&x.matches('/').count())
            .then(x.cmp(&y))
    });
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for &(u, t) in &order {
        let (relative, text) = &units[u].chart.templates[t];
        let name = name_of((u, t));
        match renderer.add_template(&name, text) {
            Ok(file) => {
                paths.resize(file + 1, PathBuf::new());
                paths[file] = units[u].chart.dir.join(relative);
                parsed.push((u, t, file));
            }
            Err(error) => {
                let file = renderer.add_file(&name, text);
                paths.resize(file + 1, PathBuf::new());
                paths[file] = units[u].chart.dir.join(relative);
                errors.push((
                    name,
                    units[u].chart.dir.join(relative),
                    RenderError {
                        source: Source {
                            file,
                            span: error.span,
                        },
                        message: error.message,
                        kind: RenderErrorKind::Invalid,
                    },
                ));
            }
        }
    }
    let objects = chart_objects(&units, release);
    let mut manifests = Vec::new();
    for (u, t, file) in parsed {
        let unit = &units[u];
        let (relative, _) = &unit.chart.templates[t];
        let base = relative.rsplit('/').next().unwrap_or_default();
        if base.starts_with('_') || unit.chart.library || only.is_some_and(|p| paths[file] != p) {
            continue;
        }
        let name = name_of((u, t));
        let dot = unit.dot(&objects[u], &name);
        // NOTES.txt is no manifest, but Helm renders it and refuses the chart when it fails.
        let notes = relative.ends_with("NOTES.txt");
        match renderer.render(file, &dot) {
            Ok(_) if notes => {
                renderer.take_actions();
            }
            Ok(text) => manifests.push(Rendered {
                name,
                path: paths[file].clone(),
                text,
                actions: renderer.take_actions(),
            }),
            Err(error) => errors.push((name, paths[file].clone(), error)),
        }
    }
    RenderedChart {
        manifests,
        errors,
        violations,
        renderer,
        paths,
    }
}

/// A chart of the tree, with the values it renders with and its templates' path prefix.
struct Unit<'c> {
    chart: &'c Chart,
    /// The name it goes by (its dependency entry's alias, else its name): its key in its
    /// parent's values and `.Subcharts`, its `.Chart.Name` and the folder of its templates' names.
    name: String,
    prefix: String,
    values: Value,
    /// The renderer's file of its `values.yaml`.
    values_file: usize,
}

impl Unit<'_> {
    /// Where its values do not meet its `values.schema.json`.
    fn violations(&self) -> Vec<SchemaViolation> {
        let Some((_, text)) = self
            .chart
            .files
            .iter()
            .find(|(path, _)| path == "values.schema.json")
        else {
            return Vec::new();
        };
        let start = Source {
            file: self.values_file,
            span: akslint_core::Span::empty(0),
        };
        // The dependency's keys from the prefix of its templates' names (`web/charts/cache`).
        let keys: Vec<String> = self
            .prefix
            .split("/charts/")
            .skip(1)
            .map(str::to_owned)
            .collect();
        schema::validate(&self.name, text, &self.values, start)
            .into_iter()
            .map(|violation| SchemaViolation {
                keys: keys.clone(),
                ..violation
            })
            .collect()
    }

    /// The chart's object as its templates see it, without `.Template`: `.Values`, `.Chart`,
    /// `.Release`, `.Capabilities`, `.Files`, and `.Subcharts` (`subcharts`: its enabled
    /// dependencies' objects, by the name they go by).
    fn chart_object(&self, release: &Release, subcharts: Value) -> BTreeMap<String, Value> {
        let map = |entries: Vec<(&str, Value)>| {
            Value::map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        };
        let version = release.kube_version.trim_start_matches('v');
        let mut parts = version.split('.');
        let (major, minor) = (parts.next().unwrap_or("1"), parts.next().unwrap_or("0"));
        let files = self
            .chart
            .files
            .iter()
            .map(|(path, text)| (path.clone(), Value::text(Text::plain(text))))
            .collect();
        let entries = vec![
            ("Values", self.values.clone()),
            ("Chart", self.metadata()),
            (
                "Release",
                map(vec![
                    ("Name", Value::str(&release.name)),
                    ("Namespace", Value::str(&release.namespace)),
                    ("Service", Value::str("Helm")),
                    ("IsInstall", Value::new(Kind::Bool(true))),
                    ("IsUpgrade", Value::new(Kind::Bool(false))),
                    ("Revision", Value::new(Kind::Int(1))),
                ]),
            ),
            (
                "Capabilities",
                map(vec![
                    (
                        "KubeVersion",
                        map(vec![
                            ("Version", Value::str(&release.kube_version)),
                            ("GitVersion", Value::str(&release.kube_version)),
                            ("Major", Value::str(major)),
                            ("Minor", Value::str(minor)),
                        ]),
                    ),
                    (
                        "APIVersions",
                        Value::list(API_VERSIONS.iter().map(|v| Value::str(v)).collect()),
                    ),
                    (
                        "HelmVersion",
                        map(vec![
                            ("Version", Value::str(HELM_VERSION)),
                            ("GitCommit", Value::str("")),
                            ("GitTreeState", Value::str("")),
                            ("GoVersion", Value::str("")),
                        ]),
                    ),
                ]),
            ),
            ("Files", Value::map(files)),
            ("Subcharts", subcharts),
        ];
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
    }

    /// `.Chart`: its `Chart.yaml`, named by its alias when its parent gives it one (as Helm
    /// renames an aliased dependency).
    fn metadata(&self) -> Value {
        if self.name == self.chart.name {
            return self.chart.metadata.clone();
        }
        let mut entries = self
            .chart
            .metadata
            .as_map()
            .map(|m| m.clone())
            .unwrap_or_default();
        entries.insert("Name".to_owned(), Value::str(&self.name));
        Value {
            origin: self.chart.metadata.origin,
            ..Value::map(entries)
        }
    }

    /// The dot a template of this chart renders with: its chart's object and `.Template`.
    fn dot(&self, object: &BTreeMap<String, Value>, name: &str) -> Value {
        let mut dot = object.clone();
        let template = [
            ("Name".to_owned(), Value::str(name)),
            (
                "BasePath".to_owned(),
                Value::str(&format!("{}/templates", self.prefix)),
            ),
        ];
        dot.insert(
            "Template".to_owned(),
            Value::map(template.into_iter().collect()),
        );
        Value::map(dot)
    }
}

/// Every unit's chart object (see [`Unit::chart_object`]), the dependencies' built first so that
/// a parent's `.Subcharts` holds them.
fn chart_objects(units: &[Unit<'_>], release: &Release) -> Vec<BTreeMap<String, Value>> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&u| std::cmp::Reverse(units[u].prefix.matches('/').count()));
    let mut objects: Vec<BTreeMap<String, Value>> = vec![BTreeMap::new(); units.len()];
    for u in order {
        let subcharts = units
            .iter()
            .enumerate()
            .filter(|(_, child)| {
                child.prefix == format!("{}/charts/{}", units[u].prefix, child.name)
            })
            .map(|(v, child)| (child.name.clone(), Value::map(objects[v].clone())))
            .collect();
        objects[u] = units[u].chart_object(release, Value::map(subcharts));
    }
    objects
}

/// The Helm version `.Capabilities.HelmVersion` shows: the Helm whose engine akslint's renderer
/// follows.
pub const HELM_VERSION: &str = "v4.2.3";

/// The API versions `.Capabilities.APIVersions` lists: the built-in groups of the default
/// Kubernetes version (no custom resources, as `helm template` without a cluster).
pub const API_VERSIONS: &[&str] = &[
    "v1",
    "apps/v1",
    "batch/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "policy/v1",
    "networking.k8s.io/v1",
    "rbac.authorization.k8s.io/v1",
    "storage.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "admissionregistration.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "node.k8s.io/v1",
    "certificates.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
];

/// A chart's default values and its dependencies', each with its `values.yaml`'s file.
struct Defaults {
    /// Its `values.yaml` with the tables its dependencies' `import-values` add (its own values
    /// win).
    values: Value,
    /// The renderer's file of its `values.yaml`.
    file: usize,
    /// Its dependencies' defaults, in the order of [`Chart::dependencies`].
    dependencies: Vec<Defaults>,
}

/// The default values of a chart tree, as Helm prepares them before coalescing: dependencies
/// first, then each chart's `values.yaml` with its dependencies' imports.
fn defaults(chart: &Chart, renderer: &mut Renderer, paths: &mut Vec<PathBuf>) -> Defaults {
    let dependencies: Vec<Defaults> = chart
        .dependencies
        .iter()
        .map(|(dependency, _)| defaults(dependency, renderer, paths))
        .collect();
    let path = chart.dir.join(VALUES_FILE);
    let file = renderer.add_file(&path.to_string_lossy(), &chart.values_text);
    paths.resize(file + 1, PathBuf::new());
    paths[file] = path.clone();
    let own = yaml_value(&path, &chart.values_text, file)
        .ok()
        .flatten()
        .filter(|v| v.as_map().is_some())
        .unwrap_or_else(|| Value::map(BTreeMap::new()));
    drop_nulls(&own);
    let mut added = Value::map(BTreeMap::new());
    for ((_, how), dependency) in chart.dependencies.iter().zip(&dependencies) {
        if how.import_values.is_empty() {
            continue;
        }
        let section = own
            .get(&how.name)
            .unwrap_or_else(|| Value::map(BTreeMap::new()));
        let values = coalesce(&section, &dependency.values);
        added = coalesce(&added, &imports::imported(&how.import_values, &values));
    }
    Defaults {
        values: coalesce(&own, &added),
        file,
        dependencies,
    }
}

/// Adds the chart and its enabled dependencies to `units`, each with its coalesced values.
fn gather<'c>(
    chart: &'c Chart,
    tree: &Defaults,
    (prefix, name): (String, String),
    values: Value,
    units: &mut Vec<Unit<'c>>,
) {
    let globals = values.get("global");
    for ((dependency, how), own) in chart.dependencies.iter().zip(&tree.dependencies) {
        // The parent's section for the dependency wins over the dependency's own values;
        // `global` is passed down.
        let mut section = values
            .get(&how.name)
            .unwrap_or_else(|| Value::map(BTreeMap::new()));
        let with_global = match (&globals, section.as_map()) {
            (Some(globals), Some(map)) => {
                let mut map = map.clone();
                let merged_global = match map.get("global") {
                    Some(own) => coalesce(globals, own),
                    None => globals.clone(),
                };
                map.insert("global".to_owned(), merged_global);
                Some(Value::map(map))
            }
            _ => None,
        };
        if let Some(with_global) = with_global {
            section = with_global;
        }
        let merged = coalesce_chart(&section, &own.values, dependency);
        // The parent sees the dependency's coalesced values under its name, as in Helm, and
        // the dependency's `condition` is read there (its own default counts).
        if let Kind::Map(parent) = &values.kind {
            parent.borrow_mut().insert(how.name.clone(), merged.clone());
        }
        if !enabled(how, &values) {
            continue;
        }
        let place = (format!("{prefix}/charts/{}", how.name), how.name.clone());
        gather(dependency, own, place, merged, units);
    }
    units.insert(
        0,
        Unit {
            chart,
            name,
            prefix,
            values,
            values_file: tree.file,
        },
    );
}

/// Whether a dependency is on: its `condition` (the first path that is set to a boolean), else
/// its `tags` (any tag `true`), else on.
fn enabled(dependency: &Dependency, values: &Value) -> bool {
    for path in &dependency.condition {
        let mut value = Some(values.clone());
        for key in path.split('.') {
            value = value.and_then(|v| v.get(key));
        }
        if let Some(Value {
            kind: Kind::Bool(b),
            ..
        }) = value
        {
            return b;
        }
    }
    if !dependency.tags.is_empty() {
        let tags = values.get("tags");
        let set: Vec<bool> = dependency
            .tags
            .iter()
            .filter_map(
                |t| match tags.as_ref().and_then(|m| m.get(t)).map(|v| v.kind) {
                    Some(Kind::Bool(b)) => Some(b),
                    _ => None,
                },
            )
            .collect();
        if !set.is_empty() {
            return set.contains(&true);
        }
    }
    true
}

/// Helm's coalescing: `over` wins, maps are merged key by key, and a `null` in `over` deletes
/// the key `under` has; where `under` has no such key the `null` stays (it may delete a
/// default that is coalesced later, as a dependency's own).
pub fn coalesce(over: &Value, under: &Value) -> Value {
    coalesce_nulls(over, under, Nulls::Delete)
}

/// A user's values merged as Helm merges `-f` files and `--set` items: `over` wins, maps are
/// merged key by key, and a `null` stays (it removes the key from the chart's own values when
/// they are coalesced, [`coalesce`]).
pub(crate) fn merge_user_values(over: &Value, under: &Value) -> Value {
    coalesce_nulls(over, under, Nulls::Keep)
}

/// A chart's values: `over` (the user's values, or its parent's section for it) coalesced over
/// its own.
fn coalesce_chart(over: &Value, under: &Value, chart: &Chart) -> Value {
    coalesce_nulls(over, under, Nulls::KeepInSectionsOf(chart))
}

/// What a `null` of `over` does when coalescing.
#[derive(Clone, Copy)]
enum Nulls<'c> {
    /// It deletes the key `under` has, and stays where `under` has none.
    Delete,
    /// It stays (Helm merges a dependency's section without deleting: the `null` deletes the
    /// dependency's own default when that section is coalesced in turn).
    Keep,
    /// `Keep` under the keys that name a dependency of the chart, `Delete` elsewhere.
    KeepInSectionsOf(&'c Chart),
}

fn coalesce_nulls(over: &Value, under: &Value, nulls: Nulls<'_>) -> Value {
    match (over.as_map(), under.as_map()) {
        (Some(top), Some(bottom)) => {
            let mut merged = bottom.clone();
            for (key, value) in top.iter() {
                if matches!(value.kind, Kind::Nil) {
                    if merged.remove(key).is_none() || matches!(nulls, Nulls::Keep) {
                        merged.insert(key.clone(), value.clone());
                    }
                    continue;
                }
                let inner = match nulls {
                    Nulls::KeepInSectionsOf(chart)
                        if chart.dependencies.iter().any(|(_, how)| &how.name == key) =>
                    {
                        Nulls::Keep
                    }
                    Nulls::KeepInSectionsOf(_) => Nulls::Delete,
                    other => other,
                };
                let combined = match merged.get(key) {
                    Some(existing) => coalesce_nulls(value, existing, inner),
                    None => value.clone(),
                };
                merged.insert(key.clone(), combined);
            }
            Value {
                origin: over.origin.or(under.origin),
                ..Value::map(merged)
            }
        }
        _ => over.clone(),
    }
}

/// Removes the keys whose value is `null` from a map and the maps under it (lists are kept as
/// they are): a `null` in a chart's own values is no value, in Helm, and deletes nothing.
fn drop_nulls(value: &Value) {
    if let Kind::Map(entries) = &value.kind {
        let mut entries = entries.borrow_mut();
        entries.retain(|_, v| !matches!(v.kind, Kind::Nil));
        for v in entries.values() {
            drop_nulls(v);
        }
    }
}
