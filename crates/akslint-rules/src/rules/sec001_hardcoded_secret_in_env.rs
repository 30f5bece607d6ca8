use crate::secrets::report::{self, Place};
use crate::{ObjectContext, secrets};
use akslint_core::{Diagnostic, ScalarType, declare_rule};

const HELP: &str = "remove the value, rotate it, and reference it instead: `valueFrom.secretKeyRef`, a Key Vault CSI mount, or no secret at all with workload identity";

declare_rule! {
    /// ## What it does
    /// Reports a literal credential in `env[].value` of a container (also init and ephemeral
    /// containers): a value in a known credential format (an Azure Storage connection string,
    /// a GitHub token, a private key, …), or a literal under a name that says it holds a secret
    /// (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*CONNECTION_STRING*`, …). Names that
    /// describe a secret rather than hold it (`*_FILE`, `*_NAME`, `*_URL`, …), empty values,
    /// `$(VAR)` references, template placeholders (`{{ … }}`, `${…}`) and stand-ins such as
    /// `<password>` or `INSERT_API_TOKEN` are not reported, nor a value that a comment beside
    /// it calls a placeholder (`- name: ACCESS_KEY  # replace with your access key`; a note
    /// such as `# TODO: move to Key Vault` is no such comment). Weak and well-known values are
    /// reported by `SEC009` instead.
    ///
    /// ## Why it matters
    /// A password in a manifest is in every clone of the repository, in CI logs and in the
    /// object's `last-applied-configuration` annotation, readable by anyone who can read the
    /// Deployment. It is never rotated, because rotating means a commit.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: orders
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
    ///             - name: DB_PASSWORD
    ///               value: "q7Rt-9vXw-LmP2"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: orders
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
    ///             - name: DB_PASSWORD
    ///               valueFrom:
    ///                 secretKeyRef:
    ///                   name: orders-db
    ///                   key: password
    /// ```
    ///
    /// ## How to fix
    /// Remove the value from the manifest and rotate it: it is compromised once committed. Best,
    /// let the workload authenticate with Microsoft Entra Workload ID so no password exists; else
    /// keep it in Azure Key Vault and mount it with the Secrets Store CSI driver, or at least in a
    /// Kubernetes Secret referenced with `valueFrom.secretKeyRef`.
    ///
    /// ## References
    /// - [Kubernetes: using Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - [Microsoft Entra Workload ID on AKS](https://learn.microsoft.com/azure/aks/workload-identity-overview)
    /// - [Azure Key Vault provider for Secrets Store CSI driver](https://learn.microsoft.com/azure/aks/csi-secrets-store-driver)
    pub struct HardcodedSecretInEnv {
        code: "SEC001",
        name: "hardcoded-secret-in-env",
        family: Sec,
        severity: Error,
        security_severity: "8.5",
        summary: "A literal credential in a container environment variable",
    }
}

yaml_secret_rule!(HardcodedSecretInEnv);

/// Finds the secrets of one object (each reported under this rule, or under `SEC009` when
/// weak); the secrets analysis of a document runs it once for every rule.
pub(crate) fn find(cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
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
        for &variable in env {
            let Some(name) = tree.get(variable, "name").and_then(|n| tree.str(n)) else {
                continue;
            };
            let Some(value_node) = tree.get(variable, "value") else {
                continue;
            };
            let Some(scalar) = tree.scalar(value_node).filter(|s| s.ty != ScalarType::Null) else {
                continue;
            };
            let Some(finding) = secrets::judge(Some(name), &scalar.text) else {
                continue;
            };
            if report::placeholder_noted(cx.file, tree, value_node) {
                continue;
            }
            let span = report::source_span(tree, value_node, cx.file.text(), &finding.range);
            let place = Place {
                rule: &HardcodedSecretInEnv::META,
                file: cx.file,
                span,
                what: format!(
                    "environment variable `{name}` of container `{container_name}` in {}",
                    cx.object.display_name()
                ),
                help: HELP,
            };
            let mut found =
                report::diagnostic(place, &finding, &scalar.text[finding.range.clone()]);
            found.sensitive = report::secret_bytes(tree, value_node, span);
            out.push(found);
        }
    }
}
