//! The three pre-commit hooks of `.pre-commit-hooks.yaml` (the wheel, from source, on PATH), run
//! by the real `pre-commit` (from PyPI; `.ci/run` installs it) in a temporary git repository: a
//! staged manifest with a secret blocks the commit and shows the finding, the fixed manifest
//! commits, `akslint.yaml` excludes apply to the file names pre-commit passes, and a commit
//! that changes only a Helm chart's helper template lints the chart.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::workspace;

fn run(dir: &Path, program: &str, args: &[&str], envs: &[(&str, String)]) -> Output {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    for (key, value) in envs {
        command.env(key, value);
    }
    command
        .output()
        .unwrap_or_else(|err| panic!("{program} {args:?}: {err}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const SECRET_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: web\n      image: web:1\n      env:\n        - name: DB_PASSWORD\n          value: Zq9-Lm4-Tr7x\n";

/// The `PATH` of the hooks that run a built akslint: the test's binary first.
fn path_with_built_akslint() -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_akslint"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Commits through a hook run with `path`: a blocked commit, a fixed one, and an excluded file.
fn exercise_hook(hook: &str, path: String, extra_env: &[(&str, String)]) {
    let repo = tempfile::tempdir().expect("temp dir");
    let dir = repo.path();
    let root = workspace();
    let head = run(&root, "git", &["rev-parse", "HEAD"], &[]);
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    let mut envs = vec![
        ("PATH", path),
        ("PRE_COMMIT_HOME", dir.join(".cache").display().to_string()),
        ("GIT_AUTHOR_NAME", "test".to_owned()),
        ("GIT_AUTHOR_EMAIL", "test@example.com".to_owned()),
        ("GIT_COMMITTER_NAME", "test".to_owned()),
        ("GIT_COMMITTER_EMAIL", "test@example.com".to_owned()),
    ];
    envs.extend(extra_env.iter().cloned());
    let git = |args: &[&str]| run(dir, "git", args, &envs);
    assert!(git(&["init", "-q"]).status.success());
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n",
            root.display()
        ),
    )
    .expect("write config");
    std::fs::write(dir.join(".gitignore"), ".cache/\n").expect("write");
    std::fs::write(dir.join("akslint.yaml"), "exclude:\n  - generated/\n").expect("write");
    assert!(run(dir, "pre-commit", &["install"], &envs).status.success());
    git(&[
        "add",
        ".pre-commit-config.yaml",
        ".gitignore",
        "akslint.yaml",
    ]);
    let setup = git(&["commit", "-q", "-m", "setup"]);
    assert!(setup.status.success(), "{}", text(&setup));

    std::fs::create_dir_all(dir.join("k8s")).expect("mkdir");
    std::fs::write(dir.join("k8s/app.yaml"), SECRET_POD).expect("write");
    git(&["add", "k8s/app.yaml"]);
    assert_blocked(
        &git(&["commit", "-q", "-m", "add app"]),
        "k8s/app.yaml",
        "Zq9-Lm4-Tr7x",
    );

    let fixed = SECRET_POD.replace(
        "value: Zq9-Lm4-Tr7x",
        "valueFrom:\n            secretKeyRef: {name: db, key: password}",
    );
    std::fs::write(dir.join("k8s/app.yaml"), fixed).expect("write");
    git(&["add", "k8s/app.yaml"]);
    let passed = git(&["commit", "-q", "-m", "add app"]);
    assert!(passed.status.success(), "{}", text(&passed));

    std::fs::create_dir_all(dir.join("generated")).expect("mkdir");
    std::fs::write(dir.join("generated/dump.yaml"), SECRET_POD).expect("write");
    git(&["add", "generated/dump.yaml"]);
    let excluded = git(&["commit", "-q", "-m", "generated"]);
    assert!(
        excluded.status.success(),
        "akslint.yaml excludes apply:\n{}",
        text(&excluded)
    );

    // A Helm chart: a commit that changes only its helper template lints the chart.
    for (name, text) in CHART {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    git(&["add", "web"]);
    let chart = git(&["commit", "-q", "-m", "chart"]);
    assert!(chart.status.success(), "{}", text(&chart));
    std::fs::write(dir.join(HELPERS), LEAKING_HELPERS).expect("write");
    git(&["add", HELPERS]);
    assert_blocked(
        &git(&["commit", "-q", "-m", "helper"]),
        "web/templates/deployment.yaml",
        HELPER_TOKEN,
    );
}

/// Asserts a commit was blocked by a secret's `SEC001` in `file`, without printing it whole.
fn assert_blocked(commit: &Output, file: &str, secret: &str) {
    let shown = text(commit);
    assert!(
        !commit.status.success(),
        "the secret must block the commit:\n{shown}"
    );
    assert!(shown.contains("SEC001") && shown.contains(file), "{shown}");
    assert!(!shown.contains(secret), "the secret is not printed whole");
}

/// The helper template of the chart `web`.
const HELPERS: &str = "web/templates/_helpers.tpl";

/// A chart `web` whose deployment takes its environment from a helper.
const CHART: [(&str, &str); 3] = [
    (
        "web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 1.0.0\n",
    ),
    (
        HELPERS,
        "{{- define \"web.env\" -}}\n- name: LOG_LEVEL\n  value: info\n{{- end }}\n",
    ),
    (
        "web/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          env:\n            {{- include \"web.env\" . | nindent 12 }}\n",
    ),
];

/// The token the changed helper writes.
const HELPER_TOKEN: &str = "ghp_Rk7Lw2Qz9Xv4Mn8Tc3Hb6Jd1Fs5Gp0YaWuE";

/// The helper changed to write a token into the environment.
const LEAKING_HELPERS: &str = "{{- define \"web.env\" -}}\n- name: LOG_LEVEL\n  value: info\n- name: GITHUB_TOKEN\n  value: ghp_Rk7Lw2Qz9Xv4Mn8Tc3Hb6Jd1Fs5Gp0YaWuE\n{{- end }}\n";

fn pre_commit_available() -> bool {
    let available = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        common::skip("pre-commit is not installed (pip install pre-commit)");
    }
    available
}

#[test]
fn system_hook_blocks_a_secret_and_passes_the_fix() {
    if pre_commit_available() {
        exercise_hook("akslint-system", path_with_built_akslint(), &[]);
    }
}

/// The default hook installs the wheel (from the built one here, from PyPI for users) into
/// pre-commit's environment: no cargo, no rustc and no akslint on `PATH`.
#[test]
fn python_hook_installs_the_wheel_and_blocks_a_secret() {
    if pre_commit_available() {
        let Some(wheel) = common::built_wheel() else {
            return;
        };
        let wheels = wheel.parent().expect("wheel folder").display().to_string();
        exercise_hook(
            "akslint",
            common::path_without_rust(),
            &[("PIP_FIND_LINKS", wheels)],
        );
    }
}

#[test]
fn source_hook_builds_akslint_and_blocks_a_secret() {
    if pre_commit_available() {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-hook-build");
        exercise_hook(
            "akslint-source",
            path_with_built_akslint(),
            &[
                ("AKSLINT_HOOK_PROFILE", "dev".to_owned()),
                ("CARGO_TARGET_DIR", target.display().to_string()),
            ],
        );
    }
}
