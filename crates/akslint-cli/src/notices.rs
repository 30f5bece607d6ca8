//! The run's notices on stderr. Errors and warnings are printed one by one; notes are grouped by
//! kind, so a run over a monorepo whose templates call a thousand modules that cannot be read
//! prints a few lines that count them instead of a thousand. `--verbose` prints every note, and
//! the JSON and SARIF reports list every notice whatever the flags.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use akslint_engine::{Notice, NoticeLevel};

use crate::output::{self, printable};

/// Notes of one kind printed in full before the rest are counted.
pub const NOTES_SHOWN_PER_KIND: usize = 3;

/// How notices are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeDetail {
    /// Errors and warnings only (`--quiet`).
    Quiet,
    /// Errors and warnings, and the first notes of each kind with a count of the rest.
    Grouped,
    /// Every notice (`--verbose`).
    Every,
}

/// Prints `notices` (sorted) to `stderr` at the detail asked for.
pub fn print(notices: &[Notice], detail: NoticeDetail, stderr: &mut dyn Write) {
    let mut shown_of_kind: HashMap<String, usize> = HashMap::new();
    // Per kind, in order of first appearance: its shape, the notes left out and their files.
    let mut left_out: Vec<(String, usize, Vec<&Path>)> = Vec::new();
    for notice in notices {
        if notice.level == NoticeLevel::Note {
            match detail {
                NoticeDetail::Quiet => continue,
                NoticeDetail::Every => {}
                NoticeDetail::Grouped => {
                    let kind = note_kind(&notice.message);
                    let shown = shown_of_kind.entry(kind.clone()).or_default();
                    if *shown >= NOTES_SHOWN_PER_KIND {
                        match left_out.iter_mut().find(|(k, _, _)| *k == kind) {
                            Some((_, count, paths)) => {
                                *count += 1;
                                paths.push(&notice.path);
                            }
                            None => left_out.push((kind, 1, vec![&notice.path])),
                        }
                        continue;
                    }
                    *shown += 1;
                }
            }
        }
        print_one(notice, stderr);
    }
    for (kind, count, mut paths) in left_out {
        paths.sort_unstable();
        paths.dedup();
        let files = paths.iter().filter(|p| !p.as_os_str().is_empty()).count();
        let place = match files {
            0 => String::new(),
            1 => " in 1 more file".to_owned(),
            n => format!(" in {n} files"),
        };
        let _ = writeln!(
            stderr,
            "akslint: note: {count} more {} like \"{}\"{place} not shown; -v prints every note, the JSON and SARIF reports list them",
            if count == 1 { "note" } else { "notes" },
            printable(&kind),
        );
    }
}

/// One notice on one line.
fn print_one(notice: &Notice, stderr: &mut dyn Write) {
    let level = output::notice_level(notice.level);
    let message = printable(&notice.message);
    let _ = if notice.path.as_os_str().is_empty() {
        writeln!(stderr, "akslint: {level}: {message}")
    } else {
        writeln!(
            stderr,
            "akslint: {level}: {}: {message}",
            printable(&notice.path.display().to_string()),
        )
    };
}

/// The kind of a note: its message with what differs between notes of one kind (the names and
/// paths it quotes in backticks or double quotes, its numbers) replaced by `…`.
pub fn note_kind(message: &str) -> String {
    let mut kind = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        match c {
            '`' | '"' => match after.find(c) {
                // A quoted piece, up to the same quote; an unclosed quote is text.
                Some(end) => {
                    kind.extend([c, '…', c]);
                    rest = &after[end + 1..];
                }
                None => {
                    kind.push(c);
                    rest = after;
                }
            },
            '0'..='9' => {
                kind.push('…');
                rest = after.trim_start_matches(|n: char| n.is_ascii_digit() || n == '.');
            }
            _ => {
                kind.push(c);
                rest = after;
            }
        }
    }
    kind
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn note(path: &str, message: &str) -> Notice {
        Notice {
            path: PathBuf::from(path),
            level: NoticeLevel::Note,
            message: message.to_owned(),
        }
    }

    fn printed(notices: &[Notice], detail: NoticeDetail) -> String {
        let mut out = Vec::new();
        print(notices, detail, &mut out);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn the_kind_of_a_note_leaves_out_its_quoted_names_and_numbers() {
        assert_eq!(
            note_kind(
                "Bicep: module `net`: `./net.bicep` could not be read; its resources are not evaluated"
            ),
            "Bicep: module `…`: `…` could not be read; its resources are not evaluated"
        );
        assert_eq!(
            note_kind("this loop runs over 900 elements, more than the 800 ARM deploys"),
            "this loop runs over … elements, more than the … ARM deploys"
        );
        // A quote that is not closed is text; multi-byte text survives.
        assert_eq!(note_kind("it's ünïcode `x"), "it's ünïcode `x");
        assert_eq!(note_kind("a \"b\" c v1.2"), "a \"…\" c v…");
    }

    #[test]
    fn notes_of_one_kind_past_the_first_few_are_counted_with_their_files() {
        let mut notices: Vec<Notice> = (0..10)
            .map(|i| {
                note(
                    &format!("team-{}/main.bicep", i / 2),
                    &format!("Bicep: module `m{i}`: `./m{i}.bicep` could not be read"),
                )
            })
            .collect();
        notices.push(note("a.yaml", "the file is empty; nothing to lint"));
        notices.push(Notice {
            path: PathBuf::from("b.yaml"),
            level: NoticeLevel::Error,
            message: "cannot read the file: denied".to_owned(),
        });
        let grouped = printed(&notices, NoticeDetail::Grouped);
        assert_eq!(
            grouped,
            "akslint: note: team-0/main.bicep: Bicep: module `m0`: `./m0.bicep` could not be read\n\
             akslint: note: team-0/main.bicep: Bicep: module `m1`: `./m1.bicep` could not be read\n\
             akslint: note: team-1/main.bicep: Bicep: module `m2`: `./m2.bicep` could not be read\n\
             akslint: note: a.yaml: the file is empty; nothing to lint\n\
             akslint: error: b.yaml: cannot read the file: denied\n\
             akslint: note: 7 more notes like \"Bicep: module `…`: `…` could not be read\" in 4 files not shown; -v prints every note, the JSON and SARIF reports list them\n"
        );
        // Every note with --verbose, none with --quiet (errors always).
        assert_eq!(printed(&notices, NoticeDetail::Every).lines().count(), 12);
        assert_eq!(
            printed(&notices, NoticeDetail::Quiet),
            "akslint: error: b.yaml: cannot read the file: denied\n"
        );
    }

    #[test]
    fn a_single_note_left_out_is_counted_in_the_singular() {
        let notices: Vec<Notice> = (0..=NOTES_SHOWN_PER_KIND)
            .map(|i| note("", &format!("{i} files were skipped")))
            .collect();
        let grouped = printed(&notices, NoticeDetail::Grouped);
        assert!(
            grouped.ends_with(
                "akslint: note: 1 more note like \"… files were skipped\" not shown; -v prints every note, the JSON and SARIF reports list them\n"
            ),
            "{grouped}"
        );
    }
}
