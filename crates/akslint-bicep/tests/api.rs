//! The public API on small hand-written files: typed views, recovery, pragmas, `.bicepparam` files and the
//! shape of the tree. Stands without the conformance data.

use akslint_bicep::ast::{BinaryOp, Declaration, Expr, UnaryOp};
use akslint_bicep::{ErrorKind, Parsed, SyntaxKind, parse, parse_params};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse_ok(text: &str) -> Parsed {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.tree.root().full_text(), text);
    parsed
}

/// Codes of the errors with the 1-based line they start on.
fn error_lines(text: &str, parsed: &Parsed) -> Vec<(usize, &'static str)> {
    parsed
        .errors
        .iter()
        .map(|e| {
            (
                text[..e.span.start as usize].matches('\n').count() + 1,
                e.kind.compiler_code(),
            )
        })
        .collect()
}

#[test]
fn walks_resource_bodies() {
    let text = fixture("aks.bicep");
    let parsed = parse_ok(&text);
    let resources: Vec<_> = parsed
        .program()
        .declarations()
        .filter_map(|d| match d {
            Declaration::Resource(r) => Some(r),
            _ => None,
        })
        .collect();
    let names: Vec<_> = resources.iter().map(|r| r.name().unwrap().text()).collect();
    assert_eq!(names, ["identity", "aks", "existingVnet", "maintenance"]);

    let aks = resources[1];
    assert_eq!(
        aks.type_string().as_deref(),
        Some("Microsoft.ContainerService/managedClusters@2024-05-01")
    );
    assert!(!aks.is_existing());
    let body = aks.body().unwrap();
    let keys: Vec<_> = body
        .properties()
        .map(|p| p.key().unwrap().into_owned())
        .collect();
    assert_eq!(
        keys,
        ["name", "location", "tags", "sku", "identity", "properties"]
    );
    let properties = body
        .get("properties")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    let disable = properties.get("disableLocalAccounts").unwrap();
    assert_eq!(disable.value().and_then(Expr::as_bool), Some(true));
    assert_eq!(&text[disable.key_span().range()], "disableLocalAccounts");
    assert_eq!(&text[disable.value_span().unwrap().range()], "true");

    // Windows profile password: a parameter reference.
    let windows = properties
        .get("windowsProfile")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    let Some(Expr::Variable(password)) = windows.get("adminPassword").and_then(|p| p.value())
    else {
        panic!()
    };
    assert_eq!(password.name(), "adminPassword");

    // A quoted key with an interpolation has no static key.
    let identity = body
        .get("identity")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    let assigned = identity
        .get("userAssignedIdentities")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    let entry = assigned.properties().next().unwrap();
    assert_eq!(entry.key(), None);
    assert_eq!(&text[entry.key_span().range()], "'${identity.id}'");

    // Nested string values decode escapes.
    let addons = properties
        .get("addonProfiles")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    let kv = addons
        .get("azureKeyvaultSecretsProvider")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    let config = kv
        .get("config")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    assert_eq!(
        config
            .get("enableSecretRotation")
            .and_then(|p| p.value())
            .and_then(Expr::as_str)
            .as_deref(),
        Some("true")
    );

    // Ternary with an object and null.
    let Some(Expr::Ternary(api)) = properties
        .get("apiServerAccessProfile")
        .and_then(|p| p.value())
    else {
        panic!()
    };
    assert!(api.then_value().and_then(Expr::as_object).is_some());
    assert!(matches!(api.else_value(), Some(Expr::Null(_))));

    // Loops inside properties.
    let Some(Expr::For(pools)) = properties.get("agentPoolProfiles").and_then(|p| p.value()) else {
        panic!()
    };
    assert_eq!(pools.item_name().unwrap().text(), "pool");
    assert_eq!(pools.index_name().unwrap().text(), "index");
    assert!(matches!(pools.source(), Some(Expr::Variable(v)) if v.name() == "pools"));
    let pool_body = pools
        .body()
        .and_then(|b| b.expr())
        .and_then(Expr::as_object)
        .unwrap();
    assert_eq!(pool_body.properties().count(), 4);

    // Existing resources with nested children.
    let vnet = resources[2];
    assert!(vnet.is_existing());
    let children: Vec<_> = vnet.body().unwrap().resources().collect();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].type_string().as_deref(), Some("subnets"));
    assert!(children[0].is_existing());

    // Conditions.
    let maintenance = resources[3];
    let Some(Expr::Paren(_) | Expr::Binary(_)) = maintenance.condition() else {
        panic!()
    };
    assert_eq!(
        maintenance
            .body()
            .unwrap()
            .get("parent")
            .and_then(|p| p.value())
            .map(|v| v.syntax().text()),
        Some("aks")
    );
}

#[test]
fn walks_parameters_modules_and_outputs() {
    let text = fixture("aks.bicep");
    let parsed = parse_ok(&text);
    let mut params = Vec::new();
    let mut module = None;
    let mut outputs = Vec::new();
    for declaration in parsed.program().declarations() {
        match declaration {
            Declaration::Param(p) => params.push(p),
            Declaration::Module(m) => module = Some(m),
            Declaration::Output(o) => outputs.push(o),
            Declaration::TargetScope(t) => assert_eq!(
                t.value().and_then(Expr::as_str).as_deref(),
                Some("resourceGroup")
            ),
            _ => {}
        }
    }
    let password = params
        .iter()
        .find(|p| p.name().map(|n| n.text()) == Some("adminPassword"))
        .unwrap();
    assert!(password.decorator("secure").is_some());
    assert_eq!(password.type_node().map(|t| t.text()), Some("string"));
    assert!(password.default_value().is_none());

    let location = params[0];
    assert_eq!(
        location.decorator("description").unwrap().arguments()[0]
            .as_str()
            .as_deref(),
        Some("Location of the cluster")
    );
    let Some(Expr::Property(default)) = location.default_value() else {
        panic!()
    };
    assert_eq!(default.name(), Some("location"));
    assert!(matches!(default.base(), Some(Expr::Call(c)) if c.name() == Some("resourceGroup")));

    let tier = params
        .iter()
        .find(|p| p.name().map(|n| n.text()) == Some("tier"))
        .unwrap();
    let allowed = tier.decorator("allowed").unwrap().arguments()[0]
        .as_array()
        .unwrap();
    let values: Vec<_> = allowed.items().filter_map(Expr::as_str).collect();
    assert_eq!(values, ["Free", "Standard"]);

    let module = module.unwrap();
    assert_eq!(
        module.path().and_then(|p| p.value()).as_deref(),
        Some("./monitoring.bicep")
    );
    let for_loop = module.for_loop().unwrap();
    assert_eq!(for_loop.item_name().unwrap().text(), "region");
    assert!(matches!(module.condition(), Some(Expr::Unary(u)) if u.op() == UnaryOp::Not));
    let params_object = module
        .body()
        .unwrap()
        .get("params")
        .and_then(|p| p.value())
        .and_then(Expr::as_object)
        .unwrap();
    let Some(Expr::Property(subnet_id)) = params_object.get("subnetId").and_then(|p| p.value())
    else {
        panic!()
    };
    assert!(
        matches!(subnet_id.base(), Some(Expr::ResourceAccess(r)) if r.name() == Some("subnet"))
    );

    let names: Vec<_> = outputs.iter().map(|o| o.name().unwrap().text()).collect();
    assert_eq!(names, ["kubeConfig", "fqdn", "nodes", "cluster"]);
    let Some(Expr::Binary(coalesce)) = outputs[1].value() else {
        panic!()
    };
    assert_eq!(coalesce.op(), Some(BinaryOp::Coalesce));
    let Some(Expr::Property(fqdn)) = coalesce.left() else {
        panic!()
    };
    assert!(fqdn.is_safe());
    let Some(Expr::Binary(sum)) = outputs[2].value() else {
        panic!()
    };
    assert_eq!(sum.op(), Some(BinaryOp::Add));
    assert!(matches!(sum.left(), Some(Expr::Binary(m)) if m.op() == Some(BinaryOp::Multiply)));
    assert!(matches!(sum.right(), Some(Expr::Unary(u)) if u.op() == UnaryOp::Minus));
    assert_eq!(
        outputs[3].type_node().map(|t| t.kind()),
        Some(SyntaxKind::ResourceType)
    );
    assert_eq!(outputs[0].syntax().kind(), SyntaxKind::OutputDecl);
}

#[test]
fn walks_types_functions_imports_and_strings() {
    let text = fixture("language.bicep");
    let parsed = parse_ok(&text);
    let declarations: Vec<_> = parsed.program().declarations().collect();
    let Declaration::Import(named) = declarations[0] else {
        panic!()
    };
    assert_eq!(
        named.path().and_then(|p| p.value()).as_deref(),
        Some("./shared.bicep")
    );
    assert_eq!(named.symbols().unwrap().child_nodes().count(), 2);
    let Declaration::Import(wildcard) = declarations[1] else {
        panic!()
    };
    assert_eq!(wildcard.wildcard_alias().map(|a| a.text()), Some("common"));
    let Declaration::Extension(extension) = declarations[2] else {
        panic!()
    };
    assert_eq!(extension.name().map(|n| n.text()), Some("kubernetes"));
    assert_eq!(extension.alias().map(|n| n.text()), Some("k8s"));
    assert!(extension.config().unwrap().get("namespace").is_some());

    let Declaration::Type(pool) = declarations[3] else {
        panic!()
    };
    let decorator = pool.decorator("description").unwrap();
    assert_eq!(decorator.namespace(), Some("sys"));
    assert_eq!(
        pool.type_node().map(|t| t.kind()),
        Some(SyntaxKind::ObjectType)
    );

    let Declaration::Func(func) = declarations[6] else {
        panic!()
    };
    assert_eq!(func.name().map(|n| n.text()), Some("poolName"));
    let Some(Expr::String(body)) = func.body() else {
        panic!()
    };
    assert!(body.is_interpolated());
    assert_eq!(body.segments(), ["", "-", ""]);

    let vars: Vec<_> = declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::Var(v) => Some((v.name().unwrap().text(), v.value().unwrap())),
            _ => None,
        })
        .collect();
    let value = |name: &str| vars.iter().find(|(n, _)| *n == name).unwrap().1;

    let Expr::Call(map) = value("double") else {
        panic!()
    };
    let Some(Expr::Lambda(lambda)) = map.arguments().nth(1) else {
        panic!()
    };
    assert_eq!(
        lambda
            .parameters()
            .iter()
            .map(|p| p.text())
            .collect::<Vec<_>>(),
        ["x"]
    );
    let Expr::Call(reduce) = value("pairs") else {
        panic!()
    };
    let Some(Expr::Lambda(lambda)) = reduce.arguments().nth(2) else {
        panic!()
    };
    assert_eq!(
        lambda
            .parameters()
            .iter()
            .map(|p| p.text())
            .collect::<Vec<_>>(),
        ["acc", "next"]
    );

    let merged = value("merged").as_object().unwrap();
    assert_eq!(merged.spreads().count(), 1);
    assert!(merged.get("quoted key").is_some());
    let list = value("list").as_array().unwrap();
    assert_eq!((list.items().count(), list.spreads().count()), (2, 1));

    let Expr::String(multi) = value("multi") else {
        panic!()
    };
    assert!(multi.is_multiline() && !multi.is_interpolated());
    assert_eq!(
        multi.value().as_deref(),
        Some("verbatim ${not} a hole \\n\n")
    );
    let Expr::String(interp) = value("interp") else {
        panic!()
    };
    assert_eq!(interp.holes().count(), 1);
    assert_eq!(interp.segments(), ["name: ", "\n"]);
    let Expr::String(dollars) = value("dollars") else {
        panic!()
    };
    assert_eq!(dollars.segments(), ["${literal} ", "\n"]);
    assert_eq!(
        value("escapes").as_str().as_deref(),
        Some("tab\t quote' dollar${x} unicode😀")
    );

    let Expr::Binary(safe) = value("safe") else {
        panic!()
    };
    assert!(matches!(safe.left(), Some(Expr::Index(i)) if i.is_safe()));
    assert!(matches!(value("last"), Expr::Index(i) if i.is_from_end()));
    assert!(
        matches!(value("asserted"), Expr::Property(p) if matches!(p.base(), Some(Expr::NonNull(_))))
    );
    assert!(matches!(value("ternary"), Expr::Ternary(_)));
    let Expr::Call(call) = value("call") else {
        panic!()
    };
    assert_eq!(call.arguments().count(), 2);
    assert!(matches!(declarations.last(), Some(Declaration::Assert(a)) if a.value().is_some()));
}

#[test]
fn walks_params_files() {
    let text = fixture("main.bicepparam");
    let parsed = parse_params(&text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let declarations: Vec<_> = parsed.program().declarations().collect();
    let Declaration::Using(using) = declarations[0] else {
        panic!()
    };
    assert_eq!(
        using.path().and_then(|p| p.value()).as_deref(),
        Some("./main.bicep")
    );
    let assignments: Vec<_> = declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::ParamAssignment(p) => Some(p.name().unwrap().text()),
            _ => None,
        })
        .collect();
    assert_eq!(
        assignments,
        ["location", "tags", "nodeCount", "adminPassword"]
    );
    // A .bicep declaration is not allowed in a .bicepparam file, and `using` is not a .bicep declaration.
    assert_eq!(
        parse_params("output x string = 'a'\n").errors[0].kind,
        ErrorKind::UnrecognizedParamsDeclaration
    );
    assert_eq!(
        parse("using 'main.bicep'\n").errors[0].kind,
        ErrorKind::UnrecognizedDeclaration
    );
    assert!(
        parse_params("using none\nextends 'base.bicepparam'\n")
            .errors
            .is_empty()
    );
}

#[test]
fn keywords_are_identifiers_in_context() {
    let text = "var resource = {\n  resource: 'a'\n  param: 1\n  if: true\n  for: null\n}\nvar x = resource.resource\n";
    let parsed = parse_ok(text);
    let Some(Declaration::Var(var)) = parsed.program().declarations().next() else {
        panic!()
    };
    let keys: Vec<_> = var
        .value()
        .unwrap()
        .as_object()
        .unwrap()
        .properties()
        .map(|p| p.key().unwrap())
        .collect();
    assert_eq!(keys, ["resource", "param", "if", "for"]);
    assert!(!parse("var true = 1\n").errors.is_empty());
}

#[test]
fn one_bad_line_gives_one_error() {
    let text = "var a = 1\nvar b = 1 +\nvar c = {\n  x: 1 2\n  y: [\n    1,\n    2\n  ]\n}\nvar d = 'ok'\n";
    let parsed = parse(text);
    // As in the compiler, `x: 1 2` reads `2` as a second property: a missing separator, key and colon.
    assert_eq!(
        error_lines(text, &parsed),
        [
            (2, "BCP009"),
            (4, "BCP236"),
            (4, "BCP022"),
            (4, "BCP018"),
            (6, "BCP238")
        ]
    );
    let names: Vec<_> = parsed
        .program()
        .declarations()
        .filter_map(|d| d.name())
        .map(|n| n.text())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    assert_eq!(parsed.tree.root().full_text(), text);

    // A missing piece is reported once, not once per following piece.
    let text = "param\nresource\nvar x\nvar y = \n";
    let parsed = parse(text);
    assert_eq!(
        error_lines(text, &parsed),
        [(1, "BCP013"), (2, "BCP017"), (3, "BCP018"), (4, "BCP009")]
    );
}

#[test]
fn newlines_separate_items() {
    assert!(
        parse("var a = [\n  1\n  2\n]\nvar b = [1, 2, ]\nvar c = {a: 1, b: 2}\n")
            .errors
            .is_empty()
    );
    assert!(
        parse("var f = concat(1,\n  2)\nvar g = concat(\n  1,\n  2\n)\n")
            .errors
            .is_empty()
    );
    let trailing = parse("var f = concat(1, 2,)\n");
    assert_eq!(
        trailing.errors.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [ErrorKind::UnrecognizedExpression]
    );
    let missing_comma = parse("var f = concat(1\n  2)\n");
    assert_eq!(missing_comma.errors[0].kind, ErrorKind::ExpectedComma);
}

#[test]
fn pragmas_and_comments_are_trivia() {
    let text = "#disable-next-line no-unused-vars BCP081 // why\nvar a = 1 /* c */ // d\n";
    let parsed = parse_ok(text);
    let pragmas: Vec<_> = parsed
        .tree
        .tokens()
        .filter(|t| t.kind() == SyntaxKind::Pragma)
        .map(|t| t.text())
        .collect();
    assert_eq!(pragmas, ["#disable-next-line no-unused-vars BCP081"]);
    let comments = parsed
        .tree
        .tokens()
        .filter(|t| matches!(t.kind(), SyntaxKind::LineComment | SyntaxKind::BlockComment));
    assert_eq!(comments.count(), 3);
}

#[test]
fn byte_order_mark_is_kept() {
    let text = "\u{feff}param p string\n";
    let parsed = parse_ok(text);
    let first = parsed.tree.tokens().next().unwrap();
    assert_eq!(
        (first.kind(), first.span().range()),
        (SyntaxKind::ByteOrderMark, 0..3)
    );
    let Some(Declaration::Param(param)) = parsed.program().declarations().next() else {
        panic!()
    };
    assert_eq!(param.span().start, 3);
}

#[test]
fn tree_shape() {
    let parsed = parse_ok("var x = a.b[0] + 1 // c\n");
    let expected = "\
Program@0..24
  VarDecl@0..18
    Ident@0..3 \"var\"
    Whitespace@3..4 \" \"
    Ident@4..5 \"x\"
    Whitespace@5..6 \" \"
    Assign@6..7 \"=\"
    Whitespace@7..8 \" \"
    Binary@8..18
      IndexAccess@8..14
        PropertyAccess@8..11
          VariableAccess@8..9
            Ident@8..9 \"a\"
          Dot@9..10 \".\"
          Ident@10..11 \"b\"
        LBracket@11..12 \"[\"
        IntLiteral@12..13
          Integer@12..13 \"0\"
        RBracket@13..14 \"]\"
      Whitespace@14..15 \" \"
      Plus@15..16 \"+\"
      Whitespace@16..17 \" \"
      IntLiteral@17..18
        Integer@17..18 \"1\"
  Whitespace@18..19 \" \"
  LineComment@19..23 \"// c\"
  Newline@23..24 \"\\n\"
  Eof@24..24 \"\"
";
    assert_eq!(parsed.tree.root().dump(), expected);
    let node = parsed.tree.node_at(12);
    assert_eq!(node.kind(), SyntaxKind::IntLiteral);
    assert_eq!(
        node.parent().map(|p| p.kind()),
        Some(SyntaxKind::IndexAccess)
    );
    let token = parsed.tree.tokens().find(|t| t.text() == "b").unwrap();
    assert_eq!(token.parent().kind(), SyntaxKind::PropertyAccess);
    assert_eq!(
        parsed
            .tree
            .root()
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::IntLiteral)
            .count(),
        2
    );
}

#[test]
fn trees_parsed_one_after_another_are_independent() {
    // A dropped tree's memory is reused by the next parse on the thread; nothing of it may show through.
    let large = fixture("aks.bicep");
    let small = "param location string = 'westeurope'\n";
    let first = parse_ok(&large);
    let dump = first.tree.root().dump();
    let copy = first.clone();
    drop(first);
    let second = parse_ok(small);
    assert_eq!(
        second.tree.root().dump(),
        parse_ok(small).tree.root().dump()
    );
    drop(second);
    let third = parse_ok(&large);
    assert_eq!(third.tree.root().dump(), dump);
    assert_eq!(copy.tree.root().dump(), dump);
    let broken = parse("var x = [\n");
    assert_eq!(broken.tree.root().full_text(), "var x = [\n");
    assert!(!broken.errors.is_empty());
}
