//! A values set: what one `helm template` of a chart is given besides the chart's own
//! `values.yaml` (values files, `--set` items, the release), and the values they make.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Limits, SourceFile, SourceKind};

use crate::chart::{Release, merge_user_values};
use crate::render::value::Value;
use crate::set_values::parse_set;

/// The name of the set every chart renders with: its own `values.yaml` alone.
pub const DEFAULT_SET_NAME: &str = "default";

/// The name of the set of the command line's `--values` and `--set`.
pub const COMMAND_LINE_SET_NAME: &str = "command line";

/// One way a chart is rendered: values files over the chart's `values.yaml` (in order, a later
/// file winning, as `helm template -f a -f b`), `--set` items over them, for a release.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ValuesSet {
    /// Its name, as findings name it (`prod`).
    pub name: String,
    /// Its values files, as the run reaches them (absolute, or relative to the current folder).
    pub files: Vec<PathBuf>,
    /// Its `--set` items, as written.
    pub set: Vec<String>,
    /// The release.
    pub release: Release,
}

impl Default for ValuesSet {
    fn default() -> ValuesSet {
        ValuesSet {
            name: DEFAULT_SET_NAME.to_owned(),
            files: Vec::new(),
            set: Vec::new(),
            release: Release::default(),
        }
    }
}

/// The values a set gives over the chart's own, and the files they were written in.
pub struct SetValues {
    /// The values files' paths and texts, in order: an origin's `file` indexes them (they are
    /// the renderer's first files, see [`crate::output::render_chart_over`]).
    pub files: Vec<(PathBuf, String)>,
    /// The values (`None` when the set gives none).
    pub overrides: Option<Value>,
    /// Whether a values file was read with a text other than the one on disk (an editor's, a
    /// fix's not yet written).
    pub edited: bool,
}

impl ValuesSet {
    /// Reads the set's values files (with the text `text_of` gives a file, an editor's or a
    /// fix's, else from disk) and `--set` items; a file that cannot be read or is not YAML, or
    /// an item that is not Helm's syntax, is an error saying where.
    pub fn values(&self, text_of: &dyn Fn(&Path) -> Option<String>) -> Result<SetValues, String> {
        let mut files = Vec::new();
        let mut merged: Option<Value> = None;
        let mut edited = false;
        for (index, path) in self.files.iter().enumerate() {
            let on_disk = || {
                std::fs::read_to_string(path)
                    .map_err(|err| format!("values file {}: {err}", path.display()))
            };
            let text = match text_of(path) {
                Some(text) => {
                    edited |= on_disk().ok().as_ref() != Some(&text);
                    text
                }
                None => on_disk()?,
            };
            let source = Arc::new(SourceFile::new(path, SourceKind::Yaml, text.as_str()));
            let parsed = akslint_yaml::parse(&source, &Limits::default());
            if let Some(problem) = parsed.problems.first() {
                let at = source.line_column(problem.span.start as usize);
                return Err(format!(
                    "values file {}:{}:{}: {}",
                    path.display(),
                    at.line,
                    at.column,
                    problem.message
                ));
            }
            let value = parsed
                .documents
                .first()
                .and_then(|d| Some(Value::from_tree(&d.tree, d.root?, index)))
                .filter(|v| v.as_map().is_some())
                .unwrap_or_else(|| Value::map(BTreeMap::new()));
            merged = Some(match merged {
                Some(under) => merge_user_values(&value, &under),
                None => value,
            });
            files.push((path.clone(), text));
        }
        if !self.set.is_empty() {
            let set = parse_set(&self.set)?;
            merged = Some(match merged {
                Some(under) => merge_user_values(&set, &under),
                None => set,
            });
        }
        Ok(SetValues {
            files,
            overrides: merged,
            edited,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_then_set_items_a_later_one_winning_and_nulls_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("a.yaml");
        let second = dir.path().join("b.yaml");
        std::fs::write(
            &first,
            "image: {tag: '1', pull: Always}\nsidecar: {on: true}\n",
        )
        .expect("write");
        std::fs::write(&second, "image: {tag: '2'}\nsidecar: null\n").expect("write");
        let set = ValuesSet {
            name: "prod".to_owned(),
            files: vec![first.clone(), second],
            set: vec!["image.pull=Never".to_owned()],
            ..ValuesSet::default()
        };
        let values = set.values(&|_| None).expect("values");
        let value = values.overrides.expect("overrides");
        let image = value.get("image").expect("image");
        assert_eq!(
            image
                .get("tag")
                .and_then(|t| t.as_str().map(str::to_owned))
                .as_deref(),
            Some("2")
        );
        assert_eq!(
            image
                .get("pull")
                .and_then(|t| t.as_str().map(str::to_owned))
                .as_deref(),
            Some("Never")
        );
        // The tag was written in the second file (the renderer's file 1).
        assert_eq!(
            image.get("tag").and_then(|t| t.origin).map(|o| o.file),
            Some(1)
        );
        assert_eq!(
            value.get("sidecar").map(|s| s.kind),
            Some(crate::render::value::Kind::Nil)
        );
        assert_eq!(values.files.len(), 2);
        assert!(!values.edited);
        // A text given for a file (an editor's) is read instead of the file on disk.
        let edited = set
            .values(&|path| (path == first).then(|| "image: {tag: '3'}\n".to_owned()))
            .expect("values");
        assert!(edited.edited);
        assert_eq!(
            edited
                .overrides
                .expect("overrides")
                .get("image")
                .and_then(|i| i.get("pull").and_then(|p| p.as_str().map(str::to_owned))),
            Some("Never".to_owned())
        );
        // A file that is not YAML, a missing one: errors naming them.
        std::fs::write(&first, "a: [\n").expect("write");
        let broken = ValuesSet {
            files: vec![first],
            ..set.clone()
        };
        assert!(
            broken
                .values(&|_| None)
                .err()
                .is_some_and(|e| e.contains("a.yaml:"))
        );
        let missing = ValuesSet {
            files: vec![dir.path().join("nope.yaml")],
            ..set
        };
        assert!(
            missing
                .values(&|_| None)
                .err()
                .is_some_and(|e| e.contains("nope.yaml"))
        );
    }
}
