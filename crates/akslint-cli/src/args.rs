//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// akslint: an offline security linter for AKS deployments (Kubernetes YAML, Helm output, Bicep).
#[derive(Debug, Parser)]
#[command(name = "akslint", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders (folders are walked, respecting the repository's .gitignore).
    Check(Box<CheckArgs>),
    /// List every rule: code, name, family, default severity and summary.
    Rules(RulesArgs),
    /// Print a rule's documentation (the page in rules/, as Markdown).
    Explain {
        /// The rule's code (SEC001) or name (hardcoded-secret-in-env).
        rule: String,
    },
    /// Print a shell completion script, e.g. `akslint completions bash > ~/.local/share/bash-completion/completions/akslint`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Run the language server on stdin and stdout, for editors (see docs/editors.md).
    Lsp {
        /// Accepted for editors that pass it; stdin and stdout are the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

/// Arguments of `akslint check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to lint; `-` reads stdin. Defaults to the current folder.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Report only findings at or above this severity; the exit code is 1 when there are any.
    #[arg(long, value_enum, default_value_t = SeverityArg::Info)]
    pub severity: SeverityArg,

    /// Skip paths matching this .gitignore-style pattern (relative to the current folder); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// The file name to report (and to find akslint.yaml from) for input read from stdin (`-`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Run only these rules: codes (SEC001), names (hardcoded-secret-in-env) or families (SEC);
    /// comma-separated, repeatable; on top of akslint.yaml. PARSE findings stay unless ignored.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these rules (codes, names or families; comma-separated, repeatable).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Exit 0 even when there are findings (usage and I/O errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Print a count of findings per rule instead of the findings (human and JSON formats).
    #[arg(long, conflicts_with_all = ["write_baseline", "diff"])]
    pub statistics: bool,

    /// A values file for the Helm charts named on the command line (a chart's folder or a
    /// template in it), over their values.yaml as `helm template -f FILE`; repeatable, a later
    /// file winning. The charts render with it as one more values set, `command line`.
    #[arg(long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,

    /// A value for the Helm charts named on the command line, in Helm's `--set` syntax
    /// (`image.tag=1.2`, `hosts[0]=a.example`, `args={a,b}`), over `--values`; repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Use this configuration file for every file instead of discovering akslint.yaml files.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print only findings: no summary and no notes.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also list the files that ignore files (.gitignore, .ignore) left out of the walk, and
    /// print every note (by default the notes of one kind past the first three are counted).
    #[arg(long, short)]
    pub verbose: bool,

    /// Also write the report in FORMAT to FILE, e.g. `--output sarif=akslint.sarif`; repeatable.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub output: Vec<OutputTarget>,

    /// Record the findings of this run in FILE (a baseline) and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "fix", "diff"])]
    pub write_baseline: Option<PathBuf>,

    /// Hide the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// With --baseline: exit 1 when baseline entries no longer match a finding.
    #[arg(long, requires = "baseline")]
    pub baseline_strict: bool,

    /// Apply safe fixes to the files in place, then report what remains.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// With --fix or --diff: apply unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of writing them (exit 1 when there are any).
    #[arg(long)]
    pub diff: bool,
}

/// A report to write to a file as well: `FORMAT=FILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputTarget {
    /// The format.
    pub format: Format,
    /// The file.
    pub path: PathBuf,
}

fn parse_output(text: &str) -> Result<OutputTarget, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, got `{text}`"))?;
    let format = <Format as ValueEnum>::from_str(format, true)
        .map_err(|_| format!("unknown format `{format}` (human, json, sarif, github, junit)"))?;
    if path.is_empty() {
        return Err("the file name is empty".to_owned());
    }
    Ok(OutputTarget {
        format,
        path: PathBuf::from(path),
    })
}

/// Arguments of `akslint rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

/// Formats of `akslint rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Human,
    /// A JSON array.
    Json,
}

/// Output formats of `akslint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with the source line underlined.
    Human,
    /// One JSON document with every finding (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML.
    Junit,
}

/// Severity thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Everything.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

impl SeverityArg {
    /// The core severity.
    pub fn severity(self) -> akslint_core::Severity {
        match self {
            SeverityArg::Info => akslint_core::Severity::Info,
            SeverityArg::Warning => akslint_core::Severity::Warning,
            SeverityArg::Error => akslint_core::Severity::Error,
        }
    }
}

/// Colour choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
