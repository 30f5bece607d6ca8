//! `configurations`: a custom kind's field declared in a `nameReference` follows the
//! generated Secret it names (and keeps the place it was written); the sections akslint does
//! not apply are a note, once per file.

use std::path::Path;

use akslint_kustomize::{DiskFiles, build};

#[test]
fn declared_reference_follows_the_generated_secret() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/conf-name-reference/overlay");
    let built = build(&dir, &DiskFiles);
    assert!(built.errors.is_empty(), "{:?}", built.errors);

    let database = built
        .resources
        .iter()
        .find(|r| r.kind() == "Database")
        .expect("the Database");
    let name = database
        .node
        .path(&["spec", "credentials", "secretName"])
        .expect("secretName");
    assert!(
        name.as_str()
            .is_some_and(|n| n.starts_with("prod-orders-credentials-")),
        "{name:?}"
    );
    let written = built.file(name.origin);
    assert!(written.path().ends_with("base/database.yaml"));
    assert_eq!(written.slice(name.origin.span), "orders-credentials");

    assert_eq!(built.notes.len(), 1, "{:?}", built.notes);
    let note = &built.notes[0];
    assert!(note.message.contains("`commonLabels`"), "{}", note.message);
    assert_eq!(
        built.file(note.origin).slice(note.origin.span),
        "backup-config.yaml"
    );
}
