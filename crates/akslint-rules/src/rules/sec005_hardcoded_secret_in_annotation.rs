use crate::secrets::report::Scalar;
use crate::{ObjectContext, secrets};
use akslint_core::{Diagnostic, NodeId, ScalarType, declare_rule};

const HELP: &str = "remove the credential from the annotation; if it came from `kubectl apply`, the object's Secret value is in `last-applied-configuration` too: apply Secrets with server-side apply or from Key Vault, and rotate the value";

/// Annotation prefixes that only ever hold references to secrets kept elsewhere.
const REFERENCE_PREFIXES: &[&str] = &[
    "vault.hashicorp.com/",
    "azure.workload.identity/",
    "secret.reloader.stakater.com/",
    "reloader.stakater.com/",
];

declare_rule! {
    /// ## What it does
    /// Reports credentials in the annotations of any object and of pod templates: a known
    /// credential format or a value under a secret-like annotation key, and, in
    /// `kubectl.kubernetes.io/last-applied-configuration`, every secret of the JSON copy of the
    /// object that `kubectl apply` stores there (a Secret's `stringData` and `data` included).
    /// Checksums (`checksum/*`) and reference annotations (Vault agent, workload identity) are not
    /// reported.
    ///
    /// ## Why it matters
    /// `kubectl apply` copies the whole manifest into `last-applied-configuration`, so a Secret
    /// applied from a file keeps its values there in plain JSON, readable by anyone who can read
    /// the object's metadata, which is more people than can read Secrets. Annotations are also
    /// copied into logs, dashboards and events.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: orders-db
    ///   annotations:
    ///     kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"orders-db"},"stringData":{"password":"I9O35QUZT3XDZMii0_3"}}'
    /// type: Opaque
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: orders-db
    ///   annotations:
    ///     reloader.stakater.com/match: "true"
    /// type: Opaque
    /// ```
    ///
    /// ## How to fix
    /// Remove the annotation from the manifest (it is written by `kubectl apply`, never needed in
    /// a file), apply Secrets with `kubectl apply --server-side` or create them from Key Vault,
    /// and rotate the exposed value.
    ///
    /// ## References
    /// - [Kubernetes: declarative management with kubectl apply](https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/)
    /// - [Kubernetes: server-side apply](https://kubernetes.io/docs/reference/using-api/server-side-apply/)
    pub struct HardcodedSecretInAnnotation {
        code: "SEC005",
        name: "hardcoded-secret-in-annotation",
        family: Sec,
        severity: Error,
        security_severity: "8.0",
        summary: "A credential in an annotation, including the last-applied-configuration copy of a Secret",
    }
}

yaml_secret_rule!(HardcodedSecretInAnnotation);

/// Finds the secrets of one object (each reported under this rule, or under `SEC009` when
/// weak); the secrets analysis of a document runs it once for every rule.
pub(crate) fn find(cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
    let tree = cx.tree();
    let template = cx.object.pod_template.as_ref().and_then(|t| t.annotations);
    let maps: Vec<(NodeId, &str)> = [
        (cx.object.annotations, "metadata"),
        (template, "pod template"),
    ]
    .into_iter()
    .filter_map(|(map, whose)| map.map(|m| (m, whose)))
    .collect();
    for (map, whose) in maps {
        for (key, entry) in tree.string_entries(map) {
            if REFERENCE_PREFIXES.iter().any(|p| key.starts_with(p))
                || key == crate::suppression::IGNORE_ANNOTATION
            {
                continue;
            }
            let Some(scalar) = tree
                .scalar(entry.value)
                .filter(|s| s.ty != ScalarType::Null)
            else {
                continue;
            };
            let last_applied = key == "kubectl.kubernetes.io/last-applied-configuration";
            let findings =
                secrets::scan_text(if last_applied { None } else { Some(key) }, &scalar.text);
            let reporter = Scalar {
                rule: &HardcodedSecretInAnnotation::META,
                file: cx.file,
                tree,
                node: entry.value,
                encoded: false,
                help: HELP,
            };
            let what = format!(
                "annotation `{key}` of the {whose} of {}",
                cx.object.display_name()
            );
            reporter.report(&scalar.text, findings, &what, out);
        }
    }
}
