//! akslint's renderer against Helm's own engine (helm-python-sdk, installed by `.ci/run`), on
//! the 16 real charts of `../shared/helm-charts`, each rendered with its defaults (or the
//! `render-values/` file RENDER.tsv names) and with every values file of its `ci/` folder, and
//! so are the dependencies under `charts/` that have a `ci/` folder of their own. Every
//! template's output is compared byte for byte and, document for document, as parsed values;
//! a values set Helm refuses must be refused by akslint for the same template, or, when Helm
//! refuses it for its `values.schema.json`, have akslint's schema violations (akslint still
//! renders it), and a values set Helm renders must have none.
//! The figures are printed and recorded in docs/helm.md and docs/benchmarks.md; the test holds
//! the floor reached.

#[path = "support/fixtures.rs"]
mod fixtures;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_helm::chart::{self, Release};
use akslint_helm::render::value::{Kind, Value};

/// Differences accepted after review, each justified in docs/decisions.md ("Helm conformance on
/// the ci/ values"): chart folder (under helm-charts), values set, template, and the one value
/// (document and path) that may differ; the rest of that document must still equal Helm's.
/// Every entry must still be met, so that a fixed difference leaves the list.
const ACCEPTED: &[Accepted] = &[Accepted {
    chart: "kube-prometheus-stack",
    values: "ci/06-upgrade-crds-values.yaml",
    template: "kube-prometheus-stack/charts/crds/templates/upgrade/crds.yaml",
    path: "document 1.binaryData.crds.bz2",
}];

/// A difference from Helm accepted for one value of one rendering.
struct Accepted {
    chart: &'static str,
    values: &'static str,
    template: &'static str,
    path: &'static str,
}

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/helm-charts");
    dir.is_dir().then_some(dir)
}

fn skip(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why} under CI");
    }
    eprintln!("NOTICE: skipping the Helm oracle test: {why}");
}

/// Whether `python3` on PATH has helm-python-sdk.
fn has_oracle() -> bool {
    Command::new("python3")
        .args(["-c", "import helm_python"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One rendering to compare: a chart folder with a values file (`None`: its defaults).
struct Job {
    /// The chart folder under helm-charts (`argo-cd`, `argo-cd/charts/redis-ha`).
    chart: String,
    /// The values file under the chart folder or helm-charts, as the report names it.
    values_label: String,
    /// The values file.
    values: Option<PathBuf>,
}

/// What Helm made of a job: template name to text, or its refusal.
type HelmOutput = Result<BTreeMap<String, String>, String>;

/// Helm's answers by job, filled in by a thread reading the oracle while akslint renders.
#[derive(Default)]
struct HelmAnswers {
    answers: Mutex<Vec<Option<HelmOutput>>>,
    arrived: Condvar,
}

impl HelmAnswers {
    /// Waits for Helm's answer to job `index` and takes it.
    fn take(&self, index: usize) -> HelmOutput {
        let mut answers = self.answers.lock().expect("answers");
        loop {
            if let Some(answer) = answers.get_mut(index).and_then(Option::take) {
                return answer;
            }
            answers = self.arrived.wait(answers).expect("answers");
        }
    }
}

/// Starts one oracle process for every job (Helm's engine runs while akslint renders); its
/// answers arrive in the jobs' order.
fn helm_render_all(dir: &Path, jobs: &[Job]) -> Arc<HelmAnswers> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/helm_render.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut input = String::new();
    for job in jobs {
        let values = job
            .values
            .as_ref()
            .map_or_else(|| "-".to_owned(), |v| v.display().to_string());
        input.push_str(&format!("{}\t{values}\n", dir.join(&job.chart).display()));
    }
    let mut stdin = child.stdin.take().expect("stdin");
    std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().expect("stdout");
    let answers = Arc::new(HelmAnswers::default());
    let filled = Arc::clone(&answers);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let output = helm_output(&line.expect("a line"));
            filled.answers.lock().expect("answers").push(Some(output));
            filled.arrived.notify_all();
        }
        assert!(
            child.wait().expect("python3 ends").success(),
            "the oracle failed"
        );
    });
    answers
}

/// Renders one chart with Helm's engine (`values`: a values file, `None`: its defaults).
fn helm_render(dir: &Path, values: Option<&Path>) -> HelmOutput {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/helm_render.py");
    let values = values.map_or_else(|| "-".to_owned(), |v| v.display().to_string());
    let output = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .arg(values)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "the oracle failed");
    helm_output(&String::from_utf8_lossy(&output.stdout))
}

/// One answer of the oracle script: `{"templates": {name: text}}` or `{"error": message}`.
fn helm_output(line: &str) -> HelmOutput {
    let json: serde_json::Value = serde_json::from_str(line).expect("JSON");
    match json.get("error") {
        Some(error) => Err(error.as_str().unwrap_or_default().to_owned()),
        None => Ok(json["templates"]
            .as_object()
            .expect("templates")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect()),
    }
}

/// The first document of a YAML file as a value (`None` when it holds only comments).
fn values_file(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).expect("values file");
    let source = Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    let document = parsed.documents.first()?;
    Some(Value::from_tree(&document.tree, document.root?, usize::MAX))
}

/// A template's output as its YAML documents' values (`None` when it is not valid YAML), empty
/// documents left out as Helm leaves them out of a release.
fn documents(text: &str) -> Option<Vec<Value>> {
    let source = Arc::new(SourceFile::new(
        Path::new("rendered.yaml"),
        SourceKind::Yaml,
        text.to_owned(),
    ));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    if !parsed.problems.is_empty() {
        return None;
    }
    Some(
        parsed
            .documents
            .iter()
            .filter_map(|d| d.root.map(|root| Value::from_tree(&d.tree, root, 0)))
            .filter(|v| !matches!(v.kind, Kind::Nil))
            .collect(),
    )
}

/// How two parsed documents compare.
#[derive(PartialEq)]
enum Match {
    Same,
    /// Equal but for the accepted value.
    Accepted,
    /// Equal but for values generated at install time (and checksums of them).
    InstallTime,
    /// Different, at this path.
    Differs(String),
}

/// Compares akslint's document with Helm's: equal values (kinds and keys, origins ignored),
/// except that a string of akslint's holding its install-time placeholder, and the value of a
/// `checksum/…` key, match whatever Helm generated, and the value at `accepted` is not compared.
fn compare(ours: &Value, theirs: &Value, path: &str, accepted: Option<&str>) -> Match {
    if accepted == Some(path) {
        return Match::Accepted;
    }
    match (&ours.kind, &theirs.kind) {
        (Kind::Str(a), Kind::Str(b)) if a.as_str() == b.as_str() => Match::Same,
        (Kind::Str(a), _) if install_time(a.as_str()) => Match::InstallTime,
        (Kind::List(a), Kind::List(b)) if a.len() == b.len() => worst(
            a.iter()
                .zip(b.iter())
                .enumerate()
                .map(|(i, (x, y))| compare(x, y, &format!("{path}[{i}]"), accepted)),
        ),
        (Kind::Map(a), Kind::Map(b)) => {
            let (a, b) = (a.borrow(), b.borrow());
            if !a.keys().eq(b.keys()) {
                let only: Vec<&String> = a
                    .keys()
                    .filter(|k| !b.contains_key(*k))
                    .chain(b.keys().filter(|k| !a.contains_key(*k)))
                    .collect();
                return Match::Differs(format!("{path}: keys {only:?} on one side only"));
            }
            worst(a.iter().map(|(key, x)| {
                let inner = format!("{path}.{key}");
                if key.starts_with("checksum/") {
                    return match compare(x, &b[key], &inner, accepted) {
                        Match::Same => Match::Same,
                        _ => Match::InstallTime,
                    };
                }
                compare(x, &b[key], &inner, accepted)
            }))
        }
        (Kind::Nil, Kind::Nil) => Match::Same,
        (Kind::Bool(a), Kind::Bool(b)) if a == b => Match::Same,
        (Kind::Int(a), Kind::Int(b)) if a == b => Match::Same,
        (Kind::Float(a), Kind::Float(b)) if a == b => Match::Same,
        _ => Match::Differs(format!(
            "{path}: ours {:?} / Helm {:?}",
            shortened(&ours.scalar_text()),
            shortened(&theirs.scalar_text())
        )),
    }
}

/// The worst of several comparisons (the first difference, else an accepted one, else install
/// time, else same).
fn worst(matches: impl Iterator<Item = Match>) -> Match {
    let mut result = Match::Same;
    for m in matches {
        match m {
            Match::Differs(_) => return m,
            Match::Accepted => result = Match::Accepted,
            Match::InstallTime if result == Match::Same => result = Match::InstallTime,
            Match::InstallTime | Match::Same => {}
        }
    }
    result
}

fn shortened(text: &str) -> String {
    text.chars().take(160).collect()
}

/// Whether akslint wrote its install-time placeholder into a string, plainly or inside what
/// the string encodes in base64 (a Secret's data: `htpasswd` or `randAlphaNum` in a config file
/// that is then `b64enc`oded).
fn install_time(text: &str) -> bool {
    const PLACEHOLDER: &str = "akslint-generated-at-install";
    text.contains(PLACEHOLDER)
        || base64_decoded(text.trim())
            .is_some_and(|bytes| String::from_utf8_lossy(&bytes).contains(PLACEHOLDER))
}

/// Standard base64 decoded (`None` when the text is not base64).
fn base64_decoded(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digits = text.trim_end_matches('=');
    if digits.is_empty() || !text.len().is_multiple_of(4) {
        return None;
    }
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for c in digits.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == c)? as u32;
        buffer = (buffer << 6) | digit;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(bytes)
}

/// The renderings to compare: each chart of RENDER.tsv with its defaults or its render-values
/// file (and with its defaults too when Helm refuses them, to compare the refusal), then every
/// chart folder with a `ci/` folder (the charts and their dependencies) with each `ci/*.yaml`.
fn jobs(dir: &Path) -> Vec<Job> {
    let render_tsv = std::fs::read_to_string(dir.join("RENDER.tsv")).expect("RENDER.tsv");
    let mut jobs = Vec::new();
    let mut charts = Vec::new();
    for line in render_tsv.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let chart = fields[0].to_owned();
        if fields.get(1) == Some(&"no") {
            jobs.push(Job {
                chart: chart.clone(),
                values_label: "defaults".to_owned(),
                values: None,
            });
        }
        let values = fields.get(3).filter(|v| **v != "-" && !v.is_empty());
        jobs.push(Job {
            chart: chart.clone(),
            values_label: values.map_or_else(|| "defaults".to_owned(), |v| (*v).to_owned()),
            values: values.map(|v| dir.join(v)),
        });
        charts.push(chart);
    }
    for chart in charts {
        let mut folders = vec![chart.clone()];
        let mut subcharts: Vec<String> = std::fs::read_dir(dir.join(&chart).join("charts"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("ci").is_dir())
            .map(|e| format!("{chart}/charts/{}", e.file_name().to_string_lossy()))
            .collect();
        subcharts.sort();
        folders.extend(subcharts);
        for folder in folders {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(&folder).join("ci"))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect();
            files.sort();
            for file in files {
                jobs.push(Job {
                    chart: folder.clone(),
                    values_label: format!(
                        "ci/{}",
                        file.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    values: Some(file),
                });
            }
        }
    }
    jobs
}

/// Per chart folder: value sets, templates and documents compared, identical.
#[derive(Default)]
struct Counts {
    value_sets: usize,
    refused: usize,
    templates: usize,
    templates_identical: usize,
    documents: usize,
    documents_identical: usize,
    install_time: usize,
    /// akslint's time loading and rendering.
    akslint: std::time::Duration,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.value_sets += other.value_sets;
        self.refused += other.refused;
        self.templates += other.templates;
        self.templates_identical += other.templates_identical;
        self.documents += other.documents;
        self.documents_identical += other.documents_identical;
        self.install_time += other.install_time;
        self.akslint += other.akslint;
    }
}

/// What a worker found: counts by chart folder, differences, accepted differences met.
#[derive(Default)]
struct Findings {
    by_chart: BTreeMap<String, Counts>,
    differences: Vec<String>,
    accepted_met: Vec<bool>,
}

#[test]
fn every_template_renders_as_helm_renders_it() {
    let Some(dir) = shared() else {
        return skip("../shared/helm-charts is absent");
    };
    if !has_oracle() {
        return skip("helm-python-sdk is not installed (`pip install helm-python-sdk`)");
    }
    let started = std::time::Instant::now();
    let jobs = jobs(&dir);
    let answers = helm_render_all(&dir, &jobs);
    // Two workers (CI has 2 cores; Helm's engine runs in its own process meanwhile), each
    // taking the next job: akslint's values are not shared between threads, so each loads its
    // own charts.
    let next = AtomicUsize::new(0);
    let findings: Vec<Findings> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| work(&dir, &jobs, &next, &answers)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker"))
            .collect()
    });
    let mut by_chart: BTreeMap<String, Counts> = BTreeMap::new();
    let mut differences = Vec::new();
    let mut accepted_met = vec![false; ACCEPTED.len()];
    for found in findings {
        for (chart, counts) in found.by_chart {
            by_chart.entry(chart).or_default().add(&counts);
        }
        differences.extend(found.differences);
        for (i, met) in found.accepted_met.into_iter().enumerate() {
            accepted_met[i] |= met;
        }
    }
    let mut total = Counts::default();
    println!(
        "{:<44} {:>5} {:>7} {:>9} {:>9} {:>9} {:>9} {:>7} {:>8}",
        "chart",
        "sets",
        "refused",
        "templates",
        "identical",
        "documents",
        "equal",
        "install",
        "akslint"
    );
    for (chart, counts) in &by_chart {
        println!(
            "{chart:<44} {:>5} {:>7} {:>9} {:>9} {:>9} {:>9} {:>7} {:>6} ms",
            counts.value_sets,
            counts.refused,
            counts.templates,
            counts.templates_identical,
            counts.documents,
            counts.documents_identical,
            counts.install_time,
            counts.akslint.as_millis()
        );
        total.add(counts);
    }
    println!(
        "all: {} value sets ({} refused by Helm), {} of {} templates byte for byte identical, {} of {} documents equal as parsed values; {} templates differ only by values generated at install time, {} by an accepted difference; akslint loading and rendering {:.1} s (both workers), the whole test {:.1} s",
        total.value_sets,
        total.refused,
        total.templates_identical,
        total.templates,
        total.documents_identical,
        total.documents,
        total.install_time,
        ACCEPTED.len(),
        total.akslint.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    for difference in differences.iter().take(60) {
        println!("  {difference}");
    }
    for (i, met) in accepted_met.iter().enumerate() {
        let a = &ACCEPTED[i];
        assert!(
            met,
            "accepted difference no longer seen: {} with {}: {} at {}",
            a.chart, a.values, a.template, a.path
        );
    }
    assert!(
        total.templates > 6500 && total.value_sets > 150,
        "too few compared: {} templates in {} value sets",
        total.templates,
        total.value_sets
    );
    assert!(
        differences.is_empty(),
        "{} templates differ from Helm's",
        differences.len()
    );
}

/// A worker: renders the next job with akslint and compares it with Helm's answer, until no
/// job is left.
fn work(dir: &Path, jobs: &[Job], next: &AtomicUsize, answers: &HelmAnswers) -> Findings {
    let release = Release {
        name: "rel".to_owned(),
        ..Release::default()
    };
    let mut found = Findings {
        accepted_met: vec![false; ACCEPTED.len()],
        ..Findings::default()
    };
    let mut loaded: HashMap<&str, chart::Chart> = HashMap::new();
    let mut document_counts: HashMap<String, usize> = HashMap::new();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(index) else {
            return found;
        };
        let rendering = std::time::Instant::now();
        let chart = loaded.entry(job.chart.as_str()).or_insert_with(|| {
            chart::load(&dir.join(&job.chart)).unwrap_or_else(|e| panic!("{}: {e:?}", job.chart))
        });
        let ours = chart::render(chart, job.values.as_deref().and_then(values_file), &release);
        let counts = found.by_chart.entry(job.chart.clone()).or_default();
        counts.akslint += rendering.elapsed();
        counts.value_sets += 1;
        let label = format!("{} with {}", job.chart, job.values_label);
        let theirs = match answers.take(index) {
            Ok(theirs) => theirs,
            Err(refusal) => {
                counts.refused += 1;
                if let Some(difference) = compare_refusal(&ours, &refusal) {
                    found.differences.push(format!("{label}: {difference}"));
                }
                continue;
            }
        };
        for (name, _, error) in &ours.errors {
            found.differences.push(format!(
                "{label}: {name}: akslint refused ({}), Helm rendered it",
                error.message
            ));
        }
        for violation in &ours.violations {
            found.differences.push(format!(
                "{label}: akslint found the values break the schema of chart {} at '{}' ({}), Helm rendered them",
                violation.chart, violation.pointer, violation.message
            ));
        }
        let mine: BTreeMap<&str, &str> = ours
            .manifests
            .iter()
            .map(|m| (m.name.as_str(), m.text.as_str()))
            .collect();
        for (template, text) in &theirs {
            if template.ends_with("NOTES.txt") {
                continue;
            }
            counts.templates += 1;
            let mine = mine.get(template.as_str()).copied();
            if mine == Some(text.as_str()) {
                // The same output recurs across values sets: its documents are counted once.
                let count = *document_counts
                    .entry(text.clone())
                    .or_insert_with(|| documents(text).map_or(0, |d| d.len()));
                counts.documents += count;
                counts.templates_identical += 1;
                counts.documents_identical += count;
                continue;
            }
            let accepted = ACCEPTED.iter().position(|a| {
                a.chart == job.chart && a.values == job.values_label && a.template == template
            });
            let theirs_documents = documents(text).unwrap_or_default();
            counts.documents += theirs_documents.len();
            let outcome = match mine {
                None => Match::Differs("not rendered by akslint".to_owned()),
                Some(mine) => compare_documents(
                    mine,
                    text,
                    &theirs_documents,
                    accepted.map(|i| ACCEPTED[i].path),
                    counts,
                ),
            };
            match outcome {
                Match::Differs(why) => found
                    .differences
                    .push(format!("{label}: {template}: {why}")),
                Match::Accepted => found.accepted_met[accepted.expect("an accepted path")] = true,
                Match::InstallTime => counts.install_time += 1,
                Match::Same => {}
            }
        }
    }
}

/// Compares a template's output whose bytes differ from Helm's document for document, counting
/// the equal documents.
fn compare_documents(
    mine: &str,
    text: &str,
    theirs: &[Value],
    accepted: Option<&str>,
    counts: &mut Counts,
) -> Match {
    let Some(ours) = documents(mine) else {
        return Match::Differs(format!(
            "akslint's output is not YAML: {}",
            first_line_difference(mine, text)
        ));
    };
    if ours.len() != theirs.len() {
        return Match::Differs(format!(
            "{} documents / Helm {}: {}",
            ours.len(),
            theirs.len(),
            first_line_difference(mine, text)
        ));
    }
    let matches: Vec<Match> = ours
        .iter()
        .zip(theirs)
        .enumerate()
        .map(|(i, (a, b))| compare(a, b, &format!("document {}", i + 1), accepted))
        .collect();
    counts.documents_identical += matches.iter().filter(|m| **m == Match::Same).count();
    worst(matches.into_iter())
}

/// The first line where two texts differ, both sides.
fn first_line_difference(ours: &str, theirs: &str) -> String {
    for (i, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
        if a != b {
            return format!(
                "line {}: ours {:?} / Helm {:?}",
                i + 1,
                shortened(a),
                shortened(b)
            );
        }
    }
    format!(
        "lengths: ours {} lines / Helm {} lines",
        ours.lines().count(),
        theirs.lines().count()
    )
}

/// Compares akslint's rendering with Helm's refusal: `None` when akslint refuses it too.
/// A template's failure (`execution error at (TEMPLATE:LINE:COL): MESSAGE`) must be akslint's
/// failure of the same template with the same message; a values schema violation (`values don't
/// meet the specifications of the schema(s) in the following chart(s):` then each chart's name
/// and its `- at 'POINTER': …` lines) must be among akslint's recorded violations (akslint
/// renders all the same) for the same charts, at one of the same places at least.
fn compare_refusal(ours: &chart::RenderedChart, refusal: &str) -> Option<String> {
    let refused = if refusal.starts_with("values don't meet") {
        let charts: Vec<&str> = refusal
            .lines()
            .skip(1)
            .filter_map(|line| line.strip_suffix(':').filter(|l| !l.starts_with('-')))
            .collect();
        let places: Vec<&str> = refusal
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix("- at '"))
            .filter_map(|rest| rest.split_once('\'').map(|(pointer, _)| pointer))
            .collect();
        !charts.is_empty()
            && charts
                .iter()
                .all(|chart| ours.violations.iter().any(|v| v.chart == *chart))
            && places
                .iter()
                .any(|pointer| ours.violations.iter().any(|v| v.pointer == *pointer))
    } else {
        let (template, message) = refusal
            .split_once("execution error at (")
            .and_then(|(_, rest)| rest.split_once("): "))
            .map(|(place, message)| (place.split(':').next().unwrap_or_default(), message))
            .unwrap_or(("", refusal));
        ours.errors
            .iter()
            .any(|(name, _, error)| name == template && message.contains(error.message.as_str()))
    };
    (!refused).then(|| {
        format!(
            "Helm refused ({}), akslint {}",
            shortened(refusal),
            match (ours.errors.first(), ours.violations.first()) {
                (Some((name, _, error)), _) => format!("refused {name}: {}", error.message),
                (None, Some(violation)) => format!(
                    "found the schema of chart {} broken at '{}'",
                    violation.chart, violation.pointer
                ),
                (None, None) => "rendered it".to_owned(),
            }
        )
    })
}

/// akslint's rendering of a chart (without NOTES.txt), as Helm's is compared.
fn ours(dir: &Path, values: Option<&Path>) -> (BTreeMap<String, String>, usize) {
    let release = Release {
        name: "rel".to_owned(),
        ..Release::default()
    };
    let loaded = chart::load(dir).expect("the chart reads");
    let rendered = chart::render(&loaded, values.and_then(values_file), &release);
    let texts = rendered
        .manifests
        .iter()
        .filter(|m| !m.name.ends_with("NOTES.txt"))
        .map(|m| (m.name.clone(), m.text.as_str().to_owned()))
        .collect();
    (texts, rendered.violations.len())
}

#[test]
fn the_loading_fixtures_render_as_helm_renders_them() {
    if !has_oracle() {
        return skip("helm-python-sdk is not installed (`pip install helm-python-sdk`)");
    }
    let temp = tempfile::tempdir().expect("temp dir");
    // A dependency packed as .tgz, with both forms of `import-values`; the same unpacked.
    let packed = temp.path().join("packed");
    fixtures::write(&packed, fixtures::PARENT_CHART);
    fixtures::pack(
        &packed.join("charts/cache-1.0.0.tgz"),
        "cache",
        fixtures::CACHE_CHART,
    );
    let unpacked = temp.path().join("unpacked");
    fixtures::write(&unpacked, fixtures::PARENT_CHART);
    fixtures::write(&unpacked.join("charts/cache"), fixtures::CACHE_CHART);
    let crds = temp.path().join("crds");
    fixtures::write(&crds, fixtures::CRDS_CHART);
    let schema = temp.path().join("schema");
    fixtures::write(&schema, fixtures::SCHEMA_CHART);
    let good = temp.path().join("good.yaml");
    std::fs::write(&good, fixtures::SCHEMA_CHART_GOOD_VALUES).expect("write");
    for (dir, values) in [
        (&packed, None),
        (&unpacked, None),
        (&crds, None),
        (&schema, Some(good.as_path())),
    ] {
        let theirs = helm_render(dir, values).unwrap_or_else(|e| panic!("Helm refused: {e}"));
        let theirs: BTreeMap<String, String> = theirs
            .into_iter()
            .filter(|(name, _)| !name.ends_with("NOTES.txt"))
            .collect();
        let (mine, violations) = ours(dir, values);
        assert_eq!(mine, theirs, "{}", dir.display());
        assert_eq!(violations, 0, "{}", dir.display());
    }
    // Values that break the schema: Helm refuses them, akslint reports each violation.
    let refusal = helm_render(&schema, None).expect_err("Helm refuses the values");
    assert!(
        refusal.contains("values don't meet the specifications of the schema"),
        "{refusal}"
    );
    assert!(
        refusal.contains("port") && refusal.contains("image"),
        "{refusal}"
    );
    let (_, violations) = ours(&schema, None);
    assert_eq!(violations, 2);
}
