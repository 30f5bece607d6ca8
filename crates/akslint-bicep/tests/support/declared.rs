//! Helpers for the tests of declarations (Bicep and ARM JSON): finding a file's declarations and
//! literals, and the facts of its parameters and outputs as tuples to compare.

#![allow(dead_code)]

use akslint_bicep::Evaluation;
use akslint_core::{BicepFile, LeakKind, StringLiteral};

/// The declarations of the file at `path`.
pub fn file<'e>(evaluation: &'e Evaluation, path: &str) -> &'e BicepFile {
    evaluation
        .files
        .iter()
        .find(|f| f.file.path().to_str() == Some(path))
        .unwrap_or_else(|| panic!("no declarations for {path}"))
}

/// The first string literal of the file with this text.
pub fn literal<'f>(file: &'f BicepFile, text: &str) -> &'f StringLiteral {
    file.strings
        .iter()
        .find(|s| s.text == text)
        .unwrap_or_else(|| panic!("no literal {text:?} in {:#?}", file.strings))
}

/// Each parameter as (name, secure, enumerated, declared type).
pub fn parameter_facts(file: &BicepFile) -> Vec<(&str, bool, bool, &str)> {
    file.params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.secure,
                p.enumerated,
                p.declared_type.as_str(),
            )
        })
        .collect()
}

/// Each output as (name, secure, what it gives away).
pub fn output_leaks(file: &BicepFile) -> Vec<(&str, bool, Vec<LeakKind>)> {
    file.outputs
        .iter()
        .map(|o| {
            (
                o.name.as_str(),
                o.secure,
                o.leaks.iter().map(|l| l.kind.clone()).collect(),
            )
        })
        .collect()
}

/// A `list*()` call leak.
pub fn list(name: &str) -> LeakKind {
    LeakKind::ListFunction(name.to_owned())
}

/// A secure parameter leak.
pub fn secure_parameter(name: &str) -> LeakKind {
    LeakKind::SecureParameter(name.to_owned())
}
