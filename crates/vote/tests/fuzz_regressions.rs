//! Inputs that fuzzing (`cargo xtask fuzz`, fuzz/) found a reader mishandling, each with the
//! clear error a user now gets. The same inputs are replayed through the fuzz targets'
//! checks by crates/fuzz/tests/corpus.rs (from fuzz/regressions/).

use plotwise_vote::preflib::{self, PreflibErrorKind, PreflibKind};

/// A `.cat` file with no `NUMBER CATEGORIES` and no ballot read as a file of no categories,
/// which writes back as `NUMBER CATEGORIES: 0`, which the reader refuses: it is refused when
/// read, as that line is.
#[test]
fn a_cat_file_without_categories_is_refused() {
    let text = "# TITLE: Debian 2002 Leader\n# ALTERNATIVE NAME 1: Branden Robinson\n";
    let e = preflib::parse(text, Some(PreflibKind::Cat)).unwrap_err();
    assert_eq!(e.line, 0);
    assert!(matches!(e.kind, PreflibErrorKind::Header(_)));
    assert!(e.to_string().contains("NUMBER CATEGORIES"), "{e}");
    // A ballot line with no category is no better.
    let e = preflib::parse(&format!("{text}3: \n"), Some(PreflibKind::Cat)).unwrap_err();
    assert!(e.to_string().contains("1 to 1000 categories"), "{e}");
    // With categories declared, no ballots is fine: an empty vote.
    let f = preflib::parse(
        &format!("{text}# NUMBER CATEGORIES: 2\n"),
        Some(PreflibKind::Cat),
    )
    .unwrap();
    assert_eq!(f.ranked().voters(), 0);
}

/// `# ALTERNATIVE NAME 99999999999999:` without `NUMBER ALTERNATIVES` made room for that many
/// names, and the allocation failure aborted the process; it is refused like a `NUMBER
/// ALTERNATIVES` over the limit, naming the line.
#[test]
fn a_huge_alternative_index_is_refused() {
    let text = "# DATA TYPE: soi\n# ALTERNATIVE NAME 99999999999999: x\n";
    let e = preflib::parse(text, None).unwrap_err();
    assert_eq!(e.line, 2);
    assert_eq!(
        e.to_string(),
        "line 2: 99999999999999 alternatives is more than the 1000 supported"
    );
    // At the limit, a missing name is what is wrong.
    let e = preflib::parse("# DATA TYPE: soi\n# ALTERNATIVE NAME 1000: x\n", None).unwrap_err();
    assert_eq!(e.kind, PreflibErrorKind::MissingName(1));
}

/// An area of 100,000 digits took 14 s to read in exact arithmetic (quadratic: 400,000 took
/// 100 s), and the electorate route would have spent it on one request; an area has at most
/// `MAX_AREA_DIGITS` digits, and a longer one is refused naming its line, without echoing it.
#[test]
fn an_area_with_too_many_digits_is_refused() {
    use plotwise_vote::Electorate;
    use plotwise_vote::electorate::{ElectorateErrorKind, MAX_AREA_DIGITS, parse_decimal};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions/electorate_csv/area-100000-digits.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let errs = Electorate::parse_csv(&text).unwrap_err().0;
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, 2);
    assert_eq!(errs[0].kind, ElectorateErrorKind::AreaDigits(100_001));
    assert_eq!(
        errs[0].to_string(),
        "line 2: area_m2 has 100001 digits, more than the 30 an area can have (e.g. 87.01)"
    );
    // Thirty digits read, exactly.
    let thirty = format!("{}.{}", "1".repeat(20), "5".repeat(10));
    assert_eq!(MAX_AREA_DIGITS, 30);
    assert!(parse_decimal(&thirty).is_some());
    let e =
        Electorate::parse_csv(&format!("unit,building,area_m2,owner\na,1,{thirty},o\n")).unwrap();
    assert_eq!(
        plotwise_vote::electorate::decimal_string(&e.total_area()),
        thirty
    );
    assert!(parse_decimal(&format!("{thirty}1")).is_none());
}

/// A ranked table of one alternative whose ballot ranks nothing (an empty cell) was written
/// as a blank line, which reads as no ballot: the written table lost a voter. The empty cell
/// is written `""`.
#[test]
fn a_ballot_ranking_nothing_of_one_alternative_survives_writing() {
    use plotwise_vote::csv::{read_ranked, write_ranked};
    let p = read_ranked("Garden\n\"\"\n1\n").unwrap();
    assert_eq!(p.voters(), 2);
    let written = write_ranked(&p);
    assert_eq!(written, "Garden\n\"\"\n1\n");
    assert_eq!(read_ranked(&written).unwrap(), p);
    // The input fuzzing found: control characters around the name, a row of one vertical tab.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions/ballot_csv/one-alternative-ranked-nothing.csv");
    let text = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    let p = read_ranked(&text).unwrap();
    assert_eq!(p.voters(), 1);
    assert_eq!(read_ranked(&write_ranked(&p)).unwrap(), p);
}
