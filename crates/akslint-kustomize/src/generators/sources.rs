//! The key-value pairs of a generator entry, each with the place its key and value were
//! written: `envs` files' lines, `literals` and `files`, read as Kustomize reads them.

use akslint_core::Span;

use crate::build::Build;
use crate::kustomization::Kustomization;
use crate::node::{Node, Origin};

/// A key of a generated object's data and its value, with where each was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// The key.
    pub key: String,
    /// Where the key was written.
    pub key_origin: Origin,
    /// The value (before base64 for a Secret).
    pub value: String,
    /// Where the value was written: the value part of a literal, of an env file's line, or
    /// the whole file of a `files` entry.
    pub value_origin: Origin,
}

/// The pairs of a generator entry in Kustomize's order (env files, literals, files); `None`
/// after reporting the first problem (a file that cannot be read, an invalid entry).
pub fn pairs(kustomization: &Kustomization, entry: &Node, build: &mut Build) -> Option<Vec<Pair>> {
    match read_pairs(kustomization, entry, build) {
        Ok(pairs) => Some(pairs),
        Err(Some((origin, message))) => {
            build.error(origin, message);
            None
        }
        Err(None) => None,
    }
}

/// A problem of a generator's sources: its place and message, or `None` when already
/// reported (a file that cannot be read).
type SourceError = Option<(Origin, String)>;

/// The pairs of a generator entry, or its first problem.
fn read_pairs(
    kustomization: &Kustomization,
    entry: &Node,
    build: &mut Build,
) -> Result<Vec<Pair>, SourceError> {
    let mut pairs = Vec::new();
    let mut env_files: Vec<&Node> = entry
        .get("envs")
        .and_then(Node::items)
        .unwrap_or_default()
        .iter()
        .collect();
    env_files.extend(
        entry
            .get("env")
            .filter(|n| n.scalar_text().is_some_and(|t| !t.is_empty())),
    );
    for file in env_files {
        let relative = file.scalar_text().unwrap_or_default();
        let Some((source, text)) = build.read_named(kustomization, &relative, file.origin) else {
            return Err(None);
        };
        pairs.extend(
            env_file_pairs(source, text.text()).map_err(|(span, message)| {
                Some((
                    Origin::new(source, span),
                    format!("env source file `{relative}`: {message}"),
                ))
            })?,
        );
    }
    for literal in entry
        .get("literals")
        .and_then(Node::items)
        .unwrap_or_default()
    {
        pairs.push(literal_pair(literal, build).map_err(Some)?);
    }
    for file in entry.get("files").and_then(Node::items).unwrap_or_default() {
        let written = file.scalar_text().unwrap_or_default();
        let (key, path) = file_source(&written).map_err(|message| Some((file.origin, message)))?;
        let Some((source, text)) = build.read_named(kustomization, &path, file.origin) else {
            return Err(None);
        };
        let inner = scalar_content_start(file, build);
        let key_origin = match (inner, written.contains('=')) {
            (Some(start), true) => {
                Origin::new(file.origin.source, Span::new(start, start + key.len()))
            }
            _ => file.origin,
        };
        pairs.push(Pair {
            key,
            key_origin,
            value: text.text().to_owned(),
            value_origin: Origin::new(source, Span::new(0, text.text().len())),
        });
    }
    Ok(pairs)
}

/// Where the text of a scalar starts in its file, when the file holds exactly its text (plain)
/// or its text between quotes without escapes; else `None`.
fn scalar_content_start(node: &Node, build: &Build) -> Option<usize> {
    let text = node.scalar_text()?;
    let written = build.file(node.origin.source).slice(node.origin.span);
    let start = node.origin.span.start as usize;
    if written == text {
        return Some(start);
    }
    let quoted = written.len() == text.len() + 2
        && (written.starts_with('"') && written.ends_with('"')
            || written.starts_with('\'') && written.ends_with('\''));
    (quoted && written[1..written.len() - 1] == text).then_some(start + 1)
}

/// A `literals` entry `KEY=value` (quotes around the value removed, as Kustomize does).
fn literal_pair(literal: &Node, build: &Build) -> Result<Pair, (Origin, String)> {
    let text = literal.scalar_text().unwrap_or_default();
    // The literal is not printed: what is written there may be a secret.
    let invalid = || {
        (
            literal.origin,
            "invalid literal source, expected key=value (a key, then `=`, then the value)"
                .to_owned(),
        )
    };
    let (key, raw) = text.split_once('=').ok_or_else(invalid)?;
    if key.is_empty() {
        return Err(invalid());
    }
    let value = remove_quotes(raw);
    let (key_origin, value_origin) = match scalar_content_start(literal, build) {
        Some(start) => {
            let value_start = start + key.len() + 1 + usize::from(value.len() != raw.len());
            (
                Origin::new(literal.origin.source, Span::new(start, start + key.len())),
                Origin::new(
                    literal.origin.source,
                    Span::new(value_start, value_start + value.len()),
                ),
            )
        }
        None => (literal.origin, literal.origin),
    };
    Ok(Pair {
        key: key.to_owned(),
        key_origin,
        value: value.to_owned(),
        value_origin,
    })
}

/// A value without the quotes around it (a value that starts and ends with the same quote).
fn remove_quotes(value: &str) -> &str {
    let bytes = value.as_bytes();
    let quoted = bytes.len() >= 2
        && bytes[0] == bytes[bytes.len() - 1]
        && (bytes[0] == b'"' || bytes[0] == b'\'');
    if quoted {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

/// A `files` entry: `key=path`, or `path` whose key is the file's name.
fn file_source(source: &str) -> Result<(String, String), String> {
    match source.matches('=').count() {
        0 => {
            let trimmed = source.trim_end_matches('/');
            let base = trimmed.rsplit('/').next().filter(|b| !b.is_empty());
            let key = base.unwrap_or(if source.starts_with('/') { "/" } else { "." });
            Ok((key.to_owned(), source.to_owned()))
        }
        1 => {
            let (key, path) = source.split_once('=').expect("one `=`");
            if key.is_empty() {
                Err(format!(
                    "missing key name for file path {path:?} in source {source:?}"
                ))
            } else if path.is_empty() {
                Err(format!(
                    "missing file path for key name {key:?} in source {source:?}"
                ))
            } else {
                Ok((key.to_owned(), path.to_owned()))
            }
        }
        _ => Err(format!(
            "source {source:?} key name or file path contains '='"
        )),
    }
}

/// The pairs of an env file (`source` is its index among the build's files): `KEY=value`
/// lines, blank lines and `#` comments skipped, a bare `KEY` an empty value (Kustomize does
/// not read the environment). An invalid key is an error at its line.
fn env_file_pairs(source: u32, text: &str) -> Result<Vec<Pair>, (Span, String)> {
    let mut pairs = Vec::new();
    let mut start = 0;
    for (number, raw) in text.split_inclusive('\n').enumerate() {
        let line_start = start;
        start += raw.len();
        let mut line = raw.strip_suffix('\n').unwrap_or(raw);
        line = line.strip_suffix('\r').unwrap_or(line);
        let mut offset = line_start;
        if number == 0
            && let Some(rest) = line.strip_prefix('\u{feff}')
        {
            offset += line.len() - rest.len();
            line = rest;
        }
        let trimmed = line.trim_start();
        offset += line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (key, value) = trimmed.split_once('=').unwrap_or((trimmed, ""));
        let key_span = Span::new(offset, offset + key.len());
        if !is_env_var_name(key) {
            return Err((
                key_span,
                format!(
                    "line {}: `{key}` is not a valid environment variable name (letters, digits, '_', '-' or '.', not starting with a digit)",
                    number + 1
                ),
            ));
        }
        let value_start = if trimmed.contains('=') {
            key_span.end as usize + 1
        } else {
            key_span.end as usize
        };
        pairs.push(Pair {
            key: key.to_owned(),
            key_origin: Origin::new(source, key_span),
            value: value.to_owned(),
            value_origin: Origin::new(source, Span::new(value_start, value_start + value.len())),
        });
    }
    Ok(pairs)
}

/// Whether a key is a valid environment variable name (Kubernetes' rule).
fn is_env_var_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || "-._".contains(c))
        && chars.all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
}

/// Why a key cannot be a ConfigMap or Secret key (Kubernetes' rule), if it cannot.
pub fn invalid_key(key: &str) -> Option<String> {
    if key.len() > 253 {
        return Some(format!("key `{key}` is longer than 253 characters"));
    }
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
    {
        return Some(format!(
            "key `{key}`: a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
        ));
    }
    (key == "." || key.starts_with(".."))
        .then(|| format!("key `{key}` must not be '.' or '..' or start with '..'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines_skip_comments_and_blanks_and_locate_values() {
        let text = "# db\n\nUSER=app\n  PASSWORD=s3=cr3t\r\nEMPTY\n";
        let pairs = env_file_pairs(3, text).expect("valid");
        let keys: Vec<_> = pairs
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [("USER", "app"), ("PASSWORD", "s3=cr3t"), ("EMPTY", "")]
        );
        let password = &pairs[1];
        let span = password.value_origin.span;
        assert_eq!(&text[span.start as usize..span.end as usize], "s3=cr3t");
        assert_eq!(password.value_origin.source, 3);
    }

    #[test]
    fn env_keys_must_be_variable_names() {
        assert!(env_file_pairs(0, "1BAD=x\n").is_err());
        assert!(env_file_pairs(0, "KEY =x\n").is_err());
    }

    #[test]
    fn quotes_and_file_sources_as_kustomize_reads_them() {
        assert_eq!(remove_quotes("\"a b\""), "a b");
        assert_eq!(remove_quotes("'x"), "'x");
        assert_eq!(
            file_source("conf/app.properties").expect("ok").0,
            "app.properties"
        );
        assert_eq!(
            file_source("k=conf/a").expect("ok"),
            ("k".into(), "conf/a".into())
        );
        assert!(file_source("=a").is_err());
        assert!(file_source("a=b=c").is_err());
    }
}
