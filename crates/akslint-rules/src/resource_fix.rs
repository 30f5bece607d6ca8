//! Fix plans for evaluated Azure resources: which value to replace, or which object to insert a
//! setting into, decided on the model (where each value was written, what is set). The front end
//! of the resource's file writes the plan in its syntax, or declines.
//!
//! Only text written in the resource's own declaration is changed: a value that came from a
//! parameter, a variable, a `.bicepparam` file or a module argument is left to the user, since
//! changing it there may change other resources too.

use akslint_core::{Applicability, AzureResource, Change, FixPlan, Literal, NodeId, Setting};

/// The change that makes `properties.<path>` hold `value`: replace the value when it is written
/// in the resource, or insert the missing end of the path into the deepest object on it that is
/// written there. `None` when the value or the object came from elsewhere, or part of the path is
/// unknown.
pub fn set_property(resource: &AzureResource, path: &[&str], value: Literal) -> Option<Change> {
    change(resource, path, None, value)
}

/// A fix that makes each boolean `properties.<path>` `true`: a value written in the resource is
/// replaced only where it is the literal `false` (a computed value, `!legacy`, is the user's to
/// change), a missing one inserted. `None` when that is not possible for every path.
pub fn enable(
    resource: &AzureResource,
    paths: &[&[&str]],
    message: &str,
    applicability: Applicability,
) -> Option<FixPlan> {
    let changes = paths
        .iter()
        .map(|path| {
            change(
                resource,
                path,
                Some(Literal::Bool(false)),
                Literal::Bool(true),
            )
        })
        .collect::<Option<Vec<Change>>>()?;
    Some(FixPlan {
        message: message.to_owned(),
        applicability,
        changes,
    })
}

fn change(
    resource: &AzureResource,
    path: &[&str],
    expected: Option<Literal>,
    value: Literal,
) -> Option<Change> {
    let span = |node: NodeId| resource.body.span(node);
    match resource.property(path) {
        Setting::Unknown => None,
        Setting::Value(node) => resource.origin(node).is_none().then(|| Change::Replace {
            at: span(node),
            expected,
            value,
        }),
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
                    Setting::Value(object) if resource.origin(object).is_some() => return None,
                    Setting::Value(object) => {
                        return Some(Change::Insert {
                            object: span(object),
                            path: path[written..].iter().map(|k| (*k).to_owned()).collect(),
                            value,
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
