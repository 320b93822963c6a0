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
        assert!(
            !g.closure(member).contains("rusqlite"),
            "{member} depends on rusqlite"
        );
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
fn the_api_crate_is_wire_types_only() {
    let direct: BTreeSet<String> = {
        let g = graph();
        g.deps[&g.members["plotwise-api"]]
            .iter()
            .map(|d| g.names[d].clone())
            .collect()
    };
    let allowed: BTreeSet<String> = ["serde", "serde_json"].map(str::to_owned).into();
    assert!(
        direct.is_subset(&allowed),
        "plotwise-api depends on {direct:?}"
    );
}
