//! Values derived once and shared: what several rules compute from the same input (the secrets
//! of a document, the ServiceAccounts of a project by name) is computed by the first that asks.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Derived values by type: each derived value has a type of its own.
#[derive(Default)]
pub struct Memos(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl Memos {
    /// The value of type `T`, computed by `compute` the first time it is asked for.
    pub fn get<T: Any + Send + Sync>(&self, compute: impl FnOnce() -> T) -> Arc<T> {
        let id = TypeId::of::<T>();
        let known = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned();
        if let Some(value) = known.and_then(|v| v.downcast::<T>().ok()) {
            return value;
        }
        let value = Arc::new(compute());
        let mut memos = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let stored = memos.entry(id).or_insert_with(|| value.clone()).clone();
        stored.downcast::<T>().unwrap_or(value)
    }
}

impl std::fmt::Debug for Memos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memos").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::Memos;

    #[test]
    fn a_value_is_computed_once_per_type() {
        struct Count(u32);
        struct Name(&'static str);
        let memos = Memos::default();
        let mut calls = 0;
        assert_eq!(
            memos
                .get(|| {
                    calls += 1;
                    Count(7)
                })
                .0,
            7
        );
        assert_eq!(memos.get(|| Count(8)).0, 7);
        assert_eq!(memos.get(|| Name("x")).0, "x");
        assert_eq!(calls, 1);
    }
}
