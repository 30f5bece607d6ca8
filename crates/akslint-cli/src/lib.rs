//! The `akslint` command line: `check`, `rules`, `explain`, `completions`, `lsp`.
//!
//! [`run`] takes its arguments and streams explicitly, so tests run the whole command in-process.

mod args;
pub mod baseline;
mod check;
pub mod fix;
mod notices;
pub mod output;
mod rules_cmd;

use std::ffi::OsString;
use std::io::{Read, Write};

use akslint_engine::Engine;
use clap::{CommandFactory, Parser};

pub use args::{Cli, Command, Format, OutputTarget};

/// No finding at or above the threshold.
pub const EXIT_OK: u8 = 0;
/// Findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// A usage, configuration or I/O error.
pub const EXIT_ERROR: u8 = 2;

/// Writes the completion script of `shell` for the whole command line.
fn completions(shell: clap_complete::Shell, stdout: &mut dyn Write) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "akslint", &mut script);
    match stdout.write_all(&script) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_ERROR,
    }
}

/// Runs the command line and returns the exit code.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    terminal: bool,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let text = if err.use_stderr() {
                err.render().to_string()
            } else {
                err.to_string()
            };
            let is_help = !err.use_stderr();
            let target: &mut dyn Write = if is_help { stdout } else { stderr };
            let _ = target.write_all(text.as_bytes());
            return if is_help { EXIT_OK } else { EXIT_ERROR };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(*args, stdin, stdout, stderr, terminal),
        Command::Rules(args) => rules_cmd::list(args.format, stdout),
        Command::Explain { rule } => rules_cmd::explain(&rule, stdout, stderr),
        Command::Completions { shell } => completions(shell, stdout),
        Command::Lsp { .. } => akslint_lsp::run_stdio(Engine::new()),
    }
}
