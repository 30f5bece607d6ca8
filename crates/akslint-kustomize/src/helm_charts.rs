//! `helmCharts` (with `helmGlobals.chartHome`): charts found in the kustomization's folder
//! rendered by akslint's in-process Helm renderer, as `helm template` renders them for
//! Kustomize, their objects added to the resources. Every value keeps the place it was written
//! (a template's text, a chart's `values.yaml`, the `valuesFile`, or `valuesInline` in the
//! kustomization). A chart that is not in the folder (only a `repo`) is not fetched.

mod values;

use std::path::PathBuf;
use std::sync::Arc;

use akslint_core::{Limits, SharedSource, SourceFile, SourceKind};
use akslint_helm::chart::{self, Release};
use akslint_helm::output::{ChartOutput, TemplateOutput, render_chart_over};
use akslint_helm::render::text::Source;

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Origin, Value};
use crate::resource::Resource;

/// The folder charts are looked for in, below the kustomization's, when `helmGlobals` does not
/// name one.
const DEFAULT_CHART_HOME: &str = "charts";

/// The release name when the entry has none (`helm template` would generate a random one).
const DEFAULT_RELEASE_NAME: &str = "release-name";

/// Renders the kustomization's `helmCharts` and adds their objects to the accumulated ones.
pub fn inflate(kustomization: &Kustomization, resources: &mut Vec<Resource>, build: &mut Build) {
    let home = kustomization
        .root
        .path(&["helmGlobals", "chartHome"])
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| DEFAULT_CHART_HOME.to_owned());
    for entry in kustomization.list("helmCharts") {
        let added = inflate_chart(kustomization, entry, &home, build);
        build.add(resources, added, entry.origin);
    }
}

/// A string field of a `helmCharts` entry (empty when not written).
fn text(entry: &Node, key: &str) -> String {
    entry
        .get(key)
        .and_then(Node::scalar_text)
        .unwrap_or_default()
}

/// Whether a boolean field of a `helmCharts` entry is `true`.
fn flag(entry: &Node, key: &str) -> bool {
    entry.get(key).is_some_and(|v| v.value == Value::Bool(true))
}

/// The objects of one `helmCharts` entry.
fn inflate_chart(
    kustomization: &Kustomization,
    entry: &Node,
    home: &str,
    build: &mut Build,
) -> Vec<Resource> {
    let name = text(entry, "name");
    if name.is_empty() {
        build.error(entry.origin, "chart name cannot be empty");
        return Vec::new();
    }
    let (version, repo) = (text(entry, "version"), text(entry, "repo"));
    let mut dir = kustomization.path(home);
    if !version.is_empty() && !repo.is_empty() {
        dir.push(format!("{name}-{version}"));
    }
    dir.push(&name);
    if !build.is_dir(&dir) {
        if repo.is_empty() {
            build.error(
                entry.origin,
                format!(
                    "no repo specified for pull, no chart found at '{}'",
                    dir.display()
                ),
            );
        } else {
            build.note(
                entry.origin,
                format!(
                    "remote chart `{name}` from `{repo}` is not fetched (akslint renders offline; pull it into `{}`)",
                    dir.display()
                ),
            );
        }
        return Vec::new();
    }
    let loaded = match chart::load(&dir) {
        Ok(loaded) => loaded,
        Err(problem) => {
            build.error(
                entry.origin,
                format!(
                    "chart `{name}`: `{}`: {}",
                    problem.path.display(),
                    problem.message
                ),
            );
            return Vec::new();
        }
    };
    let Some(values) = values::overrides(kustomization, entry, &loaded, build) else {
        return Vec::new();
    };
    let release = Release {
        name: Some(text(entry, "releaseName"))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| DEFAULT_RELEASE_NAME.to_owned()),
        namespace: Some(text(entry, "namespace"))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "default".to_owned()),
        kube_version: Some(text(entry, "kubeVersion"))
            .filter(|v| !v.is_empty())
            .map_or_else(
                || Release::default().kube_version,
                |v| format!("v{}", v.trim_start_matches('v')),
            ),
    };
    let files: Vec<(PathBuf, &str)> = values
        .files
        .iter()
        .map(|file| (file.path().to_path_buf(), file.text()))
        .collect();
    let output = render_chart_over(&loaded, &release, &files, Some(values.value));
    let files = add_sources(&output, build);
    for failure in &output.failures {
        let origin = map_source(&files, failure.source).unwrap_or(entry.origin);
        build.error(origin, format!("chart `{name}`: {}", failure.message));
    }
    let mut objects = Vec::new();
    if flag(entry, "includeCRDs") {
        objects.extend(crds(&loaded, build));
    }
    for template in &output.templates {
        objects.extend(template_objects(template, &files, entry.origin));
    }
    objects.retain(|object| keeps(object, entry));
    objects.into_iter().map(Resource::new).collect()
}

/// Whether an object stays: hooks are left out with `skipHooks`, tests with `skipTests`.
fn keeps(object: &Node, entry: &Node) -> bool {
    let hook = object.str_at(&["metadata", "annotations", "helm.sh/hook"]);
    let is_test = hook.is_some_and(|h| h.split(',').any(|h| h.trim().starts_with("test")));
    !(flag(entry, "skipHooks") && hook.is_some() || flag(entry, "skipTests") && is_test)
}

/// The renderer's files added to the build's sources.
fn add_sources(output: &ChartOutput, build: &mut Build) -> Vec<RendererFile> {
    output
        .files
        .iter()
        .map(|(path, text)| {
            if path.as_os_str().is_empty() {
                return RendererFile {
                    source: None,
                    template: true,
                };
            }
            let kind = SourceKind::from_path(path).unwrap_or(SourceKind::Yaml);
            let file: SharedSource = Arc::new(SourceFile::new(path, kind, text.as_ref()));
            RendererFile {
                source: Some(build.add_source(file)),
                template: path
                    .parent()
                    .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "templates")),
            }
        })
        .collect()
}

/// The build's place of a renderer's source.
fn map_source(files: &[RendererFile], source: Source) -> Option<Origin> {
    let index = files.get(source.file)?.source?;
    Some(Origin::new(index, source.span))
}

/// The CRDs of the chart's `crds/` folder, as `--include-crds` adds them.
fn crds(loaded: &chart::Chart, build: &mut Build) -> Vec<Node> {
    let mut objects = Vec::new();
    for (relative, text) in &loaded.files {
        let is_manifest = [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| relative.ends_with(ext));
        if !relative.starts_with("crds/") || !is_manifest {
            continue;
        }
        let path = loaded.dir.join(relative);
        let file: SharedSource = Arc::new(SourceFile::new(&path, SourceKind::Yaml, text.as_str()));
        let source = build.add_source(file.clone());
        objects.extend(
            build
                .parse_yaml(source, &file)
                .into_iter()
                .filter(Node::is_map),
        );
    }
    objects
}

/// A renderer's file as the build knows it: its source index (none for the texts the renderer
/// made itself) and whether it is a template (rather than a values file).
#[derive(Clone, Copy)]
struct RendererFile {
    source: Option<u32>,
    template: bool,
}

/// The objects one template rendered, each value placed where the renderer says it came from
/// (a values file's value before the template text around it), else where its parent came
/// from.
fn template_objects(
    template: &TemplateOutput,
    files: &[RendererFile],
    fallback: Origin,
) -> Vec<Node> {
    let rendered: SharedSource = Arc::new(SourceFile::new(
        &template.path,
        SourceKind::Yaml,
        template.text.as_str(),
    ));
    let parsed = akslint_yaml::parse(&rendered, &Limits::default());
    let place = |span: akslint_core::Span| -> Option<Origin> {
        let found = template.sources_in(span.start as usize..span.end as usize);
        let is_values = |s: &&Source| files.get(s.file).is_some_and(|f| !f.template);
        let preferred = found.iter().find(is_values).or_else(|| found.first())?;
        map_source(files, *preferred)
    };
    parsed
        .documents
        .iter()
        .filter_map(|document| {
            let mut node = Node::from_tree(&document.tree, document.root?, u32::MAX);
            if !node.is_map() {
                return None;
            }
            relocate(&mut node, fallback, &place);
            Some(node)
        })
        .collect()
}

/// Replaces the origins of a node read from rendered text (spans of that text) with the places
/// `place` gives, else the parent's.
fn relocate(node: &mut Node, parent: Origin, place: &dyn Fn(akslint_core::Span) -> Option<Origin>) {
    node.origin = place(node.origin.span).unwrap_or(parent);
    let here = node.origin;
    match &mut node.value {
        Value::Map(entries) => {
            for entry in entries {
                entry.key_origin = place(entry.key_origin.span).unwrap_or(here);
                relocate(&mut entry.value, here, place);
            }
        }
        Value::Seq(items) => {
            for item in items {
                relocate(item, here, place);
            }
        }
        _ => {}
    }
}
