use crate::facts::{AccountUser, FactKind, ServiceAccountFact, ServiceAccounts, by_scope};
use crate::{ProjectIndex, ResourceContext, Rule, Scopes};
use akslint_core::{
    Applicability, AzureResource, Change, Diagnostic, FixPlan, Literal, NodeId, NodeKind, RuleMeta,
    Setting, Span, declare_rule,
};

/// The resource type of a federated identity credential of a user-assigned managed identity.
const FEDERATED_CREDENTIALS: &str =
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
/// The audience Microsoft Entra ID accepts for token exchange in the public cloud.
const TOKEN_EXCHANGE_AUDIENCE: &str = "api://AzureADTokenExchange";
/// Every audience Entra ID accepts for token exchange (public and national clouds).
const TOKEN_EXCHANGE_AUDIENCES: &[&str] = &[
    TOKEN_EXCHANGE_AUDIENCE,
    "api://AzureADTokenExchangeUSGov",
    "api://AzureADTokenExchangeChina",
];
/// The prefix of a Kubernetes ServiceAccount token's subject.
const SUBJECT_PREFIX: &str = "system:serviceaccount:";
/// The host suffix of AKS OIDC issuers (`https://<region>.oic.prod-aks.azure.com/<tenant>/<id>/`).
const AKS_ISSUER_HOST: &str = ".oic.prod-aks.azure.com";

declare_rule! {
    /// ## What it does
    /// Checks the federated identity credentials of user-assigned managed identities
    /// (`Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials`, nested
    /// or with `parent:`, also in modules, conditions and loops) that federate with Kubernetes —
    /// the subject starts with `system:serviceaccount`, the issuer is an AKS OIDC issuer URL, or
    /// the issuer is taken from a cluster's `oidcIssuerProfile` — and reports:
    ///
    /// - a subject that is not exactly `system:serviceaccount:<namespace>:<name>` with valid
    ///   Kubernetes names (a plural `serviceaccounts`, a missing namespace, capitals, spaces, or
    ///   a wildcard, which federation does not match);
    /// - audiences that are missing or not exactly `['api://AzureADTokenExchange']` (the
    ///   national-cloud audiences are accepted);
    /// - a subject naming a ServiceAccount that the run's manifests do not contain, when they
    ///   define other ServiceAccounts of that namespace or one of that name in another namespace
    ///   (shown as a secondary location). A namespace the manifests do not cover at all is
    ///   assumed to be set up elsewhere (a Helm release, an add-on) and is not reported.
    ///
    /// Credentials for other issuers (GitHub Actions, Azure DevOps, other clouds) are not
    /// checked. Values are followed through parameters, variables, `.bicepparam` files and
    /// module arguments; an unknown value is not reported.
    ///
    /// ## Why it matters
    /// Entra ID exchanges a pod's ServiceAccount token for an access token only when the
    /// token's issuer, subject and audience match a federated credential exactly. A credential
    /// that cannot match leaves the workload without its identity at runtime, and the usual
    /// workaround is a client secret. A subject for a ServiceAccount that does not exist is
    /// also a standing grant: whoever later creates that ServiceAccount in that namespace gets
    /// the identity's access.
    ///
    /// ## Example
    /// ```bicep
    /// resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
    ///   name: 'id-orders'
    ///   location: 'westeurope'
    /// }
    ///
    /// resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
    ///   parent: identity
    ///   name: 'orders'
    ///   properties: {
    ///     issuer: 'https://westeurope.oic.prod-aks.azure.com/3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42/8e1f4a6b-0c2d-4e3f-9a5b-7d6c8e0f1a2b/'
    ///     subject: 'system:serviceaccounts:shop:orders'
    ///     audiences: ['api://AzureADTokenExchange']
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```bicep
    /// resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
    ///   name: 'id-orders'
    ///   location: 'westeurope'
    /// }
    ///
    /// resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
    ///   parent: identity
    ///   name: 'orders'
    ///   properties: {
    ///     issuer: 'https://westeurope.oic.prod-aks.azure.com/3d9f0b17-2c64-48e5-a7b1-6e0d5c9f8a42/8e1f4a6b-0c2d-4e3f-9a5b-7d6c8e0f1a2b/'
    ///     subject: 'system:serviceaccount:shop:orders'
    ///     audiences: ['api://AzureADTokenExchange']
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write the subject as `system:serviceaccount:<namespace>:<name>` of the ServiceAccount
    /// the workload runs as, set `audiences: ['api://AzureADTokenExchange']`, and keep the
    /// namespace and name in step with the manifests (a shared parameter for both helps).
    /// akslint's fixes turn a plural `system:serviceaccounts:` written in the resource into the
    /// singular (safe) and replace an `audiences` array written there (unsafe).
    ///
    /// ## References
    /// - [Use Microsoft Entra Workload ID with AKS](https://learn.microsoft.com/azure/aks/workload-identity-overview)
    /// - [Deploy and configure workload identity: establish federated identity credential](https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster)
    /// - [Microsoft.ManagedIdentity userAssignedIdentities/federatedIdentityCredentials](https://learn.microsoft.com/azure/templates/microsoft.managedidentity/userassignedidentities/federatedidentitycredentials)
    pub struct FederatedCredentialMismatch {
        code: "WID007",
        name: "federated-credential-mismatch",
        family: Wid,
        severity: Warning,
        security_severity: "5.0",
        summary: "A federated identity credential whose subject or audience cannot match a Kubernetes ServiceAccount of the run",
    }
}

impl Rule for FederatedCredentialMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn facts(&self) -> &'static [FactKind] {
        const FACTS: &[FactKind] = &[FactKind::of::<ServiceAccountFact>()];
        FACTS
    }

    fn template_types(&self) -> &'static [&'static str] {
        &[FEDERATED_CREDENTIALS]
    }

    fn check_resource(&self, cx: &ResourceContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some((credential, subject)) = kubernetes_credential(cx.resource) else {
            return;
        };
        if let Some((node, text)) = subject
            && let Err(problem) = parse_subject(text)
        {
            let mut diagnostic = at_node(
                credential,
                node,
                format!(
                    "federated credential {} has the subject `{text}`, which no ServiceAccount token carries: {problem}",
                    credential.label()
                ),
                "write the subject as `system:serviceaccount:<namespace>:<name>`",
            );
            if let Some(fix) = singular_subject_fix(credential, node) {
                diagnostic = diagnostic.with_fix_plan(fix);
            }
            out.push(diagnostic);
        }
        check_audiences(credential, out);
    }

    fn check_project(&self, index: &ProjectIndex, out: &mut Vec<Diagnostic>) {
        let accounts = ServiceAccounts::of(index);
        for user in credential_users(index) {
            check_credential(user.unit, &accounts, index, out);
        }
    }

    fn check_scopes(&self, scopes: &Scopes) -> Vec<Vec<Diagnostic>> {
        // The credentials are the templates', among the plain files: a scope's builds hold none.
        let users = |index| match ProjectIndex::base(index) {
            Some(_) => Vec::new(),
            None => credential_users(index),
        };
        by_scope(scopes, users, |&unit, accounts, index, out| {
            check_credential(unit, accounts, index, out);
        })
    }
}

/// The credentials of the project's templates whose subject names a ServiceAccount, each with
/// that ServiceAccount (the credentials are found once per project).
fn credential_users(index: &ProjectIndex) -> Vec<AccountUser<'_, (usize, NodeId)>> {
    let trusting = index.templates_memo(|templates| TrustedAccounts::of(&templates.resources));
    (trusting.0.iter())
        .filter_map(|&(at, node)| {
            let credential = &index.resources[at];
            let Some(Ok((namespace, name))) = credential.body.str(node).map(parse_subject) else {
                return None;
            };
            Some(AccountUser {
                file: &credential.file,
                namespace,
                name,
                unit: (at, node),
            })
        })
        .collect()
}

/// Reports a credential whose subject names a ServiceAccount the run does not contain.
fn check_credential(
    (at, node): (usize, NodeId),
    accounts: &ServiceAccounts<'_>,
    index: &ProjectIndex,
    out: &mut Vec<Diagnostic>,
) {
    let credential = &index.resources[at];
    let Some(Ok(subject)) = credential.body.str(node).map(parse_subject) else {
        return;
    };
    let mut found = Vec::new();
    check_account_exists(credential, node, subject, accounts, &mut found);
    out.extend(found.into_iter().map(|d| index.onto_run(d, credential)));
}

/// The credentials of a project's templates whose subject names a ServiceAccount: each
/// credential's place among the resources, and its subject's node.
struct TrustedAccounts(Vec<(usize, NodeId)>);

impl TrustedAccounts {
    /// The credentials among `resources` whose subject names a ServiceAccount.
    fn of(resources: &[AzureResource]) -> TrustedAccounts {
        let trusting = resources.iter().enumerate().filter_map(|(at, resource)| {
            let (_, subject) = kubernetes_credential(resource)?;
            let (node, text) = subject?;
            parse_subject(text).is_ok().then_some((at, node))
        });
        TrustedAccounts(trusting.collect())
    }
}

/// The resource when it is a deployed federated credential for Kubernetes ServiceAccount
/// tokens, with its subject's node and text when the subject is known.
fn kubernetes_credential(
    resource: &AzureResource,
) -> Option<(&AzureResource, Option<(NodeId, &str)>)> {
    if !resource.is_type(FEDERATED_CREDENTIALS) || resource.existing {
        return None;
    }
    let subject = match resource.property(&["subject"]) {
        Setting::Value(node) => resource.body.str(node).map(|s| (node, s)),
        Setting::NotSet | Setting::Unknown => None,
    };
    federates_with_kubernetes(resource, subject.map(|(_, s)| s)).then_some((resource, subject))
}

/// Whether the credential is for Kubernetes ServiceAccount tokens.
fn federates_with_kubernetes(credential: &AzureResource, subject: Option<&str>) -> bool {
    if subject.is_some_and(|s| s.starts_with("system:serviceaccount")) {
        return true;
    }
    match credential.property(&["issuer"]) {
        Setting::Value(node) => credential.body.str(node).is_some_and(is_aks_issuer),
        Setting::Unknown => {
            // The issuer is computed: a reference to a cluster's `oidcIssuerProfile` (directly, or
            // through a parameter or variable named after it) says it is a cluster's.
            credential.property_node(&["issuer"]).is_some_and(|node| {
                let span = credential.body.span(node);
                credential
                    .file
                    .text()
                    .get(span.range())
                    .is_some_and(|text| text.to_ascii_lowercase().contains("oidcissuer"))
            })
        }
        Setting::NotSet => false,
    }
}

/// Whether an issuer URL is an AKS cluster's OIDC issuer.
fn is_aks_issuer(issuer: &str) -> bool {
    let lower = issuer.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    host.ends_with(AKS_ISSUER_HOST)
}

/// The namespace and name of a ServiceAccount subject, or what is wrong with it.
fn parse_subject(subject: &str) -> Result<(&str, &str), String> {
    if subject.trim() != subject {
        return Err("it has leading or trailing spaces".to_owned());
    }
    if subject.starts_with("system:serviceaccounts:") {
        return Err("`system:serviceaccounts:` (plural) names a group of ServiceAccounts, not one; use `system:serviceaccount:`".to_owned());
    }
    let Some(rest) = subject.strip_prefix(SUBJECT_PREFIX) else {
        return Err(format!("it does not start with `{SUBJECT_PREFIX}`"));
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let [namespace, name] = parts.as_slice() else {
        return Err(format!(
            "it needs exactly a namespace and a name after `{SUBJECT_PREFIX}`, separated by `:`"
        ));
    };
    if namespace.contains('*') || name.contains('*') {
        return Err(
            "wildcards are not matched; each ServiceAccount needs its own credential".to_owned(),
        );
    }
    if !is_dns_label(namespace) {
        return Err(format!(
            "`{namespace}` is not a valid namespace (lowercase letters, digits and `-`, at most 63)"
        ));
    }
    if !is_dns_subdomain(name) {
        return Err(format!(
            "`{name}` is not a valid ServiceAccount name (lowercase letters, digits, `-` and `.`)"
        ));
    }
    Ok((namespace, name))
}

/// A Kubernetes namespace name (RFC 1123 label).
fn is_dns_label(text: &str) -> bool {
    (1..=63).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// A Kubernetes object name (RFC 1123 subdomain).
fn is_dns_subdomain(text: &str) -> bool {
    (1..=253).contains(&text.len()) && text.split('.').all(is_dns_label)
}

/// Reports a subject naming a ServiceAccount the run does not contain (when it contains any).
fn check_account_exists(
    credential: &AzureResource,
    node: NodeId,
    (namespace, name): (&str, &str),
    accounts: &ServiceAccounts<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if accounts.named(namespace, name).next().is_some() {
        return;
    }
    let namesake = accounts.namesake(namespace, name);
    if namesake.is_none() && !accounts.any_in(namespace) {
        return;
    }
    let hint = namesake.map_or_else(String::new, |a| {
        format!(
            "; a ServiceAccount {name} exists in namespace `{}`",
            a.namespace
        )
    });
    let mut diagnostic = at_node(
        credential,
        node,
        format!(
            "federated credential {} trusts ServiceAccount {namespace}/{name}, which is not defined in the manifests linted{hint}",
            credential.label()
        ),
        "point the subject at the ServiceAccount the workload runs as, or add that ServiceAccount to the manifests",
    );
    if let Some(account) = namesake {
        diagnostic = diagnostic.with_label(
            account.file,
            account.span,
            format!(
                "ServiceAccount {name} is defined in namespace `{}`",
                account.namespace
            ),
        );
    }
    out.push(diagnostic);
}

/// Replaces the plural `system:serviceaccounts:` of a subject written in the resource by the
/// singular (safe: a plural subject never matches, so nothing that works can break).
fn singular_subject_fix(credential: &AzureResource, node: NodeId) -> Option<FixPlan> {
    const PLURAL: &str = "system:serviceaccounts:";
    if credential.origin(node).is_some() {
        return None;
    }
    let span = credential.body.span(node);
    let written = credential.file.text().get(span.range())?;
    let at = written.find(PLURAL)?;
    let start = span.start as usize + at + PLURAL.len() - 2;
    Some(FixPlan::new(
        "use `system:serviceaccount:` (singular)",
        Applicability::Safe,
        Change::EditString {
            span: Span::new(start, start + 1),
            text: String::new(),
        },
    ))
}

/// Reports audiences other than the token-exchange audience.
fn check_audiences(credential: &AzureResource, out: &mut Vec<Diagnostic>) {
    let problem = match credential.property(&["audiences"]) {
        Setting::Unknown => return,
        Setting::NotSet => None,
        Setting::Value(node) => {
            let body = &credential.body;
            let resolved = body.resolve(node);
            let fine = match &body.node(resolved).kind {
                NodeKind::Sequence(items) => {
                    if items.iter().any(|&item| credential.is_unknown(item)) {
                        return;
                    }
                    items.len() == 1
                        && body
                            .str(items[0])
                            .is_some_and(|a| TOKEN_EXCHANGE_AUDIENCES.contains(&a))
                }
                _ => false,
            };
            if fine {
                return;
            }
            Some(node)
        }
    };
    let message = format!(
        "federated credential {} {}; Entra ID exchanges ServiceAccount tokens only for the audience `{TOKEN_EXCHANGE_AUDIENCE}`",
        credential.label(),
        if problem.is_some() {
            "has audiences other than exactly one token-exchange audience"
        } else {
            "sets no `audiences`"
        }
    );
    let help = format!("set `audiences: ['{TOKEN_EXCHANGE_AUDIENCE}']`");
    out.push(match problem {
        Some(node) => {
            let diagnostic = at_node(credential, node, message, &help);
            match audiences_fix(credential, node) {
                Some(fix) => diagnostic.with_fix_plan(fix),
                None => diagnostic,
            }
        }
        None => Diagnostic::new(
            &FederatedCredentialMismatch::META,
            &credential.file,
            credential.declaration_span,
            message,
        )
        .with_help(help)
        .with_subject(credential.subject(None)),
    });
}

/// Replaces an `audiences` array written in the resource by the token-exchange audience (unsafe:
/// another audience may be intended for another cloud).
fn audiences_fix(credential: &AzureResource, node: NodeId) -> Option<FixPlan> {
    if credential.origin(node).is_some() {
        return None;
    }
    Some(FixPlan::new(
        format!("set `audiences: ['{TOKEN_EXCHANGE_AUDIENCE}']`"),
        Applicability::Unsafe,
        Change::Replace {
            at: credential.body.span(node),
            expected: None,
            value: Literal::Array(vec![Literal::String(TOKEN_EXCHANGE_AUDIENCE.to_owned())]),
        },
    ))
}

/// A finding on a property's value, where the value was written.
fn at_node(credential: &AzureResource, node: NodeId, message: String, help: &str) -> Diagnostic {
    let (location, secondary) = credential.locate(node);
    let mut diagnostic = Diagnostic::new(
        &FederatedCredentialMismatch::META,
        &location.file,
        location.span,
        message,
    )
    .with_help(help.to_owned())
    .with_subject(credential.subject(Some(node)));
    if let Some((place, text)) = secondary {
        diagnostic = diagnostic.with_label(&place.file, place.span, text);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::{is_aks_issuer, parse_subject};

    #[test]
    fn subjects() {
        assert_eq!(
            parse_subject("system:serviceaccount:shop:orders-api"),
            Ok(("shop", "orders-api"))
        );
        for bad in [
            "system:serviceaccounts:shop:orders",
            "system:serviceaccount:orders",
            "system:serviceaccount:shop:orders:x",
            "system:serviceaccount:Shop:orders",
            "system:serviceaccount:shop:*",
            " system:serviceaccount:shop:orders",
            "system:serviceaccount:shop:",
        ] {
            assert!(parse_subject(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn aks_issuers() {
        assert!(is_aks_issuer(
            "https://westeurope.oic.prod-aks.azure.com/t/c/"
        ));
        assert!(!is_aks_issuer(
            "https://token.actions.githubusercontent.com"
        ));
        assert!(!is_aks_issuer(
            "https://evil.example/.oic.prod-aks.azure.com"
        ));
    }
}
