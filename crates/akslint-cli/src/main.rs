//! The `akslint` binary.

use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let terminal = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // The handles are not locked for the whole run: `akslint lsp` reads and writes them from
    // its own threads. `check` writes its report through a buffer of its own (JSON and SARIF as
    // they are made).
    let code = akslint_cli::run(
        std::env::args_os(),
        &mut std::io::stdin(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
        terminal,
    );
    ExitCode::from(code)
}
