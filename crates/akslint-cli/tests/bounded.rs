//! Inputs that once took unbounded time or memory, run by the real binary under generous bounds:
//! CPU seconds and address space set with the shell's `ulimit` (a run over them is killed), and
//! a peak resident memory checked afterwards. The bounds are several times what the debug build
//! needs today (at most 100 MB, 6 s) and below what the old code took, so they catch a return of
//! the problem, not a slow machine; speed itself is measured in `docs/benchmarks.md`.

use std::fmt::Write as _;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::json;
use nix::sys::resource::{UsageWho, getrusage};

/// The peak resident memory every run here must stay under. The tests of this file share one
/// bound because the peak is read for all the children of the test process together.
const PEAK_RSS_MIB: i64 = 256;

/// The address space a run may reserve: a hard stop, far above [`PEAK_RSS_MIB`] (allocators
/// reserve more than they touch).
const ADDRESS_SPACE_MIB: u64 = 2048;

/// Runs `akslint args` in `cwd` with at most `cpu_seconds` of CPU time and checks that it was
/// not killed and stayed under [`PEAK_RSS_MIB`].
fn run_bounded(cwd: &Path, args: &[&str], cpu_seconds: u64) -> Output {
    let script = format!(
        "ulimit -v {} && ulimit -t {cpu_seconds} && exec \"$0\" \"$@\"",
        ADDRESS_SPACE_MIB * 1024
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_akslint"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    assert!(
        output.status.code().is_some_and(|code| code < 100),
        "akslint was killed or aborted ({:?}, signal {:?}; over {ADDRESS_SPACE_MIB} MiB of \
         address space or {cpu_seconds} CPU seconds?); stderr: {}",
        output.status.code(),
        output.status.signal(),
        String::from_utf8_lossy(&output.stderr)
    );
    // `max_rss` is in KiB on Linux: the largest of the children waited for so far.
    let peak_mib = getrusage(UsageWho::RUSAGE_CHILDREN)
        .expect("rusage")
        .max_rss()
        / 1024;
    assert!(
        peak_mib < PEAK_RSS_MIB,
        "a run of akslint took {peak_mib} MiB (bound {PEAK_RSS_MIB} MiB)"
    );
    output
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("a code").to_owned())
        .collect()
}

#[test]
fn a_module_bomb_is_evaluated_within_a_budget_per_deployment() {
    // Each of ten templates calls the next twice with its array doubled: 2^10 deployments of
    // arrays up to 976 * 2^10 items. The old evaluator took 10.4 GB and 20-30 s.
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..10 {
        let next = i + 1;
        let mut text = String::from("param p array = range(0, 976)\n");
        for name in ["a0", "a1"] {
            let _ = write!(
                text,
                "module {name} 'm{next}.bicep' = {{\n  name: '{name}'\n  params: {{ p: concat(p, p) }}\n}}\n"
            );
        }
        fs::write(dir.path().join(format!("m{i}.bicep")), text).expect("write");
    }
    fs::write(dir.path().join("m10.bicep"), "param p array\n").expect("write");
    let output = run_bounded(dir.path(), &["check", "--format", "json", "."], 120);
    assert!(
        codes(&json(&output)).iter().any(|c| c == "PARSE008"),
        "the budget reached is reported: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_flow_sequence_of_ten_megabytes_is_read_in_bounded_memory() {
    // `kubectl get -o json` output: one flow collection that may be an implicit key. saphyr
    // buffered it whole (2.1 GB for 10 MB in the issue, 374-507 MB in the release build
    // before the YAML front end was rewritten); today about 9 bytes per input byte.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("apiVersion: v1\nkind: List\nmetadata: {name: big}\nitems: [");
    let mut n = 0u64;
    while text.len() < 10_000_000 {
        let _ = write!(text, "{n}, ");
        n += 1;
    }
    text.push_str("0]\n");
    fs::write(dir.path().join("big.yaml"), text).expect("write");
    let output = run_bounded(dir.path(), &["check", "--format", "json", "big.yaml"], 300);
    assert_eq!(output.status.code(), Some(0), "read and clean");
}

#[test]
fn a_configmap_of_200_000_keys_is_checked_in_linear_time() {
    // Keys were deduplicated by a linear scan: 40,000 keys took 3.9 s, 700,000 did not finish
    // in three CPU minutes.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
    for i in 0..200_000 {
        let _ = writeln!(text, "  key-{i}: value-{i}");
    }
    fs::write(dir.path().join("cm.yaml"), text).expect("write");
    let output = run_bounded(dir.path(), &["check", "--format", "json", "cm.yaml"], 60);
    assert_eq!(output.status.code(), Some(0), "read and clean");
}

#[test]
fn a_deeply_nested_configuration_is_refused_quickly_with_its_location() {
    // 128 KB of nesting in akslint.yaml took 11 s to parse (and stalled the language server).
    let dir = tempfile::tempdir().expect("temp dir");
    let depth = 128 * 1024 / 4;
    let config = format!("{}x{}\n", "{a: ".repeat(depth), "}".repeat(depth));
    fs::write(dir.path().join("akslint.yaml"), config).expect("write");
    fs::write(
        dir.path().join("app.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n",
    )
    .expect("write");
    let output = run_bounded(dir.path(), &["check", "app.yaml"], 20);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("akslint.yaml:1:") && stderr.contains("nest"),
        "{stderr}"
    );
}
