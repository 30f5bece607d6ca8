//! Patches: `patchesStrategicMerge`, `patches` (strategic merge or JSON 6902, by path or inline,
//! with `target` selectors) and `patchesJson6902`.

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::resource::Resource;

/// Applies the kustomization's `strategic_merge` step to the accumulated resources.
pub fn strategic_merge(
    kustomization: &Kustomization,
    resources: &mut Vec<Resource>,
    build: &mut Build,
) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `patches` step to the accumulated resources.
pub fn patches(kustomization: &Kustomization, resources: &mut Vec<Resource>, build: &mut Build) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `json6902` step to the accumulated resources.
pub fn json6902(kustomization: &Kustomization, resources: &mut Vec<Resource>, build: &mut Build) {
    let _ = (kustomization, resources, build);
}
