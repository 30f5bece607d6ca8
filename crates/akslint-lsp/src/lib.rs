//! akslint's language server (`akslint lsp`), on `tower-lsp-server`.
//!
//! - Text sync is incremental; documents are linted on open and on every change, off the async
//!   runtime, without a fixed delay: at most one lint of a document runs at a time, and the
//!   changes made meanwhile are linted together right after it; a result is published only for
//!   the document version it was computed for. Diagnostics are pulled (`textDocument/diagnostic`,
//!   and `workspace/diagnostic` for every file of the workspace folders, closed ones included)
//!   when the client can, else pushed; closing a document clears them.
//! - Positions are UTF-16 unless the client offers UTF-8.
//! - Code actions: a finding's fix (preferred when safe), "ignore CODE on this line" (an
//!   `akslint-ignore` comment with a reason placeholder, merged into an existing one), and
//!   `source.fixAll.akslint`. Hover shows the rule's page on a finding or on a code in a
//!   suppression comment.
//! - A thin driver of the pipeline of `akslint check` (`akslint_engine`): the workspace's files
//!   are found with the same walker and read for their facts in the background at start; open
//!   documents are analysed in full and overlay their files; each project's stage (template
//!   evaluation, cross-file rules) is kept until one of its inputs changes; the same gate decides
//!   what is shown. For the same files it reports what `akslint check` reports. The workspace
//!   follows watched-file events and edits, and `akslint.yaml` changes apply without a restart;
//!   while it is invalid, its problems are diagnostics in it and the other files keep the
//!   findings of its last valid version.
//! - `workspace/executeCommand` [`LINT_WORKSPACE_COMMAND`] lints every file of the workspace
//!   folders (the closed ones from disk, through the same cache as `workspace/diagnostic`). A
//!   client that pulls is asked to pull again; to one that does not, the closed files' findings
//!   are published, and from then on they follow their changes on disk and their project's, and
//!   an opened file's are replaced by the document's own.
//!
//! The server takes its [`Engine`] from the caller (the CLI passes one with every front end of
//! its build), so this crate does not depend on the CLI.

mod actions;
mod builds;
mod convert;
mod hover;
mod linted;
mod open_texts;
mod position;
mod server;
mod settings;
mod transport;
mod workspace;

use akslint_engine::Engine;
use tower_lsp_server::{ClientSocket, LspService, Server};

pub use actions::FIX_ALL_KIND;
pub use akslint_rules::suppression::REASON_PLACEHOLDER;
pub use server::{AkslintServer, LINT_WORKSPACE_COMMAND, ServerOptions, ShutdownFlag};
pub use settings::Settings;

/// The language server as a `tower` service, and the socket its messages to the client come
/// out of (for tests and for [`serve`]).
pub fn new_service(
    engine: Engine,
    options: ServerOptions,
) -> (LspService<AkslintServer>, ClientSocket) {
    LspService::build(move |client| AkslintServer::new(client, engine, options))
        .custom_method(transport::MALFORMED_NOTIFICATION, AkslintServer::malformed)
        .custom_method(transport::INVALID_REQUEST, AkslintServer::invalid_request)
        .finish()
}

/// Serves the protocol on `input` and `output` until the client sends `exit` or closes the
/// input; returns whether the client asked to shut down first.
pub async fn serve<I, O>(engine: Engine, options: ServerOptions, input: I, output: O) -> bool
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let (service, socket) = new_service(engine, options);
    let shutdown = service.inner().shutdown_flag();
    // Malformed messages are replaced before the protocol library sees them (see `transport`).
    let (input, pump) = transport::sanitize(input);
    let server = Server::new(input, output, socket).serve(service);
    tokio::pin!(server);
    tokio::pin!(pump);
    tokio::select! {
        () = &mut server => {}
        () = &mut pump => server.await,
    }
    shutdown.requested()
}

/// Runs the server on stdin and stdout (`akslint lsp`). Returns the process's exit code: 0
/// after `shutdown` and `exit`, 1 when the client exited without `shutdown` or went away, 2
/// when the runtime could not start.
pub fn run_stdio(engine: Engine) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("akslint-lsp")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("akslint: error: cannot start the language server's runtime: {err}");
            return 2;
        }
    };
    let clean = runtime.block_on(async {
        serve(
            engine,
            ServerOptions::default(),
            tokio::io::stdin(),
            tokio::io::stdout(),
        )
        .await
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    if clean { 0 } else { 1 }
}
