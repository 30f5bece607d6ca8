//! Byte spans and syntax errors.

use std::fmt;

/// A half-open range of byte offsets into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte of the span.
    pub start: u32,
    /// One past the last byte of the span.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (in bytes).
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn empty(offset: u32) -> Span {
        Span::new(offset, offset)
    }

    /// Length in bytes.
    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The span as a `usize` range, for slicing the source text.
    pub const fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both `self` and `other`.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// The kind of symbol whose name is missing in [`ErrorKind::ExpectedIdentifier`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// A parameter.
    Parameter,
    /// A variable (also a function or lambda parameter).
    Variable,
    /// An output.
    Output,
    /// A resource.
    Resource,
    /// A module.
    Module,
    /// A loop variable.
    LoopVariable,
    /// An extension alias.
    ExtensionAlias,
    /// A metadata entry.
    Metadata,
    /// A type.
    Type,
    /// An assertion.
    Assert,
    /// A test.
    Test,
    /// An import namespace.
    Namespace,
}

impl Symbol {
    fn describe(self) -> &'static str {
        match self {
            Symbol::Parameter => "parameter",
            Symbol::Variable => "variable",
            Symbol::Output => "output",
            Symbol::Resource => "resource",
            Symbol::Module => "module",
            Symbol::LoopVariable => "loop variable",
            Symbol::ExtensionAlias => "extension alias",
            Symbol::Metadata => "metadata",
            Symbol::Type => "type",
            Symbol::Assert => "assert",
            Symbol::Test => "test",
            Symbol::Namespace => "namespace",
        }
    }
}

/// What went wrong. Each kind corresponds to one diagnostic of the Bicep compiler's lexer or parser, whose
/// code [`ErrorKind::compiler_code`] gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A character that starts no token (given).
    UnrecognizedToken(char),
    /// An input of [`crate::MAX_INPUT`] bytes or more, which this parser does not read.
    InputTooLarge,
    /// More errors than [`crate::MAX_ERRORS`]; the rest are not reported.
    TooManyErrors,
    /// A `"`; Bicep strings use single quotes.
    DoubleQuote,
    /// A `/*` comment without `*/`.
    UnterminatedBlockComment,
    /// A string that reaches the end of the file.
    UnterminatedString,
    /// A string (or an interpolation hole) cut by a line break.
    UnterminatedStringAtNewline,
    /// A string that ends in the middle of an escape sequence.
    UnterminatedEscape,
    /// An unknown escape sequence such as `\q`.
    UnknownEscape,
    /// A malformed `\u{...}` escape.
    InvalidUnicodeEscape,
    /// A `'''` string without closing `'''`.
    UnterminatedMultilineString,
    /// A pragma without diagnostic codes.
    PragmaWithoutCodes,
    /// An identifier longer than 255 characters.
    IdentifierTooLong,
    /// Nesting deeper than the parser's limit ([`crate::MAX_NESTING`]).
    NestingTooDeep,
    /// A statement that starts with something other than a declaration keyword.
    UnrecognizedDeclaration,
    /// A statement that is not allowed in a `.bicepparam` file.
    UnrecognizedParamsDeclaration,
    /// Something other than `=` or a line break after a parameter's type.
    ExpectedParameterContinuation,
    /// Something that cannot start an expression.
    UnrecognizedExpression,
    /// An integer that does not fit in 64 bits.
    InvalidInteger,
    /// An invalid literal type.
    InvalidType,
    /// A missing keyword (given).
    ExpectedKeyword(&'static str),
    /// A missing punctuation character (given).
    ExpectedCharacter(&'static str),
    /// A missing line break.
    ExpectedNewline,
    /// A missing name of the given kind of symbol.
    ExpectedIdentifier(Symbol),
    /// A missing function or property name after `.` or `::`.
    ExpectedPropertyOrFunctionName,
    /// A missing numeric literal.
    ExpectedNumber,
    /// A missing property name in an object.
    ExpectedPropertyName,
    /// A missing property name or `*` in an object type.
    ExpectedPropertyNameOrMatcher,
    /// A missing variable or function name.
    ExpectedVariableOrFunctionName,
    /// A missing decorator or namespace name after `@`.
    ExpectedDecoratorName,
    /// A resource type that is not a string.
    ExpectedResourceTypeString,
    /// A module path that is not a string.
    ExpectedModulePathString,
    /// A test path that is not a string.
    ExpectedTestPathString,
    /// A file path that is not a string.
    ExpectedFilePathString,
    /// An extension specification that is neither a name nor a string.
    ExpectedExtensionSpecification,
    /// `extends` without a path.
    ExpectedExtendsPath,
    /// Something other than `{`, `if` or `[for` after `resource ... =` / `module ... =`.
    ExpectedBodyOrConditionOrLoop,
    /// Something other than `{` or `if` as the body of a resource or module loop.
    ExpectedBodyOrCondition,
    /// A missing loop item name or `(item, index)` block.
    ExpectedLoopVariable,
    /// A loop variable block without exactly two names (the count found is given).
    LoopVariableBlockCount(usize),
    /// A missing `,` between call arguments.
    ExpectedComma,
    /// A missing `,` or line break between items.
    ExpectedCommaOrNewline,
    /// A `,` followed by a line break between items.
    NewlineAfterComma,
    /// Tokens left inside an interpolation hole after its expression.
    UnexpectedTokensInInterpolation,
    /// An array or object literal where only simple expressions are allowed (e.g. in a hole).
    ComplexLiteralNotAllowed,
    /// An empty index `x[]`.
    EmptyIndexer,
    /// Parentheses that do not contain exactly one expression.
    ParenthesesNeedOneItem,
    /// `.?` before a function call.
    SafeAccessOnCall,
    /// A missing type.
    UnrecognizedTypeExpression,
    /// A union type member missing after `|`.
    ExpectedTypeLiteral,
    /// `with`/`as` or a line break expected after an extension.
    ExpectedWithOrAs,
    /// `with` or a line break expected after `using`.
    ExpectedWith,
    /// A missing import symbol list or `*`.
    ExpectedSymbolListOrWildcard,
    /// A missing name in an import symbol list.
    ExpectedExportedSymbolName,
    /// An interpolated string where a constant is required.
    CompileTimeConstantRequired,
    /// A quoted import symbol without `as alias`.
    ImportSymbolNeedsAlias,
}

impl ErrorKind {
    /// The code of the Bicep compiler diagnostic this error corresponds to (`"BCP018"`, ...), or
    /// `"akslint"` for the limits of this parser that the compiler does not have (nesting depth, input size,
    /// error count).
    pub fn compiler_code(&self) -> &'static str {
        use ErrorKind as E;
        match self {
            E::UnrecognizedToken(_) => "BCP001",
            E::UnterminatedBlockComment => "BCP002",
            E::UnterminatedString => "BCP003",
            E::UnterminatedStringAtNewline => "BCP004",
            E::UnterminatedEscape => "BCP005",
            E::UnknownEscape => "BCP006",
            E::UnrecognizedDeclaration => "BCP007",
            E::ExpectedParameterContinuation => "BCP008",
            E::UnrecognizedExpression => "BCP009",
            E::InvalidInteger => "BCP010",
            E::InvalidType => "BCP011",
            E::ExpectedKeyword(_) => "BCP012",
            E::ExpectedIdentifier(what) => match what {
                Symbol::Parameter => "BCP013",
                Symbol::Variable => "BCP015",
                Symbol::Output => "BCP016",
                Symbol::Resource => "BCP017",
                Symbol::Module => "BCP096",
                Symbol::LoopVariable => "BCP136",
                Symbol::ExtensionAlias => "BCP202",
                Symbol::Metadata => "BCP266",
                Symbol::Type => "BCP325",
                Symbol::Assert => "BCP344",
                Symbol::Test => "BCP346",
                Symbol::Namespace => "BCP356",
            },
            E::ExpectedCharacter(_) => "BCP018",
            E::ExpectedNewline => "BCP019",
            E::ExpectedPropertyOrFunctionName => "BCP020",
            E::ExpectedNumber => "BCP021",
            E::ExpectedPropertyName => "BCP022",
            E::ExpectedVariableOrFunctionName => "BCP023",
            E::IdentifierTooLong => "BCP024",
            E::CompileTimeConstantRequired => "BCP032",
            E::UnexpectedTokensInInterpolation => "BCP064",
            E::ExpectedResourceTypeString => "BCP068",
            E::ComplexLiteralNotAllowed => "BCP087",
            E::ExpectedModulePathString => "BCP097",
            E::DoubleQuote => "BCP103",
            E::EmptyIndexer => "BCP117",
            E::ExpectedBodyOrConditionOrLoop => "BCP118",
            E::ExpectedDecoratorName => "BCP123",
            E::InvalidUnicodeEscape => "BCP133",
            E::UnterminatedMultilineString => "BCP140",
            E::ExpectedLoopVariable => "BCP162",
            E::ExpectedBodyOrCondition => "BCP167",
            E::ExpectedExtensionSpecification => "BCP201",
            E::PragmaWithoutCodes => "BCP226",
            E::ExpectedCommaOrNewline => "BCP236",
            E::ExpectedComma => "BCP237",
            E::NewlineAfterComma => "BCP238",
            E::ParenthesesNeedOneItem => "BCP243",
            E::LoopVariableBlockCount(_) => "BCP249",
            E::ExpectedFilePathString => "BCP257",
            E::UnrecognizedTypeExpression => "BCP279",
            E::ExpectedTypeLiteral => "BCP300",
            E::ExpectedWithOrAs => "BCP305",
            E::ExpectedPropertyNameOrMatcher => "BCP317",
            E::SafeAccessOnCall => "BCP322",
            E::UnrecognizedParamsDeclaration => "BCP337",
            E::ExpectedTestPathString => "BCP347",
            E::ExpectedSymbolListOrWildcard => "BCP354",
            E::ExpectedExportedSymbolName => "BCP355",
            E::ImportSymbolNeedsAlias => "BCP375",
            E::ExpectedExtendsPath => "BCP404",
            E::ExpectedWith => "BCP436",
            E::NestingTooDeep | E::InputTooLarge | E::TooManyErrors => "akslint",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind as E;
        match self {
            E::UnrecognizedToken(c) => write!(f, "unrecognized character `{}`", c.escape_debug()),
            E::InputTooLarge => f.write_str("the input is 2 GiB or larger and was not parsed"),
            E::TooManyErrors => write!(f, "more than {} syntax errors; the rest are not reported", crate::MAX_ERRORS),
            E::DoubleQuote => f.write_str("unrecognized token `\"`: Bicep strings use single quotes"),
            E::UnterminatedBlockComment => f.write_str("unterminated comment: `/*` needs a closing `*/`"),
            E::UnterminatedString => f.write_str("unterminated string: add the closing `'`"),
            E::UnterminatedStringAtNewline => f.write_str("unterminated string: a line break cannot appear here"),
            E::UnterminatedEscape => f.write_str("unterminated string: it ends inside an escape sequence"),
            E::UnknownEscape => f.write_str(
                "unknown escape sequence; allowed are \\$ \\' \\\\ \\n \\r \\t and \\u{...}",
            ),
            E::InvalidUnicodeEscape => {
                f.write_str("invalid \\u{...} escape: give 1 or more hex digits of a code point up to 10FFFF")
            }
            E::UnterminatedMultilineString => f.write_str("unterminated multi-line string: add the closing `'''`"),
            E::PragmaWithoutCodes => f.write_str("this pragma needs at least one diagnostic code"),
            E::IdentifierTooLong => f.write_str("identifier longer than 255 characters"),
            E::NestingTooDeep => write!(f, "nesting deeper than {} levels", crate::MAX_NESTING),
            E::UnrecognizedDeclaration => f.write_str(
                "expected a declaration (metadata, param, var, type, func, resource, module, output, import, ...)",
            ),
            E::UnrecognizedParamsDeclaration => f.write_str(
                "this statement is not allowed in a .bicepparam file (expected using, extends, param, var, type, import)",
            ),
            E::ExpectedParameterContinuation => f.write_str("expected `=` or a line break"),
            E::UnrecognizedExpression => f.write_str("expected an expression"),
            E::InvalidInteger => f.write_str("integer literal too large for 64 bits"),
            E::InvalidType => f.write_str("expected a string, boolean, integer or null literal"),
            E::ExpectedKeyword(k) => write!(f, "expected the keyword `{k}`"),
            E::ExpectedCharacter(c) => write!(f, "expected `{c}`"),
            E::ExpectedNewline => f.write_str("expected a line break"),
            E::ExpectedIdentifier(what) => write!(f, "expected a {} name", what.describe()),
            E::ExpectedPropertyOrFunctionName => f.write_str("expected a property or function name"),
            E::ExpectedNumber => f.write_str("expected a number"),
            E::ExpectedPropertyName => f.write_str("expected a property name"),
            E::ExpectedPropertyNameOrMatcher => f.write_str("expected a property name or `*`"),
            E::ExpectedVariableOrFunctionName => f.write_str("expected a variable or function name"),
            E::ExpectedDecoratorName => f.write_str("expected a decorator or namespace name"),
            E::ExpectedResourceTypeString => f.write_str("expected a resource type string such as 'Type@version'"),
            E::ExpectedModulePathString => f.write_str("expected a path string"),
            E::ExpectedTestPathString => f.write_str("expected a test path string"),
            E::ExpectedFilePathString => f.write_str("expected a file path string"),
            E::ExpectedExtensionSpecification => f.write_str("expected an extension name or string"),
            E::ExpectedExtendsPath => f.write_str("expected the path of the file to extend"),
            E::ExpectedBodyOrConditionOrLoop => f.write_str("expected `{`, `if` or `[for`"),
            E::ExpectedBodyOrCondition => f.write_str("expected `{` or `if`"),
            E::ExpectedLoopVariable => f.write_str("expected a loop item name or `(item, index)`"),
            E::LoopVariableBlockCount(n) => {
                write!(f, "a loop variable block needs exactly 2 names (item, index), found {n}")
            }
            E::ExpectedComma => f.write_str("expected `,`"),
            E::ExpectedCommaOrNewline => f.write_str("expected `,` or a line break"),
            E::NewlineAfterComma => {
                f.write_str("items are separated by a comma or by a line break, not both")
            }
            E::UnexpectedTokensInInterpolation => f.write_str("unexpected tokens in the interpolation"),
            E::ComplexLiteralNotAllowed => f.write_str("array and object literals are not allowed here"),
            E::EmptyIndexer => f.write_str("empty index `[]`"),
            E::ParenthesesNeedOneItem => f.write_str("parentheses must contain exactly one expression"),
            E::SafeAccessOnCall => f.write_str("`.?` cannot be used before a function call"),
            E::UnrecognizedTypeExpression => f.write_str("expected a type"),
            E::ExpectedTypeLiteral => f.write_str("expected a type after `|`"),
            E::ExpectedWithOrAs => f.write_str("expected `with`, `as` or a line break"),
            E::ExpectedWith => f.write_str("expected `with` or a line break"),
            E::ExpectedSymbolListOrWildcard => f.write_str("expected `{` with the symbols to import, or `*`"),
            E::ExpectedExportedSymbolName => f.write_str("expected the name of an exported symbol"),
            E::CompileTimeConstantRequired => f.write_str("a constant string is required here"),
            E::ImportSymbolNeedsAlias => f.write_str("a quoted import symbol needs `as alias`"),
        }
    }
}

/// A syntax error: where it is and what went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The bytes the error is about (empty for something missing).
    pub span: Span,
    /// What went wrong.
    pub kind: ErrorKind,
}

impl SyntaxError {
    /// A human-readable message.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}: {}", self.span.start, self.span.end, self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_helpers() {
        let s = Span::new(2, 5);
        assert_eq!(s.len(), 3);
        assert!(!s.is_empty());
        assert!(Span::empty(4).is_empty());
        assert_eq!(s.range(), 2..5);
        assert_eq!(s.cover(Span::new(7, 9)), Span::new(2, 9));
    }

    #[test]
    fn messages_and_codes() {
        let e = SyntaxError {
            span: Span::new(0, 1),
            kind: ErrorKind::ExpectedCharacter("]"),
        };
        assert_eq!(e.message(), "expected `]`");
        assert_eq!(e.kind.compiler_code(), "BCP018");
        assert_eq!(e.to_string(), "0..1: expected `]`");
        assert_eq!(
            ErrorKind::ExpectedIdentifier(Symbol::Module).compiler_code(),
            "BCP096"
        );
        assert_eq!(
            ErrorKind::ExpectedIdentifier(Symbol::Namespace).to_string(),
            "expected a namespace name"
        );
        assert_eq!(ErrorKind::NestingTooDeep.compiler_code(), "akslint");
    }
}
