//! akslint's YAML front end.
//!
//! Parses Kubernetes manifests, Kustomize output, `helm template` output and any other YAML into
//! akslint's [`Document`] trees with byte-exact spans:
//!
//! 1. the stream is cut into chunks at its `---` lines as Kubernetes cuts it ([`chunks`]), so a
//!    syntax error in one document never hides the others;
//! 2. each chunk goes through our own scanner and parser, which read YAML as Kubernetes' go-yaml
//!    does (the same leniencies, the same errors) and give byte spans, into our tree builder,
//!    which enforces the nesting and alias limits and reports duplicate keys;
//! 3. comments are found with the scalar ranges the builder recorded, and each document takes
//!    the Helm template named by its `# Source:` comment.
//!
//! Fix plans are written in YAML by [`fix::render`].

mod builder;
pub mod chunks;
mod comments;
pub mod fix;
mod parser;
mod scanner;
#[cfg(any(test, feature = "test-suite"))]
pub mod suite;

use akslint_core::{
    Document, Edit, FixPlan, FrontEnd, HelmSource, Limits, ParseProblem, ParseProblemKind,
    ParsedFile, SharedSource, SourceKind, Span,
};

/// The YAML front end.
#[derive(Clone, Copy, Debug, Default)]
pub struct YamlFrontEnd;

impl FrontEnd for YamlFrontEnd {
    fn kinds(&self) -> &'static [SourceKind] {
        &[SourceKind::Yaml]
    }

    fn parse(&self, file: &SharedSource, limits: &Limits) -> ParsedFile {
        parse(file, limits)
    }

    fn render_fix(
        &self,
        file: &SharedSource,
        parsed: Option<&ParsedFile>,
        plan: &FixPlan,
    ) -> Option<Vec<Edit>> {
        let edits = match parsed {
            Some(parsed) => fix::render(file.text(), &parsed.documents, plan),
            None => fix::render(
                file.text(),
                &parse(file, &Limits::default()).documents,
                plan,
            ),
        };
        edits.map(|edits| akslint_core::in_line_endings_of(file.text(), edits))
    }
}

/// Parses a YAML file.
pub fn parse(file: &SharedSource, limits: &Limits) -> ParsedFile {
    let text = file.text();
    let mut parsed = ParsedFile::default();
    for chunk in chunks::split(text) {
        if chunk.invalid_separator {
            let line = text[chunk.start..chunk.body].trim_end();
            let shown: String = line.chars().take(40).collect();
            let more = if shown.len() < line.len() { "…" } else { "" };
            parsed.problems.push(
                ParseProblem::new(
                    ParseProblemKind::Syntax,
                    Span::new(chunk.start, chunk.start + line.len()),
                    format!("YAML syntax error: invalid document separator `{shown}{more}`; Kubernetes cuts files into documents at every line that starts with `---`, and allows only a comment after the dashes"),
                )
                .with_help("put what follows `---` on the next line"),
            );
        }
        let mut result = builder::parse_chunk(file, chunk, limits);
        result.scalar_ranges.sort_unstable();
        let comments = comments::scan(text, chunk.start, chunk.end, &result.scalar_ranges);
        for document in &mut result.documents {
            document.helm_source = helm_source(text, document, &comments);
        }
        parsed.documents.extend(result.documents);
        parsed.problems.extend(result.problems);
        parsed.comments.extend(comments);
    }
    parsed
}

/// The template named by a `# Source: path` comment before the document's content.
fn helm_source(
    text: &str,
    document: &Document,
    comments: &[akslint_core::Comment],
) -> Option<HelmSource> {
    let content_start = document
        .root
        .map_or(document.span.end, |root| document.tree.span(root).start);
    comments
        .iter()
        .filter(|c| {
            c.span.start >= document.span.start
                && c.span.start < content_start.max(document.span.start)
        })
        .find_map(|c| {
            let template = text[c.body.range()].trim().strip_prefix("Source:")?.trim();
            (!template.is_empty()).then(|| HelmSource {
                template: template.to_owned(),
                span: c.span,
            })
        })
}
