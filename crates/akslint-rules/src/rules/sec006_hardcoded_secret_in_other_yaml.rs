use crate::secrets::report::Scalar;
use crate::{DocumentContext, secrets};
use akslint_core::{Diagnostic, NodeId, NodeKind, ScalarType, Tree, declare_rule};

const HELP: &str = "keep the credential out of the file: reference a Secret or Key Vault (most charts and operators take an `existingSecret` or a secret reference), and rotate it";

/// API groups of Kubernetes itself: their objects are covered by the rules for the places
/// secrets go in them (env, Secrets, ConfigMaps, commands, annotations).
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "extensions",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "policy",
    "autoscaling",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "node.k8s.io",
    "discovery.k8s.io",
    "certificates.k8s.io",
    "apiregistration.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "resource.k8s.io",
    "events.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
];

/// Keys under which everything is ciphertext (Sealed Secrets, SOPS metadata).
const CIPHERTEXT_KEYS: &[&str] = &["encryptedData", "encrypted_data", "sops"];

/// Keys whose value is named by the key above them (`adminPassword: {value: …}`).
const VALUE_KEYS: &[&str] = &["value", "defaultValue", "default", "data"];

declare_rule! {
    /// ## What it does
    /// Reports credentials in YAML that is not a built-in Kubernetes object: Helm values files,
    /// custom resources (Argo CD, Flux, KEDA, operators' CRs), kubeconfigs and any other YAML. A
    /// value is reported when it is in a known credential format, or when the key it sits under
    /// says it is a secret (`postgresPassword`, `token`, `client_secret`; for `value:` and
    /// `default:` the key above) and the value is a plausible literal. References
    /// (`existingSecret`, `secretRef`), templates, placeholders, ciphertext (Sealed Secrets'
    /// `encryptedData`, SOPS files) and weak values (reported by `SEC009`) are not, nor are
    /// helm-unittest suites (`suite:` and `tests:` with `asserts:`), whose values are a chart
    /// test's inputs and expected output, never deployed.
    ///
    /// ## Why it matters
    /// Values files and custom resources are where credentials go when a chart or operator offers
    /// a `password:` field: the chart renders them into a Secret, but the values file with the
    /// password is committed next to it.
    ///
    /// ## Example
    /// ```yaml
    /// postgresql:
    ///   auth:
    ///     username: orders
    ///     postgresPassword: ezilqwVHapGQ2*PX5
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// postgresql:
    ///   auth:
    ///     username: orders
    ///     existingSecret: orders-postgresql
    ///     secretKeys:
    ///       adminPasswordKey: postgres-password
    /// ```
    ///
    /// ## How to fix
    /// Use the chart's or operator's reference to an existing Secret (`existingSecret`,
    /// `secretRef`, `passwordSecretRef`), and create that Secret from Key Vault. Rotate the
    /// exposed value.
    ///
    /// ## References
    /// - [Helm: values files](https://helm.sh/docs/chart_template_guide/values_files/)
    /// - [Kubernetes: good practices for Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    pub struct HardcodedSecretInOtherYaml {
        code: "SEC006",
        name: "hardcoded-secret-in-other-yaml",
        family: Sec,
        severity: Error,
        security_severity: "8.0",
        summary: "A credential in Helm values, a custom resource or other YAML",
    }
}

yaml_secret_rule!(HardcodedSecretInOtherYaml);

/// Finds the secrets of one document (each reported under this rule, or under `SEC009` when
/// weak); the secrets analysis of a document runs it once for every rule.
pub(crate) fn find(cx: &DocumentContext<'_>, out: &mut Vec<Diagnostic>) {
    let tree = cx.tree();
    let Some(root) = cx.document.root else {
        return;
    };
    if tree.get(root, "sops").is_some() || is_helm_unittest_suite(tree, root) {
        return;
    }
    let roots: Vec<(NodeId, String)> = if cx.objects.is_empty() {
        vec![(root, "this file".to_owned())]
    } else {
        cx.objects
            .iter()
            .filter(|o| !BUILT_IN_GROUPS.contains(&o.group()) && o.kind != "SealedSecret")
            .map(|o| (o.node, o.display_name()))
            .collect()
    };
    for (start, whose) in roots {
        each_keyed_scalar(tree, start, |key, value| {
            let Some(scalar) = tree.scalar(value).filter(|s| s.ty != ScalarType::Null) else {
                return;
            };
            let findings = secrets::scan_text(Some(key), &scalar.text);
            if findings.is_empty() {
                return;
            }
            let path = tree.path_to(start, tree.span(value));
            let reporter = Scalar {
                rule: &HardcodedSecretInOtherYaml::META,
                file: cx.file,
                tree,
                node: value,
                encoded: false,
                help: HELP,
            };
            reporter.report(
                &scalar.text,
                findings,
                &format!("key `{path}` of {whose}"),
                out,
            );
        });
    }
}

/// Calls `visit` with every scalar under `start` and the key that names it (for an item of a
/// sequence, the sequence's key; for `value` in a `{name: X, value: Y}` entry, X), in document
/// order. The walk holds one frame per level, never the children of a level, so a sequence of
/// millions of items costs nothing more.
/// Whether a document is a helm-unittest suite: `tests:` whose items carry `asserts:`, beside a
/// `suite:` name or `templates:` list.
fn is_helm_unittest_suite(tree: &Tree, root: NodeId) -> bool {
    let Some(tests) = tree.get(root, "tests") else {
        return false;
    };
    (tree.get(root, "suite").is_some() || tree.get(root, "templates").is_some())
        && tree
            .items(tests)
            .iter()
            .any(|test| tree.get(*test, "asserts").is_some())
}

fn each_keyed_scalar<'t>(tree: &'t Tree, start: NodeId, mut visit: impl FnMut(&'t str, NodeId)) {
    // (collection, the key its children inherit, next child)
    let mut stack: Vec<(NodeId, &'t str, usize)> = Vec::new();
    let mut enter =
        |node: NodeId, key: &'t str, stack: &mut Vec<(NodeId, &'t str, usize)>| match &tree
            .node(node)
            .kind
        {
            NodeKind::Mapping(_) | NodeKind::Sequence(_) => stack.push((node, key, 0)),
            NodeKind::Scalar(_) => visit(key, node),
            NodeKind::Alias(_) | NodeKind::Unknown => {}
        };
    enter(start, "", &mut stack);
    while let Some(top) = stack.last_mut() {
        let (node, key, next) = *top;
        top.2 += 1;
        match &tree.node(node).kind {
            NodeKind::Mapping(entries) => {
                let Some(entry) = entries.get(next) else {
                    stack.pop();
                    continue;
                };
                let Some(name) = tree.str(entry.key) else {
                    continue;
                };
                if CIPHERTEXT_KEYS.contains(&name) {
                    continue;
                }
                let named = if VALUE_KEYS.contains(&name) {
                    // In `{name: X, value: Y}` lists, X names Y.
                    let sibling_name = ["name", "key", "parameter"]
                        .iter()
                        .find_map(|k| tree.get(node, k).and_then(|n| tree.str(n)));
                    sibling_name.filter(|_| name == "value").unwrap_or(key)
                } else {
                    name
                };
                let named = if named.is_empty() { name } else { named };
                enter(entry.value, named, &mut stack);
            }
            NodeKind::Sequence(items) => match items.get(next) {
                Some(&item) => enter(item, key, &mut stack),
                None => {
                    stack.pop();
                }
            },
            _ => {
                stack.pop();
            }
        }
    }
}
