//! The JSON Schema of `akslint.yaml` (`editors/vscode/schemas/akslint.schema.json`): generated
//! from the configuration reader's tables and the rule registry, committed, and checked against
//! the reader: every `akslint.yaml` of the repository is valid for both, and each invalid
//! configuration below is rejected by both.
//!
//! Regenerate with `AKSLINT_UPDATE_SCHEMA=1 cargo test -p akslint-tests --test config_schema`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use akslint_core::{Limits, NodeId, ScalarType, SourceFile, SourceKind, Tree};
use akslint_engine::{Config, config_schema};
use akslint_tests::workspace_root;
use serde_json::Value;

/// Where the schema is committed, relative to the workspace root.
const SCHEMA_PATH: &str = "editors/vscode/schemas/akslint.schema.json";

/// The schema as the committed file holds it.
fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&config_schema()).expect("the schema serialises");
    text.push('\n');
    text
}

#[test]
fn committed_schema_is_up_to_date() {
    let path = workspace_root().join(SCHEMA_PATH);
    let expected = schema_text();
    if std::env::var_os("AKSLINT_UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
        std::fs::write(&path, &expected).expect("write the schema");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{SCHEMA_PATH} is out of date; regenerate with: \
         AKSLINT_UPDATE_SCHEMA=1 cargo test -p akslint-tests --test config_schema"
    );
}

#[test]
fn schema_is_valid_draft_07() {
    assert!(jsonschema::draft7::meta::is_valid(&config_schema()));
}

/// A YAML node as JSON, scalars typed as the YAML 1.2 core schema types them.
fn to_json(tree: &Tree, node: NodeId) -> Value {
    let node = tree.resolve(node);
    if tree.is_mapping(node) {
        let entries = tree.entries(node).iter().map(|entry| {
            let key = tree.str(entry.key).unwrap_or_default().to_owned();
            (key, to_json(tree, entry.value))
        });
        return Value::Object(entries.collect());
    }
    if tree.is_sequence(node) {
        return Value::Array(tree.items(node).iter().map(|&i| to_json(tree, i)).collect());
    }
    let Some(scalar) = tree.scalar(node) else {
        return Value::Null;
    };
    let text = scalar.text.as_str();
    match scalar.ty {
        ScalarType::Null => Value::Null,
        ScalarType::Bool => Value::Bool(scalar.as_bool().unwrap_or_default()),
        ScalarType::Int => text
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        ScalarType::Float => text
            .parse::<f64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        ScalarType::String => Value::String(text.to_owned()),
    }
}

/// A configuration text as the JSON the schema validates (YAML editors do the same).
fn config_json(text: &str) -> Value {
    let file = Arc::new(SourceFile::new("akslint.yaml", SourceKind::Yaml, text));
    let parsed = akslint_yaml::parse(&file, &Limits::default());
    assert!(parsed.problems.is_empty(), "not YAML: {text:?}");
    match parsed.documents.first() {
        Some(document) => document
            .root
            .map_or(Value::Null, |root| to_json(&document.tree, root)),
        None => Value::Null,
    }
}

/// Asserts that the schema and the reader both accept (`valid`) or both reject each text.
fn assert_both_say(valid: bool, texts: &[&str]) {
    let validator = validator();
    for text in texts {
        let schema = validator.is_valid(&config_json(text));
        let reader = Config::parse(Path::new("/repo/akslint.yaml"), text).is_ok();
        assert_eq!((schema, reader), (valid, valid), "{text:?}");
    }
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&config_schema()).expect("the schema compiles")
}

/// Every `akslint.yaml` under `folder`, but not in build output or installed packages.
fn config_files(folder: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !matches!(name.to_str(), Some("target" | "node_modules" | ".git")) {
                config_files(&path, found);
            }
        } else if name == "akslint.yaml" {
            found.push(path);
        }
    }
}

#[test]
fn every_configuration_of_the_repository_is_valid_for_both() {
    let validator = validator();
    let root = workspace_root();
    let mut files = Vec::new();
    for folder in ["corpus", "editors", "tests", "crates"] {
        config_files(&root.join(folder), &mut files);
    }
    assert!(
        files.len() >= 8,
        "only {} akslint.yaml files found",
        files.len()
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read a configuration");
        let instance = config_json(&text);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        assert!(
            Config::parse(&path, &text).is_ok(),
            "{} is rejected by the reader",
            path.display()
        );
    }
}

#[test]
fn valid_configurations_are_accepted_by_both() {
    assert_both_say(
        true,
        &[
            "",
            "~\n",
            "rules:\nexclude:\nlimits:\n",
            "rules:\n  SEC001: off\n  sec002: warning\n  wid: error\n  hardcoded-secret-in-env: info\n  AUTH: on\n",
            "exclude: [generated/, '*.test.yaml']\n",
            "limits:\n  max-file-size: 10MiB\n  max-depth: 50\n  max-alias-expansion: '1000'\n  max-findings-per-rule: 0\n",
            "limits: {max-file-size: 1048576}\n",
            "limits: {max-file-size: 12 KB}\n",
        ],
    );
}

#[test]
fn invalid_configurations_are_rejected_by_both() {
    assert_both_say(
        false,
        &[
            "- a list\n",
            "rulez: {}\n",
            "rules: [SEC001]\n",
            "rules:\n  SEC999: off\n",
            "rules:\n  hardcoded-secret: off\n",
            "rules:\n  SEC001: loud\n",
            "rules:\n  SEC001: Off\n",
            "rules:\n  SEC001: [off]\n",
            "exclude: generated/\n",
            "exclude:\n  - {a: b}\n",
            "limits: 10\n",
            "limits:\n  speed: 3\n",
            "limits:\n  max-depth: deep\n",
            "limits:\n  max-depth: -1\n",
            "limits:\n  max-depth: 1.5\n",
            "limits:\n  max-file-size: 10 parsecs\n",
            "limits:\n  max-file-size: [1]\n",
        ],
    );
}

#[test]
fn the_vscode_extension_associates_the_schema_with_akslint_yaml() {
    let root = workspace_root();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("editors/vscode/package.json")).expect("package.json"),
    )
    .expect("package.json is JSON");
    let associations = manifest["contributes"]["yamlValidation"]
        .as_array()
        .expect("a yamlValidation contribution");
    let ours = associations
        .iter()
        .find(|a| a["fileMatch"] == "akslint.yaml")
        .expect("akslint.yaml is associated");
    let url = ours["url"].as_str().expect("a url");
    assert_eq!(
        root.join("editors/vscode").join(url).canonicalize().ok(),
        root.join(SCHEMA_PATH).canonicalize().ok()
    );
}
