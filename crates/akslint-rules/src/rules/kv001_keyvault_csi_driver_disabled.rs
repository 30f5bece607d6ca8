use crate::rules::MANAGED_CLUSTERS;
use crate::{ResourceContext, Rule, resource_fix};
use akslint_core::{
    Applicability, AzureResource, Diagnostic, FixPlan, Literal, Location, NodeId, RuleMeta,
    Setting, Subject, declare_rule,
};

/// The add-on key of the Azure Key Vault provider for the Secrets Store CSI driver.
pub const KEYVAULT_ADDON: &str = "azureKeyvaultSecretsProvider";
/// The key path of the add-on's profile under `properties`.
const ADDON_PROFILE: [&str; 2] = ["addonProfiles", KEYVAULT_ADDON];
/// The key path of the add-on's switch under `properties`.
const ADDON_ENABLED: [&str; 3] = ["addonProfiles", KEYVAULT_ADDON, "enabled"];
/// The key path of the add-on's secret rotation setting under `properties`.
pub const SECRET_ROTATION: [&str; 4] = [
    "addonProfiles",
    KEYVAULT_ADDON,
    "config",
    "enableSecretRotation",
];

/// Whether a cluster runs the Key Vault Secrets Store CSI driver add-on, as far as the
/// template says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyVaultAddon {
    /// Depends on values only known at deployment.
    Unknown,
    /// No add-on profile (or a known `null`): off.
    Missing,
    /// The profile is there without `enabled`: off. The node is the profile's key.
    NotEnabled(NodeId),
    /// `enabled: false`. The node is the value.
    Disabled(NodeId),
    /// `enabled: true`. The node is the profile's key.
    Enabled(NodeId),
}

impl KeyVaultAddon {
    /// The add-on state of a cluster. Add-on keys are compared ignoring case, as AKS does.
    pub fn of(cluster: &AzureResource) -> KeyVaultAddon {
        let key = match cluster.property(&ADDON_PROFILE) {
            Setting::Unknown => return KeyVaultAddon::Unknown,
            Setting::NotSet => return KeyVaultAddon::Missing,
            Setting::Value(_) => match addon_key(cluster) {
                Some(key) => key,
                None => return KeyVaultAddon::Unknown,
            },
        };
        match cluster.property(&ADDON_ENABLED) {
            Setting::Unknown => KeyVaultAddon::Unknown,
            Setting::NotSet => KeyVaultAddon::NotEnabled(key),
            Setting::Value(node) => match cluster.body.bool(node) {
                Some(true) => KeyVaultAddon::Enabled(key),
                Some(false) => KeyVaultAddon::Disabled(node),
                None => KeyVaultAddon::Unknown,
            },
        }
    }

    /// Whether the add-on is known to be off.
    pub fn is_off(self) -> bool {
        matches!(
            self,
            KeyVaultAddon::Missing | KeyVaultAddon::NotEnabled(_) | KeyVaultAddon::Disabled(_)
        )
    }

    /// The node a finding about the state points at: the `enabled` value or the add-on
    /// profile's key; none when the add-on is missing (the finding is on the declaration).
    pub fn node(self) -> Option<NodeId> {
        match self {
            KeyVaultAddon::NotEnabled(node)
            | KeyVaultAddon::Disabled(node)
            | KeyVaultAddon::Enabled(node) => Some(node),
            KeyVaultAddon::Unknown | KeyVaultAddon::Missing => None,
        }
    }

    /// Where to point at the add-on's state: where the node's value is written (see
    /// [`AzureResource::locate`]), else the cluster's declaration.
    pub fn location(self, cluster: &AzureResource) -> Location {
        self.node()
            .map_or_else(|| cluster.declaration(), |node| cluster.locate(node).0)
    }

    /// What a finding about the state is about, for baselines and fingerprints: the cluster,
    /// at the `enabled` value or the add-on's profile.
    pub fn subject(self, cluster: &AzureResource) -> Subject {
        let node = match self {
            KeyVaultAddon::Disabled(node) => Some(node),
            KeyVaultAddon::NotEnabled(_) | KeyVaultAddon::Enabled(_) => {
                cluster.property(&ADDON_PROFILE).node()
            }
            KeyVaultAddon::Unknown | KeyVaultAddon::Missing => None,
        };
        cluster.subject(node)
    }
}

/// The key node of the add-on's entry in `addonProfiles`.
fn addon_key(cluster: &AzureResource) -> Option<NodeId> {
    let profiles = cluster.property(&["addonProfiles"]).node()?;
    let body = &cluster.body;
    body.entries(profiles)
        .iter()
        .find(|e| {
            body.str(e.key)
                .is_some_and(|k| k.eq_ignore_ascii_case(KEYVAULT_ADDON))
        })
        .map(|e| e.key)
}

declare_rule! {
    /// ## What it does
    /// Reports an AKS cluster (`Microsoft.ContainerService/managedClusters`, any API version,
    /// also in modules, conditions and loops; not `existing`) that does not enable the Azure
    /// Key Vault provider for the Secrets Store CSI driver:
    /// `properties.addonProfiles.azureKeyvaultSecretsProvider` is missing, has no `enabled`, or
    /// has `enabled: false`. Add-on keys are compared ignoring case
    /// (`AzureKeyvaultSecretsProvider` is the same add-on). A value only known at deployment
    /// (an `addonProfiles` from a parameter, an unknown spread) is not reported. A missing
    /// add-on is reported on the declaration, `enabled: false` where it is written (a parameter
    /// default, a `.bicepparam` file, a module argument).
    ///
    /// ## Why it matters
    /// Without the driver, workloads cannot mount secrets from Key Vault, so secrets end up in
    /// Kubernetes Secrets committed to Git, in pipeline variables pasted into manifests, or in
    /// environment variables. The add-on keeps them in Key Vault, where access is audited,
    /// scoped to an identity and rotated centrally.
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
    ///           rotationPollInterval: '2m'
    ///         }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Enable the add-on with secret rotation:
    /// `addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } } }`,
    /// then give workloads access to Key Vault through workload identity and mount secrets with
    /// a `SecretProviderClass`. akslint's fix (unsafe: it installs the driver on every node
    /// and creates the add-on's managed identity) writes that, or turns a literal
    /// `enabled: false` into `true` and adds the rotation setting.
    ///
    /// ## References
    /// - [Use the Azure Key Vault provider for Secrets Store CSI Driver in AKS](https://learn.microsoft.com/azure/aks/csi-secrets-store-driver)
    /// - [Secrets Store CSI Driver configuration options (rotation)](https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options)
    /// - [Microsoft.ContainerService managedClusters: addonProfiles](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct KeyVaultCsiDriverDisabled {
        code: "KV001",
        name: "keyvault-csi-driver-disabled",
        family: Kv,
        severity: Warning,
        security_severity: "5.3",
        summary: "An AKS cluster without the Key Vault Secrets Store CSI driver add-on",
    }
}

impl Rule for KeyVaultCsiDriverDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.resource;
        if !cluster.is_type(MANAGED_CLUSTERS) || cluster.existing {
            return;
        }
        let addon = KeyVaultAddon::of(cluster);
        let problem = match addon {
            KeyVaultAddon::Unknown | KeyVaultAddon::Enabled(_) => return,
            KeyVaultAddon::Missing => {
                format!("has no `addonProfiles.{KEYVAULT_ADDON}`, so the add-on is off")
            }
            KeyVaultAddon::NotEnabled(_) => {
                format!("has an `addonProfiles.{KEYVAULT_ADDON}` without `enabled: true`")
            }
            KeyVaultAddon::Disabled(_) => {
                format!("sets `addonProfiles.{KEYVAULT_ADDON}.enabled: false`")
            }
        };
        let mut diagnostic = cluster
            .finding(
                &Self::META,
                addon.node(),
                format!(
                    "AKS cluster {} {problem}: the Key Vault Secrets Store CSI driver is not installed, so workloads cannot mount secrets from Key Vault",
                    cluster.label()
                ),
            )
            .with_help(format!(
                "enable it with rotation: `{KEYVAULT_ADDON}: {{ enabled: true, config: {{ enableSecretRotation: 'true' }} }}` under `addonProfiles`"
            ))
            .with_subject(addon.subject(cluster));
        if let Some(plan) = enable_addon(cluster, addon) {
            diagnostic = diagnostic.with_fix_plan(plan);
        }
        out.push(diagnostic);
    }
}

/// Enables the add-on with rotation: writes the whole profile when it is missing, else sets
/// `enabled: true` and, when the rotation setting is missing or off and can be written in the
/// same object, `enableSecretRotation: 'true'`.
fn enable_addon(cluster: &AzureResource, addon: KeyVaultAddon) -> Option<FixPlan> {
    let changes = match addon {
        KeyVaultAddon::Missing => {
            let profile = Literal::Object(vec![
                ("enabled".to_owned(), Literal::Bool(true)),
                (
                    "config".to_owned(),
                    Literal::Object(vec![(
                        "enableSecretRotation".to_owned(),
                        Literal::String("true".to_owned()),
                    )]),
                ),
            ]);
            vec![resource_fix::set_property(
                cluster,
                &ADDON_PROFILE,
                profile,
            )?]
        }
        KeyVaultAddon::NotEnabled(_) | KeyVaultAddon::Disabled(_) => {
            let mut changes =
                resource_fix::enable(cluster, &[&ADDON_ENABLED], "", Applicability::Unsafe)?
                    .changes;
            let rotation_on = cluster
                .property(&SECRET_ROTATION)
                .node()
                .and_then(|n| cluster.body.str(n))
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            if !rotation_on {
                changes.extend(resource_fix::set_property(
                    cluster,
                    &SECRET_ROTATION,
                    Literal::String("true".to_owned()),
                ));
            }
            changes
        }
        KeyVaultAddon::Unknown | KeyVaultAddon::Enabled(_) => return None,
    };
    Some(FixPlan {
        message: format!("enable `{KEYVAULT_ADDON}` with secret rotation"),
        applicability: Applicability::Unsafe,
        changes,
    })
}
