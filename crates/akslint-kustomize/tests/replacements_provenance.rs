//! Where replaced and substituted values say they were written: a value a replacement or a var
//! copied points at the source object's field (or `sourceValue`), and a problem points at the
//! kustomization's entry at fault.

mod support;

use akslint_kustomize::{Built, DiskFiles, Node, build};
use support::written;

fn case(name: &str) -> std::path::PathBuf {
    support::case("cases", name)
}

fn object<'a>(built: &'a Built, kind: &str, name: &str) -> &'a Node {
    support::object(built, kind, Some(name))
}

#[test]
fn replaced_values_point_at_their_source() {
    let built = build(&case("repl-configmap-to-env"), &DiskFiles);
    let deployment = object(&built, "Deployment", "api");
    let replicas = deployment.path(&["spec", "replicas"]).expect("replicas");
    assert_eq!(
        replicas.to_json(),
        serde_json::json!(4),
        "the target keeps its type"
    );
    assert_eq!(
        written(&built, replicas.origin),
        ("config.yaml".into(), "\"4\"".into())
    );
    let containers = deployment
        .path(&["spec", "template", "spec", "containers"])
        .and_then(Node::items)
        .expect("containers");
    let env = containers[0].get("env").and_then(Node::items).expect("env");
    assert_eq!(
        written(&built, env[0].get("value").expect("a value").origin),
        (
            "config.yaml".into(),
            "postgres.prod.svc.cluster.local".into()
        )
    );
    assert_eq!(
        written(&built, env[1].get("value").expect("a value").origin),
        ("deploy.yaml".into(), "info".into()),
        "an untouched value keeps its place"
    );
}

#[test]
fn source_values_and_created_fields_are_placed() {
    let built = build(&case("repl-path-file"), &DiskFiles);
    let ingress = object(&built, "Ingress", "storefront");
    let host = ingress
        .path(&["spec", "rules"])
        .and_then(Node::items)
        .expect("rules")[0]
        .get("host")
        .expect("a host");
    assert_eq!(
        written(&built, host.origin),
        ("one-replacement.yaml".into(), "shop.example.com".into())
    );
    let built = build(&case("repl-create-annotation"), &DiskFiles);
    let pod = object(&built, "Pod", "web");
    let container = &pod
        .path(&["spec", "containers"])
        .and_then(Node::items)
        .expect("containers")[0];
    let env = &container
        .get("env")
        .and_then(Node::items)
        .expect("created env")[0];
    let (file, _) = written(&built, env.entry("name").expect("a name").key_origin);
    assert_eq!(
        file, "kustomization.yaml",
        "a created key is placed at the field path"
    );
    assert_eq!(
        written(&built, env.get("value").expect("a value").origin),
        ("app.yaml".into(), "tls-material".into())
    );
}

#[test]
fn substituted_vars_point_at_the_var_source_when_whole() {
    let built = build(&case("vars-service-name"), &DiskFiles);
    assert!(built.errors.is_empty(), "{:?}", built.errors);
    let deployment = object(&built, "Deployment", "checkout");
    let container = &deployment
        .path(&["spec", "template", "spec", "containers"])
        .and_then(Node::items)
        .expect("containers")[0];
    let env = container.get("env").and_then(Node::items).expect("env");
    assert_eq!(
        written(&built, env[1].get("value").expect("a value").origin),
        ("service.yaml".into(), "7070".into())
    );
    let command = container
        .get("command")
        .and_then(Node::items)
        .expect("command");
    assert_eq!(command[1].as_str(), Some("--cart=cart:7070"));
    assert_eq!(written(&built, command[1].origin).0, "deploy.yaml");
}

#[test]
fn a_missing_source_is_an_error_at_the_replacement() {
    let built = build(&case("repl-source-missing"), &DiskFiles);
    assert_eq!(built.errors.len(), 1);
    let error = &built.errors[0];
    assert!(
        error
            .message
            .starts_with("nothing selected by replacement source ConfigMap `does-not-exist`")
    );
    assert_eq!(written(&built, error.origin).0, "kustomization.yaml");
}
