//! `akslint rules` and `akslint explain`.

use std::io::Write;

use akslint_rules::registry;
use serde::Serialize;

use crate::args::RulesFormat;
use crate::{EXIT_ERROR, EXIT_OK};

#[derive(Serialize)]
struct RuleOut {
    code: &'static str,
    name: &'static str,
    family: &'static str,
    severity: &'static str,
    summary: &'static str,
    /// False for an opt-in rule, which runs only when the configuration names it.
    enabled_by_default: bool,
    docs: String,
}

/// Lists every rule.
pub fn list(format: RulesFormat, stdout: &mut dyn Write) -> u8 {
    let metas = registry::sorted_metas();
    let text = match format {
        RulesFormat::Json => {
            let rules: Vec<RuleOut> = metas
                .iter()
                .map(|m| RuleOut {
                    code: m.code,
                    name: m.name,
                    family: m.family.as_str(),
                    severity: m.default_severity.as_str(),
                    summary: m.summary,
                    enabled_by_default: m.enabled_by_default,
                    docs: m.docs_url(),
                })
                .collect();
            serde_json::to_string_pretty(&rules).map_or_else(|err| err.to_string(), |s| s + "\n")
        }
        RulesFormat::Human => {
            let name_width = metas.iter().map(|m| m.name.len()).max().unwrap_or(4);
            let mut text = format!(
                "{:<9} {:<name_width$} {:<7} {:<8} SUMMARY\n",
                "CODE", "NAME", "FAMILY", "SEVERITY"
            );
            for m in &metas {
                text.push_str(&format!(
                    "{:<9} {:<name_width$} {:<7} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.family.as_str(),
                    m.default_severity.as_str(),
                    m.summary
                ));
            }
            text
        }
    };
    match stdout.write_all(text.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_ERROR,
    }
}

/// Prints a rule's page, without the comment that says where the generated file comes from.
pub fn explain(rule: &str, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    match registry::find(rule) {
        Some(meta) => match stdout.write_all(meta.page_body().as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(_) => EXIT_ERROR,
        },
        None => {
            let hint =
                match registry::closest_name(rule).filter(|name| registry::find(name).is_some()) {
                    Some(name) => format!("did you mean `{name}`?"),
                    None => "`akslint rules` lists them".to_owned(),
                };
            let _ = writeln!(
                stderr,
                "akslint: error: `{rule}` is not a rule code or name; {hint}"
            );
            EXIT_ERROR
        }
    }
}
