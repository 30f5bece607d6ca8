//! Fixes of findings in a chart template's rendered text, written back in the chart's files.
//!
//! A rule plans its fix on the rendered document (the YAML front end writes it there); the fix
//! is offered in the chart only when every edited byte range maps to one literal:
//!
//! - the template's own text (a text node of the template file itself, copied verbatim, not
//!   written by an action such as `include`, `toYaml` or `tpl`); an edit that adds lines must
//!   have the whole line before it in that text, so the new lines take the template's own
//!   indentation; nothing that would open a template action (`{{`) is written;
//! - or one scalar of a chart's `values.yaml` printed whole and unchanged (`{{ .Values.x }}`, a
//!   scalar inside `toYaml`), or inside quotes the template wrote (`"{{ .Values.x }}"`,
//!   `{{ .Values.x | quote }}`): the new value is written there, plain or quoted as the values
//!   file needs, only when it keeps the old value's type (a boolean stays a boolean) and the
//!   template then prints exactly what the fix writes in the rendered document.
//!
//! Anything else (a value built by `printf`, a label block written by `include`, a value quoted
//! by `quote`) gets no fix.

use std::sync::Arc;

use akslint_core::{
    Diagnostic, Edit, Fix, FrontEnd, Limits, RenderedFile, RenderedSegment, SharedSource,
    SourceFile, SourceKind, Span,
};

use crate::chart::VALUES_FILE;
use crate::render::value::{Kind, Value};

/// The fix of a finding of a chart template's rendered text (`diagnostic` still in the
/// rendered text: its written fix, else its plan written there), as edits of the one chart file
/// that wrote every byte it edits, and that file; `None` when some edit does not map to a
/// literal (see the module's doc), the edits land in several files, or the fix's title would
/// show a secret of the finding.
pub fn chart_fix(rendered: &RenderedFile, diagnostic: &Diagnostic) -> Option<(SharedSource, Fix)> {
    let fix = match (&diagnostic.fix, &diagnostic.fix_plan) {
        (Some(fix), _) => fix.clone(),
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

/// Whether a file a chart's rendering read is a chart's `values.yaml`.
fn is_values_file(file: &SharedSource) -> bool {
    file.path().file_name().is_some_and(|n| n == VALUES_FILE)
        && !file
            .path()
            .components()
            .any(|c| c.as_os_str() == "templates")
}

/// An edit that replaces a quoted scalar whose quotes the template wrote around one value of a
/// `values.yaml` (`"{{ .Values.x }}"`, `{{ .Values.x | quote }}`) by a string quoted alike that
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
fn in_template_text(rendered: &RenderedFile, segment: &RenderedSegment, edit: &Edit) -> Option<Edit> {
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

/// An edit that replaces a whole scalar a chart's `values.yaml` wrote (printed at `segment`)
/// so that the template prints `printed` instead (see the module's doc): the new value, of the
/// old one's type, written plain or double-quoted, whichever the file reads back as it.
fn in_values_scalar(rendered: &RenderedFile, segment: &RenderedSegment, printed: &str) -> Option<Edit> {
    let r = segment.rendered;
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
            same.then(|| Edit {
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
