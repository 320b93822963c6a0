//! Passes the host's target triple to the xtask (for `cargo fetch --target`).

fn main() {
    let host = std::env::var("TARGET").expect("cargo sets TARGET for build scripts");
    println!("cargo:rustc-env=XTASK_HOST={host}");
}
