//! Helm semantics the `ci/` values of the shared charts revealed (see tests/helm_oracle.rs),
//! each on a chart written here, with the output Helm's own engine gives for it (helm-python-sdk
//! 0.2.2, recorded): a `null` in a chart's values is no value, a user's `null` deletes a
//! dependency's default, `.Subcharts` by alias, NOTES.txt failures refuse the chart, and
//! `values.schema.json` violations (which Helm refuses) are recorded, the chart still rendered.

use std::fs;
use std::path::Path;

use akslint_core::{Limits, SourceFile, SourceKind};
use akslint_helm::chart::{self, Release, RenderedChart};
use akslint_helm::render::RenderErrorKind;
use akslint_helm::render::value::Value;

/// A chart `web` with a dependency `cache` aliased `store`, a schema and a NOTES.txt.
fn write_chart(dir: &Path) {
    let files = [
        (
            "Chart.yaml",
            "apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    alias: store\n",
        ),
        (
            "values.yaml",
            "replicas: 2\nowner: null\nlabels:\n  team: null\n  tier: web\nstore:\n  size: null\n  ttl: 30\n",
        ),
        (
            "values.schema.json",
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["replicas"],
 "properties": {"replicas": {"type": "integer", "minimum": 1}}}"#,
        ),
        (
            "templates/cm.yaml",
            "owner: {{ hasKey .Values \"owner\" }}\nteam: {{ hasKey .Values.labels \"team\" }}\nstore: {{ include \"cache.name\" .Subcharts.store }}\nttl: {{ .Subcharts.store.Values.ttl }} {{ hasKey .Values.store \"size\" }}\nkube: {{ .Capabilities.KubeVersion.Version }}\n",
        ),
        (
            "templates/NOTES.txt",
            "Owned by {{ required \"set owner\" .Values.owner }}.\n",
        ),
        (
            "charts/cache/Chart.yaml",
            "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
        ),
        ("charts/cache/values.yaml", "size: 1\nttl: 10\nmode: null\n"),
        (
            "charts/cache/templates/_helpers.tpl",
            "{{- define \"cache.name\" -}}{{ .Chart.Name }}-{{ .Values.size }}{{- end }}\n",
        ),
        (
            "charts/cache/templates/cm.yaml",
            "size: {{ .Values.size }} mode: {{ hasKey .Values \"mode\" }} ttl: {{ .Values.ttl }}\n",
        ),
    ];
    write_files(dir, &files);
}

/// Writes `files` (paths relative to `dir`, and their texts).
fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
}

/// The chart rendered with a user's values file of `text`.
fn render(dir: &Path, text: &str) -> RenderedChart {
    let loaded = chart::load(dir).expect("the chart reads");
    let source = std::sync::Arc::new(SourceFile::new("user.yaml", SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&source, &Limits::default());
    let overrides = parsed.documents.first().and_then(|d| {
        d.root
            .map(|root| Value::from_tree(&d.tree, root, usize::MAX))
    });
    let release = Release {
        name: "rel".to_owned(),
        ..Release::default()
    };
    chart::render(&loaded, overrides, &release)
}

fn output<'r>(rendered: &'r RenderedChart, name: &str) -> &'r str {
    rendered
        .manifests
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.text.as_str())
        .unwrap_or_else(|| panic!("{name} is not rendered"))
}

#[test]
fn nulls_subcharts_and_the_default_kubernetes_version_as_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_chart(dir.path());
    let rendered = render(dir.path(), "owner: payments\n");
    assert!(rendered.errors.is_empty(), "{:?}", rendered.errors);
    // Helm's output for these values, template by template.
    assert_eq!(
        output(&rendered, "web/templates/cm.yaml"),
        "owner: true\nteam: false\nstore: store-1\nttl: 30 true\nkube: v1.36.0\n"
    );
    assert_eq!(
        output(&rendered, "web/charts/store/templates/cm.yaml"),
        "size: 1 mode: false ttl: 30\n"
    );
    assert!(
        rendered
            .manifests
            .iter()
            .all(|m| !m.name.ends_with("NOTES.txt")),
        "NOTES.txt is rendered but is no manifest"
    );
    // A user's null deletes the dependency's default (Helm: `ttl:` empty).
    let rendered = render(dir.path(), "owner: payments\nstore:\n  ttl: null\n");
    assert_eq!(
        output(&rendered, "web/charts/store/templates/cm.yaml"),
        "size: 1 mode: false ttl: \n"
    );
}

#[test]
fn a_failing_notes_txt_refuses_the_chart_and_a_schema_violation_is_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_chart(dir.path());
    // Helm: `execution error at (web/templates/NOTES.txt:1:12): set owner`.
    let rendered = render(dir.path(), "");
    let (name, _, error) = &rendered.errors[0];
    assert_eq!(name, "web/templates/NOTES.txt");
    assert_eq!(error.kind, RenderErrorKind::Refused);
    assert_eq!(error.message, "set owner");
    // Helm: `values don't meet the specifications of the schema(s) in the following chart(s):
    // web: - at '/replicas': minimum: got 0, want 1`.
    let rendered = render(dir.path(), "owner: payments\nreplicas: 0\n");
    assert!(rendered.errors.is_empty(), "{:?}", rendered.errors);
    assert_eq!(rendered.violations.len(), 1, "{:?}", rendered.violations);
    let violation = &rendered.violations[0];
    assert_eq!(
        (violation.chart.as_str(), violation.pointer.as_str()),
        ("web", "/replicas")
    );
    assert!(
        violation.helm_message().starts_with(
            "values don't meet the specifications of the schema(s) in the following chart(s): web: at '/replicas':"
        ),
        "{}",
        violation.helm_message()
    );
    assert!(
        !violation.message.contains('0'),
        "no value shown: {}",
        violation.message
    );
    // The templates still render, to be linted.
    assert_eq!(
        output(&rendered, "web/charts/store/templates/cm.yaml"),
        "size: 1 mode: false ttl: 30\n"
    );
}

#[test]
fn a_schema_violation_is_placed_at_the_value_that_breaks_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_chart(dir.path());
    fs::write(
        dir.path().join("values.yaml"),
        "owner: payments\nreplicas: -3\n",
    )
    .expect("write");
    let rendered = render(dir.path(), "");
    assert_eq!(rendered.violations.len(), 1, "{:?}", rendered.violations);
    let source = rendered.violations[0].source;
    assert_eq!(rendered.paths[source.file], dir.path().join("values.yaml"));
    let text = fs::read_to_string(dir.path().join("values.yaml")).expect("read");
    let span = source.span;
    assert_eq!(&text[span.start as usize..span.end as usize], "-3");
}

/// Helm asserts `format` in a draft-07 schema and not in a 2020-12 one (Helm: `at '/mail': … is
/// not valid email: missing @` for draft 07, the chart rendered for 2020-12).
#[test]
fn schema_formats_are_asserted_up_to_draft_07_as_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chart = dir.path();
    fs::create_dir_all(chart.join("templates")).expect("mkdir");
    fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: fmt\nversion: 0.1.0\n",
    )
    .expect("write");
    fs::write(chart.join("values.yaml"), "mail: not-an-email\n").expect("write");
    fs::write(chart.join("templates/a.yaml"), "a: {{ .Values.mail }}\n").expect("write");
    for (draft, refused) in [
        ("http://json-schema.org/draft-07/schema#", true),
        ("https://json-schema.org/draft/2020-12/schema", false),
    ] {
        fs::write(
            chart.join("values.schema.json"),
            format!(
                r#"{{"$schema": "{draft}", "properties": {{"mail": {{"type": "string", "format": "email"}}}}}}"#
            ),
        )
        .expect("write");
        let rendered = render(chart, "");
        assert!(rendered.errors.is_empty(), "{draft}: {:?}", rendered.errors);
        assert_eq!(
            !rendered.violations.is_empty(),
            refused,
            "{draft}: {:?}",
            rendered.violations
        );
        if refused {
            let message = rendered.violations[0].helm_message();
            assert!(message.contains("at '/mail'"), "{message}");
            assert!(
                !message.contains("not-an-email"),
                "the value is not shown: {message}"
            );
        }
    }
}

#[test]
fn to_toml_writes_a_values_map_as_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        ("Chart.yaml", "apiVersion: v2\nname: conf\nversion: 1.0.0\n"),
        (
            "values.yaml",
            "app:\n  name: web\n  ratio: 0.5\n  db:\n    host: db.internal\n  hosts: [a, b]\n",
        ),
        (
            "templates/cm.yaml",
            "data:\n  app.toml: |\n{{ toToml (merge (dict \"workers\" 4) .Values.app) | indent 4 }}\n",
        ),
        ("templates/nil.yaml", "x: {{ toToml .Values.missing }}\n"),
    ];
    write_files(dir.path(), &files);
    let rendered = render(dir.path(), "{}\n");
    // Helm's output (helm-python-sdk 0.2.2) for this chart, byte for byte.
    assert_eq!(
        output(&rendered, "conf/templates/cm.yaml"),
        "data:\n  app.toml: |\n    hosts = [\"a\", \"b\"]\n    name = \"web\"\n    ratio = 0.5\n    \
         workers = 4\n    \n    [db]\n      host = \"db.internal\"\n    \n"
    );
    // Helm refuses `toToml` of nil (a reflect error at the call): one located error.
    assert_eq!(rendered.errors.len(), 1, "{:?}", rendered.errors);
    assert!(
        format!("{:?}", rendered.errors[0]).contains("toToml"),
        "{:?}",
        rendered.errors
    );
}

/// A chart `nums` whose values file holds numbers, and templates that read them.
fn write_numbers_chart(dir: &Path) {
    let good = r#"kinds: {{ kindOf .Values.port }} {{ kindOf .Values.hex }} {{ kindOf (add .Values.port 1) }} {{ kindOf (addf .Values.port 1) }}
printed: {{ .Values.port }} {{ .Values.big }} {{ .Values.huge }} {{ .Values.half }} {{ .Values.tiny }} {{ .Values.hex }} {{ .Values.oct }}
strings: {{ quote .Values.big }} {{ toString .Values.port }} {{ list .Values.port .Values.big }}
arith: {{ add .Values.port 1 }} {{ div .Values.big 3 }} {{ mul .Values.half 4 }} {{ add .Values.huge 1 }} {{ int .Values.huge }} {{ addf .Values.big 1 }}
compare: {{ eq .Values.port 8080.0 }} {{ lt .Values.port 9000.0 }} {{ eq (int .Values.port) 8080 }} {{ has 8080 (list .Values.port) }} {{ empty .Values.zero }} {{ default 5 .Values.zero }}
printf: {{ printf "%d %s %v %f %e %g" .Values.port .Values.port .Values.big .Values.half .Values.big .Values.big }}
fromYaml: {{ $y := fromYaml "a: 8080\nb: 2500000" }}{{ kindOf $y.a }} {{ $y.b }} {{ $j := fromJson "{\"b\": 2500000}" }}{{ $j.b }}
json: {{ toJson .Values }}
toml: {{ toToml (pick .Values "port" "big" "half") | quote }}
yaml:
{{ toYaml .Values | indent 2 }}
"#;
    let files = [
        ("Chart.yaml", "apiVersion: v2\nname: nums\nversion: 1.0.0\n"),
        (
            "values.yaml",
            "port: 8080\nbig: 2500000\nhuge: 1000000000000000000000\nhalf: 0.5\ntiny: 0.000015\n\
             count: 3\nhex: 0x1F\noct: 017\nzero: 0\nlist: [a, b, c]\n",
        ),
        ("templates/good.yaml", good),
        ("templates/eq.yaml", "{{ eq .Values.port 8080 }}"),
        ("templates/lt.yaml", "{{ lt .Values.port 9000 }}"),
        ("templates/eqstr.yaml", "{{ eq .Values.port \"8080\" }}"),
        ("templates/until.yaml", "{{ until .Values.count }}"),
        (
            "templates/trunc.yaml",
            "{{ trunc .Values.count \"abcdef\" }}",
        ),
        (
            "templates/index.yaml",
            "{{ index .Values.list .Values.zero }}",
        ),
        (
            "templates/range.yaml",
            "{{ range .Values.count }}x{{ end }}",
        ),
    ];
    write_files(dir, &files);
}

/// Helm reads a values file's numbers as `float64` (YAML through JSON): printed as Go's `%v`
/// prints floats, refused where Go wants an `int` or compares kinds. The expectations are Helm's
/// output (helm-python-sdk 0.2.2) for this chart, byte for byte; Helm stops at the first failing
/// template, so each failing one was rendered alone, its error quoted in the comment.
#[test]
fn values_file_numbers_are_floats_as_in_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_numbers_chart(dir.path());
    let rendered = render(dir.path(), "{}\n");
    assert_eq!(
        output(&rendered, "nums/templates/good.yaml"),
        "kinds: float64 float64 int64 float64\n\
         printed: 8080 2.5e+06 1e+21 0.5 1.5e-05 31 15\n\
         strings: \"2.5e+06\" 8080 [8080 2.5e+06]\n\
         arith: 8081 833333 0 -9223372036854775807 -9223372036854775808 2.500001e+06\n\
         compare: true true true false true 5\n\
         printf: %!d(float64=8080) %!s(float64=8080) 2.5e+06 0.500000 2.500000e+06 2.5e+06\n\
         fromYaml: float64 2.5e+06 2.5e+06\n\
         json: {\"big\":2500000,\"count\":3,\"half\":0.5,\"hex\":31,\"huge\":1e+21,\"list\":[\"a\",\"b\",\"c\"],\"oct\":15,\"port\":8080,\"tiny\":0.000015,\"zero\":0}\n\
         toml: \"big = 2.5e+06\\nhalf = 0.5\\nport = 8080.0\\n\"\n\
         yaml:\n  big: 2500000\n  count: 3\n  half: 0.5\n  hex: 31\n  huge: 1e+21\n  list:\n  - a\n  - b\n  - c\n  \
         oct: 15\n  port: 8080\n  tiny: 1.5e-05\n  zero: 0\n"
    );
    // Helm, each template alone:
    // eq, lt: `error calling eq: incompatible types for comparison: float64 and int`;
    // eqstr: `… float64 and string`; until, trunc: `wrong type for value; expected int; got
    // float64`; index: `error calling index: cannot index slice/array with type float64`;
    // range: `range can't iterate over 3`.
    let expected = [
        ("eq", "incompatible types for comparison: float64 and"),
        ("lt", "incompatible types for comparison: float64 and"),
        (
            "eqstr",
            "incompatible types for comparison: float64 and string",
        ),
        ("until", "wrong type for value; expected int; got float64"),
        ("trunc", "wrong type for value; expected int; got float64"),
        ("index", "cannot index slice/array with type float64"),
        ("range", "range can't iterate over a float64"),
    ];
    assert_eq!(
        rendered.errors.len(),
        expected.len(),
        "{:?}",
        rendered.errors
    );
    for (template, message) in expected {
        let name = format!("nums/templates/{template}.yaml");
        let (_, _, error) = rendered
            .errors
            .iter()
            .find(|(n, _, _)| *n == name)
            .unwrap_or_else(|| panic!("no error for {name}: {:?}", rendered.errors));
        assert!(error.message.contains(message), "{name}: {}", error.message);
    }
    // The printed number still points at the values file's key.
    let manifest = rendered
        .manifests
        .iter()
        .find(|m| m.name == "nums/templates/good.yaml")
        .expect("rendered");
    let at = manifest.text.as_str().find("printed: ").expect("printed") + "printed: ".len();
    let source = manifest.text.sources_in(at..at + 4)[0];
    assert_eq!(rendered.paths[source.file], dir.path().join("values.yaml"));
    let values = fs::read_to_string(dir.path().join("values.yaml")).expect("read");
    assert_eq!(
        &values[source.span.start as usize..source.span.end as usize],
        "8080"
    );
}

/// `printf` as Go's `fmt.Sprintf` writes it: flags, widths, precisions, argument indexes, every
/// kind's verbs and Go's complaints. Each row is a call and the text Helm's engine
/// (helm-python-sdk 0.2.2) rendered for it, with this values file, one template per row.
#[test]
fn printf_writes_as_go() {
    let rows = [
        (r##"printf "%.2f" .Values.f"##, r##"2.50"##),
        (r##"printf "%.0f" .Values.f"##, r##"2"##),
        (r##"printf "%.0f" 3.5"##, r##"4"##),
        (r##"printf "%.2f" .Values.h"##, r##"0.12"##),
        (r##"printf "%.1f" .Values.neg"##, r##"-3.7"##),
        (r##"printf "%0.f" .Values.p"##, r##"8080"##),
        (r##"printf "%0.0f" .Values.big"##, r##"2500000"##),
        (r##"printf "%.4g" .Values.big"##, r##"2.5e+06"##),
        (r##"printf "%.4g" 12345.0"##, r##"1.234e+04"##),
        (r##"printf "%.4g" 1.5"##, r##"1.5"##),
        (r##"printf "%.4g" 0.00001234"##, r##"1.234e-05"##),
        (r##"printf "%.3e" .Values.big"##, r##"2.500e+06"##),
        (r##"printf "%8.2f|" .Values.f"##, r##"    2.50|"##),
        (r##"printf "%-8.2f|" .Values.f"##, r##"2.50    |"##),
        (r##"printf "%08.2f|" .Values.neg"##, r##"-0003.70|"##),
        (r##"printf "%+.1f" .Values.f"##, r##"+2.5"##),
        (r##"printf "% .1f" .Values.f"##, r##" 2.5"##),
        (r##"printf "%5d|" 42"##, r##"   42|"##),
        (r##"printf "%-5d|" 42"##, r##"42   |"##),
        (r##"printf "%05d|" -42"##, r##"-0042|"##),
        (r##"printf "%+d" 42"##, r##"+42"##),
        (
            r##"printf "%x %X %o %b %#x %#o" 255 255 8 5 255 8"##,
            r##"ff FF 10 101 0xff 010"##,
        ),
        (r##"printf "%.3d" 7"##, r##"007"##),
        (r##"printf "%c" 65"##, r##"A"##),
        (r##"printf "%q" 65"##, r##"'A'"##),
        (r##"printf "%10s|" .Values.s"##, r##"     hello|"##),
        (r##"printf "%-10s|" .Values.s"##, r##"hello     |"##),
        (r##"printf "%.3s|" .Values.s"##, r##"hel|"##),
        (r##"printf "%05s|" .Values.s"##, r##"hello|"##),
        (r##"printf "%x" .Values.s"##, r##"68656c6c6f"##),
        (r##"printf "%X" .Values.s"##, r##"68656C6C6F"##),
        (r##"printf "%q" .Values.s"##, r##""hello""##),
        (r##"printf "%v" .Values.l"##, r##"[a b]"##),
        (r##"printf "%q" .Values.l"##, r##"["a" "b"]"##),
        (
            r##"printf "%s" .Values.m"##,
            r##"map[a:%!s(float64=1) k:v]"##,
        ),
        (r##"printf "%v" .Values.m"##, r##"map[a:1 k:v]"##),
        (r##"printf "%d" .Values.s"##, r##"%!d(string=hello)"##),
        (r##"printf "%t" .Values.t"##, r##"true"##),
        (
            r##"printf "%v|%5t|" .Values.t .Values.t"##,
            r##"true| true|"##,
        ),
        (r##"printf "%d" .Values.t"##, r##"%!d(bool=true)"##),
        (r##"printf "%s" nil"##, r##"%!s(<nil>)"##),
        (r##"printf "%d" nil"##, r##"%!d(<nil>)"##),
        (r##"printf "%v" nil"##, r##"<nil>"##),
        (r##"printf "%s" 5"##, r##"%!s(int=5)"##),
        (r##"printf "%f" 5"##, r##"%!f(int=5)"##),
        (r##"printf "%s %s" "a""##, r##"a %!s(MISSING)"##),
        (
            r##"printf "%s" "a" "b" 3"##,
            r##"a%!(EXTRA string=b, int=3)"##,
        ),
        (r##"printf "%z" 3"##, r##"%!z(int=3)"##),
        (r##"printf "%""##, r##"%!(NOVERB)"##),
        (r##"printf "%*d|" 5 42"##, r##"   42|"##),
        (r##"printf "%-*d|" 5 42"##, r##"42   |"##),
        (r##"printf "%.*f" 2 3.14159"##, r##"3.14"##),
        (r##"printf "%[2]s %[1]s" "a" "b""##, r##"b a"##),
        (r##"printf "%6.2v|" 3.14159"##, r##"   3.1|"##),
        (r##"printf "%v" .Values.f"##, r##"2.5"##),
        (r##"printf "%10v|" .Values.s"##, r##"     hello|"##),
        (r##"printf "%e" .Values.p"##, r##"8.080000e+03"##),
        (r##"printf "%g" .Values.big"##, r##"2.5e+06"##),
        (r##"printf "%G" 1e-7"##, r##"1E-07"##),
        (r##"printf "%E" .Values.big"##, r##"2.500000E+06"##),
        (r##"printf "%5.1f%%" 99.44"##, r##" 99.4%"##),
        (r##"printf "%x" 3.5"##, r##"0x1.cp+01"##),
        (
            r##"printf "%s" (list 1 2)"##,
            r##"[%!s(int=1) %!s(int=2)]"##,
        ),
        (r##"printf "%d" (list 1 2)"##, r##"[1 2]"##),
        (r##"printf "%x" -255"##, r##"-ff"##),
        (r##"printf "%08.3f" -3.14159"##, r##"-003.142"##),
        (r##"printf "%+05d" 42"##, r##"+0042"##),
        (r##"printf "%.0f" 0.5"##, r##"0"##),
        (r##"printf "%.0f" 1.5"##, r##"2"##),
        (r##"printf "%.1f" 0.25"##, r##"0.2"##),
        (r##"printf "%.1f" 0.35"##, r##"0.3"##),
        (r##"printf "%U" 65"##, r##"U+0041"##),
        (r##"printf "%#v" .Values.s"##, r##""hello""##),
        (r##"printf "%T" .Values.s"##, r##"string"##),
        (
            r##"printf "%T %T %T %T" 3 .Values.p .Values.l .Values.m"##,
            r##"int float64 []interface {} map[string]interface {}"##,
        ),
        (r##"printf "%5.2s|" .Values.s"##, r##"   he|"##),
        (r##"printf "%.1q" .Values.s"##, r##""h""##),
        (r##"printf "%6.3v|" .Values.s"##, r##"   hel|"##),
        (r##"printf "%07s|" "ab""##, r##"00000ab|"##),
        (r##"printf "%05v|" .Values.s"##, r##"hello|"##),
        (r##"printf "%06t|" true"##, r##"00true|"##),
        (r##"printf "%#q" .Values.s"##, r##"`hello`"##),
        (r##"printf "%#q" "a`b""##, r##""a`b""##),
        (r##"printf "%.0x" 1.9"##, r##"0x1p+01"##),
        (r##"printf "%.2x" 3.14159"##, r##"0x1.92p+01"##),
        (r##"printf "%x" 0.0"##, r##"0x0p+00"##),
        (r##"printf "%b" 2.5"##, r##"5629499534213120p-51"##),
        (
            r##"printf "%#x %#X %#o %O" 255 255 0 8"##,
            r##"0xff 0XFF 0 0o10"##,
        ),
        (r##"printf "%08x|" 255"##, r##"000000ff|"##),
        (r##"printf "%#08x|" 255"##, r##"0x000000ff|"##),
        (r##"printf "% d|% d" 5 -5"##, r##" 5|-5"##),
        (r##"printf "%.0d|%5.0d|" 0 0"##, r##"|     |"##),
        (r##"printf "%[3]s %s" "a" "b" "c""##, r##"c %!s(MISSING)"##),
        (r##"printf "%[5]s" "a""##, r##"%!s(BADINDEX)"##),
        (r##"printf "%[x]s" "a""##, r##"%!s(BADINDEX)"##),
        (r##"printf "%*d|" "x" 3"##, r##"%!(BADWIDTH)3|"##),
        (r##"printf "%.*d|" -2 42"##, r##"%!(BADPREC)42|"##),
        (r##"printf "%-08d|" 42"##, r##"42      |"##),
        (r##"printf "%+.2e" 12345.678"##, r##"+1.23e+04"##),
        (r##"printf "%10.3e|" -0.000123"##, r##"-1.230e-04|"##),
        (
            r##"printf "%g %g %g" 100000.0 1000000.0 0.0001"##,
            r##"100000 1e+06 0.0001"##,
        ),
        (
            r##"printf "%.3g %.10g %.1g" 3.14159 3.14159 0.05"##,
            r##"3.14 3.14159 0.05"##,
        ),
        (r##"printf "%.2f" 2.675"##, r##"2.67"##),
        (
            r##"printf "%.0f %.0f" 1e21 123456789.5"##,
            r##"1000000000000000000000 123456790"##,
        ),
        (r##"printf "%6.2f%%" .Values.big"##, r##"2500000.00%"##),
        (r##"printf "%v %v" .Values.t .Values.l"##, r##"true [a b]"##),
        (r##"printf "%5v|" .Values.l"##, r##"[    a     b]|"##),
        (r##"printf "%d" .Values.p"##, r##"%!d(float64=8080)"##),
        (r##"printf "%s-%d" "web" 3"##, r##"web-3"##),
        (r##"printf "%q" 39"##, r##"'\''"##),
        (r##"printf "%q" 34"##, r##"'"'"##),
        (r##"printf "%c|%c" 9731 -1"##, r##"☃|�"##),
        (r##"printf "%x" """##, r##""##),
        (r##"printf "%#x" "hi""##, r##"0x6869"##),
        (r##"printf "%T" nil"##, r##"<nil>"##),
        (r##"printf "%s" (dict "a" nil)"##, r##"map[a:<nil>]"##),
        (r##"printf "%v" (list nil 1)"##, r##"[<nil> 1]"##),
        (r##"printf "%!""##, r##"%!!(MISSING)"##),
        (r##"printf "%ü" 3"##, r##"%!ü(int=3)"##),
        (r##"printf "%s" true"##, r##"%!s(bool=true)"##),
        (r##"printf "%x" true"##, r##"%!x(bool=true)"##),
        (r##"printf "%.1f" 0.05"##, r##"0.1"##),
        (r##"printf "%.3f" 1.0005"##, r##"1.000"##),
        (
            r##"printf "%08.3f|%-8.1f|%+08.2f" 3.14159 2.5 2.5"##,
            r##"0003.142|2.5     |+0002.50"##,
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let values = "f: 2.5\nbig: 2500000\np: 8080\ns: hello\nl: [a, b]\nm: {k: v, a: 1}\nt: true\n\
                  h: 0.125\nneg: -3.7\n";
    // The `#` flag on a float verb is refused at its call, never printed unlike Go.
    let sharp = ("sharp", "x: 1\ny: {{ printf \"%#.0f\" .Values.f }}\n");
    let (rendered, wrong) = render_calls(dir.path(), values, &rows, &[sharp]);
    let [(name, _, refused)] = &rendered.errors[..] else {
        panic!("one refusal: {:?}", rendered.errors);
    };
    assert_eq!(name, "calls/templates/sharp.yaml");
    assert_eq!(refused.kind, RenderErrorKind::Unsupported);
    assert!(
        refused.message.contains("the # flag of %f"),
        "{}",
        refused.message
    );
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}

/// Sprig's `round` with its places and rounding point, as Helm's engine (helm-python-sdk 0.2.2)
/// renders each call; `round` without places is refused as in Helm ("wrong number of args for
/// round: want at least 2 got 1"), and a values file's number as places as Go refuses a float
/// for an `int` ("wrong type for value; expected int; got float64").
#[test]
fn round_rounds_as_sprig() {
    let rows = [
        ("round 3.14159 2", "3.14"),
        ("round -2.5 0", "-3"),
        ("round 2.5 0", "3"),
        ("round 1.2345 2 0.3", "1.24"),
        ("round .Values.f 1", "2.5"),
        (r#"round "7.25" 1"#, "7.3"),
        ("kindOf (round 2.5 0)", "float64"),
        ("round 1234.5 -2", "1200"),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let refused = [
        ("alone", "{{ round 3.7 }}"),
        ("places", "{{ round 3.14 .Values.p }}"),
    ];
    let (rendered, wrong) = render_calls(dir.path(), "f: 2.45\np: 2\n", &rows, &refused);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let messages: Vec<&str> = rendered
        .errors
        .iter()
        .map(|(_, _, e)| e.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "wrong number of args for round: want at least 2 got 1",
            "wrong type for value; expected int; got float64"
        ],
        "{:?}",
        rendered.errors
    );
}

/// A chart `calls` with `values`, one template per row (`templates/cN.yaml` holding
/// `{{ CALL }}`) and the `extra` templates (name, text), rendered; and each row whose output
/// is not the row's expected text, described.
fn render_calls(
    dir: &Path,
    values: &str,
    rows: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> (RenderedChart, Vec<String>) {
    let mut files = vec![
        (
            "Chart.yaml".to_owned(),
            "apiVersion: v2\nname: calls\nversion: 0.1.0\n".to_owned(),
        ),
        ("values.yaml".to_owned(), values.to_owned()),
    ];
    for (i, (call, _)) in rows.iter().enumerate() {
        files.push((format!("templates/c{i}.yaml"), format!("{{{{ {call} }}}}")));
    }
    for (name, text) in extra {
        files.push((format!("templates/{name}.yaml"), (*text).to_owned()));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write_files(dir, &files);
    let rendered = render(dir, "{}\n");
    let wrong = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (call, helm))| {
            let ours = output(&rendered, &format!("calls/templates/c{i}.yaml"));
            (ours != *helm).then(|| format!("{call}: Helm {helm:?}, akslint {ours:?}"))
        })
        .collect();
    (rendered, wrong)
}

/// A values file's plain `y`, `yes`, `on` (and `n`, `no`, `off`, in three casings) are booleans,
/// as values and as keys (the key `y` is the key "true", a later "true" key replacing an
/// earlier one), as Helm's engine (helm-python-sdk 0.2.2) reads them; quoted, they stay strings.
#[test]
fn yaml_1_1_booleans_in_values_as_helm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let values = "pos: {x: 1, y: 2}\n\
                  flags: {on: a, off: b, yes: c, no: d, n: e, Y: f, \"y\": g, true: h, False: i, ON: j}\n\
                  vals: {a: y, b: yes, c: on, d: off, e: n, f: True, g: \"yes\", h: NO, i: yEs}\n";
    let rows = [
        (
            "toJson .Values",
            r#"{"flags":{"false":"i","true":"j","y":"g"},"pos":{"true":2,"x":1},"vals":{"a":true,"b":true,"c":true,"d":false,"e":false,"f":true,"g":"yes","h":false,"i":"yEs"}}"#,
        ),
        ("kindOf .Values.vals.b", "bool"),
        (".Values.pos.y", ""),
    ];
    let (_, wrong) = render_calls(dir.path(), values, &rows, &[]);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
