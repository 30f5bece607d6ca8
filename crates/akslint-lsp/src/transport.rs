//! A guard in front of the server's input. `tower-lsp-server` reads messages with a framed
//! decoder that ends the input stream after the first message it cannot decode, which would
//! end the session on one malformed message. This pump reads the client's frames itself and
//! passes on only well-formed JSON-RPC messages; a malformed one becomes a notification the
//! server logs to the client (or, when it carries an id, a request the server answers with
//! "invalid request"), so the session goes on.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc::{Request, Response};

/// The notification a malformed message is replaced by.
pub const MALFORMED_NOTIFICATION: &str = "$/akslint/malformedMessage";
/// The request a message with an id but of no valid shape is replaced by.
pub const INVALID_REQUEST: &str = "$/akslint/invalidRequest";

/// Longest header line read; longer lines are garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// Largest message read into memory (a document far over any size limit).
const MAX_MESSAGE: usize = 1 << 30;

/// Copies well-formed messages from `input` to the returned stream, replacing malformed ones.
pub fn sanitize<R>(input: R) -> (DuplexStream, impl Future<Output = ()>)
where
    R: AsyncRead + Unpin,
{
    let (server_side, mut pump_side) = tokio::io::duplex(1 << 16);
    let pump = async move {
        let mut reader = BufReader::new(input);
        while let Some(frame) = next_frame(&mut reader).await {
            let body = match frame {
                Ok(body) => vet(body),
                Err(problem) => notification(&problem),
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if pump_side.write_all(header.as_bytes()).await.is_err()
                || pump_side.write_all(&body).await.is_err()
            {
                break;
            }
        }
        let _ = pump_side.shutdown().await;
    };
    (server_side, pump)
}

/// The next frame's body, a description of why it is malformed, or `None` at the end.
async fn next_frame<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> Option<Result<Vec<u8>, String>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut garbage = false;
    loop {
        let mut line = Vec::new();
        let read = (&mut *reader)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .await
            .ok()?;
        if read == 0 {
            return None;
        }
        if !line.ends_with(b"\n") && read == MAX_HEADER_LINE {
            garbage = true;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            match length {
                Some(length) => break Some(read_body(reader, length).await),
                None if garbage => {
                    return Some(Err("a message without a Content-Length header".to_owned()));
                }
                None => continue,
            }
        }
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = Some(
                    value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| "a Content-Length header that is not a number".to_owned()),
                );
            }
            Some((name, _)) if name.trim().eq_ignore_ascii_case("content-type") => {}
            _ => garbage = true,
        }
    }
}

async fn read_body<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    length: Result<usize, String>,
) -> Result<Vec<u8>, String> {
    let length = length?;
    if length > MAX_MESSAGE {
        let skipped = tokio::io::copy(
            &mut (&mut *reader).take(length as u64),
            &mut tokio::io::sink(),
        )
        .await
        .unwrap_or(0);
        return Err(format!(
            "a message of {skipped} bytes, over the limit of {MAX_MESSAGE}"
        ));
    }
    let mut body = vec![0; length];
    match reader.read_exact(&mut body).await {
        Ok(_) => Ok(body),
        Err(_) => Err("a message cut short by the end of the input".to_owned()),
    }
}

/// The body passed on for a frame: itself when it is a JSON-RPC request, notification or
/// response; else a replacement.
fn vet(body: Vec<u8>) -> Vec<u8> {
    let (body, value) = match serde_json::from_slice::<Value>(&body) {
        Ok(value) => (body, value),
        Err(err) => {
            let repaired = repair(&body);
            match serde_json::from_slice::<Value>(&repaired) {
                Ok(value) => (repaired, value),
                Err(_) => return notification(&format!("a message that is not JSON ({err})")),
            }
        }
    };
    let valid = if value.get("method").is_some() {
        serde_json::from_value::<Request>(value.clone()).is_ok()
    } else {
        serde_json::from_value::<Response>(value.clone()).is_ok()
    };
    if valid {
        return body;
    }
    match value
        .get("id")
        .filter(|id| id.is_string() || id.is_number())
    {
        Some(id) => json!({"jsonrpc": "2.0", "id": id, "method": INVALID_REQUEST, "params": {}})
            .to_string()
            .into_bytes(),
        None => notification(
            "a JSON message that is not a JSON-RPC 2.0 request, notification or response",
        ),
    }
}

/// A body with what JSON parsers refuse but editors send replaced by U+FFFD, each by one
/// character of the same UTF-16 length, so positions stay right: a lone surrogate escape (`\ud800`
/// without its pair: an editor's buffer can hold one) and bytes that are not UTF-8.
fn repair(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let bytes = text.as_bytes();
    let surrogate = |at: usize| {
        let hex = bytes.get(at + 2..at + 6)?;
        let unit = u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
        (bytes[at + 1] == b'u' && (0xD800..0xE000).contains(&unit)).then_some(unit)
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' || i + 1 >= bytes.len() {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        match surrogate(i) {
            // A high surrogate with its low one: a character outside the basic plane.
            Some(0xD800..0xDC00)
                if bytes.get(i + 6) == Some(&b'\\')
                    && surrogate(i + 6).is_some_and(|low| low >= 0xDC00) =>
            {
                out.extend_from_slice(&bytes[i..i + 12]);
                i += 12;
            }
            Some(_) => {
                out.extend_from_slice(b"\\ufffd");
                i += 6;
            }
            None => {
                out.extend_from_slice(&bytes[i..i + 2]);
                i += 2;
            }
        }
    }
    out
}

fn notification(problem: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "method": MALFORMED_NOTIFICATION, "params": {"problem": problem}})
        .to_string()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_surrogate_becomes_a_replacement_character_and_the_message_is_kept() {
        let body = br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"text":"a\ud800b \udc00 \\ud800 \ud83d\ude00"}}"#;
        let passed = vet(body.to_vec());
        let value: Value = serde_json::from_slice(&passed).expect("JSON");
        assert_eq!(value["method"], "textDocument/didOpen");
        assert_eq!(
            value["params"]["text"],
            "a\u{fffd}b \u{fffd} \\ud800 \u{1f600}"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_become_replacement_characters() {
        let mut body = br#"{"jsonrpc":"2.0","method":"x","params":{"text":"a"#.to_vec();
        body.push(0xFF);
        body.extend_from_slice(br#""}}"#);
        let value: Value = serde_json::from_slice(&vet(body)).expect("JSON");
        assert_eq!(value["params"]["text"], "a\u{fffd}");
    }
}
