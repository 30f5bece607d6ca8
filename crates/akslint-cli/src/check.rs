//! `akslint check`: collect the files, lint them in parallel, report, and decide the exit code.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{
    Config, ConfigError, ConfigResolver, Engine, FileOutcome, Notice, NoticeLevel, Report,
    SourceKind,
};
use rayon::prelude::*;

use crate::args::{CheckArgs, ColorChoice, Format};
use crate::output::{self, Rendered};
use crate::walk::{self, Input};
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, new_engine};

/// Name reported for stdin when `--stdin-filename` is not given.
const STDIN_NAME: &str = "<stdin>";

/// Runs `akslint check`.
pub fn run(
    args: CheckArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    terminal: bool,
) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return fail(stderr, &format!("cannot read the current folder: {err}")),
    };
    let resolver = match &args.config {
        Some(path) => match Config::load(&cwd.join(path)) {
            Ok(config) => ConfigResolver::fixed(&cwd, config),
            Err(err) => return fail(stderr, &err.to_string()),
        },
        None => ConfigResolver::discover(&cwd),
    };
    let resolver = Arc::new(resolver);
    let excludes = match walk::cli_excludes(&cwd, &args.exclude) {
        Ok(excludes) => Arc::new(excludes),
        Err(message) => return fail(stderr, &message),
    };
    let engine = new_engine();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let collected = match walk::collect(&paths, &cwd, &excludes, &resolver, &engine) {
        Ok(collected) => collected,
        Err(message) => return fail(stderr, &message),
    };
    let stdin_text = if collected.inputs.contains(&Input::Stdin) {
        let mut bytes = Vec::new();
        if let Err(err) = stdin.read_to_end(&mut bytes) {
            return fail(stderr, &format!("cannot read stdin: {err}"));
        }
        bytes
    } else {
        Vec::new()
    };
    let stdin = StdinInput {
        name: args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from(STDIN_NAME)),
        bytes: stdin_text,
    };
    let mut report = match lint_inputs(&engine, &resolver, &collected.inputs, &stdin) {
        Ok(report) => report,
        Err(err) => return fail(stderr, &err.to_string()),
    };
    report.notices.extend(collected.notices);
    report.notices.sort();

    let threshold = args.severity.severity();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal,
    };
    let rendered = match args.format {
        Format::Human => output::human::render(&report, threshold, color, args.quiet),
        Format::Json => output::json::render(&report, threshold),
    };
    exit_code(&report, &rendered, stdout, stderr, args.quiet)
}

/// What stdin holds, and the name to report it under.
pub struct StdinInput {
    /// The name (from `--stdin-filename`).
    pub name: PathBuf,
    /// The bytes read.
    pub bytes: Vec<u8>,
}

/// Reads and lints the inputs in parallel as one run: files over the size limit are reported
/// without being read, unreadable files become error notices.
pub fn lint_inputs(
    engine: &Engine,
    resolver: &ConfigResolver,
    inputs: &[Input],
    stdin: &StdinInput,
) -> Result<Report, ConfigError> {
    let results: Vec<Result<Linted, ConfigError>> = inputs
        .par_iter()
        .map(|input| match input {
            Input::File { path, kind } => lint_path(engine, resolver, path, *kind),
            Input::Stdin => {
                let kind = SourceKind::from_path(&stdin.name).unwrap_or(SourceKind::Yaml);
                let config = resolver.for_file(&stdin.name)?;
                Ok(Linted::Outcome(Box::new(engine.lint_bytes(
                    &stdin.name,
                    kind,
                    stdin.bytes.clone(),
                    config,
                ))))
            }
        })
        .collect();
    let mut outcomes = Vec::new();
    let mut notices = Vec::new();
    for result in results {
        match result? {
            Linted::Outcome(outcome) => outcomes.push(*outcome),
            Linted::Unreadable(notice) => notices.push(notice),
        }
    }
    let mut report = engine.finish(outcomes);
    report.notices.extend(notices);
    report.notices.sort();
    Ok(report)
}

/// A file's result, or why it could not be read.
enum Linted {
    Outcome(Box<FileOutcome>),
    Unreadable(Notice),
}

fn lint_path(
    engine: &Engine,
    resolver: &ConfigResolver,
    path: &Path,
    kind: SourceKind,
) -> Result<Linted, ConfigError> {
    let config = resolver.for_file(path)?;
    let absolute = resolver.cwd().join(path);
    let unreadable = |err: std::io::Error| {
        Linted::Unreadable(Notice {
            path: path.to_owned(),
            level: NoticeLevel::Error,
            message: format!("cannot read the file: {err}"),
        })
    };
    let size = match std::fs::metadata(&absolute) {
        Ok(metadata) => metadata.len(),
        Err(err) => return Ok(unreadable(err)),
    };
    if size > config.limits.max_file_size {
        return Ok(Linted::Outcome(Box::new(
            engine.too_large(path, kind, size, config),
        )));
    }
    match std::fs::read(&absolute) {
        Ok(bytes) => Ok(Linted::Outcome(Box::new(
            engine.lint_bytes(path, kind, bytes, config),
        ))),
        Err(err) => Ok(unreadable(err)),
    }
}

fn exit_code(
    report: &Report,
    rendered: &Rendered,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    quiet: bool,
) -> u8 {
    let written = stdout
        .write_all(rendered.stdout.as_bytes())
        .and_then(|()| stdout.flush());
    for notice in &report.notices {
        if quiet && notice.level == NoticeLevel::Note {
            continue;
        }
        let level = match notice.level {
            NoticeLevel::Note => "note",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Error => "error",
        };
        let _ = writeln!(
            stderr,
            "akslint: {level}: {}: {}",
            notice.path.display(),
            notice.message
        );
    }
    if written.is_err() || report.notices.iter().any(|n| n.level == NoticeLevel::Error) {
        EXIT_ERROR
    } else if rendered.findings > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn fail(stderr: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(stderr, "akslint: error: {message}");
    EXIT_ERROR
}
