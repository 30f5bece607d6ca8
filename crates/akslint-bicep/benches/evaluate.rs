//! Evaluation throughput on one thread, ARM JSON next to Bicep: `cargo bench -p akslint-bicep
//! --bench evaluate`.
//!
//! Over every sample of the conformance data with a `main.bicep` and the `main.json` the Bicep
//! CLI compiled from it, measures MB/s (10^6 bytes per second) of reading and evaluating each
//! side into the Azure resource model: [`akslint_bicep::evaluate_arm`] on `main.json` (JSON
//! parsing, expression parsing, evaluation, nested deployments) and
//! [`akslint_bicep::evaluate_texts`] on `main.bicep` (Bicep parsing and evaluation, modules
//! included). The bytes are those of every file evaluated: the entry file and, for Bicep, the
//! module files it reads (kept in memory after the first round, so no disk access is measured;
//! the compiled JSON carries its modules inline). Each figure is the best of several rounds of
//! at least half a second each. Prints a notice and exits if the conformance data is absent.
//!
//! Arguments that do not start with `-` select the inputs whose label contains one of them
//! (`cargo bench -p akslint-bicep --bench evaluate -- JSON`).

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use akslint_core::{DiskLoader, SharedSource, SourceFile, SourceKind, SourceLoader};

#[path = "../tests/support/data.rs"]
#[allow(dead_code)]
mod data;

/// Reads files from disk once, then from memory.
#[derive(Default)]
struct CachedLoader {
    disk: DiskLoader,
    files: Mutex<HashMap<PathBuf, Option<SharedSource>>>,
}

impl CachedLoader {
    /// The bytes of the files read so far.
    fn bytes(&self) -> usize {
        let files = self.files.lock().expect("an unpoisoned cache");
        files.values().flatten().map(|file| file.text().len()).sum()
    }
}

impl SourceLoader for CachedLoader {
    fn load(&self, path: &Path) -> Option<SharedSource> {
        let mut files = self.files.lock().expect("an unpoisoned cache");
        files
            .entry(path.to_path_buf())
            .or_insert_with(|| self.disk.load(path))
            .clone()
    }

    fn load_text(&self, path: &Path) -> Option<String> {
        self.disk.load_text(path)
    }
}

/// One side of a sample: its entry file and the loader that holds the files it reads.
struct Input {
    entry: SharedSource,
    loader: CachedLoader,
}

impl Input {
    fn new(path: PathBuf, kind: SourceKind) -> Input {
        let text = data::read(&path);
        Input {
            entry: Arc::new(SourceFile::new(path, kind, text)),
            loader: CachedLoader::default(),
        }
    }

    /// Evaluates the entry file once.
    fn evaluate(&self) {
        let files = std::slice::from_ref(&self.entry);
        let evaluation = match self.entry.kind() {
            SourceKind::ArmTemplate => akslint_bicep::evaluate_arm(files, &self.loader),
            _ => akslint_bicep::evaluate_texts(files, &self.loader),
        };
        black_box(&evaluation);
    }

    /// The bytes evaluated: the entry file and the files it read.
    fn bytes(&self) -> usize {
        self.entry.text().len() + self.loader.bytes()
    }
}

/// The best throughput in MB/s over `rounds` rounds of at least `min_time` each.
fn throughput(inputs: &[Input], rounds: usize, min_time: Duration) -> f64 {
    inputs.iter().for_each(Input::evaluate); // warm-up, and the module files read
    let bytes_per_pass: usize = inputs.iter().map(Input::bytes).sum();
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let mut bytes = 0;
            while start.elapsed() < min_time {
                inputs.iter().for_each(Input::evaluate);
                bytes += bytes_per_pass;
            }
            bytes as f64 / start.elapsed().as_secs_f64() / 1e6
        })
        .fold(0.0, f64::max)
}

fn report(label: &str, inputs: &[Input]) {
    let mb_s = throughput(inputs, 5, Duration::from_millis(500));
    let bytes: usize = inputs.iter().map(Input::bytes).sum();
    let milliseconds = bytes as f64 / (mb_s * 1e3);
    println!(
        "{label}: {} samples, {bytes} bytes: {mb_s:.1} MB/s ({milliseconds:.1} ms for all of them)",
        inputs.len()
    );
}

fn main() {
    let Some(dir) = data::conformance_dir("evaluate benchmark") else {
        return;
    };
    let selected = data::label_filter();
    let samples = data::compiled_samples(&dir);
    let sides = [
        ("ARM JSON (main.json)", "main.json", SourceKind::ArmTemplate),
        (
            "Bicep (main.bicep and its modules)",
            "main.bicep",
            SourceKind::Bicep,
        ),
    ];
    for (label, file, kind) in sides {
        if selected(label) {
            let inputs: Vec<Input> = samples
                .iter()
                .map(|sample| Input::new(sample.join(file), kind))
                .collect();
            report(label, &inputs);
        }
    }
}
