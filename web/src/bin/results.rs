//! The results bundle: see the crate docs.

fn main() {
    plotwise_web::start_results();
}
