//! The one list of rules.

use crate::rules::*;
use crate::{Rule, RuleMeta};

static RULES: &[&dyn Rule] = &[
    &ClusterAdminBoundToBroadGroup,
    &MissingWorkloadIdentityLabel,
    &HardcodedSecretInEnv,
    &YamlSyntaxError,
    &FileTooLarge,
    &NestingTooDeep,
    &AliasExpansionLimit,
    &NotUtf8Text,
    &DuplicateKey,
    &SuppressionWithoutReason,
    &UnusedSuppression,
    &UnknownRuleInSuppression,
];

/// Every rule, in the order of their codes' families and numbers.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// The metadata of every rule.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|rule| rule.meta())
}

/// The rule with this code (case-insensitive) or kebab-case name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    metas().find(|meta| meta.code.eq_ignore_ascii_case(code_or_name) || meta.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for meta in metas() {
            assert!(codes.insert(meta.code), "duplicate code {}", meta.code);
            assert!(names.insert(meta.name), "duplicate name {}", meta.name);
            assert!(
                meta.code.starts_with(meta.family.as_str()),
                "{} not in family {}",
                meta.code,
                meta.family
            );
            assert!(
                meta.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                meta.name
            );
            assert!(
                !meta.summary.is_empty() && !meta.docs.is_empty(),
                "{} lacks docs",
                meta.code
            );
        }
    }
}
