//! The evaluator on hostile inputs (cycles, deep chains, huge values, exponential growth), each on a thread
//! with a 2 MiB stack as the linter's workers have, and the independence of its result from the order of the
//! files.

#[path = "support/eval.rs"]
mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use akslint_bicep::Evaluation;
use akslint_core::SharedSource;
use support::*;

/// Evaluates on a 2 MiB stack, checks the time, and returns the result.
fn hostile(name: &str, run: Vec<(String, String)>, others: Vec<(String, String)>) -> Evaluation {
    let started = Instant::now();
    let result = on_small_stack(move || {
        let run: Vec<(&str, &str)> = run.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let others: Vec<(&str, &str)> = others
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        evaluate(&run, &others)
    });
    let took = started.elapsed();
    println!(
        "{name}: {} resources, {} notes, {:.1} ms",
        result.resources.len(),
        result.notes.len(),
        took.as_secs_f64() * 1000.0
    );
    assert!(took < Duration::from_secs(60), "{name} took {took:?}");
    result
}

fn file(path: &str, text: impl Into<String>) -> (String, String) {
    (path.to_owned(), text.into())
}

#[test]
fn self_referencing_variables_and_parameters() {
    let text = "param p string = p\nparam q string = r\nparam r string = q\nvar a = a\nvar b = [b, b]\n\
                var c = { x: d }\nvar d = { y: c }\nvar e = e.x\n\
                resource r0 'X.Y/z@1' = {\n  name: a\n  props: [b, c, d, e, p, q]\n}\n";
    let e = hostile("self-reference", vec![file("main.bicep", text)], vec![]);
    let r = named(&e, "r0");
    // `c` is evaluated first and meets itself through `d`, which keeps the value it got then.
    assert_eq!(
        body(r),
        "{name: ?, props: [[?, ?], {x: {y: ?}}, {y: ?}, ?, ?, ?]}"
    );
}

#[test]
fn modules_that_call_themselves() {
    let looping = "module again './main.bicep' = {\n  name: 'again'\n}\nresource r 'X.Y/z@1' = {\n  name: 'r'\n}\n";
    let e = hostile(
        "self-calling module",
        vec![file("main.bicep", looping)],
        vec![],
    );
    assert_eq!(e.resources.len(), 1);
    assert!(
        e.notes.iter().any(|n| n.message.contains("cycle")),
        "{:?}",
        e.notes
    );
    // Two files that call each other, both in the run: evaluated once each, from the first.
    let a = "module b './b.bicep' = {\n  name: 'b'\n}\nresource ra 'X.Y/z@1' = {\n  name: 'a'\n}\n";
    let b = "module a './a.bicep' = {\n  name: 'a'\n}\nresource rb 'X.Y/z@1' = {\n  name: 'b'\n}\n";
    let e = hostile(
        "module cycle",
        vec![file("b.bicep", b), file("a.bicep", a)],
        vec![],
    );
    assert_eq!(names(&e), ["ra", "rb"]);
    assert_eq!(named(&e, "rb").via.len(), 1);
    // A chain of 40 module files: followed 16 deep, then a note.
    let chain: Vec<(String, String)> = (0..40)
        .map(|i| {
            file(
                &format!("m{i}.bicep"),
                format!(
                    "param depth int = 0\nmodule next './m{}.bicep' = {{\n  name: 'n'\n  params: {{ depth: depth + 1 }}\n}}\n\
                     resource r{i} 'X.Y/z@1' = {{\n  name: 'r'\n  depth: depth\n}}\n",
                    i + 1
                ),
            )
        })
        .collect();
    let (first, rest) = chain.split_first().unwrap();
    let e = hostile("module chain", vec![first.clone()], rest.to_vec());
    assert_eq!(e.resources.len(), 16);
    assert_eq!(at(named(&e, "r15"), &["depth"]), "15");
    assert_eq!(named(&e, "r15").via.len(), 15);
    assert!(
        e.notes.iter().any(|n| n.message.contains("deeper than 16")),
        "{:?}",
        e.notes
    );
    // A diamond: every file calls the next one twice, 30 levels (2^30 paths): the instance cap stops it.
    let diamond: Vec<(String, String)> = (0..30)
        .map(|i| {
            file(
                &format!("d{i}.bicep"),
                format!(
                    "module a './d{n}.bicep' = {{\n  name: 'a'\n}}\nmodule b './d{n}.bicep' = {{\n  name: 'b'\n}}\n\
                     resource r 'X.Y/z@1' = {{\n  name: 'r'\n}}\n",
                    n = i + 1
                ),
            )
        })
        .collect();
    let e = hostile(
        "module diamond",
        diamond[..1].to_vec(),
        diamond[1..].to_vec(),
    );
    assert!(e.resources.len() <= 2_000);
    assert!(
        e.notes
            .iter()
            .any(|n| n.message.contains("template instances")),
        "{:?}",
        e.notes
    );
}

#[test]
fn long_variable_chains() {
    // Backwards: each variable refers to the one declared before it; evaluated from the last.
    let mut text = String::from("var v0 = true\n");
    for i in 1..10_000 {
        writeln!(text, "var v{i} = v{}", i - 1).unwrap();
    }
    text.push_str("resource r 'X.Y/z@1' = {\n  name: 'r'\n  last: v9999\n  early: v10\n}\n");
    let e = hostile("variable chain", vec![file("main.bicep", text)], vec![]);
    let r = named(&e, "r");
    assert_eq!(at(r, &["last"]), "?", "past the chain limit");
    assert_eq!(at(r, &["early"]), "true");
    // Nested values: each variable wraps the previous one in an object (depth limit).
    let mut text = String::from("var w0 = 1\n");
    for i in 1..5_000 {
        writeln!(text, "var w{i} = {{ x: w{} }}", i - 1).unwrap();
    }
    let refs: Vec<String> = (0..5_000).step_by(50).map(|i| format!("w{i}")).collect();
    writeln!(
        text,
        "resource r 'X.Y/z@1' = {{\n  name: 'r'\n  all: [{}]\n}}",
        refs.join(", ")
    )
    .unwrap();
    let e = hostile("nested chain", vec![file("main.bicep", text)], vec![]);
    assert!(named(&e, "r").body.len() < 100_000);
    // Parameters and `.bicepparam` values referring to each other in a long chain.
    let mut params = String::from("using './main.bicep'\nparam p0 = 'x'\n");
    for i in 1..3_000 {
        writeln!(params, "param p{i} = p{}", i - 1).unwrap();
    }
    let main = "param p2999 string\nparam p5 string\nresource r 'X.Y/z@1' = {\n  name: p5\n  last: p2999\n}\n";
    let e = hostile(
        "bicepparam chain",
        vec![file("main.bicepparam", params)],
        vec![file("main.bicep", main)],
    );
    assert_eq!(at(named(&e, "r"), &["name"]), "'x'");
}

#[test]
fn huge_and_exponential_values() {
    let items: Vec<String> = (0..10_000).map(|i| i.to_string()).collect();
    let mut text = format!("var big = [{}]\n", items.join(", "));
    text.push_str(
        "var doubled = [for x in big: x * 2]\nvar ranged = [for i in range(0, 10000): { i: i }]\n",
    );
    text.push_str("var square = [for x in big: [for y in big: y]]\n");
    text.push_str("var a0 = [1, 2]\n");
    for i in 1..64 {
        writeln!(text, "var a{i} = [a{p}, a{p}]", p = i - 1).unwrap();
    }
    text.push_str("var s0 = 'ab'\n");
    for i in 1..64 {
        writeln!(text, "var s{i} = '${{s{p}}}${{s{p}}}'", p = i - 1).unwrap();
    }
    text.push_str("var o0 = { k: 1 }\n");
    for i in 1..64 {
        writeln!(text, "var o{i} = union(o{p}, {{ n{i}: o{p} }})", p = i - 1).unwrap();
    }
    text.push_str(
        "resource r 'X.Y/z@1' = {\n  name: 'r'\n  big: big\n  doubled: length(doubled)\n  ranged: length(ranged)\n  \
         square: length(square)\n  a: a63\n  s: s63\n  o: o63\n  u: length(union(big, doubled))\n}\n",
    );
    let e = hostile("huge values", vec![file("main.bicep", text)], vec![]);
    let r = named(&e, "r");
    assert_eq!(r.body.items(r.get(&["big"]).unwrap()).len(), 10_000);
    assert_eq!(at(r, &["doubled"]), "10000");
    assert_eq!(at(r, &["ranged"]), "10000");
    assert_eq!(at(r, &["square"]), "?");
    // Doubling arrays: a value past the size limit is unknown, so later ones are arrays of unknowns.
    assert!(at(r, &["a"]).contains('?'));
    assert!(r.body.len() < 2_000_000);
    assert_eq!(at(r, &["s"]), "?");
    assert!(at(r, &["o"]).contains('?'));
    assert_eq!(at(r, &["u"]), "15000");
}

#[test]
fn deep_expressions_and_many_references() {
    let deep =
        |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
    let mut text = String::new();
    for (i, (open, close)) in [("(", ")"), ("[", "]"), ("{a: ", "}"), ("!", ""), ("-", "")]
        .iter()
        .enumerate()
    {
        writeln!(text, "var d{i} = {}", deep(open, close, 10_000)).unwrap();
    }
    writeln!(
        text,
        "var t = {}",
        "true ? ".repeat(5_000) + "1" + &" : 2".repeat(5_000)
    )
    .unwrap();
    writeln!(
        text,
        "var i = '{}'",
        "${'".repeat(3_000) + &"'}".repeat(3_000)
    )
    .unwrap();
    writeln!(
        text,
        "var c = {}",
        "concat(".repeat(5_000) + "'x'" + &")".repeat(5_000)
    )
    .unwrap();
    writeln!(
        text,
        "var u = [{}]",
        vec!["d0, d1, d2, t, i, c"; 2_000].join(", ")
    )
    .unwrap();
    text.push_str(
        "resource r 'X.Y/z@1' = {\n  name: 'r'\n  v: [d0, d1, d2, d3, d4, t, i, c, u]\n}\n",
    );
    let mut nested = String::from("resource n0 'X.Y/z@1' = {\n  name: 'n'\n");
    for i in 1..200 {
        writeln!(nested, "resource n{i} 'c{i}' = {{\n  name: 'n'").unwrap();
    }
    nested.push_str(&"}\n".repeat(200));
    let e = hostile(
        "deep expressions",
        vec![file("main.bicep", text), file("nested.bicep", nested)],
        vec![],
    );
    assert!(named(&e, "r").body.len() > 1);
}

#[test]
fn hostile_parameter_files_and_imports() {
    let a = "using './main.bicep'\nextends './b.bicepparam'\nparam x = 1\n";
    let b = "using none\nextends './a.bicepparam'\nparam y = 2\n";
    let main = "param x int\nparam y int\nimport { v } from './lib1.bicep'\nresource r 'X.Y/z@1' = {\n  name: 'r'\n  x: x\n  y: y\n  v: v\n}\n";
    let lib1 = "import { w } from './lib2.bicep'\n@export()\nvar v = w\n";
    let lib2 = "import { v } from './lib1.bicep'\n@export()\nvar w = v\n";
    let e = hostile(
        "parameter file and import cycles",
        vec![file("a.bicepparam", a), file("b.bicepparam", b)],
        vec![
            file("main.bicep", main),
            file("lib1.bicep", lib1),
            file("lib2.bicep", lib2),
        ],
    );
    let r = named(&e, "r");
    assert_eq!(at(r, &["x"]), "1");
    assert_eq!(at(r, &["v"]), "?");
}

#[test]
fn random_garbage_does_not_panic() {
    let fragments = [
        "resource ",
        "module ",
        "param ",
        "var ",
        "x ",
        "'X.Y/z@1' ",
        "'./m.bicep' ",
        "= ",
        "{",
        "}",
        "[",
        "]",
        "for ",
        "in ",
        "if (",
        ")",
        ": ",
        "...",
        "union(",
        "x.y",
        "?",
        "??",
        "'${",
        "'",
        "\n",
        "existing ",
        "parent: ",
        "using ",
        "'main.bicep'",
        "import ",
        "* as ns from ",
        ",",
        "range(0, 9)",
        "!",
        "-",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut runs = Vec::new();
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..(next() % 200) {
            text.push_str(fragments[(next() % fragments.len() as u64) as usize]);
        }
        runs.push(text);
    }
    let files: Vec<(String, String)> = runs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name = match i % 3 {
                0 => "main.bicep".to_owned(),
                1 => "m.bicep".to_owned(),
                _ => format!("f{i}.bicep"),
            };
            file(&name, t.clone())
        })
        .collect();
    for chunk in files.chunks(3) {
        hostile(
            "garbage",
            chunk.to_vec(),
            vec![file("main.bicepparam", "using './main.bicep'\n")],
        );
    }
}

/// Everything about a result, as text.
fn dump(evaluation: &Evaluation) -> String {
    let mut out = String::new();
    for r in &evaluation.resources {
        writeln!(
            out,
            "{} {} {} {} {:?} {} {:?} {:?} {:?}",
            r.file.path().display(),
            r.symbolic_name,
            r.resource_type,
            r.api_version,
            r.declaration_span,
            r.existing,
            r.condition,
            r.loop_span,
            r.parent
        )
        .unwrap();
        writeln!(out, "  {}", render(&r.body, r.root)).unwrap();
        for (id, node) in r.body.iter() {
            write!(out, " {}:{:?}", id.index(), node.span).unwrap();
        }
        writeln!(out).unwrap();
        for origin in &r.origins {
            writeln!(
                out,
                "  origin {} {} {:?} {}",
                origin.node.index(),
                origin.location.file.path().display(),
                origin.location.span,
                origin.what
            )
            .unwrap();
        }
        for call in &r.via {
            writeln!(out, "  via {} {:?}", call.file.path().display(), call.span).unwrap();
        }
    }
    for note in &evaluation.notes {
        writeln!(
            out,
            "note {:?} {}",
            note.location.as_ref().map(|l| (l.file.path(), l.span)),
            note.message
        )
        .unwrap();
    }
    out
}

#[test]
fn results_do_not_depend_on_the_order_of_files() {
    let module = "param name string\nparam flag bool = false\nresource c 'X.Y/z@1' = {\n  name: name\n  flag: flag\n}\n";
    let files: Vec<SharedSource> = vec![
        source(
            "p/main.bicep",
            "param name string = 'n'\nmodule one './mod.bicep' = {\n  name: 'one'\n  params: { name: name }\n}\nmodule two './mod.bicep' = {\n  name: 'two'\n  params: { name: 'two', flag: true }\n}\nmodule reg 'br:x/y:1' = {\n  name: 'r'\n}\n",
        ),
        source("p/mod.bicep", module),
        source(
            "p/dev.bicepparam",
            "using './main.bicep'\nparam name = 'dev'\n",
        ),
        source(
            "p/prod.bicepparam",
            "using './main.bicep'\nparam name = 'prod'\n",
        ),
        source(
            "q/alone.bicep",
            "resource a 'X.Y/z@1' = {\n  name: 'a'\n  resource b 'c' = {\n    name: 'b'\n  }\n}\n",
        ),
        source(
            "q/cycle1.bicep",
            "module c './cycle2.bicep' = {\n  name: 'c'\n}\nresource c1 'X.Y/z@1' = {\n  name: 'c1'\n}\n",
        ),
        source(
            "q/cycle2.bicep",
            "module c './cycle1.bicep' = {\n  name: 'c'\n}\nresource c2 'X.Y/z@1' = {\n  name: 'c2'\n}\n",
        ),
    ];
    let loader = MemLoader::default();
    let reference = dump(&akslint_bicep::evaluate_texts(&files, &loader));
    assert!(reference.contains("'dev'") && reference.contains("'prod'"));
    let mut seed: u64 = 42;
    for _ in 0..20 {
        let mut shuffled = files.clone();
        for i in (1..shuffled.len()).rev() {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            shuffled.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let got = dump(&akslint_bicep::evaluate_texts(&shuffled, &loader));
        assert_eq!(got, reference);
    }
    println!("{reference}");
}

#[test]
fn evaluation_depth_limit_fits_in_half_a_worker_stack() {
    // Each variable nests 20 levels of one construct around a reference to the next variable, 300 times:
    // evaluation reaches its depth limit through every kind of expression. Run on 1 MiB, half of a worker's
    // stack, to keep a margin for the callers' frames.
    let wraps: [(&str, &str); 12] = [
        ("(", ")"),
        ("[", "]"),
        ("{a: ", "}"),
        ("toLower(", ")"),
        ("union({}, ", ")"),
        ("true ? ", " : 1"),
        ("'${", "}'"),
        ("[for q in [1]: ", "]"),
        ("{a: ", "}.a"),
        ("null ?? ", ""),
        ("format('{0}', ", ")"),
        ("[", "][0]"),
    ];
    for (open, close) in wraps {
        let mut text = String::new();
        for i in 0..300 {
            writeln!(
                text,
                "var v{i} = {}v{}{}",
                open.repeat(20),
                i + 1,
                close.repeat(20)
            )
            .unwrap();
        }
        text.push_str("var v300 = 'end'\nresource r 'X.Y/z@1' = {\n  name: 'r'\n  v: v0\n}\n");
        let nodes = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || one(&text).resources[0].body.len())
            .expect("thread")
            .join()
            .expect("no overflow");
        assert!(nodes > 2, "{open}");
    }
}
