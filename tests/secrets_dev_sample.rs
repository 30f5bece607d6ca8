//! The labelled development sample beside the checkout (`../shared/secrets-dev`): each snippet
//! is placed where its format says it sits (an env list in a Deployment, a Secret's data, a
//! ConfigMap, a values file, a Bicep resource, …) and linted. POS snippets must raise a SEC
//! finding, POLICY ones only lower-severity SEC findings, NEG ones nothing. Prints the figures per format,
//! and for YAML and Bicep apart; ARM JSON parameter files are not linted by akslint.
//!
//! ```sh
//! cargo test -p akslint-tests --test secrets_dev_sample -- --nocapture
//! ```

use std::collections::BTreeMap;

use akslint_core::Severity;
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
        "bicep" | "bicep-var" | "bicep-param" => return Some(("sample.bicep", bicep(snippet))),
        "bicepparam" => return Some(("sample.bicepparam", format!("{snippet}\n"))),
        "arm-parameters-json" => return None,
        _ => format!("{snippet}\n"),
    };
    Some(("sample.yaml", text))
}

/// A Bicep snippet as a file: declarations as they are; a fragment of a resource body inside the
/// resource its first key belongs to (`osProfile` in a VM, `appSettings` and `{ name, value }`
/// settings in a web app).
fn bicep(snippet: &str) -> String {
    let declaration = [
        "param ",
        "var ",
        "resource ",
        "output ",
        "module ",
        "@",
        "targetScope",
        "type ",
        "func ",
        "import ",
        "using ",
    ];
    if declaration.iter().any(|d| snippet.starts_with(d)) {
        return format!("{snippet}\n");
    }
    let first_key = snippet.split(':').next().unwrap_or_default().trim();
    let (resource_type, wrapper) = match first_key {
        "osProfile" => (
            "Microsoft.Compute/virtualMachines@2023-09-01",
            &["properties"][..],
        ),
        "linuxConfiguration" | "windowsConfiguration" => (
            "Microsoft.Compute/virtualMachines@2023-09-01",
            &["properties", "osProfile"][..],
        ),
        "appSettings" | "connectionStrings" => (
            "Microsoft.Web/sites@2023-01-01",
            &["properties", "siteConfig"][..],
        ),
        _ if snippet.starts_with('{') => (
            "Microsoft.Web/sites@2023-01-01",
            &["properties", "siteConfig", "appSettings"][..],
        ),
        _ => ("Microsoft.Resources/tags@2022-09-01", &["properties"][..]),
    };
    let mut text = format!("resource sample '{resource_type}' = {{\n  name: 'sample'\n");
    let mut closing = vec!["}".to_owned()];
    for (depth, key) in wrapper.iter().enumerate() {
        let indent = "  ".repeat(depth + 1);
        let array = *key == "appSettings";
        text.push_str(&format!(
            "{indent}{key}: {}\n",
            if array { "[" } else { "{" }
        ));
        closing.push(format!("{indent}{}", if array { "]" } else { "}" }));
    }
    text.push_str(&indent(snippet, 2 * (wrapper.len() + 1)));
    for line in closing.iter().rev() {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Confusion counts.
#[derive(Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Tally {
    /// Counts one snippet: its label and whether akslint got it right.
    fn record(&mut self, label: &str, right: bool) {
        match (label, right) {
            ("NEG", true) => self.tn += 1,
            ("NEG", false) => self.fp += 1,
            (_, true) => self.tp += 1,
            (_, false) => self.fn_ += 1,
        }
    }

    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }

    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }

    fn summary(&self) -> String {
        format!(
            "tp {} fp {} fn {} tn {}, precision {:.3}, recall {:.3}",
            self.tp,
            self.fp,
            self.fn_,
            self.tn,
            self.precision(),
            self.recall()
        )
    }
}

#[test]
fn labelled_development_sample() {
    let Some(folder) = shared_data("secrets-dev") else {
        return;
    };
    let text = std::fs::read_to_string(folder.join("labeled_sample.tsv")).expect("the sample");
    let mut yaml = Tally::default();
    let mut bicep = Tally::default();
    let mut skipped = 0;
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
        let findings: Vec<_> = report
            .diagnostics()
            .filter(|d| d.rule.code.starts_with("SEC"))
            .collect();
        let codes: Vec<&str> = findings.iter().map(|d| d.rule.code).collect();
        // POLICY: reported, but only at a lower severity (the weak-secret rule, or a rule's
        // warning-level case such as an output that is merely named like a secret).
        let right = match label {
            "POS" => !codes.is_empty() && codes.iter().any(|c| *c != "SEC009"),
            "POLICY" => {
                !findings.is_empty() && findings.iter().all(|d| d.severity < Severity::Error)
            }
            _ => codes.is_empty(),
        };
        let tally = if name.ends_with(".yaml") {
            &mut yaml
        } else {
            &mut bicep
        };
        tally.record(label, right);
        by_format
            .entry(format.to_owned())
            .or_default()
            .record(label, right);
        if !right {
            misses.push(format!("{id} {label} {class} ({format}): got {codes:?}"));
        }
    }
    for (format, tally) in &by_format {
        println!(
            "{format:<32} right {:>3} wrong {:>3}",
            tally.tp + tally.tn,
            tally.fp + tally.fn_
        );
    }
    for miss in &misses {
        println!("miss: {miss}");
    }
    println!("dev sample (YAML): {}", yaml.summary());
    println!(
        "dev sample (Bicep, .bicepparam): {}; {skipped} ARM JSON snippets not scored",
        bicep.summary()
    );
    assert!(
        yaml.precision() >= 0.95 && yaml.recall() >= 0.95,
        "YAML: {}",
        yaml.summary()
    );
    assert!(
        bicep.precision() >= 0.95 && bicep.recall() >= 0.95,
        "Bicep: {}",
        bicep.summary()
    );
}
