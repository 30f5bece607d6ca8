//! Language-server latency and memory, in process (a benchmark, not a timed test):
//!
//! - time from `didChange` to the `publishDiagnostics` of that version, for a 5,000-line YAML
//!   document, over 200 edits one after the other (p50, p95, max);
//! - the same while typing: bursts of edits 30 ms apart, timed from the burst's last edit to the
//!   diagnostics of that version (what a user waits after the last keystroke);
//! - resident memory and time to index a workspace of 2,000 YAML files.
//!
//! The same for a 5,000-line Bicep document (front end and evaluator of `akslint-bicep`).
//!
//! The same for a template of the largest real Helm chart, kube-prometheus-stack of
//! `../shared/helm-charts` (copied to a temporary workspace; skipped when absent): each edit
//! renders the chart again with the editor's text and lints the template's output.
//!
//! `cargo bench -p akslint-lsp --bench latency` (release build); `-- helm` (or `yaml`,
//! `bicep`, `index`) runs that part alone.

#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use akslint_lsp::ServerOptions;
use serde_json::{Value, json};
use support::{TestClient, uri};
use tower_lsp_server::ls_types::Uri;

/// A multi-document YAML file of about `lines` lines: Deployments with environment variables
/// (some with hardcoded secrets), ServiceAccounts and ConfigMaps.
fn big_yaml(lines: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.lines().count() < lines {
        let _ = write!(
            text,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: ns-{ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n    spec:\n      serviceAccountName: sa-{i}\n      containers:\n        - name: main\n          image: registry.example/app-{i}:1.{i}\n          env:\n            - name: MODE\n              value: production\n            - name: DB_PASSWORD\n              value: \"p{i}-hunter-{i}x\"\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {{name: app-{i}, key: token}}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-{i}\n  namespace: ns-{ns}\n  annotations:\n    azure.workload.identity/client-id: 00000000-0000-0000-0000-{i:012}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-{i}\ndata:\n  level: debug\n  color: blue\n",
            ns = i % 7
        );
        i += 1;
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// A Bicep file of about `lines` lines: AKS clusters (half of them with a public API server).
fn big_bicep(lines: usize) -> String {
    let mut text = String::from("param location string = 'westeurope'\n");
    let mut i = 0;
    while text.lines().count() < lines {
        let _ = write!(
            text,
            "\nresource aks{i} 'Microsoft.ContainerService/managedClusters@2024-05-01' = {{\n  name: 'aks-{i}'\n  location: location\n  properties: {{\n    dnsPrefix: 'aks{i}'\n    kubernetesVersion: '1.30'\n    apiServerAccessProfile: {{\n      enablePrivateCluster: {private}\n    }}\n    aadProfile: {{\n      managed: true\n      enableAzureRBAC: true\n    }}\n    agentPoolProfiles: [\n      {{\n        name: 'system'\n        count: 3\n        vmSize: 'Standard_D4s_v5'\n        mode: 'System'\n      }}\n    ]\n    oidcIssuerProfile: {{\n      enabled: true\n    }}\n  }}\n}}\n",
            private = i % 2 == 0
        );
        i += 1;
    }
    text
}

/// `edits` edits of a 5,000-line document, sent in bursts of `burst` edits `gap` apart (a burst
/// of 1: each edit waits for the previous one's diagnostics); returns the sorted latencies from
/// each burst's last edit to its diagnostics, the document's lines and findings.
async fn edit_latency(
    edits: i32,
    burst: i32,
    gap: Duration,
    bicep: bool,
) -> (Vec<Duration>, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let (name, language, text, target, column, replacements) = if bicep {
        (
            "big.bicep",
            "bicep",
            big_bicep(5000),
            "count: 3",
            15,
            ["3", "4"],
        )
    } else {
        (
            "big.yaml",
            "yaml",
            big_yaml(5000),
            "value: production",
            21,
            ["ion", "IOn"],
        )
    };
    let doc = uri(&dir.path().join(name));
    let lines = text.lines().count();
    let mut client = TestClient::with_engine(support::engine(), ServerOptions { index_threads: 2 });
    client.initialize(None, json!({}), Value::Null).await;
    client.open(&doc, language, 1, &text).await;
    let first = client.diagnostics(&doc, 1).await.len();
    // Each edit rewrites a line somewhere in the file (typing a character or three).
    let targets: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == target)
        .map(|(n, _)| n)
        .collect();
    let width = replacements[0].len();
    let mut latencies = Vec::new();
    for version in 2..2 + edits {
        let line = targets[(version as usize * 7919) % targets.len()];
        let first_of_burst = (version - 2) % burst == 0;
        let last_of_burst = (version - 1) % burst == 0;
        if !first_of_burst {
            tokio::time::sleep(gap).await;
        }
        let started = Instant::now();
        let change = replace(
            &doc,
            version,
            line,
            column..column + width,
            replacements[version as usize % 2],
        );
        client.notify("textDocument/didChange", change).await;
        if last_of_burst {
            client.diagnostics(&doc, version).await;
            latencies.push(started.elapsed());
            client.seen.clear();
        }
    }
    latencies.sort();
    (latencies, lines, first)
}

/// The `didChange` parameters that replace the characters `columns` of `line` with `text`.
fn replace(
    doc: &Uri,
    version: i32,
    line: usize,
    columns: std::ops::Range<usize>,
    text: &str,
) -> Value {
    json!({
        "textDocument": {"uri": doc.as_str(), "version": version},
        "contentChanges": [{
            "range": {"start": {"line": line, "character": columns.start},
                      "end": {"line": line, "character": columns.end}},
            "text": text
        }]
    })
}

/// Copies the folder `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The chart template the Helm latency edits, under `../shared/helm-charts`.
const HELM_CHART: &str = "kube-prometheus-stack";
const HELM_TEMPLATE: &str = "templates/prometheus/prometheus.yaml";

/// `edits` edits of a template of the largest shared chart, each waiting for the previous one's
/// diagnostics (a space added after, then removed from, the template's `kind: Prometheus`
/// line); the sorted latencies, the template's lines and findings, or `None` when the shared
/// charts are absent.
async fn helm_edit_latency(edits: i32) -> Option<(Vec<Duration>, usize, usize)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/helm-charts");
    if !shared.join(HELM_CHART).is_dir() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join(HELM_CHART);
    copy_dir(&shared.join(HELM_CHART), &chart);
    let path = chart.join(HELM_TEMPLATE);
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text.lines().position(|l| l == "kind: Prometheus")?;
    let column = "kind: Prometheus".len();
    let doc = uri(&path);
    let mut client = TestClient::with_engine(support::engine(), ServerOptions { index_threads: 2 });
    client
        .initialize(Some(dir.path()), json!({}), Value::Null)
        .await;
    client.wait_for_index().await;
    client.open(&doc, "helm", 1, &text).await;
    let first = client.diagnostics(&doc, 1).await.len();
    let mut latencies = Vec::new();
    for version in 2..2 + edits {
        let (width, inserted) = if version % 2 == 0 { (0, " ") } else { (1, "") };
        let started = Instant::now();
        let change = replace(&doc, version, line, column..column + width, inserted);
        client.notify("textDocument/didChange", change).await;
        client.diagnostics(&doc, version).await;
        latencies.push(started.elapsed());
        client.seen.clear();
    }
    latencies.sort();
    Some((latencies, text.lines().count(), first))
}

/// Indexes a workspace of `files` YAML files; returns (time, RSS growth in KiB, files with facts).
async fn index_memory(files: usize) -> (Duration, u64, String) {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..files {
        let body = big_yaml(60).replace("app-", &format!("f{i}-app-"));
        std::fs::write(dir.path().join(format!("m{i:04}.yaml")), body).unwrap();
    }
    let before = rss_kib();
    let started = Instant::now();
    let mut client = TestClient::new(ServerOptions::default());
    client
        .initialize(
            Some(dir.path()),
            json!({"window": {"workDoneProgress": true}}),
            Value::Null,
        )
        .await;
    let end = client
        .wait_for("indexing to end", |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
        })
        .await;
    let elapsed = started.elapsed();
    let after = rss_kib();
    let message = end["params"]["value"]["message"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    drop(client);
    (elapsed, after.saturating_sub(before), message)
}

/// Time between two keystrokes of a fast typist.
const TYPING_GAP: Duration = Duration::from_millis(30);

fn main() {
    // A part named after `--` runs alone (`cargo bench -p akslint-lsp --bench latency -- helm`).
    let only: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let runs = |part: &str| only.as_deref().is_none_or(|o| o == part);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        for (bicep, kind) in [(false, "YAML"), (true, "Bicep")] {
            if !runs(&kind.to_lowercase()) {
                continue;
            }
            let (latencies, lines, findings) =
                edit_latency(200, 1, Duration::ZERO, bicep).await;
            println!(
                "didChange -> publishDiagnostics, {lines}-line {kind} ({findings} findings), 200 edits: p50 {}, p95 {}, max {}",
                ms(percentile(&latencies, 0.5)),
                ms(percentile(&latencies, 0.95)),
                ms(*latencies.last().unwrap())
            );
            let (latencies, _, _) = edit_latency(200, 5, TYPING_GAP, bicep).await;
            println!(
                "typing in the {kind} document (bursts of 5 edits 30 ms apart), last edit -> its diagnostics: p50 {}, p95 {}, max {}",
                ms(percentile(&latencies, 0.5)),
                ms(percentile(&latencies, 0.95)),
                ms(*latencies.last().unwrap())
            );
        }
        if runs("helm") {
            match helm_edit_latency(100).await {
                Some((latencies, lines, findings)) => println!(
                    "didChange -> publishDiagnostics, {HELM_CHART}/{HELM_TEMPLATE} ({lines} lines, {findings} findings; the chart rendered again each edit), 100 edits: p50 {}, p95 {}, max {}",
                    ms(percentile(&latencies, 0.5)),
                    ms(percentile(&latencies, 0.95)),
                    ms(*latencies.last().unwrap())
                ),
                None => println!("Helm template edits: skipped, ../shared/helm-charts/{HELM_CHART} is absent"),
            }
        }
        if !runs("index") {
            return;
        }
        let (elapsed, grown, message) = index_memory(2000).await;
        println!(
            "workspace of 2,000 YAML files: {message}; {} in all, resident memory grew by {:.1} MiB (now {:.1} MiB)",
            ms(elapsed),
            grown as f64 / 1024.0,
            rss_kib() as f64 / 1024.0
        );
    });
}
