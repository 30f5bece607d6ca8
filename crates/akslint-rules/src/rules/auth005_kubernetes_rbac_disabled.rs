use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule, resource_fix};
use akslint_core::{Applicability, Diagnostic, Flag, RuleMeta, declare_rule};

/// The setting that turns Kubernetes RBAC on (the default).
const ENABLE_RBAC: [&str; 1] = ["enableRBAC"];

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops) that turns Kubernetes role-based access control
    /// off: `properties.enableRBAC: false`. A cluster that does not write `enableRBAC` gets
    /// RBAC, the default, and is not reported. Values are followed through parameters,
    /// variables, `.bicepparam` files and module arguments; a value only known at deployment
    /// is not reported, nor is an `existing` cluster.
    ///
    /// ## Why it matters
    /// Without RBAC, the API server authorizes every request it can authenticate: every user
    /// who can fetch credentials and every pod's ServiceAccount token can read every Secret,
    /// start privileged pods and take over the nodes. One compromised workload owns the
    /// cluster. RBAC cannot be turned on for an existing cluster; it has to be recreated.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-lab'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-lab'
    ///     enableRBAC: false
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-lab'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-lab'
    ///     enableRBAC: true
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
    /// Set `enableRBAC: true` (or remove the setting) and give users and workloads Roles and
    /// RoleBindings for what they need, or use Azure RBAC (AUTH004). The change recreates the
    /// cluster, and workloads that relied on unrestricted access lose it, so akslint's fix,
    /// which sets `enableRBAC: true`, is unsafe.
    ///
    /// ## References
    /// - [Access and identity options for AKS](https://learn.microsoft.com/azure/aks/concepts-identity)
    /// - [Kubernetes: using RBAC authorization](https://kubernetes.io/docs/reference/access-authn-authz/rbac/)
    /// - [Microsoft.ContainerService managedClusters: enableRBAC](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct KubernetesRbacDisabled {
        code: "AUTH005",
        name: "kubernetes-rbac-disabled",
        family: Auth,
        severity: Error,
        security_severity: "8.8",
        summary: "An AKS cluster with Kubernetes RBAC turned off",
    }
}

impl Rule for KubernetesRbacDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(cluster) = cx.deployed(MANAGED_CLUSTERS) else {
            return;
        };
        if !matches!(cluster.flag(&ENABLE_RBAC), Flag::False(_)) {
            return;
        }
        let mut diagnostic = cluster
            .property_finding(
                &Self::META,
                &ENABLE_RBAC,
                format!(
                    "AKS cluster {} has Kubernetes RBAC turned off (`properties.enableRBAC` is false): every user and ServiceAccount that can authenticate has full control of the cluster",
                    cluster.label()
                ),
            )
            .with_help("set `enableRBAC: true` (the default) and grant access with Roles and RoleBindings or Azure RBAC; the cluster is recreated");
        diagnostic.fix_plan = resource_fix::enable(
            cluster,
            &[&ENABLE_RBAC],
            "set `enableRBAC: true`",
            Applicability::Unsafe,
        )
        .map(Box::new);
        out.push(diagnostic);
    }
}
