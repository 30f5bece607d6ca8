//! What the AKS cluster rules share beyond the resource model.

use crate::{AzureResource, Setting};

/// Whether an AKS cluster is AKS Automatic (`sku.name: 'Automatic'`), or may be because its SKU
/// name is only known at deployment. AKS Automatic turns on managed Microsoft Entra ID with Azure
/// RBAC, turns local accounts off and turns on the OIDC issuer and workload identity by itself,
/// so those settings are not missing when a template leaves them out.
pub fn may_be_automatic(cluster: &AzureResource) -> bool {
    match cluster.setting(&["sku", "name"]) {
        Setting::NotSet => false,
        Setting::Unknown => true,
        Setting::Value(node) => cluster
            .body
            .str(node)
            .is_none_or(|name| name.eq_ignore_ascii_case("Automatic")),
    }
}
