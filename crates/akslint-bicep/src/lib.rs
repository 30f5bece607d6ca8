//! A lossless, error-tolerant lexer and parser for Azure Bicep (`.bicep`) and Bicep parameters (`.bicepparam`)
//! files.
//!
//! - [`parse`] / [`parse_params`] give a [`Parsed`]: a [`SyntaxTree`] and the syntax errors. Parsing never fails
//!   and never panics; errors are values and the tree still covers the whole input.
//! - The tree is lossless: every byte of the input (comments, whitespace, a byte-order mark, skipped garbage)
//!   is a token of the tree, so `parsed.tree.root().full_text() == input`.
//! - [`ast`] gives typed views over the tree for walking declarations, expressions and objects.
//! - [`lex`] gives the raw token stream.
//!
//! The grammar, the token kinds and the error recovery follow the Bicep compiler's own parser, so that files the
//! compiler accepts parse without errors and syntax errors are reported where the compiler reports them.
//!
//! ```
//! use akslint_bicep::ast::Declaration;
//!
//! let parsed = akslint_bicep::parse("resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {\n  name: 'aks'\n  properties: {\n    disableLocalAccounts: true\n  }\n}\n");
//! assert!(parsed.errors.is_empty());
//! for declaration in parsed.program().declarations() {
//!     if let Declaration::Resource(resource) = declaration {
//!         assert_eq!(resource.type_string().as_deref(), Some("Microsoft.ContainerService/managedClusters@2024-05-01"));
//!         let body = resource.body().unwrap();
//!         let properties = body.get("properties").and_then(|p| p.value()).and_then(|v| v.as_object()).unwrap();
//!         let local = properties.get("disableLocalAccounts").unwrap();
//!         assert_eq!(local.value().unwrap().syntax().text(), "true");
//!     }
//! }
//! ```

pub mod ast;
mod error;
mod eval;
mod fix;
mod front_end;
mod kind;
mod lexer;
mod parser;
mod string;
mod tree;

pub use error::{ErrorKind, Span, Symbol, SyntaxError};
pub use eval::{
    Evaluation, Note, evaluate, evaluate_arm, evaluate_arm_with, evaluate_each_group,
    evaluate_in_groups, evaluate_texts,
};
pub use front_end::BicepFrontEnd;
pub use kind::SyntaxKind;
pub use lexer::{Lexed, MAX_INPUT, Token, lex};
pub use parser::{FileKind, MAX_ERRORS, MAX_NESTING};
pub use tree::{Element, Node, SyntaxTree, TokenRef};

/// The result of parsing a file: the tree and the syntax errors (lexical and grammatical), in source order.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The lossless syntax tree.
    pub tree: SyntaxTree,
    /// The syntax errors; empty for a file the Bicep compiler parses without errors.
    pub errors: Vec<SyntaxError>,
}

impl Parsed {
    /// The typed view of the root node.
    pub fn program(&self) -> ast::Program<'_> {
        ast::Program::new(self.tree.root())
    }
}

/// Parses a `.bicep` file.
pub fn parse(text: &str) -> Parsed {
    parse_as(text, FileKind::Bicep)
}

/// Parses a `.bicepparam` file.
pub fn parse_params(text: &str) -> Parsed {
    parse_as(text, FileKind::Params)
}

/// Parses a file with the grammar of `kind`.
pub fn parse_as(text: &str, kind: FileKind) -> Parsed {
    let (tree, errors) = parser::parse(text, kind);
    Parsed { tree, errors }
}
