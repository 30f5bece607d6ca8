//! The syntax tree of a Go template: nodes with the byte spans of the template text they were
//! read from.

use akslint_core::Span;

/// A parsed template file: its top-level nodes and the templates it defines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Template {
    /// The nodes outside `define` blocks, in order.
    pub nodes: Vec<Node>,
    /// The `{{define "name"}}` and `{{block "name" …}}` bodies, in order.
    pub defines: Vec<Define>,
}

/// A named template body.
#[derive(Clone, Debug, PartialEq)]
pub struct Define {
    /// Its name.
    pub name: String,
    /// The span of the name's string literal.
    pub name_span: Span,
    /// Its nodes.
    pub body: Vec<Node>,
    /// The whole `{{define …}}…{{end}}`.
    pub span: Span,
}

/// A piece of a template.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Text written as it is: `span` is the part left after whitespace trimming by the actions
    /// around it (possibly empty).
    Text(Span),
    /// `{{pipeline}}`: its value is written (unless it declares or assigns a variable).
    Action(Pipeline),
    /// `{{if p}}…{{else if q}}…{{else}}…{{end}}`: `else if` is an `If` as the only node of `otherwise`.
    If(Branch),
    /// `{{with p}}…{{else with q}}…{{else}}…{{end}}`.
    With(Branch),
    /// `{{range p}}…{{else}}…{{end}}`, the pipeline possibly declaring `$i, $e :=`.
    Range(Branch),
    /// `{{template "name" p}}`, and the call half of `{{block}}`.
    Call {
        /// The template's name.
        name: String,
        /// The argument (the dot of the called template), if any.
        argument: Option<Pipeline>,
        /// The action.
        span: Span,
    },
    /// `{{break}}`.
    Break(Span),
    /// `{{continue}}`.
    Continue(Span),
}

/// The parts of `if`, `with` and `range`.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// The condition (or value, or what is ranged over).
    pub pipeline: Pipeline,
    /// The nodes when it holds.
    pub then: Vec<Node>,
    /// The nodes of `else` (an `else if`/`else with` is a single nested node).
    pub otherwise: Vec<Node>,
    /// From the opening action to the end of `{{end}}`.
    pub span: Span,
}

/// `$a, $b := cmd | cmd …`, `$a = cmd …`, or `cmd | cmd …`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// The variables declared (`:=`) or assigned (`=`).
    pub variables: Vec<(String, Span)>,
    /// Whether the variables are assigned (`=`) rather than declared.
    pub assigns: bool,
    /// The commands; each one's result is the last argument of the next.
    pub commands: Vec<Command>,
    /// The pipeline's text.
    pub span: Span,
}

/// A function call or a single operand: `name arg arg`, `.Values.x`, `(pipeline).Field`.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// The operands; the first is the function when it is an identifier.
    pub args: Vec<Operand>,
    /// The command's text.
    pub span: Span,
}

/// An operand of a command.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    /// What it is.
    pub term: Term,
    /// Fields read from it: `(…).a.b`, `$x.a.b`.
    pub fields: Vec<(String, Span)>,
    /// The operand's text, fields included.
    pub span: Span,
}

/// The start of an operand.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// `.`
    Dot,
    /// `.a.b`: fields of the dot (the names, without dots).
    Field(Vec<String>),
    /// `$` or `$name` (with its `$`).
    Variable(String),
    /// A function name.
    Function(String),
    /// A string literal, decoded.
    String(String),
    /// A number, as written.
    Number(String),
    /// `true` or `false`.
    Bool(bool),
    /// `nil`.
    Nil,
    /// `(pipeline)`.
    Pipeline(Box<Pipeline>),
}

/// A template that does not parse: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// Where.
    pub span: Span,
    /// What is wrong, in words.
    pub message: String,
}
