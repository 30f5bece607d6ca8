//! The values a `helmCharts` entry renders its chart with: its `valuesFile` (the chart's
//! `values.yaml` by default) and `valuesInline` merged as `valuesMerge` says (`override`: the
//! inline values win; `merge`: the file's win; `replace`: the inline values alone), then
//! `additionalValuesFiles` over them, each value with the place it was written.

use std::collections::BTreeMap;

use akslint_core::{Limits, SharedSource};
use akslint_helm::chart::{Chart, coalesce};
use akslint_helm::render::text::{Source, Text};
use akslint_helm::render::value::{Kind, Value as HelmValue};

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Value};

/// The values given over a chart's own, and the files they were written in (the renderer's
/// first files, in order: an origin's `file` indexes them).
pub struct Overrides {
    /// The files: the kustomization first, then the values files.
    pub files: Vec<SharedSource>,
    /// The merged values.
    pub value: HelmValue,
}

/// The values of one `helmCharts` entry for the chart `loaded`; `None` after an error.
pub fn overrides(
    kustomization: &Kustomization,
    entry: &Node,
    loaded: &Chart,
    build: &mut Build,
) -> Option<Overrides> {
    let mut files = vec![build.file(kustomization.source).clone()];
    let merge = entry
        .get("valuesMerge")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    if !["", "override", "merge", "replace"].contains(&merge.as_str()) {
        let at = entry.get("valuesMerge").map_or(entry.origin, |m| m.origin);
        build.error(at, "valuesMerge must be one of [override replace merge]");
        return None;
    }
    let values_file = match entry.get("valuesFile") {
        Some(named) => {
            let relative = named.scalar_text().unwrap_or_default();
            build.read_named(kustomization, &relative, named.origin)?.1
        }
        None => std::sync::Arc::new(akslint_core::SourceFile::new(
            loaded.dir.join("values.yaml"),
            akslint_core::SourceKind::Yaml,
            loaded.values_text.as_str(),
        )),
    };
    let file_values = values_of(&values_file, files.len(), build);
    files.push(values_file);
    let inline = entry
        .get("valuesInline")
        .filter(|v| v.entries().is_some_and(|e| !e.is_empty()))
        .map(|v| helm_value(v, 0));
    let mut value = match (inline, merge.as_str()) {
        (None, _) => file_values,
        (Some(inline), "merge") => coalesce(&file_values, &inline),
        (Some(inline), "replace") => inline,
        (Some(inline), _) => coalesce(&inline, &file_values),
    };
    for named in entry
        .get("additionalValuesFiles")
        .and_then(Node::items)
        .unwrap_or_default()
    {
        let relative = named.scalar_text().unwrap_or_default();
        let (_, file) = build.read_named(kustomization, &relative, named.origin)?;
        let more = values_of(&file, files.len(), build);
        files.push(file);
        value = coalesce(&more, &value);
    }
    Some(Overrides { files, value })
}

/// The values of a values file that is the renderer's file `index` (an empty mapping when it
/// holds none); a syntax error is a build error.
fn values_of(file: &SharedSource, index: usize, build: &mut Build) -> HelmValue {
    let parsed = akslint_yaml::parse(file, &Limits::default());
    if let Some(problem) = parsed.problems.first() {
        let source = build.add_source(file.clone());
        build.error(
            crate::node::Origin::new(source, problem.span),
            problem.message.clone(),
        );
    }
    parsed
        .documents
        .first()
        .and_then(|d| Some(HelmValue::from_tree(&d.tree, d.root?, index)))
        .filter(|v| v.as_map().is_some())
        .unwrap_or_else(|| HelmValue::map(BTreeMap::new()))
}

/// A kustomization's value as the renderer's value, written in the renderer's file `file`.
fn helm_value(node: &Node, file: usize) -> HelmValue {
    let origin = Some(Source {
        file,
        span: node.origin.span,
    });
    let mut value = match &node.value {
        Value::Null => HelmValue::new(Kind::Nil),
        Value::Bool(b) => HelmValue::new(Kind::Bool(*b)),
        Value::Int(n) => HelmValue::new(Kind::Int(*n)),
        Value::Float(text) => HelmValue::new(Kind::Float(text.parse().unwrap_or(0.0))),
        Value::Str(text) => HelmValue::text(Text::from_source(text, origin)),
        Value::Map(entries) => HelmValue::map(
            entries
                .iter()
                .map(|e| (e.key.clone(), helm_value(&e.value, file)))
                .collect(),
        ),
        Value::Seq(items) => {
            HelmValue::list(items.iter().map(|item| helm_value(item, file)).collect())
        }
    };
    value.origin = origin;
    value
}
