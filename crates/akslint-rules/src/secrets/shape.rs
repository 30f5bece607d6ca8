//! The shape of a value: entropy, character classes, whether it looks random.

/// Shannon entropy of the characters, in bits per character.
pub fn entropy(text: &str) -> f64 {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return 0.0;
    }
    let mut counts: Vec<(char, usize)> = Vec::new();
    for &c in &chars {
        match counts.iter_mut().find(|(seen, _)| *seen == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    let total = chars.len() as f64;
    counts
        .iter()
        .map(|&(_, n)| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// How many of lower-case letters, upper-case letters, digits and other characters appear.
pub fn character_classes(text: &str) -> usize {
    let lower = text.chars().any(|c| c.is_lowercase());
    let upper = text.chars().any(|c| c.is_uppercase());
    let digit = text.chars().any(|c| c.is_ascii_digit());
    let other = text.chars().any(|c| !c.is_alphanumeric());
    [lower, upper, digit, other]
        .into_iter()
        .filter(|&b| b)
        .count()
}

/// Whether a value could be a password or key chosen by a person or a generator: no spaces,
/// at least 6 characters, more than one kind of character or long enough, and not just a word.
pub fn plausible_secret(text: &str) -> bool {
    let length = text.chars().count();
    if !(6..=4096).contains(&length) || text.contains(char::is_whitespace) {
        return false;
    }
    let classes = character_classes(text);
    (classes >= 2 && entropy(text) >= 2.2) || (length >= 12 && entropy(text) >= 3.0)
}

/// Whether a value is one capitalised word (`Update`, `Enabled`, `Standard`): a setting, not a
/// secret (the weak ones, such as `Welcome`, are judged weak before this).
pub fn is_title_word(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && text.len() <= 12
        && chars.all(|c| c.is_ascii_lowercase())
}

/// Whether a value looks machine-generated: long, high entropy, several kinds of characters.
pub fn looks_random(text: &str) -> bool {
    let length = text.chars().count();
    length >= 16
        && !text.contains(char::is_whitespace)
        && character_classes(text) >= 2
        && entropy(text) >= 3.5
        && !looks_like_resource_name(text)
}

/// Whether a value reads like a Kubernetes or Azure resource name or path made of words
/// (`orders-db-credentials`, `kv-prod-weu`, `database/creds/app`), which under a secret-like key
/// names a secret instead of holding one. Parts with digits must be short (`v2`, `01`) or a
/// small number (`6379`), so `q7rt-9vxw-lmp2` is not one.
pub fn looks_like_resource_name(text: &str) -> bool {
    let allowed = |b: u8| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'/' | b'_')
    };
    if text.len() > 253 || !text.bytes().all(allowed) {
        return false;
    }
    let parts: Vec<&str> = text
        .split(['-', '.', '/', '_'])
        .filter(|p| !p.is_empty())
        .collect();
    let words = parts
        .iter()
        .filter(|p| p.len() >= 2 && p.bytes().all(|b| b.is_ascii_lowercase()))
        .count();
    let digits_short = parts.iter().all(|p| {
        !p.bytes().any(|b| b.is_ascii_digit())
            || p.len() <= 3
            || (p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    });
    parts.len() >= 2 && words * 2 >= parts.len() && digits_short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(entropy("aaaa") < 0.1);
        assert!(entropy("abcd") > 1.9);
        assert!(plausible_secret("q7Rt-9vXw-LmP2"));
        assert!(plausible_secret("FHwpuYt6YpGkw5bo5"));
        assert!(!plausible_secret("admin"));
        assert!(is_title_word("Update"));
        assert!(!is_title_word("Upd4te") && !is_title_word("UPDATE") && !is_title_word("Update!"));
        assert!(!plausible_secret("two words"));
        assert!(looks_random("ZmFrZWtleWZha2VrZXlmYWtla2V5ZmFrZWtleQ"));
        assert!(!looks_random("orders-db-credentials"));
        assert!(looks_like_resource_name("orders-db-credentials"));
        assert!(looks_like_resource_name("db-password-secret"));
        assert!(!looks_like_resource_name("q7rt-9vxw-lmp2"));
        assert!(looks_like_resource_name("database/creds/app"));
        assert!(looks_like_resource_name("redis-6379"));
        assert!(!looks_like_resource_name("pk_9f8e7d6c5b4a3210"));
        assert!(!looks_like_resource_name("cmp2-qat-1208358310"));
    }
}
