//! The Bicep evaluator on small hand-written files (inline, and the fixture project in `tests/eval-fixtures`).

#[path = "support/eval.rs"]
mod support;

use std::path::{Path, PathBuf};

use akslint_core::{DiskLoader, ScalarType, SharedSource};
use support::*;

const AKS: &str = "Microsoft.ContainerService/managedClusters@2024-05-01";

/// A template with one AKS resource whose body is `body`, after `prelude`.
fn cluster(prelude: &str, body: &str) -> String {
    format!("{prelude}\nresource aks '{AKS}' = {body}\n")
}

#[test]
fn literals_and_nesting() {
    let e = one(r#"
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'aks'
  location: 'westeurope'
  'quoted-key': 1
  properties: {
    disableLocalAccounts: true
    count: 3
    neg: -2
    nothing: null
    text: 'it\'s\n\u{41}'
    list: [1, 'two', false]
    nested: { deep: { deeper: 'x' } }
    multi: '''
line
'''
  }
}
"#);
    assert_eq!(e.resources.len(), 1);
    let aks = named(&e, "aks");
    assert_eq!(
        aks.resource_type,
        "Microsoft.ContainerService/managedClusters"
    );
    assert_eq!(aks.api_version, "2024-05-01");
    assert!(aks.is_type("microsoft.containerservice/MANAGEDCLUSTERS"));
    assert_eq!(
        aks.file.slice(aks.declaration_span),
        "resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01'"
    );
    assert!(
        !aks.existing && aks.condition.is_none() && aks.loop_span.is_none() && aks.parent.is_none()
    );
    assert!(aks.via.is_empty());
    assert_eq!(
        body(aks),
        "{name: 'aks', location: 'westeurope', quoted-key: 1, properties: {disableLocalAccounts: true, count: 3, \
         neg: -2, nothing: null, text: 'it's\nA', list: [1, 'two', false], nested: {deep: {deeper: 'x'}}, \
         multi: 'line\n'}}"
    );
    assert_eq!(
        aks.bool_property(&["disableLocalAccounts"]),
        Some(akslint_core::Value::Known(true))
    );
    let tree = &aks.body;
    let scalar_type = |path: &[&str]| tree.scalar(aks.property_node(path).unwrap()).unwrap().ty;
    assert_eq!(scalar_type(&["count"]), ScalarType::Int);
    assert_eq!(scalar_type(&["neg"]), ScalarType::Int);
    assert_eq!(scalar_type(&["nothing"]), ScalarType::Null);
    assert_eq!(scalar_type(&["disableLocalAccounts"]), ScalarType::Bool);
    assert_eq!(scalar_type(&["text"]), ScalarType::String);
    assert_eq!(scalar_type(&["multi"]), ScalarType::String);
    // Spans are the expressions as written; keys are their own nodes.
    let node = aks.property_node(&["disableLocalAccounts"]).unwrap();
    assert_eq!(span_text(aks, node), "true");
    let properties = aks.get(&["properties"]).unwrap();
    let entry = tree.entry(properties, "disableLocalAccounts").unwrap();
    assert_eq!(span_text(aks, entry.key), "disableLocalAccounts");
    assert_eq!(
        span_text(aks, aks.property_node(&["list"]).unwrap()),
        "[1, 'two', false]"
    );
    assert!(span_text(aks, aks.root).starts_with('{'));
    assert!(aks.origins.is_empty(), "{:?}", aks.origins);
    assert_eq!(
        aks.subject(Some(node)).path,
        "properties.disableLocalAccounts"
    );
}

#[test]
fn variables_and_parameter_defaults() {
    let text = cluster(
        "param disableLocal bool = true\nparam noDefault bool\nparam where string = resourceGroup().location\n\
         param viaOther string = toUpper(name)\nparam name string = 'aks'\nvar local = disableLocal\n\
         var settings = {\n  sku: 'Standard'\n  flags: [true, false]\n}\nvar a = b\nvar b = a\nvar self = self",
        "{\n  name: name\n  location: where\n  properties: {\n    disableLocalAccounts: disableLocal\n    \
         viaVar: local\n    noDefault: noDefault\n    upper: viaOther\n    settings: settings\n    \
         sku: settings.sku\n    cycle: a\n    self: self\n    unknownName: nowhere\n  }\n}",
    );
    let e = one(&text);
    let aks = named(&e, "aks");
    assert_eq!(
        body(aks),
        "{name: 'aks', location: ?, properties: {disableLocalAccounts: true, viaVar: true, noDefault: ?, \
         upper: 'AKS', settings: {sku: 'Standard', flags: [true, false]}, sku: 'Standard', cycle: ?, self: ?, \
         unknownName: ?}}"
    );
    // The node keeps the referring expression as its span; the origin points at the literal.
    let node = aks.property_node(&["disableLocalAccounts"]).unwrap();
    assert_eq!(span_text(aks, node), "disableLocal");
    assert_eq!(
        origin(aks, &["properties", "disableLocalAccounts"]),
        Some((
            "main.bicep".into(),
            "true".into(),
            "the default of parameter `disableLocal`".into()
        ))
    );
    assert_eq!(
        origin(aks, &["properties", "viaVar"]),
        Some((
            "main.bicep".into(),
            "true".into(),
            "the default of parameter `disableLocal`".into()
        ))
    );
    assert_eq!(
        origin(aks, &["location"]),
        Some((
            "main.bicep".into(),
            "resourceGroup().location".into(),
            "the default of parameter `where`".into()
        ))
    );
    assert_eq!(
        origin(aks, &["properties", "noDefault"]),
        Some((
            "main.bicep".into(),
            "noDefault".into(),
            "parameter `noDefault`, which has no value here".into()
        ))
    );
    assert_eq!(
        origin(aks, &["properties", "upper"]),
        Some((
            "main.bicep".into(),
            "toUpper(name)".into(),
            "the default of parameter `viaOther`".into()
        ))
    );
    // Every node of a materialised subtree has the referring span and its own origin.
    let flags = aks.property_node(&["settings", "flags"]).unwrap();
    let first = aks.body.items(flags)[0];
    assert_eq!(span_text(aks, first), "settings");
    assert_eq!(
        aks.origin(first)
            .map(|o| o.location.file.slice(o.location.span)),
        Some("true")
    );
    assert_eq!(
        aks.origin(first).map(|o| o.what.as_str()),
        Some("the value of variable `settings`")
    );
    assert_eq!(
        origin(aks, &["properties", "settings"]).map(|o| o.1.starts_with('{')),
        Some(true)
    );
    let settings = aks.property_node(&["settings"]).unwrap();
    let key = aks.body.entry(settings, "sku").unwrap().key;
    assert_eq!(
        aks.origin(key)
            .map(|o| o.location.file.slice(o.location.span)),
        Some("sku")
    );
    assert!(aks.is_unknown(aks.property_node(&["cycle"]).unwrap()));
    assert!(aks.is_unknown(aks.property_node(&["self"]).unwrap()));
    assert_eq!(
        span_text(aks, aks.property_node(&["unknownName"]).unwrap()),
        "nowhere"
    );
    assert!(
        aks.origin(aks.property_node(&["unknownName"]).unwrap())
            .is_none()
    );
}

#[test]
fn spread_and_union() {
    let text = cluster(
        "param extra object\nvar base = {\n  a: 1\n  nested: { x: 1, y: 2 }\n}",
        "{\n  properties: {\n    spread: { ...base, b: 2 }\n    override: { ...base, a: 3 }\n    \
         union: union(base, { nested: { y: 3, z: 4 } }, { c: 5 })\n    arrays: union([1, 2], [2, 3])\n    \
         concat: concat([1], [2, 3])\n    openSpread: { a: 1, ...extra, b: 2 }\n    \
         openUnion: union({ a: 1 }, extra)\n    unknownFirst: union(extra, { a: 1 })\n    \
         nullSpread: { ...null, a: 1 }\n    arraySpread: [0, ...[1, 2]]\n    unknownArraySpread: [0, ...extra]\n    \
         key: { '${'in'}terpolated': 1, '${extra.name}': 2 }\n  }\n}",
    );
    let e = one(&text);
    let aks = named(&e, "aks");
    let p = |key: &str| at(aks, &["properties", key]);
    assert_eq!(p("spread"), "{a: 1, nested: {x: 1, y: 2}, b: 2}");
    assert_eq!(p("override"), "{a: 3, nested: {x: 1, y: 2}}");
    assert_eq!(p("union"), "{a: 1, nested: {x: 1, y: 3, z: 4}, c: 5}");
    assert_eq!(p("arrays"), "[1, 2, 3]");
    assert_eq!(p("concat"), "[1, 2, 3]");
    // An unknown spread may replace what comes before it and add keys: an entry with an unknown key.
    assert_eq!(p("openSpread"), "{a: ?, ?: ?, b: 2}");
    assert_eq!(p("openUnion"), "{a: ?, ?: ?}");
    assert_eq!(p("unknownFirst"), "{?: ?, a: 1}");
    assert_eq!(p("nullSpread"), "{a: 1}");
    assert_eq!(p("arraySpread"), "[0, 1, 2]");
    assert_eq!(p("unknownArraySpread"), "?");
    assert_eq!(p("key"), "{interpolated: 1, ?: 2}");
    // Lookups through an open object are unknown, not absent.
    let open = aks.property_node(&["openSpread"]).unwrap();
    assert!(aks.body.get(open, "b").is_some());
    // Values merged from a variable point at the variable; values written in the call are their own.
    let union = aks.property_node(&["union"]).unwrap();
    let a = aks.body.get(union, "a").unwrap();
    assert_eq!(
        span_text(aks, union),
        "union(base, { nested: { y: 3, z: 4 } }, { c: 5 })"
    );
    assert_eq!(span_text(aks, a), span_text(aks, union));
    assert_eq!(
        aks.origin(a).map(|o| o.what.as_str()),
        Some("the value of variable `base`")
    );
    let c = aks.body.get(union, "c").unwrap();
    assert_eq!(span_text(aks, c), "5");
    assert!(aks.origin(c).is_none());
    // Values spread from a variable are placed on the spread's expression, with their origin.
    let spread = aks.property_node(&["spread"]).unwrap();
    let spread_a = aks.body.get(spread, "a").unwrap();
    assert_eq!(span_text(aks, spread_a), "base");
    let nested_x = aks.body.path(spread, &["nested", "x"]).unwrap();
    assert_eq!(span_text(aks, nested_x), "base");
    assert_eq!(
        aks.origin(spread_a).map(|o| o.what.as_str()),
        Some("the value of variable `base`")
    );
    let b = aks.body.get(spread, "b").unwrap();
    assert_eq!(span_text(aks, b), "2");
}

#[test]
fn ternaries_operators_and_functions() {
    let text = cluster(
        "param env string = 'prod'\nparam flag bool\nparam n int = 3\nvar names = ['a', 'b']\n\
         var obj = { k: 'v', inner: { deep: true } }",
        r#"{
  name: 'aks-${env}-${n}'
  properties: {
    known: env == 'prod' ? 'big' : 'small'
    unknownCond: flag ? 'x' : 'y'
    sameBoth: flag ? 'same' : 'same'
    not: !flag
    notKnown: !(env == 'dev')
    and: flag && false
    or: flag || true
    andUnknown: flag && true
    coalesce: null ?? 'fallback'
    coalesceFn: coalesce(null, null, 7)
    arith: n * 2 + 1
    cmp: n >= 3
    ci: env =~ 'PROD'
    lower: toLower('ABC')
    format: format('{0}-{1}', env, n)
    formatBad: format('{0:N2}', n)
    length: length(names)
    contains: contains(names, 'b')
    containsKey: contains(obj, 'K')
    empty: empty([])
    index: names[1]
    fromEnd: names[^1]
    outOfRange: names[5]
    safeIndex: names[?5]
    prop: obj.inner.deep
    propIndex: obj['k']
    safe: obj.?missing
    missing: obj.missing
    nonNull: obj.k!
    str: string(n)
    int: int('42')
    bool: bool('True')
    split: split('a,b', ',')
    join: join(names, '+')
    replace: replace('a-b', '-', '_')
    starts: startsWith('ABC', 'ab')
    range: range(1, 3)
    first: first(names)
    take: take(names, 1)
    minimum: min(3, 1, 2)
    sys: sys.toUpper('x')
    az: az.resourceGroup().location
    unknownFn: uniqueString('a')
    listKeys: listKeys('id', '2021-01-01').keys[0].value
    lambda: map(names, x => toUpper(x))
    interpolatedUnknown: 'x-${flag}'
    overflow: 9223372036854775807 + 1
  }
}"#,
    );
    let e = one(&text);
    let aks = named(&e, "aks");
    assert_eq!(at(aks, &["name"]), "'aks-prod-3'");
    let expected = [
        ("known", "'big'"),
        ("unknownCond", "?"),
        ("sameBoth", "'same'"),
        ("not", "?"),
        ("notKnown", "true"),
        ("and", "false"),
        ("or", "true"),
        ("andUnknown", "?"),
        ("coalesce", "'fallback'"),
        ("coalesceFn", "7"),
        ("arith", "7"),
        ("cmp", "true"),
        ("ci", "true"),
        ("lower", "'abc'"),
        ("format", "'prod-3'"),
        ("formatBad", "?"),
        ("length", "2"),
        ("contains", "true"),
        ("containsKey", "true"),
        ("empty", "true"),
        ("index", "'b'"),
        ("fromEnd", "'b'"),
        ("outOfRange", "?"),
        ("safeIndex", "null"),
        ("prop", "true"),
        ("propIndex", "'v'"),
        ("safe", "null"),
        ("missing", "?"),
        ("nonNull", "'v'"),
        ("str", "'3'"),
        ("int", "42"),
        ("bool", "true"),
        ("split", "['a', 'b']"),
        ("join", "'a+b'"),
        ("replace", "'a_b'"),
        ("starts", "true"),
        ("range", "[1, 2, 3]"),
        ("first", "'a'"),
        ("take", "['a']"),
        ("minimum", "1"),
        ("sys", "'X'"),
        ("az", "?"),
        ("unknownFn", "?"),
        ("listKeys", "?"),
        ("lambda", "?"),
        ("interpolatedUnknown", "?"),
        ("overflow", "?"),
    ];
    for (key, value) in expected {
        assert_eq!(at(aks, &["properties", key]), value, "{key}");
    }
    // An unknown has the span of its expression.
    let node = aks.property_node(&["listKeys"]).unwrap();
    assert_eq!(
        span_text(aks, node),
        "listKeys('id', '2021-01-01').keys[0].value"
    );
    // A value chosen by a known condition is placed at the ternary.
    let known = aks.property_node(&["known"]).unwrap();
    assert_eq!(span_text(aks, known), "env == 'prod' ? 'big' : 'small'");
    assert!(aks.origin(known).is_none());
}

#[test]
fn loops_give_one_resource_with_unknown_loop_variables() {
    let text = r#"
param pools array
var zones = ['1', '2', '3']
var names = ['a', 'b']

resource agentPools 'Microsoft.ContainerService/managedClusters/agentPools@2024-05-01' = [for (pool, i) in pools: {
  name: pool.name
  properties: {
    count: 3
    index: i
    zones: [for z in zones: 'zone-${z}']
    indexed: [for (n, j) in names: { name: n, position: j }]
  }
}]

resource none 'Microsoft.Storage/storageAccounts@2023-01-01' = [for x in []: {
  name: x
}]

resource fixed 'Microsoft.Storage/storageAccounts@2023-01-01' = [for x in names: {
  name: x
}]
"#;
    let e = one(text);
    assert_eq!(names(&e), ["agentPools", "fixed"]);
    let pools = named(&e, "agentPools");
    assert_eq!(
        pools.file.slice(pools.loop_span.unwrap()),
        "[for (pool, i) in pools:"
    );
    assert_eq!(
        body(pools),
        "{name: ?, properties: {count: 3, index: ?, zones: ['zone-1', 'zone-2', 'zone-3'], \
         indexed: [{name: 'a', position: 0}, {name: 'b', position: 1}]}}"
    );
    let name = pools.get(&["name"]).unwrap();
    assert_eq!(span_text(pools, name), "pool.name");
    let fixed = named(&e, "fixed");
    assert_eq!(at(fixed, &["name"]), "?");
    assert!(fixed.loop_span.is_some());
}

#[test]
fn conditions() {
    let text = r#"
param enabled bool
param off bool = false
var on = true

resource maybe 'Microsoft.Storage/storageAccounts@2023-01-01' = if (enabled) {
  name: 'maybe'
}

resource never 'Microsoft.Storage/storageAccounts@2023-01-01' = if (off) {
  name: 'never'
}

resource always 'Microsoft.Storage/storageAccounts@2023-01-01' = if (on && !off) {
  name: 'always'
}

resource loopIf 'Microsoft.Storage/storageAccounts@2023-01-01' = [for i in range(0, 2): if (i > 0) {
  name: 'n${i}'
}]

resource loopNever 'Microsoft.Storage/storageAccounts@2023-01-01' = [for i in range(0, 2): if (off) {
  name: 'n${i}'
}]
"#;
    let e = one(text);
    assert_eq!(names(&e), ["maybe", "always", "loopIf"]);
    let maybe = named(&e, "maybe");
    assert_eq!(maybe.file.slice(maybe.condition.unwrap()), "if (enabled)");
    assert_eq!(at(maybe, &["name"]), "'maybe'");
    assert_eq!(
        named(&e, "always")
            .file
            .slice(named(&e, "always").condition.unwrap()),
        "if (on && !off)"
    );
    let looped = named(&e, "loopIf");
    assert!(looped.condition.is_some() && looped.loop_span.is_some());
    assert_eq!(at(looped, &["name"]), "?");
}

#[test]
fn nested_children_parent_and_existing() {
    let text = r#"
param skip bool = false
resource vnet 'Microsoft.Network/virtualNetworks@2023-04-01' = {
  name: 'vnet'
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/8'] }
  }
  resource subnet 'subnets' = {
    name: 'nodes'
    properties: { addressPrefix: '10.1.0.0/16' }
    resource deeper 'child@2020-01-01' = {
      name: 'deeper'
    }
  }
  resource skipped 'subnets' = if (skip) {
    name: 'skipped'
  }
  resource full 'Microsoft.Network/virtualNetworks/subnets@2022-01-01' = {
    name: 'full'
  }
}

resource existingVnet 'Microsoft.Network/virtualNetworks@2023-04-01' existing = {
  name: 'other'
}

resource withParent 'Microsoft.Network/virtualNetworks/subnets@2023-04-01' = {
  parent: existingVnet
  name: 'pods'
  properties: { addressPrefix: '10.2.0.0/16' }
}

resource off 'Microsoft.Network/virtualNetworks@2023-04-01' = if (skip) {
  name: 'off'
  resource child 'subnets' = {
    name: 'child'
  }
}
"#;
    let e = one(text
        .replace("param skip bool = false", "param skip bool = true")
        .as_str());
    assert!(names(&e).contains(&"skipped".to_owned()));
    let e = one(text);
    assert_eq!(
        names(&e),
        [
            "vnet",
            "subnet",
            "deeper",
            "full",
            "existingVnet",
            "withParent"
        ]
    );
    let subnet = named(&e, "subnet");
    assert_eq!(
        subnet.resource_type,
        "Microsoft.Network/virtualNetworks/subnets"
    );
    assert_eq!(subnet.api_version, "2023-04-01");
    assert_eq!(subnet.parent.as_deref(), Some("vnet"));
    assert_eq!(
        subnet.file.slice(subnet.declaration_span),
        "resource subnet 'subnets'"
    );
    assert_eq!(
        at(subnet, &["properties", "addressPrefix"]),
        "'10.1.0.0/16'"
    );
    let deeper = named(&e, "deeper");
    assert_eq!(
        deeper.resource_type,
        "Microsoft.Network/virtualNetworks/subnets/child"
    );
    assert_eq!(deeper.api_version, "2020-01-01");
    assert_eq!(deeper.parent.as_deref(), Some("subnet"));
    let full = named(&e, "full");
    assert_eq!(
        full.resource_type,
        "Microsoft.Network/virtualNetworks/subnets"
    );
    assert_eq!(full.api_version, "2022-01-01");
    // The parent's body does not include its nested resources.
    assert_eq!(
        body(named(&e, "vnet")),
        "{name: 'vnet', properties: {addressSpace: {addressPrefixes: ['10.0.0.0/8']}}}"
    );
    let existing = named(&e, "existingVnet");
    assert!(existing.existing);
    assert_eq!(
        existing.file.slice(existing.declaration_span),
        "resource existingVnet 'Microsoft.Network/virtualNetworks@2023-04-01'"
    );
    let with_parent = named(&e, "withParent");
    assert_eq!(with_parent.parent.as_deref(), Some("existingVnet"));
    assert!(!with_parent.existing);
    assert_eq!(at(with_parent, &["parent"]), "?");
}

const MODULE: &str = r#"
param name string
param enableRbac bool = false
param aad object = {}
param optional string?
param networkPlugin string = 'azure'

resource cluster 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: name
  properties: {
    enableRBAC: enableRbac
    aadProfile: aad
    optional: optional
    networkProfile: { networkPlugin: networkPlugin }
  }
}
"#;

#[test]
fn module_arguments_flow_into_the_module() {
    let main = r#"
param rbac bool = true
module aks './modules/aks.bicep' = {
  name: 'deploy-aks'
  params: {
    name: 'aks-1'
    enableRbac: rbac
    aad: {
      managed: true
    }
  }
}
"#;
    let e = evaluate(
        &[("proj/main.bicep", main)],
        &[("proj/modules/aks.bicep", MODULE)],
    );
    assert_eq!(names(&e), ["cluster"], "{:?}", e.notes);
    let cluster = named(&e, "cluster");
    assert_eq!(cluster.file.path(), Path::new("proj/modules/aks.bicep"));
    assert_eq!(cluster.via.len(), 1);
    assert_eq!(cluster.via[0].file.path(), Path::new("proj/main.bicep"));
    assert_eq!(
        cluster.via[0].file.slice(cluster.via[0].span),
        "module aks './modules/aks.bicep'"
    );
    assert_eq!(
        body(cluster),
        "{name: 'aks-1', properties: {enableRBAC: true, aadProfile: {managed: true}, optional: null, \
         networkProfile: {networkPlugin: 'azure'}}}"
    );
    assert_eq!(
        origin(cluster, &["name"]),
        Some((
            "main.bicep".into(),
            "'aks-1'".into(),
            "argument `name` of module `aks` in main.bicep".into()
        ))
    );
    // Through the caller's parameter, to the caller's default.
    assert_eq!(
        origin(cluster, &["properties", "enableRBAC"]),
        Some((
            "main.bicep".into(),
            "true".into(),
            "the default of parameter `rbac`".into()
        ))
    );
    assert_eq!(
        span_text(cluster, cluster.property_node(&["enableRBAC"]).unwrap()),
        "enableRbac"
    );
    assert_eq!(
        origin(cluster, &["properties", "aadProfile", "managed"]),
        Some((
            "main.bicep".into(),
            "true".into(),
            "argument `aad` of module `aks` in main.bicep".into()
        ))
    );
    // A missing argument falls back to the module's default.
    assert_eq!(
        origin(cluster, &["properties", "networkProfile", "networkPlugin"]),
        Some((
            "aks.bicep".into(),
            "'azure'".into(),
            "the default of parameter `networkPlugin`".into()
        ))
    );
}

#[test]
fn module_defaults_point_at_the_module_file() {
    let main = "module aks './aks.bicep' = {\n  name: 'x'\n  params: { name: 'n' }\n}\n";
    let e = evaluate(&[("main.bicep", main)], &[("aks.bicep", MODULE)]);
    let cluster = named(&e, "cluster");
    let node = cluster
        .property_node(&["networkProfile", "networkPlugin"])
        .unwrap();
    assert_eq!(span_text(cluster, node), "networkPlugin");
    let origin = cluster.origin(node).unwrap();
    assert_eq!(origin.location.file.path(), Path::new("aks.bicep"));
    assert_eq!(origin.location.file.slice(origin.location.span), "'azure'");
    assert_eq!(origin.what, "the default of parameter `networkPlugin`");
}

#[test]
fn module_files_in_the_run_are_evaluated_through_their_calls_only() {
    let main = "module a './aks.bicep' = {\n  name: 'a'\n  params: { name: 'first' }\n}\n\
                module b './aks.bicep' = {\n  name: 'b'\n  params: { name: 'second' }\n}\n\
                module c './aks.bicep' = if (false) {\n  name: 'c'\n  params: { name: 'third' }\n}\n";
    let e = evaluate(&[("main.bicep", main), ("aks.bicep", MODULE)], &[]);
    let clusters: Vec<String> = e.resources.iter().map(|r| at(r, &["name"])).collect();
    assert_eq!(clusters, ["'first'", "'second'"]);
    assert!(e.resources.iter().all(|r| r.via.len() == 1));
    // Alone, the module file is an entry point: its parameter without a default is unknown.
    let e = evaluate(&[("aks.bicep", MODULE)], &[]);
    assert_eq!(e.resources.len(), 1);
    assert_eq!(at(&e.resources[0], &["name"]), "?");
    assert_eq!(at(&e.resources[0], &["properties", "optional"]), "?");
    assert!(e.resources[0].via.is_empty());
}

#[test]
fn module_calls_in_loops_and_with_spread_arguments() {
    let main = r#"
param common object
var shared = { enableRbac: true }
module looped './aks.bicep' = [for n in ['a', 'b']: {
  name: n
  params: {
    name: n
    ...shared
  }
}]
module opened './aks.bicep' = {
  name: 'o'
  params: {
    name: 'fixed'
    ...common
    aad: {}
  }
}
"#;
    let e = evaluate(&[("main.bicep", main)], &[("aks.bicep", MODULE)]);
    assert_eq!(e.resources.len(), 2);
    let looped = e
        .resources
        .iter()
        .find(|r| r.via[0].file.slice(r.via[0].span).contains("looped"))
        .unwrap();
    assert_eq!(at(looped, &["name"]), "?");
    assert_eq!(at(looped, &["properties", "enableRBAC"]), "true");
    let opened = e
        .resources
        .iter()
        .find(|r| r.via[0].file.slice(r.via[0].span).contains("opened"))
        .unwrap();
    assert_eq!(
        at(opened, &["name"]),
        "?",
        "an argument before an unknown spread may be replaced"
    );
    assert_eq!(
        at(opened, &["properties", "enableRBAC"]),
        "?",
        "the spread may give any parameter"
    );
    assert_eq!(at(opened, &["properties", "aadProfile"]), "{}");
}

#[test]
fn bicepparam_values_override_defaults() {
    let main = r#"
param clusterName string
param enableRbac bool = false
param tier string = 'Free'
param secret string = ''
param derived string = ''
resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: clusterName
  sku: { tier: tier }
  properties: {
    enableRBAC: enableRbac
    secret: secret
    derived: derived
  }
}
"#;
    let params = r#"using './main.bicep'
var prefix = 'prod'
param clusterName = '${prefix}-aks'
param enableRbac = true
param secret = readEnvironmentVariable('SECRET')
param derived = clusterName
"#;
    let e = evaluate(
        &[("env/main.bicepparam", params)],
        &[("env/main.bicep", main)],
    );
    assert_eq!(e.resources.len(), 1, "{:?}", e.notes);
    let aks = named(&e, "aks");
    assert_eq!(aks.file.path(), Path::new("env/main.bicep"));
    // The `using` line is the call of a template evaluated through its parameters file.
    assert_eq!(aks.via.len(), 1);
    assert_eq!(aks.via[0].file.path(), Path::new("env/main.bicepparam"));
    assert_eq!(
        body(aks),
        "{name: 'prod-aks', sku: {tier: 'Free'}, properties: {enableRBAC: true, secret: ?, derived: 'prod-aks'}}"
    );
    assert_eq!(
        origin(aks, &["properties", "enableRBAC"]),
        Some((
            "main.bicepparam".into(),
            "true".into(),
            "the value of `enableRbac` in main.bicepparam".into()
        ))
    );
    assert_eq!(
        origin(aks, &["name"]),
        Some((
            "main.bicepparam".into(),
            "'${prefix}-aks'".into(),
            "the value of `clusterName` in main.bicepparam".into()
        ))
    );
    assert_eq!(
        origin(aks, &["properties", "secret"]),
        Some((
            "main.bicepparam".into(),
            "readEnvironmentVariable('SECRET')".into(),
            "the value of `secret` in main.bicepparam".into()
        ))
    );
    assert_eq!(
        origin(aks, &["sku", "tier"]),
        Some((
            "main.bicep".into(),
            "'Free'".into(),
            "the default of parameter `tier`".into()
        ))
    );
    // With the template in the run too, it is evaluated once, through the parameters file.
    let e = evaluate(
        &[("env/main.bicep", main), ("env/main.bicepparam", params)],
        &[],
    );
    assert_eq!(e.resources.len(), 1);
    assert_eq!(at(&e.resources[0], &["properties", "enableRBAC"]), "true");
    // Two parameter files for one template: one resource each.
    let dev = "using 'main.bicep'\nparam clusterName = 'dev'\n";
    let e = evaluate(
        &[
            ("env/main.bicep", main),
            ("env/main.bicepparam", params),
            ("env/dev.bicepparam", dev),
        ],
        &[],
    );
    let got: Vec<String> = e.resources.iter().map(|r| at(r, &["name"])).collect();
    assert_eq!(got, ["'dev'", "'prod-aks'"]);
    // `using none`: nothing.
    let e = evaluate(&[("x.bicepparam", "using none\nparam a = 1\n")], &[]);
    assert!(e.resources.is_empty());
}

#[test]
fn bicepparam_extends_a_base() {
    let main = "param a string = 'da'\nparam b string = 'db'\nresource r 'X.Y/z@1' = {\n  name: a\n  b: b\n}\n";
    let base = "using none\nparam a = 'base-a'\nparam b = 'base-b'\n";
    let derived = "using './main.bicep'\nextends './base.bicepparam'\nparam b = 'derived-b'\n";
    let e = evaluate(
        &[("p/derived.bicepparam", derived)],
        &[("p/main.bicep", main), ("p/base.bicepparam", base)],
    );
    assert_eq!(body(named(&e, "r")), "{name: 'base-a', b: 'derived-b'}");
}

#[test]
fn chains_from_bicepparam_through_modules() {
    let params = "using './main.bicep'\nparam rbac = true\nparam aad = { managed: true }\n";
    let main = "param rbac bool = false\nparam aad object\n\
                module outer './outer.bicep' = {\n  name: 'outer'\n  params: { enableRbac: rbac, aad: aad }\n}\n";
    let outer = "param enableRbac bool\nparam aad object\n\
                 module inner './modules/aks.bicep' = {\n  name: 'inner'\n  params: {\n    name: 'c'\n    \
                 enableRbac: enableRbac\n    aad: aad\n  }\n}\n";
    let loader_files = [
        ("repo/main.bicep", main),
        ("repo/outer.bicep", outer),
        ("repo/modules/aks.bicep", MODULE),
    ];
    let e = evaluate(&[("repo/main.bicepparam", params)], &loader_files);
    let cluster = named(&e, "cluster");
    assert_eq!(cluster.via.len(), 3);
    assert_eq!(
        cluster.via[0].file.path(),
        Path::new("repo/main.bicepparam")
    );
    assert_eq!(cluster.via[1].file.path(), Path::new("repo/main.bicep"));
    assert_eq!(cluster.via[2].file.path(), Path::new("repo/outer.bicep"));
    assert_eq!(
        cluster.via[2].file.slice(cluster.via[2].span),
        "module inner './modules/aks.bicep'"
    );
    assert_eq!(
        origin(cluster, &["properties", "enableRBAC"]),
        Some((
            "main.bicepparam".into(),
            "true".into(),
            "the value of `rbac` in main.bicepparam".into()
        ))
    );
    assert_eq!(
        origin(cluster, &["properties", "aadProfile", "managed"]),
        Some((
            "main.bicepparam".into(),
            "true".into(),
            "the value of `aad` in main.bicepparam".into()
        ))
    );
    assert_eq!(
        origin(cluster, &["name"]),
        Some((
            "outer.bicep".into(),
            "'c'".into(),
            "argument `name` of module `inner` in outer.bicep".into()
        ))
    );
}

#[test]
fn files_are_loaded_once() {
    let main = "module a './m.bicep' = {\n  name: 'a'\n}\nmodule b './sub/../m.bicep' = {\n  name: 'b'\n}\n";
    let m = "resource r 'X.Y/z@1' = {\n  name: 'r'\n}\n";
    let files = vec![source("main.bicep", main)];
    let loader = MemLoader::new(&[("m.bicep", m)]);
    let e = akslint_bicep::evaluate_texts(&files, &loader);
    assert_eq!(e.resources.len(), 2);
    assert_eq!(loader.loads(), 1);
}

#[test]
fn registry_modules_and_missing_files_are_notes() {
    let main = "module acr 'br/public:avm/res/container-registry/registry:0.1.0' = {\n  name: 'acr'\n}\n\
                module spec 'ts:sub/rg/spec:1.0' = {\n  name: 'spec'\n}\n\
                module gone './missing.bicep' = {\n  name: 'gone'\n}\n\
                resource r 'X.Y/z@1' = {\n  name: 'r'\n}\n";
    let e = one(main);
    assert_eq!(names(&e), ["r"]);
    let messages: Vec<&str> = e.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("module `acr` comes from a registry"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("module `spec` comes from a registry"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`./missing.bicep` could not be read"))
    );
    let note = e.notes.iter().find(|n| n.message.contains("acr")).unwrap();
    let location = note.location.as_ref().unwrap();
    assert_eq!(
        location.file.slice(location.span),
        "module acr 'br/public:avm/res/container-registry/registry:0.1.0'"
    );
}

#[test]
fn imported_variables() {
    let shared = "@export()\nvar tags = { team: 'platform' }\n@export()\nvar sku = 'Standard'\n";
    let main = "import { tags, sku as tier } from './shared.bicep'\nimport * as lib from './shared.bicep'\n\
                resource r 'X.Y/z@1' = {\n  name: 'r'\n  tags: tags\n  sku: { tier: tier, again: lib.sku }\n}\n";
    let e = evaluate(&[("main.bicep", main)], &[("shared.bicep", shared)]);
    let r = named(&e, "r");
    assert_eq!(
        body(r),
        "{name: 'r', tags: {team: 'platform'}, sku: {tier: 'Standard', again: 'Standard'}}"
    );
    let (file, text, what) = origin(r, &["tags", "team"]).unwrap();
    assert_eq!(
        (file.as_str(), text.as_str(), what.as_str()),
        ("shared.bicep", "'platform'", "the value of variable `tags`")
    );
}

#[test]
fn syntax_errors_evaluate_what_parsed() {
    let text = "param p string = \nvar v = {\n  a: \n  b: 2\n}\nresource r 'X.Y/z@1' = {\n  name: v.b\n  \
                other: p\n  broken: (\n}\nresource s 'X.Y/z@1' = \n";
    let e = one(text);
    let r = named(&e, "r");
    assert_eq!(at(r, &["name"]), "2");
    assert_eq!(at(r, &["other"]), "?");
    assert!(names(&e).contains(&"s".to_owned()));
    assert!(named(&e, "s").is_unknown(named(&e, "s").root));
}

#[test]
fn fixture_project_from_disk() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval-fixtures/project");
    let read = |name: &str| -> SharedSource {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::sync::Arc::new(akslint_core::SourceFile::new(
            path.clone(),
            akslint_core::SourceKind::from_path(&path).unwrap(),
            text,
        ))
    };
    let loader = DiskLoader::default();
    // The parameters file alone: the template and the module are read through the loader.
    let resources = akslint_bicep::evaluate_texts(&[read("main.bicepparam")], &loader).resources;
    let everything = akslint_bicep::evaluate_texts(
        &[
            read("modules/aks.bicep"),
            read("main.bicep"),
            read("main.bicepparam"),
        ],
        &loader,
    )
    .resources;
    for resources in [&resources, &everything] {
        assert_eq!(resources.len(), 1);
        let cluster = &resources[0];
        assert_eq!(cluster.symbolic_name, "cluster");
        assert!(cluster.file.path().ends_with("modules/aks.bicep"));
        assert_eq!(
            cluster.via.len(),
            2,
            "the `using` line, then the module call"
        );
        assert_eq!(
            cluster.via[1].file.slice(cluster.via[1].span),
            "module aks './modules/aks.bicep'"
        );
        assert_eq!(
            body(cluster),
            "{name: 'aks-prod', location: ?, tags: {team: 'platform', env: 'prod'}, properties: {enableRBAC: true, \
             aadProfile: {managed: true, adminGroupObjectIDs: ['group-1']}, disableLocalAccounts: true, \
             networkProfile: {networkPlugin: 'azure'}}}"
        );
        let o = |path: &[&str]| origin(cluster, path).map(|(f, t, w)| format!("{f}: {t} ({w})"));
        assert_eq!(
            o(&["properties", "enableRBAC"]).as_deref(),
            Some("main.bicepparam: true (the value of `enableRbac` in main.bicepparam)")
        );
        assert_eq!(
            o(&["properties", "disableLocalAccounts"]).as_deref(),
            Some("main.bicep: true (the default of parameter `disableLocal`)")
        );
        assert_eq!(
            o(&["location"]).as_deref(),
            Some("main.bicep: resourceGroup().location (the default of parameter `location`)")
        );
        assert_eq!(
            o(&["tags", "team"]).as_deref(),
            Some("main.bicep: 'platform' (the value of variable `tags`)")
        );
        assert_eq!(
            o(&["tags", "env"]).as_deref(),
            Some("main.bicep: 'prod' (argument `tags` of module `aks` in main.bicep)")
        );
        assert_eq!(
            o(&["properties", "networkProfile", "networkPlugin"]).as_deref(),
            Some("aks.bicep: 'azure' (the default of parameter `networkPlugin`)")
        );
        let node = cluster.property_node(&["disableLocalAccounts"]).unwrap();
        assert_eq!(span_text(cluster, node), "disableLocal");
    }
    // The template alone: its parameters without a default are unknown.
    let alone = akslint_bicep::evaluate_texts(&[read("main.bicep")], &loader);
    assert_eq!(alone.resources.len(), 1);
    assert_eq!(at(&alone.resources[0], &["name"]), "?");
    assert_eq!(
        at(&alone.resources[0], &["properties", "enableRBAC"]),
        "false"
    );
    assert_eq!(alone.notes.len(), 1, "{:?}", alone.notes);
    assert!(alone.notes[0].message.contains("registry"));
    // Relative paths (as the engine has them when run from the crate folder) resolve the same way.
    let relative = PathBuf::from("tests/eval-fixtures/project/main.bicepparam");
    if relative.is_file() {
        let text = std::fs::read_to_string(&relative).unwrap();
        let file = std::sync::Arc::new(akslint_core::SourceFile::new(
            relative,
            akslint_core::SourceKind::BicepParam,
            text,
        ));
        let resources = akslint_bicep::evaluate_texts(&[file], &loader).resources;
        assert_eq!(resources.len(), 1);
        assert_eq!(
            resources[0].file.path(),
            Path::new("tests/eval-fixtures/project/modules/aks.bicep")
        );
    }
}
