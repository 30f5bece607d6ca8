//! Reading the inputs and linting them in parallel as one run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use akslint_core::SourceKind;
use akslint_engine::{
    ConfigError, ConfigResolver, Engine, FileOutcome, Notice, NoticeLevel, Report,
};
use rayon::prelude::*;

use crate::walk::Input;

/// What stdin holds, and the name to report it under.
pub struct StdinInput {
    /// The name (from `--stdin-filename`).
    pub name: PathBuf,
    /// The bytes read.
    pub bytes: Vec<u8>,
}

/// Texts that replace what is on disk (or on stdin) for some paths: fixes not yet written.
pub type Overlay = BTreeMap<PathBuf, String>;

/// Reads and lints the inputs in parallel as one run: files over the size limit are reported
/// without being read, unreadable files become error notices. A path in `overlay` is linted
/// with the overlay's text instead of its content.
pub fn lint_inputs(
    engine: &Engine,
    resolver: &ConfigResolver,
    inputs: &[Input],
    stdin: &StdinInput,
    overlay: &Overlay,
) -> Result<Report, ConfigError> {
    let results: Vec<Result<Linted, ConfigError>> = inputs
        .par_iter()
        .map(|input| {
            let (path, kind) = match input {
                Input::File { path, kind } => (path.as_path(), *kind),
                Input::Stdin => (
                    stdin.name.as_path(),
                    SourceKind::from_path(&stdin.name).unwrap_or(SourceKind::Yaml),
                ),
            };
            if let Some(text) = overlay.get(path) {
                let config = resolver.for_file(path)?;
                let outcome = engine.lint_bytes(path, kind, text.clone().into_bytes(), config);
                return Ok(Linted::Outcome(Box::new(outcome)));
            }
            match input {
                Input::File { .. } => lint_path(engine, resolver, path, kind),
                Input::Stdin => {
                    let config = resolver.for_file(path)?;
                    let outcome = engine.lint_bytes(path, kind, stdin.bytes.clone(), config);
                    Ok(Linted::Outcome(Box::new(outcome)))
                }
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
        let outcome = engine.too_large(path, kind, size, config);
        return Ok(Linted::Outcome(Box::new(outcome)));
    }
    match std::fs::read(&absolute) {
        Ok(bytes) => Ok(Linted::Outcome(Box::new(
            engine.lint_bytes(path, kind, bytes, config),
        ))),
        Err(err) => Ok(unreadable(err)),
    }
}
