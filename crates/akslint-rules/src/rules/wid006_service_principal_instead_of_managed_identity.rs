use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule};
use akslint_core::{AzureResource, Diagnostic, RuleMeta, Setting, Span, declare_rule};

/// The service principal's application (client) id; `msi` means the managed identity.
const CLIENT_ID: [&str; 2] = ["servicePrincipalProfile", "clientId"];

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops) that signs in to Azure as a service principal:
    /// it writes `properties.servicePrincipalProfile` with a `clientId` other than `msi`. A
    /// cluster with `identity: { type: 'SystemAssigned' }` or `'UserAssigned'` and no service
    /// principal (or `clientId: 'msi'`) is fine. The finding never shows the service principal's
    /// secret; whether that secret is written in the file is for the SEC rules. Values are
    /// followed through parameters, variables, `.bicepparam` files and module arguments; a
    /// value only known at deployment is not reported, nor is an `existing` cluster.
    ///
    /// ## Why it matters
    /// The cluster uses its identity to create load balancers, disks and public IPs and to pull
    /// images. A service principal's client secret must be stored somewhere, handed to every
    /// deployment and rotated before it expires (an expired secret stops the cluster from
    /// managing its Azure resources); whoever reads it can act as the cluster in the
    /// subscription from anywhere. A managed identity has no secret to leak, store or rotate.
    ///
    /// ## Example
    /// ```bicep
    /// @secure()
    /// param servicePrincipalSecret string
    ///
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     servicePrincipalProfile: {
    ///       clientId: '7c3e9a41-52b8-4f06-9d1e-a84f2b6c0d57'
    ///       secret: servicePrincipalSecret
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
    /// Remove `servicePrincipalProfile` and set `identity: { type: 'SystemAssigned' }`, or
    /// `'UserAssigned'` with the identity in `userAssignedIdentities` when you grant it roles
    /// before the cluster exists. Grant the identity the roles the service principal had (for
    /// example Network Contributor on the subnet), then delete the service principal's secret
    /// and the secret parameter. An existing cluster can be updated to a managed identity in
    /// place. There is no automatic fix: the change needs role assignments only you know.
    ///
    /// ## References
    /// - [Use a managed identity in AKS](https://learn.microsoft.com/azure/aks/use-managed-identity)
    /// - [Microsoft.ContainerService managedClusters: identity and servicePrincipalProfile](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct ServicePrincipalInsteadOfManagedIdentity {
        code: "WID006",
        name: "service-principal-instead-of-managed-identity",
        family: Wid,
        severity: Warning,
        security_severity: "6.5",
        summary: "An AKS cluster that uses a service principal with a secret instead of a managed identity",
    }
}

impl Rule for ServicePrincipalInsteadOfManagedIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(cluster) = cx.deployed(MANAGED_CLUSTERS) else {
            return;
        };
        let Setting::Value(client_id) = cluster.property(&CLIENT_ID) else {
            return;
        };
        match cluster.body.str(client_id) {
            Some(id) if !id.eq_ignore_ascii_case("msi") => {}
            _ => return,
        }
        let mut diagnostic = cluster
            .property_finding(
                &Self::META,
                &CLIENT_ID,
                format!(
                    "AKS cluster {} signs in to Azure as a service principal (`properties.servicePrincipalProfile.clientId` is not `msi`) instead of a managed identity: its client secret must be stored, passed to deployments and rotated, and whoever reads it can act as the cluster",
                    cluster.label()
                ),
            )
            .with_help("remove `servicePrincipalProfile`, set `identity: { type: 'SystemAssigned' }` (or `'UserAssigned'`) and grant the identity the service principal's roles");
        if let Some(secret) = secret_written_in(cluster, diagnostic.file.path()) {
            diagnostic = diagnostic.with_sensitive(secret);
        }
        out.push(diagnostic);
    }
}

/// Where the service principal's secret is written as a known value in the file at `path`, so
/// that output masks it even in the lines shown around the finding.
fn secret_written_in(cluster: &AzureResource, path: &std::path::Path) -> Option<Span> {
    let Setting::Value(secret) = cluster.property(&["servicePrincipalProfile", "secret"]) else {
        return None;
    };
    cluster.body.str(secret)?;
    let (file, span) = match cluster.origin(secret) {
        Some(origin) => (&origin.location.file, origin.location.span),
        None => (&cluster.file, cluster.body.span(secret)),
    };
    (file.path() == path).then_some(span)
}
