use crate::{ResourceContext, Rule, resource_fix};
use akslint_core::{Applicability, Diagnostic, Flag, NodeKind, RuleMeta, Setting, declare_rule};

/// The resource type of an AKS cluster.
pub const MANAGED_CLUSTERS: &str = "Microsoft.ContainerService/managedClusters";

/// The setting that makes the API server private.
const PRIVATE: [&str; 2] = ["apiServerAccessProfile", "enablePrivateCluster"];

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops) whose API server is reachable from the internet:
    /// `properties.apiServerAccessProfile.enablePrivateCluster` is not `true` and
    /// `authorizedIPRanges` is missing or empty. Values are followed through parameters,
    /// variables, `.bicepparam` files and module arguments; a value that is only known at
    /// deployment is not reported. `existing` clusters are not reported.
    ///
    /// ## Why it matters
    /// The API server is the cluster's control plane. A public endpoint open to every address
    /// can be attacked with stolen or leaked credentials (a kubeconfig in a repository, a token
    /// from a compromised laptop) and with API server vulnerabilities, from anywhere. A private
    /// cluster is reachable only from its virtual network; authorized IP ranges at least limit
    /// the sources.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
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
    ///     apiServerAccessProfile: {
    ///       enablePrivateCluster: true
    ///       enablePrivateClusterPublicFQDN: false
    ///     }
    ///     disableLocalAccounts: true
    ///     aadProfile: {
    ///       managed: true
    ///       enableAzureRBAC: true
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
    /// Set `apiServerAccessProfile.enablePrivateCluster: true` and reach the API server from the
    /// virtual network: Azure Bastion or a jump box for people, a self-hosted agent in the network
    /// or a GitOps agent (Flux, Argo CD) in the cluster for deployments. Where a public endpoint
    /// is unavoidable, set `authorizedIPRanges` to the few ranges that need it. akslint's fix
    /// (unsafe: it changes how everyone reaches the cluster) sets `enablePrivateCluster: true`.
    ///
    /// ## References
    /// - [Create a private AKS cluster](https://learn.microsoft.com/azure/aks/private-clusters)
    /// - [Secure access to the API server using authorized IP address ranges](https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges)
    /// - [Microsoft.ContainerService managedClusters: apiServerAccessProfile](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct PublicApiServer {
        code: "API001",
        name: "public-api-server",
        family: Api,
        severity: Error,
        security_severity: "8.2",
        summary: "An AKS cluster whose API server is reachable from the internet",
    }
}

impl Rule for PublicApiServer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(cluster) = cx.deployed(MANAGED_CLUSTERS) else {
            return;
        };
        let private_set = match cluster.flag(&PRIVATE) {
            Flag::Unknown | Flag::True(_) => return,
            Flag::False(_) => true,
            Flag::NotSet => false,
        };
        let ranges = cluster.property(&["apiServerAccessProfile", "authorizedIPRanges"]);
        let ranges_written = match ranges {
            Setting::Unknown => return,
            Setting::Value(node) => {
                let empty = matches!(&cluster.body.node(cluster.body.resolve(node)).kind, NodeKind::Sequence(items) if items.is_empty());
                if !empty {
                    return;
                }
                true
            }
            Setting::NotSet => false,
        };
        let problem = match (private_set, ranges_written) {
            (true, true) => {
                "`properties.apiServerAccessProfile.enablePrivateCluster` is false and `authorizedIPRanges` is empty"
            }
            (true, false) => {
                "`properties.apiServerAccessProfile.enablePrivateCluster` is false and no `authorizedIPRanges` are set"
            }
            (false, true) => {
                "`properties.apiServerAccessProfile.enablePrivateCluster` is not set and `authorizedIPRanges` is empty"
            }
            (false, false) => {
                "`properties.apiServerAccessProfile` sets neither `enablePrivateCluster` nor `authorizedIPRanges`"
            }
        };
        let mut diagnostic = cluster
            .property_finding(
                &Self::META,
                &PRIVATE,
                format!(
                    "AKS cluster {} has a public API server: {problem}, so it accepts connections from any address on the internet",
                    cluster.label()
                ),
            )
            .with_help("set `apiServerAccessProfile.enablePrivateCluster: true`, or at least restrict `authorizedIPRanges`");
        diagnostic.fix_plan = resource_fix::enable(
            cluster,
            &[&PRIVATE],
            "set `apiServerAccessProfile.enablePrivateCluster: true`",
            Applicability::Unsafe,
        )
        .map(Box::new);
        out.push(diagnostic);
    }
}
