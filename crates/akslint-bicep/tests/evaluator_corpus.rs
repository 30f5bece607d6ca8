//! The evaluator over real Bicep: the Bicep compiler's conformance data (`shared/bicep-conformance`: the valid
//! and invalid baseline datasets, the `.bicepparam` datasets and the user-submitted examples) and the real AKS
//! repositories of `shared/corpus-real/bicep`. Each folder of files is one run (as `akslint` on that folder),
//! evaluated on a 2 MiB stack with the disk loader. Checks that nothing panics and that every span is inside its
//! file, and prints the figures (`cargo test -p akslint-bicep --test evaluator_corpus -- --nocapture`). Skips
//! with a notice when the data is absent.

#[path = "support/data.rs"]
#[allow(dead_code)]
mod data;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use akslint_bicep::Evaluation;
use akslint_core::{AzureResource, DiskLoader, NodeKind, SharedSource, SourceFile, SourceKind};

/// `shared/<name>` beside the workspace, or `None` (with a notice) when absent.
fn shared(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(name);
    match dir.canonicalize() {
        Ok(dir) if dir.is_dir() => Some(dir),
        _ => {
            data::skip(&format!(
                "{} not found (it is not part of the repository)",
                dir.display()
            ));
            None
        }
    }
}

/// The `.bicep` and `.bicepparam` files under `dir` (compiler baselines excluded), sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if path.is_dir() {
                stack.push(path);
            } else if (name.ends_with(".bicep") || name.ends_with(".bicepparam"))
                && !name.contains(".diagnostics.")
                && !name.contains(".tokens.")
                && !name.contains(".symbols.")
                && !name.contains(".syntax.")
                && !name.contains(".formatted.")
                && !name.contains(".pprint.")
                && !name.contains(".sourcemap.")
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Reads a file as the engine does.
fn read(path: &Path) -> Option<SharedSource> {
    let text = SourceFile::decode(fs::read(path).ok()?).ok()?;
    let kind = SourceKind::from_path(path)?;
    Some(Arc::new(SourceFile::new(path, kind, text)))
}

/// The figures of a set of runs.
#[derive(Default)]
struct Figures {
    runs: usize,
    files: usize,
    resources: usize,
    existing: usize,
    through_modules: usize,
    clusters: usize,
    leaves: usize,
    known_leaves: usize,
    cluster_leaves: usize,
    cluster_known_leaves: usize,
    origins: usize,
    notes: BTreeMap<String, usize>,
    time: Duration,
    slowest: (Duration, String),
}

impl Figures {
    fn add(&mut self, name: &str, files: usize, evaluation: &Evaluation, took: Duration) {
        self.runs += 1;
        self.files += files;
        self.time += took;
        if took > self.slowest.0 {
            self.slowest = (took, name.to_owned());
        }
        for resource in &evaluation.resources {
            check(resource);
            self.resources += 1;
            self.existing += usize::from(resource.existing);
            self.through_modules += usize::from(!resource.via.is_empty());
            self.origins += resource.origins.len();
            let (leaves, known) = leaves(resource);
            self.leaves += leaves;
            self.known_leaves += known;
            if resource.is_type("Microsoft.ContainerService/managedClusters") && !resource.existing
            {
                self.clusters += 1;
                self.cluster_leaves += leaves;
                self.cluster_known_leaves += known;
            }
        }
        for note in &evaluation.notes {
            let kind = if note.message.contains("registry") {
                "registry or template spec module"
            } else if note.message.contains("could not be read") {
                "file not found"
            } else if note.message.contains("cycle") {
                "module cycle"
            } else if note.message.contains("not a Bicep or ARM JSON file") {
                "module is neither Bicep nor ARM JSON"
            } else {
                "other"
            };
            *self.notes.entry(kind.to_owned()).or_default() += 1;
        }
    }

    fn print(&self, title: &str) {
        let share = |known: usize, all: usize| {
            if all == 0 {
                0.0
            } else {
                100.0 * known as f64 / all as f64
            }
        };
        println!("== {title}");
        println!("runs {}, files {}", self.runs, self.files);
        println!(
            "resources {} ({} existing, {} through module calls), managedClusters {}",
            self.resources, self.existing, self.through_modules, self.clusters
        );
        println!(
            "known leaves {} of {} ({:.1}%); in managedClusters {} of {} ({:.1}%); origins {}",
            self.known_leaves,
            self.leaves,
            share(self.known_leaves, self.leaves),
            self.cluster_known_leaves,
            self.cluster_leaves,
            share(self.cluster_known_leaves, self.cluster_leaves),
            self.origins
        );
        println!("notes {:?}", self.notes);
        println!(
            "time {:.1} ms in all, slowest run {:.1} ms ({})",
            self.time.as_secs_f64() * 1000.0,
            self.slowest.0.as_secs_f64() * 1000.0,
            self.slowest.1
        );
    }
}

/// Leaf values of a body (scalars and unknowns, keys excluded): (all, known).
fn leaves(resource: &AzureResource) -> (usize, usize) {
    let tree = &resource.body;
    let mut keys = vec![false; tree.len()];
    for (_, node) in tree.iter() {
        if let NodeKind::Mapping(entries) = &node.kind {
            for entry in entries {
                keys[entry.key.index()] = true;
            }
        }
    }
    let mut all = 0;
    let mut known = 0;
    for (id, node) in tree.iter() {
        if keys[id.index()] {
            continue;
        }
        match node.kind {
            NodeKind::Scalar(_) => {
                all += 1;
                known += 1;
            }
            NodeKind::Unknown => all += 1,
            _ => {}
        }
    }
    (all, known)
}

/// Every span of a resource lies inside its file.
fn check(resource: &AzureResource) {
    let len = resource.file.text().len() as u32;
    assert!(resource.declaration_span.end <= len);
    for (_, node) in resource.body.iter() {
        assert!(
            node.span.start <= node.span.end && node.span.end <= len,
            "{}",
            resource.file.path().display()
        );
    }
    for origin in &resource.origins {
        assert!(origin.node.index() < resource.body.len());
        assert!(origin.location.span.end as usize <= origin.location.file.text().len());
        assert!(!origin.what.is_empty());
    }
    for call in &resource.via {
        assert!(call.span.end as usize <= call.file.text().len());
    }
    for span in resource.condition.iter().chain(resource.loop_span.iter()) {
        assert!(span.end <= len);
    }
}

/// Evaluates one run on a 2 MiB stack.
fn run(files: &[PathBuf]) -> (Evaluation, Duration) {
    let sources: Vec<SharedSource> = files.iter().filter_map(|p| read(p)).collect();
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let started = Instant::now();
            let evaluation = akslint_bicep::evaluate_texts(&sources, &DiskLoader::default());
            (evaluation, started.elapsed())
        })
        .expect("thread")
        .join()
        .expect("the evaluator does not panic or overflow")
}

/// Groups files into runs: one per folder `depth` levels below `root` (files above that level are one run
/// each).
fn runs(root: &Path, depth: usize) -> BTreeMap<PathBuf, Vec<PathBuf>> {
    let mut groups: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in sources(root) {
        let relative = file.strip_prefix(root).unwrap_or(&file);
        let parts: Vec<_> = relative.components().collect();
        let key = if parts.len() > depth {
            root.join(parts[..depth].iter().collect::<PathBuf>())
        } else {
            file.clone()
        };
        groups.entry(key).or_default().push(file);
    }
    groups
}

fn evaluate_all(title: &str, groups: BTreeMap<PathBuf, Vec<PathBuf>>) -> Figures {
    let mut figures = Figures::default();
    for (name, files) in &groups {
        let (evaluation, took) = run(files);
        figures.add(&name.display().to_string(), files.len(), &evaluation, took);
    }
    figures.print(title);
    figures
}

#[test]
fn conformance_data() {
    let Some(dir) = shared("bicep-conformance") else {
        return;
    };
    let baselines = evaluate_all(
        "baselines (each dataset a run)",
        runs(&dir.join("baselines"), 1),
    );
    let params = evaluate_all(
        "baselines_bicepparam (each dataset a run)",
        runs(&dir.join("baselines_bicepparam"), 1),
    );
    let users = evaluate_all(
        "user_submitted (each example a run)",
        runs(&dir.join("user_submitted"), 2),
    );
    assert!(baselines.resources > 0 && users.resources > 0);
    assert!(params.runs > 0);
}

#[test]
fn real_aks_repositories() {
    let Some(dir) = shared("corpus-real/bicep") else {
        return;
    };
    let figures = evaluate_all("corpus-real/bicep (each repository a run)", runs(&dir, 1));
    assert!(figures.clusters > 0);
    // Each file on its own, as `akslint file.bicep` would see it.
    let single: BTreeMap<PathBuf, Vec<PathBuf>> = sources(&dir)
        .into_iter()
        .map(|f| (f.clone(), vec![f]))
        .collect();
    evaluate_all("corpus-real/bicep (each file a run)", single);
}
