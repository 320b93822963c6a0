// Measures the editor in headless Chromium and prints the numbers (no assertions: these are
// measurements, not timed tests):
//   - time to interactive from localhost: navigation start → the plot drawn by the wasm app,
//     median of 5 loads;
//   - p50 / p95 / max frame time (requestAnimationFrame intervals) while dragging an element
//     of the 1 km Sanxiang strip with 1,000 elements, findings and metrics recomputed on every
//     pointer move;
//   - the time one drag step takes in the app (pointermove → next frame).
// Run from tests/e2e after `cargo xtask build-web` and `cargo build -p plotwise`:
//   PLOTWISE_BIN=../../target/debug/plotwise PLOTWISE_WEB_DIR=../../web/dist node scripts/measure.mjs
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, launchBrowser } from "../harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");

/** The strip sample imported by the CLI, with 1,000 generated elements along its middle. */
function stripWith1000() {
  const out = join(mkdtempSync(join(tmpdir(), "plotwise-measure-")), "strip.json");
  execFileSync(process.env.PLOTWISE_BIN, [
    "import", join(repo, "crates/plan/samples/sanxiang-strip.geojson"), "-o", out,
  ]);
  const doc = JSON.parse(readFileSync(out, "utf8"));
  // The strip's centre line (from its two ends and the bend), local metres.
  const line = [[-485.105, -50.215], [74.93, -42.61], [484.59, 50.29]];
  const seg = line.slice(1).map((b, i) => {
    const a = line[i];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    return { a, b, len, ux: (b[0] - a[0]) / len, uy: (b[1] - a[1]) / len };
  });
  const total = seg.reduce((s, x) => s + x.len, 0);
  const kinds = ["bench", "lamp", "bin", "lamp", "planter"];
  const elements = [];
  for (let i = 0; i < 1000; i++) {
    let d = 5 + ((total - 10) * i) / 999;
    let s = seg[0];
    if (d > s.len) { d -= s.len; s = seg[1]; }
    const kind = kinds[i % kinds.length];
    const side = kind === "bench" || kind === "planter" ? 1.4 : -1.6;
    const x = s.a[0] + s.ux * d - s.uy * side;
    const y = s.a[1] + s.uy * d + s.ux * side;
    const rot = (Math.atan2(s.uy, s.ux) * 180) / Math.PI;
    elements.push({ id: `${kind}-${i + 1}`, kind, position: [x, y], rotation_deg: rot });
  }
  doc.layout.elements = elements;
  doc.layout.title = "strip with 1000 elements";
  return JSON.stringify(doc);
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const server = await startServer();
const results = {};
try {
  // Time to interactive, fresh profile each time (cold HTTP cache, wasm compiled anew).
  const tti = [];
  for (let i = 0; i < 5; i++) {
    const b = await launchBrowser();
    await b.page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector("svg#plot .plot-boundary") && document.querySelector("#tool-rect")) {
          window.__interactive = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await b.page.goto(server.url);
    await b.page.waitForFunction(() => window.__interactive !== undefined, null, { timeout: 20000 });
    tti.push(await b.page.evaluate(() => window.__interactive));
    await b.close();
  }
  results.time_to_interactive_ms = { median: pct(tti, 50), all: tti.map((x) => Math.round(x)) };

  const b = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  const { page } = b;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  const json = stripWith1000();
  const t0 = Date.now();
  await page.setInputFiles("#load-draft-file", {
    name: "strip.plotwise.json", mimeType: "application/json", buffer: Buffer.from(json),
  });
  await page.waitForFunction(() => document.querySelectorAll("svg#plot .element").length === 1000, null, { timeout: 60000 });
  results.open_1000_elements_ms = Date.now() - t0;
  results.findings = Number((await page.locator("#findings-h").textContent()).replace(/[^0-9]/g, ""));

  // Zoom in on the middle of the strip so the element under the pointer is a few pixels wide.
  for (let i = 0; i < 6; i++) await page.click("#zoom-in");
  const target = page.locator('svg#plot .element[data-kind="bench"]').nth(100);
  await target.scrollIntoViewIfNeeded();
  let box = await target.boundingBox();
  if (!box) throw new Error("no element on screen");
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };

  // Log every frame and every pointermove → next-frame delay.
  await page.evaluate(() => {
    window.__frames = [];
    window.__steps = [];
    window.__run = true;
    const loop = (t) => { window.__frames.push(t); if (window.__run) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    window.__work = [];
    let t0 = 0;
    document.addEventListener("pointermove", () => {
      const t = performance.now();
      t0 = t;
      requestAnimationFrame(() => window.__steps.push(performance.now() - t));
    }, { capture: true });
    // After the app's own (delegated) handler and the render it triggers, plus microtasks.
    window.__eval = [];
    window.addEventListener("pointermove", () => {
      queueMicrotask(() => {
        window.__work.push(performance.now() - t0);
        window.__eval.push(window.__plotwiseEvalMs);
      });
    });
  });
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 120; i++) {
    await page.mouse.move(start.x + i * 2, start.y + Math.sin(i / 10) * 20);
  }
  await page.mouse.up();
  const { frames, steps, work, evals } = await page.evaluate(() => {
    window.__run = false;
    return { frames: window.__frames, steps: window.__steps, work: window.__work, evals: window.__eval };
  });
  const after = await target.boundingBox();
  const dt = frames.slice(1).map((t, i) => t - frames[i]);
  results.drag_1000_elements = {
    frames: dt.length,
    frame_ms_p50: +pct(dt, 50).toFixed(1),
    frame_ms_p95: +pct(dt, 95).toFixed(1),
    frame_ms_max: +Math.max(...dt).toFixed(1),
    move_to_frame_ms_p50: +pct(steps, 50).toFixed(1),
    move_to_frame_ms_p95: +pct(steps, 95).toFixed(1),
    move_handler_ms_p50: +pct(work, 50).toFixed(1),
    move_handler_ms_p95: +pct(work, 95).toFixed(1),
    plan_evaluate_ms_p50: +pct(evals, 50).toFixed(1),
    plan_evaluate_ms_p95: +pct(evals, 95).toFixed(1),
    element_moved_px: Math.round(Math.hypot(after.x - box.x, after.y - box.y)),
  };
  results.js_heap_mb = await page.evaluate(() => +(performance.memory?.usedJSHeapSize / 1e6).toFixed(1));
  await b.close();
} finally {
  await server.stop();
}
console.log(JSON.stringify(results, null, 2));
