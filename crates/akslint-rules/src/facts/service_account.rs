//! Kubernetes ServiceAccounts, for the rules that check a pod's identity against its
//! ServiceAccount (WID001, WID003) and a federated credential against the manifests (WID007).

use std::collections::{HashMap, HashSet};
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

/// The project's ServiceAccounts with lookups by namespace and name (the lookups are built once
/// per project, each answers without a scan).
pub struct ServiceAccounts<'a> {
    all: Vec<Located<'a, ServiceAccountFact>>,
    lookup: Arc<Lookup>,
}

/// Positions in the project's ServiceAccounts.
struct Lookup {
    /// By namespace and name.
    by_name: HashMap<(String, String), Vec<usize>>,
    /// By name alone.
    by_bare_name: HashMap<String, Vec<usize>>,
    /// The namespaces that have any.
    namespaces: HashSet<String>,
}

impl<'a> ServiceAccounts<'a> {
    /// The ServiceAccounts of the project.
    pub fn of(index: &'a ProjectIndex) -> ServiceAccounts<'a> {
        let all: Vec<_> = index.facts::<ServiceAccountFact>().collect();
        let lookup = index.memo(|_| {
            let mut lookup = Lookup {
                by_name: HashMap::new(),
                by_bare_name: HashMap::new(),
                namespaces: HashSet::new(),
            };
            for (position, account) in all.iter().enumerate() {
                lookup
                    .by_name
                    .entry((account.namespace.clone(), account.name.clone()))
                    .or_default()
                    .push(position);
                lookup
                    .by_bare_name
                    .entry(account.name.clone())
                    .or_default()
                    .push(position);
                lookup.namespaces.insert(account.namespace.clone());
            }
            lookup
        });
        ServiceAccounts { all, lookup }
    }

    /// The ServiceAccounts with this namespace and name (more than one when several files
    /// define it), in file order.
    pub fn named(
        &self,
        namespace: &str,
        name: &str,
    ) -> impl Iterator<Item = Located<'a, ServiceAccountFact>> + '_ {
        self.lookup
            .by_name
            .get(&(namespace.to_owned(), name.to_owned()))
            .into_iter()
            .flatten()
            .map(|&i| self.all[i])
    }

    /// Whether the project defines any ServiceAccount in this namespace (so that one missing
    /// from it is likely a mistake rather than created by something outside the project).
    pub fn any_in(&self, namespace: &str) -> bool {
        self.lookup.namespaces.contains(namespace)
    }

    /// A ServiceAccount of this name in another namespace than `namespace`: the usual cause of
    /// a ServiceAccount that is not found.
    pub fn namesake(&self, namespace: &str, name: &str) -> Option<Located<'a, ServiceAccountFact>> {
        self.lookup
            .by_bare_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| self.all[i])
            .find(|a| a.namespace != namespace)
    }
}
