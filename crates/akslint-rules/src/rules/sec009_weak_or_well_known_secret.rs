use crate::{DocumentContext, ProjectIndex, Rule, secrets};
use akslint_core::{Diagnostic, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a hardcoded credential whose value is weak or well known: a default or
    /// dictionary password (`changeme`, `admin`, `password`, `minio123`), a test value that says
    /// it must not be used, a short lower-case value, or a key published in documentation or
    /// shipped with a development tool (the Azurite storage emulator key, the AWS documentation
    /// keys, the Kubernetes documentation's example Secret). The placement rules (`SEC001` to
    /// `SEC006` and the Bicep and ARM JSON rules) hand such values to this rule instead of
    /// reporting them themselves, so the two can be tuned apart.
    ///
    /// ## Why it matters
    /// Weak and published values are guessed first: a service started with the emulator's key
    /// or `admin`/`admin` is open to anyone who tries. They also tend to survive into production
    /// because they "were only for testing".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: grafana
    /// spec:
    ///   containers:
    ///     - name: grafana
    ///       image: grafana/grafana:11.2.0
    ///       env:
    ///         - name: GF_SECURITY_ADMIN_PASSWORD
    ///           value: admin
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: grafana
    /// spec:
    ///   containers:
    ///     - name: grafana
    ///       image: grafana/grafana:11.2.0
    ///       env:
    ///         - name: GF_SECURITY_ADMIN_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef: {name: grafana-admin, key: password}
    /// ```
    ///
    /// ## How to fix
    /// Generate a strong value, keep it outside the manifest (Key Vault with the Secrets Store
    /// CSI driver, or a Secret created by your pipeline), and reference it. For local development,
    /// keep emulator keys in local-only files that are never applied to a cluster.
    ///
    /// ## References
    /// - [Azurite: well-known storage account and key](https://learn.microsoft.com/azure/storage/common/storage-use-azurite#well-known-storage-account-and-key)
    /// - [OWASP: default credentials](https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/04-Authentication_Testing/02-Testing_for_Default_Credentials)
    pub struct WeakSecret {
        code: "SEC009",
        name: "weak-or-well-known-secret",
        family: Sec,
        severity: Warning,
        security_severity: "5.5",
        summary: "A hardcoded credential with a weak, default or published value",
    }
}

impl Rule for WeakSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_document(&self, cx: &DocumentContext<'_>, out: &mut Vec<Diagnostic>) {
        secrets::report_document(cx, &Self::META, out);
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        secrets::bicep::report(index, &Self::META, out);
    }
}
