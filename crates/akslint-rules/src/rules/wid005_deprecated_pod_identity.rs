use crate::rules::MANAGED_CLUSTERS;
use crate::{ObjectContext, ResourceContext, Rule};
use akslint_core::{Diagnostic, NodeId, RuleMeta, Setting, Span, Subject, declare_rule};

/// The API group of AAD Pod Identity's custom resources.
const POD_IDENTITY_GROUP: &str = "aadpodidentity.k8s.io";
/// The pod label that binds a pod to an `AzureIdentityBinding`.
const BINDING_LABEL: &str = "aadpodidbinding";
/// The image path of AAD Pod Identity's own components (MIC and NMI).
const POD_IDENTITY_IMAGE: &str = "aad-pod-identity/";

declare_rule! {
    /// ## What it does
    /// Reports every sign of the deprecated Microsoft Entra (AAD) Pod Identity:
    ///
    /// - a pod template labelled `aadpodidbinding`;
    /// - its custom resources: `AzureIdentity`, `AzureIdentityBinding`,
    ///   `AzurePodIdentityException` and `AzureAssignedIdentity` (`aadpodidentity.k8s.io`);
    /// - its own components: a container running an `aad-pod-identity/mic` or `nmi` image;
    /// - a Key Vault `SecretProviderClass` with `spec.parameters.usePodIdentity: "true"`;
    /// - an AKS cluster in Bicep with `properties.podIdentityProfile.enabled: true` (values
    ///   followed through parameters, `.bicepparam` files and module arguments).
    ///
    /// ## Why it matters
    /// Pod Identity was deprecated in October 2022 and its AKS add-on is no longer supported.
    /// It works by intercepting calls to the instance metadata endpoint from every pod on a
    /// node (NMI), so any pod that can reach the endpoint and match a binding's selector label
    /// gets the identity's tokens; a pod that sets the label itself can impersonate another
    /// workload. Workload identity binds tokens to a ServiceAccount through federation instead,
    /// with no node-level interception.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: secrets-store.csi.x-k8s.io/v1
    /// kind: SecretProviderClass
    /// metadata:
    ///   name: orders-kv
    ///   namespace: shop
    /// spec:
    ///   provider: azure
    ///   parameters:
    ///     usePodIdentity: "true"
    ///     keyvaultName: kv-orders
    ///     tenantId: 3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42
    ///     objects: |
    ///       array:
    ///         - |
    ///           objectName: db-password
    ///           objectType: secret
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: secrets-store.csi.x-k8s.io/v1
    /// kind: SecretProviderClass
    /// metadata:
    ///   name: orders-kv
    ///   namespace: shop
    /// spec:
    ///   provider: azure
    ///   parameters:
    ///     usePodIdentity: "false"
    ///     clientID: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
    ///     keyvaultName: kv-orders
    ///     tenantId: 3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42
    ///     objects: |
    ///       array:
    ///         - |
    ///           objectName: db-password
    ///           objectType: secret
    /// ```
    ///
    /// ## How to fix
    /// Migrate each workload to Microsoft Entra Workload ID: enable the OIDC issuer and workload
    /// identity on the cluster, add a federated credential to each managed identity for the
    /// workload's ServiceAccount, annotate the ServiceAccount with the client id and label the
    /// pods `azure.workload.identity/use: "true"`. For the Key Vault provider, set
    /// `clientID` in the SecretProviderClass instead of `usePodIdentity`. Then remove the
    /// `aadpodidbinding` labels, the `AzureIdentity`/`AzureIdentityBinding` objects, Pod
    /// Identity itself and the cluster's `podIdentityProfile`.
    ///
    /// ## References
    /// - [Migrate from pod-managed identity to workload identity](https://learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity)
    /// - [Use Microsoft Entra pod-managed identities in AKS (deprecated)](https://learn.microsoft.com/azure/aks/use-azure-ad-pod-identity)
    /// - [Provide an identity to the Key Vault provider: workload identity](https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access)
    pub struct DeprecatedPodIdentity {
        code: "WID005",
        name: "deprecated-pod-identity",
        family: Wid,
        severity: Warning,
        security_severity: "5.4",
        summary: "Deprecated AAD Pod Identity: binding labels, its objects, `usePodIdentity`, or the cluster's pod identity profile",
    }
}

const HELP: &str = "migrate to Microsoft Entra Workload ID (a federated managed identity per ServiceAccount) and remove Pod Identity";

impl Rule for DeprecatedPodIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
        let tree = cx.tree();
        let object = cx.object;
        let mut report = |span: Span, what: String| {
            out.push(
                Diagnostic::new(&Self::META, cx.file, span, what)
                    .with_help(HELP)
                    .with_subject(Subject {
                        object: object.identity(),
                        path: tree.path_to(object.node, span),
                    }),
            );
        };
        if object.group().eq_ignore_ascii_case(POD_IDENTITY_GROUP) {
            let span = tree
                .get(object.node, "kind")
                .map_or_else(|| object.anchor_span(tree), |k| tree.span(k));
            report(
                span,
                format!(
                    "{} is an object of the deprecated AAD Pod Identity ({POD_IDENTITY_GROUP})",
                    object.display_name()
                ),
            );
            return;
        }
        if object.is("secrets-store.csi.x-k8s.io", "SecretProviderClass") {
            let flag = tree.path(object.node, &["spec", "parameters", "usePodIdentity"]);
            if let Some(flag) = flag.filter(|&f| is_true(cx, f)) {
                report(
                    tree.span(flag),
                    format!(
                        "{} reads Key Vault with the deprecated AAD Pod Identity (`usePodIdentity: \"true\"`)",
                        object.display_name()
                    ),
                );
            }
            return;
        }
        let Some(template) = &object.pod_template else {
            return;
        };
        if let Some(labels) = template.labels {
            for (key, entry) in tree.string_entries(labels) {
                if key == BINDING_LABEL {
                    report(
                        tree.span(entry.key),
                        format!(
                            "the pods of {} select an AzureIdentityBinding with the `{BINDING_LABEL}` label of the deprecated AAD Pod Identity",
                            object.display_name()
                        ),
                    );
                }
            }
        }
        for (_, container) in template.containers(tree) {
            let Some(image) = tree.get(container, "image") else {
                continue;
            };
            if tree
                .str(image)
                .is_some_and(|i| i.to_ascii_lowercase().contains(POD_IDENTITY_IMAGE))
            {
                report(
                    tree.span(image),
                    format!(
                        "{} runs a component of the deprecated AAD Pod Identity",
                        object.display_name()
                    ),
                );
            }
        }
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let cluster = cx.resource;
        if !cluster.is_type(MANAGED_CLUSTERS) || cluster.existing {
            return;
        }
        let Setting::Value(enabled) = cluster.property(&["podIdentityProfile", "enabled"]) else {
            return;
        };
        if cluster.body.bool(enabled) != Some(true) {
            return;
        }
        let (location, secondary) = cluster.locate(enabled);
        let mut diagnostic = Diagnostic::new(
            &Self::META,
            &location.file,
            location.span,
            format!(
                "AKS cluster {} enables the deprecated pod identity add-on (`podIdentityProfile.enabled: true`)",
                cluster.label()
            ),
        )
        .with_help(HELP)
        .with_subject(cluster.subject(Some(enabled)));
        if let Some((place, message)) = secondary {
            diagnostic = diagnostic.with_label(&place.file, place.span, message);
        }
        out.push(diagnostic);
    }
}

/// Whether a provider parameter is `"true"` (or an unquoted `true`, which the API server
/// rejects in a string map but which shows the intent).
fn is_true(cx: &ObjectContext<'_>, node: NodeId) -> bool {
    cx.tree()
        .scalar(node)
        .is_some_and(|s| s.text.trim().eq_ignore_ascii_case("true"))
}
