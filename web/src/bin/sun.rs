//! The sun bundle: see the crate docs.

fn main() {
    plotwise_web::start_sun();
}
