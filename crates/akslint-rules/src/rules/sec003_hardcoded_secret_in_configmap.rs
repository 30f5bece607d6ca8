use crate::secrets::report::Scalar;
use crate::{ObjectContext, secrets};
use akslint_core::{Diagnostic, ScalarType, declare_rule};

const HELP: &str = "move the credential out of the ConfigMap: a Key Vault CSI mount or a Secret referenced by the workload, or no credential at all with workload identity; rotate it";

declare_rule! {
    /// ## What it does
    /// Reports credentials in the `data` of a `ConfigMap`: a value under a secret-like key, a
    /// known credential format anywhere, and secrets inside the files a ConfigMap embeds
    /// (`appsettings.json`, YAML such as a kubeconfig with its base64 `client-key-data`,
    /// `.env`, `.properties`, INI, TOML, XML, connection strings, configuration directives such
    /// as Redis' `requirepass VALUE` or Fluent Bit's `Shared_Key VALUE`, Postfix `sasl_passwd`
    /// lines), reported at the line inside the file where the value is.
    ///
    /// ## Why it matters
    /// ConfigMaps are meant for configuration that anyone with read access to the namespace may
    /// see: they are not encrypted at rest, are printed by `kubectl describe`, and are readable
    /// by far more roles than Secrets. A password in an embedded config file is as public as the
    /// rest of the file.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: orders-config
    /// data:
    ///   application.properties: |
    ///     spring.datasource.url=jdbc:postgresql://orders-db:5432/orders
    ///     spring.datasource.password=Ka7-mQ2x-Wp9z
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: orders-config
    /// data:
    ///   application.properties: |
    ///     spring.datasource.url=jdbc:postgresql://orders-db:5432/orders
    ///     spring.datasource.password=${DB_PASSWORD}
    /// ```
    ///
    /// ## How to fix
    /// Keep the configuration in the ConfigMap and the credential elsewhere: an environment
    /// variable from a Secret (`${DB_PASSWORD}` above), a file mounted by the Secrets Store CSI
    /// driver, or no credential with Microsoft Entra Workload ID. Rotate the exposed value.
    ///
    /// ## References
    /// - [Kubernetes: ConfigMaps](https://kubernetes.io/docs/concepts/configuration/configmap/)
    /// - [Kubernetes: good practices for Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    pub struct HardcodedSecretInConfigMap {
        code: "SEC003",
        name: "hardcoded-secret-in-configmap",
        family: Sec,
        severity: Error,
        security_severity: "8.0",
        summary: "A credential in a ConfigMap, including the files it embeds",
    }
}

yaml_secret_rule!(HardcodedSecretInConfigMap);

/// Finds the secrets of one object (each reported under this rule, or under `SEC009` when
/// weak); the secrets analysis of a document runs it once for every rule.
pub(crate) fn find(cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.object.is("", "ConfigMap") {
        return;
    }
    let tree = cx.tree();
    let Some(data) = tree.get(cx.object.node, "data") else {
        return;
    };
    for (key, entry) in tree.string_entries(data) {
        let Some(scalar) = tree
            .scalar(entry.value)
            .filter(|s| s.ty != ScalarType::Null)
        else {
            continue;
        };
        let findings = secrets::scan_text(Some(key), &scalar.text);
        let reporter = Scalar {
            rule: &HardcodedSecretInConfigMap::META,
            file: cx.file,
            tree,
            node: entry.value,
            encoded: false,
            help: HELP,
        };
        let what = format!(
            "key `{key}` of ConfigMap {}",
            cx.object.name.as_deref().unwrap_or("?")
        );
        reporter.report(&scalar.text, findings, &what, out);
    }
}
