//! Chart loading as Helm does it: `values.schema.json` checked against the coalesced values
//! (every violation placed at the value that breaks it), dependencies packed as `.tgz`,
//! `import-values` in both forms, and `crds/` never rendered.

#[path = "support/fixtures.rs"]
mod fixtures;

use std::path::{Path, PathBuf};

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_helm::chart::{self, Release};
use akslint_helm::output::render_dir;
use akslint_helm::render::value::Value;

fn values(path: &Path, text: &str) -> Value {
    let source = std::sync::Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    let document = &parsed.documents[0];
    Value::from_tree(&document.tree, document.root.expect("a root"), usize::MAX)
}

#[test]
fn schema_violations_are_placed_at_the_values_that_break_them_and_templates_still_render() {
    let dir = tempfile::tempdir().expect("temp dir");
    fixtures::write(dir.path(), fixtures::SCHEMA_CHART);
    let output = render_dir(dir.path(), &Release::default()).expect("the chart reads");
    assert_eq!(
        output.templates.len(),
        1,
        "the template renders all the same"
    );
    let found: Vec<(String, String, &str)> = output
        .violations
        .iter()
        .map(|v| {
            let (path, text) = output.file(v.source.file).expect("a file");
            let span = v.source.span;
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                v.pointer.clone(),
                &text[span.start as usize..span.end as usize],
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("values.yaml".to_owned(), String::new(), ""),
            ("values.yaml".to_owned(), "/port".to_owned(), "\"8080\""),
        ],
        "{:?}",
        output.violations
    );
    let missing = &output.violations[0];
    assert_eq!(missing.source.span.start, 0, "at the values file's start");
    assert!(missing.message.contains("image"), "{}", missing.message);
    assert!(
        output.violations[1]
            .helm_message()
            .starts_with("values don't meet the specifications of the schema(s) in the following chart(s): shop: at '/port'"),
        "{}",
        output.violations[1].helm_message()
    );
    // Values that meet the schema: no violation.
    let loaded = chart::load(dir.path()).expect("the chart reads");
    let good = values(Path::new("good.yaml"), fixtures::SCHEMA_CHART_GOOD_VALUES);
    let rendered = chart::render(&loaded, Some(good), &Release::default());
    assert!(rendered.violations.is_empty(), "{:?}", rendered.violations);
}

#[test]
fn a_dependency_schema_is_checked_against_its_section_of_the_parent_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    fixtures::write(dir.path(), fixtures::PARENT_CHART);
    fixtures::write(&dir.path().join("charts/cache"), fixtures::CACHE_CHART);
    fixtures::write(
        dir.path(),
        &[("values.yaml", "ttl: 60\ncache:\n  size: 9\n")],
    );
    let output = render_dir(dir.path(), &Release::default()).expect("the chart reads");
    assert_eq!(output.violations.len(), 1, "{:?}", output.violations);
    let violation = &output.violations[0];
    assert_eq!(
        (violation.chart.as_str(), violation.pointer.as_str()),
        ("cache", "/size")
    );
    let (path, text) = output.file(violation.source.file).expect("a file");
    assert_eq!(
        path,
        dir.path().join("values.yaml"),
        "the parent's key set it"
    );
    assert_eq!(
        &text[violation.source.span.start as usize..violation.source.span.end as usize],
        "9"
    );
}

/// The texts of a chart's templates, by Helm's name.
fn texts(dir: &Path) -> Vec<(String, String, PathBuf)> {
    let output = render_dir(dir, &Release::default()).expect("the chart reads");
    assert!(output.failures.is_empty(), "{:?}", output.failures);
    assert!(output.violations.is_empty(), "{:?}", output.violations);
    output
        .templates
        .iter()
        .map(|t| (t.name.clone(), t.text.clone(), t.path.clone()))
        .collect()
}

#[test]
fn a_packed_dependency_renders_as_the_same_dependency_unpacked() {
    let unpacked = tempfile::tempdir().expect("temp dir");
    fixtures::write(unpacked.path(), fixtures::PARENT_CHART);
    fixtures::write(&unpacked.path().join("charts/cache"), fixtures::CACHE_CHART);
    let packed = tempfile::tempdir().expect("temp dir");
    fixtures::write(packed.path(), fixtures::PARENT_CHART);
    let archive = packed.path().join("charts/cache-1.0.0.tgz");
    fixtures::pack(&archive, "cache", fixtures::CACHE_CHART);

    let from_folder = texts(unpacked.path());
    let from_archive = texts(packed.path());
    let names_and_texts = |all: &[(String, String, PathBuf)]| -> Vec<(String, String)> {
        all.iter().map(|(n, t, _)| (n.clone(), t.clone())).collect()
    };
    assert_eq!(
        names_and_texts(&from_folder),
        names_and_texts(&from_archive)
    );
    assert_eq!(from_archive.len(), 2);
    let cache = from_archive
        .iter()
        .find(|(name, _, _)| name == "web/charts/cache/templates/cm.yaml")
        .expect("the packed dependency's template rendered");
    assert_eq!(
        cache.2,
        archive.join("templates/cm.yaml"),
        "placed in the archive"
    );
    assert!(cache.1.contains("size: \"3\""), "{}", cache.1);
    // `import-values`: the exported `settings` (the parent's own `ttl` wins) and `limits` at
    // `cacheLimits`.
    let parent = &from_archive
        .iter()
        .find(|(name, _, _)| name == "web/templates/cm.yaml")
        .expect("the parent's template")
        .1;
    assert!(
        parent.contains("name: release-name-cache-client"),
        "{parent}"
    );
    assert!(parent.contains("ttl: \"60\""), "{parent}");
    assert!(parent.contains("mode: \"lru\""), "{parent}");
    assert!(parent.contains("memory: \"1Gi\""), "{parent}");
}

#[test]
fn values_imported_from_a_packed_dependency_point_into_the_archive() {
    let dir = tempfile::tempdir().expect("temp dir");
    fixtures::write(dir.path(), fixtures::PARENT_CHART);
    let archive = dir.path().join("charts/cache-1.0.0.tgz");
    fixtures::pack(&archive, "cache", fixtures::CACHE_CHART);
    let output = render_dir(dir.path(), &Release::default()).expect("the chart reads");
    let parent = output
        .templates
        .iter()
        .find(|t| t.name == "web/templates/cm.yaml")
        .expect("rendered");
    let at = parent.text.find("1Gi").expect("the imported memory");
    let sources = parent.sources_in(at..at + 3);
    let (path, text) = output.file(sources[0].file).expect("a file");
    assert_eq!(path, archive.join("values.yaml"));
    assert_eq!(
        &text[sources[0].span.start as usize..sources[0].span.end as usize],
        "1Gi"
    );
}

#[test]
fn a_broken_archive_is_a_load_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    fixtures::write(dir.path(), fixtures::PARENT_CHART);
    fixtures::write(dir.path(), &[("charts/cache-1.0.0.tgz", "not gzip")]);
    let error = chart::load(dir.path()).expect_err("the archive does not read");
    assert_eq!(error.path, dir.path().join("charts/cache-1.0.0.tgz"));
}

#[test]
fn crds_are_files_never_templates() {
    let dir = tempfile::tempdir().expect("temp dir");
    fixtures::write(dir.path(), fixtures::CRDS_CHART);
    let crd = dir.path().join("crds/widgets.yaml");
    let text = std::fs::read_to_string(&crd).expect("read");
    assert!(
        !akslint_helm::is_chart_template(&crd, &text),
        "linted as plain YAML"
    );
    let output = texts(dir.path());
    let names: Vec<&str> = output.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["widgets/templates/widget.yaml"],
        "crds/ is never rendered"
    );
}

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/helm-charts");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is absent under CI", dir.display());
    }
    eprintln!("NOTICE: skipping: ../shared/helm-charts is absent");
    None
}

#[test]
fn shared_charts_meet_their_schemas_with_the_values_helm_renders_them_with() {
    let Some(dir) = shared() else {
        return;
    };
    let render_tsv = std::fs::read_to_string(dir.join("RENDER.tsv")).expect("RENDER.tsv");
    let mut with_schema = 0;
    for line in render_tsv.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let name = fields[0];
        let loaded = chart::load(&dir.join(name)).expect("the chart reads");
        with_schema += usize::from(loaded.files.iter().any(|(p, _)| p == "values.schema.json"));
        let defaults = chart::render(&loaded, None, &Release::default());
        if name == "external-dns" {
            // Helm refuses its defaults: `policy` is required and not set.
            assert_eq!(defaults.violations.len(), 1, "{:?}", defaults.violations);
            assert_eq!(defaults.violations[0].pointer, "");
            assert!(defaults.violations[0].message.contains("policy"));
        } else {
            assert!(
                defaults.violations.is_empty(),
                "{name}: {:?}",
                defaults.violations
            );
        }
        if let Some(file) = fields.get(3).filter(|v| **v != "-" && !v.is_empty()) {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).expect("values file");
            let rendered = chart::render(&loaded, Some(values(&path, &text)), &Release::default());
            assert!(
                rendered.violations.is_empty(),
                "{name}: {:?}",
                rendered.violations
            );
        }
    }
    assert_eq!(with_schema, 7, "charts with a values.schema.json");
}
