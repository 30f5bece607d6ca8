//! The pure functions the evaluator computes when their arguments are known (`union`, `concat`, `toLower`,
//! `items`, ...; the ones that take lambdas are in `lambdas`). Every other function (`resourceGroup()`,
//! `uniqueString()`, `listKeys()`, `sort()` ...) is unknown. Names compare ignoring ASCII case; `sys.` and `az.` calls come here too.

use std::collections::HashSet;
use std::rc::Rc;

use super::value::{
    Ent, Kind, Loc, Lookup, MAX_STRING, ObjectBuilder, V, Val, equal, fully_known, lookup,
};
use super::{Cx, Ev};
use crate::ast::Expr;

/// A function over evaluated arguments.
type Builtin<'a> = fn(&mut Ev<'a>, Cx, &[V], Loc) -> V;

/// A key that identifies a scalar value for de-duplication (`None` for arrays, objects and unknowns).
fn scalar_key(value: &V) -> Option<(u8, String)> {
    match &value.kind {
        Kind::Null => Some((0, String::new())),
        Kind::Bool(b) => Some((1, b.to_string())),
        Kind::Int(n) => Some((2, n.to_string())),
        Kind::Str(s, _) => Some((3, s.to_string())),
        _ => None,
    }
}

/// The entries of the one object argument, sorted by key as ARM sorts them (ignoring ASCII case,
/// then exactly); `None` when it is not an object whose keys are all known.
fn known_keyed_entries(args: &[V]) -> Option<Vec<(Rc<str>, &Ent)>> {
    let [object] = args else { return None };
    let entries = object.as_object()?;
    let mut keyed: Vec<(Rc<str>, &Ent)> = entries
        .iter()
        .map(|entry| entry.key.clone().map(|key| (key, entry)))
        .collect::<Option<_>>()?;
    keyed.sort_by(|(a, _), (b, _)| {
        a.to_ascii_lowercase()
            .cmp(&b.to_ascii_lowercase())
            .then_with(|| a.cmp(b))
    });
    Some(keyed)
}

/// Most comparisons one `union` of arrays or `contains` may make.
const COMPARISON_BUDGET: u64 = 1_000_000;
/// Longest array `range()` builds (ARM's own limit).
const MAX_RANGE: i64 = 10_000;

impl<'a> Ev<'a> {
    /// Calls the built-in function `name` on Bicep arguments (evaluated here), or `None` if it is
    /// not one the evaluator computes.
    pub fn call_builtin(
        &mut self,
        cx: Cx,
        name: &str,
        arguments: &[Expr<'a>],
        at: Loc,
    ) -> Option<V> {
        if is_lambda_function(name) {
            return Some(self.call_with_lambda(cx, name, arguments, at));
        }
        let function = builtin(name)?;
        let values: Vec<V> = arguments.iter().map(|a| self.eval(cx, *a)).collect();
        Some(function(self, cx, &values, at))
    }

    /// Calls the built-in function `name` on arguments already evaluated (the ARM evaluator's way
    /// in), or `None` if it is not one the evaluator computes on values (the functions that take
    /// lambdas are not).
    pub fn call_builtin_values(&mut self, cx: Cx, name: &str, values: &[V], at: Loc) -> Option<V> {
        let function = builtin(name)?;
        Some(function(self, cx, values, at))
    }
}

/// Whether `name` is one of the functions that take lambdas (`filter`, `map`, `toObject`, `reduce`).
fn is_lambda_function(name: &str) -> bool {
    ["filter", "map", "toobject", "reduce"]
        .iter()
        .any(|f| name.eq_ignore_ascii_case(f))
}

/// The built-in function computed on values called `name` (ignoring case).
fn builtin<'a>(name: &str) -> Option<Builtin<'a>> {
    let function: Builtin<'a> = match name.to_ascii_lowercase().as_str() {
        "union" => Ev::f_union,
        "concat" => Ev::f_concat,
        "tolower" => Ev::f_to_lower,
        "toupper" => Ev::f_to_upper,
        "string" => Ev::f_string,
        "bool" => Ev::f_bool,
        "int" => Ev::f_int,
        "empty" => Ev::f_empty,
        "contains" => Ev::f_contains,
        "length" => Ev::f_length,
        "coalesce" => Ev::f_coalesce,
        "format" => Ev::f_format,
        "range" => Ev::f_range,
        "first" => Ev::f_first,
        "last" => Ev::f_last,
        "join" => Ev::f_join,
        "split" => Ev::f_split,
        "replace" => Ev::f_replace,
        "startswith" => Ev::f_starts_with,
        "endswith" => Ev::f_ends_with,
        "trim" => Ev::f_trim,
        "take" => Ev::f_take,
        "skip" => Ev::f_skip,
        "min" => Ev::f_min,
        "max" => Ev::f_max,
        "array" => Ev::f_array,
        "substring" => Ev::f_substring,
        "items" => Ev::f_items,
        "objectkeys" => Ev::f_object_keys,
        "tryget" => Ev::f_try_get,
        "shallowmerge" => Ev::f_shallow_merge,
        _ => return None,
    };
    Some(function)
}

impl<'a> Ev<'a> {
    /// `items(object)`: `{key, value}` objects sorted by key, as ARM sorts them (ignoring case).
    fn f_items(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let Some(entries) = known_keyed_entries(args) else {
            return self.unknown(cx, at);
        };
        let mut items = Vec::with_capacity(entries.len());
        for (key, entry) in entries {
            let key_value = Val::string(key.to_string(), entry.key_src, entry.key_what);
            let pair = vec![
                Ent {
                    key: Some("key".into()),
                    key_src: at,
                    key_what: cx.what,
                    value: key_value,
                },
                Ent {
                    key: Some("value".into()),
                    key_src: at,
                    key_what: cx.what,
                    value: entry.value.clone(),
                },
            ];
            items.push(self.object(pair, at, cx.what));
        }
        self.array(items, at, cx.what)
    }

    /// `objectKeys(object)`: the keys, in the order of `items`.
    fn f_object_keys(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let Some(entries) = known_keyed_entries(args) else {
            return self.unknown(cx, at);
        };
        let keys = entries
            .into_iter()
            .map(|(key, entry)| Val::string(key.to_string(), entry.key_src, entry.key_what))
            .collect();
        self.array(keys, at, cx.what)
    }

    /// `tryGet(value, key or index, ...)`: what the path leads to, `null` where it leads nowhere.
    fn f_try_get(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let Some((first, path)) = args.split_first() else {
            return self.unknown(cx, at);
        };
        let mut current = first.clone();
        for step in path {
            current = match (&current.kind, &step.kind) {
                (Kind::Object(entries), Kind::Str(key, _)) => match lookup(entries, key) {
                    Lookup::Found(value) => value,
                    Lookup::Absent => return self.scalar(cx, at, Kind::Null),
                    Lookup::Unknown => return self.unknown(cx, at),
                },
                (Kind::Array(items), Kind::Int(index)) => {
                    match usize::try_from(*index).ok().and_then(|i| items.get(i)) {
                        Some(value) => value.clone(),
                        None => return self.scalar(cx, at, Kind::Null),
                    }
                }
                (Kind::Null, _) => return self.scalar(cx, at, Kind::Null),
                _ => return self.unknown(cx, at),
            };
        }
        current
    }

    /// `shallowMerge(array of objects)`: the objects' entries, a later key replacing an earlier one
    /// (nested objects are not merged, unlike `union`).
    fn f_shallow_merge(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let [objects] = args else {
            return self.unknown(cx, at);
        };
        let Some(objects) = objects.as_array() else {
            return self.unknown(cx, at);
        };
        let mut builder = ObjectBuilder::default();
        for object in objects {
            match &object.kind {
                Kind::Object(_) | Kind::Null => super::expr::spread_into(&mut builder, object),
                Kind::Unknown => builder.open(object),
                _ => return self.unknown(cx, at),
            }
        }
        self.object(builder.entries, at, cx.what)
    }

    fn string_result(&mut self, cx: Cx, at: Loc, text: String) -> V {
        self.string(text, at, cx.what)
    }

    fn f_union(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let objects = args.iter().any(|a| a.as_object().is_some());
        let arrays = args.iter().any(|a| a.as_array().is_some());
        if objects && !arrays {
            let mut builder = ObjectBuilder::default();
            for arg in args {
                match &arg.kind {
                    Kind::Object(entries) => self.merge_entries(&mut builder, entries, cx, at),
                    Kind::Unknown => builder.open(arg),
                    _ => return self.unknown(cx, at),
                }
            }
            return self.object(builder.entries, at, cx.what);
        }
        if arrays && !objects {
            let mut out: Vec<V> = Vec::new();
            let mut scalars: HashSet<(u8, String)> = HashSet::new();
            let mut budget = COMPARISON_BUDGET.min(self.budget.fuel);
            let start = budget;
            for arg in args {
                let Some(items) = arg.as_array() else {
                    return self.unknown(cx, at);
                };
                for item in items {
                    if !fully_known(item) {
                        return self.unknown(cx, at);
                    }
                    if let Some(key) = scalar_key(item) {
                        if scalars.insert(key) {
                            out.push(item.clone());
                        }
                        continue;
                    }
                    let mut seen = false;
                    for existing in out.iter().filter(|o| scalar_key(o).is_none()) {
                        match equal(existing, item, &mut budget) {
                            Some(true) => {
                                seen = true;
                                break;
                            }
                            Some(false) => {}
                            None => return self.unknown(cx, at),
                        }
                    }
                    if !seen {
                        out.push(item.clone());
                    }
                }
            }
            self.budget.fuel -= start - budget;
            return self.array(out, at, cx.what);
        }
        self.unknown(cx, at)
    }

    /// Merges an object's entries into `builder` as `union` does: a later value wins, except that two
    /// objects under the same key are merged.
    fn merge_entries(&mut self, builder: &mut ObjectBuilder, entries: &[Ent], cx: Cx, at: Loc) {
        for entry in entries {
            let Some(key) = &entry.key else {
                builder.open(&entry.value);
                continue;
            };
            if entry.value.as_object().is_some()
                && let Some(position) = builder.position(key)
            {
                let old = builder.entries[position].value.clone();
                if old.as_object().is_some() || old.is_unknown() {
                    let merged = self.merge_values(&old, &entry.value, cx, at);
                    builder.entries[position] = Ent {
                        value: merged,
                        ..entry.clone()
                    };
                    continue;
                }
            }
            builder.set(entry.clone());
        }
    }

    /// The merge of two values under the same key (`new` is an object; `old` an object or unknown).
    fn merge_values(&mut self, old: &V, new: &V, cx: Cx, at: Loc) -> V {
        let mut builder = ObjectBuilder::default();
        match &old.kind {
            Kind::Object(entries) => builder.entries = entries.to_vec(),
            Kind::Unknown => builder.open(old),
            _ => {}
        }
        if let Some(entries) = new.as_object() {
            self.merge_entries(&mut builder, entries, cx, at);
        }
        let merged = self.object(builder.entries, new.src, new.what);
        super::value::restamp(merged, new.at)
    }

    fn f_concat(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        if args
            .iter()
            .all(|a| matches!(a.kind, Kind::Array(_) | Kind::Null))
            && !args.is_empty()
        {
            let items = args
                .iter()
                .filter_map(|a| a.as_array())
                .flat_map(|items| items.iter().cloned())
                .collect();
            return self.array(items, at, cx.what);
        }
        let mut text = String::new();
        for arg in args {
            match &arg.kind {
                Kind::Str(s, _) => text.push_str(s),
                Kind::Int(n) => text.push_str(&n.to_string()),
                _ => return self.unknown(cx, at),
            }
            if text.len() > MAX_STRING {
                return self.too_large(cx, at);
            }
        }
        if args.is_empty() {
            return self.unknown(cx, at);
        }
        self.string_result(cx, at, text)
    }

    fn f_to_lower(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [value] if value.as_str().is_some() => {
                self.string_result(cx, at, value.as_str().unwrap_or_default().to_lowercase())
            }
            _ => self.unknown(cx, at),
        }
    }

    fn f_to_upper(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [value] if value.as_str().is_some() => {
                self.string_result(cx, at, value.as_str().unwrap_or_default().to_uppercase())
            }
            _ => self.unknown(cx, at),
        }
    }

    fn f_string(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [value] => match &value.kind {
                Kind::Str(..) => value.clone(),
                Kind::Int(n) => self.string_result(cx, at, n.to_string()),
                _ => self.unknown(cx, at),
            },
            _ => self.unknown(cx, at),
        }
    }

    fn f_bool(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let result = match args {
            [value] => match &value.kind {
                Kind::Bool(b) => Some(*b),
                Kind::Int(n) => Some(*n != 0),
                Kind::Str(s, _) if s.eq_ignore_ascii_case("true") => Some(true),
                Kind::Str(s, _) if s.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            },
            _ => None,
        };
        match result {
            Some(b) => self.scalar(cx, at, Kind::Bool(b)),
            None => self.unknown(cx, at),
        }
    }

    fn f_int(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let result = match args {
            [value] => match &value.kind {
                Kind::Int(n) => Some(*n),
                Kind::Str(s, _) => s.trim().parse::<i64>().ok(),
                _ => None,
            },
            _ => None,
        };
        match result {
            Some(n) => self.scalar(cx, at, Kind::Int(n)),
            None => self.unknown(cx, at),
        }
    }

    fn f_empty(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let result = match args {
            [value] => match &value.kind {
                Kind::Null => Some(true),
                Kind::Str(s, _) => Some(s.is_empty()),
                Kind::Array(items) => Some(items.is_empty()),
                Kind::Object(entries) if entries.iter().any(|e| e.key.is_some()) => Some(false),
                Kind::Object(entries) if entries.is_empty() => Some(true),
                _ => None,
            },
            _ => None,
        };
        match result {
            Some(b) => self.scalar(cx, at, Kind::Bool(b)),
            None => self.unknown(cx, at),
        }
    }

    fn f_contains(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let result = match args {
            [container, item] => match (&container.kind, &item.kind) {
                (Kind::Str(s, _), Kind::Str(part, _)) => Some(s.contains(&**part)),
                (Kind::Str(s, _), Kind::Int(n)) => Some(s.contains(&n.to_string())),
                (Kind::Object(entries), Kind::Str(key, _)) => match lookup(entries, key) {
                    Lookup::Found(_) => Some(true),
                    Lookup::Absent => Some(false),
                    Lookup::Unknown => None,
                },
                (Kind::Array(items), _) => {
                    let mut budget = COMPARISON_BUDGET.min(self.budget.fuel);
                    let start = budget;
                    let mut result = Some(false);
                    for candidate in items.iter() {
                        match equal(candidate, item, &mut budget) {
                            Some(true) => {
                                result = Some(true);
                                break;
                            }
                            Some(false) => {}
                            None => result = None,
                        }
                    }
                    self.budget.fuel -= start - budget;
                    result
                }
                _ => None,
            },
            _ => None,
        };
        match result {
            Some(b) => self.scalar(cx, at, Kind::Bool(b)),
            None => self.unknown(cx, at),
        }
    }

    fn f_length(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let result = match args {
            [value] => match &value.kind {
                Kind::Str(s, _) => Some(s.encode_utf16().count()),
                Kind::Array(items) => Some(items.len()),
                Kind::Object(entries) if entries.iter().all(|e| e.key.is_some()) => {
                    Some(entries.len())
                }
                _ => None,
            },
            _ => None,
        };
        match result.and_then(|n| i64::try_from(n).ok()) {
            Some(n) => self.scalar(cx, at, Kind::Int(n)),
            None => self.unknown(cx, at),
        }
    }

    fn f_coalesce(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        for arg in args {
            match arg.kind {
                Kind::Null => {}
                Kind::Unknown => return self.unknown(cx, at),
                _ => return arg.clone(),
            }
        }
        if args.is_empty() {
            return self.unknown(cx, at);
        }
        self.scalar(cx, at, Kind::Null)
    }

    /// `format()` with plain `{n}` placeholders (no alignment or format strings) and string or integer
    /// arguments.
    fn f_format(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let Some((template, rest)) = args.split_first() else {
            return self.unknown(cx, at);
        };
        let Some(template) = template.as_str() else {
            return self.unknown(cx, at);
        };
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    out.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    out.push('}');
                }
                '{' => {
                    let mut digits = String::new();
                    let mut closed = false;
                    for d in chars.by_ref() {
                        if d == '}' {
                            closed = true;
                            break;
                        }
                        digits.push(d);
                    }
                    let index = digits.trim().parse::<usize>().ok();
                    let Some(arg) = index.filter(|_| closed).and_then(|i| rest.get(i)) else {
                        return self.unknown(cx, at);
                    };
                    match &arg.kind {
                        Kind::Str(s, _) => out.push_str(s),
                        Kind::Int(n) => out.push_str(&n.to_string()),
                        _ => return self.unknown(cx, at),
                    }
                    if out.len() > MAX_STRING {
                        return self.too_large(cx, at);
                    }
                }
                '}' => return self.unknown(cx, at),
                c => out.push(c),
            }
        }
        self.string_result(cx, at, out)
    }

    fn f_range(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let (Some(start), Some(count)) = (
            args.first().and_then(|a| a.as_int()),
            args.get(1).and_then(|a| a.as_int()),
        ) else {
            return self.unknown(cx, at);
        };
        if args.len() != 2
            || !(0..=MAX_RANGE).contains(&count)
            || start.checked_add(count).is_none()
        {
            return self.unknown(cx, at);
        }
        let items = (start..start + count)
            .map(|n| Val::leaf(Kind::Int(n), at, cx.what))
            .collect();
        self.array(items, at, cx.what)
    }

    fn f_first(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [value] => match &value.kind {
                Kind::Array(items) if !items.is_empty() => items[0].clone(),
                Kind::Str(s, _) if s.is_ascii() && !s.is_empty() => {
                    self.string_result(cx, at, s[..1].to_owned())
                }
                _ => self.unknown(cx, at),
            },
            _ => self.unknown(cx, at),
        }
    }

    fn f_last(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [value] => match &value.kind {
                Kind::Array(items) if !items.is_empty() => items[items.len() - 1].clone(),
                Kind::Str(s, _) if s.is_ascii() && !s.is_empty() => {
                    self.string_result(cx, at, s[s.len() - 1..].to_owned())
                }
                _ => self.unknown(cx, at),
            },
            _ => self.unknown(cx, at),
        }
    }

    fn f_join(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let (Some(items), Some(delimiter)) = (
            args.first().and_then(|a| a.as_array()),
            args.get(1).and_then(|a| a.as_str()),
        ) else {
            return self.unknown(cx, at);
        };
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            match &item.kind {
                Kind::Str(s, _) => parts.push(s.to_string()),
                Kind::Int(n) => parts.push(n.to_string()),
                _ => return self.unknown(cx, at),
            }
        }
        let total: usize = parts.iter().map(String::len).sum::<usize>()
            + delimiter.len() * parts.len().saturating_sub(1);
        if args.len() != 2 {
            return self.unknown(cx, at);
        }
        if total > MAX_STRING {
            return self.too_large(cx, at);
        }
        self.string_result(cx, at, parts.join(delimiter))
    }

    fn f_split(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let text = args.first().and_then(|a| a.as_str());
        let delimiter = match args.get(1).map(|a| &a.kind) {
            Some(Kind::Str(s, _)) => Some(s.to_string()),
            Some(Kind::Array(items)) if items.len() == 1 => items[0].as_str().map(str::to_owned),
            _ => None,
        };
        match (text, delimiter) {
            (Some(text), Some(delimiter)) if args.len() == 2 && !delimiter.is_empty() => {
                let items = text
                    .split(delimiter.as_str())
                    .map(|part| Val::leaf(Kind::Str(part.into(), false), at, cx.what))
                    .collect();
                self.array(items, at, cx.what)
            }
            _ => self.unknown(cx, at),
        }
    }

    fn f_replace(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [text, old, new] => match (text.as_str(), old.as_str(), new.as_str()) {
                (Some(text), Some(old), Some(new)) if !old.is_empty() => {
                    let count = text.matches(old).count();
                    if text.len() + count.saturating_mul(new.len()) > MAX_STRING {
                        return self.too_large(cx, at);
                    }
                    self.string_result(cx, at, text.replace(old, new))
                }
                _ => self.unknown(cx, at),
            },
            _ => self.unknown(cx, at),
        }
    }

    /// `startsWith`/`endsWith`, which compare ignoring case in ARM.
    fn affix(&mut self, cx: Cx, args: &[V], at: Loc, end: bool) -> V {
        match args {
            [text, affix] => match (text.as_str(), affix.as_str()) {
                (Some(text), Some(affix)) => {
                    let (text, affix) = (text.to_lowercase(), affix.to_lowercase());
                    let result = if end {
                        text.ends_with(&affix)
                    } else {
                        text.starts_with(&affix)
                    };
                    self.scalar(cx, at, Kind::Bool(result))
                }
                _ => self.unknown(cx, at),
            },
            _ => self.unknown(cx, at),
        }
    }

    fn f_starts_with(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        self.affix(cx, args, at, false)
    }

    fn f_ends_with(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        self.affix(cx, args, at, true)
    }

    fn f_trim(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [text] if text.as_str().is_some() => {
                self.string_result(cx, at, text.as_str().unwrap_or_default().trim().to_owned())
            }
            _ => self.unknown(cx, at),
        }
    }

    /// `take`/`skip` on arrays and ASCII strings.
    fn slice(&mut self, cx: Cx, args: &[V], at: Loc, take: bool) -> V {
        let [value, count] = args else {
            return self.unknown(cx, at);
        };
        let Some(count) = count.as_int() else {
            return self.unknown(cx, at);
        };
        let split =
            |len: usize| -> usize { usize::try_from(count.max(0)).unwrap_or(usize::MAX).min(len) };
        match &value.kind {
            Kind::Array(items) => {
                let at_index = split(items.len());
                let part = if take {
                    &items[..at_index]
                } else {
                    &items[at_index..]
                };
                self.array(part.to_vec(), at, cx.what)
            }
            Kind::Str(s, _) if s.is_ascii() => {
                let at_index = split(s.len());
                let part = if take { &s[..at_index] } else { &s[at_index..] };
                self.string_result(cx, at, part.to_owned())
            }
            _ => self.unknown(cx, at),
        }
    }

    fn f_take(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        self.slice(cx, args, at, true)
    }

    fn f_skip(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        self.slice(cx, args, at, false)
    }

    /// `min`/`max` over integers given as arguments or as one array.
    fn extreme(&mut self, cx: Cx, args: &[V], at: Loc, max: bool) -> V {
        let values: &[V] = match args {
            [single] if single.as_array().is_some() => single.as_array().unwrap_or_default(),
            _ => args,
        };
        let mut result: Option<i64> = None;
        for value in values {
            let Some(n) = value.as_int() else {
                return self.unknown(cx, at);
            };
            result = Some(match result {
                None => n,
                Some(r) if max => r.max(n),
                Some(r) => r.min(n),
            });
        }
        match result {
            Some(n) => self.scalar(cx, at, Kind::Int(n)),
            None => self.unknown(cx, at),
        }
    }

    fn f_min(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        self.extreme(cx, args, at, false)
    }

    fn f_max(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        self.extreme(cx, args, at, true)
    }

    fn f_array(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        match args {
            [value] => match &value.kind {
                Kind::Array(_) => value.clone(),
                Kind::Unknown => self.unknown(cx, at),
                _ => self.array(vec![value.clone()], at, cx.what),
            },
            _ => self.unknown(cx, at),
        }
    }

    fn f_substring(&mut self, cx: Cx, args: &[V], at: Loc) -> V {
        let text = args
            .first()
            .and_then(|a| a.as_str())
            .filter(|s| s.is_ascii());
        let start = args.get(1).and_then(|a| a.as_int());
        let (Some(text), Some(start)) = (text, start) else {
            return self.unknown(cx, at);
        };
        let len = text.len() as i64;
        let length = match args.get(2) {
            Some(value) => value.as_int(),
            None if args.len() == 2 => Some(len - start),
            None => None,
        };
        match length {
            Some(length) if start >= 0 && length >= 0 && start <= len && length <= len - start => {
                let (start, end) = (start as usize, (start + length) as usize);
                self.string_result(cx, at, text[start..end].to_owned())
            }
            _ => self.unknown(cx, at),
        }
    }
}
