//! Fixes of findings in a chart template's rendered text, written back in the chart's files.
//!
//! A rule plans its fix on the rendered document (the YAML front end writes it there); the fix
//! is offered in the chart only when every edited byte range maps to one literal:
//!
//! - the template's own text (a text node of the template file itself, copied verbatim, not
//!   written by an action such as `include`, `toYaml` or `tpl`); an edit that adds lines must
//!   have the whole line before it in that text, so the new lines take the template's own
//!   indentation; nothing that would open a template action (`{{`) is written;
//! - or one scalar of a values file (a chart's `values.yaml`, a values set's file of
//!   `akslint.yaml` or `--values`; never a `--set` item, which has no file) printed whole and
//!   unchanged (`{{ .Values.x }}`, a scalar inside `toYaml`), or inside quotes the template
//!   wrote (`"{{ .Values.x }}"`, `{{ .Values.x | quote }}`): the new value is written there,
//!   plain or quoted as the values file needs, only when it keeps the old value's type (a
//!   boolean stays a boolean) and the template then prints exactly what the fix writes in the
//!   rendered document.
//!
//! Anything else (a value built by `printf`, a label block written by `include`, a value quoted
//! by `quote`) gets no fix.

use std::sync::Arc;

use akslint_core::{
    Diagnostic, Edit, Fix, FrontEnd, Limits, RenderedFile, RenderedSegment, SharedSource,
    SourceFile, SourceKind, Span,
};

use crate::render::value::{Kind, Value};

/// The fix of a finding of a chart template's rendered text (`diagnostic` still in the
/// rendered text: its written fix, else its plan written there), as edits of the one chart file
/// that wrote every byte it edits, and that file; `None` when some edit does not map to a
/// literal (see the module's doc), the edits land in several files, or the fix's title would
/// show a secret of the finding.
pub fn chart_fix(rendered: &RenderedFile, diagnostic: &Diagnostic) -> Option<(SharedSource, Fix)> {
    let fix = match (&diagnostic.fix, &diagnostic.fix_plan) {
        (Some(fix), _) => Fix::clone(fix),
        (None, Some(plan)) => {
            let edits = akslint_yaml::YamlFrontEnd.render_fix(&rendered.file, None, plan)?;
            Fix::from_plan(plan, edits)
        }
        (None, None) => return None,
    };
    let text = rendered.file.text();
    let shows_secret = diagnostic.sensitive.iter().any(|secret| {
        text.get(secret.start as usize..secret.end as usize)
            .is_some_and(|secret| !secret.is_empty() && fix.message.contains(secret))
    });
    if shows_secret || fix.edits.is_empty() {
        return None;
    }
    let mut source = None;
    let mut edits = Vec::with_capacity(fix.edits.len());
    for edit in &fix.edits {
        let (at, mapped) = map_edit(rendered, edit)?;
        if source.is_some_and(|s| s != at) {
            return None;
        }
        source = Some(at);
        edits.push(mapped);
    }
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    edits.dedup();
    let overlapping = edits
        .windows(2)
        .any(|pair| pair[0].span.end > pair[1].span.start || pair[0].span == pair[1].span);
    if overlapping {
        return None;
    }
    let file = rendered.sources[source?].clone();
    Some((file, Fix { edits, ..fix }))
}

/// One edit of the rendered text as an edit of the file that wrote its bytes (an index into
/// [`RenderedFile::sources`]), when they are one literal.
fn map_edit(rendered: &RenderedFile, edit: &Edit) -> Option<(usize, Edit)> {
    let (start, end) = (edit.span.start, edit.span.end);
    let inside = |s: &&RenderedSegment| {
        let r = s.rendered;
        if start < end {
            r.start <= start && end <= r.end
        } else {
            r.start < start && start < r.end
        }
    };
    if let Some(quoted) = quoted_value(rendered, edit) {
        return Some(quoted);
    }
    let segment = rendered.segments.iter().find(inside)?;
    let file = &rendered.sources[segment.source];
    if Arc::ptr_eq(file, &rendered.template) {
        in_template_text(rendered, segment, edit)
    } else if is_values_file(file) && edit.span == segment.rendered {
        in_values_scalar(rendered, segment, &edit.replacement)
    } else {
        None
    }
    .map(|mapped| (segment.source, mapped))
}

/// Whether a file a chart's rendering read is a values file: a YAML file outside the chart's
/// `templates/` folders (which hold its templates and helpers), that is a chart's `values.yaml`
/// or a values set's file (named in `helm.charts` of `akslint.yaml`, or by `--values`). Values
/// of `--set` items have no file.
fn is_values_file(file: &SharedSource) -> bool {
    let yaml = file
        .path()
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    yaml && !file
        .path()
        .components()
        .any(|c| c.as_os_str() == "templates")
}

/// An edit that replaces a quoted scalar whose quotes the template wrote around one value of a
/// values file (`"{{ .Values.x }}"`, `{{ .Values.x | quote }}`) by a string quoted alike that
/// needs no escapes: the value replaced by the new string's characters.
fn quoted_value(rendered: &RenderedFile, edit: &Edit) -> Option<(usize, Edit)> {
    let text = rendered.file.text();
    let (start, end) = (edit.span.start as usize, edit.span.end as usize);
    let quote = *text.as_bytes().get(start)?;
    let replacement = edit.replacement.as_bytes();
    let escaped = |b: &u8| *b == quote || (quote == b'"' && *b == b'\\') || b.is_ascii_control();
    let quoted = |bytes: &[u8]| {
        bytes.len() >= 2
            && bytes[0] == quote
            && bytes[bytes.len() - 1] == quote
            && !bytes[1..bytes.len() - 1].iter().any(escaped)
    };
    if !(quote == b'"' || quote == b'\'') || end < start + 2 {
        return None;
    }
    if !quoted(&text.as_bytes()[start..end]) || !quoted(replacement) {
        return None;
    }
    let inner = Span::new(start + 1, end - 1);
    let segment = rendered.segments.iter().find(|s| s.rendered == inner)?;
    // The quotes are the template's own text or computed (`quote`), never a value's.
    let quote_is_the_templates = |at: u32| {
        rendered
            .segments
            .iter()
            .find(|s| s.rendered.start <= at && at < s.rendered.end)
            .is_none_or(|s| Arc::ptr_eq(&rendered.sources[s.source], &rendered.template))
    };
    if !is_values_file(&rendered.sources[segment.source])
        || !quote_is_the_templates(edit.span.start)
        || !quote_is_the_templates(edit.span.end - 1)
    {
        return None;
    }
    let content = &edit.replacement[1..edit.replacement.len() - 1];
    in_values_scalar(rendered, segment, content).map(|mapped| (segment.source, mapped))
}

/// An edit inside a text node of the template itself (see the module's doc).
fn in_template_text(
    rendered: &RenderedFile,
    segment: &RenderedSegment,
    edit: &Edit,
) -> Option<Edit> {
    let (r, span) = (segment.rendered, segment.span);
    let verbatim = r.end - r.start == span.end - span.start;
    let by_action = rendered
        .actions
        .iter()
        .any(|a| a.rendered.start < r.end && r.start < a.rendered.end);
    let replacement = edit.replacement.as_str();
    if !verbatim || by_action || replacement.contains("{{") {
        return None;
    }
    // Whitespace at a text node's edge may be trimmed by a neighbouring `{{-` or `-}}`.
    let starts_blank = replacement.starts_with(char::is_whitespace);
    let ends_blank = replacement.ends_with(char::is_whitespace);
    if (edit.span.start == r.start && starts_blank) || (edit.span.end == r.end && ends_blank) {
        return None;
    }
    let to_source = |at: u32| at - r.start + span.start;
    if replacement.contains('\n') {
        // New lines take the indentation of the line they are written on: that whole line
        // before the edit must be the template's own, starting a line of the template too.
        let text = rendered.file.text();
        let line_start = text[..edit.span.start as usize]
            .rfind('\n')
            .map_or(0, |i| i + 1) as u32;
        let template = rendered.template.text();
        let at_line_start = to_source(line_start.max(r.start)) as usize;
        let starts_line = at_line_start == 0 || template.as_bytes()[at_line_start - 1] == b'\n';
        if line_start < r.start || !starts_line {
            return None;
        }
    }
    Some(Edit {
        span: Span::new(
            to_source(edit.span.start) as usize,
            to_source(edit.span.end) as usize,
        ),
        replacement: edit.replacement.clone(),
    })
}

/// An edit that replaces a whole scalar a values file wrote (printed at `segment`) so that the
/// template prints `printed` instead (see the module's doc): the new value, of the old one's
/// type, written plain or double-quoted, whichever the file reads back as it.
fn in_values_scalar(
    rendered: &RenderedFile,
    segment: &RenderedSegment,
    printed: &str,
) -> Option<Edit> {
    let r = segment.rendered;
    // A value printed with YAML's quotes would have to hold them.
    if printed.starts_with(['"', '\'']) {
        return None;
    }
    let values = &rendered.sources[segment.source];
    let old = scalar_at(values.text(), segment.span)?;
    if old.scalar_text() != rendered.file.text()[r.start as usize..r.end as usize] {
        return None;
    }
    let (from, to) = (segment.span.start as usize, segment.span.end as usize);
    let text = values.text();
    [printed.to_owned(), akslint_core::double_quoted(printed)]
        .into_iter()
        .find_map(|written| {
            let edited = format!("{}{written}{}", &text[..from], &text[to..]);
            let read = scalar_at(&edited, Span::new(from, from + written.len()))?;
            let same = read.kind_name() == old.kind_name() && read.scalar_text() == printed;
            same.then_some(Edit {
                span: segment.span,
                replacement: written,
            })
        })
}

/// The scalar value (as a template reads it) of the YAML node written exactly at `span` of
/// `text`, when the text parses without a problem and that node is a scalar.
fn scalar_at(text: &str, span: Span) -> Option<Value> {
    let file: SharedSource = Arc::new(SourceFile::new("values.yaml", SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&file, &Limits::default());
    if !parsed.problems.is_empty() {
        return None;
    }
    let value = parsed.documents.iter().find_map(|document| {
        let (node, _) = document
            .tree
            .iter()
            .find(|(id, node)| node.span == span && document.tree.scalar(*id).is_some())?;
        Some(Value::from_tree(&document.tree, node, 0))
    })?;
    matches!(
        value.kind,
        Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) | Kind::Str(_)
    )
    .then_some(value)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use akslint_core::{DiskLoader, Limits, SourceFile, SourceKind};

    use super::*;
    use crate::HelmFrontEnd;

    /// A chart in a folder of its own with `values.yaml` and one template, rendered.
    struct Rendered {
        dir: PathBuf,
        rendered: Arc<RenderedFile>,
    }

    impl Drop for Rendered {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn render(name: &str, values: &str, template: &str, helpers: &str) -> Rendered {
        let dir = std::env::temp_dir().join(format!("akslint-fix-{}-{name}", std::process::id()));
        let write = |path: &str, text: &str| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("Chart.yaml", "apiVersion: v2\nname: t\nversion: 1.0.0\n");
        write("values.yaml", values);
        write("templates/_helpers.tpl", helpers);
        write("templates/t.yaml", template);
        let path = dir.join("templates/t.yaml");
        let file: SharedSource = Arc::new(SourceFile::new(&path, SourceKind::Yaml, template));
        let parsed = HelmFrontEnd::new().parse_template(
            &file,
            &path,
            &Limits::default(),
            &[],
            &DiskLoader::default(),
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let rendered = parsed.rendered.expect("rendered");
        Rendered { dir, rendered }
    }

    /// `edit` replaces the `nth` (0-based) `what` of the rendered text by `with`.
    fn edit(rendered: &RenderedFile, what: &str, nth: usize, with: &str) -> Edit {
        let text = rendered.file.text();
        let at = text
            .match_indices(what)
            .nth(nth)
            .expect("in the rendered text")
            .0;
        Edit {
            span: Span::new(at, at + what.len()),
            replacement: with.to_owned(),
        }
    }

    /// The mapped edit as (file name, the file's text with it applied).
    fn mapped(rendered: &RenderedFile, edit: &Edit) -> Option<(String, String)> {
        let (source, mapped) = map_edit(rendered, edit)?;
        let file = &rendered.sources[source];
        let text = file.text();
        let (from, to) = (mapped.span.start as usize, mapped.span.end as usize);
        let name = Path::new(file.path())
            .file_name()
            .unwrap()
            .to_string_lossy();
        Some((
            name.into_owned(),
            format!("{}{}{}", &text[..from], mapped.replacement, &text[to..]),
        ))
    }

    #[test]
    fn a_literal_of_the_template_is_edited_in_the_template() {
        let template = "kind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    app: web\nspec:\n  hostNetwork: true\n";
        let chart = render("literal", "x: 1\n", template, "");
        let r = &chart.rendered;
        let replaced = mapped(r, &edit(r, "true", 0, "false")).unwrap();
        assert_eq!(replaced.0, "t.yaml");
        assert_eq!(
            replaced.1,
            template.replace("hostNetwork: true", "hostNetwork: false")
        );
        // Lines inserted before a key take the template's indentation.
        let key = edit(r, "app: web", 0, "");
        let insert = Edit {
            span: Span::empty(key.span.start as usize),
            replacement: "tier: api\n    ".to_owned(),
        };
        let inserted = mapped(r, &insert).unwrap();
        assert!(
            inserted
                .1
                .contains("  labels:\n    tier: api\n    app: web\n"),
            "{}",
            inserted.1
        );
        // Nothing that opens an action is written into the template.
        assert_eq!(mapped(r, &edit(r, "true", 0, "{{ .x }}")), None);
        // The release name is an action's output, not the template's text.
        assert_eq!(mapped(r, &edit(r, "release-name", 0, "web")), None);
    }

    static META: akslint_core::RuleMeta = akslint_core::RuleMeta {
        code: "TEST001",
        name: "test",
        family: akslint_core::Family::Sec,
        default_severity: akslint_core::Severity::Error,
        security_severity: "5.0",
        summary: "a test rule",
        enabled_by_default: true,
        docs: "",
        source_file: "",
    };

    #[test]
    fn a_plan_is_written_on_the_rendered_text_then_in_the_template_never_showing_a_secret() {
        let template = "kind: Pod\nspec:\n  hostNetwork: true\n  token: s3cr3t-Tok3n\n";
        let chart = render("plan", "x: 1\n", template, "");
        let r = &chart.rendered;
        let at = edit(r, "true", 0, "").span;
        let plan = |message: &str| {
            akslint_core::FixPlan::new(
                message,
                akslint_core::Applicability::Safe,
                akslint_core::Change::Replace {
                    at,
                    expected: None,
                    value: akslint_core::Literal::Bool(false),
                },
            )
        };
        let diagnostic = Diagnostic::new(&META, &r.file, at, "host network")
            .with_fix_plan(plan("turn off hostNetwork"));
        let (file, fix) = chart_fix(r, &diagnostic).expect("a fix");
        assert!(Arc::ptr_eq(&file, &r.template));
        let edits = &fix.edits[..];
        assert_eq!(edits.len(), 1);
        assert_eq!(&template[edits[0].span.range()], "true");
        assert_eq!(edits[0].replacement, "false");
        let mut secret = Diagnostic::new(&META, &r.file, at, "host network")
            .with_fix_plan(plan("turn off hostNetwork (token s3cr3t-Tok3n)"));
        secret.sensitive = vec![edit(r, "s3cr3t-Tok3n", 0, "").span];
        assert!(chart_fix(r, &secret).is_none());
    }

    #[test]
    fn text_written_by_include_or_to_yaml_is_no_literal() {
        let template = "metadata:\n  labels:\n    {{- include \"t.labels\" . | nindent 4 }}\n  annotations:\n    {{- toYaml .Values.annotations | nindent 4 }}\n";
        let helpers = "{{- define \"t.labels\" -}}\napp: web\n{{- end }}\n";
        let chart = render("include", "annotations:\n  team: shop\n", template, helpers);
        let r = &chart.rendered;
        for what in ["app: web", "team: shop"] {
            let key = edit(r, what, 0, "");
            let insert = Edit {
                span: Span::empty(key.span.start as usize),
                replacement: "a: b\n    ".to_owned(),
            };
            assert_eq!(mapped(r, &insert), None, "{what}");
        }
        // The helper's literal, written by `include`: not the template's.
        assert_eq!(mapped(r, &edit(r, "web", 0, "api")), None);
    }

    #[test]
    fn a_value_is_replaced_in_values_yaml_keeping_its_type() {
        let values = "enabled: false\nname: \"web\"\nflow: [x]\nparts:\n  a: fal\n  b: se\n";
        let template = "a: {{ .Values.enabled }}\nb: {{ .Values.name }}\nc: \"{{ .Values.name }}\"\nd: {{ .Values.enabled | quote }}\ne: {{ printf \"%s%s\" .Values.parts.a .Values.parts.b }}\nf: {{ index .Values.flow 0 }}\n";
        let chart = render("values", values, template, "");
        let r = &chart.rendered;
        let on = |with: &str| mapped(r, &edit(r, "false", 0, with));
        assert_eq!(
            on("true").unwrap(),
            (
                "values.yaml".to_owned(),
                values.replace("enabled: false", "enabled: true")
            )
        );
        // A boolean printed where the fix wants a string: the template would need quotes.
        assert_eq!(on("\"true\""), None);
        // A string stays a string (quoted as the values file needs).
        let name = mapped(r, &edit(r, "web", 0, "api")).unwrap();
        assert_eq!(name.1, values.replace("\"web\"", "api"));
        let quoted = mapped(r, &edit(r, "\"web\"", 0, "\"true\"")).unwrap();
        assert_eq!(quoted.1, values.replace("\"web\"", "\"true\""));
        // `quote` wrote the quotes around a boolean: it stays a boolean.
        let d = mapped(r, &edit(r, "\"false\"", 0, "\"true\"")).unwrap();
        assert_eq!(d.1, values.replace("enabled: false", "enabled: true"));
        // A value built by `printf` from two values: no fix.
        assert_eq!(mapped(r, &edit(r, "false", 2, "true")), None);
        // A value in a flow sequence is written so the sequence still reads.
        let flow = mapped(r, &edit(r, "x", 0, "a, b")).unwrap();
        assert_eq!(flow.1, values.replace("[x]", "[\"a, b\"]"));
    }
}
