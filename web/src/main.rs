//! The Plotwise browser app: placeholder until the foundation lands.
fn main() {}
