//! The labelled development sample beside the checkout (`../shared/secrets-dev`): each snippet
//! is placed where its format says it sits (an env list in a Deployment, a Secret's data, a
//! ConfigMap, a values file, …) and linted. POS snippets must raise a SEC finding, POLICY ones
//! the weak-secret rule, NEG ones nothing. Prints the figures per format; Bicep snippets wait
//! for the Bicep rules and are counted apart.
//!
//! ```sh
//! cargo test -p akslint-tests --test secrets_dev_sample -- --nocapture
//! ```

use std::collections::BTreeMap;

use akslint_tests::{lint_text, shared_data};

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(by)))
        .collect()
}

/// The snippet as a whole file: a file name and its text, or `None` for formats not linted yet.
fn place(format: &str, snippet: &str) -> Option<(&'static str, String)> {
    let has_kind = snippet.contains("kind:");
    let text = match format {
        "k8s-env" => format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: i\n      env:\n{}",
            indent(snippet, 8)
        ),
        "k8s-secret-stringData"
        | "k8s-secret-data-b64"
        | "k8s-secret-data"
        | "k8s-secret-tls-b64"
        | "k8s-secret-dockerconfigjson" => {
            let body = snippet
                .lines()
                .filter(|l| !l.starts_with("kind:"))
                .collect::<Vec<_>>()
                .join("\n");
            format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n{body}\n")
        }
        "k8s-configmap" | "kubeconfig-in-configmap" | "k8s-configmap-embedded-file"
            if !has_kind =>
        {
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n{snippet}\n")
        }
        "k8s-args" | "k8s-command" | "k8s-image" => format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n{}",
            indent(snippet, 6)
        ),
        "k8s-volume" => format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{}",
            indent(snippet, 2)
        ),
        "k8s-annotation" | "k8s-serviceaccount" => {
            format!("apiVersion: v1\nkind: ServiceAccount\n{snippet}\n")
        }
        "k8s-ingress" => format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n{}",
            indent(snippet, 2)
        ),
        "k8s-webhook" => format!(
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n{snippet}\n"
        ),
        "k8s-spc" | "k8s-sealedsecret" | "externalsecret" if has_kind => {
            let api = if snippet.contains("apiVersion:") {
                String::new()
            } else {
                "apiVersion: example.com/v1\n".to_owned()
            };
            format!("{api}{snippet}\n")
        }
        "fixture-line" => format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  settings: |\n{}",
            indent(snippet, 4)
        ),
        "bicep" | "bicep-var" | "bicep-param" | "bicepparam" | "arm-parameters-json" => {
            return None;
        }
        _ => format!("{snippet}\n"),
    };
    Some(("sample.yaml", text))
}

#[derive(Default)]
struct Tally {
    right: usize,
    wrong: usize,
}

#[test]
fn labelled_development_sample() {
    let Some(folder) = shared_data("secrets-dev") else {
        return;
    };
    let text = std::fs::read_to_string(folder.join("labeled_sample.tsv")).expect("the sample");
    let (mut tp, mut fp, mut fn_, mut tn, mut skipped) = (0, 0, 0, 0, 0);
    let mut by_format: BTreeMap<String, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, label, class, format, snippet, ..] = fields[..] else {
            continue;
        };
        let snippet = snippet.replace("\\n", "\n").replace("\\t", "\t");
        let Some((name, file)) = place(format, &snippet) else {
            skipped += 1;
            continue;
        };
        let report = lint_text(name, &file);
        let codes: Vec<&str> = report
            .diagnostics()
            .map(|d| d.rule.code)
            .filter(|c| c.starts_with("SEC"))
            .collect();
        let right = match label {
            "POS" => !codes.is_empty() && codes.iter().any(|c| *c != "SEC009"),
            "POLICY" => codes.contains(&"SEC009"),
            _ => codes.is_empty(),
        };
        match (label, right) {
            ("NEG", true) => tn += 1,
            ("NEG", false) => fp += 1,
            (_, true) => tp += 1,
            (_, false) => fn_ += 1,
        }
        let tally = by_format.entry(format.to_owned()).or_default();
        if right {
            tally.right += 1;
        } else {
            tally.wrong += 1;
            misses.push(format!("{id} {label} {class} ({format}): got {codes:?}"));
        }
    }
    for (format, tally) in &by_format {
        println!(
            "{format:<32} right {:>3} wrong {:>3}",
            tally.right, tally.wrong
        );
    }
    for miss in &misses {
        println!("miss: {miss}");
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "dev sample (YAML): tp {tp} fp {fp} fn {fn_} tn {tn}, precision {precision:.3}, recall {recall:.3}; {skipped} Bicep/ARM snippets not scored yet"
    );
    assert!(
        precision >= 0.95 && recall >= 0.9,
        "precision {precision:.3}, recall {recall:.3}"
    );
}
