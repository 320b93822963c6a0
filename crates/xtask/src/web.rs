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
    report_sizes(dist)?;
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

/// Prints the raw and gzipped sizes of the wasm and js, the bundle budget's pieces.
fn report_sizes(dist: &Path) -> Result<()> {
    let mut total_gz = 0usize;
    for name in ["plotwise_web_bg.wasm", "plotwise_web.js"] {
        let bytes = std::fs::read(dist.join(name)).with_context(|| name.to_owned())?;
        let gz = gzip_len(&bytes)?;
        total_gz += gz;
        println!("  {name}: {} bytes raw, {gz} bytes gzipped", bytes.len());
    }
    println!("  wasm + js gzipped: {total_gz} bytes (budget 400 KB)");
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("cannot run gzip")?;
    let mut stdin = child.stdin.take().context("gzip stdin")?;
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("gzip writer panicked"))??;
    Ok(out.stdout.len())
}
