//! The function library: Go's template builtins, the Sprig functions charts use and Helm's own
//! (`toYaml`, `toJson`, `toToml`, `required`, `fail`, `lookup`). Results keep provenance where their bytes come from
//! an argument (`quote`, `default`, `trim`, `nindent`, `toYaml`); computed results point at the
//! first argument that has an origin. A function not listed here is an
//! [`RenderErrorKind::Unsupported`](super::exec::RenderErrorKind) error at its call.

use std::collections::BTreeMap;

use super::exec::{RenderError, RenderErrorKind, invalid, unsupported};
use super::printf::printf;
use super::text::{Source, Text, TextBuilder};
use super::toml::to_toml;
use super::value::{Kind, Value, escape_quoted, json_float, to_yaml};

type Result<T> = std::result::Result<T, RenderError>;

/// What an install-time generated value (`randAlphaNum`, `genPrivateKey`, `uuidv4`, …) renders
/// as: a placeholder that names the function, never a secret written in the chart.
pub const GENERATED: &str = "akslint-generated-at-install";

/// Calls the function `name` on its evaluated arguments (the piped value last).
pub fn call(name: &str, args: Vec<Value>, _dot: &Value, at: Source) -> Result<Value> {
    let arity = |n: usize| check_arity(name, args.len(), n, at);
    let string_at = |i: usize| -> Result<Text> { text_of(args.get(i), name, at) };
    let value = match name {
        // Go builtins.
        "not" => {
            arity(1)?;
            computed(Kind::Bool(!args[0].truthy()), &args)
        }
        "eq" => {
            let (first, rest) = args
                .split_first()
                .ok_or_else(|| invalid(at, "eq: missing arguments".into()))?;
            let mut found = false;
            for other in rest {
                comparable(name, first, other, at)?;
                if same(first, other) {
                    found = true;
                    break;
                }
            }
            computed(Kind::Bool(found), &args)
        }
        "ne" => {
            arity(2)?;
            comparable(name, &args[0], &args[1], at)?;
            computed(Kind::Bool(!same(&args[0], &args[1])), &args)
        }
        "lt" | "le" | "gt" | "ge" => {
            arity(2)?;
            comparable(name, &args[0], &args[1], at)?;
            let ordering = compare(&args[0], &args[1])
                .ok_or_else(|| invalid(at, format!("{name}: incompatible types for comparison")))?;
            let result = match name {
                "lt" => ordering.is_lt(),
                "le" => ordering.is_le(),
                "gt" => ordering.is_gt(),
                _ => ordering.is_ge(),
            };
            computed(Kind::Bool(result), &args)
        }
        "len" => {
            arity(1)?;
            let n = match &args[0].kind {
                Kind::Str(s) => s.as_str().len(),
                Kind::List(items) => items.len(),
                Kind::Map(entries) => entries.borrow().len(),
                Kind::Nil => 0,
                _ => return Err(invalid(at, format!("len of {}", args[0].kind_name()))),
            };
            computed(Kind::Int(n as i64), &args)
        }
        "index" => {
            let (base, keys) = args
                .split_first()
                .ok_or_else(|| invalid(at, "index: missing arguments".into()))?;
            let mut value = base.clone();
            for key in keys {
                value = match (&value.kind, &key.kind) {
                    (Kind::Map(entries), Kind::Str(k)) => entries
                        .borrow()
                        .get(k.as_str())
                        .cloned()
                        .unwrap_or_default(),
                    (Kind::List(items), Kind::Int(i)) => items
                        .get(usize::try_from(*i).unwrap_or(usize::MAX))
                        .cloned()
                        .ok_or_else(|| invalid(at, format!("index out of range: {i}")))?,
                    (Kind::List(_), Kind::Float(_)) => {
                        return Err(invalid(
                            at,
                            "cannot index slice/array with type float64".into(),
                        ));
                    }
                    (Kind::Nil, _) => Value::default(),
                    _ => {
                        return Err(invalid(
                            at,
                            "index of a value that cannot be indexed".into(),
                        ));
                    }
                };
            }
            value
        }
        "print" | "println" => {
            let mut out = TextBuilder::default();
            for (i, arg) in args.iter().enumerate() {
                let both_strings =
                    i > 0 && args[i - 1].as_str().is_some() && arg.as_str().is_some();
                if i > 0 && (name == "println" || !both_strings) {
                    out.push_str(" ", None);
                }
                out.push_text(&fmt_value(arg));
            }
            if name == "println" {
                out.push_str("\n", None);
            }
            Value::text(out.finish())
        }
        "printf" => {
            let (format, rest) = args
                .split_first()
                .ok_or_else(|| invalid(at, "printf: missing format".into()))?;
            let format = text_of(Some(format), name, at)?;
            Value::text(printf(&format, rest, at)?)
        }
        // Helm.
        "toYaml" => {
            arity(1)?;
            Value::text(to_yaml(&args[0]))
        }
        "toJson" => {
            arity(1)?;
            Value::text(Text::from_source(&to_json(&args[0]), args[0].origin))
        }
        "toToml" => {
            arity(1)?;
            if matches!(args[0].kind, Kind::Nil) {
                return Err(invalid(at, "toToml: nil has no TOML form".into()));
            }
            let text = to_toml(&args[0]).unwrap_or_else(|refused| refused.0.to_owned());
            Value::text(Text::from_source(&text, args[0].origin))
        }
        "required" => {
            arity(2)?;
            let missing = matches!(args[1].kind, Kind::Nil) || args[1].as_str() == Some("");
            if missing {
                return Err(RenderError {
                    source: at,
                    message: args[0].scalar_text(),
                    kind: RenderErrorKind::Refused,
                });
            }
            args[1].clone()
        }
        "fail" => {
            return Err(RenderError {
                source: at,
                message: args.first().map(Value::scalar_text).unwrap_or_default(),
                kind: RenderErrorKind::Refused,
            });
        }
        // `lookup` reads the cluster at install time: offline it is empty, as with `helm template`.
        "lookup" => Value::map(BTreeMap::new()),
        // Sprig: defaults and logic.
        "default" => {
            let [fallback, given] = args.as_slice() else {
                return Ok(args.first().cloned().unwrap_or_default());
            };
            if given.truthy()
                || matches!(given.kind, Kind::Bool(_) | Kind::Int(_) | Kind::Float(_))
                    && given.truthy()
            {
                given.clone()
            } else {
                fallback.clone()
            }
        }
        "empty" => {
            arity(1)?;
            computed(Kind::Bool(!args[0].truthy()), &args)
        }
        "coalesce" => args
            .iter()
            .find(|a| a.truthy())
            .cloned()
            .unwrap_or_default(),
        "ternary" => {
            arity(3)?;
            if args[2].truthy() {
                args[0].clone()
            } else {
                args[1].clone()
            }
        }
        // Sprig: strings.
        "quote" | "squote" => {
            let mark = if name == "quote" { "\"" } else { "'" };
            Value::text(spaced(&args, |arg| {
                let printed = fmt_value(arg);
                let inner = if name == "quote" {
                    printed.map(escape_quoted)
                } else {
                    printed
                };
                let mut out = TextBuilder::default();
                out.push_str(mark, None);
                out.push_text(&inner);
                out.push_str(mark, None);
                out.finish()
            }))
        }
        "upper" => Value::text(string_at(0)?.map(str::to_uppercase)),
        "lower" => Value::text(string_at(0)?.map(str::to_lowercase)),
        "title" => Value::text(string_at(0)?.map(title)),
        "trim" => {
            let text = string_at(0)?;
            let s = text.as_str();
            let start = s.len() - s.trim_start().len();
            Value::text(text.slice(start..s.trim_end().len()))
        }
        "trimSuffix" | "trimPrefix" => {
            arity(2)?;
            let affix = string_at(0)?;
            let text = string_at(1)?;
            let (s, a) = (text.as_str(), affix.as_str());
            let range = if name == "trimSuffix" && s.ends_with(a) {
                0..s.len() - a.len()
            } else if name == "trimPrefix" && s.starts_with(a) {
                a.len()..s.len()
            } else {
                0..s.len()
            };
            Value::text(text.slice(range))
        }
        "trunc" => {
            arity(2)?;
            let n = go_int(&args[0], at)?;
            let text = string_at(1)?;
            let s = text.as_str();
            let range = if n >= 0 {
                let end = s.char_indices().nth(n as usize).map_or(s.len(), |(i, _)| i);
                0..end
            } else {
                let keep = n.unsigned_abs() as usize;
                let start = s
                    .char_indices()
                    .rev()
                    .nth(keep.saturating_sub(1))
                    .map_or(0, |(i, _)| i);
                start..s.len()
            };
            Value::text(text.slice(range))
        }
        "replace" => {
            arity(3)?;
            let (old, new, text) = (string_at(0)?, string_at(1)?, string_at(2)?);
            Value::text(text.map(|s| s.replace(old.as_str(), new.as_str())))
        }
        "contains" | "hasPrefix" | "hasSuffix" => {
            arity(2)?;
            let (needle, text) = (string_at(0)?, string_at(1)?);
            let (n, s) = (needle.as_str(), text.as_str());
            let result = match name {
                "contains" => s.contains(n),
                "hasPrefix" => s.starts_with(n),
                _ => s.ends_with(n),
            };
            computed(Kind::Bool(result), &args)
        }
        "indent" | "nindent" => {
            arity(2)?;
            let spaces = " ".repeat(usize::try_from(go_int(&args[0], at)?).unwrap_or(0));
            let indented = string_at(1)?.indent(&spaces);
            if name == "nindent" {
                let mut out = TextBuilder::default();
                out.push_str("\n", None);
                out.push_text(&indented);
                Value::text(out.finish())
            } else {
                Value::text(indented)
            }
        }
        "toString" => {
            arity(1)?;
            Value::text(fmt_value(&args[0]))
        }
        "join" => {
            arity(2)?;
            let separator = string_at(0)?;
            // sprig's `strslice`: a list's items, a single value as a list of one, nil as none.
            let items: Vec<Value> = match &args[1].kind {
                Kind::List(items) => items.as_ref().clone(),
                Kind::Nil => Vec::new(),
                _ => vec![args[1].clone()],
            };
            let mut out = TextBuilder::default();
            for (i, item) in items
                .iter()
                .filter(|i| !matches!(i.kind, Kind::Nil))
                .enumerate()
            {
                if i > 0 {
                    out.push_text(&separator);
                }
                out.push_text(&fmt_value(item));
            }
            Value::text(out.finish())
        }
        "splitList" => {
            arity(2)?;
            let (separator, text) = (string_at(0)?, string_at(1)?);
            let mut items = Vec::new();
            let mut start = 0;
            let s = text.as_str();
            if !separator.as_str().is_empty() {
                for (i, _) in s.match_indices(separator.as_str()) {
                    items.push(Value::text(text.slice(start..i)));
                    start = i + separator.as_str().len();
                }
            }
            items.push(Value::text(text.slice(start..s.len())));
            Value::list(items)
        }
        "b64enc" => Value::text(string_at(0)?.map(|s| base64(s.as_bytes()))),
        "sha256sum" => {
            use sha2::Digest;
            Value::text(string_at(0)?.map(|s| {
                sha2::Sha256::digest(s.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            }))
        }
        // Sprig: numbers.
        "int" | "int64" | "atoi" => {
            arity(1)?;
            let n = match &args[0].kind {
                Kind::Int(n) => *n,
                Kind::Float(f) => go_truncated(*f),
                Kind::Str(s) => s.as_str().trim().parse().unwrap_or(0),
                Kind::Bool(b) => i64::from(*b),
                _ => 0,
            };
            computed(Kind::Int(n), &args)
        }
        "float64" => {
            arity(1)?;
            let f = match &args[0].kind {
                Kind::Int(n) => *n as f64,
                Kind::Float(f) => *f,
                Kind::Str(s) => s.as_str().trim().parse().unwrap_or(0.0),
                _ => 0.0,
            };
            computed(Kind::Float(f), &args)
        }
        "add" | "sub" | "mul" | "div" | "mod" | "max" | "min" | "add1" => {
            let numbers: Vec<i64> = args.iter().map(|a| int_of(a, at)).collect::<Result<_>>()?;
            let result = match (name, numbers.as_slice()) {
                // Go's int64 arithmetic wraps.
                ("add1", [a]) => a.wrapping_add(1),
                ("add", _) => numbers.iter().fold(0i64, |sum, n| sum.wrapping_add(*n)),
                ("mul", _) => numbers
                    .iter()
                    .fold(1i64, |product, n| product.wrapping_mul(*n)),
                ("max", [first, ..]) => *numbers.iter().max().unwrap_or(first),
                ("min", [first, ..]) => *numbers.iter().min().unwrap_or(first),
                ("sub", [a, b]) => a.wrapping_sub(*b),
                ("div", [_, 0]) | ("mod", [_, 0]) => {
                    return Err(invalid(at, "integer divide by zero".into()));
                }
                ("div", [a, b]) => a.wrapping_div(*b),
                ("mod", [a, b]) => a.wrapping_rem(*b),
                _ => return Err(invalid(at, format!("{name}: wrong number of arguments"))),
            };
            computed(Kind::Int(result), &args)
        }
        // Sprig: lists and dictionaries.
        "list" | "tuple" => Value::list(args),
        "dict" => {
            let mut map = BTreeMap::new();
            for pair in args.chunks(2) {
                let key = pair[0].scalar_text();
                map.insert(key, pair.get(1).cloned().unwrap_or_default());
            }
            Value::map(map)
        }
        "get" => {
            arity(2)?;
            let key = string_at(1)?;
            args[0].get(key.as_str()).unwrap_or_else(|| Value::str(""))
        }
        "hasKey" => {
            arity(2)?;
            let key = string_at(1)?;
            computed(Kind::Bool(args[0].get(key.as_str()).is_some()), &args)
        }
        "keys" => {
            let mut keys: Vec<Value> = args
                .iter()
                .filter_map(|a| {
                    a.as_map()
                        .map(|m| m.keys().map(|k| Value::str(k)).collect::<Vec<_>>())
                })
                .flatten()
                .collect();
            keys.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            Value::list(keys)
        }
        // `merge $dst $src…` changes `$dst` and returns it, as sprig's do.
        "merge" | "mergeOverwrite" | "mustMerge" | "mustMergeOverwrite" => {
            let overwrite = name.ends_with("Overwrite");
            let (destination, sources) = args
                .split_first()
                .ok_or_else(|| invalid(at, format!("{name}: missing arguments")))?;
            let Kind::Map(target) = &destination.kind else {
                return Err(invalid(at, format!("{name}: the destination is not a map")));
            };
            let mut result = target.borrow().clone();
            for source in sources {
                if let Some(map) = source.as_map() {
                    merge_into(&mut result, &map, overwrite);
                }
            }
            *target.borrow_mut() = result;
            destination.clone()
        }
        "dig" => {
            let (map, keys) = args
                .split_last()
                .ok_or_else(|| invalid(at, "dig: missing arguments".into()))?;
            let (fallback, keys) = keys
                .split_last()
                .ok_or_else(|| invalid(at, "dig: missing default".into()))?;
            let mut value = Some(map.clone());
            for key in keys {
                value = value.and_then(|v| v.get(&key.scalar_text()));
            }
            value.unwrap_or_else(|| fallback.clone())
        }
        "first" | "last" => {
            arity(1)?;
            match &args[0].kind {
                Kind::List(items) if name == "first" => items.first().cloned().unwrap_or_default(),
                Kind::List(items) => items.last().cloned().unwrap_or_default(),
                _ => Value::default(),
            }
        }
        "append" => {
            arity(2)?;
            let mut items = match &args[0].kind {
                Kind::List(items) => items.as_ref().clone(),
                _ => Vec::new(),
            };
            items.push(args[1].clone());
            Value::list(items)
        }
        "concat" => Value::list(
            args.iter()
                .filter_map(|a| match &a.kind {
                    Kind::List(items) => Some(items.iter().cloned()),
                    _ => None,
                })
                .flatten()
                .collect(),
        ),
        "has" => {
            arity(2)?;
            let found = match &args[1].kind {
                Kind::List(items) => items.iter().any(|i| same(i, &args[0])),
                _ => false,
            };
            computed(Kind::Bool(found), &args)
        }
        "omit" | "pick" => {
            let (map, keys) = args
                .split_first()
                .ok_or_else(|| invalid(at, format!("{name}: missing arguments")))?;
            let keys: Vec<String> = keys.iter().map(Value::scalar_text).collect();
            let kept = map
                .as_map()
                .map(|m| {
                    m.iter()
                        .filter(|(k, _)| keys.contains(k) == (name == "pick"))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            Value::map(kept)
        }
        "deepCopy" | "mustDeepCopy" => {
            arity(1)?;
            args[0].deep_copy()
        }
        "kindIs" => {
            arity(2)?;
            let kind = string_at(0)?;
            computed(Kind::Bool(args[1].kind_name() == kind.as_str()), &args)
        }
        "kindOf" => {
            arity(1)?;
            Value::str(args[0].kind_name())
        }
        // Install-time values: generated by Helm when the chart is installed.
        "randAlphaNum" | "randAlpha" | "randNumeric" | "randAscii" | "uuidv4" | "genPrivateKey"
        | "genCA" | "genSelfSignedCert" | "genSignedCert" | "randBytes" | "htpasswd"
        | "derivePassword" => Value::str(GENERATED),
        _ => return super::more_functions::call(name, &args, at),
    };
    Ok(value)
}

/// Calls a method of Helm's objects on `receiver`: `Has` of `.Capabilities.APIVersions` (a
/// list); `Get`, `Lines`, `Glob`, `AsConfig`, `AsSecrets` of `.Files` (a map of paths to
/// contents) or of a `Glob` result.
pub fn method(receiver: &Value, name: &str, args: &[Value], at: Source) -> Result<Value> {
    let arg = |i: usize| args.get(i).map(Value::scalar_text).unwrap_or_default();
    let value = match (name, &receiver.kind) {
        ("Has", Kind::List(items)) => {
            let wanted = arg(0);
            computed(
                Kind::Bool(items.iter().any(|i| i.as_str() == Some(wanted.as_str()))),
                args,
            )
        }
        ("Get", Kind::Map(files)) => files
            .borrow()
            .get(&arg(0))
            .cloned()
            .unwrap_or_else(|| Value::str("")),
        ("Lines", Kind::Map(files)) => {
            let text = match files.borrow().get(&arg(0)).map(|v| v.kind.clone()) {
                Some(Kind::Str(text)) => text.clone(),
                _ => Text::plain(""),
            };
            let mut lines = Vec::new();
            let mut start = 0;
            for (i, _) in text.as_str().match_indices('\n') {
                lines.push(Value::text(text.slice(start..i)));
                start = i + 1;
            }
            if start < text.as_str().len() {
                lines.push(Value::text(text.slice(start..text.as_str().len())));
            }
            Value::list(lines)
        }
        ("Glob", Kind::Map(files)) => {
            let pattern = arg(0);
            Value::map(
                files
                    .borrow()
                    .iter()
                    .filter(|(path, _)| glob_match(&pattern, path))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        }
        ("AsConfig" | "AsSecrets", Kind::Map(files)) => {
            let entries = files
                .borrow()
                .iter()
                .map(|(path, content)| {
                    let base = path.rsplit('/').next().unwrap_or(path).to_owned();
                    let content = match (&content.kind, name) {
                        (Kind::Str(text), "AsSecrets") => {
                            Value::text(text.map(|s| base64(s.as_bytes())))
                        }
                        _ => content.clone(),
                    };
                    (base, content)
                })
                .collect();
            Value::text(to_yaml(&Value::map(entries)))
        }
        _ => {
            return Err(unsupported(
                at,
                format!(
                    "method `{name}` of a {} is not rendered yet",
                    receiver.kind_name()
                ),
            ));
        }
    };
    Ok(value)
}

/// Whether a path matches a glob (`*` within a path segment, `**` across segments, `?`, as
/// Helm's `.Files.Glob` does with gobwas/glob and `/` as separator).
fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) if p.get(1) == Some(&b'*') => {
                (0..=s.len()).any(|i| go(&p[2..], &s[i..]))
            }
            (Some(b'*'), _) => {
                let mut i = 0;
                loop {
                    if go(&p[1..], &s[i..]) {
                        return true;
                    }
                    if i == s.len() || s[i] == b'/' {
                        return false;
                    }
                    i += 1;
                }
            }
            (Some(b'?'), Some(c)) if *c != b'/' => go(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
}

/// The non-nil arguments, each written by `each`, separated by spaces (`quote`, `cat`).
pub(super) fn spaced(args: &[Value], each: impl Fn(&Value) -> Text) -> Text {
    let mut out = TextBuilder::default();
    for (i, arg) in args
        .iter()
        .filter(|a| !matches!(a.kind, Kind::Nil))
        .enumerate()
    {
        if i > 0 {
            out.push_str(" ", None);
        }
        out.push_text(&each(arg));
    }
    out.finish()
}

/// An error unless a function got `expected` arguments.
pub(super) fn check_arity(name: &str, given: usize, expected: usize, at: Source) -> Result<()> {
    if given == expected {
        Ok(())
    } else {
        Err(invalid(
            at,
            format!("{name}: wrong number of arguments ({given} instead of {expected})"),
        ))
    }
}

/// A computed scalar whose origin is the first argument's that has one.
pub(super) fn computed(kind: Kind, args: &[Value]) -> Value {
    Value {
        kind,
        origin: args.iter().find_map(|a| a.origin),
    }
}

/// The text of a string argument (other scalars printed).
pub(super) fn text_of(value: Option<&Value>, name: &str, at: Source) -> Result<Text> {
    match value {
        Some(value) if !matches!(value.kind, Kind::List(_) | Kind::Map(_)) => Ok(fmt_value(value)),
        Some(_) => Err(invalid(at, format!("{name}: expected a string"))),
        None => Err(invalid(at, format!("{name}: missing argument"))),
    }
}

/// A value as `fmt.Sprint` writes it inside a function (nil as `<nil>`... printed empty by Helm
/// only at the top level of an action).
pub(super) fn fmt_value(value: &Value) -> Text {
    match &value.kind {
        Kind::Nil => Text::from_source("<nil>", value.origin),
        _ => value.printed(),
    }
}

/// A number argument as sprig reads it (`cast.ToInt64`: a float truncated, a string parsed, nil
/// 0).
pub(super) fn int_of(value: &Value, at: Source) -> Result<i64> {
    match &value.kind {
        Kind::Int(n) => Ok(*n),
        Kind::Float(f) => Ok(go_truncated(*f)),
        Kind::Str(s) => Ok(s.as_str().trim().parse().unwrap_or(0)),
        Kind::Nil => Ok(0),
        _ => Err(invalid(
            at,
            format!("expected a number, got {}", value.kind_name()),
        )),
    }
}

/// An argument of a Go function whose parameter is an `int` (`trunc`, `indent`, `until`, …):
/// a float is refused as Go's template engine refuses it (a values file's `3` is a float), other
/// values read as [`int_of`] reads them.
pub(super) fn go_int(value: &Value, at: Source) -> Result<i64> {
    if matches!(value.kind, Kind::Float(_)) {
        return Err(invalid(
            at,
            "wrong type for value; expected int; got float64".into(),
        ));
    }
    int_of(value, at)
}

/// A float converted to int64 as Go does on amd64: truncated, and the minimum int64 when it is
/// out of range or NaN.
pub(super) fn go_truncated(f: f64) -> i64 {
    // 2^63: the first float above every int64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// Go's refusal to compare basic values of different kinds (`eq`, `lt`, …): a float of a values
/// file against an integer written in the template, a number against a string.
fn comparable(name: &str, a: &Value, b: &Value, at: Source) -> Result<()> {
    let basic = |v: &Value| {
        matches!(
            v.kind,
            Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) | Kind::Str(_)
        )
    };
    if basic(a) && basic(b) && std::mem::discriminant(&a.kind) != std::mem::discriminant(&b.kind) {
        return Err(invalid(
            at,
            format!(
                "{name}: incompatible types for comparison: {} and {}",
                a.kind_name(),
                b.kind_name()
            ),
        ));
    }
    Ok(())
}

/// Equality of values of the same kind, as Go's `eq` and `reflect.DeepEqual` (`has`, `uniq`)
/// see it: a float and an integer are never equal.
pub(super) fn same(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Str(x), Kind::Str(y)) => x.as_str() == y.as_str(),
        (Kind::Nil, Kind::Nil) => true,
        (x, y) => x == y,
    }
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (&a.kind, &b.kind) {
        (Kind::Int(x), Kind::Int(y)) => Some(x.cmp(y)),
        (Kind::Float(x), Kind::Float(y)) => x.partial_cmp(y),
        (Kind::Str(x), Kind::Str(y)) => Some(x.as_str().cmp(y.as_str())),
        _ => None,
    }
}

/// Merges `from` into `into`: nested maps merged, other values kept (`merge`) or replaced
/// (`mergeOverwrite`).
fn merge_into(into: &mut BTreeMap<String, Value>, from: &BTreeMap<String, Value>, overwrite: bool) {
    for (key, value) in from {
        match (into.get_mut(key), value.as_map()) {
            (Some(existing), Some(map)) if existing.as_map().is_some() => {
                let mut merged = existing.as_map().map(|m| m.clone()).unwrap_or_default();
                merge_into(&mut merged, &map, overwrite);
                *existing = Value {
                    origin: existing.origin,
                    ..Value::map(merged)
                };
            }
            (Some(existing), _) if overwrite => *existing = value.clone(),
            (Some(_), _) => {}
            (None, _) => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// JSON as Go's `encoding/json` writes it (compact, keys sorted).
pub(super) fn to_json(value: &Value) -> String {
    match &value.kind {
        Kind::Nil => "null".to_owned(),
        Kind::Float(f) => json_float(*f),
        Kind::Bool(_) | Kind::Int(_) => value.scalar_text(),
        Kind::Str(s) => format!("\"{}\"", escape_quoted(s.as_str())),
        Kind::List(items) => format!(
            "[{}]",
            items.iter().map(to_json).collect::<Vec<_>>().join(",")
        ),
        Kind::Map(entries) => format!(
            "{{{}}}",
            entries
                .borrow()
                .iter()
                .map(|(k, v)| format!("\"{}\":{}", escape_quoted(k), to_json(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// Title case as sprig's `title` (strings.Title): each word's first letter upper case.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_title() {
        assert_eq!(base64(b"admin"), "YWRtaW4=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(title("hello world"), "Hello World");
    }

    #[test]
    fn globs_match_as_helm_files_glob() {
        assert!(glob_match("files/*.yaml", "files/a.yaml"));
        assert!(!glob_match("files/*.yaml", "files/sub/a.yaml"));
        assert!(glob_match("files/**.yaml", "files/sub/a.yaml"));
        assert!(glob_match("dashboards/?.json", "dashboards/x.json"));
        assert!(!glob_match("config/*", "other/x"));
    }
}
