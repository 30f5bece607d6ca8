//! The `helm` section of `akslint.yaml`: the values sets each chart is rendered with, and the
//! command line's `--values` / `--set` for the charts it names.
//!
//! ```yaml
//! helm:
//!   charts:
//!     - path: charts/web                # the chart's folder, relative to this file's folder
//!       release: {name: web, namespace: shop}   # optional, for every set of the chart
//!       values-sets:
//!         - name: prod                  # as findings name it
//!           values: [values-prod.yaml]  # over values.yaml, in order; relative to the chart
//!           release: {namespace: prod}  # optional, over the chart's
//! ```
//!
//! A chart renders with its `values.yaml` alone (the set `default`), and with each set named
//! here; the command line's `--values` and `--set` are one more set, `command line`, for the
//! charts named on it.

use std::path::{Path, PathBuf};

use akslint_core::{NodeId, Tree};
use akslint_helm::ValuesSet;
use akslint_helm::chart::Release;
use akslint_helm::values_set::{COMMAND_LINE_SET_NAME, DEFAULT_SET_NAME};
use serde_json::{Value, json};

use super::{Config, Problems, absolute, normalised, written};

/// A chart named in `helm.charts`: its folder, release and values sets (the default set
/// not included).
#[derive(Clone, Debug)]
pub(super) struct ChartSettings {
    dir: PathBuf,
    release: Release,
    sets: Vec<ValuesSet>,
}

/// The command line's values (`--values FILE`, `--set key=value`) and the charts they apply
/// to: the charts named on the command line (a chart's folder, or a file in it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandLineValues {
    /// The charts' folders.
    pub charts: Vec<PathBuf>,
    /// The values files, in order.
    pub files: Vec<PathBuf>,
    /// The `--set` items, in order.
    pub set: Vec<String>,
}

impl CommandLineValues {
    /// The values of `--values` (files, relative to `cwd`) and `--set` (items) for the charts
    /// named among `paths` (a chart's folder, or a file or folder in a chart's `templates/`).
    /// Values with no chart named, a values file that is not there, or an item that is not
    /// Helm's syntax is an error saying so.
    pub fn new(
        cwd: &Path,
        paths: &[PathBuf],
        files: &[PathBuf],
        set: &[String],
    ) -> Result<CommandLineValues, String> {
        if files.is_empty() && set.is_empty() {
            return Ok(CommandLineValues::default());
        }
        akslint_helm::set_values::parse_set(set)?;
        let files = files
            .iter()
            .map(|file| {
                let path = cwd.join(file);
                if path.is_file() {
                    Ok(path)
                } else {
                    Err(format!("--values {}: no such file", file.display()))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut charts: Vec<PathBuf> = paths
            .iter()
            .filter(|path| path.as_os_str() != "-")
            .map(|path| cwd.join(path))
            .filter_map(|path| {
                if path.join("Chart.yaml").is_file() {
                    Some(path)
                } else {
                    akslint_helm::chart_of(&path.join("_"))
                }
            })
            .collect();
        charts.sort();
        charts.dedup();
        if charts.is_empty() {
            return Err(
                "--values and --set apply to the Helm charts named on the command line (a chart's folder, or a template in it); none is named"
                    .to_owned(),
            );
        }
        Ok(CommandLineValues {
            charts,
            files,
            set: set.to_vec(),
        })
    }

    /// Whether there are values to apply.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.set.is_empty()
    }

    /// Whether they apply to the chart in `dir` (normalised, absolute).
    fn applies_to(&self, dir: &Path) -> bool {
        !self.is_empty()
            && self
                .charts
                .iter()
                .any(|chart| normalised(&absolute(chart)) == dir)
    }
}

impl Config {
    /// The values sets the chart in `dir` renders with: empty for its `values.yaml` alone (a
    /// chart neither configured in `helm.charts` nor named on a command line with `--values` or
    /// `--set`); else the default set first, the configured sets, then the command line's.
    pub fn values_sets(&self, dir: &Path) -> Vec<ValuesSet> {
        if self.helm_charts.is_empty() && self.command_line.is_empty() {
            return Vec::new();
        }
        let dir = normalised(&absolute(dir));
        let configured = self
            .helm_charts
            .iter()
            .find(|chart| normalised(&absolute(&chart.dir)) == dir);
        let command_line = self.command_line.applies_to(&dir);
        if configured.is_none() && !command_line {
            return Vec::new();
        }
        let release = configured.map_or_else(Release::default, |c| c.release.clone());
        let mut sets = vec![ValuesSet {
            release: release.clone(),
            ..ValuesSet::default()
        }];
        if let Some(chart) = configured {
            sets.extend(chart.sets.iter().cloned());
        }
        if command_line {
            sets.push(ValuesSet {
                name: COMMAND_LINE_SET_NAME.to_owned(),
                files: self.command_line.files.clone(),
                set: self.command_line.set.clone(),
                release,
            });
        }
        sets
    }

    /// The chart (its folder) whose values sets in `helm.charts` name the values file at
    /// `path`, if any.
    pub fn chart_of_set_file(&self, path: &Path) -> Option<PathBuf> {
        let path = normalised(&absolute(path));
        self.helm_charts
            .iter()
            .find(|chart| {
                chart
                    .sets
                    .iter()
                    .flat_map(|set| &set.files)
                    .any(|file| normalised(&absolute(file)) == path)
            })
            .map(|chart| chart.dir.clone())
    }

    pub(super) fn read_helm(&mut self, tree: &Tree, helm: NodeId, problems: &mut Problems<'_>) {
        if tree.is_null(helm) {
            return;
        }
        if !tree.is_mapping(helm) {
            problems.at(
                tree.span(helm),
                "`helm` must be a mapping with the key `charts`",
            );
            return;
        }
        for entry in tree.entries(helm) {
            if tree.str(entry.key) != Some("charts") {
                problems.at(
                    tree.span(entry.key),
                    format!(
                        "unknown key `{}` in `helm`; the key is `charts`",
                        written(problems.file, tree, entry.key)
                    ),
                );
                continue;
            }
            if tree.is_null(entry.value) {
                continue;
            }
            if !tree.is_sequence(entry.value) {
                problems.at(
                    tree.span(entry.value),
                    "`helm.charts` must be a list of charts (`- path: charts/web`)",
                );
                continue;
            }
            for &chart in tree.items(entry.value) {
                if let Some(settings) = self.read_chart(tree, chart, problems) {
                    self.helm_charts.push(settings);
                }
            }
        }
    }

    /// One item of `helm.charts`.
    fn read_chart(
        &self,
        tree: &Tree,
        chart: NodeId,
        problems: &mut Problems<'_>,
    ) -> Option<ChartSettings> {
        if !tree.is_mapping(chart) {
            problems.at(
                tree.span(chart),
                "a chart of `helm.charts` is a mapping with `path` and `values-sets`",
            );
            return None;
        }
        let mut dir = None;
        let mut release = Release::default();
        let mut sets_node = None;
        for entry in tree.entries(chart) {
            match tree.str(entry.key) {
                Some("path") => match tree.str(entry.value).filter(|p| !p.is_empty()) {
                    Some(path) if self.root.join(path).join("Chart.yaml").is_file() => {
                        dir = Some(self.root.join(path));
                    }
                    Some(path) => problems.at(
                        tree.span(entry.value),
                        format!(
                            "`{path}` is not a chart: no Chart.yaml in that folder (relative to this file's folder)"
                        ),
                    ),
                    None => problems.at(
                        tree.span(entry.value),
                        "`path` is the chart's folder, relative to this file's folder",
                    ),
                },
                Some("release") => read_release(tree, entry.value, &mut release, problems),
                Some("values-sets") => sets_node = Some(entry.value),
                _ => problems.at(
                    tree.span(entry.key),
                    format!(
                        "unknown key `{}` in a chart; the keys are `path`, `release` and `values-sets`",
                        written(problems.file, tree, entry.key)
                    ),
                ),
            }
        }
        let Some(dir) = dir else {
            if !tree
                .entries(chart)
                .iter()
                .any(|e| tree.str(e.key) == Some("path"))
            {
                problems.at(tree.span(chart), "a chart needs `path`: its folder");
            }
            return None;
        };
        let mut sets: Vec<ValuesSet> = Vec::new();
        if let Some(node) = sets_node.filter(|&n| !tree.is_null(n)) {
            if !tree.is_sequence(node) {
                problems.at(
                    tree.span(node),
                    "`values-sets` must be a list of sets (`- name: prod`)",
                );
            }
            for &item in tree.items(node) {
                if let Some(set) = read_set(tree, item, &dir, &release, problems) {
                    if sets.iter().any(|s| s.name == set.name) {
                        problems.at(
                            tree.span(item),
                            format!("the chart has two values sets named `{}`", set.name),
                        );
                        continue;
                    }
                    sets.push(set);
                }
            }
        }
        Some(ChartSettings { dir, release, sets })
    }
}

/// One item of a chart's `values-sets`.
fn read_set(
    tree: &Tree,
    item: NodeId,
    dir: &Path,
    chart_release: &Release,
    problems: &mut Problems<'_>,
) -> Option<ValuesSet> {
    if !tree.is_mapping(item) {
        problems.at(
            tree.span(item),
            "a values set is a mapping with `name`, `values` and `release`",
        );
        return None;
    }
    let mut set = ValuesSet {
        name: String::new(),
        release: chart_release.clone(),
        ..ValuesSet::default()
    };
    let mut valid = true;
    for entry in tree.entries(item) {
        match tree.str(entry.key) {
            Some("name") => match tree.str(entry.value).map(str::trim) {
                Some(name) if [DEFAULT_SET_NAME, COMMAND_LINE_SET_NAME].contains(&name) => {
                    problems.at(
                        tree.span(entry.value),
                        format!(
                            "`{name}` is the name of a set akslint makes; name this set otherwise"
                        ),
                    );
                    valid = false;
                }
                Some(name) if !name.is_empty() => set.name = name.to_owned(),
                _ => {
                    problems.at(tree.span(entry.value), "a values set's `name` is a word");
                    valid = false;
                }
            },
            Some("values") => {
                let files: &[NodeId] = if tree.is_sequence(entry.value) {
                    tree.items(entry.value)
                } else {
                    std::slice::from_ref(&entry.value)
                };
                for &file in files {
                    match tree.str(file).filter(|f| !f.is_empty()) {
                        Some(relative) if dir.join(relative).is_file() => {
                            set.files.push(dir.join(relative));
                        }
                        Some(relative) => {
                            problems.at(
                                tree.span(file),
                                format!(
                                    "no values file `{relative}` in the chart's folder ({})",
                                    dir.display()
                                ),
                            );
                            valid = false;
                        }
                        None => {
                            problems.at(
                                tree.span(file),
                                "`values` lists values files, relative to the chart's folder",
                            );
                            valid = false;
                        }
                    }
                }
            }
            Some("release") => read_release(tree, entry.value, &mut set.release, problems),
            _ => problems.at(
                tree.span(entry.key),
                format!(
                    "unknown key `{}` in a values set; the keys are `name`, `values` and `release`",
                    written(problems.file, tree, entry.key)
                ),
            ),
        }
    }
    if set.name.is_empty() {
        if valid {
            problems.at(tree.span(item), "a values set needs a `name`");
        }
        return None;
    }
    valid.then_some(set)
}

/// A `release` mapping (`name`, `namespace`) over `release`.
fn read_release(tree: &Tree, node: NodeId, release: &mut Release, problems: &mut Problems<'_>) {
    if tree.is_null(node) {
        return;
    }
    if !tree.is_mapping(node) {
        problems.at(
            tree.span(node),
            "`release` is a mapping with `name` and `namespace`",
        );
        return;
    }
    for entry in tree.entries(node) {
        let target = match tree.str(entry.key) {
            Some("name") => &mut release.name,
            Some("namespace") => &mut release.namespace,
            _ => {
                problems.at(
                    tree.span(entry.key),
                    format!(
                        "unknown key `{}` in `release`; the keys are `name` and `namespace`",
                        written(problems.file, tree, entry.key)
                    ),
                );
                continue;
            }
        };
        match tree.str(entry.value).filter(|v| !v.is_empty()) {
            Some(value) => *target = value.to_owned(),
            None => problems.at(
                tree.span(entry.value),
                "a release's name and namespace are words",
            ),
        }
    }
}

/// `helm`: the charts and their values sets.
pub(super) fn helm_schema() -> Value {
    let release = json!({
        "type": ["object", "null"],
        "description": "The release the chart is rendered for (`.Release`); by default \
                        `release-name` in namespace `default`.",
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "`.Release.Name`."},
            "namespace": {"type": "string", "minLength": 1, "description": "`.Release.Namespace`."},
        },
        "additionalProperties": false,
    });
    let mut set_release = release.clone();
    set_release["description"] = "The release of this set, over the chart's.".into();
    json!({
        "type": ["object", "null"],
        "properties": {
            "charts": {
                "type": ["array", "null"],
                "description": "Charts rendered with more values sets than their values.yaml.",
                "items": {
                    "type": "object",
                    "required": ["path"],
                    "properties": {
                        "path": {
                            "type": "string",
                            "minLength": 1,
                            "description": "The chart's folder (with Chart.yaml), relative to \
                                            this file's folder.",
                        },
                        "release": release,
                        "values-sets": {
                            "type": ["array", "null"],
                            "description": "Each set is rendered besides the chart's \
                                            values.yaml alone (the set `default`); a finding \
                                            of some sets only names them.",
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {
                                        "type": "string",
                                        "minLength": 1,
                                        "not": {"enum": [DEFAULT_SET_NAME, COMMAND_LINE_SET_NAME]},
                                        "description": "The set's name, as findings name it.",
                                    },
                                    "values": {
                                        "type": ["array", "string"],
                                        "items": {"type": "string", "minLength": 1},
                                        "description": "Values files over the chart's \
                                                        values.yaml, in order (a later file \
                                                        wins), relative to the chart's folder.",
                                    },
                                    "release": set_release,
                                },
                                "additionalProperties": false,
                            },
                        },
                    },
                    "additionalProperties": false,
                },
            },
        },
        "additionalProperties": false,
    })
}
