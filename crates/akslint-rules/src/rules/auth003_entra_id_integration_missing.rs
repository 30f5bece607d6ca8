use crate::aks::Off;
use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule, aks, resource_fix};
use akslint_core::{
    Applicability, AzureResource, Diagnostic, NodeId, RuleMeta, Setting, declare_rule,
};

/// The setting that turns on managed Microsoft Entra ID integration.
const MANAGED: [&str; 2] = ["aadProfile", "managed"];

/// The settings of the legacy (unmanaged) Azure AD integration, retired by AKS.
const LEGACY_KEYS: [&str; 3] = ["clientAppID", "serverAppID", "serverAppSecret"];

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops) without managed Microsoft Entra ID integration:
    /// `properties.aadProfile` is missing, or `aadProfile.managed` is missing or `false`. The
    /// message says which, and names the legacy Azure AD integration when the profile sets
    /// `clientAppID`, `serverAppID` or `serverAppSecret` instead. An AKS Automatic cluster
    /// (`sku.name: 'Automatic'`) is integrated by itself, so a missing setting is not reported
    /// on it. Values are followed through parameters, variables, `.bicepparam` files and module
    /// arguments; a value only known at deployment is not reported, nor is an `existing`
    /// cluster.
    ///
    /// ## Why it matters
    /// Without Entra ID integration, the only way into the cluster is its local accounts:
    /// client certificates that carry no user identity, cannot be revoked one by one and skip
    /// multi-factor authentication and Conditional Access. The legacy integration needs an
    /// app registration with a client secret that someone must rotate, and AKS has retired it.
    /// Managed integration signs users in with their Entra ID accounts and groups.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     enableRBAC: true
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     enableRBAC: true
    ///     disableLocalAccounts: true
    ///     aadProfile: {
    ///       managed: true
    ///       enableAzureRBAC: true
    ///       tenantID: subscription().tenantId
    ///     }
    ///     apiServerAccessProfile: {
    ///       enablePrivateCluster: true
    ///       enablePrivateClusterPublicFQDN: false
    ///     }
    ///     oidcIssuerProfile: { enabled: true }
    ///     securityProfile: {
    ///       workloadIdentity: { enabled: true }
    ///     }
    ///     addonProfiles: {
    ///       azureKeyvaultSecretsProvider: {
    ///         enabled: true
    ///         config: { enableSecretRotation: 'true' }
    ///       }
    ///     }
    ///   }
    /// }
    ///
    /// // Deployments reach the private API server through a GitOps agent in the cluster.
    /// resource flux 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
    ///   name: 'flux'
    ///   scope: aks
    ///   properties: {
    ///     extensionType: 'microsoft.flux'
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set `aadProfile: { managed: true }` with either `enableAzureRBAC: true` (AUTH004) or
    /// `adminGroupObjectIDs` naming the Entra ID group of cluster administrators. Remove the
    /// legacy `clientAppID`, `serverAppID` and `serverAppSecret`, and delete the app
    /// registrations they name. Managed integration cannot be turned off again. akslint's fix
    /// (unsafe for that reason, and because users need a role or group to keep their access)
    /// sets `aadProfile.managed: true` where the profile has no legacy settings.
    ///
    /// ## References
    /// - [Enable Microsoft Entra authentication for AKS](https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id)
    /// - [Microsoft.ContainerService managedClusters: aadProfile](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct EntraIdIntegrationMissing {
        code: "AUTH003",
        name: "entra-id-integration-missing",
        family: Auth,
        severity: Error,
        security_severity: "7.0",
        summary: "An AKS cluster without managed Microsoft Entra ID integration",
    }
}

impl Rule for EntraIdIntegrationMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(cluster) = cx.deployed(MANAGED_CLUSTERS) else {
            return;
        };
        let (problem, legacy) = match cluster.property(&["aadProfile"]) {
            Setting::Unknown => return,
            Setting::NotSet if aks::may_be_automatic(cluster) => return,
            Setting::NotSet => ("`properties.aadProfile` is not set".to_owned(), false),
            Setting::Value(profile) if cluster.body.is_mapping(profile) => {
                let state = match aks::off(cluster, &MANAGED) {
                    None => return,
                    Some(Off::False) => "`properties.aadProfile.managed` is false",
                    Some(Off::NotSet) => "`properties.aadProfile` does not set `managed`",
                };
                let legacy = legacy_settings(cluster, profile);
                if legacy.is_empty() {
                    (state.to_owned(), false)
                } else {
                    (
                        format!(
                            "{state} and it uses the retired legacy Azure AD integration ({})",
                            legacy.join(", ")
                        ),
                        true,
                    )
                }
            }
            Setting::Value(_) => return,
        };
        let mut diagnostic = cluster
            .property_finding(
                &Self::META,
                &MANAGED,
                format!(
                    "AKS cluster {} has no managed Microsoft Entra ID integration: {problem}, so users cannot sign in with their Entra ID accounts and groups and access rests on certificates or app secrets",
                    cluster.label()
                ),
            )
            .with_help("set `aadProfile: { managed: true, enableAzureRBAC: true }` (or `adminGroupObjectIDs`) and remove any legacy `clientAppID`/`serverAppID`/`serverAppSecret`");
        if !legacy {
            diagnostic.fix_plan = resource_fix::enable(
                cluster,
                &[&MANAGED],
                "set `aadProfile.managed: true`",
                Applicability::Unsafe,
            )
            .map(Box::new);
        }
        out.push(diagnostic);
    }
}

/// The legacy integration's settings the profile writes, by name (never their values).
fn legacy_settings(cluster: &AzureResource, profile: NodeId) -> Vec<String> {
    let tree = &cluster.body;
    tree.entries(profile)
        .iter()
        .filter(|entry| !tree.is_null(entry.value))
        .filter_map(|entry| tree.str(entry.key))
        .filter(|key| LEGACY_KEYS.iter().any(|l| l.eq_ignore_ascii_case(key)))
        .map(|key| format!("`{key}`"))
        .collect()
}
