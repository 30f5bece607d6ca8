//! The declarations of an ARM JSON template or parameter file, the facts the secret rules read
//! besides resources (see [`akslint_core::BicepFile`]), and the values parameter files and nested
//! deployments give to template parameters ([`akslint_core::ParamBinding`]).
//!
//! - Parameters: a `type` of `securestring` or `secureObject` is secure (Bicep's `@secure()`),
//!   `allowedValues` makes the parameter enumerated (Bicep's `@allowed`); the declared type is
//!   named as Bicep names it (`string`, `object`, `int`, `bool`, `array`).
//! - Outputs: secure by their type; what they give away is found as on the Bicep side: `list*()`
//!   calls (`listKeys(…)`, `listCredentials(…)`) and `parameters('x')` of a secure parameter, in
//!   the value or in the variables it refers to; tests of a value (`empty`, `equals`, …) give
//!   away a boolean.
//! - String literals: every JSON string that is not an expression, and the `'…'` strings inside
//!   expressions (with no key, as the arguments of a Bicep function call; the names given to
//!   `parameters()` and `variables()` are references, not literals). The site is where the string
//!   is written: a parameter's `defaultValue`, a parameter file's `parameters.X`, a nested
//!   deployment's `properties.parameters.X`, a resource, a variable, an output; anything else
//!   (user-defined functions) is [`Site::Other`]. The key is the object key, or for the `value`
//!   of a `{name: X, value: …}` pair the name `X`, or the parameter, variable or output whose value
//!   it is.
//!
//! The inline templates of nested deployments are read as part of their file: their parameters
//! and outputs are the file's too.

use std::collections::HashSet;
use std::sync::Arc;

use akslint_arm::expression::{self, Expr, ExprKind, StringValue};
use akslint_core::{
    BicepFile, BoundString, Leak, LeakKind, Location, NodeId, NodeKind, Output, ParamBinding,
    Parameter, ScalarType, Site, Span, StringLiteral, Tree,
};

use super::arm::{NOT_BODY, Schema, object_get, schema};
use super::declarations::{HOLE, MAX_OUTPUT_VARIABLES, is_list_function, is_test};
use super::project::FileInfo;
use super::resources::shorten;
use super::value::FileId;
use super::{Ev, Provided};

/// Functions whose result is a boolean made from their arguments: an output that returns one
/// gives away a comparison, not the value compared.
const BOOLEAN_FUNCTIONS: &[&str] = &[
    "equals",
    "less",
    "lessOrEquals",
    "greater",
    "greaterOrEquals",
    "not",
    "and",
    "or",
];

/// Functions whose string argument is the name of a declaration, not a literal value.
const NAME_FUNCTIONS: &[&str] = &["parameters", "variables"];

/// The declarations of an ARM JSON template or parameter file (`None` for other files).
pub(crate) fn of(info: &FileInfo<'_>) -> Option<BicepFile> {
    let document = info.json?;
    let root = document.root?;
    let mut reader = Reader {
        tree: &document.tree,
        text: info.source.text(),
        walker: Walker::default(),
        params: Vec::new(),
        outputs: Vec::new(),
    };
    match schema(document)? {
        Schema::Parameters => reader.parameter_file(root),
        Schema::Template => reader.templates(root),
    }
    let Reader {
        walker,
        params,
        outputs,
        ..
    } = reader;
    Some(BicepFile {
        file: info.source.clone(),
        params,
        outputs,
        strings: walker.finish(),
    })
}

/// What a parameter's or output's `type` says: the type as Bicep names it, and whether it is
/// secure.
fn declared_type(written: &str) -> (String, bool) {
    let lower = written.to_ascii_lowercase();
    match lower.as_str() {
        "securestring" => ("string".to_owned(), true),
        "secureobject" => ("object".to_owned(), true),
        "string" | "object" | "int" | "bool" | "array" => (lower, false),
        _ => (written.to_owned(), false),
    }
}

/// The `type` of a parameter or output declaration, as written.
fn written_type(tree: &Tree, declaration: NodeId) -> &str {
    object_get(tree, declaration, "type")
        .and_then(|t| tree.str(t.value))
        .unwrap_or_default()
}

/// The span of a JSON string's text without its quotes, when the file holds the text byte for
/// byte; else the whole string.
fn text_span(source: &str, tree: &Tree, node: NodeId) -> Span {
    let whole = tree.span(node);
    let inside = Span::new(
        whole.start as usize + 1,
        (whole.end as usize)
            .saturating_sub(1)
            .max(whole.start as usize + 1),
    );
    match (
        tree.str(node),
        source.get(inside.start as usize..inside.end as usize),
    ) {
        (Some(text), Some(raw)) if raw == text => inside,
        _ => whole,
    }
}

/// Reads one ARM file's declarations.
struct Reader<'t> {
    tree: &'t Tree,
    text: &'t str,
    walker: Walker<'t>,
    params: Vec<Parameter>,
    outputs: Vec<Output>,
}

impl<'t> Reader<'t> {
    /// A parameter file: each `parameters.X.value` is the value of `X`; a Key Vault `reference`
    /// is walked too (its strings are references, judged by their keys).
    fn parameter_file(&mut self, root: NodeId) {
        let tree = self.tree;
        let Some(parameters) = object_get(tree, root, "parameters") else {
            return;
        };
        self.given_values(parameters.value, |name| Site::ParamFile {
            name: name.to_owned(),
        });
    }

    /// The values an object of `{X: {value: …}}` entries (a parameter file's or a nested
    /// deployment's `parameters`) gives: each `value` is the value of `X`, the other properties
    /// (a Key Vault `reference`) are walked with their keys, all in the site `site_of(X)`.
    fn given_values(&mut self, values: NodeId, site_of: impl Fn(&str) -> Site) {
        let tree = self.tree;
        for entry in tree.entries(values) {
            let Some(name) = tree.str(entry.key) else {
                continue;
            };
            let site = site_of(name);
            for inner in tree.entries(entry.value) {
                let key = match tree.str(inner.key) {
                    Some(key) if key.eq_ignore_ascii_case("value") => Some(name),
                    key => key,
                };
                self.walker
                    .walk(tree, self.text, inner.value, key, site.clone());
            }
        }
    }

    /// The template at `root` and the inline templates of its nested deployments.
    fn templates(&mut self, root: NodeId) {
        let mut pending = vec![root];
        while let Some(template) = pending.pop() {
            self.template(template, &mut pending);
        }
    }

    /// One template object: its parameters, variables, resources, outputs and functions; the
    /// inline templates of its nested deployments go to `pending`.
    fn template(&mut self, template: NodeId, pending: &mut Vec<NodeId>) {
        let tree = self.tree;
        let section = |name: &str| object_get(tree, template, name).map(|e| e.value);
        if let Some(parameters) = section("parameters") {
            self.parameters(parameters);
        }
        if let Some(variables) = section("variables") {
            self.variables(variables);
        }
        if let Some(resources) = section("resources") {
            self.resources(resources, pending);
        }
        if let Some(outputs) = section("outputs") {
            self.outputs(template, outputs);
        }
        if let Some(functions) = section("functions") {
            self.walker
                .walk(tree, self.text, functions, None, Site::Other);
        }
    }

    /// The `parameters` section: each declaration, and its `defaultValue`.
    fn parameters(&mut self, parameters: NodeId) {
        let tree = self.tree;
        for entry in tree.entries(parameters) {
            let Some(name) = tree.str(entry.key) else {
                continue;
            };
            let (declared_type, secure) = declared_type(written_type(tree, entry.value));
            self.params.push(Parameter {
                name: name.to_owned(),
                name_span: text_span(self.text, tree, entry.key),
                start: tree.span(entry.key),
                secure,
                enumerated: object_get(tree, entry.value, "allowedValues").is_some(),
                declared_type,
            });
            if let Some(default) = object_get(tree, entry.value, "defaultValue") {
                let site = Site::ParamDefault {
                    param: name.to_owned(),
                };
                self.walker
                    .walk(tree, self.text, default.value, Some(name), site);
            }
        }
    }

    /// The `variables` section; a variable copy loop (`copy: [{name, count, input}]`) is the
    /// variable `name`, its value the `input`.
    fn variables(&mut self, variables: NodeId) {
        let tree = self.tree;
        for entry in tree.entries(variables) {
            let Some(name) = tree.str(entry.key) else {
                continue;
            };
            if name.eq_ignore_ascii_case("copy") && tree.is_sequence(entry.value) {
                for &copy in tree.items(entry.value) {
                    let loop_name = object_get(tree, copy, "name").and_then(|n| tree.str(n.value));
                    if let (Some(loop_name), Some(input)) =
                        (loop_name, object_get(tree, copy, "input"))
                    {
                        let site = Site::Variable {
                            name: loop_name.to_owned(),
                        };
                        self.walker
                            .walk(tree, self.text, input.value, Some(loop_name), site);
                    }
                }
                continue;
            }
            let site = Site::Variable {
                name: name.to_owned(),
            };
            self.walker
                .walk(tree, self.text, entry.value, Some(name), site);
        }
    }

    /// A `resources` array (or object of symbolic names) and the resources nested in them: each
    /// resource's body is its site; a nested deployment's `parameters` are its arguments and its
    /// inline `template` goes to `pending`.
    fn resources(&mut self, resources: NodeId, pending: &mut Vec<NodeId>) {
        let tree = self.tree;
        let mut lists: Vec<(NodeId, Option<String>)> = vec![(resources, None)];
        while let Some((list, parent_type)) = lists.pop() {
            let members: Vec<(Option<&str>, NodeId)> = match &tree.node(list).kind {
                NodeKind::Sequence(items) => items.iter().map(|&i| (None, i)).collect(),
                NodeKind::Mapping(entries) => {
                    entries.iter().map(|e| (tree.str(e.key), e.value)).collect()
                }
                _ => Vec::new(),
            };
            for (symbolic, resource) in members {
                if !tree.is_mapping(resource) {
                    continue;
                }
                let written = object_get(tree, resource, "type")
                    .and_then(|t| tree.str(t.value))
                    .unwrap_or_default();
                let resource_type = match &parent_type {
                    Some(parent) if !written.contains('/') => format!("{parent}/{written}"),
                    _ => written.to_owned(),
                };
                let name = symbolic.map_or_else(
                    || {
                        object_get(tree, resource, "name")
                            .and_then(|n| tree.str(n.value))
                            .map(shorten)
                            .unwrap_or_default()
                    },
                    str::to_owned,
                );
                let deployment =
                    resource_type.eq_ignore_ascii_case("Microsoft.Resources/deployments");
                let site = Site::Resource {
                    name: name.clone(),
                    resource_type: resource_type.clone(),
                };
                for entry in tree.entries(resource) {
                    let Some(key) = tree.str(entry.key) else {
                        continue;
                    };
                    if key.eq_ignore_ascii_case("resources") {
                        lists.push((entry.value, Some(resource_type.clone())));
                    } else if NOT_BODY.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                        continue;
                    } else if deployment && key.eq_ignore_ascii_case("properties") {
                        self.deployment_properties(&name, entry.value, &site, pending);
                    } else {
                        self.walker
                            .walk(tree, self.text, entry.value, Some(key), site.clone());
                    }
                }
            }
        }
    }

    /// The `properties` of a nested deployment `module`: `parameters.X.value` is the argument
    /// `X`, an inline `template` is read as a template, the rest is the resource's body.
    fn deployment_properties(
        &mut self,
        module: &str,
        properties: NodeId,
        site: &Site,
        pending: &mut Vec<NodeId>,
    ) {
        let tree = self.tree;
        for entry in tree.entries(properties) {
            let Some(key) = tree.str(entry.key) else {
                continue;
            };
            if key.eq_ignore_ascii_case("template") && tree.is_mapping(entry.value) {
                pending.push(entry.value);
            } else if key.eq_ignore_ascii_case("parameters") && tree.is_mapping(entry.value) {
                self.given_values(entry.value, |argument| Site::ModuleArgument {
                    module: module.to_owned(),
                    argument: argument.to_owned(),
                });
            } else {
                self.walker
                    .walk(tree, self.text, entry.value, Some(key), site.clone());
            }
        }
    }

    /// The `outputs` section of `template`: each declaration with what it gives away, and the
    /// strings of its `value` (or of its `copy` loop's `input`).
    fn outputs(&mut self, template: NodeId, outputs: NodeId) {
        let tree = self.tree;
        for entry in tree.entries(outputs) {
            let Some(name) = tree.str(entry.key) else {
                continue;
            };
            let (declared_type, secure) = declared_type(written_type(tree, entry.value));
            let value = object_get(tree, entry.value, "value")
                .or_else(|| {
                    object_get(tree, entry.value, "copy")
                        .and_then(|c| object_get(tree, c.value, "input"))
                })
                .map(|v| v.value);
            let finder = LeakFinder {
                tree,
                text: self.text,
                template,
            };
            self.outputs.push(Output {
                name: name.to_owned(),
                name_span: text_span(self.text, tree, entry.key),
                secure,
                declared_type,
                value_reference: value.and_then(|v| value_reference(tree, v)),
                leaks: value.map(|v| finder.leaks(v)).unwrap_or_default(),
            });
            if let Some(value) = value {
                let site = Site::Output {
                    name: name.to_owned(),
                };
                self.walker.walk(tree, self.text, value, Some(name), site);
            }
        }
    }
}

/// The parameter or variable an output's value is, when the value is just
/// `[parameters('x')]` or `[variables('x')]`.
fn value_reference(tree: &Tree, value: NodeId) -> Option<String> {
    let Ok(StringValue::Expression(expr)) = expression::classify(tree.str(value)?) else {
        return None;
    };
    match &expr.kind {
        ExprKind::Call {
            namespace: None,
            name,
            arguments,
        } if NAME_FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(name)) => {
            match arguments.as_slice() {
                [
                    Expr {
                        kind: ExprKind::String(reference),
                        ..
                    },
                ] => Some(reference.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The text of a `format()` template with each placeholder (`{0}`, `{1:N2}`) written as a hole
/// (`${…}`, as [`StringLiteral::text`] writes the holes of an interpolated string) and `{{`, `}}`
/// as the braces they stand for.
fn with_holes(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let Some(end) = tail.find('}').filter(|_| tail.starts_with('{')) {
            out.push_str(HOLE);
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Where the text of an expression lies in the file.
#[derive(Clone, Copy)]
struct ExpressionText {
    /// The JSON string that holds the expression, quotes included.
    whole: Span,
    /// Where the string's decoded text starts in the file, when the file holds it byte for byte.
    verbatim: Option<usize>,
}

impl ExpressionText {
    /// The JSON string `node` of `source`.
    fn of(source: &str, tree: &Tree, node: NodeId) -> ExpressionText {
        let whole = tree.span(node);
        let text = text_span(source, tree, node);
        ExpressionText {
            whole,
            verbatim: (text != whole).then_some(text.start as usize),
        }
    }

    /// The span of part of the expression (`span` in the decoded text) in the file: exact when
    /// the file holds the text verbatim, else the whole string.
    fn span(self, span: Span) -> Span {
        match self.verbatim {
            Some(start) => Span::new(start + span.start as usize, start + span.end as usize),
            None => self.whole,
        }
    }
}

/// Walks JSON values for their string literals, without recursion.
#[derive(Default)]
struct Walker<'t> {
    /// Nodes to visit, with the name they are the value of and the index of their site.
    pending: Vec<(NodeId, Option<&'t str>, usize)>,
    /// The sites seen.
    sites: Vec<Arc<Site>>,
    /// The literals found.
    strings: Vec<StringLiteral>,
}

impl<'t> Walker<'t> {
    /// Walks the value at `node`, written in `site`, the value of `key`.
    fn walk(
        &mut self,
        tree: &'t Tree,
        source: &str,
        node: NodeId,
        key: Option<&'t str>,
        site: Site,
    ) {
        self.sites.push(Arc::new(site));
        self.pending.push((node, key, self.sites.len() - 1));
        while let Some((node, key, site)) = self.pending.pop() {
            match &tree.node(node).kind {
                NodeKind::Scalar(scalar) if scalar.ty == ScalarType::String => {
                    self.string(tree, source, node, key, site);
                }
                NodeKind::Sequence(items) => {
                    for &item in items.iter().rev() {
                        self.pending.push((item, key, site));
                    }
                }
                NodeKind::Mapping(_) => self.object(tree, node, site),
                _ => {}
            }
        }
    }

    /// Queues an object's values: each the value of its key; the `value` (or `secureValue`) of
    /// a `{name: X, value: …}` pair the value of `X`; the `input` of a property copy loop
    /// (`copy: [{name, count, input}]`) the value of the loop's `name`.
    fn object(&mut self, tree: &'t Tree, object: NodeId, site: usize) {
        let pair_name = object_get(tree, object, "name").and_then(|n| tree.str(n.value));
        for entry in tree.entries(object).iter().rev() {
            let Some(key) = tree.str(entry.key) else {
                continue;
            };
            if key.eq_ignore_ascii_case("copy") && tree.is_sequence(entry.value) {
                for &copy in tree.items(entry.value).iter().rev() {
                    let loop_name = object_get(tree, copy, "name").and_then(|n| tree.str(n.value));
                    match object_get(tree, copy, "input") {
                        Some(input) => self.pending.push((input.value, loop_name, site)),
                        None => self.pending.push((copy, None, site)),
                    }
                }
                continue;
            }
            let pair = key.eq_ignore_ascii_case("value") || key.eq_ignore_ascii_case("secureValue");
            let key = match pair_name {
                Some(name) if pair => name,
                _ => key,
            };
            self.pending.push((entry.value, Some(key), site));
        }
    }

    /// Records a JSON string: a literal, or the string literals inside the expression it holds.
    fn string(&mut self, tree: &Tree, source: &str, node: NodeId, key: Option<&str>, site: usize) {
        let Some(text) = tree.str(node) else {
            return;
        };
        let span = tree.span(node);
        let located = ExpressionText::of(source, tree, node);
        match expression::classify(text) {
            Ok(StringValue::Literal(literal)) => {
                // `[[…` is written for a literal that starts with `[`: the text starts one
                // byte in.
                let skipped = text.len() - literal.len();
                self.strings.push(StringLiteral {
                    span,
                    verbatim_at: located.verbatim.map(|start| start + skipped),
                    text: literal,
                    site: self.sites[site].clone(),
                    key: key.map(str::to_owned),
                });
            }
            Ok(StringValue::Expression(expr)) => self.expression(source, located, &expr, site),
            Err(_) => {}
        }
    }

    /// Records the string literals of an expression (none for the names given to
    /// `parameters()` and `variables()`): arguments, with no key. The template of a `format()`
    /// call has its `{0}` placeholders written as holes, as an interpolated Bicep string has.
    fn expression(&mut self, source: &str, located: ExpressionText, expr: &Expr, site: usize) {
        let mut pending = vec![(expr, false)];
        while let Some((expr, format_template)) = pending.pop() {
            match &expr.kind {
                ExprKind::String(text) => {
                    let span = located.span(expr.span);
                    let text_start = span.start as usize + 1;
                    let text = if format_template {
                        with_holes(text)
                    } else {
                        text.clone()
                    };
                    let verbatim = located.verbatim.is_some()
                        && source.get(text_start..text_start + text.len()) == Some(text.as_str());
                    self.strings.push(StringLiteral {
                        span,
                        verbatim_at: verbatim.then_some(text_start),
                        text,
                        site: self.sites[site].clone(),
                        key: None,
                    });
                }
                ExprKind::Int(_) => {}
                ExprKind::Call {
                    namespace: None,
                    name,
                    ..
                } if NAME_FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(name)) => {}
                ExprKind::Call {
                    namespace,
                    name,
                    arguments,
                } => {
                    let format = namespace.is_none() && name.eq_ignore_ascii_case("format");
                    for (index, argument) in arguments.iter().enumerate().rev() {
                        pending.push((argument, format && index == 0));
                    }
                }
                ExprKind::Property { base, .. } => pending.push((base, false)),
                ExprKind::Index { base, index } => {
                    pending.push((index, false));
                    pending.push((base, false));
                }
            }
        }
    }

    /// The literals found, in source order.
    fn finish(self) -> Vec<StringLiteral> {
        let mut strings = self.strings;
        strings.sort_by_key(|s| (s.span.start, s.span.end));
        strings.shrink_to_fit();
        strings
    }
}

/// Finds what an output's value gives away.
struct LeakFinder<'t> {
    tree: &'t Tree,
    text: &'t str,
    /// The template the output is declared in (its parameters and variables).
    template: NodeId,
}

impl LeakFinder<'_> {
    /// What the value at `value` gives away: `list*()` calls and secure parameters, in the value
    /// or in the variables it refers to (followed once each).
    fn leaks(&self, value: NodeId) -> Vec<Leak> {
        let tree = self.tree;
        let mut out = Vec::new();
        let mut nodes = vec![value];
        let mut followed: HashSet<String> = HashSet::new();
        while let Some(node) = nodes.pop() {
            match &tree.node(node).kind {
                NodeKind::Scalar(scalar) if scalar.ty == ScalarType::String => {
                    if let Ok(StringValue::Expression(expr)) = expression::classify(&scalar.text) {
                        let located = ExpressionText::of(self.text, tree, node);
                        self.expression(&expr, located, &mut out, &mut nodes, &mut followed);
                    }
                }
                NodeKind::Sequence(items) => nodes.extend(items.iter().copied()),
                NodeKind::Mapping(entries) => nodes.extend(entries.iter().map(|e| e.value)),
                _ => {}
            }
        }
        out.sort_by_key(|l| (l.span.start, l.span.end));
        out.dedup();
        out
    }

    /// The leaks of one expression; the values of the variables it refers to go to `nodes`.
    fn expression(
        &self,
        expr: &Expr,
        located: ExpressionText,
        out: &mut Vec<Leak>,
        nodes: &mut Vec<NodeId>,
        followed: &mut HashSet<String>,
    ) {
        let mut pending = vec![expr];
        while let Some(expr) = pending.pop() {
            match &expr.kind {
                ExprKind::Call {
                    namespace: None,
                    name,
                    arguments,
                } => {
                    let named = |list: &[&str]| list.iter().any(|f| f.eq_ignore_ascii_case(name));
                    if is_test(name) || named(BOOLEAN_FUNCTIONS) {
                        continue;
                    }
                    if name.eq_ignore_ascii_case("if") {
                        pending.extend(arguments.iter().skip(1));
                        continue;
                    }
                    let reference = match arguments.as_slice() {
                        [
                            Expr {
                                kind: ExprKind::String(reference),
                                ..
                            },
                        ] => Some(reference.as_str()),
                        _ => None,
                    };
                    if is_list_function(name) {
                        out.push(Leak {
                            span: located.span(expr.span),
                            kind: LeakKind::ListFunction(name.clone()),
                        });
                    } else if name.eq_ignore_ascii_case("parameters") {
                        if let Some(declared) = reference.and_then(|r| self.secure_parameter(r)) {
                            out.push(Leak {
                                span: located.span(expr.span),
                                kind: LeakKind::SecureParameter(declared.to_owned()),
                            });
                        }
                        continue;
                    } else if name.eq_ignore_ascii_case("variables") {
                        if let Some(reference) = reference
                            && followed.len() < MAX_OUTPUT_VARIABLES
                            && followed.insert(reference.to_ascii_lowercase())
                            && let Some(variable) = self.variable(reference)
                        {
                            nodes.push(variable);
                        }
                        continue;
                    }
                    pending.extend(arguments.iter());
                }
                ExprKind::Call { arguments, .. } => pending.extend(arguments.iter()),
                ExprKind::Property { base, .. } => pending.push(base),
                ExprKind::Index { base, index } => {
                    pending.push(base);
                    pending.push(index);
                }
                ExprKind::String(_) | ExprKind::Int(_) => {}
            }
        }
    }

    /// The declared name of the template's parameter `name` when it is secure.
    fn secure_parameter(&self, name: &str) -> Option<&str> {
        let tree = self.tree;
        let parameters = object_get(tree, self.template, "parameters")?;
        let entry = object_get(tree, parameters.value, name)?;
        declared_type(written_type(tree, entry.value))
            .1
            .then(|| tree.str(entry.key))
            .flatten()
    }

    /// The value of the template's variable `name` (or the `input` of the variable copy loop
    /// of that name).
    fn variable(&self, name: &str) -> Option<NodeId> {
        let tree = self.tree;
        let variables = object_get(tree, self.template, "variables")?;
        if let Some(entry) = object_get(tree, variables.value, name)
            && !name.eq_ignore_ascii_case("copy")
        {
            return Some(entry.value);
        }
        let copies = object_get(tree, variables.value, "copy")?;
        tree.items(copies.value).iter().find_map(|&copy| {
            let loop_name = object_get(tree, copy, "name").and_then(|n| tree.str(n.value))?;
            loop_name
                .eq_ignore_ascii_case(name)
                .then(|| object_get(tree, copy, "input").map(|i| i.value))
                .flatten()
        })
    }
}

impl Ev<'_> {
    /// Records the values given to the parameters of the template object `template` of `file`,
    /// by a parameter file (`module` is `None`) or by the nested deployment `module`.
    pub(super) fn bind_arm(
        &mut self,
        provided: &Provided,
        file: FileId,
        template: NodeId,
        module: Option<&str>,
    ) {
        let target = self.file(file);
        let Some(document) = target.json else {
            return;
        };
        let tree = &document.tree;
        let Some(declarations) = object_get(tree, template, "parameters") else {
            return;
        };
        for (name, value) in &provided.values {
            let Some(entry) = object_get(tree, declarations.value, name) else {
                continue;
            };
            let (_, secure) = declared_type(written_type(tree, entry.value));
            let binding = ParamBinding {
                argument: self.location(value.at),
                module: module.map(str::to_owned),
                parameter: Location {
                    file: target.source.clone(),
                    span: text_span(target.source.text(), tree, entry.key),
                },
                name: tree.str(entry.key).unwrap_or(name).to_owned(),
                secure,
                enumerated: object_get(tree, entry.value, "allowedValues").is_some(),
                value: value.as_str().map(|text| BoundString {
                    text: text.to_owned(),
                    written: self.location(value.src),
                }),
            };
            self.bindings.push(binding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_placeholders_are_holes() {
        assert_eq!(
            with_holes("Server={0};Password={4:N0};"),
            "Server=${…};Password=${…};"
        );
        assert_eq!(with_holes("{{literal}} {0}"), "{literal} ${…}");
        assert_eq!(with_holes("no placeholder"), "no placeholder");
        assert_eq!(with_holes("unclosed {0"), "unclosed {0");
    }

    #[test]
    fn declared_types_as_bicep_names_them() {
        assert_eq!(declared_type("secureString"), ("string".to_owned(), true));
        assert_eq!(declared_type("SecureObject"), ("object".to_owned(), true));
        assert_eq!(declared_type("String"), ("string".to_owned(), false));
        assert_eq!(declared_type("Bool"), ("bool".to_owned(), false));
        assert_eq!(declared_type("array"), ("array".to_owned(), false));
        assert_eq!(declared_type(""), (String::new(), false));
    }
}
