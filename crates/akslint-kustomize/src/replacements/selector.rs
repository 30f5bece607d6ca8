//! Which objects a replacement reads from and writes to: a source picked by group, version,
//! kind, name and namespace (exactly), targets by the same fields as regular expressions, by
//! label and annotation selectors, less the rejected ones.

use regex::Regex;

use crate::node::Node;
use crate::resource::Resource;

/// An identity of an object: one it has now, or one it had before a rename.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Id {
    /// API group (empty for the core group).
    pub group: String,
    /// API version.
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Namespace (empty when unset).
    pub namespace: String,
}

impl Id {
    /// The identities of an object: its current one, then the names it had.
    pub fn all_of(resource: &Resource) -> Vec<Id> {
        let (group, version) = match resource.api_version().rsplit_once('/') {
            Some((group, version)) => (group.to_owned(), version.to_owned()),
            None => (String::new(), resource.api_version().to_owned()),
        };
        let id = |namespace: Option<&str>, name: &str| Id {
            group: group.clone(),
            version: version.clone(),
            kind: resource.kind().to_owned(),
            name: name.to_owned(),
            namespace: namespace.unwrap_or_default().to_owned(),
        };
        let mut ids = vec![id(resource.namespace(), resource.name())];
        for (namespace, name) in resource.previous_names.iter().rev() {
            let old = id(namespace.as_deref(), name);
            if !ids.contains(&old) {
                ids.push(old);
            }
        }
        ids
    }

    /// The namespace an object without one is in.
    pub fn effective_namespace(&self) -> &str {
        if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// The fields of an identity written in a selector (`group`, `version`, `kind`, `name`,
    /// `namespace`), empty when not written.
    pub fn from_selector(node: &Node) -> Id {
        let field = |key: &str| {
            node.get(key)
                .and_then(Node::scalar_text)
                .unwrap_or_default()
        };
        Id {
            group: field("group"),
            version: field("version"),
            kind: field("kind"),
            name: field("name"),
            namespace: field("namespace"),
        }
    }

    /// Whether this identity is the one `selector` names exactly (empty fields match anything;
    /// namespaces compared as effective namespaces).
    pub fn is_selected_by(&self, selector: &Id) -> bool {
        let same = |wanted: &str, have: &str| wanted.is_empty() || wanted == have;
        same(&selector.group, &self.group)
            && same(&selector.version, &self.version)
            && same(&selector.kind, &self.kind)
            && same(&selector.name, &self.name)
            && (selector.namespace.is_empty()
                || selector.effective_namespace() == self.effective_namespace())
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.kind.is_empty() {
            "object"
        } else {
            &self.kind
        };
        write!(f, "{kind}")?;
        if !self.name.is_empty() {
            write!(f, " `{}`", self.name)?;
        }
        if !self.namespace.is_empty() {
            write!(f, " in namespace `{}`", self.namespace)?;
        }
        Ok(())
    }
}

/// An identity written as regular expressions (anchored, as Kustomize anchors them).
pub struct IdPattern {
    fields: [Option<Regex>; 5],
}

impl IdPattern {
    /// The patterns of a selector's identity fields; a bad expression is an error.
    pub fn new(id: &Id) -> Result<IdPattern, String> {
        let compile = |pattern: &str| -> Result<Option<Regex>, String> {
            if pattern.is_empty() {
                return Ok(None);
            }
            Regex::new(&format!("^(?:{pattern})$"))
                .map(Some)
                .map_err(|e| format!("bad selector pattern `{pattern}`: {e}"))
        };
        Ok(IdPattern {
            fields: [
                compile(&id.group)?,
                compile(&id.version)?,
                compile(&id.kind)?,
                compile(&id.name)?,
                compile(&id.namespace)?,
            ],
        })
    }

    /// Whether no field is written.
    pub fn is_empty(&self) -> bool {
        self.fields.iter().all(Option::is_none)
    }

    /// Whether `id` matches every written field.
    pub fn matches(&self, id: &Id) -> bool {
        let values = [&id.group, &id.version, &id.kind, &id.name, &id.namespace];
        self.fields
            .iter()
            .zip(values)
            .all(|(pattern, value)| pattern.as_ref().is_none_or(|p| p.is_match(value)))
    }
}

/// A label (or annotation) selector as Kubernetes writes them: `app=web,tier!=db`,
/// `env in (prod,staging)`, `env notin (dev)`, `team`, `!legacy`.
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

/// One requirement of a label selector.
enum Requirement {
    /// The key has one of the values.
    In(String, Vec<String>),
    /// The key is unset or has none of the values.
    NotIn(String, Vec<String>),
    /// The key is set.
    Exists(String),
    /// The key is unset.
    Absent(String),
}

impl LabelSelector {
    /// Parses a selector; a malformed one is an error.
    pub fn parse(text: &str) -> Result<LabelSelector, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(Requirement::parse(part).ok_or_else(|| {
                format!("unable to parse requirement `{part}` of selector `{text}`")
            })?);
        }
        Ok(LabelSelector { requirements })
    }

    /// Whether the labels (or annotations) `map` satisfy every requirement.
    pub fn matches(&self, map: Option<&Node>) -> bool {
        let value = |key: &str| map.and_then(|m| m.get(key)).and_then(Node::scalar_text);
        self.requirements
            .iter()
            .all(|requirement| match requirement {
                Requirement::In(key, values) => value(key).is_some_and(|v| values.contains(&v)),
                Requirement::NotIn(key, values) => value(key).is_none_or(|v| !values.contains(&v)),
                Requirement::Exists(key) => value(key).is_some(),
                Requirement::Absent(key) => value(key).is_none(),
            })
    }
}

impl Requirement {
    fn parse(part: &str) -> Option<Requirement> {
        let word = |s: &str| {
            let s = s.trim();
            (!s.is_empty() && !s.contains([' ', '(', ')', '=', '!', ','])).then(|| s.to_owned())
        };
        if let Some(key) = part.strip_prefix('!') {
            return Some(Requirement::Absent(word(key)?));
        }
        if let Some((key, value)) = part.split_once("!=") {
            return Some(Requirement::NotIn(
                word(key)?,
                vec![value.trim().to_owned()],
            ));
        }
        if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
            return Some(Requirement::In(word(key)?, vec![value.trim().to_owned()]));
        }
        for (operator, negated) in [(" notin ", true), (" in ", false)] {
            if let Some((key, set)) = part.split_once(operator) {
                let set = set.trim().strip_prefix('(')?.strip_suffix(')')?;
                let values = set.split(',').map(|v| v.trim().to_owned()).collect();
                let key = word(key)?;
                return Some(if negated {
                    Requirement::NotIn(key, values)
                } else {
                    Requirement::In(key, values)
                });
            }
        }
        Some(Requirement::Exists(word(part)?))
    }
}

/// The requirements of a selector: split at commas outside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A `select` or `reject` entry of a replacement target.
pub struct Selector {
    /// Its identity fields.
    pub id: IdPattern,
    /// `labelSelector`.
    pub labels: Option<LabelSelector>,
    /// `annotationSelector`.
    pub annotations: Option<LabelSelector>,
}

impl Selector {
    /// The selector written at `node`.
    pub fn parse(node: &Node) -> Result<Selector, String> {
        let selector = |key: &str| -> Result<Option<LabelSelector>, String> {
            match node.get(key).and_then(Node::scalar_text) {
                Some(text) if !text.is_empty() => LabelSelector::parse(&text).map(Some),
                _ => Ok(None),
            }
        };
        Ok(Selector {
            id: IdPattern::new(&Id::from_selector(node))?,
            labels: selector("labelSelector")?,
            annotations: selector("annotationSelector")?,
        })
    }

    /// Whether the object's labels and annotations satisfy the selectors.
    pub fn matches_metadata(&self, resource: &Resource) -> bool {
        let labels = resource.node.path(&["metadata", "labels"]);
        let annotations = resource.node.path(&["metadata", "annotations"]);
        self.labels.as_ref().is_none_or(|s| s.matches(labels))
            && self
                .annotations
                .as_ref()
                .is_none_or(|s| s.matches(annotations))
    }

    /// Whether it has label or annotation selectors.
    pub fn has_metadata_selectors(&self) -> bool {
        self.labels.is_some() || self.annotations.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Origin;
    use akslint_core::Span;

    fn labels(pairs: &[(&str, &str)]) -> Node {
        let at = Origin::new(0, Span::empty(0));
        let mut map = Node::map(at);
        for (key, value) in pairs {
            map.set(key, Node::str(*value, at), at);
        }
        map
    }

    #[test]
    fn label_selectors_of_every_form() {
        let map = labels(&[("app", "web"), ("tier", "front")]);
        let matches = |text: &str| LabelSelector::parse(text).unwrap().matches(Some(&map));
        assert!(matches("app=web"));
        assert!(matches("app==web,tier"));
        assert!(matches("tier in (front, back),!legacy"));
        assert!(!matches("tier notin (front)"));
        assert!(!matches("app!=web"));
        assert!(LabelSelector::parse("app in web").is_err());
    }

    #[test]
    fn patterns_are_anchored() {
        let id = |name: &str| Id {
            group: "apps".into(),
            version: "v1".into(),
            kind: "Deployment".into(),
            name: name.into(),
            namespace: String::new(),
        };
        let pattern = IdPattern::new(&Id {
            kind: "Deploy.*".into(),
            name: "web|api".into(),
            ..id("")
        })
        .unwrap();
        assert!(pattern.matches(&id("web")));
        assert!(!pattern.matches(&id("web2")));
    }
}
