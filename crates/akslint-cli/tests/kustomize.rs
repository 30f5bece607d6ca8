//! Kustomize overlays from the command line: the objects an overlay builds are linted, each
//! finding placed where its value was written (a base, a patch, a generator's literal, an env
//! file line) and named by the kustomizations that build it, in every output format; a patch is
//! never linted as a whole object, and no secret is printed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{akslint_in, json};

/// Copies a corpus folder into a temporary folder (so the run's paths are short and stable).
fn corpus_copy(relative: &str) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(relative);
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&from, dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("a corpus folder") {
        let path: PathBuf = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Writes `text` to `path` under `dir`, with its folders.
fn write_file(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// A kustomization `base` that builds a ServiceAccount `api` without a client id and a
/// Deployment labelled for workload identity that runs as it (WID003 at its line 9).
fn write_base(dir: &Path) {
    let base = [
        ("kustomization.yaml", "resources: [sa.yaml, deploy.yaml]\n"),
        (
            "sa.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n",
        ),
        (
            "deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: \"true\"\n    spec:\n      serviceAccountName: api\n      containers:\n        - name: api\n          image: contoso.azurecr.io/api:1.0.0\n",
        ),
    ];
    for (name, text) in base {
        write_file(dir, &format!("base/{name}"), text);
    }
}

/// Every finding of a JSON report as (code, file, line).
fn findings(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(common::code_file_line)
        .collect()
}

/// The finding of the workload-identity example: the staging overlay's patch removes the
/// label.
fn staging_patch_finding() -> Vec<(String, String, u64)> {
    vec![(
        "WID001".to_owned(),
        "overlays/staging/no-identity.yaml".to_owned(),
        11,
    )]
}

/// A patch that removes the workload identity label is reported at the patch, named by its
/// overlay; a patch that sets only replicas and a memory limit gives nothing (it is no object).
#[test]
fn an_overlay_patch_is_linted_in_the_built_object_never_alone() {
    let dir = corpus_copy("kustomize/workload-identity");
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    assert_eq!(findings(&report), staging_patch_finding(), "{report}");
    let finding = &report["findings"][0];
    let message = finding["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("built by kustomization `overlays/staging`"),
        "{message}"
    );
    assert!(
        finding["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .any(|l| l["file"] == "overlays/staging/kustomization.yaml"),
        "{finding}"
    );
}

/// Files named without their kustomizations (as pre-commit names a commit's files) are
/// linted through the kustomization of the nearest folder above each: the staging patch's
/// finding is found, the prod patch (replicas and limits) gives nothing.
#[test]
fn named_patches_are_linted_through_the_nearest_kustomization() {
    let dir = corpus_copy("kustomize/workload-identity");
    let report = json(&akslint_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "overlays/prod/scale.yaml",
            "overlays/staging/no-identity.yaml",
        ],
        b"",
    ));
    assert_eq!(findings(&report), staging_patch_finding(), "{report}");
}

/// Secrets of a secretGenerator: a literal at the literal, an env file's at its line; in every
/// output format, and never printed whole.
#[test]
fn generator_secrets_are_reported_where_written_in_every_format() {
    let dir = corpus_copy("kustomize/secrets");
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    let found = findings(&report);
    for expected in [
        ("SEC002", "overlays/dev/kustomization.yaml", 11),
        ("SEC002", "overlays/dev/payments.env", 3),
    ] {
        assert!(
            found
                .iter()
                .any(|(c, f, l)| (c.as_str(), f.as_str(), *l) == expected),
            "{expected:?} not in {found:?}"
        );
    }
    assert_eq!(found.len(), 2, "{found:?}");
    for format in ["human", "json", "sarif", "github", "junit"] {
        let output = akslint_in(dir.path(), &["check", "--format", format], b"");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for secret in [
            "Vn4tQ8rZ2pKx7mWs9LcY",
            "RE6QfrFEUercrr7sZr2A8U6X7Wbp2OJ94BxSRzIH",
        ] {
            assert!(!all.contains(secret), "{format} prints a secret: {all}");
        }
        for file in ["kustomization.yaml", "payments.env"] {
            assert!(all.contains(file), "{format} does not name {file}: {all}");
        }
    }
}

/// The objects of one build never meet another build's: a base whose ServiceAccount lacks the
/// client id (which only the overlay's patch adds) is reported for the base's own build, and
/// not for the overlay, although both hold a ServiceAccount `default/api`.
#[test]
fn builds_are_linted_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_base(dir.path());
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write(
        "prod/kustomization.yaml",
        "resources: [../base]\npatches:\n  - path: identity.yaml\n",
    );
    write(
        "prod/identity.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  annotations:\n    azure.workload.identity/client-id: 3f9a2c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b\n",
    );
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    assert_eq!(
        findings(&report),
        vec![("WID003".to_owned(), "base/deploy.yaml".to_owned(), 9)],
        "{report}"
    );
    let message = report["findings"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.ends_with("(built by kustomization `base`)"),
        "{message}"
    );
}

/// The rules that read only the templates run once per project, not once per scope of
/// colliding builds: a project whose base and overlay are linted apart reports each Bicep
/// finding once, exactly as the Bicep folder linted alone does, beside the builds' own finding.
#[test]
fn template_findings_are_the_same_with_scopes_of_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_base(dir.path());
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    write("prod/kustomization.yaml", "resources: [../base]\n");
    write(
        "infra/main.bicep",
        "@secure()\nparam dbPassword string\n\nresource aks 'Microsoft.ContainerService/managedClusters@2024-02-01' = {\n  name: 'aks-orders'\n  location: 'westeurope'\n  properties: {\n    disableLocalAccounts: false\n  }\n}\n\noutput password string = dbPassword\n",
    );
    let project = findings(&json(&akslint_in(
        dir.path(),
        &["check", "--format", "json"],
        b"",
    )));
    let bicep_alone = findings(&json(&akslint_in(
        dir.path(),
        &["check", "--format", "json", "infra"],
        b"",
    )));
    let codes: Vec<&str> = bicep_alone.iter().map(|f| f.0.as_str()).collect();
    assert!(
        codes.contains(&"SEC014") && codes.contains(&"AUTH002"),
        "{bicep_alone:?}"
    );
    let (in_bicep, in_builds): (Vec<_>, Vec<_>) = project
        .into_iter()
        .partition(|finding| finding.1.starts_with("infra/"));
    assert_eq!(in_bicep, bicep_alone);
    // The base and the overlay build the same objects: two scopes, one finding.
    assert_eq!(
        in_builds,
        vec![("WID003".to_owned(), "base/deploy.yaml".to_owned(), 9)]
    );
}

/// The rules that read facts see, in each scope, the project's plain files with that scope's
/// builds only: a ServiceAccount that exists in one build changes the findings on the plain
/// files' pods and on a federated credential in that scope alone, and the findings of every
/// scope are reported once.
#[test]
fn a_build_changes_the_plain_files_findings_in_its_scope_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |path: &str, text: &str| write_file(dir.path(), path, text);
    let account = |name: &str, namespace: &str, client_id: &str| {
        let annotations = match client_id {
            "" => String::new(),
            id => format!("  annotations:\n    azure.workload.identity/client-id: {id}\n"),
        };
        format!(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n  namespace: {namespace}\n{annotations}"
        )
    };
    // Three builds whose objects collide, three scopes: the base's ServiceAccount `web` names
    // no identity; the overlay's patch gives it one and adds a ServiceAccount `cache`; `tools`
    // builds its own `web` and the only ServiceAccount of namespace `jobs`.
    write("base/kustomization.yaml", "resources: [sa.yaml]\n");
    write("base/sa.yaml", &account("web", "default", ""));
    write(
        "prod/kustomization.yaml",
        "resources: [../base, cache.yaml]\npatches:\n  - path: web.yaml\n",
    );
    let web = account("web", "default", "0c5e6d7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5");
    write("prod/web.yaml", &web);
    let cache = account("cache", "default", "7d1e2f3a-4b5c-4d6e-9f70-8a9b0c1d2e3f");
    write("prod/cache.yaml", &cache);
    write("tools/kustomization.yaml", "resources: [sa.yaml]\n");
    let tools = account("web", "default", "") + "---\n" + &account("runner", "jobs", "");
    write("tools/sa.yaml", &tools);
    // Plain manifests (no kustomization builds them) in namespaces only the builds cover.
    let deployment = |name: &str, namespace: &str, labelled: bool, account: &str| {
        let label = if labelled {
            "azure.workload.identity/use: \"true\""
        } else {
            "app: worker"
        };
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  template:\n    metadata:\n      labels:\n        {label}\n    spec:\n      serviceAccountName: {account}\n      containers:\n        - name: {name}\n          image: contoso.azurecr.io/{name}:1.0.0\n"
        )
    };
    write("apps/web.yaml", &deployment("web", "default", true, "web"));
    write(
        "apps/worker.yaml",
        &deployment("worker", "default", false, "web"),
    );
    write(
        "apps/batch.yaml",
        &deployment("batch", "jobs", true, "batch"),
    );
    write(
        "infra/identity.bicep",
        "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {\n  name: 'id-web'\n  location: 'westeurope'\n}\n\nresource cache 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {\n  parent: identity\n  name: 'cache'\n  properties: {\n    issuer: 'https://westeurope.oic.prod-aks.azure.com/7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b/'\n    subject: 'system:serviceaccount:default:cache'\n    audiences: ['api://AzureADTokenExchange']\n  }\n}\n",
    );
    let report = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    let found: Vec<(String, String, String)> = (report["findings"].as_array())
        .expect("findings")
        .iter()
        .map(|f| {
            let (code, file, _) = common::code_file_line(f);
            let message = f["message"].as_str().unwrap_or_default().to_owned();
            (code, file, message)
        })
        .filter(|(code, _, _)| code.starts_with("WID"))
        .collect();
    let has = |code: &str, file: &str, words: &str| {
        (found.iter()).any(|f| f.0 == code && f.1 == file && f.2.contains(words))
    };
    // Where `web` has no client id (the base's and the tools' scopes): WID003 on the labelled
    // plain pod, and the credential trusts a ServiceAccount that is not defined.
    let no_client_id = "has no `azure.workload.identity/client-id`";
    assert!(has("WID003", "apps/web.yaml", no_client_id), "{found:#?}");
    let not_defined = "default/cache, which is not defined";
    assert!(
        has("WID007", "infra/identity.bicep", not_defined),
        "{found:#?}"
    );
    // Where it names an identity (the overlay's scope): WID001 on the unlabelled plain pod.
    assert!(has("WID001", "apps/worker.yaml", ""), "{found:#?}");
    // `batch` is missing everywhere: a note where no ServiceAccount of `jobs` is linted, a
    // warning in the tools' scope, which has one.
    let uncovered = "no ServiceAccount of namespace `jobs` is in the files linted";
    assert!(has("WID003", "apps/batch.yaml", uncovered), "{found:#?}");
    let covered = "not among the ServiceAccounts of namespace `jobs`";
    assert!(has("WID003", "apps/batch.yaml", covered), "{found:#?}");
    assert_eq!(found.len(), 5, "{found:#?}");
}
