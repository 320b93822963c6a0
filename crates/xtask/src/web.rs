//! The web build: yew app → wasm32 → wasm-bindgen (library, locked version) → wasm-opt.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{cargo, run_cmd, step, target_dir};

/// The bundles, each a binary of plotwise-web: `web/dist/plotwise_<name>.js` and
/// `plotwise_<name>_bg.wasm`. index.html picks one by the address.
const BUNDLES: [&str; 5] = ["editor", "compare", "ballot", "committee", "consult"];

/// How to build web/dist.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options {
    /// Keep the wasm name section through wasm-opt (`-g`), so `twiggy top web/dist/*.wasm`
    /// names what takes the bytes. Makes the download larger: for analysis only.
    pub names: bool,
}

/// Builds web/dist for shipping (see [`build_with`]).
pub fn build() -> Result<()> {
    build_with(Options::default())
}

/// Builds web/dist: index.html and assets, and each bundle's js and wasm.
///
/// The new dist is assembled beside the old one and swapped in at the end, so a server
/// running from web/dist never sees it half-built.
pub fn build_with(options: Options) -> Result<()> {
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
        "--bins",
    ])?;
    let staging = Path::new("web/dist.new");
    if staging.exists() {
        std::fs::remove_dir_all(staging).context("cannot clear web/dist.new")?;
    }
    std::fs::create_dir_all(staging).context("cannot create web/dist.new")?;

    for bundle in BUNDLES {
        let wasm = target_dir().join(format!(
            "wasm32-unknown-unknown/wasm-release/plotwise-{bundle}.wasm"
        ));
        let out_name = format!("plotwise_{bundle}");
        step(&format!(
            "web: wasm-bindgen {out_name} (library, same version as in Cargo.lock)"
        ));
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .out_name(&out_name)
            .web(true)?
            .typescript(false)
            .generate(staging)
            .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;

        step(&format!("web: wasm-opt -Oz {out_name} (npm binaryen)"));
        let bg = staging.join(format!("{out_name}_bg.wasm"));
        let wasm_opt = Path::new("web/node_modules/.bin/wasm-opt");
        run_cmd(
            Command::new(wasm_opt)
                .args([
                    "-Oz",
                    "--enable-bulk-memory",
                    "--enable-nontrapping-float-to-int",
                    "--enable-reference-types",
                    "--enable-sign-ext",
                    "--enable-mutable-globals",
                    "--enable-multivalue",
                ])
                .arg(if options.names { "-g" } else { "--strip-debug" })
                .arg(&bg)
                .arg("-o")
                .arg(&bg),
        )?;
    }

    copy_dir(Path::new("web/static"), staging)?;
    compress_and_report(staging)?;
    let dist = Path::new("web/dist");
    let old = Path::new("web/dist.old");
    if old.exists() {
        std::fs::remove_dir_all(old).context("cannot clear web/dist.old")?;
    }
    if dist.exists() {
        std::fs::rename(dist, old).context("cannot move web/dist aside")?;
    }
    std::fs::rename(staging, dist).context("cannot move web/dist.new into place")?;
    if old.exists() {
        std::fs::remove_dir_all(old).context("cannot remove web/dist.old")?;
    }
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
    let mut totals: std::collections::BTreeMap<String, (usize, usize, usize)> = Default::default();
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
        // The server sends these files as they are: make sure each reads back whole.
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)?;
        anyhow::ensure!(back == bytes, "{}: gzip does not read back", path.display());
        let br = brotli(&bytes)?;
        std::fs::write(with_suffix(&path, "gz"), &gz)?;
        std::fs::write(with_suffix(&path, "br"), &br)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if let Some(bundle) = BUNDLES.iter().find(|b| {
            name.starts_with(&format!("plotwise_{b}."))
                || name.starts_with(&format!("plotwise_{b}_bg."))
        }) {
            println!(
                "  {name}: {} bytes raw, {} gzipped, {} brotli",
                bytes.len(),
                gz.len(),
                br.len()
            );
            let t = totals.entry((*bundle).to_owned()).or_default();
            t.0 += bytes.len();
            t.1 += gz.len();
            t.2 += br.len();
        }
    }
    for (bundle, (raw, gz, br)) in totals {
        println!(
            "  {bundle} bundle, wasm + js: {raw} bytes raw, {gz} gzipped (budget 400 KB), {br} brotli (sent to browsers that take it: https)"
        );
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

/// Gzip for browsers that do not take brotli (over plain http, browsers offer only gzip).
/// Zopfli writes ordinary gzip about 4–5 % smaller than zlib's best level, at build time only.
fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        bytes,
        &mut out,
    )?;
    Ok(out)
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
