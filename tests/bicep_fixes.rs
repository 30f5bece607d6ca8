//! Fixes of the Bicep rules: applying a finding's fix gives Bicep that still parses and no longer
//! raises the rule, and the fix is withheld where one edit in the resource cannot do it.

use akslint_core::{Edit, Family};
use akslint_engine::Report;
use akslint_tests::lint_texts;

/// A cluster with every setting the other rules want, around `properties` entries to vary.
fn cluster(properties: &str) -> String {
    format!(
        "param csiEnabled bool = false\n\
         \n\
         resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {{\n\
         \x20 name: 'aks-prod'\n\
         \x20 location: 'westeurope'\n\
         \x20 identity: {{ type: 'SystemAssigned' }}\n\
         \x20 properties: {{\n\
         \x20   dnsPrefix: 'aks-prod'\n\
         \x20   disableLocalAccounts: true\n\
         {properties}\
         \x20 }}\n\
         }}\n\
         \n\
         resource flux 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {{\n\
         \x20 name: 'flux'\n\
         \x20 scope: aks\n\
         \x20 properties: {{\n\
         \x20   extensionType: 'microsoft.flux'\n\
         \x20 }}\n\
         }}\n"
    )
}

fn lint(text: &str) -> Report {
    lint_texts(&[("main.bicep", text)])
}

/// The edits of every fix of `code`'s findings in `text`, sorted.
fn fix_edits(text: &str, code: &str) -> Vec<Edit> {
    let report = lint(text);
    let findings: Vec<_> = report
        .diagnostics()
        .filter(|d| d.rule.code == code)
        .collect();
    assert!(!findings.is_empty(), "{code} is not raised by:\n{text}");
    let mut edits: Vec<Edit> = findings
        .iter()
        .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.iter().cloned()))
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    edits
}

/// Applies `code`'s fix and checks the result: it parses, no longer raises `code` nor any rule
/// in `also_gone`, and contains `expected`. Returns the fixed text.
fn assert_fixed(text: &str, code: &str, also_gone: &[&str], expected: &str) -> String {
    let edits = fix_edits(text, code);
    assert!(!edits.is_empty(), "{code} offers no fix for:\n{text}");
    let fixed = akslint_cli::fix::apply(text, &edits);
    let report = lint(&fixed);
    let left: Vec<String> = report
        .diagnostics()
        .filter(|d| {
            d.rule.family == Family::Parse
                || d.rule.code == code
                || also_gone.contains(&d.rule.code)
        })
        .map(|d| format!("{} {}", d.rule.code, d.message))
        .collect();
    assert!(left.is_empty(), "after the fix:\n{fixed}\nstill: {left:#?}");
    assert!(fixed.contains(expected), "{expected:?} not in:\n{fixed}");
    fixed
}

fn assert_no_fix(text: &str, code: &str) {
    assert!(
        fix_edits(text, code).is_empty(),
        "{code} offers a fix for:\n{text}"
    );
}

const ADDON_ON: &str = "    addonProfiles: {\n      azureKeyvaultSecretsProvider: {\n        enabled: true\n        config: {\n          enableSecretRotation: 'true'\n        }\n      }\n    }\n";
const RANGES: &str =
    "    apiServerAccessProfile: {\n      authorizedIPRanges: ['203.0.113.0/24']\n    }\n";

#[test]
fn api003_fix_turns_the_public_fqdn_off() {
    let explicit = cluster(&format!(
        "    apiServerAccessProfile: {{\n      enablePrivateCluster: true\n      enablePrivateClusterPublicFQDN: true\n    }}\n{ADDON_ON}"
    ));
    assert_fixed(
        &explicit,
        "API003",
        &[],
        "enablePrivateClusterPublicFQDN: false",
    );
    let omitted = cluster(&format!(
        "    apiServerAccessProfile: {{\n      enablePrivateCluster: true\n    }}\n{ADDON_ON}"
    ));
    let fixed = assert_fixed(
        &omitted,
        "API003",
        &[],
        "enablePrivateClusterPublicFQDN: false",
    );
    assert!(
        fixed.contains(
            "    apiServerAccessProfile: {\n      enablePrivateClusterPublicFQDN: false\n      enablePrivateCluster: true\n"
        ),
        "{fixed}"
    );
    // No private DNS zone: the cluster needs the public record, so no fix.
    let no_zone = cluster(&format!(
        "    apiServerAccessProfile: {{\n      enablePrivateCluster: true\n      privateDNSZone: 'none'\n    }}\n{ADDON_ON}"
    ));
    assert_no_fix(&no_zone, "API003");
}

#[test]
fn kv001_fix_enables_the_addon_with_rotation() {
    let missing = cluster(RANGES);
    let fixed = assert_fixed(
        &missing,
        "KV001",
        &["KV002"],
        "enableSecretRotation: 'true'",
    );
    assert!(
        fixed.contains(
            "  properties: {\n    addonProfiles: {\n      azureKeyvaultSecretsProvider: {\n        enabled: true\n        config: {\n          enableSecretRotation: 'true'\n        }\n      }\n    }\n    dnsPrefix"
        ),
        "{fixed}"
    );
    let other_addons = cluster(&format!(
        "{RANGES}    addonProfiles: {{\n      omsagent: {{\n        enabled: false\n      }}\n    }}\n"
    ));
    assert_fixed(&other_addons, "KV001", &["KV002"], "omsagent");
    let disabled = cluster(&format!(
        "{RANGES}    addonProfiles: {{\n      azureKeyvaultSecretsProvider: {{\n        enabled: false\n      }}\n    }}\n"
    ));
    let fixed = assert_fixed(&disabled, "KV001", &["KV002"], "enabled: true");
    assert!(!fixed.contains("enabled: false"), "{fixed}");
    let without_enabled = cluster(&format!(
        "{RANGES}    addonProfiles: {{\n      AzureKeyvaultSecretsProvider: {{\n        config: {{\n          enableSecretRotation: 'true'\n        }}\n      }}\n    }}\n"
    ));
    assert_fixed(&without_enabled, "KV001", &["KV002"], "enabled: true");
    // Disabled through a parameter: changing the parameter may change other resources.
    let from_param = cluster(&format!(
        "{RANGES}    addonProfiles: {{\n      azureKeyvaultSecretsProvider: {{\n        enabled: csiEnabled\n      }}\n    }}\n"
    ));
    assert_no_fix(&from_param, "KV001");
}

#[test]
fn kv002_fix_turns_rotation_on() {
    let profile = |body: &str| {
        cluster(&format!(
            "{RANGES}    addonProfiles: {{\n      azureKeyvaultSecretsProvider: {{\n        enabled: true\n{body}      }}\n    }}\n"
        ))
    };
    for (bad, expected) in [
        (
            "",
            "config: {\n          enableSecretRotation: 'true'\n        }",
        ),
        (
            "        config: {\n          enableSecretRotation: 'false'\n        }\n",
            "enableSecretRotation: 'true'",
        ),
        (
            "        config: {\n          enableSecretRotation: true\n        }\n",
            "enableSecretRotation: 'true'",
        ),
        (
            "        config: {\n          rotationPollInterval: '2m'\n        }\n",
            "enableSecretRotation: 'true'\n          rotationPollInterval: '2m'",
        ),
    ] {
        assert_fixed(&profile(bad), "KV002", &[], expected);
    }
}
