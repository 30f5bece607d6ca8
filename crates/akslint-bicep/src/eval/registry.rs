//! Registry modules (`br:` and `br/<alias>:`) and template specs (`ts:` and `ts/<alias>:`) found in
//! the Bicep CLI's local module cache, where `bicep restore` (and every `bicep build`) stores each
//! module as its compiled ARM template. Never any network access: a module that is not in the
//! cache is a note naming the restore command.
//!
//! The cache layout follows the Bicep CLI (`OciArtifactRegistry.GetArtifactDirectory` and
//! `TagEncoder` in github.com/Azure/bicep, `src/Bicep.Core/Registry/`):
//! `<root>/br/<registry, lower case, ':' as '$'>/<repository, '/' as '$'>/<tag>$<mask>/main.json`,
//! where `<mask>` is the hexadecimal bit mask of the tag's upper-case letters (empty when none), or
//! `<digest, ':' as '#'>` for `@sha256:…` references. Template specs are kept (`TemplateSpecModuleArtifact`)
//! at `<root>/ts/<subscription>/<resource group>/<name>/<version>/main.json`, all in lower case,
//! as the template spec version resource (its template in `properties.mainTemplate`). `<root>` is
//! `cacheRootDirectory` of the nearest `bicepconfig.json`, else `~/.bicep`.

use std::path::{Path, PathBuf};

use akslint_arm::json::JsonDocument;
use akslint_core::{AzureResource, Location, NodeKind, Origin, SourceLoader, Tree};

use super::Ev;

/// The registry of the built-in alias `br/public:`.
const PUBLIC_REGISTRY: &str = "mcr.microsoft.com";
/// The environment setting with which the Bicep CLI replaces the public registry.
const PUBLIC_REGISTRY_VARIABLE: &str = "__EXPERIMENTAL_BICEP_REGISTRY_FQDN";
/// The module path of the built-in alias `br/public:`.
const PUBLIC_MODULE_PATH: &str = "bicep";
/// Longest tag the OCI specification allows (the Bicep CLI's `MaxTagLength`).
const MAX_TAG_LENGTH: usize = 128;
/// Most folders searched for a `bicepconfig.json`.
const MAX_CONFIG_LEVELS: usize = 64;

/// An OCI module reference, with its alias resolved.
#[derive(Debug, PartialEq, Eq)]
struct OciReference {
    registry: String,
    repository: String,
    /// The tag (`0.10.0`) or the digest (`sha256:…`).
    version: Version,
}

/// How a reference names the module's version.
#[derive(Debug, PartialEq, Eq)]
enum Version {
    Tag(String),
    Digest(String),
}

/// The `bicepconfig.json` nearest to a file: its folder and its JSON.
struct Config {
    folder: PathBuf,
    document: JsonDocument,
}

impl Config {
    /// The nearest `bicepconfig.json` walking up from the folder of `file`. A relative path is
    /// walked up through its own folders, then through `..` (the loader resolves relative paths
    /// against its base folder), at most [`MAX_CONFIG_LEVELS`] folders in all.
    fn find(file: &Path, loader: &dyn SourceLoader) -> Option<Config> {
        let mut dir = file.parent().map(Path::to_owned).unwrap_or_default();
        for _ in 0..MAX_CONFIG_LEVELS {
            let candidate = dir.join("bicepconfig.json");
            if let Some(text) = loader.load_text(&candidate) {
                return Some(Config {
                    folder: dir,
                    document: akslint_arm::json::parse(&text),
                });
            }
            dir = match dir.parent() {
                Some(parent) if !dir.ends_with("..") && dir.as_os_str() != "" => parent.to_owned(),
                Some(_) | None if dir.is_relative() => dir.join(".."),
                _ => return None,
            };
        }
        None
    }

    /// The string at a path of object keys.
    fn string(&self, path: &[&str]) -> Option<&str> {
        let tree = &self.document.tree;
        let mut node = self.document.root?;
        for key in path {
            node = member(tree, node, key)?;
        }
        tree.str(node)
    }
}

/// The value of an object's property (keys compared exactly, as the Bicep CLI reads them).
fn member(tree: &Tree, object: akslint_core::NodeId, key: &str) -> Option<akslint_core::NodeId> {
    match &tree.node(object).kind {
        NodeKind::Mapping(entries) => entries
            .iter()
            .find(|e| tree.str(e.key) == Some(key))
            .map(|e| e.value),
        _ => None,
    }
}

/// Splits `<repository>:<tag>` or `<repository>@<digest>`.
fn split_version(text: &str) -> Result<(String, Version), String> {
    if let Some((repository, digest)) = text.split_once('@') {
        return Ok((repository.to_owned(), Version::Digest(digest.to_owned())));
    }
    match text.rsplit_once(':') {
        Some((repository, tag)) if !tag.is_empty() && !tag.contains('/') => {
            Ok((repository.to_owned(), Version::Tag(tag.to_owned())))
        }
        _ => Err("it names no tag or digest".to_owned()),
    }
}

/// Parses a `br:` or `br/<alias>:` reference, resolving the alias from `config`.
fn parse(reference: &str, config: Option<&Config>) -> Result<OciReference, String> {
    if let Some(rest) = reference.strip_prefix("br:") {
        let (address, version) = split_version(rest)?;
        let Some((registry, repository)) = address.split_once('/') else {
            return Err("it names no repository".to_owned());
        };
        return Ok(OciReference {
            registry: registry.to_owned(),
            repository: repository.to_owned(),
            version,
        });
    }
    let rest = reference
        .strip_prefix("br/")
        .ok_or_else(|| "it is not an OCI registry reference".to_owned())?;
    let Some((alias, path)) = rest.split_once(':') else {
        return Err("it names no alias".to_owned());
    };
    let configured =
        |key: &str| config.and_then(|c| c.string(&["moduleAliases", "br", alias, key]));
    let (registry, module_path) = match (configured("registry"), alias) {
        (Some(registry), _) => (
            registry.to_owned(),
            configured("modulePath").map(str::to_owned),
        ),
        (None, "public") => (public_registry(), Some(PUBLIC_MODULE_PATH.to_owned())),
        (None, _) => {
            return Err(format!(
                "the alias `{alias}` is not defined in a bicepconfig.json (`moduleAliases.br.{alias}.registry`)"
            ));
        }
    };
    let (path, version) = split_version(path)?;
    let repository = match module_path {
        Some(prefix) if !prefix.is_empty() => format!("{}/{path}", prefix.trim_end_matches('/')),
        _ => path,
    };
    Ok(OciReference {
        registry,
        repository,
        version,
    })
}

/// A template spec reference, with its alias resolved.
#[derive(Debug, PartialEq, Eq)]
struct TemplateSpecReference {
    subscription: String,
    resource_group: String,
    name: String,
    version: String,
}

/// Parses `ts:<subscription>/<resource group>/<name>:<version>` or `ts/<alias>:<name>:<version>`,
/// resolving the alias from `config` (`moduleAliases.ts.<alias>.subscription` and
/// `.resourceGroup`).
fn parse_template_spec(
    reference: &str,
    config: Option<&Config>,
) -> Result<TemplateSpecReference, String> {
    let (subscription, resource_group, rest) = if let Some(rest) = reference.strip_prefix("ts:") {
        let mut parts = rest.splitn(3, '/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(subscription), Some(group), Some(rest)) => {
                (subscription.to_owned(), group.to_owned(), rest)
            }
            _ => {
                return Err(
                    "it is not `ts:<subscription>/<resource group>/<name>:<version>`".to_owned(),
                );
            }
        }
    } else {
        let rest = reference.strip_prefix("ts/").unwrap_or(reference);
        let Some((alias, rest)) = rest.split_once(':') else {
            return Err("it names no alias".to_owned());
        };
        let configured =
            |key: &str| config.and_then(|c| c.string(&["moduleAliases", "ts", alias, key]));
        let (Some(subscription), Some(group)) =
            (configured("subscription"), configured("resourceGroup"))
        else {
            return Err(format!(
                "the alias `{alias}` is not defined in a bicepconfig.json (`moduleAliases.ts.{alias}.subscription` and `.resourceGroup`)"
            ));
        };
        (subscription.to_owned(), group.to_owned(), rest)
    };
    match rest.split_once(':') {
        Some((name, version)) if !name.is_empty() && !version.is_empty() && !name.contains('/') => {
            Ok(TemplateSpecReference {
                subscription,
                resource_group,
                name: name.to_owned(),
                version: version.to_owned(),
            })
        }
        _ => Err("it names no template spec and version (`<name>:<version>`)".to_owned()),
    }
}

/// The registry of `br/public:`: `mcr.microsoft.com`, or the one the Bicep CLI's
/// `__EXPERIMENTAL_BICEP_REGISTRY_FQDN` environment setting names (a mirror of the public
/// registry; the CLI restores into the cache under that name).
fn public_registry() -> String {
    registry_or_public(std::env::var(PUBLIC_REGISTRY_VARIABLE).ok())
}

/// The registry an environment setting names, else the public one.
fn registry_or_public(setting: Option<String>) -> String {
    setting
        .map(|fqdn| fqdn.trim().to_owned())
        .filter(|fqdn| !fqdn.is_empty())
        .unwrap_or_else(|| PUBLIC_REGISTRY.to_owned())
}

/// The folder name of a tag: the tag, `$`, and the hexadecimal mask of its upper-case characters
/// (64 characters per component, the highest first, leading zero components left out).
fn encode_tag(tag: &str) -> String {
    let mut mask = [0u64; MAX_TAG_LENGTH.div_ceil(64)];
    for (i, c) in tag.chars().enumerate().take(MAX_TAG_LENGTH) {
        if c.is_uppercase() {
            mask[i / 64] |= 1 << (i % 64);
        }
    }
    let mut out = format!("{tag}$");
    let mut leading = false;
    for component in mask.iter().rev() {
        if leading {
            out.push_str(&format!("{component:016x}"));
        } else if *component != 0 {
            out.push_str(&format!("{component:x}"));
            leading = true;
        }
    }
    out
}

/// The cache root: `cacheRootDirectory` of the nearest `bicepconfig.json` (a relative path taken
/// against that file's folder), else `~/.bicep`.
fn cache_root(config: Option<&Config>) -> Option<PathBuf> {
    if let Some(config) = config
        && let Some(root) = config.string(&["cacheRootDirectory"])
        && !root.trim().is_empty()
    {
        return Some(config.folder.join(root));
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(".bicep"))
}

/// Where the Bicep CLI keeps the compiled template of the registry module `reference` written in
/// `calling_file`, or why it cannot be known (template specs, malformed references, undefined
/// aliases).
pub(crate) fn cached_template(
    reference: &str,
    calling_file: &Path,
    loader: &dyn SourceLoader,
) -> Result<PathBuf, String> {
    let config = Config::find(calling_file, loader);
    let root = cache_root(config.as_ref()).ok_or_else(|| "no home folder is set".to_owned())?;
    if reference.starts_with("ts:") || reference.starts_with("ts/") {
        let spec = parse_template_spec(reference, config.as_ref())?;
        let folder = format!(
            "ts/{}/{}/{}/{}",
            spec.subscription, spec.resource_group, spec.name, spec.version
        );
        return Ok(root.join(folder.to_lowercase()).join("main.json"));
    }
    let oci = parse(reference, config.as_ref())?;
    let version = match &oci.version {
        Version::Tag(tag) if tag.chars().count() <= MAX_TAG_LENGTH => encode_tag(tag),
        Version::Tag(_) => return Err("its tag is longer than 128 characters".to_owned()),
        Version::Digest(digest) => digest.replace(':', "#"),
    };
    Ok(root
        .join("br")
        .join(oci.registry.replace(':', "$").to_lowercase())
        .join(oci.repository.replace('/', "$"))
        .join(version)
        .join("main.json"))
}

impl Ev<'_> {
    /// Places the values of a resource of a cached registry module in the user's files: a value
    /// written in the cache (a default, a literal of the module) is reported at the module call
    /// that reaches the cache, with the cache file as the related location; values given by the
    /// user's arguments keep their origin.
    pub(super) fn place_cached_values(&self, resource: &mut AzureResource, inst: usize) {
        let instance = &self.instances[inst];
        if !self.file(instance.file).cached {
            return;
        }
        let Some(&(call_file, call_span)) = instance
            .via
            .iter()
            .rev()
            .find(|(file, _)| !self.file(*file).cached)
        else {
            return;
        };
        let call = Location {
            file: self.file(call_file).source.clone(),
            span: super::core_span(call_span),
        };
        let in_cache = |location: &Location| {
            self.files
                .iter()
                .any(|f| f.cached && f.source.path() == location.file.path())
        };
        let mut origins: Vec<Origin> = Vec::with_capacity(resource.body.len());
        for (node, _) in resource.body.iter() {
            let what = match resource.origin(node) {
                Some(origin) if !in_cache(&origin.location) => {
                    origins.push(origin.clone());
                    continue;
                }
                Some(origin) => origin.what.to_string(),
                None => "a value".to_owned(),
            };
            origins.push(Origin {
                node,
                location: call.clone(),
                what: format!(
                    "{what} in the registry module's compiled template (Bicep module cache)"
                )
                .into(),
            });
        }
        resource.origins = origins;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_encode_their_upper_case_letters() {
        assert_eq!(encode_tag("0.10.0"), "0.10.0$");
        assert_eq!(encode_tag("V1"), "V1$1");
        assert_eq!(encode_tag("aB"), "aB$2");
        let long = format!("{}X", "a".repeat(64));
        assert_eq!(encode_tag(&long), format!("{long}$10000000000000000"));
    }

    #[test]
    fn public_alias_and_explicit_registries_are_parsed() {
        let public = parse(
            "br/public:avm/res/container-service/managed-cluster:0.10.0",
            None,
        )
        .unwrap();
        assert_eq!(public.registry, "mcr.microsoft.com");
        assert_eq!(
            public.repository,
            "bicep/avm/res/container-service/managed-cluster"
        );
        assert_eq!(public.version, Version::Tag("0.10.0".into()));
        let digest = parse("br:contoso.azurecr.io:443/modules/aks@sha256:abc", None).unwrap();
        assert_eq!(digest.registry, "contoso.azurecr.io:443");
        assert_eq!(digest.repository, "modules/aks");
        assert_eq!(digest.version, Version::Digest("sha256:abc".into()));
        assert!(
            parse("br/mine:aks:1", None)
                .unwrap_err()
                .contains("alias `mine`")
        );
        assert!(parse("br:contoso.azurecr.io/aks", None).is_err());
    }

    #[test]
    fn the_public_registry_may_be_replaced_by_the_environment() {
        assert_eq!(registry_or_public(None), "mcr.microsoft.com");
        assert_eq!(registry_or_public(Some(" ".into())), "mcr.microsoft.com");
        assert_eq!(
            registry_or_public(Some("mirror.contoso.com".into())),
            "mirror.contoso.com"
        );
    }

    #[test]
    fn template_specs_are_parsed() {
        let spec = parse_template_spec("ts:0000-1111/Platform-RG/AKS:v2", None).unwrap();
        assert_eq!(
            spec,
            TemplateSpecReference {
                subscription: "0000-1111".into(),
                resource_group: "Platform-RG".into(),
                name: "AKS".into(),
                version: "v2".into(),
            }
        );
        let config = Config {
            folder: PathBuf::new(),
            document: akslint_arm::json::parse(
                r#"{"moduleAliases": {"ts": {"core": {"subscription": "s1", "resourceGroup": "g1"}}}}"#,
            ),
        };
        let aliased = parse_template_spec("ts/core:aks:1.0", Some(&config)).unwrap();
        assert_eq!(
            (aliased.subscription.as_str(), aliased.name.as_str()),
            ("s1", "aks")
        );
        assert!(
            parse_template_spec("ts/other:aks:1.0", Some(&config))
                .unwrap_err()
                .contains("alias `other`")
        );
        assert!(parse_template_spec("ts:s/g/aks", None).is_err());
        assert!(parse_template_spec("ts:s/aks:1", None).is_err());
    }
}
