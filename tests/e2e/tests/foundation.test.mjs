// The foundation: the app loads from the server, draws a sample plot to scale with its area
// computed by crates/plan, and switches between English and Chinese, remembering the choice.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, screenshotOnFailure } from "../harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ locale: "en-US" });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});
afterEach(async (t) => screenshotOnFailure(t, browser?.page));

/** Reads the number of square metres shown in #plot-area. */
async function shownArea(page) {
  const text = await page.locator("#plot-area").textContent();
  const m = text.replace(/,/g, "").match(/([0-9]+(?:\.[0-9]+)?)\s*m²/);
  assert.ok(m, `no area in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

// A sample plot comes from the server: wait (up to 10 s) for the shown area to settle near
// `expected`, then return it (the caller asserts).
async function areaNear(page, expected) {
  let area = await shownArea(page);
  for (let i = 0; i < 100 && Math.abs(area - expected) / expected >= 0.001; i++) {
    await page.waitForTimeout(100);
    area = await shownArea(page);
  }
  return area;
}

test("the health endpoint answers JSON with the database status", async () => {
  const res = await fetch(`${server.url}/api/health`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "ok");
  assert.equal(body.database.ok, true);
  assert.equal(body.database.journal_mode, "wal");
});

test("the app draws a sample plot with the area crates/plan computes", async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  // The default sample is the Guonian lot; its reference area (UTM 51N) is 324.73 m².
  await page.selectOption("#sample", "guonian-lot");
  const area = await areaNear(page, 324.73);
  assert.ok(Math.abs(area - 324.73) / 324.73 < 0.001, `area ${area} m²`);
  // Another sample: the rooftop platform, 450 m².
  await page.selectOption("#sample", "yifuyuan-rooftop");
  const roof = await areaNear(page, 450.0);
  assert.ok(Math.abs(roof - 450.0) / 450.0 < 0.001, `area ${roof} m²`);
  // Drawn to scale: the scale bar's length in screen units matches its label.
  const bar = await page.locator("svg#plot .scale-bar").getAttribute("data-metres");
  assert.ok(Number(bar) > 0, `scale bar ${bar}`);
  assert.deepEqual(errors, []);
});

test("switching to Chinese shows Chinese text and survives a reload", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await page.selectOption("#lang", "zh-CN");
  await page.locator("text=地块面积").first().waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
  await page.reload();
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  assert.match(await page.locator("body").innerText(), /地块面积/);
  await page.selectOption("#lang", "en");
  await page.locator("text=Plot area").first().waitFor();
});

test("the editor, the comparison, the ballot, the committee's, the consultation and the results pages load their own bundle and switch by address", async () => {
  const { page } = browser;
  const loaded = [];
  const onRequest = (req) => {
    const m = req.url().match(/plotwise_(editor|compare|ballot|committee|consult|results)_bg\.wasm/);
    if (m) loaded.push(m[1]);
  };
  page.on("request", onRequest);
  try {
    await page.goto(server.url);
    await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
    assert.deepEqual(loaded, ["editor"]);
    // Following the header's link to the consultation pages reloads into their bundle…
    await page.click("#nav-consult");
    await page.waitForFunction(() => !document.querySelector("svg#plot"), null, { timeout: 20000 });
    await page.waitForLoadState("load");
    await page.waitForFunction(() => document.getElementById("loading") === null, null, { timeout: 20000 });
    assert.deepEqual(loaded, ["editor", "consult"]);
    // …and back to the editor.
    await page.evaluate(() => { location.hash = "#/"; });
    await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
    assert.deepEqual(loaded, ["editor", "consult", "editor"]);
    // The comparison page has its own bundle too, with the same header.
    await page.click("#nav-compare");
    await page.locator("#compare-table").waitFor({ timeout: 20000 });
    assert.equal(await page.locator("#nav-compare").getAttribute("aria-current"), "page");
    assert.deepEqual(loaded, ["editor", "consult", "editor", "compare"]);
    // A ballot link (typed here without a token) opens the ballot's own small bundle.
    await page.evaluate(() => { location.hash = "#/ballot"; });
    await page.locator("#token-input").waitFor({ timeout: 20000 });
    assert.deepEqual(loaded, ["editor", "consult", "editor", "compare", "ballot"]);
    assert.equal(await page.locator("#nav-committee").count(), 0);
    // The committee's pages are a bundle of their own too.
    await page.evaluate(() => { location.hash = "#/consult/committee"; });
    await page.locator("#sign-in").waitFor({ timeout: 20000 });
    assert.deepEqual(loaded, ["editor", "consult", "editor", "compare", "ballot", "committee"]);
    // And a consultation's results (no such consultation here: the page says so).
    await page.evaluate(() => { location.hash = "#/consult/1/results"; });
    await page.locator("#results-not-yet").waitFor({ timeout: 20000 });
    assert.deepEqual(loaded, ["editor", "consult", "editor", "compare", "ballot", "committee", "results"]);
  } finally {
    page.off("request", onRequest);
  }
});
