//! Fixes on evaluated resources: what `akslint_rules::resource_fix` plans on the model, and what
//! the Bicep front end writes of it through the lossless tree (or declines).

#[path = "support/eval.rs"]
mod support;

use akslint_bicep::BicepFrontEnd;
use akslint_core::{Applicability, AzureResource, Change, Edit, FixPlan, FrontEnd, Literal};
use akslint_rules::resource_fix;
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

/// The edits the Bicep front end writes for the changes, in the resource's file.
fn written(resource: &AzureResource, changes: Vec<Change>) -> Option<Vec<Edit>> {
    let plan = FixPlan {
        message: "fix".to_owned(),
        applicability: Applicability::Safe,
        changes,
    };
    BicepFrontEnd.render_fix(&resource.file, None, &plan)
}

/// The change that sets `path` to `true`.
fn set_true(resource: &AzureResource, path: &[&str]) -> Option<Change> {
    resource_fix::set_property(resource, path, Literal::Bool(true))
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
    let changes = [
        &["oidcIssuerProfile", "enabled"][..],
        &["securityProfile", "workloadIdentity", "enabled"],
        &["enableRBAC"],
        &["disableLocalAccounts"],
    ]
    .iter()
    .map(|path| set_true(aks, path).expect("a change"))
    .collect();
    let edits = written(aks, changes).expect("edits");
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
    let both = vec![
        set_true(aks, &["aadProfile", "managed"]).expect("a change"),
        set_true(aks, &["aadProfile", "enableAzureRBAC"]).expect("a change"),
    ];
    assert!(written(aks, both).is_none());
    // A value from a parameter is changed where it is written, not here.
    assert!(set_true(aks, &["fromParameter"]).is_none());
    // An object on one line has no indentation to follow.
    let one_line = set_true(aks, &["oneLine", "b"]).expect("a change on the model");
    assert!(written(aks, vec![one_line]).is_none());
    // A key written with a null value is not written a second time.
    assert!(set_true(aks, &["nullProfile", "enabled"]).is_none());
    // Only a literal `false` is turned into `true`.
    let computed = resource_fix::enable(aks, &[&["computed"]], "set", Applicability::Safe)
        .expect("a plan on the model");
    assert!(
        BicepFrontEnd
            .render_fix(&aks.file, None, &computed)
            .is_none()
    );
    let plan = resource_fix::enable(aks, &[&["enableRBAC"]], "set", Applicability::Unsafe)
        .expect("a literal false");
    assert_eq!(plan.applicability, Applicability::Unsafe);
    let edits = BicepFrontEnd
        .render_fix(&aks.file, None, &plan)
        .expect("edits");
    assert_eq!(
        applied(aks, &edits),
        CLUSTER.replace("enableRBAC: false", "enableRBAC: true")
    );
}

#[test]
fn entries_are_inserted_before_the_first_property_written_in_the_object() {
    let e = one(CLUSTER);
    let aks = named(&e, "aks");
    // `b` is evaluated from the spread variable, but it is written first in the object.
    let change = resource_fix::set_property(aks, &["spreadLast", "d"], Literal::String("3".into()))
        .expect("a change");
    let edits = written(aks, vec![change]).expect("edits");
    assert_eq!(
        applied(aks, &edits),
        CLUSTER.replace("      b: 0\n", "      d: '3'\n      b: 0\n")
    );
}
