//! The kinds of tokens, trivia and nodes in a Bicep syntax tree.

/// The kind of a token, a trivia item or a node.
///
/// Tokens and trivia are leaves of the tree; every other kind is an inner node. The token kinds follow the
/// Bicep compiler's `TokenType` one to one (see [`SyntaxKind::compiler_token_name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum SyntaxKind {
    // ----- tokens -----
    /// `@`
    At,
    /// A character (or run of `$`) that starts no token; always reported as an error.
    Unrecognized,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `?`
    Question,
    /// `:`
    Colon,
    /// `;`
    Semicolon,
    /// `=`
    Assign,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `!`
    Bang,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    LtEq,
    /// `>=`
    GtEq,
    /// `==`
    EqEq,
    /// `!=`
    NotEq,
    /// `=~` (case-insensitive equals)
    EqTilde,
    /// `!~` (case-insensitive not equals)
    NotTilde,
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
    /// An identifier; every keyword except `true`, `false` and `null` is an identifier.
    Ident,
    /// The first piece of an interpolated string, up to and including the first `${`.
    StringHead,
    /// A piece of an interpolated string between two holes: `}...${`.
    StringMiddle,
    /// The last piece of an interpolated string: `}...'`.
    StringTail,
    /// A string without holes: `'...'`, `'''...'''` or `$'''...'''`.
    String,
    /// A non-negative integer literal.
    Integer,
    /// `true`
    TrueKw,
    /// `false`
    FalseKw,
    /// `null`
    NullKw,
    /// A run of line-break characters (`\n`, `\r`).
    Newline,
    /// The zero-length end-of-file token.
    Eof,
    /// `??`
    QuestionQuestion,
    /// `::`
    ColonColon,
    /// `=>`
    Arrow,
    /// `|`
    Pipe,
    /// `...`
    Ellipsis,
    /// `^`
    Caret,

    // ----- trivia -----
    /// Spaces and tabs.
    Whitespace,
    /// `// ...` up to the end of the line.
    LineComment,
    /// `/* ... */`
    BlockComment,
    /// `#disable-next-line`, `#disable-diagnostics` or `#restore-diagnostics` with its codes.
    Pragma,
    /// The UTF-8 byte-order mark at the very start of the file.
    ByteOrderMark,

    // ----- nodes -----
    /// The whole file.
    Program,
    /// Tokens the parser skipped while recovering from an error (or an empty placeholder for a missing piece).
    Skipped,
    /// `@name(...)` before a declaration, property type or tuple item.
    Decorator,
    /// `targetScope = ...`
    TargetScopeDecl,
    /// `metadata name = ...`
    MetadataDecl,
    /// `param name type [= default]`
    ParamDecl,
    /// `= value` of a parameter declaration.
    ParamDefault,
    /// `var name [type] = value`
    VarDecl,
    /// `output name type = value`
    OutputDecl,
    /// `resource name 'Type@version' [existing] = value`
    ResourceDecl,
    /// `module name 'path' = value`
    ModuleDecl,
    /// `type name = type`
    TypeDecl,
    /// `func name(args) type => body`
    FuncDecl,
    /// Compile-time import: `import {a, b as c} from 'path'` or `import * as ns from 'path'`.
    ImportDecl,
    /// `extension name [with {...}] [as alias]` (also the legacy `import 'name@version'`).
    ExtensionDecl,
    /// `assert name = condition`
    AssertDecl,
    /// `test name 'path' = {...}`
    TestDecl,
    /// `using 'path' [with {...}]` or `using none` (`.bicepparam`).
    UsingDecl,
    /// `extends 'path'` (`.bicepparam`).
    ExtendsDecl,
    /// `param name = value` (`.bicepparam`).
    ParamAssignment,
    /// `extensionConfig alias with {...}` (`.bicepparam`).
    ExtensionConfigDecl,
    /// Decorators that are not followed by a declaration.
    MissingDecl,
    /// `{ a, b as c }` of an import.
    ImportSymbolList,
    /// `a` or `a as c` inside an import symbol list.
    ImportSymbol,
    /// `* as ns` of an import.
    WildcardImport,
    /// `as name`
    AliasClause,
    /// `from 'path'`
    FromClause,
    /// `with { ... }`
    WithClause,
    /// The `none` of `using none`.
    NoneLiteral,
    /// An integer literal.
    IntLiteral,
    /// `true` or `false`.
    BoolLiteral,
    /// `null`
    NullLiteral,
    /// A string literal, possibly with `${...}` holes.
    StringLiteral,
    /// A reference to a variable, parameter, resource, ...: `name`.
    VariableAccess,
    /// A function call: `name(args)`.
    Call,
    /// A call on a value or namespace: `base.name(args)` (e.g. `az.resourceGroup()`).
    InstanceCall,
    /// One argument of a call.
    Argument,
    /// `base.name` or `base.?name`
    PropertyAccess,
    /// `base[index]`, `base[?index]` or `base[^index]`
    IndexAccess,
    /// `base::name` (nested resource access)
    ResourceAccess,
    /// `base!` (non-null assertion)
    NonNullAssert,
    /// `!x` or `-x`
    Unary,
    /// `left op right`
    Binary,
    /// `cond ? a : b`
    Ternary,
    /// `(expr)`
    Parenthesized,
    /// `[ items ]`
    Array,
    /// One item of an array.
    ArrayItem,
    /// `{ properties }`
    Object,
    /// `key: value` inside an object.
    ObjectProperty,
    /// `...expr` inside an array or object.
    Spread,
    /// `[for item in items: body]`
    For,
    /// `(item, index)` of a for-expression or the parameters of a lambda.
    VariableBlock,
    /// A declared local variable (loop item, loop index, lambda parameter).
    LocalVariable,
    /// `if (condition) { body }` of a resource or module.
    IfCondition,
    /// `x => body` or `(a, b) => body`
    Lambda,
    /// `(a type, b type) type => body` of a `func` declaration.
    TypedLambda,
    /// `(a type, b type)` of a typed lambda.
    TypedVariableBlock,
    /// `name type` inside a typed variable block.
    TypedLocalVariable,
    /// A named type: `string`, `myType`.
    TypeVariableAccess,
    /// `name<args>` (e.g. `resourceInput<'T@v'>`).
    ParameterizedType,
    /// `base.name<args>`
    InstanceParameterizedType,
    /// One argument of a parameterized type.
    TypeArgument,
    /// `resource 'Type@version'` used as a type.
    ResourceType,
    /// `{ name: type, ... }` as a type.
    ObjectType,
    /// `name: type` inside an object type.
    ObjectTypeProperty,
    /// `*: type` inside an object type.
    ObjectTypeAdditionalProperties,
    /// `[type, type]` as a type.
    TupleType,
    /// One item of a tuple type.
    TupleTypeItem,
    /// `a | b | c`
    UnionType,
    /// One member of a union type.
    UnionTypeMember,
    /// `type?`
    NullableType,
    /// `type!`
    NonNullableType,
    /// `type[]`
    ArrayType,
    /// `base.name` in a type.
    TypePropertyAccess,
    /// `base[index]` in a type.
    TypeIndexAccess,
    /// `base[*]` in a type.
    TypeItemsAccess,
    /// `base.*` in a type.
    TypeAdditionalPropertiesAccess,
    /// `-1` or `!x` in a type.
    UnaryType,
    /// `(type)`
    ParenthesizedType,
}

use SyntaxKind as K;

impl SyntaxKind {
    /// Whether this kind is a token (a leaf the parser reads), not trivia or a node.
    pub fn is_token(self) -> bool {
        self <= K::Caret
    }

    /// Whether this kind is trivia: whitespace, a comment, a pragma or the byte-order mark.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            K::Whitespace | K::LineComment | K::BlockComment | K::Pragma | K::ByteOrderMark
        )
    }

    /// Whether this kind is an inner node.
    pub fn is_node(self) -> bool {
        self >= K::Program
    }

    /// Whether this kind is a statement (top-level declaration or nested resource).
    pub fn is_declaration(self) -> bool {
        (K::TargetScopeDecl..=K::MissingDecl).contains(&self) && self != K::ParamDefault
    }

    /// The name of the Bicep compiler's `TokenType` for this token kind, or `None` for trivia and nodes.
    ///
    /// This is the documented mapping used by the conformance tests against the compiler's
    /// `main.tokens.bicep` baselines. The compiler also has a `Dollar` token type that its lexer never
    /// produces (a `$` that does not start `$'''` is `Unrecognized`), so it has no counterpart here.
    pub fn compiler_token_name(self) -> Option<&'static str> {
        Some(match self {
            K::At => "At",
            K::Unrecognized => "Unrecognized",
            K::LBrace => "LeftBrace",
            K::RBrace => "RightBrace",
            K::LParen => "LeftParen",
            K::RParen => "RightParen",
            K::LBracket => "LeftSquare",
            K::RBracket => "RightSquare",
            K::Comma => "Comma",
            K::Dot => "Dot",
            K::Question => "Question",
            K::Colon => "Colon",
            K::Semicolon => "Semicolon",
            K::Assign => "Assignment",
            K::Plus => "Plus",
            K::Minus => "Minus",
            K::Star => "Asterisk",
            K::Slash => "Slash",
            K::Percent => "Modulo",
            K::Bang => "Exclamation",
            K::Lt => "LeftChevron",
            K::Gt => "RightChevron",
            K::LtEq => "LessThanOrEqual",
            K::GtEq => "GreaterThanOrEqual",
            K::EqEq => "Equals",
            K::NotEq => "NotEquals",
            K::EqTilde => "EqualsInsensitive",
            K::NotTilde => "NotEqualsInsensitive",
            K::AndAnd => "LogicalAnd",
            K::OrOr => "LogicalOr",
            K::Ident => "Identifier",
            K::StringHead => "StringLeftPiece",
            K::StringMiddle => "StringMiddlePiece",
            K::StringTail => "StringRightPiece",
            K::String => "StringComplete",
            K::Integer => "Integer",
            K::TrueKw => "TrueKeyword",
            K::FalseKw => "FalseKeyword",
            K::NullKw => "NullKeyword",
            K::Newline => "NewLine",
            K::Eof => "EndOfFile",
            K::QuestionQuestion => "DoubleQuestion",
            K::ColonColon => "DoubleColon",
            K::Arrow => "Arrow",
            K::Pipe => "Pipe",
            K::Ellipsis => "Ellipsis",
            K::Caret => "Hat",
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SyntaxKind as K;

    #[test]
    fn classes_are_disjoint() {
        for k in [K::At, K::Caret, K::Eof, K::Ident] {
            assert!(k.is_token() && !k.is_trivia() && !k.is_node());
            assert!(k.compiler_token_name().is_some());
        }
        for k in [K::Whitespace, K::Pragma, K::ByteOrderMark] {
            assert!(!k.is_token() && k.is_trivia() && !k.is_node());
            assert!(k.compiler_token_name().is_none());
        }
        for k in [K::Program, K::ParenthesizedType, K::ResourceDecl] {
            assert!(!k.is_token() && !k.is_trivia() && k.is_node());
        }
        assert!(K::ResourceDecl.is_declaration());
        assert!(K::MissingDecl.is_declaration());
        assert!(!K::ParamDefault.is_declaration());
        assert!(!K::ImportSymbolList.is_declaration());
    }
}
