//! The architecture invariants of the README that the dependency graph can show: read with
//! `cargo metadata` (the resolved graph, normal dependencies only), so a new dependency that
//! breaks one fails here rather than in review.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;
use std::sync::OnceLock;

use plotwise_tests::repo_root;
use serde_json::Value;

/// The resolved graph: package name → names of its normal (non-dev, non-build) dependencies,
/// and the ids of workspace members by name.
struct Graph {
    deps: HashMap<String, Vec<String>>,
    names: HashMap<String, String>,
    members: HashMap<String, String>,
}

/// The platforms the project builds for: the host (CLI, server, tests) and the browser.
/// The graph is resolved for these only, so crates for other platforms (Android, Windows…),
/// which no build here downloads, are neither needed nor checked.
fn platforms() -> [String; 2] {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    let host = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .trim()
        .to_owned();
    [host, "wasm32-unknown-unknown".to_owned()]
}

/// The graph, read once for all the tests of this file.
fn graph() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(read_graph)
}

fn read_graph() -> Graph {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1", "--locked"]);
    for platform in platforms() {
        cmd.args(["--filter-platform", &platform]);
    }
    // Not --offline: `cargo xtask test` fetches every crate of these platforms first, but a
    // plain `cargo test` on a machine that never built for wasm32 may lack a few of them, and
    // cargo then downloads them (the same registry the build uses).
    let out = cmd
        .current_dir(repo_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata JSON");
    let names: HashMap<String, String> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or_default().to_owned(),
                p["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let members = meta["workspace_members"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(Value::as_str)
        .map(|id| (names[id].clone(), id.to_owned()))
        .collect();
    let deps = meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve nodes")
        .iter()
        .map(|n| {
            let normal: Vec<String> = n["deps"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|k| k["kind"].is_null())
                })
                .filter_map(|d| d["pkg"].as_str().map(str::to_owned))
                .collect();
            (n["id"].as_str().unwrap_or_default().to_owned(), normal)
        })
        .collect();
    Graph {
        deps,
        names,
        members,
    }
}

impl Graph {
    /// Every package `member` depends on, directly or not (normal dependencies, all features
    /// the workspace enables).
    fn closure(&self, member: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![self.members[member].clone()];
        while let Some(id) = stack.pop() {
            for d in self.deps.get(&id).into_iter().flatten() {
                if seen.insert(self.names[d].clone()) {
                    stack.push(d.clone());
                }
            }
        }
        seen
    }
}

const IO_AND_UI: [&str; 8] = [
    "tokio",
    "axum",
    "hyper",
    "rusqlite",
    "libsqlite3-sys",
    "yew",
    "gloo",
    "web-sys",
];

#[test]
fn the_graph_is_read_right() {
    // The checks below look for absences; make sure the walk finds what is there.
    let g = graph();
    assert!(g.closure("plotwise-server").contains("rusqlite"));
    assert!(g.closure("plotwise-server").contains("plotwise-vote"));
    assert!(g.closure("plotwise-web").contains("yew"));
    assert!(g.closure("plotwise-plan").contains("geo"));
}

#[test]
fn plan_and_vote_know_nothing_of_io_servers_databases_or_yew() {
    let g = graph();
    for member in ["plotwise-plan", "plotwise-vote"] {
        let deps = g.closure(member);
        for banned in IO_AND_UI {
            assert!(!deps.contains(banned), "{member} depends on {banned}");
        }
    }
}

#[test]
fn vote_does_not_depend_on_plan() {
    assert!(!graph().closure("plotwise-vote").contains("plotwise-plan"));
}

#[test]
fn only_the_server_knows_the_database_and_only_the_web_app_knows_yew() {
    let g = graph();
    for member in [
        "plotwise-plan",
        "plotwise-vote",
        "plotwise-api",
        "plotwise-web",
    ] {
        for db in ["rusqlite", "postgres", "tokio-postgres"] {
            assert!(!g.closure(member).contains(db), "{member} depends on {db}");
        }
    }
    for member in [
        "plotwise-plan",
        "plotwise-vote",
        "plotwise-api",
        "plotwise-server",
        "plotwise",
    ] {
        assert!(
            !g.closure(member).contains("yew"),
            "{member} depends on yew"
        );
    }
}

#[test]
fn the_api_crate_is_wire_types_and_vote_types_only() {
    // Serde for the shapes and plotwise-vote, whose counting types travel as they are; nothing
    // else of the project. Not serde_json: without it no wire type can hold a loosely typed
    // `serde_json::Value`, which its readers would walk by string keys.
    let g = graph();
    let direct: BTreeSet<String> = g.deps[&g.members["plotwise-api"]]
        .iter()
        .map(|d| g.names[d].clone())
        .collect();
    let allowed: BTreeSet<String> = ["serde", "plotwise-vote"].map(str::to_owned).into();
    assert!(
        direct.is_subset(&allowed),
        "plotwise-api depends on {direct:?}; it may depend on {allowed:?}"
    );
    let closure = g.closure("plotwise-api");
    assert!(
        !closure.contains("serde_json"),
        "plotwise-api reaches serde_json"
    );
    let project: Vec<&String> = closure
        .iter()
        .filter(|d| g.members.contains_key(*d))
        .collect();
    assert_eq!(
        project,
        ["plotwise-vote"],
        "plotwise-api reaches these crates of the project"
    );
}

// ----- Inside crates/server: routes, store, policy -----

/// A module of crates/server/src: its path (`routes::ballots`, `store::accounts`, `policy`)
/// and its source text.
struct Module {
    path: String,
    text: String,
}

/// Every module of the server below its root (`lib.rs` is the root and not listed).
fn server_modules() -> Vec<Module> {
    fn walk(dir: &std::path::Path, prefix: &str, out: &mut Vec<Module>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("crates/server/src is readable")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let path = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}::{name}")
            };
            if p.is_dir() {
                walk(&p, &path, out);
            } else if p.extension().is_some_and(|e| e == "rs")
                && !(prefix.is_empty() && name == "lib")
            {
                let path = match path.strip_suffix("::mod") {
                    Some(parent) => parent.to_owned(),
                    None => path,
                };
                let text = std::fs::read_to_string(&p).expect("a source file is readable");
                out.push(Module { path, text });
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo_root().join("crates/server/src"), "", &mut out);
    out
}

/// The text of a module without its comments and doc comments (line comments only: the
/// server has no block comments), so prose that names a module is not a use of it.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal (a URL) is rare in the server; keep lines whose
            // `//` follows a quote.
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a module's code names through `crate::…` or `super::…` paths (as full module
/// paths such as `store::accounts`, or the top module when the path names an item).
fn uses(m: &Module, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code = code_of(&m.text);
    let mut out = BTreeSet::new();
    let parent = m.path.rsplit_once("::").map(|(p, _)| p.to_owned());
    let idents = |s: &str| -> Vec<String> {
        let mut v = Vec::new();
        for part in s.split("::") {
            let id: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if id.is_empty() {
                break;
            }
            v.push(id);
        }
        v
    };
    for (anchor, base) in [
        ("crate::", String::new()),
        ("super::", parent.clone().unwrap_or_default()),
    ] {
        let mut rest = code.as_str();
        while let Some(i) = rest.find(anchor) {
            let before = rest[..i].chars().last();
            rest = &rest[i + anchor.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            // `crate::{a, b::c}`: each member of the group.
            let heads: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end]
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .collect()
            } else {
                vec![rest.to_owned()]
            };
            for head in heads {
                let mut path = base.clone();
                let mut found = None;
                for id in idents(&head) {
                    path = if path.is_empty() {
                        id
                    } else {
                        format!("{path}::{id}")
                    };
                    if modules.contains(&path) {
                        found = Some(path.clone());
                    } else {
                        break;
                    }
                }
                if let Some(f) = found {
                    out.insert(f);
                } else if anchor == "crate::" {
                    // An item of the crate root (a re-export): name the root.
                    out.insert("(crate root)".to_owned());
                }
            }
        }
    }
    out.remove(&m.path);
    out
}

#[test]
fn no_route_module_uses_another_and_none_uses_the_crate_root() {
    let modules = server_modules();
    let names: BTreeSet<String> = modules.iter().map(|m| m.path.clone()).collect();
    assert!(names.contains("routes::ballots") && names.contains("store::ballots"));
    let mut wrong = Vec::new();
    for m in &modules {
        for u in uses(m, &names) {
            let route_to_route = m.path.starts_with("routes::") && u.starts_with("routes");
            if route_to_route || u == "(crate root)" {
                wrong.push(format!("{} uses {u}", m.path));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The string literals of `code` that open with an SQL keyword (the server writes SQL in
/// capitals), and the database crates it names.
fn sql_in(code: &str) -> Vec<String> {
    const SQL: [&str; 9] = [
        "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "PRAGMA ", "VACUUM", "BEGIN",
        "WITH ",
    ];
    const CRATES: [&str; 3] = ["rusqlite", "postgres::", "r2d2"];
    let mut found = Vec::new();
    for (i, piece) in code.split('"').enumerate() {
        if i % 2 == 1 && SQL.iter().any(|k| piece.trim_start().starts_with(k)) {
            found.push(format!("SQL {:?}", piece.trim()));
        }
    }
    for c in CRATES {
        if code.contains(c) {
            found.push(format!("names {c}"));
        }
    }
    found
}

#[test]
fn only_the_store_holds_sql_or_names_a_database_crate() {
    let mut wrong = Vec::new();
    for m in server_modules() {
        if m.path == "store" || m.path.starts_with("store::") {
            continue;
        }
        for w in sql_in(&code_of(&m.text)) {
            wrong.push(format!("{}: {w}", m.path));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_sql_check_finds_sql() {
    let code = "let x = tx.query(\"SELECT 1\", &[]);\nlet m = \"with the unit\";\nuse rusqlite::Connection;";
    assert_eq!(sql_in(code), ["SQL \"SELECT 1\"", "names rusqlite"]);
}

#[test]
fn the_server_has_no_circle_between_its_modules() {
    let modules = server_modules();
    let names: BTreeSet<String> = modules.iter().map(|m| m.path.clone()).collect();
    // The graph between top-level modules, with each route its own node (routes may not
    // use each other, so their parent stays out of every circle).
    let node = |p: &str| -> String {
        let mut parts = p.split("::");
        let top = parts.next().unwrap_or_default();
        match (top, parts.next()) {
            ("routes", Some(r)) => format!("routes::{r}"),
            _ => top.to_owned(),
        }
    };
    let mut edges: HashMap<String, BTreeSet<String>> = HashMap::new();
    for m in &modules {
        for u in uses(m, &names) {
            let (a, b) = (node(&m.path), node(&u));
            if a != b {
                edges.entry(a).or_default().insert(b);
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        edges: &HashMap<String, BTreeSet<String>>,
        state: &mut HashMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let from = stack.iter().position(|s| s == n).unwrap_or(0);
                let mut circle = stack[from..].to_vec();
                circle.push(n.to_owned());
                return Some(circle);
            }
            Some(_) => return None,
            None => {}
        }
        state.insert(n.to_owned(), 1);
        stack.push(n.to_owned());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = HashMap::new();
    let mut starts: Vec<&String> = edges.keys().collect();
    starts.sort();
    for n in starts {
        let circle = visit(n, &edges, &mut state, &mut Vec::new());
        assert!(circle.is_none(), "a circle of modules: {circle:?}");
    }
    // The store sits below the routes, the tally and the request context.
    for low in ["store", "policy", "ballot", "util", "error", "sealing"] {
        for high in ["routes", "ctx", "tally", "ballot_writer"] {
            let reaches = edges
                .get(low)
                .into_iter()
                .flatten()
                .any(|d| d == high || d.starts_with(&format!("{high}::")));
            assert!(!reaches, "{low} uses {high}");
        }
    }
}

#[test]
fn the_server_checks_find_what_they_look_for() {
    // The checks above look for absences; a planted violation must be found.
    let names: BTreeSet<String> = ["routes::a", "routes::b", "store", "policy"]
        .map(str::to_owned)
        .into();
    let m = Module {
        path: "routes::a".into(),
        text: "use crate::{policy, store::Tx};\nuse super::b::thing; // crate::tally\n".into(),
    };
    let found = uses(&m, &names);
    let expected: BTreeSet<String> = ["routes::b", "store", "policy"].map(str::to_owned).into();
    assert_eq!(found, expected);
}
