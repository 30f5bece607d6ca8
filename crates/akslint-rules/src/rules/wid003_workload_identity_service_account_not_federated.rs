use crate::facts::{
    FactKind, Located, POD_TEMPLATES_AND_SERVICE_ACCOUNTS, PodTemplateFact, ServiceAccountFact,
    ServiceAccounts, check_pods, check_pods_by_scope,
};
use crate::rules::{CLIENT_ID_ANNOTATION, USE_LABEL};
use crate::{ProjectIndex, Rule, Scopes};
use akslint_core::{Diagnostic, RuleMeta, Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a pod template labelled `azure.workload.identity/use: "true"` whose ServiceAccount
    /// (`serviceAccountName`, else `default`, in the pod's namespace) is not ready for workload
    /// identity:
    ///
    /// - the ServiceAccount is in the run but has no `azure.workload.identity/client-id`
    ///   annotation (or an empty one);
    /// - the ServiceAccount is not in the run, while the run defines other ServiceAccounts of
    ///   the pod's namespace or one of the same name in another namespace (shown as a secondary
    ///   location, since a wrong namespace is the usual cause);
    /// - the ServiceAccount is not in the run and neither is any other of its namespace (the
    ///   manifests may be linted without the chart or folder that creates them): reported at
    ///   `info`, as a reminder rather than a warning.
    ///
    /// ServiceAccounts are looked up in every document of every file of the run (the CLI's
    /// files, the language server's workspace), so the result does not depend on file order.
    ///
    /// ## Why it matters
    /// The workload identity webhook injects `AZURE_CLIENT_ID` and the projected token from the
    /// pod's ServiceAccount. When the ServiceAccount lacks the client-id annotation, or does not
    /// exist in the namespace the pod runs in, the pod starts but every Azure SDK call fails to
    /// authenticate (or uses whatever identity a missing annotation lets it fall back to), and
    /// the usual "fix" under pressure is a client secret in the manifest.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: orders
    ///   namespace: shop
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
    /// Annotate the ServiceAccount with the client id of the user-assigned managed identity (or
    /// app registration) that has a federated credential for
    /// `system:serviceaccount:<namespace>:<name>`, or point `serviceAccountName` at the
    /// ServiceAccount that has it. Create the ServiceAccount in the pod's namespace if it is
    /// missing. akslint offers no automatic fix: the client id is not known to it.
    ///
    /// ## References
    /// - [Use Microsoft Entra Workload ID with AKS](https://learn.microsoft.com/azure/aks/workload-identity-overview)
    /// - [Deploy and configure workload identity on AKS](https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster)
    /// - [Azure Workload Identity: service account labels and annotations](https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html)
    pub struct ServiceAccountNotFederated {
        code: "WID003",
        name: "workload-identity-service-account-not-federated",
        family: Wid,
        severity: Warning,
        security_severity: "4.3",
        summary: "A pod labelled for workload identity runs as a ServiceAccount that is missing or has no client-id annotation",
    }
}

impl Rule for ServiceAccountNotFederated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn facts(&self) -> &'static [FactKind] {
        POD_TEMPLATES_AND_SERVICE_ACCOUNTS
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        check_pods(index, check_pod, out);
    }

    fn check_scopes(&self, scopes: &Scopes) -> Vec<Vec<Diagnostic>> {
        check_pods_by_scope(scopes, check_pod)
    }
}

/// Reports a pod labelled for workload identity whose ServiceAccount is missing or names no
/// managed identity.
fn check_pod(
    pod: Located<'_, PodTemplateFact>,
    service_accounts: &ServiceAccounts<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(label) = pod.label(USE_LABEL).filter(|l| l.value() == Some("true")) else {
        return;
    };
    let mut accounts = service_accounts.named(&pod.namespace, &pod.service_account);
    let first = accounts.next();
    if first
        .into_iter()
        .chain(accounts)
        .any(|a| has_client_id(a.fact))
    {
        return;
    }
    let runs_as = format!(
        "{} is labelled `{USE_LABEL}: \"true\"` but runs as ServiceAccount {}/{}",
        pod.workload, pod.namespace, pod.service_account
    );
    let mut diagnostic = if let Some(account) = first {
        Diagnostic::new(
            &ServiceAccountNotFederated::META,
            pod.file,
            label.value_span,
            format!(
                "{runs_as}, which has no `{CLIENT_ID_ANNOTATION}` annotation, so the webhook cannot tell the pod which identity to use"
            ),
        )
        .with_label(
            account.file,
            account.span,
            format!(
                "ServiceAccount {}/{} is defined here without `{CLIENT_ID_ANNOTATION}`",
                account.namespace, account.name
            ),
        )
        .with_help(format!(
            "annotate the ServiceAccount with `{CLIENT_ID_ANNOTATION}: <client id of the managed identity>`"
        ))
    } else {
        missing_account(pod, &runs_as, service_accounts, label.value_span)
    };
    if let Some(span) = pod.service_account_span {
        diagnostic = diagnostic.with_label(pod.file, span, "the ServiceAccount is named here");
    }
    out.push(diagnostic.with_subject(pod.subject.clone()));
}

/// Whether a ServiceAccount names the identity its pods federate with.
fn has_client_id(account: &ServiceAccountFact) -> bool {
    account
        .annotation(CLIENT_ID_ANNOTATION)
        .and_then(|a| a.value())
        .is_some_and(|v| !v.trim().is_empty())
}

/// The finding for a ServiceAccount that the run does not contain: a warning pointing at one of
/// the same name in another namespace, or when the run defines others of the pod's namespace;
/// else a note that it could not be checked.
fn missing_account(
    pod: Located<'_, PodTemplateFact>,
    runs_as: &str,
    accounts: &ServiceAccounts<'_>,
    span: akslint_core::Span,
) -> Diagnostic {
    let namesake = accounts.namesake(&pod.namespace, &pod.service_account);
    let covered = accounts.any_in(&pod.namespace);
    let problem = match namesake {
        Some(account) => format!(
            "which is not defined in the files linted; a ServiceAccount {} exists in namespace `{}`, not in `{}`",
            account.name, account.namespace, pod.namespace
        ),
        None if covered => format!(
            "which is not among the ServiceAccounts of namespace `{}` in the files linted",
            pod.namespace
        ),
        None => format!(
            "and no ServiceAccount of namespace `{}` is in the files linted, so akslint cannot check that it exists and names a managed identity",
            pod.namespace
        ),
    };
    let mut diagnostic = Diagnostic::new(
        &ServiceAccountNotFederated::META,
        pod.file,
        span,
        format!("{runs_as}, {problem}"),
    )
    .with_help(format!(
        "create ServiceAccount {} in namespace `{}` with `{CLIENT_ID_ANNOTATION}`, or set `serviceAccountName` to one that has it",
        pod.service_account, pod.namespace
    ));
    match namesake {
        Some(account) => {
            diagnostic = diagnostic.with_label(
                account.file,
                account.span,
                format!(
                    "ServiceAccount {} is defined in namespace `{}`",
                    account.name, account.namespace
                ),
            );
        }
        None if !covered => diagnostic.severity = Severity::Info,
        None => {}
    }
    diagnostic
}
