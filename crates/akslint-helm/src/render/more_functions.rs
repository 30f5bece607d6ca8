//! The less used functions of the library: `set`/`unset` (which change maps, as in Go),
//! regular expressions, `semverCompare`, `fromYaml`/`fromJson`, string and list helpers,
//! float arithmetic, and the install-time values (`now`, `date`).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::exec::{RenderError, invalid, unsupported};
use super::functions::{
    GENERATED, check_arity, computed, fmt_value, go_int, same, spaced, text_of, to_json,
};
use super::text::{Source, Text};
use super::value::{Kind, Value};

type Result<T> = std::result::Result<T, RenderError>;

/// Longest regular expression compiled (bytes of its compiled program).
const MAX_REGEX_SIZE: usize = 1 << 20;

/// Calls one of the less used functions; an unknown name is an unsupported-function error.
pub(super) fn call(name: &str, args: &[Value], at: Source) -> Result<Value> {
    let text = |i: usize| text_of(args.get(i), name, at);
    let arity = |n: usize| check_arity(name, args.len(), n, at);
    let value = match name {
        "set" | "unset" => {
            arity(if name == "set" { 3 } else { 2 })?;
            let Kind::Map(map) = &args[0].kind else {
                return Err(invalid(at, format!("{name}: not a map")));
            };
            let key = text(1)?.as_str().to_owned();
            if name == "set" {
                map.borrow_mut().insert(key, args[2].clone());
            } else {
                map.borrow_mut().remove(&key);
            }
            args[0].clone()
        }
        "regexMatch" | "mustRegexMatch" => {
            arity(2)?;
            computed(
                Kind::Bool(regex(&text(0)?, at)?.is_match(text(1)?.as_str())),
                args,
            )
        }
        "regexFind" | "mustRegexFind" => {
            arity(2)?;
            let subject = text(1)?;
            let found = regex(&text(0)?, at)?
                .find(subject.as_str())
                .map(|m| m.range());
            Value::text(found.map_or_else(|| Text::plain(""), |range| subject.slice(range)))
        }
        "regexFindAll" | "mustRegexFindAll" => {
            arity(3)?;
            let subject = text(1)?;
            let limit = usize::try_from(go_int(&args[2], at)?).unwrap_or(usize::MAX);
            let found = regex(&text(0)?, at)?
                .find_iter(subject.as_str())
                .take(limit)
                .map(|m| Value::text(subject.slice(m.range())))
                .collect();
            Value::list(found)
        }
        "regexReplaceAll"
        | "mustRegexReplaceAll"
        | "regexReplaceAllLiteral"
        | "mustRegexReplaceAllLiteral" => {
            arity(3)?;
            let (pattern, subject, replacement) = (text(0)?, text(1)?, text(2)?);
            let re = regex(&pattern, at)?;
            let literal = name.ends_with("Literal");
            Value::text(subject.map(|s| {
                if literal {
                    re.replace_all(s, regex::NoExpand(replacement.as_str()))
                        .into_owned()
                } else {
                    re.replace_all(s, replacement.as_str()).into_owned()
                }
            }))
        }
        "regexSplit" | "mustRegexSplit" => {
            arity(3)?;
            let subject = text(1)?;
            let limit = go_int(&args[2], at)?;
            let re = regex(&text(0)?, at)?;
            let parts: Vec<Value> = if limit < 0 {
                re.split(subject.as_str()).map(Value::str).collect()
            } else {
                re.splitn(subject.as_str(), limit as usize)
                    .map(Value::str)
                    .collect()
            };
            Value::list(parts)
        }
        "semverCompare" => {
            arity(2)?;
            let (constraint, version) = (text(0)?, text(1)?);
            let version = Version::parse(version.as_str()).ok_or_else(|| {
                invalid(
                    at,
                    format!("semverCompare: invalid version {:?}", version.as_str()),
                )
            })?;
            let holds = constraint_holds(constraint.as_str(), &version).ok_or_else(|| {
                invalid(
                    at,
                    format!(
                        "semverCompare: invalid constraint {:?}",
                        constraint.as_str()
                    ),
                )
            })?;
            computed(Kind::Bool(holds), args)
        }
        "semver" => {
            arity(1)?;
            let source = text(0)?;
            let version = Version::parse(source.as_str()).ok_or_else(|| {
                invalid(at, format!("semver: invalid version {:?}", source.as_str()))
            })?;
            let number = |n: u64| Value::new(Kind::Int(i64::try_from(n).unwrap_or(i64::MAX)));
            let mut map = BTreeMap::new();
            map.insert("Major".to_owned(), number(version.numbers[0]));
            map.insert("Minor".to_owned(), number(version.numbers[1]));
            map.insert("Patch".to_owned(), number(version.numbers[2]));
            map.insert(
                "Prerelease".to_owned(),
                Value::str(version.pre.as_deref().unwrap_or_default()),
            );
            map.insert("Original".to_owned(), Value::text(source));
            Value::map(map)
        }
        "fromYaml" | "fromJson" | "fromYamlArray" | "fromJsonArray" => {
            arity(1)?;
            let source = text(0)?;
            parse_yaml(&source, name.ends_with("Array"))
        }
        "toRawJson" | "mustToJson" | "mustToRawJson" => {
            arity(1)?;
            Value::text(Text::from_source(&to_json(&args[0]), args[0].origin))
        }
        "split" => {
            arity(2)?;
            let (separator, subject) = (text(0)?, text(1)?);
            let mut map = BTreeMap::new();
            let mut start = 0;
            let s = subject.as_str();
            let mut index = 0;
            if !separator.as_str().is_empty() {
                for (i, _) in s.match_indices(separator.as_str()) {
                    map.insert(format!("_{index}"), Value::text(subject.slice(start..i)));
                    index += 1;
                    start = i + separator.as_str().len();
                }
            }
            map.insert(
                format!("_{index}"),
                Value::text(subject.slice(start..s.len())),
            );
            Value::map(map)
        }
        "substr" => {
            arity(3)?;
            let subject = text(2)?;
            let len = subject.as_str().len() as i64;
            let start = go_int(&args[0], at)?.clamp(0, len) as usize;
            let end = match go_int(&args[1], at)? {
                e if e < 0 || e > len => len as usize,
                e => e as usize,
            };
            let (start, end) = (
                floor_char(subject.as_str(), start),
                floor_char(subject.as_str(), end.max(start)),
            );
            Value::text(subject.slice(start..end))
        }
        "trimAll" => {
            arity(2)?;
            let (cutset, subject) = (text(0)?, text(1)?);
            let s = subject.as_str();
            let cut = |c: char| cutset.as_str().contains(c);
            let start = s.len() - s.trim_start_matches(cut).len();
            Value::text(subject.slice(start..s.trim_end_matches(cut).len().max(start)))
        }
        "cat" => Value::text(spaced(args, fmt_value)),
        "repeat" => {
            arity(2)?;
            let count = usize::try_from(go_int(&args[0], at)?)
                .unwrap_or(0)
                .min(1 << 16);
            Value::text(text(1)?.map(|s| s.repeat(count)))
        }
        "nospace" => {
            Value::text(text(0)?.map(|s| s.chars().filter(|c| !c.is_whitespace()).collect()))
        }
        "b64dec" => {
            arity(1)?;
            let decoded = base64_decode(text(0)?.as_str())
                .ok_or_else(|| invalid(at, "b64dec: not base64".into()))?;
            Value::text(text(0)?.map(|_| decoded))
        }
        "sha1sum" => Value::text(text(0)?.map(|s| sha1_hex(s.as_bytes()))),
        "until" | "untilStep" => {
            let (start, stop, step) = match args {
                [n] => (0, go_int(n, at)?, 1),
                [a, b, c] => (go_int(a, at)?, go_int(b, at)?, go_int(c, at)?),
                _ => return Err(invalid(at, format!("{name}: wrong number of arguments"))),
            };
            if step == 0 || (stop - start) / step > 1 << 16 {
                return Err(invalid(at, format!("{name}: too many elements")));
            }
            let mut items = Vec::new();
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                items.push(Value::new(Kind::Int(i)));
                i += step;
            }
            Value::list(items)
        }
        "uniq" | "mustUniq" | "compact" | "mustCompact" | "reverse" | "mustReverse"
        | "sortAlpha" | "shuffle" | "rest" | "mustRest" | "initial" | "mustInitial" => {
            arity(1)?;
            let Kind::List(items) = &args[0].kind else {
                return Ok(Value::list(Vec::new()));
            };
            let mut items = items.as_ref().clone();
            match name {
                "uniq" | "mustUniq" => {
                    let mut kept: Vec<Value> = Vec::new();
                    for item in items {
                        if !kept.iter().any(|k| same(k, &item)) {
                            kept.push(item);
                        }
                    }
                    items = kept;
                }
                "compact" | "mustCompact" => items.retain(Value::truthy),
                "reverse" | "mustReverse" => items.reverse(),
                "sortAlpha" => items.sort_by_key(|i| i.scalar_text()),
                "rest" | "mustRest" if !items.is_empty() => {
                    items.remove(0);
                }
                "initial" | "mustInitial" => {
                    items.pop();
                }
                // `shuffle` is random at install time: the order of the chart is kept.
                _ => {}
            }
            Value::list(items)
        }
        "without" | "mustWithout" => {
            let (list, removed) = args
                .split_first()
                .ok_or_else(|| invalid(at, format!("{name}: missing arguments")))?;
            let Kind::List(items) = &list.kind else {
                return Ok(Value::list(Vec::new()));
            };
            Value::list(
                items
                    .iter()
                    .filter(|i| !removed.iter().any(|r| same(i, r)))
                    .cloned()
                    .collect(),
            )
        }
        "prepend" | "mustPrepend" => {
            arity(2)?;
            let mut items = match &args[0].kind {
                Kind::List(items) => items.as_ref().clone(),
                _ => Vec::new(),
            };
            items.insert(0, args[1].clone());
            Value::list(items)
        }
        "values" => {
            arity(1)?;
            Value::list(
                args[0]
                    .as_map()
                    .map(|m| m.values().cloned().collect())
                    .unwrap_or_default(),
            )
        }
        "typeOf" => {
            arity(1)?;
            Value::str(go_type(&args[0]))
        }
        "typeIs" => {
            arity(2)?;
            computed(Kind::Bool(go_type(&args[1]) == text(0)?.as_str()), args)
        }
        "addf" | "subf" | "mulf" | "divf" => {
            let numbers: Vec<f64> = args
                .iter()
                .map(|a| float_of(a, at))
                .collect::<Result<_>>()?;
            let (first, rest) = numbers
                .split_first()
                .ok_or_else(|| invalid(at, format!("{name}: missing arguments")))?;
            let result = rest.iter().fold(*first, |acc, n| match name {
                "addf" => acc + n,
                "subf" => acc - n,
                "mulf" => acc * n,
                _ => acc / n,
            });
            computed(Kind::Float(result), args)
        }
        "floor" | "ceil" => {
            let f = float_of(args.first().unwrap_or(&Value::default()), at)?;
            let result = if name == "floor" { f.floor() } else { f.ceil() };
            computed(Kind::Float(result), args)
        }
        // Sprig's `round VALUE PLACES [ROUND_ON]`: up when the fraction of the scaled value is
        // at least ROUND_ON (0.5), else down (so -2.5 rounds to -3); PLACES is a Go `int`.
        "round" => {
            let [value, places, rest @ ..] = args else {
                return Err(invalid(
                    at,
                    format!(
                        "wrong number of args for round: want at least 2 got {}",
                        args.len()
                    ),
                ));
            };
            let round_on = match rest.first() {
                Some(on) => float_of(on, at)?,
                None => 0.5,
            };
            let scale = 10f64.powf(go_int(places, at)? as f64);
            let scaled = scale * float_of(value, at)?;
            let rounded = if scaled.fract() >= round_on {
                scaled.ceil()
            } else {
                scaled.floor()
            };
            computed(Kind::Float(rounded / scale), args)
        }
        // The time of the installation: generated then, never written in the chart.
        "now" | "date" | "dateInZone" | "unixEpoch" | "htmlDate" | "dateModify" => {
            Value::str(GENERATED)
        }
        _ => {
            return Err(unsupported(
                at,
                format!("function `{name}` is not rendered yet"),
            ));
        }
    };
    Ok(value)
}

/// A regular expression, compiled within a size limit (Go's RE2 syntax is close to Rust's; see
/// [`go_pattern`] for where they part).
fn regex(pattern: &Text, at: Source) -> Result<regex::Regex> {
    regex::RegexBuilder::new(&go_pattern(pattern.as_str()))
        .size_limit(MAX_REGEX_SIZE)
        .build()
        .map_err(|e| invalid(at, format!("invalid regular expression: {e}")))
}

/// A Go regular expression in Rust's syntax: in a character class, Go reads a `-` right after a
/// class escape (`[\\w-.]`) as a literal dash where Rust refuses the range, so it is escaped.
fn go_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            out.push(c);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        match c {
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            // Go reads the character after a class escape as a single one, never the start
            // of a range.
            '-' if in_class
                && i >= 2
                && chars[i - 2] == '\\'
                && "dDsSwW".contains(chars[i - 1]) =>
            {
                out.push_str("\\-");
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

fn float_of(value: &Value, at: Source) -> Result<f64> {
    match &value.kind {
        Kind::Int(n) => Ok(*n as f64),
        Kind::Float(f) => Ok(*f),
        Kind::Str(s) => Ok(s.as_str().trim().parse().unwrap_or(0.0)),
        Kind::Nil => Ok(0.0),
        _ => Err(invalid(
            at,
            format!("expected a number, got {}", value.kind_name()),
        )),
    }
}

/// The largest character boundary at or below `i`.
fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Go's `%T` of a value.
fn go_type(value: &Value) -> &'static str {
    match &value.kind {
        Kind::Nil => "<nil>",
        Kind::Bool(_) => "bool",
        Kind::Int(_) => "int64",
        Kind::Float(_) => "float64",
        Kind::Str(_) => "string",
        Kind::List(_) => "[]interface {}",
        Kind::Map(_) => "map[string]interface {}",
    }
}

/// `fromYaml`: the first document of a YAML (or JSON) text; an array with `array`. A text
/// that does not parse gives `{"Error": message}`, as Helm's do.
fn parse_yaml(source: &Text, array: bool) -> Value {
    let file = Arc::new(akslint_core::SourceFile::new(
        "fromYaml",
        akslint_core::SourceKind::Yaml,
        source.as_str(),
    ));
    let parsed = akslint_yaml::parse(&file, &akslint_core::Limits::default());
    if let Some(problem) = parsed.problems.first() {
        let mut map = BTreeMap::new();
        map.insert("Error".to_owned(), Value::str(&problem.message));
        return Value::map(map);
    }
    let value = parsed
        .documents
        .first()
        .and_then(|d| {
            d.root
                .map(|root| Value::from_tree(&d.tree, root, usize::MAX))
        })
        .map(|v| with_origin(v, source.first_source()))
        .unwrap_or_default();
    match (&value.kind, array) {
        (Kind::List(_), true) | (Kind::Map(_), false) => value,
        (Kind::Nil, true) => Value::list(Vec::new()),
        (Kind::Nil, false) => Value::map(BTreeMap::new()),
        _ => value,
    }
}

/// A parsed value whose origins are all `origin` (the text it was parsed from).
fn with_origin(value: Value, origin: Option<Source>) -> Value {
    let kind = match value.kind {
        Kind::Str(text) => Kind::Str(Text::from_source(text.as_str(), origin)),
        Kind::List(items) => Kind::List(std::rc::Rc::new(
            items
                .iter()
                .map(|i| with_origin(i.clone(), origin))
                .collect(),
        )),
        Kind::Map(map) => {
            let entries = map
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), with_origin(v.clone(), origin)))
                .collect();
            return Value {
                origin,
                ..Value::map(entries)
            };
        }
        other => other,
    };
    Value { kind, origin }
}

/// A semantic version (`v` prefix allowed; missing minor and patch are 0).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Version {
    numbers: [u64; 3],
    /// The pre-release (`-0`, `-beta.1`); a version without one is greater.
    pre: Option<String>,
}

impl Version {
    fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches(['v', 'V']);
        let text = text.split('+').next()?;
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre.to_owned())),
            None => (text, None),
        };
        let mut numbers = [0u64; 3];
        for (i, part) in core.split('.').enumerate() {
            *numbers.get_mut(i)? = part.parse().ok()?;
        }
        Some(Version { numbers, pre })
    }

    /// Ordering with pre-releases below the release (`1.25.0-0` < `1.25.0`).
    fn cmp_key(&self) -> ([u64; 3], bool, String) {
        (
            self.numbers,
            self.pre.is_none(),
            self.pre.clone().unwrap_or_default(),
        )
    }
}

/// Whether `version` satisfies a Masterminds/semver constraint: `||` alternatives of
/// comma- or space-separated comparisons (`>=`, `<=`, `>`, `<`, `=`, `!=`, `~`, `^`, wildcards).
/// A version with a pre-release satisfies only constraints that name a pre-release, as in
/// Masterminds/semver.
fn constraint_holds(constraint: &str, version: &Version) -> Option<bool> {
    let mut any = false;
    for alternative in constraint.split("||") {
        let mut all = true;
        let mut names_pre = false;
        let comparisons: Vec<&str> = alternative
            .split([',', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if comparisons.is_empty() {
            return None;
        }
        let mut i = 0;
        while i < comparisons.len() {
            let mut comparison = comparisons[i].to_owned();
            // `>= 1.2` written with a space.
            if matches!(
                comparison.as_str(),
                ">=" | "<=" | ">" | "<" | "=" | "!=" | "~" | "^"
            ) {
                i += 1;
                comparison.push_str(comparisons.get(i)?);
            }
            i += 1;
            let operator_len = comparison.len()
                - comparison
                    .trim_start_matches(['>', '<', '=', '!', '~', '^'])
                    .len();
            let (operator, target) = comparison.split_at(operator_len);
            let wildcard = target.contains(['x', 'X', '*']);
            let cleaned = target.replace(['x', 'X', '*'], "0");
            let bound = Version::parse(&cleaned)?;
            names_pre |= bound.pre.is_some();
            let (v, b) = (version.cmp_key(), bound.cmp_key());
            let holds = match operator {
                ">=" => v >= b,
                "<=" => v <= b,
                ">" => v > b,
                "<" => v < b,
                "!=" => v != b,
                "~" => v >= b && version.numbers[..2] == bound.numbers[..2],
                "^" => v >= b && version.numbers[0] == bound.numbers[0],
                _ if wildcard => {
                    let parts = target
                        .split('.')
                        .take_while(|p| !matches!(*p, "x" | "X" | "*"))
                        .count();
                    version.numbers[..parts] == bound.numbers[..parts]
                }
                _ => v == b,
            };
            all &= holds;
        }
        if version.pre.is_some() && !names_pre {
            all = false;
        }
        any |= all;
    }
    Some(any)
}

/// Decodes standard base64 (padding optional).
fn base64_decode(text: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim().bytes().filter(|b| *b != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// SHA-1 in hexadecimal (`sha1sum`, used by charts for checksums).
fn sha1_hex(data: &[u8]) -> String {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in message.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(value);
        }
    }
    h.iter().map(|v| format!("{v:08x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(constraint: &str, version: &str) -> bool {
        constraint_holds(constraint, &Version::parse(version).unwrap()).unwrap()
    }

    #[test]
    fn semver_constraints_as_masterminds_reads_them() {
        assert!(holds(">=1.25.0-0", "v1.31.0"));
        assert!(holds(">= 1.19-0, < 1.33-0", "v1.31.0"));
        assert!(!holds("<1.21-0", "v1.31.0"));
        assert!(holds("~1.31.0", "1.31.7"));
        assert!(!holds("~1.31.0", "1.32.0"));
        assert!(holds("^1.2", "1.31.0"));
        assert!(holds("1.31.x", "1.31.4"));
        assert!(holds("<1.0 || >=1.30", "1.31.0"));
        // A pre-release satisfies only constraints that name one.
        assert!(!holds(">=1.0.0", "1.31.0-beta.1"));
        assert!(holds(">=1.0.0-0", "1.31.0-beta.1"));
    }

    #[test]
    fn checksums_and_base64() {
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(base64_decode("YWRtaW4=").as_deref(), Some("admin"));
        assert_eq!(base64_decode("YWI").as_deref(), Some("ab"));
    }
}
