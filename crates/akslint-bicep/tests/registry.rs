//! Registry modules (`br:`, `br/<alias>:`) read from the Bicep module cache and evaluated with the
//! call's arguments: an AVM-style AKS module's compiled template in a cache folder that a
//! `bicepconfig.json` names.

#[path = "support/eval.rs"]
mod support;

use std::path::PathBuf;

use akslint_bicep::Evaluation;
use akslint_core::{AzureResource, SharedSource};
use support::{MemLoader, source};

/// The compiled module: `disableLocalAccounts` and `enablePrivateCluster` default to `true`.
const MODULE: &str = include_str!("registry-data/managed-cluster.json");

/// Where `br/public:avm/res/container-service/managed-cluster:0.10.0` is in the cache `.cache`.
const PUBLIC_AKS: &str =
    ".cache/br/mcr.microsoft.com/bicep$avm$res$container-service$managed-cluster/0.10.0$/main.json";

const CONFIG: &str = r#"{
  // the module cache of this repository
  "cacheRootDirectory": ".cache",
  "moduleAliases": {
    "br": {
      "contoso": { "registry": "contoso.azurecr.io", "modulePath": "modules" }
    }
  }
}"#;

/// Evaluates `main.bicep` with `bicepconfig.json` and the cache files `cached` (paths).
fn run(main: &str, cached: &[&str]) -> Evaluation {
    let files: Vec<SharedSource> = vec![source("main.bicep", main)];
    let mut loader = MemLoader::default();
    loader
        .texts
        .insert(PathBuf::from("bicepconfig.json"), CONFIG.to_owned());
    for path in cached {
        loader.texts.insert(PathBuf::from(path), MODULE.to_owned());
    }
    akslint_bicep::evaluate_texts(&files, &loader)
}

fn aks_call(path: &str, params: &str) -> String {
    format!(
        "module aks '{path}' = {{\n  name: 'aks'\n  params: {{\n    name: 'aks-prod'\n{params}  }}\n}}\n"
    )
}

fn property(resource: &AzureResource, path: &[&str]) -> akslint_core::NodeId {
    match resource.property(path) {
        akslint_core::Setting::Value(node) => node,
        other => panic!("{path:?} is {other:?}"),
    }
}

#[test]
fn a_restored_public_module_is_evaluated_with_the_call_arguments() {
    let main = aks_call(
        "br/public:avm/res/container-service/managed-cluster:0.10.0",
        "    enablePrivateCluster: false\n",
    );
    let evaluation = run(&main, &[PUBLIC_AKS]);
    assert!(evaluation.notes.is_empty(), "{:?}", evaluation.notes);
    let aks = &evaluation.resources[0];
    assert_eq!(
        aks.resource_type,
        "Microsoft.ContainerService/managedClusters"
    );
    assert_eq!(aks.file.path(), std::path::Path::new(PUBLIC_AKS));
    assert_eq!(aks.via.len(), 1);
    assert_eq!(aks.via[0].file.path(), std::path::Path::new("main.bicep"));

    // The argument decides: reported at `false` in main.bicep, the module's JSON related.
    let private = property(aks, &["apiServerAccessProfile", "enablePrivateCluster"]);
    assert_eq!(aks.body.bool(private), Some(false));
    let (at, related) = aks.locate(private);
    assert_eq!(at.file.path(), std::path::Path::new("main.bicep"));
    assert_eq!(at.file.slice(at.span), "false");
    let (related, _) = related.expect("the module's JSON as the related location");
    assert_eq!(related.file.path(), std::path::Path::new(PUBLIC_AKS));

    // The module's default decides: reported at the module call, not in the cache.
    let local = property(aks, &["disableLocalAccounts"]);
    assert_eq!(aks.body.bool(local), Some(true));
    let (at, related) = aks.locate(local);
    assert_eq!(at.file.path(), std::path::Path::new("main.bicep"));
    assert!(at.file.slice(at.span).starts_with("module aks 'br/public:"));
    assert_eq!(
        related.expect("the cache file").0.file.path(),
        std::path::Path::new(PUBLIC_AKS)
    );

    // A setting the module does not write lands on the call too.
    let (at, _) = aks.locate_property(&["networkProfile", "networkPolicy"]);
    assert_eq!(at.file.path(), std::path::Path::new("main.bicep"));
}

#[test]
fn aliases_and_digests_name_their_cache_folders() {
    let alias = aks_call("br/contoso:aks:V2", "");
    let evaluation = run(
        &alias,
        &[".cache/br/contoso.azurecr.io/modules$aks/V2$1/main.json"],
    );
    assert_eq!(evaluation.resources.len(), 1, "{:?}", evaluation.notes);

    let digest = aks_call("br:Contoso.azurecr.io:443/infra/aks@sha256:0abc", "");
    let evaluation = run(
        &digest,
        &[".cache/br/contoso.azurecr.io$443/infra$aks/sha256#0abc/main.json"],
    );
    assert_eq!(evaluation.resources.len(), 1, "{:?}", evaluation.notes);
}

#[test]
fn a_module_not_restored_is_a_note_naming_the_restore_command() {
    let main = aks_call(
        "br/public:avm/res/container-service/managed-cluster:0.10.0",
        "",
    );
    let evaluation = run(&main, &[]);
    assert!(evaluation.resources.is_empty());
    assert_eq!(evaluation.notes.len(), 1);
    let message = &evaluation.notes[0].message;
    assert!(message.contains("not restored"), "{message}");
    assert!(message.contains(PUBLIC_AKS), "{message}");
    assert!(message.contains("`bicep restore main.bicep`"), "{message}");
    assert!(
        message.contains("`az bicep restore --file main.bicep`"),
        "{message}"
    );
}

#[test]
fn unknown_aliases_are_notes() {
    let evaluation = run(&aks_call("br/nowhere:aks:1", ""), &[]);
    assert!(
        evaluation.notes[0].message.contains("alias `nowhere`"),
        "{:?}",
        evaluation.notes
    );
    let evaluation = run(&aks_call("ts/specs:aks:1", ""), &[]);
    assert!(
        evaluation.notes[0]
            .message
            .contains("`moduleAliases.ts.specs.subscription`"),
        "{:?}",
        evaluation.notes
    );
}

/// A template spec is cached as the template spec version resource, its template in
/// `properties.mainTemplate`, in a lower-case folder.
#[test]
fn a_cached_template_spec_is_evaluated_from_its_main_template() {
    let spec = format!(
        "{{\"id\": \"/subscriptions/s1/resourceGroups/platform/providers/Microsoft.Resources/templateSpecs/aks/versions/V1\",\n \"properties\": {{\"mainTemplate\": {MODULE}}}}}"
    );
    let files: Vec<SharedSource> = vec![source(
        "main.bicep",
        &aks_call("ts:S1/Platform/AKS:V1", "    enablePrivateCluster: false\n"),
    )];
    let mut loader = MemLoader::default();
    loader
        .texts
        .insert(PathBuf::from("bicepconfig.json"), CONFIG.to_owned());
    loader.texts.insert(
        PathBuf::from(".cache/ts/s1/platform/aks/v1/main.json"),
        spec,
    );
    let evaluation = akslint_bicep::evaluate_texts(&files, &loader);
    assert!(evaluation.notes.is_empty(), "{:?}", evaluation.notes);
    assert_eq!(evaluation.resources.len(), 1);
    let aks = &evaluation.resources[0];
    let private = property(aks, &["apiServerAccessProfile", "enablePrivateCluster"]);
    assert_eq!(aks.body.bool(private), Some(false));
    assert_eq!(
        aks.locate(private).0.file.path(),
        std::path::Path::new("main.bicep")
    );
}
