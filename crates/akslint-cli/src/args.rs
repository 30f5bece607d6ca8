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
    /// Lint files and folders (folders are walked, respecting .gitignore).
    Check(CheckArgs),
    /// List every rule: code, name, family, default severity and summary.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// The rule's code (SEC001) or name (hardcoded-secret-in-env).
        rule: String,
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

    /// The file name to report (and to find akslint.yaml from) for input read from stdin.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Use this configuration file for every file instead of discovering akslint.yaml files.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print only findings: no summary and no notes.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `akslint rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with the source line underlined.
    Human,
    /// One JSON document with every finding.
    Json,
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
