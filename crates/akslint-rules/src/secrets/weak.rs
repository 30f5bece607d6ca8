//! Weak and well-known secret values: defaults, dictionary passwords, values from documentation
//! and development tools. Reported by their own rule at a lower severity, never silenced.

/// Passwords found at the top of every breach list, and tools' documented defaults.
const WEAK: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "password1",
    "password123",
    "password!",
    "pass",
    "pass123",
    "changeme",
    "change_me",
    "changeit",
    "admin",
    "admin123",
    "administrator",
    "root",
    "toor",
    "secret",
    "secret123",
    "letmein",
    "welcome",
    "welcome1",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "qwerty",
    "qwerty123",
    "abc123",
    "default",
    "test",
    "test123",
    "testing",
    "guest",
    "demo",
    "postgres",
    "mysql",
    "redis",
    "mongo",
    "oracle",
    "sa",
    "minio123",
    "minioadmin",
    "rabbitmq",
    "elastic",
    "kibana",
    "grafana",
    "prom-operator",
    "admin@123",
    "iloveyou",
    "master",
    "s3cr3t",
    "supersecret",
    "mypassword",
    "temp",
    "temp123",
];

/// Well-known keys and tokens published in documentation or shipped with development tools.
const WELL_KNOWN: &[(&str, &str)] = &[
    (
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "the Azurite storage emulator's published development key",
    ),
    (
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
        "the Cosmos DB emulator's published development key",
    ),
    (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "the AWS documentation's example secret key",
    ),
    (
        "1f2d1e2e67df",
        "the Kubernetes documentation's example Secret password",
    ),
    (
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "the jwt.io example token",
    ),
];

/// Markers of test fixtures that say the value is not used anywhere real.
const TEST_MARKERS: &[&str] = &[
    "do-not-use",
    "donotuse",
    "do_not_use",
    "test-secret",
    "testsecret",
    "not-secret",
    "insecure",
];

/// Why a literal secret value is weak or well known, if it is.
pub fn weakness(value: &str) -> Option<String> {
    let trimmed = value.trim();
    let lower = trimmed.to_ascii_lowercase();
    if let Some((_, what)) = WELL_KNOWN.iter().find(|(known, _)| trimmed.contains(known)) {
        return Some(format!("it is {what}"));
    }
    if WEAK.contains(&lower.as_str()) {
        return Some("it is a default or dictionary password that is guessed first".to_owned());
    }
    if TEST_MARKERS.iter().any(|m| lower.contains(m)) {
        return Some("it is a test value that says it must not be used".to_owned());
    }
    let short = trimmed.chars().count() < 8
        && trimmed
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if short && trimmed.chars().count() >= 3 {
        return Some("it is short and made of lower-case letters and digits only".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_values() {
        for value in [
            "changeme",
            "admin",
            "password",
            "minio123",
            "test-secret-do-not-use",
            "1f2d1e2e67df",
            "abc12",
        ] {
            assert!(weakness(value).is_some(), "{value}");
        }
        for value in ["q7Rt-9vXw-LmP2", "FHwpuYt6YpGkw5bo5", "ezilqwVHapGQ2*PX5"] {
            assert!(weakness(value).is_none(), "{value}");
        }
    }
}
