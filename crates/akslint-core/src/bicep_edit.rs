//! Planning text edits to a Bicep resource's own file: setting a property under `properties`.
//!
//! Only text written in the resource's declaration is edited: a value that came from a
//! parameter, a variable, a `.bicepparam` file or a module argument is left to the user, since
//! changing it there may change other resources too.

use crate::{AzureResource, Edit, NodeId, Setting, Span};

/// An edit that makes `properties.<path>` hold `value` (Bicep source text, e.g. `true` or
/// `'true'`): replaces the value when it is written in the resource, or inserts the missing end
/// of the path as the first entry of the deepest object on it that is written there (nested
/// objects are written multi-line, indented like their neighbours). `None` when no single edit
/// in the resource's text does it (the value or the object came from elsewhere, an object is
/// written on one line or empty, or part of the path is unknown).
pub fn set_property(resource: &AzureResource, path: &[&str], value: &str) -> Option<Edit> {
    match resource.property(path) {
        Setting::Unknown => None,
        Setting::Value(node) => {
            if resource.origin(node).is_some() {
                return None;
            }
            Some(Edit {
                span: resource.body.span(node),
                replacement: value.to_owned(),
            })
        }
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
                    Setting::Value(object) => {
                        let entry = nested_entry(&path[written..], value);
                        return insert_first_entry(resource, object, &entry);
                    }
                }
            }
            None
        }
    }
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

/// An edit that inserts `entry` as the first entry of a multi-line object literal written in
/// the resource's file, at the indentation of the object's first entry.
pub fn insert_first_entry(resource: &AzureResource, object: NodeId, entry: &str) -> Option<Edit> {
    if resource.origin(object).is_some() {
        return None;
    }
    let text = resource.file.text();
    let span = resource.body.span(object);
    if !text.get(span.range())?.starts_with('{') {
        return None;
    }
    let first = resource.body.entries(object).first()?;
    let key_start = resource.body.span(first.key).start as usize;
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
