//! Bicep declarations that rules read besides the evaluated resources: the parameters, outputs
//! and string literals of each Bicep and `.bicepparam` file of a run, and the values given to
//! template parameters by `.bicepparam` files and module calls.
//!
//! Core cannot read Bicep syntax; the Bicep evaluator (a front end's
//! [`crate::FrontEnd::evaluate_groups`]) produces these facts with the resources, in an [`Evaluation`](crate::Evaluation). Spans are byte spans
//! of the file named by the enclosing [`BicepFile`] (or by the [`Location`]s).

use super::Location;
use crate::{SharedSource, Span};

/// The declarations of one Bicep or `.bicepparam` file of the run.
#[derive(Clone, Debug)]
pub struct BicepFile {
    /// The file.
    pub file: SharedSource,
    /// Its `param` declarations (a `.bicepparam` file's assignments are not declarations).
    pub params: Vec<Parameter>,
    /// Its `output` declarations.
    pub outputs: Vec<Output>,
    /// Every string literal written as a value (not the paths of modules and imports, resource
    /// types or decorator arguments), in source order.
    pub strings: Vec<StringLiteral>,
}

/// A `param` declaration of a template.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// The span of the name.
    pub name_span: Span,
    /// Where the declaration starts: its first decorator, else the `param` keyword.
    pub start: Span,
    /// Whether it has the `@secure()` decorator.
    pub secure: bool,
    /// Whether it has an `@allowed([…])` decorator: its value is one of the listed literals, a
    /// setting rather than a secret.
    pub enumerated: bool,
    /// The declared type as written (`string`, `object?`, `'a' | 'b'`), empty when missing.
    pub declared_type: String,
}

impl Parameter {
    /// Whether the declared type can hold a secret text: `string` or `object` (nullable or not),
    /// the types `@secure()` applies to.
    pub fn holds_text(&self) -> bool {
        holds_text(&self.declared_type)
    }
}

impl Output {
    /// Whether the declared type can hold a secret text (see [`Parameter::holds_text`]).
    pub fn holds_text(&self) -> bool {
        holds_text(&self.declared_type)
    }
}

/// Whether a declared type is `string` or `object`, nullable or not.
fn holds_text(declared_type: &str) -> bool {
    matches!(
        declared_type.trim_end_matches('?').trim(),
        "string" | "object"
    )
}

/// An `output` declaration.
#[derive(Clone, Debug)]
pub struct Output {
    /// Its name.
    pub name: String,
    /// The span of the name.
    pub name_span: Span,
    /// Whether it has the `@secure()` decorator.
    pub secure: bool,
    /// The declared type as written (`string`, `object`, `bool`, a resource type), empty when
    /// missing.
    pub declared_type: String,
    /// The parameter or variable its value is, when the value is just a name.
    pub value_reference: Option<String>,
    /// What in its value (directly or through variables of the file) gives away a secret.
    pub leaks: Vec<Leak>,
}

/// Something in an output's value that gives away a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    /// Where it is written (in the output's value, or in a variable the value refers to).
    pub span: Span,
    /// What it is.
    pub kind: LeakKind,
}

/// What kind of secret an output gives away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeakKind {
    /// A `list*()` call (`listKeys()`, `stg.listKeys()`, `listSecrets()`, …), with its name.
    ListFunction(String),
    /// A reference to a `@secure()` parameter, with its name.
    SecureParameter(String),
}

/// A string literal and the place it is written in.
#[derive(Clone, Debug)]
pub struct StringLiteral {
    /// The literal, quotes included.
    pub span: Span,
    /// Its value, escapes decoded; the holes of an interpolated string are written `${…}`.
    pub text: String,
    /// Where `text` starts in the file when the file holds it byte for byte (a plain
    /// single-line string without escapes or holes), so that part of it can be pointed at.
    pub verbatim_at: Option<usize>,
    /// The declaration it is written in, shared by the literals written in it (a run holds
    /// hundreds of thousands of literals, and a site's names once per declaration).
    pub site: std::sync::Arc<Site>,
    /// The name it is the value of: the object key, or for the `value` (or `secureValue`) of a
    /// `{ name: 'X', value: … }` pair the name `X`, or the name of the declaration whose value it
    /// is. `None` when it is an argument of a function call, inside an interpolation or a key.
    pub key: Option<String>,
}

impl StringLiteral {
    /// The span of `range` of the text: exact when the file holds the text verbatim, else the
    /// whole literal.
    pub fn span_of(&self, range: &std::ops::Range<usize>) -> Span {
        match self.verbatim_at {
            Some(at) if range.end <= self.text.len() => Span::new(at + range.start, at + range.end),
            _ => self.span,
        }
    }
}

/// The declaration a string literal is written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Site {
    /// The default value of a template parameter.
    ParamDefault {
        /// The parameter.
        param: String,
    },
    /// A `.bicepparam` assignment (`param name = …`), or a variable of a `.bicepparam` file.
    ParamFile {
        /// The parameter assigned, or the variable.
        name: String,
    },
    /// The value of an argument in a module call's `params`.
    ModuleArgument {
        /// The module's symbolic name.
        module: String,
        /// The argument (the module's parameter).
        argument: String,
    },
    /// A resource body.
    Resource {
        /// The resource's symbolic name.
        name: String,
        /// Its type as written, e.g. `Microsoft.Sql/servers`.
        resource_type: String,
    },
    /// A variable.
    Variable {
        /// The variable.
        name: String,
    },
    /// An output.
    Output {
        /// The output.
        name: String,
    },
    /// Anywhere else: a module's other properties, functions, tests, …
    Other,
}

/// A value given to a template parameter from outside the template: a `.bicepparam` assignment
/// or a module call's argument, as the evaluator resolved it.
#[derive(Clone, Debug)]
pub struct ParamBinding {
    /// The value expression (the assignment's or the argument's).
    pub argument: Location,
    /// The module's symbolic name, or `None` for a `.bicepparam` assignment.
    pub module: Option<String>,
    /// The parameter's name in the template.
    pub parameter: Location,
    /// The parameter's name.
    pub name: String,
    /// Whether the parameter is `@secure()`.
    pub secure: bool,
    /// Whether the parameter has an `@allowed([…])` list: its values are settings the template
    /// itself lists, never secrets.
    pub enumerated: bool,
    /// The value, when it is a known string.
    pub value: Option<BoundString>,
}

/// A known string value and the literal (or expression) that produced it.
#[derive(Clone, Debug)]
pub struct BoundString {
    /// The value.
    pub text: String,
    /// Where it was written.
    pub written: Location,
}
