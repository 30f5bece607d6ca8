//! Go `text/template` as Helm uses it: [`parse`] reads a template file into a [`Template`] whose
//! every node has the byte span it was read from; [`ParseCache`] keeps parses by their text.

mod ast;
mod cache;
mod lexer;
mod parser;

pub use ast::{Branch, Command, Define, Node, Operand, Pipeline, Template, TemplateError, Term};
pub use cache::{ParseCache, Parsed};
pub use parser::parse;
