//! The recursive-descent parser.
//!
//! It follows the Bicep compiler's parser (`Parser.cs`, `ParamsParser.cs`, `BaseParser.cs`) production for
//! production, including its error recovery, so that it reports syntax errors where the compiler does:
//!
//! - A production that meets an unexpected token "throws" (returns `Err(Expected)`); the innermost enclosing
//!   [`Parser::recover`] catches it, throws away what was built since it started (errors included), skips
//!   tokens up to one of its terminators (a line break, a closing bracket, ...) and leaves one `Skipped` node
//!   holding every token from its start to there, with one error.
//! - A recovery whose preceding piece was already an empty `Skipped` node reports nothing
//!   ("suppression"), so one missing piece gives one error, not a cascade of zero-length ones.
//!
//! Nesting is limited to [`MAX_NESTING`] levels so that no input can overflow the stack.

use crate::error::{ErrorKind as E, Span, Symbol, SyntaxError};
use crate::kind::SyntaxKind as K;
use crate::kind::SyntaxKind;
use crate::lexer::{self, Token, takes_trailing_comments};
use crate::string::StringForm;
use crate::tree::{Builder, Spare, SyntaxTree};

/// The deepest nesting of expressions, types and objects the parser descends into; deeper input is skipped with
/// an [`E::NestingTooDeep`] error. Each array, parenthesis or type level counts one, each object two (the
/// object and its property value).
pub const MAX_NESTING: u32 = 128;

/// At most this many errors are reported; past it, one [`E::TooManyErrors`] error ends the list.
pub const MAX_ERRORS: usize = 1000;

/// Which grammar to parse with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A `.bicep` file.
    Bicep,
    /// A `.bicepparam` file.
    Params,
}

/// The terminators of most expression recoveries.
const EXPRESSION_END: [SyntaxKind; 5] =
    [K::StringTail, K::RBrace, K::RParen, K::RBracket, K::Newline];

/// Declaration keywords before which a lambda body does not swallow line breaks.
const DECLARATION_KEYWORDS: [&str; 9] = [
    "assert", "import", "metadata", "param", "var", "resource", "output", "module", "type",
];

/// What an expression may contain (the compiler's `ExpressionFlags`).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Flags {
    /// Array and object literals (not allowed inside `${...}`).
    complex: bool,
    /// Nested resource declarations (inside resource bodies).
    resources: bool,
}

const SIMPLE: Flags = Flags {
    complex: false,
    resources: false,
};
const COMPLEX: Flags = Flags {
    complex: true,
    resources: false,
};
const RESOURCE_BODY: Flags = Flags {
    complex: true,
    resources: true,
};

/// A piece the parser produced: a token or a node. It is 8 bytes, and so is a [`PResult`] of it, so that
/// productions return it in a register (a larger result goes through memory, and reading back what the callee
/// wrote field by field stalls the processor); its span is looked up when needed ([`Parser::span`]).
#[derive(Clone, Copy, Debug)]
struct Syn {
    kind: SyntaxKind,
    /// Whether the span is empty.
    empty: bool,
    /// The index of the node (for node kinds) or of the token.
    index: u32,
}

impl Syn {
    fn is_skipped(self) -> bool {
        self.kind == K::Skipped
    }

    /// Whether errors right after this piece are suppressed: it is an empty `Skipped` placeholder.
    fn suppresses(self) -> bool {
        self.is_skipped() && self.empty
    }

    /// The node's id (`None` for a token).
    fn id(self) -> Option<u32> {
        self.kind.is_node().then_some(self.index)
    }
}

/// An unexpected token (the compiler's `ExpectedTokenException`).
#[derive(Debug)]
struct Expected {
    span: Span,
    kind: E,
}

/// A production failed on an unexpected token; what was expected is in [`Parser::thrown`]. The error is zero-sized
/// so that a [`PResult`] is as small as what it holds (see [`Syn`]). Only [`Parser::throw`] makes one.
#[derive(Debug)]
struct Thrown(());

/// The result of a production.
type PResult<T = Syn> = Result<T, Thrown>;

// Production results fit in a register.
const _: () = assert!(std::mem::size_of::<PResult>() == 8);

/// How a recovery behaves.
#[derive(Clone, Copy)]
struct Recovery {
    /// Report nothing (the previous piece is already an empty placeholder).
    suppress: bool,
    /// Also skip the terminator.
    consume: bool,
}

const REPORT: Recovery = Recovery {
    suppress: false,
    consume: false,
};
const CONSUME: Recovery = Recovery {
    suppress: false,
    consume: true,
};

/// Suppresses the recovery's error if `suppress` holds.
fn after(suppress: bool) -> Recovery {
    Recovery {
        suppress,
        consume: false,
    }
}

/// One element of a parenthesised list, remembered for rewriting the list afterwards.
#[derive(Clone, Copy)]
struct Item {
    height: usize,
    syn: Syn,
}

/// Parses `text` as a file of the given kind; returns the tree and all lexical and syntax errors, in order.
pub(crate) fn parse(text: &str, file: FileKind) -> (SyntaxTree, Vec<SyntaxError>) {
    let mut spare = Spare::take();
    let lex_error_list = lexer::lex_into(text, &mut spare.tokens);
    let lex_errors: Vec<Span> = lex_error_list.iter().map(|e| e.span).collect();
    let builder = Builder::new(spare);
    let mut parser = Parser {
        text,
        pos: builder.next_token(),
        b: builder,
        errors: Vec::new(),
        thrown: None,
        lex_errors,
        depth: 0,
        file,
    };
    parser.program();
    let mut errors = parser.errors;
    errors.extend(lex_error_list);
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    if let Some(&first_dropped) = errors.get(MAX_ERRORS) {
        errors.truncate(MAX_ERRORS);
        errors.push(SyntaxError {
            span: first_dropped.span,
            kind: E::TooManyErrors,
        });
    }
    (parser.b.finish(text, K::Program), errors)
}

struct Parser<'a> {
    text: &'a str,
    /// The tree being built; it holds the tokens (trivia included), the last of which is the end of file.
    b: Builder,
    /// The reader position: the index of a significant token in the token list (never past the end of file).
    pos: usize,
    errors: Vec<SyntaxError>,
    /// What the last production that failed expected (taken by the recovery that catches the failure).
    thrown: Option<Expected>,
    lex_errors: Vec<Span>,
    depth: u32,
    file: FileKind,
}

impl<'a> Parser<'a> {
    // ----- token access -----

    fn token_at(&self, i: usize) -> Token {
        let tokens = self.b.tokens();
        tokens.get(i.min(tokens.len() - 1))
    }

    /// The index of the significant token after token `i` (the end of file stays put).
    #[inline]
    fn next(&self, i: usize) -> usize {
        let tokens = self.b.tokens();
        let mut next = i + 1;
        while tokens.is_trivia(next) {
            next += 1;
        }
        next.min(tokens.len() - 1)
    }

    /// The index of the significant token before token `i`, if any.
    fn previous(&self, i: usize) -> Option<usize> {
        let tokens = self.b.tokens();
        (0..i.min(tokens.len()))
            .rev()
            .find(|&j| !tokens.kind(j).is_trivia())
    }

    fn kind_at(&self, i: usize) -> SyntaxKind {
        let tokens = self.b.tokens();
        tokens.kind(i.min(tokens.len() - 1))
    }

    fn text_at(&self, i: usize) -> &'a str {
        let text: &'a str = self.text;
        &text[self.token_at(i).span.range()]
    }

    #[inline]
    fn peek(&self) -> SyntaxKind {
        self.b.tokens().kind(self.pos)
    }

    #[inline]
    fn at_end(&self) -> bool {
        self.peek() == K::Eof
    }

    /// Whether the current token is of `kind` (never true at the end of the file).
    #[inline]
    fn check(&self, kind: SyntaxKind) -> bool {
        kind != K::Eof && self.peek() == kind
    }

    fn check_any(&self, kinds: &[SyntaxKind]) -> bool {
        let current = self.peek();
        current != K::Eof && kinds.contains(&current)
    }

    fn is_keyword_at(&self, i: usize, keyword: &str) -> bool {
        self.kind_at(i) == K::Ident && self.text_at(i) == keyword
    }

    fn check_keyword(&self, keyword: &str) -> bool {
        !self.at_end() && self.is_keyword_at(self.pos, keyword)
    }

    /// The index of the first token at or after `i` that is not a line break.
    fn skip_newlines_from(&self, mut i: usize) -> usize {
        while self.kind_at(i) == K::Newline {
            i = self.next(i);
        }
        i
    }

    /// Whether the line-break token `i` has a comment in its leading trivia (as the compiler splits trivia).
    fn newline_has_leading_comment(&self, i: usize) -> bool {
        let raw = self.b.tokens();
        let own = i.min(raw.len() - 1);
        let mut j = 0;
        if let Some(prev) = self.previous(own) {
            let sticky = takes_trailing_comments(raw.kind(prev));
            j = prev + 1;
            while j < own
                && (raw.kind(j) == K::Whitespace
                    || sticky && matches!(raw.kind(j), K::LineComment | K::BlockComment))
            {
                j += 1;
            }
        }
        (j..own).any(|k| matches!(raw.kind(k), K::LineComment | K::BlockComment))
    }

    // ----- building -----

    /// Reads the current token into the tree.
    #[inline(always)]
    fn read(&mut self) -> Syn {
        let pos = self.pos;
        let token = self.b.tokens().get(pos);
        debug_assert!(token.kind == K::Eof || self.b.next_token() == pos);
        self.b.token_through(pos);
        self.pos = self.next(pos);
        Syn {
            kind: token.kind,
            empty: token.span.is_empty(),
            index: pos as u32,
        }
    }

    fn wrap(&mut self, mark: crate::tree::Mark, kind: SyntaxKind) -> Syn {
        let (id, span) = self.b.wrap(mark, kind);
        Syn {
            kind,
            empty: span.is_empty(),
            index: id,
        }
    }

    /// Wraps everything from stack height `start` (a piece already parsed) into a node.
    fn wrap_from(&mut self, start: usize, kind: SyntaxKind) -> Syn {
        let (id, span) = self.b.wrap_from(start, kind);
        Syn {
            kind,
            empty: span.is_empty(),
            index: id,
        }
    }

    fn error(&mut self, span: Span, kind: E) {
        self.errors.push(SyntaxError { span, kind });
    }

    /// An error about the current token (an empty span at a line break, as the compiler does).
    fn unexpected(&mut self, kind: E) -> Thrown {
        self.unexpected_at(self.pos, kind)
    }

    fn unexpected_at(&mut self, i: usize, kind: E) -> Thrown {
        let token = self.token_at(i);
        let span = if token.kind == K::Newline {
            Span::empty(token.span.start)
        } else {
            token.span
        };
        self.throw(span, kind)
    }

    /// Fails with an error of `kind` at `span`.
    fn throw(&mut self, span: Span, kind: E) -> Thrown {
        self.thrown = Some(Expected { span, kind });
        Thrown(())
    }

    /// The span of a piece.
    fn span(&self, syn: Syn) -> Span {
        if syn.kind.is_node() {
            self.b.node_span(syn.index)
        } else {
            self.b.tokens().span(syn.index as usize)
        }
    }

    /// An empty `Skipped` placeholder at the current position, with an optional error.
    fn skip_empty(&mut self, error: Option<E>) -> Syn {
        let mark = self.b.mark();
        let syn = self.wrap(mark, K::Skipped);
        if let Some(kind) = error {
            self.error(self.span(syn), kind);
        }
        syn
    }

    /// Reads the current token into a `Skipped` node with an error.
    fn skip_token(&mut self, kind: E) -> Syn {
        let mark = self.b.mark();
        self.read();
        let syn = self.wrap(mark, K::Skipped);
        self.error(self.span(syn), kind);
        syn
    }

    /// Runs `f`; if it fails, rolls back and skips to a terminator (the compiler's `WithRecovery`).
    #[inline(always)]
    fn try_recover<T>(
        &mut self,
        recovery: Recovery,
        terminators: &[SyntaxKind],
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> Result<T, Syn> {
        let mark = self.b.mark();
        let errors = self.errors.len();
        f(self).map_err(|Thrown(())| {
            let expected = self.thrown.take();
            debug_assert!(expected.is_some(), "a failure without an error");
            let (kind, span) = expected.map_or((E::UnrecognizedExpression, None), |e| {
                (e.kind, Some(e.span))
            });
            self.b.rollback(mark);
            self.errors.truncate(errors);
            self.synchronize(mark.token as usize, recovery, terminators, kind, span)
        })
    }

    #[inline(always)]
    fn recover(
        &mut self,
        recovery: Recovery,
        terminators: &[SyntaxKind],
        f: impl FnOnce(&mut Self) -> PResult,
    ) -> Syn {
        self.try_recover(recovery, terminators, f)
            .unwrap_or_else(|skipped| skipped)
    }

    fn recover_opt(
        &mut self,
        recovery: Recovery,
        terminators: &[SyntaxKind],
        f: impl FnOnce(&mut Self) -> PResult<Option<Syn>>,
    ) -> Option<Syn> {
        self.try_recover(recovery, terminators, f)
            .unwrap_or_else(Some)
    }

    /// Skips from the current position to a terminator and wraps the tokens from `start` (not yet in the tree)
    /// into a `Skipped` node with an error (at `span`, or over the skipped tokens).
    fn synchronize(
        &mut self,
        start: usize,
        recovery: Recovery,
        terminators: &[SyntaxKind],
        kind: E,
        span: Option<Span>,
    ) -> Syn {
        while !self.at_end() && !terminators.contains(&self.peek()) {
            self.pos = self.next(self.pos);
        }
        let skipped_span = match self.previous(self.pos).filter(|&last| last >= start) {
            Some(last) => self.token_at(start).span.cover(self.token_at(last).span),
            None => Span::empty(self.token_at(start).span.start),
        };
        if recovery.consume && self.check_any(terminators) {
            self.pos = self.next(self.pos);
        }
        let mark = self.b.mark();
        while self.b.next_token() < self.pos {
            self.b.token();
        }
        let syn = self.wrap(mark, K::Skipped);
        if !recovery.suppress {
            self.error(span.unwrap_or(skipped_span), kind);
        }
        syn
    }

    /// Enters one nesting level, or fails past [`MAX_NESTING`].
    #[inline(always)]
    fn nested(&mut self, f: impl FnOnce(&mut Self) -> PResult) -> PResult {
        if self.depth >= MAX_NESTING {
            return Err(self.unexpected(E::NestingTooDeep));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// Whether the node built since `mark` contains an error (from the parser or the lexer).
    fn has_error_since(&self, errors_before: usize, span: Span) -> bool {
        self.errors.len() > errors_before
            || self
                .lex_errors
                .iter()
                .any(|e| span.start <= e.start && e.end <= span.end)
    }

    // ----- small pieces -----

    #[inline(always)]
    fn expect(&mut self, kind: SyntaxKind, error: E) -> PResult {
        if self.check(kind) {
            Ok(self.read())
        } else {
            Err(self.unexpected(error))
        }
    }

    fn expect_keyword(&mut self, keyword: &'static str, error: E) -> PResult {
        if self.check_keyword(keyword) {
            Ok(self.read())
        } else {
            Err(self.unexpected(error))
        }
    }

    fn keyword(&mut self, keyword: &'static str) -> PResult {
        self.expect_keyword(keyword, E::ExpectedKeyword(keyword))
    }

    fn assignment(&mut self) -> PResult {
        self.expect(K::Assign, E::ExpectedCharacter("="))
    }

    fn identifier(&mut self, error: E) -> PResult {
        self.expect(K::Ident, error)
    }

    fn identifier_or_skip(&mut self, error: E) -> Syn {
        if self.check(K::Ident) {
            self.read()
        } else {
            self.skip_empty(Some(error))
        }
    }

    fn identifier_recover(
        &mut self,
        error: E,
        recovery: Recovery,
        terminators: &[SyntaxKind],
    ) -> Syn {
        self.recover(recovery, terminators, |p| p.identifier(error))
    }

    fn newline(&mut self) -> PResult {
        self.expect(K::Newline, E::ExpectedNewline)
    }

    fn newline_or_eof(&mut self) -> PResult<Option<Syn>> {
        if self.peek() == K::Eof {
            Ok(None)
        } else {
            self.newline().map(Some)
        }
    }

    fn newlines(&mut self) {
        while self.check(K::Newline) {
            self.read();
        }
    }

    /// Reads line breaks, remembering them as items of a parenthesised list.
    fn newline_items(&mut self, items: &mut Vec<Item>) {
        while self.check(K::Newline) {
            let height = self.b.height();
            items.push(Item {
                height,
                syn: self.read(),
            });
        }
    }

    /// Fails with `error` at the first token if `f` returns a `Skipped` node.
    fn throw_if_skipped(&mut self, error: E, f: impl FnOnce(&mut Self) -> PResult) -> PResult {
        let start = self.pos;
        let syn = f(self)?;
        if syn.is_skipped() {
            Err(self.unexpected_at(start, error))
        } else {
            Ok(syn)
        }
    }

    // ----- program and declarations -----

    fn program(&mut self) {
        while !self.at_end() {
            let declaration = self.declaration(None);
            if declaration.kind.is_declaration() && declaration.kind != K::MissingDecl {
                self.recover_opt(CONSUME, &[K::Newline], |p| p.newline_or_eof());
            }
        }
        self.read();
        // From the very first token, so that leading trivia is inside the root too.
        self.wrap_from(0, K::Program);
    }

    /// A statement (`only`: the one keyword allowed, for nested resources).
    fn declaration(&mut self, only: Option<&str>) -> Syn {
        self.recover(REPORT, &[K::Newline], |p| {
            let mark = p.b.mark();
            let decorated = p.decorators();
            let current = p.pos;
            let keyword = match p.peek() {
                K::Ident => p.text_at(current),
                K::Newline => return p.newline(),
                _ => "",
            };
            let keyword = if only.is_none_or(|o| o == keyword) {
                keyword
            } else {
                ""
            };
            let kind = match (p.file, keyword) {
                (FileKind::Bicep, "targetScope") => p.target_scope(),
                (FileKind::Bicep, "metadata") => p.metadata(),
                (_, "type") => p.type_declaration(),
                (FileKind::Bicep, "param") => p.parameter(),
                (FileKind::Params, "param") => p.parameter_assignment(),
                (_, "var") => p.variable(),
                (FileKind::Bicep, "func") => p.function(),
                (FileKind::Bicep, "resource") => p.resource(),
                (FileKind::Bicep, "output") => p.output(),
                (FileKind::Bicep, "module") => p.module(),
                (FileKind::Bicep, "test") => p.test(),
                (FileKind::Bicep, "assert") => p.assert(),
                (FileKind::Bicep, "import") => p.import(),
                (FileKind::Params, "import") => {
                    p.read();
                    p.compile_time_import()
                }
                (_, "extension") => {
                    p.read();
                    p.extension()
                }
                (FileKind::Params, "using") => p.using(),
                (FileKind::Params, "extends") => p.extends(),
                (FileKind::Params, "extensionConfig") => p.extension_config(),
                (FileKind::Bicep, _) if decorated => Ok(K::MissingDecl),
                (FileKind::Bicep, _) => Err(p.unexpected(E::UnrecognizedDeclaration)),
                (FileKind::Params, _) => Err(p.unexpected(E::UnrecognizedParamsDeclaration)),
            }?;
            Ok(p.wrap(mark, kind))
        })
    }

    /// Decorators with their line breaks; whether there were any.
    fn decorators(&mut self) -> bool {
        let mut any = false;
        while self.check(K::At) {
            any = true;
            self.decorator();
            self.recover(CONSUME, &[K::Newline], |p| p.newline());
            self.newlines();
        }
        any
    }

    fn decorator(&mut self) {
        let mark = self.b.mark();
        self.read();
        self.recover(REPORT, &[K::Newline], |p| {
            let inner = p.b.mark();
            p.identifier(E::ExpectedDecoratorName)?;
            let mut syn = if p.check(K::LParen) {
                p.call_arguments(COMPLEX);
                p.wrap(inner, K::Call)
            } else {
                p.wrap(inner, K::VariableAccess)
            };
            while p.check(K::Dot) {
                p.read();
                p.identifier_or_skip(E::ExpectedPropertyOrFunctionName);
                syn = if p.check(K::LParen) {
                    p.call_arguments(COMPLEX);
                    p.wrap(inner, K::InstanceCall)
                } else {
                    p.wrap(inner, K::PropertyAccess)
                };
            }
            Ok(syn)
        });
        self.wrap(mark, K::Decorator);
    }

    fn target_scope(&mut self) -> PResult<SyntaxKind> {
        self.read();
        self.recover(REPORT, &[K::Newline], |p| p.assignment());
        self.recover(REPORT, &[K::Newline], |p| p.expression(COMPLEX));
        Ok(K::TargetScopeDecl)
    }

    /// `name = value` after a keyword (metadata, assert, `.bicepparam` params).
    fn name_assign_value(&mut self, symbol: Symbol, name_terminators: &[SyntaxKind]) {
        let name = self.identifier_recover(E::ExpectedIdentifier(symbol), REPORT, name_terminators);
        let assignment = self.recover(after(name.suppresses()), &[K::Newline], |p| p.assignment());
        self.recover(after(assignment.suppresses()), &[K::Newline], |p| {
            p.expression(COMPLEX)
        });
    }

    fn metadata(&mut self) -> PResult<SyntaxKind> {
        self.read();
        self.name_assign_value(Symbol::Metadata, &[K::Assign, K::Newline]);
        Ok(K::MetadataDecl)
    }

    fn assert(&mut self) -> PResult<SyntaxKind> {
        self.read();
        self.name_assign_value(Symbol::Assert, &[K::Assign, K::Newline]);
        Ok(K::AssertDecl)
    }

    fn parameter_assignment(&mut self) -> PResult<SyntaxKind> {
        self.read();
        self.name_assign_value(Symbol::Parameter, &[K::Ident, K::Newline]);
        Ok(K::ParamAssignment)
    }

    fn parameter(&mut self) -> PResult<SyntaxKind> {
        self.read();
        let name = self.identifier_recover(
            E::ExpectedIdentifier(Symbol::Parameter),
            REPORT,
            &[K::Ident, K::Newline],
        );
        let ty = self.recover(
            after(name.suppresses()),
            &[K::Assign, K::LBrace, K::Newline],
            |p| p.type_or_resource(false),
        );
        self.recover_opt(after(ty.suppresses()), &[K::Newline], |p| match p.peek() {
            K::Newline | K::Eof => Ok(None),
            K::Assign => {
                let mark = p.b.mark();
                p.read();
                p.recover(REPORT, &[K::Newline], |p| p.expression(COMPLEX));
                Ok(Some(p.wrap(mark, K::ParamDefault)))
            }
            _ => Err(p.unexpected(E::ExpectedParameterContinuation)),
        });
        Ok(K::ParamDecl)
    }

    fn variable(&mut self) -> PResult<SyntaxKind> {
        self.read();
        let name = self.identifier_recover(
            E::ExpectedIdentifier(Symbol::Variable),
            REPORT,
            &[K::Ident, K::Newline],
        );
        let ty = self.recover_opt(
            after(name.suppresses()),
            &[K::Assign, K::Newline],
            |p| match p.peek() {
                K::Eof | K::Newline | K::Assign => Ok(None),
                _ => p.type_or_resource(false).map(Some),
            },
        );
        let assignment = self.recover(after(ty.unwrap_or(name).suppresses()), &[K::Newline], |p| {
            p.assignment()
        });
        self.recover(after(assignment.suppresses()), &[K::Newline], |p| {
            p.expression(COMPLEX)
        });
        Ok(K::VarDecl)
    }

    fn output(&mut self) -> PResult<SyntaxKind> {
        self.read();
        let name = self.identifier_recover(
            E::ExpectedIdentifier(Symbol::Output),
            REPORT,
            &[K::Ident, K::Newline],
        );
        let ty = self.recover(after(name.suppresses()), &[K::Assign, K::Newline], |p| {
            p.type_or_resource(true)
        });
        let assignment = self.recover(after(ty.suppresses()), &[K::Newline], |p| p.assignment());
        self.recover(after(assignment.suppresses()), &[K::Newline], |p| {
            p.expression(COMPLEX)
        });
        Ok(K::OutputDecl)
    }

    fn type_declaration(&mut self) -> PResult<SyntaxKind> {
        self.read();
        let name = self.identifier_recover(
            E::ExpectedIdentifier(Symbol::Type),
            REPORT,
            &[K::Assign, K::Newline],
        );
        self.recover(after(name.suppresses()), &[K::Newline], |p| p.assignment());
        self.recover(
            after(name.suppresses()),
            &[K::Assign, K::LBrace, K::Newline],
            |p| p.type_or_resource(false),
        );
        Ok(K::TypeDecl)
    }

    fn function(&mut self) -> PResult<SyntaxKind> {
        self.read();
        let name = self.identifier_recover(
            E::ExpectedIdentifier(Symbol::Variable),
            REPORT,
            &[K::Assign, K::Newline],
        );
        self.recover(after(name.suppresses()), &[K::Newline], |p| {
            p.typed_lambda()
        });
        Ok(K::FuncDecl)
    }

    /// `keyword name 'string' =` of resources, modules and tests; returns the assignment.
    fn name_string_assign(&mut self, symbol: Symbol, string_error: E, existing: bool) -> Syn {
        self.read();
        let name = self.identifier_recover(
            E::ExpectedIdentifier(symbol),
            REPORT,
            &[K::String, K::StringHead, K::Newline],
        );
        let path = self.recover(after(name.suppresses()), &[K::Assign, K::Newline], |p| {
            p.throw_if_skipped(string_error, |p| Ok(p.interpolable_string()))
        });
        if existing && self.check_keyword("existing") {
            self.read();
        }
        self.recover(after(path.suppresses()), &[K::LBrace, K::Newline], |p| {
            p.assignment()
        })
    }

    /// The value of a resource or module: `{...}`, `if (...) {...}` or `[for ...]`.
    fn resource_or_module_value(&mut self, assignment: Syn, flags: Flags) {
        self.recover(after(assignment.suppresses()), &[K::Newline], |p| {
            match p.peek() {
                K::Ident if p.check_keyword("if") => p.if_condition(flags, false),
                K::LBrace => p.object(flags),
                K::LBracket => p.for_expression(flags, true),
                _ => Err(p.unexpected(E::ExpectedBodyOrConditionOrLoop)),
            }
        });
    }

    fn resource(&mut self) -> PResult<SyntaxKind> {
        let assignment =
            self.name_string_assign(Symbol::Resource, E::ExpectedResourceTypeString, true);
        if !assignment.is_skipped() && self.is_keyword_at(self.skip_newlines_from(self.pos), "if") {
            self.newlines();
        }
        self.resource_or_module_value(assignment, RESOURCE_BODY);
        Ok(K::ResourceDecl)
    }

    fn module(&mut self) -> PResult<SyntaxKind> {
        let assignment =
            self.name_string_assign(Symbol::Module, E::ExpectedModulePathString, false);
        if self.is_keyword_at(self.skip_newlines_from(self.pos), "if") {
            self.newlines();
        }
        self.resource_or_module_value(assignment, COMPLEX);
        Ok(K::ModuleDecl)
    }

    fn test(&mut self) -> PResult<SyntaxKind> {
        let assignment = self.name_string_assign(Symbol::Test, E::ExpectedTestPathString, false);
        self.recover(after(assignment.suppresses()), &[K::Newline], |p| {
            if p.check(K::LBrace) {
                p.object(COMPLEX)
            } else {
                Err(p.unexpected(E::ExpectedCharacter("{")))
            }
        });
        Ok(K::TestDecl)
    }

    fn import(&mut self) -> PResult<SyntaxKind> {
        self.read();
        if matches!(self.peek(), K::StringHead | K::String) {
            self.extension()
        } else {
            self.compile_time_import()
        }
    }

    fn compile_time_import(&mut self) -> PResult<SyntaxKind> {
        match self.peek() {
            K::Eof | K::Newline | K::Ident => {
                self.skip_empty(Some(E::ExpectedSymbolListOrWildcard));
            }
            K::LBrace => self.imported_symbols()?,
            K::Star => {
                self.recover(REPORT, &[K::Newline], |p| p.wildcard_import());
            }
            _ => {
                self.skip_token(E::ExpectedSymbolListOrWildcard);
            }
        }
        self.recover(REPORT, &[K::Newline], |p| {
            let mark = p.b.mark();
            p.keyword("from")?;
            p.recover(REPORT, &[K::Newline], |p| {
                p.throw_if_skipped(E::ExpectedModulePathString, |p| Ok(p.interpolable_string()))
            });
            Ok(p.wrap(mark, K::FromClause))
        });
        Ok(K::ImportDecl)
    }

    fn imported_symbols(&mut self) -> PResult<()> {
        let mark = self.b.mark();
        self.read();
        self.elements(K::RBrace, |p| p.imported_symbol());
        self.expect(K::RBrace, E::ExpectedCharacter("}"))?;
        self.wrap(mark, K::ImportSymbolList);
        Ok(())
    }

    fn imported_symbol(&mut self) {
        let mark = self.b.mark();
        let original = match self.peek() {
            K::Ident => self.read(),
            K::String => self.interpolable_string(),
            K::StringHead => {
                let inner = self.b.mark();
                self.interpolable_string();
                let syn = self.wrap(inner, K::Skipped);
                self.error(self.span(syn), E::CompileTimeConstantRequired);
                syn
            }
            _ => self.skip_token(E::ExpectedExportedSymbolName),
        };
        let alias = self.check_keyword("as").then(|| {
            let inner = self.b.mark();
            self.read();
            self.identifier_recover(
                E::ExpectedIdentifier(Symbol::Type),
                REPORT,
                &[K::Comma, K::Newline],
            );
            self.wrap(inner, K::AliasClause)
        });
        if original.kind == K::StringLiteral && alias.is_none() {
            let syn = self.wrap(mark, K::Skipped);
            self.error(self.span(syn), E::ImportSymbolNeedsAlias);
        } else {
            self.wrap(mark, K::ImportSymbol);
        }
    }

    fn wildcard_import(&mut self) -> PResult {
        let mark = self.b.mark();
        self.expect(K::Star, E::ExpectedCharacter("*"))?;
        let alias = self.b.mark();
        self.keyword("as")?;
        self.identifier(E::ExpectedIdentifier(Symbol::Namespace))?;
        self.wrap(alias, K::AliasClause);
        Ok(self.wrap(mark, K::WildcardImport))
    }

    /// The rest of `extension spec [with {...}] [as alias]` (and of `import 'spec'`).
    fn extension(&mut self) -> PResult<SyntaxKind> {
        let spec = if self.check(K::Ident) {
            self.read()
        } else {
            self.recover(REPORT, &[K::Newline], |p| {
                p.throw_if_skipped(E::ExpectedExtensionSpecification, |p| {
                    Ok(p.interpolable_string())
                })
            })
        };
        let with = match self.peek() {
            K::Eof | K::Newline => self.skip_empty(None),
            K::Ident if self.check_keyword("as") => self.skip_empty(None),
            _ => self.recover(after(spec.suppresses()), &[K::Newline], |p| {
                p.with_clause(E::ExpectedWithOrAs)
            }),
        };
        match self.peek() {
            K::Eof | K::Newline => {
                self.skip_empty(None);
            }
            _ => {
                self.recover(after(with.suppresses()), &[K::Newline], |p| {
                    let mark = p.b.mark();
                    p.expect_keyword("as", E::ExpectedWithOrAs)?;
                    p.identifier_recover(
                        E::ExpectedIdentifier(Symbol::ExtensionAlias),
                        REPORT,
                        &[K::Newline],
                    );
                    Ok(p.wrap(mark, K::AliasClause))
                });
            }
        }
        Ok(K::ExtensionDecl)
    }

    /// `with {...}`, failing with `error` if `with` is missing.
    fn with_clause(&mut self, error: E) -> PResult {
        let mark = self.b.mark();
        self.expect_keyword("with", error)?;
        self.recover(REPORT, &[K::Newline], |p| p.object(COMPLEX));
        Ok(self.wrap(mark, K::WithClause))
    }

    fn using(&mut self) -> PResult<SyntaxKind> {
        self.read();
        let path = match self.peek() {
            K::Ident => {
                let mark = self.b.mark();
                self.keyword("none")?;
                self.wrap(mark, K::NoneLiteral)
            }
            K::String => {
                self.throw_if_skipped(E::ExpectedFilePathString, |p| Ok(p.interpolable_string()))?
            }
            _ => self.skip_empty(Some(E::ExpectedSymbolListOrWildcard)),
        };
        match self.peek() {
            K::Eof | K::Newline => {
                self.skip_empty(None);
            }
            _ => {
                self.recover(after(path.suppresses()), &[K::Newline], |p| {
                    p.with_clause(E::ExpectedWith)
                });
            }
        }
        Ok(K::UsingDecl)
    }

    fn extends(&mut self) -> PResult<SyntaxKind> {
        self.read();
        self.recover(REPORT, &[K::Newline], |p| {
            p.throw_if_skipped(E::ExpectedExtendsPath, |p| Ok(p.interpolable_string()))
        });
        Ok(K::ExtendsDecl)
    }

    fn extension_config(&mut self) -> PResult<SyntaxKind> {
        self.read();
        let alias = self.identifier_recover(
            E::ExpectedIdentifier(Symbol::ExtensionAlias),
            REPORT,
            &[K::Ident, K::Newline],
        );
        self.recover(after(alias.suppresses()), &[K::Newline], |p| {
            p.with_clause(E::ExpectedKeyword("with"))
        });
        Ok(K::ExtensionConfigDecl)
    }

    // ----- lists -----

    /// Items of an array, object, object type, tuple or import list: separated by one comma or by line breaks.
    fn elements(&mut self, close: SyntaxKind, mut element: impl FnMut(&mut Self)) {
        if self.check(close) {
            return;
        }
        self.newlines();
        let mut expect_element = true;
        while !self.at_end() && self.peek() != close {
            if expect_element {
                element(self);
                expect_element = false;
                continue;
            }
            if self.check(K::Newline) {
                self.newlines();
            } else if self.check(K::Comma) {
                self.read();
                if self.check(K::Newline) {
                    self.skip_empty(Some(E::NewlineAfterComma));
                    self.read();
                }
            } else {
                self.skip_empty(Some(E::ExpectedCommaOrNewline));
            }
            expect_element = true;
        }
    }

    /// Arguments of a call or a parameterized type: separated by commas (a line break may follow a comma).
    fn arguments(&mut self, close: SyntaxKind, mut argument: impl FnMut(&mut Self)) {
        if self.check(close) {
            return;
        }
        self.newlines();
        let mut expect_argument = true;
        while !self.at_end() && self.peek() != close {
            if expect_argument {
                argument(self);
                expect_argument = false;
                continue;
            }
            if self.check(K::Newline) {
                let mut next = self.next(self.pos);
                while self.kind_at(next) == K::Newline && self.newline_has_leading_comment(next) {
                    next = self.next(next);
                }
                if self.kind_at(next) == K::Eof {
                    // Leave the line breaks so that the missing `)` is reported in the right place.
                    break;
                }
                if self.kind_at(next) != close {
                    self.skip_empty(Some(E::ExpectedComma));
                }
                self.newlines();
            } else if self.check(K::Comma) {
                self.read();
                self.newlines();
                if self.check(close) {
                    // No trailing comma: parse an (empty) argument to report it.
                    argument(self);
                }
            } else {
                self.skip_empty(Some(E::ExpectedCommaOrNewline));
            }
            expect_argument = true;
        }
    }

    /// `(args)` of a call; the current token is `(`.
    fn call_arguments(&mut self, flags: Flags) {
        self.read();
        self.arguments(K::RParen, |p| {
            let mark = p.b.mark();
            p.recover(REPORT, &[K::Newline, K::Comma, K::RParen], |p| {
                p.expression(flags)
            });
            p.wrap(mark, K::Argument);
        });
        if self.check(K::RParen) {
            self.read();
        } else {
            self.skip_empty(Some(E::ExpectedCharacter(")")));
        }
    }

    /// `( item, item, ... )`; returns the items (line breaks and commas included) and whether `)` was found.
    fn parenthesized_list(
        &mut self,
        newlines_allowed: bool,
        mut item: impl FnMut(&mut Self) -> PResult,
    ) -> PResult<(Vec<Item>, bool)> {
        self.expect(K::LParen, E::ExpectedCharacter("("))?;
        let mut items = Vec::new();
        let newlines = |p: &mut Self, items: &mut Vec<Item>| {
            if newlines_allowed {
                p.newline_items(items);
            }
        };
        newlines(self, &mut items);
        while !self.check(K::RParen) {
            let height = self.b.height();
            let terminators = [
                K::StringTail,
                K::RBrace,
                K::RParen,
                K::RBracket,
                K::Newline,
                K::Comma,
            ];
            let syn = self.recover(REPORT, &terminators, &mut item);
            items.push(Item { height, syn });
            newlines(self, &mut items);
            if self.check(K::Comma) {
                let height = self.b.height();
                items.push(Item {
                    height,
                    syn: self.read(),
                });
                newlines(self, &mut items);
            } else {
                break;
            }
        }
        let suppress = items.last().is_some_and(|i| i.syn.suppresses());
        let close = self.recover(
            after(suppress),
            &[K::StringTail, K::RBrace, K::RBracket, K::Newline],
            |p| p.expect(K::RParen, E::ExpectedCharacter(")")),
        );
        Ok((items, !close.is_skipped()))
    }

    /// Turns the items of a parenthesised list into the content of `(expr)`: exactly one expression, or a
    /// `Skipped` node (with an error if there are none or several).
    fn parenthesized_content(&mut self, open_height: usize, open: Span, items: &[Item]) {
        match items {
            [] => {
                self.b.insert_empty(open_height + 1, K::Skipped, open.end);
                self.error(Span::empty(open.end), E::ParenthesesNeedOneItem);
            }
            [one] if one.syn.id().is_none() => {
                self.b.wrap_range(one.height..one.height + 1, K::Skipped);
            }
            [_] => {}
            [first, .., last] => {
                self.b.wrap_range(first.height..last.height + 1, K::Skipped);
                self.error(
                    self.span(first.syn).cover(self.span(last.syn)),
                    E::ParenthesesNeedOneItem,
                );
            }
        }
    }

    /// Rewrites the items of a parenthesised list into local variable declarations (a loop's `(item, index)` or
    /// a lambda's parameters); returns how many there are.
    fn variable_block(&mut self, items: &[Item]) -> usize {
        let mut count = 0;
        for item in items {
            match (item.syn.kind, item.syn.id()) {
                (K::VariableAccess, Some(id)) => {
                    self.b.relabel(id, K::LocalVariable);
                    count += 1;
                }
                (K::Skipped | K::Comma | K::Newline, _) => {}
                _ => {
                    self.b.wrap_range(item.height..item.height + 1, K::Skipped);
                }
            }
        }
        count
    }

    // ----- expressions -----

    fn expression(&mut self, flags: Flags) -> PResult {
        self.nested(|p| {
            let condition = p.binary_expression(flags, 0)?;
            let start = p.b.top();
            match p.peek() {
                K::Question => {}
                K::Newline if p.kind_at(p.skip_newlines_from(p.pos)) == K::Question => p.newlines(),
                _ => return Ok(condition),
            }
            p.read();
            let then = p.recover(
                REPORT,
                &[
                    K::Colon,
                    K::StringTail,
                    K::RBrace,
                    K::RParen,
                    K::RBracket,
                    K::Newline,
                ],
                |p| p.expression(flags),
            );
            if !then.is_skipped() && p.kind_at(p.skip_newlines_from(p.pos)) == K::Colon {
                p.newlines();
            }
            let colon = p.recover(after(then.suppresses()), &EXPRESSION_END, |p| {
                p.expect(K::Colon, E::ExpectedCharacter(":"))
            });
            p.recover(after(colon.suppresses()), &EXPRESSION_END, |p| {
                p.expression(flags)
            });
            Ok(p.wrap_from(start, K::Ternary))
        })
    }

    /// An operand and the binary operators binding tighter than `min_precedence` after it. The common case, an
    /// operand alone, takes no call of its own.
    #[inline(always)]
    fn binary_expression(&mut self, flags: Flags, min_precedence: u8) -> PResult {
        let left = self.unary_expression(flags)?;
        if binary_precedence(self.peek()) <= min_precedence {
            return Ok(left);
        }
        self.binary_operators(flags, min_precedence, left)
    }

    /// The binary operators after the operand `left` (the last piece in the tree) that bind tighter than
    /// `min_precedence`.
    #[inline(never)]
    fn binary_operators(&mut self, flags: Flags, min_precedence: u8, mut left: Syn) -> PResult {
        let start = self.b.top();
        loop {
            let precedence = binary_precedence(self.peek());
            if precedence <= min_precedence {
                return Ok(left);
            }
            self.read();
            self.recover(REPORT, &EXPRESSION_END, |p| {
                p.binary_expression(flags, precedence)
            });
            left = self.wrap_from(start, K::Binary);
        }
    }

    #[inline(always)]
    fn unary_expression(&mut self, flags: Flags) -> PResult {
        if !matches!(self.peek(), K::Bang | K::Minus) {
            return self.member_expression(flags);
        }
        let mark = self.b.mark();
        self.read();
        self.recover(REPORT, &EXPRESSION_END, |p| p.member_expression(flags));
        Ok(self.wrap(mark, K::Unary))
    }

    /// A primary expression and its postfix operators. The common case, a primary expression alone, takes no
    /// call of its own.
    #[inline(always)]
    fn member_expression(&mut self, flags: Flags) -> PResult {
        let current = self.primary_expression(flags)?;
        if !matches!(self.peek(), K::LBracket | K::Dot | K::ColonColon | K::Bang) {
            return Ok(current);
        }
        self.postfix_operators(flags, current)
    }

    /// The postfix operators (`[...]`, `.x`, `::x`, `!`, calls) after `current` (the last piece in the tree).
    #[inline(never)]
    fn postfix_operators(&mut self, flags: Flags, mut current: Syn) -> PResult {
        let start = self.b.top();
        loop {
            current = match self.peek() {
                K::LBracket => {
                    self.read();
                    if self.check(K::Question) {
                        self.read();
                    }
                    if self.check(K::Caret) {
                        self.read();
                    }
                    if self.check(K::RBracket) {
                        self.skip_empty(Some(E::EmptyIndexer));
                    } else {
                        self.expression(flags)?;
                    }
                    self.expect(K::RBracket, E::ExpectedCharacter("]"))?;
                    self.wrap_from(start, K::IndexAccess)
                }
                K::Dot => {
                    self.read();
                    let safe = self
                        .check(K::Question)
                        .then(|| (self.b.mark(), self.read()));
                    self.identifier_or_skip(E::ExpectedPropertyOrFunctionName);
                    if self.check(K::LParen) {
                        if let Some((safe_mark, question)) = safe {
                            self.wrap(safe_mark, K::Skipped);
                            self.error(self.span(question), E::SafeAccessOnCall);
                        }
                        self.call_arguments(flags);
                        self.wrap_from(start, K::InstanceCall)
                    } else {
                        self.wrap_from(start, K::PropertyAccess)
                    }
                }
                K::ColonColon => {
                    self.read();
                    self.identifier_or_skip(E::ExpectedPropertyOrFunctionName);
                    self.wrap_from(start, K::ResourceAccess)
                }
                K::Bang => {
                    self.read();
                    self.wrap_from(start, K::NonNullAssert)
                }
                _ => return Ok(current),
            };
        }
    }

    #[inline(always)]
    fn primary_expression(&mut self, flags: Flags) -> PResult {
        match self.peek() {
            K::Integer | K::NullKw | K::TrueKw | K::FalseKw => self.literal(),
            K::String | K::StringHead => Ok(self.interpolable_string()),
            K::LBrace if flags.complex => self.object(flags),
            K::LBracket if flags.complex => {
                if self.is_keyword_at(self.skip_newlines_from(self.next(self.pos)), "for") {
                    self.for_expression(flags, false)
                } else {
                    self.array()
                }
            }
            K::LBrace | K::LBracket => Err(self.unexpected(E::ComplexLiteralNotAllowed)),
            K::LParen => self.parenthesized_or_lambda(flags),
            K::Ident => self.call_or_variable(flags),
            _ => Err(self.unexpected(E::UnrecognizedExpression)),
        }
    }

    /// An integer, boolean or null literal (as an expression or a type).
    fn literal(&mut self) -> PResult {
        let mark = self.b.mark();
        let kind = match self.peek() {
            K::TrueKw | K::FalseKw => K::BoolLiteral,
            K::NullKw => K::NullLiteral,
            K::Integer => K::IntLiteral,
            _ => return Err(self.unexpected(E::InvalidType)),
        };
        let valid = kind != K::IntLiteral || self.text_at(self.pos).parse::<u64>().is_ok();
        let token = self.read();
        if !valid {
            let span = self.span(token);
            return Err(self.throw(span, E::InvalidInteger));
        }
        Ok(self.wrap(mark, kind))
    }

    fn array(&mut self) -> PResult {
        let mark = self.b.mark();
        self.expect(K::LBracket, E::ExpectedCharacter("["))?;
        self.elements(K::RBracket, |p| {
            p.recover(REPORT, &[K::Newline, K::RBracket], |p| {
                if p.check(K::Ellipsis) {
                    return p.spread(&[K::Comma, K::Newline, K::RBracket]);
                }
                let item = p.b.mark();
                p.expression(COMPLEX)?;
                Ok(p.wrap(item, K::ArrayItem))
            });
        });
        self.expect(K::RBracket, E::ExpectedCharacter("]"))?;
        Ok(self.wrap(mark, K::Array))
    }

    fn object(&mut self, flags: Flags) -> PResult {
        self.nested(|p| {
            let mark = p.b.mark();
            p.expect(K::LBrace, E::ExpectedCharacter("{"))?;
            p.elements(K::RBrace, |p| {
                p.recover(REPORT, &[K::Newline, K::RBrace], |p| {
                    p.object_element(flags)
                });
            });
            p.expect(K::RBrace, E::ExpectedCharacter("}"))?;
            Ok(p.wrap(mark, K::Object))
        })
    }

    fn object_element(&mut self, flags: Flags) -> PResult {
        if flags.resources
            && (self.check(K::At)
                || self.check_keyword("resource") && self.kind_at(self.next(self.pos)) == K::Ident)
        {
            return Ok(self.declaration(Some("resource")));
        }
        if self.check(K::Ellipsis) {
            return self.spread(&[K::Comma, K::Newline, K::RBrace]);
        }
        let mark = self.b.mark();
        let key = self.recover(REPORT, &[K::Colon, K::Newline, K::RBrace], |p| {
            p.throw_if_skipped(E::ExpectedPropertyName, |p| match p.peek() {
                K::Ident => p.identifier(E::ExpectedPropertyName),
                K::String | K::StringHead => Ok(p.interpolable_string()),
                _ => Err(p.unexpected(E::ExpectedPropertyName)),
            })
        });
        let colon = self.recover(after(key.suppresses()), &[K::Newline, K::RBrace], |p| {
            p.expect(K::Colon, E::ExpectedCharacter(":"))
        });
        self.recover(after(colon.suppresses()), &[K::Newline, K::RBrace], |p| {
            p.expression(COMPLEX)
        });
        Ok(self.wrap(mark, K::ObjectProperty))
    }

    fn spread(&mut self, terminators: &[SyntaxKind]) -> PResult {
        let mark = self.b.mark();
        self.expect(K::Ellipsis, E::ExpectedCharacter("..."))?;
        self.recover(REPORT, terminators, |p| p.expression(COMPLEX));
        Ok(self.wrap(mark, K::Spread))
    }

    fn parenthesized_or_lambda(&mut self, flags: Flags) -> PResult {
        let mark = self.b.mark();
        let open = self.token_at(self.pos).span;
        let (items, _) = self.parenthesized_list(true, |p| p.expression(flags))?;
        if self.check(K::Arrow) {
            self.variable_block(&items);
            self.wrap(mark, K::VariableBlock);
            self.lambda_rest();
            return Ok(self.wrap(mark, K::Lambda));
        }
        self.parenthesized_content(mark.height(), open, &items);
        Ok(self.wrap(mark, K::Parenthesized))
    }

    /// `=> body` of a lambda.
    fn lambda_rest(&mut self) {
        self.read();
        let next = self.skip_newlines_from(self.pos);
        if !DECLARATION_KEYWORDS.contains(&self.text_at(next)) {
            self.newlines();
        }
        self.recover(REPORT, &[K::Newline, K::RParen], |p| p.expression(COMPLEX));
    }

    fn call_or_variable(&mut self, flags: Flags) -> PResult {
        let mark = self.b.mark();
        self.identifier(E::ExpectedVariableOrFunctionName)?;
        if self.check(K::LParen) {
            self.call_arguments(flags);
            return Ok(self.wrap(mark, K::Call));
        }
        if self.check(K::Arrow) {
            self.wrap(mark, K::LocalVariable);
            self.lambda_rest();
            return Ok(self.wrap(mark, K::Lambda));
        }
        Ok(self.wrap(mark, K::VariableAccess))
    }

    fn for_expression(&mut self, flags: Flags, resource_body: bool) -> PResult {
        let mark = self.b.mark();
        self.expect(K::LBracket, E::ExpectedCharacter("["))?;
        self.newlines();
        self.keyword("for")?;
        let errors_before = self.errors.len();
        let variables = match self.peek() {
            K::Ident => {
                let variable = self.b.mark();
                self.read();
                self.wrap(variable, K::LocalVariable)
            }
            K::LParen => self.for_variable_block()?,
            _ => self.skip_empty(Some(E::ExpectedLoopVariable)),
        };
        let variables_bad = self.has_error_since(errors_before, self.span(variables));
        let in_keyword = self.recover(after(variables_bad), &[K::RBracket, K::Newline], |p| {
            p.keyword("in")
        });
        let source = self.recover(
            after(in_keyword.suppresses()),
            &[K::Colon, K::RBracket, K::Newline],
            |p| p.expression(COMPLEX),
        );
        let colon = self.recover(
            after(source.suppresses()),
            &[K::RBracket, K::Newline],
            |p| p.expect(K::Colon, E::ExpectedCharacter(":")),
        );
        let body = self.recover(after(colon.suppresses()), &[K::RBracket, K::Newline], |p| {
            if !resource_body {
                return p.expression(Flags {
                    complex: true,
                    ..flags
                });
            }
            match p.peek() {
                K::LBrace => p.object(flags),
                K::Ident if p.check_keyword("if") => p.if_condition(flags, true),
                _ => Err(p.unexpected(E::ExpectedBodyOrCondition)),
            }
        });
        if !body.is_skipped() {
            self.newlines();
        }
        self.recover(after(body.suppresses()), &[K::RBracket, K::Newline], |p| {
            p.expect(K::RBracket, E::ExpectedCharacter("]"))
        });
        Ok(self.wrap(mark, K::For))
    }

    /// `(item, index)` of a for-expression.
    fn for_variable_block(&mut self) -> PResult {
        let mark = self.b.mark();
        let errors_before = self.errors.len();
        let (items, _) = self.parenthesized_list(false, |p| p.expression(SIMPLE))?;
        let count = self.variable_block(&items);
        let block = self.wrap(mark, K::VariableBlock);
        if count != 2 && !self.has_error_since(errors_before, self.span(block)) {
            let skipped = self.wrap(mark, K::Skipped);
            self.error(self.span(skipped), E::LoopVariableBlockCount(count));
            return Ok(skipped);
        }
        Ok(block)
    }

    fn if_condition(&mut self, flags: Flags, in_loop: bool) -> PResult {
        let mark = self.b.mark();
        self.keyword("if")?;
        let condition_end: &[SyntaxKind] = if in_loop {
            &[K::RBracket, K::LBrace, K::Newline]
        } else {
            &[K::LBrace, K::Newline]
        };
        let mut closed = false;
        let condition = self.recover(REPORT, condition_end, |p| {
            let inner = p.b.mark();
            let open = p.token_at(p.pos).span;
            let (items, has_close) = p.parenthesized_list(true, |p| {
                p.expression(Flags {
                    resources: false,
                    ..flags
                })
            })?;
            p.parenthesized_content(inner.height(), open, &items);
            closed = has_close;
            Ok(p.wrap(inner, K::Parenthesized))
        });
        let body_end: &[SyntaxKind] = if in_loop {
            &[K::RBracket, K::Newline]
        } else {
            &[K::Newline]
        };
        let suppress = condition.suppresses() || !(closed && condition.kind == K::Parenthesized);
        self.recover(after(suppress), body_end, |p| p.object(flags));
        Ok(self.wrap(mark, K::IfCondition))
    }

    /// A string literal (or, if it cannot be read as one, a `Skipped` node; the errors are the lexer's or
    /// about the holes).
    fn interpolable_string(&mut self) -> Syn {
        let mark = self.b.mark();
        // The form comes from the first string piece read, as in the compiler.
        let mut form = None;
        let mut first = true;
        let mut valid = true;
        loop {
            let (complete, open) = if first {
                (K::String, K::StringHead)
            } else {
                (K::StringTail, K::StringMiddle)
            };
            let current = self.peek();
            if current == complete || current == open {
                let text = self.text_at(self.pos);
                valid &= form
                    .get_or_insert_with(|| StringForm::of(text))
                    .is_valid(current, text);
                self.read();
            }
            if current == complete {
                let kind = if valid { K::StringLiteral } else { K::Skipped };
                return self.wrap(mark, kind);
            }
            let hole_end = [K::StringMiddle, K::StringTail, K::Newline];
            let failed = if current == open {
                let hole = self.b.mark();
                self.recover(REPORT, &hole_end, |p| p.expression(SIMPLE));
                if !self.check_any(&hole_end) {
                    let start = self.pos;
                    self.synchronize(
                        start,
                        REPORT,
                        &hole_end,
                        E::UnexpectedTokensInInterpolation,
                        None,
                    );
                    self.wrap(hole, K::Skipped);
                }
                self.check(K::Newline) || self.at_end()
            } else {
                let start = self.pos;
                self.synchronize(
                    start,
                    REPORT,
                    &hole_end,
                    E::UnexpectedTokensInInterpolation,
                    None,
                );
                !self.check_any(&[K::StringMiddle, K::StringTail])
            };
            if failed {
                return self.wrap(mark, K::Skipped);
            }
            first = false;
        }
    }

    // ----- types -----

    /// A type, or `resource 'Type@version'` (optional after `output x resource` if `optional_resource`).
    fn type_or_resource(&mut self, optional_resource: bool) -> PResult {
        if !(self.check_keyword("resource") && self.kind_at(self.next(self.pos)) != K::Lt) {
            return self.type_expression();
        }
        let mark = self.b.mark();
        self.read();
        self.recover_opt(REPORT, &[K::Assign, K::Newline], |p| {
            if optional_resource && !matches!(p.peek(), K::String | K::StringHead) {
                return Ok(None);
            }
            p.throw_if_skipped(E::ExpectedResourceTypeString, |p| {
                Ok(p.interpolable_string())
            })
            .map(Some)
        });
        Ok(self.wrap(mark, K::ResourceType))
    }

    fn has_union_separator(&self) -> bool {
        self.check(K::Pipe)
            || self.check(K::Newline) && self.kind_at(self.next(self.pos)) == K::Pipe
    }

    fn type_expression(&mut self) -> PResult {
        self.nested(|p| {
            let mark = p.b.mark();
            let leading_pipe = p.has_union_separator();
            if leading_pipe {
                p.newlines();
                p.read();
            }
            let member = p.b.mark();
            let first = p.unary_type()?;
            if !leading_pipe && !p.has_union_separator() {
                return Ok(first);
            }
            p.wrap(member, K::UnionTypeMember);
            while p.has_union_separator() {
                p.newlines();
                p.read();
                if p.check(K::Newline) {
                    p.skip_empty(Some(E::ExpectedTypeLiteral));
                } else {
                    // The compiler recovers here with no terminator: an error skips to the end of the file.
                    p.recover(REPORT, &[], |p| {
                        let member = p.b.mark();
                        p.unary_type()?;
                        Ok(p.wrap(member, K::UnionTypeMember))
                    });
                }
            }
            Ok(p.wrap(mark, K::UnionType))
        })
    }

    fn unary_type(&mut self) -> PResult {
        let mark = self.b.mark();
        let mut current = if matches!(self.peek(), K::Bang | K::Minus) {
            self.read();
            self.recover(REPORT, &EXPRESSION_END, |p| p.member_type());
            self.wrap(mark, K::UnaryType)
        } else {
            self.member_type()?
        };
        loop {
            current = match self.peek() {
                K::Question => {
                    self.read();
                    self.wrap(mark, K::NullableType)
                }
                K::Bang => {
                    self.read();
                    self.wrap(mark, K::NonNullableType)
                }
                _ => return Ok(current),
            };
        }
    }

    fn member_type(&mut self) -> PResult {
        let mark = self.b.mark();
        let mut current = self.primary_type()?;
        loop {
            if self.check(K::LBracket) {
                self.read();
                let kind = if self.check(K::RBracket) {
                    K::ArrayType
                } else if self.check(K::Star) {
                    self.read();
                    K::TypeItemsAccess
                } else {
                    self.expression(SIMPLE)?;
                    K::TypeIndexAccess
                };
                self.expect(K::RBracket, E::ExpectedCharacter("]"))?;
                current = self.wrap(mark, kind);
            } else if self.check(K::Dot) {
                self.read();
                current = if self.check(K::Star) {
                    self.read();
                    self.wrap(mark, K::TypeAdditionalPropertiesAccess)
                } else {
                    self.identifier_or_skip(E::ExpectedPropertyOrFunctionName);
                    if self.check(K::Lt) {
                        self.type_arguments();
                        self.wrap(mark, K::InstanceParameterizedType)
                    } else {
                        self.wrap(mark, K::TypePropertyAccess)
                    }
                };
            } else {
                return Ok(current);
            }
        }
    }

    fn primary_type(&mut self) -> PResult {
        match self.peek() {
            K::Integer | K::NullKw | K::TrueKw | K::FalseKw => self.literal(),
            K::String | K::StringHead => Ok(self.interpolable_string()),
            K::LBrace => self.object_type(),
            K::LBracket => self.tuple_type(),
            K::LParen => {
                let mark = self.b.mark();
                let open = self.token_at(self.pos).span;
                let (items, _) = self.parenthesized_list(false, |p| p.type_expression())?;
                self.parenthesized_content(mark.height(), open, &items);
                Ok(self.wrap(mark, K::ParenthesizedType))
            }
            K::Ident => {
                let mark = self.b.mark();
                self.identifier(E::ExpectedIdentifier(Symbol::Type))?;
                if self.check(K::Lt) {
                    self.type_arguments();
                    return Ok(self.wrap(mark, K::ParameterizedType));
                }
                Ok(self.wrap(mark, K::TypeVariableAccess))
            }
            _ => Err(self.unexpected(E::UnrecognizedTypeExpression)),
        }
    }

    /// `<args>` of a parameterized type; the current token is `<`.
    fn type_arguments(&mut self) {
        self.read();
        self.arguments(K::Gt, |p| {
            let mark = p.b.mark();
            p.recover(REPORT, &[K::Newline, K::Comma, K::Gt], |p| {
                p.type_expression()
            });
            p.wrap(mark, K::TypeArgument);
        });
        if self.check(K::Gt) {
            self.read();
        } else {
            self.skip_empty(Some(E::ExpectedCharacter(">")));
        }
    }

    fn object_type(&mut self) -> PResult {
        let mark = self.b.mark();
        self.expect(K::LBrace, E::ExpectedCharacter("{"))?;
        self.elements(K::RBrace, |p| p.object_type_property());
        self.expect(K::RBrace, E::ExpectedCharacter("}"))?;
        Ok(self.wrap(mark, K::ObjectType))
    }

    fn object_type_property(&mut self) {
        let mark = self.b.mark();
        self.decorators();
        let key = self.recover(REPORT, &[K::Colon, K::Newline, K::RBrace], |p| {
            p.throw_if_skipped(E::ExpectedPropertyName, |p| match p.peek() {
                K::Ident => p.identifier(E::ExpectedPropertyName),
                K::String | K::StringHead => Ok(p.interpolable_string()),
                K::Star => p.expect(K::Star, E::ExpectedCharacter("*")),
                _ => Err(p.unexpected(E::ExpectedPropertyNameOrMatcher)),
            })
        });
        let colon = self.recover(after(key.suppresses()), &[K::Newline, K::RBrace], |p| {
            p.expect(K::Colon, E::ExpectedCharacter(":"))
        });
        self.recover(after(colon.suppresses()), &[K::Newline, K::RBrace], |p| {
            p.type_expression()
        });
        let kind = if key.kind == K::Star {
            K::ObjectTypeAdditionalProperties
        } else {
            K::ObjectTypeProperty
        };
        self.wrap(mark, kind);
    }

    fn tuple_type(&mut self) -> PResult {
        let mark = self.b.mark();
        self.expect(K::LBracket, E::ExpectedCharacter("["))?;
        self.elements(K::RBracket, |p| {
            p.recover(REPORT, &[K::Newline, K::RBracket], |p| {
                let item = p.b.mark();
                p.decorators();
                p.type_expression()?;
                Ok(p.wrap(item, K::TupleTypeItem))
            });
        });
        self.expect(K::RBracket, E::ExpectedCharacter("]"))?;
        Ok(self.wrap(mark, K::TupleType))
    }

    /// `(a type, b type) type => body` of a `func` declaration.
    fn typed_lambda(&mut self) -> PResult {
        let mark = self.b.mark();
        self.parenthesized_list(true, |p| {
            let variable = p.b.mark();
            p.identifier_or_skip(E::ExpectedIdentifier(Symbol::Variable));
            p.recover(REPORT, &[K::Newline, K::Comma, K::RParen], |p| {
                p.type_or_resource(false)
            });
            Ok(p.wrap(variable, K::TypedLocalVariable))
        })?;
        self.wrap(mark, K::TypedVariableBlock);
        self.recover(REPORT, &[K::Newline, K::RParen], |p| {
            p.type_or_resource(false)
        });
        let arrow = self.recover(REPORT, &[K::Newline, K::RParen], |p| {
            p.expect(K::Arrow, E::ExpectedCharacter("=>"))
        });
        let next = self.skip_newlines_from(self.pos);
        if !arrow.is_skipped() && !DECLARATION_KEYWORDS.contains(&self.text_at(next)) {
            self.newlines();
        }
        self.recover(REPORT, &[K::Newline, K::RParen], |p| p.expression(COMPLEX));
        Ok(self.wrap(mark, K::TypedLambda))
    }
}

/// The binding power of a binary operator (0 for anything else); higher binds tighter.
fn binary_precedence(kind: SyntaxKind) -> u8 {
    match kind {
        K::Star | K::Slash | K::Percent => 7,
        K::Plus | K::Minus => 6,
        K::Lt | K::LtEq | K::Gt | K::GtEq => 5,
        K::EqEq | K::NotEq | K::EqTilde | K::NotTilde => 4,
        K::AndAnd => 3,
        K::OrOr => 2,
        K::QuestionQuestion => 1,
        _ => 0,
    }
}
