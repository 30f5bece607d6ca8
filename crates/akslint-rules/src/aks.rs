//! What the AKS cluster rules share beyond the resource model.

use akslint_core::{AzureResource, Flag, Setting};

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

/// Why a boolean setting under `properties` that should be `true` is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Off {
    /// Written as `false`.
    False,
    /// Not written, and the cluster does not turn it on by itself.
    NotSet,
}

impl Off {
    /// The setting's state, for messages: "is false" or "is not set".
    pub fn describe(self) -> &'static str {
        match self {
            Off::False => "is false",
            Off::NotSet => "is not set",
        }
    }
}

/// Whether a boolean setting under `properties` that AKS Automatic turns on by itself is off:
/// `None` when it is `true`, not known, or not written on a cluster that may be AKS Automatic.
pub fn off(cluster: &AzureResource, path: &[&str]) -> Option<Off> {
    match cluster.flag(path) {
        Flag::Unknown | Flag::True(_) => None,
        Flag::False(_) => Some(Off::False),
        Flag::NotSet if may_be_automatic(cluster) => None,
        Flag::NotSet => Some(Off::NotSet),
    }
}
