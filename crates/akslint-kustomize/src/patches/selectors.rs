//! Which objects a patch applies to: a `target` selector (group, version, kind, name and
//! namespace as regular expressions anchored at both ends, label and annotation selectors),
//! or, for a strategic merge patch without one, the object with the patch's own identity.

use regex::Regex;

use crate::node::Node;
use crate::resource::Resource;

/// Kinds without a namespace (their namespace never matches one a selector names).
const CLUSTER_SCOPED: [&str; 20] = [
    "APIService",
    "CSIDriver",
    "CSINode",
    "CertificateSigningRequest",
    "ClusterIssuer",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "RuntimeClass",
    "StorageClass",
    "ValidatingWebhookConfiguration",
];

/// The namespace Kustomize compares: `default` for none, a marker for cluster-scoped kinds.
fn effective_namespace(kind: &str, namespace: Option<&str>) -> String {
    if CLUSTER_SCOPED.contains(&kind) {
        return "_non_namespaceable_".to_owned();
    }
    namespace
        .filter(|ns| !ns.is_empty())
        .unwrap_or("default")
        .to_owned()
}

/// A patch's `target`, compiled.
#[derive(Debug)]
pub struct Target {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Vec<Requirement>,
    annotations: Vec<Requirement>,
}

impl Target {
    /// The selector written at `node`; an error for a field that is not a valid regular
    /// expression or selector.
    pub fn parse(node: &Node) -> Result<Target, String> {
        let pattern = |key: &str| -> Result<Option<Regex>, String> {
            match node.get(key).and_then(Node::scalar_text) {
                Some(text) if !text.is_empty() => {
                    Regex::new(&format!("^(?:{text})$")).map(Some).map_err(|e| {
                        format!("target {key} `{text}` is not a valid regular expression: {e}")
                    })
                }
                _ => Ok(None),
            }
        };
        let selector = |key: &str| -> Result<Vec<Requirement>, String> {
            node.get(key)
                .and_then(Node::scalar_text)
                .map_or(Ok(Vec::new()), |text| parse_selector(&text))
        };
        Ok(Target {
            group: pattern("group")?,
            version: pattern("version")?,
            kind: pattern("kind")?,
            name: pattern("name")?,
            namespace: pattern("namespace")?,
            labels: selector("labelSelector")?,
            annotations: selector("annotationSelector")?,
        })
    }

    /// Whether it selects `resource` (by its current or original name and namespace).
    pub fn selects(&self, resource: &Resource) -> bool {
        let matches =
            |regex: &Option<Regex>, text: &str| regex.as_ref().is_none_or(|r| r.is_match(text));
        let (original_namespace, original_name) = resource
            .previous_names
            .first()
            .map_or((resource.namespace(), resource.name()), |(ns, name)| {
                (ns.as_deref(), name.as_str())
            });
        let kind = resource.kind();
        let version = resource
            .api_version()
            .rsplit_once('/')
            .map_or(resource.api_version(), |(_, v)| v);
        (matches(
            &self.namespace,
            &effective_namespace(kind, original_namespace),
        ) || matches(
            &self.namespace,
            &effective_namespace(kind, resource.namespace()),
        )) && (matches(&self.name, original_name) || matches(&self.name, resource.name()))
            && matches(&self.group, resource.group())
            && matches(&self.version, version)
            && matches(&self.kind, kind)
            && self
                .labels
                .iter()
                .all(|r| r.holds(resource.node.path(&["metadata", "labels"])))
            && self
                .annotations
                .iter()
                .all(|r| r.holds(resource.node.path(&["metadata", "annotations"])))
    }
}

/// Whether `resource` has (or had) the identity a strategic merge patch is written with:
/// the same group, version and kind, name, and namespace (none counting as `default`).
pub fn is_patch_target(resource: &Resource, patch: &Node) -> bool {
    let api_version = patch.str_at(&["apiVersion"]).unwrap_or("");
    let kind = patch.str_at(&["kind"]).unwrap_or("");
    let name = patch.str_at(&["metadata", "name"]).unwrap_or("");
    let namespace = effective_namespace(kind, patch.str_at(&["metadata", "namespace"]));
    if resource.api_version() != api_version || resource.kind() != kind {
        return false;
    }
    let current = (
        resource.namespace().map(str::to_owned),
        resource.name().to_owned(),
    );
    std::iter::once(&current)
        .chain(&resource.previous_names)
        .any(|(ns, old)| old == name && effective_namespace(kind, ns.as_deref()) == namespace)
}

/// Kustomize's id of a patch, as its messages write it (`Deployment.v1.apps/web.[noNs]`).
pub fn patch_id(patch: &Node) -> String {
    let api_version = patch.str_at(&["apiVersion"]).unwrap_or("");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let or = |text: &str, none: &str| {
        if text.is_empty() {
            none.to_owned()
        } else {
            text.to_owned()
        }
    };
    format!(
        "{}.{}.{}/{}.{}",
        or(patch.str_at(&["kind"]).unwrap_or(""), "[noKind]"),
        or(version, "[noVer]"),
        or(group, "[noGrp]"),
        or(
            patch.str_at(&["metadata", "name"]).unwrap_or(""),
            "[noName]"
        ),
        or(
            patch.str_at(&["metadata", "namespace"]).unwrap_or(""),
            "[noNs]"
        ),
    )
}

/// One requirement of a label (or annotation) selector.
#[derive(Debug, PartialEq)]
enum Requirement {
    /// `key=value`, `key==value`, `key in (a,b)`.
    In(String, Vec<String>),
    /// `key!=value`, `key notin (a,b)`.
    NotIn(String, Vec<String>),
    /// `key`.
    Exists(String),
    /// `!key`.
    NotExists(String),
}

impl Requirement {
    /// Whether the labels (a mapping, or none) meet it.
    fn holds(&self, labels: Option<&Node>) -> bool {
        let value = |key: &str| labels.and_then(|l| l.get(key)).and_then(Node::scalar_text);
        match self {
            Requirement::In(key, values) => value(key).is_some_and(|v| values.contains(&v)),
            Requirement::NotIn(key, values) => value(key).is_none_or(|v| !values.contains(&v)),
            Requirement::Exists(key) => value(key).is_some(),
            Requirement::NotExists(key) => value(key).is_none(),
        }
    }
}

/// A Kubernetes label selector (`a=b,c!=d,e in (f,g),h notin (i),j,!k`).
fn parse_selector(text: &str) -> Result<Vec<Requirement>, String> {
    let mut requirements = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        // A requirement ends at a comma outside parentheses.
        let mut depth = 0;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                c == ',' && depth == 0
            })
            .map_or(rest.len(), |(at, _)| at);
        requirements.push(parse_requirement(rest[..end].trim(), text)?);
        rest = rest[end..].trim_start_matches(',').trim();
    }
    Ok(requirements)
}

fn parse_requirement(part: &str, selector: &str) -> Result<Requirement, String> {
    let invalid = || format!("unable to parse requirement `{part}` of selector `{selector}`");
    let set = |values: &str| -> Result<Vec<String>, String> {
        let inner = values
            .trim()
            .strip_prefix('(')
            .and_then(|v| v.strip_suffix(')'))
            .ok_or_else(invalid)?;
        Ok(inner.split(',').map(|v| v.trim().to_owned()).collect())
    };
    if let Some(key) = part.strip_prefix('!') {
        return Ok(Requirement::NotExists(key.trim().to_owned()));
    }
    if let Some((key, value)) = part.split_once("!=") {
        return Ok(Requirement::NotIn(
            key.trim().to_owned(),
            vec![value.trim().to_owned()],
        ));
    }
    if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
        return Ok(Requirement::In(
            key.trim().to_owned(),
            vec![value.trim().to_owned()],
        ));
    }
    let words: Vec<&str> = part.splitn(3, char::is_whitespace).collect();
    match words.as_slice() {
        [key] if !key.is_empty() => Ok(Requirement::Exists((*key).to_owned())),
        [key, "in", values] => Ok(Requirement::In((*key).to_owned(), set(values)?)),
        [key, "notin", values] => Ok(Requirement::NotIn((*key).to_owned(), set(values)?)),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_selectors() {
        let parsed = parse_selector("app=web, tier in (fe, be),!legacy,env").expect("valid");
        assert_eq!(
            parsed,
            vec![
                Requirement::In("app".into(), vec!["web".into()]),
                Requirement::In("tier".into(), vec!["fe".into(), "be".into()]),
                Requirement::NotExists("legacy".into()),
                Requirement::Exists("env".into()),
            ]
        );
        assert!(parse_selector("a in b").is_err());
    }
}
