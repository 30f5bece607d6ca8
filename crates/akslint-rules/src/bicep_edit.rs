//! Planning text edits to a Bicep resource's own file: setting a property under `properties`.
//!
//! Only text written in the resource's declaration is edited: a value that came from a
//! parameter, a variable, a `.bicepparam` file or a module argument is left to the user, since
//! changing it there may change other resources too.

use akslint_core::{Applicability, AzureResource, Edit, Fix, NodeId, Setting, Span};

/// An edit that makes `properties.<path>` hold `value` (Bicep source text, e.g. `true` or
/// `'true'`): replaces the value when it is written in the resource, or inserts the missing end
/// of the path as the first entry of the deepest object on it that is written there (nested
/// objects are written multi-line, indented like their neighbours). `None` when no single edit
/// in the resource's text does it (the value or the object came from elsewhere, an object is
/// written on one line or empty, or part of the path is unknown).
pub fn set_property(resource: &AzureResource, path: &[&str], value: &str) -> Option<Edit> {
    set_properties(resource, &[(path, value)])?.pop()
}

/// The edits that make each `properties.<path>` hold its value, as [`set_property`] makes one,
/// sorted and not overlapping: the entries inserted into the same object are one insertion.
/// `None` when one of the settings cannot be made, or when two of them would insert the same
/// key into an object (paths that share a missing object, such as `a.b` and `a.c` where `a` is
/// missing).
pub fn set_properties(resource: &AzureResource, settings: &[(&[&str], &str)]) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    let mut insertions: Vec<(NodeId, Vec<&str>, Vec<String>)> = Vec::new();
    for &(path, value) in settings {
        match plan(resource, path)? {
            Plan::Replace(node) => edits.push(Edit {
                span: resource.body.span(node),
                replacement: value.to_owned(),
            }),
            Plan::Insert { object, missing } => {
                let entry = nested_entry(missing, value);
                match insertions.iter_mut().find(|(at, ..)| *at == object) {
                    Some((_, keys, entries)) => {
                        if keys.iter().any(|k| k.eq_ignore_ascii_case(missing[0])) {
                            return None;
                        }
                        keys.push(missing[0]);
                        entries.push(entry);
                    }
                    None => insertions.push((object, vec![missing[0]], vec![entry])),
                }
            }
        }
    }
    for (object, _, entries) in insertions {
        edits.push(insert_first_entry(resource, object, &entries.join("\n"))?);
    }
    edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
    Some(edits)
}

/// A fix that makes each boolean `properties.<path>` `true` with the edits of
/// [`set_properties`], replacing a value only where it is written as the literal `false`: a
/// computed value (`!legacy`, `env == 'dev'`) is the user's to change. `None` when that is not
/// possible.
pub fn enable_fix(
    resource: &AzureResource,
    paths: &[&[&str]],
    message: &str,
    applicability: Applicability,
) -> Option<Fix> {
    let text = resource.file.text();
    for path in paths {
        if let Setting::Value(node) = resource.property(path) {
            if text.get(resource.body.span(node).range()) != Some("false") {
                return None;
            }
        }
    }
    let settings: Vec<(&[&str], &str)> = paths.iter().map(|&path| (path, "true")).collect();
    Some(Fix {
        message: message.to_owned(),
        edits: set_properties(resource, &settings)?,
        applicability,
    })
}

/// How to make one setting: replace its written value, or insert the `missing` end of its path
/// into a written object.
enum Plan<'p> {
    Replace(NodeId),
    Insert {
        object: NodeId,
        missing: &'p [&'p str],
    },
}

fn plan<'p>(resource: &AzureResource, path: &'p [&'p str]) -> Option<Plan<'p>> {
    match resource.property(path) {
        Setting::Unknown => None,
        Setting::Value(node) => resource
            .origin(node)
            .is_none()
            .then_some(Plan::Replace(node)),
        Setting::NotSet => {
            for written in (0..path.len()).rev() {
                let object = if written == 0 {
                    resource.setting(&["properties"])
                } else {
                    resource.property(&path[..written])
                };
                match object {
                    Setting::Unknown => return None,
                    Setting::NotSet => {}
                    // The key is written (as `null`, or over a value that is not an object):
                    // inserting it again would write it twice.
                    Setting::Value(object) if has_key(resource, object, path[written]) => {
                        return None;
                    }
                    Setting::Value(object) => {
                        return Some(Plan::Insert {
                            object,
                            missing: &path[written..],
                        });
                    }
                }
            }
            None
        }
    }
}

/// Whether the mapping at `object` has an entry for `key` (compared ignoring case, as Azure does).
fn has_key(resource: &AzureResource, object: NodeId, key: &str) -> bool {
    let tree = &resource.body;
    tree.entries(object)
        .iter()
        .any(|e| tree.str(e.key).is_some_and(|k| k.eq_ignore_ascii_case(key)))
}

/// `a: {\n  b: value\n}` for the path `[a, b]`.
fn nested_entry(path: &[&str], value: &str) -> String {
    match path {
        [] => value.to_owned(),
        [last] => format!("{last}: {value}"),
        [first, rest @ ..] => {
            let inner = nested_entry(rest, value).replace('\n', "\n  ");
            format!("{first}: {{\n  {inner}\n}}")
        }
    }
}

/// An edit that inserts `entry` before the first entry written in a multi-line object literal
/// of the resource's file, at that entry's indentation.
pub fn insert_first_entry(resource: &AzureResource, object: NodeId, entry: &str) -> Option<Edit> {
    if resource.origin(object).is_some() {
        return None;
    }
    let text = resource.file.text();
    let span = resource.body.span(object);
    if !text.get(span.range())?.starts_with('{') {
        return None;
    }
    // The first key written in the object itself (not one spread into it from elsewhere).
    let key_start = resource
        .body
        .entries(object)
        .iter()
        .filter(|e| resource.origin(e.key).is_none())
        .map(|e| resource.body.span(e.key))
        .filter(|key| key.start > span.start && key.end <= span.end)
        .map(|key| key.start as usize)
        .min()?;
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..key_start];
    if !indent.bytes().all(|b| b == b' ' || b == b'\t') || line_start <= span.start as usize {
        return None;
    }
    let entry = entry.replace('\n', &format!("\n{indent}"));
    Some(Edit {
        span: Span::empty(key_start),
        replacement: format!("{entry}\n{indent}"),
    })
}

#[cfg(test)]
mod tests {
    use super::nested_entry;

    #[test]
    fn nested_entries_are_indented_per_level() {
        assert_eq!(nested_entry(&["a"], "true"), "a: true");
        assert_eq!(
            nested_entry(&["a", "b", "c"], "true"),
            "a: {\n  b: {\n    c: true\n  }\n}"
        );
    }
}
