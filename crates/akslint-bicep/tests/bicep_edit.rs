//! `akslint_rules::bicep_edit` on evaluated resources: which edits it plans, and when it refuses.

#[path = "support/eval.rs"]
mod support;

use akslint_core::{Applicability, AzureResource, Edit};
use akslint_rules::bicep_edit;
use support::*;

/// The resource's file with the edits applied (sorted, not overlapping).
fn applied(resource: &AzureResource, edits: &[Edit]) -> String {
    let text = resource.file.text();
    let mut out = String::new();
    let mut at = 0;
    for edit in edits {
        assert!(edit.span.start as usize >= at, "edits overlap: {edits:?}");
        out.push_str(&text[at..edit.span.start as usize]);
        out.push_str(&edit.replacement);
        at = edit.span.end as usize;
    }
    out.push_str(&text[at..]);
    out
}

const CLUSTER: &str = "param disabled bool = false
var defaults = {
  b: 2
}
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks'
  properties: {
    dnsPrefix: 'aks'
    enableRBAC: false
    fromParameter: disabled
    computed: !disabled
    oneLine: { a: 1 }
    nullProfile: null
    spreadLast: {
      b: 0
      c: 1
      ...defaults
    }
    securityProfile: {
      imageCleaner: {
        enabled: true
      }
    }
  }
}
";

#[test]
fn settings_missing_from_one_object_are_inserted_together() {
    let e = one(CLUSTER);
    let aks = named(&e, "aks");
    let oidc: &[&str] = &["oidcIssuerProfile", "enabled"];
    let identity: &[&str] = &["securityProfile", "workloadIdentity", "enabled"];
    let rbac: &[&str] = &["enableRBAC"];
    let edits = bicep_edit::set_properties(
        aks,
        &[
            (oidc, "true"),
            (identity, "true"),
            (rbac, "true"),
            (&["disableLocalAccounts"], "true"),
        ],
    )
    .expect("edits");
    // Two entries for `properties` in one insertion, one into `securityProfile`, one replacement.
    assert_eq!(edits.len(), 3, "{edits:?}");
    assert_eq!(
        applied(aks, &edits),
        CLUSTER
            .replace(
                "    dnsPrefix: 'aks'\n",
                "    oidcIssuerProfile: {\n      enabled: true\n    }\n    disableLocalAccounts: true\n    dnsPrefix: 'aks'\n",
            )
            .replace("enableRBAC: false", "enableRBAC: true")
            .replace(
                "      imageCleaner",
                "      workloadIdentity: {\n        enabled: true\n      }\n      imageCleaner"
            )
    );
}

#[test]
fn what_no_single_edit_in_the_resource_does_is_refused() {
    let e = one(CLUSTER);
    let aks = named(&e, "aks");
    // Two settings in the same missing object would write the object twice.
    assert!(
        bicep_edit::set_properties(
            aks,
            &[
                (&["aadProfile", "managed"], "true"),
                (&["aadProfile", "enableAzureRBAC"], "true")
            ]
        )
        .is_none()
    );
    // A value from a parameter is changed where it is written, not here; an object on one line
    // has no indentation to follow.
    assert!(bicep_edit::set_property(aks, &["fromParameter"], "true").is_none());
    assert!(bicep_edit::set_property(aks, &["oneLine", "b"], "2").is_none());
    // A key written with a null value is not written a second time.
    assert!(bicep_edit::set_property(aks, &["nullProfile", "enabled"], "true").is_none());
    // Only a literal `false` is turned into `true`.
    assert!(bicep_edit::enable_fix(aks, &[&["computed"]], "set", Applicability::Safe).is_none());
    let fix = bicep_edit::enable_fix(aks, &[&["enableRBAC"]], "set", Applicability::Unsafe)
        .expect("a literal false");
    assert_eq!(fix.applicability, Applicability::Unsafe);
    assert_eq!(
        applied(aks, &fix.edits),
        CLUSTER.replace("enableRBAC: false", "enableRBAC: true")
    );
}

#[test]
fn entries_are_inserted_before_the_first_key_written_in_the_object() {
    let e = one(CLUSTER);
    let aks = named(&e, "aks");
    // `b` comes first in the evaluated object, but from the spread variable.
    let edit = bicep_edit::set_property(aks, &["spreadLast", "d"], "3").expect("edit");
    assert_eq!(
        applied(aks, &[edit]),
        CLUSTER.replace("      c: 1\n", "      d: 3\n      c: 1\n")
    );
}
