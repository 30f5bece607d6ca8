//! Client settings: `initializationOptions` and the `akslint` section of `workspace/configuration`.

use std::path::{Path, PathBuf};

use akslint_core::Severity;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;
use serde_json::Value;

/// The settings a client can give, in the shape editors send them (`akslint.enable`, …).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// Whether the server reports anything.
    pub enable: bool,
    /// The lowest severity shown: `info`, `warning` or `error`.
    #[serde(deserialize_with = "severity")]
    pub severity: Severity,
    /// Extra `.gitignore`-style patterns, relative to each workspace folder, whose files get no
    /// diagnostics and are not indexed (added to `exclude` in `akslint.yaml`).
    pub exclude: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            enable: true,
            severity: Severity::Info,
            exclude: Vec::new(),
        }
    }
}

fn severity<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
    let name = String::deserialize(deserializer)?;
    Severity::parse(&name.to_ascii_lowercase()).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "`{name}` is not a severity (info, warning or error)"
        ))
    })
}

impl Settings {
    /// Reads settings from a JSON value: either the settings themselves or an object with an
    /// `akslint` key holding them (as `workspace/didChangeConfiguration` sends). Unknown keys
    /// are ignored; a bad value is an error message.
    pub fn from_json(value: &Value) -> Result<Option<Settings>, String> {
        let value = match value.get("akslint") {
            Some(inner) => inner,
            None => value,
        };
        if !value.is_object() {
            return Ok(None);
        }
        Settings::deserialize(value)
            .map(Some)
            .map_err(|err| format!("invalid akslint settings: {err}"))
    }
}

/// The client's extra excludes, compiled per workspace folder.
#[derive(Clone, Debug, Default)]
pub struct Excludes {
    matchers: Vec<Gitignore>,
}

impl Excludes {
    /// Compiles the patterns for each folder; bad patterns are returned as messages.
    pub fn new(folders: &[PathBuf], patterns: &[String]) -> (Excludes, Vec<String>) {
        let mut errors = Vec::new();
        let mut matchers = Vec::new();
        if !patterns.is_empty() {
            for folder in folders {
                let mut builder = GitignoreBuilder::new(folder);
                for pattern in patterns {
                    if let Err(err) = builder.add_line(None, pattern) {
                        errors.push(format!("bad exclude pattern `{pattern}`: {err}"));
                    }
                }
                match builder.build() {
                    Ok(matcher) => matchers.push(matcher),
                    Err(err) => errors.push(err.to_string()),
                }
            }
        }
        errors.dedup();
        (Excludes { matchers }, errors)
    }

    /// Whether a path (absolute) is excluded.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        self.matchers.iter().any(|m| {
            path.strip_prefix(m.path())
                .is_ok_and(|relative| m.matched_path_or_any_parents(relative, is_dir).is_ignore())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_from_both_shapes() {
        let direct = Settings::from_json(&json!({"severity": "Warning", "exclude": ["gen/"]}))
            .unwrap()
            .unwrap();
        assert_eq!(direct.severity, Severity::Warning);
        assert!(direct.enable);
        let nested = Settings::from_json(&json!({"akslint": {"enable": false}}))
            .unwrap()
            .unwrap();
        assert!(!nested.enable);
        assert!(Settings::from_json(&json!({"severity": "loud"})).is_err());
        assert_eq!(Settings::from_json(&Value::Null).unwrap(), None);
    }

    #[test]
    fn excludes_are_relative_to_each_folder() {
        let folders = [PathBuf::from("/ws/a"), PathBuf::from("/ws/b")];
        let (excludes, errors) = Excludes::new(&folders, &["gen/".to_owned()]);
        assert!(errors.is_empty());
        assert!(excludes.is_excluded(Path::new("/ws/a/gen/x.yaml"), false));
        assert!(excludes.is_excluded(Path::new("/ws/b/sub/gen/x.yaml"), false));
        assert!(!excludes.is_excluded(Path::new("/ws/a/x.yaml"), false));
        assert!(!excludes.is_excluded(Path::new("/other/gen/x.yaml"), false));
    }
}
