//! Pod templates (a Pod, or the template of a workload that creates pods), for the rules that
//! check a pod's workload identity against its ServiceAccount (WID001, WID003).

use akslint_core::{Applicability, Change, Edit, FixPlan, Literal, Span, Subject};

use super::{Fact, KeyValueFact, WORKLOAD_IDENTITY_PREFIX, key_values};
use crate::ObjectContext;
use crate::rules::USE_LABEL;

/// A pod template: a Pod, or the template of a workload that creates pods.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PodTemplateFact {
    /// The workload's kind and name, e.g. `Deployment web`.
    pub workload: String,
    /// The namespace the pods run in.
    pub namespace: String,
    /// The ServiceAccount the pods run as.
    pub service_account: String,
    /// The span of `serviceAccountName` when written.
    pub service_account_span: Option<Span>,
    /// The template's workload identity labels ([`WORKLOAD_IDENTITY_PREFIX`]).
    pub labels: Vec<KeyValueFact>,
    /// The template's workload identity annotations.
    pub annotations: Vec<KeyValueFact>,
    /// The workload identity labels of the workload object itself (empty for a Pod, whose
    /// template it is).
    pub workload_labels: Vec<KeyValueFact>,
    /// Where to point when a label is missing (see [`akslint_core::PodTemplate::labels_anchor`]).
    pub labels_anchor: Span,
    /// The workload and the key path of `labels_anchor`, for baselines and fingerprints.
    pub subject: Subject,
    /// The edits that add the workload identity label to the template, as the file's front end
    /// writes them (planned while the file's syntax is at hand), when it can.
    pub add_use_label: Option<Vec<Edit>>,
}

impl PodTemplateFact {
    /// A workload identity label of the template.
    pub fn label(&self, key: &str) -> Option<&KeyValueFact> {
        self.labels.iter().find(|l| l.key == key)
    }

    /// A workload identity annotation of the template.
    pub fn annotation(&self, key: &str) -> Option<&KeyValueFact> {
        self.annotations.iter().find(|a| a.key == key)
    }
}

impl Fact for PodTemplateFact {
    fn collect(cx: &ObjectContext<'_>, out: &mut Vec<Self>) {
        let (tree, object) = (cx.tree(), cx.object);
        let Some(template) = &object.pod_template else {
            return;
        };
        let (service_account, service_account_span) = template.service_account(tree);
        let labels_anchor = template.labels_anchor(tree, object.anchor_span(tree));
        let add_use_label = FixPlan::new(
            "",
            Applicability::Safe,
            Change::Insert {
                object: tree.span(template.node),
                path: vec!["metadata".into(), "labels".into(), USE_LABEL.into()],
                value: Literal::String("true".into()),
            },
        );
        out.push(PodTemplateFact {
            workload: object.display_name(),
            namespace: object.effective_namespace().to_owned(),
            service_account: service_account.to_owned(),
            service_account_span,
            labels: key_values(tree, template.labels, WORKLOAD_IDENTITY_PREFIX),
            annotations: key_values(tree, template.annotations, WORKLOAD_IDENTITY_PREFIX),
            workload_labels: if template.node == object.node {
                Vec::new()
            } else {
                key_values(tree, object.labels, WORKLOAD_IDENTITY_PREFIX)
            },
            labels_anchor,
            subject: Subject {
                object: object.identity(),
                path: tree.path_to(object.node, labels_anchor),
            },
            add_use_label: cx.render_fix(&add_use_label),
        });
    }
}
