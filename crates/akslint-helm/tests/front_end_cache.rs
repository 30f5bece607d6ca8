//! The front end keeps a chart's rendering while the files its loading read are unchanged:
//! a values file or a template changed on disk, or a template added, renders the chart again;
//! so does a values set's values file or a packed dependency (`.tgz`) changed; within a run
//! over unchanging files (`akslint check`) the files are checked once. An editor's texts of
//! the values file give one rendering that the chart's templates share, kept while those
//! texts stay the same.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use akslint_core::{DiskLoader, Limits, SharedSource, SourceFile, SourceKind, SourceLoader};
use akslint_helm::{HelmFrontEnd, ValuesSet};

// (The shared chart fixtures; these tests use only `write` and `pack`.)
#[allow(dead_code)]
#[path = "support/fixtures.rs"]
mod fixtures;

/// What the template at `path` renders to, its text read from disk.
fn rendered(front_end: &HelmFrontEnd, path: &Path) -> String {
    rendered_with(front_end, path, &[])
}

/// What the template at `path` renders to with the values sets `sets`, its text read from disk.
fn rendered_with(front_end: &HelmFrontEnd, path: &Path, sets: &[ValuesSet]) -> String {
    rendered_by(front_end, path, sets, &DiskLoader::default())
}

/// What the template at `path` (its text from disk) renders to with the values sets `sets`,
/// the other files read through `loader`.
fn rendered_by(
    front_end: &HelmFrontEnd,
    path: &Path,
    sets: &[ValuesSet],
    loader: &dyn SourceLoader,
) -> String {
    let text = std::fs::read_to_string(path).expect("the template");
    let file = Arc::new(SourceFile::new(path, SourceKind::Yaml, text));
    let parsed = front_end.parse_template(&file, path, &Limits::default(), sets, loader);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    parsed
        .rendered
        .map(|r| r.file.text().to_owned())
        .unwrap_or_default()
}

/// Writes a file after a pause longer than the file system's clock tick, so that its
/// modification time differs from the last one.
fn rewrite(path: &Path, text: &str) {
    std::thread::sleep(Duration::from_millis(30));
    std::fs::write(path, text).expect("write");
}

#[test]
fn a_change_on_disk_renders_the_chart_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = new_chart(dir.path(), "web");
    std::fs::write(chart.join("values.yaml"), "colour: teal\n").expect("write");
    let first = chart.join("templates/first.yaml");
    std::fs::write(&first, "colour: {{ .Values.colour }}\n").expect("write");
    let front_end = HelmFrontEnd::new();
    assert_eq!(rendered(&front_end, &first), "colour: teal\n");

    rewrite(&chart.join("values.yaml"), "colour: vermilion\n");
    assert_eq!(rendered(&front_end, &first), "colour: vermilion\n");

    rewrite(&first, "shade: {{ .Values.colour }}\n");
    assert_eq!(rendered(&front_end, &first), "shade: vermilion\n");

    // A template added: the folder listed changed.
    let second = chart.join("templates/second.yaml");
    rewrite(&second, "again: {{ .Values.colour | upper }}\n");
    assert_eq!(rendered(&front_end, &second), "again: VERMILION\n");

    // A helper added that the first template now uses.
    rewrite(
        &chart.join("templates/_helpers.tpl"),
        "{{- define \"web.shade\" -}}{{ .Values.colour | title }}{{- end }}\n",
    );
    rewrite(&first, "shade: {{ include \"web.shade\" . }}\n");
    assert_eq!(rendered(&front_end, &first), "shade: Vermilion\n");

    // In a run the files are checked once: a change during it is seen by the next run.
    let run = front_end.start_run();
    assert_eq!(rendered(&front_end, &first), "shade: Vermilion\n");
    rewrite(&chart.join("values.yaml"), "colour: ochre\n");
    assert_eq!(rendered(&front_end, &first), "shade: Vermilion\n");
    drop(run);
    let _run = front_end.start_run();
    assert_eq!(rendered(&front_end, &first), "shade: Ochre\n");
}

#[test]
fn an_editor_text_renders_without_replacing_the_chart_on_disk() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = new_chart(dir.path(), "api");
    std::fs::write(chart.join("values.yaml"), "port: 8443\n").expect("write");
    let path = chart.join("templates/svc.yaml");
    std::fs::write(&path, "port: {{ .Values.port }}\n").expect("write");
    let front_end = HelmFrontEnd::new();
    assert_eq!(rendered(&front_end, &path), "port: 8443\n");
    let edited = Arc::new(SourceFile::new(
        &path,
        SourceKind::Yaml,
        "targetPort: {{ .Values.port }}\n",
    ));
    let parsed = front_end.parse_template(
        &edited,
        &path,
        &Limits::default(),
        &[],
        &DiskLoader::default(),
    );
    let text = parsed.rendered.map(|r| r.file.text().to_owned());
    assert_eq!(text.as_deref(), Some("targetPort: 8443\n"));
    assert_eq!(rendered(&front_end, &path), "port: 8443\n");
}

#[test]
fn a_values_set_file_changed_renders_the_chart_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("queue");
    fixtures::write(
        &chart,
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: queue\nversion: 1.0.0\n",
            ),
            ("values.yaml", "size: 3\n"),
            ("templates/cm.yaml", "size: {{ .Values.size }}\n"),
        ],
    );
    let prod = dir.path().join("prod.yaml");
    std::fs::write(&prod, "size: 7\n").expect("write");
    let sets = [ValuesSet {
        name: "prod".to_owned(),
        files: vec![prod.clone()],
        ..ValuesSet::default()
    }];
    let template = chart.join("templates/cm.yaml");
    let front_end = HelmFrontEnd::new();
    assert_eq!(rendered_with(&front_end, &template, &sets), "size: 7\n");
    assert_eq!(rendered(&front_end, &template), "size: 3\n");
    rewrite(&prod, "size: 11\n");
    assert_eq!(rendered_with(&front_end, &template, &sets), "size: 11\n");
}

#[test]
fn a_packed_dependency_changed_renders_the_chart_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path().join("app");
    fixtures::write(
        &chart,
        &[
            ("Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n"),
            (
                "templates/app.yaml",
                "ttl: {{ .Subcharts.cache.Values.ttl }}\n",
            ),
        ],
    );
    let archive = chart.join("charts/cache-1.0.0.tgz");
    let pack = |values: &str| {
        fixtures::pack(
            &archive,
            "cache",
            &[
                (
                    "Chart.yaml",
                    "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
                ),
                ("values.yaml", values),
            ],
        );
    };
    pack("ttl: 5\n");
    let template = chart.join("templates/app.yaml");
    let front_end = HelmFrontEnd::new();
    assert_eq!(rendered(&front_end, &template), "ttl: 5\n");
    // The archive is one file read: rewritten, it renders the chart again.
    std::thread::sleep(Duration::from_millis(30));
    pack("ttl: 90\n");
    assert_eq!(rendered(&front_end, &template), "ttl: 90\n");
}

/// An editor: the unsaved texts it has of some files, the others from disk.
#[derive(Default)]
struct Editor(Mutex<HashMap<PathBuf, String>>);

impl Editor {
    /// The editor has `text` for the file at `path` (`None`: it closed the file).
    fn set(&self, path: &Path, text: Option<&str>) {
        let mut texts = self.0.lock().expect("the texts");
        match text {
            Some(text) => texts.insert(path.to_path_buf(), text.to_owned()),
            None => texts.remove(path),
        };
    }
}

impl SourceLoader for Editor {
    fn load(&self, path: &Path) -> Option<SharedSource> {
        DiskLoader::default().load(path)
    }

    fn edited_text(&self, path: &Path) -> Option<String> {
        self.0.lock().expect("the texts").get(path).cloned()
    }
}

/// What the template at `path` (its text from disk) renders to with `editor`'s texts.
fn rendered_in(front_end: &HelmFrontEnd, path: &Path, editor: &Editor) -> String {
    rendered_by(front_end, path, &[], editor)
}

/// A chart named `name` in `dir` (its `Chart.yaml` and `templates/` folder); its folder.
fn new_chart(dir: &Path, name: &str) -> PathBuf {
    let chart = dir.join(name);
    std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
    std::fs::write(
        chart.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n"),
    )
    .expect("write");
    chart
}

#[test]
fn the_templates_share_the_rendering_with_the_editors_values_while_those_are_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = new_chart(dir.path(), "api");
    let values = chart.join("values.yaml");
    std::fs::write(&values, "port: 8443\n").expect("write");
    let service = chart.join("templates/svc.yaml");
    std::fs::write(&service, "port: {{ .Values.port }}\n").expect("write");
    let probe = chart.join("templates/probe.yaml");
    std::fs::write(&probe, "probe: {{ .Values.port }}\n").expect("write");
    let front_end = HelmFrontEnd::new();
    let editor = Editor::default();
    assert_eq!(rendered_in(&front_end, &service, &editor), "port: 8443\n");

    editor.set(&values, Some("port: 9000\n"));
    assert_eq!(rendered_in(&front_end, &service, &editor), "port: 9000\n");
    assert_eq!(rendered_in(&front_end, &probe, &editor), "probe: 9000\n");
    // Edited again: rendered again with the new text, not the kept rendering.
    editor.set(&values, Some("port: 9001\n"));
    assert_eq!(rendered_in(&front_end, &probe, &editor), "probe: 9001\n");
    assert_eq!(rendered_in(&front_end, &service, &editor), "port: 9001\n");
    // The editor's text back to the file's, then the file closed: the rendering of the disk.
    editor.set(&values, Some("port: 8443\n"));
    assert_eq!(rendered_in(&front_end, &probe, &editor), "probe: 8443\n");
    editor.set(&values, None);
    assert_eq!(rendered_in(&front_end, &service, &editor), "port: 8443\n");
}
