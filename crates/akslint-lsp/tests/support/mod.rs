//! An in-process LSP client for the server's tests: calls the `LspService` through
//! `tower::Service`, drains the `ClientSocket` on a task of its own (a handler that publishes
//! blocks until the socket is polled), answers the server's requests, and collects its
//! notifications.

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use akslint_engine::Engine;
use akslint_lsp::{AkslintServer, ServerOptions, new_service};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::Uri;

/// Every test runs under this limit.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The engine the tests lint with: every front end and rule, as `akslint lsp` runs.
pub fn engine() -> Engine {
    Engine::new()
}

/// A `file:` URI for a path.
pub fn uri(path: &Path) -> Uri {
    Uri::from_file_path(path).expect("an absolute path")
}

/// A client connected to a fresh server.
pub struct TestClient {
    service: LspService<AkslintServer>,
    messages: mpsc::UnboundedReceiver<Value>,
    /// Everything the server sent so far that a wait has not consumed.
    pub seen: Vec<Value>,
    next_id: i64,
    /// What the client answers `workspace/configuration` with.
    pub settings: std::sync::Arc<std::sync::Mutex<Value>>,
    /// Every message the server sent, as JSON text.
    pub transcript: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl TestClient {
    /// A server with `options`, not yet initialized.
    pub fn new(options: ServerOptions) -> TestClient {
        TestClient::with_engine(engine(), options)
    }

    /// A server linting with `engine`, not yet initialized.
    pub fn with_engine(engine: Engine, options: ServerOptions) -> TestClient {
        let (service, socket) = new_service(engine, options);
        let (tx, rx) = mpsc::unbounded_channel();
        let settings = std::sync::Arc::new(std::sync::Mutex::new(Value::Null));
        let answers = settings.clone();
        let transcript = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = transcript.clone();
        let (mut requests, mut responses) = socket.split();
        tokio::spawn(async move {
            while let Some(request) = requests.next().await {
                let value = serde_json::to_value(&request).expect("serializable");
                record.lock().unwrap().push(value.to_string());
                if let Some(id) = request.id().cloned() {
                    let result = match request.method() {
                        "workspace/configuration" => json!([answers.lock().unwrap().clone()]),
                        _ => Value::Null,
                    };
                    let _ = responses.send(Response::from_ok(id, result)).await;
                }
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        TestClient {
            service,
            messages: rx,
            seen: Vec::new(),
            next_id: 1,
            settings,
            transcript,
        }
    }

    /// A server indexing with two threads, not yet initialized.
    pub fn quick() -> TestClient {
        TestClient::new(ServerOptions { index_threads: 2 })
    }

    /// Sends a request and returns its response (result or error, as JSON).
    pub async fn request(&mut self, method: &'static str, params: Value) -> Response {
        let id = self.next_id;
        self.next_id += 1;
        let request = Request::build(method).params(params).id(id).finish();
        let response = self.call(request).await.expect("a response to a request");
        self.transcript
            .lock()
            .unwrap()
            .push(serde_json::to_string(&response).unwrap());
        response
    }

    /// Fails when a text appears in anything the server sent.
    pub fn assert_never_sent(&self, text: &str) {
        for message in self.transcript.lock().unwrap().iter() {
            assert!(
                !message.contains(text),
                "the server sent `{text}`: {message}"
            );
        }
    }

    /// Sends a request and returns its result, failing on an error.
    pub async fn result(&mut self, method: &'static str, params: Value) -> Value {
        let response = self.request(method, params).await;
        let (_, result) = response.into_parts();
        result.unwrap_or_else(|err| panic!("{method} failed: {err:?}"))
    }

    /// Sends a notification.
    pub async fn notify(&mut self, method: &'static str, params: Value) {
        let request = Request::build(method).params(params).finish();
        let response = self.call(request).await;
        assert!(
            response.is_none(),
            "a notification got a response: {response:?}"
        );
    }

    /// Sends any message.
    pub async fn call(&mut self, request: Request) -> Option<Response> {
        self.service
            .ready()
            .await
            .expect("service ready")
            .call(request)
            .await
            .expect("service alive")
    }

    /// `initialize` with these capabilities and options, then `initialized`; returns the
    /// server's capabilities.
    pub async fn initialize(
        &mut self,
        root: Option<&Path>,
        capabilities: Value,
        options: Value,
    ) -> Value {
        let folders = root.map(|r| json!([{"uri": uri(r).as_str(), "name": "ws"}]));
        let result = self
            .result(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": root.map(|r| uri(r).as_str().to_owned()),
                    "workspaceFolders": folders,
                    "capabilities": capabilities,
                    "initializationOptions": options,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    /// Opens a document.
    pub async fn open(&mut self, uri: &Uri, language: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri.as_str(), "languageId": language, "version": version, "text": text}}),
        )
        .await;
    }

    /// Replaces a document's whole text.
    pub async fn replace(&mut self, uri: &Uri, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri.as_str(), "version": version}, "contentChanges": [{"text": text}]}),
        )
        .await;
    }

    /// Waits for the next message the server sends that satisfies `pred`, and returns it;
    /// messages that do not are kept in `seen`.
    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            match tokio::time::timeout_at(deadline, self.messages.recv()).await {
                Ok(Some(message)) if pred(&message) => return message,
                Ok(Some(message)) => self.seen.push(message),
                Ok(None) => panic!("the server went away while waiting for {what}"),
                Err(_) => panic!(
                    "timed out waiting for {what}; seen: {}",
                    serde_json::to_string_pretty(&self.seen).unwrap()
                ),
            }
        }
    }

    /// Waits until the server has read the workspace (its log says so).
    pub async fn wait_for_index(&mut self) {
        self.wait_for("the workspace index", |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.contains("indexed"))
        })
        .await;
    }

    /// Waits for diagnostics published for `uri` satisfying `pred`; returns the params.
    pub async fn diagnostics_where(&mut self, uri: &Uri, pred: impl Fn(&Value) -> bool) -> Value {
        let uri = uri.as_str().to_owned();
        let message = self
            .wait_for(&format!("diagnostics for {uri}"), |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri.as_str()
                    && pred(&m["params"])
            })
            .await;
        message["params"].clone()
    }

    /// Waits for the diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &Uri, version: i32) -> Vec<Value> {
        let params = self
            .diagnostics_where(uri, |p| p["version"] == version)
            .await;
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Collects what arrives within `time` without consuming it from `seen`.
    pub async fn drain(&mut self, time: Duration) {
        let deadline = tokio::time::Instant::now() + time;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.messages.recv()).await
        {
            self.seen.push(message);
        }
    }
}

/// The codes of some diagnostics, in order.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// (start line, start character, end line, end character) of a diagnostic or edit.
pub fn range(value: &Value) -> (u64, u64, u64, u64) {
    let r = &value["range"];
    (
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
        r["end"]["line"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
    )
}

/// Applies LSP text edits (UTF-16 or UTF-8 positions) to a text, the way an editor does.
pub fn apply_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let offset = |line: u64, character: u64| -> usize {
        let mut start = 0;
        for _ in 0..line {
            start += text[start..]
                .find('\n')
                .map_or(text.len() - start, |i| i + 1);
        }
        let line_text = &text[start..];
        let line_end = line_text.find('\n').unwrap_or(line_text.len());
        let mut units = 0;
        for (i, ch) in line_text[..line_end].char_indices() {
            if units >= character as usize {
                return start + i;
            }
            units += if utf8 { ch.len_utf8() } else { ch.len_utf16() };
        }
        start + line_end
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let (sl, sc, el, ec) = range(e);
            (
                offset(sl, sc),
                offset(el, ec),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse((s.0, s.1)));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// The text edits for `uri` in a workspace edit (`changes` or `documentChanges`).
pub fn edits_for(edit: &Value, uri: &Uri) -> Vec<Value> {
    if let Some(changes) = edit["changes"][uri.as_str()].as_array() {
        return changes.clone();
    }
    edit["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["textDocument"]["uri"] == uri.as_str())
        .flat_map(|c| c["edits"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The code actions for the whole line `line` of a document, of the `only` kind when given.
pub async fn code_actions(
    client: &mut TestClient,
    uri: &tower_lsp_server::ls_types::Uri,
    line: u64,
    only: Option<&str>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = json!([only]);
    }
    client
        .result(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri.as_str()},
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 200}},
                "context": context,
            }),
        )
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A quick client initialized on the workspace folder `root`, its index built.
pub async fn started_in(root: &Path) -> TestClient {
    let mut client = TestClient::quick();
    client.initialize(Some(root), json!({}), Value::Null).await;
    client.wait_for_index().await;
    client
}

/// Runs a test body under [`TIMEOUT`].
pub async fn within<F: std::future::Future<Output = ()>>(body: F) {
    tokio::time::timeout(TIMEOUT, body)
        .await
        .expect("the test timed out");
}
