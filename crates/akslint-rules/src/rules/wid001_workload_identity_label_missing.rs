use crate::facts::{
    FactKind, KeyValueFact, Located, POD_TEMPLATES_AND_SERVICE_ACCOUNTS, PodTemplateFact,
    ServiceAccountFact, ServiceAccounts, check_pods, check_pods_by_scope,
};
use crate::{ProjectIndex, Rule, Scopes};
use akslint_core::{
    Applicability, Change, Diagnostic, Fix, FixPlan, Literal, RuleMeta, declare_rule,
};

/// The ServiceAccount annotation naming the managed identity a workload federates with.
pub const CLIENT_ID_ANNOTATION: &str = "azure.workload.identity/client-id";
/// The pod label that makes the workload identity webhook inject the federated token.
pub const USE_LABEL: &str = "azure.workload.identity/use";

declare_rule! {
    /// ## What it does
    /// Reports a pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)
    /// whose ServiceAccount carries the annotation `azure.workload.identity/client-id`, while the
    /// template lacks the label `azure.workload.identity/use: "true"`. The ServiceAccount is
    /// looked up by namespace and name (`serviceAccountName`, else `default`) in every document of
    /// every file of the run. A label set to anything but the string `"true"`, written as an
    /// annotation, or put on the workload's own metadata instead of the pod template counts as
    /// missing.
    ///
    /// ## Why it matters
    /// The Microsoft Entra Workload ID webhook only mutates pods that carry the label. Without it
    /// the pod gets no federated token and no `AZURE_CLIENT_ID`, so the application's Azure SDK
    /// calls fail at runtime, and teams under pressure "fix" that by putting a client secret back
    /// into the manifest.
    ///
    /// ## Example
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
    /// Add `azure.workload.identity/use: "true"` (quoted: label values are strings) to the pod
    /// template's `metadata.labels`. akslint's fix inserts it.
    ///
    /// ## References
    /// - [Use Microsoft Entra Workload ID with AKS](https://learn.microsoft.com/azure/aks/workload-identity-overview)
    /// - [Azure Workload Identity: service account labels and annotations](https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html)
    pub struct MissingWorkloadIdentityLabel {
        code: "WID001",
        name: "workload-identity-label-missing",
        family: Wid,
        severity: Error,
        security_severity: "6.5",
        summary: "A pod whose ServiceAccount is set up for workload identity lacks the `azure.workload.identity/use` label",
    }
}

impl Rule for MissingWorkloadIdentityLabel {
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

/// Reports a pod whose ServiceAccount names a managed identity while the pod lacks the label.
fn check_pod(
    pod: Located<'_, PodTemplateFact>,
    accounts: &ServiceAccounts<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some((account, client_id)) = accounts
        .named(&pod.namespace, &pod.service_account)
        .find_map(|sa| federated_client_id(sa.fact).map(|id| (sa, id)))
    else {
        return;
    };
    let label = pod.label(USE_LABEL);
    if label.is_some_and(|l| l.value() == Some("true")) {
        return;
    }
    out.push(finding(pod, label, account, client_id));
}

/// The client-id annotation of a ServiceAccount, when it names an identity.
fn federated_client_id(account: &ServiceAccountFact) -> Option<&KeyValueFact> {
    account
        .annotation(CLIENT_ID_ANNOTATION)
        .filter(|a| a.value().is_some_and(|v| !v.trim().is_empty()))
}

fn finding(
    pod: Located<'_, PodTemplateFact>,
    label: Option<&KeyValueFact>,
    account: Located<'_, ServiceAccountFact>,
    client_id: &KeyValueFact,
) -> Diagnostic {
    let summary = format!(
        "{} runs as ServiceAccount {}/{}, which is annotated for workload identity",
        pod.workload, pod.namespace, pod.service_account
    );
    let (span, problem, remedy) = match label {
        Some(label) if !label.is_string => (
            label.value_span,
            format!(
                "but its pod label `{USE_LABEL}` is the unquoted `{}`, not the string \"true\" (label values are strings)",
                label.text
            ),
            Remedy::Planned(replace_value(label, Applicability::Safe)),
        ),
        Some(label) => (
            label.value_span,
            format!(
                "but its pod label `{USE_LABEL}` is \"{}\", so no token is injected",
                label.text
            ),
            Remedy::Planned(replace_value(label, Applicability::Unsafe)),
        ),
        None => {
            let misplaced = if pod.annotation(USE_LABEL).is_some() {
                "; it is written as a pod annotation, but the webhook reads labels"
            } else if pod.workload_labels.iter().any(|l| l.key == USE_LABEL) {
                "; it is on the workload's own labels, but the webhook reads the pod's"
            } else {
                ""
            };
            (
                pod.labels_anchor,
                format!(
                    "but its pod template lacks the label `{USE_LABEL}: \"true\"`{misplaced}, so no token is injected"
                ),
                Remedy::Written(pod.add_use_label.clone().map(|edits| Fix {
                    message: format!("add the label `{USE_LABEL}: \"true\"` to the pod template"),
                    edits,
                    applicability: Applicability::Safe,
                })),
            )
        }
    };
    let diagnostic = Diagnostic::new(
        &MissingWorkloadIdentityLabel::META,
        pod.file,
        span,
        format!("{summary}, {problem}"),
    )
    .with_subject(pod.subject.clone())
    .with_help(format!(
        "add `{USE_LABEL}: \"true\"` to the pod template's metadata.labels"
    ))
    .with_label(
        account.file,
        client_id.value_span,
        format!(
            "ServiceAccount {}/{} names its managed identity here",
            account.namespace, account.name
        ),
    );
    match remedy {
        Remedy::Planned(plan) => diagnostic.with_fix_plan(plan),
        Remedy::Written(Some(fix)) => diagnostic.with_fix(fix),
        Remedy::Written(None) => diagnostic,
    }
}

/// A finding's fix: planned now and written by the engine, or written already (the label
/// insertion, planned while the pod template's file was parsed).
enum Remedy {
    Planned(FixPlan),
    Written(Option<Fix>),
}

fn replace_value(label: &KeyValueFact, applicability: Applicability) -> FixPlan {
    FixPlan::new(
        format!("set `{USE_LABEL}` to \"true\""),
        applicability,
        Change::Replace {
            at: label.value_span,
            expected: None,
            value: Literal::String("true".to_owned()),
        },
    )
}
