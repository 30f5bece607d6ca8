//! akslint's ARM JSON front end (in progress): Azure Resource Manager deployment templates
//! (`azuredeploy.json`, every compiled Bicep module) read with exact byte spans.
//!
//! - [`json`]: JSON as ARM reads it (comments, trailing commas and line breaks in strings
//!   allowed) into the core [`Tree`](akslint_core::Tree), every node with its span, duplicate
//!   property names reported as ARM refuses them (ignoring case).
//! - [`expression`]: the template expression language (`[concat(parameters('a'), 'b')]`), parsed
//!   with spans, `[[` escapes respected.
//!
//! Evaluation into the Azure model is done by the Bicep evaluator (`akslint_bicep::evaluate_arm`),
//! which shares its value model and functions with Bicep; the engine's discovery of templates is
//! the next step (issue 15); `docs/decisions.md` records the plan.

pub mod expression;
pub mod json;
