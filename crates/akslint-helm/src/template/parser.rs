//! Reading a template's pieces into its syntax tree, with Go's rules: `{{else if}}` and
//! `{{else with}}` chains share one `{{end}}`, `define` and `block` bodies are collected by
//! name, `break` and `continue` only inside `range`.

use akslint_core::Span;

use super::ast::{Branch, Command, Define, Node, Operand, Pipeline, Template, TemplateError, Term};
use super::lexer::{Piece, Token, pieces, tokens};

/// Parses a template file.
pub fn parse(text: &str) -> Result<Template, TemplateError> {
    let mut parser = Parser {
        text,
        pieces: pieces(text)?,
        at: 0,
        defines: Vec::new(),
        ranges: 0,
        nesting: 0,
    };
    let (nodes, end) = parser.list()?;
    match end {
        End::Eof => Ok(Template {
            nodes,
            defines: parser.defines,
        }),
        End::Keyword(span) => Err(error(span, "unexpected {{end}}")),
        End::Else { whole, .. } => Err(error(whole, "unexpected {{else}}")),
    }
}

fn error(span: Span, message: &str) -> TemplateError {
    TemplateError {
        span,
        message: message.to_owned(),
    }
}

/// How a list of nodes ended.
enum End {
    /// The end of the text.
    Eof,
    /// The `{{end}}` keyword, its span.
    Keyword(Span),
    /// `{{else …}}`: the tokens after `else`, and the action's span.
    Else {
        rest: Vec<(Token, Span)>,
        whole: Span,
    },
}

struct Parser<'t> {
    text: &'t str,
    pieces: Vec<Piece>,
    at: usize,
    defines: Vec<Define>,
    /// How many `range` bodies enclose the list being read.
    ranges: usize,
    /// How many blocks (`if`, `with`, `range`, `define`, `block`) enclose the list being read.
    nesting: usize,
}

/// The words that start an action with a meaning of its own (every other action is a pipeline).
const KEYWORDS: [&str; 10] = [
    "end", "else", "if", "with", "range", "define", "block", "template", "break", "continue",
];

/// Most blocks nested in one another: real charts nest a handful; a text nesting deeper is
/// refused with an error rather than read by ever deeper recursion.
const MAX_NESTING: usize = 100;

impl Parser<'_> {
    /// Reads nodes up to `{{end}}`, `{{else}}` or the end of the text.
    fn list(&mut self) -> Result<(Vec<Node>, End), TemplateError> {
        let mut nodes = Vec::new();
        while let Some(piece) = self.pieces.get(self.at).cloned() {
            self.at += 1;
            let (inner, whole) = match piece {
                Piece::Text(span) => {
                    if span.start < span.end {
                        nodes.push(Node::Text(span));
                    }
                    continue;
                }
                Piece::Action { inner, whole } => (inner, whole),
            };
            let mut toks: Vec<(Token, Span)> = tokens(self.text, inner)?;
            toks.retain(|(t, _)| *t != Token::Space);
            let keyword = match toks.first() {
                Some((Token::Ident(word), _)) => KEYWORDS
                    .iter()
                    .find(|k| **k == word.as_str())
                    .copied()
                    .unwrap_or(""),
                Some(_) => "",
                None => return Err(error(whole, "missing value for command")),
            };
            let rest = &toks[1..];
            match keyword {
                "end" if toks.len() == 1 => return Ok((nodes, End::Keyword(whole))),
                "else" => {
                    toks.remove(0);
                    return Ok((nodes, End::Else { rest: toks, whole }));
                }
                "if" | "with" | "range" => {
                    let pipeline = self.pipeline(rest, whole, keyword == "range")?;
                    nodes.push(self.branch(keyword, pipeline, whole)?);
                }
                "define" | "block" => {
                    let (name, name_span, argument) =
                        self.named(rest, whole, keyword == "block")?;
                    let (body, end) = self.list()?;
                    let End::Keyword(end_span) = end else {
                        return Err(error(whole, "{{define}} or {{block}} without its {{end}}"));
                    };
                    self.defines.push(Define {
                        name: name.clone(),
                        name_span,
                        body,
                        span: Span::new(whole.start as usize, end_span.end as usize),
                    });
                    if keyword == "block" {
                        nodes.push(Node::Call {
                            name,
                            argument,
                            span: whole,
                        });
                    }
                }
                "template" => {
                    let (name, _, argument) = self.named(rest, whole, true)?;
                    nodes.push(Node::Call {
                        name,
                        argument,
                        span: whole,
                    });
                }
                "break" | "continue" if toks.len() == 1 => {
                    if self.ranges == 0 {
                        return Err(error(
                            whole,
                            &format!("{{{{{keyword}}}}} outside {{{{range}}}}"),
                        ));
                    }
                    nodes.push(if keyword == "break" {
                        Node::Break(whole)
                    } else {
                        Node::Continue(whole)
                    });
                }
                _ => nodes.push(Node::Action(self.pipeline(&toks, whole, false)?)),
            }
        }
        Ok((nodes, End::Eof))
    }

    /// The body of `if`/`with`/`range` after its opening action, up to its `{{end}}`.
    fn branch(
        &mut self,
        keyword: &str,
        pipeline: Pipeline,
        open: Span,
    ) -> Result<Node, TemplateError> {
        if self.nesting >= MAX_NESTING {
            return Err(error(
                open,
                &format!("blocks nested more than {MAX_NESTING} deep"),
            ));
        }
        let is_range = keyword == "range";
        self.ranges += usize::from(is_range);
        self.nesting += 1;
        let then = self.list();
        self.nesting -= 1;
        self.ranges -= usize::from(is_range);
        let (then, end) = then?;
        let (otherwise, end_span) = match end {
            End::Eof => {
                return Err(error(
                    open,
                    &format!("{{{{{keyword}}}}} without its {{{{end}}}}"),
                ));
            }
            End::Keyword(span) => (Vec::new(), span),
            End::Else { rest, .. } if rest.is_empty() => {
                let (otherwise, end) = self.list()?;
                match end {
                    End::Keyword(span) => (otherwise, span),
                    End::Eof => {
                        return Err(error(
                            open,
                            &format!("{{{{{keyword}}}}} without its {{{{end}}}}"),
                        ));
                    }
                    End::Else { whole, .. } => return Err(error(whole, "a second {{else}}")),
                }
            }
            // `{{else if …}}` / `{{else with …}}`: a nested branch that takes the `{{end}}`.
            End::Else { rest, whole } => {
                let chained = match &rest[0].0 {
                    Token::Ident(word)
                        if (word == "if" || word == "with") && keyword != "range" =>
                    {
                        word.clone()
                    }
                    _ => {
                        return Err(error(
                            whole,
                            "expected {{else}}, {{else if …}} or {{else with …}}",
                        ));
                    }
                };
                let pipeline = self.pipeline(&rest[1..], whole, false)?;
                let nested = self.branch(&chained, pipeline, whole)?;
                let end = span_of(&nested).end;
                (vec![nested], Span::new(end as usize, end as usize))
            }
        };
        let branch = Branch {
            pipeline,
            then,
            otherwise,
            span: Span::new(open.start as usize, end_span.end as usize),
        };
        Ok(match keyword {
            "if" => Node::If(branch),
            "with" => Node::With(branch),
            _ => Node::Range(branch),
        })
    }

    /// `"name"` and, when `argument` is allowed, an optional pipeline after it.
    fn named(
        &self,
        toks: &[(Token, Span)],
        whole: Span,
        argument: bool,
    ) -> Result<(String, Span, Option<Pipeline>), TemplateError> {
        let Some((Token::String(name), span)) = toks.first() else {
            return Err(error(whole, "expected a template name (a string)"));
        };
        let rest = &toks[1..];
        let pipeline = match rest.is_empty() {
            true => None,
            false if argument => Some(self.pipeline(rest, whole, false)?),
            false => return Err(error(rest[0].1, "unexpected text after the template name")),
        };
        Ok((name.clone(), *span, pipeline))
    }

    /// A pipeline: optional variables (two only in `range`), then commands separated by `|`.
    fn pipeline(
        &self,
        toks: &[(Token, Span)],
        whole: Span,
        in_range: bool,
    ) -> Result<Pipeline, TemplateError> {
        let Some(first) = toks.first() else {
            return Err(error(whole, "missing value"));
        };
        let mut at = 0;
        let mut variables = Vec::new();
        let mut assigns = false;
        let declaration_end = toks
            .iter()
            .position(|(t, _)| matches!(t, Token::Declare | Token::Assign));
        if let Some(end) = declaration_end
            && toks[..end]
                .iter()
                .all(|(t, _)| matches!(t, Token::Variable(_) | Token::Comma))
            && end > 0
        {
            for (token, span) in &toks[..end] {
                if let Token::Variable(name) = token {
                    variables.push((name.clone(), *span));
                }
            }
            if variables.len() > 2
                || (variables.len() == 2 && !in_range)
                || end != variables.len() * 2 - 1
            {
                return Err(error(
                    toks[0].1,
                    "too many variables (two are allowed only in range)",
                ));
            }
            assigns = toks[end].0 == Token::Assign;
            at = end + 1;
        }
        let mut commands = Vec::new();
        let mut depth = 0usize;
        let mut start = at;
        for i in at..=toks.len() {
            let boundary = match toks.get(i) {
                None => true,
                Some((Token::Open, _)) => {
                    depth += 1;
                    false
                }
                Some((Token::Close, span)) => {
                    depth = depth
                        .checked_sub(1)
                        .ok_or_else(|| error(*span, "unexpected )"))?;
                    false
                }
                Some((Token::Pipe, _)) => depth == 0,
                Some(_) => false,
            };
            if boundary {
                if start == i {
                    let span = toks.get(i).map_or(whole, |t| t.1);
                    return Err(error(span, "missing command"));
                }
                commands.push(self.command(&toks[start..i])?);
                start = i + 1;
            }
        }
        if depth != 0 {
            return Err(error(whole, "unclosed ("));
        }
        let last = toks.last().map_or(first.1, |t| t.1);
        Ok(Pipeline {
            variables,
            assigns,
            commands,
            span: Span::new(first.1.start as usize, last.end as usize),
        })
    }

    /// A command: operands up to the end of `toks`.
    fn command(&self, toks: &[(Token, Span)]) -> Result<Command, TemplateError> {
        let mut args = Vec::new();
        let mut at = 0;
        while at < toks.len() {
            let (operand, next) = self.operand(toks, at)?;
            args.push(operand);
            at = next;
        }
        Ok(Command {
            span: Span::new(
                toks[0].1.start as usize,
                toks[toks.len() - 1].1.end as usize,
            ),
            args,
        })
    }

    /// The operand starting at `toks[at]`, and where the next one starts.
    fn operand(
        &self,
        toks: &[(Token, Span)],
        at: usize,
    ) -> Result<(Operand, usize), TemplateError> {
        let (token, span) = &toks[at];
        let mut next = at + 1;
        let mut end = span.end;
        let term = match token {
            Token::Field(names) if names.is_empty() => Term::Dot,
            Token::Field(names) => Term::Field(names.clone()),
            Token::Variable(name) => Term::Variable(name.clone()),
            Token::String(s) => Term::String(s.clone()),
            Token::Number(n) => Term::Number(n.clone()),
            Token::Ident(word) => match word.as_str() {
                "true" => Term::Bool(true),
                "false" => Term::Bool(false),
                "nil" => Term::Nil,
                "if" | "else" | "end" | "range" | "with" | "define" | "template" | "block"
                | "break" | "continue" => {
                    return Err(error(*span, &format!("unexpected keyword `{word}`")));
                }
                _ => Term::Function(word.clone()),
            },
            Token::Open => {
                let mut depth = 1usize;
                let mut close = at + 1;
                while close < toks.len() {
                    match toks[close].0 {
                        Token::Open => depth += 1,
                        Token::Close => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    close += 1;
                }
                if close >= toks.len() {
                    return Err(error(*span, "unclosed ("));
                }
                let inner = self.pipeline(&toks[at + 1..close], *span, false)?;
                next = close + 1;
                end = toks[close].1.end;
                Term::Pipeline(Box::new(inner))
            }
            Token::Chained(_) => return Err(error(*span, "a field here needs a value before it")),
            Token::Close => return Err(error(*span, "unexpected )")),
            Token::Pipe | Token::Declare | Token::Assign | Token::Comma | Token::Space => {
                return Err(error(*span, "unexpected token in a command"));
            }
        };
        let mut fields = Vec::new();
        while let Some((Token::Chained(name), span)) = toks.get(next) {
            fields.push((name.clone(), *span));
            end = span.end;
            next += 1;
        }
        Ok((
            Operand {
                term,
                fields,
                span: Span::new(span.start as usize, end as usize),
            },
            next,
        ))
    }
}

/// The span of a control node.
fn span_of(node: &Node) -> Span {
    match node {
        Node::If(b) | Node::With(b) | Node::Range(b) => b.span,
        Node::Text(s) | Node::Break(s) | Node::Continue(s) => *s,
        Node::Action(p) => p.span,
        Node::Call { span, .. } => *span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn control_structures_nest_and_chain() {
        let text = "{{- define \"x.name\" -}}\n{{ .Chart.Name | trunc 63 }}\n{{- end }}\nkind: {{ if .a }}A{{ else if eq .b \"c\" }}B{{ else }}C{{ end }}\n{{ range $i, $v := .Values.list }}{{ if $v }}{{ break }}{{ end }}{{ $v.name }}{{ end }}{{ template \"x.name\" . }}";
        let template = parse(text).unwrap();
        assert_eq!(template.defines.len(), 1);
        assert_eq!(template.defines[0].name, "x.name");
        let Node::Action(pipeline) = &template.defines[0].body[0] else {
            panic!()
        };
        assert_eq!(pipeline.commands.len(), 2);
        assert_eq!(slice(text, pipeline.commands[1].span), "trunc 63");
        let ifs: Vec<&Node> = template
            .nodes
            .iter()
            .filter(|n| matches!(n, Node::If(_)))
            .collect();
        let Node::If(branch) = ifs[0] else { panic!() };
        let [Node::If(nested)] = branch.otherwise.as_slice() else {
            panic!("{:?}", branch.otherwise)
        };
        assert_eq!(slice(text, nested.pipeline.span), "eq .b \"c\"");
        assert_eq!(nested.otherwise.len(), 1);
        assert!(slice(text, branch.span).ends_with("C{{ end }}"));
        let Some(Node::Range(range)) = template.nodes.iter().find(|n| matches!(n, Node::Range(_)))
        else {
            panic!()
        };
        assert_eq!(
            range
                .pipeline
                .variables
                .iter()
                .map(|v| v.0.as_str())
                .collect::<Vec<_>>(),
            ["$i", "$v"]
        );
        assert!(matches!(template.nodes.last(), Some(Node::Call { name, .. }) if name == "x.name"));
    }

    #[test]
    fn operands_with_fields_and_parentheses() {
        let text =
            "{{ (index .Values.map \"k\").name.first | default (printf \"%s-%d\" $x 3) | quote }}";
        let template = parse(text).unwrap();
        let [Node::Action(pipeline)] = template.nodes.as_slice() else {
            panic!()
        };
        let first = &pipeline.commands[0].args[0];
        assert!(matches!(&first.term, Term::Pipeline(_)));
        assert_eq!(
            first
                .fields
                .iter()
                .map(|f| f.0.as_str())
                .collect::<Vec<_>>(),
            ["name", "first"]
        );
        assert_eq!(
            slice(text, first.span),
            "(index .Values.map \"k\").name.first"
        );
        let default = &pipeline.commands[1];
        assert_eq!(default.args[0].term, Term::Function("default".into()));
        assert_eq!(slice(text, default.args[1].span), "(printf \"%s-%d\" $x 3)");
    }

    #[test]
    fn blocks_nested_too_deep_are_an_error_not_a_stack_overflow() {
        let text = "{{ if .x }}".repeat(5000);
        let err = parse(&text).expect_err("too deep");
        assert!(err.message.contains("nested more than"), "{}", err.message);
        let fine = format!("{}{}", "{{ if .x }}".repeat(50), "{{ end }}".repeat(50));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn errors_are_located() {
        for (text, message) in [
            ("{{ if .a }}x", "{{if}} without its {{end}}"),
            ("x {{ end }}", "unexpected {{end}}"),
            ("{{ break }}", "{{break}} outside {{range}}"),
            ("{{ .a | }}", "missing command"),
            ("{{ (.a }}", "unclosed ("),
            ("{{ $a, $b := .x }}", "too many variables"),
        ] {
            let got = parse(text).unwrap_err();
            assert!(got.message.contains(message), "{text}: {got:?}");
            assert!((got.span.end as usize) <= text.len());
        }
    }
}
