//! Small charts written for the chart loading tests (values.schema.json, packed dependencies,
//! `import-values`, `crds/`), shared by `chart_loading.rs` and the Helm oracle test.

use std::fs;
use std::path::Path;

/// Writes `files` (path under `dir`, text) to disk.
pub fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
}

/// Packs `files` as `helm package` does (a gzip tar of `<name>/…`) into `archive`.
pub fn pack(archive: &Path, name: &str, files: &[(&str, &str)]) {
    fs::create_dir_all(archive.parent().expect("a parent")).expect("mkdir");
    let gz = flate2::write::GzEncoder::new(
        fs::File::create(archive).expect("create"),
        flate2::Compression::default(),
    );
    let mut tar = tar::Builder::new(gz);
    for (path, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, format!("{name}/{path}"), text.as_bytes())
            .expect("append");
    }
    tar.into_inner().expect("tar").finish().expect("gzip");
}

/// A chart whose values break its draft-07 schema twice: `port` is a string, `image` missing.
pub const SCHEMA_CHART: &[(&str, &str)] = &[
    ("Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n"),
    ("values.yaml", "replicas: 2\nport: \"8080\"\n"),
    (
        "values.schema.json",
        r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["port", "image"],
  "properties": {
    "replicas": {"type": "integer", "minimum": 1},
    "port": {"type": "integer"},
    "image": {"type": "object", "properties": {"tag": {"type": "string"}}}
  }
}
"#,
    ),
    (
        "templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-shop\ndata:\n  port: {{ .Values.port | quote }}\n",
    ),
];

/// Values that meet [`SCHEMA_CHART`]'s schema.
pub const SCHEMA_CHART_GOOD_VALUES: &str = "port: 8080\nimage:\n  tag: v1\n";

/// The dependency `cache` of [`PARENT_CHART`] (packed or unpacked under `charts/`): a named
/// template, an exported table and a table imported by path.
pub const CACHE_CHART: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
    ),
    (
        "values.yaml",
        "size: 1\nexports:\n  settings:\n    ttl: 30\n    mode: lru\nlimits:\n  memory: 1Gi\n",
    ),
    (
        "values.schema.json",
        r#"{"type": "object", "properties": {"size": {"type": "integer", "maximum": 5}}}"#,
    ),
    (
        "templates/_helpers.tpl",
        "{{- define \"cache.name\" -}}{{ .Release.Name }}-cache{{- end -}}\n",
    ),
    (
        "templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"cache.name\" . }}\ndata:\n  size: {{ .Values.size | quote }}\n",
    ),
];

/// A parent of `cache`, importing its `settings` export (its own `ttl` wins) and its `limits`
/// table at `cacheLimits`, and setting the cache's size.
pub const PARENT_CHART: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 0.2.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    import-values:\n      - settings\n      - child: limits\n        parent: cacheLimits\n",
    ),
    ("values.yaml", "ttl: 60\ncache:\n  size: 3\n"),
    (
        "templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"cache.name\" . }}-client\ndata:\n  ttl: {{ .Values.ttl | quote }}\n  mode: {{ .Values.mode | quote }}\n  memory: {{ .Values.cacheLimits.memory | quote }}\n",
    ),
];

/// A chart with a CRD in `crds/` (with braces Helm never renders there) and a template.
pub const CRDS_CHART: &[(&str, &str)] = &[
    (
        "Chart.yaml",
        "apiVersion: v2\nname: widgets\nversion: 0.1.0\n",
    ),
    ("values.yaml", "group: example.com\n"),
    (
        "crds/widgets.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n  annotations:\n    note: \"{{ not rendered }}\"\nspec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n",
    ),
    (
        "templates/widget.yaml",
        "apiVersion: {{ .Values.group }}/v1\nkind: Widget\nmetadata:\n  name: {{ .Release.Name }}\n",
    ),
];
