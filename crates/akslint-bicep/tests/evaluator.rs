//! The Bicep evaluator on small hand-written files (inline, and the fixture project in `tests/eval-fixtures`).

#[path = "support/eval.rs"]
mod support;

use std::path::{Path, PathBuf};

use akslint_core::{AzureResource, DiskLoader, ScalarType, SharedSource};
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
        aks.origin(first).map(|o| &*o.what),
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
        aks.origin(a).map(|o| &*o.what),
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
        aks.origin(spread_a).map(|o| &*o.what),
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
        ("lambda", "['A', 'B']"),
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
fn loops_over_unknown_arrays_give_one_resource_and_known_arrays_one_per_element() {
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
    assert_eq!(names(&e), ["agentPools", "fixed", "fixed"]);
    let pools = named(&e, "agentPools");
    assert!(
        pools.iteration.is_none(),
        "the array is only known at deployment"
    );
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
    let fixed: Vec<&AzureResource> = e
        .resources
        .iter()
        .filter(|r| r.symbolic_name == "fixed")
        .collect();
    assert_eq!(at(fixed[0], &["name"]), "'a'");
    assert_eq!(at(fixed[1], &["name"]), "'b'");
    assert!(fixed.iter().all(|r| r.loop_span.is_some()));
    let second = fixed[1].iteration.as_ref().unwrap();
    assert_eq!(
        (second.source.as_str(), second.indices.as_slice()),
        ("names", &[1][..])
    );
    assert_eq!(fixed[1].label(), "`fixed` for `names[1]`");
    // The element's value is placed at the body expression, with the array literal as origin.
    let name = fixed[1].get(&["name"]).unwrap();
    assert_eq!(span_text(fixed[1], name), "x");
    let origin = fixed[1].origin(name).unwrap();
    assert_eq!(origin.location.file.slice(origin.location.span), "'b'");
}

#[test]
fn elements_with_identical_evaluations_are_one_instance() {
    let text = r#"
var envs = [
  { name: 'dev', private: true }
  { name: 'test', private: true }
  { name: 'prod', private: false }
]
resource same 'Microsoft.Storage/storageAccounts@2023-01-01' = [for i in range(0, 3): {
  name: 'fixed'
}]
resource per 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for env in envs: {
  name: 'aks'
  properties: { apiServerAccessProfile: { enablePrivateCluster: env.private } }
}]
"#;
    let e = one(text);
    let same = named(&e, "same");
    assert_eq!(names(&e), ["same", "per", "per", "per"]);
    assert_eq!(same.iteration.as_ref().unwrap().indices, [0, 1, 2]);
    assert_eq!(same.label(), "`same` for every element of `range(0, 3)`");
    // Each element's `private` is written in its own place: three instances, each named.
    let labels: Vec<String> = e
        .resources
        .iter()
        .filter(|r| r.symbolic_name == "per")
        .map(AzureResource::label)
        .collect();
    assert_eq!(
        labels,
        [
            "`per` for `envs[0]` (`dev`)",
            "`per` for `envs[1]` (`test`)",
            "`per` for `envs[2]` (`prod`)"
        ]
    );
}

#[test]
fn loops_longer_than_arm_allows_are_evaluated_once() {
    let text = "resource many 'Microsoft.Storage/storageAccounts@2023-01-01' = [for i in range(0, 801): {\n  name: 'n${i}'\n}]\n";
    let e = one(text);
    assert_eq!(names(&e), ["many"]);
    assert_eq!(at(named(&e, "many"), &["name"]), "?");
    assert!(
        e.notes.iter().any(|n| n.message.contains("801 elements")),
        "{:?}",
        e.notes
    );
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
    // The condition is evaluated for each element: only `i = 1` deploys.
    let looped = named(&e, "loopIf");
    assert!(looped.condition.is_some() && looped.loop_span.is_some());
    assert_eq!(at(looped, &["name"]), "'n1'");
    assert_eq!(looped.iteration.as_ref().unwrap().indices, [1]);
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
    assert_eq!(&*origin.what, "the default of parameter `networkPlugin`");
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
    assert_eq!(e.resources.len(), 3);
    let looped: Vec<&AzureResource> = e
        .resources
        .iter()
        .filter(|r| r.via[0].file.slice(r.via[0].span).contains("looped"))
        .collect();
    // One module instance per element, its resources named after the call's element.
    assert_eq!(at(looped[0], &["name"]), "'a'");
    assert_eq!(at(looped[1], &["name"]), "'b'");
    assert_eq!(at(looped[1], &["properties", "enableRBAC"]), "true");
    assert_eq!(looped[1].iteration.as_ref().unwrap().indices, [1]);
    assert!(
        looped[1].label().ends_with("for `['a', 'b'][1]`"),
        "{}",
        looped[1].label()
    );
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

#[test]
fn object_and_lambda_functions() {
    let text = cluster(
        "param flag bool\nvar pools = { user: { count: 3 }, System: { count: 1 }, batch: { count: 0 } }\n\
         var nums = [1, 2, 3, 4]",
        r#"{
  name: 'aks'
  properties: {
    items: items(pools)
    keys: objectKeys(pools)
    tryGet: tryGet(pools, 'user', 'count')
    tryGetMissing: tryGet(pools, 'gpu', 'count')
    shallow: shallowMerge([{ a: { x: 1 } }, { a: { y: 2 }, b: 3 }])
    filter: filter(nums, n => n % 2 == 0)
    filterIndexed: filter(nums, (n, i) => i < 2)
    filterUnknown: filter(nums, n => flag)
    map: map(nums, n => n * 10)
    toObject: toObject(items(pools), p => p.key, p => p.value.count)
    reduce: reduce(nums, 0, (sum, n) => sum + n)
    active: map(filter(items(pools), p => p.value.count > 0), p => p.key)
  }
}"#,
    );
    let e = one(&text);
    let aks = named(&e, "aks");
    let property = |key: &str| at(aks, &["properties", key]);
    assert_eq!(
        property("items"),
        "[{key: 'batch', value: {count: 0}}, {key: 'System', value: {count: 1}}, \
         {key: 'user', value: {count: 3}}]"
    );
    assert_eq!(property("keys"), "['batch', 'System', 'user']");
    assert_eq!(property("tryGet"), "3");
    assert_eq!(property("tryGetMissing"), "null");
    assert_eq!(property("shallow"), "{a: {y: 2}, b: 3}");
    assert_eq!(property("filter"), "[2, 4]");
    assert_eq!(property("filterIndexed"), "[1, 2]");
    assert_eq!(property("filterUnknown"), "?");
    assert_eq!(property("map"), "[10, 20, 30, 40]");
    assert_eq!(property("toObject"), "{batch: 0, System: 1, user: 3}");
    assert_eq!(property("reduce"), "10");
    assert_eq!(property("active"), "['System', 'user']");
}

#[test]
fn loops_over_items_and_filtered_arrays_give_one_resource_per_element() {
    let text = r#"
var regions = {
  westeurope: { private: true }
  northeurope: { private: false }
}
resource fleet 'Microsoft.ContainerService/managedClusters@2024-05-01' = [for r in filter(items(regions), r => !r.value.private): {
  name: 'aks-${r.key}'
  properties: { apiServerAccessProfile: { enablePrivateCluster: r.value.private } }
}]
"#;
    let e = one(text);
    assert_eq!(names(&e), ["fleet"]);
    let fleet = named(&e, "fleet");
    assert_eq!(at(fleet, &["name"]), "'aks-northeurope'");
    let private = fleet
        .get(&[
            "properties",
            "apiServerAccessProfile",
            "enablePrivateCluster",
        ])
        .unwrap();
    let origin = fleet.origin(private).unwrap();
    assert_eq!(origin.location.file.slice(origin.location.span), "false");
}

#[test]
fn user_defined_functions_local_imported_and_through_a_namespace() {
    let shared = "@export()\nfunc apiProfile(isPrivate bool) object => {\n  enablePrivateCluster: isPrivate\n  fqdn: false\n}\n";
    let main = cluster(
        "import { apiProfile } from 'shared.bicep'\nimport * as lib from 'shared.bicep'\n\
         func name(env string, n int) string => 'aks-${toLower(env)}-${n}'\nparam isPrivate bool = true",
        r#"{
  name: name('PROD', 2)
  location: 'westeurope'
  properties: {
    apiServerAccessProfile: apiProfile(false)
    viaNamespace: lib.apiProfile(isPrivate)
    wrongArity: name('x')
  }
}"#,
    );
    let e = evaluate(&[("main.bicep", &main)], &[("shared.bicep", shared)]);
    let aks = named(&e, "aks");
    assert_eq!(
        body(aks),
        "{name: 'aks-prod-2', location: 'westeurope', properties: {apiServerAccessProfile: {enablePrivateCluster: false, fqdn: false}, viaNamespace: {enablePrivateCluster: true, fqdn: false}, wrongArity: ?}}"
    );
    // Reported at the call that passes the deciding argument.
    let node = aks
        .property_node(&["apiServerAccessProfile", "enablePrivateCluster"])
        .unwrap();
    let (at, _) = aks.locate(node);
    assert_eq!(at.file.path(), Path::new("main.bicep"));
    assert_eq!(at.file.slice(at.span), "apiProfile(false)");
}
