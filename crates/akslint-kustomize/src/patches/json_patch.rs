//! JSON patches (RFC 6902) applied to an object as Kustomize applies them (evanphx/json-patch
//! v4): `add`, `remove`, `replace`, `move`, `copy` and `test`, with JSON pointers (`~0`, `~1`,
//! `-` to append, negative indices from the end). Values an operation writes keep the patch's
//! origins; a map or list an operation removed from takes the operation's origin.

use crate::node::{Node, Origin, Value};

/// An operation that does not apply, and the operation's place in the patch.
#[derive(Debug)]
pub struct OperationError {
    /// The operation.
    pub origin: Origin,
    /// Why it does not apply.
    pub message: String,
}

/// Applies the operations (the items of a JSON patch) to `object` in order; the first that
/// does not apply stops the patch.
pub fn apply(object: &mut Node, operations: &[Node]) -> Result<(), OperationError> {
    for operation in operations {
        apply_one(object, operation).map_err(|message| OperationError {
            origin: operation.origin,
            message,
        })?;
    }
    Ok(())
}

/// The tokens of a JSON pointer.
fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!(
            "invalid JSON pointer `{pointer}`: it must start with `/`"
        ));
    };
    Ok(rest
        .split('/')
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn apply_one(object: &mut Node, operation: &Node) -> Result<(), String> {
    let field = |key: &str| operation.get(key).and_then(Node::scalar_text);
    let op = field("op").unwrap_or_default();
    let path = field("path").ok_or_else(|| format!("operation `{op}` has no path"))?;
    let value = || {
        operation
            .get("value")
            .cloned()
            .unwrap_or_else(|| Node::new(Value::Null, operation.origin))
    };
    match op.as_str() {
        "add" => add(object, &path, value(), operation.origin)
            .map_err(|e| format!("error in add for path: '{path}': {e}")),
        "remove" => remove(object, &path, operation.origin)
            .map(|_| ())
            .map_err(|e| format!("error in remove for path: '{path}': {e}")),
        "replace" => replace(object, &path, value()),
        "move" => {
            let from = field("from").ok_or("operation `move` has no from")?;
            let moved = remove(object, &from, operation.origin)
                .map_err(|e| format!("error in move for path: '{from}': {e}"))?;
            add(object, &path, moved, operation.origin)
                .map_err(|e| format!("error in move for path: '{path}': {e}"))
        }
        "copy" => {
            let from = field("from").ok_or("operation `copy` has no from")?;
            let copied = get(object, &from)
                .map_err(|e| format!("error in copy for from: '{from}': {e}"))?
                .clone();
            add(object, &path, copied, operation.origin)
                .map_err(|e| format!("error in copy for path: '{path}': {e}"))
        }
        "test" => {
            let expected = value().to_json();
            let found = get(object, &path).ok().map(Node::to_json);
            if found.as_ref() == Some(&expected) || found.is_none() && expected.is_null() {
                Ok(())
            } else {
                Err(format!("testing value {path} failed: test failed"))
            }
        }
        other => Err(format!("Unexpected kind: {other}")),
    }
}

/// The container of a pointer's last token (a map or list) and that token.
fn parent<'a>(object: &'a mut Node, path: &str) -> Result<(&'a mut Node, String), String> {
    let mut tokens = tokens(path)?;
    let Some(last) = tokens.pop() else {
        return Err("the whole document cannot be changed".to_owned());
    };
    let mut node = object;
    for token in &tokens {
        node = child_mut(node, token)
            .ok_or_else(|| format!("doc is missing path: {path}: missing value"))?;
    }
    Ok((node, last))
}

fn child_mut<'a>(node: &'a mut Node, token: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        Value::Map(entries) => entries
            .iter_mut()
            .find(|e| e.key == token)
            .map(|e| &mut e.value),
        Value::Seq(items) => {
            let at = index(token, items.len(), false).ok()?;
            items.get_mut(at)
        }
        _ => None,
    }
}

/// A list index of a pointer token (negative counts from the end); `insert` allows the end.
fn index(token: &str, len: usize, insert: bool) -> Result<usize, String> {
    let invalid = || format!("Unable to access invalid index: {token}: invalid index referenced");
    let at: i64 = token.parse().map_err(|_| invalid())?;
    let limit = if insert { len + 1 } else { len } as i64;
    let at = if at < 0 { at + len as i64 } else { at };
    if at < 0 || at >= limit {
        return Err(invalid());
    }
    Ok(at as usize)
}

fn get<'a>(object: &'a Node, path: &str) -> Result<&'a Node, String> {
    let mut node = object;
    for token in tokens(path)? {
        node = match &node.value {
            Value::Map(_) => node.get(&token),
            Value::Seq(items) => index(&token, items.len(), false)
                .ok()
                .and_then(|at| items.get(at)),
            _ => None,
        }
        .ok_or_else(|| format!("doc is missing path: {path}: missing value"))?;
    }
    Ok(node)
}

fn add(object: &mut Node, path: &str, value: Node, origin: Origin) -> Result<(), String> {
    let (container, key) = parent(object, path)?;
    match &mut container.value {
        Value::Map(_) => {
            container.set(&key, value, origin);
            Ok(())
        }
        Value::Seq(items) => {
            let at = if key == "-" {
                items.len()
            } else {
                index(&key, items.len(), true)?
            };
            items.insert(at, value);
            Ok(())
        }
        _ => Err(format!("doc is missing path: {path}: missing value")),
    }
}

fn remove(object: &mut Node, path: &str, origin: Origin) -> Result<Node, String> {
    let (container, key) = parent(object, path)?;
    let removed = match &mut container.value {
        Value::Map(_) => container
            .remove(&key)
            .ok_or_else(|| format!("Unable to remove nonexistent key: {key}: missing value"))?,
        Value::Seq(items) => {
            let at = index(&key, items.len(), false)?;
            items.remove(at)
        }
        _ => return Err(format!("doc is missing path: {path}: missing value")),
    };
    container.origin = origin;
    Ok(removed)
}

fn replace(object: &mut Node, path: &str, value: Node) -> Result<(), String> {
    let (container, key) = parent(object, path).map_err(|_| {
        format!("replace operation does not apply: doc is missing path: {path}: missing value")
    })?;
    let slot = match &mut container.value {
        Value::Map(entries) => entries
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value),
        Value::Seq(items) => index(&key, items.len(), false)
            .ok()
            .and_then(|at| items.get_mut(at)),
        _ => None,
    }
    .ok_or_else(|| {
        format!("replace operation does not apply: doc is missing key: {path}: missing value")
    })?;
    *slot = value;
    Ok(())
}
