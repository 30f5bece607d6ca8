//! Key-value pairs inside text: files embedded in ConfigMaps and Secrets (JSON, YAML, `.env`,
//! `.properties`, INI, TOML, XML), annotation values and shell scripts, each value with its
//! byte range in the text.

use std::ops::Range;

/// A key and the range of its value in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The key as written (without quotes).
    pub key: String,
    /// The bytes of the value (without quotes).
    pub value: Range<usize>,
}

/// The key-value pairs of a text: JSON when it is JSON, otherwise one per line.
pub fn pairs(text: &str) -> Vec<Pair> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let found = json_pairs(text);
        if !found.is_empty() {
            return found;
        }
    }
    line_pairs(text)
}

/// Pairs of a JSON text: every string or scalar value with the nearest key naming it (array
/// items take their array's key). Tolerates invalid JSON.
fn json_pairs(text: &str) -> Vec<Pair> {
    let bytes = text.as_bytes();
    let mut pairs = Vec::new();
    let mut keys: Vec<Option<String>> = vec![None];
    let mut pending_key: Option<String> = None;
    let mut last_string: Option<(String, Range<usize>)> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                let raw = text.get(start..end).unwrap_or("").to_owned();
                let after = text[(end + 1).min(text.len())..].trim_start();
                if after.starts_with(':') {
                    pending_key = Some(raw);
                } else {
                    let key = pending_key
                        .take()
                        .or_else(|| keys.last().cloned().flatten());
                    if let Some(key) = key {
                        pairs.push(Pair {
                            key,
                            value: start..end,
                        });
                    }
                    last_string = Some((raw, start..end));
                }
                i = end + 1;
            }
            b'{' | b'[' => {
                keys.push(
                    pending_key
                        .take()
                        .or_else(|| keys.last().cloned().flatten()),
                );
                i += 1;
            }
            b'}' | b']' => {
                if keys.len() > 1 {
                    keys.pop();
                }
                pending_key = None;
                i += 1;
            }
            b',' => {
                pending_key = None;
                i += 1;
            }
            _ => i += 1,
        }
    }
    let _ = last_string;
    pairs
}

/// Pairs of a line-oriented text: `key: value`, `key = value`, `export KEY=value`,
/// `"key": "value",`, `<key>value</key>` and `key="value"` attributes.
fn line_pairs(text: &str) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim_start();
        if !(trimmed.starts_with('#')
            || trimmed.starts_with(';')
            || trimmed.starts_with("//")
            || trimmed.starts_with("<!--"))
        {
            if trimmed.starts_with('<') {
                xml_pairs(trimmed, offset + lead, &mut pairs);
            } else if let Some(pair) = assignment(trimmed, offset + lead) {
                pairs.push(pair);
            } else {
                pairs.extend(directive(trimmed, offset + lead));
            }
        }
        offset += line.len();
    }
    pairs
}

/// One `key: value` / `key = value` assignment of a line starting at `base`.
fn assignment(line: &str, base: usize) -> Option<Pair> {
    let line_body = line.strip_prefix("export ").unwrap_or(line);
    let skipped = line.len() - line_body.len();
    let line_body = line_body.strip_prefix("- ").unwrap_or(line_body);
    let skipped = skipped + (line.len() - skipped - line_body.len());
    let separator = line_body.char_indices().find(|&(i, c)| {
        c == '='
            || (c == ':'
                && line_body[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n == ' ' || n == '\t'))
    })?;
    let raw_key = line_body[..separator.0]
        .trim()
        .trim_matches(['"', '\''])
        .trim_start_matches('[');
    let key_ok = !raw_key.is_empty()
        && raw_key.len() <= 128
        && raw_key
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.$ /".contains(c))
        && !raw_key.contains("  ");
    if !key_ok {
        return None;
    }
    let value_start = separator.0 + 1;
    let raw_value = &line_body[value_start..];
    let lead = raw_value.len() - raw_value.trim_start().len();
    let mut value = raw_value.trim_start();
    // A trailing comment or separator is not part of the value.
    if !value.starts_with(['"', '\''])
        && let Some(at) = value.find(" #")
    {
        value = &value[..at];
    }
    let value = value.trim_end().trim_end_matches([',', ';']);
    let (start, value) = match value.chars().next() {
        Some(q @ ('"' | '\'')) => match value[1..].find(q) {
            Some(end) => (lead + 1, &value[1..1 + end]),
            None => (lead, value),
        },
        _ => (lead, value),
    };
    let start = base + skipped + value_start + start;
    Some(Pair {
        key: raw_key.trim().to_owned(),
        value: start..start + value.len(),
    })
}

/// A configuration directive written as words (`requirepass VALUE` in `redis.conf`,
/// `sentinel auth-pass master VALUE`, `Shared_Key  VALUE` in Fluent Bit, `[host]:587
/// user:password` in Postfix's `sasl_passwd`) of a line starting at `base`: the value is the
/// last word, named by the word before it that names a secret, else by the first word.
fn directive(line: &str, base: usize) -> Option<Pair> {
    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|word| (word.as_ptr() as usize - line.as_ptr() as usize, word))
        .collect();
    let (last_at, last) = *words.last()?;
    // `'astronomy_password';`: quotes and a statement's end are not the value's.
    let value = last.trim_end_matches([';', ',']);
    let unquoted = value.trim_matches(['\'', '"']);
    let value_at = last_at + value.find(unquoted).unwrap_or(0);
    let value = unquoted;
    let key_ok = |word: &str| {
        !word.is_empty()
            && word.len() <= 64
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.".contains(c))
    };
    let pair = |key: &str, at: usize, value: &str| Pair {
        key: key.to_owned(),
        value: base + at..base + at + value.len(),
    };
    match words.len() {
        2 => {
            let key = words[0].1;
            let host = key.starts_with('[') || (key.contains('.') && key.contains(':'));
            match value.split_once(':') {
                // `[smtp.example.com]:587 user:password`: credentials for a host.
                Some((user, password)) if host && !user.is_empty() && !password.is_empty() => {
                    let at = value_at + user.len() + 1;
                    Some(pair("password", at, password))
                }
                _ => key_ok(key).then(|| pair(key, value_at, value)),
            }
        }
        3.. => words[..words.len() - 1]
            .iter()
            .find(|(_, word)| key_ok(word) && super::names::is_secret_like_name(word))
            .map(|(_, key)| pair(key, value_at, value)),
        _ => None,
    }
}

/// `<key>value</key>` elements and `key="value"` attributes of one line starting at `base`.
fn xml_pairs(line: &str, base: usize, pairs: &mut Vec<Pair>) {
    let first_attribute = pairs.len();
    if let Some(open_end) = line.find('>') {
        let tag = line[1..open_end].split_whitespace().next().unwrap_or("");
        let close = format!("</{tag}>");
        if !tag.is_empty()
            && let Some(close_at) = line.find(&close)
            && close_at > open_end
        {
            pairs.push(Pair {
                key: tag.to_owned(),
                value: base + open_end + 1..base + close_at,
            });
        }
    }
    let mut rest = line;
    let mut consumed = 0;
    while let Some(eq) = rest.find("=\"") {
        let name_start = rest[..eq].rfind([' ', '<']).map_or(0, |i| i + 1);
        let name = &rest[name_start..eq];
        let value_start = eq + 2;
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        if !name.is_empty() {
            pairs.push(Pair {
                key: name.to_owned(),
                value: base + consumed + value_start..base + consumed + value_start + len,
            });
        }
        consumed += value_start + len + 1;
        rest = &rest[value_start + len + 1..];
    }
    // `<add key="Password" value="…"/>`: the value belongs to the key attribute's text.
    let attributes = &pairs[first_attribute..];
    let named = attributes
        .iter()
        .find(|p| p.key == "key" || p.key == "name")
        .map(|p| line[p.value.start - base..p.value.end - base].to_owned());
    let value = attributes
        .iter()
        .find(|p| p.key == "value")
        .map(|p| p.value.clone());
    if let (Some(key), Some(value)) = (named, value) {
        pairs.push(Pair { key, value });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &str)> {
        pairs(text)
            .into_iter()
            .map(|p| (p.key, &text[p.value]))
            .collect()
    }

    #[test]
    fn line_formats() {
        let text = "# comment\nspring.datasource.password=UATC3Zjd\nexport API_TOKEN='tk-123'\nredis:\n  password: \"p@ss word\"  # c\n[db]\nuser = app\nkey: http://not:a-pair\n";
        assert_eq!(
            found(text),
            [
                ("spring.datasource.password".to_owned(), "UATC3Zjd"),
                ("API_TOKEN".to_owned(), "tk-123"),
                ("redis".to_owned(), ""),
                ("password".to_owned(), "p@ss word"),
                ("user".to_owned(), "app"),
                ("key".to_owned(), "http://not:a-pair"),
            ]
        );
    }

    #[test]
    fn json_and_xml() {
        let json = r#"{"apiVersion":"v1","stringData":{"password":"I9O35QUZ"},"list":["a","b"]}"#;
        let got = found(json);
        assert!(got.contains(&("password".to_owned(), "I9O35QUZ")));
        assert!(got.contains(&("list".to_owned(), "b")));
        let xml = "<add key=\"Password\" value=\"x1\" />\n<Password>s3cr3t</Password>\n";
        let got = found(xml);
        assert!(got.contains(&("Password".to_owned(), "s3cr3t")));
        assert!(got.contains(&("Password".to_owned(), "x1")));
    }
}
