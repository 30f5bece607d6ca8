//! Every template file of the real charts in `../shared/helm-charts` parses (Helm renders them
//! all), and every span of the tree lies in its file on character boundaries.

use std::path::{Path, PathBuf};

use akslint_helm::template::{Branch, Node, Pipeline, Template, Term, parse};

fn charts() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/helm-charts");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is absent under CI", dir.display());
    }
    eprintln!(
        "NOTICE: skipping the chart templates test: {} is absent",
        dir.display()
    );
    None
}

/// The template files: every file under a `templates/` folder but the chart notes (`.txt`).
fn template_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            template_files(&path, out);
        } else if path.components().any(|c| c.as_os_str() == "templates")
            && path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "tpl")
        {
            out.push(path);
        }
    }
}

fn check_span(text: &str, span: akslint_core::Span, path: &Path) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{}: span {span:?} out of the file",
        path.display()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{}: {span:?}",
        path.display()
    );
}

fn walk_pipeline(text: &str, pipeline: &Pipeline, path: &Path, calls: &mut usize) {
    check_span(text, pipeline.span, path);
    for command in &pipeline.commands {
        check_span(text, command.span, path);
        for arg in &command.args {
            check_span(text, arg.span, path);
            match &arg.term {
                Term::Function(_) => *calls += 1,
                Term::Pipeline(inner) => walk_pipeline(text, inner, path, calls),
                _ => {}
            }
        }
    }
}

fn walk(text: &str, nodes: &[Node], path: &Path, calls: &mut usize) {
    for node in nodes {
        match node {
            Node::Text(span) | Node::Break(span) | Node::Continue(span) => {
                check_span(text, *span, path)
            }
            Node::Action(pipeline) => walk_pipeline(text, pipeline, path, calls),
            Node::If(branch) | Node::With(branch) | Node::Range(branch) => {
                let Branch {
                    pipeline,
                    then,
                    otherwise,
                    span,
                } = branch;
                check_span(text, *span, path);
                walk_pipeline(text, pipeline, path, calls);
                walk(text, then, path, calls);
                walk(text, otherwise, path, calls);
            }
            Node::Call { argument, span, .. } => {
                check_span(text, *span, path);
                if let Some(argument) = argument {
                    walk_pipeline(text, argument, path, calls);
                }
            }
        }
    }
}

#[test]
fn every_template_of_the_real_charts_parses() {
    let Some(dir) = charts() else {
        return;
    };
    let mut files = Vec::new();
    template_files(&dir, &mut files);
    files.sort();
    assert!(
        files.len() > 900,
        "expected the 16 charts' templates, found {}",
        files.len()
    );
    let (mut defines, mut calls, mut failures) = (0, 0, Vec::new());
    for path in &files {
        let text = std::fs::read_to_string(path).expect("a UTF-8 template");
        match parse(&text) {
            Ok(Template {
                nodes,
                defines: named,
            }) => {
                walk(&text, &nodes, path, &mut calls);
                for define in &named {
                    check_span(&text, define.span, path);
                    walk(&text, &define.body, path, &mut calls);
                }
                defines += named.len();
            }
            Err(error) => failures.push(format!("{}: {error:?}", path.display())),
        }
    }
    println!(
        "{} template files, {defines} named templates, {calls} function calls",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} do not parse:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// One line of `RENDER.tsv`: the chart folder, the values file it needs, and what Helm's own
/// engine rendered (non-empty templates, bytes).
struct Reference {
    chart: String,
    values: Option<String>,
    nonempty: usize,
    bytes: usize,
}

fn references(dir: &Path) -> Vec<Reference> {
    let text = std::fs::read_to_string(dir.join("RENDER.tsv")).expect("RENDER.tsv");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Some(Reference {
                chart: fields.first()?.to_string(),
                values: fields
                    .get(3)
                    .filter(|v| **v != "-" && !v.is_empty())
                    .map(|v| v.to_string()),
                nonempty: fields.get(5)?.parse().ok()?,
                bytes: fields.get(6)?.parse().ok()?,
            })
        })
        .collect()
}

/// A user's values file, read as `helm template -f` reads it.
fn values_file(path: &Path) -> akslint_helm::render::value::Value {
    let text = std::fs::read_to_string(path).expect("values file");
    let source = std::sync::Arc::new(akslint_core::SourceFile::new(
        path,
        akslint_core::SourceKind::Yaml,
        text,
    ));
    let parsed = akslint_yaml::parse(&source, &akslint_core::Limits::default());
    let document = &parsed.documents[0];
    akslint_helm::render::value::Value::from_tree(
        &document.tree,
        document.root.expect("a root"),
        usize::MAX,
    )
}

/// Renders every chart of the development set as Helm did for `RENDER.tsv` (release `rel`,
/// namespace `default`, the values file named there) and compares: every chart renders without
/// an error, and the count of non-empty templates is Helm's for the charts listed as matching.
/// Prints bytes too; the figures are in docs/benchmarks.md.
#[test]
fn the_real_charts_render_as_helm_renders_them() {
    let Some(dir) = charts() else {
        return;
    };
    let release = akslint_helm::chart::Release {
        name: "rel".to_owned(),
        ..Default::default()
    };
    let mut failures = Vec::new();
    let mut same_count = 0;
    for reference in references(&dir) {
        let chart =
            akslint_helm::chart::load(&dir.join(&reference.chart)).expect("the chart reads");
        let overrides = reference
            .values
            .as_ref()
            .map(|file| values_file(&dir.join(file)));
        let out = akslint_helm::chart::render(&chart, overrides, &release);
        let nonempty = out
            .manifests
            .iter()
            .filter(|m| !m.text.as_str().trim().is_empty())
            .count();
        let bytes: usize = out.manifests.iter().map(|m| m.text.as_str().len()).sum();
        println!(
            "{:<34} templates {:>3}/{:<3} bytes {:>8}/{:<8} errors {}",
            reference.chart,
            nonempty,
            reference.nonempty,
            bytes,
            reference.bytes,
            out.errors.len(),
        );
        for (name, _, error) in &out.errors {
            failures.push(format!("{name}: {:?} {}", error.kind, error.message));
        }
        same_count += usize::from(nonempty == reference.nonempty);
    }
    println!("charts with Helm's count of non-empty templates: {same_count} of 16");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        same_count >= 15,
        "fewer charts than before match Helm's template count"
    );
}
