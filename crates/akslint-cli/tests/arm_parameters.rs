//! ARM JSON parameter files paired with their template by `akslint.yaml` (`arm-parameters`)
//! when their names do not say which template they are for.

mod common;

use std::fs;

use common::{akslint_in, json, stderr};

const TEMPLATE: &str =
    include_str!("../../../corpus/api/api001-public-api-server/arm-config/cluster.json");
const PARAMETERS: &str =
    include_str!("../../../corpus/api/api001-public-api-server/arm-config/prod-values.json");

#[test]
fn a_parameter_file_named_in_the_configuration_decides_its_template() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    fs::create_dir_all(dir.path().join("env")).expect("mkdir");
    fs::write(dir.path().join("templates/cluster.json"), TEMPLATE).expect("write");
    fs::write(dir.path().join("env/production.json"), PARAMETERS).expect("write");
    fs::write(
        dir.path().join("akslint.yaml"),
        "arm-parameters:\n  env/production.json: templates/cluster.json\n",
    )
    .expect("write");
    let output = akslint_in(dir.path(), &["check", "--format", "json"], b"");
    let report = json(&output);
    let public: Vec<(&str, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "API001")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default(),
                f["start"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(public, [("env/production.json", 7)], "{report}");

    // Without the pairing, the parameters file is not known to belong to the template.
    fs::write(dir.path().join("akslint.yaml"), "rules: {}\n").expect("write");
    let unpaired = json(&akslint_in(dir.path(), &["check", "--format", "json"], b""));
    assert!(
        !unpaired["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["code"] == "API001"),
        "{unpaired}"
    );

    // A malformed entry is a located configuration error.
    fs::write(
        dir.path().join("akslint.yaml"),
        "arm-parameters:\n  env/production.json: [a]\n",
    )
    .expect("write");
    let bad = akslint_in(dir.path(), &["check"], b"");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("akslint.yaml:2"), "{}", stderr(&bad));
}
