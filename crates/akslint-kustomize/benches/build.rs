//! Kustomize overlay build time against `kubectl kustomize`: `cargo bench -p akslint-kustomize
//! --bench build`.
//!
//! Writes, in a temporary folder, a base of 16 apps (a Deployment, a Service and a ConfigMap
//! each) and an overlay of it (`namePrefix`, `namespace`, `images`, a strategic-merge patch, a
//! JSON 6902 patch on every Deployment, a `configMapGenerator` and a ServiceAccount of its own):
//! 50 objects built. Then measures, median of many runs:
//!
//! - akslint's build and YAML emission in-process ([`akslint_kustomize::build`] then
//!   [`akslint_kustomize::emit::render`]), the files read from disk (page cache) every run;
//! - the same and the parse of the emitted YAML ([`akslint_kustomize::front_end::parse_built`]):
//!   what the rules receive;
//! - `kubectl kustomize` on the same folder, process start included, when `kubectl` is on PATH;
//! - `akslint check` on the overlay, end to end, when `AKSLINT_BIN` names a binary or
//!   `target/release/akslint` exists.
//!
//! Figures go to stdout; record them in `docs/benchmarks.md` ("Kustomize overlays").

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use akslint_core::Limits;
use akslint_kustomize::{DiskFiles, build, emit, front_end};

/// Apps of the base: a Deployment, a Service and a ConfigMap each.
const APPS: usize = 16;
/// Runs of an external command.
const PROCESS_RUNS: usize = 20;
/// The least time, and runs, an in-process measurement takes.
const IN_PROCESS_TIME: Duration = Duration::from_secs(2);
const IN_PROCESS_RUNS: usize = 50;

/// Writes `text` to `dir/name`.
fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).expect("a writable temporary folder");
    std::fs::write(dir.join(name), text).expect("a writable temporary folder");
}

/// One app of the base: its Deployment, Service and ConfigMap, as one file.
fn app(index: usize) -> String {
    let name = format!("svc-{index:02}");
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
    tier: backend
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
        tier: backend
    spec:
      serviceAccountName: default
      containers:
        - name: app
          image: registry.example.com/shop/{name}:1.0.{index}
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: {name}-settings
          env:
            - name: LOG_LEVEL
              value: info
            - name: FEATURE_FLAGS
              valueFrom:
                configMapKeyRef:
                  name: shared-settings
                  key: flags
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
          volumeMounts:
            - name: shared
              mountPath: /etc/shared
        - name: proxy
          image: registry.example.com/mesh/proxy:2.3.1
          args: [\"--upstream=127.0.0.1:8080\", \"--listen=:9090\"]
      volumes:
        - name: shared
          configMap:
            name: shared-settings
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  labels:
    app: {name}
spec:
  selector:
    app: {name}
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-settings
data:
  UPSTREAM_URL: http://svc-{next:02}.shop.svc.cluster.local
  CACHE_TTL: \"300\"
  RETRIES: \"3\"
",
        next = (index + 1) % APPS
    )
}

/// Writes the base and the overlay under `root`; returns the overlay's folder.
fn write_overlay(root: &Path) -> PathBuf {
    let base = root.join("base");
    let mut resources = String::new();
    for index in 0..APPS {
        let file = format!("svc-{index:02}.yaml");
        write(&base, &file, &app(index));
        resources.push_str(&format!("  - {file}\n"));
    }
    write(
        &base,
        "kustomization.yaml",
        &format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
  - pairs:
      app.kubernetes.io/part-of: shop
resources:
{resources}"
        ),
    );

    let overlay = root.join("overlays/production");
    let mut images = String::new();
    for index in (0..APPS).step_by(2) {
        images.push_str(&format!(
            "  - name: registry.example.com/shop/svc-{index:02}\n    newTag: 1.1.{index}\n"
        ));
    }
    write(
        &overlay,
        "kustomization.yaml",
        &format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
namePrefix: prod-
resources:
  - ../../base
  - service-account.yaml
images:
{images}  - name: registry.example.com/mesh/proxy
    newName: mirror.example.com/mesh/proxy
    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
configMapGenerator:
  - name: shared-settings
    literals:
      - flags=checkout-v2,fast-search
      - region=westeurope
    files:
      - tuning.properties
patches:
  - path: scale.yaml
  - target:
      kind: Deployment
      labelSelector: tier=backend
    patch: |-
      - op: replace
        path: /spec/template/spec/serviceAccountName
        value: shop-workload
      - op: add
        path: /spec/template/metadata/labels/azure.workload.identity~1use
        value: \"true\"
"
        ),
    );
    write(
        &overlay,
        "service-account.yaml",
        "apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop-workload
  annotations:
    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000000
",
    );
    write(
        &overlay,
        "tuning.properties",
        "pool.size=32\npool.timeout=5s\n",
    );
    let mut scale = String::new();
    for index in 0..4 {
        scale.push_str(&format!(
            "{}apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{index:02}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
",
            if index > 0 { "---\n" } else { "" }
        ));
    }
    write(&overlay, "scale.yaml", &scale);
    overlay
}

/// The median and the 95th percentile of `seconds`, in milliseconds.
fn median_p95(mut seconds: Vec<f64>) -> (f64, f64) {
    seconds.sort_by(f64::total_cmp);
    let at = |q: f64| seconds[((seconds.len() - 1) as f64 * q).round() as usize] * 1e3;
    (at(0.5), at(0.95))
}

/// Times `run` until it has run `IN_PROCESS_RUNS` times and for `IN_PROCESS_TIME`.
fn time_in_process(mut run: impl FnMut()) -> (usize, f64, f64) {
    for _ in 0..5 {
        run(); // warm-up
    }
    let started = Instant::now();
    let mut seconds = Vec::new();
    while seconds.len() < IN_PROCESS_RUNS || started.elapsed() < IN_PROCESS_TIME {
        let run_started = Instant::now();
        run();
        seconds.push(run_started.elapsed().as_secs_f64());
    }
    let runs = seconds.len();
    let (median, p95) = median_p95(seconds);
    (runs, median, p95)
}

/// Times `command` `PROCESS_RUNS` times (after one warm-up run); `None` if it fails.
fn time_process(mut command: Command) -> Option<(f64, f64)> {
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command.status().ok()?;
    let mut seconds = Vec::new();
    for _ in 0..PROCESS_RUNS {
        let started = Instant::now();
        command.status().ok()?;
        seconds.push(started.elapsed().as_secs_f64());
    }
    Some(median_p95(seconds))
}

/// The first executable named `name` on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The akslint binary to time: `AKSLINT_BIN`, or the workspace's release build.
fn akslint_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AKSLINT_BIN") {
        return Some(PathBuf::from(path));
    }
    let release = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/akslint");
    release.is_file().then_some(release)
}

/// How many objects `kubectl kustomize` builds in `dir`, if it builds it.
fn kubectl_objects(kubectl: &Path, dir: &Path) -> Option<usize> {
    let output = Command::new(kubectl)
        .arg("kustomize")
        .arg(dir)
        .output()
        .ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.starts_with("kind:"))
            .count()
    })
}

fn main() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let overlay = write_overlay(root.path());
    let built = build(&overlay, &DiskFiles);
    let Some(kustomization) = built.sources.first().cloned() else {
        eprintln!("build bench: the overlay's kustomization was not read");
        return;
    };
    let rendered = emit::render(&built, &kustomization);
    println!(
        "overlay: {} objects built from {} files, {} build errors, {:.1} kB of YAML emitted",
        built.resources.len(),
        built.sources.len(),
        built.errors.len(),
        rendered.file.text().len() as f64 / 1e3
    );

    let (runs, median, p95) = time_in_process(|| {
        let built = build(&overlay, &DiskFiles);
        black_box(emit::render(&built, &kustomization));
    });
    println!(
        "akslint build + emit (in-process): {runs} runs, median {median:.2} ms, p95 {p95:.2} ms"
    );
    let build_median = median;

    let limits = Limits::default();
    let (runs, median, p95) = time_in_process(|| {
        let built = build(&overlay, &DiskFiles);
        black_box(front_end::parse_built(&built, &kustomization, &limits));
    });
    println!(
        "akslint build + emit + parse (in-process): {runs} runs, median {median:.2} ms, p95 {p95:.2} ms"
    );

    match on_path("kubectl") {
        Some(kubectl) => {
            let objects = kubectl_objects(&kubectl, &overlay);
            let mut command = Command::new(&kubectl);
            command.arg("kustomize").arg(&overlay);
            match (objects, time_process(command)) {
                (Some(objects), Some((median, p95))) => println!(
                    "kubectl kustomize ({objects} objects, process start included): {PROCESS_RUNS} runs, median {median:.1} ms, p95 {p95:.1} ms; kubectl / akslint build + emit {:.0}x",
                    median / build_median
                ),
                _ => println!("kubectl kustomize: refuses the overlay or does not run"),
            }
        }
        None => println!("kubectl kustomize: skipped, no kubectl on PATH"),
    }

    match akslint_binary() {
        Some(binary) => {
            let mut command = Command::new(&binary);
            command.arg("check").arg(&overlay);
            match time_process(command) {
                Some((median, p95)) => println!(
                    "{} check (end to end): {PROCESS_RUNS} runs, median {median:.1} ms, p95 {p95:.1} ms",
                    binary.display()
                ),
                None => println!("{} check: does not run", binary.display()),
            }
        }
        None => println!(
            "akslint check: skipped (set AKSLINT_BIN, or cargo build --release --bin akslint)"
        ),
    }
}
