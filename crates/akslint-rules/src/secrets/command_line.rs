//! Secrets on command lines: `--password=x`, `--password x`, MySQL's `-pX`, and assignments and
//! flags inside shell scripts (`sh -c "…"`).

use std::ops::Range;

use super::names::{is_secret_like_name, name_words};

/// A value on a command line: which argument it is in and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgumentValue {
    /// Index of the argument.
    pub argument: usize,
    /// What names the value (the flag or variable).
    pub key: String,
    /// The bytes of the value within the argument.
    pub value: Range<usize>,
}

/// The values given to secret-named flags and variables in `arguments`.
pub fn secret_arguments(arguments: &[&str]) -> Vec<ArgumentValue> {
    let mysql = arguments.iter().any(|a| mentions_mysql(a));
    let mut found = Vec::new();
    for (index, argument) in arguments.iter().enumerate() {
        let words = shell_words(argument);
        if words.len() > 1 {
            // A script: its words, its assignments.
            let texts: Vec<&str> = words.iter().map(|r| &argument[r.clone()]).collect();
            for (word, range) in flag_values(&texts, mentions_mysql(argument)) {
                let base = words[word].start;
                found.push(ArgumentValue {
                    argument: index,
                    key: range.0,
                    value: base + range.1.start..base + range.1.end,
                });
            }
            for range in &words {
                let word = &argument[range.clone()];
                let Some((name, value)) = word.split_once('=') else {
                    continue;
                };
                let is_variable = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if is_variable && is_secret_like_name(name) && !value.is_empty() {
                    let start = range.start + name.len() + 1;
                    found.push(ArgumentValue {
                        argument: index,
                        key: name.to_owned(),
                        value: unquote(argument, start..range.end),
                    });
                }
            }
        }
    }
    for (word, (key, value)) in flag_values(arguments, mysql) {
        found.push(ArgumentValue {
            argument: word,
            key,
            value,
        });
    }
    found.sort_by_key(|v| (v.argument, v.value.start));
    found.dedup_by(|a, b| a.argument == b.argument && a.value == b.value);
    found
}

fn mentions_mysql(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["mysql", "mariadb", "mysqldump", "mysqladmin"]
        .iter()
        .any(|m| lower.contains(m))
}

/// `--flag=value`, `--flag value` and (for MySQL) `-pvalue` among words.
fn flag_values(words: &[&str], mysql: bool) -> Vec<(usize, (String, Range<usize>))> {
    let mut found = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let Some(flag) = word.strip_prefix("--").or_else(|| word.strip_prefix('-')) else {
            continue;
        };
        let dashes = word.len() - flag.len();
        if mysql
            && dashes == 1
            && flag.len() > 1
            && flag.starts_with('p')
            && !flag.starts_with("port")
        {
            found.push((index, ("password".to_owned(), unquote(word, 2..word.len()))));
            continue;
        }
        if let Some(found_password) = user_password(words, index, dashes, flag) {
            found.push(found_password);
            continue;
        }
        let name = flag.split_once('=').map_or(flag, |(name, _)| name);
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        {
            continue;
        }
        if let Some((name, value)) = flag.split_once('=') {
            if names_credential(name) && !value.is_empty() {
                let start = dashes + name.len() + 1;
                found.push((index, (name.to_owned(), unquote(word, start..word.len()))));
            }
        } else if names_credential(flag)
            && let Some(next) = words.get(index + 1).filter(|n| !n.starts_with('-'))
        {
            found.push((index + 1, (flag.to_owned(), unquote(next, 0..next.len()))));
        }
    }
    found
}

/// The password of curl's `-u user:password` (also `--user`, `--proxy-user`, with `=` or as
/// the next word): the part after the first colon.
fn user_password(
    words: &[&str],
    index: usize,
    dashes: usize,
    flag: &str,
) -> Option<(usize, (String, Range<usize>))> {
    let (name, inline) = match flag.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (flag, None),
    };
    let is_user_flag = matches!((dashes, name), (1, "u") | (2, "user" | "proxy-user"));
    if !is_user_flag {
        return None;
    }
    let (at, word, start) = match inline {
        Some(_) => (index, words[index], dashes + name.len() + 1),
        None => (index + 1, *words.get(index + 1)?, 0),
    };
    let range = unquote(word, start..word.len());
    let credentials = &word[range.clone()];
    let (user, password) = credentials.split_once(':')?;
    (!user.is_empty() && !password.is_empty()).then(|| {
        let from = range.start + user.len() + 1;
        (at, ("password".to_owned(), from..range.end))
    })
}

/// Whether a flag may carry a credential: its name says so, or it ends in `key` (the value
/// decides then).
fn names_credential(name: &str) -> bool {
    is_secret_like_name(name) || name_words(name).last().is_some_and(|w| w == "KEY")
}

/// The range without surrounding quotes.
fn unquote(text: &str, range: Range<usize>) -> Range<usize> {
    let value = &text[range.clone()];
    let quoted = value.len() >= 2
        && (value.starts_with('"') && value.ends_with('"')
            || value.starts_with('\'') && value.ends_with('\''));
    let escaped = value.starts_with("\\\"") && value.ends_with("\\\"") && value.len() >= 4;
    if escaped {
        range.start + 2..range.end - 2
    } else if quoted {
        range.start + 1..range.end - 1
    } else {
        range
    }
}

/// The words of a shell command line (split at unquoted whitespace), as ranges.
fn shell_words(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, c) if c.is_whitespace() || c == ';' => {
                if let Some(s) = start.take() {
                    words.push(s..i);
                }
            }
            (None, _) => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(arguments: &[&str]) -> Vec<(usize, String, String)> {
        secret_arguments(arguments)
            .into_iter()
            .map(|v| (v.argument, v.key, arguments[v.argument][v.value].to_owned()))
            .collect()
    }

    #[test]
    fn flags_and_scripts() {
        assert_eq!(
            values(&["--db-user=app", "--db-password=FHwpuYt6"]),
            [(1, "db-password".to_owned(), "FHwpuYt6".to_owned())]
        );
        assert_eq!(
            values(&["--token", "tk-123456", "--port", "8080"]),
            [(1, "token".to_owned(), "tk-123456".to_owned())]
        );
        assert_eq!(
            values(&["sh", "-c", "mysql -h db -uroot -p_+fu7fX*e%qo5 < /init.sql"]),
            [(2, "password".to_owned(), "_+fu7fX*e%qo5".to_owned())]
        );
        assert_eq!(
            values(&[
                "sh",
                "-c",
                "mysql -uroot -p\\\"$MYSQL_ROOT_PASSWORD\\\" < /init.sql"
            ]),
            [(2, "password".to_owned(), "$MYSQL_ROOT_PASSWORD".to_owned())]
        );
        assert_eq!(
            values(&["/bin/sh", "-c", "export API_TOKEN=abc123xyz && ./run"]),
            [(2, "API_TOKEN".to_owned(), "abc123xyz".to_owned())]
        );
        assert!(values(&["--port=8080", "-p8080", "--password-file=/run/x"]).is_empty());
    }
}
