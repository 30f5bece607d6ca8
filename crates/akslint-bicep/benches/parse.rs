//! Parse throughput on one thread: `cargo bench -p akslint-bicep`.
//!
//! Measures MB/s (10^6 bytes per second) of [`akslint_bicep::parse`] / [`akslint_bicep::parse_params`] over every
//! `.bicep` and `.bicepparam` file of the conformance data, over its user-submitted files alone, and over the
//! 17,000-line `baselines/LargeTemplate_Stress_LF/main.bicep`. Each figure is the best of several rounds of at least half a
//! second each. Prints a notice and exits if the conformance data is absent.
//!
//! Arguments that do not start with `-` select the inputs whose label contains one of them (for profiling one
//! input: `cargo bench -p akslint-bicep --bench parse -- Stress`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "../tests/support/data.rs"]
mod data;

/// Parses every file once; returns the number of bytes parsed.
fn parse_all(files: &[(PathBuf, String)]) -> usize {
    files
        .iter()
        .map(|(path, text)| {
            let parsed = akslint_bicep::parse_as(text, data::file_kind(path));
            black_box(&parsed);
            text.len()
        })
        .sum()
}

/// The best throughput in MB/s over `rounds` rounds of at least `min_time` each.
fn throughput(files: &[(PathBuf, String)], rounds: usize, min_time: Duration) -> f64 {
    parse_all(files); // warm-up
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let mut bytes = 0;
            while start.elapsed() < min_time {
                bytes += parse_all(files);
            }
            bytes as f64 / start.elapsed().as_secs_f64() / 1e6
        })
        .fold(0.0, f64::max)
}

fn load(paths: impl IntoIterator<Item = PathBuf>) -> Vec<(PathBuf, String)> {
    paths
        .into_iter()
        .map(|p| (p.clone(), data::read(&p)))
        .collect()
}

fn report(label: &str, files: &[(PathBuf, String)]) {
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mb_s = throughput(files, 5, Duration::from_millis(500));
    println!(
        "{label}: {} files, {bytes} bytes: {mb_s:.1} MB/s",
        files.len()
    );
}

fn main() {
    let Some(dir) = data::conformance_dir("parse benchmark") else {
        return;
    };
    let selected = data::label_filter();
    let all_label = "all conformance files";
    if selected(all_label) {
        report(all_label, &load(data::source_files(&dir)));
    }
    let user_label = "user_submitted";
    if selected(user_label) {
        report(user_label, &load(data::source_files(&dir.join(user_label))));
    }
    let stress_label = "LargeTemplate_Stress_LF/main.bicep";
    if selected(stress_label) {
        let stress = Path::new("baselines/LargeTemplate_Stress_LF/main.bicep");
        report(stress_label, &load([dir.join(stress)]));
    }
}
