use crate::secrets::Finding;
use crate::secrets::command_line::secret_arguments;
use crate::secrets::report::Scalar;
use crate::{ObjectContext, secrets};
use akslint_core::{Diagnostic, NodeId, declare_rule};

const HELP: &str = "pass the credential through an environment variable from a Secret or a mounted file, not on the command line; rotate it";

declare_rule! {
    /// ## What it does
    /// Reports credentials in a container's `command` and `args`: the value of a secret-named
    /// flag (`--password=x`, `--password x`, `--api-token x`), MySQL's `-pPASSWORD`, secret-named
    /// variables assigned in shell scripts (`sh -c "…"`), `user:password@host` URLs, curl's
    /// `-u user:password`, `Authorization: Bearer …` and `Basic …` headers and any other known
    /// credential format. Shell and Kubernetes expansions (`$VAR`, `$(VAR)`, `"${VAR:-…}"`) are
    /// not reported.
    ///
    /// ## Why it matters
    /// Command lines are visible to anyone who can read the pod spec, and inside the node to
    /// every process that can list processes (`ps`, `/proc/*/cmdline`); they end up in audit
    /// logs and crash reports.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: migrate/migrate:v4.17.0
    ///           args: ["--db-user=orders", "--db-password=FHwpuYt6YpGkw5bo5"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: migrate/migrate:v4.17.0
    ///           args: ["--db-user=orders", "--db-password=$(DB_PASSWORD)"]
    ///           env:
    ///             - name: DB_PASSWORD
    ///               valueFrom:
    ///                 secretKeyRef: {name: orders-db, key: password}
    /// ```
    ///
    /// ## How to fix
    /// Give the program the credential through an environment variable from a Secret (and
    /// `$(VAR)` in the arguments where a flag is required) or a mounted file, or drop it with
    /// workload identity. Rotate the exposed value.
    ///
    /// ## References
    /// - [Kubernetes: define a command and arguments for a container](https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/)
    /// - [CWE-214: invocation of a process using visible sensitive information](https://cwe.mitre.org/data/definitions/214.html)
    pub struct HardcodedSecretInCommandLine {
        code: "SEC004",
        name: "hardcoded-secret-in-command-line",
        family: Sec,
        severity: Error,
        security_severity: "8.0",
        summary: "A credential in a container's command or arguments",
    }
}

yaml_secret_rule!(HardcodedSecretInCommandLine);

/// Finds the secrets of one object (each reported under this rule, or under `SEC009` when
/// weak); the secrets analysis of a document runs it once for every rule.
pub(crate) fn find(cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
    let tree = cx.tree();
    let Some(template) = &cx.object.pod_template else {
        return;
    };
    for (_, container) in template.containers(tree) {
        let container_name = tree
            .get(container, "name")
            .and_then(|n| tree.str(n))
            .unwrap_or("?");
        let nodes: Vec<NodeId> = ["command", "args"]
            .iter()
            .flat_map(|key| {
                tree.get(container, key)
                    .map_or(&[][..], |list| tree.items(list))
                    .iter()
                    .copied()
            })
            .collect();
        let texts: Vec<&str> = nodes.iter().map(|&n| tree.str(n).unwrap_or("")).collect();
        let mut found: Vec<(usize, Finding)> = Vec::new();
        for value in secret_arguments(&texts) {
            let argument = texts[value.argument];
            if let Some(mut finding) =
                secrets::judge(Some(&value.key), &argument[value.value.clone()])
            {
                finding.range =
                    value.value.start + finding.range.start..value.value.start + finding.range.end;
                found.push((value.argument, finding));
            }
        }
        for (index, argument) in texts.iter().enumerate() {
            for finding in secrets::scan_text(None, argument) {
                let overlaps = found.iter().any(|(i, f)| {
                    *i == index
                        && f.range.start < finding.range.end
                        && finding.range.start < f.range.end
                });
                if !overlaps {
                    found.push((index, finding));
                }
            }
        }
        for (index, finding) in found {
            let reporter = Scalar {
                rule: &HardcodedSecretInCommandLine::META,
                file: cx.file,
                tree,
                node: nodes[index],
                encoded: false,
                help: HELP,
            };
            let what = format!(
                "the command line of container `{container_name}` in {}",
                cx.object.display_name()
            );
            reporter.report(texts[index], vec![finding], &what, out);
        }
    }
}
