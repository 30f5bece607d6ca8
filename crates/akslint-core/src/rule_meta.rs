//! What every rule declares about itself: its code, name, family, severities and docs.

use std::fmt;

use crate::Severity;

/// Where rule pages live; a rule's page is this plus its [`RuleMeta::page_file_name`].
pub const RULES_BASE_URL: &str = "https://github.com/akslint/akslint/blob/main/rules/";

/// A family of rules: one pillar of AKS security, or akslint's own housekeeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Files akslint could not read or parse.
    Parse,
    /// Suppression comments and annotations.
    Sup,
    /// Identity and access: local accounts, Entra ID, RBAC.
    Auth,
    /// Private control plane: API server exposure.
    Api,
    /// Key Vault Secrets Store CSI driver.
    Kv,
    /// Hardcoded secrets.
    Sec,
    /// Workload identity.
    Wid,
}

impl Family {
    /// Every family, in display order.
    pub const ALL: [Family; 7] = [
        Family::Auth,
        Family::Wid,
        Family::Api,
        Family::Sec,
        Family::Kv,
        Family::Parse,
        Family::Sup,
    ];

    /// The code prefix and name of the family, e.g. `SEC`.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Parse => "PARSE",
            Family::Sup => "SUP",
            Family::Auth => "AUTH",
            Family::Api => "API",
            Family::Kv => "KV",
            Family::Sec => "SEC",
            Family::Wid => "WID",
        }
    }

    /// A few words on what the family covers.
    pub fn title(self) -> &'static str {
        match self {
            Family::Parse => "Files that cannot be read or parsed",
            Family::Sup => "Suppressions",
            Family::Auth => "Identity and access",
            Family::Api => "Private control plane",
            Family::Kv => "Key Vault Secrets Store CSI driver",
            Family::Sec => "Hardcoded secrets",
            Family::Wid => "Workload identity",
        }
    }

    /// Parses a family name, case-insensitively.
    pub fn parse(name: &str) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything akslint knows about a rule apart from its check.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code, e.g. `SEC001`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `hardcoded-secret-in-env`.
    pub name: &'static str,
    /// The family it belongs to.
    pub family: Family,
    /// Severity unless configuration says otherwise.
    pub default_severity: Severity,
    /// How serious a finding is for code scanning, "0.0" to "10.0" (CVSS-like: 9+ critical,
    /// 7+ high, 4+ medium, else low), as SARIF's `properties.security-severity` wants it.
    pub security_severity: &'static str,
    /// One line on what it finds.
    pub summary: &'static str,
    /// Whether it runs without being turned on in `akslint.yaml` (opt-in rules do not).
    pub enabled_by_default: bool,
    /// The rule's doc comment, as written (each line keeps its leading space).
    pub docs: &'static str,
    /// The source file that declares the rule, relative to the workspace root.
    pub source_file: &'static str,
}

impl RuleMeta {
    /// The rule's documentation as Markdown (the doc comment without its indentation).
    pub fn docs_markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The file name of the rule's page in `rules/`.
    pub fn page_file_name(&self) -> String {
        format!("{}-{}.md", self.code, self.name)
    }

    /// The URL of the rule's page.
    pub fn docs_url(&self) -> String {
        format!("{RULES_BASE_URL}{}", self.page_file_name())
    }

    /// The rule's page, as generated into `rules/`: [`RuleMeta::page_body`] under a comment
    /// that names the source it is generated from.
    pub fn page_markdown(&self) -> String {
        format!(
            "<!-- Generated from the doc comment in {source}; edit it there. -->\n{body}",
            source = self.source_file,
            body = self.page_body(),
        )
    }

    /// The rule's page as a reader sees it (`akslint explain`, hover): title, summary, a table of
    /// its family and severities, and its documentation.
    pub fn page_body(&self) -> String {
        format!(
            "# {code} `{name}`\n\n\
             {summary}.\n\n\
             | Family | Default severity | Security severity | Code | Name |\n\
             |---|---|---|---|---|\n\
             | {family} ({title}) | {severity} | {security} | `{code}` | `{name}` |\n\n\
             {docs}",
            code = self.code,
            name = self.name,
            summary = self.summary,
            family = self.family,
            title = self.family.title(),
            severity = self.default_severity,
            security = self.security_severity,
            docs = self.docs_markdown(),
        )
    }
}

/// Declares a rule's unit struct and its [`RuleMeta`] from its doc comment and a few fields.
///
/// The doc comment is the rule's documentation: `rules/` pages are generated from it.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            family: $family:ident,
            severity: $severity:ident,
            security_severity: $security_severity:literal,
            summary: $summary:literal
            $(, enabled_by_default: $enabled:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            /// This rule's metadata.
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                code: $code,
                name: $rule_name,
                family: $crate::Family::$family,
                default_severity: $crate::Severity::$severity,
                security_severity: $security_severity,
                summary: $summary,
                enabled_by_default: true $(&& $enabled)?,
                docs: concat!($($doc, "\n"),*),
                source_file: file!(),
            };
        }
    };
}
