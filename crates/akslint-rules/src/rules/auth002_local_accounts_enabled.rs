use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule, aks, resource_fix};
use akslint_core::{Applicability, Diagnostic, RuleMeta, declare_rule};

/// The setting that turns local accounts off.
const DISABLE_LOCAL_ACCOUNTS: [&str; 1] = ["disableLocalAccounts"];

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops) that keeps its local accounts:
    /// `properties.disableLocalAccounts` is missing or `false`. An AKS Automatic cluster
    /// (`sku.name: 'Automatic'`) turns local accounts off by itself, so a missing setting is
    /// not reported on it. Values are followed through parameters, variables, `.bicepparam`
    /// files and module arguments; a value only known at deployment is not reported, nor is an
    /// `existing` cluster.
    ///
    /// ## Why it matters
    /// Local accounts are the cluster's built-in admin and user certificates. Anyone allowed to
    /// run `az aks get-credentials --admin` gets a static `cluster-admin` kubeconfig that
    /// bypasses Microsoft Entra ID: no multi-factor authentication, no Conditional Access, no
    /// group membership to revoke, and the audit log names a shared certificate instead of a
    /// person. A leaked admin kubeconfig stays valid until the cluster's certificates are rotated.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     disableLocalAccounts: false
    ///     aadProfile: {
    ///       managed: true
    ///       enableAzureRBAC: true
    ///     }
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
    ///     disableLocalAccounts: true
    ///     aadProfile: {
    ///       managed: true
    ///       enableAzureRBAC: true
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
    /// Set `disableLocalAccounts: true`, together with managed Microsoft Entra ID integration
    /// (`aadProfile.managed: true`, AUTH003): without it nobody can sign in at all. Before you
    /// deploy it, give the people and pipelines that use `--admin` credentials an Entra ID group
    /// or Azure RBAC role instead and switch automation to `kubelogin`; on an existing cluster,
    /// rotate its certificates afterwards to revoke the credentials already handed out.
    /// akslint's fix (unsafe: it breaks `az aks get-credentials --admin`) sets
    /// `disableLocalAccounts: true`.
    ///
    /// ## References
    /// - [Manage local accounts with AKS-managed Microsoft Entra integration](https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad)
    /// - [Microsoft.ContainerService managedClusters: disableLocalAccounts](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct LocalAccountsEnabled {
        code: "AUTH002",
        name: "local-accounts-enabled",
        family: Auth,
        severity: Error,
        security_severity: "7.5",
        summary: "An AKS cluster whose local admin accounts are enabled",
    }
}

impl Rule for LocalAccountsEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(cluster) = cx.deployed(MANAGED_CLUSTERS) else {
            return;
        };
        let Some(off) = aks::off(cluster, &DISABLE_LOCAL_ACCOUNTS) else {
            return;
        };
        let mut diagnostic = cluster
            .property_finding(
                &Self::META,
                &DISABLE_LOCAL_ACCOUNTS,
                format!(
                    "AKS cluster {} keeps its local accounts: `properties.disableLocalAccounts` {}, so `az aks get-credentials --admin` hands out a static cluster-admin credential that bypasses Microsoft Entra ID",
                    cluster.label(),
                    off.describe()
                ),
            )
            .with_help("set `disableLocalAccounts: true` (with managed Microsoft Entra ID, `aadProfile.managed: true`) and give admins an Entra ID group or Azure RBAC role");
        diagnostic.fix_plan = resource_fix::enable(
            cluster,
            &[&DISABLE_LOCAL_ACCOUNTS],
            "set `disableLocalAccounts: true`",
            Applicability::Unsafe,
        )
        .map(Box::new);
        out.push(diagnostic);
    }
}
