//! JSON as Azure Resource Manager reads deployment templates and parameter files: RFC 8259, plus
//! `//` and `/* */` comments, trailing commas, and line breaks inside strings (all accepted by
//! ARM's own reader). The result is the core [`Tree`]: every node keeps the byte span of what
//! produced it (a string's span includes its quotes), scalars keep their decoded text and type.
//!
//! A syntax error stops the reading there: the problem is returned with its place, and the tree
//! holds what came before it (an unfinished object or array keeps the entries read so far). A
//! property written twice in one object (names compared ignoring case, as ARM compares them) is
//! reported at the second one, with the first as the related place.

use std::collections::HashMap;

use akslint_core::{Entry, NodeId, NodeKind, Scalar, ScalarStyle, Span, Tree};

/// Deepest nesting of objects and arrays read; deeper is a [`JsonProblemKind::TooDeep`] problem.
pub const MAX_DEPTH: usize = 256;

/// A JSON text read into a tree.
#[derive(Clone, Debug, Default)]
pub struct JsonDocument {
    /// The nodes.
    pub tree: Tree,
    /// The top-level value, when the text has one.
    pub root: Option<NodeId>,
    /// What is wrong with the text: at most one syntax error (reading stops there), and any
    /// number of duplicate properties.
    pub problems: Vec<JsonProblem>,
    /// The comments read (`//` to the end of the line, `/* … */`), in order, markers included.
    pub comments: Vec<Span>,
}

/// What is wrong at a place of a JSON text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonProblem {
    /// What kind of problem.
    pub kind: JsonProblemKind,
    /// Where.
    pub span: Span,
    /// What is wrong, in words.
    pub message: String,
    /// The first of two duplicate properties.
    pub related: Option<Span>,
}

/// The kinds of [`JsonProblem`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonProblemKind {
    /// Not JSON here.
    Syntax,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A property name already used in the same object.
    DuplicateProperty,
}

/// Reads a JSON text (a leading byte-order mark is skipped).
pub fn parse(text: &str) -> JsonDocument {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: start,
        document: JsonDocument::default(),
    };
    if let Err(problem) = reader.document_value() {
        reader.document.problems.push(problem);
        // What was read before the error: the first node is the top-level value.
        reader.document.root = reader.document.tree.iter().next().map(|(id, _)| id);
    }
    reader.document
}

/// The reader's state.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    document: JsonDocument,
}

type Read<T> = Result<T, JsonProblem>;

impl Reader<'_> {
    /// The whole text: one value between optional whitespace and comments.
    fn document_value(&mut self) -> Read<()> {
        self.skip_trivia()?;
        if self.at >= self.bytes.len() {
            return Err(self.syntax(self.at, self.at, "the file holds no JSON value"));
        }
        let root = self.value(0)?;
        self.document.root = Some(root);
        self.skip_trivia()?;
        if self.at < self.bytes.len() {
            let end = self.char_end(self.at);
            return Err(self.syntax(self.at, end, "unexpected text after the JSON value"));
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Read<NodeId> {
        match self.bytes.get(self.at) {
            Some(b'{' | b'[') => self.container(depth),
            Some(b'"') => {
                let (text, span) = self.string()?;
                Ok(self.scalar(text, ScalarStyle::DoubleQuoted, Some("str"), span))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't' | b'f' | b'n') => self.keyword(),
            Some(_) => {
                let end = self.char_end(self.at);
                Err(self.syntax(self.at, end, "expected a JSON value"))
            }
            None => Err(self.syntax(self.at, self.at, "the text ends where a value belongs")),
        }
    }

    /// An object (`{`) or array (`[`) at `self.at`: its node holds what was read even when
    /// reading stops inside it.
    fn container(&mut self, depth: usize) -> Read<NodeId> {
        let open = self.at;
        self.nested(depth)?;
        self.at += 1;
        let id = self
            .document
            .tree
            .push(NodeKind::Sequence(Vec::new()), Span::new(open, open + 1));
        let (kind, result) = if self.bytes[open] == b'{' {
            let mut entries = Vec::new();
            let result = self.object_entries(open, depth, &mut entries);
            (NodeKind::Mapping(entries), result)
        } else {
            let mut items = Vec::new();
            let result = self.array_items(open, depth, &mut items);
            (NodeKind::Sequence(items), result)
        };
        let node = self.document.tree.node_mut(id);
        node.kind = kind;
        node.span = Span::new(open, self.at);
        result.map(|()| id)
    }

    /// The entries of the object opened at `open`, up to and with its `}`.
    fn object_entries(&mut self, open: usize, depth: usize, entries: &mut Vec<Entry>) -> Read<()> {
        let mut first_of: HashMap<String, Span> = HashMap::new();
        while !self.closes(open, b'}', "object")? {
            if self.bytes[self.at] != b'"' {
                let end = self.char_end(self.at);
                return Err(self.syntax(
                    self.at,
                    end,
                    "expected a property name in double quotes or `}`",
                ));
            }
            let (name, name_span) = self.string()?;
            let key = self.scalar(
                name.clone(),
                ScalarStyle::DoubleQuoted,
                Some("str"),
                name_span,
            );
            match first_of.get(&name.to_lowercase()) {
                Some(&first) => self.document.problems.push(JsonProblem {
                    kind: JsonProblemKind::DuplicateProperty,
                    span: name_span,
                    message: format!(
                        "the property `{name}` is already set in this object (names are compared ignoring case); ARM refuses the template"
                    ),
                    related: Some(first),
                }),
                None => {
                    first_of.insert(name.to_lowercase(), name_span);
                }
            }
            self.skip_trivia()?;
            self.expect(b':', "`:` after the property name")?;
            self.skip_trivia()?;
            let value = self.value(depth + 1)?;
            entries.push(Entry { key, value });
            self.after_item(open, b'}', "object", "property")?;
        }
        Ok(())
    }

    /// The items of the array opened at `open`, up to and with its `]`.
    fn array_items(&mut self, open: usize, depth: usize, items: &mut Vec<NodeId>) -> Read<()> {
        while !self.closes(open, b']', "array")? {
            items.push(self.value(depth + 1)?);
            self.after_item(open, b']', "array", "item")?;
        }
        Ok(())
    }

    /// Before an item of the object or array opened at `open`: skips trivia, and says whether
    /// the `close` byte is next (and consumes it).
    fn closes(&mut self, open: usize, close: u8, container: &str) -> Read<bool> {
        self.skip_trivia()?;
        match self.bytes.get(self.at) {
            Some(&byte) if byte == close => {
                self.at += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(self.syntax(open, open + 1, &format!("this {container} is not closed"))),
        }
    }

    /// After an item: skips trivia and a `,` (a trailing one too, as ARM allows), or stops
    /// before the `close` byte.
    fn after_item(&mut self, open: usize, close: u8, container: &str, item: &str) -> Read<()> {
        self.skip_trivia()?;
        match self.bytes.get(self.at) {
            Some(b',') => {
                self.at += 1;
                Ok(())
            }
            Some(&byte) if byte == close => Ok(()),
            Some(_) => {
                let end = self.char_end(self.at);
                let message = format!("expected `,` or `{}` after the {item}", close as char);
                Err(self.syntax(self.at, end, &message))
            }
            None => Err(self.syntax(open, open + 1, &format!("this {container} is not closed"))),
        }
    }

    /// Refuses to open an object or array deeper than [`MAX_DEPTH`].
    fn nested(&self, depth: usize) -> Read<()> {
        if depth >= MAX_DEPTH {
            return Err(JsonProblem {
                kind: JsonProblemKind::TooDeep,
                span: Span::new(self.at, self.at + 1),
                message: format!(
                    "this value nests deeper than {MAX_DEPTH} levels; akslint stopped reading the file here"
                ),
                related: None,
            });
        }
        Ok(())
    }

    /// A string at `self.at` (on its opening quote): its decoded text and its span, quotes
    /// included. Line breaks inside are kept, as ARM keeps them.
    fn string(&mut self) -> Read<(String, Span)> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut run = self.at;
        loop {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err(self.syntax(open, self.at, "this string is not closed"));
            };
            match byte {
                b'"' => {
                    out.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    return Ok((out, Span::new(open, self.at)));
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.at]);
                    self.escape(&mut out)?;
                    run = self.at;
                }
                0x00..=0x1f if byte != b'\n' && byte != b'\r' && byte != b'\t' => {
                    return Err(self.syntax(
                        self.at,
                        self.at + 1,
                        "a control character in a string must be escaped",
                    ));
                }
                _ => self.at += 1,
            }
        }
    }

    /// An escape at `self.at` (on its backslash), decoded into `out`.
    fn escape(&mut self, out: &mut String) -> Read<()> {
        let start = self.at;
        let Some(&kind) = self.bytes.get(self.at + 1) else {
            return Err(self.syntax(start, start + 1, "this escape is not finished"));
        };
        self.at += 2;
        let decoded = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4(start)?;
                if (0xD800..0xDC00).contains(&high) && self.bytes[self.at..].starts_with(b"\\u") {
                    let mark = self.at;
                    self.at += 2;
                    let low = self.hex4(mark)?;
                    if (0xDC00..0xE000).contains(&low) {
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code).unwrap_or('\u{fffd}')
                    } else {
                        out.push('\u{fffd}');
                        char::from_u32(low).unwrap_or('\u{fffd}')
                    }
                } else {
                    char::from_u32(high).unwrap_or('\u{fffd}')
                }
            }
            _ => {
                let end = self.char_end(start + 1);
                return Err(self.syntax(start, end, "unknown escape in a string"));
            }
        };
        out.push(decoded);
        Ok(())
    }

    /// Four hexadecimal digits at `self.at`.
    fn hex4(&mut self, escape_start: usize) -> Read<u32> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit));
        let Some(digits) = digits else {
            return Err(self.syntax(
                escape_start,
                self.at.min(self.bytes.len()),
                "`\\u` needs four hexadecimal digits",
            ));
        };
        let value = digits.iter().fold(0u32, |acc, d| {
            acc * 16 + char::from(*d).to_digit(16).unwrap_or(0)
        });
        self.at += 4;
        Ok(value)
    }

    fn number(&mut self) -> Read<NodeId> {
        let start = self.at;
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        let digits = |reader: &mut Reader<'_>| {
            let from = reader.at;
            while reader.bytes.get(reader.at).is_some_and(u8::is_ascii_digit) {
                reader.at += 1;
            }
            reader.at > from
        };
        if !digits(self) {
            return Err(self.syntax(start, self.at, "a number needs digits"));
        }
        let mut float = false;
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            float = true;
            if !digits(self) {
                return Err(self.syntax(start, self.at, "a number needs digits after `.`"));
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            float = true;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.syntax(start, self.at, "a number needs digits in its exponent"));
            }
        }
        let text = self.text[start..self.at].to_owned();
        let tag = if float { "float" } else { "int" };
        Ok(self.scalar(
            text,
            ScalarStyle::Plain,
            Some(tag),
            Span::new(start, self.at),
        ))
    }

    fn keyword(&mut self) -> Read<NodeId> {
        for (word, tag) in [("true", "bool"), ("false", "bool"), ("null", "null")] {
            if self.bytes[self.at..].starts_with(word.as_bytes()) {
                let span = Span::new(self.at, self.at + word.len());
                self.at += word.len();
                return Ok(self.scalar(word.to_owned(), ScalarStyle::Plain, Some(tag), span));
            }
        }
        let end = self.char_end(self.at);
        Err(self.syntax(self.at, end, "expected a JSON value"))
    }

    fn scalar(
        &mut self,
        text: String,
        style: ScalarStyle,
        tag: Option<&str>,
        span: Span,
    ) -> NodeId {
        self.document
            .tree
            .push(NodeKind::Scalar(Scalar::new(text, style, tag)), span)
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Read<()> {
        loop {
            match self.bytes.get(self.at) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.at += 1,
                Some(b'/') if self.bytes.get(self.at + 1) == Some(&b'/') => {
                    let start = self.at;
                    while self
                        .bytes
                        .get(self.at)
                        .is_some_and(|b| *b != b'\n' && *b != b'\r')
                    {
                        self.at += 1;
                    }
                    self.document.comments.push(Span::new(start, self.at));
                }
                Some(b'/') if self.bytes.get(self.at + 1) == Some(&b'*') => {
                    let start = self.at;
                    match self.text[self.at + 2..].find("*/") {
                        Some(end) => self.at += 2 + end + 2,
                        None => {
                            return Err(self.syntax(
                                start,
                                start + 2,
                                "this comment is not closed",
                            ));
                        }
                    }
                    self.document.comments.push(Span::new(start, self.at));
                }
                _ => return Ok(()),
            }
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Read<()> {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            return Ok(());
        }
        let end = self.char_end(self.at);
        Err(self.syntax(self.at, end, &format!("expected {what}")))
    }

    /// The end of the character at `at` (for spans of one character).
    fn char_end(&self, at: usize) -> usize {
        self.text[at.min(self.text.len())..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8())
    }

    fn syntax(&self, start: usize, end: usize, message: &str) -> JsonProblem {
        JsonProblem {
            kind: JsonProblemKind::Syntax,
            span: Span::new(start, end),
            message: message.to_owned(),
            related: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(doc: &JsonDocument, node: NodeId) -> String {
        match &doc.tree.node(node).kind {
            NodeKind::Mapping(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|e| format!("{}: {}", render(doc, e.key), render(doc, e.value)))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
            NodeKind::Sequence(items) => {
                let inner: Vec<String> = items.iter().map(|i| render(doc, *i)).collect();
                format!("[{}]", inner.join(", "))
            }
            NodeKind::Scalar(s) => format!("{}:{:?}", s.text, s.ty),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn arm_extensions_are_read() {
        let text = "\u{feff}{\n  // a comment\n  \"a\": [1, 2.5, -3e2,], /* more */\n  \"b\": \"line\nbreak\",\n}";
        let doc = parse(text);
        assert!(doc.problems.is_empty(), "{:?}", doc.problems);
        assert_eq!(
            render(&doc, doc.root.unwrap()),
            "{a:String: [1:Int, 2.5:Float, -3e2:Float], b:String: line\nbreak:String}"
        );
    }

    #[test]
    fn escapes_are_decoded_and_spans_include_quotes() {
        let text = r#"{"k\u00e9y": "\"q\"\\\/\n\ud83d\ude00\ud800x"}"#;
        let doc = parse(text);
        let NodeKind::Mapping(entries) = &doc.tree.node(doc.root.unwrap()).kind else {
            panic!("an object");
        };
        let key = doc.tree.str(entries[0].key).unwrap();
        assert_eq!(key, "kéy");
        assert_eq!(
            doc.tree.str(entries[0].value).unwrap(),
            "\"q\"\\/\n😀\u{fffd}x"
        );
        let span = doc.tree.span(entries[0].key);
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            "\"k\\u00e9y\""
        );
    }

    #[test]
    fn problems_are_located() {
        let cases = [
            ("{\"a\": 1,, }", "expected a property name", 8),
            ("[1 2]", "expected `,` or `]`", 3),
            ("{\"a\" 1}", "expected `:`", 5),
            ("\"abc", "not closed", 0),
            ("{\"a\": tru}", "expected a JSON value", 6),
            ("", "no JSON value", 0),
            ("{} {}", "after the JSON value", 3),
            ("/* open", "comment is not closed", 0),
            ("\"a\\x\"", "unknown escape", 2),
        ];
        for (text, message, at) in cases {
            let doc = parse(text);
            let problem = &doc.problems[0];
            assert!(problem.message.contains(message), "{text:?}: {problem:?}");
            assert_eq!(problem.span.start, at, "{text:?}: {problem:?}");
            assert_eq!(problem.kind, JsonProblemKind::Syntax);
        }
    }

    #[test]
    fn duplicates_ignore_case_and_deep_nesting_stops() {
        let doc = parse(r#"{"name": 1, "Name": 2, "other": {"name": 3}}"#);
        assert_eq!(doc.problems.len(), 1);
        let problem = &doc.problems[0];
        assert_eq!(problem.kind, JsonProblemKind::DuplicateProperty);
        assert_eq!(problem.span, Span::new(12, 18));
        assert_eq!(problem.related, Some(Span::new(1, 7)));
        let deep = "[".repeat(100_000);
        let doc = parse(&deep);
        assert_eq!(doc.problems[0].kind, JsonProblemKind::TooDeep);
    }

    #[test]
    fn an_unfinished_object_keeps_what_was_read() {
        let doc = parse("{\"a\": 1, \"b\": [true, ");
        assert_eq!(doc.problems.len(), 1);
        let root = doc.root.expect("the object read so far");
        assert_eq!(render(&doc, root), "{a:String: 1:Int}");
    }
}
