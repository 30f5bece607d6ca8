//! `akslint check` over a monorepo of real manifests and templates
//! (`cargo bench -p akslint-cli --bench monorepo`; figures go into `docs/benchmarks.md`).
//!
//! The monorepo is built once under `target/tmp/bench-monorepo` from copies of the shared
//! corpora beside the checkout (`../shared/corpus-real`, its Kubernetes YAML, Helm output and
//! Bicep, and the Bicep files of `../shared/bicep-conformance`), one folder per copy, until it
//! holds `AKSLINT_MONOREPO_MB` megabytes of YAML and Bicep (default 1,000). The release binary
//! lints it as one run (`akslint check --format json`, output discarded) in a child process;
//! the bench prints the wall time, CPU time, files/s, MB/s and the child's peak RSS.
//!
//! With `checkov` on PATH (`pip install checkov`), it also times checkov and akslint on
//! `../shared/corpus-real` and prints the ratio.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};

/// The extensions akslint lints in a walk.
const EXTENSIONS: &[&str] = &["yaml", "yml", "bicep", "bicepparam"];

/// Every lintable file under `dir`, with its size.
fn lintable(dir: &Path) -> Vec<(PathBuf, u64)> {
    support::files_with(dir, EXTENSIONS)
        .into_iter()
        .map(|path| {
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            (path, size)
        })
        .collect()
}

/// Builds the monorepo (unless it has the wanted size already); returns its folder, its files
/// and its bytes.
fn monorepo(shared: &Path, megabytes: u64) -> (PathBuf, usize, u64) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-monorepo");
    let marker = root.join(format!(".built-{megabytes}mb"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&root);
        let mut sources: Vec<(PathBuf, PathBuf, u64)> = Vec::new();
        for set in ["corpus-real", "bicep-conformance"] {
            let base = shared.join(set);
            for (path, size) in lintable(&base) {
                let relative = Path::new(set).join(path.strip_prefix(&base).expect("under"));
                sources.push((path, relative, size));
            }
        }
        let per_copy: u64 = sources.iter().map(|s| s.2).sum();
        let copies = (megabytes * 1_000_000).div_ceil(per_copy.max(1));
        for copy in 0..copies {
            let folder = root.join(format!("team-{copy:04}"));
            for (path, relative, _) in &sources {
                let target = folder.join(relative);
                std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
                std::fs::copy(path, &target).expect("copy");
            }
        }
        std::fs::write(&marker, "").expect("marker");
    }
    let files = lintable(&root);
    let bytes = files.iter().map(|f| f.1).sum();
    (root, files.len(), bytes)
}

/// Runs a command with its output discarded; returns the wall seconds.
fn timed(command: &mut Command) -> f64 {
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the command runs");
    let seconds = started.elapsed().as_secs_f64();
    assert!(status.code().is_some(), "{command:?} was killed: {status}");
    seconds
}

fn main() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if !shared.join("corpus-real").is_dir() {
        eprintln!("NOTICE: ../shared/corpus-real is absent; nothing to measure");
        return;
    }
    let megabytes = std::env::var("AKSLINT_MONOREPO_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let (root, files, bytes) = monorepo(&shared, megabytes);
    println!(
        "monorepo: {files} files, {:.0} MB in {}",
        bytes as f64 / 1e6,
        root.display()
    );
    let seconds = timed(
        Command::new(env!("CARGO_BIN_EXE_akslint"))
            .args(["check", "--format", "json"])
            .arg(&root),
    );
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("rusage");
    let cpu = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    println!(
        "akslint check: {seconds:.1} s, CPU {:.1} s, {:.0} files/s, {:.1} MB/s, peak RSS {:.0} MB",
        cpu(usage.user_time()) + cpu(usage.system_time()),
        files as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        usage.max_rss() as f64 / 1024.0
    );
    let has_checkov = Command::new("checkov")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if has_checkov {
        let corpus = shared.join("corpus-real");
        let checkov = timed(
            Command::new("checkov")
                .args(["--quiet", "--compact", "-o", "json", "-d"])
                .arg(&corpus),
        );
        let akslint = timed(
            Command::new(env!("CARGO_BIN_EXE_akslint"))
                .args(["check", "--format", "json"])
                .arg(&corpus),
        );
        println!(
            "../shared/corpus-real: checkov {checkov:.1} s, akslint {akslint:.2} s ({:.0}x)",
            checkov / akslint
        );
    } else {
        eprintln!("NOTICE: checkov is not on PATH (pip install checkov); no comparison");
    }
}
