//! akslint's ARM JSON front end: Azure Resource Manager deployment templates
//! (`azuredeploy.json`, every compiled Bicep module) read with exact byte spans.
//!
//! - [`json`]: JSON as ARM reads it (comments, trailing commas and line breaks in strings
//!   allowed) into the core [`Tree`](akslint_core::Tree), every node with its span, duplicate
//!   property names reported as ARM refuses them (ignoring case).
//! - [`expression`]: the template expression language (`[concat(parameters('a'), 'b')]`), parsed
//!   with spans, `[[` escapes respected.
//!
//! - [`parse_file`]: what the engine needs of a file on its own (`PARSE` problems, comments).
//! - [`fix`]: fix plans written as JSON edits, where the edit is unambiguous.
//!
//! Evaluation into the Azure model is done by the Bicep evaluator (`akslint_bicep::evaluate_arm`),
//! which shares its value model and functions with Bicep: the Bicep front end takes ARM JSON
//! files ([`akslint_core::SourceKind::ArmTemplate`]) and calls this crate to read them.

pub mod expression;
pub mod fix;
mod front_end;
pub mod json;

pub use front_end::parse_file;
