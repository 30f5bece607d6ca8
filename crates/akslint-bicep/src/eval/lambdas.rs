//! The functions that take lambdas (`filter`, `map`, `toObject`, `reduce`): computed when the
//! array is known, by evaluating the lambda's body once per element with its parameters bound.
//! A body whose value decides the result (a `filter` condition, a `toObject` key) and is unknown
//! makes the result unknown.

use super::value::{Ent, Kind, Loc, V, Val};
use super::{Cx, Ev};
use crate::ast::{Expr, LambdaExpr};

impl<'a> Ev<'a> {
    /// Calls `filter`, `map`, `toObject` or `reduce` (`name` in any case) on its arguments.
    pub(super) fn call_with_lambda(
        &mut self,
        cx: Cx,
        name: &str,
        arguments: &[Expr<'a>],
        at: Loc,
    ) -> V {
        let Some(first) = arguments.first() else {
            return self.unknown(cx, at);
        };
        let array = self.eval(cx, *first);
        let Some(items) = array.as_array().map(<[V]>::to_vec) else {
            return self.unknown(cx, at);
        };
        let lambda = |i: usize| match arguments.get(i) {
            Some(Expr::Lambda(lambda)) => Some(*lambda),
            _ => None,
        };
        match name.to_ascii_lowercase().as_str() {
            "filter" => {
                let Some(predicate) = lambda(1) else {
                    return self.unknown(cx, at);
                };
                let mut kept = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    match self
                        .apply(cx, predicate, std::slice::from_ref(item), index, at)
                        .as_bool()
                    {
                        Some(true) => kept.push(item.clone()),
                        Some(false) => {}
                        None => return self.unknown(cx, at),
                    }
                }
                self.array(kept, at, cx.what)
            }
            "map" => {
                let Some(mapper) = lambda(1) else {
                    return self.unknown(cx, at);
                };
                let mapped = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.apply(cx, mapper, std::slice::from_ref(item), index, at)
                    })
                    .collect();
                self.array(mapped, at, cx.what)
            }
            "toobject" => {
                let Some(key_of) = lambda(1) else {
                    return self.unknown(cx, at);
                };
                let value_of = lambda(2);
                if arguments.len() > 2 && value_of.is_none() {
                    return self.unknown(cx, at);
                }
                let mut entries: Vec<Ent> = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let key = self.apply(cx, key_of, std::slice::from_ref(item), index, at);
                    let Some(text) = key.as_str() else {
                        return self.unknown(cx, at);
                    };
                    let value = match value_of {
                        Some(value_of) => {
                            self.apply(cx, value_of, std::slice::from_ref(item), index, at)
                        }
                        None => item.clone(),
                    };
                    let entry = Ent {
                        key: Some(text.into()),
                        key_src: key.src,
                        key_what: key.what,
                        value,
                    };
                    // A later element with the same key replaces the earlier one.
                    match entries.iter_mut().find(|e| {
                        e.key
                            .as_deref()
                            .is_some_and(|k| super::value::same_key(k, text))
                    }) {
                        Some(existing) => *existing = entry,
                        None => entries.push(entry),
                    }
                }
                self.object(entries, at, cx.what)
            }
            "reduce" => {
                let (Some(initial), Some(combine)) = (arguments.get(1), lambda(2)) else {
                    return self.unknown(cx, at);
                };
                let mut accumulated = self.eval(cx, *initial);
                for (index, item) in items.iter().enumerate() {
                    accumulated =
                        self.apply(cx, combine, &[accumulated.clone(), item.clone()], index, at);
                }
                accumulated
            }
            _ => self.unknown(cx, at),
        }
    }

    /// The lambda's body with its parameters bound to `values`, then to the element's `index`
    /// when it declares one more parameter.
    fn apply(&mut self, cx: Cx, lambda: LambdaExpr<'a>, values: &[V], index: usize, at: Loc) -> V {
        if self.budget.fuel == 0 {
            return self.unknown(cx, at);
        }
        let Some(body) = lambda.body() else {
            return self.unknown(cx, at);
        };
        let parameters = lambda.parameters();
        let mark = self.locals.len();
        for (position, parameter) in parameters.iter().enumerate() {
            let value = match values.get(position) {
                Some(value) => value.clone(),
                None if position == values.len() => Val::leaf(
                    Kind::Int(index as i64),
                    Loc {
                        file: cx.file,
                        span: parameter.span(),
                    },
                    cx.what,
                ),
                None => self.unknown(cx, at),
            };
            self.locals.push((parameter.text(), value));
        }
        let result = self.eval(cx, body);
        self.locals.truncate(mark);
        result
    }
}
