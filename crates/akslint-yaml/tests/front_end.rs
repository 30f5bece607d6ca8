//! The YAML front end: spans, documents, comments, Helm sources and limits.

use std::sync::Arc;

use akslint_core::{
    Applicability, Change, Document, FixPlan, Limits, Literal, NodeId, ParseProblemKind,
    ParsedFile, SharedSource, SourceFile, SourceKind,
};

fn parse_with(text: &str, limits: &Limits) -> (SharedSource, ParsedFile) {
    let file = Arc::new(SourceFile::new("test.yaml", SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&file, limits);
    (file, parsed)
}

fn parse(text: &str) -> (SharedSource, ParsedFile) {
    parse_with(text, &Limits::default())
}

/// The source text of the node at a key path of a document's root.
fn at<'t>(file: &'t SharedSource, doc: &Document, path: &[&str]) -> &'t str {
    let node = doc
        .tree
        .path(doc.root.unwrap(), path)
        .unwrap_or_else(|| panic!("no {path:?}"));
    file.slice(doc.tree.span(node))
}

/// The source text of each item of a sequence.
fn item_texts<'t>(file: &'t SharedSource, doc: &Document, sequence: NodeId) -> Vec<&'t str> {
    doc.tree
        .items(sequence)
        .iter()
        .map(|&item| file.slice(doc.tree.span(item)))
        .collect()
}

fn kinds(parsed: &ParsedFile) -> Vec<ParseProblemKind> {
    parsed.problems.iter().map(|p| p.kind).collect()
}

#[test]
fn scalar_spans_are_byte_exact() {
    let text = "plain: some text   # c\n\
                dq: \"a \\\" b\" # comment\n\
                sq: 'it''s'   # comment\n\
                lit: |  # header comment\n  line1\n  # not a comment\n\n\
                fold: >-\n  folded\n  text\n\
                keep: |+\n  kept\n\n\
                flow: [1, {x: 2}]\n\
                multi: héllo wörld ✓\n\
                empty:\n\
                last: end\n";
    let (file, parsed) = parse(text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let doc = &parsed.documents[0];
    assert_eq!(at(&file, doc, &["plain"]), "some text");
    assert_eq!(at(&file, doc, &["dq"]), "\"a \\\" b\"");
    assert_eq!(at(&file, doc, &["sq"]), "'it''s'");
    assert_eq!(
        at(&file, doc, &["lit"]),
        "|  # header comment\n  line1\n  # not a comment"
    );
    assert_eq!(at(&file, doc, &["fold"]), ">-\n  folded\n  text");
    assert_eq!(at(&file, doc, &["keep"]), "|+\n  kept");
    assert_eq!(at(&file, doc, &["flow"]), "[1, {x: 2}]");
    let flow = doc.tree.path(doc.root.unwrap(), &["flow"]).unwrap();
    let inner = doc.tree.items(flow)[1];
    assert_eq!(file.slice(doc.tree.span(inner)), "{x: 2}");
    assert_eq!(at(&file, doc, &["multi"]), "héllo wörld ✓");
    assert!(
        doc.tree
            .is_null(doc.tree.path(doc.root.unwrap(), &["empty"]).unwrap())
    );
    assert_eq!(
        doc.tree
            .str(doc.tree.path(doc.root.unwrap(), &["lit"]).unwrap()),
        Some("line1\n# not a comment\n")
    );
    let bodies: Vec<&str> = parsed.comments.iter().map(|c| file.slice(c.body)).collect();
    assert_eq!(bodies, [" c", " comment", " comment", " header comment"]);
}

#[test]
fn collections_and_keys_have_spans() {
    let text = "spec:\n  containers:\n    - name: a\n      image: x\n    - name: b\n";
    let (file, parsed) = parse(text);
    let doc = &parsed.documents[0];
    assert_eq!(
        at(&file, doc, &["spec", "containers"]),
        "- name: a\n      image: x\n    - name: b"
    );
    let spec = doc.tree.get(doc.root.unwrap(), "spec").unwrap();
    let entry = doc.tree.entry(spec, "containers").unwrap();
    assert_eq!(file.slice(doc.tree.span(entry.key)), "containers");
    assert_eq!(
        file.slice(doc.tree.span(spec)),
        "containers:\n    - name: a\n      image: x\n    - name: b"
    );
}

#[test]
fn crlf_bom_tabs_and_multibyte_positions() {
    let text = "\u{feff}a: 1\r\nb:\t\"ü\" # c\r\nc: |\r\n  x\r\n  y\r\n";
    let (file, parsed) = parse(text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let doc = &parsed.documents[0];
    assert_eq!(at(&file, doc, &["a"]), "1");
    assert_eq!(at(&file, doc, &["b"]), "\"ü\"");
    assert_eq!(at(&file, doc, &["c"]), "|\r\n  x\r\n  y");
    let b = doc.tree.path(doc.root.unwrap(), &["b"]).unwrap();
    let start = doc.tree.span(b).start as usize;
    let position = file.line_column(start);
    assert_eq!((position.line, position.column), (2, 4));
    let comment = &parsed.comments[0];
    assert_eq!(file.slice(comment.span), "# c");
}

#[test]
fn multi_document_streams_survive_a_broken_document() {
    let text = "a: 1\n---\nb: [1, 2\nc: d\n---\nd: 4\n...\n---\ne: \"unterminated\n";
    let (file, parsed) = parse(text);
    assert_eq!(parsed.documents.len(), 2);
    assert_eq!(at(&file, &parsed.documents[0], &["a"]), "1");
    assert_eq!(at(&file, &parsed.documents[1], &["d"]), "4");
    assert_eq!(
        kinds(&parsed),
        [ParseProblemKind::Syntax, ParseProblemKind::Syntax]
    );
    let unterminated = &parsed.problems[1];
    let position = file.line_column(unterminated.span.start as usize);
    assert_eq!(
        (position.line, position.column),
        (9, 4),
        "points at the opening quote"
    );
    assert!(
        unterminated.message.contains("not closed"),
        "{}",
        unterminated.message
    );
}

#[test]
fn tabs_for_indentation_are_a_located_error() {
    let (file, parsed) = parse("a:\n\tb: 1\n");
    assert_eq!(kinds(&parsed), [ParseProblemKind::Syntax]);
    let position = file.line_column(parsed.problems[0].span.start as usize);
    assert_eq!(position.line, 2);
    assert!(parsed.problems[0].message.contains("tabs"));
}

#[test]
fn aliases_are_references_and_merge_keys_work() {
    let text =
        "base: &base\n  image: nginx\n  port: 80\nweb:\n  <<: *base\n  port: 8080\ncopy: *base\n";
    let (file, parsed) = parse(text);
    let doc = &parsed.documents[0];
    let tree = &doc.tree;
    let root = doc.root.unwrap();
    let web = tree.get(root, "web").unwrap();
    assert_eq!(
        tree.get(web, "image").and_then(|v| tree.str(v)),
        Some("nginx")
    );
    assert_eq!(
        tree.get(web, "port").and_then(|v| tree.str(v)),
        Some("8080")
    );
    let copy = tree.get(root, "copy").unwrap();
    assert_eq!(file.slice(tree.span(copy)), "*base");
    assert_eq!(tree.resolve(copy), tree.get(root, "base").unwrap());
    let nodes_before = tree.len();
    assert!(nodes_before < 20, "aliases are not copied");
}

#[test]
fn billion_laughs_is_refused_without_expanding() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let items = vec![format!("*{previous}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    text.push_str("---\nok: 1\n");
    let started = std::time::Instant::now();
    let (_, parsed) = parse(&text);
    assert!(started.elapsed().as_secs() < 5);
    assert_eq!(kinds(&parsed), [ParseProblemKind::AliasExpansion]);
    assert_eq!(parsed.documents.len(), 1, "the other document is kept");
}

#[test]
fn recursive_alias_is_refused() {
    let (_, parsed) = parse("a: &x [1, *x]\n");
    assert_eq!(kinds(&parsed), [ParseProblemKind::AliasExpansion]);
    assert!(parsed.documents.is_empty());
}

#[test]
fn nesting_limit_stops_deep_documents() {
    let deep = format!(
        "{}{}\n---\nok: 1\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let limits = Limits::default();
    let (file, parsed) = parse_with(&deep, &limits);
    assert_eq!(kinds(&parsed), [ParseProblemKind::TooDeep]);
    // saphyr-parser scans ahead and stops flow nesting at its own cap of 255 levels, which is
    // then reported the same way.
    assert!((limits.max_depth..=256).contains(&(parsed.problems[0].span.start as usize)));
    assert_eq!(parsed.documents.len(), 1);
    assert_eq!(at(&file, &parsed.documents[0], &["ok"]), "1");
    let block = (0..600)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect::<String>();
    let (_, parsed) = parse_with(&block, &limits);
    assert_eq!(
        kinds(&parsed),
        [ParseProblemKind::TooDeep],
        "{:?}",
        parsed
            .problems
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
}

#[test]
fn duplicate_keys_are_reported_with_the_first() {
    let (file, parsed) = parse("metadata:\n  name: a\n  name: b\n");
    assert_eq!(kinds(&parsed), [ParseProblemKind::DuplicateKey]);
    let diagnostic = &parsed.problems[0];
    assert_eq!(file.line_column(diagnostic.span.start as usize).line, 3);
    assert_eq!(
        file.line_column(diagnostic.related.as_ref().unwrap().0.start as usize)
            .line,
        2
    );
    assert_eq!(parsed.documents.len(), 1, "the document is still linted");
}

#[test]
fn helm_sources_name_each_document() {
    let text = "---\n# Source: chart/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\n---\n# Source: chart/templates/deploy.yaml\n# another comment\napiVersion: apps/v1\nkind: Deployment\n---\n# Source: chart/templates/empty.yaml\n";
    let (_, parsed) = parse(text);
    let sources: Vec<Option<&str>> = parsed
        .documents
        .iter()
        .map(|d| d.helm_source.as_ref().map(|h| h.template.as_str()))
        .collect();
    assert_eq!(
        sources,
        [
            Some("chart/templates/sa.yaml"),
            Some("chart/templates/deploy.yaml"),
        ],
        "a piece with comments only holds no document, as for Kubernetes"
    );
}

#[test]
fn block_scalars_with_properties_and_in_sequences() {
    let text = "list:\n- |\n  x\n- &a !!str |2+ # c\n   y\nafter: |\n\n  text |\nz: 1\n";
    let (file, parsed) = parse(text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let doc = &parsed.documents[0];
    let list = doc.tree.get(doc.root.unwrap(), "list").unwrap();
    assert_eq!(item_texts(&file, doc, list), ["|\n  x", "|2+ # c\n   y"]);
    assert_eq!(at(&file, doc, &["after"]), "|\n\n  text |");
    assert_eq!(parsed.comments.len(), 1);
}

fn insert_label(text: &str) -> String {
    let (file, parsed) = parse(text);
    let doc = &parsed.documents[0];
    let template: NodeId = doc
        .tree
        .path(doc.root.unwrap(), &["spec", "template"])
        .unwrap();
    let plan = FixPlan::new(
        "add the label",
        Applicability::Safe,
        Change::Insert {
            object: doc.tree.span(template),
            path: vec![
                "metadata".into(),
                "labels".into(),
                "azure.workload.identity/use".into(),
            ],
            value: Literal::String("true".into()),
        },
    );
    let edits = akslint_yaml::fix::render(file.text(), &parsed.documents, &plan).expect("edits");
    let mut out = text.to_owned();
    for edit in edits.iter().rev() {
        out.replace_range(edit.span.range(), &edit.replacement);
    }
    let (_, reparsed) = parse(&out);
    assert!(reparsed.problems.is_empty(), "edit broke the YAML:\n{out}");
    out
}

#[test]
fn planned_insertions_produce_valid_yaml() {
    assert_eq!(
        insert_label(
            "spec:\n  template:\n    metadata:\n      labels:\n        app: x\n    spec: {}\n"
        ),
        "spec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: \"true\"\n        app: x\n    spec: {}\n"
    );
    assert_eq!(
        insert_label("spec:\n  template:\n    metadata:\n      name: x\n    spec: {}\n"),
        "spec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: \"true\"\n      name: x\n    spec: {}\n"
    );
    assert_eq!(
        insert_label("spec:\n  template:\n    spec: {}\n"),
        "spec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: \"true\"\n    spec: {}\n"
    );
    assert_eq!(
        insert_label("spec:\n  template:\n    metadata:\n      labels: {app: x}\n"),
        "spec:\n  template:\n    metadata:\n      labels: {azure.workload.identity/use: \"true\", app: x}\n"
    );
    assert_eq!(
        insert_label("spec:\n  template:\n    metadata: {}\n"),
        "spec:\n  template:\n    metadata: {labels: {azure.workload.identity/use: \"true\"}}\n"
    );
}

/// Scalars are read a run of ASCII characters at a time: runs end at `:`, flow indicators,
/// quotes, escapes and non-ASCII characters, which are read one by one, and the positions and
/// the 1,024-character limit of implicit keys still count characters.
#[test]
fn scalars_mixing_ascii_runs_and_other_characters() {
    let text = "a: x:y é:z, [q] #c\n\
                b: 'it''s é \"q\"'\n\
                c: \"tab\\tñ \\\" \\u00e9\"\n\
                d: |\n  line é\n  two: #3\n\
                e: [f:g, h é, {i: j}]\n\
                f: first\n  folded é\n\n  para\n\
                ééé: k\n";
    let (file, parsed) = parse(text);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let doc = &parsed.documents[0];
    let root = doc.root.unwrap();
    let value = |path: &[&str]| {
        let node = doc.tree.path(root, path).unwrap();
        doc.tree.scalar(node).unwrap().text.to_string()
    };
    assert_eq!(value(&["a"]), "x:y é:z, [q]");
    assert_eq!(value(&["b"]), "it's é \"q\"");
    assert_eq!(value(&["c"]), "tab\tñ \" é");
    assert_eq!(value(&["d"]), "line é\ntwo: #3\n");
    assert_eq!(value(&["f"]), "first folded é\npara");
    assert_eq!(value(&["ééé"]), "k");
    assert_eq!(at(&file, doc, &["a"]), "x:y é:z, [q]");
    assert_eq!(at(&file, doc, &["ééé"]), "k");
    let flow = doc.tree.path(root, &["e"]).unwrap();
    assert_eq!(item_texts(&file, doc, flow), ["f:g", "h é", "{i: j}"]);
    assert_eq!(parsed.comments.len(), 1);
    // An implicit key longer than 1,024 characters (not bytes) is refused, as go-yaml does.
    let long = format!("{}: v\n", "é".repeat(1_025));
    assert!(!parse(&long).1.problems.is_empty());
    let fits = format!("{}: v\n", "é".repeat(1_000));
    assert!(parse(&fits).1.problems.is_empty());
}
