//! Cross-file facts: small, typed, comparable values collected from each Kubernetes object while
//! its file's tree is at hand, and read for the whole project by the rules that link documents
//! and files.
//!
//! A fact type implements [`Fact`] (its collector); a rule lists the fact types it reads in
//! [`Rule::facts`](crate::Rule::facts), and the engine collects every type some rule reads.
//! Facts hold no file: a file's facts are a [`FileFacts`], and
//! [`ProjectIndex::facts`](crate::ProjectIndex::facts) gives each fact with its file. Two
//! collections of facts compare equal when a cross-file rule cannot tell them apart, which is how
//! the language server knows whether an edit changes anything for other files.

mod object;
mod pod_template;
mod service_account;

use std::any::{Any, TypeId};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use akslint_core::SharedSource;

use crate::ObjectContext;

pub use object::{KeyValueFact, ObjectFact, WORKLOAD_IDENTITY_PREFIX, key_values};
pub use pod_template::PodTemplateFact;
pub use service_account::{
    AccountUser, PodCheck, ServiceAccountFact, ServiceAccounts, by_scope, check_pods,
    check_pods_by_scope,
};

/// The facts of the rules that check a pod's workload identity against its ServiceAccount.
pub const POD_TEMPLATES_AND_SERVICE_ACCOUNTS: &[FactKind] = &[
    FactKind::of::<PodTemplateFact>(),
    FactKind::of::<ServiceAccountFact>(),
];

/// A kind of cross-file fact: what it is collected from.
pub trait Fact: Clone + fmt::Debug + Eq + Hash + Send + Sync + 'static {
    /// Collects the facts of one Kubernetes object (usually none or one).
    fn collect(cx: &ObjectContext<'_>, out: &mut Vec<Self>);
}

/// A fact type, as a rule declares that it reads it ([`FactKind::of`]).
#[derive(Clone, Copy)]
pub struct FactKind {
    name: fn() -> &'static str,
    type_id: fn() -> TypeId,
    collect: fn(&ObjectContext<'_>, &mut FileFacts),
}

impl FactKind {
    /// The kind of the facts of type `T`.
    pub const fn of<T: Fact>() -> FactKind {
        FactKind {
            name: std::any::type_name::<T>,
            type_id: TypeId::of::<T>,
            collect: collect_into::<T>,
        }
    }

    /// The fact type's name (for messages and a stable order).
    pub fn name(&self) -> &'static str {
        (self.name)()
    }

    /// Collects the facts of this kind of one object into a file's facts.
    pub fn collect(&self, cx: &ObjectContext<'_>, facts: &mut FileFacts) {
        (self.collect)(cx, facts);
    }

    /// Whether two kinds are the same fact type.
    pub fn same_as(&self, other: &FactKind) -> bool {
        (self.type_id)() == (other.type_id)()
    }
}

impl fmt::Debug for FactKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn collect_into<T: Fact>(cx: &ObjectContext<'_>, facts: &mut FileFacts) {
    let mut found = Vec::new();
    T::collect(cx, &mut found);
    for fact in found {
        facts.push(fact);
    }
}

/// The facts of one type, behind a trait object so one file's facts of every type fit together.
trait FactList: Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn equals(&self, other: &dyn FactList) -> bool;
    fn hash_into(&self, state: &mut dyn Hasher);
    fn boxed_clone(&self) -> Box<dyn FactList>;
    fn debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<T: Fact> FactList for Vec<T> {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn equals(&self, other: &dyn FactList) -> bool {
        other.as_any().downcast_ref::<Vec<T>>() == Some(self)
    }

    fn hash_into(&self, mut state: &mut dyn Hasher) {
        self.hash(&mut state);
    }

    fn boxed_clone(&self) -> Box<dyn FactList> {
        Box::new(self.clone())
    }

    fn debug(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The facts of one file, by type, each type's facts in source order.
#[derive(Default)]
pub struct FileFacts {
    /// Sorted by type name; no empty list.
    lists: Vec<(&'static str, TypeId, Box<dyn FactList>)>,
}

impl FileFacts {
    /// Adds a fact.
    pub fn push<T: Fact>(&mut self, fact: T) {
        let id = TypeId::of::<T>();
        let at = match self.lists.iter().position(|(_, t, _)| *t == id) {
            Some(at) => at,
            None => {
                let name = std::any::type_name::<T>();
                let at = self.lists.partition_point(|(n, _, _)| *n < name);
                self.lists.insert(at, (name, id, Box::new(Vec::<T>::new())));
                at
            }
        };
        if let Some(list) = self.lists[at].2.as_any_mut().downcast_mut::<Vec<T>>() {
            list.push(fact);
        }
    }

    /// The facts of type `T`, in source order.
    pub fn get<T: Fact>(&self) -> &[T] {
        let id = TypeId::of::<T>();
        self.lists
            .iter()
            .find(|(_, t, _)| *t == id)
            .and_then(|(_, _, list)| list.as_any().downcast_ref::<Vec<T>>())
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the file has no fact.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }
}

impl PartialEq for FileFacts {
    fn eq(&self, other: &FileFacts) -> bool {
        self.lists.len() == other.lists.len()
            && self
                .lists
                .iter()
                .zip(&other.lists)
                .all(|((_, a, x), (_, b, y))| a == b && x.equals(y.as_ref()))
    }
}

impl Eq for FileFacts {}

impl Hash for FileFacts {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for (name, _, list) in &self.lists {
            name.hash(state);
            list.hash_into(state);
        }
    }
}

impl Clone for FileFacts {
    fn clone(&self) -> FileFacts {
        FileFacts {
            lists: self
                .lists
                .iter()
                .map(|(name, id, list)| (*name, *id, list.boxed_clone()))
                .collect(),
        }
    }
}

impl fmt::Debug for FileFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct List<'a>(&'a dyn FactList);
        impl fmt::Debug for List<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.debug(f)
            }
        }
        f.debug_map()
            .entries(
                self.lists
                    .iter()
                    .map(|(name, _, list)| (name, List(list.as_ref()))),
            )
            .finish()
    }
}

/// A fact with the file it was collected from.
#[derive(Debug)]
pub struct Located<'a, T> {
    /// The file.
    pub file: &'a SharedSource,
    /// The fact.
    pub fact: &'a T,
}

impl<T> Clone for Located<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Located<'_, T> {}

impl<T> Deref for Located<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.fact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct Name(String);

    impl Fact for Name {
        fn collect(_: &ObjectContext<'_>, _: &mut Vec<Self>) {}
    }

    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    struct Count(u32);

    impl Fact for Count {
        fn collect(_: &ObjectContext<'_>, _: &mut Vec<Self>) {}
    }

    #[test]
    fn facts_compare_by_type_and_value_whatever_the_order_they_came_in() {
        let mut a = FileFacts::default();
        a.push(Name("x".into()));
        a.push(Count(1));
        let mut b = FileFacts::default();
        b.push(Count(1));
        b.push(Name("x".into()));
        assert_eq!(a, b);
        assert_eq!(a.get::<Name>(), [Name("x".into())]);
        let mut c = b.clone();
        c.push(Count(2));
        assert_ne!(a, c);
        assert_eq!(c.get::<Count>(), [Count(1), Count(2)]);
        assert!(FileFacts::default().is_empty());
        assert!(FactKind::of::<Name>().same_as(&FactKind::of::<Name>()));
        assert!(!FactKind::of::<Name>().same_as(&FactKind::of::<Count>()));
    }
}
