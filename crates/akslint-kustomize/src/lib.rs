//! akslint's Kustomize front end: a folder's `kustomization.yaml` built as `kubectl kustomize`
//! builds it (resources, components, generators, patches, transformers), in-process, with the
//! file and span that wrote every value of every built object, so that the Kubernetes rules run
//! on what the overlay deploys and every finding is placed where it was written.

pub mod build;
pub mod configurations;
pub mod emit;
pub mod files;
pub mod front_end;
pub mod generators;
pub mod helm_charts;
pub mod kustomization;
pub mod names;
pub mod node;
pub mod order;
pub mod patches;
pub mod replacements;
pub mod resource;
pub mod transformers;

pub use build::{Build, BuildError, Built, build};
pub use files::{DiskFiles, FileCache, Files};
pub use kustomization::{Kustomization, is_kustomization_file, kustomization_in};
pub use node::{Entry, Node, Origin, Value};
pub use resource::Resource;
