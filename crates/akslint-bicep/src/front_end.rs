//! The Bicep front end of the linter: syntax errors as `PARSE007` findings, comments for
//! `// akslint-ignore` suppressions, and Bicep's own pragmas (`#disable-next-line`,
//! `#disable-diagnostics` … `#restore-diagnostics`) as suppressions.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use akslint_core::{
    Comment, EachGroup, Edit, FixPlan, FrontEnd, Limits, ParseProblem, ParseProblemKind,
    ParsedFile, Pragma, ProjectSource, SharedSource, SourceKind, SourceLoader, Span, Syntax,
};

use crate::{ErrorKind, FileKind, Parsed, SyntaxKind, parse_as};

/// The Bicep front end: parses `.bicep` and `.bicepparam` files, evaluates a project's templates
/// into the Azure model, and writes fixes through the lossless tree.
#[derive(Clone, Copy, Debug, Default)]
pub struct BicepFrontEnd;

/// The grammar of a file.
fn grammar(file: &SharedSource) -> FileKind {
    match file.kind() {
        SourceKind::BicepParam => FileKind::Params,
        _ => FileKind::Bicep,
    }
}

impl FrontEnd for BicepFrontEnd {
    fn kinds(&self) -> &'static [SourceKind] {
        &[
            SourceKind::Bicep,
            SourceKind::BicepParam,
            SourceKind::ArmTemplate,
        ]
    }

    /// Evaluates the project's Bicep and `.bicepparam` files (independent groups of them in
    /// parallel, see `eval/groups.rs`) and, beside them, its ARM JSON templates and parameter
    /// files (read by `akslint-arm`, one group after the Bicep groups).
    fn evaluate_groups(
        &self,
        files: Vec<ProjectSource>,
        loader: &dyn SourceLoader,
        each: &EachGroup<'_>,
    ) {
        let (arm, bicep): (Vec<ProjectSource>, Vec<ProjectSource>) = files
            .into_iter()
            .partition(|source| source.file.kind() == SourceKind::ArmTemplate);
        // A JSON template that a Bicep file calls is evaluated by that call, with its arguments.
        let cwd = std::env::current_dir().ok();
        let called = crate::eval::json_templates_named(&bicep, cwd.as_deref());
        let arm: Vec<ProjectSource> = arm
            .into_iter()
            .filter(|source| {
                !called.contains(&crate::eval::key_of(source.file.path(), cwd.as_deref()))
            })
            .collect();
        // Parameter files the configuration pairs with a template (`arm-parameters`).
        let templates: HashMap<PathBuf, PathBuf> = arm
            .iter()
            .filter_map(|source| {
                let template = source.template.clone()?;
                Some((
                    crate::eval::key_of(source.file.path(), cwd.as_deref()),
                    template,
                ))
            })
            .collect();
        let arm: Vec<SharedSource> = arm.into_iter().map(|source| source.file).collect();
        // The ARM JSON files are evaluated beside the Bicep groups, and come after them.
        let (bicep_groups, json) = rayon::join(
            || crate::evaluate_each_group(bicep, loader, each),
            || (!arm.is_empty()).then(|| crate::evaluate_arm_with(&arm, &templates, loader)),
        );
        if let Some(json) = json {
            each(bicep_groups, json);
        }
    }

    /// A Bicep file's tree gives way to the paths it refers to: the evaluation of its group
    /// parses it again, so no tree lives from the per-file stage to the project stage.
    fn syntax_for_project(&self, syntax: Syntax) -> Syntax {
        match syntax.downcast::<Parsed>() {
            Ok(parsed) => Arc::new(crate::eval::References(crate::eval::references(&parsed))),
            Err(other) => other,
        }
    }

    fn render_fix(
        &self,
        file: &SharedSource,
        parsed: Option<&ParsedFile>,
        plan: &FixPlan,
    ) -> Option<Vec<Edit>> {
        if file.kind() == SourceKind::ArmTemplate {
            let document = akslint_arm::json::parse(file.text());
            return akslint_arm::fix::render(file.text(), &document, plan)
                .map(|edits| akslint_core::in_line_endings_of(file.text(), edits));
        }
        let kept = parsed
            .and_then(|p| p.syntax.clone())
            .and_then(|syntax| syntax.downcast::<Parsed>().ok());
        let parsed = kept.unwrap_or_else(|| Arc::new(parse_as(file.text(), grammar(file))));
        crate::fix::render(file.text(), &parsed, plan)
            .map(|edits| akslint_core::in_line_endings_of(file.text(), edits))
    }

    fn parse(&self, file: &SharedSource, _limits: &Limits) -> ParsedFile {
        if file.kind() == SourceKind::ArmTemplate {
            return akslint_arm::parse_file(file);
        }
        let mut parsed = parse_as(file.text(), grammar(file));
        let mut result = ParsedFile::default();
        for error in &parsed.errors {
            let span = core_span(error.span);
            let problem = match error.kind {
                ErrorKind::NestingTooDeep => ParseProblem::new(
                    ParseProblemKind::TooDeep,
                    span,
                    format!(
                        "this expression nests deeper than {} levels; akslint stopped reading it",
                        crate::MAX_NESTING
                    ),
                ),
                _ => ParseProblem::new(
                    ParseProblemKind::Syntax,
                    span,
                    format!(
                        "Bicep syntax error: {} ({})",
                        error.message(),
                        error.kind.compiler_code()
                    ),
                )
                .with_help("fix the syntax here; the rest of the file is still checked"),
            };
            result.problems.push(problem);
        }
        duplicate_properties(&parsed, &mut result.problems);
        let text = file.text();
        let mut open_ranges: Vec<(String, Span, usize)> = Vec::new();
        for token in parsed.tree.tokens() {
            let span = core_span(token.span());
            match token.kind() {
                SyntaxKind::LineComment | SyntaxKind::BlockComment => {
                    let body_end = if token.kind() == SyntaxKind::BlockComment
                        && token.text().ends_with("*/")
                    {
                        span.end as usize - 2
                    } else {
                        span.end as usize
                    };
                    result.comments.push(Comment {
                        span,
                        body: Span::new((span.start as usize + 2).min(body_end), body_end),
                        own_line: starts_line(text, span.start as usize),
                    });
                }
                SyntaxKind::Pragma => pragma(
                    file,
                    token.text(),
                    span,
                    &mut open_ranges,
                    &mut result.pragmas,
                ),
                _ => {}
            }
        }
        let last_line = file.lines().line_count().saturating_sub(1);
        for (code, code_span, first) in open_ranges {
            result.pragmas.push(Pragma {
                lines: (first, last_line),
                codes: vec![(code, code_span)],
                span: code_span,
            });
        }
        // The tree is kept (for the project's evaluation and fixes): without its spare room.
        parsed.tree.shrink_to_fit();
        result.syntax = Some(Arc::new(parsed));
        result
    }
}

/// Reports every property written again in the same object (the compiler's BCP025) at its key,
/// with the first as the related place. Keys compare as the compiler compares them: by exact
/// text, the quotes of a string key aside; interpolated keys are never duplicates.
fn duplicate_properties(parsed: &Parsed, problems: &mut Vec<ParseProblem>) {
    for object in parsed.tree.root().descendants() {
        let Some(object) = crate::ast::ObjectExpr::cast(object) else {
            continue;
        };
        let mut first_of: std::collections::HashMap<_, crate::Span> =
            std::collections::HashMap::new();
        for property in object.properties() {
            let Some(key) = property.key() else { continue };
            let span = property.key_span();
            match first_of.get(&key) {
                Some(&first) => problems.push(
                    ParseProblem::new(
                        ParseProblemKind::DuplicateKey,
                        core_span(span),
                        format!(
                            "the property `{key}` is declared more than once in this object (BCP025); the compiler refuses the file"
                        ),
                    )
                    .with_help("keep one of the properties")
                    .with_related(core_span(first), "first declared here"),
                ),
                None => {
                    first_of.insert(key, span);
                }
            }
        }
    }
}

/// Turns one pragma into suppressions: `#disable-next-line` covers the next line,
/// `#disable-diagnostics` opens a range per code that `#restore-diagnostics` closes.
fn pragma(
    file: &SharedSource,
    text: &str,
    span: Span,
    open_ranges: &mut Vec<(String, Span, usize)>,
    pragmas: &mut Vec<Pragma>,
) {
    let line = file.lines().line_of(span.start as usize);
    let mut words = Vec::new();
    let mut offset = 0;
    for word in text.split_whitespace() {
        let at = text[offset..].find(word).map_or(offset, |i| offset + i);
        words.push((
            word.to_owned(),
            Span::new(
                span.start as usize + at,
                span.start as usize + at + word.len(),
            ),
        ));
        offset = at + word.len();
    }
    let Some(((directive, _), codes)) = words.split_first() else {
        return;
    };
    match directive.as_str() {
        "#disable-next-line" => {
            pragmas.push(Pragma {
                lines: (line + 1, line + 1),
                codes: codes.to_vec(),
                span,
            });
        }
        "#disable-diagnostics" => {
            open_ranges.extend(
                codes
                    .iter()
                    .map(|(code, code_span)| (code.clone(), *code_span, line + 1)),
            );
        }
        "#restore-diagnostics" => {
            for (code, _) in codes {
                if let Some(index) = open_ranges.iter().position(|(open, _, _)| open == code) {
                    let (code, code_span, first) = open_ranges.remove(index);
                    pragmas.push(Pragma {
                        lines: (first, line.saturating_sub(1)),
                        codes: vec![(code, code_span)],
                        span: code_span,
                    });
                }
            }
        }
        _ => {}
    }
}

fn core_span(span: crate::Span) -> Span {
    Span::new(span.start as usize, span.end as usize)
}

fn starts_line(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset]
        .trim_start_matches('\u{feff}')
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
}
