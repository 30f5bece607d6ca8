//! Kubernetes ServiceAccounts, for the rules that check a pod's identity against its
//! ServiceAccount (WID001, WID003) and a federated credential against the manifests (WID007).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use akslint_core::{Diagnostic, SharedSource, Span};

use super::{
    Fact, KeyValueFact, Located, PodTemplateFact, WORKLOAD_IDENTITY_PREFIX, key_values,
    object::name_span,
};
use crate::index::{InFile, merge_by_path};
use crate::{ObjectContext, ProjectIndex, Scopes};

/// A Kubernetes ServiceAccount.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceAccountFact {
    /// Where to point at it: its `metadata.name` value, else its `kind`.
    pub span: Span,
    /// Its namespace (`default` when none is written).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Its workload identity annotations ([`WORKLOAD_IDENTITY_PREFIX`]).
    pub annotations: Vec<KeyValueFact>,
}

impl ServiceAccountFact {
    /// The value of a workload identity annotation.
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
                annotations: key_values(tree, object.annotations, WORKLOAD_IDENTITY_PREFIX),
            });
        }
    }
}

/// The project's ServiceAccounts with lookups by namespace and name (the lookups are built once
/// per index, each answers without a scan). Of a scope's index, the plain files' lookups are
/// built once for every scope, and the answers merge them with the scope's builds' in path order.
pub struct ServiceAccounts<'a> {
    /// Of a scope's index, the plain files'.
    plain: Option<Layer<'a>>,
    /// The index's own (of a scope's index, the builds').
    own: Layer<'a>,
}

/// The ServiceAccounts of one layer of an index, with their lookups.
struct Layer<'a> {
    /// In path and then source order.
    all: Vec<Located<'a, ServiceAccountFact>>,
    /// Positions in `all`.
    lookup: Arc<Lookup>,
}

/// Positions in a layer's ServiceAccounts.
struct Lookup {
    /// By namespace and name.
    by_name: HashMap<(String, String), Vec<usize>>,
    /// By name alone.
    by_bare_name: HashMap<String, Vec<usize>>,
    /// The namespaces that have any.
    namespaces: HashSet<String>,
}

impl<'a> Layer<'a> {
    /// The ServiceAccounts of an index's own files (see [`ProjectIndex::layer_facts`]).
    fn of(index: &'a ProjectIndex) -> Layer<'a> {
        let all: Vec<_> = index.layer_facts::<ServiceAccountFact>().collect();
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
        Layer { all, lookup }
    }
}

impl<'a> ServiceAccounts<'a> {
    /// The ServiceAccounts of the project (of a scope's index, the plain files' and the scope's
    /// builds').
    pub fn of(index: &'a ProjectIndex) -> ServiceAccounts<'a> {
        ServiceAccounts {
            plain: index.base().map(Layer::of),
            own: Layer::of(index),
        }
    }

    /// The ServiceAccounts at the positions `pick` gives in each layer, in path order.
    fn merged<'k>(
        &'k self,
        pick: impl Fn(&'k Lookup) -> Option<&'k Vec<usize>>,
    ) -> impl Iterator<Item = Located<'a, ServiceAccountFact>> + 'k {
        let hits = |layer: &'k Layer<'a>| {
            let positions = pick(&layer.lookup).map_or(&[][..], Vec::as_slice);
            positions.iter().map(move |&i| layer.all[i])
        };
        let plain = self.plain.as_ref().map(hits).into_iter().flatten();
        merge_by_path(plain, hits(&self.own))
    }

    /// The ServiceAccounts with this namespace and name (more than one when several files
    /// define it), in file order.
    pub fn named(
        &self,
        namespace: &str,
        name: &str,
    ) -> impl Iterator<Item = Located<'a, ServiceAccountFact>> + '_ {
        let key = (namespace.to_owned(), name.to_owned());
        self.merged(move |lookup| lookup.by_name.get(&key))
    }

    /// Whether the project defines any ServiceAccount in this namespace (so that one missing
    /// from it is likely a mistake rather than created by something outside the project).
    pub fn any_in(&self, namespace: &str) -> bool {
        (self.plain.iter().chain([&self.own]))
            .any(|layer| layer.lookup.namespaces.contains(namespace))
    }

    /// A ServiceAccount of this name in another namespace than `namespace`: the usual cause of
    /// a ServiceAccount that is not found.
    pub fn namesake(&self, namespace: &str, name: &str) -> Option<Located<'a, ServiceAccountFact>> {
        self.merged(|lookup| lookup.by_bare_name.get(name))
            .find(|a| a.namespace != namespace)
    }
}

/// A unit a rule reports on (a pod, a federated credential) that names a ServiceAccount.
pub struct AccountUser<'a, U> {
    /// The file the unit is in (units are checked in path order).
    pub file: &'a SharedSource,
    /// The namespace of the ServiceAccount it names.
    pub namespace: &'a str,
    /// The ServiceAccount's name.
    pub name: &'a str,
    /// The unit.
    pub unit: U,
}

/// The pods of an index's own files (see [`ProjectIndex::layer_facts`]), each with the
/// ServiceAccount it runs as.
fn pod_users(index: &ProjectIndex) -> Vec<AccountUser<'_, Located<'_, PodTemplateFact>>> {
    (index.layer_facts::<PodTemplateFact>())
        .map(|pod| AccountUser {
            file: pod.file,
            namespace: &pod.fact.namespace,
            name: &pod.fact.service_account,
            unit: pod,
        })
        .collect()
}

impl<U> InFile for &AccountUser<'_, U> {
    fn path(&self) -> &std::path::Path {
        self.file.path()
    }
}

/// A check of one pod against the project's ServiceAccounts (WID001, WID003).
pub type PodCheck = fn(Located<'_, PodTemplateFact>, &ServiceAccounts<'_>, &mut Vec<Diagnostic>);

/// Runs a pod check on every pod of an index (`Rule::check_project`).
pub fn check_pods(index: &ProjectIndex, check: PodCheck, out: &mut Vec<Diagnostic>) {
    let accounts = ServiceAccounts::of(index);
    for pod in index.facts::<PodTemplateFact>() {
        check(pod, &accounts, out);
    }
}

/// Runs a pod check over a project's scopes (`Rule::check_scopes`, see [`by_scope`]).
pub fn check_pods_by_scope(scopes: &Scopes, check: PodCheck) -> Vec<Vec<Diagnostic>> {
    by_scope(scopes, pod_users, |&pod, accounts, _, out| {
        check(pod, accounts, out)
    })
}

/// The findings by scope (see [`crate::Rule::check_scopes`]) of a rule whose findings are about
/// units that each name a ServiceAccount, and that read no fact but the answers of
/// [`ServiceAccounts::named`], [`ServiceAccounts::namesake`] and [`ServiceAccounts::any_in`]
/// for that namespace and name. `units` gives the units of an index's own files (of a scope's
/// index, those of its builds); `check` reports on one unit.
///
/// A scope's builds can change those answers for a plain file's unit only when they hold a
/// ServiceAccount of its name, or one of its namespace when the plain files hold none there;
/// such a unit is checked again in that scope. Its findings in the other scopes are the same
/// in each: they are reported in the first of them only (the engine keeps the first of equal
/// findings). In each scope, units are checked in the order of the scope's index, so that of
/// equal findings the one a run over the whole scope keeps first comes first.
pub fn by_scope<'s, U>(
    scopes: &'s Scopes,
    units: impl Fn(&'s ProjectIndex) -> Vec<AccountUser<'s, U>>,
    check: impl Fn(&U, &ServiceAccounts<'s>, &'s ProjectIndex, &mut Vec<Diagnostic>),
) -> Vec<Vec<Diagnostic>> {
    let plain = scopes.plain();
    let plain_units = units(plain);
    let covered = ServiceAccounts::of(plain);
    // The plain units by the name of their ServiceAccount, and by its namespace when no plain
    // file defines a ServiceAccount there.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_uncovered_namespace: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, user) in plain_units.iter().enumerate() {
        by_name.entry(user.name).or_default().push(at);
        if !covered.any_in(user.namespace) {
            (by_uncovered_namespace.entry(user.namespace).or_default()).push(at);
        }
    }
    // The plain units each scope's builds can change, sorted.
    let touched: Vec<Vec<usize>> = (scopes.indexes().iter())
        .map(|index| {
            let mut touched: Vec<usize> = (index.layer_facts::<ServiceAccountFact>())
                .flat_map(|account| {
                    let by_name = by_name.get(account.name.as_str());
                    let by_namespace = by_uncovered_namespace.get(account.namespace.as_str());
                    by_name.into_iter().chain(by_namespace).flatten().copied()
                })
                .collect();
            touched.sort_unstable();
            touched.dedup();
            touched
        })
        .collect();
    // The first scope that does not change each plain unit, where its findings are reported.
    let mut untouched_from = vec![0; plain_units.len()];
    for (scope, touched) in touched.iter().enumerate() {
        for &at in touched {
            if untouched_from[at] == scope {
                untouched_from[at] = scope + 1;
            }
        }
    }
    let mut reported_in = vec![Vec::new(); touched.len()];
    for (at, &scope) in untouched_from.iter().enumerate() {
        if let Some(reported) = reported_in.get_mut(scope) {
            reported.push(at);
        }
    }
    (scopes.indexes().iter().zip(touched).zip(reported_in))
        .map(|((index, mut from_plain), reported)| {
            from_plain.extend(reported);
            from_plain.sort_unstable();
            let accounts = ServiceAccounts::of(index);
            let builds = units(index);
            // A plain file's unit first on a tie of paths, as in the scope's index.
            let from_plain = from_plain.into_iter().map(|at| &plain_units[at]);
            let mut found = Vec::new();
            for user in merge_by_path(from_plain, builds.iter()) {
                check(&user.unit, &accounts, index, &mut found);
            }
            found
        })
        .collect()
}
