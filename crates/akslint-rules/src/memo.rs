//! Values derived once and shared: what several rules compute from the same input (the secrets
//! of a document, the ServiceAccounts of a project by name) is computed by the first that asks.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A derived value, once computed.
type Cell = Arc<OnceLock<Arc<dyn Any + Send + Sync>>>;

/// Derived values by type: each derived value has a type of its own. A value asked for by
/// several threads at once is computed by one of them while the others wait for it.
#[derive(Default)]
pub struct Memos(Mutex<HashMap<TypeId, Cell>>);

impl Memos {
    /// The value of type `T`, computed by `compute` the first time it is asked for.
    pub fn get<T: Any + Send + Sync>(&self, compute: impl FnOnce() -> T) -> Arc<T> {
        let cell = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(TypeId::of::<T>())
            .or_default()
            .clone();
        // Computed outside the map's lock: computing one value may ask for another.
        let value = cell.get_or_init(|| Arc::new(compute())).clone();
        value
            .downcast::<T>()
            .expect("a memo cell holds a value of the type it is keyed by")
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

    #[test]
    fn a_value_asked_for_by_threads_at_once_is_computed_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        struct Slow(u32);
        let memos = Memos::default();
        let calls = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    let value = memos.get(|| {
                        calls.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        Slow(3)
                    });
                    assert_eq!(value.0, 3);
                });
            }
        });
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
