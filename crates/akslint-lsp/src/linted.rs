//! A document's lint result, as kept for code actions, hover and pull requests.

use std::sync::Arc;

use akslint_core::{Diagnostic, SharedSource};
use akslint_engine::FileAnalysis;
use akslint_rules::Suppressions;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::position::Encoding;

/// The findings of one version of an open document.
#[derive(Debug)]
pub struct Linted {
    /// The document.
    pub uri: Uri,
    /// The client's version of the text linted.
    pub version: i32,
    /// The server's generation of the text linted (bumped on every open and change).
    pub generation: u64,
    /// The epoch of its project's stage (the cross-file findings) it was linted with.
    pub project_epoch: u64,
    /// The epoch of the configuration (`akslint.yaml`, client settings) it was linted under.
    pub config_epoch: u64,
    /// Which lint of the document this was (later lints win).
    pub seq: u64,
    /// The text linted, as akslint saw it.
    pub file: SharedSource,
    /// The findings shown (at or above the severity threshold), in output order.
    pub findings: Vec<Diagnostic>,
    /// The same findings as LSP diagnostics, in the same order.
    pub diagnostics: Vec<lsp::Diagnostic>,
    /// The file's suppression comments (for hover and for merging "ignore" actions).
    pub suppressions: Suppressions,
    /// The position encoding the diagnostics use.
    pub encoding: Encoding,
    /// The per-file analysis the findings were finished from: what writes a finding's fix when
    /// an action asks for it (with the kept parse).
    pub analysis: Option<Arc<FileAnalysis>>,
}
