//! `helmCharts`: charts inflated by akslint's in-process Helm renderer.

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::resource::Resource;

/// Applies the kustomization's `inflate` step to the accumulated resources.
pub fn inflate(kustomization: &Kustomization, resources: &mut Vec<Resource>, build: &mut Build) {
    let _ = (kustomization, resources, build);
}
