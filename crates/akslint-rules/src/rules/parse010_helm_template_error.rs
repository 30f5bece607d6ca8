use crate::{ParseContext, Rule};
use akslint_core::{Diagnostic, ParseProblemKind, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a Helm chart's template (a file with template actions under a chart's
    /// `templates/` folder) that does not render with the chart's own values, at the action
    /// where rendering stopped: a template that does not parse, a `required` value that is not
    /// set or a `fail` the chart calls, an action Helm itself refuses (a field of a missing
    /// value, a named template that does not exist), or a function akslint does not render yet.
    /// Also reports values that break the chart's (or a dependency's) `values.schema.json`, at
    /// the values key that breaks it (a missing required property at the object that lacks it):
    /// Helm refuses such values ("values don't meet the specifications of the schema"), akslint
    /// reports them and lints the rendered templates all the same.
    ///
    /// ## Why it matters
    /// akslint lints what the chart deploys: the template's rendered output, with every finding
    /// placed at the template line and the values key that wrote it. A template that does not
    /// render is not checked at all; Helm refuses such a chart too, unless the values given at
    /// install time set what it asks for.
    ///
    /// ## Example
    /// A chart's `templates/configmap.yaml` whose `values.yaml` has no `database.host`:
    /// ```helm
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: {{ .Release.Name }}-config
    /// data:
    ///   host: {{ required "set database.host" .Values.database.host }}
    /// ```
    ///
    /// ## Use instead
    /// A default where the chart can take one (or the value set in `values.yaml`):
    /// ```helm
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: {{ .Release.Name }}-config
    /// data:
    ///   host: {{ .Values.database.host | default "postgres" }}
    /// ```
    ///
    /// ## How to fix
    /// Give the chart the values it needs in its `values.yaml` (or a default in the template),
    /// or fix the template at the reported action. For a function akslint does not render yet,
    /// lint `helm template` output instead (`helm template ./chart | akslint check -`).
    ///
    /// ## References
    /// - [Helm: the chart template developer's guide](https://helm.sh/docs/chart_template_guide/)
    /// - [Helm: template functions and pipelines](https://helm.sh/docs/chart_template_guide/functions_and_pipelines/)
    pub struct HelmTemplateError {
        code: "PARSE010",
        name: "helm-template-error",
        family: Parse,
        severity: Error,
        security_severity: "5.0",
        summary: "A Helm chart template that does not render with the chart's values",
    }
}

impl Rule for HelmTemplateError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_parse(&self, cx: &ParseContext<'_>, out: &mut Vec<Diagnostic>) {
        cx.report(&Self::META, ParseProblemKind::Template, out);
    }
}
