//! Judging names and values: does a name say it holds a secret, and is a value a literal or
//! only a reference, an expansion or a placeholder.

/// Words that make a name secret-like wherever they appear in it.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CONNSTR",
    "CONNECTIONSTRING",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATEKEY",
    "ACCESSKEY",
    "ACCOUNTKEY",
    "SASKEY",
];

/// Words before `KEY` that make `…_KEY` a secret (`API_KEY`, `STORAGE_ACCOUNT_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "ACCESS",
    "PRIVATE",
    "SECRET",
    "ACCOUNT",
    "STORAGE",
    "MASTER",
    "SIGNING",
    "ENCRYPTION",
    "SAS",
    "SHARED",
    "SUBSCRIPTION",
    "PRIMARY",
    "SECONDARY",
    "AUTH",
    "SSH",
    "CLIENT",
    "LICENSE",
    "HMAC",
    "JWT",
    "SESSION",
    "COSMOS",
    "INSTRUMENTATION",
];

/// Last words that make a name describe a secret (its file, length, lifetime) rather than hold it.
const NOT_A_VALUE_SUFFIXES: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "NAME",
    "NAMES",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "TTL",
    "LENGTH",
    "EXPIRY",
    "EXPIRATION",
    "EXPIRES",
    "TIMEOUT",
    "REF",
    "ID",
    "TYPE",
    "MODE",
    "POLICY",
    "ENABLED",
    "REQUIRED",
    "HEADER",
    "FIELD",
    "LOCATION",
    "AUDIENCE",
    "ISSUER",
    "SCOPE",
    "VERSION",
    "ROTATION",
    "PROVIDER",
    "KIND",
    "FORMAT",
    "ALGORITHM",
    "SIZE",
    "DURATION",
    "INTERVAL",
    "LIFETIME",
    "MOUNT",
    "STORE",
    "VAULT",
    "COUNT",
    "MIN",
    "MAX",
];

/// Splits a name into upper-case words at `_`, `-`, `.`, spaces and lower-to-upper case changes.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_uppercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether a name (an environment variable, a key) says that its value is a secret.
///
/// `DB_PASSWORD`, `apiKey`, `AZURE_CLIENT_SECRET`, `STORAGE_CONNECTION_STRING` are;
/// `PASSWORD_FILE`, `SECRET_NAME`, `TOKEN_URL`, `KEY_VAULT_NAME` and `PWD` are not.
pub fn is_secret_like_name(name: &str) -> bool {
    let words = name_words(name);
    if words.is_empty() || (words.len() == 1 && words[0] == "PWD") {
        return false;
    }
    if words
        .last()
        .is_some_and(|last| NOT_A_VALUE_SUFFIXES.contains(&last.as_str()))
    {
        return false;
    }
    let joined_pairs = words
        .windows(2)
        .map(|pair| format!("{}{}", pair[0], pair[1]));
    let has_word = words
        .iter()
        .cloned()
        .chain(joined_pairs)
        .any(|w| SECRET_WORDS.contains(&w.as_str()));
    let has_qualified_key = words
        .windows(2)
        .any(|pair| pair[1] == "KEY" && KEY_QUALIFIERS.contains(&pair[0].as_str()))
        && words.last().is_some_and(|w| w == "KEY" || w == "KEYS");
    has_word || has_qualified_key
}

/// Whether a value is not a literal secret: a reference, an expansion, a template or a
/// placeholder that a person or tool fills in later.
pub fn is_reference_or_placeholder(value: &str) -> bool {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return true;
    }
    let lower = trimmed.to_ascii_lowercase();
    let expansion = [
        ("$(", ")"),
        ("${", "}"),
        ("{{", "}}"),
        ("#{", "}#"),
        ("$[", "]"),
    ]
    .iter()
    .any(|(open, close)| {
        trimmed
            .find(open)
            .is_some_and(|at| trimmed[at + open.len()..].contains(close))
    });
    let token_placeholder = trimmed.len() > 4
        && trimmed.starts_with("__")
        && trimmed.ends_with("__")
        && trimmed
            .trim_matches('_')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let angle_placeholder = trimmed.starts_with('<') && trimmed.ends_with('>');
    let masked = trimmed.len() >= 3
        && trimmed
            .chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-' | '•'));
    let placeholder_words = [
        "replace_me",
        "replaceme",
        "replace-me",
        "todo",
        "tbd",
        "fixme",
        "placeholder",
        "dummy",
        "redacted",
        "your-password",
        "your_password",
        "yourpassword",
        "insert-here",
        "none",
        "null",
        "nil",
        "n/a",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
    ];
    expansion
        || token_placeholder
        || angle_placeholder
        || masked
        || placeholder_words.contains(&lower.as_str())
}

/// Words that mark an upper-case identifier value as a placeholder (`INSERT_API_TOKEN`).
const PLACEHOLDER_WORDS: &[&str] = &[
    "INSERT",
    "REPLACE",
    "YOUR",
    "ENTER",
    "HERE",
    "PLACEHOLDER",
    "CHANGE",
    "SET",
    "FILL",
];

/// Whether `value` is an upper-case identifier that stands in for the real value of `name`: it
/// repeats the name (`GOOGLE_API_KEY_VAL` for `GOOGLE_API_KEY`) or says to fill it in
/// (`INSERT_ETCD_DISCOVERY_TOKEN`).
pub fn is_placeholder_for(name: &str, value: &str) -> bool {
    let value = value.trim();
    let identifier = value.contains('_')
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !identifier {
        return false;
    }
    let words = name_words(value);
    value.contains(&name.to_ascii_uppercase())
        || words
            .iter()
            .any(|w| PLACEHOLDER_WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(name_words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(
            name_words("AZURE_CLIENT_SECRET"),
            ["AZURE", "CLIENT", "SECRET"]
        );
        assert_eq!(name_words("apiKey2"), ["API", "KEY2"]);
    }

    #[test]
    fn secret_like_names() {
        for name in [
            "DB_PASSWORD",
            "dbPassword",
            "AZURE_CLIENT_SECRET",
            "API_KEY",
            "apiKey",
            "GITHUB_TOKEN",
            "DB_PWD",
            "STORAGE_CONNECTION_STRING",
            "ConnectionStrings__Default__ConnectionString",
            "STORAGE_ACCOUNT_KEY",
            "PRIVATE_KEY",
            "REDIS_PASSPHRASE",
            "ACCESS_KEY",
            "SECRET",
        ] {
            assert!(is_secret_like_name(name), "{name} should be secret-like");
        }
        for name in [
            "PWD",
            "PASSWORD_FILE",
            "SECRET_NAME",
            "TOKEN_URL",
            "KEY_VAULT_NAME",
            "CACHE_KEY",
            "PARTITION_KEY",
            "PUBLIC_KEY",
            "LOG_LEVEL",
            "AZURE_CLIENT_ID",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "KEYCLOAK_URL",
        ] {
            assert!(
                !is_secret_like_name(name),
                "{name} should not be secret-like"
            );
        }
    }

    #[test]
    fn identifier_placeholders() {
        assert!(is_placeholder_for(
            "ETCD_DISCOVERY_TOKEN",
            "INSERT_ETCD_DISCOVERY_TOKEN"
        ));
        assert!(is_placeholder_for("GOOGLE_API_KEY", "GOOGLE_API_KEY_VAL"));
        assert!(is_placeholder_for("DB_PASSWORD", "YOUR_DB_PASSWORD"));
        assert!(!is_placeholder_for("DB_PASSWORD", "Q7RT_9VXW_LMP2"));
        assert!(!is_placeholder_for("DB_PASSWORD", "insert_here"));
    }

    #[test]
    fn references_and_placeholders() {
        for value in [
            "",
            " ",
            "$(DB_PASSWORD)",
            "${DB_PASSWORD}",
            "{{ .Values.password }}",
            "#{Password}#",
            "__PASSWORD__",
            "<your-password>",
            "REPLACE_ME",
            "********",
            "xxxx",
            "true",
            "$(SECRET_PREFIX)-suffix",
        ] {
            assert!(
                is_reference_or_placeholder(value),
                "{value:?} should be a reference or placeholder"
            );
        }
        for value in [
            "hunter2",
            "P@ssw0rd!2024",
            "sk_live_abc",
            "$ecret",
            "a{b}c",
            "__init",
        ] {
            assert!(
                !is_reference_or_placeholder(value),
                "{value:?} should be a literal"
            );
        }
    }
}
