use crate::{ObjectContext, Rule};
use akslint_core::{Diagnostic, RuleMeta, ScalarType, Subject, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an environment variable of a container (also init and ephemeral containers) that
    /// hands the workload a Microsoft Entra client secret, whether the value is written in the
    /// manifest or comes from a Secret or ConfigMap (`valueFrom`): a name ending in
    /// `CLIENT_SECRET` once underscores and case are ignored, that is Entra's either by its
    /// prefix (`AZURE_CLIENT_SECRET`, `ARM_CLIENT_SECRET`, `AAD_CLIENT_SECRET`,
    /// `AzureAd__ClientSecret`, `ENTRA_…`, `MSAL_…`) or, for a plain `CLIENT_SECRET`, by the
    /// container's other variables (a tenant id, or a variable with one of those prefixes). An empty value is not reported. Client secrets of other identity
    /// providers, which workload identity cannot replace, are not reported.
    ///
    /// The value itself is never printed; a literal secret is also reported by the `SEC` rules.
    ///
    /// ## Why it matters
    /// A client secret is a long-lived credential: it can be copied out of the cluster and used
    /// from anywhere until someone rotates it, and rotation is manual. Workload identity gives
    /// the pod short-lived tokens bound to its ServiceAccount instead, with nothing to leak or
    /// rotate. A secret next to workload identity is worse than either alone: the Azure SDK's
    /// `DefaultAzureCredential` tries the environment (`AZURE_CLIENT_SECRET`) before workload
    /// identity, so the secret silently wins.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: orders
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: orders}
    ///   template:
    ///     metadata:
    ///       labels: {app: orders}
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: orders:1.4
    ///           env:
    ///             - name: AZURE_CLIENT_ID
    ///               value: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
    ///             - name: AZURE_CLIENT_SECRET
    ///               valueFrom:
    ///                 secretKeyRef: {name: orders-sp, key: secret}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: orders
    ///   namespace: shop
    ///   annotations:
    ///     azure.workload.identity/client-id: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: orders
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: orders}
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: orders
    ///         azure.workload.identity/use: "true"
    ///     spec:
    ///       serviceAccountName: orders
    ///       containers:
    ///         - name: api
    ///           image: orders:1.4
    /// ```
    ///
    /// ## How to fix
    /// Give the workload a user-assigned managed identity with a federated credential for its
    /// ServiceAccount, annotate the ServiceAccount with the identity's client id, label the pod
    /// template `azure.workload.identity/use: "true"`, remove the secret variable, and delete
    /// the app registration's secret once nothing uses it.
    ///
    /// ## References
    /// - [Use Microsoft Entra Workload ID with AKS](https://learn.microsoft.com/azure/aks/workload-identity-overview)
    /// - [Migrate from pod identity or secrets to workload identity](https://learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity)
    /// - [Azure Identity: environment variables of EnvironmentCredential](https://learn.microsoft.com/dotnet/api/azure.identity.environmentcredential)
    pub struct ClientSecretInWorkload {
        code: "WID004",
        name: "client-secret-in-workload",
        family: Wid,
        severity: Warning,
        security_severity: "6.5",
        summary: "A container gets a Microsoft Entra client secret instead of using workload identity",
    }
}

/// Prefixes (folded: lowercase, no `_`, `-` or `.`) of variables that belong to Entra ID.
const ENTRA_PREFIXES: &[&str] = &["azure", "aad", "arm", "entra", "msal"];

impl Rule for ClientSecretInWorkload {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
        let tree = cx.tree();
        let Some(template) = &cx.object.pod_template else {
            return;
        };
        for (_, container) in template.containers(tree) {
            let container_name = tree
                .get(container, "name")
                .and_then(|n| tree.str(n))
                .unwrap_or("?");
            let env = tree
                .get(container, "env")
                .map_or(&[][..], |e| tree.items(e));
            let names = env
                .iter()
                .filter_map(|&v| tree.get(v, "name").and_then(|n| tree.str(n)));
            let entra_context = names
                .map(fold)
                .any(|n| is_entra_name(&n) || n.contains("tenantid"));
            for &variable in env {
                let Some(name_node) = tree.get(variable, "name") else {
                    continue;
                };
                let Some(name) = tree.str(name_node).filter(|n| {
                    let folded = fold(n);
                    (folded.ends_with("clientsecret") && is_entra_name(&folded))
                        || (folded == "clientsecret" && entra_context)
                }) else {
                    continue;
                };
                let Some(source) = value_source(cx, variable) else {
                    continue;
                };
                let span = tree.span(name_node);
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        cx.file,
                        span,
                        format!(
                            "container `{container_name}` of {} gets a client secret in `{name}` ({source}): a long-lived credential where workload identity needs none",
                            cx.object.display_name()
                        ),
                    )
                    .with_subject(Subject {
                        object: cx.object.identity(),
                        path: tree.path_to(cx.object.node, span),
                    })
                    .with_help("use Microsoft Entra Workload ID: a federated managed identity, the ServiceAccount's client-id annotation and the pod label `azure.workload.identity/use: \"true\"`; then remove the variable and the secret"),
                );
            }
        }
    }
}

/// A variable name folded for comparison: lowercase, without `_`, `-` and `.`.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a folded variable name is Entra ID's by its prefix.
fn is_entra_name(folded: &str) -> bool {
    ENTRA_PREFIXES.iter().any(|p| folded.starts_with(p))
}

/// Where a variable's value comes from, when it hands over something: a non-empty literal, or
/// a Secret or ConfigMap key.
fn value_source(cx: &ObjectContext<'_>, variable: akslint_core::NodeId) -> Option<String> {
    let tree = cx.tree();
    if let Some(value) = tree.get(variable, "value") {
        let scalar = tree.scalar(value)?;
        return (scalar.ty != ScalarType::Null && !scalar.text.trim().is_empty())
            .then(|| "written in the manifest".to_owned());
    }
    let from = tree.get(variable, "valueFrom")?;
    [("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")]
        .into_iter()
        .find_map(|(key, kind)| {
            let reference = tree.get(from, key)?;
            let name = tree
                .get(reference, "name")
                .and_then(|n| tree.str(n))
                .unwrap_or("?");
            Some(format!("from {kind} `{name}`"))
        })
}
