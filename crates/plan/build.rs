//! Compiles `data/catalogue.json` into Rust (`$OUT_DIR/builtin_catalogue.rs`), so a program
//! gets the built-in catalogue without reading JSON at run time. The browser bundle then
//! carries neither the text nor a JSON reader for catalogues (about 10 KB of its download,
//! gzipped). The file stays the one place to edit; a test in `catalogue.rs` checks that the
//! compiled catalogue equals the file read by `Catalogue::from_json`.
//!
//! Any field this script does not know stops the build with its name, so a new field in the
//! file cannot be silently dropped.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Map, Value};

const FILE: &str = "data/catalogue.json";

fn main() {
    println!("cargo::rerun-if-changed={FILE}");
    println!("cargo::rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(FILE).unwrap_or_else(|e| panic!("{FILE}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{FILE}: {e}"));
    let code = catalogue(&v);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("builtin_catalogue.rs"), code)
        .unwrap_or_else(|e| panic!("cannot write builtin_catalogue.rs: {e}"));
}

/// The object at `v`, with only the `known` keys (else the build stops naming the field).
fn object<'a>(v: &'a Value, at: &str, known: &[&str]) -> &'a Map<String, Value> {
    let o = v
        .as_object()
        .unwrap_or_else(|| panic!("{FILE}: {at}: expected an object"));
    for k in o.keys() {
        assert!(
            known.contains(&k.as_str()),
            "{FILE}: {at}: field `{k}` is not known to crates/plan/build.rs; add it there"
        );
    }
    o
}

fn field<'a>(o: &'a Map<String, Value>, at: &str, k: &str) -> &'a Value {
    o.get(k)
        .unwrap_or_else(|| panic!("{FILE}: {at}: field `{k}` is missing"))
}

fn string(v: &Value, at: &str) -> String {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{FILE}: {at}: expected a string"));
    format!("{s:?}.to_owned()")
}

fn number(v: Option<&Value>, at: &str, default: f64) -> String {
    let x = match v {
        None => default,
        Some(v) => v
            .as_f64()
            .unwrap_or_else(|| panic!("{FILE}: {at}: expected a number")),
    };
    format!("{x:?}_f64")
}

fn boolean(v: Option<&Value>, at: &str, default: bool) -> bool {
    v.map_or(default, |v| {
        v.as_bool()
            .unwrap_or_else(|| panic!("{FILE}: {at}: expected true or false"))
    })
}

/// A serde snake_case name as the Rust variant (`permeable_paving` → `PermeablePaving`).
fn variant(v: &Value, at: &str) -> String {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{FILE}: {at}: expected a name"));
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn text(v: &Value, at: &str) -> String {
    let o = object(v, at, &["en", "zh-CN"]);
    format!(
        "Text {{ en: {}, zh: {} }}",
        string(field(o, at, "en"), at),
        string(field(o, at, "zh-CN"), at)
    )
}

fn optional_text(v: Option<&Value>, at: &str) -> String {
    v.map_or("None".to_owned(), |v| format!("Some({})", text(v, at)))
}

fn price(v: &Value, at: &str) -> String {
    let o = object(v, at, &["amount", "unit", "source"]);
    format!(
        "Price {{ amount: {}, unit: {}, source: {} }}",
        number(Some(field(o, at, "amount")), at, 0.0),
        string(field(o, at, "unit"), at),
        string(field(o, at, "source"), at)
    )
}

fn shade(v: Option<&Value>, at: &str) -> String {
    let Some(v) = v else {
        return "None".to_owned();
    };
    let at = format!("{at}.shade");
    let o = object(v, &at, &["from_m", "to_m", "crown_diameter_m"]);
    let crown = match o.get("crown_diameter_m") {
        Some(d) => format!("Some({})", number(Some(d), &at, 0.0)),
        None => "None".to_owned(),
    };
    format!(
        "Some(Shade {{ from_m: {}, to_m: {}, crown_diameter_m: {crown} }})",
        number(Some(field(o, &at, "from_m")), &at, 0.0),
        number(Some(field(o, &at, "to_m")), &at, 0.0)
    )
}

fn footprint(v: &Value, at: &str) -> String {
    let o = object(v, at, &["shape", "width_m", "depth_m", "diameter_m"]);
    match field(o, at, "shape").as_str() {
        Some("rect") => format!(
            "Footprint::Rect {{ width_m: {}, depth_m: {} }}",
            number(Some(field(o, at, "width_m")), at, 0.0),
            number(Some(field(o, at, "depth_m")), at, 0.0)
        ),
        Some("circle") => format!(
            "Footprint::Circle {{ diameter_m: {} }}",
            number(Some(field(o, at, "diameter_m")), at, 0.0)
        ),
        other => panic!("{FILE}: {at}: unknown shape {other:?}"),
    }
}

fn catalogue(v: &Value) -> String {
    let top = object(
        v,
        "catalogue",
        &["currency", "note", "items", "surfaces", "default_surfaces"],
    );
    let mut code = String::from(
        "// @generated by crates/plan/build.rs from data/catalogue.json: edit that file.\n\
         Catalogue {\n",
    );
    let _ = writeln!(
        code,
        "currency: {},\nnote: {},\nitems: vec![",
        string(field(top, "catalogue", "currency"), "currency"),
        optional_text(top.get("note"), "note")
    );
    let items = field(top, "catalogue", "items")
        .as_array()
        .unwrap_or_else(|| panic!("{FILE}: items: expected a list"));
    for (i, item) in items.iter().enumerate() {
        let at = format!("items[{i}]");
        let o = object(
            item,
            &at,
            &[
                "key",
                "name",
                "category",
                "footprint",
                "clearance_m",
                "weight_kn",
                "seats",
                "obstacle",
                "overhead",
                "shade",
                "price",
                "note",
            ],
        );
        let seats = o.get("seats").map_or(0, |s| {
            s.as_u64()
                .and_then(|s| u32::try_from(s).ok())
                .unwrap_or_else(|| panic!("{FILE}: {at}.seats: expected a whole number"))
        });
        let _ = writeln!(
            code,
            "CatalogueItem {{ key: {}, name: {}, category: Category::{}, footprint: {}, \
             clearance_m: {}, weight_kn: {}, seats: {seats}, obstacle: {}, overhead: {}, \
             shade: {}, price: {}, note: {} }},",
            string(field(o, &at, "key"), &at),
            text(field(o, &at, "name"), &at),
            variant(field(o, &at, "category"), &at),
            footprint(field(o, &at, "footprint"), &at),
            number(o.get("clearance_m"), &at, 0.0),
            number(o.get("weight_kn"), &at, 0.0),
            boolean(o.get("obstacle"), &at, true),
            boolean(o.get("overhead"), &at, false),
            shade(o.get("shade"), &at),
            price(field(o, &at, "price"), &at),
            optional_text(o.get("note"), &at),
        );
    }
    code.push_str("],\nsurfaces: vec![\n");
    let surfaces = top
        .get("surfaces")
        .map(|s| {
            s.as_array()
                .unwrap_or_else(|| panic!("{FILE}: surfaces: expected a list"))
                .as_slice()
        })
        .unwrap_or_default();
    for (i, s) in surfaces.iter().enumerate() {
        let at = format!("surfaces[{i}]");
        let o = object(s, &at, &["surface", "price"]);
        let _ = writeln!(
            code,
            "SurfacePrice {{ surface: Surface::{}, price: {} }},",
            variant(field(o, &at, "surface"), &at),
            price(field(o, &at, "price"), &at)
        );
    }
    code.push_str("],\ndefault_surfaces: BTreeMap::from([\n");
    if let Some(d) = top.get("default_surfaces") {
        let o = d
            .as_object()
            .unwrap_or_else(|| panic!("{FILE}: default_surfaces: expected an object"));
        for (kind, surface) in o {
            let at = format!("default_surfaces.{kind}");
            let _ = writeln!(
                code,
                "(ZoneKind::{}, Surface::{}),",
                variant(&Value::String(kind.clone()), &at),
                variant(surface, &at)
            );
        }
    }
    code.push_str("]),\n}\n");
    code
}
