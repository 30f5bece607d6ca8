//! Known credential formats, found wherever they sit in a value: Azure keys and connection
//! strings (with the identifiable keys' checksums verified), SAS tokens, Entra ID client
//! secrets, Azure DevOps PATs, GitHub/GitLab/AWS/Slack/Stripe/npm tokens, private keys, JWTs,
//! credentials in URLs and connection-string passwords.
//!
//! Every pattern is compiled once (`regex` guarantees linear time). Each detector names the
//! literals (anchors) every match of it contains; one Aho-Corasick pass over a text finds them
//! all, and only the detectors whose anchor is there run their expression, so a text without
//! any candidate costs one pass. (A set of all the expressions, searched for overlapping
//! matches, spent most of its time building lazy DFA states on long texts.) Word boundaries are
//! ASCII (`(?-u:\b)`): a Unicode `\b` makes the lazy DFA give up on any text with a non-ASCII
//! byte and fall back to the PikeVM over the whole text.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

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
    /// Literals of which every match contains one (compared ignoring ASCII case): the detector
    /// runs only on texts that hold one. Empty for a detector gated otherwise.
    anchors: &'static [&'static str],
    check: Check,
}

const DETECTORS: &[Detector] = &[
    Detector {
        class: "private-key",
        pattern: r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|\z)",
        anchors: &["-----BEGIN"],
        check: Check::Plain,
    },
    Detector {
        class: "private-key",
        pattern: r"(?-u:\b)LS0tLS1CRUdJTi[A-Za-z0-9+/]{16,}={0,2}",
        anchors: &["LS0tLS1CRUdJTi"],
        check: Check::Base64PrivateKey,
    },
    Detector {
        class: "private-key",
        pattern: r"PuTTY-User-Key-File-\d+:(?s:.*?)(?:Private-MAC: [0-9a-f]+|\z)",
        anchors: &["PuTTY-User-Key-File-"],
        check: Check::Plain,
    },
    Detector {
        class: "azure-storage-conn-string",
        pattern: r"(?i)AccountKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{86}==)",
        anchors: &["AccountKey"],
        check: Check::StorageOrCosmos,
    },
    Detector {
        class: "azure-iothub-conn-string",
        pattern: r"(?i)HostName=[^;\s]+\.azure-devices\.net;[^\s]*?SharedAccessKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{42,44}=?)",
        anchors: &["SharedAccessKey"],
        check: Check::Plain,
    },
    Detector {
        class: "azure-servicebus-conn-string",
        pattern: r"(?i)SharedAccessKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{42,44}=?)",
        anchors: &["SharedAccessKey"],
        check: Check::Plain,
    },
    Detector {
        class: "azure-identifiable-key",
        pattern: r"(?P<secret>[A-Za-z0-9+/_-]{32,}(?:\+ASt|AzCa|ACDb|\+ASb|\+AEh|\+ARm|AzFu|AzSe|\+ACR|APIM|AIoT|\+ABa|\+AMC|\+SQL)[A-Za-z0-9+/_-]{5,6}={0,2})",
        anchors: &[
            "+ASt", "AzCa", "ACDb", "+ASb", "+AEh", "+ARm", "AzFu", "AzSe", "+ACR", "APIM", "AIoT",
            "+ABa", "+AMC", "+SQL",
        ],
        check: Check::IdentifiableKey,
    },
    Detector {
        class: "azure-annotated-key",
        pattern: r"(?P<secret>[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?)",
        anchors: &["JQQJ9"],
        check: Check::CommonAnnotated,
    },
    Detector {
        class: "azure-sas-token",
        pattern: r"(?i)(?:^|[?&;\s'\x22])sig=(?P<secret>[A-Za-z0-9%+/=]{20,})",
        anchors: &["sig="],
        check: Check::Sas,
    },
    Detector {
        class: "entra-client-secret",
        pattern: r"(?:^|[^A-Za-z0-9_~.\-])(?P<secret>[A-Za-z0-9_~.\-]{3}[78]Q~[A-Za-z0-9_~.\-]{31,34})(?:$|[^A-Za-z0-9_~.\-])",
        anchors: &["Q~"],
        check: Check::Plain,
    },
    Detector {
        class: "azure-devops-pat",
        pattern: r"(?:^|[^a-z2-7])(?P<secret>[a-z2-7]{52})(?:$|[^a-z2-7])",
        anchors: &[],
        check: Check::AdoLegacyPat,
    },
    Detector {
        class: "github-token",
        pattern: r"(?-u:\b)(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255})(?-u:\b)",
        anchors: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        check: Check::Plain,
    },
    Detector {
        class: "github-token",
        pattern: r"(?-u:\b)(?P<secret>github_pat_[A-Za-z0-9_]{40,255})(?-u:\b)",
        anchors: &["github_pat_"],
        check: Check::Plain,
    },
    Detector {
        class: "gitlab-token",
        pattern: r"(?-u:\b)(?P<secret>gl(?:pat|dt|rt|ptt|oas)-[A-Za-z0-9_\-]{20,})",
        anchors: &["glpat-", "gldt-", "glrt-", "glptt-", "gloas-"],
        check: Check::Plain,
    },
    Detector {
        class: "aws-access-key",
        pattern: r"(?-u:\b)(?P<secret>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})(?-u:\b)",
        anchors: &[
            "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA",
        ],
        check: Check::Plain,
    },
    Detector {
        class: "slack-token",
        pattern: r"(?-u:\b)(?P<secret>xox[abposr]-[A-Za-z0-9\-]{10,})",
        anchors: &["xox"],
        check: Check::Plain,
    },
    Detector {
        class: "slack-webhook",
        pattern: r"(?P<secret>https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{20,})",
        anchors: &["hooks.slack.com"],
        check: Check::Plain,
    },
    Detector {
        class: "stripe-key",
        pattern: r"(?-u:\b)(?P<secret>(?:sk|rk)_live_[A-Za-z0-9]{20,})",
        anchors: &["_live_"],
        check: Check::Plain,
    },
    Detector {
        class: "npm-token",
        pattern: r"(?-u:\b)(?P<secret>npm_[A-Za-z0-9]{36})(?-u:\b)",
        anchors: &["npm_"],
        check: Check::Plain,
    },
    Detector {
        class: "jwt",
        pattern: r"(?-u:\b)(?P<secret>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
        anchors: &["eyJ"],
        check: Check::Jwt,
    },
    Detector {
        class: "basic-auth",
        pattern: r"(?i)(?-u:\b)basic\s+(?P<secret>[A-Za-z0-9+/]{8,}={0,2})",
        anchors: &["basic"],
        check: Check::BasicAuth,
    },
    Detector {
        class: "bearer-token",
        pattern: r"(?i)(?-u:\b)bearer\s+(?P<secret>[A-Za-z0-9._~+/=\-]{20,})",
        anchors: &["bearer"],
        check: Check::Plain,
    },
    Detector {
        class: "url-credentials",
        pattern: r"(?-u:\b)[a-zA-Z][a-zA-Z0-9+.\-]{1,20}://[^\s:/?#@'\x22]*:(?P<secret>[^\s@/?#'\x22]+)@[^\s/?#'\x22]+",
        anchors: &["://"],
        check: Check::UrlPassword,
    },
    Detector {
        class: "url-query-secret",
        pattern: r"[?&](?P<name>[A-Za-z_\-]{2,40})=(?P<secret>[^&\s#'\x22]{8,})",
        anchors: &["?", "&"],
        check: Check::UrlQuery,
    },
    Detector {
        class: "conn-string-password",
        pattern: r"(?i)(?:^|[;,\s])(?:password|pwd)\s*=\s*(?P<secret>\x22[^\x22]*\x22|'[^']*'|[^;,\s]+)",
        anchors: &["password", "pwd"],
        check: Check::ConnectionStringPassword,
    },
];

struct Compiled {
    /// Every detector's anchors, in one automaton.
    anchors: AhoCorasick,
    /// The detector of each anchor, by the anchor's pattern id.
    detector_of_anchor: Vec<usize>,
    regexes: Vec<Regex>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let mut literals = Vec::new();
        let mut detector_of_anchor = Vec::new();
        for (index, detector) in DETECTORS.iter().enumerate() {
            for anchor in detector.anchors {
                literals.push(*anchor);
                detector_of_anchor.push(index);
            }
        }
        Compiled {
            anchors: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&literals)
                .expect("the anchors compile"),
            detector_of_anchor,
            regexes: DETECTORS
                .iter()
                .map(|d| Regex::new(d.pattern).expect("the detector patterns compile"))
                .collect(),
        }
    })
}

/// The detectors that may match `text`, as bits by index: those with an anchor in it (one pass
/// over the text for all of them), and the Azure DevOps detector when the text has a run of 52
/// base32 letters.
fn candidates(text: &str) -> u64 {
    const { assert!(DETECTORS.len() <= 64, "the candidates fit in a u64") };
    let compiled = compiled();
    let mut wanted = 0u64;
    for found in compiled.anchors.find_overlapping_iter(text) {
        wanted |= 1 << compiled.detector_of_anchor[found.pattern().as_usize()];
    }
    for (index, detector) in DETECTORS.iter().enumerate() {
        if detector.anchors.is_empty() && has_base32_run(text, 52) {
            wanted |= 1 << index;
        }
    }
    wanted
}

/// Whether the text has `length` consecutive lower-case base32 letters (`a-z`, `2-7`).
fn has_base32_run(text: &str, length: usize) -> bool {
    if text.len() < length {
        return false;
    }
    let mut run = 0;
    text.bytes().any(|b| {
        run = if b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b) {
            run + 1
        } else {
            0
        };
        run >= length
    })
}

/// Every known-format credential in `text`, in order, without overlaps (the first detector that
/// claims bytes keeps them).
pub fn detect(text: &str) -> Vec<Detection> {
    if text.len() < 16 {
        return Vec::new();
    }
    let wanted = candidates(text);
    detect_with(
        text,
        (0..DETECTORS.len()).filter(|i| wanted & (1 << i) != 0),
    )
}

/// [`detect`] with the detectors at `indices` (in order).
fn detect_with(text: &str, indices: impl IntoIterator<Item = usize>) -> Vec<Detection> {
    let compiled = compiled();
    let mut found: Vec<Detection> = Vec::new();
    for index in indices {
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
    fn anchors_gate_no_detector_out_of_a_text_it_matches() {
        let texts = [
            "xoxb-12345678901",
            "Authorization: Basic dXNlcjpwYXNz",
            "Server=db;Password=ab",
            "server=db; pwd = ab",
            "https://u:pw@host.example",
            "https://h.example/?api_key=Zq9Lm4Tr7xWq2Kp8",
            "sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-01-01T00:00:00Z&sig=Zq9Lm4Tr7xWq2Kp8Ab3Cd5Ef7Gh9%3D",
            "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----",
            "PuTTY-User-Key-File-3: ssh-ed25519",
            "DefaultEndpointsProtocol=https;AccountName=a;accountkey=Uan61jlmlq/EWjOWjy5vOfb9fyufDldvBLpuizx8TIKhsawBota0IO030mIrYDdrT7qKdKSfSKc37N0ikRieeQ==",
            "ghp_4XYUyrJCQDnE4OfVXmbUns3iWOU9SdZrtIk1 and AKIAIOSFODNN7EXAMPLE",
            "uy2ipu5j4emwwoyimae7wwhczvtcgfsu7uoopq6ir6qpqptemyst",
            "eeU8Q~uESWTxIBAuCV3RFjtR2iD6Dx_2gKlnoWZu",
            "token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6Cg==",
        ];
        for text in texts {
            let gated = detect(text);
            let every = detect_with(text, 0..DETECTORS.len());
            assert_eq!(gated, every, "{text}");
            assert!(!every.is_empty(), "{text} holds a known format");
        }
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
