//! Chart rendering time against Helm's own engine: `cargo bench -p akslint-helm --bench charts`.
//!
//! On the real charts of `../shared/helm-charts` (each with the values `RENDER.tsv` names when
//! its defaults are refused), measures, median of many runs:
//!
//! - akslint's load and render of each chart in-process ([`chart::load`] then [`chart::render`],
//!   the files read from disk (page cache) every run), and of the whole set one chart after the
//!   other;
//! - Helm's load and render of the same charts with the same values (helm-python-sdk, Helm's Go
//!   SDK as a shared library, timed inside Python: its start is not counted; `benches/
//!   helm_time.py`), when `python3` on PATH has it;
//! - `akslint check` on each chart and on the whole folder, end to end (discovery, every template
//!   rendered and linted, the values files, CRDs and other YAML linted, the report), when
//!   `AKSLINT_BIN` names a binary or `target/release/akslint` exists.
//!
//! Figures go to stdout; record them in `docs/benchmarks.md` ("Helm charts from source").

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_helm::chart::{self, Release};
use akslint_helm::render::value::Value;

/// The least time, and runs, each in-process measurement takes.
const IN_PROCESS_TIME: Duration = Duration::from_millis(600);
const IN_PROCESS_RUNS: usize = 10;
/// Runs of each process, and of Helm's render per chart.
const PROCESS_RUNS: usize = 10;

/// The shared charts' folder.
fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/helm-charts");
    dir.is_dir().then_some(dir)
}

/// A chart of the set and the values file it renders with (`None`: its defaults).
struct SharedChart {
    name: String,
    dir: PathBuf,
    values: Option<PathBuf>,
}

/// The charts `RENDER.tsv` lists.
fn charts(dir: &Path) -> Vec<SharedChart> {
    let table = std::fs::read_to_string(dir.join("RENDER.tsv")).unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let name = fields.first().filter(|n| !n.is_empty())?;
            Some(SharedChart {
                name: (*name).to_owned(),
                dir: dir.join(name),
                values: fields
                    .get(3)
                    .filter(|v| **v != "-" && !v.is_empty())
                    .map(|v| dir.join(v)),
            })
        })
        .collect()
}

/// A values file read as the renderer's overrides.
fn values_file(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let source = Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    let document = parsed.documents.first()?;
    Some(Value::from_tree(&document.tree, document.root?, usize::MAX))
}

/// Loads and renders a chart; the number of templates rendered and of failures.
fn render(chart: &SharedChart) -> (usize, usize) {
    let Ok(loaded) = chart::load(&chart.dir) else {
        return (0, 1);
    };
    let overrides = chart.values.as_deref().and_then(values_file);
    let rendered = chart::render(&loaded, overrides, &Release::default());
    let counts = (rendered.manifests.len(), rendered.errors.len());
    black_box(rendered);
    counts
}

/// The CPU time this thread has run: on a busy machine the wall time of a run says more about
/// the other processes.
fn thread_cpu() -> Duration {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
        .map_or(Duration::ZERO, Duration::from)
}

/// The CPU time of this process's waited-for children, from `/proc/self/stat` (Linux, in clock
/// ticks of 10 ms; zero elsewhere).
fn children_cpu() -> Duration {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // After the command's name: the state (field 3), then fields 4 and on; cutime and
            // cstime are fields 16 and 17.
            let fields: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
            Some(field(16)? + field(17)?)
        })
        .map_or(Duration::ZERO, |ticks| Duration::from_millis(ticks * 10))
}

/// The median and the 95th percentile of `seconds`, in milliseconds.
fn median_p95(mut seconds: Vec<f64>) -> (f64, f64) {
    seconds.sort_by(f64::total_cmp);
    let at = |q: f64| seconds[((seconds.len() - 1) as f64 * q).round() as usize] * 1e3;
    (at(0.5), at(0.95))
}

/// A measurement: the runs, the median and 95th percentile wall time and the median CPU time
/// of a run, in milliseconds.
struct Timing {
    runs: usize,
    median: f64,
    p95: f64,
    cpu: f64,
}

/// Times `run` until it has run `IN_PROCESS_RUNS` times and for `IN_PROCESS_TIME`.
fn time_in_process(mut run: impl FnMut()) -> Timing {
    run(); // warm-up
    let started = Instant::now();
    let (mut seconds, mut cpu) = (Vec::new(), Vec::new());
    while seconds.len() < IN_PROCESS_RUNS || started.elapsed() < IN_PROCESS_TIME {
        let (run_started, cpu_started) = (Instant::now(), thread_cpu());
        run();
        seconds.push(run_started.elapsed().as_secs_f64());
        cpu.push((thread_cpu() - cpu_started).as_secs_f64());
    }
    let runs = seconds.len();
    let (median, p95) = median_p95(seconds);
    let (cpu, _) = median_p95(cpu);
    Timing {
        runs,
        median,
        p95,
        cpu,
    }
}

/// Times `command` `PROCESS_RUNS` times (after one warm-up run); the CPU time is the mean of
/// the runs (user and system, all threads); `None` if it does not run.
fn time_process(mut command: Command) -> Option<Timing> {
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command.status().ok()?;
    let mut seconds = Vec::new();
    let cpu_started = children_cpu();
    for _ in 0..PROCESS_RUNS {
        let started = Instant::now();
        command.status().ok()?;
        seconds.push(started.elapsed().as_secs_f64());
    }
    let cpu = (children_cpu() - cpu_started).as_secs_f64() * 1e3 / PROCESS_RUNS as f64;
    let (median, p95) = median_p95(seconds);
    Some(Timing {
        runs: PROCESS_RUNS,
        median,
        p95,
        cpu,
    })
}

/// Helm's median render time per chart folder, wall and CPU, in milliseconds, when
/// helm-python-sdk runs.
fn helm_times(charts: &[SharedChart]) -> Option<HashMap<PathBuf, (f64, f64)>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/helm_time.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(PROCESS_RUNS.to_string())
        .args(charts.iter().map(|c| {
            let values = c
                .values
                .as_deref()
                .map_or_else(|| "-".to_owned(), |v| v.display().to_string());
            format!("{}:{values}", c.dir.display())
        }))
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let dir = PathBuf::from(fields.next()?);
                let wall = fields.next()?.parse().ok()?;
                let cpu = fields.next()?.parse().ok()?;
                Some((dir, (wall, cpu)))
            })
            .collect(),
    )
}

/// The akslint binary to time: `AKSLINT_BIN` (relative to the workspace), or the workspace's
/// release build.
fn akslint_binary() -> Option<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if let Some(path) = std::env::var_os("AKSLINT_BIN") {
        return Some(workspace.join(path));
    }
    let release = workspace.join("target/release/akslint");
    release.is_file().then_some(release)
}

/// `akslint check` on `target` (a chart or the set), timed.
fn time_check(binary: &Path, target: &Path) -> Option<Timing> {
    let mut command = Command::new(binary);
    command.arg("check").arg(target).args(["--format", "json"]);
    time_process(command)
}

/// Milliseconds, or `-`.
fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

fn main() {
    let Some(dir) = shared() else {
        eprintln!("charts bench: ../shared/helm-charts is absent; nothing to measure");
        return;
    };
    let charts = charts(&dir);
    let helm = helm_times(&charts);
    if helm.is_none() {
        println!("Helm: skipped, python3 on PATH has no helm-python-sdk");
    }
    let binary = akslint_binary();
    println!(
        "Milliseconds; wall = median wall time, cpu = median CPU time of a run; render = load + render in-process; check = `akslint check CHART` end to end (process)"
    );
    println!(
        "{:<38} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7} {:>7}",
        "chart (templates rendered)",
        "wall",
        "p95",
        "cpu",
        "Helm",
        "cpu",
        "Helm/us",
        "check",
        "cpu"
    );
    let (mut ours_total, mut ours_cpu, mut helm_total, mut helm_cpu) = (0.0, 0.0, 0.0, 0.0);
    for chart in &charts {
        let (templates, failures) = render(chart);
        let ours = time_in_process(|| {
            black_box(render(chart));
        });
        ours_total += ours.median;
        ours_cpu += ours.cpu;
        let theirs = helm.as_ref().and_then(|h| h.get(&chart.dir)).copied();
        if let Some((wall, cpu)) = theirs {
            helm_total += wall;
            helm_cpu += cpu;
        }
        let check = binary.as_deref().and_then(|b| time_check(b, &chart.dir));
        let failed = if failures > 0 {
            format!(", {failures} failed")
        } else {
            String::new()
        };
        println!(
            "{:<38} {:>7.1} {:>7.1} {:>7.1} {:>7} {:>7} {:>9} {:>7} {:>7}",
            format!("{} ({templates}{failed})", chart.name),
            ours.median,
            ours.p95,
            ours.cpu,
            ms(theirs.map(|t| t.0)),
            ms(theirs.map(|t| t.1)),
            theirs.map_or_else(|| "-".to_owned(), |t| format!("{:.1}x", t.0 / ours.median)),
            ms(check.as_ref().map(|c| c.median)),
            ms(check.as_ref().map(|c| c.cpu)),
        );
    }
    let all = time_in_process(|| {
        for chart in &charts {
            black_box(render(chart));
        }
    });
    println!(
        "all {} charts one after the other, akslint load + render: {} runs, median {:.1} ms (cpu {:.1} ms), p95 {:.1} ms; sum of the charts' medians {ours_total:.1} ms (cpu {ours_cpu:.1} ms)",
        charts.len(),
        all.runs,
        all.median,
        all.cpu,
        all.p95
    );
    if helm.is_some() {
        println!(
            "Helm load + render, sum of the charts' medians: {helm_total:.1} ms (cpu {helm_cpu:.1} ms); Helm / akslint {:.1}x wall, {:.1}x cpu",
            helm_total / ours_total,
            helm_cpu / ours_cpu
        );
    }
    match binary {
        Some(binary) => match time_check(&binary, &dir) {
            Some(check) => println!(
                "{} check {} (end to end, every file of the set, on all cores): {} runs, median {:.0} ms, p95 {:.0} ms, cpu {:.0} ms",
                binary.display(),
                dir.display(),
                check.runs,
                check.median,
                check.p95,
                check.cpu
            ),
            None => println!("{} check: does not run", binary.display()),
        },
        None => println!(
            "akslint check: skipped (set AKSLINT_BIN, or cargo build --release --bin akslint)"
        ),
    }
}
