//! Secrets are never printed whole, in any format, in `--diff`, in a parse error's snippet, in a
//! related location in a file outside the run, or as the second value of a duplicated key; and
//! the masking hides the secret only, so the user still sees which credential is meant.

use std::path::Path;

mod common;
use common::{akslint_in, fixture_dir};

const FORMATS: &[&str] = &["human", "json", "sarif", "github", "junit"];

/// Everything akslint prints for `args` in `dir`, in every format and as a diff of the fixes.
fn every_output(dir: &Path, args: &[&str]) -> String {
    let mut all = String::new();
    for format in FORMATS {
        let mut with_format = vec!["check", "--format", format];
        with_format.extend(args);
        let output = akslint_in(dir, &with_format, b"");
        all.push_str(&String::from_utf8_lossy(&output.stdout));
        all.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    let mut diff = vec!["check", "--diff", "--unsafe-fixes"];
    diff.extend(args);
    let output = akslint_in(dir, &diff, b"");
    all.push_str(&String::from_utf8_lossy(&output.stdout));
    all.push_str(&String::from_utf8_lossy(&output.stderr));
    all
}

fn assert_never_whole(output: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !output.contains(secret),
            "{secret} printed whole:\n{output}"
        );
    }
}

#[test]
fn a_secret_after_non_ascii_secrets_on_one_line_is_masked() {
    let dir = fixture_dir(&[(
        "oneline.yaml",
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"app\"},\"stringData\":{\"db-password\":\"Contraseña-Señor-ñandú-ñoño-77\",\"admin-password\":\"密码密码密码Secret-Value-9911\",\"api-password\":\"Zx9pQ2mT7vLrA1bCqqWWeeRR\"}}\n",
    )]);
    let output = every_output(dir.path(), &["oneline.yaml"]);
    assert_never_whole(
        &output,
        &[
            "Contraseña-Señor-ñandú-ñoño-77",
            "密码密码密码Secret-Value-9911",
            "Zx9pQ2mT7vLrA1bCqqWWeeRR",
        ],
    );
    // Not over-masked: the keys around the secrets stay readable.
    assert!(output.contains("\"api-password\":\"Zx9"), "{output}");
}

#[test]
fn the_context_lines_of_a_diff_mask_secrets() {
    let dir = fixture_dir(&[(
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels:\n    app: web\n  annotations:\n    db-password: Zq9-Lm4-Tr7x-Kp2w\nspec:\n  serviceAccountName: app\n  containers:\n    - name: web\n      image: web:1\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    azure.workload.identity/client-id: 00000000-1111-2222-3333-444444444444\n",
    )]);
    let diff = akslint_in(
        dir.path(),
        &["check", "--diff", "--unsafe-fixes", "pod.yaml"],
        b"",
    );
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("+    azure.workload.identity/use: \"true\""),
        "{text}"
    );
    assert!(text.contains("    db-password: Zq9*"), "{text}");
    assert_never_whole(
        &every_output(dir.path(), &["pod.yaml"]),
        &["Zq9-Lm4-Tr7x-Kp2w"],
    );
}

#[test]
fn a_syntax_errors_snippet_masks_a_secret_on_a_neighbouring_line() {
    let dir = fixture_dir(&[(
        "broken.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Xq8-Wn3-Zr6p-Lm2v\n  other: \"unclosed\n",
    )]);
    let output = every_output(dir.path(), &["broken.yaml"]);
    assert!(output.contains("PARSE001"), "{output}");
    assert!(output.contains("password: Xq8*"), "{output}");
    assert_never_whole(&output, &["Xq8-Wn3-Zr6p-Lm2v"]);
}

#[test]
fn a_related_location_in_a_file_outside_the_run_masks_its_secrets() {
    let dir = fixture_dir(&[
        (
            "main.bicep",
            "param location string = resourceGroup().location\nparam disable bool = true\nresource aks 'Microsoft.ContainerService/managedClusters@2024-02-01' = {\n  name: 'aks'\n  location: location\n  properties: {\n    disableLocalAccounts: disable\n    windowsProfile: { adminUsername: 'azureuser', adminPassword: 'Q7r!vX2m#Lp9sT4w' }\n    aadProfile: { managed: true, enableAzureRBAC: true }\n  }\n}\n",
        ),
        (
            "main.bicepparam",
            "using 'main.bicep'\nparam disable = false\n",
        ),
    ]);
    let output = every_output(dir.path(), &["main.bicepparam"]);
    assert!(output.contains("main.bicep:7:"), "{output}");
    assert_never_whole(&output, &["Q7r!vX2m#Lp9sT4w"]);
}

#[test]
fn both_values_of_a_duplicated_key_are_masked() {
    let dir = fixture_dir(&[(
        "dup.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Aq8-Wn3-Zr6p-Lm2v\n  password: Bq8-Wn3-Zr6p-Lm2v\n",
    )]);
    let output = every_output(dir.path(), &["dup.yaml"]);
    assert!(output.contains("PARSE006"), "{output}");
    assert_never_whole(&output, &["Aq8-Wn3-Zr6p-Lm2v", "Bq8-Wn3-Zr6p-Lm2v"]);
}
