use crate::facts::{Fact, FactKind, Located, ObjectFact};
use crate::rules::{KEYVAULT_ADDON, KeyVaultAddon, MANAGED_CLUSTERS};
use crate::{ObjectContext, ProjectIndex, Rule, Templates};
use akslint_core::{Diagnostic, K8sObject, Location, RuleMeta, Subject, Tree, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a `SecretProviderClass` (`secrets-store.csi.x-k8s.io`) with `provider: azure` in
    /// the manifests of the run when the run's Bicep deploys AKS clusters
    /// (`Microsoft.ContainerService/managedClusters`, not `existing`) and every one of them has
    /// the Key Vault Secrets Store CSI driver add-on known to be off
    /// (`addonProfiles.azureKeyvaultSecretsProvider` missing, without `enabled`, or
    /// `enabled: false`). The finding is on the SecretProviderClass, with a secondary location
    /// on each cluster's add-on setting (or declaration).
    ///
    /// Nothing is reported when the run has no Bicep cluster (the manifests may target a
    /// cluster defined elsewhere), when any cluster of the run enables the add-on or depends on
    /// deployment-time values, when the run installs the driver itself (a `CSIDriver` named
    /// `secrets-store.csi.k8s.io`, as the driver's Helm chart renders), or for other providers
    /// (`vault`, `gcp`, `aws`), which need a self-installed driver anyway.
    ///
    /// ## Why it matters
    /// The manifests count on a driver the infrastructure does not install. Pods that mount the
    /// class stay in `ContainerCreating` with a mount error, and the quick way out under
    /// pressure is to put the secret into a Kubernetes Secret or an environment variable,
    /// exactly what the SecretProviderClass was meant to avoid.
    ///
    /// ## Example
    /// The cluster in the run's Bicep, without the add-on:
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
    /// and a manifest of the same run:
    /// ```yaml
    /// apiVersion: secrets-store.csi.x-k8s.io/v1
    /// kind: SecretProviderClass
    /// metadata:
    ///   name: orders-secrets
    ///   namespace: shop
    /// spec:
    ///   provider: azure
    ///   parameters:
    ///     clientID: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
    ///     keyvaultName: kv-shop
    ///     tenantId: 0b6e3c52-8d1f-4a7e-b9c4-2e5f7a1d3c80
    ///     objects: |
    ///       array:
    ///         - |
    ///           objectName: orders-db-password
    ///           objectType: secret
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
    ///         config: { enableSecretRotation: 'true' }
    ///       }
    ///     }
    ///   }
    /// }
    /// ```
    /// ```yaml
    /// apiVersion: secrets-store.csi.x-k8s.io/v1
    /// kind: SecretProviderClass
    /// metadata:
    ///   name: orders-secrets
    ///   namespace: shop
    /// spec:
    ///   provider: azure
    ///   parameters:
    ///     clientID: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
    ///     keyvaultName: kv-shop
    ///     tenantId: 0b6e3c52-8d1f-4a7e-b9c4-2e5f7a1d3c80
    ///     objects: |
    ///       array:
    ///         - |
    ///           objectName: orders-db-password
    ///           objectType: secret
    /// ```
    ///
    /// ## How to fix
    /// Enable the add-on on the cluster (see KV001):
    /// `addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } } }`.
    /// If you install the Secrets Store CSI driver and the Azure provider with Helm instead,
    /// lint the rendered chart together with the manifests. akslint offers no automatic fix
    /// here: the change belongs in the Bicep file (KV001's fix makes it).
    ///
    /// ## References
    /// - [Use the Azure Key Vault provider for Secrets Store CSI Driver in AKS](https://learn.microsoft.com/azure/aks/csi-secrets-store-driver)
    /// - [Secrets Store CSI Driver configuration options](https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options)
    /// - [Microsoft.ContainerService managedClusters: addonProfiles](https://learn.microsoft.com/azure/templates/microsoft.containerservice/managedclusters)
    pub struct SecretProviderClassWithoutCsiDriver {
        code: "KV003",
        name: "secret-provider-class-without-csi-driver",
        family: Kv,
        severity: Error,
        security_severity: "4.0",
        summary: "A SecretProviderClass for Key Vault while the run's AKS clusters have the Secrets Store CSI driver add-on off",
    }
}

impl Rule for SecretProviderClassWithoutCsiDriver {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn facts(&self) -> &'static [FactKind] {
        const FACTS: &[FactKind] = &[
            FactKind::of::<SecretProviderClassFact>(),
            FactKind::of::<SecretsStoreDriverFact>(),
        ];
        FACTS
    }

    fn template_types(&self) -> &'static [&'static str] {
        &[MANAGED_CLUSTERS]
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        let classes: Vec<Located<'_, SecretProviderClassFact>> = index
            .facts::<SecretProviderClassFact>()
            .filter(|class| {
                class
                    .provider
                    .as_deref()
                    .is_some_and(|p| p.trim().eq_ignore_ascii_case("azure"))
            })
            .collect();
        let installed = index.facts::<SecretsStoreDriverFact>().next().is_some();
        if classes.is_empty() || installed {
            return;
        }
        // The clusters are the templates', found once per project for every scope.
        let off = index.templates_memo(AddonOff::of);
        let Some(clusters) = off.0.as_deref() else {
            return;
        };
        let names: Vec<&str> = clusters.iter().map(|(name, _)| name.as_str()).collect();
        let which = match clusters.len() {
            1 => format!("AKS cluster {}", names.join("")),
            _ => format!("the AKS clusters {}", names.join(", ")),
        };
        for class in classes {
            let mut diagnostic = Diagnostic::new(
                &Self::META,
                class.file,
                class.at.span,
                format!(
                    "SecretProviderClass {}/{} uses the Azure Key Vault provider, but {which} deployed by this run's Bicep {} the Key Vault Secrets Store CSI driver add-on off: pods that mount it cannot start",
                    class.namespace,
                    class.name,
                    if clusters.len() == 1 { "has" } else { "have" },
                ),
            )
            .with_help(format!(
                "enable `addonProfiles.{KEYVAULT_ADDON}` on the cluster (see KV001), or install the Secrets Store CSI driver and its Azure provider and lint their manifests in the same run"
            ))
            .with_subject(class.subject.clone());
            for (name, place) in clusters {
                diagnostic = diagnostic.with_label(
                    &place.file,
                    place.span,
                    format!("the add-on is off on cluster {name}"),
                );
            }
            out.push(diagnostic);
        }
    }
}

/// The deployed AKS clusters of a project's templates, when there are some and the Key Vault
/// add-on is off on each: their labels, and where the add-on is turned off (each place once).
struct AddonOff(Option<Vec<(String, Location)>>);

impl AddonOff {
    /// The clusters of `templates`.
    fn of(templates: &Templates) -> AddonOff {
        let mut clusters: Vec<(String, Location)> = Vec::new();
        for cluster in &templates.resources {
            if !cluster.is_type(MANAGED_CLUSTERS) || cluster.existing {
                continue;
            }
            let addon = KeyVaultAddon::of(cluster);
            if !addon.is_off() {
                return AddonOff(None);
            }
            let place = templates.in_run(cluster, addon.location(cluster));
            if !(clusters.iter())
                .any(|(_, p)| p.file.path() == place.file.path() && p.span == place.span)
            {
                clusters.push((cluster.label(), place));
            }
        }
        AddonOff(Some(clusters).filter(|clusters| !clusters.is_empty()))
    }
}

/// The API group of SecretProviderClass.
const SECRETS_STORE_GROUP: &str = "secrets-store.csi.x-k8s.io";
/// The name of the Secrets Store CSI driver's `CSIDriver` object.
const SECRETS_STORE_DRIVER: &str = "secrets-store.csi.k8s.io";

/// A `SecretProviderClass` (`secrets-store.csi.x-k8s.io`): what the Secrets Store CSI driver
/// mounts into pods.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SecretProviderClassFact {
    /// The object.
    pub at: ObjectFact,
    /// Its namespace (`default` when none is written).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// `spec.provider` (`azure`, `vault`, …), when it is a string.
    pub provider: Option<String>,
    /// The object and the key path of `at.span`, for baselines and fingerprints.
    pub subject: Subject,
}

impl Fact for SecretProviderClassFact {
    fn collect(cx: &ObjectContext<'_>, out: &mut Vec<Self>) {
        if cx.object.is(SECRETS_STORE_GROUP, "SecretProviderClass") {
            let at = ObjectFact::of(cx.tree(), cx.object);
            out.push(secret_provider_class(cx.tree(), cx.object, at));
        }
    }
}

/// A `CSIDriver` named `secrets-store.csi.k8s.io`: the Secrets Store CSI driver installed from
/// manifests (a Helm chart) rather than as the AKS add-on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SecretsStoreDriverFact {
    /// The object.
    pub at: ObjectFact,
}

impl Fact for SecretsStoreDriverFact {
    fn collect(cx: &ObjectContext<'_>, out: &mut Vec<Self>) {
        if cx.object.is("storage.k8s.io", "CSIDriver")
            && cx.object.name.as_deref() == Some(SECRETS_STORE_DRIVER)
        {
            out.push(SecretsStoreDriverFact {
                at: ObjectFact::of(cx.tree(), cx.object),
            });
        }
    }
}

fn secret_provider_class(
    tree: &Tree,
    object: &K8sObject,
    at: ObjectFact,
) -> SecretProviderClassFact {
    let spec = tree.get(object.node, "spec");
    let provider = spec
        .and_then(|s| tree.get(s, "provider"))
        .and_then(|p| tree.str(p))
        .map(str::to_owned);
    let subject = Subject {
        object: at.object.clone(),
        path: tree.path_to(object.node, at.span),
    };
    SecretProviderClassFact {
        namespace: object.effective_namespace().to_owned(),
        name: object.name.clone().unwrap_or_default(),
        provider,
        subject,
        at,
    }
}
