//! Where generated and transformed values were written: a generated Secret's data value at
//! its literal's value, an image set by `images` at the entry's `newTag`, a namespace at the
//! kustomization's `namespace:` value, a renamed reference where the reference was written.

use akslint_kustomize::{Built, DiskFiles, Node, Origin, build};

/// The text an origin points at.
fn text_at(built: &Built, origin: Origin) -> &str {
    built.file(origin).slice(origin.span)
}

/// The file name of an origin.
fn file_of(built: &Built, origin: Origin) -> String {
    let path = built.file(origin).path();
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn object<'a>(built: &'a Built, kind: &str) -> &'a Node {
    &built
        .resources
        .iter()
        .find(|r| r.kind() == kind)
        .expect("the object")
        .node
}

#[test]
fn generated_and_transformed_values_point_at_what_set_them() {
    let dir = tempfile::tempdir().expect("a folder");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("written");
    write(
        "kustomization.yaml",
        "resources: [deploy.yaml]\nnamespace: shop\nnamePrefix: p-\nimages:\n- name: nginx\n  newTag: \"1.25\"\nsecretGenerator:\n- name: db\n  literals:\n  - password=Fake-Pass=1\n  - \"quoted=two words\"\n  envs: [db.env]\n",
    );
    write("db.env", "# comment\nUSER=shop_app\n");
    write(
        "deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        envFrom:\n        - secretRef:\n            name: db\n",
    );
    let built = build(dir.path(), &DiskFiles);
    assert!(built.errors.is_empty(), "{:?}", built.errors);

    let secret = object(&built, "Secret");
    let password = secret.path(&["data", "password"]).expect("password");
    assert_eq!(password.as_str(), Some("RmFrZS1QYXNzPTE="));
    assert_eq!(text_at(&built, password.origin), "Fake-Pass=1");
    let key = secret
        .entry("data")
        .expect("data")
        .value
        .entry("password")
        .expect("key");
    assert_eq!(text_at(&built, key.key_origin), "password");
    let quoted = secret.path(&["data", "quoted"]).expect("quoted");
    assert_eq!(text_at(&built, quoted.origin), "two words");
    let user = secret.path(&["data", "USER"]).expect("from the env file");
    assert_eq!(file_of(&built, user.origin), "db.env");
    assert_eq!(text_at(&built, user.origin), "shop_app");

    let deployment = object(&built, "Deployment");
    let container = &deployment
        .path(&["spec", "template", "spec", "containers"])
        .and_then(Node::items)
        .expect("containers")[0];
    let image = container.get("image").expect("image");
    assert_eq!(image.as_str(), Some("nginx:1.25"));
    assert_eq!(text_at(&built, image.origin), "\"1.25\"");
    let namespace = deployment
        .path(&["metadata", "namespace"])
        .expect("namespace");
    assert_eq!(text_at(&built, namespace.origin), "shop");
    assert_eq!(file_of(&built, namespace.origin), "kustomization.yaml");

    // The reference follows the hashed, prefixed name but stays where it was written.
    let reference = container
        .path(&["envFrom"])
        .and_then(Node::items)
        .and_then(|items| items[0].path(&["secretRef", "name"]))
        .expect("reference");
    assert_eq!(reference.as_str(), Some(built.resources[0].name()));
    assert!(reference.as_str().is_some_and(|n| n.starts_with("p-db-")));
    assert_eq!(text_at(&built, reference.origin), "db");
    assert_eq!(file_of(&built, reference.origin), "deploy.yaml");
}

/// A malformed literal is a located error that never prints what is written there (it may be
/// the secret itself).
#[test]
fn a_malformed_literal_is_reported_without_its_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "secretGenerator:\n  - name: db\n    literals:\n      - =Tq8vLm2XzR4kWn7P\n",
    )
    .expect("write");
    let built = build(dir.path(), &DiskFiles);
    assert_eq!(built.errors.len(), 1, "{:?}", built.errors);
    let error = &built.errors[0];
    assert!(
        error.message.contains("invalid literal source"),
        "{}",
        error.message
    );
    assert!(
        !error.message.contains("Tq8vLm2XzR4kWn7P"),
        "{}",
        error.message
    );
    assert_eq!(text_at(&built, error.origin), "=Tq8vLm2XzR4kWn7P");
}
