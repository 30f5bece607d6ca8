//! Parsed templates kept by their text, shared by renderings: an editor renders a chart again
//! on every edit (only the edited template parses again), a run renders a chart once per values
//! set, and `tpl` renders the same strings again and again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::ast::{Template, TemplateError};
use super::parser::parse;

/// Most texts kept; the cache starts over when it would hold more.
const MAX_TEXTS: usize = 20_000;

/// A text's parse: the template, or why it does not parse.
pub type Parsed = Result<Arc<Template>, TemplateError>;

/// Parsed templates by their text (see the module's documentation). Parsing depends on the
/// text alone, so a text parsed once is never parsed again while it is kept.
#[derive(Debug, Default)]
pub struct ParseCache {
    parsed: Mutex<HashMap<Arc<str>, Parsed>>,
}

impl ParseCache {
    /// An empty cache.
    pub fn new() -> ParseCache {
        ParseCache::default()
    }

    /// The parse of `text`, and the text as the cache keeps it (shared by every file that holds
    /// it).
    pub fn parse(&self, text: &str) -> (Arc<str>, Parsed) {
        if let Ok(parsed) = self.parsed.lock()
            && let Some((kept, found)) = parsed.get_key_value(text)
        {
            return (kept.clone(), found.clone());
        }
        let found = parse(text).map(Arc::new);
        let kept: Arc<str> = text.into();
        if let Ok(mut parsed) = self.parsed.lock() {
            if parsed.len() >= MAX_TEXTS {
                parsed.clear();
            }
            parsed.insert(kept.clone(), found.clone());
        }
        (kept, found)
    }

    /// How many texts are kept.
    pub fn len(&self) -> usize {
        self.parsed.lock().map_or(0, |parsed| parsed.len())
    }

    /// Whether no text is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_parses_once() {
        let cache = ParseCache::new();
        let (first_text, first) = cache.parse("a {{ .b }}");
        let (second_text, second) = cache.parse("a {{ .b }}");
        assert!(Arc::ptr_eq(&first_text, &second_text));
        assert!(Arc::ptr_eq(&first.unwrap(), &second.unwrap()));
        assert_eq!(cache.len(), 1);
        let (_, broken) = cache.parse("{{ end }}");
        assert!(broken.is_err());
        assert!(cache.parse("{{ end }}").1.is_err());
        assert_eq!(cache.len(), 2);
    }
}
