//! The declarations of a run file that rules read besides resources: parameters, outputs (with what their
//! values give away) and string literals (with the declaration they are written in and the name they are the
//! value of). See [`akslint_core::BicepFile`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use akslint_core::{BicepFile, Leak, LeakKind, Output, Parameter, Site, SourceKind, StringLiteral};

use super::core_span;
use super::project::{FileInfo, Sym};
use crate::ast::{
    BinaryOp, Declaration, Expr, ModuleDecl, ObjectExpr, ObjectProperty, ResourceDecl, StringLit,
};
use crate::string::StringForm;
use crate::{Node, SyntaxKind};

/// Most variables followed from one output when looking for what it gives away.
pub(super) const MAX_OUTPUT_VARIABLES: usize = 256;

/// The placeholder written for an interpolation hole in [`StringLiteral::text`].
pub(super) const HOLE: &str = "${…}";

/// The declarations of a file.
pub(crate) fn of(info: &FileInfo<'_>) -> Option<BicepFile> {
    let program = info.program?;
    let mut out = BicepFile {
        file: info.source.clone(),
        params: Vec::new(),
        outputs: Vec::new(),
        strings: Vec::new(),
    };
    let params_file = info.kind == SourceKind::BicepParam;
    let mut walker = Walker::default();
    for declaration in program.declarations() {
        let name = declaration.name().map_or("", |n| n.text()).to_owned();
        match declaration {
            Declaration::Param(param) => {
                let start = param
                    .decorators()
                    .next()
                    .map(|d| d.span())
                    .or_else(|| declaration.keyword().map(|k| k.span()))
                    .unwrap_or_else(|| param.span());
                out.params.push(Parameter {
                    name: name.clone(),
                    name_span: core_span(param.name().map_or(param.span(), |n| n.span())),
                    start: core_span(start),
                    secure: param.decorator("secure").is_some(),
                    enumerated: param.decorator("allowed").is_some(),
                    declared_type: param.type_node().map_or("", |t| t.text().trim()).to_owned(),
                });
                let site = Site::ParamDefault {
                    param: name.clone(),
                };
                walker.expression(param.default_value(), Some(name), site);
            }
            Declaration::Var(var) => {
                let site = if params_file {
                    Site::ParamFile { name: name.clone() }
                } else {
                    Site::Variable { name: name.clone() }
                };
                walker.expression(var.value(), Some(name), site);
            }
            Declaration::ParamAssignment(assignment) => {
                let site = Site::ParamFile { name: name.clone() };
                walker.expression(assignment.value(), Some(name), site);
            }
            Declaration::Output(output) => {
                out.outputs.push(Output {
                    name: name.clone(),
                    name_span: core_span(output.name().map_or(output.span(), |n| n.span())),
                    secure: output.decorator("secure").is_some(),
                    declared_type: output
                        .type_node()
                        .map_or("", |t| t.text().trim())
                        .to_owned(),
                    leaks: output.value().map(|v| leaks(info, v)).unwrap_or_default(),
                    value_reference: match output.value() {
                        Some(Expr::Variable(variable)) => Some(variable.name().to_owned()),
                        _ => None,
                    },
                });
                let site = Site::Output { name: name.clone() };
                walker.expression(output.value(), Some(name), site);
            }
            Declaration::Resource(resource) => walker.resource(resource),
            Declaration::Module(module) => walker.module(&name, module),
            _ => {}
        }
    }
    out.strings = walker.finish();
    Some(out)
}

/// The name a value is the value of (borrowed from the tree when it is an identifier).
type Key<'t> = Option<Cow<'t, str>>;

/// Walks values for their string literals, without recursion (the tree may be deep).
#[derive(Default)]
struct Walker<'t> {
    /// Nodes to visit, with the name they are the value of and the index of their site.
    pending: Vec<(Node<'t>, Key<'t>, usize)>,
    /// The sites seen.
    sites: Vec<Arc<Site>>,
    /// The body of the module being walked, and the module's name.
    module: Option<(Node<'t>, String)>,
    /// The literals found.
    strings: Vec<StringLiteral>,
}

impl<'t> Walker<'t> {
    /// Walks an expression written in `site`, the value of `key`.
    fn expression(&mut self, expr: Option<Expr<'t>>, key: Option<String>, site: Site) {
        if let Some(expr) = expr {
            self.start(expr.syntax(), key.map(Cow::Owned), site);
        }
    }

    /// Walks a resource declaration's value (and the resources nested in it).
    fn resource(&mut self, resource: ResourceDecl<'t>) {
        if let Some(value) = resource.value() {
            self.start(value, None, resource_site(resource));
        }
    }

    /// Walks a module declaration's value: the values in its `params` are arguments.
    fn module(&mut self, name: &str, module: ModuleDecl<'t>) {
        if let Some(value) = module.value() {
            self.module = module.body().map(|b| (b.syntax(), name.to_owned()));
            self.start(value, None, Site::Other);
            self.module = None;
        }
    }

    /// Walks from `node`.
    fn start(&mut self, node: Node<'t>, key: Key<'t>, site: Site) {
        self.sites.push(Arc::new(site));
        self.pending.push((node, key, self.sites.len() - 1));
        while let Some((node, key, site)) = self.pending.pop() {
            self.visit(node, key, site);
        }
    }

    /// Visits one node: records a string literal, queues the nodes inside.
    fn visit(&mut self, node: Node<'t>, key: Key<'t>, site: usize) {
        match Expr::cast(node) {
            Some(Expr::String(literal)) => {
                self.string(literal, key, site);
                self.queue(node.child_nodes(), None, site);
            }
            Some(Expr::Object(object)) => self.object(object, site),
            Some(Expr::Array(_) | Expr::Paren(_) | Expr::NonNull(_)) => {
                self.queue(node.child_nodes(), key, site);
            }
            Some(Expr::Ternary(ternary)) => {
                for branch in [ternary.else_value(), ternary.then_value()]
                    .into_iter()
                    .flatten()
                {
                    self.pending.push((branch.syntax(), key.clone(), site));
                }
                if let Some(condition) = ternary.condition() {
                    self.pending.push((condition.syntax(), None, site));
                }
            }
            Some(Expr::Binary(binary)) if binary.op() == Some(BinaryOp::Coalesce) => {
                self.queue(node.child_nodes(), key, site);
            }
            _ => self.queue(node.child_nodes(), None, site),
        }
    }

    /// Queues nodes to visit, in reverse so that they are visited in order.
    fn queue(
        &mut self,
        nodes: impl DoubleEndedIterator<Item = Node<'t>>,
        key: Key<'t>,
        site: usize,
    ) {
        for node in nodes.rev() {
            self.pending.push((node, key.clone(), site));
        }
    }

    /// Visits an object: each property's value is the value of its key (the `value` of a
    /// `{ name: 'X', value: … }` pair is the value of `X`); nested resources are their own sites; the
    /// `params` of the module being walked are its arguments.
    fn object(&mut self, object: ObjectExpr<'t>, site: usize) {
        let arguments = match &self.module {
            Some((body, module)) if *body == object.syntax() => Some(module.clone()),
            _ => None,
        };
        let mut pair_name: Option<Key<'t>> = None;
        for node in object.syntax().child_nodes().rev() {
            match node.kind() {
                SyntaxKind::ObjectProperty => {
                    let Some(property) = ObjectProperty::cast(node) else {
                        continue;
                    };
                    let Some(value) = property.value() else {
                        continue;
                    };
                    let key = property.key();
                    let pair = key.as_deref().is_some_and(|k| {
                        k.eq_ignore_ascii_case("value") || k.eq_ignore_ascii_case("secureValue")
                    });
                    let key = if pair {
                        pair_name
                            .get_or_insert_with(|| {
                                object
                                    .get("name")
                                    .and_then(|p| p.value())
                                    .and_then(|v| v.as_str())
                                    .map(Cow::Owned)
                            })
                            .clone()
                            .or(key)
                    } else {
                        key
                    };
                    match (&arguments, value) {
                        (Some(module), Expr::Object(params))
                            if key.as_deref() == Some("params") =>
                        {
                            self.arguments(module, params, site);
                        }
                        _ => self.pending.push((value.syntax(), key, site)),
                    }
                }
                SyntaxKind::ResourceDecl => {
                    if let Some(resource) = ResourceDecl::cast(node)
                        && let Some(value) = resource.value()
                    {
                        self.sites.push(Arc::new(resource_site(resource)));
                        self.pending.push((value, None, self.sites.len() - 1));
                    }
                }
                _ => self.pending.push((node, None, site)),
            }
        }
    }

    /// Queues a module call's arguments (in reverse), each in its own site.
    fn arguments(&mut self, module: &str, params: ObjectExpr<'t>, site: usize) {
        for node in params.syntax().child_nodes().rev() {
            let property = ObjectProperty::cast(node);
            match (
                property.and_then(|p| p.key()),
                property.and_then(|p| p.value()),
            ) {
                (Some(argument), Some(value)) => {
                    self.sites.push(Arc::new(Site::ModuleArgument {
                        module: module.to_owned(),
                        argument: argument.clone().into_owned(),
                    }));
                    self.pending
                        .push((value.syntax(), Some(argument), self.sites.len() - 1));
                }
                _ => self.pending.push((node, None, site)),
            }
        }
    }

    /// Records a string literal.
    fn string(&mut self, literal: StringLit<'t>, key: Key<'t>, site: usize) {
        let text = literal.segments().join(HOLE);
        self.strings.push(StringLiteral {
            span: core_span(literal.span()),
            verbatim_at: verbatim_at(literal, &text),
            text,
            site: self.sites[site].clone(),
            key: key.map(Cow::into_owned),
        });
    }

    /// The literals found, in source order.
    fn finish(self) -> Vec<StringLiteral> {
        let mut strings = self.strings;
        strings.sort_by_key(|s| (s.span.start, s.span.end));
        strings.shrink_to_fit();
        strings
    }
}

/// The site of a resource declaration's body.
fn resource_site(resource: ResourceDecl<'_>) -> Site {
    let written = resource.type_string().unwrap_or_default();
    Site::Resource {
        name: resource.name().map_or("", |n| n.text()).to_owned(),
        resource_type: written
            .split_once('@')
            .map_or(written.as_str(), |(t, _)| t)
            .to_owned(),
    }
}

/// Where a literal's text starts in the file, when the file holds it byte for byte.
fn verbatim_at(literal: StringLit<'_>, text: &str) -> Option<usize> {
    if literal.is_interpolated() {
        return None;
    }
    let token = literal.syntax().token_of_kind(SyntaxKind::String)?;
    let range = StringForm::of(token.text()).contents(SyntaxKind::String, token.text())?;
    (token.text().get(range.clone()) == Some(text))
        .then(|| token.span().start as usize + range.start)
}

/// What an output's value gives away: `list*()` calls and `@secure()` parameters, in the value or in the
/// variables it refers to (followed once each). Tests of a value (`empty(p)`, `p == ''`, a ternary's
/// condition) give away a boolean, not the value.
fn leaks(info: &FileInfo<'_>, value: Expr<'_>) -> Vec<Leak> {
    let mut out = Vec::new();
    let mut pending = vec![value.syntax()];
    let mut followed: HashSet<&str> = HashSet::new();
    while let Some(node) = pending.pop() {
        match Expr::cast(node) {
            Some(Expr::Call(call)) if call.name().is_some_and(is_test) => continue,
            Some(Expr::Binary(binary)) if binary.op().is_some_and(compares) => continue,
            Some(Expr::Unary(_)) => continue,
            Some(Expr::Ternary(ternary)) => {
                let branches = [ternary.then_value(), ternary.else_value()];
                pending.extend(branches.into_iter().flatten().map(Expr::syntax));
                continue;
            }
            Some(Expr::Call(call)) => {
                if let Some(name) = call.name().filter(|n| is_list_function(n)) {
                    out.push(leak(node, LeakKind::ListFunction(name.to_owned())));
                }
            }
            Some(Expr::InstanceCall(call)) => {
                if let Some(name) = call.name().filter(|n| is_list_function(n)) {
                    out.push(leak(node, LeakKind::ListFunction(name.to_owned())));
                }
            }
            Some(Expr::Variable(variable)) => match info.symbols.get(variable.name()) {
                Some(Sym::Param(param)) if param.decorator("secure").is_some() => {
                    out.push(leak(
                        node,
                        LeakKind::SecureParameter(variable.name().to_owned()),
                    ));
                }
                Some(Sym::Var(var))
                    if followed.len() < MAX_OUTPUT_VARIABLES
                        && followed.insert(variable.name()) =>
                {
                    pending.extend(var.value().map(Expr::syntax));
                }
                _ => {}
            },
            _ => {}
        }
        pending.extend(node.child_nodes());
    }
    out.sort_by_key(|l| (l.span.start, l.span.end));
    out
}

/// Whether a function only tests its arguments (`empty(password)` gives away a boolean, not the password).
pub(super) fn is_test(name: &str) -> bool {
    ["empty", "length", "contains", "startsWith", "endsWith"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
}

/// Whether an operator compares or combines its operands into a boolean.
fn compares(op: BinaryOp) -> bool {
    !matches!(op, BinaryOp::Coalesce)
}

/// Whether a function name is one of the `list*` functions that return keys and secrets.
pub(super) fn is_list_function(name: &str) -> bool {
    name.get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("list"))
}

fn leak(node: Node<'_>, kind: LeakKind) -> Leak {
    Leak {
        span: core_span(node.span()),
        kind,
    }
}
