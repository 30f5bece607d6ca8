use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a file that is not UTF-8 text: binary content (a NUL byte), a UTF-16 or UTF-32
    /// byte-order mark, or bytes that are not valid UTF-8, at the first offending byte.
    ///
    /// ## Why it matters
    /// Kubernetes and Bicep read UTF-8. A file saved as UTF-16 by an editor, or a binary file with
    /// a `.yaml` name, cannot be checked; reporting it keeps it from passing unchecked.
    ///
    /// ## Example
    /// ```text
    /// deployment.yaml saved as "UTF-16 LE" by an editor.
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// deployment.yaml saved as UTF-8.
    /// ```
    ///
    /// ## How to fix
    /// Save the file as UTF-8 (with or without a byte-order mark), or exclude it if it is not a
    /// manifest.
    ///
    /// ## References
    /// - [YAML 1.2.2: character encodings](https://yaml.org/spec/1.2.2/#52-character-encodings)
    pub struct NotUtf8Text {
        code: "PARSE005",
        name: "not-utf8-text",
        family: Parse,
        severity: Error,
        security_severity: "4.0",
        summary: "A file that is binary or not UTF-8 text",
    }
}

impl Rule for NotUtf8Text {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        cx.report(&Self::META, ParseProblemKind::NotText, out);
    }
}
