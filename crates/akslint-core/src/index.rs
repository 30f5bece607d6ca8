//! The run-wide index: facts gathered from every document of every file, for rules that link
//! documents and files (a pod and its ServiceAccount, a cluster and its workloads).
//!
//! Facts are collected per file while the file's tree is at hand ([`FileFacts::collect`]), kept
//! small (strings, spans, planned edits) and joined once all files are read. The index is sorted
//! by file and position, so results never depend on the order files were read in.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::secrets::bicep::BicepSecret;
use crate::{
    AzureResource, BicepFile, Document, EntryInsertion, Evaluation, K8sObject, ParamBinding,
    SharedSource, Span, Subject, Tree,
};

/// An annotation or label: its value and where the value is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValueFact {
    /// The key, e.g. `azure.workload.identity/use`.
    pub key: String,
    /// The scalar's text as written (decoded), whatever its type.
    pub text: String,
    /// Whether the value is a string (an unquoted `true` or `12` is not, and the API server
    /// rejects it where a string is required, such as in labels and annotations).
    pub is_string: bool,
    /// The span of the value.
    pub value_span: Span,
}

/// A Kubernetes ServiceAccount.
#[derive(Clone, Debug)]
pub struct ServiceAccountFact {
    /// The file it is in.
    pub file: SharedSource,
    /// Where to point at it: its `metadata.name` value, else its `kind`.
    pub span: Span,
    /// Its namespace (`default` when none is written).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Its annotations.
    pub annotations: Vec<KeyValueFact>,
}

impl KeyValueFact {
    /// The value, when it is a string.
    pub fn value(&self) -> Option<&str> {
        self.is_string.then_some(self.text.as_str())
    }
}

impl ServiceAccountFact {
    /// The value of an annotation.
    pub fn annotation(&self, key: &str) -> Option<&KeyValueFact> {
        self.annotations.iter().find(|a| a.key == key)
    }
}

/// A pod template: a Pod, or the template of a workload that creates pods.
#[derive(Clone, Debug)]
pub struct PodTemplateFact {
    /// The file it is in.
    pub file: SharedSource,
    /// The workload's kind and name, e.g. `Deployment web`.
    pub workload: String,
    /// The namespace the pods run in.
    pub namespace: String,
    /// The ServiceAccount the pods run as.
    pub service_account: String,
    /// The span of `serviceAccountName` when written.
    pub service_account_span: Option<Span>,
    /// The template's labels.
    pub labels: Vec<KeyValueFact>,
    /// The template's annotations.
    pub annotations: Vec<KeyValueFact>,
    /// The labels of the workload object itself (empty for a Pod, whose template it is).
    pub workload_labels: Vec<KeyValueFact>,
    /// Where to point when a label is missing (see [`crate::PodTemplate::labels_anchor`]).
    pub labels_anchor: Span,
    /// The workload and the key path of `labels_anchor`, for baselines and fingerprints.
    pub subject: Subject,
    /// How to add a label to the template, when akslint can edit it safely.
    pub label_insertion: Option<EntryInsertion>,
}

impl PodTemplateFact {
    /// A label of the template.
    pub fn label(&self, key: &str) -> Option<&KeyValueFact> {
        self.labels.iter().find(|l| l.key == key)
    }

    /// An annotation of the template.
    pub fn annotation(&self, key: &str) -> Option<&KeyValueFact> {
        self.annotations.iter().find(|a| a.key == key)
    }
}

/// The facts of one file.
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    /// ServiceAccounts.
    pub service_accounts: Vec<ServiceAccountFact>,
    /// Pod templates.
    pub pod_templates: Vec<PodTemplateFact>,
}

impl FileFacts {
    /// Whether the file contributed no facts.
    pub fn is_empty(&self) -> bool {
        self.service_accounts.is_empty() && self.pod_templates.is_empty()
    }

    /// Gathers the facts of one document's Kubernetes objects.
    pub fn collect(&mut self, file: &SharedSource, document: &Document, objects: &[K8sObject]) {
        let tree = &document.tree;
        for object in objects {
            if object.is("", "ServiceAccount") {
                let span = object
                    .metadata
                    .and_then(|m| tree.get(m, "name"))
                    .map_or_else(|| object.anchor_span(tree), |name| tree.span(name));
                self.service_accounts.push(ServiceAccountFact {
                    file: file.clone(),
                    span,
                    namespace: object.effective_namespace().to_owned(),
                    name: object.name.clone().unwrap_or_default(),
                    annotations: key_values(tree, object.annotations),
                });
            }
            if let Some(template) = &object.pod_template {
                let (service_account, service_account_span) = template.service_account(tree);
                let labels_anchor = template.labels_anchor(tree, object.anchor_span(tree));
                self.pod_templates.push(PodTemplateFact {
                    file: file.clone(),
                    workload: object.display_name(),
                    namespace: object.effective_namespace().to_owned(),
                    service_account: service_account.to_owned(),
                    service_account_span,
                    labels: key_values(tree, template.labels),
                    annotations: key_values(tree, template.annotations),
                    workload_labels: if template.node == object.node {
                        Vec::new()
                    } else {
                        key_values(tree, object.labels)
                    },
                    labels_anchor,
                    subject: Subject {
                        object: object.identity(),
                        path: tree.path_to(object.node, labels_anchor),
                    },
                    label_insertion: EntryInsertion::plan(
                        tree,
                        file.text(),
                        template.node,
                        &["metadata", "labels"],
                    ),
                });
            }
        }
    }
}

fn key_values(tree: &Tree, mapping: Option<crate::NodeId>) -> Vec<KeyValueFact> {
    let Some(mapping) = mapping else {
        return Vec::new();
    };
    tree.string_entries(mapping)
        .into_iter()
        .filter_map(|(key, entry)| {
            let scalar = tree.scalar(entry.value)?;
            Some(KeyValueFact {
                key: key.to_owned(),
                text: scalar.text.clone(),
                is_string: scalar.ty == crate::ScalarType::String,
                value_span: tree.span(entry.value),
            })
        })
        .collect()
}

/// Every fact of the run, sorted by file and position, with lookups the rules need.
#[derive(Debug, Default)]
pub struct ProjectIndex {
    /// The files of the run (findings in other files are moved onto the run, see the engine).
    pub run_files: BTreeSet<PathBuf>,
    /// The Azure resources the Bicep files of the run evaluate to.
    pub resources: Vec<AzureResource>,
    /// ServiceAccounts of every file.
    pub service_accounts: Vec<ServiceAccountFact>,
    /// Pod templates of every file.
    pub pod_templates: Vec<PodTemplateFact>,
    /// The declarations of the run's Bicep and `.bicepparam` files, sorted by path.
    pub bicep_files: Vec<BicepFile>,
    /// The values given to template parameters, sorted by where they are written.
    pub bindings: Vec<ParamBinding>,
    accounts_by_name: HashMap<(String, String), Vec<usize>>,
    bicep_secrets: OnceLock<Vec<BicepSecret>>,
}

impl ProjectIndex {
    /// Builds the index from the facts of every file of the run.
    pub fn new<'a>(files: impl IntoIterator<Item = &'a FileFacts>) -> ProjectIndex {
        let mut index = ProjectIndex::default();
        for facts in files {
            index
                .service_accounts
                .extend(facts.service_accounts.iter().cloned());
            index
                .pod_templates
                .extend(facts.pod_templates.iter().cloned());
        }
        index
            .service_accounts
            .sort_by(|a, b| (a.file.path(), a.span).cmp(&(b.file.path(), b.span)));
        index.pod_templates.sort_by(|a, b| {
            (a.file.path(), a.labels_anchor).cmp(&(b.file.path(), b.labels_anchor))
        });
        for (position, account) in index.service_accounts.iter().enumerate() {
            index
                .accounts_by_name
                .entry((account.namespace.clone(), account.name.clone()))
                .or_default()
                .push(position);
        }
        index
    }

    /// Adds the Azure resources of the run, sorted by file and position.
    pub fn with_resources(mut self, mut resources: Vec<AzureResource>) -> ProjectIndex {
        resources.sort_by(|a, b| {
            (a.file.path(), a.declaration_span, &a.via.len()).cmp(&(
                b.file.path(),
                b.declaration_span,
                &b.via.len(),
            ))
        });
        self.resources = resources;
        self
    }

    /// Adds what the Bicep evaluator produced: the resources, the files' declarations and the
    /// parameter values, each sorted.
    pub fn with_evaluation(mut self, evaluation: Evaluation) -> ProjectIndex {
        let Evaluation {
            resources,
            mut files,
            mut bindings,
            ..
        } = evaluation;
        files.sort_by(|a, b| a.file.path().cmp(b.file.path()));
        let key = |b: &ParamBinding| {
            (
                b.argument.file.path().to_owned(),
                b.argument.span,
                b.name.clone(),
                b.value
                    .as_ref()
                    .map(|v| (v.written.file.path().to_owned(), v.written.span)),
            )
        };
        bindings.sort_by_cached_key(key);
        // A module called from a template that is evaluated twice gives each argument twice.
        bindings.dedup_by(|a, b| key(a) == key(b));
        self.bicep_files = files;
        self.bindings = bindings;
        self.with_resources(resources)
    }

    /// The hardcoded secrets of the run's Bicep files, each placed under the rule for where it is
    /// written (computed once, for the rules that report them).
    pub fn bicep_secrets(&self) -> &[BicepSecret] {
        self.bicep_secrets
            .get_or_init(|| crate::secrets::bicep::find(self))
    }

    /// Records which files make up the run.
    pub fn with_run_files(mut self, files: impl IntoIterator<Item = PathBuf>) -> ProjectIndex {
        self.run_files = files.into_iter().collect();
        self
    }

    /// The ServiceAccounts with this namespace and name (more than one when several files
    /// define it), in file order.
    pub fn service_accounts_named(
        &self,
        namespace: &str,
        name: &str,
    ) -> impl Iterator<Item = &ServiceAccountFact> {
        self.accounts_by_name
            .get(&(namespace.to_owned(), name.to_owned()))
            .into_iter()
            .flatten()
            .map(|&i| &self.service_accounts[i])
    }
}
