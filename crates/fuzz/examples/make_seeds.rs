//! Writes the fuzzers' seed inputs to `fuzz/seeds/<target>/` from the project's real files:
//! the sample plots (`crates/plan/samples`), the PrefLib fixtures and the 324-unit electorate
//! (`tests/fixtures`), plus a few small hand-written cases per reader (migrations, both WKT
//! coordinate systems, binary DXF, BOMs, quotes, full-width ids).
//!
//! Run with `cargo run -p plotwise-fuzz --example make_seeds`; the seeds are committed, so
//! this is needed only to remake them.

use std::path::{Path, PathBuf};

use geo::{Coord, MapCoords};
use plotwise_plan::LayoutDocument;
use plotwise_plan::catalogue::Catalogue;
use plotwise_plan::samples::samples;
use plotwise_vote::preflib::{self, PreflibData};
use wkt::ToWkt;

/// The largest ballot table written as a seed, in bytes.
const MAX_TABLE_SEED: usize = 16 * 1024;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let seeds = root.join("fuzz/seeds");
    let write = |target: &str, name: &str, bytes: &[u8]| -> std::io::Result<()> {
        let dir = seeds.join(target);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(name), bytes)
    };

    // Layouts: the samples as GeoJSON, as documents, their plots as WKT (metres and WGS84)
    // and as DXF (the exporter's own R2018 file for the smallest two).
    for s in samples() {
        write(
            "geojson",
            &format!("{}.geojson", s.id),
            s.geojson().as_bytes(),
        )?;
        let layout =
            plotwise_plan::import::geojson::import_layout(s.geojson()).expect("the samples import");
        let plot = layout.plot.outline.multi_polygon().clone();
        write(
            "wkt",
            &format!("{}-metres.wkt", s.id),
            plot.wkt_string().as_bytes(),
        )?;
        if let Some(proj) = layout.plot.projection {
            let lonlat = plot.map_coords(|c| {
                let p = proj.to_wgs84(c);
                Coord { x: p.lon, y: p.lat }
            });
            write(
                "wkt",
                &format!("{}-wgs84.wkt", s.id),
                lonlat.wkt_string().as_bytes(),
            )?;
        }
        if matches!(s.id, "lantian-rest" | "siping-corner") {
            let bytes = plotwise_plan::export::dxf::layout_dxf(&layout, &Catalogue::builtin())
                .expect("the samples export");
            write("dxf", &format!("{}-export.dxf", s.id), &bytes)?;
        }
        write(
            "layout_document",
            &format!("{}.json", s.id),
            LayoutDocument::new(layout).to_json().as_bytes(),
        )?;
    }
    write(
        "geojson",
        "bare-polygon.geojson",
        br#"{"type":"Polygon","coordinates":[[[121.5035,31.293],[121.503584,31.293001],[121.5035833,31.2930461],[121.5034993,31.2930451],[121.5035,31.293]]]}"#,
    )?;
    write(
        "layout_document",
        "v0-draft.json",
        br#"{"title":"old draft","plot":{"id":"plot","kind":{"type":"ground"},"outline":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]]]},"elements":[{"id":"b1","type":"bench","position":[2,3]}]}"#,
    )?;
    write(
        "layout_document",
        "v1.json",
        br#"{"schema_version":1,"layout":{"title":"v1","plot":{"id":"plot","kind":{"type":"ground"},"outline":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]]]},"zones":[{"id":"z1","kind":"lawn","outline":[[[[1,1],[4,1],[4,3],[1,3],[1,1]]]]}],"elements":[{"id":"b1","kind":"bench","position":[2,3]}]}}"#,
    )?;
    for (name, text) in [
        (
            "srid.wkt",
            "SRID=4326;POLYGON((0 0,0.001 0,0.001 0.001,0 0))",
        ),
        (
            "multi-hole.wkt",
            "MULTIPOLYGON(((0 0,20 0,20 20,0 20,0 0),(5 5,5 10,10 10,10 5,5 5)),((30 30,31 30,31 31,30 30)))",
        ),
        ("bowtie.wkt", "POLYGON((0 0,4 3,4 0,0 3,0 0))"),
        ("line.wkt", "LINESTRING(0 0,1 1)"),
        ("empty.wkt", "POLYGON EMPTY"),
    ] {
        write("wkt", name, text.as_bytes())?;
    }

    // DXF made by the dxf crate: R12 (POLYLINE and VERTEX) and R2018 (LWPOLYLINE), ASCII
    // and binary, in millimetres, with a boundary layer; and the smallest ENTITIES-only text.
    for (name, version, binary) in [
        ("r12.dxf", dxf::enums::AcadVersion::R12, false),
        ("r2018.dxf", dxf::enums::AcadVersion::R2018, false),
        ("r2018-binary.dxf", dxf::enums::AcadVersion::R2018, true),
    ] {
        write("dxf", name, &small_drawing(version, binary))?;
    }
    write(
        "dxf",
        "entities-only.dxf",
        b"  0\nSECTION\n  2\nENTITIES\n  0\nLWPOLYLINE\n  8\nPLOT\n 70\n1\n 10\n0.0\n 20\n0.0\n 10\n8.0\n 20\n0.0\n 10\n8.0\n 20\n5.0\n 10\n0.0\n 20\n5.0\n  0\nENDSEC\n  0\nEOF\n",
    )?;

    // Votes: the electorate fixture (whole and a slice), the PrefLib fixtures, their ballots
    // as CSV tables, votes against the fixture electorate.
    let fixtures = root.join("tests/fixtures");
    let electorate = std::fs::read_to_string(fixtures.join("zhengwen-electorate.csv"))?;
    write("electorate_csv", "zhengwen.csv", electorate.as_bytes())?;
    let head: String = electorate
        .lines()
        .take(12)
        .map(|l| format!("{l}\r\n"))
        .collect();
    write(
        "electorate_csv",
        "zhengwen-head-crlf.csv",
        format!("\u{feff}{head}").as_bytes(),
    )?;
    write(
        "electorate_csv",
        "quoted-full-width.csv",
        "unit,building,area_m2,owner\n\"1-101\",\"1号楼, 东\",70.59,\"O \"\"1\"\"\"\n１－１０２,1号楼,0087.010,O2\n"
            .as_bytes(),
    )?;
    for f in sorted(&fixtures.join("elections"))? {
        let text = std::fs::read_to_string(&f)?;
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("x")
            .to_owned();
        write("preflib", &name, text.as_bytes())?;
        let file = preflib::parse(&text, None).expect("the fixtures read");
        let stem = name.replace('.', "-");
        let (kind, table) = match &file.data {
            PreflibData::Orders(p) => ("ranked", plotwise_vote::csv::write_ranked(p)),
            PreflibData::Categories { .. } => {
                let a = file.approval().expect("categories give approvals");
                ("approval", plotwise_vote::csv::write_approval(&a))
            }
        };
        // A table has a row per voter: the larger elections make seeds too slow to mutate.
        if table.len() <= MAX_TABLE_SEED {
            write(
                "ballot_csv",
                &format!("{stem}-{kind}.csv"),
                table.as_bytes(),
            )?;
        }
    }
    write("ballot_csv", "scores.csv", b"x,y,\"z, w\"\n3,-1,\n,7,10\n")?;
    write(
        "ballot_csv",
        "ties-blanks.csv",
        b"A,B,C\r\n1,1,\r\n2,1,3\r\n\r\n",
    )?;

    let units: Vec<&str> = electorate
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    let mut all = String::from("unit,choice\n");
    for (i, u) in units.iter().enumerate().step_by(3) {
        let choice = ["yes", "no", "abstain", "YES", " yes "][i % 5];
        all.push_str(&format!("{u},{choice}\n"));
    }
    write("votes_csv", "zhengwen-third.csv", all.as_bytes())?;
    write(
        "votes_csv",
        "few.csv",
        "unit,choice\n1－101,yes\n1-102,no\n".as_bytes(),
    )?;
    write(
        "votes_csv",
        "own-electorate.csv",
        b"unit,building,area_m2,owner\na,1,30,o1\nb,1,30,o1\nc,2,40.5,o3\n\0unit,choice\na,yes\nb,yes\nc,abstain\n",
    )?;
    Ok(())
}

/// A one-polyline drawing in millimetres on layer `地块红线`, saved by the dxf crate.
fn small_drawing(version: dxf::enums::AcadVersion, binary: bool) -> Vec<u8> {
    let mut d = dxf::Drawing::new();
    d.header.version = version;
    d.header.default_drawing_units = dxf::enums::Units::Millimeters;
    let pts = [(0.0, 0.0), (8000.0, 0.0), (8000.0, 5000.0), (0.0, 5000.0)];
    let specific = if version == dxf::enums::AcadVersion::R12 {
        let mut p = dxf::entities::Polyline::default();
        p.set_is_closed(true);
        for (x, y) in pts {
            p.add_vertex(
                &mut d,
                dxf::entities::Vertex::new(dxf::Point::new(x, y, 0.0)),
            );
        }
        dxf::entities::EntityType::Polyline(p)
    } else {
        let mut p = dxf::entities::LwPolyline::default();
        p.set_is_closed(true);
        p.vertices = pts
            .iter()
            .map(|&(x, y)| dxf::LwPolylineVertex {
                x,
                y,
                ..Default::default()
            })
            .collect();
        dxf::entities::EntityType::LwPolyline(p)
    };
    let mut e = dxf::entities::Entity::new(specific);
    e.common.layer = "地块红线".to_owned();
    d.add_entity(e);
    let mut out = Vec::new();
    if binary {
        d.save_binary(&mut out).expect("a drawing saves");
    } else {
        d.save(&mut out).expect("a drawing saves");
    }
    out
}

fn sorted(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    Ok(files)
}
