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
pub mod facts;
pub mod index;
pub mod memo;
pub mod registry;
pub mod resource_fix;
mod rule;
pub mod rules;
pub mod secrets;
pub mod suppression;

pub use facts::FileFacts;
pub use index::{ProjectIndex, Scopes, Templates};
pub use rule::{
    DocumentContext, FixWriter, ObjectContext, ParseContext, ResourceContext, Rule,
    SuppressionContext,
};
pub use suppression::Suppressions;
