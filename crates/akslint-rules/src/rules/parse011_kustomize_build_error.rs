use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a kustomization (a folder's `kustomization.yaml`) that Kustomize cannot build,
    /// at the entry that failed: a resource, base or component that does not exist, a patch
    /// that does not parse or whose target is missing, two resources with the same identity,
    /// a cycle of bases, a generator file that cannot be read. The rest of the overlay is
    /// still built and linted.
    ///
    /// ## Why it matters
    /// akslint lints what an overlay deploys: its bases with its patches, generators and
    /// transformers applied. What does not build is not checked, and `kubectl apply -k` or
    /// Flux and Argo CD refuse the overlay too.
    ///
    /// ## Example
    /// An overlay whose base folder was renamed:
    /// ```yaml
    /// apiVersion: kustomize.config.k8s.io/v1beta1
    /// kind: Kustomization
    /// resources:
    ///   - ../bases/web
    /// ```
    ///
    /// ## Use instead
    /// Entries that resolve: a base folder that exists (with its own `kustomization.yaml`), or,
    /// as here, objects the kustomization makes itself:
    /// ```yaml
    /// apiVersion: kustomize.config.k8s.io/v1beta1
    /// kind: Kustomization
    /// configMapGenerator:
    ///   - name: web-settings
    ///     literals:
    ///       - LOG_LEVEL=info
    /// ```
    ///
    /// ## How to fix
    /// Point the entry at a file or folder that exists (a folder must hold a
    /// `kustomization.yaml`), fix the patch or its target, or break the cycle. `kubectl
    /// kustomize <folder>` shows the same error.
    ///
    /// ## References
    /// - [Kubernetes: declarative management with Kustomize](https://kubernetes.io/docs/tasks/manage-kubernetes-objects/kustomization/)
    /// - [Kustomize: the kustomization file](https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/)
    pub struct KustomizeBuildError {
        code: "PARSE011",
        name: "kustomize-build-error",
        family: Parse,
        severity: Error,
        security_severity: "5.0",
        summary: "A kustomization that cannot be built",
    }
}

impl Rule for KustomizeBuildError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        cx.report(&Self::META, ParseProblemKind::Build, out);
    }
}
