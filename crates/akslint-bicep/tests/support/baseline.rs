//! Reading the compiler's test baselines (`*.tokens.bicep`, `*.diagnostics.bicep`) and converting between byte
//! offsets and the compiler's UTF-16 line/column positions.

use std::fs;
use std::path::{Path, PathBuf};

use crate::data::{read, source_files};

/// A dataset of the compiler's baselines: the main source file and its `.tokens` and `.diagnostics` files.
pub struct Dataset {
    /// The dataset's folder name (`Variables_LF`, `Invalid_Parameters`, ...).
    pub name: String,
    /// Whether the compiler reports errors on it (its name contains `Invalid`).
    pub invalid: bool,
    /// `main.bicep` or `parameters.bicepparam`.
    pub main: PathBuf,
    /// The token baseline.
    pub tokens: PathBuf,
    /// The diagnostics baseline.
    pub diagnostics: PathBuf,
    /// The other source files of the folder (modules, shared parameter files).
    pub others: Vec<PathBuf>,
}

/// All datasets of `baselines/` and `baselines_bicepparam/`, sorted by name.
pub fn datasets(root: &Path) -> Vec<Dataset> {
    let mut out = Vec::new();
    for (folder, main, tokens, diagnostics) in [
        (
            "baselines",
            "main.bicep",
            "main.tokens.bicep",
            "main.diagnostics.bicep",
        ),
        (
            "baselines_bicepparam",
            "parameters.bicepparam",
            "parameters.tokens.bicepparam",
            "parameters.diagnostics.bicepparam",
        ),
    ] {
        let mut dirs: Vec<_> = fs::read_dir(root.join(folder))
            .expect("baselines folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let others = source_files(&dir)
                .into_iter()
                .filter(|p| !p.ends_with(main))
                .collect();
            out.push(Dataset {
                invalid: name.contains("Invalid"),
                main: dir.join(main),
                tokens: dir.join(tokens),
                diagnostics: dir.join(diagnostics),
                others,
                name,
            });
        }
    }
    out
}

/// One `//@[start:end) rest` annotation of a baseline: the source line (0-based) its span starts on, its
/// UTF-16 columns on that line (the end may run past the line) and the rest of the annotation.
pub struct Annotation {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub rest: String,
}

/// A baseline: its annotations, the source text it annotates and into how many pieces it cut that text.
pub struct Baseline {
    pub annotations: Vec<Annotation>,
    pub source: String,
    pub pieces: usize,
}

/// Reads the baseline at `path` of the source `text`.
///
/// The compiler's generator splits the source on a line-break sequence (`\r\n` for `_CRLF` datasets, else
/// `\n`) and writes each piece, the sequence and then the annotations of the items that start on line `i` (a
/// real line, whatever the pieces) after piece `i`. So when the sequence is not the file's line break
/// (`InvalidMultilineString_CRLF` has `\n` line breaks), there are fewer pieces than lines, and the items of
/// the lines past the last piece are not in the baseline. The sequence is the one of the two that gives back
/// the source text; panics if neither does.
pub fn annotations(path: &Path, text: &str) -> Baseline {
    let baseline = read(path);
    let source = text.trim_start_matches('\u{feff}');
    ["\r\n", "\n"]
        .into_iter()
        .map(|separator| split(&baseline, separator))
        .find(|b| b.source == source)
        .unwrap_or_else(|| {
            panic!(
                "{}: the baseline does not annotate the file as it is",
                path.display()
            )
        })
}

fn split(text: &str, separator: &str) -> Baseline {
    let mut pieces: Vec<&str> = text.split(separator).collect();
    if pieces.last() == Some(&"") {
        pieces.pop();
    }
    let mut out = Vec::new();
    let mut source = Vec::new();
    for piece in pieces {
        let parsed = piece.strip_prefix("//@[").and_then(|rest| {
            let (start, rest) = rest.split_once(':')?;
            let (end, rest) = rest.split_once(") ")?;
            Some((start.parse().ok()?, end.parse().ok()?, rest.to_owned()))
        });
        match parsed {
            Some((start, end, rest)) => out.push(Annotation {
                line: source.len().saturating_sub(1),
                start,
                end,
                rest,
            }),
            None => source.push(piece),
        }
    }
    Baseline {
        annotations: out,
        pieces: source.len(),
        source: source.join(separator),
    }
}

/// Positions in a source text as the compiler counts them: UTF-16 units, byte-order mark excluded, lines ended
/// by `\r\n`, `\r` or `\n`.
pub struct Positions {
    /// UTF-16 offset of each byte offset (at character boundaries).
    utf16: Vec<u32>,
    /// Byte offset of each line start.
    line_starts: Vec<usize>,
    bom: usize,
}

impl Positions {
    pub fn new(text: &str) -> Positions {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut utf16 = vec![0u32; text.len() + 1];
        let mut unit = 0u32;
        for (i, c) in text[bom..].char_indices() {
            for k in 0..c.len_utf8() {
                utf16[bom + i + k] = unit;
            }
            unit += c.len_utf16() as u32;
        }
        utf16[text.len()] = unit;
        let bytes = text.as_bytes();
        let mut line_starts = vec![bom];
        for i in bom..bytes.len() {
            let breaks = bytes[i] == b'\n' || bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if breaks {
                line_starts.push(i + 1);
            }
        }
        Positions {
            utf16,
            line_starts,
            bom,
        }
    }

    /// The UTF-16 offset (from the start of the text after the byte-order mark) of byte `offset`.
    pub fn utf16(&self, offset: u32) -> u32 {
        self.utf16[(offset as usize).max(self.bom)]
    }

    /// The 0-based line of byte `offset`.
    pub fn line(&self, offset: u32) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset as usize)
            .saturating_sub(1)
    }

    /// The UTF-16 offset of `column` (UTF-16) on `line`.
    pub fn utf16_at(&self, line: usize, column: usize) -> u32 {
        self.utf16(self.line_starts[line] as u32) + column as u32
    }
}
