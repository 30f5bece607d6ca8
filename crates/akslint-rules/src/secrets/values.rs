//! Judging values that are never secrets, whatever their key says: references and
//! indirections, expansions and templates, placeholders, ciphertext, public material,
//! identifiers, hashes, file paths and settings.

/// Why a value is not a literal secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotSecret {
    /// Empty or only whitespace.
    Empty,
    /// An expansion or template filled in later: `$(VAR)`, `${VAR}`, `{{ … }}`, `#{VAR}#`,
    /// `__VAR__`, `$VAR`.
    Expansion,
    /// A reference to a secret held elsewhere: Key Vault references, Vault and Argo CD plugin
    /// paths, `secretref:`.
    Reference,
    /// A placeholder or a masked value: `<your-password>`, `REPLACE_ME`, `xxxx`, `****`,
    /// values that say they are fake or examples.
    Placeholder,
    /// Ciphertext: SOPS `ENC[…]`, Sealed Secrets, PGP and age messages.
    Ciphertext,
    /// Public material: certificates, public keys.
    Public,
    /// An identifier: a GUID, a resource id, an App Insights connection string.
    Identifier,
    /// A hash or digest.
    Hash,
    /// A file path.
    Path,
    /// A setting: a number, a boolean, a duration, `null`.
    Setting,
}

/// Whether (and why) a whole value cannot be a literal secret.
pub fn not_secret(value: &str) -> Option<NotSecret> {
    let trimmed = value.trim().trim_matches(['"', '\'']).trim();
    if trimmed.is_empty() {
        return Some(NotSecret::Empty);
    }
    if is_expansion(trimmed) {
        return Some(NotSecret::Expansion);
    }
    if is_reference(trimmed) {
        return Some(NotSecret::Reference);
    }
    if is_ciphertext(trimmed) {
        return Some(NotSecret::Ciphertext);
    }
    if is_public_material(trimmed) {
        return Some(NotSecret::Public);
    }
    if is_setting(trimmed) {
        return Some(NotSecret::Setting);
    }
    if is_identifier(trimmed) {
        return Some(NotSecret::Identifier);
    }
    if is_hash(trimmed) {
        return Some(NotSecret::Hash);
    }
    if is_path(trimmed) {
        return Some(NotSecret::Path);
    }
    if is_placeholder(trimmed) {
        return Some(NotSecret::Placeholder);
    }
    None
}

/// Whether a YAML comment beside a value says the value is a placeholder for the user's own
/// ("replace with your access key", "placeholder", "change me"): on the value's line, or at the
/// end of the line above it when that line is not indented deeper (the entry's key, or the
/// `name:` of a `{name, value}` item). Own-line comments above say something about a section,
/// and a note such as "TODO: move to Key Vault" says nothing of the kind: neither counts.
pub fn placeholder_note(source: &str, value_start: usize) -> bool {
    let line_start = source[..value_start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[value_start..]
        .find('\n')
        .map_or(source.len(), |i| value_start + i);
    let indent = |line: &str| line.len() - line.trim_start().len();
    let this_line = &source[line_start..line_end];
    let mut lines = vec![this_line];
    if line_start > 0 {
        let above_start = source[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let above = &source[above_start..line_start - 1];
        if !above.trim_start().starts_with('#') && indent(above) <= indent(this_line) {
            lines.push(above);
        }
    }
    lines
        .iter()
        .filter_map(|line| trailing_comment(line))
        .any(|comment| {
            let lower = comment.to_ascii_lowercase();
            let replace_with_yours = lower
                .find("replace")
                .is_some_and(|at| lower[at..].contains("your"));
            replace_with_yours
                || [
                    "placeholder",
                    "change me",
                    "changeme",
                    "dummy value",
                    "fake value",
                ]
                .iter()
                .any(|word| lower.contains(word))
        })
}

/// The comment at the end of a YAML line (`#` after a blank, outside quotes), if any.
fn trailing_comment(line: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if previous == ' ' || previous == ':' => quote = Some(c),
            (None, '#') if previous == ' ' || previous == '\t' => return Some(&line[at + 1..]),
            _ => {}
        }
        previous = c;
    }
    None
}

/// Whether the text holds an expansion that a tool fills in.
pub fn is_expansion(text: &str) -> bool {
    let pairs = [
        ("$(", ")"),
        ("${", "}"),
        ("{{", "}}"),
        ("#{", "}#"),
        ("$[", "]"),
        ("%{", "}"),
        ("[[", "]]"),
    ];
    let paired = pairs.iter().any(|(open, close)| {
        text.find(open)
            .is_some_and(|at| text[at + open.len()..].contains(close))
    });
    // A shell word that starts a parameter expansion or command substitution, even when the
    // word was cut before it closes (`"${PGPASSWORD:-$(< "$FILE")}"` split at its spaces).
    let word = text.trim_start_matches(['"', '\'']);
    let opens_shell_expansion = word.starts_with("${") || word.starts_with("$(");
    let dollar_var = text.strip_prefix('$').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && rest
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_uppercase() || b == b'_')
    });
    let double_underscore = text.len() > 4
        && text.starts_with("__")
        && text.ends_with("__")
        && text
            .trim_matches('_')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    paired || opens_shell_expansion || dollar_var || double_underscore
}

fn is_reference(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("@microsoft.keyvault(")
        || lower.starts_with("<path:")
        || lower.starts_with("vault:")
        || lower.starts_with("secretref:")
        || lower.starts_with("azurekeyvault://")
        || lower.starts_with("ref+")
        || lower.starts_with("op://")
        || (lower.starts_with("https://")
            && lower.contains(".vault.azure.net/secrets/")
            && !lower.contains('?'))
}

fn is_ciphertext(text: &str) -> bool {
    text.starts_with("ENC[")
        || text.contains("-----BEGIN PGP MESSAGE-----")
        || text.contains("-----BEGIN AGE ENCRYPTED FILE-----")
        || text.starts_with("age1")
        || text.starts_with("vault:v1:")
}

fn is_public_material(text: &str) -> bool {
    text.contains("-----BEGIN CERTIFICATE-----")
        || text.contains("-----BEGIN PUBLIC KEY-----")
        || text.contains("-----BEGIN RSA PUBLIC KEY-----")
        || text.contains("-----BEGIN X509 CRL-----")
        || [
            "ssh-rsa ",
            "ssh-ed25519 ",
            "ssh-dss ",
            "ecdsa-sha2-",
            "sk-ssh-ed25519",
            "sk-ecdsa-",
        ]
        .iter()
        .any(|p| text.starts_with(p))
        || base64_certificate(text)
}

/// Base64 of a PEM certificate (`LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t`, as in `caBundle`).
fn base64_certificate(text: &str) -> bool {
    text.starts_with("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS")
        || text.starts_with("LS0tLS1CRUdJTiBQVUJMSUMgS0VZ")
}

fn is_setting(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let word = [
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "null",
        "nil",
        "none",
        "n/a",
        "na",
        "enabled",
        "disabled",
        "auto",
        "default",
        "required",
        "optional",
        "require",
        "prefer",
        "allow",
        "deny",
        "strict",
        "verify-full",
        "verify-ca",
    ]
    .contains(&lower.as_str());
    let number = text.parse::<f64>().is_ok() && text.len() < 12;
    let duration = text.len() < 8
        && text
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .is_ok()
        && ["s", "m", "h", "d", "ms", "mi", "gi", "ki", "mb", "gb", "kb"]
            .iter()
            .any(|u| lower.ends_with(u));
    word || number || duration
}

/// Whether the text is a GUID.
pub fn is_guid(text: &str) -> bool {
    let text = text.trim_matches(['{', '}']);
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn is_identifier(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    is_guid(text)
        || is_email(text)
        || is_group_list(text)
        || is_cloud_name(&lower)
        || is_node_resource_group(text)
        || lower.starts_with("/subscriptions/")
        || (lower.starts_with("instrumentationkey=") && !lower.contains("password"))
        || lower.starts_with("arn:aws:")
        || (lower.starts_with("projects/") && lower.contains("/secrets/"))
}

/// An e-mail address: `name@domain.tld`, nothing else.
fn is_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty()
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
            && domain.contains('.')
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    })
}

/// A list of Kubernetes group or user names (`system:bootstrappers:kubeadm:default-node-token`,
/// comma-separated): `system:` names, words joined by colons.
fn is_group_list(text: &str) -> bool {
    text.split(',').all(|name| {
        let name = name.trim();
        name.starts_with("system:")
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b":-.".contains(&b))
    })
}

/// An Azure cloud's name (`AzurePublicCloud`, `AzureUSGovernmentCloud`, …).
fn is_cloud_name(lower: &str) -> bool {
    [
        "azurepubliccloud",
        "azurecloud",
        "azureusgovernmentcloud",
        "azureusgovernment",
        "azurechinacloud",
        "azuregermancloud",
        "azurestackcloud",
    ]
    .contains(&lower)
}

/// The node resource group AKS names `MC_<group>_<cluster>_<region>`.
fn is_node_resource_group(text: &str) -> bool {
    text.strip_prefix("MC_").is_some_and(|rest| {
        rest.split('_').count() >= 3
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.()".contains(&b))
    })
}

/// Whether the text is a hash or digest written as such (`sha256:…`, a 32/40/64/128-digit hex
/// string). Under a key that says it is a secret, hex is a secret: the caller decides.
pub fn is_hash(text: &str) -> bool {
    let digest = ["sha256:", "sha512:", "sha1:", "md5:", "sha384:"]
        .iter()
        .any(|p| {
            text.strip_prefix(p)
                .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
        });
    digest || text.contains("@sha256:")
}

fn is_path(text: &str) -> bool {
    (text.starts_with('/')
        || text.starts_with("./")
        || text.starts_with("~/")
        || text.starts_with("../")
        || text.get(1..3) == Some(":\\"))
        && !text.contains(char::is_whitespace)
        && text.len() < 256
}

/// Whether a value is a placeholder, a masked value or says it is an example.
pub fn is_placeholder(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let angle = text.starts_with('<') && text.ends_with('>');
    // `[base64 cert data]`, `[your password]`: words in brackets describe the value; an ARM
    // expression (`[parameters('x')]`) is filled in at deployment.
    let bracketed =
        text.len() > 2 && text.starts_with('[') && text.ends_with(']') && text.contains([' ', '(']);
    let masked = text.len() >= 3
        && text
            .chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-' | '•' | '#'));
    let long_x_run =
        lower.contains("xxxxxx") || lower.contains("******") || lower.contains("000000000000");
    let words = [
        "replace_me",
        "replaceme",
        "replace-me",
        "changeit",
        "todo",
        "tbd",
        "fixme",
        "placeholder",
        "redacted",
        "your-password",
        "your_password",
        "yourpassword",
        "insert-here",
        "somefakekey",
        "example",
        "sample",
        "dummy",
        "fake",
        "notreal",
        "not-real",
        "not_a_real",
        "mysecret",
        "my-secret",
        "secret-here",
        "your-",
        "your_",
        "<your",
        "enter-",
        "insert_",
        "insert-",
        "put-your",
        "replace_with",
        "replace-with",
    ];
    let says_fake = words.iter().any(|w| lower.contains(w));
    // A value that only names what it stands for (`secretValue`): as a part of a longer value
    // (`Secret-Value-9911`) the same words can be a real secret's.
    let names_itself = ["secretvalue", "secret-value", "secret_value"].contains(&lower.as_str());
    // `GITLAB_API_TOKEN`, `APPLICATION_NAME`, `CKV_K8S_21`: the name of a variable, a constant
    // or a check, standing where the value will go.
    let constant_name = text.len() <= 64
        && text.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && text.contains('_')
        && !text.starts_with('_')
        && !text.ends_with('_')
        && !text.contains("__")
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && text
            .split('_')
            .any(|part| part.len() >= 3 && part.bytes().all(|b| b.is_ascii_uppercase()));
    angle || bracketed || masked || long_x_run || says_fake || names_itself || constant_name
}

/// Whether `value` is an upper-case identifier that repeats `name` (`GOOGLE_API_KEY_VAL` for
/// `GOOGLE_API_KEY`): a stand-in for the real value.
pub fn repeats_name(name: &str, value: &str) -> bool {
    let value = value.trim();
    value.len() >= name.len()
        && value.contains('_')
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && value.contains(&name.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_beside_a_value_can_say_it_is_a_placeholder() {
        let env = "env:\n  - name: ACCESS_KEY  # REQUIRED - replace with your access key\n    value: 8312341g-5678\n";
        assert!(placeholder_note(env, env.find("8312341g").unwrap()));
        let same_line = "token: Zq9-Lm4-Tr7x  # placeholder, set in the pipeline\n";
        assert!(placeholder_note(same_line, same_line.find("Zq9").unwrap()));
        // A note that the value should move is no placeholder, nor a section's comment above.
        let todo = "token: Zq9-Lm4-Tr7x  # TODO: move to Key Vault\n";
        assert!(!placeholder_note(todo, todo.find("Zq9").unwrap()));
        let section = "# replace with your own values\ndb:\n  password: Zq9-Lm4\n";
        assert!(!placeholder_note(section, section.find("Zq9").unwrap()));
        // A `#` inside quotes is the value's.
        let quoted = "password: \"Zq9 # replace with your\"\n";
        assert!(!placeholder_note(quoted, quoted.find("Zq9").unwrap()));
    }

    #[test]
    fn never_secrets() {
        let cases = [
            ("", NotSecret::Empty),
            ("$(DB_PASSWORD)", NotSecret::Expansion),
            ("${API_KEY}", NotSecret::Expansion),
            ("${smtp_password:=}", NotSecret::Expansion),
            ("{{ .Values.password }}", NotSecret::Expansion),
            ("#{Password}#", NotSecret::Expansion),
            ("__PASSWORD__", NotSecret::Expansion),
            ("$MYSQL_PASSWORD", NotSecret::Expansion),
            ("\"${PGPASSWORD:-$(<", NotSecret::Expansion),
            ("[base64 cert data]", NotSecret::Placeholder),
            ("[parameters('adminPassword')]", NotSecret::Placeholder),
            ("GITLAB_API_TOKEN", NotSecret::Placeholder),
            ("CKV_K8S_21", NotSecret::Placeholder),
            ("require", NotSecret::Setting),
            ("ops@contoso.com", NotSecret::Identifier),
            ("AzurePublicCloud", NotSecret::Identifier),
            ("MC_rg-prod_aks-prod_westeurope", NotSecret::Identifier),
            (
                "system:bootstrappers:kubeadm:default-node-token",
                NotSecret::Identifier,
            ),
            (
                "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)",
                NotSecret::Reference,
            ),
            ("<path:kv/data/app#password>", NotSecret::Reference),
            (
                "ENC[AES256_GCM,data:O+5l4g==,iv:x,tag:y,type:str]",
                NotSecret::Ciphertext,
            ),
            (
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                NotSecret::Public,
            ),
            ("ssh-rsa AAAAB3NzaC1yc2E user@host", NotSecret::Public),
            (
                "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
                NotSecret::Public,
            ),
            (
                "5f1c9a0e-3b7d-4c2a-9e61-0d8b4f7a2c13",
                NotSecret::Identifier,
            ),
            (
                "InstrumentationKey=683d7e8e-8496-412e-a890-757805843104;IngestionEndpoint=https://x/",
                NotSecret::Identifier,
            ),
            (
                "sha256:51b8ab10509e85ab56b81a1d5e003a861b55f2532a9d5279b9773929cfa03935",
                NotSecret::Hash,
            ),
            ("/run/secrets/db_password", NotSecret::Path),
            ("3600", NotSecret::Setting),
            ("true", NotSecret::Setting),
            ("30s", NotSecret::Setting),
            ("<your-password>", NotSecret::Placeholder),
            ("REPLACE_ME", NotSecret::Placeholder),
            ("********", NotSecret::Placeholder),
            (
                "bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                NotSecret::Placeholder,
            ),
            ("AKIAIOSFODNN7EXAMPLE", NotSecret::Placeholder),
            ("somefakekey", NotSecret::Placeholder),
            ("INSERT_ETCD_DISCOVERY_TOKEN", NotSecret::Placeholder),
            ("secretValue", NotSecret::Placeholder),
        ];
        for (value, expected) in cases {
            assert_eq!(not_secret(value), Some(expected), "{value:?}");
        }
        for value in [
            "hunter2",
            "P@ssw0rd!2024",
            "sk_live_abc",
            "$ecret",
            "a{b}c",
            "__init",
            "q7Rt-9vXw-LmP2",
            "Zq9$x",
            "Secret-Value-9911",
        ] {
            assert_eq!(not_secret(value), None, "{value:?} should be a literal");
        }
        assert!(repeats_name("GOOGLE_API_KEY", "GOOGLE_API_KEY_VAL"));
        assert!(!repeats_name("DB_PASSWORD", "Q7RT_9VXW_LMP2"));
    }
}
