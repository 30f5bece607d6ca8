//! CI formats end to end: SARIF (validated against the SARIF 2.1.0 schema), GitHub annotations,
//! JUnit, several formats at once, baselines that survive edits, and fixes.

use std::fs;
use std::path::Path;

mod common;
use common::{akslint, akslint_in, codes, fixture_dir, json, stderr, stdout, workspace};

/// The SARIF schema beside the checkout, or `None` (see [`common::skip`]).
///
/// The published schema's `run.language` pattern has a stray `]`, which strict regex checking
/// of the schema itself rejects; it is replaced by the pattern it means (akslint does not write
/// `language`).
fn sarif_schema() -> Option<serde_json::Value> {
    let path = workspace().join("../shared/sarif/sarif-schema-2.1.0.json");
    match fs::read_to_string(&path) {
        Ok(text) => {
            let mut schema: serde_json::Value =
                serde_json::from_str(&text).expect("the schema is JSON");
            for definition in ["run", "toolComponent"] {
                let pattern =
                    &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
                if pattern.as_str().is_some_and(|p| p.ends_with("]?$")) {
                    *pattern = serde_json::Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                }
            }
            Some(schema)
        }
        Err(_) => {
            common::skip(&format!(
                "{} is absent: no SARIF schema validation",
                path.display()
            ));
            None
        }
    }
}

#[test]
fn sarif_for_the_whole_corpus_is_valid_and_complete() {
    let output = akslint(&["check", "corpus", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1));
    let sarif = json(&output);
    if let Some(schema) = sarif_schema() {
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "SARIF is not valid:\n{}",
            errors.join("\n")
        );
    }
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(
        rules.len(),
        akslint_rules::registry::metas().count(),
        "every rule is described"
    );
    for rule in rules {
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .expect("security-severity")
            .parse()
            .expect("number");
        assert!((0.0..=10.0).contains(&score));
        assert!(rule["helpUri"].as_str().unwrap_or("").ends_with(".md"));
        let opt_in = rule["shortDescription"]["text"]
            .as_str()
            .unwrap_or("")
            .ends_with("(opt-in)");
        assert_eq!(rule["defaultConfiguration"]["enabled"], !opt_in);
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == "security"))
        );
    }
    let results = run["results"].as_array().expect("results");
    let corpus_findings = codes(&json(&akslint(&["check", "corpus", "--format", "json"]))).len();
    assert_eq!(results.len(), corpus_findings);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("")
                .starts_with("corpus/")
        );
        assert!(location["region"]["startLine"].as_u64().unwrap_or(0) >= 1);
        assert_eq!(
            result["partialFingerprints"]["akslintFingerprint/v1"]
                .as_str()
                .map(str::len),
            Some(16)
        );
    }
    let helm = results.iter().find(|r| {
        r["relatedLocations"].as_array().is_some_and(|l| {
            l.iter().any(|l| {
                l["message"]["text"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Helm template")
            })
        })
    });
    assert!(helm.is_some(), "the Helm template is a related location");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn sarif_reports_unreadable_files_as_notifications() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(
        dir.path().join("gone.yaml"),
        dir.path().join("dangling.yaml"),
    )
    .expect("symlink");
    fs::write(dir.path().join("ok.yaml"), "a: 1\n").expect("write");
    let output = akslint_in(dir.path(), &["check", "--format", "sarif"], b"");
    assert_eq!(output.status.code(), Some(2));
    let sarif = json(&output);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
    if let Some(schema) = sarif_schema() {
        assert!(jsonschema::is_valid(&schema, &sarif));
    }
}

#[test]
fn github_annotations_follow_the_workflow_command_shape() {
    let output = akslint(&["check", "corpus", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let (command, rest) = line
            .trim_start_matches("::")
            .split_once(' ')
            .expect("a command and properties");
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, message) = rest.split_once("::").expect("properties::message");
        assert!(!message.is_empty() && !message.contains('\n'));
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').expect("key=value").0)
            .collect();
        // Findings have a position; notices about the run (a Bicep template in a registry that
        // is not read) name a file only.
        let notice_about_run = command == "notice" && keys == ["file", "title"];
        assert!(
            notice_about_run || keys == ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=corpus/example/deployment.yaml,line=28,col=23,"))
    );
}

#[test]
fn junit_has_a_case_per_file_and_rule() {
    let output = akslint(&["check", "corpus/example", "--format", "junit"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<roxmltree::Node> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failures = root
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(
        root.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(
        root.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    let names: Vec<(String, String)> = cases
        .iter()
        .map(|c| {
            (
                c.attribute("classname").unwrap_or("").to_owned(),
                c.attribute("name").unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "corpus/example/deployment.yaml".to_owned(),
                "SEC001 hardcoded-secret-in-env".to_owned()
            ),
            (
                "corpus/example/deployment.yaml".to_owned(),
                "WID001 workload-identity-label-missing".to_owned()
            ),
            (
                "corpus/example/rbac.yaml".to_owned(),
                "AUTH001 cluster-admin-bound-to-broad-group".to_owned()
            ),
            (
                "corpus/example/serviceaccount.yaml".to_owned(),
                "akslint".to_owned()
            ),
        ]
    );
    let corpus = stdout(&akslint(&["check", "corpus", "--format", "junit"]));
    roxmltree::Document::parse(&corpus).expect("the whole corpus gives well-formed XML");
}

#[test]
fn several_formats_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let output = akslint(&[
        "check",
        "corpus/example",
        "--format",
        "github",
        "--output",
        &format!("sarif={}", sarif.display()),
        "--output",
        &format!("junit={}", junit.display()),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("::error "));
    let sarif: serde_json::Value =
        serde_json::from_slice(&fs::read(&sarif).expect("sarif written")).expect("json");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(3)
    );
    assert!(
        fs::read_to_string(&junit)
            .expect("junit written")
            .contains("<testsuites")
    );
    let bad = akslint(&["check", "corpus/example", "--output", "yaml=x"]);
    assert_eq!(bad.status.code(), Some(2));
}

const APP: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: web\n      image: web:1\n      env:\n        - name: DB_PASSWORD\n          value: Zq9-Lm4-Tr7x\n        - name: API_TOKEN\n          value: Hq8-Wn3-Zr6p\n";

#[test]
fn baseline_entries_survive_lines_inserted_above() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("k8s")).expect("mkdir");
    fs::write(dir.path().join("k8s/app.yaml"), APP).expect("write");
    let write = akslint_in(
        dir.path(),
        &["check", "--write-baseline", "akslint-baseline.jsonl"],
        b"",
    );
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    let baseline = fs::read_to_string(dir.path().join("akslint-baseline.jsonl")).expect("baseline");
    assert_eq!(
        baseline.lines().count(),
        3,
        "a header and two entries:\n{baseline}"
    );
    assert!(!baseline.contains("Zq9-Lm4-Tr7x"), "no secret values");
    for entry in baseline.lines().skip(1) {
        let entry: serde_json::Value =
            serde_json::from_str(entry).expect("one JSON entry per line");
        let keys: Vec<&String> = entry.as_object().expect("an object").keys().collect();
        assert_eq!(
            keys,
            ["file", "object", "path", "rule", "value"],
            "no line numbers"
        );
    }

    let shifted = format!(
        "# a comment\n# another\n{}",
        APP.replace(
            "image: web:1",
            "image: web:2\n      ports: [{containerPort: 80}]"
        )
    );
    fs::write(dir.path().join("k8s/app.yaml"), &shifted).expect("write");
    let hidden = akslint_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "akslint-baseline.jsonl",
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(hidden.status.code(), Some(0), "{}", stdout(&hidden));
    assert!(codes(&json(&hidden)).is_empty());

    fs::write(
        dir.path().join("k8s/app.yaml"),
        shifted.replace("Hq8-Wn3-Zr6p", "new-Sec-r3t-99"),
    )
    .expect("write");
    let changed = akslint_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "akslint-baseline.jsonl",
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(
        changed.status.code(),
        Some(1),
        "a changed secret is a new finding"
    );
    assert_eq!(codes(&json(&changed)), ["SEC001"]);
    assert!(
        stderr(&changed).contains("baseline entry no longer matches: SEC001 k8s/app.yaml Pod app")
    );
    let strict = akslint_in(
        dir.path(),
        &[
            "check",
            "--baseline",
            "akslint-baseline.jsonl",
            "--baseline-strict",
            "--severity",
            "error",
            "k8s/app.yaml",
        ],
        b"",
    );
    assert_eq!(strict.status.code(), Some(1));

    let from_elsewhere = akslint_in(
        &dir.path().join("k8s"),
        &[
            "check",
            "app.yaml",
            "--baseline",
            "../akslint-baseline.jsonl",
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(
        codes(&json(&from_elsewhere)),
        ["SEC001"],
        "paths are relative to the baseline file"
    );

    fs::write(dir.path().join("bad.jsonl"), "not json\n").expect("write");
    let bad = akslint_in(dir.path(), &["check", "--baseline", "bad.jsonl"], b"");
    assert_eq!(bad.status.code(), Some(2));
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).expect("read")
}

#[test]
fn fix_applies_safe_fixes_across_files_and_relints() {
    let example = workspace().join("corpus/example");
    let files: Vec<(String, String)> = ["serviceaccount.yaml", "deployment.yaml", "rbac.yaml"]
        .iter()
        .map(|n| ((*n).to_owned(), read(&example, n)))
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = fixture_dir(&borrowed);

    let diff = akslint_in(dir.path(), &["check", "--diff"], b"");
    assert_eq!(diff.status.code(), Some(1));
    let patch = stdout(&diff);
    assert!(
        patch.contains("--- a/deployment.yaml")
            && patch.contains("+        azure.workload.identity/use: \"true\""),
        "{patch}"
    );
    assert!(
        !patch.contains("rbac.yaml"),
        "unsafe fixes need --unsafe-fixes"
    );
    assert_eq!(
        read(dir.path(), "deployment.yaml"),
        files[1].1,
        "--diff writes nothing"
    );

    let fixed = akslint_in(dir.path(), &["check", "--fix", "--format", "json"], b"");
    assert_eq!(fixed.status.code(), Some(1), "SEC001 and AUTH001 remain");
    assert_eq!(codes(&json(&fixed)), ["SEC001", "AUTH001"]);
    assert!(
        read(dir.path(), "deployment.yaml")
            .contains("azure.workload.identity/use: \"true\"\n        app: orders")
    );

    let unsafe_fixed = akslint_in(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "--format", "json"],
        b"",
    );
    assert_eq!(codes(&json(&unsafe_fixed)), ["SEC001"]);
    assert!(!read(dir.path(), "rbac.yaml").contains("system:authenticated"));
    let again = akslint_in(dir.path(), &["check", "--diff"], b"");
    assert_eq!(again.status.code(), Some(0), "nothing left to fix");
    assert!(stdout(&again).is_empty());

    let stdin_fix = akslint_in(dir.path(), &["check", "--fix", "-"], b"a: 1\n");
    assert_eq!(stdin_fix.status.code(), Some(2));
}

#[test]
fn sarif_fingerprints_do_not_depend_on_lines() {
    let fingerprints = |text: &str| -> Vec<String> {
        let dir = fixture_dir(&[("app.yaml", text)]);
        let sarif = json(&akslint_in(
            dir.path(),
            &["check", "--format", "sarif"],
            b"",
        ));
        let mut found: Vec<String> = sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["partialFingerprints"]["akslintFingerprint/v1"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect();
        found.sort();
        found
    };
    let before = fingerprints(APP);
    assert_eq!(before.len(), 2);
    assert_ne!(before[0], before[1]);
    assert_eq!(fingerprints(&format!("# moved\n\n{APP}")), before);
    assert_ne!(
        fingerprints(&APP.replace("name: app", "name: other")),
        before,
        "another object is another finding"
    );
}

#[test]
fn baselines_are_keyed_and_keep_their_key() {
    let dir = fixture_dir(&[("app.yaml", APP)]);
    let write = |name: &str| {
        let output = akslint_in(dir.path(), &["check", "--write-baseline", name], b"");
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        fs::read_to_string(dir.path().join(name)).expect("baseline")
    };
    let first = write("b.jsonl");
    let header: serde_json::Value =
        serde_json::from_str(first.lines().next().expect("a header")).expect("JSON");
    assert_eq!(header["akslint_baseline"], 2);
    let key = header["key"].as_str().expect("a key");
    assert!(
        key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit()),
        "{key}"
    );
    for entry in first.lines().skip(1) {
        let entry: serde_json::Value = serde_json::from_str(entry).expect("JSON");
        assert_eq!(entry["value"].as_str().map(str::len), Some(32), "{entry}");
    }
    // Written again, the baseline keeps its key, so its entries stay the same.
    assert_eq!(write("b.jsonl"), first);
    // Another baseline gets another key: its hashes of the same secrets differ.
    let other = write("other.jsonl");
    assert_ne!(other.lines().next(), first.lines().next());
    let values = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).expect("JSON")["value"].to_string()
            })
            .collect()
    };
    assert!(values(&other).iter().all(|v| !values(&first).contains(v)));
    // And it hides what it recorded, saying how many: in the human summary, or on stderr when
    // stdout is a machine format's.
    let hidden = akslint_in(dir.path(), &["check", "--baseline", "other.jsonl"], b"");
    assert_eq!(hidden.status.code(), Some(0), "{}", stdout(&hidden));
    assert!(
        stdout(&hidden)
            .ends_with("No findings in 1 file.\nHid 2 findings recorded in the baseline.\n"),
        "{}",
        stdout(&hidden)
    );
    let args = ["check", "--baseline", "other.jsonl", "--format", "json"];
    let hidden = akslint_in(dir.path(), &args, b"");
    assert!(
        stderr(&hidden).contains("the baseline other.jsonl hid 2 recorded findings"),
        "{}",
        stderr(&hidden)
    );
}

#[test]
fn a_version_1_baseline_is_still_read() {
    use sha2::{Digest, Sha256};
    let dir = fixture_dir(&[("app.yaml", APP)]);
    // Version 1 hashed the rule and the offending text, each followed by a NUL, without a key.
    let unkeyed = |rule: &str, text: &str| -> String {
        let mut hasher = Sha256::new();
        for part in [rule, text] {
            hasher.update(part.as_bytes());
            hasher.update([0u8]);
        }
        hasher.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let entries: Vec<String> = [("DB_PASSWORD", "Zq9-Lm4-Tr7x"), ("API_TOKEN", "Hq8-Wn3-Zr6p")]
        .iter()
        .map(|(name, value)| {
            format!(
                "{{\"file\":\"app.yaml\",\"object\":\"Pod app\",\"path\":\"spec.containers[name=web].env[name={name}].value\",\"rule\":\"SEC001\",\"value\":\"{}\"}}",
                unkeyed("SEC001", value)
            )
        })
        .collect();
    fs::write(
        dir.path().join("v1.jsonl"),
        format!("{{\"akslint_baseline\":1}}\n{}\n", entries.join("\n")),
    )
    .expect("write");
    let output = akslint_in(
        dir.path(),
        &["check", "--baseline", "v1.jsonl", "--format", "json"],
        b"",
    );
    assert!(codes(&json(&output)).is_empty(), "{}", stdout(&output));
    assert!(
        stderr(&output).contains("is a version 1 baseline"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn fingerprints_of_secret_findings_hold_no_hash_of_the_secret() {
    let fingerprints = |text: &str, format: &str| -> Vec<String> {
        let dir = fixture_dir(&[("app.yaml", text)]);
        let report = json(&akslint_in(dir.path(), &["check", "--format", format], b""));
        let mut found: Vec<String> = if format == "sarif" {
            report["runs"][0]["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| r["partialFingerprints"]["akslintFingerprint/v1"].to_string())
                .collect()
        } else {
            report["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| f["fingerprint"].to_string())
                .collect()
        };
        found.sort();
        found
    };
    for format in ["sarif", "json"] {
        let before = fingerprints(APP, format);
        assert_eq!(before.len(), 2);
        // Another secret in the same place: the same fingerprint (nothing of the value in it).
        let changed = APP.replace("Zq9-Lm4-Tr7x", "Pw7-Xc2-Vb5n");
        assert_eq!(fingerprints(&changed, format), before, "{format}");
    }
}
