//! akslint's ARM JSON front end (in progress): Azure Resource Manager deployment templates
//! (`azuredeploy.json`, every compiled Bicep module) read with exact byte spans.
//!
//! - [`json`]: JSON as ARM reads it (comments, trailing commas and line breaks in strings
//!   allowed) into the core [`Tree`](akslint_core::Tree), every node with its span, duplicate
//!   property names reported as ARM refuses them (ignoring case).
//! - [`expression`]: the template expression language (`[concat(parameters('a'), 'b')]`), parsed
//!   with spans, `[[` escapes respected.
//!
//! Evaluation into the Azure model, parameter files and the engine's discovery of templates are
//! the next steps (issue 15); `docs/decisions.md` records the plan.

pub mod expression;
pub mod json;
