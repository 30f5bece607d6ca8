use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule, aks, resource_fix};
use akslint_core::{Applicability, Diagnostic, Flag, RuleMeta, Setting, declare_rule};

/// The setting that turns on Azure RBAC for Kubernetes authorization.
const AZURE_RBAC: [&str; 2] = ["aadProfile", "enableAzureRBAC"];

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops) whose `properties.aadProfile` is written but does
    /// not turn on Azure RBAC for Kubernetes authorization: `aadProfile.enableAzureRBAC` is
    /// missing or `false`. A cluster without `aadProfile` is not reported here: AUTH003 reports
    /// it once, and its fix adds the profile. An AKS Automatic cluster (`sku.name:
    /// 'Automatic'`) uses Azure RBAC by itself, so a missing setting is not reported on it.
    /// Values are followed through parameters, variables, `.bicepparam` files and module
    /// arguments; a value only known at deployment is not reported, nor is an `existing`
    /// cluster.
    ///
    /// ## Why it matters
    /// Without Azure RBAC, who may do what inside the cluster is decided only by RoleBindings
    /// kept in the cluster itself: they are not part of the subscription's role assignments,
    /// so access reviews, Privileged Identity Management and Azure Policy do not see them, and
    /// removing someone's access means finding every binding in every cluster. With Azure RBAC
    /// the built-in roles (Azure Kubernetes Service RBAC Reader, Writer, Admin, Cluster Admin)
    /// are assigned, scoped and audited in Azure like any other permission.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     aadProfile: {
    ///       managed: true
    ///       adminGroupObjectIDs: ['4d1b2f6e-8a3c-4e59-b7d0-2c9a6f1e3b85']
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
    ///       adminGroupObjectIDs: ['4d1b2f6e-8a3c-4e59-b7d0-2c9a6f1e3b85']
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
    /// Set `aadProfile.enableAzureRBAC: true` and assign the AKS RBAC roles to Entra ID groups,
    /// at the cluster or at a namespace. ServiceAccounts keep using Kubernetes RBAC; give the
    /// people and pipelines that use the cluster an Azure role before you deploy the change, so
    /// nobody is locked out. Azure RBAC needs managed Entra ID integration
    /// (`aadProfile.managed: true`, AUTH003). akslint's fix (unsafe, for the role assignments
    /// it needs) sets `enableAzureRBAC: true` when the profile is managed.
    ///
    /// ## References
    /// - [Use Azure RBAC for Kubernetes authorization](https://learn.microsoft.com/azure/aks/manage-azure-rbac)
    /// - [Microsoft.ContainerService managedClusters: aadProfile](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct AzureRbacDisabled {
        code: "AUTH004",
        name: "azure-rbac-disabled",
        family: Auth,
        severity: Warning,
        security_severity: "5.4",
        summary: "An AKS cluster that does not use Azure RBAC for Kubernetes authorization",
    }
}

impl Rule for AzureRbacDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(cluster) = cx.deployed(MANAGED_CLUSTERS) else {
            return;
        };
        let profile_written = matches!(cluster.property(&["aadProfile"]), Setting::Value(profile) if cluster.body.is_mapping(profile));
        if !profile_written {
            return;
        }
        let Some(off) = aks::off(cluster, &AZURE_RBAC) else {
            return;
        };
        let mut diagnostic = cluster
            .property_finding(
                &Self::META,
                &AZURE_RBAC,
                format!(
                    "AKS cluster {} does not use Azure RBAC for Kubernetes authorization: `properties.aadProfile.enableAzureRBAC` {}, so access inside the cluster is granted only by RoleBindings that Azure role assignments, access reviews and audits do not see",
                    cluster.label(),
                    off.describe()
                ),
            )
            .with_help("set `aadProfile.enableAzureRBAC: true` and assign the Azure Kubernetes Service RBAC roles to Entra ID groups");
        if matches!(cluster.flag(&["aadProfile", "managed"]), Flag::True(_)) {
            diagnostic.fix_plan = resource_fix::enable(
                cluster,
                &[&AZURE_RBAC],
                "set `aadProfile.enableAzureRBAC: true`",
                Applicability::Unsafe,
            )
            .map(Box::new);
        }
        out.push(diagnostic);
    }
}
