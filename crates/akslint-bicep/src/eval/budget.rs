//! What the evaluation of one deployment (an entry point: a `.bicepparam` file with its template,
//! or a template on its own) may spend. Every deployment gets the same budget, so a run of 100,000
//! files evaluates each of them, and no deployment, however it multiplies itself (a module calling
//! two modules that each double an array), can take more than its share of time or memory. Past
//! the budget values are unknown, and the first limit reached is reported where it was reached
//! ([`akslint_core::EvaluationNoteKind::LimitReached`]), as is a single value past its size
//! limit.

use super::value::Loc;

/// Evaluation steps one deployment may take.
pub(crate) const FUEL: u64 = 5_000_000;
/// Template instances (the entry point, its module calls, files read for their exports) one
/// deployment may make.
pub(crate) const MAX_INSTANCES: usize = 500;
/// Nodes of resource bodies one deployment may produce.
pub(crate) const MAX_OUTPUT_NODES: usize = 1_000_000;
/// Items of arrays, entries of objects and bytes of strings (in 8-byte words) one deployment may
/// build, in all: what bounds its memory, since every value lives as long as its instance.
pub(crate) const MAX_VALUE_SLOTS: usize = 4_000_000;

/// The limits of one deployment's evaluation, and what is left of them.
#[derive(Debug)]
pub(crate) struct Budget {
    /// Evaluation steps left.
    pub fuel: u64,
    /// Template instances left.
    pub instances: usize,
    /// Body nodes left.
    pub nodes: usize,
    /// Value slots left.
    pub slots: usize,
    /// The first limit reached, with where.
    pub exhausted: Option<(Loc, Limit)>,
}

/// A limit of [`Budget`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    /// [`FUEL`].
    Steps,
    /// [`MAX_INSTANCES`].
    Instances,
    /// [`MAX_OUTPUT_NODES`].
    Nodes,
    /// [`MAX_VALUE_SLOTS`].
    Values,
    /// One value larger than [`super::value::MAX_VALUE_WEIGHT`] nodes or
    /// [`super::value::MAX_STRING`] bytes.
    ValueSize,
}

impl Limit {
    /// What reaching the limit in the deployment of `entry` means, said at the place it was
    /// reached (`place`: where, when that is not the finding's own location).
    pub fn message(self, entry: &str, place: &str) -> String {
        let needs = match self {
            Limit::Steps => format!("more than {FUEL} evaluation steps"),
            Limit::Instances => {
                format!("more than {MAX_INSTANCES} template instances (module calls)")
            }
            Limit::Nodes => format!("resource bodies of more than {MAX_OUTPUT_NODES} values"),
            Limit::Values => format!(
                "values of more than {MAX_VALUE_SLOTS} array items, object entries and string words in all"
            ),
            Limit::ValueSize => {
                return format!(
                    "the evaluation of {entry} left this value unknown{place}: it is larger than {} nodes or {} levels, or a string longer than {} bytes; what depends on it is not checked",
                    super::value::MAX_VALUE_WEIGHT,
                    super::value::MAX_VALUE_DEPTH,
                    super::value::MAX_STRING
                );
            }
        };
        format!(
            "the evaluation of {entry} stopped here{place}: it needs {needs}; what it did not reach is not checked"
        )
    }
}

impl Budget {
    /// A fresh budget for one deployment.
    pub fn per_deployment() -> Budget {
        Budget {
            fuel: FUEL,
            instances: MAX_INSTANCES,
            nodes: MAX_OUTPUT_NODES,
            slots: MAX_VALUE_SLOTS,
            exhausted: None,
        }
    }

    /// Records that `limit` was reached at `at` (the first limit reached is kept).
    pub fn exhaust(&mut self, at: Loc, limit: Limit) {
        self.exhausted.get_or_insert((at, limit));
    }

    /// Takes `slots` value slots; `false` (and the limit recorded) when there are not enough.
    pub fn take_slots(&mut self, slots: usize, at: Loc) -> bool {
        match self.slots.checked_sub(slots) {
            Some(left) => {
                self.slots = left;
                true
            }
            None => {
                self.slots = 0;
                self.exhaust(at, Limit::Values);
                false
            }
        }
    }
}
