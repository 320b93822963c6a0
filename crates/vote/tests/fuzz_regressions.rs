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
