//! Peak memory per input byte of `akslint check`, for ordinary and hostile YAML and Bicep files
//! (`cargo bench -p akslint-cli --bench memory`; the table goes into `docs/benchmarks.md`).
//!
//! Every input is generated here, deterministically, under `target/tmp/bench-memory`. Each is
//! linted by the release binary (`akslint check --format json`) in a fresh process; the peak RSS
//! is that process's (`getrusage` of the children of a re-run of this bench, which runs only
//! it). The baseline is the peak of a run over an empty file; "per input byte" is the peak above
//! the baseline divided by the input's size.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use nix::sys::resource::{UsageWho, getrusage};

/// How many times each input runs; the median time and the largest peak are shown.
const RUNS: usize = 3;

/// Inputs smaller than this get no bytes-per-byte figure: their peak is the baseline's plus
/// what evaluation builds, not a multiple of their size.
const SMALL: usize = 100_000;

/// One generated input: a name, what it is, and the files it is made of.
struct Case {
    name: &'static str,
    what: &'static str,
    files: Vec<(String, String)>,
}

/// Text of about `size` bytes made by calling `piece(i)` for i = 0, 1, ...
fn grow(size: usize, mut piece: impl FnMut(usize, &mut String)) -> String {
    let mut text = String::with_capacity(size + 1024);
    let mut i = 0;
    while text.len() < size {
        piece(i, &mut text);
        i += 1;
    }
    text
}

/// Ordinary manifests: Deployments, Services, ConfigMaps with an embedded JSON file.
fn manifests(i: usize, out: &mut String) {
    let _ = write!(
        out,
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  labels:\n    app: app-{i}\n\
         spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n\
         \x20     labels:\n        app: app-{i}\n        azure.workload.identity/use: \"true\"\n    spec:\n\
         \x20     serviceAccountName: app-{i}\n      containers:\n        - name: web\n          image: registry.example/app:{i}\n\
         \x20         env:\n            - name: LOG_LEVEL\n              value: info\n            - name: DB_HOST\n\
         \x20             value: db-{i}.internal\n          ports:\n            - containerPort: 8080\n\
         ---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\nspec:\n  selector:\n    app: app-{i}\n\
         \x20 ports:\n    - port: 80\n      targetPort: 8080\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\
         \x20 name: app-{i}\ndata:\n  appsettings.json: |\n    {{\"Logging\": {{\"Level\": \"Information\"}}, \"Feature{i}\": true}}\n"
    );
}

/// An AKS cluster resource as real templates write it.
fn cluster(i: usize, out: &mut String) {
    let _ = write!(
        out,
        "resource aks{i} 'Microsoft.ContainerService/managedClusters@2024-02-01' = {{\n  name: 'aks-{i}'\n\
         \x20 location: location\n  identity: {{\n    type: 'SystemAssigned'\n  }}\n  properties: {{\n\
         \x20   dnsPrefix: 'aks{i}'\n    disableLocalAccounts: true\n    aadProfile: {{\n      managed: true\n\
         \x20     enableAzureRBAC: true\n    }}\n    apiServerAccessProfile: {{\n      enablePrivateCluster: true\n    }}\n\
         \x20   oidcIssuerProfile: {{\n      enabled: true\n    }}\n    securityProfile: {{\n      workloadIdentity: {{\n\
         \x20       enabled: true\n      }}\n    }}\n    addonProfiles: {{\n      azureKeyvaultSecretsProvider: {{\n\
         \x20       enabled: true\n      }}\n    }}\n    agentPoolProfiles: [\n      {{\n        name: 'system'\n\
         \x20       count: 3\n        vmSize: 'Standard_D4s_v5'\n        mode: 'System'\n      }}\n    ]\n  }}\n}}\n"
    );
}

/// The inputs measured.
fn cases() -> Vec<Case> {
    let one = |name: &str, text: String| vec![(name.to_owned(), text)];
    let flow_sequence = {
        let mut text = grow(10_000_000, |i, out| {
            let _ = write!(out, "{i}, ");
        });
        text.insert_str(
            0,
            "apiVersion: v1\nkind: List\nmetadata: {name: big}\nitems: [",
        );
        text.push_str("0]\n");
        text
    };
    let configmap = {
        let mut text =
            String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
        text.push_str(&grow(10_000_000, |i, out| {
            let _ = writeln!(out, "  key-{i}: value-{i}");
        }));
        text
    };
    let minified = {
        // `kubectl get -o json | jq -c`: one line, a Secret with thousands of keys.
        let mut text = String::from(
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"stringData\":{",
        );
        text.push_str(&grow(1_000_000, |i, out| {
            let _ = write!(out, "\"password{i}\":\"Zq{i:06}x-Lm4-Tr7x-Wq2\",");
        }));
        text.push_str("\"end\":\"x\"}}\n");
        text
    };
    let alias_bomb = {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let _ = writeln!(
                text,
                "a{i}: &a{i} [{}]",
                vec![format!("*a{}", i - 1); 10].join(", ")
            );
        }
        text
    };
    let deep = format!("{}x{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000));
    let bicep_array = {
        let mut text = String::from("var big = [\n");
        text.push_str(&grow(5_000_000, |i, out| {
            let _ = writeln!(out, "  {i}");
        }));
        text.push_str("]\noutput n int = length(big)\n");
        text
    };
    let module_bomb: Vec<(String, String)> = (0..=10)
        .map(|i| {
            let text = if i == 10 {
                "param p array\n".to_owned()
            } else {
                let mut text = String::from("param p array = range(0, 976)\n");
                for name in ["a0", "a1"] {
                    let _ = write!(
                        text,
                        "module {name} 'm{}.bicep' = {{\n  name: '{name}'\n  params: {{ p: concat(p, p) }}\n}}\n",
                        i + 1
                    );
                }
                text
            };
            (format!("m{i}.bicep"), text)
        })
        .collect();
    let bicep_loop = "param n int = 100000\nresource pools 'Microsoft.ContainerService/managedClusters/agentPools@2024-02-01' = [for i in range(0, n): {\n  name: 'pool${i}'\n  properties: {\n    count: 3\n    vmSize: 'Standard_D4s_v5'\n  }\n}]\n".to_owned();
    vec![
        Case {
            name: "yaml-manifests",
            what: "YAML: ordinary manifests in one 9.5 MB file",
            files: one("app.yaml", grow(9_500_000, manifests)),
        },
        Case {
            name: "yaml-flow-sequence",
            what: "YAML: a 10 MB flow sequence of integers",
            files: one("list.yaml", flow_sequence),
        },
        Case {
            name: "yaml-configmap",
            what: "YAML: a ConfigMap of 420,000 keys (10 MB)",
            files: one("cm.yaml", configmap),
        },
        Case {
            name: "yaml-minified-secret",
            what: "YAML: a one-line Secret of 25,000 hardcoded passwords (1 MB)",
            files: one("secret.json.yaml", minified),
        },
        Case {
            name: "yaml-alias-bomb",
            what: "YAML: an alias bomb (10^10 nodes if expanded)",
            files: one("bomb.yaml", alias_bomb),
        },
        Case {
            name: "yaml-deep",
            what: "YAML: 1,000,000 nested flow sequences (2 MB)",
            files: one("deep.yaml", deep),
        },
        Case {
            name: "bicep-clusters",
            what: "Bicep: 4,600 AKS cluster resources in one 5 MB file",
            files: one("main.bicep", grow(5_000_000, cluster)),
        },
        Case {
            name: "bicep-array",
            what: "Bicep: a 5 MB array literal",
            files: one("array.bicep", bicep_array),
        },
        Case {
            name: "bicep-loop",
            what: "Bicep: a loop of 100,000 agent pools",
            files: one("loop.bicep", bicep_loop),
        },
        Case {
            name: "bicep-module-bomb",
            what: "Bicep: 11 modules, each calling the next twice with its array doubled",
            files: module_bomb,
        },
    ]
}

/// Writes a case's files into a folder of its own and returns the folder and the bytes written.
fn write_case(root: &Path, case: &Case) -> (PathBuf, usize) {
    let folder = root.join(case.name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("case folder");
    let mut bytes = 0;
    for (name, text) in &case.files {
        std::fs::write(folder.join(name), text).expect("write");
        bytes += text.len();
    }
    (folder, bytes)
}

/// Runs akslint once over `folder` in a child of a fresh process of this bench; returns the
/// seconds and the peak RSS in KiB.
fn measure(folder: &Path) -> (f64, i64) {
    let output = Command::new(std::env::current_exe().expect("this binary"))
        .arg("--run")
        .arg(folder)
        .output()
        .expect("re-run the bench");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut fields = text.split_whitespace();
    let seconds = fields.next().and_then(|f| f.parse().ok());
    let peak = fields.next().and_then(|f| f.parse().ok());
    match (seconds, peak) {
        (Some(seconds), Some(peak)) => (seconds, peak),
        _ => panic!("the run printed {text:?}"),
    }
}

/// The re-run: lints `folder` with the binary, prints seconds and the child's peak RSS (KiB).
fn run_once(folder: &Path) {
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_akslint"))
        .args(["check", "--format", "json", "."])
        .current_dir(folder)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("akslint runs");
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "akslint failed: {status}"
    );
    let seconds = started.elapsed().as_secs_f64();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("rusage");
    println!("{seconds} {}", usage.max_rss());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--run") {
        run_once(Path::new(&args[i + 1]));
        return;
    }
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-memory");
    let (empty, _) = write_case(
        &root,
        &Case {
            name: "empty",
            what: "",
            files: vec![("empty.yaml".to_owned(), String::new())],
        },
    );
    let baseline = (0..RUNS).map(|_| measure(&empty).1).max().unwrap_or(0);
    println!(
        "baseline (an empty file): peak RSS {:.1} MB",
        baseline as f64 / 1024.0
    );
    println!("| Input | Size | Time | Peak RSS | Bytes per input byte |");
    println!("|---|---|---|---|---|");
    for case in cases() {
        let (folder, bytes) = write_case(&root, &case);
        let mut runs: Vec<(f64, i64)> = (0..RUNS).map(|_| measure(&folder)).collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let seconds = runs[RUNS / 2].0;
        let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
        // Per input byte only where the input is large enough for the ratio to mean something.
        let per_byte = if bytes >= SMALL {
            format!(
                "{:.1}",
                (peak - baseline).max(0) as f64 * 1024.0 / bytes as f64
            )
        } else {
            "(small input)".to_owned()
        };
        let size = if bytes >= 1_000_000 {
            format!("{:.1} MB", bytes as f64 / 1e6)
        } else {
            format!("{:.1} kB", bytes as f64 / 1e3)
        };
        println!(
            "| {} | {size} | {seconds:.2} s | {:.0} MB | {per_byte} |",
            case.what,
            peak as f64 / 1024.0,
        );
    }
}
