//! Typed views over the syntax tree.
//!
//! Each view wraps a [`Node`] of a known kind and reads its parts. Parts that are missing because of a syntax
//! error come back as `None`; the underlying node ([`Declaration::syntax`], [`Expr::syntax`], ...) is always there
//! for spans and for anything the views do not cover.
//!
//! ```
//! use akslint_bicep::ast::{Declaration, Expr};
//!
//! let parsed = akslint_bicep::parse("@secure()\nparam password string\nvar x = [for (item, i) in items: item.name]\n");
//! let mut declarations = parsed.program().declarations();
//! let Some(Declaration::Param(param)) = declarations.next() else { panic!() };
//! assert_eq!(param.name().map(|n| n.text()), Some("password"));
//! assert!(param.decorator("secure").is_some());
//! let Some(Declaration::Var(var)) = declarations.next() else { panic!() };
//! let Some(Expr::For(for_expr)) = var.value() else { panic!() };
//! assert_eq!(for_expr.index_name().map(|n| n.text()), Some("i"));
//! ```

use std::borrow::Cow;

use crate::error::Span;
use crate::kind::SyntaxKind as K;
use crate::kind::SyntaxKind;
use crate::string::StringForm;
use crate::tree::{Element, Node, TokenRef};

/// Defines a view type over nodes of the given kinds.
macro_rules! view {
    ($(#[$doc:meta])* $name:ident: $($kind:ident)|+) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name<'t>(Node<'t>);

        impl<'t> $name<'t> {
            /// Views `node` as this type if it has the right kind.
            pub fn cast(node: Node<'t>) -> Option<Self> {
                matches!(node.kind(), $(K::$kind)|+).then_some(Self(node))
            }

            /// The underlying node.
            pub fn syntax(self) -> Node<'t> {
                self.0
            }

            /// The node's span.
            pub fn span(self) -> Span {
                self.0.span()
            }
        }
    };
}

// ----- helpers -----

/// The children that are not trivia.
fn significant<'t>(node: Node<'t>) -> impl Iterator<Item = Element<'t>> + 't {
    node.children().filter(|c| !c.kind().is_trivia())
}

/// The child node right after the first child token of `kind`.
fn node_after<'t>(node: Node<'t>, kind: SyntaxKind) -> Option<Node<'t>> {
    let mut children = significant(node).skip_while(move |c| c.kind() != kind);
    children.next()?;
    match children.next()? {
        Element::Node(n) => Some(n),
        Element::Token(_) => None,
    }
}

/// The expression right after the first child token of `kind`.
fn expr_after<'t>(node: Node<'t>, kind: SyntaxKind) -> Option<Expr<'t>> {
    node_after(node, kind).and_then(Expr::cast)
}

/// The `n`-th child node as an expression.
fn nth_expr(node: Node<'_>, n: usize) -> Option<Expr<'_>> {
    node.child_nodes().nth(n).and_then(Expr::cast)
}

/// The text of the last child identifier.
fn last_ident(node: Node<'_>) -> Option<TokenRef<'_>> {
    node.child_tokens().rfind(|t| t.kind() == K::Ident)
}

/// The keyword of a declaration: its first child identifier token.
fn keyword(node: Node<'_>) -> Option<TokenRef<'_>> {
    node.token_of_kind(K::Ident)
}

/// The name of a declaration: the identifier right after its keyword (absent if it is missing).
fn declared_name(node: Node<'_>) -> Option<TokenRef<'_>> {
    let mut children = significant(node).skip_while(|c| c.kind() != K::Ident);
    children.next()?;
    match children.next()? {
        Element::Token(t) if t.kind() == K::Ident => Some(t),
        _ => None,
    }
}

/// The first child node that is a type.
fn type_child(node: Node<'_>) -> Option<Node<'_>> {
    node.child_nodes().find(|n| is_type(n.kind()))
}

/// The last child node that is an expression (the value of `name = value` declarations).
fn value_child(node: Node<'_>) -> Option<Expr<'_>> {
    node.child_nodes().filter_map(Expr::cast).next_back()
}

/// Whether nodes of this kind are types.
pub fn is_type(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        K::TypeVariableAccess
            | K::ParameterizedType
            | K::InstanceParameterizedType
            | K::ResourceType
            | K::ObjectType
            | K::TupleType
            | K::UnionType
            | K::NullableType
            | K::NonNullableType
            | K::ArrayType
            | K::TypePropertyAccess
            | K::TypeIndexAccess
            | K::TypeItemsAccess
            | K::TypeAdditionalPropertiesAccess
            | K::UnaryType
            | K::ParenthesizedType
            | K::StringLiteral
            | K::IntLiteral
            | K::BoolLiteral
            | K::NullLiteral
    )
}

// ----- program and declarations -----

view!(
    /// The whole file.
    Program: Program
);

impl<'t> Program<'t> {
    pub(crate) fn new(root: Node<'t>) -> Self {
        Program(root)
    }

    /// The declarations, in order (statements the parser could not read at all are `Skipped` nodes, left out).
    pub fn declarations(self) -> impl Iterator<Item = Declaration<'t>> + 't {
        self.0.child_nodes().filter_map(Declaration::cast)
    }
}

/// A statement of a `.bicep` or `.bicepparam` file (or a resource nested in a resource body).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Declaration<'t> {
    /// `targetScope = ...`
    TargetScope(TargetScopeDecl<'t>),
    /// `metadata name = ...`
    Metadata(MetadataDecl<'t>),
    /// `param name type = default`
    Param(ParamDecl<'t>),
    /// `var name = value`
    Var(VarDecl<'t>),
    /// `output name type = value`
    Output(OutputDecl<'t>),
    /// `resource name 'Type@version' = ...`
    Resource(ResourceDecl<'t>),
    /// `module name 'path' = ...`
    Module(ModuleDecl<'t>),
    /// `type name = type`
    Type(TypeDecl<'t>),
    /// `func name(...) type => body`
    Func(FuncDecl<'t>),
    /// `import {...} from 'path'` / `import * as ns from 'path'`
    Import(ImportDecl<'t>),
    /// `extension name ...`
    Extension(ExtensionDecl<'t>),
    /// `assert name = condition`
    Assert(AssertDecl<'t>),
    /// `test name 'path' = {...}`
    Test(TestDecl<'t>),
    /// `using 'path'` (`.bicepparam`)
    Using(UsingDecl<'t>),
    /// `extends 'path'` (`.bicepparam`)
    Extends(ExtendsDecl<'t>),
    /// `param name = value` (`.bicepparam`)
    ParamAssignment(ParamAssignment<'t>),
    /// `extensionConfig alias with {...}` (`.bicepparam`)
    ExtensionConfig(ExtensionConfigDecl<'t>),
    /// Decorators with no declaration after them.
    Missing(MissingDecl<'t>),
}

impl<'t> Declaration<'t> {
    /// Views `node` as a declaration if it is one.
    pub fn cast(node: Node<'t>) -> Option<Self> {
        Some(match node.kind() {
            K::TargetScopeDecl => Declaration::TargetScope(TargetScopeDecl(node)),
            K::MetadataDecl => Declaration::Metadata(MetadataDecl(node)),
            K::ParamDecl => Declaration::Param(ParamDecl(node)),
            K::VarDecl => Declaration::Var(VarDecl(node)),
            K::OutputDecl => Declaration::Output(OutputDecl(node)),
            K::ResourceDecl => Declaration::Resource(ResourceDecl(node)),
            K::ModuleDecl => Declaration::Module(ModuleDecl(node)),
            K::TypeDecl => Declaration::Type(TypeDecl(node)),
            K::FuncDecl => Declaration::Func(FuncDecl(node)),
            K::ImportDecl => Declaration::Import(ImportDecl(node)),
            K::ExtensionDecl => Declaration::Extension(ExtensionDecl(node)),
            K::AssertDecl => Declaration::Assert(AssertDecl(node)),
            K::TestDecl => Declaration::Test(TestDecl(node)),
            K::UsingDecl => Declaration::Using(UsingDecl(node)),
            K::ExtendsDecl => Declaration::Extends(ExtendsDecl(node)),
            K::ParamAssignment => Declaration::ParamAssignment(ParamAssignment(node)),
            K::ExtensionConfigDecl => Declaration::ExtensionConfig(ExtensionConfigDecl(node)),
            K::MissingDecl => Declaration::Missing(MissingDecl(node)),
            _ => return None,
        })
    }

    /// The underlying node (decorators included).
    pub fn syntax(self) -> Node<'t> {
        match self {
            Declaration::TargetScope(d) => d.0,
            Declaration::Metadata(d) => d.0,
            Declaration::Param(d) => d.0,
            Declaration::Var(d) => d.0,
            Declaration::Output(d) => d.0,
            Declaration::Resource(d) => d.0,
            Declaration::Module(d) => d.0,
            Declaration::Type(d) => d.0,
            Declaration::Func(d) => d.0,
            Declaration::Import(d) => d.0,
            Declaration::Extension(d) => d.0,
            Declaration::Assert(d) => d.0,
            Declaration::Test(d) => d.0,
            Declaration::Using(d) => d.0,
            Declaration::Extends(d) => d.0,
            Declaration::ParamAssignment(d) => d.0,
            Declaration::ExtensionConfig(d) => d.0,
            Declaration::Missing(d) => d.0,
        }
    }

    /// The keyword (`param`, `resource`, ...); `None` only for [`Declaration::Missing`].
    pub fn keyword(self) -> Option<TokenRef<'t>> {
        match self {
            Declaration::Missing(_) => None,
            _ => keyword(self.syntax()),
        }
    }

    /// The declared name, for declarations that have one and where it is present.
    pub fn name(self) -> Option<TokenRef<'t>> {
        match self {
            Declaration::Metadata(_)
            | Declaration::Param(_)
            | Declaration::Var(_)
            | Declaration::Output(_)
            | Declaration::Resource(_)
            | Declaration::Module(_)
            | Declaration::Type(_)
            | Declaration::Func(_)
            | Declaration::Assert(_)
            | Declaration::Test(_)
            | Declaration::ParamAssignment(_) => declared_name(self.syntax()),
            _ => None,
        }
    }

    /// The decorators, in order.
    pub fn decorators(self) -> impl Iterator<Item = Decorator<'t>> + 't {
        decorators(self.syntax())
    }
}

fn decorators<'t>(node: Node<'t>) -> impl Iterator<Item = Decorator<'t>> + 't {
    node.child_nodes().filter_map(Decorator::cast)
}

/// Adds the accessors shared by declarations: decorators and name.
macro_rules! declaration_common {
    ($($name:ident),+) => {$(
        impl<'t> $name<'t> {
            /// The decorators, in order.
            pub fn decorators(self) -> impl Iterator<Item = Decorator<'t>> + 't {
                decorators(self.0)
            }

            /// The decorator called `name` (with or without the `sys.` namespace), if any.
            pub fn decorator(self, name: &str) -> Option<Decorator<'t>> {
                self.decorators().find(|d| d.name() == Some(name))
            }

            /// The declared name (absent if it is missing).
            pub fn name(self) -> Option<TokenRef<'t>> {
                declared_name(self.0)
            }
        }
    )+};
}

view!(
    /// `targetScope = value`
    TargetScopeDecl: TargetScopeDecl
);
view!(
    /// `metadata name = value`
    MetadataDecl: MetadataDecl
);
view!(
    /// `param name type [= default]`
    ParamDecl: ParamDecl
);
view!(
    /// `var name [type] = value`
    VarDecl: VarDecl
);
view!(
    /// `output name type = value` or `output name resource ['Type@version'] = value`
    OutputDecl: OutputDecl
);
view!(
    /// `resource name 'Type@version' [existing] = {...} | if (...) {...} | [for ...]`
    ResourceDecl: ResourceDecl
);
view!(
    /// `module name 'path' = {...} | if (...) {...} | [for ...]`
    ModuleDecl: ModuleDecl
);
view!(
    /// `type name = type`
    TypeDecl: TypeDecl
);
view!(
    /// `func name(params) type => body`
    FuncDecl: FuncDecl
);
view!(
    /// A compile-time import.
    ImportDecl: ImportDecl
);
view!(
    /// `extension spec [with {...}] [as alias]`
    ExtensionDecl: ExtensionDecl
);
view!(
    /// `assert name = condition`
    AssertDecl: AssertDecl
);
view!(
    /// `test name 'path' = {...}`
    TestDecl: TestDecl
);
view!(
    /// `using 'path' [with {...}]` or `using none`
    UsingDecl: UsingDecl
);
view!(
    /// `extends 'path'`
    ExtendsDecl: ExtendsDecl
);
view!(
    /// `param name = value` in a `.bicepparam` file.
    ParamAssignment: ParamAssignment
);
view!(
    /// `extensionConfig alias with {...}`
    ExtensionConfigDecl: ExtensionConfigDecl
);
view!(
    /// Decorators not followed by a declaration.
    MissingDecl: MissingDecl
);

declaration_common!(
    MetadataDecl,
    ParamDecl,
    VarDecl,
    OutputDecl,
    ResourceDecl,
    ModuleDecl,
    TypeDecl,
    FuncDecl,
    AssertDecl,
    TestDecl,
    ParamAssignment
);

impl<'t> TargetScopeDecl<'t> {
    /// The scope expression (normally a string).
    pub fn value(self) -> Option<Expr<'t>> {
        value_child(self.0)
    }
}

impl<'t> MetadataDecl<'t> {
    /// The value.
    pub fn value(self) -> Option<Expr<'t>> {
        value_child(self.0)
    }
}

impl<'t> ParamDecl<'t> {
    /// The declared type.
    pub fn type_node(self) -> Option<Node<'t>> {
        type_child(self.0)
    }

    /// The default value after `=`.
    pub fn default_value(self) -> Option<Expr<'t>> {
        self.0.child_of_kind(K::ParamDefault).and_then(value_child)
    }
}

impl<'t> VarDecl<'t> {
    /// The declared type, if any.
    pub fn type_node(self) -> Option<Node<'t>> {
        type_child(self.0)
    }

    /// The value.
    pub fn value(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Assign)
    }
}

impl<'t> OutputDecl<'t> {
    /// The declared type (a [`SyntaxKind::ResourceType`] for resource outputs).
    pub fn type_node(self) -> Option<Node<'t>> {
        type_child(self.0)
    }

    /// The value.
    pub fn value(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Assign)
    }
}

/// The body, condition and loop of a resource or module value.
fn body_object(value: Option<Node<'_>>) -> Option<ObjectExpr<'_>> {
    let value = value?;
    match value.kind() {
        K::Object => ObjectExpr::cast(value),
        K::IfCondition => IfCondition(value).body(),
        K::For => ForExpr(value)
            .body()
            .and_then(|b| body_object(Some(b.syntax()))),
        _ => None,
    }
}

fn body_condition(value: Option<Node<'_>>) -> Option<Expr<'_>> {
    let value = value?;
    match value.kind() {
        K::IfCondition => IfCondition(value).condition(),
        K::For => ForExpr(value)
            .body()
            .and_then(|b| body_condition(Some(b.syntax()))),
        _ => None,
    }
}

/// Adds the accessors of resource and module bodies.
macro_rules! body_accessors {
    ($($name:ident),+) => {$(
        impl<'t> $name<'t> {
            /// The value after `=`: an [`SyntaxKind::Object`], an [`SyntaxKind::IfCondition`] or a
            /// [`SyntaxKind::For`] (or a `Skipped` node after a syntax error).
            pub fn value(self) -> Option<Node<'t>> {
                node_after(self.0, K::Assign)
            }

            /// The body object, looking through `if (...)` and `[for ...]`.
            pub fn body(self) -> Option<ObjectExpr<'t>> {
                body_object(self.value())
            }

            /// The condition of `if (...)`, looking through `[for ...]`.
            pub fn condition(self) -> Option<Expr<'t>> {
                body_condition(self.value())
            }

            /// The loop, if the value is a `[for ...]`.
            pub fn for_loop(self) -> Option<ForExpr<'t>> {
                self.value().and_then(ForExpr::cast)
            }
        }
    )+};
}

body_accessors!(ResourceDecl, ModuleDecl);

impl<'t> ResourceDecl<'t> {
    /// The resource type string literal (`'Microsoft.X/y@2024-01-01'`).
    pub fn type_literal(self) -> Option<StringLit<'t>> {
        self.0.child_nodes().find_map(StringLit::cast)
    }

    /// The resource type, if it is a plain string.
    pub fn type_string(self) -> Option<String> {
        self.type_literal()?.value()
    }

    /// Whether the declaration is `existing` (a reference, not a deployment).
    pub fn is_existing(self) -> bool {
        let mut after_type = significant(self.0).skip_while(|c| c.kind() != K::StringLiteral);
        after_type.next();
        after_type.next().is_some_and(|c| match c {
            Element::Token(t) => t.kind() == K::Ident && t.text() == "existing",
            Element::Node(_) => false,
        })
    }
}

impl<'t> ModuleDecl<'t> {
    /// The module path (`'./x.bicep'`, `'br:...'`).
    pub fn path(self) -> Option<StringLit<'t>> {
        self.0.child_nodes().find_map(StringLit::cast)
    }
}

impl<'t> TypeDecl<'t> {
    /// The type.
    pub fn type_node(self) -> Option<Node<'t>> {
        node_after(self.0, K::Assign).filter(|n| is_type(n.kind()))
    }
}

impl<'t> FuncDecl<'t> {
    /// The `(params) type => body` part ([`SyntaxKind::TypedLambda`]).
    pub fn lambda(self) -> Option<Node<'t>> {
        self.0.child_of_kind(K::TypedLambda)
    }

    /// The body expression.
    pub fn body(self) -> Option<Expr<'t>> {
        self.lambda().and_then(|l| expr_after(l, K::Arrow))
    }

    /// The parameter names, in order.
    pub fn parameters(self) -> Vec<TokenRef<'t>> {
        self.lambda()
            .and_then(|l| l.child_of_kind(K::TypedVariableBlock))
            .into_iter()
            .flat_map(|block| {
                block
                    .child_nodes()
                    .filter(|n| n.kind() == K::TypedLocalVariable)
            })
            .filter_map(|n| n.token_of_kind(K::Ident))
            .collect()
    }
}

impl<'t> ImportDecl<'t> {
    /// The `{ a, b as c }` list, if any ([`SyntaxKind::ImportSymbolList`]).
    pub fn symbols(self) -> Option<Node<'t>> {
        self.0.child_of_kind(K::ImportSymbolList)
    }

    /// The namespace of `import * as ns`.
    pub fn wildcard_alias(self) -> Option<TokenRef<'t>> {
        let wildcard = self.0.child_of_kind(K::WildcardImport)?;
        wildcard.child_of_kind(K::AliasClause).and_then(last_ident)
    }

    /// The path after `from`.
    pub fn path(self) -> Option<StringLit<'t>> {
        self.0
            .child_of_kind(K::FromClause)?
            .child_nodes()
            .find_map(StringLit::cast)
    }
}

/// Reads the configuration object of a `with {...}` clause.
fn with_config(node: Node<'_>) -> Option<ObjectExpr<'_>> {
    node.child_of_kind(K::WithClause)?
        .child_nodes()
        .find_map(ObjectExpr::cast)
}

impl<'t> ExtensionDecl<'t> {
    /// The extension's name (`extension kubernetes`), if given as a name.
    pub fn name(self) -> Option<TokenRef<'t>> {
        declared_name(self.0)
    }

    /// The extension's specification string (`extension 'br:...'`), if given as a string.
    pub fn specification(self) -> Option<StringLit<'t>> {
        self.0.child_nodes().find_map(StringLit::cast)
    }

    /// The `with {...}` configuration.
    pub fn config(self) -> Option<ObjectExpr<'t>> {
        with_config(self.0)
    }

    /// The alias after `as`.
    pub fn alias(self) -> Option<TokenRef<'t>> {
        self.0.child_of_kind(K::AliasClause).and_then(last_ident)
    }
}

impl<'t> AssertDecl<'t> {
    /// The condition.
    pub fn value(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Assign)
    }
}

impl<'t> TestDecl<'t> {
    /// The path of the file under test.
    pub fn path(self) -> Option<StringLit<'t>> {
        self.0.child_nodes().find_map(StringLit::cast)
    }

    /// The body object.
    pub fn body(self) -> Option<ObjectExpr<'t>> {
        node_after(self.0, K::Assign).and_then(ObjectExpr::cast)
    }
}

impl<'t> UsingDecl<'t> {
    /// The path of the template, absent for `using none`.
    pub fn path(self) -> Option<StringLit<'t>> {
        self.0.child_nodes().find_map(StringLit::cast)
    }

    /// Whether this is `using none`.
    pub fn is_none(self) -> bool {
        self.0.child_of_kind(K::NoneLiteral).is_some()
    }

    /// The `with {...}` configuration.
    pub fn config(self) -> Option<ObjectExpr<'t>> {
        with_config(self.0)
    }
}

impl<'t> ExtendsDecl<'t> {
    /// The path of the base parameters file.
    pub fn path(self) -> Option<StringLit<'t>> {
        self.0.child_nodes().find_map(StringLit::cast)
    }
}

impl<'t> ParamAssignment<'t> {
    /// The value.
    pub fn value(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Assign)
    }
}

impl<'t> ExtensionConfigDecl<'t> {
    /// The extension alias.
    pub fn alias(self) -> Option<TokenRef<'t>> {
        declared_name(self.0)
    }

    /// The `with {...}` configuration.
    pub fn config(self) -> Option<ObjectExpr<'t>> {
        with_config(self.0)
    }
}

impl<'t> MissingDecl<'t> {
    /// The decorators.
    pub fn decorators(self) -> impl Iterator<Item = Decorator<'t>> + 't {
        decorators(self.0)
    }
}

view!(
    /// `@expression` before a declaration.
    Decorator: Decorator
);

impl<'t> Decorator<'t> {
    /// The expression after `@`: a call, a name, or a namespaced call such as `sys.description(...)`.
    pub fn expression(self) -> Option<Expr<'t>> {
        self.0.child_nodes().find_map(Expr::cast)
    }

    /// The decorator's name without namespace (`description` for `@sys.description('...')`).
    pub fn name(self) -> Option<&'t str> {
        match self.expression()? {
            Expr::Call(call) => call.name(),
            Expr::InstanceCall(call) => call.name(),
            Expr::Variable(v) => Some(v.name()),
            Expr::Property(p) => p.name(),
            _ => None,
        }
    }

    /// The namespace, if given (`sys` for `@sys.description('...')`).
    pub fn namespace(self) -> Option<&'t str> {
        match self.expression()? {
            Expr::InstanceCall(call) => call.namespace(),
            Expr::Property(p) => match p.base()? {
                Expr::Variable(v) => Some(v.name()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The arguments of the decorator call.
    pub fn arguments(self) -> Vec<Expr<'t>> {
        match self.expression() {
            Some(Expr::Call(call)) => call.arguments().collect(),
            Some(Expr::InstanceCall(call)) => call.arguments().collect(),
            _ => Vec::new(),
        }
    }
}

// ----- expressions -----

/// An expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expr<'t> {
    /// `42`
    Int(IntLit<'t>),
    /// `true` / `false`
    Bool(BoolLit<'t>),
    /// `null`
    Null(NullLit<'t>),
    /// `'text ${hole}'`
    String(StringLit<'t>),
    /// `name`
    Variable(VariableAccess<'t>),
    /// `name(args)`
    Call(CallExpr<'t>),
    /// `base.name(args)`
    InstanceCall(InstanceCallExpr<'t>),
    /// `base.name` / `base.?name`
    Property(PropertyAccess<'t>),
    /// `base[index]` / `base[?index]`
    Index(IndexAccess<'t>),
    /// `base::name`
    ResourceAccess(ResourceAccess<'t>),
    /// `base!`
    NonNull(NonNullAssert<'t>),
    /// `!x` / `-x`
    Unary(UnaryExpr<'t>),
    /// `a op b`
    Binary(BinaryExpr<'t>),
    /// `c ? a : b`
    Ternary(TernaryExpr<'t>),
    /// `(x)`
    Paren(ParenExpr<'t>),
    /// `[...]`
    Array(ArrayExpr<'t>),
    /// `{...}`
    Object(ObjectExpr<'t>),
    /// `[for ... in ...: ...]`
    For(ForExpr<'t>),
    /// `x => ...` / `(a, b) => ...`
    Lambda(LambdaExpr<'t>),
}

impl<'t> Expr<'t> {
    /// Views `node` as an expression if it is one.
    pub fn cast(node: Node<'t>) -> Option<Self> {
        Some(match node.kind() {
            K::IntLiteral => Expr::Int(IntLit(node)),
            K::BoolLiteral => Expr::Bool(BoolLit(node)),
            K::NullLiteral => Expr::Null(NullLit(node)),
            K::StringLiteral => Expr::String(StringLit(node)),
            K::VariableAccess => Expr::Variable(VariableAccess(node)),
            K::Call => Expr::Call(CallExpr(node)),
            K::InstanceCall => Expr::InstanceCall(InstanceCallExpr(node)),
            K::PropertyAccess => Expr::Property(PropertyAccess(node)),
            K::IndexAccess => Expr::Index(IndexAccess(node)),
            K::ResourceAccess => Expr::ResourceAccess(ResourceAccess(node)),
            K::NonNullAssert => Expr::NonNull(NonNullAssert(node)),
            K::Unary => Expr::Unary(UnaryExpr(node)),
            K::Binary => Expr::Binary(BinaryExpr(node)),
            K::Ternary => Expr::Ternary(TernaryExpr(node)),
            K::Parenthesized => Expr::Paren(ParenExpr(node)),
            K::Array => Expr::Array(ArrayExpr(node)),
            K::Object => Expr::Object(ObjectExpr(node)),
            K::For => Expr::For(ForExpr(node)),
            K::Lambda => Expr::Lambda(LambdaExpr(node)),
            _ => return None,
        })
    }

    /// The underlying node.
    pub fn syntax(self) -> Node<'t> {
        match self {
            Expr::Int(e) => e.0,
            Expr::Bool(e) => e.0,
            Expr::Null(e) => e.0,
            Expr::String(e) => e.0,
            Expr::Variable(e) => e.0,
            Expr::Call(e) => e.0,
            Expr::InstanceCall(e) => e.0,
            Expr::Property(e) => e.0,
            Expr::Index(e) => e.0,
            Expr::ResourceAccess(e) => e.0,
            Expr::NonNull(e) => e.0,
            Expr::Unary(e) => e.0,
            Expr::Binary(e) => e.0,
            Expr::Ternary(e) => e.0,
            Expr::Paren(e) => e.0,
            Expr::Array(e) => e.0,
            Expr::Object(e) => e.0,
            Expr::For(e) => e.0,
            Expr::Lambda(e) => e.0,
        }
    }

    /// The expression's span.
    pub fn span(self) -> Span {
        self.syntax().span()
    }

    /// The object, if this is an object literal.
    pub fn as_object(self) -> Option<ObjectExpr<'t>> {
        match self {
            Expr::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, if this is an array literal.
    pub fn as_array(self) -> Option<ArrayExpr<'t>> {
        match self {
            Expr::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The value of a plain (non-interpolated) string literal.
    pub fn as_str(self) -> Option<String> {
        match self {
            Expr::String(s) => s.value(),
            _ => None,
        }
    }

    /// The value of a boolean literal.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Expr::Bool(b) => Some(b.value()),
            _ => None,
        }
    }

    /// The value of an integer literal.
    pub fn as_int(self) -> Option<u64> {
        match self {
            Expr::Int(i) => i.value(),
            _ => None,
        }
    }
}

view!(
    /// An integer literal.
    IntLit: IntLiteral
);
view!(
    /// `true` or `false`.
    BoolLit: BoolLiteral
);
view!(
    /// `null`
    NullLit: NullLiteral
);
view!(
    /// A string literal, possibly interpolated or multi-line.
    StringLit: StringLiteral
);
view!(
    /// A reference to a named symbol.
    VariableAccess: VariableAccess
);
view!(
    /// `name(args)`
    CallExpr: Call
);
view!(
    /// `base.name(args)`
    InstanceCallExpr: InstanceCall
);
view!(
    /// `base.name` or `base.?name`
    PropertyAccess: PropertyAccess
);
view!(
    /// `base[index]`, `base[?index]`, `base[^index]`
    IndexAccess: IndexAccess
);
view!(
    /// `base::name`
    ResourceAccess: ResourceAccess
);
view!(
    /// `base!`
    NonNullAssert: NonNullAssert
);
view!(
    /// `!x` or `-x`
    UnaryExpr: Unary
);
view!(
    /// `left op right`
    BinaryExpr: Binary
);
view!(
    /// `condition ? then : else`
    TernaryExpr: Ternary
);
view!(
    /// `(expression)`
    ParenExpr: Parenthesized
);
view!(
    /// `[items]`
    ArrayExpr: Array
);
view!(
    /// `{properties}`
    ObjectExpr: Object
);
view!(
    /// `key: value`
    ObjectProperty: ObjectProperty
);
view!(
    /// `[for item in source: body]`
    ForExpr: For
);
view!(
    /// `if (condition) {body}` of a resource or module.
    IfCondition: IfCondition
);
view!(
    /// `x => body` or `(a, b) => body`
    LambdaExpr: Lambda
);

impl IntLit<'_> {
    /// The value (`None` if it does not fit in 64 bits; the parser reports that).
    pub fn value(self) -> Option<u64> {
        self.0.text().parse().ok()
    }
}

impl BoolLit<'_> {
    /// The value.
    pub fn value(self) -> bool {
        self.0.text() == "true"
    }
}

impl<'t> StringLit<'t> {
    fn pieces(self) -> impl Iterator<Item = TokenRef<'t>> + 't {
        self.0.child_tokens().filter(|t| {
            matches!(
                t.kind(),
                K::String | K::StringHead | K::StringMiddle | K::StringTail
            )
        })
    }

    /// Whether the string has `${...}` holes.
    pub fn is_interpolated(self) -> bool {
        self.0.token_of_kind(K::String).is_none()
    }

    /// Whether the string is a `'''` or `$'''` multi-line string.
    pub fn is_multiline(self) -> bool {
        self.pieces()
            .next()
            .is_some_and(|t| StringForm::of(t.text()).multiline)
    }

    /// The decoded literal text between the holes (one more than [`StringLit::holes`]).
    pub fn segments(self) -> Vec<String> {
        let Some(first) = self.pieces().next() else {
            return Vec::new();
        };
        let form = StringForm::of(first.text());
        self.pieces()
            .map(|t| form.value(t.kind(), t.text()).unwrap_or_default())
            .collect()
    }

    /// The expressions in the `${...}` holes.
    pub fn holes(self) -> impl Iterator<Item = Expr<'t>> + 't {
        self.0.child_nodes().filter_map(Expr::cast)
    }

    /// The value of a string without holes (escapes decoded).
    pub fn value(self) -> Option<String> {
        if self.is_interpolated() {
            return None;
        }
        self.segments().pop()
    }

    /// The value if the string has no holes, otherwise its source text (for messages).
    pub fn value_or_text(self) -> Cow<'t, str> {
        self.value()
            .map_or(Cow::Borrowed(self.0.text()), Cow::Owned)
    }
}

impl<'t> VariableAccess<'t> {
    /// The name.
    pub fn name(self) -> &'t str {
        self.0.token_of_kind(K::Ident).map_or("", |t| t.text())
    }
}

/// The arguments of a call node.
fn arguments<'t>(node: Node<'t>) -> impl Iterator<Item = Expr<'t>> + 't {
    node.child_nodes()
        .filter(|n| n.kind() == K::Argument)
        .filter_map(|a| a.child_nodes().find_map(Expr::cast))
}

impl<'t> CallExpr<'t> {
    /// The function's name.
    pub fn name(self) -> Option<&'t str> {
        self.0.token_of_kind(K::Ident).map(|t| t.text())
    }

    /// The arguments (missing or malformed ones left out).
    pub fn arguments(self) -> impl Iterator<Item = Expr<'t>> + 't {
        arguments(self.0)
    }
}

impl<'t> InstanceCallExpr<'t> {
    /// The value or namespace the function is called on.
    pub fn base(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }

    /// The namespace (`az`, `sys`, ...) if the base is a plain name.
    pub fn namespace(self) -> Option<&'t str> {
        match self.base()? {
            Expr::Variable(v) => Some(v.name()),
            _ => None,
        }
    }

    /// The function's name.
    pub fn name(self) -> Option<&'t str> {
        last_ident(self.0).map(|t| t.text())
    }

    /// The arguments (missing or malformed ones left out).
    pub fn arguments(self) -> impl Iterator<Item = Expr<'t>> + 't {
        arguments(self.0)
    }
}

impl<'t> PropertyAccess<'t> {
    /// The value whose property is read.
    pub fn base(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }

    /// The property's name.
    pub fn name(self) -> Option<&'t str> {
        last_ident(self.0).map(|t| t.text())
    }

    /// Whether this is a safe access `.?`.
    pub fn is_safe(self) -> bool {
        self.0.token_of_kind(K::Question).is_some()
    }
}

impl<'t> IndexAccess<'t> {
    /// The value indexed.
    pub fn base(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }

    /// The index expression.
    pub fn index(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 1)
    }

    /// Whether this is a safe access `[?...]`.
    pub fn is_safe(self) -> bool {
        self.0.token_of_kind(K::Question).is_some()
    }

    /// Whether the index counts from the end (`[^1]`).
    pub fn is_from_end(self) -> bool {
        self.0.token_of_kind(K::Caret).is_some()
    }
}

impl<'t> ResourceAccess<'t> {
    /// The parent resource.
    pub fn base(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }

    /// The nested resource's name.
    pub fn name(self) -> Option<&'t str> {
        last_ident(self.0).map(|t| t.text())
    }
}

impl<'t> NonNullAssert<'t> {
    /// The asserted value.
    pub fn base(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }
}

/// A prefix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Minus,
}

impl<'t> UnaryExpr<'t> {
    /// The operator.
    pub fn op(self) -> UnaryOp {
        if self.0.token_of_kind(K::Minus).is_some() {
            UnaryOp::Minus
        } else {
            UnaryOp::Not
        }
    }

    /// The operand.
    pub fn operand(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `*`
    Multiply,
    /// `/`
    Divide,
    /// `%`
    Modulo,
    /// `+`
    Add,
    /// `-`
    Subtract,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `==`
    Equals,
    /// `!=`
    NotEquals,
    /// `=~`
    EqualsIgnoreCase,
    /// `!~`
    NotEqualsIgnoreCase,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `??`
    Coalesce,
}

impl<'t> BinaryExpr<'t> {
    /// The operator.
    pub fn op(self) -> Option<BinaryOp> {
        self.0.child_tokens().find_map(|t| {
            Some(match t.kind() {
                K::Star => BinaryOp::Multiply,
                K::Slash => BinaryOp::Divide,
                K::Percent => BinaryOp::Modulo,
                K::Plus => BinaryOp::Add,
                K::Minus => BinaryOp::Subtract,
                K::Lt => BinaryOp::Less,
                K::LtEq => BinaryOp::LessOrEqual,
                K::Gt => BinaryOp::Greater,
                K::GtEq => BinaryOp::GreaterOrEqual,
                K::EqEq => BinaryOp::Equals,
                K::NotEq => BinaryOp::NotEquals,
                K::EqTilde => BinaryOp::EqualsIgnoreCase,
                K::NotTilde => BinaryOp::NotEqualsIgnoreCase,
                K::AndAnd => BinaryOp::And,
                K::OrOr => BinaryOp::Or,
                K::QuestionQuestion => BinaryOp::Coalesce,
                _ => return None,
            })
        })
    }

    /// The left operand.
    pub fn left(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }

    /// The right operand.
    pub fn right(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 1)
    }
}

impl<'t> TernaryExpr<'t> {
    /// The condition.
    pub fn condition(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }

    /// The value if the condition holds.
    pub fn then_value(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Question)
    }

    /// The value otherwise.
    pub fn else_value(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Colon)
    }
}

impl<'t> ParenExpr<'t> {
    /// The expression inside.
    pub fn inner(self) -> Option<Expr<'t>> {
        nth_expr(self.0, 0)
    }
}

impl<'t> ArrayExpr<'t> {
    /// The items (spreads and malformed items left out).
    pub fn items(self) -> impl Iterator<Item = Expr<'t>> + 't {
        self.0
            .child_nodes()
            .filter(|n| n.kind() == K::ArrayItem)
            .filter_map(|n| nth_expr(n, 0))
    }

    /// The expressions spread into the array with `...`.
    pub fn spreads(self) -> impl Iterator<Item = Expr<'t>> + 't {
        spreads(self.0)
    }
}

fn spreads<'t>(node: Node<'t>) -> impl Iterator<Item = Expr<'t>> + 't {
    node.child_nodes()
        .filter(|n| n.kind() == K::Spread)
        .filter_map(|n| nth_expr(n, 0))
}

impl<'t> ObjectExpr<'t> {
    /// The properties, in order (spreads, nested resources and malformed items left out).
    pub fn properties(self) -> impl Iterator<Item = ObjectProperty<'t>> + 't {
        self.0.child_nodes().filter_map(ObjectProperty::cast)
    }

    /// The last property whose key is `key` (as Bicep, where a later duplicate wins).
    pub fn get(self, key: &str) -> Option<ObjectProperty<'t>> {
        self.properties()
            .filter(|p| p.key().as_deref() == Some(key))
            .last()
    }

    /// The expressions spread into the object with `...`.
    pub fn spreads(self) -> impl Iterator<Item = Expr<'t>> + 't {
        spreads(self.0)
    }

    /// The resources declared inside this (resource body) object.
    pub fn resources(self) -> impl Iterator<Item = ResourceDecl<'t>> + 't {
        self.0.child_nodes().filter_map(ResourceDecl::cast)
    }
}

impl<'t> ObjectProperty<'t> {
    /// The key as text: an identifier, or the value of a plain string key. `None` if missing or interpolated.
    pub fn key(self) -> Option<Cow<'t, str>> {
        match significant(self.0).next()? {
            Element::Token(t) if t.kind() == K::Ident => Some(Cow::Borrowed(t.text())),
            Element::Node(n) => StringLit::cast(n)?.value().map(Cow::Owned),
            Element::Token(_) => None,
        }
    }

    /// The span of the key (empty where a missing key belongs).
    pub fn key_span(self) -> Span {
        significant(self.0)
            .next()
            .map_or(Span::empty(self.0.span().start), Element::span)
    }

    /// The value.
    pub fn value(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Colon)
    }

    /// The span of the value (or of what stands in its place after an error).
    pub fn value_span(self) -> Option<Span> {
        node_after(self.0, K::Colon).map(Node::span)
    }
}

/// The names declared by a loop or lambda header: a single [`SyntaxKind::LocalVariable`] or those of a
/// [`SyntaxKind::VariableBlock`].
fn local_names(node: Node<'_>) -> Vec<TokenRef<'_>> {
    let single = node.child_nodes().find(|n| n.kind() == K::LocalVariable);
    let block = node.child_of_kind(K::VariableBlock);
    single
        .into_iter()
        .chain(
            block
                .into_iter()
                .flat_map(|b| b.child_nodes().filter(|n| n.kind() == K::LocalVariable)),
        )
        .filter_map(|n| n.token_of_kind(K::Ident))
        .collect()
}

impl<'t> ForExpr<'t> {
    /// The loop item's name.
    pub fn item_name(self) -> Option<TokenRef<'t>> {
        local_names(self.0).first().copied()
    }

    /// The loop index's name, for `(item, index)` loops.
    pub fn index_name(self) -> Option<TokenRef<'t>> {
        self.0
            .child_of_kind(K::VariableBlock)
            .and_then(|_| local_names(self.0).get(1).copied())
    }

    /// The collection (or `range(...)`) iterated over.
    pub fn source(self) -> Option<Expr<'t>> {
        let in_keyword = self
            .0
            .child_tokens()
            .find(|t| t.kind() == K::Ident && t.text() == "in")?;
        let mut after = significant(self.0).skip_while(move |c| *c != Element::Token(in_keyword));
        after.next();
        match after.next()? {
            Element::Node(n) => Expr::cast(n),
            Element::Token(_) => None,
        }
    }

    /// The body: any expression, or for resources and modules an object or `if (...) {...}`.
    pub fn body(self) -> Option<LoopBody<'t>> {
        node_after(self.0, K::Colon).and_then(LoopBody::cast)
    }
}

view!(
    /// The body of a loop: an expression or an `if (...) {...}` condition.
    LoopBody: IntLiteral | BoolLiteral | NullLiteral | StringLiteral | VariableAccess | Call | InstanceCall
        | PropertyAccess | IndexAccess | ResourceAccess | NonNullAssert | Unary | Binary | Ternary | Parenthesized
        | Array | Object | For | Lambda | IfCondition
);

impl<'t> LoopBody<'t> {
    /// The body as an expression (`None` for an `if` condition).
    pub fn expr(self) -> Option<Expr<'t>> {
        Expr::cast(self.0)
    }

    /// The `if (...) {...}` condition of a conditional resource or module loop.
    pub fn if_condition(self) -> Option<IfCondition<'t>> {
        IfCondition::cast(self.0)
    }
}

impl<'t> IfCondition<'t> {
    /// The condition (inside the parentheses).
    pub fn condition(self) -> Option<Expr<'t>> {
        self.0
            .child_of_kind(K::Parenthesized)
            .and_then(|p| nth_expr(p, 0))
    }

    /// The body object.
    pub fn body(self) -> Option<ObjectExpr<'t>> {
        self.0.child_nodes().find_map(ObjectExpr::cast)
    }
}

impl<'t> LambdaExpr<'t> {
    /// The parameter names.
    pub fn parameters(self) -> Vec<TokenRef<'t>> {
        local_names(self.0)
    }

    /// The body.
    pub fn body(self) -> Option<Expr<'t>> {
        expr_after(self.0, K::Arrow)
    }
}
