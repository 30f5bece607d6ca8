//! akslint's renderer against Helm's own engine (helm-python-sdk, installed by `.ci/run`), on
//! the 16 real charts of `../shared/helm-charts`: every template's output compared byte for byte.
//! The figures are printed and recorded in docs/helm.md; the test holds the floor reached.

#[path = "support/fixtures.rs"]
mod fixtures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_helm::chart::{self, Release};
use akslint_helm::render::value::Value;

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

/// Helm's rendering of a chart: template name to text, or its refusal.
fn helm_render(chart: &Path, values: Option<&Path>) -> Result<BTreeMap<String, String>, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/helm_render.py");
    let values = values.map_or_else(|| "-".to_owned(), |v| v.display().to_string());
    let output = Command::new("python3")
        .arg(&script)
        .arg(chart)
        .arg(values)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    if let Some(error) = json.get("error") {
        return Err(error.as_str().unwrap_or_default().to_owned());
    }
    Ok(json["templates"]
        .as_object()
        .expect("templates")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect())
}

fn values_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("values file");
    let source = std::sync::Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    let document = &parsed.documents[0];
    Value::from_tree(&document.tree, document.root.expect("a root"), usize::MAX)
}

/// The first line where two texts differ other than by install-time values, both sides.
fn first_difference(ours: &str, theirs: &str) -> String {
    for (i, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
        if a != b && !install_time_line(a) {
            return format!("line {}: ours {a:?} / Helm {b:?}", i + 1);
        }
    }
    format!(
        "lengths: ours {} lines / Helm {} lines",
        ours.lines().count(),
        theirs.lines().count()
    )
}

#[test]
fn every_template_renders_as_helm_renders_it() {
    let Some(dir) = shared() else {
        return skip("../shared/helm-charts is absent");
    };
    if !has_oracle() {
        return skip("helm-python-sdk is not installed (`pip install helm-python-sdk`)");
    }
    let render_tsv = std::fs::read_to_string(dir.join("RENDER.tsv")).expect("RENDER.tsv");
    let release = Release {
        name: "rel".to_owned(),
        ..Release::default()
    };
    let (mut compared, mut identical, mut install_time) = (0, 0, 0);
    let mut differences = Vec::new();
    for line in render_tsv.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let name = fields[0];
        let values = fields
            .get(3)
            .filter(|v| **v != "-" && !v.is_empty())
            .map(|v| dir.join(v));
        let theirs = helm_render(&dir.join(name), values.as_deref())
            .unwrap_or_else(|e| panic!("{name}: Helm refused: {e}"));
        let loaded = chart::load(&dir.join(name)).expect("the chart reads");
        let ours = chart::render(&loaded, values.as_deref().map(values_file), &release);
        let ours: BTreeMap<&str, &str> = ours
            .manifests
            .iter()
            .map(|m| (m.name.as_str(), m.text.as_str()))
            .collect();
        let (mut chart_compared, mut chart_identical, mut chart_install_time) = (0, 0, 0);
        for (template, text) in &theirs {
            if template.ends_with("NOTES.txt") {
                continue;
            }
            chart_compared += 1;
            match ours.get(template.as_str()) {
                Some(mine) if mine == text => chart_identical += 1,
                Some(mine) if differs_by_install_time_values(mine, text) => chart_install_time += 1,
                Some(mine) => {
                    differences.push(format!("{template}: {}", first_difference(mine, text)))
                }
                None => differences.push(format!("{template}: not rendered by akslint")),
            }
        }
        println!(
            "{name:<34} {chart_identical:>4} of {chart_compared:<4} identical, {chart_install_time} differ by install-time values only"
        );
        compared += chart_compared;
        identical += chart_identical;
        install_time += chart_install_time;
    }
    println!(
        "all charts: {identical} of {compared} templates byte for byte identical to Helm's; {install_time} differ only by values generated at install time"
    );
    for difference in differences.iter().take(40) {
        println!("  {difference}");
    }
    assert!(compared > 800, "too few templates compared: {compared}");
    assert!(
        differences.is_empty(),
        "{} templates differ from Helm's",
        differences.len()
    );
}

/// Whether two renderings differ only on lines where Helm wrote a value generated at install
/// time (see [`install_time_line`]).
fn differs_by_install_time_values(ours: &str, theirs: &str) -> bool {
    ours.lines().count() == theirs.lines().count()
        && ours
            .lines()
            .zip(theirs.lines())
            .all(|(a, b)| a == b || install_time_line(a))
}

/// Whether a line of akslint's rendering holds a value generated at install time: akslint's
/// placeholder (plain or base64), or a checksum annotation (`checksum/secret: …`), which hashes
/// such values.
fn install_time_line(line: &str) -> bool {
    const PLACEHOLDER: &str = "akslint-generated-at-install";
    const PLACEHOLDER_BASE64: &str = "YWtzbGludC1nZW5lcmF0ZWQtYXQtaW5zdGFsbA";
    line.contains(PLACEHOLDER)
        || line.contains(PLACEHOLDER_BASE64)
        || line.trim_start().starts_with("checksum/")
}

/// akslint's rendering of a chart (without NOTES.txt), as Helm's is compared.
fn ours(dir: &Path, values: Option<&Path>) -> (BTreeMap<String, String>, usize) {
    let release = Release {
        name: "rel".to_owned(),
        ..Release::default()
    };
    let loaded = chart::load(dir).expect("the chart reads");
    let rendered = chart::render(&loaded, values.map(values_file), &release);
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
