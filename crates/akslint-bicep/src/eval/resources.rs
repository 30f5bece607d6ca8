//! Resources and modules: walking a template instance's declarations, following module calls into their files,
//! and turning evaluated bodies into the core model's [`Tree`] with origins.

use std::collections::BTreeMap;

use akslint_core::{
    AzureResource, Iteration, Location, NodeId, NodeKind, Origin, Scalar, ScalarStyle, SourceKind,
    Tree,
};

use super::expr::spread_into;
use super::project::Target;
use super::value::{FileId, Kind, Loc, ObjectBuilder, V, Val};
use super::{Cx, Ev, Limit, MAX_MODULE_DEPTH, MAX_RESOURCE_NESTING, Provided, core_span};
use crate::ast::{
    Declaration, Expr, ForExpr, IfCondition, ModuleDecl, ObjectExpr, ObjectProperty, ResourceDecl,
};
use crate::{Node, Span, SyntaxKind};

/// The enclosing resource of a nested resource declaration.
struct Parent {
    name: String,
    resource_type: String,
    api_version: String,
    /// The loop element the enclosing resource was evaluated for.
    iteration: Option<Iteration>,
    /// The enclosing resource's loop head.
    loop_span: Option<Span>,
}

/// A resource or module value seen through its condition, for one pass of its loop.
struct Shape<'a> {
    condition: Option<Span>,
    body: Option<ObjectExpr<'a>>,
}

/// One evaluation of a declaration: the whole declaration, or one element of its loop.
struct Pass<'a> {
    /// The loop variables and their values in this pass (unknown when the array is).
    bindings: Vec<(&'a str, V)>,
    /// The value after the loop's head: the body object or `if (…) {…}`.
    value: Option<Node<'a>>,
    /// The loop's head, when there is a loop.
    loop_span: Option<Span>,
    /// The element, when the loop's array is known.
    iteration: Option<Iteration>,
}

/// Most elements a loop is evaluated for one by one (ARM's limit on a copy loop); a longer array
/// is evaluated once, with the loop variables unknown.
pub(super) const MAX_LOOP_ELEMENTS: usize = 800;

/// Longest loop source text quoted in messages.
const MAX_SOURCE_TEXT: usize = 40;

/// The tree being built for one resource body.
struct Builder {
    tree: Tree,
    origins: Vec<Origin>,
    file: FileId,
}

/// Splits `'Type@version'`.
fn split_type(written: &str) -> (&str, &str) {
    written.split_once('@').unwrap_or((written, ""))
}

/// The head of a `[for …]`: from `[` to the `:`.
fn loop_head(for_expr: ForExpr<'_>) -> Span {
    let span = for_expr.span();
    match for_expr
        .syntax()
        .child_tokens()
        .find(|t| t.kind() == SyntaxKind::Colon)
    {
        Some(colon) => Span::new(span.start, colon.span().end),
        None => span,
    }
}

/// The head of an `if (…)`: from `if` to the closing parenthesis.
fn if_head(condition: IfCondition<'_>) -> Span {
    let span = condition.span();
    let end = condition
        .syntax()
        .child_of_kind(SyntaxKind::Parenthesized)
        .map(|p| p.span().end)
        .or_else(|| {
            condition
                .syntax()
                .child_tokens()
                .next()
                .map(|t| t.span().end)
        })
        .unwrap_or(span.end);
    Span::new(span.start, end)
}

/// From a declaration's keyword to the end of its type or path string.
fn head_span(declaration: Declaration<'_>, string: Option<Span>) -> Span {
    let whole = declaration.syntax().span();
    let keyword = declaration.keyword();
    let start = keyword.map_or(whole.start, |k| k.span().start);
    let end = string
        .map(|s| s.end)
        .or_else(|| declaration.name().map(|n| n.span().end))
        .or_else(|| keyword.map(|k| k.span().end))
        .unwrap_or(whole.end);
    Span::new(start, end.max(start))
}

/// The symbolic name a `parent:` property refers to.
fn parent_name(expr: Expr<'_>) -> Option<String> {
    let mut expr = expr;
    for _ in 0..8 {
        match expr {
            Expr::Variable(v) => return Some(v.name().to_owned()),
            Expr::ResourceAccess(access) => return access.name().map(str::to_owned),
            Expr::Index(index) => expr = index.base()?,
            Expr::Paren(paren) => expr = paren.inner()?,
            Expr::NonNull(assert) => expr = assert.base()?,
            _ => return None,
        }
    }
    None
}

impl<'a> Ev<'a> {
    /// Evaluates the resources and module calls of a template instance: a Bicep file, or an ARM
    /// JSON template (a JSON module, a registry module's cached template).
    pub(super) fn run_template(&mut self, inst: usize) {
        let file = self.instances[inst].file;
        self.reached[file as usize] = true;
        if let Some(root) = self.file(file).json.and_then(super::arm::template_object) {
            self.instances[inst].template = Some(root);
            self.arm_template(inst, root);
            return;
        }
        let Some(program) = self.file(file).program else {
            return;
        };
        let floor = std::mem::replace(&mut self.floor, self.locals.len());
        for declaration in program.declarations() {
            match declaration {
                Declaration::Resource(resource) => self.resource(inst, resource, None, 0),
                Declaration::Module(module) => self.module(inst, module),
                _ => {}
            }
        }
        self.locals.truncate(self.floor);
        self.floor = floor;
    }

    /// The passes of a resource or module value: one per element of a loop over an array known
    /// at lint time (none for a known empty array), else one, with the loop variables unknown
    /// when there is a loop.
    fn passes(&mut self, cx: Cx, value: Option<Node<'a>>) -> Vec<Pass<'a>> {
        let Some(for_expr) = value.and_then(ForExpr::cast) else {
            return vec![Pass {
                bindings: Vec::new(),
                value,
                loop_span: None,
                iteration: None,
            }];
        };
        let head = loop_head(for_expr);
        let loop_span = Some(head);
        let body = for_expr.body().map(|b| b.syntax());
        let names = [for_expr.item_name(), for_expr.index_name()];
        let source_expr = for_expr.source();
        let source = source_expr.map(|expr| self.eval(cx, expr));
        if let Some(items) = source.as_deref().and_then(Val::as_array)
            && items.len() <= MAX_LOOP_ELEMENTS
        {
            let written = source_expr.map_or_else(String::new, |e| e.syntax().text().to_owned());
            let source_text = shorten(&written);
            return items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let mut bindings = Vec::new();
                    if let Some(name) = names[0] {
                        bindings.push((name.text(), item.clone()));
                    }
                    if let Some(name) = names[1] {
                        let at = Loc {
                            file: cx.file,
                            span: name.span(),
                        };
                        bindings
                            .push((name.text(), Val::leaf(Kind::Int(index as i64), at, cx.what)));
                    }
                    Pass {
                        bindings,
                        value: body,
                        loop_span,
                        iteration: Some(Iteration {
                            source: source_text.clone(),
                            indices: vec![index],
                            count: items.len(),
                            name: element_name(item),
                        }),
                    }
                })
                .collect();
        }
        if let Some(items) = source.as_deref().and_then(Val::as_array) {
            let at = Loc {
                file: cx.file,
                span: head,
            };
            self.note(
                Some(at),
                format!(
                    "this loop runs over {} elements, more than the {MAX_LOOP_ELEMENTS} ARM deploys; it is evaluated once, with its loop variables unknown",
                    items.len()
                ),
            );
        }
        let bindings = names
            .into_iter()
            .flatten()
            .map(|name| {
                let what = self.what(format!("loop variable `{}`", name.text()));
                let at = Loc {
                    file: cx.file,
                    span: name.span(),
                };
                (name.text(), Val::unknown(at, what))
            })
            .collect();
        vec![Pass {
            bindings,
            value: body,
            loop_span,
            iteration: None,
        }]
    }

    /// Looks through a resource or module value's condition (in the pass's bindings); `None` when
    /// it deploys nothing (a condition known to be false).
    fn shape(&mut self, cx: Cx, value: Option<Node<'a>>) -> Option<Shape<'a>> {
        let mut value = value;
        let mut condition = None;
        if let Some(if_condition) = value.and_then(IfCondition::cast) {
            condition = Some(if_head(if_condition));
            if let Some(expr) = if_condition.condition()
                && self.eval(cx, expr).as_bool() == Some(false)
            {
                return None;
            }
            value = if_condition.body().map(|b| b.syntax());
        }
        Some(Shape {
            condition,
            body: value.and_then(ObjectExpr::cast),
        })
    }

    /// Evaluates a resource declaration (and the resources nested in it).
    fn resource(
        &mut self,
        inst: usize,
        decl: ResourceDecl<'a>,
        parent: Option<&Parent>,
        nesting: u32,
    ) {
        let file = self.instances[inst].file;
        let name = decl.name().map_or("", |t| t.text());
        let declaration_span = head_span(
            Declaration::Resource(decl),
            decl.type_literal().map(|t| t.span()),
        );
        let written = decl.type_string().unwrap_or_default();
        let (written_type, written_api) = split_type(&written);
        let (resource_type, api_version) = match parent {
            Some(p) if !written_type.contains('/') => (
                format!("{}/{}", p.resource_type, written_type),
                if written_api.is_empty() {
                    p.api_version.clone()
                } else {
                    written_api.to_owned()
                },
            ),
            _ => (written_type.to_owned(), written_api.to_owned()),
        };
        let what = self.what(format!("resource `{name}`"));
        let cx = Cx { inst, file, what };
        let mark = self.locals.len();
        for pass in self.passes(cx, decl.value()) {
            self.locals.truncate(mark);
            self.locals.extend(pass.bindings);
            let Some(shape) = self.shape(cx, pass.value) else {
                continue;
            };
            // A resource outside a loop of its own is an element of its parent's loop, or of
            // its module call's (whose head is in another file).
            let (iteration, loop_span) = match (pass.iteration, pass.loop_span, parent) {
                (None, None, Some(p)) => (p.iteration.clone(), p.loop_span),
                (None, None, None) => (self.instances[inst].iteration.clone(), None),
                (iteration, loop_span, _) => (iteration, loop_span),
            };
            let body = match shape.body {
                Some(object) => self.eval(cx, Expr::Object(object)),
                None => self.unknown(
                    cx,
                    Loc {
                        file,
                        span: declaration_span,
                    },
                ),
            };
            let (tree, root, origins) = self.body_tree(file, &body);
            let explicit_parent = shape
                .body
                .and_then(|b| b.get("parent"))
                .and_then(ObjectProperty::value)
                .and_then(parent_name);
            let via = self.via_locations(inst);
            let resource = AzureResource {
                file: self.file(file).source.clone(),
                symbolic_name: name.to_owned(),
                resource_type: resource_type.clone(),
                api_version: api_version.clone(),
                declaration_span: core_span(declaration_span),
                existing: decl.is_existing(),
                condition: shape.condition.map(core_span),
                loop_span: loop_span.map(core_span),
                iteration: iteration.clone(),
                parent: explicit_parent.or_else(|| parent.map(|p| p.name.clone())),
                body: tree,
                root,
                origins,
                via,
            };
            self.emit(resource, inst);
            if let Some(body) = shape.body {
                let children: Vec<ResourceDecl<'a>> = body.resources().collect();
                if nesting >= MAX_RESOURCE_NESTING && !children.is_empty() {
                    self.note(
                        Some(Loc {
                            file,
                            span: declaration_span,
                        }),
                        format!("resources nested deeper than {MAX_RESOURCE_NESTING} levels are not evaluated"),
                    );
                } else {
                    let me = Parent {
                        name: name.to_owned(),
                        resource_type: resource_type.clone(),
                        api_version: api_version.clone(),
                        iteration,
                        loop_span,
                    };
                    for child in children {
                        self.resource(inst, child, Some(&me), nesting + 1);
                    }
                }
            }
        }
        self.locals.truncate(mark);
    }

    /// Evaluates a module call: the module file's resources with the call's arguments.
    fn module(&mut self, inst: usize, decl: ModuleDecl<'a>) {
        let file = self.instances[inst].file;
        let name = decl.name().map_or("", |t| t.text());
        let head = Loc {
            file,
            span: head_span(Declaration::Module(decl), decl.path().map(|p| p.span())),
        };
        let what = self.what(format!("module `{name}`"));
        let cx = Cx { inst, file, what };
        let mark = self.locals.len();
        for pass in self.passes(cx, decl.value()) {
            self.locals.truncate(mark);
            self.locals.extend(pass.bindings);
            let Some(shape) = self.shape(cx, pass.value) else {
                continue;
            };
            let Some(target) = self.module_target(inst, name, decl, head) else {
                break;
            };
            let provided = self.module_args(cx, name, shape.body, head);
            self.bind(&provided, target, Some(name));
            let mut via = self.instances[inst].via.clone();
            via.push((file, head.span));
            let mut chain = self.instances[inst].chain.clone();
            chain.push(target);
            let child = self.new_instance(target, provided, via, chain);
            // The module's resources are elements of this call's loop, or of the loop that
            // instantiated the caller.
            self.instances[child].iteration = pass
                .iteration
                .or_else(|| self.instances[inst].iteration.clone());
            self.run_template(child);
        }
        self.locals.truncate(mark);
    }

    /// The file a module call evaluates, or `None` (with a note) when it cannot be evaluated.
    fn module_target(
        &mut self,
        inst: usize,
        name: &str,
        decl: ModuleDecl<'a>,
        head: Loc,
    ) -> Option<FileId> {
        let target = self
            .file(head.file)
            .targets
            .get(&decl.syntax().span().start)
            .cloned()?;
        let message = match target {
            Target::File(t)
                if self.file(t).kind != SourceKind::Bicep && self.file(t).json.is_none() =>
            {
                format!(
                    "module `{name}`: {} is not a Bicep or ARM JSON file; its resources are not evaluated",
                    self.file(t).name
                )
            }
            Target::File(t) if self.instances[inst].chain.contains(&t) => format!(
                "module `{name}` calls {}, which is already being evaluated (a cycle); not evaluated again",
                self.file(t).name
            ),
            Target::File(_) if self.instances[inst].chain.len() >= MAX_MODULE_DEPTH => format!(
                "module `{name}` is nested deeper than {MAX_MODULE_DEPTH} module calls; its resources are not evaluated"
            ),
            Target::File(_) if self.budget.instances == 0 => {
                self.budget.exhaust(head, Limit::Instances);
                return None;
            }
            Target::File(t) => return Some(t),
            Target::Registry(path, why) => format!(
                "module `{name}` comes from a registry (`{path}`) and is not evaluated: {why}"
            ),
            Target::Unresolved(path) => {
                format!(
                    "module `{name}`: `{path}` could not be read; its resources are not evaluated"
                )
            }
        };
        self.note(Some(head), message);
        None
    }

    /// The parameter values a module call gives: its `params` object, each argument evaluated in the caller.
    fn module_args(
        &mut self,
        cx: Cx,
        module: &str,
        body: Option<ObjectExpr<'a>>,
        head: Loc,
    ) -> Provided {
        let mut provided = Provided {
            complete: true,
            ..Provided::default()
        };
        let caller = self.file(cx.file).name.clone();
        let Some(body) = body else {
            provided.open = Some(self.unknown(cx, head));
            return provided;
        };
        let Some(params) = body.get("params") else {
            return provided;
        };
        let all_what = self.what(format!("the arguments of module `{module}` in {caller}"));
        let all_cx = Cx {
            what: all_what,
            ..cx
        };
        let Some(Expr::Object(object)) = params.value() else {
            let span = params.value_span().unwrap_or(params.span());
            let value = self.eval_or_unknown(all_cx, params.value(), span);
            let mut builder = ObjectBuilder::default();
            spread_into(&mut builder, &value);
            apply_args(&mut provided, builder);
            return provided;
        };
        let mut builder = ObjectBuilder::default();
        for node in object.syntax().child_nodes() {
            match node.kind() {
                SyntaxKind::ObjectProperty => {
                    let Some(property) = ObjectProperty::cast(node) else {
                        continue;
                    };
                    let Some(key) = property.key() else { continue };
                    let what =
                        self.what(format!("argument `{key}` of module `{module}` in {caller}"));
                    let span = property.value_span().unwrap_or(property.span());
                    let value = self.eval_or_unknown(Cx { what, ..cx }, property.value(), span);
                    builder.set(super::value::Ent {
                        key: Some(key.as_ref().into()),
                        key_src: Loc {
                            file: cx.file,
                            span: property.key_span(),
                        },
                        key_what: what,
                        value,
                    });
                }
                SyntaxKind::Spread => {
                    let value = self.eval_or_unknown(
                        all_cx,
                        node.child_nodes().find_map(Expr::cast),
                        node.span(),
                    );
                    spread_into(&mut builder, &value);
                }
                _ => {}
            }
        }
        apply_args(&mut provided, builder);
        provided
    }

    /// The module calls (or nested deployments) that made an instance, outermost first.
    pub(super) fn via_locations(&self, inst: usize) -> Vec<Location> {
        self.instances[inst]
            .via
            .iter()
            .map(|&(f, span)| Location {
                file: self.file(f).source.clone(),
                span: core_span(span),
            })
            .collect()
    }

    /// The tree of a resource body evaluated in `file`, its root, and the origins of its nodes
    /// (sorted by node).
    pub(super) fn body_tree(&mut self, file: FileId, body: &V) -> (Tree, NodeId, Vec<Origin>) {
        let mut builder = Builder {
            tree: Tree::new(),
            origins: Vec::new(),
            file,
        };
        let root = self.materialise(&mut builder, body, body.at.span, false);
        builder.origins.sort_by_key(|o| o.node);
        // The body lives as long as the project stage: no spare room.
        builder.tree.shrink_to_fit();
        builder.origins.shrink_to_fit();
        (builder.tree, root, builder.origins)
    }

    /// Builds the tree node of a value. A value produced by an expression inside the resource body (`anchor`
    /// holds it) keeps that expression's span; one that came from elsewhere (a variable, a parameter, another
    /// file) takes the span of the body expression that referred to it, and so does everything under it.
    /// A node whose value was written outside its span gets an origin.
    fn materialise(&mut self, b: &mut Builder, value: &V, anchor: Span, foreign: bool) -> NodeId {
        let here = Loc {
            file: b.file,
            span: anchor,
        };
        let own = !foreign && here.contains(value.at);
        let span = if own { value.at.span } else { anchor };
        let foreign = !own;
        let core = core_span(span);
        let node = if self.budget.nodes == 0 {
            self.budget.exhaust(here, Limit::Nodes);
            b.tree.push(NodeKind::Unknown, core)
        } else {
            self.budget.nodes -= 1;
            match &value.kind {
                Kind::Unknown => b.tree.push(NodeKind::Unknown, core),
                Kind::Null => b
                    .tree
                    .push(scalar("null", ScalarStyle::Plain, Some("null")), core),
                Kind::Bool(x) => b.tree.push(
                    scalar(&x.to_string(), ScalarStyle::Plain, Some("bool")),
                    core,
                ),
                Kind::Int(n) => b.tree.push(
                    scalar(&n.to_string(), ScalarStyle::Plain, Some("int")),
                    core,
                ),
                Kind::Str(text, multiline) => {
                    let style = if *multiline {
                        ScalarStyle::Literal
                    } else {
                        ScalarStyle::SingleQuoted
                    };
                    b.tree.push(scalar(text, style, None), core)
                }
                Kind::Array(items) => {
                    let id = b.tree.push(NodeKind::Sequence(Vec::new()), core);
                    let children = items
                        .iter()
                        .map(|item| self.materialise(b, item, span, foreign))
                        .collect();
                    b.tree.node_mut(id).kind = NodeKind::Sequence(children);
                    id
                }
                Kind::Object(entries) => {
                    let id = b.tree.push(NodeKind::Mapping(Vec::new()), core);
                    let mut out = Vec::with_capacity(entries.len());
                    for entry in entries.iter() {
                        let mapping = Loc { file: b.file, span };
                        let key_own = !foreign && mapping.contains(entry.key_src);
                        let key_span = if key_own { entry.key_src.span } else { span };
                        let key_kind = match &entry.key {
                            Some(key) => scalar(key, ScalarStyle::SingleQuoted, None),
                            None => NodeKind::Unknown,
                        };
                        let key = b.tree.push(key_kind, core_span(key_span));
                        self.origin(b, key, key_span, entry.key_src, entry.key_what);
                        let value = self.materialise(b, &entry.value, span, foreign);
                        out.push(akslint_core::Entry { key, value });
                    }
                    b.tree.node_mut(id).kind = NodeKind::Mapping(out);
                    id
                }
            }
        };
        self.origin(b, node, span, value.src, value.what);
        node
    }

    /// Records where a node's value was written, when that is outside the node's span.
    fn origin(&self, b: &mut Builder, node: NodeId, span: Span, src: Loc, what: u32) {
        let here = Loc { file: b.file, span };
        if here.contains(src) {
            return;
        }
        b.origins.push(Origin {
            node,
            location: self.location(src),
            what: self.what_shared(what),
        });
    }
}

/// A loop's array as written, shortened for messages.
pub(super) fn shorten(written: &str) -> String {
    let one_line: String = written.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_SOURCE_TEXT {
        return one_line;
    }
    let kept: String = one_line.chars().take(MAX_SOURCE_TEXT - 1).collect();
    format!("{kept}…")
}

/// A loop element's `name`, when it is an object with a known string `name`.
fn element_name(item: &V) -> Option<String> {
    let entries = item.as_object()?;
    match super::value::lookup(entries, "name") {
        super::value::Lookup::Found(name) => name.as_str().map(str::to_owned),
        _ => None,
    }
}

/// A scalar node.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> NodeKind {
    NodeKind::Scalar(Scalar::new(text.to_owned(), style, tag))
}

/// Turns module arguments built as an object into parameter values: known keys become values; an unknown
/// entry (an unknown spread) stands for every parameter not given after it.
fn apply_args(provided: &mut Provided, builder: ObjectBuilder) {
    let mut values: BTreeMap<String, V> = BTreeMap::new();
    for entry in builder.entries {
        match entry.key {
            Some(key) => {
                values.insert(key.to_string(), entry.value);
            }
            None => provided.open = Some(entry.value),
        }
    }
    provided.values = values;
}
