//! Evaluating expressions: literals, references, access, operators, arrays, objects and loops.
//!
//! Every function here returns a value whose `at` is the expression it evaluated ([`Ev::eval`] re-stamps it),
//! and whose `src` is where the value was written: the literal itself, or the expression that computed it.
//! Anything that cannot be known statically is an unknown written at the expression.

use std::rc::Rc;

use super::project::Sym;
use super::value::{Ent, Kind, Loc, Lookup, ObjectBuilder, V, Val, equal, lookup, restamp};
use super::{Cx, Ev, Limit, MAX_EVAL_DEPTH, Memo};
use crate::SyntaxKind;
use crate::ast::{
    ArrayExpr, BinaryExpr, BinaryOp, Expr, ForExpr, FuncDecl, IndexAccess, InstanceCallExpr,
    ObjectExpr, ObjectProperty, ParamAssignment, ParamDecl, PropertyAccess, StringLit, TernaryExpr,
    UnaryExpr, UnaryOp, VarDecl,
};

impl<'a> Ev<'a> {
    /// An unknown written at `at`.
    pub fn unknown(&self, cx: Cx, at: Loc) -> V {
        Val::unknown(at, cx.what)
    }

    /// A scalar computed at `at`.
    pub fn scalar(&self, cx: Cx, at: Loc, kind: Kind) -> V {
        Val::leaf(kind, at, cx.what)
    }

    /// The unknown a value past its size limit becomes ([`Limit::ValueSize`], recorded).
    pub fn too_large(&mut self, cx: Cx, at: Loc) -> V {
        self.budget.exhaust(at, Limit::ValueSize);
        self.unknown(cx, at)
    }

    /// Evaluates an expression.
    pub fn eval(&mut self, cx: Cx, expr: Expr<'a>) -> V {
        let at = Loc {
            file: cx.file,
            span: expr.span(),
        };
        let value = self.step(cx, at, |ev| ev.eval_inner(cx, expr, at));
        restamp(value, at)
    }

    /// One step of evaluation at `at`: `evaluate` one level deeper, for one unit of fuel;
    /// unknown when the fuel is spent or the evaluation is [`MAX_EVAL_DEPTH`] deep.
    pub fn step(&mut self, cx: Cx, at: Loc, evaluate: impl FnOnce(&mut Ev<'a>) -> V) -> V {
        if self.budget.fuel == 0 {
            self.budget.exhaust(at, Limit::Steps);
            return self.unknown(cx, at);
        }
        if self.depth >= MAX_EVAL_DEPTH {
            return self.unknown(cx, at);
        }
        self.budget.fuel -= 1;
        self.depth += 1;
        let value = evaluate(self);
        self.depth -= 1;
        value
    }

    /// Evaluates an expression that may be missing (after a syntax error): unknown at `span` then.
    pub fn eval_or_unknown(&mut self, cx: Cx, expr: Option<Expr<'a>>, span: crate::Span) -> V {
        match expr {
            Some(expr) => self.eval(cx, expr),
            None => self.unknown(
                cx,
                Loc {
                    file: cx.file,
                    span,
                },
            ),
        }
    }

    fn eval_inner(&mut self, cx: Cx, expr: Expr<'a>, at: Loc) -> V {
        match expr {
            Expr::Int(literal) => match literal.value().and_then(|v| i64::try_from(v).ok()) {
                Some(value) => self.scalar(cx, at, Kind::Int(value)),
                None => self.unknown(cx, at),
            },
            Expr::Bool(literal) => self.scalar(cx, at, Kind::Bool(literal.value())),
            Expr::Null(_) => self.scalar(cx, at, Kind::Null),
            Expr::String(literal) => self.eval_string(cx, literal, at),
            Expr::Variable(variable) => self.eval_variable(cx, variable.name(), at),
            Expr::Call(call) => {
                let arguments: Vec<Expr<'a>> = call.arguments().collect();
                self.eval_call(cx, call.name(), &arguments, at)
            }
            Expr::InstanceCall(call) => self.eval_instance_call(cx, call, at),
            Expr::Property(access) => self.eval_property(cx, access, at),
            Expr::Index(access) => self.eval_index(cx, access, at),
            Expr::NonNull(assert) => self.eval_or_unknown(cx, assert.base(), at.span),
            Expr::Unary(unary) => self.eval_unary(cx, unary, at),
            Expr::Binary(binary) => self.eval_binary(cx, binary, at),
            Expr::Ternary(ternary) => self.eval_ternary(cx, ternary, at),
            Expr::Paren(paren) => self.eval_or_unknown(cx, paren.inner(), at.span),
            Expr::Array(array) => self.eval_array(cx, array, at),
            Expr::Object(object) => self.eval_object(cx, object, at),
            Expr::For(for_expr) => self.eval_for(cx, for_expr, at),
            Expr::ResourceAccess(_) | Expr::Lambda(_) => self.unknown(cx, at),
        }
    }

    fn eval_string(&mut self, cx: Cx, literal: StringLit<'a>, at: Loc) -> V {
        if !literal.is_interpolated() {
            return match literal.value() {
                Some(text) if text.len() <= super::value::MAX_STRING => {
                    self.scalar(cx, at, Kind::Str(text.into(), literal.is_multiline()))
                }
                _ => self.unknown(cx, at),
            };
        }
        let segments = literal.segments();
        let holes: Vec<Expr<'a>> = literal.holes().collect();
        if segments.len() != holes.len() + 1 {
            return self.unknown(cx, at);
        }
        let mut text = String::new();
        for (i, segment) in segments.iter().enumerate() {
            text.push_str(segment);
            if let Some(&hole) = holes.get(i) {
                let value = self.eval(cx, hole);
                match &value.kind {
                    Kind::Str(s, _) => text.push_str(s),
                    Kind::Int(n) => text.push_str(&n.to_string()),
                    _ => return self.unknown(cx, at),
                }
                if text.len() > super::value::MAX_STRING {
                    return self.too_large(cx, at);
                }
            }
        }
        self.string(text, at, cx.what)
    }

    fn eval_variable(&mut self, cx: Cx, name: &'a str, at: Loc) -> V {
        if let Some(value) = self.local(name) {
            return value;
        }
        match self.symbol(cx, name) {
            Some(Sym::Param(decl)) => self.param_value(cx.inst, name, decl),
            Some(Sym::Var(decl)) => self.var_value(cx.inst, name, decl),
            Some(Sym::Assign(decl)) => self.assignment_value(cx.inst, name, decl),
            Some(Sym::Import {
                file: Some(file),
                name: original,
            }) => self.imported(cx, file, original, at),
            Some(_) => self.unknown(cx, at),
            None => match self.instances[cx.inst].base {
                Some(base) => {
                    let base_cx = Cx {
                        inst: base,
                        file: self.instances[base].file,
                        what: cx.what,
                    };
                    let value = self.enter(|ev| ev.eval_variable(base_cx, name, at));
                    value.unwrap_or_else(|| self.unknown(cx, at))
                }
                None => self.unknown(cx, at),
            },
        }
    }

    /// The location of a declaration's name (or of the declaration).
    fn name_loc(
        file: super::value::FileId,
        name: Option<crate::TokenRef<'_>>,
        whole: crate::Span,
    ) -> Loc {
        Loc {
            file,
            span: name.map_or(whole, |n| n.span()),
        }
    }

    /// The value given to parameter `name` of an instance (names compared exactly, else
    /// ignoring case), or what stands for every parameter not given.
    pub fn given_value(&self, inst: usize, name: &str) -> Option<V> {
        let provided = &self.instances[inst].provided;
        let given = provided.values.get(name).or_else(|| {
            provided
                .values
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        });
        given.or(provided.open.as_ref()).cloned()
    }

    /// The default of parameter `name` of an instance when already evaluated, or an unknown
    /// (declared at `at`) when it is being evaluated: its default refers to itself.
    pub fn memoised_default(&mut self, inst: usize, name: &str, at: Loc) -> Option<V> {
        match self.instances[inst].params.get(name) {
            Some(Memo::Done(value)) => Some(value.clone()),
            Some(Memo::Busy) => {
                let what = self.what(format!(
                    "parameter `{name}`, whose default refers to itself"
                ));
                Some(Val::unknown(at, what))
            }
            None => None,
        }
    }

    /// The value of a template parameter in an instance: the value given, else the default.
    pub fn param_value(&mut self, inst: usize, name: &'a str, decl: ParamDecl<'a>) -> V {
        if let Some(value) = self.given_value(inst, name) {
            return value;
        }
        let instance = &self.instances[inst];
        let complete = instance.provided.complete;
        let file = instance.file;
        let at = Self::name_loc(file, decl.name(), decl.span());
        if let Some(value) = self.memoised_default(inst, name, at) {
            return value;
        }
        if let Some(default) = decl.default_value() {
            let what = self.what(format!("the default of parameter `{name}`"));
            let cx = Cx { inst, file, what };
            self.instances[inst].params.insert(name, Memo::Busy);
            let value = self.enter(|ev| ev.eval(cx, default)).unwrap_or_else(|| {
                Val::unknown(
                    Loc {
                        file,
                        span: default.span(),
                    },
                    what,
                )
            });
            self.instances[inst]
                .params
                .insert(name, Memo::Done(value.clone()));
            return value;
        }
        let nullable = decl
            .type_node()
            .is_some_and(|t| t.kind() == SyntaxKind::NullableType);
        if complete && nullable {
            let what = self.what(format!("parameter `{name}`, not given, so null"));
            return Val::leaf(Kind::Null, at, what);
        }
        let what = self.what(format!("parameter `{name}`, which has no value here"));
        Val::unknown(at, what)
    }

    /// The value of a variable in an instance (evaluated once).
    pub fn var_value(&mut self, inst: usize, name: &'a str, decl: VarDecl<'a>) -> V {
        let file = self.instances[inst].file;
        let at = Self::name_loc(file, decl.name(), decl.span());
        match self.instances[inst].vars.get(name) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::Busy) => {
                let what = self.what(format!("variable `{name}`, which refers to itself"));
                return Val::unknown(at, what);
            }
            None => {}
        }
        let what = self.what(format!("the value of variable `{name}`"));
        let Some(expr) = decl.value() else {
            return Val::unknown(at, what);
        };
        let cx = Cx { inst, file, what };
        self.instances[inst].vars.insert(name, Memo::Busy);
        let value = self.enter(|ev| ev.eval(cx, expr)).unwrap_or_else(|| {
            Val::unknown(
                Loc {
                    file,
                    span: expr.span(),
                },
                what,
            )
        });
        self.instances[inst]
            .vars
            .insert(name, Memo::Done(value.clone()));
        value
    }

    /// The value a `.bicepparam` file assigns to a parameter (evaluated once).
    pub fn assignment_value(&mut self, inst: usize, name: &'a str, decl: ParamAssignment<'a>) -> V {
        let file = self.instances[inst].file;
        let at = Self::name_loc(file, decl.name(), decl.span());
        match self.instances[inst].params.get(name) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::Busy) => {
                let what = self.what(format!("parameter `{name}`, whose value refers to itself"));
                return Val::unknown(at, what);
            }
            None => {}
        }
        let what = self.what(format!("the value of `{name}` in {}", self.file(file).name));
        let Some(expr) = decl.value() else {
            return Val::unknown(at, what);
        };
        let cx = Cx { inst, file, what };
        self.instances[inst].params.insert(name, Memo::Busy);
        let value = self.enter(|ev| ev.eval(cx, expr)).unwrap_or_else(|| {
            Val::unknown(
                Loc {
                    file,
                    span: expr.span(),
                },
                what,
            )
        });
        self.instances[inst]
            .params
            .insert(name, Memo::Done(value.clone()));
        value
    }

    /// The value of a variable exported by another file.
    fn imported(&mut self, cx: Cx, file: super::value::FileId, name: &str, at: Loc) -> V {
        let library = self.library(file);
        match self.file(file).symbols.get_key_value(name) {
            Some((&declared, &Sym::Var(decl))) => self.var_value(library, declared, decl),
            _ => self.unknown(cx, at),
        }
    }

    fn eval_call(&mut self, cx: Cx, name: Option<&'a str>, arguments: &[Expr<'a>], at: Loc) -> V {
        let Some(name) = name else {
            return self.unknown(cx, at);
        };
        match self.symbol(cx, name) {
            Some(Sym::Func(decl)) => return self.call_func(cx, cx.file, decl, arguments, at),
            Some(Sym::Import {
                file: Some(file),
                name: original,
            }) => {
                return match self.file(file).symbols.get(original) {
                    Some(&Sym::Func(decl)) => self.call_func(cx, file, decl, arguments, at),
                    _ => self.unknown(cx, at),
                };
            }
            Some(_) => return self.unknown(cx, at),
            None => {}
        }
        match self.call_builtin(cx, name, arguments, at) {
            Some(value) => value,
            None => self.unknown(cx, at),
        }
    }

    fn eval_instance_call(&mut self, cx: Cx, call: InstanceCallExpr<'a>, at: Loc) -> V {
        match call.namespace() {
            Some(namespace @ ("az" | "sys"))
                if self.local(namespace).is_none() && self.symbol(cx, namespace).is_none() =>
            {
                let arguments: Vec<Expr<'a>> = call.arguments().collect();
                self.eval_call(cx, call.name(), &arguments, at)
            }
            // `ns.f(…)` on a wildcard import (`import * as ns from '…'`) of a function.
            Some(namespace) if self.local(namespace).is_none() => {
                let function = match (self.symbol(cx, namespace), call.name()) {
                    (Some(Sym::Namespace(Some(file))), Some(name)) => {
                        match self.file(file).symbols.get(name) {
                            Some(&Sym::Func(decl)) => Some((file, decl)),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                match function {
                    Some((file, decl)) => {
                        let arguments: Vec<Expr<'a>> = call.arguments().collect();
                        self.call_func(cx, file, decl, &arguments, at)
                    }
                    None => self.unknown(cx, at),
                }
            }
            _ => self.unknown(cx, at),
        }
    }

    /// Calls a user-defined function (`func`) declared in `file`: its body, evaluated in that
    /// file with its parameters bound to the arguments' values (evaluated here) and nothing else
    /// of the caller in scope.
    fn call_func(
        &mut self,
        cx: Cx,
        file: super::value::FileId,
        decl: FuncDecl<'a>,
        arguments: &[Expr<'a>],
        at: Loc,
    ) -> V {
        let Some(body) = decl.body() else {
            return self.unknown(cx, at);
        };
        let values: Vec<V> = arguments.iter().map(|a| self.eval(cx, *a)).collect();
        let parameters = decl.parameters();
        if parameters.len() != values.len() {
            return self.unknown(cx, at);
        }
        let name = decl.name().map_or("", |n| n.text());
        let what = self.what(format!("function `{name}`"));
        let inner = Cx {
            inst: cx.inst,
            file,
            what,
        };
        let result = self.enter(|ev| {
            let mark = ev.locals.len();
            ev.locals
                .extend(parameters.iter().map(|p| p.text()).zip(values));
            let value = ev.eval(inner, body);
            ev.locals.truncate(mark);
            value
        });
        result.unwrap_or_else(|| self.unknown(cx, at))
    }

    fn eval_property(&mut self, cx: Cx, access: PropertyAccess<'a>, at: Loc) -> V {
        let (Some(base), Some(name)) = (access.base(), access.name()) else {
            return self.unknown(cx, at);
        };
        if let Expr::Variable(variable) = base
            && self.local(variable.name()).is_none()
            && let Some(Sym::Namespace(file)) = self.symbol(cx, variable.name())
        {
            return match file {
                Some(file) => self.imported(cx, file, name, at),
                None => self.unknown(cx, at),
            };
        }
        let base = self.eval(cx, base);
        self.member(cx, &base, name, access.is_safe(), at)
    }

    /// The value of `base.key` (`base.?key` when `safe`).
    pub fn member(&self, cx: Cx, base: &V, key: &str, safe: bool, at: Loc) -> V {
        match &base.kind {
            Kind::Object(entries) => match lookup(entries, key) {
                Lookup::Found(value) => value,
                Lookup::Absent if safe => self.scalar(cx, at, Kind::Null),
                Lookup::Absent | Lookup::Unknown => self.unknown(cx, at),
            },
            Kind::Null if safe => self.scalar(cx, at, Kind::Null),
            _ => self.unknown(cx, at),
        }
    }

    fn eval_index(&mut self, cx: Cx, access: IndexAccess<'a>, at: Loc) -> V {
        let (Some(base), Some(index)) = (access.base(), access.index()) else {
            return self.unknown(cx, at);
        };
        let base = self.eval(cx, base);
        let index = self.eval(cx, index);
        self.index(
            cx,
            &base,
            &index,
            access.is_from_end(),
            access.is_safe(),
            at,
        )
    }

    /// The value of `base[index]` (`base[^index]` when `from_end`, `base[?index]` when `safe`).
    pub fn index(&self, cx: Cx, base: &V, index: &V, from_end: bool, safe: bool, at: Loc) -> V {
        match (&base.kind, &index.kind) {
            (Kind::Array(items), Kind::Int(n)) => {
                let len = items.len() as i64;
                let position = if from_end {
                    len.checked_sub(*n)
                } else {
                    Some(*n)
                };
                match position {
                    Some(p) if (0..len).contains(&p) => items[p as usize].clone(),
                    _ if safe => self.scalar(cx, at, Kind::Null),
                    _ => self.unknown(cx, at),
                }
            }
            (Kind::Object(_), Kind::Str(key, _)) => self.member(cx, base, key, safe, at),
            (Kind::Null, _) if safe => self.scalar(cx, at, Kind::Null),
            _ => self.unknown(cx, at),
        }
    }

    fn eval_unary(&mut self, cx: Cx, unary: UnaryExpr<'a>, at: Loc) -> V {
        let operand = self.eval_or_unknown(cx, unary.operand(), at.span);
        match (unary.op(), &operand.kind) {
            (UnaryOp::Not, Kind::Bool(b)) => self.scalar(cx, at, Kind::Bool(!b)),
            (UnaryOp::Minus, Kind::Int(n)) => match n.checked_neg() {
                Some(n) => self.scalar(cx, at, Kind::Int(n)),
                None => self.unknown(cx, at),
            },
            _ => self.unknown(cx, at),
        }
    }

    fn eval_binary(&mut self, cx: Cx, binary: BinaryExpr<'a>, at: Loc) -> V {
        let Some(op) = binary.op() else {
            return self.unknown(cx, at);
        };
        let left = self.eval_or_unknown(cx, binary.left(), at.span);
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let short = op == BinaryOp::Or;
                if left.as_bool() == Some(short) {
                    return self.scalar(cx, at, Kind::Bool(short));
                }
                let right = self.eval_or_unknown(cx, binary.right(), at.span);
                return self.logical(cx, short, &left, &right, at);
            }
            BinaryOp::Coalesce => {
                return match left.kind {
                    Kind::Null => self.eval_or_unknown(cx, binary.right(), at.span),
                    Kind::Unknown => self.unknown(cx, at),
                    _ => left,
                };
            }
            _ => {}
        }
        let right = self.eval_or_unknown(cx, binary.right(), at.span);
        self.operate(cx, op, &left, &right, at)
    }

    /// `left && right` (`left || right` when `short` is `true`): known when both are, or when
    /// either is `short`, which decides it.
    pub fn logical(&self, cx: Cx, short: bool, left: &V, right: &V, at: Loc) -> V {
        match (left.as_bool(), right.as_bool()) {
            (Some(b), _) | (_, Some(b)) if b == short => self.scalar(cx, at, Kind::Bool(short)),
            (Some(_), Some(b)) => self.scalar(cx, at, Kind::Bool(b)),
            _ => self.unknown(cx, at),
        }
    }

    /// A binary operator other than `&&`, `||` and `??` on evaluated operands.
    pub fn operate(&mut self, cx: Cx, op: BinaryOp, left: &V, right: &V, at: Loc) -> V {
        let kind = match op {
            BinaryOp::Equals | BinaryOp::NotEquals => equal(left, right, &mut self.budget.fuel)
                .map(|eq| Kind::Bool(eq == (op == BinaryOp::Equals))),
            BinaryOp::EqualsIgnoreCase | BinaryOp::NotEqualsIgnoreCase => {
                match (left.as_str(), right.as_str()) {
                    (Some(a), Some(b)) => {
                        let eq = a.to_lowercase() == b.to_lowercase();
                        Some(Kind::Bool(eq == (op == BinaryOp::EqualsIgnoreCase)))
                    }
                    _ => None,
                }
            }
            BinaryOp::Less
            | BinaryOp::LessOrEqual
            | BinaryOp::Greater
            | BinaryOp::GreaterOrEqual => {
                let ordering = match (&left.kind, &right.kind) {
                    (Kind::Int(a), Kind::Int(b)) => Some(a.cmp(b)),
                    (Kind::Str(a, _), Kind::Str(b, _)) if a.is_ascii() && b.is_ascii() => {
                        Some(a.cmp(b))
                    }
                    _ => None,
                };
                ordering.map(|o| {
                    Kind::Bool(match op {
                        BinaryOp::Less => o.is_lt(),
                        BinaryOp::LessOrEqual => o.is_le(),
                        BinaryOp::Greater => o.is_gt(),
                        _ => o.is_ge(),
                    })
                })
            }
            _ => match (left.as_int(), right.as_int()) {
                (Some(a), Some(b)) => match op {
                    BinaryOp::Add => a.checked_add(b),
                    BinaryOp::Subtract => a.checked_sub(b),
                    BinaryOp::Multiply => a.checked_mul(b),
                    BinaryOp::Divide => a.checked_div(b),
                    BinaryOp::Modulo => a.checked_rem(b),
                    _ => None,
                }
                .map(Kind::Int),
                _ => None,
            },
        };
        match kind {
            Some(kind) => self.scalar(cx, at, kind),
            None => self.unknown(cx, at),
        }
    }

    fn eval_ternary(&mut self, cx: Cx, ternary: TernaryExpr<'a>, at: Loc) -> V {
        let condition = self.eval_or_unknown(cx, ternary.condition(), at.span);
        match condition.kind {
            Kind::Bool(true) => return self.eval_or_unknown(cx, ternary.then_value(), at.span),
            Kind::Bool(false) => return self.eval_or_unknown(cx, ternary.else_value(), at.span),
            Kind::Unknown => {}
            _ => return self.unknown(cx, at),
        }
        let then_value = self.eval_or_unknown(cx, ternary.then_value(), at.span);
        let else_value = self.eval_or_unknown(cx, ternary.else_value(), at.span);
        self.either(cx, &then_value, &else_value, at)
    }

    /// What a choice between two values under an unknown condition gives: the value when both
    /// are the same known scalar, else unknown.
    pub fn either(&mut self, cx: Cx, then_value: &V, else_value: &V, at: Loc) -> V {
        let scalar = !matches!(
            then_value.kind,
            Kind::Unknown | Kind::Array(_) | Kind::Object(_)
        );
        if scalar && equal(then_value, else_value, &mut self.budget.fuel) == Some(true) {
            return self.scalar(cx, at, then_value.kind.clone());
        }
        self.unknown(cx, at)
    }

    fn eval_array(&mut self, cx: Cx, array: ArrayExpr<'a>, at: Loc) -> V {
        let mut items = Vec::new();
        for node in array.syntax().child_nodes() {
            match node.kind() {
                SyntaxKind::ArrayItem => {
                    let item = node.child_nodes().find_map(Expr::cast);
                    items.push(self.eval_or_unknown(cx, item, node.span()));
                }
                SyntaxKind::Spread => {
                    let spread = self.eval_or_unknown(
                        cx,
                        node.child_nodes().find_map(Expr::cast),
                        node.span(),
                    );
                    match spread.as_array() {
                        Some(more) => items.extend(more.iter().cloned()),
                        None => return self.unknown(cx, at),
                    }
                }
                _ => {}
            }
            if self.budget.fuel == 0 {
                return self.unknown(cx, at);
            }
        }
        self.array(items, at, cx.what)
    }

    fn eval_object(&mut self, cx: Cx, object: ObjectExpr<'a>, at: Loc) -> V {
        let mut builder = ObjectBuilder::default();
        for node in object.syntax().child_nodes() {
            match node.kind() {
                SyntaxKind::ObjectProperty => {
                    let Some(property) = ObjectProperty::cast(node) else {
                        continue;
                    };
                    let Some(key) = self.property_key(cx, property) else {
                        continue;
                    };
                    let value_span = property.value_span().unwrap_or(property.span());
                    let value = self.eval_or_unknown(cx, property.value(), value_span);
                    builder.set(Ent {
                        key,
                        key_src: Loc {
                            file: cx.file,
                            span: property.key_span(),
                        },
                        key_what: cx.what,
                        value,
                    });
                }
                SyntaxKind::Spread => {
                    let spread = self.eval_or_unknown(
                        cx,
                        node.child_nodes().find_map(Expr::cast),
                        node.span(),
                    );
                    spread_into(&mut builder, &spread);
                }
                _ => {}
            }
            if self.budget.fuel == 0 {
                return self.unknown(cx, at);
            }
        }
        self.object(builder.entries, at, cx.what)
    }

    /// The key of a property: `Some(Some(key))` when known, `Some(None)` for an interpolated key whose value
    /// is not known, `None` when the key is missing (a syntax error).
    fn property_key(&mut self, cx: Cx, property: ObjectProperty<'a>) -> Option<Option<Rc<str>>> {
        if let Some(key) = property.key() {
            return Some(Some(Rc::from(key.as_ref())));
        }
        let key_span = property.key_span();
        let literal = property
            .syntax()
            .child_nodes()
            .next()
            .filter(|n| n.span().start == key_span.start)
            .and_then(StringLit::cast)?;
        let value = self.eval(cx, Expr::String(literal));
        Some(value.as_str().map(Rc::from))
    }

    fn eval_for(&mut self, cx: Cx, for_expr: ForExpr<'a>, at: Loc) -> V {
        let Some(source) = for_expr.source() else {
            return self.unknown(cx, at);
        };
        let source = self.eval(cx, source);
        let (Some(items), Some(body)) = (source.as_array(), for_expr.body().and_then(|b| b.expr()))
        else {
            return self.unknown(cx, at);
        };
        let item_name = for_expr.item_name();
        let index_name = for_expr.index_name();
        let mut out = Vec::with_capacity(items.len());
        let mut weight = 0u32;
        for (i, item) in items.iter().enumerate() {
            if self.budget.fuel == 0 {
                return self.unknown(cx, at);
            }
            if weight > super::value::MAX_VALUE_WEIGHT {
                return self.too_large(cx, at);
            }
            let mark = self.locals.len();
            if let Some(name) = item_name {
                self.locals.push((name.text(), item.clone()));
            }
            if let Some(name) = index_name {
                let index = Val::leaf(
                    Kind::Int(i as i64),
                    Loc {
                        file: cx.file,
                        span: name.span(),
                    },
                    cx.what,
                );
                self.locals.push((name.text(), index));
            }
            let value = self.eval(cx, body);
            self.locals.truncate(mark);
            weight = weight.saturating_add(value.weight);
            out.push(value);
        }
        self.array(out, at, cx.what)
    }
}

/// Spreads a value into an object: a known object's entries, nothing for `null`, and an unknown entry for
/// anything else. An entry whose value was produced elsewhere (in a variable's object) is produced here by
/// the spread's expression, so that a resource body places it on the spread rather than on the whole object.
pub(crate) fn spread_into(builder: &mut ObjectBuilder, spread: &V) {
    match &spread.kind {
        Kind::Object(entries) => {
            for entry in entries.iter() {
                if entry.key.is_some() {
                    let mut entry = entry.clone();
                    if !spread.at.contains(entry.value.at) {
                        entry.value = restamp(entry.value, spread.at);
                    }
                    builder.set(entry);
                } else {
                    builder.open(&entry.value);
                }
            }
        }
        Kind::Null => {}
        _ => builder.open(spread),
    }
}
