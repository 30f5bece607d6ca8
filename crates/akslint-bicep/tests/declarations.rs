//! The declarations the evaluator gives with the resources: parameters, outputs and string literals of the
//! run's files, and the values `.bicepparam` files and module calls give to template parameters.

#[path = "support/declared.rs"]
mod declared;
#[path = "support/eval.rs"]
mod support;

use akslint_core::{BicepFile, Site};
use declared::{file, list, literal, output_leaks, parameter_facts, secure_parameter};
use support::*;

fn slice(file: &BicepFile, span: akslint_core::Span) -> &str {
    file.file.slice(span)
}

#[test]
fn parameters() {
    let text = "@description('Admin')\n@secure()\nparam adminPassword string\n@allowed([\n  'Enabled'\n])\nparam apiKey string = 'Enabled'\nparam settings object?\n  param count int = 3\n";
    let evaluation = one(text);
    let main = file(&evaluation, "main.bicep");
    assert_eq!(
        parameter_facts(main),
        [
            ("adminPassword", true, false, "string"),
            ("apiKey", false, true, "string"),
            ("settings", false, false, "object?"),
            ("count", false, false, "int"),
        ]
    );
    assert_eq!(slice(main, main.params[0].name_span), "adminPassword");
    // Where `@secure()` would go: the first decorator, else the keyword.
    assert_eq!(main.params[0].start.start, 0);
    assert_eq!(slice(main, main.params[3].start), "param");
    assert_eq!(
        main.params[3].start.start as usize,
        text.find("param count").unwrap()
    );
    assert!(main.params[2].holds_text() && !main.params[3].holds_text());
}

#[test]
fn what_outputs_give_away() {
    let text = "@secure()\nparam password string\nparam name string\nresource stg 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {\n  name: name\n}\nvar conn = 'AccountKey=${stg.listKeys().keys[0].value}'\nvar alias = conn\noutput a string = stg.listKeys().keys[0].value\noutput b string = listSecrets(stg.id, '2023-05-01').value\noutput c string = 'pw=${password}'\noutput d string = alias\noutput e bool = !empty(password)\noutput f bool = password == '' ? true : false\noutput g string = length(password) > 8 ? name : ''\n@secure()\noutput h string = password\noutput i string = password ?? name\n";
    let evaluation = one(text);
    let main = file(&evaluation, "main.bicep");
    let leaks = output_leaks(main);
    let secure = || secure_parameter("password");
    assert_eq!(
        leaks,
        [
            ("a", false, vec![list("listKeys")]),
            ("b", false, vec![list("listSecrets")]),
            ("c", false, vec![secure()]),
            ("d", false, vec![list("listKeys")]),
            ("e", false, vec![]),
            ("f", false, vec![]),
            ("g", false, vec![]),
            ("h", true, vec![secure()]),
            ("i", false, vec![secure()]),
        ]
    );
    // Through variables, the leak is where it is written.
    assert_eq!(slice(main, main.outputs[3].leaks[0].span), "stg.listKeys()");
    assert!(main.outputs[3].leaks[0].span.start < main.outputs[0].name_span.start);
}

#[test]
fn string_literals_with_their_sites_and_names() {
    let text = r#"@description('not a value')
param location string = 'westeurope'
var settings = {
  apiKey: 'k1'
  pairs: [
    { name: 'DB_PASSWORD', value: 'v1' }
    { name: 'WORKER', secureValue: 'v2' }
  ]
  choice: cond ? 'a1' : 'b1'
  hashed: base64('f1')
}
var cond = true
var joined = 'Server=${location};Password=p1'
var escaped = 'it\'s'
resource app 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app'
  properties: {
    siteConfig: {}
  }
  resource config 'config' = {
    name: 'appsettings'
    properties: { TOKEN: 't1' }
  }
}
module mod 'mod.bicep' = {
  name: 'm1'
  params: {
    password: 'p2'
    nested: { secret: 's2' }
  }
}
output out string = 'o1'
"#;
    let evaluation = evaluate(
        &[("main.bicep", text)],
        &[("mod.bicep", "param password string\nparam nested object\n")],
    );
    let main = file(&evaluation, "main.bicep");
    let site_key = |text: &str| {
        let l = literal(main, text);
        ((*l.site).clone(), l.key.clone())
    };
    let var = |name: &str| Site::Variable {
        name: name.to_owned(),
    };
    let some = |key: &str| Some(key.to_owned());
    assert_eq!(
        site_key("westeurope"),
        (
            Site::ParamDefault {
                param: "location".to_owned()
            },
            some("location")
        )
    );
    assert_eq!(site_key("k1"), (var("settings"), some("apiKey")));
    assert_eq!(site_key("v1"), (var("settings"), some("DB_PASSWORD")));
    assert_eq!(site_key("v2"), (var("settings"), some("WORKER")));
    assert_eq!(site_key("a1"), (var("settings"), some("choice")));
    assert_eq!(site_key("b1"), (var("settings"), some("choice")));
    assert_eq!(site_key("f1"), (var("settings"), None));
    assert_eq!(
        site_key("Server=${…};Password=p1"),
        (var("joined"), some("joined"))
    );
    assert_eq!(literal(main, "Server=${…};Password=p1").verbatim_at, None);
    assert_eq!(literal(main, "it's").verbatim_at, None);
    let plain = literal(main, "k1");
    assert_eq!(plain.verbatim_at, Some(plain.span.start as usize + 1));
    assert_eq!(
        site_key("t1"),
        (
            Site::Resource {
                name: "config".to_owned(),
                resource_type: "config".to_owned()
            },
            some("TOKEN")
        )
    );
    assert_eq!(
        site_key("app"),
        (
            Site::Resource {
                name: "app".to_owned(),
                resource_type: "Microsoft.Web/sites".to_owned()
            },
            some("name")
        )
    );
    let argument = |name: &str| Site::ModuleArgument {
        module: "mod".to_owned(),
        argument: name.to_owned(),
    };
    assert_eq!(site_key("p2"), (argument("password"), some("password")));
    assert_eq!(site_key("s2"), (argument("nested"), some("secret")));
    assert_eq!(site_key("m1"), (Site::Other, some("name")));
    assert_eq!(
        site_key("o1"),
        (
            Site::Output {
                name: "out".to_owned()
            },
            some("out")
        )
    );
    // Decorator arguments, resource types and module paths are not values.
    for text in ["not a value", "mod.bicep", "Microsoft.Web/sites@2023-01-01"] {
        assert!(main.strings.iter().all(|s| s.text != text), "{text}");
    }
    // Only the run's files have declarations.
    assert_eq!(evaluation.files.len(), 1);
}

/// A binding as (module, parameter, secure, known value, argument text).
type Binding<'e> = (Option<&'e str>, &'e str, bool, Option<&'e str>, &'e str);

#[test]
fn values_given_to_parameters() {
    let module = "@secure()\nparam adminPassword string\nparam count int\nparam label string\n";
    let main = "param unknown string\nvar pw = 'Qx7-secret'\nmodule m 'mod.bicep' = {\n  name: 'm'\n  params: {\n    ADMINPASSWORD: pw\n    count: 2\n    label: unknown\n  }\n}\n";
    let params = "using 'main.bicep'\nparam unknown = 'from-params'\n";
    let evaluation = evaluate(
        &[("main.bicep", main), ("main.bicepparam", params)],
        &[("mod.bicep", module)],
    );
    let mut bindings: Vec<Binding<'_>> = evaluation
        .bindings
        .iter()
        .map(|b| {
            (
                b.module.as_deref(),
                b.name.as_str(),
                b.secure,
                b.value.as_ref().map(|v| v.text.as_str()),
                b.argument.file.slice(b.argument.span),
            )
        })
        .collect();
    bindings.sort();
    assert_eq!(
        bindings,
        [
            (None, "unknown", false, Some("from-params"), "'from-params'"),
            (Some("m"), "adminPassword", true, Some("Qx7-secret"), "pw"),
            (Some("m"), "count", false, None, "2"),
            (Some("m"), "label", false, Some("from-params"), "unknown"),
        ]
    );
    let secure = evaluation
        .bindings
        .iter()
        .find(|b| b.secure)
        .expect("the secure parameter");
    let written = secure.value.as_ref().expect("known").written.clone();
    assert_eq!(written.file.slice(written.span), "'Qx7-secret'");
    assert_eq!(secure.parameter.file.path().to_str(), Some("mod.bicep"));
    assert_eq!(
        secure.parameter.file.slice(secure.parameter.span),
        "adminPassword"
    );
}
