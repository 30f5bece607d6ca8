//! Every rule, one file each. The registry in [`crate::registry`] lists them.

/// The check of a Bicep secret rule: the findings that [`crate::secrets::bicep`] places under it,
/// and the help they carry.
macro_rules! bicep_secret_rule {
    ($rule:ident, $help:literal) => {
        impl $rule {
            /// How to fix a finding.
            pub const HELP: &str = $help;
        }

        impl $crate::Rule for $rule {
            fn meta(&self) -> &'static $crate::RuleMeta {
                &Self::META
            }

            fn check_project(
                &self,
                index: &$crate::ProjectIndex,
                out: &mut Vec<$crate::Diagnostic>,
            ) {
                $crate::secrets::bicep::report(index, &Self::META, out);
            }
        }
    };
}

mod api001_public_api_server;
mod auth001_cluster_admin_broad_group;
mod parse001_yaml_syntax_error;
mod parse002_file_too_large;
mod parse003_nesting_too_deep;
mod parse004_alias_expansion_limit;
mod parse005_not_utf8_text;
mod parse006_duplicate_key;
mod parse007_bicep_syntax_error;
mod sec001_secret_in_env;
mod sec002_secret_in_secret_manifest;
mod sec003_secret_in_configmap;
mod sec004_secret_in_command_line;
mod sec005_secret_in_annotation;
mod sec006_secret_in_other_yaml;
mod sec009_weak_secret;
mod sec010_secret_param_not_secure;
mod sec011_secret_in_param_default;
mod sec012_secret_in_resource_property;
mod sec013_secret_in_bicep_literal;
mod sec014_output_leaks_secret;
mod sec015_secret_in_bicepparam;
mod sec016_secret_in_module_argument;
mod sup001_suppression_without_reason;
mod sup002_unused_suppression;
mod sup003_unknown_rule_in_suppression;
mod wid001_missing_use_label;

pub use api001_public_api_server::{MANAGED_CLUSTERS, PublicApiServer};
pub use auth001_cluster_admin_broad_group::ClusterAdminBoundToBroadGroup;
pub use parse001_yaml_syntax_error::YamlSyntaxError;
pub use parse002_file_too_large::FileTooLarge;
pub use parse003_nesting_too_deep::NestingTooDeep;
pub use parse004_alias_expansion_limit::AliasExpansionLimit;
pub use parse005_not_utf8_text::NotUtf8Text;
pub use parse006_duplicate_key::DuplicateKey;
pub use parse007_bicep_syntax_error::BicepSyntaxError;
pub use sec001_secret_in_env::HardcodedSecretInEnv;
pub use sec002_secret_in_secret_manifest::HardcodedSecretInSecretManifest;
pub use sec003_secret_in_configmap::HardcodedSecretInConfigMap;
pub use sec004_secret_in_command_line::HardcodedSecretInCommandLine;
pub use sec005_secret_in_annotation::HardcodedSecretInAnnotation;
pub use sec006_secret_in_other_yaml::HardcodedSecretInOtherYaml;
pub use sec009_weak_secret::WeakSecret;
pub use sec010_secret_param_not_secure::SecretParamNotSecure;
pub use sec011_secret_in_param_default::HardcodedSecretInParamDefault;
pub use sec012_secret_in_resource_property::HardcodedSecretInResourceProperty;
pub use sec013_secret_in_bicep_literal::HardcodedSecretInBicepLiteral;
pub use sec014_output_leaks_secret::OutputLeaksSecret;
pub use sec015_secret_in_bicepparam::HardcodedSecretInBicepparam;
pub use sec016_secret_in_module_argument::HardcodedSecretInModuleArgument;
pub use sup001_suppression_without_reason::SuppressionWithoutReason;
pub use sup002_unused_suppression::UnusedSuppression;
pub use sup003_unknown_rule_in_suppression::UnknownRuleInSuppression;
pub use wid001_missing_use_label::MissingWorkloadIdentityLabel;
