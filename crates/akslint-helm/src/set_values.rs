//! Helm's `--set` syntax read into values: `key=value` items, comma-separated assignments,
//! dotted paths (`image.tag=1.2`), list indexes (`hosts[0]=a`, `env[1].name=X`), lists in braces
//! (`args={a,b}`), `\` escaping the next character, and values typed as Helm types them (`true`,
//! `false`, `null`, integers; a number with a leading zero or a fraction stays a string).

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::str::Chars;

use crate::render::value::{Kind, Value};

/// The largest list index `--set` accepts (Helm's own bound).
const MAX_INDEX: usize = 65_536;

/// A value being assembled from assignments.
#[derive(Clone, Debug, PartialEq)]
enum Plain {
    Nil,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Plain>),
    Map(BTreeMap<String, Plain>),
}

/// Reads `--set` items, in order (a later assignment wins), into one map of values; an item
/// that is not Helm's syntax is an error naming it.
pub fn parse_set(items: &[String]) -> Result<Value, String> {
    let mut root = BTreeMap::new();
    for item in items {
        let mut cursor = item.chars().peekable();
        while cursor.peek().is_some() {
            assign_in_map(&mut cursor, &mut root)
                .map_err(|problem| format!("--set `{item}`: {problem}"))?;
        }
    }
    Ok(to_value(Plain::Map(root)))
}

/// The key, as `--set` items write it, of the value at a JSON pointer of the values (`/image/tag`
/// is `image.tag`, `/hosts/0` is `hosts[0]`) when `items` wrote that value whole (a scalar, a
/// list, null: not a map the items only add keys to); `None` otherwise, or when an item is not
/// Helm's syntax.
pub fn set_key_at(items: &[String], pointer: &str) -> Option<String> {
    let mut value = parse_set(items).ok()?;
    let mut key = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = match &value.kind {
            Kind::Map(entries) => {
                if !key.is_empty() {
                    key.push('.');
                }
                for c in token.chars() {
                    if matches!(c, '.' | ',' | '=' | '[' | '\\') {
                        key.push('\\');
                    }
                    key.push(c);
                }
                entries.borrow().get(&token).cloned()
            }
            Kind::List(list) => {
                key.push_str(&format!("[{token}]"));
                token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| list.get(i).cloned())
            }
            _ => None,
        };
        value = next?;
    }
    (!key.is_empty() && !matches!(value.kind, Kind::Map(_))).then_some(key)
}

/// Reads one assignment into `map`, through the `,` that ends it.
fn assign_in_map(
    cursor: &mut Peekable<Chars<'_>>,
    map: &mut BTreeMap<String, Plain>,
) -> Result<(), String> {
    let (key, stop) = read_until(cursor, &['=', '.', '[', ','])?;
    if key.is_empty() {
        return Err("a key is empty".to_owned());
    }
    match stop {
        Some('=') => {
            let value = read_value(cursor)?;
            map.insert(key, value);
            Ok(())
        }
        Some('.') => {
            let entry = map.entry(key).or_insert(Plain::Nil);
            if !matches!(entry, Plain::Map(_)) {
                *entry = Plain::Map(BTreeMap::new());
            }
            match entry {
                Plain::Map(inner) => assign_in_map(cursor, inner),
                _ => Ok(()),
            }
        }
        Some('[') => {
            let index = read_index(cursor)?;
            let entry = map.entry(key).or_insert(Plain::Nil);
            if !matches!(entry, Plain::List(_)) {
                *entry = Plain::List(Vec::new());
            }
            match entry {
                Plain::List(items) => assign_in_list(cursor, items, index),
                _ => Ok(()),
            }
        }
        _ => Err(format!("key `{key}` has no value (write `{key}=VALUE`)")),
    }
}

/// Reads the rest of an assignment to the item `index` of `items` (after `key[index]`).
fn assign_in_list(
    cursor: &mut Peekable<Chars<'_>>,
    items: &mut Vec<Plain>,
    index: usize,
) -> Result<(), String> {
    if items.len() <= index {
        items.resize(index + 1, Plain::Nil);
    }
    let item = &mut items[index];
    match cursor.next() {
        Some('=') => {
            *item = read_value(cursor)?;
            Ok(())
        }
        Some('.') => {
            if !matches!(item, Plain::Map(_)) {
                *item = Plain::Map(BTreeMap::new());
            }
            match item {
                Plain::Map(inner) => assign_in_map(cursor, inner),
                _ => Ok(()),
            }
        }
        Some('[') => {
            let inner_index = read_index(cursor)?;
            if !matches!(item, Plain::List(_)) {
                *item = Plain::List(Vec::new());
            }
            match item {
                Plain::List(inner) => assign_in_list(cursor, inner, inner_index),
                _ => Ok(()),
            }
        }
        _ => Err(format!(
            "the list index [{index}] must be followed by `=`, `.` or `["
        )),
    }
}

/// Reads `N]` after a `[`.
fn read_index(cursor: &mut Peekable<Chars<'_>>) -> Result<usize, String> {
    let (digits, stop) = read_until(cursor, &[']'])?;
    if stop != Some(']') {
        return Err("a list index is not closed with `]`".to_owned());
    }
    let index: usize = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{digits}` is not a list index (a whole number from 0)"))?;
    if index > MAX_INDEX {
        return Err(format!("the list index {index} is above {MAX_INDEX}"));
    }
    Ok(index)
}

/// Reads a value after `=`: a list in braces or a scalar, through the `,` that ends the
/// assignment.
fn read_value(cursor: &mut Peekable<Chars<'_>>) -> Result<Plain, String> {
    if cursor.peek() != Some(&'{') {
        let (text, _) = read_until(cursor, &[','])?;
        return Ok(typed(&text));
    }
    cursor.next();
    let mut items = Vec::new();
    loop {
        let (text, stop) = read_until(cursor, &[',', '}'])?;
        match stop {
            Some(',') => items.push(typed(&text)),
            Some('}') => {
                if !(text.is_empty() && items.is_empty()) {
                    items.push(typed(&text));
                }
                break;
            }
            _ => return Err("a list is not closed with `}`".to_owned()),
        }
    }
    match cursor.next() {
        None | Some(',') => Ok(Plain::List(items)),
        Some(other) => Err(format!("`{other}` after a list's `}}` (write `,` or end)")),
    }
}

/// Reads up to (and consumes) the first unescaped character of `stops`; `\` escapes the next
/// character. Returns the text read and the stop (`None` at the end).
fn read_until(
    cursor: &mut Peekable<Chars<'_>>,
    stops: &[char],
) -> Result<(String, Option<char>), String> {
    let mut text = String::new();
    while let Some(c) = cursor.next() {
        if c == '\\' {
            match cursor.next() {
                Some(escaped) => text.push(escaped),
                None => return Err("a `\\` ends the item (it escapes the next character)".into()),
            }
        } else if stops.contains(&c) {
            return Ok((text, Some(c)));
        } else {
            text.push(c);
        }
    }
    Ok((text, None))
}

/// A scalar as Helm types it.
fn typed(text: &str) -> Plain {
    if text.eq_ignore_ascii_case("true") {
        return Plain::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Plain::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Plain::Nil;
    }
    if text == "0" {
        return Plain::Int(0);
    }
    if text.len() > 1 && text.starts_with('0') {
        return Plain::Str(text.to_owned());
    }
    match text.parse::<i64>() {
        Ok(n) => Plain::Int(n),
        Err(_) => Plain::Str(text.to_owned()),
    }
}

/// The renderer's value of an assembled one (no origin: it was written on the command line).
fn to_value(plain: Plain) -> Value {
    match plain {
        Plain::Nil => Value::new(Kind::Nil),
        Plain::Bool(b) => Value::new(Kind::Bool(b)),
        Plain::Int(n) => Value::new(Kind::Int(n)),
        Plain::Str(s) => Value::str(&s),
        Plain::List(items) => Value::list(items.into_iter().map(to_value).collect()),
        Plain::Map(entries) => Value::map(
            entries
                .into_iter()
                .map(|(key, value)| (key, to_value(value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::value::to_yaml;

    /// The `--set` items as the YAML `toYaml` writes for them (with a final newline).
    fn yaml(items: &[&str]) -> String {
        let items: Vec<String> = items.iter().map(|s| (*s).to_owned()).collect();
        let value = parse_set(&items).expect("valid --set");
        format!("{}\n", to_yaml(&value).as_str())
    }

    #[test]
    fn the_key_of_a_value_the_items_wrote_whole() {
        let items: Vec<String> = ["image.tag=2,replicas=0", "hosts[1]=b", "a\\.b.c=1"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let key = |pointer: &str| set_key_at(&items, pointer);
        assert_eq!(key("/image/tag").as_deref(), Some("image.tag"));
        assert_eq!(key("/replicas").as_deref(), Some("replicas"));
        assert_eq!(key("/hosts/1").as_deref(), Some("hosts[1]"));
        assert_eq!(key("/hosts").as_deref(), Some("hosts"));
        assert_eq!(key("/a.b/c").as_deref(), Some("a\\.b.c"));
        // A map the items add keys to, a value they do not write, the root.
        assert_eq!(key("/image"), None);
        assert_eq!(key("/image/pull"), None);
        assert_eq!(key(""), None);
    }

    #[test]
    fn dotted_paths_types_and_later_items_win() {
        assert_eq!(
            yaml(&[
                "image.tag=1.2.3,replicas=3",
                "debug=true,name=web",
                "replicas=05"
            ]),
            "debug: true\nimage:\n  tag: 1.2.3\nname: web\nreplicas: \"05\"\n"
        );
        assert_eq!(
            yaml(&["a=null,b=0,c=", "d=-7"]),
            "a: null\nb: 0\nc: \"\"\nd: -7\n"
        );
    }

    #[test]
    fn lists_by_index_and_in_braces() {
        assert_eq!(
            yaml(&["hosts[1]=b.example", "hosts[0]=a.example"]),
            "hosts:\n- a.example\n- b.example\n"
        );
        assert_eq!(
            yaml(&["env[0].name=MODE,env[0].value=prod"]),
            "env:\n- name: MODE\n  value: prod\n"
        );
        assert_eq!(
            yaml(&["args={run,--port,8080}"]),
            "args:\n- run\n- --port\n- 8080\n"
        );
        let nested = parse_set(&["m[0][1]=x".to_owned()]).expect("valid --set");
        let Some(Kind::List(outer)) = nested.get("m").map(|m| m.kind) else {
            panic!("m is a list: {nested:?}");
        };
        let Kind::List(inner) = &outer[0].kind else {
            panic!("m[0] is a list: {outer:?}");
        };
        assert_eq!(inner[0].kind, Kind::Nil);
        assert_eq!(inner[1].as_str(), Some("x"));
    }

    #[test]
    fn escapes_keep_dots_and_commas() {
        assert_eq!(
            yaml(&[
                r"annotations.azure\.workload\.identity/use=true",
                r"list=a\,b"
            ]),
            "annotations:\n  azure.workload.identity/use: true\nlist: a,b\n"
        );
    }

    #[test]
    fn what_is_not_helms_syntax_is_an_error_naming_the_item() {
        for (item, says) in [
            ("image.tag", "has no value"),
            ("a,b=1", "has no value"),
            ("=1", "empty"),
            ("a[x]=1", "not a list index"),
            ("a[1=1", "not closed"),
            ("a[99999999]=1", "above"),
            ("a={x,y", "not closed"),
            ("a[0]x", "must be followed"),
            ("a=b\\", "escapes"),
        ] {
            let err = parse_set(&[item.to_owned()]).expect_err(item);
            assert!(err.contains(item) && err.contains(says), "{item}: {err}");
        }
    }
}
