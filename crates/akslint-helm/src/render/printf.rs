//! `printf`: Go's `fmt.Sprintf` over template values, as Helm's engine writes it. Flags
//! (`+`, `-`, `#`, space, `0`), width and precision (digits, or `*` from an argument), explicit
//! argument indexes (`%[2]s`), each kind's verbs, and Go's complaints written into the text
//! (`%!d(string=web)`, `%!s(MISSING)`, `%!(EXTRA int=3)`, `%!(NOVERB)`). The bytes printed from
//! an argument keep its provenance; padding and complaints have none.
//!
//! One thing is refused as unsupported rather than printed differently from Go: the `#` flag on
//! a float verb (Go keeps trailing zeros and the decimal point; no chart here uses it).

use super::exec::{RenderError, unsupported};
use super::text::{Source, Text, TextBuilder};
use super::value::{Kind, Value, escape_quoted, go_float};

/// A directive's flags, width and precision.
#[derive(Clone, Copy, Debug, Default)]
struct Spec {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    /// `text` (with its provenance) padded to the width in characters: with spaces after it
    /// under the `-` flag, else before it, with zeros under the `0` flag (Go pads strings and
    /// booleans with zeros too).
    fn pad(&self, text: &Text, out: &mut TextBuilder) {
        let fill = self
            .width
            .unwrap_or(0)
            .saturating_sub(text.as_str().chars().count());
        if self.minus {
            out.push_text(text);
            out.push_str(&" ".repeat(fill), None);
        } else {
            let padding = if self.zero { "0" } else { " " };
            out.push_str(&padding.repeat(fill), None);
            out.push_text(text);
        }
    }

    /// [`Spec::pad`] of a text computed from a value with provenance `origin`.
    fn pad_str(&self, text: &str, origin: Option<Source>, out: &mut TextBuilder) {
        self.pad(&Text::from_source(text, origin), out);
    }
}

/// `printf FORMAT ARGS…` (`at` is the call, for a refusal).
pub(super) fn printf(format: &Text, args: &[Value], at: Source) -> Result<Text, RenderError> {
    let s = format.as_str();
    let mut out = TextBuilder::default();
    let mut next = 0;
    let mut reordered = false;
    let mut literal_start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((percent, c)) = chars.next() {
        if c != '%' {
            continue;
        }
        out.push_range(format, literal_start..percent);
        literal_start = s.len();
        let mut spec = Spec::default();
        while let Some(&(_, flag)) = chars.peek() {
            match flag {
                '+' => spec.plus = true,
                '-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            chars.next();
        }
        let mut good_index = argument_index(&mut chars, args.len(), &mut next, &mut reordered);
        match star_or_digits(&mut chars, args, &mut next) {
            Number::Given(width) => spec.width = Some(width),
            Number::FromArgument(width) => {
                if width < 0 {
                    spec.minus = true;
                    spec.zero = false;
                }
                spec.width = Some(width.unsigned_abs() as usize);
            }
            Number::Bad => out.push_str("%!(BADWIDTH)", None),
            Number::Absent => {}
        }
        if chars.next_if(|&(_, c)| c == '.').is_some() {
            good_index &= argument_index(&mut chars, args.len(), &mut next, &mut reordered);
            match star_or_digits(&mut chars, args, &mut next) {
                Number::Given(precision) => spec.precision = Some(precision),
                Number::FromArgument(precision) if precision >= 0 => {
                    spec.precision = Some(precision as usize)
                }
                Number::FromArgument(_) | Number::Bad => out.push_str("%!(BADPREC)", None),
                Number::Absent => spec.precision = Some(0),
            }
        }
        good_index &= argument_index(&mut chars, args.len(), &mut next, &mut reordered);
        let Some((at_verb, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)", None);
            break;
        };
        literal_start = at_verb + verb.len_utf8();
        if verb == '%' {
            out.push_str("%", None);
        } else if !good_index {
            out.push_str(&format!("%!{verb}(BADINDEX)"), None);
        } else if let Some(arg) = args.get(next) {
            next += 1;
            print(arg, verb, &spec, true, at, &mut out)?;
        } else {
            out.push_str(&format!("%!{verb}(MISSING)"), None);
        }
    }
    out.push_range(format, literal_start.min(s.len())..s.len());
    if !reordered && next < args.len() {
        out.push_str("%!(EXTRA ", None);
        for (i, arg) in args[next..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ", None);
            }
            if matches!(arg.kind, Kind::Nil) {
                out.push_str("<nil>", None);
            } else {
                out.push_str(&format!("{}=", go_type(arg)), None);
                print(arg, 'v', &Spec::default(), true, at, &mut out)?;
            }
        }
        out.push_str(")", None);
    }
    Ok(out.finish())
}

/// Reads an argument index (`[2]`) if one is written, making it the next argument; `false`
/// when it is no index of an argument.
fn argument_index(
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
    count: usize,
    next: &mut usize,
    reordered: &mut bool,
) -> bool {
    if chars.next_if(|&(_, c)| c == '[').is_none() {
        return true;
    }
    *reordered = true;
    // Up to the closing bracket (only the `[` when there is none).
    if !chars.clone().any(|(_, c)| c == ']') {
        return false;
    }
    let inside: String = std::iter::from_fn(|| chars.next_if(|&(_, c)| c != ']'))
        .map(|(_, c)| c)
        .collect();
    chars.next();
    match inside.parse::<usize>() {
        Ok(n) if inside.bytes().all(|b| b.is_ascii_digit()) && (1..=count).contains(&n) => {
            *next = n - 1;
            true
        }
        _ => false,
    }
}

/// A width or precision as written.
enum Number {
    /// None written.
    Absent,
    /// Digits.
    Given(usize),
    /// `*`: the next argument, an integer.
    FromArgument(i64),
    /// `*` whose argument is missing or no integer (or a number too large).
    Bad,
}

/// Reads a width or precision: digits, or `*` taking the next argument.
fn star_or_digits(
    chars: &mut std::iter::Peekable<std::str::CharIndices>,
    args: &[Value],
    next: &mut usize,
) -> Number {
    if chars.next_if(|&(_, c)| c == '*').is_some() {
        let arg = args.get(*next);
        *next += 1;
        return match arg.map(|a| &a.kind) {
            Some(Kind::Int(n)) if n.unsigned_abs() <= 1_000_000 => Number::FromArgument(*n),
            _ => Number::Bad,
        };
    }
    let digits: String = std::iter::from_fn(|| chars.next_if(|(_, c)| c.is_ascii_digit()))
        .map(|(_, c)| c)
        .collect();
    match digits.parse::<usize>() {
        Ok(n) if n <= 1_000_000 => Number::Given(n),
        Ok(_) => Number::Bad,
        Err(_) => Number::Absent,
    }
}

/// The Go type `%T` and the complaints name: a template's integer is an `int` (sprig's results
/// are `int64`, which the renderer does not tell apart), a values file's number a `float64`.
fn go_type(value: &Value) -> &'static str {
    match value.kind {
        Kind::Nil => "<nil>",
        Kind::Bool(_) => "bool",
        Kind::Int(_) => "int",
        Kind::Float(_) => "float64",
        Kind::Str(_) => "string",
        Kind::List(_) => "[]interface {}",
        Kind::Map(_) => "map[string]interface {}",
    }
}

/// Prints one argument with `verb` (`top`: the argument itself, not an element of a list or
/// map, where a nil prints as `<nil>` whatever the verb).
fn print(
    value: &Value,
    verb: char,
    spec: &Spec,
    top: bool,
    at: Source,
    out: &mut TextBuilder,
) -> Result<(), RenderError> {
    if verb == 'T' {
        spec.pad_str(go_type(value), None, out);
        return Ok(());
    }
    if verb == 'v' && spec.sharp {
        spec.pad_str(&go_syntax(value), value.origin, out);
        return Ok(());
    }
    match &value.kind {
        Kind::Nil if verb == 'v' || !top => spec.pad_str("<nil>", None, out),
        Kind::Nil => out.push_str(&format!("%!{verb}(<nil>)"), None),
        Kind::Bool(b) if matches!(verb, 't' | 'v') => {
            spec.pad_str(if *b { "true" } else { "false" }, value.origin, out)
        }
        Kind::Int(n) => match integer(*n, verb, spec) {
            Some(text) => {
                // Zero padding is already in the digits.
                let spaces = Spec {
                    zero: false,
                    ..*spec
                };
                spaces.pad_str(&text, value.origin, out)
            }
            None => complain(value, verb, spec, at, out)?,
        },
        Kind::Float(_) if spec.sharp && "eEfFgGxX".contains(verb) => {
            return Err(unsupported(
                at,
                format!("printf: the # flag of %{verb} (a float)"),
            ));
        }
        Kind::Float(f) => match float(*f, verb, spec.precision) {
            Some(text) => signed_float(&text, spec, value.origin, out),
            None => complain(value, verb, spec, at, out)?,
        },
        Kind::Str(text) => match verb {
            'v' | 's' => spec.pad(&truncated(text, spec.precision), out),
            'q' => {
                let inner = truncated(text, spec.precision);
                let backquoted = spec.sharp && can_backquote(inner.as_str());
                let quoted = inner.map(|s| match backquoted {
                    true => format!("`{s}`"),
                    false => format!("\"{}\"", escape_quoted(s)),
                });
                spec.pad(&quoted, out)
            }
            'x' | 'X' => {
                let hex = hex_bytes(truncated(text, spec.precision).as_str(), verb, spec);
                spec.pad_str(&hex, value.origin, out)
            }
            _ => complain(value, verb, spec, at, out)?,
        },
        Kind::List(items) => {
            out.push_str("[", None);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" ", None);
                }
                print(item, verb, spec, false, at, out)?;
            }
            out.push_str("]", None);
        }
        Kind::Map(entries) => {
            out.push_str("map[", None);
            for (i, (key, item)) in entries.borrow().iter().enumerate() {
                if i > 0 {
                    out.push_str(" ", None);
                }
                print(&Value::str(key), verb, spec, false, at, out)?;
                out.push_str(":", None);
                print(item, verb, spec, false, at, out)?;
            }
            out.push_str("]", None);
        }
        Kind::Bool(_) => complain(value, verb, spec, at, out)?,
    }
    Ok(())
}

/// Go's complaint about a verb that does not fit the value: `%!d(string=web)`, the value
/// printed with `%v` and the same flags.
fn complain(
    value: &Value,
    verb: char,
    spec: &Spec,
    at: Source,
    out: &mut TextBuilder,
) -> Result<(), RenderError> {
    out.push_str(&format!("%!{verb}({}=", go_type(value)), None);
    print(value, 'v', spec, true, at, out)?;
    out.push_str(")", None);
    Ok(())
}

/// A string cut to `precision` characters, as `%.3s` cuts it.
fn truncated(text: &Text, precision: Option<usize>) -> Text {
    match precision.and_then(|p| text.as_str().char_indices().nth(p)) {
        Some((end, _)) => text.slice(0..end),
        None => text.clone(),
    }
}

/// Whether Go's `%#q` writes the string between backquotes: no backquote and no control
/// character but a tab in it.
fn can_backquote(s: &str) -> bool {
    !s.chars()
        .any(|c| c == '`' || c == '\u{FFFD}' || (c.is_control() && c != '\t'))
}

/// A string's bytes in hexadecimal (`%x`, `%X`; with `#`, each run prefixed `0x`).
fn hex_bytes(s: &str, verb: char, spec: &Spec) -> String {
    let digits: String = s
        .bytes()
        .map(|b| {
            if verb == 'X' {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect();
    match (spec.sharp && !s.is_empty(), verb) {
        (true, 'X') => format!("0X{digits}"),
        (true, _) => format!("0x{digits}"),
        (false, _) => digits,
    }
}

/// An integer printed with `verb`, zero padding and precision as Go's `fmtInteger` writes
/// them (without the space padding); `None` for a verb that does not fit an integer.
fn integer(n: i64, verb: char, spec: &Spec) -> Option<String> {
    let magnitude = n.unsigned_abs();
    let (digits, prefix) = match verb {
        'v' | 'd' => (magnitude.to_string(), ""),
        'b' => (format!("{magnitude:b}"), if spec.sharp { "0b" } else { "" }),
        'o' => (format!("{magnitude:o}"), ""),
        'O' => (format!("{magnitude:o}"), "0o"),
        'x' => (format!("{magnitude:x}"), if spec.sharp { "0x" } else { "" }),
        'X' => (format!("{magnitude:X}"), if spec.sharp { "0X" } else { "" }),
        'c' => return Some(char_of(n).to_string()),
        'q' => {
            let c = char_of(n);
            let quoted = escape_quoted(&c.to_string());
            let inner = if c == '\'' {
                "\\'".to_owned()
            } else {
                quoted.replace("\\\"", "\"")
            };
            return Some(format!("'{inner}'"));
        }
        'U' => return Some(format!("U+{magnitude:04X}")),
        _ => return None,
    };
    let sign = if n < 0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let least = match (spec.precision, spec.width) {
        // `%.0d` of 0 prints nothing.
        (Some(0), _) if n == 0 => return Some(String::new()),
        (Some(precision), _) => precision,
        (None, Some(width)) if spec.zero && !spec.minus => {
            width.saturating_sub(usize::from(!sign.is_empty()))
        }
        _ => 0,
    };
    let mut digits = format!("{digits:0>least$}");
    if verb == 'o' && spec.sharp && !digits.starts_with('0') {
        digits.insert(0, '0');
    }
    Some(format!("{sign}{prefix}{digits}"))
}

/// The character of a code point, U+FFFD when it is none.
fn char_of(n: i64) -> char {
    u32::try_from(n)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}')
}

/// A float printed with `verb` and `precision` as Go's `strconv.FormatFloat` writes it (a
/// leading `-` when negative); `None` for a verb that does not fit a float.
fn float(f: f64, verb: char, precision: Option<usize>) -> Option<String> {
    if f.is_nan() {
        return Some("NaN".to_owned());
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned());
    }
    let text = match verb {
        'v' | 'g' | 'G' => general(f, precision),
        'b' => binary_float(f),
        'e' | 'E' => exponent_form(&decimal(f, Digits::After(precision.unwrap_or(6))), None),
        'f' | 'F' => format!("{f:.*}", precision.unwrap_or(6)),
        'x' | 'X' => hex_float(f, precision),
        _ => return None,
    };
    Some(if verb.is_ascii_uppercase() {
        text.to_uppercase()
    } else {
        text
    })
}

/// How many digits a float is rounded to.
enum Digits {
    /// This many significant digits.
    Significant(usize),
    /// This many after the first (`%e`'s precision).
    After(usize),
}

/// A float's decimal digits (`neg`, the digits without trailing zeros unless asked for, and
/// the exponent of the first digit).
struct Decimal {
    negative: bool,
    digits: String,
    exponent: i32,
}

/// A finite float rounded to `digits` (Rust rounds the exact binary value, half to even, as Go).
fn decimal(f: f64, digits: Digits) -> Decimal {
    let written = match digits {
        Digits::Significant(n) => format!("{:.*e}", n.max(1) - 1, f.abs()),
        Digits::After(n) => format!("{:.*e}", n, f.abs()),
    };
    let (mantissa, exponent) = written.split_once('e').unwrap_or((&written, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    Decimal {
        negative: f.is_sign_negative() && f != 0.0,
        digits,
        exponent: exponent.parse().unwrap_or(0),
    }
}

/// `d.ddde±XX` with `after` digits after the point (all of the decimal's when `None`).
fn exponent_form(decimal: &Decimal, after: Option<usize>) -> String {
    let digits = match after {
        Some(after) => format!("{:0<width$}", decimal.digits, width = after + 1),
        None => decimal.digits.clone(),
    };
    let (first, rest) = digits.split_at(1);
    let point = if rest.is_empty() { "" } else { "." };
    let sign = if decimal.exponent < 0 { '-' } else { '+' };
    let minus = if decimal.negative { "-" } else { "" };
    format!(
        "{minus}{first}{point}{rest}e{sign}{:02}",
        decimal.exponent.abs()
    )
}

/// `%g` with a precision (significant digits) as Go writes it: the exponent form when the
/// exponent is below -4 or not below the precision, else the plain form, trailing zeros gone.
fn general(f: f64, precision: Option<usize>) -> String {
    let Some(precision) = precision else {
        return go_float(f);
    };
    let mut rounded = decimal(f, Digits::Significant(precision));
    let kept = rounded.digits.trim_end_matches('0').len().max(1);
    rounded.digits.truncate(kept);
    let point = rounded.exponent + 1;
    let mut limit = precision.max(1) as i32;
    if limit > kept as i32 && kept as i32 >= point {
        limit = kept as i32;
    }
    if rounded.exponent < -4 || rounded.exponent >= limit {
        return exponent_form(&rounded, None);
    }
    let after = (kept as i32 - point).max(0) as usize;
    format!("{f:.after$}")
}

/// `%x` of a float: Go's hexadecimal form (`0x1.cp+01`), the shortest mantissa unless a
/// precision (hexadecimal digits, rounded half to even) is given.
fn hex_float(f: f64, precision: Option<usize>) -> String {
    let minus = if f.is_sign_negative() { "-" } else { "" };
    let (mut mantissa, mut exponent) = binary_parts(f.abs());
    if mantissa == 0 {
        exponent = 0;
    }
    let fraction_digits = match precision {
        Some(precision) if precision < 13 => {
            let drop = 4 * (13 - precision) as u32;
            let half = 1u64 << (drop - 1);
            let rest = mantissa & ((1 << drop) - 1);
            mantissa >>= drop;
            if rest > half || (rest == half && mantissa & 1 == 1) {
                mantissa += 1;
            }
            if mantissa >> (4 * precision as u32) >= 2 {
                mantissa >>= 1;
                exponent += 1;
            }
            let fraction = mantissa & ((1u64 << (4 * precision as u32)) - 1);
            let digits = format!("{fraction:0precision$x}");
            if precision == 0 {
                String::new()
            } else {
                digits
            }
        }
        _ => {
            let digits = format!("{:013x}", mantissa & ((1 << 52) - 1));
            let trimmed = digits.trim_end_matches('0');
            format!("{trimmed:0<width$}", width = precision.unwrap_or(0))
        }
    };
    let leading = if mantissa == 0 { '0' } else { '1' };
    let point = if fraction_digits.is_empty() { "" } else { "." };
    let sign = if exponent < 0 { '-' } else { '+' };
    format!(
        "{minus}0x{leading}{point}{fraction_digits}p{sign}{:02}",
        exponent.abs()
    )
}

/// `%b` of a float: Go's decimal mantissa and binary exponent (`5629499534213120p-51`).
fn binary_float(f: f64) -> String {
    let minus = if f.is_sign_negative() { "-" } else { "" };
    let bits = f.abs().to_bits();
    let biased = (bits >> 52) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = match biased {
        0 => (fraction, -1074),
        _ => (fraction | (1 << 52), biased - 1075),
    };
    let sign = if exponent >= 0 { "+" } else { "" };
    format!("{minus}{mantissa}p{sign}{exponent}")
}

/// A positive finite float's mantissa with its leading bit at bit 52 (0 for zero) and its
/// binary exponent, a subnormal normalised.
fn binary_parts(f: f64) -> (u64, i32) {
    let bits = f.to_bits();
    let fraction = bits & ((1 << 52) - 1);
    match (bits >> 52) as i32 {
        0 if fraction == 0 => (0, 0),
        0 => {
            let shift = fraction.leading_zeros() as i32 - 11;
            (fraction << shift, -1022 - shift)
        }
        biased => (fraction | (1 << 52), biased - 1023),
    }
}

/// A float's text padded as Go's `fmtFloat` pads it: the sign (shown for negatives, with `+`,
/// or as a space with the space flag; infinities always signed) before any zero padding;
/// infinities and NaN never zero-padded.
fn signed_float(text: &str, spec: &Spec, origin: Option<Source>, out: &mut TextBuilder) {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let sign = match (negative, spec.plus, spec.space) {
        (true, _, _) => "-",
        (false, true, _) => "+",
        (false, false, true) => " ",
        (false, false, false) if digits == "Inf" => "+",
        _ => "",
    };
    let special = digits.starts_with(['I', 'N']);
    let width = spec.width.unwrap_or(0);
    let length = sign.len() + digits.len();
    if spec.zero && !spec.minus && !special && width > length {
        out.push_str(sign, None);
        out.push_str(&"0".repeat(width - length), None);
        out.push_str(digits, origin);
        return;
    }
    let spaces = Spec {
        zero: false,
        ..*spec
    };
    spaces.pad_str(&format!("{sign}{digits}"), origin, out);
}

/// A value in Go's syntax, as `%#v` prints it.
fn go_syntax(value: &Value) -> String {
    match &value.kind {
        Kind::Nil => "<nil>".to_owned(),
        Kind::Str(text) => format!("\"{}\"", escape_quoted(text.as_str())),
        Kind::List(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_syntax).collect::<Vec<_>>().join(", ")
        ),
        Kind::Map(entries) => format!(
            "map[string]interface {{}}{{{}}}",
            entries
                .borrow()
                .iter()
                .map(|(k, v)| format!("\"{}\":{}", escape_quoted(k), go_syntax(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => value.scalar_text(),
    }
}
