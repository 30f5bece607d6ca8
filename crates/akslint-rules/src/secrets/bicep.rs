//! Hardcoded secrets in Bicep and `.bicepparam` files, and in ARM JSON templates and parameters
//! files (whose declarations the evaluator gives in the same form).
//!
//! Every string literal of the run's Bicep and ARM JSON files is judged with the name it is the value of (an
//! object key, a parameter, a variable, an argument), and again with where the evaluator saw its
//! value go: into a property that Azure treats as a credential (the [`CREDENTIALS`] table) or
//! under a secret-like key of a resource, or into a `@secure()` or secret-like parameter of a
//! template or module. Each secret is reported once, at the literal (where it must be removed;
//! a value an expression chose among literals, a ternary's branch or ARM's `if()`, at that
//! literal), under the rule for where that literal is written:
//!
//! | written in | rule |
//! | --- | --- |
//! | a `.bicepparam` file or an ARM parameters file | `SEC015` |
//! | a module call's argument (a nested deployment's, in ARM JSON) | `SEC016` |
//! | a parameter's default | `SEC011` |
//! | a resource body | `SEC012` |
//! | a variable or elsewhere, used by a resource property / passed to a module | `SEC012` / `SEC016` |
//! | a variable or elsewhere, otherwise (a known format, a secret-like name) | `SEC013` |
//!
//! Weak and well-known values go to `SEC009` instead ([`super::report::diagnostic`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::report::{self, Place};
use super::{Finding, judge, judge_known_secret, names};
use crate::rules::{
    HardcodedSecretInBicepLiteral, HardcodedSecretInBicepparam, HardcodedSecretInModuleArgument,
    HardcodedSecretInParamDefault, HardcodedSecretInResourceProperty,
};
use crate::{ProjectIndex, Templates};
use akslint_core::{
    AzureResource, BicepFile, Diagnostic, Location, NodeId, NodeKind, ParamBinding, RuleMeta,
    ScalarType, SharedSource, Site, SourceKind, Span, StringLiteral, Subject,
};

/// The hardcoded secrets of the project's Bicep files, each a finding of the rule for where it is
/// written, or of `SEC009` when the value is weak (computed once per project, for the rules that
/// report them).
struct BicepSecrets(Vec<Diagnostic>);

/// Adds the Bicep secrets that are findings of `rule` to `out`: those placed under it that are
/// not weak, or for `SEC009` the weak ones of every placement.
pub fn report(index: &ProjectIndex, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
    let secrets = index.templates_memo(|templates| BicepSecrets(find(templates)));
    out.extend(
        secrets
            .0
            .iter()
            .filter(|secret| secret.rule.code == rule.code)
            .cloned(),
    );
}

/// A rule the secrets of Azure templates are placed under: its metadata, and its help for a
/// finding in Bicep and in ARM JSON.
pub trait SecretPlacement {
    /// The rule, its Bicep help and its ARM JSON help.
    const PLACEMENT: (&'static RuleMeta, &'static str, &'static str);
}

/// The placement of rule `R`.
fn rule_and_help<R: SecretPlacement>() -> (&'static RuleMeta, &'static str, &'static str) {
    R::PLACEMENT
}

/// Properties that hold a credential whatever their value looks like, by resource type (compared
/// ignoring case) and key path in the resource body (`*` is any array item).
pub const CREDENTIALS: &[(&str, &[&str])] = &[
    (
        "Microsoft.ContainerService/managedClusters",
        &["properties", "windowsProfile", "adminPassword"],
    ),
    (
        "Microsoft.ContainerService/managedClusters",
        &["properties", "servicePrincipalProfile", "secret"],
    ),
    (
        "Microsoft.ContainerService/managedClusters",
        &["properties", "aadProfile", "serverAppSecret"],
    ),
    (
        "Microsoft.Sql/servers",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.Sql/managedInstances",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.DBforPostgreSQL/flexibleServers",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.DBforPostgreSQL/servers",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.DBforMySQL/flexibleServers",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.DBforMySQL/servers",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.DBforMariaDB/servers",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.DocumentDB/mongoClusters",
        &["properties", "administratorLoginPassword"],
    ),
    (
        "Microsoft.Synapse/workspaces",
        &["properties", "sqlAdministratorLoginPassword"],
    ),
    (
        "Microsoft.Compute/virtualMachines",
        &["properties", "osProfile", "adminPassword"],
    ),
    (
        "Microsoft.Compute/virtualMachineScaleSets",
        &[
            "properties",
            "virtualMachineProfile",
            "osProfile",
            "adminPassword",
        ],
    ),
    (
        "Microsoft.ContainerInstance/containerGroups",
        &["properties", "imageRegistryCredentials", "*", "password"],
    ),
    (
        "Microsoft.ContainerInstance/containerGroups",
        &[
            "properties",
            "containers",
            "*",
            "properties",
            "environmentVariables",
            "*",
            "secureValue",
        ],
    ),
    (
        "Microsoft.ContainerInstance/containerGroups",
        &[
            "properties",
            "volumes",
            "*",
            "azureFile",
            "storageAccountKey",
        ],
    ),
    (
        "Microsoft.ContainerInstance/containerGroups",
        &["properties", "volumes", "*", "secret", "*"],
    ),
    (
        "Microsoft.ContainerRegistry/registries/tasks",
        &[
            "properties",
            "credentials",
            "customRegistries",
            "*",
            "password",
            "value",
        ],
    ),
    (
        "Microsoft.App/containerApps",
        &["properties", "configuration", "secrets", "*", "value"],
    ),
    (
        "Microsoft.App/containerApps",
        &["properties", "configuration", "registries", "*", "password"],
    ),
    (
        "Microsoft.App/jobs",
        &["properties", "configuration", "secrets", "*", "value"],
    ),
    (
        "Microsoft.App/managedEnvironments",
        &[
            "properties",
            "appLogsConfiguration",
            "logAnalyticsConfiguration",
            "sharedKey",
        ],
    ),
    (
        "Microsoft.App/managedEnvironments/daprComponents",
        &["properties", "secrets", "*", "value"],
    ),
    (
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        &["properties", "configurationProtectedSettings", "*"],
    ),
    (
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        &["properties", "azureBlob", "accountKey"],
    ),
    (
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        &["properties", "azureBlob", "sasToken"],
    ),
    (
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        &[
            "properties",
            "azureBlob",
            "servicePrincipal",
            "clientSecret",
        ],
    ),
    (
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        &[
            "properties",
            "azureBlob",
            "servicePrincipal",
            "clientCertificate",
        ],
    ),
    (
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        &[
            "properties",
            "azureBlob",
            "servicePrincipal",
            "clientCertificatePassword",
        ],
    ),
    (
        "Microsoft.KubernetesConfiguration/extensions",
        &["properties", "configurationProtectedSettings", "*"],
    ),
    (
        "Microsoft.KubernetesConfiguration/sourceControlConfigurations",
        &["properties", "configurationProtectedSettings", "*"],
    ),
    (
        "Microsoft.Web/sites",
        &[
            "properties",
            "siteConfig",
            "connectionStrings",
            "*",
            "connectionString",
        ],
    ),
    (
        "Microsoft.Web/sites/slots",
        &[
            "properties",
            "siteConfig",
            "connectionStrings",
            "*",
            "connectionString",
        ],
    ),
    ("Microsoft.Web/certificates", &["properties", "password"]),
    ("Microsoft.Web/certificates", &["properties", "pfxBlob"]),
    (
        "Microsoft.Network/applicationGateways",
        &[
            "properties",
            "sslCertificates",
            "*",
            "properties",
            "password",
        ],
    ),
    (
        "Microsoft.Network/applicationGateways",
        &["properties", "sslCertificates", "*", "properties", "data"],
    ),
    (
        "Microsoft.Network/connections",
        &["properties", "sharedKey"],
    ),
    (
        "Microsoft.Network/virtualNetworkGateways",
        &["properties", "vpnClientConfiguration", "radiusServerSecret"],
    ),
    (
        "Microsoft.KeyVault/vaults/secrets",
        &["properties", "value"],
    ),
    (
        "Microsoft.Automation/automationAccounts/credentials",
        &["properties", "password"],
    ),
    (
        "Microsoft.Resources/deploymentScripts",
        &["properties", "environmentVariables", "*", "secureValue"],
    ),
];

/// Connection-string properties in the table: a value without a credential in it is not a
/// secret there (it may authenticate with a managed identity).
const CONNECTION_STRING_KEYS: &[&str] = &["connectionString"];

/// How strongly a judgement says a literal is a secret: a later, stronger one replaces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// A known format, or a secret-like name the literal is written under.
    Name,
    /// A secret-like parameter it is given to, or the name of a `{name, value}` pair.
    Target,
    /// A credential property or a `@secure()` parameter: any literal is a secret there.
    Credential,
}

/// Where a literal's value goes.
#[derive(Clone, Debug)]
enum Use<'a> {
    /// A property of a resource.
    Property {
        /// The resource.
        resource: &'a AzureResource,
        /// The property's key path, for messages.
        path: String,
        /// Where the resource body uses the value.
        at: Location,
    },
    /// A template parameter, through a `.bicepparam` assignment or a module argument.
    Parameter(&'a ParamBinding),
}

/// A literal judged to hold a secret.
struct Judged<'a> {
    /// Where the value is written.
    written: Location,
    /// The literal there, when it is one of the run's string literals.
    literal: Option<(&'a BicepFile, &'a StringLiteral)>,
    /// The value judged.
    text: String,
    /// The judgement.
    finding: Finding,
    /// How strong the judgement is.
    strength: Strength,
    /// Where the value goes.
    uses: Vec<Use<'a>>,
}

/// The literals judged so far, by where they are written.
/// Looked up by hash: a monorepo has hundreds of thousands of literals, and ordered maps
/// compared their paths component by component on every step (10% of a 1 GB run). The
/// literals are keyed by their files' own paths, borrowed: a copy of the path per literal was
/// the largest allocation of a monorepo's project stage.
struct Collector<'a> {
    literals: HashMap<(&'a Path, Span), (&'a BicepFile, &'a StringLiteral)>,
    /// The declarations of each file, for the literals inside an expression.
    files: HashMap<&'a Path, &'a BicepFile>,
    found: HashMap<(PathBuf, Span), Judged<'a>>,
}

impl<'a> Collector<'a> {
    /// Records a judgement of the value written at `written` (a stronger one replaces a weaker
    /// one), and where the value goes.
    fn add(
        &mut self,
        written: Location,
        text: &str,
        judgement: Option<(Finding, Strength)>,
        used: Option<Use<'a>>,
    ) {
        let written = self.chosen_literal(written, text);
        let key = (written.file.path().to_owned(), written.span);
        if let Some(judged) = self.found.get_mut(&key) {
            if let Some((mut finding, strength)) = judgement
                && strength > judged.strength
            {
                // A name-given class (`generic-password`) says more than where it goes.
                if finding.class == "generic-secret" {
                    finding.class = judged.finding.class;
                }
                judged.finding = finding;
                judged.strength = strength;
                judged.text = text.to_owned();
            }
            judged.uses.extend(used);
            return;
        }
        let Some((finding, strength)) = judgement else {
            return;
        };
        let literal = self.literals.get(&(key.0.as_path(), key.1)).copied();
        self.found.insert(
            key,
            Judged {
                written,
                literal,
                text: text.to_owned(),
                finding,
                strength,
                uses: used.into_iter().collect(),
            },
        );
    }
}

impl Collector<'_> {
    /// Where a value is written: `written` when it is a literal of the run, else the one literal
    /// inside it that holds exactly the value (a branch an expression chose: `if(c, 'x', 'y')`
    /// in ARM JSON, `c ? 'x' : 'y'` in Bicep), so that the finding points at the characters to
    /// remove and is reported once with the literal's own judgement.
    fn chosen_literal(&self, written: Location, text: &str) -> Location {
        let path = written.file.path();
        if self.literals.contains_key(&(path, written.span)) {
            return written;
        }
        let Some(file) = self.files.get(path) else {
            return written;
        };
        let within = written.span;
        let first = file
            .strings
            .partition_point(|s| s.span.start < within.start);
        let mut holding = file.strings[first..]
            .iter()
            .take_while(|s| s.span.start < within.end)
            .filter(|s| within.contains(s.span) && s.text == text);
        match (holding.next(), holding.next()) {
            (Some(literal), None) => Location {
                file: written.file,
                span: literal.span,
            },
            _ => written,
        }
    }
}

/// The secrets of the run's Bicep files, each once, in file and position order.
pub fn find(index: &Templates) -> Vec<Diagnostic> {
    let mut collector = Collector {
        literals: HashMap::new(),
        files: HashMap::new(),
        found: HashMap::new(),
    };
    for file in &index.bicep_files {
        collector.files.insert(file.file.path(), file);
        for literal in &file.strings {
            collector
                .literals
                .insert((file.file.path(), literal.span), (file, literal));
        }
    }
    for file in &index.bicep_files {
        for literal in &file.strings {
            let written = Location {
                file: file.file.clone(),
                span: literal.span,
            };
            collector.add(written, &literal.text, judge_literal(file, literal), None);
        }
    }
    for binding in &index.bindings {
        let Some(value) = &binding.value.as_ref().filter(|_| !binding.enumerated) else {
            continue;
        };
        let judgement =
            judge_parameter_value(&binding.name, binding.secure, &value.text, Strength::Target);
        let used = judgement.is_some().then_some(Use::Parameter(binding));
        collector.add(value.written.clone(), &value.text, judgement, used);
    }
    for resource in index.resources.iter().filter(|r| !r.existing) {
        for leaf in string_leaves(resource) {
            let Some(text) = resource.body.str(leaf.node) else {
                continue;
            };
            let Some(judgement) = judge_property(resource, &leaf, text) else {
                continue;
            };
            let at = Location {
                file: resource.file.clone(),
                span: resource.body.span(leaf.node),
            };
            let written = resource
                .origin(leaf.node)
                .map_or_else(|| at.clone(), |o| o.location.clone());
            let used = Use::Property {
                resource,
                path: leaf.path(),
                at,
            };
            collector.add(written, text, Some(judgement), Some(used));
        }
    }
    let mut found: Vec<((PathBuf, Span), Judged<'_>)> = collector.found.into_iter().collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
        .into_iter()
        .map(|(_, judged)| judged.report())
        .collect()
}

/// Judges a literal with the name it is written under; the default of a `@secure()` parameter
/// is judged as a value given to it.
fn judge_literal(file: &BicepFile, literal: &StringLiteral) -> Option<(Finding, Strength)> {
    let key = literal.key.as_deref();
    if let Site::ParamDefault { param } = &*literal.site
        && key == Some(param.as_str())
    {
        let declared = file.params.iter().find(|p| &p.name == param);
        if declared.is_some_and(|p| p.enumerated) {
            // A default from the template's own `@allowed` list is a setting.
            return None;
        }
        let secure = declared.is_some_and(|p| p.secure);
        return judge_parameter_value(param, secure, &literal.text, Strength::Name);
    }
    judge(key, &literal.text).map(|f| (f, Strength::Name))
}

/// Judges a value of a parameter: any literal but a stand-in when the parameter is `@secure()`
/// (unless its name says it holds a reference, public material or a description, as
/// `secretName` and `contentType` do), else by the parameter's name, with the strength
/// `otherwise`.
fn judge_parameter_value(
    name: &str,
    secure: bool,
    text: &str,
    otherwise: Strength,
) -> Option<(Finding, Strength)> {
    if secure
        && !names::is_reference_name(name)
        && !names::is_public_or_hash_name(name)
        && !names::is_descriptive_name(name)
    {
        judge_known_secret(name, text).map(|f| (f, Strength::Credential))
    } else {
        judge(Some(name), text).map(|f| (f, otherwise))
    }
}

/// One segment of a key path in a resource body.
#[derive(Clone, Debug)]
enum Segment<'a> {
    /// An object key.
    Key(&'a str),
    /// An array item, with the `name` of the item when it has one.
    Item(usize, Option<&'a str>),
}

/// A string value in a resource body and the key path to it.
struct Leaf<'a> {
    node: NodeId,
    segments: Vec<Segment<'a>>,
    /// The `name` beside it when it is the `value` or `secureValue` of a `{name, value}` pair.
    pair_name: Option<&'a str>,
}

impl Leaf<'_> {
    /// The path for messages: `properties.siteConfig.appSettings[name=DB_PASSWORD].value`.
    fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Item(_, Some(name)) => out.push_str(&format!("[name={name}]")),
                Segment::Item(index, None) => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }

    /// The last key.
    fn key(&self) -> Option<&str> {
        self.segments.iter().rev().find_map(|s| match s {
            Segment::Key(key) => Some(*key),
            Segment::Item(..) => None,
        })
    }

    /// Whether the path matches a table pattern (`*` for any array item or key).
    fn matches(&self, pattern: &[&str]) -> bool {
        self.segments.len() == pattern.len()
            && self.segments.iter().zip(pattern).all(|(s, p)| match s {
                Segment::Key(key) => *p == "*" || key.eq_ignore_ascii_case(p),
                Segment::Item(..) => *p == "*",
            })
    }
}

/// Every known string value of a resource body, with its path (depth-first, in order).
fn string_leaves(resource: &AzureResource) -> Vec<Leaf<'_>> {
    let tree = &resource.body;
    let mut out = Vec::new();
    let mut pending: Vec<(NodeId, Vec<Segment<'_>>, Option<&str>)> =
        vec![(resource.root, Vec::new(), None)];
    while let Some((node, segments, pair_name)) = pending.pop() {
        let resolved = tree.resolve(node);
        match &tree.node(resolved).kind {
            NodeKind::Mapping(entries) => {
                let name = tree.get(resolved, "name").and_then(|n| tree.str(n));
                for entry in entries.iter().rev() {
                    let Some(key) = tree.str(entry.key) else {
                        continue;
                    };
                    let mut path = segments.clone();
                    path.push(Segment::Key(key));
                    let pair = ["value", "secureValue"]
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(key));
                    pending.push((entry.value, path, name.filter(|_| pair)));
                }
            }
            NodeKind::Sequence(items) => {
                for (index, &item) in items.iter().enumerate().rev() {
                    let name = tree.get(item, "name").and_then(|n| tree.str(n));
                    let mut path = segments.clone();
                    path.push(Segment::Item(index, name));
                    pending.push((item, path, None));
                }
            }
            NodeKind::Scalar(scalar) if scalar.ty == ScalarType::String => out.push(Leaf {
                node,
                segments,
                pair_name,
            }),
            _ => {}
        }
    }
    out
}

/// Judges a string of a resource body: a credential property by the table, the value of a
/// `{name, value}` pair by the name (`secureValue` is a credential), anything else by its key.
fn judge_property(
    resource: &AzureResource,
    leaf: &Leaf<'_>,
    text: &str,
) -> Option<(Finding, Strength)> {
    let key = leaf.key().unwrap_or_default();
    let credential = CREDENTIALS
        .iter()
        .any(|(ty, pattern)| resource.is_type(ty) && leaf.matches(pattern));
    if let Some(name) = leaf.pair_name
        && key.eq_ignore_ascii_case("secureValue")
    {
        return judge_hidden_value(name, text).map(|f| (f, Strength::Credential));
    }
    if credential && !CONNECTION_STRING_KEYS.contains(&key) {
        let name = leaf.pair_name.unwrap_or(key);
        return judge_known_secret(name, text).map(|f| (f, Strength::Credential));
    }
    if credential {
        return judge(Some(key), text).map(|f| (f, Strength::Credential));
    }
    if let Some(name) = leaf.pair_name {
        return judge(Some(name), text).map(|f| (f, Strength::Target));
    }
    judge(Some(key), text).map(|f| (f, Strength::Name))
}

/// Judges the `secureValue` of a `{name, secureValue}` pair: hidden from the portal, so a
/// credential when its name says so or the value could be one; but a template also hides
/// settings that are plainly not secrets (`HELM_REPO: https://charts.example.com`, `CHART:
/// nginx-ingress`), and those are not reported.
fn judge_hidden_value(name: &str, text: &str) -> Option<Finding> {
    let trimmed = text.trim();
    if names::is_secret_like_name(name) {
        return judge_known_secret(name, text);
    }
    let plain_url = trimmed.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.bytes().all(|b| b.is_ascii_alphabetic())
            && !rest.split('/').next().unwrap_or_default().contains('@')
    });
    if plain_url || super::shape::looks_like_resource_name(trimmed) {
        return super::known_format(text);
    }
    judge_known_secret(name, text)
}

impl Judged<'_> {
    /// The rule for where the literal is written, and how to fix it there (in the syntax of
    /// the file it is written in).
    fn placement(&self) -> (&'static RuleMeta, &'static str) {
        let (rule, help, json_help) = self.placement_rule();
        let help = if self.written.file.kind() == SourceKind::ArmTemplate {
            json_help
        } else {
            help
        };
        (rule, help)
    }

    /// The rule for where the literal is written, with its help for Bicep and for ARM JSON.
    fn placement_rule(&self) -> (&'static RuleMeta, &'static str, &'static str) {
        let site = self.literal.map(|(_, l)| &*l.site);
        let in_parameter_file = self.written.file.kind() == SourceKind::BicepParam
            || matches!(site, Some(Site::ParamFile { .. }));
        if in_parameter_file {
            return rule_and_help::<HardcodedSecretInBicepparam>();
        }
        let into_property = self
            .uses
            .iter()
            .any(|u| matches!(u, Use::Property { at, .. } if same_file(at, &self.written)));
        let into_module = self
            .uses
            .iter()
            .any(|u| matches!(u, Use::Parameter(b) if b.module.is_some()));
        match site {
            Some(Site::ModuleArgument { .. }) => rule_and_help::<HardcodedSecretInModuleArgument>(),
            Some(Site::ParamDefault { .. }) => rule_and_help::<HardcodedSecretInParamDefault>(),
            Some(Site::Resource { .. }) => rule_and_help::<HardcodedSecretInResourceProperty>(),
            _ if into_property => rule_and_help::<HardcodedSecretInResourceProperty>(),
            _ if into_module => rule_and_help::<HardcodedSecretInModuleArgument>(),
            _ => rule_and_help::<HardcodedSecretInBicepLiteral>(),
        }
    }

    /// Where the literal is, in words: "the default of parameter `adminPassword`".
    fn site_words(&self) -> (String, Subject) {
        let Some((file, literal)) = self.literal else {
            return ("the value written here".to_owned(), Subject::default());
        };
        let key = literal.key.clone().unwrap_or_default();
        let (words, object, own_name) = match &*literal.site {
            Site::ParamDefault { param } => {
                let secure = file.params.iter().any(|p| &p.name == param && p.secure);
                let marker = if secure {
                    secure_marker(&file.file)
                } else {
                    ""
                };
                (
                    format!("the default of {marker}parameter `{param}`"),
                    format!("param {param}"),
                    param.as_str(),
                )
            }
            Site::ParamFile { name } => {
                let file_name = file
                    .file
                    .path()
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                (
                    format!("`{name}` in {file_name}"),
                    format!("param {name}"),
                    name.as_str(),
                )
            }
            Site::ModuleArgument { module, argument } => (
                format!(
                    "argument `{argument}` of {} `{module}`",
                    module_words(&file.file)
                ),
                format!("module {module}"),
                argument.as_str(),
            ),
            Site::Resource {
                name,
                resource_type,
            } => {
                let path = self.uses.iter().find_map(|u| match u {
                    Use::Property { resource, path, .. } if &resource.symbolic_name == name => {
                        Some(path.clone())
                    }
                    _ => None,
                });
                let words = match &path {
                    Some(path) => format!("property `{path}` of `{name}` ({resource_type})"),
                    None => format!("a property of `{name}` ({resource_type})"),
                };
                (
                    words,
                    format!("{resource_type} {name}"),
                    path.as_deref().map_or("", |_| key.as_str()),
                )
            }
            Site::Variable { name } => (
                format!("variable `{name}`"),
                format!("var {name}"),
                name.as_str(),
            ),
            Site::Output { name } => (
                format!("output `{name}`"),
                format!("output {name}"),
                name.as_str(),
            ),
            Site::Other => ("a string".to_owned(), String::new(), ""),
        };
        let under = if key.is_empty() || key == own_name {
            String::new()
        } else {
            format!(" (under `{key}`)")
        };
        (format!("{words}{under}"), Subject { object, path: key })
    }

    /// Where the value goes, in words, when that is somewhere else than where it is written.
    fn use_words(&self) -> String {
        let own_resource = match self.literal.map(|(_, l)| &*l.site) {
            Some(Site::Resource { name, .. }) => Some(name.as_str()),
            _ => None,
        };
        self.uses
            .iter()
            .find_map(|u| match u {
                Use::Property { resource, path, .. }
                    if own_resource != Some(resource.symbolic_name.as_str()) =>
                {
                    Some(format!(
                        " (used as `{path}` of `{}`, {})",
                        resource.symbolic_name, resource.resource_type
                    ))
                }
                Use::Parameter(binding) if !self.overlaps(&binding.argument) => {
                    Some(format!(" (passed to {})", parameter_words(binding)))
                }
                _ => None,
            })
            .unwrap_or_default()
    }

    /// Whether `at` is where the value is written, inside it or around it.
    fn overlaps(&self, at: &Location) -> bool {
        same_file(at, &self.written)
            && (self.written.span.contains(at.span) || at.span.contains(self.written.span))
    }

    /// The diagnostic.
    fn report(self) -> Diagnostic {
        let (placement, help) = self.placement();
        let (site, subject) = self.site_words();
        let span = match self.literal {
            Some((_, literal)) if literal.text == self.text => literal.span_of(&self.finding.range),
            _ => self.written.span,
        };
        let place = Place {
            rule: placement,
            file: &self.written.file,
            span,
            what: format!("{site}{}", self.use_words()),
            help,
        };
        let value = self
            .text
            .get(self.finding.range.clone())
            .unwrap_or(&self.text);
        let mut diagnostic = report::diagnostic(place, &self.finding, value).with_subject(subject);
        let mut labelled: Vec<(PathBuf, Span)> = Vec::new();
        let mut label = |diagnostic: Diagnostic, at: &Location, message: String| {
            let key = (at.file.path().to_owned(), at.span);
            if self.overlaps(at) || labelled.contains(&key) {
                return diagnostic;
            }
            labelled.push(key);
            diagnostic.with_label(&at.file, at.span, message)
        };
        for used in &self.uses {
            diagnostic = match used {
                Use::Property { resource, path, at } => label(
                    diagnostic,
                    at,
                    format!("used as `{path}` of `{}`", resource.symbolic_name),
                ),
                Use::Parameter(binding) => {
                    let diagnostic = label(
                        diagnostic,
                        &binding.argument,
                        format!("given to parameter `{}` here", binding.name),
                    );
                    label(diagnostic, &binding.parameter, parameter_words(binding))
                }
            };
        }
        diagnostic
    }
}

/// A parameter a value is given to, in words: "the `@secure()` parameter `adminPassword` of
/// module `sql`".
fn parameter_words(binding: &ParamBinding) -> String {
    let template = &binding.parameter.file;
    let secure = if binding.secure {
        secure_marker(template)
    } else {
        ""
    };
    match &binding.module {
        Some(module) => format!(
            "the {secure}parameter `{}` of {} `{module}`",
            binding.name,
            module_words(template)
        ),
        None => {
            let template = binding.parameter.file.path().file_name().map_or_else(
                || "the template".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
            format!("the {secure}parameter `{}` of {template}", binding.name)
        }
    }
}

/// How a file marks a parameter or output secure, as a prefix of "parameter": "`@secure()` "
/// in Bicep, "secure " in ARM JSON (where the type is `securestring` or `secureObject`).
pub fn secure_marker(file: &SharedSource) -> &'static str {
    if file.kind() == SourceKind::ArmTemplate {
        "secure "
    } else {
        "`@secure()` "
    }
}

/// What a file calls a template it deploys: a module in Bicep, a nested deployment in ARM JSON.
fn module_words(file: &SharedSource) -> &'static str {
    if file.kind() == SourceKind::ArmTemplate {
        "nested deployment"
    } else {
        "module"
    }
}

/// Whether two locations are in the same file.
fn same_file(a: &Location, b: &Location) -> bool {
    a.file.path() == b.file.path()
}
