//! akslint's rules and what they share.
//!
//! - [`Rule`] and its contexts: the hooks a rule implements (a file's parse problems, a document,
//!   a Kubernetes object, an evaluated Azure resource, the project's facts, a file's
//!   suppressions).
//! - [`rules`]: every rule, one file each, and the [`registry`] that lists them.
//! - [`ProjectIndex`] and [`FileFacts`]: facts gathered from every file, for rules that link
//!   documents and files.
//! - [`secrets`]: judging values, names and embedded files for hardcoded secrets.
//! - [`suppression`]: `akslint-ignore` comments, the `akslint.io/ignore` annotation and pragmas.

pub mod aks;
pub mod bicep_edit;
pub mod index;
pub mod registry;
mod rule;
pub mod rules;
pub mod secrets;
pub mod suppression;
mod yaml_edit;

pub use index::{FileFacts, ProjectIndex};
pub use rule::{DocumentContext, ObjectContext, ParseContext, ResourceContext, Rule};
pub use suppression::Suppressions;
pub use yaml_edit::EntryInsertion;
