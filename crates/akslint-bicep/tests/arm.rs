//! The ARM JSON evaluator (`akslint_bicep::evaluate_arm`) on small hand-written templates, and
//! against the Bicep evaluator on the conformance data's compiled templates.

#[path = "support/data.rs"]
#[allow(dead_code)]
mod data;
#[path = "support/eval.rs"]
mod support;

use std::path::PathBuf;
use std::sync::Arc;

use akslint_bicep::Evaluation;
use akslint_core::{AzureResource, SharedSource, SourceFile, SourceKind};
use support::{MemLoader, render};

const SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const PARAMS_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";

/// A JSON file (the evaluator reads ARM files by their `$schema`, whatever their kind).
fn json(path: &str, text: &str) -> SharedSource {
    Arc::new(SourceFile::new(path, SourceKind::Yaml, text))
}

/// A template with `parameters`, `variables` and `resources` (JSON texts).
fn template(parameters: &str, variables: &str, resources: &str) -> String {
    format!(
        r#"{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {parameters},
  "variables": {variables},
  "resources": {resources}
}}"#
    )
}

fn run(files: &[(&str, &str)], others: &[(&str, &str)]) -> Evaluation {
    let sources: Vec<SharedSource> = files.iter().map(|(p, t)| json(p, t)).collect();
    let mut loader = MemLoader::default();
    for (path, text) in others {
        loader.files.insert(PathBuf::from(path), json(path, text));
    }
    akslint_bicep::evaluate_arm(&sources, &loader)
}

fn one(text: &str) -> Evaluation {
    run(&[("azuredeploy.json", text)], &[])
}

fn body(resource: &AzureResource) -> String {
    render(&resource.body, resource.root)
}

fn span_text(resource: &AzureResource, node: akslint_core::NodeId) -> &str {
    resource.file.slice(resource.body.span(node))
}

fn aks(properties: &str) -> String {
    format!(
        r#"[{{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-05-01", "name": "aks", "location": "westeurope", "properties": {properties}}}]"#
    )
}

#[test]
fn plain_values_keep_their_spans() {
    let e = one(&template(
        "{}",
        "{}",
        &aks(
            r#"{"disableLocalAccounts": true, "count": 3, "nothing": null, "list": [1, "two"], "f": 1.5, "esc": "[[x]"}"#,
        ),
    ));
    assert_eq!(e.resources.len(), 1);
    let r = &e.resources[0];
    assert_eq!(
        r.resource_type,
        "Microsoft.ContainerService/managedClusters"
    );
    assert_eq!(r.api_version, "2024-05-01");
    assert_eq!(r.symbolic_name, "aks");
    assert_eq!(
        r.file.slice(r.declaration_span),
        r#""type": "Microsoft.ContainerService/managedClusters""#
    );
    assert_eq!(
        body(r),
        "{name: 'aks', location: 'westeurope', properties: {disableLocalAccounts: true, count: 3, nothing: null, list: [1, 'two'], f: ?, esc: '[x]'}}"
    );
    let node = r.property_node(&["disableLocalAccounts"]).unwrap();
    assert_eq!(span_text(r, node), "true");
    assert!(r.origins.is_empty());
    assert_eq!(
        r.bool_property(&["disableLocalAccounts"]),
        Some(akslint_core::Value::Known(true))
    );
}

#[test]
fn parameters_variables_and_expressions() {
    let text = template(
        r#"{"local": {"type": "bool", "defaultValue": false}, "prefix": {"type": "string", "defaultValue": "aks"}, "required": {"type": "string"}}"#,
        r#"{"name": "[concat(parameters('prefix'), '-', 'west')]", "settings": {"sku": "Standard", "n": "[add(1, 2)]"}, "dns": "[toLower(variables('name'))]"}"#,
        &aks(
            r#"{"disableLocalAccounts": "[parameters('local')]", "dnsPrefix": "[variables('dns')]", "sku": "[variables('settings').sku]", "n": "[variables('settings')['n']]", "req": "[parameters('required')]", "deploy": "[reference('x').id]", "rg": "[resourceGroup().location]", "cond": "[if(equals(parameters('prefix'), 'aks'), 'yes', 'no')]", "logic": "[and(true(), not(false()), or(false(), true()))]", "obj": "[createObject('a', createArray(1, 2))]", "j": "[json('{\"k\": [true]}')]", "null": "[null()]", "u": "[union(createObject('a', 1), createObject('b', 2))]", "unk": "[if(parameters('local'), 'x', 'x')]"}"#,
        ),
    );
    let e = one(&text);
    let r = &e.resources[0];
    assert_eq!(
        body(r),
        "{name: 'aks', location: 'westeurope', properties: {disableLocalAccounts: false, dnsPrefix: 'aks-west', sku: 'Standard', n: 3, req: ?, deploy: ?, rg: ?, cond: 'yes', logic: true, obj: {a: [1, 2]}, j: {k: [true]}, null: null, u: {a: 1, b: 2}, unk: 'x'}}"
    );
    // A parameter's value is placed at the expression inside the string, with its origin.
    let node = r.property_node(&["disableLocalAccounts"]).unwrap();
    assert_eq!(span_text(r, node), "parameters('local')");
    let origin = r
        .origins
        .iter()
        .find(|o| o.node == node)
        .expect("an origin");
    assert_eq!(&*origin.what, "the default of parameter `local`");
    assert_eq!(origin.location.file.slice(origin.location.span), "false");
    let sku = r.property_node(&["sku"]).unwrap();
    assert_eq!(span_text(r, sku), "variables('settings').sku");
    let origin = r.origins.iter().find(|o| o.node == sku).unwrap();
    assert_eq!(&*origin.what, "the value of variable `settings`");
    let req = r.property_node(&["req"]).unwrap();
    let origin = r.origins.iter().find(|o| o.node == req).unwrap();
    assert_eq!(
        &*origin.what,
        "parameter `required`, which has no value here"
    );
    // A computed value is written at its expression.
    let dns = r.property_node(&["dnsPrefix"]).unwrap();
    assert_eq!(span_text(r, dns), "variables('dns')");
}

#[test]
fn escaped_strings_place_values_on_the_whole_string() {
    let e = one(&template(
        r#"{"p": {"type": "string", "defaultValue": "v"}}"#,
        "{}",
        &aks(r#"{"x": "[concat(parameters('p'), '\u0041')]"}"#),
    ));
    let r = &e.resources[0];
    assert_eq!(
        body(r),
        "{name: 'aks', location: 'westeurope', properties: {x: 'vA'}}"
    );
    let node = r.property_node(&["x"]).unwrap();
    assert_eq!(
        span_text(r, node),
        r#""[concat(parameters('p'), '\u0041')]""#
    );
}

#[test]
fn parameter_files_pair_with_their_template() {
    let text = template(
        r#"{"local": {"type": "bool", "defaultValue": true}}"#,
        "{}",
        &aks(r#"{"disableLocalAccounts": "[parameters('local')]"}"#),
    );
    let params = format!(
        r#"{{"$schema": "{PARAMS_SCHEMA}", "contentVersion": "1.0.0.0", "parameters": {{"local": {{"value": false}}, "secret": {{"reference": {{}}}}}}}}"#
    );
    // In the run: the pair is one deployment, the template is not evaluated on its own.
    let e = run(
        &[
            ("t/main.json", &text),
            ("t/main.parameters.dev.json", &params),
        ],
        &[],
    );
    assert_eq!(e.resources.len(), 1);
    let r = &e.resources[0];
    let node = r.property_node(&["disableLocalAccounts"]).unwrap();
    assert_eq!(r.body.bool(node), Some(false));
    let origin = r.origins.iter().find(|o| o.node == node).unwrap();
    assert_eq!(
        &*origin.what,
        "the value of `local` in main.parameters.dev.json"
    );
    assert_eq!(origin.location.file.slice(origin.location.span), "false");
    assert_eq!(r.via.len(), 1);
    // The template read through the loader.
    let e = run(
        &[("t/main.parameters.json", &params)],
        &[("t/main.json", &text)],
    );
    assert_eq!(e.resources.len(), 1);
    // No template: a note.
    let e = run(&[("t/other.parameters.json", &params)], &[]);
    assert!(e.resources.is_empty());
    assert!(
        e.notes[0].message.contains("could not be read"),
        "{:?}",
        e.notes
    );
    // Other JSON files are ignored.
    let e = run(&[("package.json", r#"{"name": "x"}"#)], &[]);
    assert!(e.resources.is_empty() && e.notes.is_empty());
}

#[test]
fn copy_loops_condition_and_copy_index() {
    let resources = r#"[
      {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "[format('ip-{0}', copyIndex(1))]",
       "copy": {"name": "ips", "count": "[length(parameters('names'))]"},
       "condition": "[not(equals(parameters('names')[copyIndex()], 'skip'))]",
       "properties": {"label": "[parameters('names')[copyIndex('ips')]]"}},
      {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "off",
       "condition": "[equals(1, 2)]"},
      {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "unknown",
       "copy": {"name": "many", "count": "[parameters('n')]"}, "properties": {"i": "[copyIndex()]"}}
    ]"#;
    let e = one(&template(
        r#"{"names": {"type": "array", "defaultValue": ["a", "skip", "c"]}, "n": {"type": "int"}}"#,
        "{}",
        resources,
    ));
    let names: Vec<String> = e.resources.iter().map(body).collect();
    assert_eq!(
        names,
        [
            "{name: 'ip-1', properties: {label: 'a'}}",
            "{name: 'ip-3', properties: {label: 'c'}}",
            "{name: 'unknown', properties: {i: ?}}",
        ]
    );
    let first = &e.resources[0];
    let iteration = first.iteration.as_ref().unwrap();
    assert_eq!(
        (
            iteration.source.as_str(),
            iteration.indices.as_slice(),
            iteration.count
        ),
        ("ips", &[0][..], 3)
    );
    assert_eq!(
        first.file.slice(first.loop_span.unwrap()).split(':').next(),
        Some("\"copy\"")
    );
    assert!(
        first
            .file
            .slice(first.condition.unwrap())
            .starts_with("\"condition\"")
    );
    assert!(e.resources[2].iteration.is_none() && e.resources[2].loop_span.is_some());
}

#[test]
fn property_and_variable_copy() {
    let e = one(&template(
        r#"{"pools": {"type": "array", "defaultValue": [{"name": "sys"}, {"name": "user"}]}}"#,
        r#"{"copy": [{"name": "zones", "count": 2, "input": "[string(copyIndex('zones', 1))]"}]}"#,
        &aks(
            r#"{"copy": [{"name": "agentPoolProfiles", "count": "[length(parameters('pools'))]", "input": {"name": "[parameters('pools')[copyIndex('agentPoolProfiles')].name]", "zones": "[variables('zones')]"}}], "x": 1}"#,
        ),
    ));
    assert_eq!(
        body(&e.resources[0]),
        "{name: 'aks', location: 'westeurope', properties: {agentPoolProfiles: [{name: 'sys', zones: ['1', '2']}, {name: 'user', zones: ['1', '2']}], x: 1}}"
    );
}

#[test]
fn nested_resources_symbolic_names_and_deployments() {
    let nested = r#"[{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet",
        "resources": [{"type": "subnets", "apiVersion": "2023-04-01", "name": "snet", "properties": {"p": 1}}]}]"#;
    let e = one(&template("{}", "{}", nested));
    assert_eq!(e.resources.len(), 2);
    let child = &e.resources[1];
    assert_eq!(
        child.resource_type,
        "Microsoft.Network/virtualNetworks/subnets"
    );
    assert_eq!(child.parent.as_deref(), Some("vnet"));
    // languageVersion 2.0: resources by symbolic name, `existing`.
    let v2 = format!(
        r#"{{"$schema": "{SCHEMA}", "languageVersion": "2.0", "contentVersion": "1.0.0.0",
        "resources": {{"cluster": {{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-05-01", "name": "aks", "properties": {{}}}},
                       "old": {{"existing": true, "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "vnet"}}}}}}"#
    );
    let e = one(&v2);
    let names: Vec<(&str, bool)> = e
        .resources
        .iter()
        .map(|r| (r.symbolic_name.as_str(), r.existing))
        .collect();
    assert_eq!(names, [("cluster", false), ("old", true)]);
    // An inline deployment (scope inner) is a module call.
    let inner = template(
        r#"{"local": {"type": "bool", "defaultValue": true}}"#,
        "{}",
        &aks(r#"{"disableLocalAccounts": "[parameters('local')]"}"#),
    );
    let outer = template(
        "{}",
        "{}",
        &format!(
            r#"[{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "mod",
              "properties": {{"expressionEvaluationOptions": {{"scope": "inner"}}, "mode": "Incremental",
                "parameters": {{"local": {{"value": "[equals(1, 2)]"}}}}, "template": {inner}}}}}]"#
        ),
    );
    let e = one(&outer);
    assert_eq!(
        e.resources.len(),
        1,
        "{:?}",
        e.resources
            .iter()
            .map(|r| &r.resource_type)
            .collect::<Vec<_>>()
    );
    let r = &e.resources[0];
    let node = r.property_node(&["disableLocalAccounts"]).unwrap();
    assert_eq!(r.body.bool(node), Some(false));
    assert_eq!(r.via.len(), 1);
    assert_eq!(
        r.file.slice(r.via[0].span),
        r#""type": "Microsoft.Resources/deployments""#
    );
    let origin = r.origins.iter().find(|o| o.node == node).unwrap();
    assert_eq!(
        &*origin.what,
        "argument `local` of deployment `mod` in azuredeploy.json"
    );
}

#[test]
fn hostile_templates_stay_bounded() {
    // Variables that refer to each other, deep nesting, doubling, huge counts.
    let mut vars = String::from(r#"{"a": "[variables('b')]", "b": "[variables('a')]", "d0": "x""#);
    for i in 1..60 {
        vars.push_str(&format!(
            r#", "d{i}": "[concat(variables('d{}'), variables('d{}'))]""#,
            i - 1,
            i - 1
        ));
    }
    vars.push('}');
    let deep = format!("{}1{}", "[".repeat(250), "]".repeat(250));
    let e = one(&template(
        "{}",
        &vars,
        &aks(&format!(
            r#"{{"a": "[variables('a')]", "big": "[variables('d59')]", "deep": {deep}, "n": "[range(0, 100000)]"}}"#
        )),
    ));
    assert_eq!(e.resources.len(), 1);
    let r = &e.resources[0];
    assert!(r.body.is_unknown(r.property_node(&["a"]).unwrap()));
    assert!(r.body.is_unknown(r.property_node(&["big"]).unwrap()));
    let loops = template(
        "{}",
        "{}",
        r#"[{"type": "A/b", "apiVersion": "1", "name": "x", "copy": {"name": "c", "count": 100000}}]"#,
    );
    let e = one(&loops);
    assert_eq!(e.resources.len(), 1);
    assert!(
        e.notes
            .iter()
            .any(|n| n.message.contains("more than the 800"))
    );
    // Nested deployments inside nested deployments, deeper than the module depth.
    let mut inner = template(
        "{}",
        "{}",
        r#"[{"type": "A/b", "apiVersion": "1", "name": "leaf"}]"#,
    );
    for _ in 0..40 {
        inner = template(
            "{}",
            "{}",
            &format!(
                r#"[{{"type": "Microsoft.Resources/deployments", "apiVersion": "1", "name": "d", "properties": {{"template": {inner}}}}}]"#
            ),
        );
    }
    let e = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || one(&inner))
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(e.notes.iter().any(|n| n.message.contains("nested deeper")));
}

/// Figures of the comparison of the Bicep and ARM evaluations of the same samples.
#[derive(Debug, Default)]
struct Figures {
    samples: usize,
    bicep_resources: usize,
    arm_resources: usize,
    /// Resources paired by type and API version (in order within each).
    matched: usize,
    /// Samples whose deployed resources have the same types, versions and counts.
    same_resources: usize,
    /// Known scalar leaves of the Bicep bodies of paired resources.
    bicep_known: usize,
    /// ... the ARM body has the same value at the same key path.
    equal: usize,
    /// ... the ARM body has another known value there.
    different: usize,
    /// ... the ARM body has an unknown there (or above it).
    arm_unknown: usize,
}

/// The known scalar leaves of a body, by key path (keys lowercased, `[i]` for items).
fn leaves(
    tree: &akslint_core::Tree,
    node: akslint_core::NodeId,
    path: String,
    out: &mut Vec<(String, String)>,
    depth: usize,
) {
    use akslint_core::NodeKind;
    if depth > 64 {
        return;
    }
    match &tree.node(node).kind {
        NodeKind::Scalar(s) => out.push((path, s.text.to_string())),
        NodeKind::Sequence(items) => {
            for (i, &item) in items.iter().enumerate() {
                leaves(tree, item, format!("{path}[{i}]"), out, depth + 1);
            }
        }
        NodeKind::Mapping(entries) => {
            for entry in entries {
                if let Some(key) = tree.str(entry.key) {
                    leaves(
                        tree,
                        entry.value,
                        format!("{path}.{}", key.to_ascii_lowercase()),
                        out,
                        depth + 1,
                    );
                }
            }
        }
        _ => {}
    }
}

/// What the ARM body holds at a key path: `Some(Some(text))` a scalar, `Some(None)` an unknown
/// on the way, `None` nothing.
fn at_path(
    tree: &akslint_core::Tree,
    root: akslint_core::NodeId,
    path: &str,
) -> Option<Option<String>> {
    let mut node = root;
    let mut rest = path;
    while !rest.is_empty() {
        if tree.is_unknown(node) {
            return Some(None);
        }
        if let Some(after) = rest.strip_prefix('[') {
            let (index, tail) = after.split_once(']')?;
            node = *tree.items(node).get(index.parse::<usize>().ok()?)?;
            rest = tail;
        } else {
            let after = rest.strip_prefix('.')?;
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let key = &after[..end];
            let entries = tree.entries(node);
            match entries
                .iter()
                .find(|e| tree.str(e.key).is_some_and(|k| k.eq_ignore_ascii_case(key)))
            {
                Some(entry) => node = entry.value,
                None if entries.iter().any(|e| tree.is_unknown(e.key)) => return Some(None),
                None => return None,
            }
            rest = &after[end..];
        }
    }
    if tree.is_unknown(node) {
        return Some(None);
    }
    tree.scalar(node).map(|s| Some(s.text.to_string()))
}

fn deployed(evaluation: &Evaluation) -> Vec<&AzureResource> {
    evaluation
        .resources
        .iter()
        .filter(|r| !r.existing)
        .collect()
}

fn compare(bicep: &Evaluation, arm: &Evaluation, figures: &mut Figures) {
    let (b, a) = (deployed(bicep), deployed(arm));
    figures.bicep_resources += b.len();
    figures.arm_resources += a.len();
    let key = |r: &AzureResource| {
        (
            r.resource_type.to_ascii_lowercase(),
            r.api_version.to_ascii_lowercase(),
        )
    };
    let mut b_keys: Vec<_> = b.iter().map(|r| key(r)).collect();
    let mut a_keys: Vec<_> = a.iter().map(|r| key(r)).collect();
    b_keys.sort();
    a_keys.sort();
    if b_keys == a_keys {
        figures.same_resources += 1;
    }
    // Pairs: the same type, version and known `name` first, then the same type and version,
    // in order (module instances are not in the same order in both).
    let name = |r: &AzureResource| {
        r.get(&["name"])
            .and_then(|n| r.body.str(n))
            .map(str::to_owned)
    };
    let mut used = vec![false; a.len()];
    let mut pairs: Vec<(&AzureResource, usize)> = Vec::new();
    let mut unpaired = Vec::new();
    for resource in &b {
        let same_name = (0..a.len()).find(|&i| {
            !used[i]
                && key(a[i]) == key(resource)
                && name(resource).is_some()
                && name(a[i]) == name(resource)
        });
        match same_name {
            Some(i) => {
                used[i] = true;
                pairs.push((resource, i));
            }
            None => unpaired.push(*resource),
        }
    }
    for resource in unpaired {
        if let Some(i) = (0..a.len()).find(|&i| !used[i] && key(a[i]) == key(resource)) {
            used[i] = true;
            pairs.push((resource, i));
        }
    }
    for (resource, position) in pairs {
        figures.matched += 1;
        let other = a[position];
        let mut known = Vec::new();
        leaves(&resource.body, resource.root, String::new(), &mut known, 0);
        for (path, text) in known {
            figures.bicep_known += 1;
            match at_path(&other.body, other.root, &path) {
                Some(Some(found)) if found == text => figures.equal += 1,
                Some(Some(found)) => {
                    if std::env::var_os("AKSLINT_ARM_DIFF").is_some() {
                        eprintln!(
                            "DIFF {} {path}: bicep {text:?} arm {found:?}",
                            resource.file.path().display()
                        );
                    }
                    figures.different += 1
                }
                Some(None) => {
                    if std::env::var_os("AKSLINT_ARM_DIFF").is_some() {
                        eprintln!(
                            "UNKNOWN {} {path}: bicep {text:?}",
                            resource.file.path().display()
                        );
                    }
                    figures.arm_unknown += 1
                }
                None => {}
            }
        }
    }
}

/// Every sample of the conformance data with a `main.bicep` and the `main.json` the Bicep CLI
/// compiled from it: both evaluated, the resources and their known values compared.
#[test]
fn conformance_bicep_and_compiled_json_agree() {
    let Some(dir) = data::conformance_dir("conformance_bicep_and_compiled_json_agree") else {
        return;
    };
    let samples = data::compiled_samples(&dir);
    let mut figures = Figures::default();
    let mut panics = Vec::new();
    for sample in &samples {
        let bicep_path = sample.join("main.bicep");
        let json_path = sample.join("main.json");
        let bicep_text = data::read(&bicep_path);
        let json_text = data::read(&json_path);
        let result = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let loader = akslint_core::DiskLoader::default();
                let bicep = akslint_bicep::evaluate_texts(
                    &[Arc::new(SourceFile::new(
                        bicep_path,
                        SourceKind::Bicep,
                        bicep_text,
                    ))],
                    &loader,
                );
                let arm = akslint_bicep::evaluate_arm(
                    &[json(json_path.to_str().unwrap_or_default(), &json_text)],
                    &loader,
                );
                (bicep, arm)
            })
            .expect("a thread")
            .join();
        match result {
            Ok((bicep, arm)) => {
                figures.samples += 1;
                compare(&bicep, &arm, &mut figures);
            }
            Err(_) => panics.push(sample.display().to_string()),
        }
    }
    eprintln!("{figures:#?}");
    assert!(panics.is_empty(), "panicked on {panics:?}");
    // Figures reached when this test was written (docs/bicep-evaluator.md): they may grow.
    assert!(figures.samples >= 185, "{figures:?}");
    assert!(figures.matched >= 812, "{figures:?}");
    assert!(figures.same_resources >= 177, "{figures:?}");
    assert!(figures.equal >= 4_053, "{figures:?}");
}

#[test]
fn user_defined_functions_are_called_with_their_arguments() {
    let text = format!(
        r#"{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "functions": [
    {{
      "namespace": "contoso",
      "members": {{
        "apiProfile": {{
          "parameters": [{{ "name": "isPrivate", "type": "bool" }}],
          "output": {{
            "type": "object",
            "value": {{ "enablePrivateCluster": "[parameters('isPrivate')]", "tag": "[if(parameters('IsPrivate'), 'p-yes', 'p-no')]" }}
          }}
        }},
        "clusterName": {{
          "parameters": [{{ "name": "env", "type": "string" }}],
          "output": {{ "type": "string", "value": "[format('aks-{{0}}', toLower(parameters('env')))]" }}
        }}
      }}
    }}
  ],
  "parameters": {{ "env": {{ "type": "string", "defaultValue": "PROD" }}, "isPrivate": {{ "type": "bool", "defaultValue": true }} }},
  "resources": [
    {{
      "type": "Microsoft.ContainerService/managedClusters",
      "apiVersion": "2024-05-01",
      "name": "[Contoso.clusterName(parameters('env'))]",
      "location": "westeurope",
      "properties": {{
        "apiServerAccessProfile": "[contoso.apiProfile(false())]",
        "unknownFunction": "[contoso.missing(1)]",
        "wrongArity": "[contoso.clusterName()]"
      }}
    }}
  ]
}}"#
    );
    let e = one(&text);
    let r = &e.resources[0];
    assert_eq!(r.symbolic_name, "aks-prod");
    assert_eq!(
        body(r),
        "{name: 'aks-prod', location: 'westeurope', properties: {apiServerAccessProfile: {enablePrivateCluster: false, tag: 'p-no'}, unknownFunction: ?, wrongArity: ?}}"
    );
    // The value is placed at the call that passes it.
    let node = r
        .property_node(&["apiServerAccessProfile", "enablePrivateCluster"])
        .unwrap();
    assert_eq!(span_text(r, node), "contoso.apiProfile(false())");
}

#[test]
fn linked_templates_beside_the_template_are_deployed_with_their_parameters() {
    let deployment = |name: &str, link: &str| {
        format!(
            r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "{name}",
  "properties": {{"mode": "Incremental", "templateLink": {link},
    "parameters": {{"clusterName": {{"value": "[format('aks-{{0}}', '{name}')]"}}, "isPrivate": {{"value": false}}}}}}}}"#
        )
    };
    let main = template(
        "{}",
        "{}",
        &format!(
            "[{}, {}, {}, {}]",
            deployment("relative", r#"{"relativePath": "nested/aks.json"}"#),
            deployment(
                "uri",
                r#"{"uri": "[uri(deployment().properties.templateLink.uri, 'nested/aks.json')]", "contentVersion": "1.0.0.0"}"#
            ),
            deployment("missing", r#"{"relativePath": "nested/none.json"}"#),
            deployment("remote", r#"{"uri": "https://example.invalid/aks.json"}"#),
        ),
    );
    let nested = template(
        r#"{"clusterName": {"type": "string"}, "isPrivate": {"type": "bool", "defaultValue": true}}"#,
        "{}",
        r#"[{"type": "Microsoft.ContainerService/managedClusters", "apiVersion": "2024-05-01", "name": "[parameters('clusterName')]", "location": "westeurope",
  "properties": {"apiServerAccessProfile": {"enablePrivateCluster": "[parameters('isPrivate')]"}}}]"#,
    );
    let sources = vec![json("main.json", &main), json("nested/aks.json", &nested)];
    let mut loader = MemLoader::default();
    loader
        .texts
        .insert(PathBuf::from("nested/aks.json"), nested.clone());
    let e = akslint_bicep::evaluate_arm(&sources, &loader);
    // Two deployments of the linked template; the linked file is not evaluated on its own; the
    // deployments whose template is not read stay plain resources.
    let names: Vec<&str> = e
        .resources
        .iter()
        .map(|r| r.symbolic_name.as_str())
        .collect();
    assert_eq!(names, ["missing", "remote", "aks-relative", "aks-uri"]);
    for r in &e.resources[2..] {
        assert_eq!(r.file.path(), std::path::Path::new("nested/aks.json"));
        assert_eq!(r.via.len(), 1);
        let node = r
            .property_node(&["apiServerAccessProfile", "enablePrivateCluster"])
            .unwrap();
        assert_eq!(r.body.bool(node), Some(false));
        // The argument in main.json decides.
        assert_eq!(
            r.locate(node).0.file.path(),
            std::path::Path::new("main.json")
        );
    }
    let notes: Vec<&str> = e.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].contains("`missing`") && notes[0].contains("nested/none.json could not be read"),
        "{notes:?}"
    );
    assert!(
        notes[1].contains("`remote`") && notes[1].contains("URI known only at deployment"),
        "{notes:?}"
    );
}
