//! Kubernetes ServiceAccounts, for the rules that check a pod's identity against its
//! ServiceAccount (WID001, WID003) and a federated credential against the manifests (WID007).

use std::collections::HashMap;
use std::sync::Arc;

use akslint_core::Span;

use super::{Fact, KeyValueFact, Located, key_values, object::name_span};
use crate::{ObjectContext, ProjectIndex};

/// A Kubernetes ServiceAccount.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceAccountFact {
    /// Where to point at it: its `metadata.name` value, else its `kind`.
    pub span: Span,
    /// Its namespace (`default` when none is written).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Its annotations.
    pub annotations: Vec<KeyValueFact>,
}

impl ServiceAccountFact {
    /// The value of an annotation.
    pub fn annotation(&self, key: &str) -> Option<&KeyValueFact> {
        self.annotations.iter().find(|a| a.key == key)
    }
}

impl Fact for ServiceAccountFact {
    fn collect(cx: &ObjectContext<'_>, out: &mut Vec<Self>) {
        let (tree, object) = (cx.tree(), cx.object);
        if object.is("", "ServiceAccount") {
            out.push(ServiceAccountFact {
                span: name_span(tree, object),
                namespace: object.effective_namespace().to_owned(),
                name: object.name.clone().unwrap_or_default(),
                annotations: key_values(tree, object.annotations),
            });
        }
    }
}

/// The project's ServiceAccounts with lookups by namespace and name (built once per project).
pub struct ServiceAccounts<'a> {
    index: &'a ProjectIndex,
    by_name: Arc<ByName>,
}

/// Positions in the project's ServiceAccounts, by namespace and name.
struct ByName(HashMap<(String, String), Vec<usize>>);

impl<'a> ServiceAccounts<'a> {
    /// The ServiceAccounts of the project.
    pub fn of(index: &'a ProjectIndex) -> ServiceAccounts<'a> {
        let by_name = index.memo(|index| {
            let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
            for (position, account) in index.facts::<ServiceAccountFact>().enumerate() {
                by_name
                    .entry((account.namespace.clone(), account.name.clone()))
                    .or_default()
                    .push(position);
            }
            ByName(by_name)
        });
        ServiceAccounts { index, by_name }
    }

    fn all(&self) -> impl Iterator<Item = Located<'a, ServiceAccountFact>> + 'a {
        self.index.facts::<ServiceAccountFact>()
    }

    /// The ServiceAccounts with this namespace and name (more than one when several files
    /// define it), in file order.
    pub fn named(&self, namespace: &str, name: &str) -> Vec<Located<'a, ServiceAccountFact>> {
        let Some(positions) = self.by_name.0.get(&(namespace.to_owned(), name.to_owned())) else {
            return Vec::new();
        };
        self.all()
            .enumerate()
            .filter(|(i, _)| positions.contains(i))
            .map(|(_, account)| account)
            .collect()
    }

    /// Whether the project defines any ServiceAccount in this namespace (so that one missing
    /// from it is likely a mistake rather than created by something outside the project).
    pub fn any_in(&self, namespace: &str) -> bool {
        self.all().any(|a| a.namespace == namespace)
    }

    /// A ServiceAccount of this name in another namespace than `namespace`: the usual cause of
    /// a ServiceAccount that is not found.
    pub fn namesake(&self, namespace: &str, name: &str) -> Option<Located<'a, ServiceAccountFact>> {
        self.all()
            .find(|a| a.name == name && a.namespace != namespace)
    }
}
