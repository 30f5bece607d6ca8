//! The project stage keeps facts, not file text: evaluating files that gave their text back
//! (`SourceFile::released`, as `akslint check` hands them over after the per-file stage) reads
//! each text again for its parse only. Nothing the evaluation returns holds a text, and the
//! files handed in are still released afterwards.

use std::path::Path;
use std::sync::Arc;

use akslint_bicep::evaluate_in_groups;
use akslint_core::{DiskLoader, Location, ProjectSource, SharedSource, SourceFile, SourceKind};

const MAIN: &str = "param location string = 'westeurope'
@secure()
param adminPassword string

var clusterName = 'aks-${location}'

module net 'net.bicep' = {
  name: 'net'
  params: {
    prefix: '10.1.0.0/16'
  }
}

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: clusterName
  location: location
  properties: {
    dnsPrefix: 'aks'
    disableLocalAccounts: false
    linuxProfile: {
      adminUsername: 'azureuser'
    }
  }
}

output password string = adminPassword
";

const NET: &str = "param prefix string

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet'
  location: 'westeurope'
  properties: {
    addressSpace: {
      addressPrefixes: [
        prefix
      ]
    }
  }
}
";

const PARAMS: &str = "using 'main.bicep'

param location = 'northeurope'
param adminPassword = 'not-a-real-value-1b7e'
";

/// A file written to `dir`, read as a run reads it, with its text given back, as the project
/// stage gets it (no kept parse).
fn released(dir: &Path, name: &str, text: &str) -> ProjectSource {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let kind = SourceKind::from_path(&path).unwrap();
    let file = SourceFile::new(path.clone(), kind, text).on_disk(&path);
    let released = file
        .released()
        .expect("an ASCII file on disk can give its text back");
    assert!(!released.is_resident());
    ProjectSource {
        file: Arc::new(released),
        syntax: None,
        template: None,
    }
}

#[test]
fn an_evaluation_of_released_files_keeps_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let sources = vec![
        released(dir.path(), "main.bicep", MAIN),
        released(dir.path(), "net.bicep", NET),
        released(dir.path(), "main.bicepparam", PARAMS),
    ];
    let files: Vec<SharedSource> = sources.iter().map(|s| s.file.clone()).collect();
    let evaluation = evaluate_in_groups(sources, &DiskLoader::default());

    // The evaluation saw the texts (it read them again to parse them).
    let aks = evaluation
        .resources
        .iter()
        .find(|r| r.symbolic_name == "aks")
        .expect("the cluster is evaluated");
    assert!(!aks.origins.is_empty(), "values from the parameter file");
    assert!(evaluation.resources.iter().any(|r| !r.via.is_empty()));
    assert!(evaluation.files.iter().any(|f| !f.strings.is_empty()));
    assert!(evaluation.bindings.iter().any(|b| b.value.is_some()));

    // Nothing it keeps holds a text.
    let mut kept: Vec<(&str, &SharedSource)> = Vec::new();
    for resource in &evaluation.resources {
        kept.push(("resource", &resource.file));
        let places = resource.origins.iter().map(|o| &o.location);
        kept.extend(
            places
                .chain(&resource.via)
                .map(|l| ("resource place", &l.file)),
        );
    }
    kept.extend(evaluation.files.iter().map(|f| ("declarations", &f.file)));
    for binding in &evaluation.bindings {
        let written = binding.value.as_ref().map(|v| &v.written);
        let places: [Option<&Location>; 3] =
            [Some(&binding.argument), Some(&binding.parameter), written];
        kept.extend(places.into_iter().flatten().map(|l| ("binding", &l.file)));
    }
    let notes = evaluation.notes.iter().filter_map(|n| n.location.as_ref());
    kept.extend(notes.map(|l| ("note", &l.file)));
    for (what, file) in kept {
        assert!(
            !file.is_resident(),
            "{what} in {} holds its text",
            file.path().display()
        );
    }
    // And the files handed in gave nothing back to memory.
    assert!(files.iter().all(|file| !file.is_resident()));
}
