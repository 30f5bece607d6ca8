//! Parts of facts that several fact types share: an object's place and identity, and the
//! key/value pairs of its labels and annotations.

use akslint_core::{K8sObject, NodeId, ScalarType, Span, Tree};

/// A Kubernetes object of interest to a cross-file rule: where it is and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectFact {
    /// Where to point at it: its `metadata.name` value, else its `kind`.
    pub span: Span,
    /// The object's identity, e.g. `Kustomization flux-system/apps` (see
    /// [`K8sObject::identity`]).
    pub object: String,
}

impl ObjectFact {
    /// The place and identity of `object`.
    pub fn of(tree: &Tree, object: &K8sObject) -> ObjectFact {
        ObjectFact {
            span: name_span(tree, object),
            object: object.identity(),
        }
    }
}

/// An annotation or label: its value and where the value is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyValueFact {
    /// The key, e.g. `azure.workload.identity/use`.
    pub key: String,
    /// The scalar's text as written (decoded), whatever its type.
    pub text: String,
    /// Whether the value is a string (an unquoted `true` or `12` is not, and the API server
    /// rejects it where a string is required, such as in labels and annotations).
    pub is_string: bool,
    /// The span of the value.
    pub value_span: Span,
}

impl KeyValueFact {
    /// The value, when it is a string.
    pub fn value(&self) -> Option<&str> {
        self.is_string.then_some(self.text.as_str())
    }
}

/// Where to point at an object: its `metadata.name` value, else its `kind`.
pub fn name_span(tree: &Tree, object: &K8sObject) -> Span {
    object
        .metadata
        .and_then(|m| tree.get(m, "name"))
        .map_or_else(|| object.anchor_span(tree), |name| tree.span(name))
}

/// The prefix of the workload identity labels and annotations (`azure.workload.identity/use`,
/// `azure.workload.identity/client-id`, …): the only ones the cross-file rules read, so the only
/// ones facts keep (a project's facts are held until its rules are done).
pub const WORKLOAD_IDENTITY_PREFIX: &str = "azure.workload.identity/";

/// The scalar entries of a mapping (labels, annotations) whose keys start with `prefix`.
pub fn key_values(tree: &Tree, mapping: Option<NodeId>, prefix: &str) -> Vec<KeyValueFact> {
    let Some(mapping) = mapping else {
        return Vec::new();
    };
    tree.string_entries(mapping)
        .into_iter()
        .filter(|(key, _)| key.starts_with(prefix))
        .filter_map(|(key, entry)| {
            let scalar = tree.scalar(entry.value)?;
            Some(KeyValueFact {
                key: key.to_owned(),
                text: scalar.text.to_string(),
                is_string: scalar.ty == ScalarType::String,
                value_span: tree.span(entry.value),
            })
        })
        .collect()
}
