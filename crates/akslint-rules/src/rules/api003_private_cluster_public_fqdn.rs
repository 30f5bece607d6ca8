use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule, resource_fix};
use akslint_core::{
    Applicability, AzureResource, Diagnostic, FixPlan, Literal, RuleMeta, Setting, declare_rule,
};

/// The key path of the private-cluster switch under `properties`.
const PRIVATE_CLUSTER: [&str; 2] = ["apiServerAccessProfile", "enablePrivateCluster"];
/// The key path of the public FQDN switch of a private cluster under `properties`.
const PUBLIC_FQDN: [&str; 2] = ["apiServerAccessProfile", "enablePrivateClusterPublicFQDN"];

declare_rule! {
    /// ## What it does
    /// Reports a private AKS cluster (`Microsoft.ContainerService/managedClusters`, any API
    /// version, also in modules, conditions and loops, with
    /// `apiServerAccessProfile.enablePrivateCluster: true`) whose
    /// `apiServerAccessProfile.enablePrivateClusterPublicFQDN` is `true` or not set: AKS creates
    /// the public FQDN of a private cluster unless it is set to `false`. A value that is only
    /// known at deployment is not reported, and neither are public clusters (API001 and API002
    /// look at those) nor `existing` ones. An explicit `true` is reported where it is written (a
    /// parameter default, a `.bicepparam` file, a module argument); a missing setting on
    /// `enablePrivateCluster`.
    ///
    /// ## Why it matters
    /// The public FQDN is an A record in Azure's public DNS that resolves to the API server's
    /// private IP address. Anyone can look it up: it confirms the cluster exists, names it, and
    /// maps out the private network around it. Clients inside the network do not need it when
    /// they resolve the private DNS zone.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     apiServerAccessProfile: {
    ///       enablePrivateCluster: true
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
    ///     aadProfile: { managed: true, enableAzureRBAC: true }
    ///     oidcIssuerProfile: { enabled: true }
    ///     securityProfile: { workloadIdentity: { enabled: true } }
    ///     apiServerAccessProfile: {
    ///       enablePrivateCluster: true
    ///       enablePrivateClusterPublicFQDN: false
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
    /// Set `apiServerAccessProfile.enablePrivateClusterPublicFQDN: false`, and let clients
    /// resolve the API server through the private DNS zone (linked to their virtual network).
    /// With `privateDNSZone: 'none'` the cluster relies on the public record, so move to a
    /// private DNS zone first. akslint's fix (unsafe: clients that resolve the public name lose
    /// it) sets the value to `false`; it is not offered with `privateDNSZone: 'none'`.
    ///
    /// ## References
    /// - [Create a private AKS cluster: disable public FQDN](https://learn.microsoft.com/azure/aks/private-clusters)
    /// - [Microsoft.ContainerService managedClusters: apiServerAccessProfile](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct PrivateClusterPublicFqdn {
        code: "API003",
        name: "private-cluster-public-fqdn",
        family: Api,
        severity: Warning,
        security_severity: "3.7",
        summary: "A private AKS cluster publishes its API server's address in public DNS",
    }
}

impl Rule for PrivateClusterPublicFqdn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.resource;
        let Some(private) = private_cluster(cluster) else {
            return;
        };
        let (node, problem) = match cluster.property(&PUBLIC_FQDN) {
            Setting::Unknown => return,
            Setting::Value(node) => match cluster.body.bool(node) {
                Some(true) => (node, "sets `enablePrivateClusterPublicFQDN: true`"),
                Some(false) | None => return,
            },
            Setting::NotSet => (
                private,
                "does not set `enablePrivateClusterPublicFQDN`, which is true by default on private clusters",
            ),
        };
        let mut diagnostic = cluster
            .finding(
                &Self::META,
                Some(node),
                format!(
                    "private AKS cluster {} {problem}: AKS publishes a public DNS record that resolves to the API server's private address",
                    cluster.label()
                ),
            )
            .with_help("set `apiServerAccessProfile.enablePrivateClusterPublicFQDN: false` and resolve the API server through the private DNS zone");
        if let Some(plan) = disable_public_fqdn(cluster) {
            diagnostic = diagnostic.with_fix_plan(plan);
        }
        out.push(diagnostic);
    }
}

/// The `enablePrivateCluster` node of a deployed AKS cluster known to be private.
pub fn private_cluster(cluster: &AzureResource) -> Option<akslint_core::NodeId> {
    if !cluster.is_type(MANAGED_CLUSTERS) || cluster.existing {
        return None;
    }
    let node = cluster.property(&PRIVATE_CLUSTER).node()?;
    (cluster.body.bool(node) == Some(true)).then_some(node)
}

/// Sets `enablePrivateClusterPublicFQDN: false`, unless the cluster uses no private DNS zone
/// (`privateDNSZone: 'none'`), which needs the public record.
fn disable_public_fqdn(cluster: &AzureResource) -> Option<FixPlan> {
    let zone = cluster.property(&["apiServerAccessProfile", "privateDNSZone"]);
    if zone
        .node()
        .and_then(|n| cluster.body.str(n))
        .is_some_and(|z| z.eq_ignore_ascii_case("none"))
    {
        return None;
    }
    Some(FixPlan::new(
        "set `apiServerAccessProfile.enablePrivateClusterPublicFQDN: false`",
        Applicability::Unsafe,
        resource_fix::set_property(cluster, &PUBLIC_FQDN, Literal::Bool(false))?,
    ))
}
