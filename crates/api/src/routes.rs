//! The web app's addresses, in one table that every reader shares: the pages (each parses
//! and writes its address here), the server (the ballot link it prints on QR sheets,
//! [`ballot_url`]) and the page loader `web/static/boot.js` (which bundle an address needs,
//! [`BUNDLES`]; a test in the web crate checks that boot.js carries this table).
//!
//! Addresses are hash routes (`{base}/#/ballot/{token}`), so a ballot token stays in the
//! fragment: it never reaches a server log or a Referer header.

/// A page of the web app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `#/` (and any address no other page takes): the layout editor.
    Editor,
    /// `#/compare`: the comparison of drafts.
    Compare,
    /// `#/sun`: the sun and shade of the open draft (heat map of hours of sun, shadows).
    Sun,
    /// `#/consult`: the consultations.
    Consultations,
    /// `#/consult/{id}`: a consultation's home.
    Home(i64),
    /// `#/consult/{id}/results`: its results.
    Results(i64),
    /// `#/consult/{id}/sheet`: its printable result sheet.
    Sheet(i64),
    /// `#/ballot/{token}`, `#/ballot`: the ballot (a token from the QR code, or typed).
    Ballot(Option<String>),
    /// `#/consult/committee`: first account, sign-in, consultations, new one.
    Committee,
    /// `#/consult/committee/{id}`: one consultation's life cycle.
    Manage(i64),
    /// A consultation or ballot address that means nothing.
    NotFound,
}

/// A bundle of the web app: the code one group of pages needs (`plotwise_{name}.js`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// The editor.
    Editor,
    /// The comparison of drafts.
    Compare,
    /// The sun and shade of the open draft: the editor's drawing and tools with the server's
    /// sun view instead of the design rules (both would not fit one bundle's budget).
    Sun,
    /// The ballot a resident opens from the QR code.
    Ballot,
    /// The committee's pages.
    Committee,
    /// The public consultation pages: the consultations and a consultation's home.
    Consult,
    /// A consultation's results and its printable sheet (opened by residents after a vote,
    /// often on a phone: they need neither the drawings nor the design rules).
    Results,
}

impl Bundle {
    /// Every bundle.
    pub const ALL: [Bundle; 7] = [
        Bundle::Editor,
        Bundle::Compare,
        Bundle::Sun,
        Bundle::Ballot,
        Bundle::Committee,
        Bundle::Consult,
        Bundle::Results,
    ];

    /// Its name, as in `plotwise_{name}.js`.
    pub fn name(self) -> &'static str {
        match self {
            Bundle::Editor => "editor",
            Bundle::Compare => "compare",
            Bundle::Sun => "sun",
            Bundle::Ballot => "ballot",
            Bundle::Committee => "committee",
            Bundle::Consult => "consult",
            Bundle::Results => "results",
        }
    }
}

/// Which bundle an address needs: the first row whose path segments begin the address's
/// (`#/consult/committee/3` → `["consult", "committee", "3"]`; `*` stands for any one
/// segment), else the editor.
pub const BUNDLES: [(&[&str], Bundle); 7] = [
    (&["ballot"], Bundle::Ballot),
    (&["consult", "committee"], Bundle::Committee),
    (&["consult", "*", "results"], Bundle::Results),
    (&["consult", "*", "sheet"], Bundle::Results),
    (&["consult"], Bundle::Consult),
    (&["compare"], Bundle::Compare),
    (&["sun"], Bundle::Sun),
];

/// The path segments of a location hash (`#/consult/3` → `["consult", "3"]`).
fn segments(hash: &str) -> Vec<&str> {
    hash.trim_start_matches('#')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

/// The bundle the address `hash` needs (see [`BUNDLES`]).
pub fn bundle_of(hash: &str) -> Bundle {
    let parts = segments(hash);
    let begins = |prefix: &[&str]| {
        prefix.len() <= parts.len()
            && prefix
                .iter()
                .zip(&parts)
                .all(|(want, part)| *want == "*" || want == part)
    };
    BUNDLES
        .iter()
        .find(|(prefix, _)| begins(prefix))
        .map_or(Bundle::Editor, |(_, b)| *b)
}

/// [`BUNDLES`] as a JavaScript array literal, `[[["ballot"],"ballot"],…]`, as boot.js has it.
pub fn bundles_js() -> String {
    let rows: Vec<String> = BUNDLES
        .iter()
        .map(|(prefix, b)| {
            let segs: Vec<String> = prefix.iter().map(|s| format!("\"{s}\"")).collect();
            format!("[[{}],\"{}\"]", segs.join(","), b.name())
        })
        .collect();
    format!("[{}]", rows.join(","))
}

impl Route {
    /// The page at location hash `hash` (`#/consult/3`, `#/`, ``).
    pub fn parse(hash: &str) -> Route {
        let id = |s: &str| s.parse::<i64>().ok().filter(|&n| n > 0);
        match segments(hash).as_slice() {
            ["ballot"] => Route::Ballot(None),
            ["ballot", token] => Route::Ballot(Some((*token).to_owned())),
            ["ballot", ..] => Route::NotFound,
            ["consult"] => Route::Consultations,
            ["consult", "committee"] => Route::Committee,
            ["consult", "committee", n] => id(n).map_or(Route::NotFound, Route::Manage),
            ["consult", n] => id(n).map_or(Route::NotFound, Route::Home),
            ["consult", n, "results"] => id(n).map_or(Route::NotFound, Route::Results),
            ["consult", n, "sheet"] => id(n).map_or(Route::NotFound, Route::Sheet),
            ["consult", ..] => Route::NotFound,
            ["compare", ..] => Route::Compare,
            ["sun", ..] => Route::Sun,
            _ => Route::Editor,
        }
    }

    /// The page's address, to link to (`#/consult/3`).
    pub fn href(&self) -> String {
        match self {
            Route::Editor => "#/".to_owned(),
            Route::Compare => "#/compare".to_owned(),
            Route::Sun => "#/sun".to_owned(),
            Route::Consultations | Route::NotFound => "#/consult".to_owned(),
            Route::Home(id) => format!("#/consult/{id}"),
            Route::Results(id) => format!("#/consult/{id}/results"),
            Route::Sheet(id) => format!("#/consult/{id}/sheet"),
            Route::Ballot(None) => "#/ballot".to_owned(),
            Route::Ballot(Some(token)) => format!("#/ballot/{token}"),
            Route::Committee => "#/consult/committee".to_owned(),
            Route::Manage(id) => format!("#/consult/committee/{id}"),
        }
    }

    /// The bundle that shows this page.
    pub fn bundle(&self) -> Bundle {
        match self {
            Route::Editor => Bundle::Editor,
            Route::Compare => Bundle::Compare,
            Route::Sun => Bundle::Sun,
            Route::Ballot(_) => Bundle::Ballot,
            Route::Committee | Route::Manage(_) => Bundle::Committee,
            Route::Results(_) | Route::Sheet(_) => Bundle::Results,
            Route::Consultations | Route::Home(_) | Route::NotFound => Bundle::Consult,
        }
    }
}

/// The ballot link of `token` on the server at `base` (`https://host`), as printed on the
/// QR sheet: `{base}/#/ballot/{token}`.
pub fn ballot_url(base: &str, token: &str) -> String {
    format!("{base}/{}", Route::Ballot(Some(token.to_owned())).href())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_route() -> Vec<Route> {
        vec![
            Route::Editor,
            Route::Compare,
            Route::Sun,
            Route::Consultations,
            Route::Home(3),
            Route::Results(3),
            Route::Sheet(3),
            Route::Ballot(None),
            Route::Ballot(Some("abcde-fghij-klmno".into())),
            Route::Committee,
            Route::Manage(12),
        ]
    }

    #[test]
    fn every_page_reads_back_its_own_address_and_its_bundle_loads_it() {
        for r in every_route() {
            let href = r.href();
            assert_eq!(Route::parse(&href), r, "{href}");
            assert_eq!(bundle_of(&href), r.bundle(), "{href}");
        }
    }

    #[test]
    fn addresses_that_mean_nothing() {
        assert_eq!(Route::parse(""), Route::Editor);
        assert_eq!(Route::parse("#/somewhere"), Route::Editor);
        assert_eq!(Route::parse("#/consult/0"), Route::NotFound);
        assert_eq!(Route::parse("#/consult/x/results"), Route::NotFound);
        assert_eq!(Route::parse("#/ballot/a/b"), Route::NotFound);
        assert_eq!(bundle_of("#/consult/nothing"), Bundle::Consult);
        assert_eq!(
            bundle_of("#/ballots"),
            Bundle::Editor,
            "a whole segment, not a prefix"
        );
        assert_eq!(bundle_of("#/consult/committee"), Bundle::Committee);
        assert_eq!(bundle_of("#/consult/7/results"), Bundle::Results);
        assert_eq!(
            bundle_of("#/consult/results"),
            Bundle::Consult,
            "* is one whole segment"
        );
    }

    #[test]
    fn the_ballot_link_keeps_the_token_in_the_fragment() {
        let url = ballot_url("https://plotwise.example.org", "abcde-fghij");
        assert_eq!(url, "https://plotwise.example.org/#/ballot/abcde-fghij");
        let fragment = url.split_once('#').map(|(_, f)| f).unwrap_or_default();
        assert_eq!(
            Route::parse(fragment),
            Route::Ballot(Some("abcde-fghij".into()))
        );
    }

    #[test]
    fn the_bundle_table_as_javascript() {
        assert_eq!(
            bundles_js(),
            r#"[[["ballot"],"ballot"],[["consult","committee"],"committee"],[["consult","*","results"],"results"],[["consult","*","sheet"],"results"],[["consult"],"consult"],[["compare"],"compare"],[["sun"],"sun"]]"#
        );
    }
}
