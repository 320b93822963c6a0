//! The app's addresses: crates/api's route table ([`plotwise_api::routes`]), read by every
//! page (links and the page shown), by the server (the ballot links it prints) and by the
//! page loader `static/boot.js` (which bundle an address needs). The tests here check that
//! the loader and the bundles built are the table's.

pub use plotwise_api::routes::Route;

#[cfg(test)]
mod tests {
    use plotwise_api::routes::{Bundle, bundles_js};

    #[test]
    fn the_page_loader_carries_the_route_table() {
        let js = include_str!("../static/boot.js");
        let line = format!("const BUNDLES = {};", bundles_js());
        assert!(
            js.lines().any(|l| l.trim() == line),
            "web/static/boot.js must pick bundles by the route table: give it the line\n{line}\n(from plotwise_api::routes::BUNDLES)"
        );
    }

    #[test]
    fn every_bundle_of_the_table_is_built() {
        let manifest = include_str!("../Cargo.toml");
        for b in Bundle::ALL {
            let bin = format!("name = \"plotwise-{}\"", b.name());
            let main = format!("path = \"src/bin/{}.rs\"", b.name());
            assert!(
                manifest.contains(&bin) && manifest.contains(&main),
                "web/Cargo.toml lacks the bin of bundle {}",
                b.name()
            );
        }
    }
}
