//! The OpenAPI facts strategic merge patches need: which lists are merged by key (and by
//! which keys) for each kind. Built-in kinds use a table trimmed from the Kubernetes v1.21.2
//! OpenAPI definitions Kustomize compiles in (`kubernetes_merge_keys.json`: only the properties
//! that lead to a list with `x-kubernetes-patch-strategy`, with their `$ref`, `type`, `items`,
//! `additionalProperties` and `x-kubernetes-*` patch fields); a kustomization's
//! `openapi: {path: ...}` file replaces it, as in Kustomize.

use std::sync::OnceLock;

use serde_json::Value as Json;

/// The built-in table (Kubernetes v1.21.2 definitions, trimmed).
const BUILTIN: &str = include_str!("kubernetes_merge_keys.json");

/// OpenAPI definitions: the schema of each kind, by its `x-kubernetes-group-version-kind`.
#[derive(Debug)]
pub struct Schemas {
    document: Json,
}

/// The built-in definitions, parsed once.
pub fn builtin() -> &'static Schemas {
    static BUILTIN_SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    BUILTIN_SCHEMAS.get_or_init(|| Schemas {
        document: serde_json::from_str(BUILTIN).unwrap_or(Json::Null),
    })
}

impl Schemas {
    /// Definitions read from an OpenAPI document (`definitions` at its top).
    pub fn new(document: Json) -> Schemas {
        Schemas { document }
    }

    /// The schema of the objects of `api_version`/`kind`, if the definitions have it.
    pub fn for_kind(&self, api_version: &str, kind: &str) -> Option<Schema<'_>> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let definitions = self.document.get("definitions")?.as_object()?;
        definitions.values().find_map(|definition| {
            let gvks = definition
                .get("x-kubernetes-group-version-kind")?
                .as_array()?;
            gvks.iter()
                .any(|gvk| {
                    let field = |key: &str| gvk.get(key).and_then(Json::as_str).unwrap_or("");
                    field("group") == group && field("version") == version && field("kind") == kind
                })
                .then_some(Schema {
                    node: definition,
                    schemas: self,
                })
        })
    }

    /// A schema with its `$ref`s followed.
    fn resolve<'a>(&'a self, mut node: &'a Json) -> Option<Schema<'a>> {
        for _ in 0..32 {
            let Some(reference) = node.get("$ref").and_then(Json::as_str) else {
                return Some(Schema {
                    node,
                    schemas: self,
                });
            };
            let name = reference.strip_prefix("#/definitions/")?;
            node = self.document.get("definitions")?.get(name)?;
        }
        None
    }
}

/// The schema of a value: of an object, a field or a list's items.
#[derive(Clone, Copy, Debug)]
pub struct Schema<'a> {
    node: &'a Json,
    schemas: &'a Schemas,
}

impl<'a> Schema<'a> {
    /// The schema of field `name` of an object (a property, else the schema of a map's
    /// values).
    pub fn field(self, name: &str) -> Option<Schema<'a>> {
        let field = self
            .node
            .get("properties")
            .and_then(|p| p.get(name))
            .or_else(|| {
                self.node
                    .get("additionalProperties")
                    .filter(|s| s.is_object())
            })?;
        self.schemas.resolve(field)
    }

    /// The schema of a list's items.
    pub fn items(self) -> Option<Schema<'a>> {
        let is_array = match self.node.get("type") {
            Some(Json::String(ty)) => ty == "array",
            Some(Json::Array(types)) => types.len() == 1 && types[0] == "array",
            _ => false,
        };
        if !is_array {
            return None;
        }
        self.schemas.resolve(self.node.get("items")?)
    }

    /// Whether a list of this schema is merged item by item (its patch strategy includes
    /// `merge`), and the keys its items are matched by (empty for a list of scalars).
    pub fn merge_keys(self) -> Option<Vec<String>> {
        let strategy = self.node.get("x-kubernetes-patch-strategy")?.as_str()?;
        if !strategy.split(',').any(|s| s == "merge") {
            return None;
        }
        let strings = |value: &Json| -> Vec<String> {
            value
                .as_array()
                .map(|keys| {
                    keys.iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(keys) = self.node.get("x-kubernetes-list-map-keys") {
            return Some(strings(keys));
        }
        Some(
            self.node
                .get("x-kubernetes-patch-merge-key")
                .and_then(Json::as_str)
                .map(|key| vec![key.to_owned()])
                .unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_merge_keys_of_a_deployment() {
        let deployment = builtin().for_kind("apps/v1", "Deployment").expect("known");
        let pod = deployment
            .field("spec")
            .and_then(|s| s.field("template"))
            .and_then(|s| s.field("spec"))
            .expect("pod spec");
        let containers = pod.field("containers").expect("containers");
        assert_eq!(containers.merge_keys(), Some(vec!["name".to_owned()]));
        let ports = containers
            .items()
            .and_then(|c| c.field("ports"))
            .expect("ports");
        assert_eq!(
            ports.merge_keys(),
            Some(vec!["containerPort".to_owned(), "protocol".to_owned()])
        );
        assert!(pod.field("tolerations").is_none());
        assert!(builtin().for_kind("example.com/v1", "Widget").is_none());
    }
}
