//! The web build: yew app → wasm32 → wasm-bindgen (library, locked version) → wasm-opt.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{cargo, run_cmd, step, target_dir};

/// Builds web/dist: index.html and assets, `plotwise_web.js` and `plotwise_web_bg.wasm`.
pub fn build() -> Result<()> {
    step("web: cargo build (wasm32, profile wasm-release)");
    cargo(&[
        "build",
        "--locked",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "plotwise-web",
    ])?;
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm-release/plotwise-web.wasm");
    let wasm = if wasm.exists() {
        wasm
    } else {
        target_dir().join("wasm32-unknown-unknown/wasm-release/plotwise_web.wasm")
    };
    let dist = Path::new("web/dist");
    if dist.exists() {
        std::fs::remove_dir_all(dist).context("cannot clear web/dist")?;
    }
    std::fs::create_dir_all(dist).context("cannot create web/dist")?;

    step("web: wasm-bindgen (library, same version as in Cargo.lock)");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name("plotwise_web")
        .web(true)?
        .typescript(false)
        .generate(dist)
        .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;

    step("web: wasm-opt -Oz (npm binaryen)");
    let bg = dist.join("plotwise_web_bg.wasm");
    let wasm_opt = Path::new("web/node_modules/.bin/wasm-opt");
    run_cmd(
        Command::new(wasm_opt)
            .args([
                "-Oz",
                "--strip-debug",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-reference-types",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-multivalue",
            ])
            .arg(&bg)
            .arg("-o")
            .arg(&bg),
    )?;

    copy_dir(Path::new("web/static"), dist)?;
    compress_and_report(dist)?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).with_context(|| format!("{}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Writes `.br` and `.gz` beside every asset the server may compress (the server's ServeDir
/// picks the one the browser accepts) and prints the sizes, the bundle budget's pieces.
fn compress_and_report(dist: &Path) -> Result<()> {
    let mut total = (0usize, 0usize, 0usize);
    for entry in std::fs::read_dir(dist).context("web/dist")? {
        let path = entry?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(ext, "wasm" | "js" | "css" | "html" | "svg") {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| path.display().to_string())?;
        let gz = gzip(&bytes)?;
        let br = brotli(&bytes)?;
        std::fs::write(with_suffix(&path, "gz"), &gz)?;
        std::fs::write(with_suffix(&path, "br"), &br)?;
        if matches!(ext, "wasm" | "js") {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            println!(
                "  {name}: {} bytes raw, {} gzipped, {} brotli",
                bytes.len(),
                gz.len(),
                br.len()
            );
            total.0 += bytes.len();
            total.1 += gz.len();
            total.2 += br.len();
        }
    }
    println!(
        "  wasm + js: {} bytes raw, {} gzipped (budget 400 KB), {} brotli (what browsers download)",
        total.0, total.1, total.2
    );
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}
