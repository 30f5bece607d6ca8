//! Known credential formats, found wherever they sit in a value: Azure keys and connection
//! strings (with the identifiable keys' checksums verified), SAS tokens, Entra ID client
//! secrets, Azure DevOps PATs, GitHub/GitLab/AWS/Slack/Stripe/npm tokens, private keys, JWTs,
//! credentials in URLs and connection-string passwords.
//!
//! Every pattern is compiled once (`regex` guarantees linear time); a set of all of them is
//! matched first, so values without any candidate cost one pass.

use std::ops::Range;
use std::sync::OnceLock;

use regex::{Regex, RegexSet};

use super::checksum::{
    base64_decode, common_annotated_checksum_valid, identifiable_checksum_valid, seed,
};

/// A known-format credential found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    /// The class, e.g. `azure-storage-conn-string`.
    pub class: &'static str,
    /// The bytes of the secret itself within the text (the key, not its `AccountKey=` prefix).
    pub range: Range<usize>,
    /// Whether a checksum built into the format was verified.
    pub verified: bool,
}

/// How the secret of a match is found and checked.
#[derive(Clone, Copy)]
enum Check {
    /// The capture group `secret` (or the whole match) is the secret.
    Plain,
    /// A base64 token that must carry an identifiable-key signature; the class comes from it.
    IdentifiableKey,
    /// A common annotated security key; its checksum is verified.
    CommonAnnotated,
    /// A JWT whose header must decode to JSON with `"alg"`.
    Jwt,
    /// A base32 token that must look random.
    AdoLegacyPat,
    /// A storage or Cosmos DB connection string: the class depends on the endpoint.
    StorageOrCosmos,
    /// A `sig=` value that needs `sv=`, `se=` or `sp=` next to it.
    Sas,
    /// A password inside a connection string, which needs connection-string keys next to it.
    ConnectionStringPassword,
    /// The password of a `scheme://user:password@host` URL.
    UrlPassword,
    /// A secret-named query parameter of a URL (`?apiKey=…`, `?code=…`).
    UrlQuery,
    /// Base64 that decodes to a PEM private key (`client-key-data` of a kubeconfig).
    Base64PrivateKey,
    /// An HTTP Basic credential: base64 of `user:password` with a password.
    BasicAuth,
}

struct Detector {
    class: &'static str,
    pattern: &'static str,
    check: Check,
}

const DETECTORS: &[Detector] = &[
    Detector {
        class: "private-key",
        pattern: r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|\z)",
        check: Check::Plain,
    },
    Detector {
        class: "private-key",
        pattern: r"\bLS0tLS1CRUdJTi[A-Za-z0-9+/]{16,}={0,2}",
        check: Check::Base64PrivateKey,
    },
    Detector {
        class: "private-key",
        pattern: r"PuTTY-User-Key-File-\d+:(?s:.*?)(?:Private-MAC: [0-9a-f]+|\z)",
        check: Check::Plain,
    },
    Detector {
        class: "azure-storage-conn-string",
        pattern: r"(?i)AccountKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{86}==)",
        check: Check::StorageOrCosmos,
    },
    Detector {
        class: "azure-iothub-conn-string",
        pattern: r"(?i)HostName=[^;\s]+\.azure-devices\.net;[^\s]*?SharedAccessKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{42,44}=?)",
        check: Check::Plain,
    },
    Detector {
        class: "azure-servicebus-conn-string",
        pattern: r"(?i)SharedAccessKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{42,44}=?)",
        check: Check::Plain,
    },
    Detector {
        class: "azure-identifiable-key",
        pattern: r"(?P<secret>[A-Za-z0-9+/_-]{32,}(?:\+ASt|AzCa|ACDb|\+ASb|\+AEh|\+ARm|AzFu|AzSe|\+ACR|APIM|AIoT|\+ABa|\+AMC|\+SQL)[A-Za-z0-9+/_-]{5,6}={0,2})",
        check: Check::IdentifiableKey,
    },
    Detector {
        class: "azure-annotated-key",
        pattern: r"(?P<secret>[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?)",
        check: Check::CommonAnnotated,
    },
    Detector {
        class: "azure-sas-token",
        pattern: r"(?i)(?:^|[?&;\s'\x22])sig=(?P<secret>[A-Za-z0-9%+/=]{20,})",
        check: Check::Sas,
    },
    Detector {
        class: "entra-client-secret",
        pattern: r"(?:^|[^A-Za-z0-9_~.\-])(?P<secret>[A-Za-z0-9_~.\-]{3}[78]Q~[A-Za-z0-9_~.\-]{31,34})(?:$|[^A-Za-z0-9_~.\-])",
        check: Check::Plain,
    },
    Detector {
        class: "azure-devops-pat",
        pattern: r"(?:^|[^a-z2-7])(?P<secret>[a-z2-7]{52})(?:$|[^a-z2-7])",
        check: Check::AdoLegacyPat,
    },
    Detector {
        class: "github-token",
        pattern: r"\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255})\b",
        check: Check::Plain,
    },
    Detector {
        class: "github-token",
        pattern: r"\b(?P<secret>github_pat_[A-Za-z0-9_]{40,255})\b",
        check: Check::Plain,
    },
    Detector {
        class: "gitlab-token",
        pattern: r"\b(?P<secret>gl(?:pat|dt|rt|ptt|oas)-[A-Za-z0-9_\-]{20,})",
        check: Check::Plain,
    },
    Detector {
        class: "aws-access-key",
        pattern: r"\b(?P<secret>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})\b",
        check: Check::Plain,
    },
    Detector {
        class: "slack-token",
        pattern: r"\b(?P<secret>xox[abposr]-[A-Za-z0-9\-]{10,})",
        check: Check::Plain,
    },
    Detector {
        class: "slack-webhook",
        pattern: r"(?P<secret>https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{20,})",
        check: Check::Plain,
    },
    Detector {
        class: "stripe-key",
        pattern: r"\b(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{20,})",
        check: Check::Plain,
    },
    Detector {
        class: "npm-token",
        pattern: r"\b(?P<secret>npm_[A-Za-z0-9]{36})\b",
        check: Check::Plain,
    },
    Detector {
        class: "jwt",
        pattern: r"\b(?P<secret>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
        check: Check::Jwt,
    },
    Detector {
        class: "basic-auth",
        pattern: r"(?i)\bbasic\s+(?P<secret>[A-Za-z0-9+/]{8,}={0,2})",
        check: Check::BasicAuth,
    },
    Detector {
        class: "bearer-token",
        pattern: r"(?i)\bbearer\s+(?P<secret>[A-Za-z0-9._~+/=\-]{20,})",
        check: Check::Plain,
    },
    Detector {
        class: "url-credentials",
        pattern: r"\b[a-zA-Z][a-zA-Z0-9+.\-]{1,20}://[^\s:/?#@'\x22]*:(?P<secret>[^\s@/?#'\x22]+)@[^\s/?#'\x22]+",
        check: Check::UrlPassword,
    },
    Detector {
        class: "url-query-secret",
        pattern: r"[?&](?P<name>[A-Za-z_\-]{2,40})=(?P<secret>[^&\s#'\x22]{8,})",
        check: Check::UrlQuery,
    },
    Detector {
        class: "conn-string-password",
        pattern: r"(?i)(?:^|[;,\s])(?:password|pwd)\s*=\s*(?P<secret>\x22[^\x22]*\x22|'[^']*'|[^;,\s]+)",
        check: Check::ConnectionStringPassword,
    },
];

struct Compiled {
    set: RegexSet,
    regexes: Vec<Regex>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| Compiled {
        set: RegexSet::new(DETECTORS.iter().map(|d| d.pattern))
            .expect("the detector patterns compile"),
        regexes: DETECTORS
            .iter()
            .map(|d| Regex::new(d.pattern).expect("the detector patterns compile"))
            .collect(),
    })
}

/// Every known-format credential in `text`, in order, without overlaps (the first detector that
/// claims bytes keeps them).
pub fn detect(text: &str) -> Vec<Detection> {
    if text.len() < 16 {
        return Vec::new();
    }
    let compiled = compiled();
    let mut found: Vec<Detection> = Vec::new();
    for index in compiled.set.matches(text).iter() {
        let detector = &DETECTORS[index];
        for captures in compiled.regexes[index].captures_iter(text) {
            let secret = captures
                .name("secret")
                .unwrap_or_else(|| captures.get(0).expect("a match"));
            let range = secret.range();
            if found
                .iter()
                .any(|d| d.range.start < range.end && range.start < d.range.end)
            {
                continue;
            }
            if let Some((class, verified)) = check(detector, text, &range) {
                found.push(Detection {
                    class,
                    range,
                    verified,
                });
            }
        }
    }
    found.sort_by_key(|d| d.range.start);
    found
}

/// Identifiable-key signatures, their classes and the names of their checksum seeds.
const IDENTIFIABLE: &[(&str, &str, &[&[u8; 8]])] = &[
    ("+ASt", "azure-storage-key", &[b"Default0"]),
    ("AzCa", "azure-redis-key", &[b"Access00"]),
    ("ACDb", "azure-cosmos-key", &[b"MastRO00", b"MastRW00"]),
    (
        "+ASb",
        "azure-servicebus-key",
        &[b"Send0000", b"Listen00", b"Manage00"],
    ),
    (
        "+AEh",
        "azure-eventhub-key",
        &[b"Send0000", b"Listen00", b"Manage00"],
    ),
    (
        "+ARm",
        "azure-relay-key",
        &[b"Send0000", b"Listen00", b"Manage00"],
    ),
    (
        "AzFu",
        "azure-function-key",
        &[b"Functi00", b"System00", b"Master00"],
    ),
    ("AzSe", "azure-search-key", &[b"Query000", b"PAdmin00"]),
    ("+ACR", "azure-container-registry-key", &[b"ACRDflt0"]),
    (
        "APIM",
        "azure-apim-key",
        &[b"Tenant00", b"IoTHub00", b"Gatewy00", b"GitKey00"],
    ),
    (
        "AIoT",
        "azure-iot-key",
        &[b"IoTHub00", b"DpsKey00", b"Device00"],
    ),
    ("+ABa", "azure-batch-key", &[b"AbAcct00"]),
    ("+AMC", "azure-ml-key", &[b"Classic0"]),
    ("+SQL", "azure-sql-key", &[b"UsrPwd00"]),
];

fn check(detector: &Detector, text: &str, range: &Range<usize>) -> Option<(&'static str, bool)> {
    let secret = &text[range.clone()];
    match detector.check {
        Check::Plain => Some((detector.class, false)),
        Check::StorageOrCosmos => {
            let lower = text.to_ascii_lowercase();
            let cosmos =
                lower.contains("documents.azure.com") || lower.contains("accountendpoint=");
            Some((
                if cosmos {
                    "azure-cosmos-conn-string"
                } else {
                    "azure-storage-conn-string"
                },
                false,
            ))
        }
        Check::IdentifiableKey => {
            let trimmed = secret.trim_end_matches('=');
            let signature = trimmed.get(trimmed.len().checked_sub(10)?..trimmed.len() - 6)?;
            let (_, class, seeds) = IDENTIFIABLE.iter().find(|(s, _, _)| *s == signature)?;
            let seeds: Vec<u64> = seeds.iter().map(|name| seed(name)).collect();
            Some((class, identifiable_checksum_valid(secret, &seeds)))
        }
        Check::CommonAnnotated => {
            let provider = secret.get(76..80).unwrap_or("");
            let class = if provider == "AZDO" {
                "azure-devops-pat"
            } else {
                detector.class
            };
            Some((class, common_annotated_checksum_valid(secret)))
        }
        Check::Base64PrivateKey => {
            let decoded = String::from_utf8(base64_decode(secret)?).ok()?;
            let private = decoded.starts_with("-----BEGIN") && decoded.contains("PRIVATE KEY-----");
            private.then_some((detector.class, false))
        }
        Check::BasicAuth => {
            let decoded = String::from_utf8(base64_decode(secret)?).ok()?;
            let (user, password) = decoded.split_once(':')?;
            let credential = !user.is_empty()
                && !password.is_empty()
                && !decoded.contains(char::is_control)
                && super::values::not_secret(password).is_none();
            credential.then_some((detector.class, false))
        }
        Check::Jwt => {
            let header = secret.split('.').next()?;
            let decoded = String::from_utf8(base64_decode(header)?).ok()?;
            decoded
                .contains("\"alg\"")
                .then_some((detector.class, false))
        }
        Check::AdoLegacyPat => {
            let digits = secret.bytes().filter(u8::is_ascii_digit).count();
            (digits >= 3 && super::shape::entropy(secret) >= 3.8).then_some((detector.class, false))
        }
        Check::Sas => {
            let lower = text.to_ascii_lowercase();
            let signed = ["sv=", "se=", "sp=", "sr="]
                .iter()
                .any(|p| lower.contains(p));
            let class = if lower.contains("https://") {
                "azure-sas-url"
            } else {
                "azure-sas-token"
            };
            signed.then_some((class, false))
        }
        Check::ConnectionStringPassword => {
            let lower = text.to_ascii_lowercase();
            let keys = [
                "server=",
                "data source=",
                "host=",
                "initial catalog=",
                "database=",
                "user id=",
                "uid=",
                "username=",
                "user=",
                "ssl=",
            ];
            let redis =
                lower.contains(".redis.cache.windows.net") || lower.contains("abortconnect=");
            let class = if redis {
                "redis-conn-string"
            } else if lower.contains("initial catalog=") || lower.contains("database.windows.net") {
                "sql-conn-string"
            } else {
                "conn-string-password"
            };
            (redis || keys.iter().any(|k| lower.contains(k))).then_some((class, false))
        }
        Check::UrlQuery => {
            let name = text[..range.start]
                .rsplit(['?', '&'])
                .next()?
                .trim_end_matches('=');
            let secret_name = [
                "code",
                "key",
                "apikey",
                "api_key",
                "api-key",
                "token",
                "access_token",
                "password",
                "pwd",
                "secret",
                "client_secret",
                "auth",
            ]
            .contains(&name.to_ascii_lowercase().as_str())
                || super::names::is_secret_like_name(name);
            let plausible = super::shape::plausible_secret(secret)
                && super::values::not_secret(secret).is_none();
            (secret_name && plausible && !name.eq_ignore_ascii_case("sig"))
                .then_some((detector.class, false))
        }
        Check::UrlPassword => {
            let password = secret.trim_matches(['"', '\'']);
            let url = &text[..range.end];
            let reference = super::values::is_expansion(password)
                || password.starts_with('%')
                || password.contains("<");
            let placeholder = super::values::is_placeholder(password)
                || password.eq_ignore_ascii_case("password");
            (!reference && !placeholder && !url.contains("${")).then_some((detector.class, false))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(text: &str) -> Vec<&'static str> {
        detect(text).into_iter().map(|d| d.class).collect()
    }

    #[test]
    fn finds_known_formats() {
        let key = "zXUF1YG5rYlPSphRyCzWZVVGGF9X2ECUb11hnjIZnLF5AMC1Eo/0/GzjzGGc+skBE3Kz2ACai96MFIFicuXkWA==";
        let storage = format!(
            "DefaultEndpointsProtocol=https;AccountName=stx;AccountKey={key};EndpointSuffix=core.windows.net"
        );
        let found = detect(&storage);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].class, "azure-storage-conn-string");
        assert_eq!(&storage[found[0].range.clone()], key);
        assert_eq!(
            classes(&format!(
                "AccountEndpoint=https://c.documents.azure.com:443/;AccountKey={key};"
            )),
            ["azure-cosmos-conn-string"]
        );
        assert_eq!(
            classes(
                "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=Ya5EYuY9K3B1i3x1rb8FqWLQIYoM55jIXBUjBeA4QXg="
            ),
            ["azure-servicebus-conn-string"]
        );
        assert_eq!(
            classes(
                "https://st.blob.core.windows.net/c?sv=2022-11-02&ss=b&se=2026-01-01&sp=r&sig=abcdEFGHijklMNOPqrst%2Buvwx%3D"
            ),
            ["azure-sas-url"]
        );
        assert_eq!(
            classes("client_secret: .IQ8Q~79R7TOWOspFnWcEG-dYt4KXqFqxK16cxr"),
            ["entra-client-secret"]
        );
        assert_eq!(
            classes("token ghp_4XYUyrJCQDnE4OfVXmbUns3iWOU9SdZrtIk1"),
            ["github-token"]
        );
        assert_eq!(classes("glpat-abcdefghij0123456789"), ["gitlab-token"]);
        assert_eq!(classes("key AKIAZ4Q3DSSY7FSJ2NXB"), ["aws-access-key"]);
        assert_eq!(
            classes("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"),
            ["private-key"]
        );
        assert_eq!(
            classes(
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.JZLcASy9ee3XfRzHwyeeJKJ_SMzk3htX7sUgU2m8ItM"
            ),
            ["jwt"]
        );
        assert_eq!(
            classes("postgres://app:s3cr3t-Pa55@pg:5432/app"),
            ["url-credentials"]
        );
        assert_eq!(
            classes(
                "Server=tcp:db.database.windows.net,1433;Initial Catalog=app;User ID=sa;Password=Xy7!kLm2pQ;"
            ),
            ["sql-conn-string"]
        );
        assert_eq!(
            classes(
                "cache.redis.cache.windows.net:6380,password=Kd8sJ2mN4pQ6rT8vX0zB2dF4hJ6kL8nP0rT2vX4zA6c=,ssl=True"
            ),
            ["redis-conn-string"]
        );
        assert_eq!(
            classes("abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop2345"),
            ["azure-devops-pat"]
        );
    }

    #[test]
    fn ignores_look_alikes() {
        assert!(classes("postgres://app:$(DB_PASSWORD)@pg:5432/app").is_empty());
        assert!(classes("https://user:${PASS}@host/").is_empty());
        assert!(classes("https://example.com/path?query=1").is_empty());
        assert!(
            classes("eyJub3QiOiJqd3QifQ.eyJ4IjoieSJ9.abcdefghijk").is_empty(),
            "header without alg"
        );
        assert!(classes("sig=abcdefghijklmnopqrstuvwxyz without sas fields").is_empty());
        assert!(
            classes("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz").is_empty(),
            "no digits: a word run"
        );
        assert!(
            classes("Password=${DB_PASSWORD}").is_empty()
                || !classes("Password=${DB_PASSWORD}").contains(&"url-credentials")
        );
    }

    #[test]
    fn identifiable_keys_are_classified_and_checked() {
        // Shape of an identifiable storage key: 76 characters, the signature, 5 more and [AQgw]==.
        let key = format!("{}+ASt{}A==", "a".repeat(76), "bcdef");
        let found = detect(&key);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].class, "azure-storage-key");
        assert!(
            !found[0].verified,
            "a made-up key does not carry a valid checksum"
        );
    }
}
