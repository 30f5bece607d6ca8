//! The built-in transformers: `namespace`, `namePrefix`/`nameSuffix`, `labels`/`commonLabels`,
//! `commonAnnotations`, `replicas` and `images`.

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::resource::Resource;

/// Applies the kustomization's `namespace` step to the accumulated resources.
pub fn namespace(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `name_prefix_and_suffix` step to the accumulated resources.
pub fn name_prefix_and_suffix(
    kustomization: &Kustomization,
    resources: &mut [Resource],
    build: &mut Build,
) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `labels` step to the accumulated resources.
pub fn labels(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `annotations` step to the accumulated resources.
pub fn annotations(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `replicas` step to the accumulated resources.
pub fn replicas(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `images` step to the accumulated resources.
pub fn images(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let _ = (kustomization, resources, build);
}
