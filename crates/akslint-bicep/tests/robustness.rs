//! Robustness: deep nesting, huge tokens, unterminated constructs, random bytes and random mutations of real
//! files. Whatever the input, parsing must finish (no panic, no stack overflow, no hang), report an error when
//! the input is not valid, and give back a tree that reproduces the input byte for byte.
//!
//! Parsing runs on threads with 2 MiB stacks, the size of Rayon's and std's worker threads.

#[path = "support/data.rs"]
mod data;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use akslint_bicep::{FileKind, Parsed, parse_as};

/// The stack size of Rayon's and std's worker threads.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// Parses on a thread with a 2 MiB stack and checks the invariants: the tree reproduces the input, every
/// token covers the bytes right after the previous one, and errors lie inside the input.
fn parse_checked(text: String, kind: FileKind) -> Parsed {
    let worker = thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let parsed = parse_as(&text, kind);
            let mut offset = 0;
            for token in parsed.tree.root().descendant_tokens() {
                assert_eq!(token.span().start, offset, "tokens must be contiguous");
                offset = token.span().end;
            }
            assert_eq!(offset as usize, text.len(), "tokens must cover the input");
            assert_eq!(
                parsed.tree.root().full_text(),
                text,
                "the tree must reproduce the input"
            );
            for error in &parsed.errors {
                assert!(
                    error.span.start <= error.span.end && error.span.end as usize <= text.len(),
                    "{error:?}"
                );
            }
            parsed
        })
        .expect("spawn a parser thread");
    worker
        .join()
        .expect("the parser must not panic or overflow its stack")
}

/// Parses `text` as a `.bicep` file and expects at least one error.
fn assert_rejected(label: &str, text: String) {
    let start = Instant::now();
    let parsed = parse_checked(text, FileKind::Bicep);
    assert!(!parsed.errors.is_empty(), "{label}: expected an error");
    eprintln!(
        "{label}: {} errors in {:?}",
        parsed.errors.len(),
        start.elapsed()
    );
}

#[test]
fn deep_nesting_is_bounded() {
    const DEPTH: usize = 10_000;
    let cases = [
        (
            "parentheses",
            format!("var x = {}1{}\n", "(".repeat(DEPTH), ")".repeat(DEPTH)),
        ),
        (
            "arrays",
            format!("var x = {}{}\n", "[".repeat(DEPTH), "]".repeat(DEPTH)),
        ),
        (
            "objects",
            format!("var x = {}{}\n", "{a:".repeat(DEPTH), "}".repeat(DEPTH)),
        ),
        (
            "multi-line objects",
            format!(
                "var x = {}{}\n",
                "{\na: ".repeat(DEPTH),
                "\n}".repeat(DEPTH)
            ),
        ),
        (
            "unclosed parentheses",
            format!("var x = {}", "(".repeat(DEPTH)),
        ),
        (
            "unclosed arrays",
            format!("output x array = {}", "[".repeat(DEPTH)),
        ),
        (
            "ternaries",
            format!("var x = {}1\n", "a ? b : ".repeat(DEPTH)),
        ),
        (
            "unary operators",
            format!("var x = {}1\n", "!-".repeat(DEPTH)),
        ),
        (
            "interpolations",
            format!("var x = {}{}\n", "'${".repeat(DEPTH), "}'".repeat(DEPTH)),
        ),
        (
            "calls",
            format!("var x = {}{}\n", "f(".repeat(DEPTH), ")".repeat(DEPTH)),
        ),
        ("lambdas", format!("var x = {}0\n", "a => ".repeat(DEPTH))),
        (
            "union types",
            format!(
                "type t = {}{}\n",
                "('a' | ".repeat(DEPTH),
                ")".repeat(DEPTH)
            ),
        ),
        (
            "object types",
            format!("type t = {}{}\n", "{a: ".repeat(DEPTH), "}".repeat(DEPTH)),
        ),
        (
            "nested resources",
            format!(
                "resource r 'a@b' = {}{}\n",
                "{\nresource r 'a@b' = ".repeat(DEPTH),
                "}\n".repeat(DEPTH)
            ),
        ),
    ];
    for (label, text) in cases {
        assert_rejected(label, text);
    }
}

#[test]
fn nesting_within_the_limit_is_accepted() {
    let depth = (akslint_bicep::MAX_NESTING / 2 - 1) as usize;
    let text = format!("var x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let parsed = parse_checked(text, FileKind::Bicep);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let text = format!(
        "var x = {}1{}\n",
        "{a: ".repeat(depth / 2),
        "}".repeat(depth / 2)
    );
    assert!(parse_checked(text, FileKind::Bicep).errors.is_empty());
    // Postfix chains are loops, not nesting.
    let text = format!("var x = a{}.b\n", "[0]".repeat(10_000));
    assert!(parse_checked(text, FileKind::Bicep).errors.is_empty());
}

#[test]
fn huge_tokens() {
    let big = "x".repeat(10 * 1024 * 1024);
    let start = Instant::now();
    let parsed = parse_checked(format!("var s = '{big}'\n"), FileKind::Bicep);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.first());
    eprintln!("10 MB string: parsed in {:?}", start.elapsed());
    assert_rejected("10 MB identifier", format!("var {big} = 1\n"));
    assert_rejected("10 MB unterminated string", format!("var s = '{big}"));
    assert_rejected(
        "10 MB of unrecognized characters",
        "#".repeat(10 * 1024 * 1024),
    );
    let parsed = parse_checked("\"".repeat(100_000), FileKind::Bicep);
    assert_eq!(parsed.errors.len(), akslint_bicep::MAX_ERRORS + 1);
    assert_eq!(
        parsed.errors.last().map(|e| e.kind),
        Some(akslint_bicep::ErrorKind::TooManyErrors)
    );
    let parsed = parse_checked(
        format!("var s = '''{big}'''\n// {big}\n/* {big} */\n"),
        FileKind::Bicep,
    );
    assert!(parsed.errors.is_empty());
}

#[test]
fn unterminated_constructs() {
    let cases = [
        "var s = 'abc",
        "var s = 'abc\nvar t = 1\n",
        "var s = '''abc",
        "var s = $'''abc ${x",
        "var s = 'a${b",
        "var s = 'a${b\n",
        "var s = 'a${'b${c",
        "var s = 'a${{'",
        "var s = '\\",
        "var s = '\\u{12",
        "/* comment",
        "var x = 1 /* comment",
        "var x = {",
        "var x = [",
        "var x = f(",
        "var x = (",
        "resource r 'a@b' = {\n  properties: {\n",
        "param p string = {\n a: [\n",
        "type t = {\n a: {\n",
        "#disable-next-line",
        "@description('x'",
        "func f(a string",
        "import {a, b",
        "var x = [for i in range(0, 3): {",
    ];
    for text in cases {
        assert_rejected(&format!("{text:?}"), text.to_owned());
    }
    for text in ["using 'main.bicep'\nparam a = {", "param a = '${", "using"] {
        let parsed = parse_checked(text.to_owned(), FileKind::Params);
        assert!(!parsed.errors.is_empty(), "{text:?}");
    }
}

/// A small deterministic random number generator (xorshift64*), so that failures are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces of Bicep syntax that mutations insert.
const SNIPPETS: [&str; 32] = [
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "'",
    "'''",
    "$'''",
    "${",
    "\n",
    "\r\n",
    ",",
    ":",
    "::",
    ".?",
    "?",
    "??",
    "=>",
    "...",
    "@",
    "#disable-next-line x\n",
    "/*",
    "*/",
    "//",
    "resource ",
    "for ",
    "if ",
    "\\u{",
    "é",
    "\u{feff}",
    "\"",
];

/// A random edit of `text`: delete, duplicate or insert a snippet or a random character, at a character boundary.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let boundary = |rng: &mut Rng| {
        let mut i = rng.below(text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = {
        let (x, y) = (boundary(rng), boundary(rng));
        (x.min(y), x.max(y).min(x.min(y) + 64))
    };
    let b = (a..=b)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(a);
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..a]);
    match rng.below(4) {
        0 => {}
        1 => {
            out.push_str(&text[a..b]);
            out.push_str(&text[a..b]);
        }
        2 => {
            out.push_str(SNIPPETS[rng.below(SNIPPETS.len())]);
            out.push_str(&text[a..b]);
        }
        _ => {
            out.push(char::from_u32(rng.below(0x300) as u32).unwrap_or('?'));
            out.push_str(&text[a..b]);
        }
    }
    out.push_str(&text[b..]);
    out
}

/// Mutates each of `files` `rounds` times (1 to 3 edits each) and parses the results; returns how many parses.
fn mutation_round(files: &[(FileKind, String)], rounds: usize, seed: u64) -> usize {
    let mut rng = Rng(seed);
    let mut count = 0;
    let mut slowest = Duration::ZERO;
    for (kind, text) in files {
        for _ in 0..rounds {
            let mut mutated = text.clone();
            for _ in 0..1 + rng.below(3) {
                mutated = mutate(&mutated, &mut rng);
            }
            let start = Instant::now();
            parse_checked(mutated, *kind);
            slowest = slowest.max(start.elapsed());
            count += 1;
        }
    }
    assert!(slowest < Duration::from_secs(5), "a parse took {slowest:?}");
    count
}

/// Small files written for these tests, covering most of the grammar.
fn own_fixtures() -> Vec<(FileKind, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| (data::file_kind(p), data::read(p)))
        .collect()
}

#[test]
fn mutations_of_own_fixtures() {
    let fixtures = own_fixtures();
    assert!(!fixtures.is_empty());
    let count = mutation_round(&fixtures, 300, 0x5EED_0001);
    eprintln!(
        "mutations of {} own fixtures: {count} parses, no panic, every tree reproduces its input",
        fixtures.len()
    );
}

#[test]
fn mutations_of_conformance_files() {
    let Some(dir) = data::conformance_dir("mutations_of_conformance_files") else {
        return;
    };
    let files: Vec<_> = data::source_files(&dir)
        .iter()
        .filter(|p| !p.ends_with("LargeTemplate_Stress_LF/main.bicep"))
        .map(|p| (data::file_kind(p), data::read(p)))
        .collect();
    let count = mutation_round(&files, 12, 0x5EED_0002);
    eprintln!(
        "mutations of {} conformance files: {count} parses, no panic, every tree reproduces its input",
        files.len()
    );
}

#[test]
fn random_bytes() {
    let mut rng = Rng(0x5EED_0003);
    for round in 0..300 {
        let len = rng.below(4096);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let kind = if round % 2 == 0 {
            FileKind::Bicep
        } else {
            FileKind::Params
        };
        parse_checked(text, kind);
    }
    // Random sequences of Bicep tokens are harder on the parser than random bytes.
    for _ in 0..300 {
        let text: String = (0..rng.below(400))
            .map(|_| SNIPPETS[rng.below(SNIPPETS.len())])
            .collect();
        parse_checked(text, FileKind::Bicep);
    }
    eprintln!("random input: 600 parses, no panic");
}

#[test]
fn empty_and_tiny_inputs() {
    for text in [
        "",
        "\u{feff}",
        "\n",
        "\r",
        "\r\n",
        " ",
        "'",
        "$",
        "#",
        "@",
        "}",
        "\u{feff}#disable-next-line",
    ] {
        parse_checked(text.to_owned(), FileKind::Bicep);
        parse_checked(text.to_owned(), FileKind::Params);
    }
    assert!(
        parse_checked(String::new(), FileKind::Bicep)
            .errors
            .is_empty()
    );
    assert!(
        parse_checked("\u{feff}".to_owned(), FileKind::Bicep)
            .errors
            .is_empty()
    );
}
