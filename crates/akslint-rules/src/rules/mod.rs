//! Every rule, one file each. The registry in [`crate::registry`] lists them.

/// The check of a Bicep secret rule: the findings that [`crate::secrets::bicep`] places under it,
/// and the help they carry.
macro_rules! bicep_secret_rule {
    ($rule:ident, $help:literal, $json_help:literal) => {
        impl $rule {
            /// How to fix a finding in a Bicep or `.bicepparam` file.
            pub const HELP: &str = $help;
            /// How to fix a finding in an ARM JSON template or parameter file.
            pub const JSON_HELP: &str = $json_help;
        }

        impl $crate::secrets::bicep::SecretPlacement for $rule {
            const PLACEMENT: (&'static akslint_core::RuleMeta, &'static str, &'static str) =
                (&Self::META, Self::HELP, Self::JSON_HELP);
        }

        impl $crate::Rule for $rule {
            fn meta(&self) -> &'static akslint_core::RuleMeta {
                &Self::META
            }

            fn check_project(
                &self,
                index: &$crate::ProjectIndex,
                out: &mut Vec<akslint_core::Diagnostic>,
            ) {
                $crate::secrets::bicep::report(index, &Self::META, out);
            }
        }
    };
}

/// The check of a YAML secret rule: its share of the secrets of a document, found once for every
/// secret rule by [`crate::secrets::report_document`] with the placements below.
macro_rules! yaml_secret_rule {
    ($rule:ident) => {
        impl $crate::Rule for $rule {
            fn meta(&self) -> &'static akslint_core::RuleMeta {
                &Self::META
            }

            fn check_document(
                &self,
                cx: &$crate::DocumentContext<'_>,
                out: &mut Vec<akslint_core::Diagnostic>,
            ) {
                $crate::secrets::report_document(cx, &Self::META, out);
            }
        }
    };
}

/// How the YAML placement rules of the secret family that look at one Kubernetes object find
/// its secrets, in code order. The secrets analysis of a document runs them all once (with
/// [`DOCUMENT_SECRET_PLACEMENTS`]); each rule then reports its share, and `SEC009` the weak
/// values of all of them.
pub(crate) const OBJECT_SECRET_PLACEMENTS: [fn(
    &crate::ObjectContext<'_>,
    &mut Vec<akslint_core::Diagnostic>,
); 5] = [
    sec001_hardcoded_secret_in_env::find,
    sec002_hardcoded_secret_in_secret_manifest::find,
    sec003_hardcoded_secret_in_configmap::find,
    sec004_hardcoded_secret_in_command_line::find,
    sec005_hardcoded_secret_in_annotation::find,
];

/// How the YAML placement rules of the secret family that look at a whole document find its
/// secrets (see [`OBJECT_SECRET_PLACEMENTS`]).
pub(crate) const DOCUMENT_SECRET_PLACEMENTS: [fn(
    &crate::DocumentContext<'_>,
    &mut Vec<akslint_core::Diagnostic>,
); 1] = [sec006_hardcoded_secret_in_other_yaml::find];

mod api001_public_api_server;
mod api002_authorized_ip_ranges_allow_all;
mod api003_private_cluster_public_fqdn;
mod api004_private_cluster_without_gitops;
mod auth001_cluster_admin_bound_to_broad_group;
mod auth002_local_accounts_enabled;
mod auth003_entra_id_integration_missing;
mod auth004_azure_rbac_disabled;
mod auth005_kubernetes_rbac_disabled;
mod kv001_keyvault_csi_driver_disabled;
mod kv002_keyvault_secret_rotation_disabled;
mod kv003_secret_provider_class_without_csi_driver;
mod parse001_yaml_syntax_error;
mod parse002_file_too_large;
mod parse003_nesting_too_deep;
mod parse004_alias_expansion_limit;
mod parse005_not_utf8_text;
mod parse006_duplicate_key;
mod parse007_bicep_syntax_error;
mod parse008_evaluation_limit_reached;
mod parse009_arm_json_syntax_error;
mod parse010_helm_template_error;
mod parse011_kustomize_build_error;
mod sec001_hardcoded_secret_in_env;
mod sec002_hardcoded_secret_in_secret_manifest;
mod sec003_hardcoded_secret_in_configmap;
mod sec004_hardcoded_secret_in_command_line;
mod sec005_hardcoded_secret_in_annotation;
mod sec006_hardcoded_secret_in_other_yaml;
mod sec009_weak_or_well_known_secret;
mod sec010_secret_param_not_secure;
mod sec011_hardcoded_secret_in_param_default;
mod sec012_hardcoded_secret_in_resource_property;
mod sec013_hardcoded_secret_in_bicep_literal;
mod sec014_output_leaks_secret;
mod sec015_hardcoded_secret_in_bicepparam;
mod sec016_hardcoded_secret_in_module_argument;
mod sup001_suppression_without_reason;
mod sup002_unused_suppression;
mod sup003_unknown_rule_in_suppression;
mod wid001_workload_identity_label_missing;
mod wid002_cluster_workload_identity_disabled;
mod wid003_workload_identity_service_account_not_federated;
mod wid004_client_secret_in_workload;
mod wid005_deprecated_pod_identity;
mod wid006_service_principal_instead_of_managed_identity;
mod wid007_federated_credential_mismatch;

pub use api001_public_api_server::{MANAGED_CLUSTERS, PublicApiServer};
pub use api002_authorized_ip_ranges_allow_all::AuthorizedIpRangesAllowAll;
pub use api003_private_cluster_public_fqdn::{PrivateClusterPublicFqdn, private_cluster};
pub use api004_private_cluster_without_gitops::PrivateClusterWithoutGitops;
pub use auth001_cluster_admin_bound_to_broad_group::ClusterAdminBoundToBroadGroup;
pub use auth002_local_accounts_enabled::LocalAccountsEnabled;
pub use auth003_entra_id_integration_missing::EntraIdIntegrationMissing;
pub use auth004_azure_rbac_disabled::AzureRbacDisabled;
pub use auth005_kubernetes_rbac_disabled::KubernetesRbacDisabled;
pub use kv001_keyvault_csi_driver_disabled::{
    KEYVAULT_ADDON, KeyVaultAddon, KeyVaultCsiDriverDisabled, SECRET_ROTATION,
};
pub use kv002_keyvault_secret_rotation_disabled::KeyVaultSecretRotationDisabled;
pub use kv003_secret_provider_class_without_csi_driver::SecretProviderClassWithoutCsiDriver;
pub use parse001_yaml_syntax_error::YamlSyntaxError;
pub use parse002_file_too_large::FileTooLarge;
pub use parse003_nesting_too_deep::NestingTooDeep;
pub use parse004_alias_expansion_limit::AliasExpansionLimit;
pub use parse005_not_utf8_text::NotUtf8Text;
pub use parse006_duplicate_key::DuplicateKey;
pub use parse007_bicep_syntax_error::BicepSyntaxError;
pub use parse008_evaluation_limit_reached::EvaluationLimitReached;
pub use parse009_arm_json_syntax_error::ArmJsonSyntaxError;
pub use parse010_helm_template_error::HelmTemplateError;
pub use parse011_kustomize_build_error::KustomizeBuildError;
pub use sec001_hardcoded_secret_in_env::HardcodedSecretInEnv;
pub use sec002_hardcoded_secret_in_secret_manifest::HardcodedSecretInSecretManifest;
pub use sec003_hardcoded_secret_in_configmap::HardcodedSecretInConfigMap;
pub use sec004_hardcoded_secret_in_command_line::HardcodedSecretInCommandLine;
pub use sec005_hardcoded_secret_in_annotation::HardcodedSecretInAnnotation;
pub use sec006_hardcoded_secret_in_other_yaml::HardcodedSecretInOtherYaml;
pub use sec009_weak_or_well_known_secret::WeakSecret;
pub use sec010_secret_param_not_secure::SecretParamNotSecure;
pub use sec011_hardcoded_secret_in_param_default::HardcodedSecretInParamDefault;
pub use sec012_hardcoded_secret_in_resource_property::HardcodedSecretInResourceProperty;
pub use sec013_hardcoded_secret_in_bicep_literal::HardcodedSecretInBicepLiteral;
pub use sec014_output_leaks_secret::OutputLeaksSecret;
pub use sec015_hardcoded_secret_in_bicepparam::HardcodedSecretInBicepparam;
pub use sec016_hardcoded_secret_in_module_argument::HardcodedSecretInModuleArgument;
pub use sup001_suppression_without_reason::SuppressionWithoutReason;
pub use sup002_unused_suppression::UnusedSuppression;
pub use sup003_unknown_rule_in_suppression::UnknownRuleInSuppression;
pub use wid001_workload_identity_label_missing::{
    CLIENT_ID_ANNOTATION, MissingWorkloadIdentityLabel, USE_LABEL,
};
pub use wid002_cluster_workload_identity_disabled::ClusterWorkloadIdentityDisabled;
pub use wid003_workload_identity_service_account_not_federated::ServiceAccountNotFederated;
pub use wid004_client_secret_in_workload::ClientSecretInWorkload;
pub use wid005_deprecated_pod_identity::DeprecatedPodIdentity;
pub use wid006_service_principal_instead_of_managed_identity::ServicePrincipalInsteadOfManagedIdentity;
pub use wid007_federated_credential_mismatch::FederatedCredentialMismatch;
