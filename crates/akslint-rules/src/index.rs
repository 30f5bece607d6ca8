//! The run-wide index: facts gathered from every document of every file, for rules that link
//! documents and files (a pod and its ServiceAccount, a cluster and its workloads).
//!
//! Facts are collected per file while the file's tree is at hand ([`FileFacts::collect`]), kept
//! small (strings, spans, planned edits) and joined once all files are read. The index is sorted
//! by file and position, so results never depend on the order files were read in.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::EntryInsertion;
use crate::secrets::bicep::BicepSecret;
use akslint_core::{
    AzureResource, BicepFile, Diagnostic, Document, Evaluation, K8sObject, Label, Location,
    ParamBinding, SharedSource, Span, Subject, Tree,
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
    /// Where to point when a label is missing (see [`akslint_core::PodTemplate::labels_anchor`]).
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

/// A GitOps agent that pulls deployments into a cluster from inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GitopsAgent {
    /// Flux (`*.toolkit.fluxcd.io`, the Flux Operator, the `microsoft.flux` cluster extension).
    Flux,
    /// Argo CD (`argoproj.io` applications, an Argo CD install, the `Microsoft.ArgoCD` cluster
    /// extension).
    ArgoCd,
}

impl GitopsAgent {
    /// The agent's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            GitopsAgent::Flux => "Flux",
            GitopsAgent::ArgoCd => "Argo CD",
        }
    }
}

/// A Kubernetes object of interest to a cross-file rule: where it is and what it is.
#[derive(Clone, Debug)]
pub struct ObjectFact {
    /// The file it is in.
    pub file: SharedSource,
    /// Where to point at it: its `metadata.name` value, else its `kind`.
    pub span: Span,
    /// The object's identity, e.g. `Kustomization flux-system/apps` (see
    /// [`K8sObject::identity`]).
    pub object: String,
}

/// A manifest that shows a GitOps agent runs in the cluster: a Flux or Argo CD object, its
/// custom resource definition, its controllers or its namespace.
#[derive(Clone, Debug)]
pub struct GitopsAgentFact {
    /// Which agent.
    pub agent: GitopsAgent,
    /// The object.
    pub at: ObjectFact,
}

/// A `SecretProviderClass` (`secrets-store.csi.x-k8s.io`): what the Secrets Store CSI driver
/// mounts into pods.
#[derive(Clone, Debug)]
pub struct SecretProviderClassFact {
    /// The object.
    pub at: ObjectFact,
    /// Its namespace (`default` when none is written).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// `spec.provider` (`azure`, `vault`, …), when it is a string.
    pub provider: Option<String>,
    /// `spec.parameters.usePodIdentity`, when written.
    pub use_pod_identity: Option<KeyValueFact>,
    /// The object and the key path of `at.span`, for baselines and fingerprints.
    pub subject: Subject,
}

/// The facts of one file.
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    /// ServiceAccounts.
    pub service_accounts: Vec<ServiceAccountFact>,
    /// Pod templates.
    pub pod_templates: Vec<PodTemplateFact>,
    /// Manifests of GitOps agents.
    pub gitops_agents: Vec<GitopsAgentFact>,
    /// SecretProviderClasses.
    pub secret_provider_classes: Vec<SecretProviderClassFact>,
    /// `CSIDriver` objects named `secrets-store.csi.k8s.io`: the Secrets Store CSI driver
    /// installed from manifests (a Helm chart) rather than as the AKS add-on.
    pub secrets_store_drivers: Vec<ObjectFact>,
}

impl FileFacts {
    /// Whether the file contributed no facts.
    pub fn is_empty(&self) -> bool {
        self.service_accounts.is_empty()
            && self.pod_templates.is_empty()
            && self.gitops_agents.is_empty()
            && self.secret_provider_classes.is_empty()
            && self.secrets_store_drivers.is_empty()
    }

    /// Gathers the facts of one document's Kubernetes objects.
    pub fn collect(&mut self, file: &SharedSource, document: &Document, objects: &[K8sObject]) {
        let tree = &document.tree;
        for object in objects {
            let at = || ObjectFact {
                file: file.clone(),
                span: name_span(tree, object),
                object: object.identity(),
            };
            if let Some(agent) = gitops_agent(object) {
                self.gitops_agents.push(GitopsAgentFact { agent, at: at() });
            }
            if object.is(SECRETS_STORE_GROUP, "SecretProviderClass") {
                self.secret_provider_classes
                    .push(secret_provider_class(tree, object, at()));
            }
            if object.is("storage.k8s.io", "CSIDriver")
                && object.name.as_deref() == Some(SECRETS_STORE_DRIVER)
            {
                self.secrets_store_drivers.push(at());
            }
            if object.is("", "ServiceAccount") {
                self.service_accounts.push(ServiceAccountFact {
                    file: file.clone(),
                    span: name_span(tree, object),
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

/// The API group of SecretProviderClass.
const SECRETS_STORE_GROUP: &str = "secrets-store.csi.x-k8s.io";
/// The name of the Secrets Store CSI driver's `CSIDriver` object.
const SECRETS_STORE_DRIVER: &str = "secrets-store.csi.k8s.io";

/// Where to point at an object: its `metadata.name` value, else its `kind`.
fn name_span(tree: &Tree, object: &K8sObject) -> Span {
    object
        .metadata
        .and_then(|m| tree.get(m, "name"))
        .map_or_else(|| object.anchor_span(tree), |name| tree.span(name))
}

/// The GitOps agent an object belongs to, if any: Flux's and the Flux Operator's resources
/// (every `*.toolkit.fluxcd.io` group, `fluxcd.controlplane.io`), Argo CD's applications and
/// projects (not Argo Workflows' or Rollouts' kinds, which share `argoproj.io`), their custom
/// resource definitions, Argo CD's controllers, and the namespaces `flux-system` and `argocd`.
fn gitops_agent(object: &K8sObject) -> Option<GitopsAgent> {
    const ARGO_CD_KINDS: [&str; 3] = ["Application", "ApplicationSet", "AppProject"];
    const ARGO_CD_WORKLOADS: [&str; 3] = [
        "argocd-server",
        "argocd-application-controller",
        "argocd-repo-server",
    ];
    let group = object.group();
    let name = object.name.as_deref().unwrap_or_default();
    let is_flux_group =
        |group: &str| group.ends_with(".toolkit.fluxcd.io") || group == "fluxcd.controlplane.io";
    if is_flux_group(group) {
        return Some(GitopsAgent::Flux);
    }
    if group == "argoproj.io" && ARGO_CD_KINDS.contains(&object.kind.as_str()) {
        return Some(GitopsAgent::ArgoCd);
    }
    if object.is("apiextensions.k8s.io", "CustomResourceDefinition") {
        let (plural, crd_group) = name.split_once('.')?;
        if is_flux_group(crd_group) {
            return Some(GitopsAgent::Flux);
        }
        let argo_cd_plurals = ["applications", "applicationsets", "appprojects"];
        return (crd_group == "argoproj.io" && argo_cd_plurals.contains(&plural))
            .then_some(GitopsAgent::ArgoCd);
    }
    if (object.is("apps", "Deployment") || object.is("apps", "StatefulSet"))
        && ARGO_CD_WORKLOADS.contains(&name)
    {
        return Some(GitopsAgent::ArgoCd);
    }
    match (object.is("", "Namespace"), name) {
        (true, "flux-system") => Some(GitopsAgent::Flux),
        (true, "argocd") => Some(GitopsAgent::ArgoCd),
        _ => None,
    }
}

fn secret_provider_class(
    tree: &Tree,
    object: &K8sObject,
    at: ObjectFact,
) -> SecretProviderClassFact {
    let spec = tree.get(object.node, "spec");
    let provider = spec
        .and_then(|s| tree.get(s, "provider"))
        .and_then(|p| tree.str(p))
        .map(str::to_owned);
    let use_pod_identity = spec
        .and_then(|s| tree.get(s, "parameters"))
        .filter(|&p| tree.is_mapping(p))
        .and_then(|p| {
            key_values(tree, Some(p))
                .into_iter()
                .find(|kv| kv.key == "usePodIdentity")
        });
    let subject = Subject {
        object: at.object.clone(),
        path: tree.path_to(object.node, at.span),
    };
    SecretProviderClassFact {
        namespace: object.effective_namespace().to_owned(),
        name: object.name.clone().unwrap_or_default(),
        provider,
        use_pod_identity,
        subject,
        at,
    }
}

fn key_values(tree: &Tree, mapping: Option<akslint_core::NodeId>) -> Vec<KeyValueFact> {
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
                is_string: scalar.ty == akslint_core::ScalarType::String,
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
    /// Manifests of GitOps agents in every file.
    pub gitops_agents: Vec<GitopsAgentFact>,
    /// SecretProviderClasses of every file.
    pub secret_provider_classes: Vec<SecretProviderClassFact>,
    /// Secrets Store CSI drivers installed from manifests, in every file.
    pub secrets_store_drivers: Vec<ObjectFact>,
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
            index
                .gitops_agents
                .extend(facts.gitops_agents.iter().cloned());
            index
                .secret_provider_classes
                .extend(facts.secret_provider_classes.iter().cloned());
            index
                .secrets_store_drivers
                .extend(facts.secrets_store_drivers.iter().cloned());
        }
        let by_place =
            |a: &ObjectFact, b: &ObjectFact| (a.file.path(), a.span).cmp(&(b.file.path(), b.span));
        index
            .gitops_agents
            .sort_by(|a, b| by_place(&a.at, &b.at).then(a.agent.cmp(&b.agent)));
        index
            .secret_provider_classes
            .sort_by(|a, b| by_place(&a.at, &b.at));
        index.secrets_store_drivers.sort_by(by_place);
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

    /// Whether the run defines any ServiceAccount in this namespace (so that one missing from
    /// it is likely a mistake rather than created by something outside the run).
    pub fn has_service_accounts_in(&self, namespace: &str) -> bool {
        self.service_accounts
            .iter()
            .any(|a| a.namespace == namespace)
    }

    /// A ServiceAccount of this name in another namespace than `namespace`: the usual cause of
    /// a ServiceAccount that is not found.
    pub fn namesake_service_account(
        &self,
        namespace: &str,
        name: &str,
    ) -> Option<&ServiceAccountFact> {
        self.service_accounts
            .iter()
            .find(|a| a.name == name && a.namespace != namespace)
    }

    /// The module call of the run that instantiated `resource`, when the resource is declared
    /// in a file outside the run (a module file read through the loader).
    pub fn call_in_run<'r>(&self, resource: &'r AzureResource) -> Option<&'r Location> {
        if self.run_files.is_empty() || self.run_files.contains(resource.file.path()) {
            return None;
        }
        resource
            .via
            .iter()
            .find(|call| self.run_files.contains(call.file.path()))
    }

    /// Where to point at a place in `resource`'s file from the run: the place itself, or the
    /// module call of the run that instantiated the resource when its file is outside the run.
    pub fn in_run(&self, resource: &AzureResource, place: Location) -> Location {
        match self.call_in_run(resource) {
            Some(call) if place.file.path() == resource.file.path() => call.clone(),
            _ => place,
        }
    }

    /// Moves a finding on a resource declared in a file outside the run (a module file read
    /// through the loader) onto the module call in the run that instantiated it, pointing into
    /// the module file with a label. Other findings are returned as they are.
    pub fn onto_run(&self, diagnostic: Diagnostic, resource: &AzureResource) -> Diagnostic {
        if self.run_files.contains(diagnostic.file.path()) {
            return diagnostic;
        }
        let Some(call) = self.call_in_run(resource) else {
            return diagnostic;
        };
        let original = diagnostic;
        let mut diagnostic = Diagnostic::new(
            original.rule,
            &call.file,
            call.span,
            format!(
                "in module {}: {}",
                original.file.path().display(),
                original.message
            ),
        );
        diagnostic.severity = original.severity;
        diagnostic.help = original.help;
        diagnostic.subject = original.subject;
        diagnostic.labels = original.labels;
        diagnostic.labels.insert(
            0,
            Label {
                file: original.file.clone(),
                span: original.span,
                message: "the setting in the module".to_owned(),
            },
        );
        diagnostic
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

#[cfg(test)]
mod tests {
    use super::{GitopsAgent, gitops_agent};
    use akslint_core::{K8sObject, NodeKind, Span, Tree};

    fn object(api_version: &str, kind: &str, name: &str) -> K8sObject {
        let node = Tree::new().push(NodeKind::Mapping(Vec::new()), Span::empty(0));
        K8sObject {
            node,
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            name: Some(name.to_owned()),
            namespace: None,
            metadata: None,
            labels: None,
            annotations: None,
            pod_template: None,
        }
    }

    #[test]
    fn gitops_agents_are_told_by_group_kind_and_name() {
        let flux = Some(GitopsAgent::Flux);
        let argo_cd = Some(GitopsAgent::ArgoCd);
        for (api_version, kind, name, agent) in [
            (
                "source.toolkit.fluxcd.io/v1",
                "GitRepository",
                "platform",
                flux,
            ),
            (
                "image.toolkit.fluxcd.io/v1beta2",
                "ImagePolicy",
                "api",
                flux,
            ),
            ("fluxcd.controlplane.io/v1", "FluxInstance", "flux", flux),
            (
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "kustomizations.kustomize.toolkit.fluxcd.io",
                flux,
            ),
            ("v1", "Namespace", "flux-system", flux),
            ("argoproj.io/v1alpha1", "Application", "shop", argo_cd),
            ("argoproj.io/v1alpha1", "AppProject", "default", argo_cd),
            (
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "applicationsets.argoproj.io",
                argo_cd,
            ),
            ("apps/v1", "Deployment", "argocd-server", argo_cd),
            ("v1", "Namespace", "argocd", argo_cd),
            // Other Argo projects share the group; other objects share the names.
            ("argoproj.io/v1alpha1", "Rollout", "shop", None),
            ("argoproj.io/v1alpha1", "Workflow", "nightly", None),
            (
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                "rollouts.argoproj.io",
                None,
            ),
            ("v1", "Service", "argocd-server", None),
            ("v1", "ConfigMap", "flux-system", None),
            ("fluxcd.io/v1", "HelmRelease", "legacy", None),
        ] {
            assert_eq!(
                gitops_agent(&object(api_version, kind, name)),
                agent,
                "{api_version} {kind} {name}"
            );
        }
    }
}
