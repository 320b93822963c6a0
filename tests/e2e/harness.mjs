// Shared harness for the browser tests: starts `plotwise serve` on a free port with a fresh
// database (an SQLite file, or with PLOTWISE_E2E_POSTGRES a new database on that PostgreSQL
// cluster, made with PLOTWISE_E2E_CREATEDB), launches Debian's Chromium headless through playwright-core (never a browser
// download), and saves a screenshot of the page when a test fails.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const artifactsDir = join(here, "artifacts");

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Starts the server on 127.0.0.1 with port 0 and resolves with its base URL. */
export async function startServer() {
  const bin = process.env.PLOTWISE_BIN;
  if (!bin) throw new Error("PLOTWISE_BIN is not set: run these tests through `cargo xtask e2e`");
  const dir = mkdtempSync(join(tmpdir(), "plotwise-e2e-"));
  const db = freshDatabase(dir);
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", db], {
    env: { ...process.env, RUST_LOG: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s: ${stderr}`)), 30000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${stderr}`)); });
  });
  return {
    url,
    /** Everything the server has written to stderr so far (its log, with the setup code). */
    get stderr() { return stderr; },
    async stop() {
      child.kill("SIGINT");
      await new Promise((r) => { if (child.exitCode !== null) r(); else child.on("exit", r); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let databases = 0;

/** A fresh database for one server: a file in `dir`, or a new PostgreSQL database. */
function freshDatabase(dir) {
  const pg = process.env.PLOTWISE_E2E_POSTGRES;
  if (!pg) return join(dir, "e2e.db");
  const url = new URL(pg);
  const name = `e2e_${process.pid}_${databases++}`;
  execFileSync(process.env.PLOTWISE_E2E_CREATEDB || "createdb",
    ["-h", url.hostname, "-p", url.port, "-U", decodeURIComponent(url.username), name]);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Launches Chromium with a fresh profile; `viewport` defaults to a laptop screen.
 * `bypassCSP` lets a test inject its own script (axe-core) past the server's
 * Content-Security-Policy, which allows scripts from the server only. */
export async function launchBrowser({ viewport = { width: 1280, height: 900 }, locale = "en-US", bypassCSP = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "plotwise-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale,
    acceptDownloads: true,
    bypassCSP,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot named after the test when it failed. Call from afterEach. */
export async function screenshotOnFailure(t, page) {
  if (!page || t.passed !== false) return;
  mkdirSync(artifactsDir, { recursive: true });
  const name = t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true }).catch(() => {});
  console.error(`screenshot of the failed test: ${path}`);
}
