use crate::aks::Off;
use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule, aks, resource_fix};
use akslint_core::{Applicability, Diagnostic, RuleMeta, declare_rule};

/// The settings workload identity needs, with what they are called in messages.
const REQUIRED: [(&[&str], &str); 2] = [
    (
        &["oidcIssuerProfile", "enabled"],
        "the OIDC issuer (`properties.oidcIssuerProfile.enabled`)",
    ),
    (
        &["securityProfile", "workloadIdentity", "enabled"],
        "workload identity (`properties.securityProfile.workloadIdentity.enabled`)",
    ),
];

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops) that cannot give its pods Microsoft Entra
    /// Workload ID: `properties.oidcIssuerProfile.enabled` or
    /// `properties.securityProfile.workloadIdentity.enabled` is missing or `false`. One finding
    /// per cluster names what is missing, one setting or both. An AKS Automatic cluster
    /// (`sku.name: 'Automatic'`) turns both on by itself, so missing settings are not reported
    /// on it. Values are followed through parameters, variables, `.bicepparam` files and module
    /// arguments; a value only known at deployment is not reported, nor is an `existing`
    /// cluster.
    ///
    /// ## Why it matters
    /// Workload identity lets a pod exchange its ServiceAccount token for an Entra ID token, so
    /// applications reach Key Vault, Storage or databases without any password in code,
    /// configuration or Kubernetes Secrets. It needs both settings: the OIDC issuer publishes
    /// the keys that sign ServiceAccount tokens, and the workload identity webhook injects the
    /// token into pods. Without them teams fall back to client secrets and connection strings,
    /// which leak and expire.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     oidcIssuerProfile: { enabled: true }
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
    /// Set `oidcIssuerProfile: { enabled: true }` and
    /// `securityProfile: { workloadIdentity: { enabled: true } }`, then give each application a
    /// user-assigned managed identity with a federated credential for its ServiceAccount.
    /// Both settings can be turned on for an existing cluster, and pods that do not opt in to
    /// workload identity are not affected (the OIDC issuer cannot be turned off again).
    /// akslint's fix sets whatever of the two is missing or false.
    ///
    /// ## References
    /// - [Microsoft Entra Workload ID with AKS](https://learn.microsoft.com/azure/aks/workload-identity-overview)
    /// - [Create an OIDC provider for AKS](https://learn.microsoft.com/azure/aks/use-oidc-issuer)
    /// - [Microsoft.ContainerService managedClusters: securityProfile](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct ClusterWorkloadIdentityDisabled {
        code: "WID002",
        name: "cluster-workload-identity-disabled",
        family: Wid,
        severity: Warning,
        security_severity: "5.0",
        summary: "An AKS cluster without the OIDC issuer or workload identity",
    }
}

impl Rule for ClusterWorkloadIdentityDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(cluster) = cx.deployed(MANAGED_CLUSTERS) else {
            return;
        };
        let off: Vec<(&[&str], &str, Off)> = REQUIRED
            .iter()
            .filter_map(|&(path, what)| Some((path, what, aks::off(cluster, path)?)))
            .collect();
        // Reported on a setting written as false, else where the first missing one belongs.
        let Some(&(reported, ..)) = off
            .iter()
            .find(|(.., state)| *state == Off::False)
            .or_else(|| off.first())
        else {
            return;
        };
        let problems: Vec<String> = off
            .iter()
            .map(|&(_, what, state)| format!("{what} {}", state.describe()))
            .collect();
        let paths: Vec<&[&str]> = off.iter().map(|&(path, ..)| path).collect();
        let mut diagnostic = cluster
            .property_finding(
                &Self::META,
                reported,
                format!(
                    "AKS cluster {} cannot use Microsoft Entra Workload ID: {}, so pods cannot trade their ServiceAccount tokens for Entra ID tokens and applications need secrets instead",
                    cluster.label(),
                    problems.join(" and ")
                ),
            )
            .with_help("set `oidcIssuerProfile: { enabled: true }` and `securityProfile: { workloadIdentity: { enabled: true } }`");
        let settings: Vec<String> = paths
            .iter()
            .map(|path| format!("`{}: true`", path.join(".")))
            .collect();
        diagnostic.fix_plan = resource_fix::enable(
            cluster,
            &paths,
            &format!("set {}", settings.join(" and ")),
            Applicability::Safe,
        )
        .map(Box::new);
        out.push(diagnostic);
    }
}
