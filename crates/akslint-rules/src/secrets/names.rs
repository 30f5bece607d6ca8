//! Judging names: does a key or variable name say that its value is a secret, a reference to
//! one, or something public.

/// Words that make a name secret-like wherever they appear in it.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PWD",
    "PASS",
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
    "SHAREDACCESSKEY",
    "AUTHKEY",
    "MASTERKEY",
    "CLIENTSECRET",
    "SASTOKEN",
    "REQUIREPASS",
    "MASTERAUTH",
    "ERLANGCOOKIE",
];

/// Fragments that make a lower-case run-together name secret-like (`azurestorageaccountkey`,
/// `redis-password`, `.dockerconfigjson` is handled by structure).
const COMPACT_FRAGMENTS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "accountkey",
    "accesskey",
    "privatekey",
    "connectionstring",
    "credential",
    "sharedaccesskey",
    "sastoken",
    "masterkey",
    "authkey",
    "pwd",
    "requirepass",
    "masterauth",
    "erlangcookie",
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
    "SEARCH",
    "ADMIN",
    "QUERY",
    "FUNCTION",
    "HOST",
    "APP",
    "WEBHOOK",
    "SERVICE",
    "REDIS",
    "EVENTHUB",
    "SERVICEBUS",
];

/// Last words that make a name describe a secret (its file, length, lifetime, name) rather than
/// hold it.
const NOT_A_VALUE_SUFFIXES: &[&str] = &[
    "FILE",
    "FILES",
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
    "REFS",
    "ID",
    "IDS",
    "TYPE",
    "MODE",
    "POLICY",
    "ENABLED",
    "DISABLED",
    "REQUIRED",
    "HEADER",
    "FIELD",
    "LOCATION",
    "AUDIENCE",
    "ISSUER",
    "SCOPE",
    "SCOPES",
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
    "TIME",
    "DATE",
    "DAYS",
    "HOURS",
    "MINUTES",
    "SECONDS",
    "MOUNT",
    "STORE",
    "VAULT",
    "COUNT",
    "MIN",
    "MAX",
    "SELECTOR",
    "LABEL",
    "ANNOTATION",
    "TEMPLATE",
    "PROPERTY",
    "PARAM",
    "PARAMETER",
    "ENV",
    "VAR",
    "SOURCE",
    "CLASS",
    "USER",
    "USERNAME",
    "LOGIN",
    "MANAGER",
    "REGEX",
    "PATTERN",
    "PREFIX",
    "SUFFIX",
    "STRATEGY",
    "ROLE",
    "ACTION",
    "RESOURCE",
    "SERVICE",
    "PROFILE",
    "METHOD",
    "SECRETS",
];

/// Whole names (compact, lower-case) that refer to a secret held elsewhere.
const REFERENCE_NAMES: &[&str] = &[
    "secretname",
    "secretref",
    "secretkeyref",
    "existingsecret",
    "secretproviderclass",
    "secretobjects",
    "secretstore",
    "secretstoreref",
    "passwordsecret",
    "passwordsecretref",
    "tokensecretref",
    "secretsmanager",
    "secretid",
    "secrettemplate",
    "keyvaultname",
    "keyvaulturi",
    "keyvaultid",
    "keyvault",
    "vaultname",
    "vaulturi",
    "usesecret",
    "secretrotation",
    "enablesecretrotation",
    "rotationpollinterval",
    "tokenrequests",
    "serviceaccounttoken",
    "automountserviceaccounttoken",
    "tokenreviews",
    "tokenpath",
];

/// Splits a name into upper-case words at `_`, `-`, `.`, `/`, spaces and lower-to-upper case
/// changes.
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

/// Lower-case fragments of which every secret-like ASCII name contains one: each of
/// [`SECRET_WORDS`] and [`COMPACT_FRAGMENTS`] contains one, and so does every name that ends in
/// `KEY`. A name without any is rejected before it is split into words.
const SECRET_HINTS: &[&str] = &[
    "pass",
    "masterauth",
    "cookie",
    "pwd",
    "secret",
    "token",
    "key",
    "credential",
    "connstr",
    "connectionstring",
];

/// The name lower-cased with everything but letters and digits removed.
fn compact(name: &str) -> String {
    if name.is_ascii() {
        return name
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Names that hold a secret in one tool and the name of a key in a Secret in another:
/// `secret_key` of Grafana or Django and `secretKey: password` of External Secrets; the
/// `token-secret` of a bootstrap token and `tokenSecret: api-token` of an operator. The value
/// decides ([`names_a_key`]).
pub fn holds_or_names_a_key(name: &str) -> bool {
    let compact = compact(name);
    compact.ends_with("secretkey") || compact.ends_with("tokensecret")
}

/// Whether a value reads as the name of a key in a Secret (`password`, `tls.crt`,
/// `db-password`, `api_token`): lower-case words joined by `.`, `-` or `_`.
pub fn names_a_key(value: &str) -> bool {
    value
        .split(['.', '-', '_'])
        .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Whether a name refers to a secret held elsewhere (`secretName`, `existingSecret`,
/// `passwordSecretRef`, `keyVaultName`) instead of holding one.
pub fn is_reference_name(name: &str) -> bool {
    is_reference_compact(&compact(name))
}

/// [`is_reference_name`] of a name already passed through [`compact`].
fn is_reference_compact(compact: &str) -> bool {
    REFERENCE_NAMES.contains(&compact)
        || compact.starts_with("existingsecret")
        || compact.ends_with("secretref")
        || compact.ends_with("secretname")
        || compact.ends_with("keyref")
        || compact.ends_with("secretkeyname")
}

/// Whether a name says that its value describes a secret rather than being one: the content
/// type, description or display name that Key Vault and other APIs keep beside a secret value,
/// and that their templates mark `@secure()` along with it.
pub fn is_descriptive_name(name: &str) -> bool {
    matches!(
        compact(name).as_str(),
        "contenttype" | "mimetype" | "description" | "displayname" | "encoding"
    )
}

/// Whether a name (an environment variable, a key) says that its value is a secret.
///
/// `DB_PASSWORD`, `apiKey`, `AZURE_CLIENT_SECRET`, `STORAGE_CONNECTION_STRING`,
/// `azurestorageaccountkey` are; `PASSWORD_FILE`, `SECRET_NAME`, `TOKEN_URL`, `KEY_VAULT_NAME`,
/// `existingSecret` and `PWD` are not.
pub fn is_secret_like_name(name: &str) -> bool {
    let compact = compact(name);
    // Non-ASCII names skip the prefilter: upper-casing may change their length (`ß` is `SS`).
    if name.is_ascii() && !SECRET_HINTS.iter().any(|hint| compact.contains(hint)) {
        return false;
    }
    let words = name_words(name);
    if words.is_empty()
        || (words.len() == 1 && words[0] == "PWD")
        || is_reference_compact(&compact)
        || is_telemetry_compact(&compact)
    {
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
    let single_run_together =
        words.len() == 1 && COMPACT_FRAGMENTS.iter().any(|f| compact.contains(f));
    let ends_with_key_file = name.ends_with(".key") || compact.ends_with("privatekey");
    has_word
        || has_qualified_key
        || single_run_together
        || (ends_with_key_file && !name.contains("public"))
}

/// Whether a name (passed through [`compact`]) is about Application Insights telemetry
/// (`appInsightsConnectionString`, `APPINSIGHTS_INSTRUMENTATIONKEY`), whose connection strings
/// and keys are identifiers.
fn is_telemetry_compact(compact: &str) -> bool {
    compact.contains("insights") || compact.contains("instrumentation")
}

/// Whether a name describes something other than a credential's value: its name, location,
/// user, lifetime (see the suffix list), a reference, or public material.
pub fn describes_not_a_value(name: &str) -> bool {
    let words = name_words(name);
    words
        .last()
        .is_some_and(|last| NOT_A_VALUE_SUFFIXES.contains(&last.as_str()))
        || is_reference_name(name)
        || is_public_or_hash_name(name)
        || [
            "username", "user", "login", "email", "host", "hostname", "server", "port", "database",
            "region", "tenant",
        ]
        .contains(&compact(name).as_str())
}

/// Whether a name says its value is public or a fingerprint: certificates and public keys,
/// checksums and digests, images.
pub fn is_public_or_hash_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let compact = compact(name);
    lower.starts_with("checksum/")
        || lower.ends_with(".crt")
        || lower.ends_with(".pub")
        || lower.ends_with(".cer")
        || lower.ends_with("ca.pem")
        || [
            "cabundle",
            "cacert",
            "cacrt",
            "certificate",
            "cert",
            "publickey",
            "publickeys",
            "sshpublickey",
            "keydata",
            "digest",
            "sha256",
            "sha1",
            "md5",
            "checksum",
            "hash",
            "fingerprint",
            "thumbprint",
            "image",
            "imagedigest",
        ]
        .contains(&compact.as_str())
        || compact.ends_with("publickey")
        || compact.ends_with("thumbprint")
        || compact.ends_with("checksum")
        || compact.ends_with("digest")
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
            "azurestorageaccountkey",
            "redis-password",
            "postgresPassword",
            "client_secret",
            "tls.key",
            "ssh-privatekey",
            "AUTH_CLIENTSECRET",
            "rootPassword",
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
            "existingSecret",
            "existingSecretPasswordKey",
            "passwordSecretRef",
            "keyVaultToStoreSecrets",
            "secretName",
            "LLM_SECRET_NAME",
            "credentialsId",
            "passwordLength",
            "secretRotationEnabled",
            "tokenTTL",
            "tokenExpirationTime",
            "ssh-publickey",
            "appInsightsConnectionString",
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
        ] {
            assert!(
                !is_secret_like_name(name),
                "{name} should not be secret-like"
            );
        }
    }

    #[test]
    fn every_secret_word_passes_the_prefilter() {
        let words = SECRET_WORDS.iter().map(|w| w.to_ascii_lowercase());
        let fragments = COMPACT_FRAGMENTS.iter().map(|f| f.to_string());
        for word in words.chain(fragments).chain(["key".to_string()]) {
            assert!(
                SECRET_HINTS.iter().any(|hint| word.contains(hint)),
                "{word} has no hint in SECRET_HINTS"
            );
        }
    }

    #[test]
    fn non_ascii_names_are_judged_in_full() {
        assert!(is_secret_like_name("kennwort_PASSWORD_ü"));
        assert!(is_secret_like_name("contraseña_token"));
        assert_eq!(compact("Ünïcode-Key"), "ünïcodekey");
        assert_eq!(compact("DB_Pass-Word.1"), "dbpassword1");
    }

    #[test]
    fn public_and_hash_names() {
        for name in [
            "checksum/config",
            "ca.crt",
            "caBundle",
            "tls.crt",
            "keyData",
            "sshPublicKey",
            "imageDigest",
        ] {
            assert!(is_public_or_hash_name(name), "{name}");
        }
        assert!(!is_public_or_hash_name("password"));
    }

    #[test]
    fn descriptive_names() {
        for name in ["contentType", "content_type", "description", "displayName"] {
            assert!(is_descriptive_name(name), "{name}");
        }
        for name in ["value", "password", "contentKey", "secretDescriptionKey"] {
            assert!(!is_descriptive_name(name), "{name}");
        }
    }
}
