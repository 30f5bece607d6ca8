//! The one list of rules.

use crate::Rule;
use crate::rules::*;
use akslint_core::RuleMeta;

static RULES: &[&dyn Rule] = &[
    &ClusterAdminBoundToBroadGroup,
    &LocalAccountsEnabled,
    &EntraIdIntegrationMissing,
    &AzureRbacDisabled,
    &KubernetesRbacDisabled,
    &PublicApiServer,
    &AuthorizedIpRangesAllowAll,
    &PrivateClusterPublicFqdn,
    &PrivateClusterWithoutGitops,
    &MissingWorkloadIdentityLabel,
    &ClusterWorkloadIdentityDisabled,
    &ServiceAccountNotFederated,
    &ClientSecretInWorkload,
    &DeprecatedPodIdentity,
    &ServicePrincipalInsteadOfManagedIdentity,
    &FederatedCredentialMismatch,
    &HardcodedSecretInEnv,
    &HardcodedSecretInSecretManifest,
    &HardcodedSecretInConfigMap,
    &HardcodedSecretInCommandLine,
    &HardcodedSecretInAnnotation,
    &HardcodedSecretInOtherYaml,
    &WeakSecret,
    &KeyVaultCsiDriverDisabled,
    &KeyVaultSecretRotationDisabled,
    &SecretProviderClassWithoutCsiDriver,
    &SecretParamNotSecure,
    &HardcodedSecretInParamDefault,
    &HardcodedSecretInResourceProperty,
    &HardcodedSecretInBicepLiteral,
    &OutputLeaksSecret,
    &HardcodedSecretInBicepparam,
    &HardcodedSecretInModuleArgument,
    &YamlSyntaxError,
    &FileTooLarge,
    &NestingTooDeep,
    &AliasExpansionLimit,
    &NotUtf8Text,
    &DuplicateKey,
    &BicepSyntaxError,
    &EvaluationLimitReached,
    &ArmJsonSyntaxError,
    &HelmTemplateError,
    &KustomizeBuildError,
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

/// The rule metadata sorted for listing: by family, then code.
pub fn sorted_metas() -> Vec<&'static RuleMeta> {
    let mut metas: Vec<_> = metas().collect();
    let family_rank = |meta: &RuleMeta| {
        akslint_core::Family::ALL
            .iter()
            .position(|f| *f == meta.family)
    };
    metas.sort_by_key(|meta| (family_rank(meta), meta.code));
    metas
}

/// The index page of `rules/`: every rule by family, linking to its page.
pub fn index_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from the rules' doc comments by `AKSLINT_UPDATE_DOCS=1 cargo test -p akslint-tests --test rule_docs`; do not edit. -->\n\
         # akslint rules\n\n\
         Every rule has a stable code and kebab-case name; either can be used in `akslint.yaml`, in\n\
         suppressions and with `akslint explain`. A family name (`SEC`, `WID`, …) selects all its rules.\n",
    );
    let metas = sorted_metas();
    for family in akslint_core::Family::ALL {
        let in_family: Vec<_> = metas.iter().filter(|m| m.family == family).collect();
        if in_family.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {} — {}\n\n| Code | Name | Severity | Summary |\n|---|---|---|---|\n",
            family,
            family.title()
        ));
        for meta in in_family {
            out.push_str(&format!(
                "| [{code}]({page}) | `{name}` | {severity} | {summary} |\n",
                code = meta.code,
                page = meta.page_file_name(),
                name = meta.name,
                severity = meta.default_severity,
                summary = meta.summary,
            ));
        }
    }
    out
}

/// The rule with this code (case-insensitive) or kebab-case name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    metas().find(|meta| meta.code.eq_ignore_ascii_case(code_or_name) || meta.name == code_or_name)
}

/// The rule code, rule name or family most like `text` (a few typing mistakes apart), for a
/// "did you mean" in an error message; `None` when nothing is that close.
pub fn closest_name(text: &str) -> Option<&'static str> {
    let text = text.to_ascii_lowercase();
    let families = akslint_core::Family::ALL
        .iter()
        .map(|family| family.as_str());
    metas()
        .flat_map(|meta| [meta.code, meta.name])
        .chain(families)
        .map(|candidate| {
            let distance = strsim::levenshtein(&text, &candidate.to_ascii_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, candidate)| distance <= (candidate.len() / 4).max(1))
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn closest_names_are_a_few_mistakes_away() {
        assert_eq!(closest_name("SEC01"), Some("SEC001"));
        assert_eq!(closest_name("sec0001"), Some("SEC001"));
        assert_eq!(
            closest_name("hardcoded-secret-in-evn"),
            Some("hardcoded-secret-in-env")
        );
        assert_eq!(closest_name("SECC"), Some("SEC"));
        assert_eq!(closest_name("NOPE42"), None);
        assert_eq!(closest_name("completely-different"), None);
    }

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
            let file_name = format!(
                "{}_{}.rs",
                meta.code.to_ascii_lowercase(),
                meta.name.replace('-', "_")
            );
            assert!(
                meta.source_file.ends_with(&format!("/rules/{file_name}")),
                "{} is declared in {}, not in a file named after it ({file_name})",
                meta.code,
                meta.source_file
            );
        }
    }
}
