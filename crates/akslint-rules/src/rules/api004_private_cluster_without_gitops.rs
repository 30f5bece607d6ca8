use crate::rules::private_cluster;
use crate::{ProjectIndex, Rule};
use akslint_core::{AzureResource, Diagnostic, RuleMeta, Setting, declare_rule};

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

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        if !index.gitops_agents.is_empty() || index.resources.iter().any(installs_gitops_agent) {
            return;
        }
        for cluster in &index.resources {
            let Some(private) = private_cluster(cluster) else {
                continue;
            };
            let diagnostic = cluster
                .finding(
                    &Self::META,
                    Some(private),
                    format!(
                        "AKS cluster `{}` is private, and nothing in this run installs a GitOps agent (no Flux or Argo CD cluster extension, no Flux or Argo CD manifests): deployments from outside its virtual network cannot reach the API server",
                        cluster.symbolic_name
                    ),
                )
                .with_help("add the Flux cluster extension (`Microsoft.KubernetesConfiguration/extensions` with `extensionType: 'microsoft.flux'`) or Argo CD; if you deploy from a runner inside the network, suppress this with that reason");
            out.push(index.onto_run(diagnostic, cluster));
        }
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
