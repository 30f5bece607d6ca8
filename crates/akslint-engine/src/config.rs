//! Configuration: `akslint.yaml`, found by walking up from each linted file.
//!
//! ```yaml
//! rules:
//!   SEC001: off            # a code, a kebab-case name or a family (SEC, WID, …)
//!   WID: warning           # off | on | error | warning | info
//! exclude:                 # .gitignore-style patterns, relative to this file's folder
//!   - generated/
//!   - "*.test.yaml"
//! limits:
//!   max-file-size: 10MiB   # bytes, or with KiB / MiB / GiB
//!   max-depth: 200         # nesting levels of a document
//!   max-alias-expansion: 100000  # nodes reachable through aliases in one document
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

use akslint_core::{Family, Limits, RuleMeta, Severity};
use akslint_rules::registry;

/// The configuration file's name.
pub const CONFIG_FILE_NAME: &str = "akslint.yaml";

/// A rule's setting in `rules:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RuleSetting {
    Off,
    On,
    Error,
    Warning,
    Info,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    #[serde(default)]
    rules: BTreeMap<String, RuleSetting>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    limits: LimitsFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LimitsFile {
    max_file_size: Option<ByteSize>,
    max_depth: Option<usize>,
    max_alias_expansion: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ByteSize {
    Bytes(u64),
    Text(String),
}

impl ByteSize {
    fn bytes(&self) -> Result<u64, String> {
        match self {
            ByteSize::Bytes(n) => Ok(*n),
            ByteSize::Text(text) => parse_byte_size(text).ok_or_else(|| {
                format!("`{text}` is not a size (write e.g. 10485760, 512KiB or 10MiB)")
            }),
        }
    }
}

fn parse_byte_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits_end].parse().ok()?;
    let factor = match text[digits_end..].trim() {
        "" | "B" => 1,
        "KiB" | "K" | "KB" => 1024,
        "MiB" | "M" | "MB" => 1024 * 1024,
        "GiB" | "G" | "GB" => 1024 * 1024 * 1024,
        _ => return None,
    };
    number.checked_mul(factor)
}

/// Whether a rule runs, and at which severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleState {
    /// Turned off.
    Off,
    /// On, each finding at the severity the rule gives it.
    On,
    /// On, every finding at this severity.
    Severity(Severity),
}

/// What a `rules:` key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Selector {
    Rule(&'static str),
    Family(Family),
}

/// A configuration error, with the file and, where known, the 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": invalid configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A loaded configuration: rule settings, excludes and limits.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from (`None` for the built-in defaults).
    pub path: Option<PathBuf>,
    /// The folder exclude patterns are relative to.
    pub root: PathBuf,
    settings: Vec<(Selector, RuleSetting)>,
    excludes: Option<Gitignore>,
    /// Limits for every file under this configuration.
    pub limits: Limits,
}

impl Config {
    /// The defaults: every rule on at its default severity, nothing excluded.
    pub fn default_at(root: impl Into<PathBuf>) -> Config {
        Config {
            path: None,
            root: root.into(),
            settings: Vec::new(),
            excludes: None,
            limits: Limits::default(),
        }
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError {
            path: path.to_owned(),
            line: None,
            column: None,
            message: format!("cannot read it: {err}"),
        })?;
        Config::parse(path, &text)
    }

    /// Parses configuration text that belongs to the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let error_at = |needle: Option<&str>, message: String| {
            let (line, column) = needle.and_then(|n| locate(text, n)).unzip();
            ConfigError {
                path: path.to_owned(),
                line,
                column,
                message,
            }
        };
        let file: ConfigFile = if text.trim().is_empty() {
            ConfigFile::default()
        } else {
            yaml_serde::from_str(text).map_err(|err| {
                let location = err.location();
                ConfigError {
                    path: path.to_owned(),
                    line: location.as_ref().map(|l| l.line()),
                    column: location.as_ref().map(|l| l.column()),
                    message: err.to_string(),
                }
            })?
        };
        let mut settings = Vec::new();
        for (key, setting) in &file.rules {
            let selector = if let Some(rule) = registry::find(key) {
                Selector::Rule(rule.code)
            } else if let Some(family) = Family::parse(key) {
                Selector::Family(family)
            } else {
                return Err(error_at(
                    Some(key),
                    format!(
                        "`{key}` in `rules` is neither a rule code, a rule name nor a family (see `akslint rules`)"
                    ),
                ));
            };
            settings.push((selector, *setting));
        }
        let root = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        let excludes = if file.exclude.is_empty() {
            None
        } else {
            let mut builder = GitignoreBuilder::new(&root);
            for pattern in &file.exclude {
                builder.add_line(None, pattern).map_err(|err| {
                    error_at(
                        Some(pattern),
                        format!("bad exclude pattern `{pattern}`: {err}"),
                    )
                })?;
            }
            Some(
                builder
                    .build()
                    .map_err(|err| error_at(None, err.to_string()))?,
            )
        };
        let defaults = Limits::default();
        let max_file_size = match &file.limits.max_file_size {
            Some(size) => size
                .bytes()
                .map_err(|m| error_at(Some("max-file-size"), m))?,
            None => defaults.max_file_size,
        };
        Ok(Config {
            path: Some(path.to_owned()),
            root,
            settings,
            excludes,
            limits: Limits {
                max_file_size,
                max_depth: file.limits.max_depth.unwrap_or(defaults.max_depth),
                max_alias_expansion: file
                    .limits
                    .max_alias_expansion
                    .unwrap_or(defaults.max_alias_expansion),
            },
        })
    }

    /// Whether a rule runs under this configuration, and at what severity.
    ///
    /// A setting for the rule itself (by code or name) wins over one for its family.
    pub fn rule_state(&self, rule: &RuleMeta) -> RuleState {
        let by_rule = self
            .settings
            .iter()
            .find(|(s, _)| *s == Selector::Rule(rule.code));
        let by_family = self
            .settings
            .iter()
            .find(|(s, _)| *s == Selector::Family(rule.family));
        // An opt-in rule runs only when named itself; its family's setting does not turn it on.
        let setting = if rule.enabled_by_default {
            by_rule.or(by_family)
        } else {
            by_rule
        };
        match setting.map(|(_, setting)| *setting) {
            None if !rule.enabled_by_default => RuleState::Off,
            None | Some(RuleSetting::On) => RuleState::On,
            Some(RuleSetting::Off) => RuleState::Off,
            Some(RuleSetting::Error) => RuleState::Severity(Severity::Error),
            Some(RuleSetting::Warning) => RuleState::Severity(Severity::Warning),
            Some(RuleSetting::Info) => RuleState::Severity(Severity::Info),
        }
    }

    /// Whether a rule runs under this configuration.
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        self.rule_state(rule) != RuleState::Off
    }

    /// Whether the configuration's `exclude` patterns exclude a path (absolute, or relative to
    /// the current folder) or one of its parent folders.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        let Some(excludes) = &self.excludes else {
            return false;
        };
        match path.strip_prefix(&self.root) {
            Ok(relative) => excludes
                .matched_path_or_any_parents(relative, is_dir)
                .is_ignore(),
            Err(_) => false,
        }
    }
}

/// 1-based line and column of the first occurrence of `needle` as a whole word in `text`.
fn locate(text: &str, needle: &str) -> Option<(usize, usize)> {
    let at = text.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        let boundary =
            |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
        boundary(before) && boundary(after)
    })?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Some((
        text[..at].matches('\n').count() + 1,
        text[line_start..at].chars().count() + 1,
    ))
}

/// Finds the configuration of each file by walking up from its folder, caching per folder.
#[derive(Debug)]
pub struct ConfigResolver {
    cwd: PathBuf,
    fixed: Option<Arc<Config>>,
    cache: Mutex<HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
}

impl ConfigResolver {
    /// Discovers `akslint.yaml` files; relative paths are taken from `cwd`.
    pub fn discover(cwd: impl Into<PathBuf>) -> ConfigResolver {
        ConfigResolver {
            cwd: cwd.into(),
            fixed: None,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Uses one configuration for every file.
    pub fn fixed(cwd: impl Into<PathBuf>, config: Config) -> ConfigResolver {
        ConfigResolver {
            fixed: Some(Arc::new(config)),
            ..ConfigResolver::discover(cwd)
        }
    }

    /// The current folder relative paths are resolved against.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Forgets cached configurations (after an `akslint.yaml` changed).
    pub fn clear(&self) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The configuration that applies to the file at `path`.
    pub fn for_file(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        let absolute = self.cwd.join(path);
        let folder = absolute.parent().unwrap_or(&absolute).to_path_buf();
        self.for_folder(&folder)
    }

    fn for_folder(&self, folder: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(found) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(folder)
        {
            return found.clone();
        }
        let candidate = folder.join(CONFIG_FILE_NAME);
        let result = if candidate.is_file() {
            Config::load(&candidate).map(Arc::new)
        } else {
            match folder.parent() {
                Some(parent) => self.for_folder(parent),
                None => Ok(Arc::new(Config::default_at(&self.cwd))),
            }
        };
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(folder.to_path_buf(), result.clone());
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_by_code_name_and_family() {
        let config = Config::parse(
            Path::new("/repo/akslint.yaml"),
            "rules:\n  SEC: off\n  hardcoded-secret-in-env: warning\n  WID001: info\n",
        )
        .unwrap();
        let state = |code: &str| config.rule_state(registry::find(code).unwrap());
        assert_eq!(state("SEC001"), RuleState::Severity(Severity::Warning));
        assert_eq!(state("WID001"), RuleState::Severity(Severity::Info));
        assert_eq!(state("AUTH001"), RuleState::On);
        let off = Config::parse(Path::new("/repo/akslint.yaml"), "rules:\n  SEC: off\n").unwrap();
        assert_eq!(
            off.rule_state(registry::find("SEC001").unwrap()),
            RuleState::Off
        );
    }

    #[test]
    fn unknown_rule_is_located() {
        let err = Config::parse(Path::new("akslint.yaml"), "rules:\n  SEC999: off\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(3)));
        assert!(err.message.contains("SEC999"), "{}", err.message);
    }

    #[test]
    fn unknown_key_and_bad_value_are_located() {
        let err = Config::parse(Path::new("akslint.yaml"), "rulez: {}\n").unwrap_err();
        assert_eq!(err.line, Some(1));
        let err = Config::parse(Path::new("akslint.yaml"), "rules:\n  SEC001: loud\n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn sizes_and_excludes() {
        assert_eq!(parse_byte_size("10MiB"), Some(10 * 1024 * 1024));
        assert_eq!(parse_byte_size("12"), Some(12));
        assert_eq!(parse_byte_size("ten"), None);
        let config = Config::parse(
            Path::new("/repo/akslint.yaml"),
            "exclude: [generated/, '*.test.yaml']\nlimits: {max-file-size: 1KiB}\n",
        )
        .unwrap();
        assert!(config.is_excluded(Path::new("/repo/generated/a.yaml"), false));
        assert!(config.is_excluded(Path::new("/repo/x/b.test.yaml"), false));
        assert!(!config.is_excluded(Path::new("/repo/x/b.yaml"), false));
        assert!(!config.is_excluded(Path::new("/elsewhere/generated/a.yaml"), false));
        assert_eq!(config.limits.max_file_size, 1024);
    }
}
