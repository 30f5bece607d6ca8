//! Secrets in ARM JSON end to end: an `azuredeploy.json` template with the parameters files
//! beside it, as `akslint check` renders the findings (the values redacted, the template's
//! secure parameter as a secondary location, the fix in JSON terms).

mod common;
use common::{akslint, json, stdout};

/// The corpus folder of a template, a parameters file with secrets and one with Key Vault
/// references.
const FOLDER: &str = "corpus/sec/sec015-hardcoded-secret-in-bicepparam/arm";

#[test]
fn human_output_of_secrets_in_a_parameters_file() {
    let output = akslint(&["check", FOLDER]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("human_arm_secrets", stdout(&output));
}

#[test]
fn json_findings_name_the_parameters_file_and_the_secure_parameter() {
    let output = akslint(&["check", FOLDER, "--format", "json"]);
    let report = json(&output);
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 5);
    for finding in findings {
        assert_eq!(finding["code"], "SEC015");
        assert!(
            finding["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("azuredeploy.parameters.json")),
            "{finding}"
        );
    }
    let password = findings
        .iter()
        .find(|f| f["subject"]["object"] == "param sqlAdminPassword")
        .expect("the password given to the securestring parameter");
    let labels = password["labels"].as_array().expect("labels");
    assert!(
        labels.iter().any(|l| l["message"].as_str().is_some_and(
            |m| m.contains("the secure parameter `sqlAdminPassword` of azuredeploy.json")
        )),
        "{labels:?}"
    );
    assert!(
        password["help"]
            .as_str()
            .is_some_and(|h| h.contains("\"keyVault\"")),
        "the help says how to reference Key Vault in JSON"
    );
}

#[test]
fn a_value_chosen_by_an_expression_is_reported_at_its_literal() {
    let folder = "corpus/sec/sec012-hardcoded-secret-in-resource-property";
    let output = akslint(&["check", folder, "--format", "json"]);
    let report = json(&output);
    let chosen = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .is_some_and(|p| p.ends_with("bad-properties.json"))
                && f["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("STRIPE_API_KEY"))
        })
        .expect("the API key an if() chooses");
    let text =
        std::fs::read_to_string(common::workspace().join(folder).join("bad-properties.json"))
            .expect("fixture");
    let line = text
        .lines()
        .nth(chosen["start"]["line"].as_u64().expect("line") as usize - 1)
        .expect("the line");
    let column = chosen["start"]["column"].as_u64().expect("column") as usize;
    // The finding starts at the secret inside `[if(…, 'secret', '')]`, not at the expression.
    assert!(line[column - 1..].starts_with("Jk4!"), "{line} at {column}");
    assert!(
        chosen["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("property `properties.siteConfig.appSettings")),
        "{chosen}"
    );
}
