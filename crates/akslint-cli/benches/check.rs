//! Throughput and memory of `akslint check` against the parse-only floor.
//!
//! `cargo bench -p akslint-cli --bench check` generates a synthetic corpus of 10,000 realistic
//! multi-document manifests (about 100 MB, deterministic) under the target folder, then measures:
//!
//! - the parse-only floor: every file read and parsed by the YAML front end (rayon, all cores);
//! - the engine: the same files linted in-process as `akslint check` does, JSON rendered;
//! - the same with every rule family off (parse and suppression findings only): the engine's own
//!   cost (resource views, facts, the cross-file pass, rendering) over the floor;
//! - the same with only the secret rules on: what secret detection adds to that;
//! - the `akslint` binary end to end (`check DIR --format json`), process start included;
//! - a pre-commit-sized run: the binary on 20 named files, 30 times.
//!
//! `AKSLINT_BENCH_CORPUS=DIR` measures the YAML files under `DIR` (recursively) instead, such
//! as `../shared/corpus-real`; `RAYON_NUM_THREADS=1` measures one thread.
//!
//! Each measurement runs in a fresh process (this binary re-executed with a mode), so its peak RSS
//! is its own; the modes take turns, five rounds, and the median of each is reported. Figures go to stdout; record them in `docs/benchmarks.md`.

mod support;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_engine::walk::Input;
use akslint_engine::{Config, ConfigResolver, Overlay, StdinInput};
use nix::sys::resource::{Usage, UsageWho, getrusage};
use rayon::prelude::*;

const FILES: usize = 10_000;
const RUNS: usize = 5;
/// Marks a corpus made by this version of the generator; bump it when the generator changes.
const GENERATOR_VERSION: &str = "generator-v3";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(mode) = args
        .iter()
        .position(|a| a == "--mode")
        .and_then(|i| args.get(i + 1))
    {
        let dir = PathBuf::from(args.last().expect("a corpus folder"))
            .canonicalize()
            .expect("the corpus folder exists");
        run_mode(mode, &dir);
        return;
    }
    let (dir, bytes) = match std::env::var_os("AKSLINT_BENCH_CORPUS") {
        Some(dir) => {
            let dir = PathBuf::from(dir)
                .canonicalize()
                .expect("the corpus folder exists");
            let bytes = list(&dir)
                .iter()
                .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
                .sum();
            (dir, bytes)
        }
        None => {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-corpus");
            let bytes = generate(&dir);
            (dir, bytes)
        }
    };
    let files = list(&dir);
    println!(
        "corpus: {} files, {:.1} MB in {}",
        files.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    println!("threads: {}", rayon::current_num_threads());

    let medians = measure_round_robin(&dir, files.len(), bytes);
    let ratio = |mode: &str| medians[mode].seconds / medians["floor"].seconds;
    println!(
        "wall time: engine / floor {:.2}x, binary / floor {:.2}x, no rules / floor {:.2}x, SEC only / floor {:.2}x",
        ratio("engine"),
        ratio("binary"),
        ratio("no-rules"),
        ratio("secrets"),
    );
    let cpu_over_floor = |mode: &str| medians[mode].cpu / medians["floor"].cpu;
    println!(
        "CPU time: engine / floor {:.2}x; secret detection (SEC only - no rules) {:+.0}% of the floor",
        cpu_over_floor("engine"),
        (cpu_over_floor("secrets") - cpu_over_floor("no-rules")) * 100.0
    );
    measure_pre_commit(&files);
}

/// A pre-commit-sized run: the binary on 20 named files, process start included.
fn measure_pre_commit(files: &[PathBuf]) {
    let staged = &files[..20];
    let bytes: u64 = staged
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let mut seconds: Vec<f64> = (0..30)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_akslint"))
                .arg("check")
                .args(staged)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("akslint runs");
            assert!(status.code().is_some_and(|c| c <= 1));
            started.elapsed().as_secs_f64()
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    println!(
        "pre-commit run: 20 files ({:.0} kB), 30 runs: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        bytes as f64 / 1e3,
        seconds[15] * 1e3,
        seconds[28] * 1e3,
        seconds[29] * 1e3
    );
}

/// What is measured: a label and the mode this binary is re-run with.
const MEASUREMENTS: &[(&str, &str)] = &[
    ("saphyr-parser events only (reference)", "events"),
    ("parse-only floor (YAML front end)", "floor"),
    ("akslint engine (in-process, JSON rendered)", "engine"),
    ("akslint engine, every rule family off", "no-rules"),
    ("akslint engine, SEC family only", "secrets"),
    ("akslint check binary (end to end)", "binary"),
];

/// The medians of one mode's runs.
struct Medians {
    /// Wall-clock seconds.
    seconds: f64,
    /// CPU seconds (user and system, all threads).
    cpu: f64,
}

/// Runs every mode `RUNS` times in fresh processes, one round of all modes after another (so a
/// slow spell of the shared machine hits every mode alike); prints each mode's medians and
/// returns them by mode.
fn measure_round_robin(dir: &Path, files: usize, bytes: u64) -> HashMap<&'static str, Medians> {
    let mut runs: HashMap<&str, Vec<[f64; 3]>> = HashMap::new();
    for _ in 0..RUNS {
        for &(_, mode) in MEASUREMENTS {
            let output = Command::new(std::env::current_exe().expect("this binary"))
                .args(["--mode", mode])
                .arg(dir)
                .output()
                .expect("re-run the bench");
            let text = String::from_utf8_lossy(&output.stdout);
            let fields: Vec<f64> = text
                .split_whitespace()
                .map(|f| f.parse().expect("a number"))
                .collect();
            let [seconds, peak_kb, cpu] = fields[..] else {
                panic!("mode {mode} printed {text:?}");
            };
            runs.entry(mode).or_default().push([seconds, peak_kb, cpu]);
        }
    }
    MEASUREMENTS
        .iter()
        .map(|&(label, mode)| {
            let runs = &runs[mode];
            let median = |field: usize| {
                let mut values: Vec<f64> = runs.iter().map(|r| r[field]).collect();
                values.sort_by(f64::total_cmp);
                values[values.len() / 2]
            };
            let peak_kb = runs.iter().map(|r| r[1]).fold(0.0, f64::max);
            let medians = Medians {
                seconds: median(0),
                cpu: median(2),
            };
            println!(
                "{label:<45} {:>7.3} s  {:>8.0} files/s  {:>6.1} MB/s  CPU {:>6.2} s  peak RSS {:>4.0} MB",
                medians.seconds,
                files as f64 / medians.seconds,
                bytes as f64 / 1e6 / medians.seconds,
                medians.cpu,
                peak_kb / 1024.0
            );
            (mode, medians)
        })
        .collect()
}

/// Runs one mode and prints its wall seconds, peak RSS in KiB and CPU seconds.
fn run_mode(mode: &str, dir: &Path) {
    let files = list(dir);
    // Whose resource usage is the mode's: this process's, or its child's for the binary.
    let mut measured = UsageWho::RUSAGE_SELF;
    let started = Instant::now();
    match mode {
        "floor" => {
            let limits = Limits::default();
            let documents: usize = files
                .par_iter()
                .map(|path| {
                    let text = std::fs::read_to_string(path).expect("read");
                    let file = Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
                    akslint_yaml::parse(&file, &limits).documents.len()
                })
                .sum();
            assert!(documents > files.len());
        }
        "events" => {
            let events: usize = files
                .par_iter()
                .map(|path| {
                    let text = std::fs::read_to_string(path).expect("read");
                    let mut parser = saphyr_parser::Parser::new_from_str(&text);
                    std::iter::from_fn(|| parser.next_event())
                        .take_while(Result::is_ok)
                        .count()
                })
                .sum();
            assert!(events > files.len());
        }
        "events-chunked" => {
            let events: usize = files
                .par_iter()
                .map(|path| {
                    let text = std::fs::read_to_string(path).expect("read");
                    akslint_yaml::chunks::split(&text)
                        .into_iter()
                        .map(|chunk| {
                            let mut parser =
                                saphyr_parser::Parser::new_from_str(&text[chunk.start..chunk.end]);
                            std::iter::from_fn(|| parser.next_event())
                                .take_while(Result::is_ok)
                                .count()
                        })
                        .sum::<usize>()
                })
                .sum();
            assert!(events > files.len());
        }
        "engine" => assert!(lint_and_render(dir, &files, Config::default_at(dir)) > 0),
        "no-rules" => {
            lint_and_render(dir, &files, families_off(dir, "AUTH API KV WID SEC"));
        }
        "secrets" => {
            lint_and_render(dir, &files, families_off(dir, "AUTH API KV WID"));
        }
        "binary" => {
            let status = Command::new(env!("CARGO_BIN_EXE_akslint"))
                .args(["check", "--format", "json"])
                .arg(dir)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("akslint runs");
            assert!(
                status.code().is_some_and(|c| c <= 1),
                "akslint failed: {status}"
            );
            // This process's only child was akslint: the children's usage is its usage.
            measured = UsageWho::RUSAGE_CHILDREN;
        }
        other => panic!("unknown mode {other}"),
    }
    let seconds = started.elapsed().as_secs_f64();
    let usage = getrusage(measured).expect("rusage");
    // `max_rss` is in KiB on Linux.
    println!("{seconds} {} {}", usage.max_rss(), cpu_seconds(&usage));
}

/// A configuration that turns off the rule families named in `families` (space-separated).
fn families_off(dir: &Path, families: &str) -> Config {
    let mut yaml = String::from("rules:\n");
    for family in families.split_whitespace() {
        let _ = writeln!(yaml, "  {family}: off");
    }
    Config::parse(&dir.join("akslint.yaml"), &yaml).expect("config")
}

/// Lints `files` in process as `akslint check` does, with `config`, and renders JSON; returns
/// the number of findings.
fn lint_and_render(dir: &Path, files: &[PathBuf], config: Config) -> usize {
    let engine = akslint_engine::Engine::new();
    let resolver = ConfigResolver::fixed(dir, config);
    let folder: std::sync::Arc<Path> = dir.into();
    let inputs: Vec<Input> = files
        .iter()
        .map(|path| Input::File {
            path: path.as_path().into(),
            kind: SourceKind::Yaml,
            folder: folder.clone(),
        })
        .collect();
    let stdin = StdinInput::unread(PathBuf::from("-"));
    let report =
        akslint_engine::run(&engine, &resolver, &inputs, &stdin, &Overlay::new()).expect("lint");
    let options = akslint_cli::output::RenderOptions {
        threshold: akslint_core::Severity::Info,
        color: false,
        quiet: true,
        cwd: dir.to_path_buf(),
        counts: akslint_cli::output::RunCounts::default(),
    };
    let rendered = akslint_cli::output::json::render(&report, &options);
    assert!(
        report
            .notices
            .iter()
            .all(|n| n.level != akslint_engine::NoticeLevel::Error),
        "{:?}",
        report.notices.first()
    );
    rendered.findings
}

/// User and system CPU seconds of a resource usage.
fn cpu_seconds(usage: &Usage) -> f64 {
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    seconds(usage.user_time()) + seconds(usage.system_time())
}

/// The YAML files under `dir`, recursively, sorted.
fn list(dir: &Path) -> Vec<PathBuf> {
    support::files_with(dir, &["yaml", "yml"])
}

/// Writes the corpus unless it is already there; returns its size in bytes.
fn generate(dir: &Path) -> u64 {
    if list(dir).len() == FILES && dir.join(GENERATOR_VERSION).exists() {
        return list(dir)
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum();
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create the corpus folder");
    std::fs::write(dir.join(GENERATOR_VERSION), "").expect("mark the generator version");
    let mut rng = Rng(0x5eed_a115_c0de_2026);
    let mut total = 0;
    for index in 0..FILES {
        let text = manifest_file(index, &mut rng);
        total += text.len() as u64;
        std::fs::write(dir.join(format!("app-{index:05}.yaml")), text).expect("write");
    }
    total
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn word(&mut self) -> &'static str {
        const WORDS: &[&str] = &[
            "orders",
            "payments",
            "catalog",
            "cart",
            "checkout",
            "search",
            "users",
            "billing",
            "inventory",
            "shipping",
            "gateway",
            "reports",
            "notify",
            "auth",
            "profile",
            "reviews",
        ];
        WORDS[self.below(WORDS.len() as u64) as usize]
    }
}

/// One file of 6–10 documents, as an application's manifests or a chart's `helm template` output.
fn manifest_file(index: usize, rng: &mut Rng) -> String {
    let app = format!("{}-{index}", rng.word());
    let namespace = rng.word();
    let helm = rng.below(3) == 0;
    let mut out = String::new();
    let doc = |out: &mut String, template: &str, body: String| {
        out.push_str("---\n");
        if helm {
            let _ = writeln!(out, "# Source: {app}/templates/{template}.yaml");
        }
        out.push_str(&body);
    };
    let federated = rng.below(2) == 0;
    doc(
        &mut out,
        "serviceaccount",
        service_account(&app, namespace, federated),
    );
    doc(&mut out, "configmap", config_map(&app, namespace, rng));
    doc(
        &mut out,
        "deployment",
        deployment(&app, namespace, rng, federated),
    );
    doc(&mut out, "service", service(&app, namespace));
    doc(&mut out, "hpa", hpa(&app, namespace));
    doc(&mut out, "ingress", ingress(&app, namespace));
    for extra in 0..rng.below(4) {
        doc(
            &mut out,
            "worker",
            deployment(&format!("{app}-worker{extra}"), namespace, rng, federated),
        );
    }
    if rng.below(10) == 0 {
        doc(
            &mut out,
            "rbac",
            role_binding(&app, namespace, rng.below(4) == 0),
        );
    }
    out
}

fn service_account(app: &str, namespace: &str, federated: bool) -> String {
    let annotations = if federated {
        "  annotations:\n    azure.workload.identity/client-id: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13\n"
    } else {
        ""
    };
    format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {app}\n  namespace: {namespace}\n  labels:\n    app.kubernetes.io/name: {app}\n{annotations}"
    )
}

fn config_map(app: &str, namespace: &str, rng: &mut Rng) -> String {
    let mut settings = String::new();
    for i in 0..(20 + rng.below(20)) {
        let _ = writeln!(
            settings,
            "      \"Feature{i}\": {{ \"Enabled\": {}, \"Threshold\": {} }},",
            rng.below(2) == 0,
            rng.below(1000)
        );
    }
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}-settings\n  namespace: {namespace}\ndata:\n  LOG_LEVEL: info\n  CACHE_TTL: \"300\"\n  appsettings.json: |\n    {{\n      \"Logging\": {{ \"LogLevel\": {{ \"Default\": \"Information\" }} }},\n{settings}      \"AllowedHosts\": \"*\"\n    }}\n"
    )
}

fn deployment(app: &str, namespace: &str, rng: &mut Rng, federated: bool) -> String {
    let label = if federated && rng.below(5) != 0 {
        "\n        azure.workload.identity/use: \"true\""
    } else {
        ""
    };
    let mut env = String::new();
    for i in 0..(6 + rng.below(10)) {
        let _ = write!(
            env,
            "            - name: SETTING_{i}\n              value: \"{}\"\n",
            rng.below(100_000)
        );
    }
    env.push_str("            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: password\n");
    if rng.below(20) == 0 {
        let _ = write!(
            env,
            "            - name: API_TOKEN\n              value: \"tk-{:x}\"\n",
            rng.next()
        );
    }
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  namespace: {namespace}\n  labels:\n    app.kubernetes.io/name: {app}\n    app.kubernetes.io/version: \"1.{minor}.0\"\nspec:\n  replicas: {replicas}\n  revisionHistoryLimit: 5\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {app}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {app}{label}\n      annotations:\n        checksum/config: 3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n    spec:\n      serviceAccountName: {app}\n      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {{type: RuntimeDefault}}\n      containers:\n        - name: {app}\n          image: \"registry.example.com/{app}:1.{minor}.0\"\n          imagePullPolicy: IfNotPresent\n          ports:\n            - name: http\n              containerPort: 8080\n          env:\n{env}          resources:\n            requests: {{cpu: 100m, memory: 128Mi}}\n            limits: {{cpu: 500m, memory: 512Mi}}\n          livenessProbe:\n            httpGet: {{path: /healthz, port: http}}\n            initialDelaySeconds: 10\n          readinessProbe:\n            httpGet: {{path: /ready, port: http}}\n          volumeMounts:\n            - name: settings\n              mountPath: /app/config\n              readOnly: true\n        - name: proxy\n          image: \"registry.example.com/proxy:2.4.1\"\n          args: [\"--upstream=http://127.0.0.1:8080\", \"--port=9090\"]\n      volumes:\n        - name: settings\n          configMap:\n            name: {app}-settings\n",
        minor = rng.below(30),
        replicas = 1 + rng.below(5),
    )
}

fn service(app: &str, namespace: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n  namespace: {namespace}\nspec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: {app}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n"
    )
}

fn hpa(app: &str, namespace: &str) -> String {
    format!(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {app}\n  namespace: {namespace}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {app}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {{type: Utilization, averageUtilization: 70}}\n"
    )
}

fn ingress(app: &str, namespace: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {app}\n  namespace: {namespace}\n  annotations:\n    kubernetes.io/ingress.class: webapprouting.kubernetes.azure.com\nspec:\n  tls:\n    - hosts: [\"{app}.example.com\"]\n      secretName: {app}-tls\n  rules:\n    - host: {app}.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: {app}\n                port: {{number: 80}}\n"
    )
}

fn role_binding(app: &str, namespace: &str, broad: bool) -> String {
    let subject = if broad {
        "system:authenticated"
    } else {
        "0b6f3a52-8d1e-4c77-a9f0-2e5d6c4b8a31"
    };
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {app}-admins\n  namespace: {namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - apiGroup: rbac.authorization.k8s.io\n    kind: Group\n    name: {subject}\n"
    )
}
