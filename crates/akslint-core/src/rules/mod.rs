//! Every rule, one file each. The registry in [`crate::registry`] lists them.

mod auth001_cluster_admin_broad_group;
mod parse001_yaml_syntax_error;
mod parse002_file_too_large;
mod parse003_nesting_too_deep;
mod parse004_alias_expansion_limit;
mod parse005_not_utf8_text;
mod parse006_duplicate_key;
mod parse007_bicep_syntax_error;
mod sec001_secret_in_env;
mod sup001_suppression_without_reason;
mod sup002_unused_suppression;
mod sup003_unknown_rule_in_suppression;
mod wid001_missing_use_label;

pub use auth001_cluster_admin_broad_group::ClusterAdminBoundToBroadGroup;
pub use parse001_yaml_syntax_error::YamlSyntaxError;
pub use parse002_file_too_large::FileTooLarge;
pub use parse003_nesting_too_deep::NestingTooDeep;
pub use parse004_alias_expansion_limit::AliasExpansionLimit;
pub use parse005_not_utf8_text::NotUtf8Text;
pub use parse006_duplicate_key::DuplicateKey;
pub use parse007_bicep_syntax_error::BicepSyntaxError;
pub use sec001_secret_in_env::HardcodedSecretInEnv;
pub use sup001_suppression_without_reason::SuppressionWithoutReason;
pub use sup002_unused_suppression::UnusedSuppression;
pub use sup003_unknown_rule_in_suppression::UnknownRuleInSuppression;
pub use wid001_missing_use_label::MissingWorkloadIdentityLabel;
