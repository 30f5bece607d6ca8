//! `import-values` of a dependency, as Helm 3 applies them: tables of the dependency's values
//! (with its own defaults and its parent's section for it) copied into the parent's default
//! values, where the parent's own values win and user values still override them.

use std::collections::BTreeMap;

use crate::render::value::{Kind, Value};

use super::coalesce;

/// One `import-values` entry: the dependency's table at `child` goes to the parent at
/// `parent`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The dotted path of a table of the dependency's values (`exports.data` for the string
    /// form `data`).
    pub child: String,
    /// The dotted path in the parent's values it goes to (`.` for the root).
    pub parent: String,
}

impl Import {
    /// An entry as `Chart.yaml` writes it: a string (an exported table, into the parent's root)
    /// or a map with `child` and `parent`.
    pub(super) fn from_value(value: &Value) -> Option<Import> {
        if let Some(exported) = value.as_str() {
            return Some(Import {
                child: format!("exports.{exported}"),
                parent: ".".to_owned(),
            });
        }
        let path = |key: &str| value.get(key).and_then(|v| v.as_str().map(str::to_owned));
        Some(Import {
            child: path("child")?,
            parent: path("parent")?,
        })
    }
}

/// The values the imports of a dependency add to its parent: each table (a map; anything else
/// is skipped, as Helm skips it with a warning) put at its parent path, earlier imports winning.
pub(super) fn imported(imports: &[Import], dependency_values: &Value) -> Value {
    let mut added = Value::map(BTreeMap::new());
    for import in imports {
        let mut table = Some(dependency_values.clone());
        for key in import.child.split('.').filter(|k| !k.is_empty()) {
            table = table.and_then(|t| t.get(key));
        }
        let Some(table) = table.filter(|t| matches!(t.kind, Kind::Map(_))) else {
            continue;
        };
        let placed = import
            .parent
            .split('.')
            .filter(|k| !k.is_empty())
            .rev()
            .fold(table, |inner, key| {
                Value::map(BTreeMap::from([(key.to_owned(), inner)]))
            });
        added = coalesce(&added, &placed);
    }
    added
}
