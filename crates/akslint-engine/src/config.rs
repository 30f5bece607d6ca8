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
//!   max-findings-per-rule: 100   # findings of one rule in one file; the rest are counted
//! helm:                    # charts rendered with more values sets (see [`helm`])
//!   charts:
//!     - path: charts/web
//!       values-sets:
//!         - {name: prod, values: [values-prod.yaml]}
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use akslint_core::{
    Document, Family, Limits, NodeId, RuleMeta, Severity, SourceFile, SourceKind, Span, Tree,
};
use akslint_rules::registry;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::read;

/// The configuration file's name.
pub const CONFIG_FILE_NAME: &str = "akslint.yaml";

mod helm;
mod schema;

pub use helm::CommandLineValues;
pub use schema::config_schema;

/// A top-level key of `akslint.yaml`: what the reader accepts and the schema describes.
struct Section {
    key: &'static str,
    description: &'static str,
    /// Reads the section's value into a configuration.
    read: fn(&mut Config, &Tree, NodeId, &mut Problems<'_>),
    /// The JSON Schema of the section's value.
    schema: fn() -> serde_json::Value,
}

/// The top-level keys of `akslint.yaml`, in the order they are documented.
const SECTIONS: [Section; 5] = [
    Section {
        key: "rules",
        description: "Rules turned off or on, or given a severity: keys are rule codes (SEC001), \
                      kebab-case rule names or families (SEC); a rule's own setting wins over its \
                      family's, and an opt-in rule runs only when named itself.",
        read: Config::read_rules,
        schema: schema::rules_schema,
    },
    Section {
        key: "exclude",
        description: ".gitignore-style patterns, relative to this file's folder, for files and \
                      folders akslint does not lint.",
        read: Config::read_excludes,
        schema: schema::excludes_schema,
    },
    Section {
        key: "limits",
        description: "Limits on what akslint reads, for every file under this configuration.",
        read: Config::read_limits,
        schema: schema::limits_schema,
    },
    Section {
        key: "arm-parameters",
        description: "ARM JSON parameter files and the template each one is for, both relative to \
                      this file's folder, for parameter files not named after their template \
                      (`X.parameters.json` beside `X.json` pairs without it).",
        read: Config::read_arm_parameters,
        schema: schema::arm_parameters_schema,
    },
    Section {
        key: "helm",
        description: "Helm charts rendered with more values sets than their own values.yaml \
                      (`values-prod.yaml`, another release): each set is rendered and linted, \
                      a finding of every set reported once, one of some sets naming them.",
        read: Config::read_helm,
        schema: helm::helm_schema,
    },
];

/// A rule's setting in `rules:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RuleSetting {
    Off,
    On,
    Error,
    Warning,
    Info,
}

impl RuleSetting {
    /// Every setting, in the order they are documented.
    const ALL: [RuleSetting; 5] = [
        RuleSetting::Off,
        RuleSetting::On,
        RuleSetting::Error,
        RuleSetting::Warning,
        RuleSetting::Info,
    ];

    /// The setting as written in `akslint.yaml`.
    fn as_str(self) -> &'static str {
        match self {
            RuleSetting::Off => "off",
            RuleSetting::On => "on",
            RuleSetting::Error => "error",
            RuleSetting::Warning => "warning",
            RuleSetting::Info => "info",
        }
    }

    /// What the setting does.
    fn description(self) -> &'static str {
        match self {
            RuleSetting::Off => "Turned off.",
            RuleSetting::On => "On, each finding at the severity the rule gives it.",
            RuleSetting::Error => "On, every finding an error.",
            RuleSetting::Warning => "On, every finding a warning.",
            RuleSetting::Info => "On, every finding for information.",
        }
    }

    /// The setting written as `text`.
    fn parse(text: &str) -> Option<RuleSetting> {
        RuleSetting::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// What a limit's value is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LimitValue {
    /// A number of bytes, or a number with a unit of [`SIZE_UNITS`].
    Size,
    /// A whole number.
    Count,
}

/// A key of `limits:`: how its value is written, what it means, and where it goes in [`Limits`].
struct LimitKey {
    key: &'static str,
    value: LimitValue,
    description: &'static str,
    /// The limit's value in a [`Limits`].
    get: fn(&Limits) -> u64,
    /// Sets the limit in a [`Limits`].
    set: fn(&mut Limits, u64),
}

/// A count as a `usize` (saturating on 32-bit targets).
fn count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The keys of `limits:`, in the order they are documented.
const LIMIT_KEYS: [LimitKey; 4] = [
    LimitKey {
        key: "max-file-size",
        value: LimitValue::Size,
        description: "Largest file read, in bytes or with a unit (512KiB, 10MiB); a larger file \
                      is a PARSE002 finding.",
        get: |limits| limits.max_file_size,
        set: |limits, n| limits.max_file_size = n,
    },
    LimitKey {
        key: "max-depth",
        value: LimitValue::Count,
        description: "Deepest nesting of collections in one document; a deeper document is a \
                      PARSE003 finding.",
        get: |limits| limits.max_depth as u64,
        set: |limits, n| limits.max_depth = count(n),
    },
    LimitKey {
        key: "max-alias-expansion",
        value: LimitValue::Count,
        description: "Most nodes reachable through YAML aliases in one document (a \
                      billion-laughs guard).",
        get: |limits| limits.max_alias_expansion as u64,
        set: |limits, n| limits.max_alias_expansion = count(n),
    },
    LimitKey {
        key: "max-findings-per-rule",
        value: LimitValue::Count,
        description: "Most findings of one rule reported in one file (at least 1); the rest are \
                      counted in one more finding.",
        get: |limits| limits.max_findings_per_rule as u64,
        set: |limits, n| limits.max_findings_per_rule = count(n.max(1)),
    },
];

/// The units a size may be written with, and their factors (no unit: bytes).
const SIZE_UNITS: [(&str, u64); 10] = [
    ("B", 1),
    ("K", 1024),
    ("KB", 1024),
    ("KiB", 1024),
    ("M", 1024 * 1024),
    ("MB", 1024 * 1024),
    ("MiB", 1024 * 1024),
    ("G", 1024 * 1024 * 1024),
    ("GB", 1024 * 1024 * 1024),
    ("GiB", 1024 * 1024 * 1024),
];

fn parse_byte_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let number: u64 = text[..digits_end].parse().ok()?;
    let unit = text[digits_end..].trim();
    let factor = if unit.is_empty() {
        1
    } else {
        SIZE_UNITS.iter().find(|(name, _)| *name == unit)?.1
    };
    number.checked_mul(factor)
}

/// `words` as an English list joined by `conjunction`, each in backticks when `code`:
/// "`a`, `b` and `c`".
fn listed<'a>(words: impl IntoIterator<Item = &'a str>, conjunction: &str, code: bool) -> String {
    let words: Vec<String> = words
        .into_iter()
        .map(|w| if code { format!("`{w}`") } else { w.to_owned() })
        .collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// The section keys, for messages.
fn section_keys() -> String {
    listed(SECTIONS.iter().map(|s| s.key), "and", true)
}

/// The rule settings, for messages.
fn rule_settings() -> String {
    listed(RuleSetting::ALL.iter().map(|s| s.as_str()), "or", false)
}

/// The limit keys, for messages.
fn limit_keys() -> String {
    listed(LIMIT_KEYS.iter().map(|l| l.key), "and", true)
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

/// What a `rules:` key (or a `--select` / `--ignore` item) names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Selector {
    Rule(&'static str),
    Family(Family),
}

impl Selector {
    /// The rule (by code or kebab-case name) or family `text` names.
    fn parse(text: &str) -> Option<Selector> {
        registry::find(text)
            .map(|rule| Selector::Rule(rule.code))
            .or_else(|| Family::parse(text).map(Selector::Family))
    }
}

/// The rules chosen for one run on the command line (`--select`, `--ignore`), applied on top of
/// every configuration file: they narrow what the configuration runs and never change a
/// severity.
///
/// - With `select`, only the rules it names run, and the `PARSE` family (files that cannot be
///   read) unless `ignore` names it.
/// - A rule `select` names by code or name runs even when the configuration turns it off or it
///   is opt-in; a family in `select` keeps the configuration's decision for each of its rules
///   (as a family in `rules:` does not turn on an opt-in rule).
/// - The more specific item wins (`--select SEC --ignore SEC001` runs SEC but SEC001;
///   `--ignore SEC --select SEC001` runs SEC001 alone); at equal specificity `ignore` wins.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSelection {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
}

/// An item of `--select` or `--ignore` that names no rule or family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSelector {
    /// The item as written.
    pub text: String,
    /// The code, name or family it is most like, if one is close.
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for UnknownSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is neither a rule code, a rule name nor a family",
            self.text
        )?;
        match self.suggestion {
            Some(suggestion) => write!(f, "; did you mean `{suggestion}`?"),
            None => write!(f, " (see `akslint rules`)"),
        }
    }
}

impl std::error::Error for UnknownSelector {}

/// How one run's selection decides a rule, before the configuration is consulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chosen {
    /// Off for this run.
    Off,
    /// Named itself in `select`: on, whatever the configuration says.
    Named,
    /// As the configuration says.
    AsConfigured,
}

impl RuleSelection {
    /// The selection of `--select` and `--ignore` items: codes, kebab-case names or families.
    pub fn new<'a>(
        select: impl IntoIterator<Item = &'a str>,
        ignore: impl IntoIterator<Item = &'a str>,
    ) -> Result<RuleSelection, UnknownSelector> {
        let parse_all = |items: &mut dyn Iterator<Item = &'a str>| {
            items
                .map(|text| {
                    Selector::parse(text).ok_or_else(|| UnknownSelector {
                        text: text.to_owned(),
                        suggestion: registry::closest_name(text),
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(RuleSelection {
            select: parse_all(&mut select.into_iter())?,
            ignore: parse_all(&mut ignore.into_iter())?,
        })
    }

    /// Whether it selects and ignores nothing.
    pub fn is_empty(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    fn choose(&self, rule: &RuleMeta) -> Chosen {
        let named = |list: &[Selector]| list.contains(&Selector::Rule(rule.code));
        let by_family = |list: &[Selector]| list.contains(&Selector::Family(rule.family));
        if named(&self.ignore) {
            Chosen::Off
        } else if named(&self.select) {
            Chosen::Named
        } else if by_family(&self.ignore) {
            Chosen::Off
        } else if by_family(&self.select) || self.select.is_empty() || rule.family == Family::Parse
        {
            Chosen::AsConfigured
        } else {
            Chosen::Off
        }
    }
}

/// One thing wrong in a configuration file, where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The bytes concerned (empty at the start of the file when it could not be read).
    pub span: Span,
    /// 1-based line, when the file was read.
    pub line: Option<usize>,
    /// 1-based column in characters, when the file was read.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// A configuration file that cannot be used: every problem found in it, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file.
    pub path: PathBuf,
    /// Its problems (at least one).
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.path.display())?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
                if let Some(column) = problem.column {
                    write!(f, ":{column}")?;
                }
            }
            write!(f, ": invalid configuration: {}", problem.message)?;
        }
        Ok(())
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
    /// The command line's choice of rules, on top of `settings`.
    selection: Arc<RuleSelection>,
    excludes: Option<Gitignore>,
    /// Limits for every file under this configuration.
    pub limits: Limits,
    /// ARM JSON parameter files and their templates (`arm-parameters`), under `root`.
    arm_parameters: Vec<(PathBuf, PathBuf)>,
    /// Charts and their values sets (`helm.charts`).
    helm_charts: Vec<helm::ChartSettings>,
    /// The command line's `--values` and `--set`, for the charts it names.
    command_line: Arc<CommandLineValues>,
}

/// The problems found while reading a configuration file.
struct Problems<'a> {
    file: &'a SourceFile,
    found: Vec<ConfigProblem>,
}

impl Problems<'_> {
    fn at(&mut self, span: Span, message: impl Into<String>) {
        let position = self.file.line_column(span.start as usize);
        self.found.push(ConfigProblem {
            span,
            line: Some(position.line as usize),
            column: Some(position.column as usize),
            message: message.into(),
        });
    }
}

impl Config {
    /// The defaults: every rule on at its default severity, nothing excluded.
    pub fn default_at(root: impl Into<PathBuf>) -> Config {
        Config {
            path: None,
            root: root.into(),
            settings: Vec::new(),
            selection: Arc::default(),
            excludes: None,
            limits: Limits::default(),
            arm_parameters: Vec::new(),
            helm_charts: Vec::new(),
            command_line: Arc::default(),
        }
    }

    /// The template the configuration names for the ARM JSON parameter file at `path`
    /// (`arm-parameters`), under the configuration's folder.
    ///
    /// The template's path is given as `path` is written: next to it, with `..` where the
    /// template is in another folder (so that relative run paths stay comparable).
    pub fn arm_template_for(&self, path: &Path) -> Option<PathBuf> {
        let written = normalised(path);
        let (parameters, template) = self.arm_parameters.iter().find(|(parameters, _)| {
            let parameters = normalised(&absolute(parameters));
            if written.is_absolute() {
                parameters == written
            } else {
                parameters.ends_with(&written)
            }
        })?;
        let from = normalised(&absolute(parameters));
        let to = normalised(&absolute(template));
        let folder = from.parent()?;
        let common = folder
            .components()
            .zip(to.components())
            .take_while(|(a, b)| a == b)
            .count();
        let mut relative = PathBuf::new();
        for _ in folder.components().skip(common) {
            relative.push("..");
        }
        relative.extend(to.components().skip(common));
        Some(normalised(
            &path.parent().unwrap_or(Path::new("")).join(relative),
        ))
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text =
            read::read_text(path, Limits::default().max_file_size).map_err(|err| ConfigError {
                path: path.to_owned(),
                problems: vec![ConfigProblem {
                    span: Span::empty(0),
                    line: None,
                    column: None,
                    message: format!("cannot read it: {err}"),
                }],
            })?;
        Config::parse(path, &text)
    }

    /// Parses configuration text that belongs to the file at `path`, with akslint's own YAML
    /// front end; every problem is reported, each at its line and column.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let file = Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
        let mut problems = Problems {
            file: &file,
            found: Vec::new(),
        };
        let mut config = Config {
            path: Some(path.to_owned()),
            root: path.parent().map_or_else(PathBuf::new, Path::to_path_buf),
            ..Config::default_at("")
        };
        let parsed = akslint_yaml::parse(&file, &Limits::default());
        for problem in &parsed.problems {
            problems.at(problem.span, problem.message.clone());
        }
        if let Some(extra) = parsed.documents.get(1) {
            problems.at(
                extra.span,
                "akslint.yaml holds one document; remove the others",
            );
        }
        if let Some(document) = parsed.documents.first() {
            config.read(document, &mut problems);
        }
        if problems.found.is_empty() {
            Ok(config)
        } else {
            problems.found.sort_by_key(|p| p.span.start);
            Err(ConfigError {
                path: path.to_owned(),
                problems: problems.found,
            })
        }
    }

    /// Reads the settings of a configuration document, recording every problem.
    fn read(&mut self, document: &Document, problems: &mut Problems<'_>) {
        let tree = &document.tree;
        let Some(root) = document.root.filter(|&r| !tree.is_null(r)) else {
            return;
        };
        if !tree.is_mapping(root) {
            problems.at(
                tree.span(root),
                format!(
                    "the configuration must be a mapping with the keys {}",
                    section_keys()
                ),
            );
            return;
        }
        for entry in tree.entries(root) {
            let key = tree.str(entry.key);
            match SECTIONS.iter().find(|section| Some(section.key) == key) {
                Some(section) => (section.read)(self, tree, entry.value, problems),
                None => problems.at(
                    tree.span(entry.key),
                    format!(
                        "unknown key `{}`; the keys are {}",
                        written(problems.file, tree, entry.key),
                        section_keys()
                    ),
                ),
            }
        }
    }

    fn read_rules(&mut self, tree: &Tree, rules: NodeId, problems: &mut Problems<'_>) {
        if tree.is_null(rules) {
            return;
        }
        if !tree.is_mapping(rules) {
            problems.at(
                tree.span(rules),
                format!(
                    "`rules` must map rule codes, names or families to {}",
                    rule_settings()
                ),
            );
            return;
        }
        for entry in tree.entries(rules) {
            let key = tree.str(entry.key).unwrap_or_default();
            let selector = Selector::parse(key);
            if selector.is_none() {
                problems.at(
                    tree.span(entry.key),
                    format!(
                        "`{}` in `rules` is neither a rule code, a rule name nor a family (see `akslint rules`)",
                        written(problems.file, tree, entry.key)
                    ),
                );
            }
            let setting = tree
                .scalar(entry.value)
                .and_then(|s| RuleSetting::parse(&s.text));
            if setting.is_none() {
                problems.at(
                    tree.span(entry.value),
                    format!(
                        "`{}` is not a rule setting; write {}",
                        written(problems.file, tree, entry.value),
                        rule_settings()
                    ),
                );
            }
            if let (Some(selector), Some(setting)) = (selector, setting) {
                self.settings.push((selector, setting));
            }
        }
    }

    fn read_arm_parameters(&mut self, tree: &Tree, pairs: NodeId, problems: &mut Problems<'_>) {
        if tree.is_null(pairs) {
            return;
        }
        if !tree.is_mapping(pairs) {
            problems.at(
                tree.span(pairs),
                "`arm-parameters` must map parameter files to their templates (paths relative to this file)",
            );
            return;
        }
        for entry in tree.entries(pairs) {
            match (tree.str(entry.key), tree.str(entry.value)) {
                (Some(parameters), Some(template))
                    if !parameters.is_empty() && !template.is_empty() =>
                {
                    self.arm_parameters
                        .push((self.root.join(parameters), self.root.join(template)));
                }
                _ => problems.at(
                    tree.span(entry.value),
                    "an `arm-parameters` entry maps a parameter file's path to its template's path",
                ),
            }
        }
    }

    fn read_excludes(&mut self, tree: &Tree, excludes: NodeId, problems: &mut Problems<'_>) {
        if tree.is_null(excludes) {
            return;
        }
        if !tree.is_sequence(excludes) {
            problems.at(
                tree.span(excludes),
                "`exclude` must be a list of .gitignore-style patterns",
            );
            return;
        }
        let mut builder = GitignoreBuilder::new(&self.root);
        let mut any = false;
        for &item in tree.items(excludes) {
            let Some(pattern) = tree.scalar(item).map(|s| s.text.as_str()) else {
                problems.at(tree.span(item), "an exclude pattern must be a string");
                continue;
            };
            match builder.add_line(None, pattern) {
                Ok(_) => any = true,
                Err(err) => problems.at(
                    tree.span(item),
                    format!("bad exclude pattern `{pattern}`: {err}"),
                ),
            }
        }
        if any {
            match builder.build() {
                Ok(matcher) => self.excludes = Some(matcher),
                Err(err) => problems.at(tree.span(excludes), err.to_string()),
            }
        }
    }

    fn read_limits(&mut self, tree: &Tree, limits: NodeId, problems: &mut Problems<'_>) {
        if tree.is_null(limits) {
            return;
        }
        if !tree.is_mapping(limits) {
            problems.at(
                tree.span(limits),
                format!("`limits` must map {} to numbers", limit_keys()),
            );
            return;
        }
        for entry in tree.entries(limits) {
            let key = tree.str(entry.key);
            let Some(limit) = LIMIT_KEYS.iter().find(|l| Some(l.key) == key) else {
                problems.at(
                    tree.span(entry.key),
                    format!(
                        "unknown limit `{}`; the limits are {}",
                        written(problems.file, tree, entry.key),
                        limit_keys()
                    ),
                );
                continue;
            };
            let text = tree.scalar(entry.value).map(|s| s.text.as_str());
            let value = match limit.value {
                LimitValue::Size => text.and_then(parse_byte_size),
                LimitValue::Count => text.and_then(|t| t.trim().parse::<u64>().ok()),
            };
            match value {
                Some(n) => (limit.set)(&mut self.limits, n),
                None => problems.at(
                    tree.span(entry.value),
                    match limit.value {
                        LimitValue::Size => format!(
                            "`{}` is not a size (write e.g. 10485760, 512KiB or 10MiB)",
                            written(problems.file, tree, entry.value)
                        ),
                        LimitValue::Count => format!(
                            "`{}` is not a whole number",
                            written(problems.file, tree, entry.value)
                        ),
                    },
                ),
            }
        }
    }

    /// This configuration with the command line's choice of rules on top.
    pub fn with_selection(self, selection: Arc<RuleSelection>) -> Config {
        Config { selection, ..self }
    }

    /// This configuration with the command line's values for the charts it names.
    pub fn with_command_line_values(self, command_line: Arc<CommandLineValues>) -> Config {
        Config {
            command_line,
            ..self
        }
    }

    /// Whether a rule runs under this configuration, and at what severity.
    ///
    /// A setting for the rule itself (by code or name) wins over one for its family; the
    /// command line's [`RuleSelection`] narrows the result.
    pub fn rule_state(&self, rule: &RuleMeta) -> RuleState {
        let configured = self.configured_state(rule);
        match self.selection.choose(rule) {
            Chosen::Off => RuleState::Off,
            Chosen::Named if configured == RuleState::Off => RuleState::On,
            Chosen::Named | Chosen::AsConfigured => configured,
        }
    }

    /// Whether a rule runs under the settings of the file alone.
    fn configured_state(&self, rule: &RuleMeta) -> RuleState {
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

/// A node's text as written (at most 60 characters), for messages.
fn written(file: &SourceFile, tree: &Tree, node: NodeId) -> String {
    let text = file.slice(tree.span(node));
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Finds the configuration of each file by walking up from its folder, caching per folder.
#[derive(Debug)]
pub struct ConfigResolver {
    cwd: PathBuf,
    fixed: Option<Arc<Config>>,
    selection: Arc<RuleSelection>,
    command_line: Arc<CommandLineValues>,
    cache: Mutex<HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
    /// With [`ConfigResolver::keeping_last_valid`]: the last configuration each file loaded
    /// without problems (kept across [`ConfigResolver::clear`]) and the files that are invalid
    /// now, with their problems.
    last_valid: Option<Mutex<LastValid>>,
}

/// The configurations a resolver that keeps the last valid one falls back on.
#[derive(Debug, Default)]
struct LastValid {
    configs: HashMap<PathBuf, Arc<Config>>,
    invalid: HashMap<PathBuf, ConfigError>,
}

impl ConfigResolver {
    /// Discovers `akslint.yaml` files; relative paths are taken from `cwd`.
    pub fn discover(cwd: impl Into<PathBuf>) -> ConfigResolver {
        ConfigResolver {
            cwd: cwd.into(),
            fixed: None,
            selection: Arc::default(),
            command_line: Arc::default(),
            cache: Mutex::new(HashMap::new()),
            last_valid: None,
        }
    }

    /// Makes the resolver fall back on a file's last valid configuration while the file is
    /// invalid (an editor's view while `akslint.yaml` is being written: the other files keep
    /// their findings); a file that was never valid is still an error.
    /// [`ConfigResolver::invalid`] lists the files that are invalid now.
    pub fn keeping_last_valid(mut self) -> ConfigResolver {
        self.last_valid = Some(Mutex::new(LastValid::default()));
        self
    }

    /// The configuration files found invalid since the last [`ConfigResolver::clear`] (with a
    /// resolver that keeps the last valid configuration; else none), sorted by path.
    pub fn invalid(&self) -> Vec<ConfigError> {
        let Some(last_valid) = &self.last_valid else {
            return Vec::new();
        };
        let last_valid = last_valid.lock().unwrap_or_else(|e| e.into_inner());
        let mut invalid: Vec<ConfigError> = last_valid.invalid.values().cloned().collect();
        invalid.sort_by(|a, b| a.path.cmp(&b.path));
        invalid
    }

    /// Uses one configuration for every file.
    pub fn fixed(cwd: impl Into<PathBuf>, config: Config) -> ConfigResolver {
        ConfigResolver {
            fixed: Some(Arc::new(config)),
            ..ConfigResolver::discover(cwd)
        }
    }

    /// Applies the command line's choice of rules on top of every configuration.
    pub fn with_selection(self, selection: RuleSelection) -> ConfigResolver {
        let selection = Arc::new(selection);
        self.clear();
        let fixed = self
            .fixed
            .map(|config| Arc::new((*config).clone().with_selection(selection.clone())));
        ConfigResolver {
            fixed,
            selection,
            ..self
        }
    }

    /// Applies the command line's `--values` and `--set` to the charts it names, on top of every
    /// configuration.
    pub fn with_command_line_values(self, values: CommandLineValues) -> ConfigResolver {
        let command_line = Arc::new(values);
        self.clear();
        let fixed = self.fixed.map(|config| {
            Arc::new(
                (*config)
                    .clone()
                    .with_command_line_values(command_line.clone()),
            )
        });
        ConfigResolver {
            fixed,
            command_line,
            ..self
        }
    }

    /// The current folder relative paths are resolved against.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Forgets cached configurations (after an `akslint.yaml` changed).
    pub fn clear(&self) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
        if let Some(last_valid) = &self.last_valid {
            let mut last_valid = last_valid.lock().unwrap_or_else(|e| e.into_inner());
            last_valid.invalid.clear();
        }
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

    /// A configuration with this resolver's selection on top.
    fn selected(&self, config: Config) -> Arc<Config> {
        Arc::new(
            config
                .with_selection(self.selection.clone())
                .with_command_line_values(self.command_line.clone()),
        )
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
            self.load(&candidate)
        } else {
            match folder.parent() {
                Some(parent) => self.for_folder(parent),
                None => Ok(self.selected(Config::default_at(&self.cwd))),
            }
        };
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(folder.to_path_buf(), result.clone());
        result
    }

    /// Loads a configuration file; an invalid one is replaced by its last valid version when
    /// the resolver keeps it.
    fn load(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        let loaded = Config::load(path).map(|config| self.selected(config));
        let Some(last_valid) = &self.last_valid else {
            return loaded;
        };
        let mut last_valid = last_valid.lock().unwrap_or_else(|e| e.into_inner());
        match loaded {
            Ok(config) => {
                last_valid.invalid.remove(path);
                last_valid.configs.insert(path.to_owned(), config.clone());
                Ok(config)
            }
            Err(err) => {
                last_valid.invalid.insert(path.to_owned(), err.clone());
                last_valid.configs.get(path).cloned().ok_or(err)
            }
        }
    }
}

/// A path made absolute against the current folder.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path normalised lexically: `.` dropped, `..` applied where a folder precedes it.
fn normalised(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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

    /// The state of each rule under `config_text` with `--select` and `--ignore` on top.
    fn selected_states(
        config_text: &str,
        select: &[&str],
        ignore: &[&str],
        codes: &[&str],
    ) -> Vec<RuleState> {
        let selection = RuleSelection::new(select.iter().copied(), ignore.iter().copied()).unwrap();
        let config = Config::parse(Path::new("/repo/akslint.yaml"), config_text)
            .unwrap()
            .with_selection(Arc::new(selection));
        codes
            .iter()
            .map(|code| config.rule_state(registry::find(code).unwrap()))
            .collect()
    }

    #[test]
    fn selection_narrows_the_configuration() {
        use RuleState::{Off, On, Severity as At};
        let rules = ["SEC001", "SEC002", "WID001", "PARSE001", "SUP002"];
        // A family selects its rules; PARSE stays; everything else is off.
        assert_eq!(
            selected_states("", &["SEC"], &[], &rules),
            [On, On, Off, On, Off]
        );
        // The more specific item wins, whichever list it is in.
        assert_eq!(
            selected_states("", &["SEC"], &["SEC001"], &rules),
            [Off, On, Off, On, Off]
        );
        assert_eq!(
            selected_states("", &["hardcoded-secret-in-env"], &["SEC"], &rules),
            [On, Off, Off, On, Off]
        );
        // Ignore alone removes; PARSE goes only when named.
        assert_eq!(
            selected_states("", &[], &["WID", "PARSE001"], &rules),
            [On, On, Off, Off, On]
        );
        // Severities stay the configuration's; a family keeps its rules' settings, a rule
        // named itself runs even when the configuration turns it off.
        let config = "rules:\n  SEC001: off\n  SEC002: warning\n";
        assert_eq!(
            selected_states(config, &["SEC"], &[], &rules[..2]),
            [Off, At(Severity::Warning)]
        );
        assert_eq!(
            selected_states(config, &["SEC001", "SEC002"], &[], &rules[..2]),
            [On, At(Severity::Warning)]
        );
        // The same item in both lists: ignore wins.
        assert_eq!(
            selected_states("", &["SEC001"], &["SEC001"], &["SEC001"]),
            [Off]
        );
    }

    #[test]
    fn an_opt_in_rule_runs_when_selected_by_name_not_by_family() {
        let Some(opt_in) = registry::metas().find(|meta| !meta.enabled_by_default) else {
            return;
        };
        let family = opt_in.family.as_str();
        assert_eq!(
            selected_states("", &[family], &[], &[opt_in.code]),
            [RuleState::Off]
        );
        assert_eq!(
            selected_states("", &[opt_in.name], &[], &[opt_in.code]),
            [RuleState::On]
        );
    }

    #[test]
    fn unknown_selection_items_are_refused_with_a_suggestion() {
        let err = RuleSelection::new(["SEC", "SEC01"], []).unwrap_err();
        assert_eq!(err.suggestion, Some("SEC001"));
        assert_eq!(
            err.to_string(),
            "`SEC01` is neither a rule code, a rule name nor a family; did you mean `SEC001`?"
        );
        let err = RuleSelection::new([], ["zzz"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`zzz` is neither a rule code, a rule name nor a family (see `akslint rules`)"
        );
    }

    #[test]
    fn a_resolver_applies_its_selection_to_fixed_and_discovered_configurations() {
        let sec001 = registry::find("SEC001").unwrap();
        let selection = || RuleSelection::new([], ["SEC001"]).unwrap();
        let fixed =
            ConfigResolver::fixed("/repo", Config::default_at("/repo")).with_selection(selection());
        let discovered =
            ConfigResolver::discover("/nonexistent-akslint-test-root").with_selection(selection());
        for resolver in [fixed, discovered] {
            let config = resolver.for_file(Path::new("a.yaml")).unwrap();
            assert_eq!(config.rule_state(sec001), RuleState::Off);
        }
    }

    /// The (line, column) and message of every problem of a configuration text.
    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        let err = Config::parse(Path::new("akslint.yaml"), text).unwrap_err();
        err.problems
            .into_iter()
            .map(|p| (p.line.unwrap(), p.column.unwrap(), p.message))
            .collect()
    }

    #[test]
    fn unknown_rule_is_located() {
        let found = problems("rules:\n  SEC999: off\n");
        assert_eq!((found[0].0, found[0].1), (2, 3));
        assert!(found[0].2.contains("SEC999"), "{}", found[0].2);
    }

    #[test]
    fn every_problem_is_reported_at_once_each_at_its_place() {
        let text = "rulez: {}\nrules:\n  SEC001: loud\n  NOPE: off\n  \"WID x\": off\nexclude: gen/\nlimits:\n  max-depth: deep\n  max-file-size: 10 parsecs\n  speed: 3\n";
        let found: Vec<(usize, usize)> = problems(text).iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(
            found,
            [
                (1, 1),
                (3, 11),
                (4, 3),
                (5, 3),
                (6, 10),
                (8, 14),
                (9, 18),
                (10, 3)
            ]
        );
        // A syntax error is located too; the rest of the file is not guessed at.
        let syntax = problems("rules:\n  SEC001: \"off\n");
        assert_eq!(syntax.len(), 1);
        assert!(syntax[0].2.contains("YAML syntax error"), "{}", syntax[0].2);
        // Two documents, a list at the top.
        assert_eq!(problems("rules: {}\n---\nrules: {}\n")[0].0, 2);
        assert!(problems("- a\n")[0].2.contains("must be a mapping"));
        let err = Config::parse(Path::new("akslint.yaml"), "rulez: 1\nfoo: 2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "akslint.yaml:1:1: invalid configuration: unknown key `rulez`; the keys are `rules`, `exclude`, `limits`, `arm-parameters` and `helm`\nakslint.yaml:2:1: invalid configuration: unknown key `foo`; the keys are `rules`, `exclude`, `limits`, `arm-parameters` and `helm`"
        );
    }

    #[test]
    fn empty_and_null_sections_are_the_defaults() {
        for text in ["", "# nothing\n", "rules:\nexclude:\nlimits:\n", "~\n"] {
            let config = Config::parse(Path::new("/repo/akslint.yaml"), text).unwrap();
            assert_eq!(config.limits, Limits::default(), "{text:?}");
            assert!(config.settings.is_empty());
        }
    }

    #[test]
    fn an_invalid_file_falls_back_on_its_last_valid_version_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join(CONFIG_FILE_NAME);
        let file = dir.path().join("d.yaml");
        let sec001 = registry::find("SEC001").unwrap();
        let keeping = ConfigResolver::discover(dir.path()).keeping_last_valid();
        let plain = ConfigResolver::discover(dir.path());
        // Never valid: an error for both.
        std::fs::write(&config, "rules:\n  SEC001: loud\n").unwrap();
        assert!(keeping.for_file(&file).is_err());
        assert_eq!(keeping.invalid().len(), 1);
        std::fs::write(&config, "rules:\n  SEC001: warning\n").unwrap();
        keeping.clear();
        let state = |r: &ConfigResolver| r.for_file(&file).map(|c| c.rule_state(sec001));
        assert_eq!(state(&keeping), Ok(RuleState::Severity(Severity::Warning)));
        assert!(keeping.invalid().is_empty());
        // Broken again: the last valid version, and the file's problems on the side.
        std::fs::write(&config, "rules:\n  SEC001: off\n  NOPE: on\n").unwrap();
        keeping.clear();
        plain.clear();
        assert_eq!(state(&keeping), Ok(RuleState::Severity(Severity::Warning)));
        assert_eq!(keeping.invalid()[0].problems[0].line, Some(3));
        assert!(state(&plain).is_err());
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

    #[test]
    fn helm_values_sets_per_chart_and_from_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("charts/web");
        std::fs::create_dir_all(chart.join("templates")).unwrap();
        std::fs::write(chart.join("Chart.yaml"), "name: web\n").unwrap();
        std::fs::write(chart.join("values-prod.yaml"), "a: 1\n").unwrap();
        let text = "helm:\n  charts:\n    - path: charts/web\n      release: {name: web}\n      values-sets:\n        - name: prod\n          values: [values-prod.yaml]\n          release: {namespace: prod}\n";
        let config = Config::parse(&dir.path().join(CONFIG_FILE_NAME), text).unwrap();
        let sets = config.values_sets(&chart);
        let names: Vec<&str> = sets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["default", "prod"]);
        assert_eq!(
            (
                sets[0].release.name.as_str(),
                sets[0].release.namespace.as_str()
            ),
            ("web", "default")
        );
        assert_eq!(
            (
                sets[1].release.name.as_str(),
                sets[1].release.namespace.as_str()
            ),
            ("web", "prod")
        );
        assert_eq!(sets[1].files, [chart.join("values-prod.yaml")]);
        // Another chart is not configured: its values.yaml alone.
        assert!(
            config
                .values_sets(&dir.path().join("charts/other"))
                .is_empty()
        );
        // The command line's values are one more set, for the charts it names.
        let named = CommandLineValues::new(
            dir.path(),
            &[PathBuf::from("charts/web/templates")],
            &[],
            &["image.tag=2".to_owned()],
        )
        .unwrap();
        let config = config.with_command_line_values(Arc::new(named));
        let names: Vec<String> = config
            .values_sets(&chart)
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["default", "prod", "command line"]);
        // Values with no chart named, a missing file, a bad item: errors.
        let error = |paths: &[&str], files: &[&str], set: &[&str]| {
            CommandLineValues::new(
                dir.path(),
                &paths.iter().map(PathBuf::from).collect::<Vec<_>>(),
                &files.iter().map(PathBuf::from).collect::<Vec<_>>(),
                &set.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            )
            .unwrap_err()
        };
        assert!(error(&["."], &[], &["a=1"]).contains("none is named"));
        assert!(error(&["charts/web"], &["nope.yaml"], &[]).contains("no such file"));
        assert!(error(&["charts/web"], &[], &["a"]).contains("has no value"));
    }

    #[test]
    fn helm_section_problems_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("web");
        std::fs::create_dir_all(&chart).unwrap();
        std::fs::write(chart.join("Chart.yaml"), "name: web\n").unwrap();
        let text = "helm:\n  charts:\n    - path: nochart\n    - path: web\n      values-sets:\n        - name: default\n        - name: prod\n          values: [missing.yaml]\n        - name: qa\n          colour: blue\n        - name: qa\n      release: {name: ''}\n  extra: 1\n";
        let err = Config::parse(&dir.path().join(CONFIG_FILE_NAME), text).unwrap_err();
        let found: Vec<(usize, usize, &str)> = err
            .problems
            .iter()
            .map(|p| (p.line.unwrap(), p.column.unwrap(), p.message.as_str()))
            .collect();
        let at: Vec<(usize, usize)> = found.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(
            at,
            [
                (3, 13),
                (6, 17),
                (8, 20),
                (10, 11),
                (11, 11),
                (12, 23),
                (13, 3)
            ],
            "{found:#?}"
        );
        assert!(found[0].2.contains("not a chart"), "{}", found[0].2);
        assert!(found[1].2.contains("a set akslint makes"), "{}", found[1].2);
        assert!(
            found[2].2.contains("no values file `missing.yaml`"),
            "{}",
            found[2].2
        );
        assert!(
            found[4].2.contains("two values sets named `qa`"),
            "{}",
            found[4].2
        );
    }
}
