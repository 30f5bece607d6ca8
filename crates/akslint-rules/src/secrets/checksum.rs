//! Checksums of Microsoft's identifiable secret formats: Marvin32, the identifiable base64 keys
//! (a fixed 4-character signature, then a 32-bit checksum of everything before it) and the
//! common annotated security keys (`JQQJ99`, a 24-bit checksum at the end).

/// The Marvin32 hash of `data` with `seed`, as 64 bits.
pub fn marvin64(data: &[u8], seed: u64) -> u64 {
    let mut p0 = seed as u32;
    let mut p1 = (seed >> 32) as u32;
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        p0 = p0.wrapping_add(u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]));
        block(&mut p0, &mut p1);
    }
    let rest = chunks.remainder();
    let tail = match rest.len() {
        0 => 0x80,
        1 => 0x8000 | u32::from(rest[0]),
        2 => 0x80_0000 | u32::from(u16::from_le_bytes([rest[0], rest[1]])),
        _ => 0x8000_0000 | u32::from(rest[0]) | u32::from(rest[1]) << 8 | u32::from(rest[2]) << 16,
    };
    p0 = p0.wrapping_add(tail);
    block(&mut p0, &mut p1);
    block(&mut p0, &mut p1);
    u64::from(p1) << 32 | u64::from(p0)
}

/// The Marvin32 hash folded to 32 bits, as the .NET runtime computes it.
pub fn marvin32(data: &[u8], seed: u64) -> u32 {
    let hash = marvin64(data, seed);
    (hash >> 32) as u32 ^ hash as u32
}

fn block(p0: &mut u32, p1: &mut u32) {
    *p1 ^= *p0;
    *p0 = p0.rotate_left(20);
    *p0 = p0.wrapping_add(*p1);
    *p1 = p1.rotate_left(9);
    *p1 ^= *p0;
    *p0 = p0.rotate_left(27);
    *p0 = p0.wrapping_add(*p1);
    *p1 = p1.rotate_left(19);
}

/// A checksum seed named the way Microsoft's key formats name them: eight ASCII characters read
/// as a big-endian number (`"Default0"`).
pub fn seed(name: &[u8; 8]) -> u64 {
    u64::from_be_bytes(*name)
}

/// Decodes standard or URL-safe base64, with or without padding.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = buffer << 6 | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (bits < 6).then_some(out)
}

/// Whether a base64 key (standard or URL-safe) carries a valid identifiable-key checksum for one
/// of `seeds`: the last four decoded bytes are the little-endian Marvin32 of the bytes before.
pub fn identifiable_checksum_valid(key: &str, seeds: &[u64]) -> bool {
    let Some(bytes) = base64_decode(key) else {
        return false;
    };
    if bytes.len() < 8 {
        return false;
    }
    let (body, checksum) = bytes.split_at(bytes.len() - 4);
    let expected = u32::from_le_bytes([checksum[0], checksum[1], checksum[2], checksum[3]]);
    seeds.iter().any(|&seed| marvin32(body, seed) == expected)
}

/// Whether a common annotated security key (84 or 88 characters, `JQQJ99` at offset 52) carries
/// a valid checksum: the last four characters encode the first three bytes of the Marvin32 of
/// the decoded characters before them, with the seed `"Default0"`.
pub fn common_annotated_checksum_valid(key: &str) -> bool {
    let key = key
        .strip_suffix("==")
        .map_or(key, |k| &k[..k.len().saturating_sub(2)]);
    if key.len() != 84 || !key.is_ascii() {
        return false;
    }
    let (body, checksum_text) = key.split_at(key.len() - 4);
    let Some(bytes) = base64_decode(body) else {
        return false;
    };
    let checksum = marvin32(&bytes, seed(b"Default0")).to_le_bytes();
    base64_encode(&checksum[..3]) == checksum_text
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let value =
            chunk.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(value >> (18 - 6 * i) & 63) as usize] as char);
        }
        for _ in chunk.len()..3 {
            out.push('=');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marvin_matches_published_vectors() {
        let seed0 = 0x004f_b61a_001b_dbcc;
        assert_eq!(marvin64(b"", seed0), 0x30ed_35c1_00cd_3c7d);
        assert_eq!(marvin64(&[0xaf], seed0), 0x48e7_3fc7_7d75_ddc1);
        assert_eq!(marvin64(&[0xe7, 0x0f], seed0), 0xb5f6_e1fc_485d_bff8);
        assert_eq!(marvin64(&[0x37, 0xf4, 0x95], seed0), 0xf0b0_7c78_9b8c_f7e8);
        assert_eq!(
            marvin64(&[0x15, 0x3f, 0xb7, 0x98, 0x26], seed0),
            0xe6c0_8c6d_a2af_a997
        );
        assert_eq!(
            marvin64(&[0xab, 0x42, 0x7e, 0xa8, 0xd1, 0x0f, 0xc7], seed0),
            0xe118_47e4_f067_8c41
        );
        assert_eq!(marvin32(b"abc", 0xd53c_d9ce_cd08_93b7), 0x6be0_2a86);
    }

    #[test]
    fn seeds_are_ascii_names() {
        assert_eq!(seed(b"Default0"), 0x4465_6661_756c_7430);
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("a b"), None);
    }

    #[test]
    fn identifiable_checksums_validate_only_when_right() {
        // A key built the way the format says: random bytes, the signature's bytes, the checksum.
        let mut bytes: Vec<u8> = (0u8..60)
            .map(|i| i.wrapping_mul(37).wrapping_add(11))
            .collect();
        let signature = base64_decode("+ASt").expect("signature");
        bytes.extend(&signature);
        bytes.truncate(60);
        let seeds = [seed(b"Default0")];
        let checksum = marvin32(&bytes, seeds[0]).to_le_bytes();
        bytes.extend(checksum);
        let key = base64_encode(&bytes);
        assert!(identifiable_checksum_valid(&key, &seeds));
        let mut tampered = key.clone().into_bytes();
        tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
        assert!(!identifiable_checksum_valid(
            &String::from_utf8(tampered).expect("ascii"),
            &seeds
        ));
        assert!(!identifiable_checksum_valid(&key, &[seed(b"Access00")]));
    }
}
