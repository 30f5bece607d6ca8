//! `--statistics`: a count of the findings of each rule instead of the findings, as a table
//! (human) or as JSON. The other formats list findings and are refused with `--statistics`.

use std::collections::BTreeMap;

use akslint_core::{Diagnostic, RuleMeta};
use akslint_engine::Report;
use serde::Serialize;

use super::{Fixable, RenderOptions, Rendered, human, shown};
use crate::args::Format;

/// The findings of one rule.
#[derive(Serialize)]
struct RuleCount {
    code: &'static str,
    name: &'static str,
    /// Findings of the rule at or above the threshold.
    count: usize,
    /// Of them, findings with a safe fix.
    fixable: usize,
    /// Of them, findings with an unsafe fix.
    unsafe_fixable: usize,
}

/// The JSON document: one entry per rule with findings, by code, and the total.
#[derive(Serialize)]
struct Statistics {
    version: u32,
    rules: Vec<RuleCount>,
    total: usize,
}

/// Counts the findings at or above the threshold per rule; JSON for [`Format::Json`], else a
/// table followed by the human summary (unless quiet).
pub fn render(format: Format, report: &Report, options: &RenderOptions) -> Rendered {
    let findings: Vec<&Diagnostic> = shown(report, options.threshold).collect();
    let mut by_rule: BTreeMap<&'static str, (&'static RuleMeta, Vec<&Diagnostic>)> =
        BTreeMap::new();
    for finding in &findings {
        by_rule
            .entry(finding.rule.code)
            .or_insert_with(|| (finding.rule, Vec::new()))
            .1
            .push(finding);
    }
    let rules: Vec<RuleCount> = by_rule
        .into_values()
        .map(|(rule, found)| {
            let fixable = Fixable::count(found.iter().copied());
            RuleCount {
                code: rule.code,
                name: rule.name,
                count: found.len(),
                fixable: fixable.safe,
                unsafe_fixable: fixable.unsafe_,
            }
        })
        .collect();
    let text = if format == Format::Json {
        let statistics = Statistics {
            version: 1,
            total: findings.len(),
            rules,
        };
        serde_json::to_string_pretty(&statistics).map_or_else(|err| err.to_string(), |s| s + "\n")
    } else {
        table(&rules) + &human::summary_lines(report, &findings, options)
    };
    Rendered {
        text,
        findings: findings.len(),
    }
}

/// The human table: count, code, name, and the fixable counts when any rule has a fix.
fn table(rules: &[RuleCount]) -> String {
    if rules.is_empty() {
        return String::new();
    }
    let count_width = rules
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1)
        .max("COUNT".len());
    let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
    let mut out = format!(
        "{:>count_width$}  {:<8} {:<name_width$}  FIXABLE\n",
        "COUNT", "CODE", "NAME"
    );
    for rule in rules {
        let fixable = match (rule.fixable, rule.unsafe_fixable) {
            (0, 0) => "-".to_owned(),
            (safe, 0) => safe.to_string(),
            (0, unsafe_) => format!("{unsafe_} unsafe"),
            (safe, unsafe_) => format!("{safe} + {unsafe_} unsafe"),
        };
        out.push_str(&format!(
            "{:>count_width$}  {:<8} {:<name_width$}  {fixable}\n",
            rule.count, rule.code, rule.name
        ));
    }
    out.push('\n');
    out
}
