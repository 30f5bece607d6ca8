//! Evaluated values: known scalars, arrays and objects, and unknowns, each remembering where it was written.
//!
//! Values are shared (`Rc`) so that a variable referred to many times is built once. Every value records
//! its size (`weight`, in nodes) and its nesting (`depth`); building one beyond [`MAX_VALUE_WEIGHT`] or
//! [`MAX_VALUE_DEPTH`] gives an unknown instead, so that no later walk over a value can run long or deep.

use std::rc::Rc;

use crate::Span;

/// Index of a file in the evaluation's file table.
pub(crate) type FileId = u32;

/// Deepest value built (levels of arrays and objects); deeper ones are unknown.
pub(crate) const MAX_VALUE_DEPTH: u16 = 64;
/// Largest value built, in nodes; larger ones are unknown.
pub(crate) const MAX_VALUE_WEIGHT: u32 = 1_000_000;
/// Longest string built, in bytes; longer ones are unknown.
pub(crate) const MAX_STRING: usize = 1 << 20;

/// A place in a file of the evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    /// The file.
    pub file: FileId,
    /// The bytes.
    pub span: Span,
}

impl Loc {
    /// Whether `other` lies inside this place (same file, contained span).
    pub fn contains(self, other: Loc) -> bool {
        self.file == other.file
            && self.span.start <= other.span.start
            && other.span.end <= self.span.end
    }
}

/// A shared value.
pub(crate) type V = Rc<Val>;

/// An evaluated value.
#[derive(Clone, Debug)]
pub(crate) struct Val {
    /// What it is.
    pub kind: Kind,
    /// Where it was written: the literal, or the expression that computed it.
    pub src: Loc,
    /// What `src` is, in words (an index into the evaluation's descriptions).
    pub what: u32,
    /// The expression that produced it last (a reference to a variable re-stamps this, not `src`).
    pub at: Loc,
    /// Levels of nesting (1 for a scalar).
    pub depth: u16,
    /// Number of nodes (1 for a scalar; entries count their key too).
    pub weight: u32,
}

/// The kinds of values.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// Not known statically.
    Unknown,
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A string; `true` when written as a `'''` multi-line string.
    Str(Rc<str>, bool),
    /// An array.
    Array(Rc<Vec<V>>),
    /// An object, entries in order, keys unique (compared ignoring ASCII case).
    Object(Rc<Vec<Ent>>),
}

/// An entry of an object.
#[derive(Clone, Debug)]
pub(crate) struct Ent {
    /// The key; `None` when not known (an interpolated key, or whatever an unknown spread adds).
    pub key: Option<Rc<str>>,
    /// Where the key was written.
    pub key_src: Loc,
    /// What `key_src` is, in words.
    pub key_what: u32,
    /// The value.
    pub value: V,
}

impl Val {
    /// A scalar (or unknown) written at `src`.
    pub fn leaf(kind: Kind, src: Loc, what: u32) -> V {
        Rc::new(Val {
            kind,
            src,
            what,
            at: src,
            depth: 1,
            weight: 1,
        })
    }

    /// An unknown written at `src`.
    pub fn unknown(src: Loc, what: u32) -> V {
        Val::leaf(Kind::Unknown, src, what)
    }

    /// An array (unknown if too large or too deep).
    pub fn array(items: Vec<V>, src: Loc, what: u32) -> V {
        let depth = items
            .iter()
            .map(|v| v.depth)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let weight = items.iter().fold(1u32, |w, v| w.saturating_add(v.weight));
        if depth > MAX_VALUE_DEPTH || weight > MAX_VALUE_WEIGHT {
            return Val::unknown(src, what);
        }
        Rc::new(Val {
            kind: Kind::Array(Rc::new(items)),
            src,
            what,
            at: src,
            depth,
            weight,
        })
    }

    /// An object (unknown if too large or too deep).
    pub fn object(entries: Vec<Ent>, src: Loc, what: u32) -> V {
        let depth = entries
            .iter()
            .map(|e| e.value.depth)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let weight = entries.iter().fold(1u32, |w, e| {
            w.saturating_add(e.value.weight).saturating_add(1)
        });
        if depth > MAX_VALUE_DEPTH || weight > MAX_VALUE_WEIGHT {
            return Val::unknown(src, what);
        }
        Rc::new(Val {
            kind: Kind::Object(Rc::new(entries)),
            src,
            what,
            at: src,
            depth,
            weight,
        })
    }

    /// A string (unknown if too long).
    pub fn string(text: String, src: Loc, what: u32) -> V {
        if text.len() > MAX_STRING {
            return Val::unknown(src, what);
        }
        Val::leaf(Kind::Str(text.into(), false), src, what)
    }

    /// Whether the value is unknown.
    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s, _) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self.kind {
            Kind::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[V]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&[Ent]> {
        match &self.kind {
            Kind::Object(entries) => Some(entries),
            _ => None,
        }
    }
}

/// The same value produced by the expression at `at`.
pub(crate) fn restamp(value: V, at: Loc) -> V {
    if value.at == at {
        return value;
    }
    let mut copy = (*value).clone();
    copy.at = at;
    Rc::new(copy)
}

/// What looking a key up in an object gives.
pub(crate) enum Lookup {
    /// The entry's value.
    Found(V),
    /// No such key, and the object has no unknown entries.
    Absent,
    /// The object has unknown entries that may hold the key.
    Unknown,
}

/// Whether two keys are the same (object keys compare ignoring ASCII case, as in ARM).
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Looks `key` up in an object's entries: an exact match first, else one differing in ASCII case.
pub(crate) fn lookup(entries: &[Ent], key: &str) -> Lookup {
    let exact = entries.iter().find(|e| e.key.as_deref() == Some(key));
    if let Some(found) = exact.or_else(|| {
        entries
            .iter()
            .find(|e| e.key.as_deref().is_some_and(|k| same_key(k, key)))
    }) {
        return Lookup::Found(found.value.clone());
    }
    if entries.iter().any(|e| e.key.is_none()) {
        Lookup::Unknown
    } else {
        Lookup::Absent
    }
}

/// Builds an object entry by entry: a known key replaces an earlier entry with the same key (in its place);
/// an unknown entry (an unknown spread) makes every earlier value unknown, since it may replace any of them.
#[derive(Default)]
pub(crate) struct ObjectBuilder {
    /// The entries so far.
    pub entries: Vec<Ent>,
}

impl ObjectBuilder {
    /// Adds or replaces an entry with a known key; an entry with an unknown key is added as it is.
    pub fn set(&mut self, entry: Ent) {
        if let Some(key) = &entry.key
            && let Some(existing) = self
                .entries
                .iter_mut()
                .find(|e| e.key.as_deref().is_some_and(|k| same_key(k, key)))
        {
            *existing = entry;
            return;
        }
        self.entries.push(entry);
    }

    /// The position of the entry with this key.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.key.as_deref().is_some_and(|k| same_key(k, key)))
    }

    /// Adds whatever an unknown value spread here may add: every earlier value becomes unknown (with the
    /// unknown's source), and one entry with an unknown key stands for the keys it may add.
    pub fn open(&mut self, unknown: &V) {
        for entry in &mut self.entries {
            if !entry.value.is_unknown() {
                let mut replaced = Val::unknown(unknown.src, unknown.what);
                Rc::make_mut(&mut replaced).at = entry.value.at;
                entry.value = replaced;
            }
        }
        self.entries.push(Ent {
            key: None,
            key_src: unknown.at,
            key_what: unknown.what,
            value: unknown.clone(),
        });
    }
}

/// Whether two values are equal: `Some` when both are fully known, `None` when an unknown decides it.
/// `budget` bounds the work (each node compared costs one); when it runs out the answer is `None`.
pub(crate) fn equal(a: &V, b: &V, budget: &mut u64) -> Option<bool> {
    if *budget == 0 {
        return None;
    }
    *budget -= 1;
    match (&a.kind, &b.kind) {
        (Kind::Unknown, _) | (_, Kind::Unknown) => None,
        (Kind::Null, Kind::Null) => Some(true),
        (Kind::Bool(x), Kind::Bool(y)) => Some(x == y),
        (Kind::Int(x), Kind::Int(y)) => Some(x == y),
        (Kind::Str(x, _), Kind::Str(y, _)) => Some(x == y),
        (Kind::Array(x), Kind::Array(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for (p, q) in x.iter().zip(y.iter()) {
                match equal(p, q, budget) {
                    Some(true) => {}
                    Some(false) => return Some(false),
                    None => result = None,
                }
            }
            result
        }
        (Kind::Object(x), Kind::Object(y)) => {
            if x.iter().chain(y.iter()).any(|e| e.key.is_none()) {
                return None;
            }
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for entry in x.iter() {
                let key = entry.key.as_deref().unwrap_or_default();
                match lookup(y, key) {
                    Lookup::Found(other) => match equal(&entry.value, &other, budget) {
                        Some(true) => {}
                        Some(false) => return Some(false),
                        None => result = None,
                    },
                    Lookup::Absent => return Some(false),
                    Lookup::Unknown => result = None,
                }
            }
            result
        }
        _ => Some(false),
    }
}

/// Whether a value holds no unknown anywhere (bounded by its depth).
pub(crate) fn fully_known(value: &V) -> bool {
    match &value.kind {
        Kind::Unknown => false,
        Kind::Array(items) => items.iter().all(fully_known),
        Kind::Object(entries) => entries
            .iter()
            .all(|e| e.key.is_some() && fully_known(&e.value)),
        _ => true,
    }
}
