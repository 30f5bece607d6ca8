//! The ARM template expression language: a JSON string that starts with `[` and ends with `]` is
//! an expression evaluated at deployment (`[concat(parameters('prefix'), '-aks')]`); one that
//! starts with `[[` is a literal string that starts with `[`.
//!
//! Grammar (as ARM reads it): an expression is a function call (`name(...)`, or
//! `namespace.name(...)` for user-defined functions), a string literal in single quotes (`''` is
//! a quote), an integer, or any of these followed by property access (`.name`) and indexing
//! (`[expression]`). `true`, `false` and `null` are the functions `true()`, `false()` and
//! `null()`. Spans are byte offsets in the string's decoded text.

use akslint_core::Span;

/// Longest nesting of expressions read; deeper is an error.
pub const MAX_DEPTH: usize = 128;

/// What a JSON string holds.
#[derive(Clone, Debug, PartialEq)]
pub enum StringValue {
    /// Plain text (a leading `[[` already turned into `[`).
    Literal(String),
    /// An expression, parsed.
    Expression(Expr),
}

/// An expression with the span of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where, in the string's decoded text.
    pub span: Span,
}

/// The kinds of expressions.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `'text'`.
    String(String),
    /// An integer.
    Int(i64),
    /// `name(arguments)` or `namespace.name(arguments)`; the name as written.
    Call {
        /// The user-defined function's namespace.
        namespace: Option<String>,
        /// The function's name.
        name: String,
        /// The arguments.
        arguments: Vec<Expr>,
    },
    /// `base.name`.
    Property {
        /// What is accessed.
        base: Box<Expr>,
        /// The property's name.
        name: String,
    },
    /// `base[index]`.
    Index {
        /// What is indexed.
        base: Box<Expr>,
        /// The index or key.
        index: Box<Expr>,
    },
}

/// An expression that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpressionError {
    /// Where, in the string's decoded text.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

/// Whether a JSON string's decoded text is an expression (`[…]`, not the `[[…` escape of a
/// literal that starts with `[`).
pub fn is_expression(text: &str) -> bool {
    text.len() >= 2 && text.starts_with('[') && text.ends_with(']') && !text.starts_with("[[")
}

/// Reads a JSON string's decoded text: a literal, or an expression.
pub fn classify(text: &str) -> Result<StringValue, ExpressionError> {
    if let Some(rest) = text.strip_prefix("[[") {
        return Ok(StringValue::Literal(format!("[{rest}")));
    }
    if !is_expression(text) {
        return Ok(StringValue::Literal(text.to_owned()));
    }
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 1,
        end: text.len() - 1,
    };
    parser.skip_space();
    let expr = parser.expression(0)?;
    parser.skip_space();
    if parser.at < parser.end {
        return Err(parser.error(parser.at, "unexpected text after the expression"));
    }
    Ok(StringValue::Expression(expr))
}

/// The parser's state: the expression lies between `at` and `end` (the closing `]`).
struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    end: usize,
}

impl Parser<'_> {
    fn expression(&mut self, depth: usize) -> Result<Expr, ExpressionError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(self.at, "the expression nests too deeply"));
        }
        let mut expr = self.primary(depth)?;
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'.') => {
                    self.at += 1;
                    self.skip_space();
                    let name = self.identifier("a property name after `.`")?;
                    let span = Span::new(expr.span.start as usize, self.at);
                    expr = Expr {
                        kind: ExprKind::Property {
                            base: Box::new(expr),
                            name,
                        },
                        span,
                    };
                }
                Some(b'[') => {
                    self.at += 1;
                    self.skip_space();
                    let index = self.expression(depth + 1)?;
                    self.skip_space();
                    self.expect(b']', "`]` after the index")?;
                    let span = Span::new(expr.span.start as usize, self.at);
                    expr = Expr {
                        kind: ExprKind::Index {
                            base: Box::new(expr),
                            index: Box::new(index),
                        },
                        span,
                    };
                }
                _ => return Ok(expr),
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ExpressionError> {
        let start = self.at;
        match self.peek() {
            Some(b'\'') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.integer(),
            Some(byte) if byte.is_ascii_alphabetic() || byte == b'_' => {
                let first = self.identifier("a function name")?;
                self.skip_space();
                let (namespace, name) = if self.peek() == Some(b'.') {
                    self.at += 1;
                    self.skip_space();
                    (
                        Some(first),
                        self.identifier("a function name after the namespace")?,
                    )
                } else {
                    (None, first)
                };
                self.skip_space();
                self.expect(b'(', "`(` after the function name")?;
                let mut arguments = Vec::new();
                self.skip_space();
                if self.peek() == Some(b')') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_space();
                        arguments.push(self.expression(depth + 1)?);
                        self.skip_space();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(b')') => {
                                self.at += 1;
                                break;
                            }
                            _ => {
                                return Err(
                                    self.error(self.at, "expected `,` or `)` in the arguments")
                                );
                            }
                        }
                    }
                }
                Ok(Expr {
                    kind: ExprKind::Call {
                        namespace,
                        name,
                        arguments,
                    },
                    span: Span::new(start, self.at),
                })
            }
            _ => Err(self.error(
                self.at,
                "expected a function call, a string in single quotes or a number",
            )),
        }
    }

    fn string(&mut self) -> Result<Expr, ExpressionError> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut run = self.at;
        loop {
            if self.at >= self.end {
                return Err(self.error(start, "this string is not closed"));
            }
            if self.bytes[self.at] == b'\'' {
                out.push_str(&self.text[run..self.at]);
                if self.bytes.get(self.at + 1) == Some(&b'\'') && self.at + 1 < self.end {
                    out.push('\'');
                    self.at += 2;
                    run = self.at;
                    continue;
                }
                self.at += 1;
                return Ok(Expr {
                    kind: ExprKind::String(out),
                    span: Span::new(start, self.at),
                });
            }
            self.at += 1;
        }
    }

    fn integer(&mut self) -> Result<Expr, ExpressionError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let text = &self.text[start..self.at];
        let value = text
            .parse::<i64>()
            .map_err(|_| self.error(start, "not an integer ARM can hold"))?;
        Ok(Expr {
            kind: ExprKind::Int(value),
            span: Span::new(start, self.at),
        })
    }

    fn identifier(&mut self, what: &str) -> Result<String, ExpressionError> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error(start, &format!("expected {what}")));
        }
        Ok(self.text[start..self.at].to_owned())
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), ExpressionError> {
        if self.peek() == Some(byte) {
            self.at += 1;
            return Ok(());
        }
        Err(self.error(self.at, &format!("expected {what}")))
    }

    fn peek(&self) -> Option<u8> {
        (self.at < self.end).then(|| self.bytes[self.at])
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn error(&self, at: usize, message: &str) -> ExpressionError {
        let end = self.text[at.min(self.text.len())..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        ExpressionError {
            span: Span::new(at, end),
            message: message.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact rendering: calls as `name(a, b)`, strings quoted, accesses as written.
    fn show(expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::String(s) => format!("'{s}'"),
            ExprKind::Int(n) => n.to_string(),
            ExprKind::Call {
                namespace,
                name,
                arguments,
            } => {
                let args: Vec<String> = arguments.iter().map(show).collect();
                let ns = namespace
                    .as_ref()
                    .map_or(String::new(), |n| format!("{n}."));
                format!("{ns}{name}({})", args.join(", "))
            }
            ExprKind::Property { base, name } => format!("{}.{name}", show(base)),
            ExprKind::Index { base, index } => format!("{}[{}]", show(base), show(index)),
        }
    }

    fn parsed(text: &str) -> String {
        match classify(text) {
            Ok(StringValue::Expression(expr)) => show(&expr),
            Ok(StringValue::Literal(text)) => format!("literal {text}"),
            Err(err) => format!("error at {}: {}", err.span.start, err.message),
        }
    }

    #[test]
    fn expressions_and_literals() {
        assert_eq!(parsed("plain"), "literal plain");
        assert_eq!(
            parsed("[[not an expression]"),
            "literal [not an expression]"
        );
        assert_eq!(
            parsed("[]"),
            "error at 1: expected a function call, a string in single quotes or a number"
        );
        assert_eq!(
            parsed("[concat(parameters('prefix'), '-aks')]"),
            "concat(parameters('prefix'), '-aks')"
        );
        assert_eq!(
            parsed(
                "[reference(resourceId('Microsoft.Network/virtualNetworks', variables('vnet'))).subnets[0].id]"
            ),
            "reference(resourceId('Microsoft.Network/virtualNetworks', variables('vnet'))).subnets[0].id"
        );
        assert_eq!(
            parsed("[ if( true(), 'it''s', -1 ) ]"),
            "if(true(), 'it's', -1)"
        );
        assert_eq!(parsed("[__bicep.mine(1)]"), "__bicep.mine(1)");
        assert_eq!(parsed("[parameters('x')['key']]"), "parameters('x')['key']");
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(parsed("[concat('a'"), "literal [concat('a'");
        assert_eq!(
            parsed("[concat('a']"),
            "error at 11: expected `,` or `)` in the arguments"
        );
        assert_eq!(
            parsed("[concat('a)]"),
            "error at 8: this string is not closed"
        );
        assert_eq!(
            parsed("[f() g()]"),
            "error at 5: unexpected text after the expression"
        );
        assert_eq!(
            parsed("[f(99999999999999999999)]"),
            "error at 3: not an integer ARM can hold"
        );
        let deep = format!("[{}1{}]", "f(".repeat(500), ")".repeat(500));
        assert!(parsed(&deep).contains("nests too deeply"));
    }

    #[test]
    fn spans_cover_the_text() {
        let text = "[concat(parameters('a'), 'b')]";
        let Ok(StringValue::Expression(expr)) = classify(text) else {
            panic!("an expression");
        };
        assert_eq!(
            &text[expr.span.start as usize..expr.span.end as usize],
            "concat(parameters('a'), 'b')"
        );
        let ExprKind::Call { arguments, .. } = &expr.kind else {
            panic!("a call");
        };
        assert_eq!(
            &text[arguments[1].span.start as usize..arguments[1].span.end as usize],
            "'b'"
        );
    }
}
