//! `--fix` writes files in place: in their own line breaks, and never through a link to a file
//! outside the folder linted.

mod common;

use std::fs;
use std::path::Path;

use common::{akslint_in, stderr, workspace};

const FOLDER: &str = "corpus/wid/wid001-workload-identity-label-missing/cross-file";

/// Copies the fixture folder whose WID001 findings have safe fixes into `dir`, CRLF when asked.
fn copy_fixture(dir: &Path, crlf: bool) {
    for name in ["serviceaccounts.yaml", "workloads.yaml"] {
        let text = fs::read_to_string(workspace().join(FOLDER).join(name)).expect("fixture");
        let text = if crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        };
        fs::write(dir.join(name), text).expect("write");
    }
}

#[test]
fn fixes_in_a_crlf_file_are_written_with_crlf() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture(dir.path(), true);
    let output = akslint_in(dir.path(), &["check", "--fix"], b"");
    assert!(
        stderr(&output).contains("workloads.yaml: fixed"),
        "{}",
        stderr(&output)
    );
    let fixed = fs::read_to_string(dir.path().join("workloads.yaml")).expect("read");
    assert!(fixed.contains("azure.workload.identity/use: \"true\"\r\n"));
    let bare = fixed
        .match_indices('\n')
        .filter(|(i, _)| *i == 0 || fixed.as_bytes()[i - 1] != b'\r')
        .count();
    assert_eq!(bare, 0, "bare LF line breaks in a CRLF file:\n{fixed:?}");
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_outside_the_folder_is_not_written_through() {
    let outside = tempfile::tempdir().expect("temp dir");
    copy_fixture(outside.path(), false);
    let original = fs::read_to_string(outside.path().join("workloads.yaml")).expect("read");
    let repo = tempfile::tempdir().expect("temp dir");
    fs::copy(
        outside.path().join("serviceaccounts.yaml"),
        repo.path().join("serviceaccounts.yaml"),
    )
    .expect("copy");
    std::os::unix::fs::symlink(
        outside.path().join("workloads.yaml"),
        repo.path().join("workloads.yaml"),
    )
    .expect("symlink");
    let output = akslint_in(repo.path(), &["check", "--fix"], b"");
    let messages = stderr(&output);
    assert!(
        messages.contains("workloads.yaml: fixes not applied: it is a symbolic link to"),
        "{messages}"
    );
    assert_eq!(
        fs::read_to_string(outside.path().join("workloads.yaml")).expect("read"),
        original,
        "the file outside was rewritten"
    );
    // Its findings are still reported, as not fixed.
    assert_eq!(output.status.code(), Some(1));
    assert!(common::stdout(&output).contains("WID001"));
    // A link inside the folder is fixed like any file.
    let inside = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(inside.path().join("real")).expect("mkdir");
    copy_fixture(&inside.path().join("real"), false);
    std::os::unix::fs::symlink(
        inside.path().join("real/workloads.yaml"),
        inside.path().join("link.yaml"),
    )
    .expect("symlink");
    let output = akslint_in(
        inside.path(),
        &["check", "--fix", "link.yaml", "real/serviceaccounts.yaml"],
        b"",
    );
    assert!(
        stderr(&output).contains("link.yaml: fixed"),
        "{}",
        stderr(&output)
    );
}
