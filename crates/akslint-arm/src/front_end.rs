//! What the engine needs of an ARM JSON file on its own: its syntax problems and duplicate
//! properties as `PARSE` findings, and its comments for `// akslint-ignore` suppressions. The
//! templates are evaluated into the Azure model with the other templates of their project, by the
//! template evaluator (`akslint-bicep`), which calls this crate to read them.

use akslint_core::{Comment, ParseProblem, ParseProblemKind, ParsedFile, SharedSource};

use crate::json::{self, JsonProblemKind};

/// Reads an ARM JSON file: its problems and comments (its values are read again, with spans, by
/// the evaluation).
pub fn parse_file(file: &SharedSource) -> ParsedFile {
    let text = file.text();
    let document = json::parse(text);
    let mut parsed = ParsedFile::default();
    for problem in document.problems {
        let converted = match problem.kind {
            JsonProblemKind::Syntax => ParseProblem::new(
                ParseProblemKind::Syntax,
                problem.span,
                format!("JSON syntax error: {}", problem.message),
            )
            .with_help(
                "fix the JSON here; ARM refuses the file, and akslint read it only up to here",
            ),
            JsonProblemKind::TooDeep => {
                ParseProblem::new(ParseProblemKind::TooDeep, problem.span, problem.message)
            }
            JsonProblemKind::DuplicateProperty => {
                let converted = ParseProblem::new(
                    ParseProblemKind::DuplicateKey,
                    problem.span,
                    problem.message,
                )
                .with_help("keep one of the properties");
                match problem.related {
                    Some(first) => converted.with_related(first, "first set here"),
                    None => converted,
                }
            }
        };
        parsed.problems.push(converted);
    }
    parsed.comments = document
        .comments
        .into_iter()
        .map(|span| {
            let start = span.start as usize;
            let end = span.end as usize;
            let body_end = if text[start..end].starts_with("/*") {
                end.saturating_sub(2).max(start + 2)
            } else {
                end
            };
            Comment {
                span,
                body: akslint_core::Span::new(start + 2, body_end),
                own_line: text[..start]
                    .rsplit(['\n', '\r'])
                    .next()
                    .is_some_and(|before| before.trim().is_empty()),
            }
        })
        .collect();
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use akslint_core::{SourceFile, SourceKind};
    use std::sync::Arc;

    fn file(text: &str) -> SharedSource {
        Arc::new(SourceFile::new(
            "azuredeploy.json",
            SourceKind::ArmTemplate,
            text.to_owned(),
        ))
    }

    #[test]
    fn problems_and_comments() {
        let text = "{\n  // akslint-ignore API001: lab cluster\n  \"a\": 1, /* inline */ \"A\": 2,\n  \"b\": [1 2]\n}";
        let parsed = parse_file(&file(text));
        let kinds: Vec<ParseProblemKind> = parsed.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [ParseProblemKind::DuplicateKey, ParseProblemKind::Syntax]
        );
        assert!(
            parsed.problems[1]
                .message
                .starts_with("JSON syntax error: expected `,` or `]`")
        );
        let bodies: Vec<(&str, bool)> = parsed
            .comments
            .iter()
            .map(|c| {
                (
                    &text[c.body.start as usize..c.body.end as usize],
                    c.own_line,
                )
            })
            .collect();
        assert_eq!(
            bodies,
            [
                (" akslint-ignore API001: lab cluster", true),
                (" inline ", false)
            ]
        );
    }
}
