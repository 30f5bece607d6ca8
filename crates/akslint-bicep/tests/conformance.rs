//! Conformance against the Bicep compiler's own samples and test baselines (`shared/bicep-conformance`):
//! lossless round trip, no errors on valid files, identical token streams, and syntax errors on the lines where
//! the compiler reports them. Each test prints its figures (`cargo test -- --nocapture`) and skips with a
//! notice when the data is absent.

#[path = "support/baseline.rs"]
mod baseline;
#[path = "support/data.rs"]
mod data;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use baseline::{Positions, annotations, datasets};
use data::{conformance_dir, file_kind, read, source_files};

/// Parses a file with the grammar its extension calls for.
fn parse_file(path: &Path, text: &str) -> akslint_bicep::Parsed {
    akslint_bicep::parse_as(text, file_kind(path))
}

/// The diagnostic codes that the compiler's lexer and parser emit (from `Lexer.cs`, `BaseParser.cs`,
/// `Parser.cs`, `ParamsParser.cs` and the `DiagnosticBuilder` methods they call).
const PARSE_CODES: [&str; 63] = [
    "BCP001", "BCP002", "BCP003", "BCP004", "BCP005", "BCP006", "BCP007", "BCP008", "BCP009",
    "BCP010", "BCP011", "BCP012", "BCP013", "BCP015", "BCP016", "BCP017", "BCP018", "BCP019",
    "BCP020", "BCP021", "BCP022", "BCP023", "BCP024", "BCP032", "BCP064", "BCP068", "BCP087",
    "BCP096", "BCP097", "BCP103", "BCP117", "BCP118", "BCP123", "BCP133", "BCP136", "BCP140",
    "BCP162", "BCP167", "BCP201", "BCP202", "BCP226", "BCP236", "BCP237", "BCP238", "BCP243",
    "BCP249", "BCP257", "BCP266", "BCP279", "BCP300", "BCP305", "BCP317", "BCP322", "BCP337",
    "BCP344", "BCP346", "BCP347", "BCP354", "BCP355", "BCP356", "BCP375", "BCP404", "BCP436",
];

/// Of the parse-phase codes, those that later phases (type checking, emitting) also emit; an instance of these
/// that we do not match may come from a later phase and is reported but not counted as a miss.
const SHARED_CODES: [&str; 7] = [
    "BCP010", "BCP015", "BCP032", "BCP201", "BCP337", "BCP375", "BCP404",
];

#[test]
fn every_file_round_trips() {
    let Some(dir) = conformance_dir("every_file_round_trips") else {
        return;
    };
    let files = source_files(&dir);
    let mut failures = Vec::new();
    let mut bytes = 0;
    for path in &files {
        let text = read(path);
        bytes += text.len();
        let parsed = parse_file(path, &text);
        let root = parsed.tree.root();
        let mut offset = 0;
        let mut contiguous = true;
        for token in root.descendant_tokens() {
            contiguous &= token.span().start == offset;
            offset = token.span().end;
        }
        if root.full_text() != text || !contiguous || offset as usize != text.len() {
            failures.push(path.display().to_string());
        }
    }
    eprintln!(
        "round trip: {} of {} files ({bytes} bytes) reproduced byte for byte",
        files.len() - failures.len(),
        files.len()
    );
    assert!(!files.is_empty(), "no files found under {}", dir.display());
    assert!(failures.is_empty(), "not reproduced: {failures:#?}");
}

/// Parses `paths` and returns those with errors, with their first errors.
fn files_with_errors(paths: &[&Path]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|path| {
            let text = read(path);
            let parsed = parse_file(path, &text);
            let positions = Positions::new(&text);
            let first: Vec<String> = parsed
                .errors
                .iter()
                .take(3)
                .map(|e| {
                    format!(
                        "line {}: {} ({})",
                        positions.line(e.span.start) + 1,
                        e.message(),
                        e.kind.compiler_code()
                    )
                })
                .collect();
            (!parsed.errors.is_empty()).then(|| format!("{}: {first:?}", path.display()))
        })
        .collect()
}

#[test]
fn valid_files_have_no_errors() {
    let Some(dir) = conformance_dir("valid_files_have_no_errors") else {
        return;
    };
    let all = datasets(&dir);
    let mut failures = Vec::new();
    for params in [false, true] {
        let valid: Vec<_> = all
            .iter()
            .filter(|d| {
                !d.invalid
                    && d.main
                        .extension()
                        .is_some_and(|e| (e == "bicepparam") == params)
            })
            .collect();
        let mains: Vec<&Path> = valid.iter().map(|d| d.main.as_path()).collect();
        let others: Vec<&Path> = valid
            .iter()
            .flat_map(|d| d.others.iter().map(|p| p.as_path()))
            .collect();
        let bad_mains = files_with_errors(&mains);
        let bad_others = files_with_errors(&others);
        let label = if params {
            "valid .bicepparam datasets"
        } else {
            "valid baseline datasets"
        };
        eprintln!(
            "{label}: {} of {} without errors; files beside them (modules etc.): {} of {} without errors",
            mains.len() - bad_mains.len(),
            mains.len(),
            others.len() - bad_others.len(),
            others.len()
        );
        failures.extend(bad_mains);
        failures.extend(bad_others);
    }
    let user = source_files(&dir.join("user_submitted"));
    let user_paths: Vec<&Path> = user.iter().map(|p| p.as_path()).collect();
    let bad_user = files_with_errors(&user_paths);
    eprintln!(
        "user-submitted files: {} of {} without errors",
        user.len() - bad_user.len(),
        user.len()
    );
    failures.extend(bad_user);
    assert!(
        failures.is_empty(),
        "files with errors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn token_streams_match_the_compiler() {
    let Some(dir) = conformance_dir("token_streams_match_the_compiler") else {
        return;
    };
    let mut failures = Vec::new();
    let mut datasets_matched = 0;
    let mut tokens_total = 0;
    let all = datasets(&dir);
    for dataset in &all {
        let text = read(&dataset.main);
        let positions = Positions::new(&text);
        let baseline = annotations(&dataset.tokens, &text);
        let expected: Vec<(String, u32, u32)> = baseline
            .annotations
            .iter()
            .map(|a| {
                let name = a.rest.split(' ').next().unwrap_or_default().to_owned();
                (
                    name,
                    positions.utf16_at(a.line, a.start),
                    positions.utf16_at(a.line, a.end),
                )
            })
            .collect();
        let lexed = akslint_bicep::lex(&text);
        let actual: Vec<(String, u32, u32)> = lexed
            .tokens
            .iter()
            .filter(|t| positions.line(t.span.start) < baseline.pieces)
            .filter_map(|t| {
                let name = t.kind.compiler_token_name()?;
                Some((
                    name.to_owned(),
                    positions.utf16(t.span.start),
                    positions.utf16(t.span.end),
                ))
            })
            .collect();
        tokens_total += expected.len();
        match expected.iter().zip(&actual).position(|(e, a)| e != a) {
            None if expected.len() == actual.len() => datasets_matched += 1,
            index => {
                let i = index.unwrap_or(expected.len().min(actual.len()));
                failures.push(format!(
                    "{}: token {i} differs: compiler {:?}, ours {:?}",
                    dataset.name,
                    expected.get(i),
                    actual.get(i)
                ));
            }
        }
        // The tree's tokens are the lexer's tokens.
        let parsed = parse_file(&dataset.main, &text);
        let tree_tokens: Vec<_> = parsed.tree.tokens().map(|t| (t.kind(), t.span())).collect();
        let lexer_tokens: Vec<_> = lexed.tokens.iter().map(|t| (t.kind, t.span)).collect();
        assert_eq!(tree_tokens, lexer_tokens, "{}", dataset.name);
    }
    eprintln!(
        "token streams: {datasets_matched} of {} datasets identical to the compiler's ({tokens_total} tokens compared, kind and span)",
        all.len()
    );
    assert!(
        failures.is_empty(),
        "token mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn syntax_errors_are_where_the_compiler_reports_them() {
    let Some(dir) = conformance_dir("syntax_errors_are_where_the_compiler_reports_them") else {
        return;
    };
    let mut failures = Vec::new();
    let (mut expected_total, mut matched_total, mut same_code_total) = (0, 0, 0);
    let mut codes_seen = BTreeSet::new();
    for dataset in datasets(&dir) {
        let text = read(&dataset.main);
        let positions = Positions::new(&text);
        let parsed = parse_file(&dataset.main, &text);
        let baseline = annotations(&dataset.diagnostics, &text);
        // Compiler parse-phase diagnostics by line.
        let mut compiler: Vec<(usize, String)> = Vec::new();
        for d in &baseline.annotations {
            let Some(code) = d.rest.strip_prefix('[').and_then(|r| r.split(' ').next()) else {
                continue;
            };
            if PARSE_CODES.contains(&code) {
                compiler.push((d.line, code.to_owned()));
                codes_seen.insert(code.to_owned());
            }
        }
        let mut ours: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
        for e in &parsed.errors {
            let line = positions.line(e.span.start);
            // Lines past the baseline's last piece are not annotated (see `annotations`).
            if line < baseline.pieces {
                ours.entry(line).or_default().push(e.kind.compiler_code());
            }
        }
        let compiler_lines: BTreeSet<usize> = compiler.iter().map(|(l, _)| *l).collect();
        let mut matched = 0;
        let mut same_code = 0;
        let mut misses = Vec::new();
        let mut shared_unmatched = Vec::new();
        for (line, code) in &compiler {
            match ours.get(line) {
                Some(codes) => {
                    matched += 1;
                    same_code += usize::from(codes.contains(&code.as_str()));
                }
                None if SHARED_CODES.contains(&code.as_str()) => {
                    shared_unmatched.push(format!("line {}: {code}", line + 1))
                }
                None => misses.push(format!("line {}: {code}", line + 1)),
            }
        }
        let extra: Vec<String> = ours
            .iter()
            .filter(|(line, _)| !compiler_lines.contains(line))
            .map(|(line, codes)| format!("line {}: {codes:?}", line + 1))
            .collect();
        let required = compiler.len() - shared_unmatched.len();
        expected_total += required;
        matched_total += matched;
        same_code_total += same_code;
        if dataset.invalid || !compiler.is_empty() || !extra.is_empty() {
            let rate = if required == 0 {
                100.0
            } else {
                100.0 * matched as f64 / required as f64
            };
            eprintln!(
                "{:<48} compiler syntax errors {:>3}, matched on the same line {:>3} ({rate:5.1}%), same code {:>3}, extra lines of ours {}{}",
                dataset.name,
                required,
                matched,
                same_code,
                extra.len(),
                if shared_unmatched.is_empty() {
                    String::new()
                } else {
                    format!(", later-phase {shared_unmatched:?}")
                },
            );
        }
        if !misses.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{}: missed {misses:?}, extra {extra:?}",
                dataset.name
            ));
        }
    }
    eprintln!(
        "syntax errors: matched {matched_total} of {expected_total} compiler parse-phase diagnostics on their line ({:.1}%), {same_code_total} with the same code; codes seen: {codes_seen:?}",
        if expected_total == 0 {
            100.0
        } else {
            100.0 * matched_total as f64 / expected_total as f64
        }
    );
    assert!(
        failures.is_empty(),
        "differences from the compiler:\n{}",
        failures.join("\n")
    );
}

/// Every property the compiler reports as declared twice (BCP025, on each declaration) is a
/// duplicate-key problem of the front end, at the later declarations with the first as the
/// related place; and the front end reports no other.
#[test]
fn duplicate_properties_are_where_the_compiler_reports_them() {
    use akslint_core::{FrontEnd, Limits, ParseProblemKind, SourceFile, SourceKind};
    let Some(dir) = conformance_dir("duplicate_properties_are_where_the_compiler_reports_them")
    else {
        return;
    };
    let mut failures = Vec::new();
    let mut compared = 0;
    for dataset in datasets(&dir) {
        let text = read(&dataset.main);
        let positions = Positions::new(&text);
        let baseline = annotations(&dataset.diagnostics, &text);
        let compiler: BTreeSet<(u32, u32)> = baseline
            .annotations
            .iter()
            .filter(|a| a.rest.starts_with("[BCP025 "))
            .map(|a| {
                (
                    positions.utf16_at(a.line, a.start),
                    positions.utf16_at(a.line, a.end),
                )
            })
            .collect();
        let kind = SourceKind::from_path(&dataset.main).unwrap_or(SourceKind::Bicep);
        let file = std::sync::Arc::new(SourceFile::new(&dataset.main, kind, text.clone()));
        let parsed = akslint_bicep::BicepFrontEnd.parse(&file, &Limits::default());
        let utf16 =
            |span: akslint_core::Span| (positions.utf16(span.start), positions.utf16(span.end));
        let ours: BTreeSet<(u32, u32)> = parsed
            .problems
            .iter()
            .filter(|p| p.kind == ParseProblemKind::DuplicateKey)
            .filter(|p| positions.line(p.span.start) < baseline.pieces)
            .flat_map(|p| std::iter::once(p.span).chain(p.related.as_ref().map(|(span, _)| *span)))
            .map(utf16)
            .collect();
        compared += compiler.len();
        if ours != compiler {
            failures.push(format!(
                "{}: compiler only {:?}, ours only {:?}",
                dataset.name,
                compiler.difference(&ours).collect::<Vec<_>>(),
                ours.difference(&compiler).collect::<Vec<_>>()
            ));
        }
    }
    eprintln!("duplicate properties: {compared} compiler BCP025 places compared");
    assert!(compared > 0, "the baselines hold BCP025 diagnostics");
    assert!(
        failures.is_empty(),
        "differences from the compiler:\n{}",
        failures.join("\n")
    );
}
