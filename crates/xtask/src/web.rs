//! The web build: yew app → wasm32 → wasm-bindgen (library, locked version) → wasm-opt →
//! gzip and brotli, the post-processing cached by the hash of its input.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::{cargo, run_cmd, step, target_dir};

/// The bundles, each a binary of plotwise-web: `web/dist/plotwise_<name>.js` and
/// `plotwise_<name>_bg.wasm`. index.html picks one by the address, from the same route table
/// (`plotwise_api::routes`).
fn bundles() -> impl Iterator<Item = &'static str> {
    plotwise_api::routes::Bundle::ALL
        .into_iter()
        .map(|b| b.name())
}

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

/// Each bundle's budget, wasm + js as served gzipped (DESIGN.md: 400 KB).
const BUDGET_GZ: u64 = 400_000;

/// What the post-processing of a bundle depends on besides its input wasm: bump it when
/// [`postprocess`] changes what it writes.
const POSTPROCESS_VERSION: &str = "bindgen =0.2.130 web; short import names; wasm-opt -Oz (flags of 2026-11); zopfli gzip; brotli q11 w22; v2";

/// Builds web/dist: index.html and assets, and each bundle's js and wasm.
///
/// cargo builds the wasm (a no-op when nothing changed). Each bundle's post-processing
/// (wasm-bindgen, wasm-opt, gzip, brotli: minutes in all) is kept in `target/web-cache`
/// under a hash of its input wasm, the options and the tools' versions, and skipped when
/// that input has not changed.
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

    let tools = std::fs::read("web/package-lock.json").context("web/package-lock.json")?;
    let mut entries = Vec::new();
    for bundle in bundles() {
        let wasm = target_dir().join(format!(
            "wasm32-unknown-unknown/wasm-release/plotwise-{bundle}.wasm"
        ));
        let input = std::fs::read(&wasm).with_context(|| wasm.display().to_string())?;
        let key = {
            let mut h = Sha256::new();
            h.update(POSTPROCESS_VERSION.as_bytes());
            h.update([u8::from(options.names)]);
            h.update(&tools);
            h.update(bundle.as_bytes());
            h.update(&input);
            hex16(&h.finalize())
        };
        let cached = target_dir()
            .join("web-cache")
            .join(format!("{bundle}-{key}"));
        prune_cache(bundle, &cached)?;
        if cached.join(DONE).exists() {
            step(&format!(
                "web: {bundle}: input unchanged, post-processing reused ({})",
                cached.display()
            ));
        }
        entries.push((bundle, wasm, cached));
    }
    // The bundles to post-process, a few at a time (zopfli and brotli use one core each).
    let todo: Vec<_> = entries
        .iter()
        .filter(|(_, _, cached)| !cached.join(DONE).exists())
        .collect();
    let parallel = std::thread::available_parallelism().map_or(1, usize::from);
    for chunk in todo.chunks(parallel.max(1)) {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|(bundle, wasm, cached)| {
                    scope.spawn(move || postprocess(bundle, wasm, cached, options))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(anyhow::anyhow!("a post-processing thread panicked"))
                    })
                })
                .collect::<Result<Vec<()>>>()
        })?;
    }
    let mut totals = Vec::new();
    for (bundle, _, cached) in &entries {
        let mut sizes = (0, 0, 0);
        for entry in std::fs::read_dir(cached).with_context(|| cached.display().to_string())? {
            let entry = entry?;
            let name = entry.file_name();
            if name == DONE {
                continue;
            }
            std::fs::copy(entry.path(), staging.join(&name))
                .with_context(|| format!("copy {}", entry.path().display()))?;
            let len = entry.metadata()?.len();
            let name = name.to_string_lossy();
            if name.ends_with(".gz") {
                sizes.1 += len;
            } else if name.ends_with(".br") {
                sizes.2 += len;
            } else {
                sizes.0 += len;
                println!("  {name}: {len} bytes raw");
            }
        }
        totals.push((*bundle, sizes));
    }

    copy_dir(Path::new("web/static"), staging)?;
    for entry in std::fs::read_dir("web/static").context("web/static")? {
        let path = staging.join(entry?.file_name());
        if path.is_file() {
            compress(&path)?;
        }
    }
    let mut over = Vec::new();
    for (bundle, (raw, gz, br)) in totals {
        println!(
            "  {bundle} bundle, wasm + js: {raw} bytes raw, {gz} gzipped (budget {BUDGET_GZ} bytes), {br} brotli (sent to browsers that take it: https)"
        );
        if gz > BUDGET_GZ {
            over.push(format!("{bundle}: {gz} bytes gzipped"));
        }
    }
    anyhow::ensure!(
        over.is_empty() || options.names,
        "over the bundle budget of {BUDGET_GZ} bytes gzipped (DESIGN.md, 400 KB as served): {}",
        over.join(", ")
    );
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

/// The marker a finished cache entry holds (written last, so a cut-off run is redone).
const DONE: &str = ".done";

/// Removes the bundle's older cache entries (one per bundle is kept: the current one).
fn prune_cache(bundle: &str, keep: &Path) -> Result<()> {
    let dir = target_dir().join("web-cache");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with(&format!("{bundle}-")) && path != keep {
            std::fs::remove_dir_all(&path).with_context(|| path.display().to_string())?;
        }
    }
    Ok(())
}

/// Gives the imports the wasm takes from its JS glue short names (`i0`, `i1`, …) in both
/// files. wasm-bindgen names each `__wbg_{what}_{16 hex digits}`, and every name is written
/// twice, as a key of the glue's import object and in the wasm's import section: ~165 names
/// of ~45 characters per bundle, whose hex digits do not compress. What a name means is only
/// the pairing of the two files, which stays; the glue's functions keep their bodies.
///
/// Each name must occur exactly once in the glue as a key of its import object (a line
/// `        name: …`), else the build stops: a wasm-bindgen that writes its glue otherwise is
/// noticed here, not in a browser.
fn shorten_imports(js: &Path, wasm: &Path) -> Result<()> {
    let glue_module = format!(
        "./{}",
        wasm.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .replace(".wasm", ".js")
    );
    let mut module = walrus::Module::from_file(wasm)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", wasm.display()))?;
    let mut glue = std::fs::read_to_string(js).with_context(|| js.display().to_string())?;
    let mut n = 0;
    for import in module.imports.iter_mut() {
        if import.module != glue_module {
            continue;
        }
        let key = format!("\n        {}:", import.name);
        anyhow::ensure!(
            glue.matches(&key).count() == 1,
            "{}: the import `{}` is not a key of the glue's import object once (wasm-bindgen \
             changed its glue? see shorten_imports in crates/xtask/src/web.rs)",
            js.display(),
            import.name
        );
        let short = format!("i{n}");
        glue = glue.replacen(&key, &format!("\n        {short}:"), 1);
        import.name = short;
        n += 1;
    }
    anyhow::ensure!(
        n > 0,
        "{}: no imports from {glue_module} (wasm-bindgen changed its module name?)",
        wasm.display()
    );
    module
        .emit_wasm_file(wasm)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", wasm.display()))?;
    std::fs::write(js, glue).with_context(|| js.display().to_string())
}

fn hex16(bytes: &[u8]) -> String {
    bytes[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// wasm-bindgen, wasm-opt, gzip and brotli of one bundle, into the cache folder `out`.
fn postprocess(bundle: &str, wasm: &Path, out: &Path, options: Options) -> Result<()> {
    let work = out.with_extension("partial");
    if work.exists() {
        std::fs::remove_dir_all(&work).with_context(|| work.display().to_string())?;
    }
    std::fs::create_dir_all(&work).with_context(|| work.display().to_string())?;
    let out_name = format!("plotwise_{bundle}");
    step(&format!(
        "web: wasm-bindgen {out_name} (library, same version as in Cargo.lock)"
    ));
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .out_name(&out_name)
        .web(true)?
        .typescript(false)
        .generate(&work)
        .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;

    let bg = work.join(format!("{out_name}_bg.wasm"));
    shorten_imports(&work.join(format!("{out_name}.js")), &bg)?;
    step(&format!("web: wasm-opt -Oz {out_name} (npm binaryen)"));
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
    step(&format!("web: gzip (zopfli) and brotli of {out_name}"));
    let files: Vec<_> = std::fs::read_dir(&work)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    for path in files {
        anyhow::ensure!(
            path.is_file(),
            "wasm-bindgen wrote a folder ({}): the web build does not copy folders yet",
            path.display()
        );
        compress(&path)?;
    }
    std::fs::write(work.join(DONE), POSTPROCESS_VERSION)?;
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| out.display().to_string())?;
    }
    std::fs::rename(&work, out)
        .with_context(|| format!("cannot move {} into place", work.display()))
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

/// Writes `.gz` and `.br` beside an asset the server may compress (the server's ServeDir
/// picks the one the browser accepts).
fn compress(path: &Path) -> Result<()> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    if !matches!(ext, "wasm" | "js" | "css" | "html" | "svg") {
        return Ok(());
    }
    let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
    let gz = gzip(&bytes)?;
    // The server sends these files as they are: make sure each reads back whole.
    let mut back = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)?;
    anyhow::ensure!(back == bytes, "{}: gzip does not read back", path.display());
    let br = brotli(&bytes)?;
    std::fs::write(with_suffix(path, "gz"), &gz)?;
    std::fs::write(with_suffix(path, "br"), &br)?;
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
