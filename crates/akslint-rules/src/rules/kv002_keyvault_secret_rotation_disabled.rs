use crate::rules::{KEYVAULT_ADDON, KeyVaultAddon, MANAGED_CLUSTERS, SECRET_ROTATION};
use crate::{ResourceContext, Rule, resource_fix};
use akslint_core::{
    Applicability, Diagnostic, FixPlan, Literal, NodeKind, RuleMeta, ScalarType, Setting,
    declare_rule,
};

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops; not `existing`) that enables the Key Vault
    /// Secrets Store CSI driver add-on (`addonProfiles.azureKeyvaultSecretsProvider.enabled:
    /// true`, key compared ignoring case) without secret rotation:
    /// `config.enableSecretRotation` is missing, or is not the string `'true'` (`'false'`, or
    /// the boolean `true`). Add-on `config` values are strings (a map of string to string in
    /// the API), so a boolean does not type-check against it; akslint reports it rather than
    /// guess how Azure treats it. The string is compared ignoring case. A value only known at
    /// deployment is not reported. A missing setting is reported on the add-on's key, a wrong
    /// value where it is written (a parameter default, a `.bicepparam` file, a module argument).
    ///
    /// ## Why it matters
    /// Without rotation the driver reads each secret once, when the pod starts. After a secret
    /// is rotated in Key Vault (because it leaked, or on schedule) pods keep the old value
    /// until they restart, so the old credential must stay valid, and a revoked one breaks the
    /// workload instead of being replaced. With rotation the driver polls Key Vault
    /// (`rotationPollInterval`, 2 minutes by default) and updates the mounted files and synced
    /// Kubernetes Secrets.
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
    ///       authorizedIPRanges: ['203.0.113.0/24']
    ///     }
    ///     addonProfiles: {
    ///       azureKeyvaultSecretsProvider: {
    ///         enabled: true
    ///       }
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
    ///       authorizedIPRanges: ['203.0.113.0/24']
    ///     }
    ///     addonProfiles: {
    ///       azureKeyvaultSecretsProvider: {
    ///         enabled: true
    ///         config: {
    ///           enableSecretRotation: 'true'
    ///         }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set `config: { enableSecretRotation: 'true' }` in the add-on's profile (quoted: config
    /// values are strings), and optionally `rotationPollInterval` (for example `'2m'`).
    /// akslint's fix writes or replaces `enableSecretRotation: 'true'` where it is written in
    /// the resource.
    ///
    /// ## References
    /// - [Secrets Store CSI Driver configuration options: enable and disable auto-rotation](https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options)
    /// - [Use the Azure Key Vault provider for Secrets Store CSI Driver in AKS](https://learn.microsoft.com/azure/aks/csi-secrets-store-driver)
    /// - [Microsoft.ContainerService managedClusters: ManagedClusterAddonProfile config](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct KeyVaultSecretRotationDisabled {
        code: "KV002",
        name: "keyvault-secret-rotation-disabled",
        family: Kv,
        severity: Warning,
        security_severity: "4.3",
        summary: "The Key Vault Secrets Store CSI driver add-on is enabled without secret rotation",
    }
}

impl Rule for KeyVaultSecretRotationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.resource;
        if !cluster.is_type(MANAGED_CLUSTERS) || cluster.existing {
            return;
        }
        let addon = KeyVaultAddon::of(cluster);
        let KeyVaultAddon::Enabled(addon_key) = addon else {
            return;
        };
        let body = &cluster.body;
        let (node, problem) = match cluster.property(&SECRET_ROTATION) {
            Setting::Unknown => return,
            Setting::NotSet => (
                addon_key,
                "does not set `config.enableSecretRotation`, so rotation is off".to_owned(),
            ),
            Setting::Value(node) => match &body.node(body.resolve(node)).kind {
                NodeKind::Scalar(scalar) if scalar.ty == ScalarType::String => {
                    if scalar.text.trim().eq_ignore_ascii_case("true") {
                        return;
                    }
                    (
                        node,
                        format!("sets `config.enableSecretRotation: '{}'`", scalar.text),
                    )
                }
                NodeKind::Scalar(scalar) => (
                    node,
                    format!(
                        "sets `config.enableSecretRotation` to the unquoted `{}`, but add-on config values are strings: it must be the string 'true'",
                        scalar.text
                    ),
                ),
                _ => (
                    node,
                    "sets `config.enableSecretRotation` to a value that is not a string: it must be the string 'true'".to_owned(),
                ),
            },
        };
        let mut diagnostic = cluster
            .finding(
                &Self::META,
                Some(node),
                format!(
                    "AKS cluster {} enables the Key Vault Secrets Store CSI driver but {problem}: pods keep the secret values they started with after a secret is rotated in Key Vault",
                    cluster.label()
                ),
            )
            .with_help(format!(
                "set `addonProfiles.{KEYVAULT_ADDON}.config.enableSecretRotation: 'true'`"
            ));
        if node == addon_key {
            diagnostic = diagnostic.with_subject(addon.subject(cluster));
        }
        if let Some(change) = resource_fix::set_property(
            cluster,
            &SECRET_ROTATION,
            Literal::String("true".to_owned()),
        ) {
            diagnostic = diagnostic.with_fix_plan(FixPlan::new(
                "set `enableSecretRotation: 'true'`",
                Applicability::Safe,
                change,
            ));
        }
        out.push(diagnostic);
    }
}
