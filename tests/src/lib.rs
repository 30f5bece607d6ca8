//! Helpers shared by akslint's end-to-end tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use akslint_cli::fix::Fixed;
use akslint_core::SourceKind;
use akslint_engine::walk::{Input, NamedFile};
use akslint_engine::{ConfigResolver, Engine, Report};
use akslint_engine::{Overlay, StdinInput};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Reports that a test cannot run here: a notice on stderr, or, under CI (`CI=true`), where every
/// tool and data set must be present, a failure.
pub fn skip(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what}, under CI"
    );
    eprintln!("NOTICE: {what}; skipping");
}

/// The shared data folder beside the checkout, if it is there (see [`skip`]).
pub fn shared_data(name: &str) -> Option<PathBuf> {
    let path = workspace_root().join("..").join("shared").join(name);
    if path.is_dir() {
        Some(path)
    } else {
        skip(&format!("{} is absent", path.display()));
        None
    }
}

/// What `akslint check` sets up for a run over `paths` from `cwd`: the engine (module files read
/// relative to `cwd`), the configuration discovered from `cwd`, the inputs and an empty stdin.
fn run_setup(cwd: &Path, paths: &[PathBuf]) -> (Engine, ConfigResolver, Vec<Input>, StdinInput) {
    let engine = Engine::new().with_loader(akslint_core::DiskLoader {
        base: cwd.to_path_buf(),
        ..akslint_core::DiskLoader::default()
    });
    let resolver = ConfigResolver::discover(cwd);
    // Files akslint leaves out when named (JSON that is not a template or a manifest) are left
    // out here too; any other file is read as YAML.
    let inputs: Vec<Input> = paths
        .iter()
        .filter_map(|path| {
            let kind = match akslint_engine::walk::named_kind(path, &cwd.join(path)) {
                NamedFile::Lint(kind) => kind,
                NamedFile::OtherJson | NamedFile::OfChart(_) | NamedFile::OutsideChart => {
                    return None;
                }
                NamedFile::Unknown => SourceKind::Yaml,
            };
            Some(Input::File {
                path: path.clone().into(),
                kind,
                folder: cwd.into(),
            })
        })
        .collect();
    let stdin = StdinInput::unread(PathBuf::from("<stdin>"));
    (engine, resolver, inputs, stdin)
}

/// Lints files as one run, the way `akslint check` does (reading, size limits, configuration
/// discovered from `cwd`), with paths reported relative to `cwd`.
pub fn lint(cwd: &Path, paths: &[PathBuf]) -> Report {
    let (engine, resolver, inputs, stdin) = run_setup(cwd, paths);
    akslint_engine::run(&engine, &resolver, &inputs, &stdin, &Overlay::new())
        .expect("fixture configuration is valid")
}

/// Applies every fix (safe and unsafe) to files of one run in memory, the way
/// `akslint check --fix --unsafe-fixes` does, without writing them.
pub fn fix_all(cwd: &Path, paths: &[PathBuf]) -> Fixed {
    let (engine, resolver, inputs, stdin) = run_setup(cwd, paths);
    akslint_cli::fix::fix(&engine, &resolver, &inputs, &stdin, true, &|_| None)
        .expect("fixture configuration is valid")
}

/// The fixture runs of `corpus/`: each folder's YAML, Bicep and ARM JSON files (not
/// `akslint.yaml`, nothing in the folders a walk skips, such as a Bicep module cache), relative
/// to the workspace root, by folder; a Helm chart's files (a folder with `Chart.yaml` and all
/// below it) are one run, as `akslint check CHART` lints them (a template's finding lands in
/// the chart's `values.yaml`).
pub fn corpus_runs() -> BTreeMap<PathBuf, Vec<PathBuf>> {
    let corpus = workspace_root().join("corpus");
    let mut runs: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for path in files_under(&corpus, &["yaml", "yml", "bicep", "bicepparam", "json"]) {
        let skipped = path.components().any(|c| {
            akslint_engine::walk::SKIPPED_FOLDERS
                .contains(&c.as_os_str().to_string_lossy().as_ref())
        });
        if skipped || path.file_name().is_some_and(|n| n == "akslint.yaml") {
            continue;
        }
        let file = Path::new("corpus").join(path);
        let folder = file.parent().unwrap_or(Path::new(""));
        let chart = folder
            .ancestors()
            .take_while(|dir| !dir.as_os_str().is_empty())
            .find(|dir| workspace_root().join(dir).join("Chart.yaml").is_file());
        runs.entry(chart.unwrap_or(folder).to_path_buf())
            .or_default()
            .push(file);
    }
    runs
}

/// Writes files under `dir` (path under it, text), with their folders.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// Lints one text as a file named `name`, alone.
pub fn lint_text(name: &str, text: &str) -> Report {
    lint_texts(&[(name, text)])
}

/// Lints texts as files with these names, together as one run (so cross-file rules see them
/// all), with the default configuration.
pub fn lint_texts(files: &[(&str, &str)]) -> Report {
    lint_texts_with(files, akslint_engine::Config::default_at("."))
}

/// Like [`lint_texts`] with every rule on, opt-in rules too (for the rules' doc examples).
pub fn lint_texts_every_rule(files: &[(&str, &str)]) -> Report {
    let opt_in: String = akslint_rules::registry::metas()
        .filter(|meta| !meta.enabled_by_default)
        .map(|meta| format!("  {}: on\n", meta.code))
        .collect();
    let config = if opt_in.is_empty() {
        akslint_engine::Config::default_at(".")
    } else {
        akslint_engine::Config::parse(Path::new("akslint.yaml"), &format!("rules:\n{opt_in}"))
            .expect("a valid configuration")
    };
    lint_texts_with(files, config)
}

fn lint_texts_with(files: &[(&str, &str)], config: akslint_engine::Config) -> Report {
    let cwd = std::env::current_dir().expect("a current folder");
    let resolver = ConfigResolver::fixed(&cwd, config);
    let overlay: Overlay = files
        .iter()
        .map(|(name, text)| (PathBuf::from(name), (*text).to_owned()))
        .collect();
    let inputs: Vec<Input> = files
        .iter()
        .map(|(name, text)| Input::File {
            path: Path::new(name).into(),
            kind: SourceKind::from_path(Path::new(name))
                .or_else(|| SourceKind::sniff_json(text.as_bytes()))
                .unwrap_or(SourceKind::Yaml),
            folder: cwd.clone().into(),
        })
        .collect();
    let stdin = StdinInput::unread(PathBuf::from("<stdin>"));
    akslint_engine::run(&Engine::new(), &resolver, &inputs, &stdin, &overlay)
        .expect("a fixed configuration")
}

/// Every file under `dir` (recursively) with one of `extensions`, sorted, relative to `dir`.
pub fn files_under(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
            {
                found.push(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// A deterministic generator (xorshift64) for seeded mutants: the same inputs in every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_bits(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_bits() % n.max(1) as u64) as usize
    }
}

/// One mutant of `seed`: one to `edits` edits, each a character replaced by, or one of
/// `inserts` inserted, a character removed, a line re-indented, two lines swapped or joined.
pub fn mutate(seed: &str, inserts: &[&str], edits: usize, rng: &mut Rng) -> String {
    let mut text = seed.to_owned();
    let boundary = |text: &str, rng: &mut Rng| {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    for _ in 0..1 + rng.below(edits) {
        let at = boundary(&text, rng);
        match rng.below(6) {
            0 => text.insert_str(at, inserts[rng.below(inserts.len())]),
            1 => {
                if let Some(c) = text[at..].chars().next() {
                    text.replace_range(at..at + c.len_utf8(), "");
                }
            }
            2 => {
                if let Some(c) = text[at..].chars().next() {
                    let with = inserts[rng.below(inserts.len())];
                    text.replace_range(at..at + c.len_utf8(), with);
                }
            }
            3 => {
                // Re-indent the line: one or two spaces more or fewer, or a tab.
                let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
                match rng.below(4) {
                    0 => text.insert(line, ' '),
                    1 => text.insert_str(line, "  "),
                    2 => text.insert(line, '\t'),
                    _ => {
                        if text[line..].starts_with(' ') {
                            text.remove(line);
                        }
                    }
                }
            }
            4 => {
                // Join the line with the next.
                if let Some(i) = text[at..].find('\n') {
                    text.remove(at + i);
                }
            }
            _ => {
                // Swap the line with the next.
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if lines.len() > 1 {
                    let i = rng.below(lines.len() - 1);
                    lines.swap(i, i + 1);
                }
                text = lines.concat();
            }
        }
    }
    text
}

/// What a mutation may insert: YAML's indicators, blanks and breaks of every kind, and the
/// characters Kubernetes refuses.
pub const YAML_INSERTS: &[&str] = &[
    ":",
    ": ",
    "-",
    "- ",
    "#",
    " #",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!",
    "!!str ",
    "|",
    ">",
    "%",
    "@",
    "`",
    "\t",
    ":\t",
    "\n",
    "\r",
    "\r\n",
    " ",
    "  ",
    "\\",
    "?",
    "? ",
    ",",
    "...",
    "---",
    "\n---\n",
    "\n--- x\n",
    "\n...\n",
    "\n%YAML 1.1\n",
    "\u{1}",
    "\u{7f}",
    "é",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "\"a\n b\"",
    "'a\n\tb'",
];
