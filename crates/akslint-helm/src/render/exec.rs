//! Executing parsed templates as Go's `text/template` does with Helm's options (a missing map key
//! is nil and prints nothing), writing [`Text`] whose bytes know the template span or the value
//! that wrote them.

use std::collections::HashMap;
use std::sync::Arc;

use akslint_core::Span;

use super::text::{Segment, Source, Text, TextBuilder};
use super::value::{Kind, Value};
use crate::template::{
    Command, Node, Operand, ParseCache, Pipeline, Template, TemplateError, Term,
};

/// Deepest nesting of template calls (`include`, `template`, `tpl`) followed, as Helm's limit
/// of recursive includes.
pub const MAX_CALL_DEPTH: usize = 1_000;

/// Why rendering stopped, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderError {
    /// The action or call that failed.
    pub source: Source,
    /// What happened.
    pub message: String,
    /// What kind of failure.
    pub kind: RenderErrorKind,
}

/// The kinds of rendering failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderErrorKind {
    /// The chart asked to stop: `fail`, or `required` without a value. Helm refuses to render.
    Refused,
    /// A template that does not parse, or an operation Go refuses (a field of nil, a wrong
    /// argument type, a missing named template).
    Invalid,
    /// A function or method akslint does not render yet.
    Unsupported,
}

/// A file the renderer knows: a template (parsed) or a values file (for provenance only).
struct File {
    name: String,
    text: Arc<str>,
    template: Option<Arc<Template>>,
}

/// How a list of nodes ended.
enum Flow {
    Normal,
    Break,
    Continue,
}

/// Renders templates: holds the files, the named templates of every parsed file, and the
/// variables in scope.
#[derive(Default)]
pub struct Renderer {
    files: Vec<File>,
    /// Named templates: the file and the index of the define in it (a later definition wins,
    /// as in Helm, where files are parsed in order).
    defines: HashMap<String, (usize, usize)>,
    vars: Vec<(String, Value)>,
    depth: usize,
    /// The output ranges the top-level template's own actions wrote, with the action's span
    /// (what an action printed came from its values, but the action is where the template
    /// wrote it).
    actions: Vec<Segment>,
    /// Where templates are parsed (shared with other renderers when given, see
    /// [`Renderer::with_cache`]).
    cache: Arc<ParseCache>,
}

type Result<T> = std::result::Result<T, RenderError>;

impl Renderer {
    /// An empty renderer.
    pub fn new() -> Renderer {
        Renderer::default()
    }

    /// An empty renderer whose templates (files and `tpl` strings) are parsed through `cache`:
    /// a text another renderer of the cache parsed is not parsed again.
    pub fn with_cache(cache: Arc<ParseCache>) -> Renderer {
        Renderer {
            cache,
            ..Renderer::default()
        }
    }

    /// Adds a file that is not a template (a values file), for the origins of its values.
    pub fn add_file(&mut self, name: &str, text: &str) -> usize {
        self.files.push(File {
            name: name.to_owned(),
            text: text.into(),
            template: None,
        });
        self.files.len() - 1
    }

    /// Parses and adds a template file, registering its named templates.
    pub fn add_template(
        &mut self,
        name: &str,
        text: &str,
    ) -> std::result::Result<usize, TemplateError> {
        let (text, parsed) = self.cache.parse(text);
        let template = parsed?;
        let index = self.files.len();
        for (i, define) in template.defines.iter().enumerate() {
            self.defines.insert(define.name.clone(), (index, i));
        }
        self.files.push(File {
            name: name.to_owned(),
            text,
            template: Some(template),
        });
        Ok(index)
    }

    /// How many files the renderer has (templates, values files, `tpl` strings).
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// The name of a file.
    pub fn file_name(&self, file: usize) -> &str {
        &self.files[file].name
    }

    /// The text of a file.
    pub fn file_text(&self, file: usize) -> &str {
        &self.files[file].text
    }

    /// The text of a file, shared.
    pub fn shared_file_text(&self, file: usize) -> Arc<str> {
        self.files[file].text.clone()
    }

    /// Renders a template file with `dot` (`$` is `dot` too).
    pub fn render(&mut self, file: usize, dot: &Value) -> Result<Text> {
        let template = self.files[file]
            .template
            .clone()
            .ok_or_else(|| RenderError {
                source: Source {
                    file,
                    span: Span::new(0, 0),
                },
                message: format!("{} is not a template", self.files[file].name),
                kind: RenderErrorKind::Invalid,
            })?;
        if self.depth == 0 {
            self.actions.clear();
        }
        let mark = self.vars.len();
        self.vars.push(("$".to_owned(), dot.clone()));
        let mut out = TextBuilder::default();
        let result = self.nodes(file, &template.nodes, dot, &mut out);
        self.vars.truncate(mark);
        result.map(|_| out.finish())
    }

    /// The output ranges that the actions of the template last given to [`Renderer::render`]
    /// wrote, with each action's span.
    pub fn take_actions(&mut self) -> Vec<Segment> {
        std::mem::take(&mut self.actions)
    }

    /// Records that the action at `span` of `file` wrote `out[start..]` (top-level template
    /// only).
    fn record_action(&mut self, file: usize, span: Span, start: usize, out: &TextBuilder) {
        if self.depth == 0 && start < out.len() {
            self.actions.push(Segment {
                start: start as u32,
                end: out.len() as u32,
                source: Source { file, span },
            });
        }
    }

    /// Renders the named template `name` with `dot` (`include` and `{{template}}`).
    pub fn render_named(&mut self, name: &str, dot: &Value, at: Source) -> Result<Text> {
        let Some(&(file, index)) = self.defines.get(name) else {
            // A template file is a named template too, by its name (`include (print
            // $.Template.BasePath "/configmap.yaml") .`).
            let Some(file) = self
                .files
                .iter()
                .position(|f| f.template.is_some() && f.name == name)
            else {
                return Err(invalid(at, format!("no template named \"{name}\"")));
            };
            if self.depth >= MAX_CALL_DEPTH {
                return Err(invalid(
                    at,
                    format!(
                        "rendering template \"{name}\" went deeper than {MAX_CALL_DEPTH} calls"
                    ),
                ));
            }
            self.depth += 1;
            let saved = std::mem::take(&mut self.vars);
            let result = self.render(file, dot);
            self.vars = saved;
            self.depth -= 1;
            return result;
        };
        if self.depth >= MAX_CALL_DEPTH {
            return Err(invalid(
                at,
                format!("rendering template \"{name}\" went deeper than {MAX_CALL_DEPTH} calls"),
            ));
        }
        let template = self.files[file]
            .template
            .clone()
            .expect("defines come from templates");
        self.depth += 1;
        // A named template sees only its own `$`.
        let saved = std::mem::take(&mut self.vars);
        self.vars.push(("$".to_owned(), dot.clone()));
        let mut out = TextBuilder::default();
        let result = self.nodes(file, &template.defines[index].body, dot, &mut out);
        self.vars = saved;
        self.depth -= 1;
        result.map(|_| out.finish())
    }

    /// `tpl`: renders a string (with its provenance) as a template with `dot`. What the string's
    /// own text writes keeps the string's provenance.
    pub fn render_string(&mut self, template: &Text, dot: &Value, at: Source) -> Result<Text> {
        let index = self
            .add_template("tpl", template.as_str())
            .map_err(|e| invalid(at, format!("tpl: {}", e.message)))?;
        self.depth += 1;
        let rendered = self.render(index, dot);
        self.depth -= 1;
        let rendered = rendered?;
        // Bytes written from the string's own text point where the string came from.
        let mut out = TextBuilder::default();
        let text = rendered.as_str();
        let mut at_byte = 0;
        for segment in rendered.segments() {
            let (start, end) = (segment.start as usize, segment.end as usize);
            out.push_str(&text[at_byte..start], None);
            if segment.source.file == index {
                let span = segment.source.span;
                let inner = template.slice(span.start as usize..span.end as usize);
                let mapped = inner.first_source().or(template.first_source());
                out.push_str(&text[start..end], mapped);
            } else {
                out.push_range(&rendered, start..end);
            }
            at_byte = end;
        }
        out.push_str(&text[at_byte..], None);
        Ok(out.finish())
    }

    /// Executes nodes in a scope of their own: the variables they declare end with them.
    fn nodes(
        &mut self,
        file: usize,
        nodes: &[Node],
        dot: &Value,
        out: &mut TextBuilder,
    ) -> Result<Flow> {
        let mark = self.vars.len();
        let mut flow = Ok(Flow::Normal);
        for node in nodes {
            flow = self.node(file, node, dot, out);
            if !matches!(flow, Ok(Flow::Normal)) {
                break;
            }
        }
        self.vars.truncate(mark);
        flow
    }

    /// Executes one node; a `break` or `continue` in it ends the enclosing loop's pass.
    fn node(
        &mut self,
        file: usize,
        node: &Node,
        dot: &Value,
        out: &mut TextBuilder,
    ) -> Result<Flow> {
        match node {
            Node::Text(span) => {
                let text = self.files[file].text.clone();
                out.push_str(
                    &text[span.start as usize..span.end as usize],
                    Some(Source { file, span: *span }),
                );
            }
            Node::Action(pipeline) => {
                let value = self.pipeline(file, pipeline, dot)?;
                if pipeline.variables.is_empty() {
                    let start = out.len();
                    out.push_text(&value.printed());
                    self.record_action(file, pipeline.span, start, out);
                }
            }
            Node::If(branch) => {
                let value = self.pipeline(file, &branch.pipeline, dot)?;
                let body = if value.truthy() {
                    &branch.then
                } else {
                    &branch.otherwise
                };
                return self.nodes(file, body, dot, out);
            }
            Node::With(branch) => {
                let value = self.pipeline(file, &branch.pipeline, dot)?;
                return if value.truthy() {
                    self.nodes(file, &branch.then, &value, out)
                } else {
                    self.nodes(file, &branch.otherwise, dot, out)
                };
            }
            Node::Range(branch) => {
                let variables = &branch.pipeline.variables;
                let value = self.commands(file, &branch.pipeline, dot)?;
                let items: Vec<(Value, Value)> = match &value.kind {
                    Kind::List(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (Value::new(Kind::Int(i as i64)), v.clone()))
                        .collect(),
                    Kind::Map(entries) => entries
                        .borrow()
                        .iter()
                        .map(|(k, v)| (Value::str(k), v.clone()))
                        .collect(),
                    Kind::Int(n) => (0..*n)
                        .map(|i| (Value::new(Kind::Int(i)), Value::new(Kind::Int(i))))
                        .collect(),
                    Kind::Nil => Vec::new(),
                    _ => {
                        return Err(invalid(
                            Source {
                                file,
                                span: branch.pipeline.span,
                            },
                            // The value's kind, never its text: it may be a secret from a values file.
                            format!("range can't iterate over a {}", value.kind_name()),
                        ));
                    }
                };
                if items.is_empty() {
                    return self.nodes(file, &branch.otherwise, dot, out);
                }
                for (key, item) in items {
                    let mark = self.vars.len();
                    match variables.as_slice() {
                        [(element, _)] => self.vars.push((element.clone(), item.clone())),
                        [(index, _), (element, _)] => {
                            self.vars.push((index.clone(), key));
                            self.vars.push((element.clone(), item.clone()));
                        }
                        _ => {}
                    }
                    let flow = self.nodes(file, &branch.then, &item, out);
                    self.vars.truncate(mark);
                    if let Flow::Break = flow? {
                        break;
                    }
                }
            }
            Node::Call {
                name,
                argument,
                span,
            } => {
                let at = Source { file, span: *span };
                let value = match argument {
                    Some(pipeline) => self.pipeline(file, pipeline, dot)?,
                    None => Value::default(),
                };
                let rendered = self.render_named(name, &value, at)?;
                let start = out.len();
                out.push_text(&rendered);
                self.record_action(file, *span, start, out);
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    /// Evaluates a pipeline: its commands in order, each one's value the last argument of the
    /// next; then declares or assigns its variables.
    fn pipeline(&mut self, file: usize, pipeline: &Pipeline, dot: &Value) -> Result<Value> {
        let value = self.commands(file, pipeline, dot)?;
        if let Some((name, span)) = pipeline.variables.first() {
            if pipeline.assigns {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => {
                        return Err(invalid(
                            Source { file, span: *span },
                            format!("undefined variable: {name}"),
                        ));
                    }
                }
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    /// The value of a pipeline's commands, its variables left alone.
    fn commands(&mut self, file: usize, pipeline: &Pipeline, dot: &Value) -> Result<Value> {
        let mut last: Option<Value> = None;
        for command in &pipeline.commands {
            last = Some(self.command(file, command, dot, last)?);
        }
        Ok(last.unwrap_or_default())
    }

    fn command(
        &mut self,
        file: usize,
        command: &Command,
        dot: &Value,
        last: Option<Value>,
    ) -> Result<Value> {
        let at = Source {
            file,
            span: command.span,
        };
        let first = &command.args[0];
        if let Term::Function(name) = &first.term
            && first.fields.is_empty()
        {
            // `and` and `or` stop at the first value that decides.
            if name == "and" || name == "or" {
                let mut result = Value::default();
                let operands = command.args[1..]
                    .iter()
                    .map(Some)
                    .chain(last.is_some().then_some(None));
                for operand in operands {
                    result = match operand {
                        Some(operand) => self.operand(file, operand, dot)?,
                        None => last.clone().unwrap_or_default(),
                    };
                    if result.truthy() == (name == "or") {
                        break;
                    }
                }
                return Ok(result);
            }
            let mut args = Vec::with_capacity(command.args.len());
            for operand in &command.args[1..] {
                args.push(self.operand(file, operand, dot)?);
            }
            args.extend(last);
            return self.call(name, args, dot, at);
        }
        if command.args.len() > 1 || last.is_some() {
            // `.Files.Get "x"`, `.Capabilities.APIVersions.Has "v"`: methods of Helm's objects.
            let mut receiver_operand = first.clone();
            let method = match &mut receiver_operand.term {
                Term::Field(names) if receiver_operand.fields.is_empty() => names.pop(),
                _ => receiver_operand.fields.pop().map(|f| f.0),
            };
            let Some(method) = method else {
                return Err(invalid(
                    at,
                    "can't give arguments to a value that is not a function".to_owned(),
                ));
            };
            if matches!(&receiver_operand.term, Term::Field(names) if names.is_empty()) {
                receiver_operand.term = Term::Dot;
            }
            let receiver = self.operand(file, &receiver_operand, dot)?;
            let mut args = Vec::with_capacity(command.args.len());
            for operand in &command.args[1..] {
                args.push(self.operand(file, operand, dot)?);
            }
            args.extend(last);
            return super::functions::method(&receiver, &method, &args, at);
        }
        self.operand(file, first, dot)
    }

    fn operand(&mut self, file: usize, operand: &Operand, dot: &Value) -> Result<Value> {
        let at = Source {
            file,
            span: operand.span,
        };
        let mut value = match &operand.term {
            Term::Dot => dot.clone(),
            Term::Field(names) => {
                let mut value = dot.clone();
                for name in names {
                    value = field(&value, name, at)?;
                }
                value
            }
            Term::Variable(name) => match self.vars.iter().rev().find(|(n, _)| n == name) {
                Some((_, value)) => value.clone(),
                None => return Err(invalid(at, format!("undefined variable: {name}"))),
            },
            Term::Function(name) => self.call(name, Vec::new(), dot, at)?,
            Term::String(s) => Value::text(Text::from_source(s, Some(at))),
            Term::Number(n) => number(n).ok_or_else(|| invalid(at, format!("bad number: {n}")))?,
            Term::Bool(b) => Value {
                kind: Kind::Bool(*b),
                origin: Some(at),
            },
            Term::Nil => Value::default(),
            Term::Pipeline(pipeline) => {
                let mark = self.vars.len();
                let value = self.pipeline(file, pipeline, dot);
                self.vars.truncate(mark);
                value?
            }
        };
        // Go unwraps a pipeline's or a variable's nil into an invalid value, whose fields are
        // nil without an error (`(.Values.a).b`); a nil read from a map is an empty interface,
        // whose fields are an error.
        if matches!(value.kind, Kind::Nil)
            && matches!(operand.term, Term::Pipeline(_) | Term::Variable(_))
        {
            return Ok(Value::default());
        }
        for (name, span) in &operand.fields {
            value = field(&value, name, Source { file, span: *span })?;
        }
        Ok(value)
    }

    /// Calls a function: the renderer's own (`include`, `tpl`, `template`-related) here, the
    /// others through the function library.
    fn call(&mut self, name: &str, args: Vec<Value>, dot: &Value, at: Source) -> Result<Value> {
        match name {
            "include" => {
                let [template, argument] = args.as_slice() else {
                    return Err(invalid(
                        at,
                        "include takes a template name and a value".to_owned(),
                    ));
                };
                let name = template
                    .as_str()
                    .ok_or_else(|| invalid(at, "include: the name is not a string".to_owned()))?;
                Ok(Value::text(self.render_named(name, argument, at)?))
            }
            "tpl" => {
                let [template, argument] = args.as_slice() else {
                    return Err(invalid(at, "tpl takes a string and a value".to_owned()));
                };
                let Kind::Str(text) = &template.kind else {
                    return Err(invalid(at, "tpl: the template is not a string".to_owned()));
                };
                Ok(Value::text(self.render_string(text, argument, at)?))
            }
            _ => super::functions::call(name, args, dot, at),
        }
    }
}

/// A field of a value: a map's key (nil when missing, as Helm's `missingkey=zero`); a field of
/// nil is Go's "nil pointer evaluating interface {}.name".
fn field(value: &Value, name: &str, at: Source) -> Result<Value> {
    match &value.kind {
        Kind::Map(entries) => match entries.borrow().get(name).cloned() {
            Some(found) => Ok(found.clone()),
            // `(.Files.Glob "x").AsConfig`: a method without arguments.
            None if matches!(name, "AsConfig" | "AsSecrets") => {
                super::functions::method(value, name, &[], at)
            }
            None => Ok(Value::default()),
        },
        Kind::Nil => Err(invalid(
            at,
            format!("nil pointer evaluating interface {{}}.{name}"),
        )),
        _ => Err(invalid(
            at,
            format!("can't evaluate field {name} in type {}", value.kind_name()),
        )),
    }
}

/// A number literal: an integer (decimal, hex, octal, binary, `_` separators) or a float.
fn number(text: &str) -> Option<Value> {
    let clean = text.replace('_', "");
    let (negative, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, clean.trim_start_matches('+').to_owned()),
    };
    let lower = digits.to_ascii_lowercase();
    let int = if let Some(hex) = lower.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse::<i64>().ok()
    };
    let kind = match int {
        Some(n) => Kind::Int(if negative { -n } else { n }),
        None => {
            let magnitude = match lower.strip_prefix("0x") {
                Some(hex) => hex_float(hex)?,
                None => digits.parse::<f64>().ok()?,
            };
            Kind::Float(if negative { -magnitude } else { magnitude })
        }
    };
    Some(Value::new(kind))
}

/// A hexadecimal float's digits after `0x` (`1p20`, `1.8p-3`): the mantissa in hex and the
/// power of two after `p`, as Go reads it.
fn hex_float(text: &str) -> Option<f64> {
    let (mantissa, exponent) = text.split_once('p')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0.0_f64;
    for digit in whole.chars() {
        value = value * 16.0 + f64::from(digit.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for digit in fraction.chars() {
        value += f64::from(digit.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exponent))
}

/// An [`RenderErrorKind::Invalid`] error.
pub(super) fn invalid(source: Source, message: String) -> RenderError {
    RenderError {
        source,
        message,
        kind: RenderErrorKind::Invalid,
    }
}

/// An [`RenderErrorKind::Unsupported`] error.
pub(super) fn unsupported(source: Source, message: String) -> RenderError {
    RenderError {
        source,
        message,
        kind: RenderErrorKind::Unsupported,
    }
}
