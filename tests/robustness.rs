//! No input breaks akslint: a property test over seeded mutants of every fixture of `corpus/`,
//! through the command line and through the language server (stable Rust, bounded in time).
//!
//! Each mutant is a fixture with a few edits: YAML and Bicep punctuation, blanks and breaks of
//! every kind, control characters and invalid UTF-8 inserted; characters removed; lines
//! re-indented, swapped, joined; a slice repeated up to a few hundred kilobytes; the file cut at
//! any byte. The properties:
//!
//! - the command line (`akslint check` on stdin, named as the fixture so its folder's modules and
//!   configuration apply; in-process through `akslint_cli::run`) never panics, exits 0 or 1,
//!   writes every format (human, JSON, SARIF valid against the SARIF 2.1.0 schema, GitHub
//!   annotations, well-formed JUnit XML), and writes no control character to the terminal or a
//!   CI log; fixing (`--diff --unsafe-fixes`) never fails either; a mutated `akslint.yaml` is either
//!   used or refused with an error, never a panic;
//! - the language server (in-process, over framed bytes as an editor sends them) answers every
//!   request of a session of opens, incremental edits, pulls, code actions and hovers over the
//!   mutants, its diagnostics lie inside the document as the client holds it (so the server's
//!   copy of the text follows the client's), and it shuts down cleanly at the end.
//!
//! A watchdog aborts the run, naming the input, when one input takes more than
//! [`HANG_SECONDS`]: a hang, not a speed goal (speed lives in `docs/benchmarks.md`). Failing
//! inputs are written under the target folder to be replayed.

use std::ffi::OsString;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use akslint_tests::{Rng, YAML_INSERTS, files_under, mutate, workspace_root};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// Mutants through the command line per run.
const CLI_MUTANTS: usize = 1_500;
/// Mutated `akslint.yaml` files per run.
const CONFIG_MUTANTS: usize = 300;
/// Mutants opened in the language server per run.
const LSP_MUTANTS: usize = 250;
/// One input taking longer than this (debug build) is a hang.
const HANG_SECONDS: u64 = 120;

/// What the mutations insert besides YAML's punctuation ([`YAML_INSERTS`]): Bicep's and
/// templates' syntax, characters a terminal or an XML reader must never receive raw, words that
/// make a value look like a secret.
const MORE_INSERTS: &[&str] = &[
    "{{ .Values.x }}",
    "{{-",
    "${",
    "'''",
    "//",
    "/*",
    "*/",
    "@secure()\n",
    "resource ",
    "module ",
    "param ",
    "var ",
    "output ",
    "for i in range(0, 9): ",
    "if (true) ",
    "?.",
    "=>",
    "\u{0}",
    "\u{1b}[31m",
    "\u{7}",
    "\u{fffe}",
    "\u{ffff}",
    "😀",
    "e\u{301}",
    "password: ",
    "token=",
    "AccountKey=",
    "-----BEGIN PRIVATE KEY-----\n",
];

/// Every insert of the mutations.
fn inserts() -> Vec<&'static str> {
    YAML_INSERTS.iter().chain(MORE_INSERTS).copied().collect()
}

/// The fixtures mutated: every YAML and Bicep file of `corpus/`, with its text.
fn fixtures() -> Vec<(PathBuf, String)> {
    let corpus = workspace_root().join("corpus");
    files_under(&corpus, &["yaml", "yml", "bicep", "bicepparam"])
        .into_iter()
        .filter(|path| !path.ends_with("akslint.yaml"))
        .map(|path| {
            let path = corpus.join(path);
            // A few fixtures are not UTF-8 on purpose (PARSE005); mutants may break it anyway.
            let text =
                String::from_utf8_lossy(&std::fs::read(&path).expect("a fixture")).into_owned();
            (path, text)
        })
        .collect()
}

/// One mutant of `seed`, as bytes: text edits, and sometimes a slice repeated, invalid UTF-8
/// inserted or the file cut at any byte.
fn mutant(seed: &str, rng: &mut Rng) -> Vec<u8> {
    let mut bytes = mutate(seed, &inserts(), 4, rng).into_bytes();
    match rng.below(10) {
        0 if !bytes.is_empty() => {
            let start = rng.below(bytes.len());
            let end = (start + 1 + rng.below(200)).min(bytes.len());
            let slice = bytes[start..end].to_vec();
            let times = 1 + rng.below(400_000 / slice.len().max(1)).min(2_000);
            let repeated: Vec<u8> = slice.repeat(times);
            bytes.splice(end..end, repeated);
        }
        1 => {
            let at = rng.below(bytes.len() + 1);
            let invalid: &[&[u8]] = &[b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"];
            bytes.splice(at..at, invalid[rng.below(invalid.len())].iter().copied());
        }
        2 => bytes.truncate(rng.below(bytes.len() + 1)),
        _ => {}
    }
    bytes
}

/// The input being run: its name, its bytes and when it started.
type Running = Option<(String, Vec<u8>, Instant)>;

/// Aborts the process when one input runs longer than [`HANG_SECONDS`], after writing it out.
struct Watchdog {
    current: Arc<Mutex<Running>>,
}

impl Watchdog {
    fn start() -> Watchdog {
        let current: Arc<Mutex<Running>> = Arc::default();
        let watched = Arc::downgrade(&current);
        std::thread::spawn(move || {
            while let Some(current) = watched.upgrade() {
                if let Some((name, bytes, started)) = &*current.lock().expect("watchdog")
                    && started.elapsed() > Duration::from_secs(HANG_SECONDS)
                {
                    let path = keep_failure(name, bytes);
                    eprintln!(
                        "HANG: {name} ran for more than {HANG_SECONDS} s; the input is {}",
                        path.display()
                    );
                    std::process::abort();
                }
                drop(current);
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        Watchdog { current }
    }

    fn watch(&self, name: &str, bytes: &[u8]) {
        *self.current.lock().expect("watchdog") =
            Some((name.to_owned(), bytes.to_vec(), Instant::now()));
    }
}

/// Writes a failing input under the target folder and returns its path.
fn keep_failure(name: &str, bytes: &[u8]) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("robustness-failures");
    std::fs::create_dir_all(&folder).expect("failure folder");
    let path = folder.join(name.replace(['/', ':'], "_"));
    std::fs::write(&path, bytes).expect("keep the input");
    path
}

/// The SARIF 2.1.0 validator, when the schema is beside the checkout.
fn sarif_validator() -> Option<jsonschema::Validator> {
    let folder = akslint_tests::shared_data("sarif")?;
    let text = std::fs::read_to_string(folder.join("sarif-schema-2.1.0.json")).expect("schema");
    let mut schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    // The published schema's `language` pattern has a stray `]` (see crates/akslint-cli's
    // ci_formats test); akslint does not write `language`.
    for definition in ["run", "toolComponent"] {
        schema["definitions"][definition]["properties"]["language"]["pattern"] =
            Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    Some(jsonschema::validator_for(&schema).expect("the schema compiles"))
}

/// The control characters found in text meant for a terminal or a CI log (line feeds and tabs
/// are text; any other could recolour, move the cursor or overwrite a line).
fn control_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        .collect()
}

/// Runs `akslint` in-process with `stdin`; returns the exit code, stdout and stderr.
fn akslint(args: &[&str], stdin: &[u8]) -> (u8, String, String) {
    let args: Vec<OsString> = std::iter::once("akslint")
        .chain(args.iter().copied())
        .map(OsString::from)
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = akslint_cli::run(args, &mut &stdin[..], &mut out, &mut err, false);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// What is wrong with the command line's handling of one mutant, if anything.
fn check_through_the_cli(
    path: &Path,
    bytes: &[u8],
    outputs: &Path,
    sarif: Option<&jsonschema::Validator>,
) -> Result<(), String> {
    let name = path.to_str().expect("a UTF-8 path");
    let file = |format: &str| outputs.join(format!("out.{format}"));
    let targets: Vec<String> = ["json", "sarif", "github", "junit"]
        .iter()
        .map(|format| format!("{format}={}", file(format).display()))
        .collect();
    let mut args = vec!["check", "--stdin-filename", name, "-", "--format", "human"];
    for target in &targets {
        args.extend(["--output", target]);
    }
    let (code, human, stderr) = akslint(&args, bytes);
    if code > 1 {
        return Err(format!("exit {code}: {stderr}"));
    }
    let read = |format: &str| std::fs::read_to_string(file(format)).unwrap_or_default();
    serde_json::from_str::<Value>(&read("json")).map_err(|e| format!("JSON: {e}"))?;
    let sarif_value: Value =
        serde_json::from_str(&read("sarif")).map_err(|e| format!("SARIF is not JSON: {e}"))?;
    if let Some(error) = sarif.and_then(|v| v.iter_errors(&sarif_value).next()) {
        return Err(format!(
            "SARIF invalid: {error} at {}",
            error.instance_path()
        ));
    }
    roxmltree::Document::parse(&read("junit")).map_err(|e| format!("JUnit XML: {e}"))?;
    for (what, text) in [
        ("human", &human),
        ("github", &read("github")),
        ("stderr", &stderr),
    ] {
        let controls = control_characters(text);
        if !controls.is_empty() {
            return Err(format!(
                "{what} output carries control characters {controls:?}"
            ));
        }
    }
    let (code, _, stderr) = akslint(
        &[
            "check",
            "--diff",
            "--unsafe-fixes",
            "--stdin-filename",
            name,
            "-",
        ],
        bytes,
    );
    if code > 1 {
        return Err(format!("--diff: exit {code}: {stderr}"));
    }
    Ok(())
}

/// Runs `check` on a mutant, catching a panic; a failure is kept and described.
fn attempt(name: &str, bytes: &[u8], check: impl FnOnce() -> Result<(), String>) -> Option<String> {
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(check));
    let problem = match outcome {
        Ok(Ok(())) => return None,
        Ok(Err(problem)) => problem,
        Err(panic) => format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("?")
        ),
    };
    let kept = keep_failure(name, bytes);
    Some(format!("{name} ({}): {problem}", kept.display()))
}

#[test]
fn no_mutant_breaks_the_command_line() {
    let fixtures = fixtures();
    let sarif = sarif_validator();
    let outputs = tempfile::tempdir().expect("temp dir");
    let watchdog = Watchdog::start();
    let mut rng = Rng(0xc0de_f00d_2026_1207);
    let mut failures = Vec::new();
    for n in 0..CLI_MUTANTS {
        let (path, text) = &fixtures[rng.below(fixtures.len())];
        let bytes = mutant(text, &mut rng);
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("yaml");
        let name = format!("cli-{n}.{extension}");
        watchdog.watch(&name, &bytes);
        failures.extend(attempt(&name, &bytes, || {
            check_through_the_cli(path, &bytes, outputs.path(), sarif.as_ref())
        }));
    }
    assert!(
        failures.is_empty(),
        "{} of {CLI_MUTANTS} mutants broke the command line:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_mutated_configuration_breaks_the_command_line() {
    let corpus = workspace_root().join("corpus");
    let configurations: Vec<String> = files_under(&corpus, &["yaml"])
        .into_iter()
        .filter(|path| path.ends_with("akslint.yaml"))
        .map(|path| std::fs::read_to_string(corpus.join(path)).expect("a configuration"))
        .collect();
    assert!(configurations.len() > 5, "the corpus has configurations");
    let folder = tempfile::tempdir().expect("temp dir");
    let manifest = folder.path().join("app.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: Qm7-Vx2-Lp9z\n",
    )
    .expect("write");
    let watchdog = Watchdog::start();
    let mut rng = Rng(0x5eed_c0f1_6000_0001);
    let mut failures = Vec::new();
    let refused = std::sync::atomic::AtomicUsize::new(0);
    for n in 0..CONFIG_MUTANTS {
        let seed = &configurations[rng.below(configurations.len())];
        let bytes = mutant(seed, &mut rng);
        let name = format!("config-{n}.yaml");
        watchdog.watch(&name, &bytes);
        std::fs::write(folder.path().join("akslint.yaml"), &bytes).expect("write");
        failures.extend(attempt(&name, &bytes, || {
            let target = manifest.to_str().expect("UTF-8");
            let (code, stdout, stderr) = akslint(&["check", "--format", "json", target], b"");
            match code {
                0 | 1 => serde_json::from_str::<Value>(&stdout)
                    .map(drop)
                    .map_err(|e| format!("JSON: {e}")),
                // A configuration refused says where.
                2 if stderr.contains("akslint.yaml") => {
                    refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Ok(())
                }
                _ => Err(format!("exit {code}: {stderr}")),
            }
        }));
    }
    eprintln!(
        "{CONFIG_MUTANTS} mutated configurations: {} refused with an error",
        refused.into_inner()
    );
    assert!(
        failures.is_empty(),
        "{} of {CONFIG_MUTANTS} configurations broke the command line:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A document as the client holds it, with LSP's line ends (`\r\n`, `\n`, `\r`) and UTF-16
/// positions.
struct ClientDocument {
    text: String,
}

impl ClientDocument {
    /// The byte offset where each line starts.
    fn line_starts(&self) -> Vec<usize> {
        let bytes = self.text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 2;
                    continue;
                }
                b'\r' | b'\n' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        starts
    }

    /// The line's text without its line end.
    fn line(&self, starts: &[usize], line: usize) -> &str {
        let end = starts.get(line + 1).copied().unwrap_or(self.text.len());
        self.text[starts[line]..end].trim_end_matches(['\r', '\n'])
    }

    /// A random position at a character boundary, with its byte offset.
    fn position(&self, rng: &mut Rng) -> (Value, usize) {
        let starts = self.line_starts();
        let line = rng.below(starts.len());
        let text = self.line(&starts, line);
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let byte = boundaries[rng.below(boundaries.len())];
        let character = text[..byte].encode_utf16().count();
        (
            json!({"line": line, "character": character}),
            starts[line] + byte,
        )
    }

    /// Whether a range the server sent lies inside the document.
    fn contains(&self, range: &Value) -> bool {
        let starts = self.line_starts();
        ["start", "end"].iter().all(|end| {
            let line = range[end]["line"].as_u64().unwrap_or(u64::MAX) as usize;
            let character = range[end]["character"].as_u64().unwrap_or(u64::MAX) as usize;
            line < starts.len() && character <= self.line(&starts, line).encode_utf16().count()
        })
    }
}

/// A client speaking to the server over the bytes of the protocol.
struct Client {
    to_server: tokio::io::WriteHalf<tokio::io::DuplexStream>,
    from_server: BufReader<tokio::io::ReadHalf<tokio::io::DuplexStream>>,
    next_id: i64,
}

impl Client {
    async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.to_server
            .write_all(frame.as_bytes())
            .await
            .expect("the server reads");
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and returns its response, answering the server's own requests meanwhile.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.receive().await;
            if message.get("method").is_some() {
                if let Some(server_id) = message.get("id") {
                    let answer = json!({"jsonrpc": "2.0", "id": server_id, "result": null});
                    self.send(answer).await;
                }
            } else if message["id"] == json!(id) {
                return message;
            }
        }
    }

    async fn receive(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut header = String::new();
            let read = self
                .from_server
                .read_line(&mut header)
                .await
                .expect("a header");
            assert!(read > 0, "the server closed the connection");
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("Content-Length: ") {
                length = value.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.from_server
            .read_exact(&mut body)
            .await
            .expect("a body");
        serde_json::from_slice(&body).expect("the server writes JSON")
    }
}

/// One session of the language server over mutants: what went wrong, if anything.
async fn session(
    client: &mut Client,
    folder: &Path,
    mutants: &[(String, Vec<u8>)],
    rng: &mut Rng,
    watchdog: &Watchdog,
    diagnostics: &mut usize,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (n, (name, bytes)) in mutants.iter().enumerate() {
        watchdog.watch(name, bytes);
        let uri = format!("file://{}/{name}", folder.display());
        let mut document = ClientDocument {
            text: String::from_utf8_lossy(bytes).into_owned(),
        };
        let language = if name.ends_with(".yaml") {
            "yaml"
        } else {
            "bicep"
        };
        client
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": document.text}}),
            )
            .await;
        let mut problems = Vec::new();
        for version in 2..2 + rng.below(4) as i64 {
            // An incremental edit: a random range replaced by a random insert.
            let (mut start, mut from) = document.position(rng);
            let (mut end, mut to) = document.position(rng);
            if to < from {
                (start, end, from, to) = (end, start, to, from);
            }
            let inserts = inserts();
            let insert = inserts[rng.below(inserts.len())];
            document.text.replace_range(from..to, insert);
            client
                .notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version},
                           "contentChanges": [{"range": {"start": start, "end": end}, "text": insert}]}),
                )
                .await;
        }
        let pulled = client
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
        match pulled["result"]["items"].as_array() {
            Some(items) => {
                *diagnostics += items.len();
                for item in items {
                    if !document.contains(&item["range"]) {
                        problems.push(format!("a diagnostic outside the document: {item}"));
                    }
                }
            }
            None => problems.push(format!("no diagnostics: {pulled}")),
        }
        let (start, _) = document.position(rng);
        let (end, _) = document.position(rng);
        let (start, end) = if (start["line"].as_u64(), start["character"].as_u64())
            <= (end["line"].as_u64(), end["character"].as_u64())
        {
            (start, end)
        } else {
            (end, start)
        };
        let actions = client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": {"start": start, "end": end},
                       "context": {"diagnostics": pulled["result"]["items"].clone()}}),
            )
            .await;
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": start}),
            )
            .await;
        for (what, response) in [("codeAction", &actions), ("hover", &hover)] {
            if response.get("error").is_some() {
                problems.push(format!("{what} failed: {response}"));
            }
        }
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
        if !problems.is_empty() {
            let kept = keep_failure(name, bytes);
            failures.push(format!(
                "mutant {n} {name} ({}): {}",
                kept.display(),
                problems.join("; ")
            ));
        }
    }
    failures
}

#[test]
fn no_mutant_breaks_the_language_server() {
    let fixtures = fixtures();
    let mut rng = Rng(0x15e4_7e57_2026_1207);
    let mutants: Vec<(String, Vec<u8>)> = (0..LSP_MUTANTS)
        .map(|n| {
            let (path, text) = &fixtures[rng.below(fixtures.len())];
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("yaml");
            let extension = if extension == "yml" {
                "yaml"
            } else {
                extension
            };
            (format!("lsp-{n}.{extension}"), mutant(text, &mut rng))
        })
        .collect();
    let workspace = tempfile::tempdir().expect("temp dir");
    let folder = workspace.path().to_path_buf();
    let watchdog = Watchdog::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let failures = runtime.block_on(async {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_in, server_out) = tokio::io::split(server_end);
        let options = akslint_lsp::ServerOptions { index_threads: 1 };
        let server = tokio::spawn(akslint_lsp::serve(
            akslint_engine::Engine::new(),
            options,
            server_in,
            server_out,
        ));
        let (from_server, to_server) = tokio::io::split(client_end);
        let mut client = Client {
            to_server,
            from_server: BufReader::new(from_server),
            next_id: 0,
        };
        let initialized = client
            .request(
                "initialize",
                json!({"processId": null, "rootUri": format!("file://{}", folder.display()),
                       "capabilities": {"textDocument": {"diagnostic": {}}}}),
            )
            .await;
        assert!(initialized.get("result").is_some(), "{initialized}");
        client.notify("initialized", json!({})).await;
        let mut diagnostics = 0;
        let mut failures = session(
            &mut client,
            &folder,
            &mutants,
            &mut rng,
            &watchdog,
            &mut diagnostics,
        )
        .await;
        eprintln!("{LSP_MUTANTS} mutants in the language server: {diagnostics} diagnostics");
        let shutdown = client.request("shutdown", Value::Null).await;
        if shutdown.get("error").is_some() {
            failures.push(format!("shutdown failed: {shutdown}"));
        }
        client.notify("exit", Value::Null).await;
        match server.await {
            Ok(true) => {}
            outcome => failures.push(format!("the server did not end cleanly: {outcome:?}")),
        }
        failures
    });
    assert!(
        failures.is_empty(),
        "{} of {LSP_MUTANTS} mutants broke the language server:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
