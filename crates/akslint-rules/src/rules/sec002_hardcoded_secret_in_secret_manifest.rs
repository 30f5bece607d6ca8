use crate::secrets::checksum::base64_decode;
use crate::secrets::report::Scalar;
use crate::secrets::{Finding, embedded, names, shape};
use crate::{ObjectContext, secrets};
use akslint_core::{Diagnostic, ScalarType, declare_rule};

const HELP: &str = "do not commit Secret values: create the Secret from Key Vault (Secrets Store CSI driver with secretObjects, or External Secrets), or commit it encrypted (Sealed Secrets, SOPS); rotate the value";

declare_rule! {
    /// ## What it does
    /// Reports credentials in the `data` (decoded from base64, reported at the encoded value)
    /// and `stringData` of a Kubernetes `Secret`: known credential formats, values under
    /// secret-like keys (`password`, `azurestorageaccountkey`, `tls.key`, `ssh-privatekey`, …),
    /// the registry credentials of a `.dockerconfigjson`, and random-looking values under any key
    /// that does not name something public (a user name, a host, a certificate). Values that
    /// are not secrets whatever their key (e-mail addresses, Azure cloud names, AKS node resource
    /// groups, `system:` group lists, placeholders), empty values, templates (`{{ … }}`) and
    /// references are not reported; a bootstrap token's `token-secret` is.
    ///
    /// ## Why it matters
    /// Base64 is an encoding, not encryption: a Secret manifest in a repository is its values in
    /// the clear for everyone who can clone it, forever in the history. Committed Secrets are
    /// also never rotated.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: orders-db
    /// type: Opaque
    /// stringData:
    ///   username: orders
    ///   password: "Vb8#qLm2-xT9w"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: secrets-store.csi.x-k8s.io/v1
    /// kind: SecretProviderClass
    /// metadata:
    ///   name: orders-db
    /// spec:
    ///   provider: azure
    ///   parameters:
    ///     keyvaultName: kv-orders
    ///     clientID: 5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13
    ///     tenantId: 3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42
    ///     objects: |
    ///       array:
    ///         - |
    ///           objectName: orders-db-password
    ///           objectType: secret
    /// ```
    ///
    /// ## How to fix
    /// Keep the value in Azure Key Vault and let the Secrets Store CSI driver mount it (with
    /// `secretObjects` when an environment variable needs it), or commit it encrypted with Sealed
    /// Secrets or SOPS. Rotate every value that was committed.
    ///
    /// ## References
    /// - [Kubernetes: good practices for Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Use the Azure Key Vault provider for Secrets Store CSI Driver in AKS](https://learn.microsoft.com/azure/aks/csi-secrets-store-driver)
    pub struct HardcodedSecretInSecretManifest {
        code: "SEC002",
        name: "hardcoded-secret-in-secret-manifest",
        family: Sec,
        severity: Error,
        security_severity: "8.5",
        summary: "Credentials committed in the data or stringData of a Kubernetes Secret",
    }
}

yaml_secret_rule!(HardcodedSecretInSecretManifest);

/// Finds the secrets of one object (each reported under this rule, or under `SEC009` when
/// weak); the secrets analysis of a document runs it once for every rule.
pub(crate) fn find(cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.object.is("", "Secret") {
        return;
    }
    let tree = cx.tree();
    for (field, encoded) in [("data", true), ("stringData", false)] {
        let Some(map) = tree.get(cx.object.node, field) else {
            continue;
        };
        for (key, entry) in tree.string_entries(map) {
            let Some(scalar) = tree
                .scalar(entry.value)
                .filter(|s| s.ty != ScalarType::Null)
            else {
                continue;
            };
            let text = if encoded {
                let compact: String = scalar.text.split_whitespace().collect();
                match base64_decode(&compact).and_then(|b| String::from_utf8(b).ok()) {
                    Some(decoded) => decoded,
                    None => continue,
                }
            } else {
                scalar.text.to_string()
            };
            let findings = judge_entry(key, &text);
            let reporter = Scalar {
                rule: &HardcodedSecretInSecretManifest::META,
                file: cx.file,
                tree,
                node: entry.value,
                encoded,
                help: HELP,
            };
            let what = format!("key `{key}` of {field} in {}", cx.object.display_name());
            reporter.report(&text, findings, &what, out);
        }
    }
}

/// The secrets of one Secret entry.
fn judge_entry(key: &str, text: &str) -> Vec<Finding> {
    if key == ".dockerconfigjson" || key == ".dockercfg" {
        return docker_config(text);
    }
    let found = secrets::scan_text(Some(key), text);
    if !found.is_empty() || names::describes_not_a_value(key) || text.contains('\n') {
        return found;
    }
    // In a Secret, a random-looking value is a credential whatever its key is called.
    let trimmed = text.trim();
    let start = text.find(trimmed).unwrap_or(0);
    (shape::looks_random(trimmed) && secrets::values::not_secret(trimmed).is_none())
        .then(|| Finding {
            class: "generic-secret",
            range: start..start + trimmed.len(),
            weak: None,
            verified: false,
        })
        .into_iter()
        .collect()
}

/// Registry credentials in a Docker config: `auth` (base64 of `user:password`), `password`,
/// tokens.
fn docker_config(text: &str) -> Vec<Finding> {
    let mut found = secrets::scan_text(Some(".dockerconfigjson"), text);
    for pair in embedded::pairs(text) {
        if pair.key != "auth" || found.iter().any(|f| f.range == pair.value) {
            continue;
        }
        let decoded =
            base64_decode(&text[pair.value.clone()]).and_then(|b| String::from_utf8(b).ok());
        let has_password = decoded
            .as_deref()
            .and_then(|d| d.split_once(':'))
            .is_some_and(|(_, password)| secrets::values::not_secret(password).is_none());
        if has_password {
            found.push(Finding {
                class: "docker-auth",
                range: pair.value,
                weak: None,
                verified: false,
            });
        }
    }
    found.sort_by_key(|f| f.range.start);
    found
}
