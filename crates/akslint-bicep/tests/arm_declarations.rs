//! The declarations the ARM JSON evaluation gives with its resources: parameters, outputs (with
//! what they give away) and string literals of templates and parameter files, and the values
//! parameter files and nested deployments give to template parameters.

#[path = "support/declared.rs"]
mod declared;
#[path = "support/eval.rs"]
mod support;

use std::sync::Arc;

use akslint_bicep::Evaluation;
use akslint_core::{BicepFile, Site, SourceFile, SourceKind};
use declared::{file, list, literal, output_leaks, parameter_facts, secure_parameter};
use support::MemLoader;

/// Evaluates ARM files given as (path, text), all in the run.
fn arm(files: &[(&str, &str)]) -> Evaluation {
    let sources: Vec<_> = files
        .iter()
        .map(|(path, text)| Arc::new(SourceFile::new(*path, SourceKind::ArmTemplate, *text)))
        .collect();
    akslint_bicep::evaluate_arm(&sources, &MemLoader::default())
}

/// A literal's site, key and text as the file holds it at its span.
fn placed<'f>(file: &'f BicepFile, text: &str) -> (Site, Option<&'f str>, &'f str) {
    let found = literal(file, text);
    (
        (*found.site).clone(),
        found.key.as_deref(),
        file.file.slice(found.span),
    )
}

const TEMPLATE_HEAD: &str = r#""$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0""#;

#[test]
fn parameters_and_outputs() {
    let text = format!(
        r#"{{
  {TEMPLATE_HEAD},
  "parameters": {{
    "adminPassword": {{ "type": "secureString" }},
    "settings": {{ "type": "SecureObject" }},
    "apiKey": {{ "type": "string", "allowedValues": ["Enabled", "Disabled"], "defaultValue": "Enabled" }},
    "count": {{ "type": "int", "defaultValue": 3 }},
    "storageName": {{ "type": "string" }}
  }},
  "variables": {{
    "id": "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageName'))]",
    "connection": "[concat('AccountKey=', listKeys(variables('id'), '2023-05-01').keys[0].value)]",
    "alias": "[variables('connection')]"
  }},
  "resources": [],
  "outputs": {{
    "a": {{ "type": "string", "value": "[listKeys(variables('id'), '2023-05-01').keys[0].value]" }},
    "b": {{ "type": "string", "value": "[variables('alias')]" }},
    "c": {{ "type": "string", "value": "[format('pw={{0}}', parameters('adminPassword'))]" }},
    "d": {{ "type": "bool", "value": "[not(empty(parameters('adminPassword')))]" }},
    "e": {{ "type": "bool", "value": "[equals(parameters('adminPassword'), '')]" }},
    "f": {{ "type": "string", "value": "[if(empty(parameters('adminPassword')), 'none', parameters('storageName'))]" }},
    "g": {{ "type": "securestring", "value": "[parameters('adminPassword')]" }},
    "h": {{ "type": "object", "value": {{ "key": "[listCredentials(variables('id'), '2023-05-01')]" }} }},
    "i": {{ "type": "string", "value": "[parameters('storageName')]" }}
  }}
}}"#
    );
    let evaluation = arm(&[("azuredeploy.json", &text)]);
    let main = file(&evaluation, "azuredeploy.json");
    assert_eq!(
        parameter_facts(main),
        [
            ("adminPassword", true, false, "string"),
            ("settings", true, false, "object"),
            ("apiKey", false, true, "string"),
            ("count", false, false, "int"),
            ("storageName", false, false, "string"),
        ]
    );
    // The name without its quotes.
    assert_eq!(main.file.slice(main.params[0].name_span), "adminPassword");
    assert!(main.params[1].holds_text() && !main.params[3].holds_text());

    let leaks = output_leaks(main);
    let secure = || secure_parameter("adminPassword");
    assert_eq!(
        leaks,
        [
            ("a", false, vec![list("listKeys")]),
            ("b", false, vec![list("listKeys")]),
            ("c", false, vec![secure()]),
            ("d", false, vec![]),
            ("e", false, vec![]),
            ("f", false, vec![]),
            ("g", true, vec![secure()]),
            ("h", false, vec![list("listCredentials")]),
            ("i", false, vec![]),
        ]
    );
    // A leak through variables is placed where the call is written, exactly.
    let through_alias = &main.outputs[1].leaks[0];
    assert!(
        main.file
            .slice(through_alias.span)
            .starts_with("listKeys(variables('id')")
    );
    assert_eq!(main.outputs[6].declared_type, "string");
    assert_eq!(
        main.outputs[8].value_reference.as_deref(),
        Some("storageName")
    );
    assert_eq!(main.outputs[0].value_reference, None);
}

#[test]
fn string_literals_with_their_sites_and_keys() {
    let text = format!(
        r#"{{
  {TEMPLATE_HEAD},
  "parameters": {{
    "adminPassword": {{ "type": "securestring", "defaultValue": "pw-default", "metadata": {{ "description": "not a value" }} }},
    "suffix": {{ "type": "string", "defaultValue": "[concat('lit-arg', parameters('adminPassword'))]" }}
  }},
  "variables": {{
    "plain": "var-value",
    "settings": {{ "nested": "nested-value", "list": ["item-value"] }},
    "escaped": "esc\u0061ped",
    "bracket": "[[bracketed",
    "copy": [{{ "name": "loopVar", "count": 2, "input": "loop-value" }}]
  }},
  "resources": [
    {{
      "type": "Microsoft.Sql/servers",
      "apiVersion": "2023-08-01-preview",
      "name": "sql-orders",
      "dependsOn": ["not-a-value"],
      "properties": {{
        "administratorLoginPassword": "resource-value",
        "settings": [{{ "name": "DB_PASSWORD", "value": "pair-value" }}]
      }},
      "resources": [
        {{ "type": "databases", "apiVersion": "2023-08-01-preview", "name": "orders", "tags": {{ "owner": "child-value" }} }}
      ]
    }},
    {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "inner",
      "properties": {{
        "mode": "Incremental",
        "expressionEvaluationOptions": {{ "scope": "inner" }},
        "parameters": {{ "innerPassword": {{ "value": "argument-value" }} }},
        "template": {{
          {TEMPLATE_HEAD},
          "parameters": {{ "innerPassword": {{ "type": "securestring", "defaultValue": "inner-default" }} }},
          "resources": []
        }}
      }}
    }}
  ],
  "outputs": {{ "out": {{ "type": "string", "value": "output-value" }} }}
}}"#
    );
    let evaluation = arm(&[("azuredeploy.json", &text)]);
    let main = file(&evaluation, "azuredeploy.json");
    let default = |param: &str| Site::ParamDefault {
        param: param.to_owned(),
    };
    let variable = |name: &str| Site::Variable {
        name: name.to_owned(),
    };
    let sql = Site::Resource {
        name: "sql-orders".to_owned(),
        resource_type: "Microsoft.Sql/servers".to_owned(),
    };
    assert_eq!(
        placed(main, "pw-default"),
        (
            default("adminPassword"),
            Some("adminPassword"),
            "\"pw-default\""
        )
    );
    // A string literal inside an expression is an argument: no key, placed exactly; the name
    // given to `parameters()` is a reference, not a literal.
    assert_eq!(
        placed(main, "lit-arg"),
        (default("suffix"), None, "'lit-arg'")
    );
    let argument = literal(main, "lit-arg");
    let at = argument.verbatim_at.expect("held verbatim");
    assert_eq!(&text[at..at + "lit-arg".len()], "lit-arg");
    assert!(main.strings.iter().all(|s| s.text != "adminPassword"));
    assert_eq!(
        placed(main, "var-value"),
        (variable("plain"), Some("plain"), "\"var-value\"")
    );
    assert_eq!(placed(main, "nested-value").1, Some("nested"));
    assert_eq!(placed(main, "item-value").1, Some("list"));
    assert_eq!(
        placed(main, "loop-value"),
        (variable("loopVar"), Some("loopVar"), "\"loop-value\"")
    );
    // Escapes: the text is decoded and not held verbatim; `[[` starts the text one byte in.
    assert_eq!(literal(main, "escaped").verbatim_at, None);
    let bracket = literal(main, "[bracketed");
    let at = bracket.verbatim_at.expect("held verbatim after the escape");
    assert_eq!(&text[at..at + "[bracketed".len()], "[bracketed");
    assert_eq!(
        placed(main, "resource-value"),
        (
            sql.clone(),
            Some("administratorLoginPassword"),
            "\"resource-value\""
        )
    );
    assert_eq!(placed(main, "pair-value").1, Some("DB_PASSWORD"));
    assert_eq!(
        placed(main, "child-value").0,
        Site::Resource {
            name: "orders".to_owned(),
            resource_type: "Microsoft.Sql/servers/databases".to_owned(),
        }
    );
    assert_eq!(
        placed(main, "argument-value"),
        (
            Site::ModuleArgument {
                module: "inner".to_owned(),
                argument: "innerPassword".to_owned(),
            },
            Some("innerPassword"),
            "\"argument-value\""
        )
    );
    // The inline template's declarations are the file's too.
    assert_eq!(placed(main, "inner-default").0, default("innerPassword"));
    assert!(
        main.params
            .iter()
            .any(|p| p.name == "innerPassword" && p.secure)
    );
    assert_eq!(
        placed(main, "output-value"),
        (
            Site::Output {
                name: "out".to_owned()
            },
            Some("out"),
            "\"output-value\""
        )
    );
    // Resource types, API versions, dependencies, descriptions and the schema are not values.
    for text in [
        "not a value",
        "not-a-value",
        "Microsoft.Sql/servers",
        "2023-08-01-preview",
        "1.0.0.0",
    ] {
        assert!(main.strings.iter().all(|s| s.text != text), "{text}");
    }
}

/// A binding as (module, parameter, secure, enumerated, known value, where the value is written).
type Binding<'e> = (
    Option<&'e str>,
    &'e str,
    bool,
    bool,
    Option<&'e str>,
    &'e str,
);

#[test]
fn parameter_files_and_nested_deployments_bind_values() {
    let template = format!(
        r#"{{
  {TEMPLATE_HEAD},
  "parameters": {{
    "adminPassword": {{ "type": "securestring" }},
    "mode": {{ "type": "string", "allowedValues": ["a", "b"] }},
    "fromVault": {{ "type": "securestring" }}
  }},
  "resources": [
    {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "inner",
      "properties": {{
        "expressionEvaluationOptions": {{ "scope": "inner" }},
        "parameters": {{ "innerPassword": {{ "value": "[parameters('adminPassword')]" }} }},
        "template": {{
          {TEMPLATE_HEAD},
          "parameters": {{ "innerPassword": {{ "type": "securestring" }} }},
          "resources": []
        }}
      }}
    }}
  ]
}}"#
    );
    let parameters = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "parameters": {
    "ADMINPASSWORD": { "value": "from-file" },
    "mode": { "value": "a" },
    "fromVault": { "reference": { "keyVault": { "id": "/subscriptions/x/vault" }, "secretName": "pw" } }
  }
}"#;
    let evaluation = arm(&[
        ("azuredeploy.json", &template),
        ("azuredeploy.parameters.json", parameters),
    ]);
    let mut bindings: Vec<Binding<'_>> = evaluation
        .bindings
        .iter()
        .map(|b| {
            (
                b.module.as_deref(),
                b.name.as_str(),
                b.secure,
                b.enumerated,
                b.value.as_ref().map(|v| v.text.as_str()),
                b.value
                    .as_ref()
                    .map_or("", |v| v.written.file.slice(v.written.span)),
            )
        })
        .collect();
    bindings.sort();
    assert_eq!(
        bindings,
        [
            (
                None,
                "adminPassword",
                true,
                false,
                Some("from-file"),
                "\"from-file\""
            ),
            (None, "fromVault", true, false, None, ""),
            (None, "mode", false, true, Some("a"), "\"a\""),
            (
                Some("inner"),
                "innerPassword",
                true,
                false,
                Some("from-file"),
                "\"from-file\""
            ),
        ]
    );
    let bound = evaluation
        .bindings
        .iter()
        .find(|b| b.name == "adminPassword")
        .expect("bound");
    assert_eq!(
        bound.parameter.file.path().to_str(),
        Some("azuredeploy.json")
    );
    assert_eq!(
        bound.parameter.file.slice(bound.parameter.span),
        "adminPassword"
    );

    let file = file(&evaluation, "azuredeploy.parameters.json");
    assert!(file.params.is_empty() && file.outputs.is_empty());
    assert_eq!(
        placed(file, "from-file"),
        (
            Site::ParamFile {
                name: "ADMINPASSWORD".to_owned()
            },
            Some("ADMINPASSWORD"),
            "\"from-file\""
        )
    );
    // A Key Vault reference's strings are walked with their keys.
    assert_eq!(placed(file, "pw").1, Some("secretName"));
    assert_eq!(placed(file, "/subscriptions/x/vault").1, Some("id"));
}
