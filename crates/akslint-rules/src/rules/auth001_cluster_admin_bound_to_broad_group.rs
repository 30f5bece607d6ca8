use crate::{ObjectContext, Rule};
use akslint_core::{Applicability, Change, Diagnostic, FixPlan, RuleMeta, declare_rule};

/// Subjects that stand for everyone, or for every workload, in a cluster.
const BROAD_SUBJECTS: &[(&str, &str, &str)] = &[
    (
        "Group",
        "system:authenticated",
        "every signed-in user and every ServiceAccount",
    ),
    ("Group", "system:unauthenticated", "every anonymous request"),
    ("User", "system:anonymous", "every anonymous request"),
    ("Group", "system:anonymous", "every anonymous request"),
    (
        "Group",
        "system:serviceaccounts",
        "every ServiceAccount of every namespace",
    ),
];

declare_rule! {
    /// ## What it does
    /// Reports a ClusterRoleBinding or RoleBinding that grants the `cluster-admin` ClusterRole to
    /// `system:authenticated`, `system:unauthenticated`, `system:anonymous` or
    /// `system:serviceaccounts`, one finding per such subject.
    ///
    /// ## Why it matters
    /// `cluster-admin` can do anything to any object. Bound to `system:authenticated` it belongs
    /// to every identity that can sign in to the cluster, and on AKS with Entra ID that is every
    /// user of the tenant who is allowed to fetch credentials; bound to the anonymous subjects it
    /// belongs to the internet whenever the API server is reachable. Bound to
    /// `system:serviceaccounts`, any compromised pod owns the cluster.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: everyone-admin
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - apiGroup: rbac.authorization.k8s.io
    ///     kind: Group
    ///     name: system:authenticated
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: platform-admins
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - apiGroup: rbac.authorization.k8s.io
    ///     kind: Group
    ///     name: 0b6f3a52-8d1e-4c77-a9f0-2e5d6c4b8a31
    /// ```
    ///
    /// ## How to fix
    /// Bind `cluster-admin` only to a small Entra ID group of platform administrators (by object
    /// id), and give everyone else namespaced roles. On AKS, prefer Azure RBAC for Kubernetes
    /// authorization, where role assignments live in Azure and are audited there.
    ///
    /// ## References
    /// - [Kubernetes: default roles and role bindings](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings)
    /// - [AKS: access and identity options](https://learn.microsoft.com/azure/aks/concepts-identity)
    pub struct ClusterAdminBoundToBroadGroup {
        code: "AUTH001",
        name: "cluster-admin-bound-to-broad-group",
        family: Auth,
        severity: Error,
        security_severity: "9.1",
        summary: "`cluster-admin` granted to every authenticated user, anonymous users or every ServiceAccount",
    }
}

impl Rule for ClusterAdminBoundToBroadGroup {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_object(&self, cx: &ObjectContext<'_>, out: &mut Vec<Diagnostic>) {
        let object = cx.object;
        let tree = cx.tree();
        let group = "rbac.authorization.k8s.io";
        if !(object.is(group, "ClusterRoleBinding") || object.is(group, "RoleBinding")) {
            return;
        }
        let Some(role_ref) = tree.get(object.node, "roleRef") else {
            return;
        };
        let role_kind = tree.get(role_ref, "kind").and_then(|k| tree.str(k));
        let Some(role_name) = tree
            .get(role_ref, "name")
            .filter(|&n| tree.str(n) == Some("cluster-admin"))
        else {
            return;
        };
        if role_kind.is_some_and(|k| k != "ClusterRole") {
            return;
        }
        let subjects = tree
            .get(object.node, "subjects")
            .map_or(&[][..], |s| tree.items(s));
        for &subject in subjects {
            let kind = tree
                .get(subject, "kind")
                .and_then(|k| tree.str(k))
                .unwrap_or("");
            let Some(name_node) = tree.get(subject, "name") else {
                continue;
            };
            let name = tree.str(name_node).unwrap_or("");
            let Some((_, _, who)) = BROAD_SUBJECTS
                .iter()
                .find(|(k, n, _)| *k == kind && *n == name)
            else {
                continue;
            };
            let mut diagnostic = Diagnostic::new(
                &Self::META,
                cx.file,
                tree.span(name_node),
                format!(
                    "{} grants cluster-admin to {kind} {name}: {who} gets full control of the cluster",
                    object.display_name()
                ),
            )
            .with_help("bind cluster-admin only to a small administrators group, and namespaced roles to everyone else")
            .with_label(cx.file, tree.span(role_name), "the role granted");
            diagnostic = diagnostic.with_fix_plan(FixPlan::new(
                format!("remove the subject {kind} {name}"),
                Applicability::Unsafe,
                Change::RemoveItem {
                    item: tree.span(subject),
                },
            ));
            out.push(diagnostic);
        }
    }
}
