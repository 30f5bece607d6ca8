//! Secret detection: judging a value together with the key it sits under.
//!
//! - [`names`]: does a key say its value is a secret, a reference to one, or public?
//! - [`values`]: values that are never secrets (references, templates, placeholders, ciphertext,
//!   public material, identifiers, hashes, paths, settings).
//! - [`formats`]: known credential formats, found anywhere, with checksums verified.
//! - [`shape`]: entropy and character classes for values under secret-like keys.
//! - [`weak`]: weak and well-known values, reported at a lower severity.
//! - [`embedded`] and [`command_line`]: key-value pairs inside embedded files, scripts and
//!   command lines.
//! - [`bicep`]: literals of Bicep and ARM JSON files judged with what they are the value of and
//!   where their values go.

pub mod bicep;
pub mod checksum;
pub mod command_line;
pub mod embedded;
pub mod formats;
pub mod names;
pub mod report;
pub mod shape;
pub mod values;
pub mod weak;

use std::ops::Range;

use akslint_core::{Diagnostic, RuleMeta};

use crate::DocumentContext;

pub use names::{is_reference_name, is_secret_like_name, name_words};

use values::NotSecret;

/// A secret found in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Its class, e.g. `azure-storage-conn-string` or `generic-password`.
    pub class: &'static str,
    /// The bytes of the secret within the judged text.
    pub range: Range<usize>,
    /// Why it is weak or well known, when it is: such findings go to the weak-secret rule.
    pub weak: Option<String>,
    /// Whether a checksum built into the format was verified.
    pub verified: bool,
}

/// The secrets of one YAML document, each a finding of the placement rule for where it is
/// written, or of `SEC009` when the value is weak: computed once per document, shared by the
/// rules that report them.
pub struct DocumentSecrets(Vec<Diagnostic>);

/// Reports the secrets of the document that are findings of `rule`.
pub fn report_document(
    cx: &DocumentContext<'_>,
    rule: &'static RuleMeta,
    out: &mut Vec<Diagnostic>,
) {
    let secrets = cx.memo(|cx| {
        let mut found = Vec::new();
        for object in cx.objects {
            for find in crate::rules::OBJECT_SECRET_PLACEMENTS {
                find(&cx.object(object), &mut found);
            }
        }
        for find in crate::rules::DOCUMENT_SECRET_PLACEMENTS {
            find(cx, &mut found);
        }
        DocumentSecrets(found)
    });
    out.extend(
        secrets
            .0
            .iter()
            .filter(|d| d.rule.code == rule.code)
            .cloned(),
    );
}

/// A readable name of a class, for messages.
pub fn class_title(class: &str) -> &'static str {
    match class {
        "private-key" => "private key",
        "azure-storage-conn-string" => "Azure Storage connection string",
        "azure-cosmos-conn-string" => "Azure Cosmos DB connection string",
        "azure-servicebus-conn-string" => "Service Bus / Event Hubs connection string",
        "azure-iothub-conn-string" => "Azure IoT Hub connection string",
        "azure-storage-key" => "Azure Storage account key",
        "azure-redis-key" => "Azure Cache for Redis key",
        "azure-cosmos-key" => "Azure Cosmos DB key",
        "azure-servicebus-key" => "Service Bus key",
        "azure-eventhub-key" => "Event Hubs key",
        "azure-relay-key" => "Azure Relay key",
        "azure-function-key" => "Azure Functions key",
        "azure-search-key" => "Azure AI Search key",
        "azure-container-registry-key" => "Azure Container Registry key",
        "azure-apim-key" => "API Management key",
        "azure-iot-key" => "Azure IoT key",
        "azure-batch-key" => "Azure Batch key",
        "azure-ml-key" => "Azure Machine Learning key",
        "azure-sql-key" => "Azure SQL key",
        "azure-annotated-key" => "Azure annotated security key",
        "azure-devops-pat" => "Azure DevOps personal access token",
        "azure-sas-token" => "shared access signature (SAS) token",
        "azure-sas-url" => "URL with a shared access signature (SAS)",
        "entra-client-secret" => "Microsoft Entra ID client secret",
        "github-token" => "GitHub token",
        "gitlab-token" => "GitLab token",
        "aws-access-key" => "AWS access key",
        "slack-token" => "Slack token",
        "slack-webhook" => "Slack webhook URL",
        "stripe-key" => "Stripe secret key",
        "npm-token" => "npm token",
        "jwt" => "JSON Web Token",
        "bearer-token" => "bearer token",
        "basic-auth" => "HTTP Basic credential",
        "url-credentials" => "password in a URL",
        "url-query-secret" => "secret in a URL query string",
        "sql-conn-string" => "SQL connection string password",
        "redis-conn-string" => "Redis connection string password",
        "conn-string-password" => "connection string password",
        "docker-auth" => "container registry credentials",
        "generic-password" => "password",
        "generic-token" => "token",
        "generic-api-key" => "API key",
        "connection-string" => "connection string",
        _ => "secret",
    }
}

/// The class of a literal under a secret-like name, from the name.
fn generic_class(key: &str) -> &'static str {
    let words = name_words(key);
    let has = |w: &str| words.iter().any(|x| x == w);
    let joined = words.concat();
    if has("PASSWORD")
        || has("PASSWD")
        || has("PWD")
        || has("PASS")
        || has("PASSPHRASE")
        || has("REQUIREPASS")
        || has("MASTERAUTH")
        || joined.contains("PASSWORD")
    {
        "generic-password"
    } else if joined.contains("CONNECTIONSTRING") || has("CONNSTR") {
        "connection-string"
    } else if has("TOKEN") || joined.contains("TOKEN") {
        "generic-token"
    } else if has("KEY") || joined.contains("KEY") {
        "generic-api-key"
    } else {
        "generic-secret"
    }
}

/// The class of a literal under a secret-like name: from the name, and a storage account key
/// when a key named for storage has the shape of one.
fn named_class(key: &str, value: &str) -> &'static str {
    let class = generic_class(key);
    let storage_named = name_words(key)
        .iter()
        .any(|w| w.contains("STORAGE") || w.contains("ACCOUNT"));
    if class == "generic-api-key" && value.len() == 88 && value.ends_with("==") && storage_named {
        "azure-storage-key"
    } else {
        class
    }
}

/// Whether a detection's own text is a stand-in rather than a secret.
fn stand_in(text: &str) -> bool {
    matches!(
        values::not_secret(text),
        Some(
            NotSecret::Empty
                | NotSecret::Expansion
                | NotSecret::Reference
                | NotSecret::Placeholder
                | NotSecret::Ciphertext
        )
    )
}

/// Judges one value under an optional key: a known format anywhere in it, or, under a
/// secret-like key, a literal that is not a reference, template, placeholder or setting.
pub fn judge(key: Option<&str>, value: &str) -> Option<Finding> {
    if key.is_some_and(|k| names::is_reference_name(k) || names::is_public_or_hash_name(k)) {
        return None;
    }
    if let Some(finding) = known_format(value) {
        return Some(finding);
    }
    let trimmed = value.trim();
    if let Some(finding) = key.and_then(|k| random_key(k, value, trimmed)) {
        return Some(finding);
    }
    let key = key.filter(|k| names::is_secret_like_name(k))?;
    if values::not_secret(trimmed).is_some()
        || values::repeats_name(key, trimmed)
        || (generic_class(key) == "connection-string"
            && is_connection_string_without_credential(trimmed))
    {
        return None;
    }
    let start = value.find(trimmed).unwrap_or(0);
    let range = start..start + trimmed.len();
    if names_key_within_secret(key, trimmed)
        || (names::holds_or_names_a_key(key) && names::names_a_key(trimmed))
    {
        return None;
    }
    if let Some(weakness) = weak::weakness(trimmed) {
        return Some(Finding {
            class: generic_class(key),
            range,
            weak: Some(weakness),
            verified: false,
        });
    }
    if shape::looks_like_resource_name(trimmed)
        || shape::is_title_word(trimmed)
        || !shape::plausible_secret(trimmed)
    {
        return None;
    }
    Some(Finding {
        class: named_class(key, trimmed),
        range,
        weak: None,
        verified: false,
    })
}

/// The first known-format credential in a value that is not a stand-in.
fn known_format(value: &str) -> Option<Finding> {
    formats::detect(value).into_iter().find_map(|detection| {
        let text = &value[detection.range.clone()];
        (!stand_in(text)).then(|| Finding {
            class: detection.class,
            weak: weak::weakness(text).filter(|_| !detection.verified),
            range: detection.range,
            verified: detection.verified,
        })
    })
}

/// Whether a value is a `key=value;…` connection string without a credential in it
/// (`Server=db;Database=app;Authentication=Active Directory Default`), which is not a secret
/// whatever the name it is under says.
fn is_connection_string_without_credential(value: &str) -> bool {
    value.contains(';')
        && value
            .split(';')
            .filter(|part| !part.trim().is_empty())
            .all(|part| {
                part.split_once('=').is_some_and(|(key, _)| {
                    let key = key.trim();
                    !names::is_secret_like_name(key)
                        && !["pwd", "sig", "key"].contains(&key.to_ascii_lowercase().as_str())
                })
            })
}

/// Judges a value that holds a credential because of where it sits, whatever its name says: a
/// property Azure treats as a password, a `@secure()` parameter. Any literal but a stand-in
/// (a reference, template, placeholder, identifier, …) is a secret; `name` gives its class.
pub fn judge_known_secret(name: &str, value: &str) -> Option<Finding> {
    if let Some(finding) = known_format(value) {
        return Some(finding);
    }
    let trimmed = value.trim();
    if values::not_secret(trimmed).is_some() {
        return None;
    }
    let start = value.find(trimmed).unwrap_or(0);
    Some(Finding {
        class: named_class(name, trimmed),
        range: start..start + trimmed.len(),
        weak: weak::weakness(trimmed),
        verified: false,
    })
}

/// Whether `key: value` names the key of a credential inside a Secret (`passwordKey: password`,
/// `userPasswordKey: redis-password`): the name ends in `key` and the value is lower-case words.
fn names_key_within_secret(key: &str, value: &str) -> bool {
    name_words(key).last().is_some_and(|w| w == "KEY") && names::names_a_key(value)
}

/// A random-looking value of 32 characters or more under a name that ends in `key`
/// (`--key=…`, `key:`): a key, although the name alone does not say so (`CACHE_KEY: orders-v2`
/// does not look random).
fn random_key(key: &str, value: &str, trimmed: &str) -> Option<Finding> {
    if trimmed.len() < 32 {
        return None;
    }
    let words = name_words(key);
    let named_key = words.last().is_some_and(|w| w == "KEY" || w == "KEYS");
    if !named_key || names::is_secret_like_name(key) || !shape::looks_random(trimmed) {
        return None;
    }
    if values::not_secret(trimmed).is_some() {
        return None;
    }
    let start = value.find(trimmed).unwrap_or(0);
    let storage = trimmed.len() == 88 && trimmed.ends_with("==");
    Some(Finding {
        class: if storage {
            "azure-storage-key"
        } else {
            "generic-api-key"
        },
        range: start..start + trimmed.len(),
        weak: None,
        verified: false,
    })
}

/// Judges a text that may embed a file (a ConfigMap entry, an annotation, a script): the whole
/// text as one value when it is a single line, else every known format in it and every
/// key-value pair it contains.
pub fn scan_text(key: Option<&str>, text: &str) -> Vec<Finding> {
    let single_value =
        !text.trim_end().contains('\n') && !text.trim_start().starts_with(['{', '[']);
    if single_value {
        if let Some(finding) = judge(key, text) {
            return vec![finding];
        }
        // A one-line file: `client_secret = "…"`, `"password": "…",`.
        return embedded::pairs(text)
            .into_iter()
            .filter_map(|pair| {
                let mut finding = judge(Some(&pair.key), &text[pair.value.clone()])?;
                finding.range =
                    pair.value.start + finding.range.start..pair.value.start + finding.range.end;
                Some(finding)
            })
            .take(1)
            .collect();
    }
    let mut found: Vec<Finding> = Vec::new();
    let overlaps = |found: &[Finding], range: &Range<usize>| {
        found
            .iter()
            .any(|f| f.range.start < range.end && range.start < f.range.end)
    };
    for detection in formats::detect(text) {
        let inner = &text[detection.range.clone()];
        if !stand_in(inner) {
            found.push(Finding {
                class: detection.class,
                weak: weak::weakness(inner).filter(|_| !detection.verified),
                range: detection.range,
                verified: detection.verified,
            });
        }
    }
    for pair in embedded::pairs(text) {
        let value = &text[pair.value.clone()];
        if overlaps(&found, &pair.value) {
            continue;
        }
        if let Some(mut finding) = judge(Some(&pair.key), value) {
            finding.range =
                pair.value.start + finding.range.start..pair.value.start + finding.range.end;
            found.push(finding);
        }
    }
    found.sort_by_key(|f| f.range.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(key: Option<&str>, value: &str) -> Option<&'static str> {
        judge(key, value)
            .filter(|f| f.weak.is_none())
            .map(|f| f.class)
    }

    #[test]
    fn judged_with_their_keys() {
        assert_eq!(
            class(Some("DB_PASSWORD"), "q7Rt-9vXw-LmP2"),
            Some("generic-password")
        );
        assert_eq!(
            class(
                Some("client_secret"),
                "6da89121079f83b2eb6acccf8219ea982c3d79bccc3e9c6a85856480661f8fde"
            ),
            Some("generic-secret")
        );
        assert_eq!(
            class(
                Some("checksum/secret"),
                "d04d429164b00e2105f7563788f053f8ccad6926bdb06fceb1844c66907a5df8"
            ),
            None
        );
        assert_eq!(class(Some("DB_PASSWORD"), "$(VAULT_DB_PASSWORD)"), None);
        assert_eq!(class(Some("token"), "db-password-secret"), None);
        assert_eq!(class(Some("secretName"), "q7Rt-9vXw-LmP2"), None);
        assert_eq!(class(Some("LOG_LEVEL"), "q7Rt-9vXw-LmP2"), None);
        assert_eq!(
            class(None, "ghp_4XYUyrJCQDnE4OfVXmbUns3iWOU9SdZrtIk1"),
            Some("github-token")
        );
        assert_eq!(
            class(
                Some("image"),
                "app@sha256:51b8ab10509e85ab56b81a1d5e003a861b55f2532a9d5279b9773929cfa03935"
            ),
            None
        );
        let weak = judge(Some("rootPassword"), "changeme").expect("weak");
        assert!(weak.weak.is_some());
    }

    #[test]
    fn secrets_known_by_where_they_sit() {
        let found = judge_known_secret("adminPassword", "orders-admin-2024").expect("a secret");
        assert_eq!(
            (found.class, found.weak.is_none()),
            ("generic-password", true)
        );
        assert!(judge_known_secret("secret", "changeme").is_some_and(|f| f.weak.is_some()));
        for stand_in in [
            "",
            "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)",
            "<admin-password>",
            "${…}",
        ] {
            assert_eq!(
                judge_known_secret("adminPassword", stand_in),
                None,
                "{stand_in}"
            );
        }
        let key = "zXUF1YG5rYlPSphRyCzWZVVGGF9X2ECUb11hnjIZnLF5AMC1Eo/0/GzjzGGc+skBE3Kz2ACai96MFIFicuXkWA==";
        assert_eq!(
            judge_known_secret("accountKey", key).map(|f| f.class),
            Some("azure-storage-key")
        );
    }

    #[test]
    fn settings_under_secret_like_names() {
        assert_eq!(
            class(
                Some("ORDERS_CONNECTION_STRING"),
                "Server=db;Database=orders;Authentication=ActiveDirectoryDefault"
            ),
            None
        );
        assert_eq!(
            class(
                Some("ORDERS_CONNECTION_STRING"),
                "Server=db;Database=orders;AccountKey=c2hvcnQta2V5"
            ),
            Some("connection-string")
        );
        assert_eq!(class(Some("registrationTokenOperation"), "Update"), None);
        assert_eq!(
            class(Some("tokenExpirationTime"), "2030-01-01T00:00:00Z"),
            None
        );
    }

    #[test]
    fn embedded_files() {
        let properties = "spring.datasource.url=jdbc:postgresql://pg:5432/app\nspring.datasource.password=UATC3ZjduQWjW1n95\n";
        let found = scan_text(Some("application.properties"), properties);
        assert_eq!(found.len(), 1);
        assert_eq!(&properties[found[0].range.clone()], "UATC3ZjduQWjW1n95");
        let json = r#"{"ConnectionStrings":{"Default":"Server=db;Database=app;User Id=sa;Password=Xy7!kLm2pQ;"},"Logging":{"Level":"Info"}}"#;
        let found = scan_text(Some("appsettings.json"), json);
        assert_eq!(
            found.iter().map(|f| f.class).collect::<Vec<_>>(),
            ["conn-string-password"]
        );
        assert!(scan_text(Some("settings"), "mode: fast\nreplicas: 3\n").is_empty());
    }
}
