//! `akslint check`: collect the files, lint them in parallel (fixing them when asked), apply a
//! baseline, write the reports, and decide the exit code.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_engine::read;
use akslint_engine::timing::Stages;
use akslint_engine::walk::{self, Collected, Input};
use akslint_engine::{
    CommandLineValues, Config, ConfigResolver, Engine, Notice, NoticeLevel, Overlay, RuleSelection,
    StdinInput,
};

use crate::args::{CheckArgs, ColorChoice, Format};
use crate::baseline::{self, BaselineRoot, Hashing};
use crate::fix;
use crate::notices::{self, NoticeDetail};
use crate::output::{self, RenderOptions, RunCounts, printable};
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Name reported for stdin when `--stdin-filename` is not given.
const STDIN_NAME: &str = "<stdin>";

/// Where the run's messages go.
struct Streams<'a> {
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
}

impl Streams<'_> {
    fn fail(&mut self, message: &str) -> u8 {
        let _ = writeln!(self.stderr, "akslint: error: {message}");
        EXIT_ERROR
    }
}

/// Runs `akslint check`.
pub fn run(
    args: CheckArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    terminal: bool,
) -> u8 {
    let mut streams = Streams { stdout, stderr };
    match check(&args, stdin, &mut streams, terminal) {
        Ok(code) => code,
        Err(message) => streams.fail(&message),
    }
}

fn check(
    args: &CheckArgs,
    stdin: &mut dyn Read,
    streams: &mut Streams<'_>,
    terminal: bool,
) -> Result<u8, String> {
    if args.statistics && !matches!(args.format, Format::Human | Format::Json) {
        return Err(
            "--statistics prints a table (--format human) or JSON counts (--format json); \
             the other formats list findings (write them with --output)"
                .to_owned(),
        );
    }
    let selection = RuleSelection::new(
        args.select.iter().map(String::as_str),
        args.ignore.iter().map(String::as_str),
    )
    .map_err(|err| format!("--select/--ignore: {err}"))?;
    let cwd =
        std::env::current_dir().map_err(|err| format!("cannot read the current folder: {err}"))?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let chart_values = CommandLineValues::new(&cwd, &paths, &args.values, &args.set)?;
    let resolver = Arc::new(
        match &args.config {
            Some(path) => ConfigResolver::fixed(
                &cwd,
                Config::load(&cwd.join(path)).map_err(|e| e.to_string())?,
            ),
            None => ConfigResolver::discover(&cwd),
        }
        .with_selection(selection)
        .with_command_line_values(chart_values),
    );
    let excludes = Arc::new(walk::cli_excludes(&cwd, &args.exclude)?);
    let engine = Engine::new();
    let reads_stdin = paths.iter().any(|path| path.as_os_str() == "-");
    if args.stdin_filename.is_some() && !reads_stdin {
        return Err(
            "--stdin-filename names the input read from stdin; add `-` to the paths to read it"
                .to_owned(),
        );
    }
    if reads_stdin && args.fix {
        return Err("--fix cannot write fixes back to stdin; use --diff".to_owned());
    }
    let mut stages = Stages::start();
    let collected = walk::collect(&paths, &cwd, &excludes, &resolver, &engine)?;
    stages.lap("walk");
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from(STDIN_NAME));
    let stdin = if reads_stdin {
        StdinInput::read(name, stdin, &resolver)?
    } else {
        StdinInput::unread(name)
    };

    let mut notices = walk_summary(&collected, &paths, args.verbose);
    notices.extend(collected.notices);
    let mut counts = RunCounts {
        unsafe_fixes: args.unsafe_fixes,
        ..RunCounts::default()
    };
    let mut report = if args.fix || args.diff {
        let folders: HashMap<&Path, &Path> = collected
            .inputs
            .iter()
            .filter_map(|input| match input {
                Input::File { path, folder, .. } => Some((&**path, &**folder)),
                Input::Stdin => None,
            })
            .collect();
        // Writing in place: never through a link to a file outside the folder linted.
        let refuse = |path: &Path| {
            let folder = folders.get(path)?;
            fix::outside_its_folder(&cwd, path, folder).filter(|_| args.fix)
        };
        let fixed = fix::fix(
            &engine,
            &resolver,
            &collected.inputs,
            &stdin,
            args.unsafe_fixes,
            &refuse,
        )
        .map_err(|e| e.to_string())?;
        notices.extend(fixed.refused.iter().cloned());
        if args.diff {
            return Ok(print_diff(&fixed, &notices, args, streams));
        }
        let mut fixed_count = 0;
        for (path, (_, text)) in &fixed.changes {
            match std::fs::write(cwd.join(path), text) {
                Ok(()) => {
                    fixed_count += fixed.applied.get(path).copied().unwrap_or(0);
                    notices.push(Notice {
                        path: path.clone(),
                        level: NoticeLevel::Note,
                        message: "fixed".to_owned(),
                    });
                }
                Err(err) => notices.push(Notice {
                    path: path.clone(),
                    level: NoticeLevel::Error,
                    message: format!("cannot write the fixes: {err}"),
                }),
            }
        }
        counts.fixed = Some(fixed_count);
        fixed.report
    } else {
        akslint_engine::run(
            &engine,
            &resolver,
            &collected.inputs,
            &stdin,
            &Overlay::new(),
        )
        .map_err(|e| e.to_string())?
    };
    report.notices.extend(notices);
    report.notices.sort();
    stages.lap("lint (the stages above together)");

    let threshold = args.severity.severity();
    if let Some(path) = &args.write_baseline {
        let root = BaselineRoot::new(path, &cwd);
        // The key is written once: a baseline written again keeps it, so its entries stay.
        let existing = read::read_text(&cwd.join(path), baseline::BASELINE_LIMIT)
            .ok()
            .and_then(|text| baseline::parse(&text).ok())
            .map(|existing| existing.hashing);
        let key = match existing {
            Some(Hashing::Keyed(key)) => key,
            _ => baseline::new_key()?,
        };
        let text = baseline::render(&report, threshold, &root, &key);
        std::fs::write(cwd.join(path), text).map_err(|err| format!("{}: {err}", path.display()))?;
        let count = output::shown(&report, threshold).count();
        let _ = writeln!(
            streams.stderr,
            "akslint: wrote {count} findings to the baseline {}",
            path.display()
        );
        return Ok(EXIT_OK);
    }
    let mut stale_baseline = false;
    if let Some(path) = &args.baseline {
        let text = read::read_text(&cwd.join(path), baseline::BASELINE_LIMIT)
            .map_err(|err| format!("{}: {err}", path.display()))?;
        let baseline =
            baseline::parse(&text).map_err(|err| format!("{}: {err}", path.display()))?;
        if baseline.hashing == Hashing::Unkeyed {
            let _ = writeln!(
                streams.stderr,
                "akslint: note: {} is a version 1 baseline, whose hashes of secrets have no key; \
                 write it again with --write-baseline",
                path.display()
            );
        }
        let root = BaselineRoot::new(path, &cwd);
        let (hidden, unmatched) = baseline::apply(baseline, &mut report, &root);
        counts.baseline_hidden = Some(hidden);
        // Human output says it in its summary; the others keep stdout for the report.
        if hidden > 0 && !args.quiet && args.format != Format::Human {
            let _ = writeln!(
                streams.stderr,
                "akslint: the baseline {} hid {hidden} recorded finding{}",
                path.display(),
                if hidden == 1 { "" } else { "s" }
            );
        }
        for entry in &unmatched {
            let entry = format!(
                "{} {} {} {}",
                entry.rule, entry.file, entry.object, entry.path
            );
            let _ = writeln!(
                streams.stderr,
                "akslint: baseline entry no longer matches: {}",
                printable(&entry)
            );
        }
        stale_baseline = args.baseline_strict && !unmatched.is_empty();
    }

    let options = RenderOptions {
        threshold,
        color: match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal,
        },
        quiet: args.quiet,
        cwd: cwd.clone(),
        counts,
    };
    let written = if args.statistics {
        let rendered = output::statistics::render(args.format, &report, &options);
        output::write_rendered(&rendered, streams.stdout)
    } else {
        output::write(args.format, &report, &options, streams.stdout)
    };
    // A report that could not be written exits with an error whatever it found.
    let mut write_failed = written.is_err();
    let findings = written.unwrap_or_default();
    stages.lap("report");
    for target in &args.output {
        let file_options = RenderOptions {
            color: false,
            ..RenderOptions {
                cwd: cwd.clone(),
                ..options
            }
        };
        let written = std::fs::File::create(cwd.join(&target.path))
            .and_then(|mut file| output::write(target.format, &report, &file_options, &mut file));
        if let Err(err) = written {
            let _ = writeln!(
                streams.stderr,
                "akslint: error: {}: {err}",
                target.path.display()
            );
            write_failed = true;
        }
    }
    notices::print(&report.notices, notice_detail(args), streams.stderr);
    Ok(
        if write_failed || report.notices.iter().any(|n| n.level == NoticeLevel::Error) {
            EXIT_ERROR
        } else if (findings > 0 || stale_baseline) && !args.exit_zero {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        },
    )
}

/// Prints the fixes as a unified diff, and to stderr how many findings they fix and how many
/// more `--unsafe-fixes` would; exit 1 when there is something to fix.
fn print_diff(
    fixed: &fix::Fixed,
    notices: &[Notice],
    args: &CheckArgs,
    streams: &mut Streams<'_>,
) -> u8 {
    let report = &fixed.report;
    let secrets = report.secrets_by_path();
    let diff: String = fixed
        .changes
        .iter()
        .map(|(path, (original, text))| {
            let original_secrets = fixed
                .original_secrets
                .get(path)
                .map_or(&[][..], Vec::as_slice);
            let fixed_secrets = secrets.get(path.as_path()).map_or(&[][..], Vec::as_slice);
            fix::unified_diff(path, (original, original_secrets), (text, fixed_secrets))
        })
        .collect();
    if streams.stdout.write_all(diff.as_bytes()).is_err() {
        return EXIT_ERROR;
    }
    // The notes of a diff are shown even with --quiet: they say which fixes were not written.
    let detail = match notice_detail(args) {
        NoticeDetail::Quiet => NoticeDetail::Grouped,
        detail => detail,
    };
    notices::print(notices, detail, streams.stderr);
    if !args.quiet {
        let would_fix: usize = fixed.applied.values().sum();
        let left = output::shown(report, args.severity.severity());
        let line =
            output::human::diff_summary(would_fix, fixed.changes.len(), left, args.unsafe_fixes);
        let _ = writeln!(streams.stderr, "akslint: {line}");
    }
    if notices
        .iter()
        .chain(&report.notices)
        .any(|n| n.level == NoticeLevel::Error)
    {
        EXIT_ERROR
    } else if fixed.changes.is_empty() || args.exit_zero {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// What a walk left out, and a warning when there is nothing to lint.
fn walk_summary(collected: &Collected, paths: &[PathBuf], verbose: bool) -> Vec<Notice> {
    let mut notices = Vec::new();
    let refused = collected
        .notices
        .iter()
        .any(|notice| notice.level == NoticeLevel::Error);
    if collected.inputs.is_empty() && !refused {
        let named: Vec<String> = paths.iter().map(|p| display(p)).collect();
        notices.push(Notice {
            path: PathBuf::new(),
            level: NoticeLevel::Warning,
            message: format!(
                "nothing to lint in {}: no YAML (.yaml, .yml) or Bicep (.bicep, .bicepparam) files",
                named.join(", ")
            ),
        });
    }
    if verbose {
        notices.extend(collected.ignored.iter().map(|path| Notice {
            path: path.clone(),
            level: NoticeLevel::Note,
            message: "left out by an ignore file (.gitignore, .ignore)".to_owned(),
        }));
    } else if !collected.ignored.is_empty() {
        let count = collected.ignored.len();
        notices.push(Notice {
            path: PathBuf::new(),
            level: NoticeLevel::Note,
            message: format!(
                "{count} {} left out by ignore files (.gitignore, .ignore); -v lists {}",
                if count == 1 { "file" } else { "files" },
                if count == 1 { "it" } else { "them" }
            ),
        });
    }
    notices
}

/// How much of the run's notices `args` asks to see.
fn notice_detail(args: &CheckArgs) -> NoticeDetail {
    if args.quiet {
        NoticeDetail::Quiet
    } else if args.verbose {
        NoticeDetail::Every
    } else {
        NoticeDetail::Grouped
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
