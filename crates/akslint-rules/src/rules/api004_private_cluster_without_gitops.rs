use crate::facts::{Fact, FactKind, ObjectFact};
use crate::rules::{MANAGED_CLUSTERS, private_cluster};
use crate::{ObjectContext, ProjectIndex, Rule, Templates};
use akslint_core::{AzureResource, Diagnostic, K8sObject, RuleMeta, Setting, declare_rule};

/// The cluster extension resource type.
const EXTENSIONS: &str = "Microsoft.KubernetesConfiguration/extensions";
/// A Flux configuration: it needs (and, created from the CLI, installs) the Flux extension.
const FLUX_CONFIGURATIONS: &str = "Microsoft.KubernetesConfiguration/fluxConfigurations";
/// The extension types of GitOps agents, compared ignoring case.
const GITOPS_EXTENSION_TYPES: [&str; 2] = ["microsoft.flux", "Microsoft.ArgoCD"];

declare_rule! {
    /// ## What it does
    /// Reports, for information, a private AKS cluster (`Microsoft.ContainerService/
    /// managedClusters` with `apiServerAccessProfile.enablePrivateCluster: true`, also in
    /// modules, conditions and loops; not `existing`) when nothing in the run sets up a GitOps
    /// agent to deploy into it. The run counts as having one when any file of it holds
    ///
    /// - a `Microsoft.KubernetesConfiguration/extensions` resource whose `extensionType` is
    ///   `microsoft.flux` or `Microsoft.ArgoCD` (ignoring case; an extension type only known at
    ///   deployment counts too), or a `Microsoft.KubernetesConfiguration/fluxConfigurations`
    ///   resource, in any Bicep file or module of the run;
    /// - Flux manifests: objects of the `*.toolkit.fluxcd.io` groups (`GitRepository`,
    ///   `Kustomization`, `HelmRelease`, …) or of the Flux Operator (`fluxcd.controlplane.io`),
    ///   their custom resource definitions, or the `flux-system` namespace;
    /// - Argo CD manifests: `Application`, `ApplicationSet` or `AppProject` (`argoproj.io`),
    ///   their custom resource definitions, the `argocd-server`, `argocd-repo-server` or
    ///   `argocd-application-controller` workloads, or the `argocd` namespace.
    ///
    /// The check is run-wide: an extension resource's `scope` is not matched to a cluster, so
    /// one agent anywhere in the run satisfies every cluster. The finding is on
    /// `enablePrivateCluster` (where its value is written).
    ///
    /// ## Why it matters
    /// A private cluster's API server is only reachable from its virtual network, so a CI/CD
    /// pipeline on hosted runners cannot deploy to it. Teams then open the API server again
    /// (authorized ranges for the runners, a public FQDN, a jump box with standing
    /// credentials) or hand pipelines cluster-admin kubeconfigs. A GitOps agent in the cluster
    /// pulls the desired state from Git instead, so nothing outside needs to reach the API
    /// server. A self-hosted runner inside the network is the other sound option; if that is
    /// how you deploy, suppress this finding with that reason.
    ///
    /// ## Example
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     apiServerAccessProfile: {
    ///       enablePrivateCluster: true
    ///       enablePrivateClusterPublicFQDN: false
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
    ///   name: 'aks-prod'
    ///   location: 'westeurope'
    ///   identity: { type: 'SystemAssigned' }
    ///   properties: {
    ///     dnsPrefix: 'aks-prod'
    ///     disableLocalAccounts: true
    ///     aadProfile: { managed: true, enableAzureRBAC: true }
    ///     oidcIssuerProfile: { enabled: true }
    ///     securityProfile: { workloadIdentity: { enabled: true } }
    ///     apiServerAccessProfile: {
    ///       enablePrivateCluster: true
    ///       enablePrivateClusterPublicFQDN: false
    ///     }
    ///     addonProfiles: {
    ///       azureKeyvaultSecretsProvider: {
    ///         enabled: true
    ///         config: { enableSecretRotation: 'true' }
    ///       }
    ///     }
    ///   }
    /// }
    ///
    /// resource flux 'Microsoft.KubernetesConfiguration/extensions@2023-05-01' = {
    ///   name: 'flux'
    ///   scope: aks
    ///   properties: {
    ///     extensionType: 'microsoft.flux'
    ///     autoUpgradeMinorVersion: true
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Install the Flux cluster extension with a `Microsoft.KubernetesConfiguration/extensions`
    /// resource scoped to the cluster (`extensionType: 'microsoft.flux'`) and point a
    /// `fluxConfigurations` resource at your repository, or install Argo CD (the
    /// `Microsoft.ArgoCD` extension, or its manifests). If you deploy from a self-hosted agent
    /// inside the virtual network, suppress the finding and say so.
    ///
    /// ## References
    /// - [GitOps Flux v2 configurations with AKS and Azure Arc-enabled Kubernetes](https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-gitops-flux2)
    /// - [Create a private AKS cluster: options for connecting to the private cluster](https://learn.microsoft.com/azure/aks/private-clusters)
    /// - [Microsoft.KubernetesConfiguration extensions](https://learn.microsoft.com/azure/templates/microsoft.kubernetesconfiguration/extensions)
    pub struct PrivateClusterWithoutGitops {
        code: "API004",
        name: "private-cluster-without-gitops",
        family: Api,
        severity: Info,
        security_severity: "2.0",
        summary: "A private AKS cluster with no GitOps agent in the run to deploy into it",
    }
}

impl Rule for PrivateClusterWithoutGitops {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn facts(&self) -> &'static [FactKind] {
        const FACTS: &[FactKind] = &[FactKind::of::<GitopsAgentFact>()];
        FACTS
    }

    fn template_types(&self) -> &'static [&'static str] {
        &[MANAGED_CLUSTERS, EXTENSIONS, FLUX_CONFIGURATIONS]
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        if index.facts::<GitopsAgentFact>().next().is_some() {
            return;
        }
        // What the templates alone give is found once per project, for every scope.
        let found = index.templates_memo(UnreachableClusters::of);
        out.extend(found.0.iter().cloned());
    }
}

/// The findings on the private clusters of a project's templates when no manifest installs a
/// GitOps agent: none when the templates install one.
struct UnreachableClusters(Vec<Diagnostic>);

impl UnreachableClusters {
    /// The findings on `templates`' private clusters.
    fn of(templates: &Templates) -> UnreachableClusters {
        let mut found = Vec::new();
        if templates.resources.iter().any(installs_gitops_agent) {
            return UnreachableClusters(found);
        }
        for cluster in &templates.resources {
            let Some(private) = private_cluster(cluster) else {
                continue;
            };
            let diagnostic = cluster
                .finding(
                    &PrivateClusterWithoutGitops::META,
                    Some(private),
                    format!(
                        "AKS cluster {} is private, and nothing in this run installs a GitOps agent (no Flux or Argo CD cluster extension, no Flux or Argo CD manifests): deployments from outside its virtual network cannot reach the API server",
                        cluster.label()
                    ),
                )
                .with_help("add the Flux cluster extension (`Microsoft.KubernetesConfiguration/extensions` with `extensionType: 'microsoft.flux'`) or Argo CD; if you deploy from a runner inside the network, suppress this with that reason");
            found.push(templates.onto_run(diagnostic, cluster));
        }
        UnreachableClusters(found)
    }
}

/// Whether a resource installs, or may install, a GitOps agent: a cluster extension of a
/// GitOps type (or of a type only known at deployment), or a Flux configuration.
fn installs_gitops_agent(resource: &AzureResource) -> bool {
    if resource.is_type(FLUX_CONFIGURATIONS) {
        return true;
    }
    if !resource.is_type(EXTENSIONS) {
        return false;
    }
    match resource.property(&["extensionType"]) {
        Setting::Unknown => true,
        Setting::NotSet => false,
        Setting::Value(node) => resource.body.str(node).is_none_or(|extension_type| {
            GITOPS_EXTENSION_TYPES
                .iter()
                .any(|t| t.eq_ignore_ascii_case(extension_type.trim()))
        }),
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

/// A manifest that shows a GitOps agent runs in the cluster: a Flux or Argo CD object, its
/// custom resource definition, its controllers or its namespace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GitopsAgentFact {
    /// Which agent.
    pub agent: GitopsAgent,
    /// The object.
    pub at: ObjectFact,
}

impl Fact for GitopsAgentFact {
    fn collect(cx: &ObjectContext<'_>, out: &mut Vec<Self>) {
        if let Some(agent) = gitops_agent(cx.object) {
            out.push(GitopsAgentFact {
                agent,
                at: ObjectFact::of(cx.tree(), cx.object),
            });
        }
    }
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
