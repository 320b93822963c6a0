//! What Plotwise's fuzz targets run: every reader of outside input, called the way the CLI
//! (`crates/cli/src`) and the server (`crates/server/src/layout_files.rs`, the electorate
//! import in `consult.rs`) call it, with the limit pre-checks of `plotwise_plan::limits` in
//! front where the server has them.
//!
//! Each function takes the raw bytes of one input and panics only when a reader panics or a
//! property a user relies on does not hold:
//!
//! - whatever a layout reader accepts is a layout whose document (the JSON the server answers
//!   and the browser loads) reads back to the same layout;
//! - a layout document that reads writes back and reads to the same document;
//! - an electorate that reads is stored and re-read by the server to the same electorate;
//! - PrefLib files and ballot tables that read write back and read to the same ballots;
//! - every error is a message in English and Chinese (layouts) or names its line (votes).
//!
//! The cargo-fuzz targets in `fuzz/fuzz_targets/` call these functions, and
//! `tests/corpus.rs` replays the committed corpus and every crash regression through them
//! under a plain `cargo test`. Build chores for the fuzzers: `cargo xtask fuzz`.

use std::sync::OnceLock;

use plotwise_plan::LayoutDocument;
use plotwise_plan::import::wkt::WktUnits;
use plotwise_plan::limits::{self, JsonKind};
use plotwise_plan::model::Layout;
use plotwise_vote::preflib::{self, PreflibData, PreflibKind, PreflibMeta};
use plotwise_vote::{
    Electorate, HeadcountRule, Lang, Method, Outcome, Profile, Ranking, Rule, TieBreak, Votes,
};

/// A fuzz target: its name (the file in `fuzz/fuzz_targets/` and the corpus folder) and what
/// it runs on one input.
pub struct Target {
    /// The name.
    pub name: &'static str,
    /// The function run on each input.
    pub run: fn(&[u8]),
}

/// Every target, one per reader.
pub const TARGETS: &[Target] = &[
    Target {
        name: "geojson",
        run: geojson,
    },
    Target {
        name: "wkt",
        run: wkt,
    },
    Target {
        name: "dxf",
        run: dxf,
    },
    Target {
        name: "layout_document",
        run: layout_document,
    },
    Target {
        name: "electorate_csv",
        run: electorate_csv,
    },
    Target {
        name: "preflib",
        run: preflib,
    },
    Target {
        name: "ballot_csv",
        run: ballot_csv,
    },
    Target {
        name: "votes_csv",
        run: votes_csv,
    },
];

/// `POST /api/import/geojson` (and `plotwise import x.geojson`): size and UTF-8, the JSON
/// pre-check, then the GeoJSON layout reader.
pub fn geojson(data: &[u8]) {
    if limits::check_file_bytes(data.len()).is_err() {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The other kind's count must not panic either (the same scan).
    let _ = limits::precheck_json(text, JsonKind::LayoutDocument);
    if limits::precheck_json(text, JsonKind::GeoJson).is_err() {
        return;
    }
    match plotwise_plan::import::geojson::import_layout(text) {
        Ok(layout) => document_reads_back(&layout),
        Err(e) => bilingual(&e.message()),
    }
}

/// `plotwise import x.wkt` with each `--wkt-crs`: the WKT pre-check, then the WKT boundary
/// reader. (No server route reads WKT.)
pub fn wkt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if limits::precheck_wkt(text).is_err() {
        return;
    }
    for units in [WktUnits::Auto, WktUnits::Metres, WktUnits::Wgs84] {
        match plotwise_plan::import::wkt::import_boundary(text, units) {
            Ok(layout) => document_reads_back(&layout),
            Err(e) => bilingual(&e.message()),
        }
    }
}

/// `POST /api/import/dxf` (and `plotwise import x.dxf`): size, the DXF pre-check, then the
/// DXF boundary reader (ASCII or binary DXF).
pub fn dxf(data: &[u8]) {
    if limits::check_file_bytes(data.len()).is_err() || limits::precheck_dxf(data).is_err() {
        return;
    }
    match plotwise_plan::import::dxf::import_boundary(data) {
        Ok(layout) => document_reads_back(&layout),
        Err(e) => bilingual(&e.message()),
    }
}

/// For the layout targets, before fuzzing. libfuzzer-sys's panic hook aborts on every
/// panic, before any `catch_unwind` sees it; but plan guards two dependencies on purpose and
/// turns their panics into a refusal of the file, which the targets check: the dxf crate
/// (values out of range, e.g. a header date past chrono's range) and geo's boolean
/// operations, i_overlay (a debug assertion on degenerate rings, in the tolerant outline
/// check). This hook lets a panic raised in those crates' sources (or chrono's, which only
/// the dxf crate uses here) unwind quietly to plan's guard; any other panic aborts as before,
/// and one of theirs that escaped a guard aborts in libfuzzer-sys when it reaches the target.
pub fn let_plan_catch_guarded_panics() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or_default();
        let guarded = ["/dxf-0.", "/chrono-0.", "/i_overlay-"]
            .iter()
            .any(|c| file.contains(c));
        if !guarded {
            abort(info);
        }
    }));
}

/// `POST /api/export/{format}`'s reading of its body (and `plotwise check`, the browser's
/// loading of a draft): size, UTF-8, the JSON pre-check, then the layout document reader with
/// its schema migrations.
pub fn layout_document(data: &[u8]) {
    if limits::check_file_bytes(data.len()).is_err() {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if limits::precheck_json(text, JsonKind::LayoutDocument).is_err() {
        return;
    }
    match LayoutDocument::from_json(text) {
        Ok(doc) => {
            let json = doc.to_json();
            let back = LayoutDocument::from_json(&json).unwrap_or_else(|e| {
                panic!("a document that read does not read back once written: {e}\n{json}")
            });
            assert_eq!(back, doc, "a document changed on writing and reading back");
            assert_eq!(
                back.to_json(),
                json,
                "a document is written differently twice"
            );
        }
        Err(e) => bilingual(&e.message()),
    }
}

/// `PUT /api/consultations/{id}/electorate` (and `plotwise resolve --electorate`): UTF-8,
/// then the electorate reader; what it reads is what the server stores and re-reads.
pub fn electorate_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Electorate::parse_csv(text) {
        Ok(e) => {
            let stored = as_stored(&e);
            let back = Electorate::parse_csv(&stored).unwrap_or_else(|errs| {
                panic!("the stored electorate does not read back: {errs}\n{stored}")
            });
            assert_eq!(back, e, "the electorate changed when stored and re-read");
            // The summary the committee sees.
            let _ = plotwise_vote::electorate::decimal_string(&e.total_area());
            assert!(e.headcount(HeadcountRule::Owner) <= e.headcount(HeadcountRule::Unit));
            assert!(!e.buildings().is_empty());
        }
        Err(errs) => {
            assert!(!errs.0.is_empty(), "an electorate refused without a reason");
            assert!(!errs.to_string().is_empty());
        }
    }
}

/// The electorate as the server stores it and reads it back (`crates/server/src/consult.rs`,
/// `electorate_of`): each unit's fields quoted, its area as `decimal_string`.
fn as_stored(e: &Electorate) -> String {
    use plotwise_vote::csv::quote;
    let mut csv = String::from("unit,building,area_m2,owner\n");
    for u in e.units() {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            quote(&u.id),
            quote(&u.building),
            plotwise_vote::electorate::decimal_string(&u.area),
            quote(&u.owner)
        ));
    }
    csv
}

/// `plotwise tally x.soc|.soi|.toc|.toi|.cat`: UTF-8, the PrefLib reader with each type hint
/// an extension gives (and none), then the count; a file that reads is written back (as the
/// server's audit exports write ballots) and reads to the same ballots.
pub fn preflib(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The hint is used only when the file has no `# DATA TYPE:` line, so the hints an
    // extension gives are tried only then.
    let files = match preflib::parse(text, None) {
        Err(e) if e.kind == preflib::PreflibErrorKind::NoType => [
            PreflibKind::Soc,
            PreflibKind::Soi,
            PreflibKind::Toc,
            PreflibKind::Toi,
            PreflibKind::Cat,
        ]
        .iter()
        .map(|&hint| preflib::parse(text, Some(hint)))
        .collect(),
        read => vec![read],
    };
    for file in files {
        let file = match file {
            Ok(f) => f,
            Err(e) => {
                assert!(!e.to_string().is_empty());
                continue;
            }
        };
        let meta = PreflibMeta::default();
        match &file.data {
            PreflibData::Orders(p) => {
                let (kind, written) = preflib::write_orders(p, &meta);
                assert_eq!(kind, PreflibKind::narrowest(p));
                orders_read_back(p, &written, kind);
                let written = preflib::write_orders_as(p, file.kind, &meta).unwrap_or_else(|e| {
                    panic!("ballots read as .{} do not fit it: {e}", file.kind.as_str())
                });
                orders_read_back(p, &written, file.kind);
            }
            PreflibData::Categories { names, profile } => {
                let written = preflib::write_categories(profile, names, &meta);
                let back = preflib::parse(&written, None).unwrap_or_else(|e| {
                    panic!("written categories do not read back: {e}\n{written}")
                });
                let PreflibData::Categories {
                    names: back_names,
                    profile: back_profile,
                } = &back.data
                else {
                    panic!("written categories read back as orders\n{written}");
                };
                assert_eq!(back_profile.entries(), profile.entries(), "{written}");
                assert_eq!(back_names, &preflib::header_names(names, "Category"));
                assert_eq!(
                    back.alternatives(),
                    preflib::header_names(profile.alternatives(), "Alternative").as_slice()
                );
                if let Some(a) = file.approval() {
                    counted(&plotwise_vote::approval(&a), a.alternatives());
                }
            }
        }
        count_every_ranked_method(&file.ranked());
    }
}

/// Written orders read back, as `kind`, to the same ballots (names made one-line and distinct
/// by `header_names`, as documented).
fn orders_read_back(p: &Profile<Ranking>, written: &str, kind: PreflibKind) {
    let back = preflib::parse(written, None)
        .unwrap_or_else(|e| panic!("written orders do not read back: {e}\n{written}"));
    assert_eq!(back.kind, kind, "{written}");
    let PreflibData::Orders(q) = &back.data else {
        panic!("written orders read back as categories\n{written}");
    };
    assert_eq!(q.entries(), p.entries(), "{written}");
    assert_eq!(
        q.alternatives(),
        preflib::header_names(p.alternatives(), "Alternative").as_slice()
    );
}

/// `plotwise tally x.csv` with each method: UTF-8, then the ranked, approval and score table
/// readers; a table that reads is written back and reads to the same ballots.
pub fn ballot_csv(data: &[u8]) {
    use plotwise_vote::csv;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match csv::read_ranked(text) {
        Ok(p) => {
            let written = csv::write_ranked(&p);
            let back = csv::read_ranked(&written).unwrap_or_else(|e| {
                panic!("a written ranked table does not read back: {e}\n{written}")
            });
            assert_eq!(back, p, "{written}");
            count_every_ranked_method(&p);
        }
        Err(e) => assert!(e.line >= 1, "{e}"),
    }
    match csv::read_approval(text) {
        Ok(p) => {
            let written = csv::write_approval(&p);
            let back = csv::read_approval(&written).unwrap_or_else(|e| {
                panic!("a written approval table does not read back: {e}\n{written}")
            });
            assert_eq!(back, p, "{written}");
            counted(&plotwise_vote::approval(&p), p.alternatives());
        }
        Err(e) => assert!(e.line >= 1, "{e}"),
    }
    match csv::read_scores(text) {
        Ok(p) => {
            let written = csv::write_scores(&p);
            let back = csv::read_scores(&written).unwrap_or_else(|e| {
                panic!("a written score table does not read back: {e}\n{written}")
            });
            assert_eq!(back, p, "{written}");
            counted(&plotwise_vote::score(&p), p.alternatives());
        }
        Err(e) => assert!(e.line >= 1, "{e}"),
    }
}

/// `plotwise resolve VOTES --electorate E`: the votes table read against an electorate, then
/// every rule under both headcounts. An input with a NUL byte is an electorate, the NUL, and
/// the votes (so the fuzzer explores both files); without one, it is the votes against the
/// 324-unit electorate of `tests/fixtures/zhengwen-electorate.csv`.
pub fn votes_csv(data: &[u8]) {
    let (electorate, votes) = match data.iter().position(|&b| b == 0) {
        Some(i) => {
            let Ok(text) = std::str::from_utf8(&data[..i]) else {
                return;
            };
            let Ok(e) = Electorate::parse_csv(text) else {
                return;
            };
            (std::borrow::Cow::Owned(e), &data[i + 1..])
        }
        None => (std::borrow::Cow::Borrowed(fixture_electorate()), data),
    };
    let Ok(text) = std::str::from_utf8(votes) else {
        return;
    };
    let votes = match Votes::parse_csv(text, &electorate) {
        Ok(v) => v,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(votes.len() <= electorate.units().len());
    let first_building = electorate.units()[0].building.clone();
    let rules = [
        Rule::Art278Ordinary,
        Rule::Art278Major,
        Rule::Support10,
        Rule::BuildingTwoThirds(first_building),
    ];
    for rule in &rules {
        for headcount in [HeadcountRule::Owner, HeadcountRule::Unit] {
            if let Ok(r) = plotwise_vote::evaluate(rule, &electorate, &votes, headcount) {
                assert!(r.totals.voted_units <= r.totals.eligible_units);
                assert!(r.totals.participating_heads <= r.totals.eligible_heads);
                let _ = (r.render(Lang::En), r.render(Lang::ZhCn));
            }
        }
    }
}

fn fixture_electorate() -> &'static Electorate {
    static E: OnceLock<Electorate> = OnceLock::new();
    E.get_or_init(|| {
        Electorate::parse_csv(include_str!(
            "../../../tests/fixtures/zhengwen-electorate.csv"
        ))
        .expect("the fixture electorate reads")
    })
}

/// Counts ranked ballots with every ranked method, breaks a tie by a seed and explains the
/// outcome in both languages, as `plotwise tally` does.
fn count_every_ranked_method(p: &Profile<Ranking>) {
    for method in [
        Method::Plurality,
        Method::Borda,
        Method::Irv,
        Method::Schulze,
    ] {
        let outcome = plotwise_vote::count_ranked(method, p).expect("a ranked method");
        counted(&outcome, p.alternatives());
    }
}

fn counted(outcome: &Outcome, alternatives: &[String]) {
    for w in &outcome.winners {
        assert!(
            alternatives.contains(w),
            "winner {w:?} is not an alternative"
        );
    }
    let record = plotwise_vote::break_tie(outcome, &TieBreak::Seed { seed: 7 })
        .ok()
        .flatten();
    let _ = plotwise_vote::render(outcome, record.as_ref(), Lang::En);
    let _ = plotwise_vote::render(outcome, record.as_ref(), Lang::ZhCn);
}

/// What the server answers for a layout read from a file is a document the browser (and the
/// export route) reads back to the same layout.
fn document_reads_back(layout: &Layout) {
    let json = LayoutDocument::new(layout.clone()).to_json();
    let back = LayoutDocument::from_json(&json).unwrap_or_else(|e| {
        panic!("an imported layout's document does not read back: {e}\n{json}")
    });
    assert_eq!(
        &back.layout, layout,
        "an imported layout changed in its document"
    );
}

fn bilingual(m: &plotwise_plan::Text) {
    assert!(
        !m.en.is_empty() && !m.zh.is_empty(),
        "an error without a message: {m:?}"
    );
}
