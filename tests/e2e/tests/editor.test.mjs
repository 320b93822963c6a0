// The editor, step by step as a resident uses it: draw a seating zone and a path, place a
// bench, watch the figures and the problems change, undo and redo, reload and find the draft
// intact, export the SVG board and parse it, compare two drafts; and a bad file is refused
// without losing anything.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
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

/** Screen point at fractions (fx, fy) of the plot boundary's on-screen box. */
async function at(page, fx, fy) {
  const box = await page.locator("svg#plot .plot-boundary").boundingBox();
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

async function seats(page) {
  return Number(await page.locator("#metric-seats").textContent());
}

async function cost(page) {
  return Number((await page.locator("#cost-total").textContent()).replace(/[^0-9]/g, ""));
}

async function rules(page) {
  return page.locator("#findings-list .finding").evaluateAll((els) => els.map((e) => e.dataset.rule));
}

// Drags a turning handle from `start` (due north of `c` on screen) a quarter turn round `c`
// to the west, in eight steps.
async function quarterTurn(page, c, start) {
  const r = c.y - start.y;
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    const a = (Math.PI / 2) * (i / 8);
    await page.mouse.move(c.x - Math.sin(a) * r, c.y - Math.cos(a) * r);
  }
  await page.mouse.up();
}

async function drag(page, a, b) {
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) {
    await page.mouse.move(a.x + ((b.x - a.x) * i) / 5, a.y + ((b.y - a.y) * i) / 5);
  }
  await page.mouse.up();
}

test("draw zones, place a bench, see figures and problems change, undo, redo, reload", async () => {
  const { page, errors } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.selectOption("#sample", "guonian-lot");
  await page.locator("svg#plot .plot-boundary").waitFor();
  assert.equal(await page.locator("svg#plot .zone").count(), 0);
  assert.equal(await seats(page), 0);
  assert.equal(await cost(page), 0);
  const before = await rules(page);
  assert.ok(!before.includes("step-free-route"), `already ${before}`);

  // A seating area, dragged out with the rectangle tool.
  await page.selectOption("#zone-kind", "seating");
  await page.click("#tool-rect");
  await drag(page, await at(page, 0.35, 0.35), await at(page, 0.6, 0.7));
  const seating = page.locator('svg#plot .zone[data-kind="seating"]');
  await seating.waitFor();
  assert.equal(await seating.count(), 1);
  await page.locator('[data-metric="area_seating"]').waitFor();
  // Nothing connects it to the entrance yet: the step-free rule says so.
  await page.locator('#findings-list .finding[data-rule="step-free-route"]').first().waitFor();
  const costZone = await cost(page);
  assert.ok(costZone > 0, "the paving of the seating area is costed");

  // A path, clicked corner by corner with the polygon tool.
  await page.selectOption("#zone-kind", "path");
  await page.click("#tool-polygon");
  for (const [fx, fy] of [[0.1, 0.8], [0.3, 0.8], [0.3, 0.86], [0.1, 0.86]]) {
    const p = await at(page, fx, fy);
    await page.mouse.click(p.x, p.y);
  }
  await page.click("#finish-shape");
  await page.locator('svg#plot .zone[data-kind="path"]').waitFor();
  await page.locator('[data-metric="area_path"]').waitFor();

  // A bench from the palette, placed inside the seating area.
  await page.click('.palette-item[data-kind="bench"]');
  const spot = await at(page, 0.48, 0.52);
  await page.mouse.click(spot.x, spot.y);
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor();
  assert.equal(await seats(page), 3);
  assert.ok((await cost(page)) > costZone);
  assert.ok((await page.locator("#insp-x").inputValue()) !== "", "the inspector shows the bench");

  // Typing an exact position moves it.
  await page.fill("#insp-x", "3");
  await page.press("#insp-x", "Enter");
  await page.locator("#insp-x").evaluate((e) => e.blur());
  await page.waitForFunction(() => document.querySelector("#insp-x")?.value === "3.00");

  // Undo and redo, with the buttons and the keys.
  await page.click("#undo"); // the typed move
  await page.click("#undo"); // the bench
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor({ state: "detached" });
  assert.equal(await seats(page), 0);
  await page.click("#redo");
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor();
  assert.equal(await seats(page), 3);
  await page.locator("svg#plot").focus();
  await page.keyboard.press("Control+z");
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor({ state: "detached" });
  await page.keyboard.press("Control+Shift+z");
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor();
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+y");
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor();

  // Dragging the bench shows it moving and is one undoable step.
  const bench = await page.locator('svg#plot .element[data-kind="bench"]').boundingBox();
  const c = { x: bench.x + bench.width / 2, y: bench.y + bench.height / 2 };
  await drag(page, c, { x: c.x + 30, y: c.y + 10 });
  const moved = await page.locator('svg#plot .element[data-kind="bench"]').boundingBox();
  assert.ok(Math.abs(moved.x - bench.x) > 10, "the bench moved");

  // Clicking a problem selects what it is about.
  await page.locator('#findings-list .finding[data-rule="step-free-route"] button').first().click();
  await page.locator("svg#plot .finding-highlight, svg#plot .zone.selected").first().waitFor();

  // Reload: the draft is still there, as it was.
  const zones = await page.locator("svg#plot .zone").count();
  const costNow = await cost(page);
  await page.reload();
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  assert.equal(await page.locator("svg#plot .zone").count(), zones);
  assert.equal(await page.locator('svg#plot .element[data-kind="bench"]').count(), 1);
  assert.equal(await seats(page), 3);
  assert.equal(await cost(page), costNow);
  assert.deepEqual(errors, []);
});

test("export the SVG board and parse it", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  assert.ok((await page.locator("svg#plot .zone").count()) > 0, "the draft of the first test");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-svg")]);
  assert.match(download.suggestedFilename(), /\.svg$/);
  const text = readFileSync(await download.path(), "utf8");
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, "image/svg+xml");
    return {
      error: doc.getElementsByTagName("parsererror").length,
      root: doc.documentElement.localName,
      width: doc.documentElement.getAttribute("width"),
      paths: doc.getElementsByTagName("path").length,
      text: doc.documentElement.textContent,
    };
  }, text);
  assert.equal(parsed.error, 0, "well-formed XML");
  assert.equal(parsed.root, "svg");
  assert.match(parsed.width, /mm$/, "sized in millimetres, to print to scale");
  assert.ok(parsed.paths >= 3, `${parsed.paths} paths`);
});

test("duplicate a draft, change it and compare the two", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  const first = await page.locator("#draft-list .draft.current").getAttribute("data-draft");
  await page.locator("#draft-list .draft.current .duplicate").click();
  await page.waitForFunction(
    (id) => document.querySelector("#draft-list .draft.current")?.dataset.draft !== id,
    first,
  );
  assert.match(await page.locator("#draft-title").inputValue(), /\(copy\)$/);
  // The alternative gets a second bench.
  await page.click('.palette-item[data-kind="bench"]');
  const spot = await at(page, 0.4, 0.62);
  await page.mouse.click(spot.x, spot.y);
  await page.waitForFunction(() => document.querySelector("#metric-seats")?.textContent === "6");

  await page.click("#nav-compare");
  await page.locator("#compare-table").waitFor();
  const pick = page.locator(`.compare-pick[data-draft="${first}"]`);
  if (!(await pick.isChecked())) await pick.check();
  // Existing + the two drafts, side by side at one scale.
  await page.waitForFunction(() => document.querySelectorAll(".side-by-side svg.mini").length === 3);
  const bars = await page.locator(".side-by-side .scale-bar").evaluateAll((els) => els.map((e) => e.dataset.metres));
  assert.equal(new Set(bars).size, 1, `one scale: ${bars}`);
  const seatsRow = page.locator('#compare-table tr[data-row="seats"] td');
  assert.deepEqual(await seatsRow.evaluateAll((tds) => tds.map((td) => parseFloat(td.textContent))), [0, 6, 3]);
  assert.equal(await page.locator('#compare-table tr[data-row="seats"] td.best').count(), 1);
  assert.match(await page.locator('#compare-table tr[data-row="seats"] td.best').textContent(), /^6/);
  // The overlay of option 2 against option 1 shows the one bench removed.
  await page.selectOption("#overlay-a", "1");
  await page.selectOption("#overlay-b", "2");
  await page.locator("#diff-overlay .diff-removed").first().waitFor();
  assert.match(await page.locator(".legend").textContent(), /1 removed/);
});

test("a bad boundary file is refused with a message, and nothing is lost", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  const drafts = await page.locator("#draft-list .draft").count();
  const zones = await page.locator("svg#plot .zone").count();
  await page.setInputFiles("#import-boundary", {
    name: "broken.geojson",
    mimeType: "application/geo+json",
    buffer: Buffer.from('{"type": "FeatureCollection", "features": [ {"type": '),
  });
  await page.locator("#notice.problem").waitFor();
  assert.match(await page.locator("#notice").textContent(), /could not be opened/);
  assert.equal(await page.locator("#draft-list .draft").count(), drafts);
  assert.equal(await page.locator("svg#plot .zone").count(), zones);
  // The same message in Chinese.
  await page.selectOption("#lang", "zh-CN");
  assert.match(await page.locator("#notice").textContent(), /无法打开此文件/);
  await page.selectOption("#lang", "en");
});

test("export GeoJSON and open it again; PDF board from the server", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  const zones = await page.locator("svg#plot .zone").count();
  const elements = await page.locator("svg#plot .element").count();
  assert.ok(zones > 0);
  // The bill of quantities opens in Excel: a BOM, the header, a row per line and the total.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
  assert.match(csv.suggestedFilename(), /\.csv$/);
  const table = readFileSync(await csv.path(), "utf8");
  assert.ok(table.startsWith("\uFEFFitem,description_zh,description_en,quantity"), table.slice(0, 80));
  const rows = table.trim().split("\r\n");
  assert.ok(rows.length >= 3, `${rows.length} rows`);
  assert.match(rows[rows.length - 1], /^TOTAL,合计,Total,/);
  const [geo] = await Promise.all([page.waitForEvent("download"), page.click("#export-geojson")]);
  const text = readFileSync(await geo.path(), "utf8");
  const fc = JSON.parse(text);
  assert.equal(fc.type, "FeatureCollection");
  const roles = fc.features.map((f) => f.properties.role);
  assert.equal(roles.filter((r) => r === "zone").length, zones);
  assert.equal(roles.filter((r) => r === "element").length, elements);
  // WGS84 longitudes and latitudes around Shanghai, not local metres.
  const [lon, lat] = fc.features.find((f) => f.properties.role === "element").geometry.coordinates;
  assert.ok(lon > 120 && lon < 123 && lat > 30 && lat < 32, `${lon}, ${lat}`);
  // The file opens again as a new draft with the same zones and elements.
  const drafts = await page.locator("#draft-list .draft").count();
  await page.setInputFiles("#import-boundary", { name: "layout.geojson", mimeType: "application/geo+json", buffer: Buffer.from(text) });
  await page.waitForFunction((n) => document.querySelectorAll("#draft-list .draft").length === n + 1, drafts);
  assert.equal(await page.locator("svg#plot .zone").count(), zones);
  assert.equal(await page.locator("svg#plot .element").count(), elements);

  const [pdf] = await Promise.all([page.waitForEvent("download"), page.click("#export-pdf")]);
  assert.match(pdf.suggestedFilename(), /\.pdf$/);
  const bytes = readFileSync(await pdf.path());
  assert.equal(bytes.subarray(0, 5).toString(), "%PDF-");
});

test("open a plot by typing its size, then draw a boundary by tapping corners", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.fill("#plot-width", "20");
  await page.fill("#plot-depth", "15");
  await page.click("#make-rect-plot");
  await page.waitForFunction(() => /300\.0 m²/.test(document.querySelector("#plot-area")?.textContent ?? ""));
  await page.click("#draw-boundary");
  for (const [fx, fy] of [[0, 1], [1, 1], [1, 0], [0.5, 0]]) {
    const p = await at(page, fx, fy);
    await page.mouse.click(p.x, p.y);
  }
  await page.click("#finish-shape");
  // A trapezoid on the 20 × 15 m box (grid 0.5 m): (20 + 10) / 2 × 15 = 225 m².
  await page.waitForFunction(() => /225\.0 m²/.test(document.querySelector("#plot-area")?.textContent ?? ""));
});

test("the keyboard alone: pick from the list, move with arrows, turn with R, delete", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.fill("#plot-width", "12");
  await page.fill("#plot-depth", "8");
  await page.click("#make-rect-plot");
  await page.waitForFunction(() => /96\.0 m²/.test(document.querySelector("#plot-area")?.textContent ?? ""));
  await page.click('.palette-item[data-kind="planter"]');
  const p = await at(page, 0.5, 0.5);
  await page.mouse.click(p.x, p.y);
  await page.locator('svg#plot .element[data-kind="planter"]').waitFor();
  await page.keyboard.press("Escape");
  // Select it from the list of everything on the plan, with the keyboard.
  await page.locator(".objects summary").focus();
  await page.keyboard.press("Enter");
  await page.locator(".objects button.link").first().focus();
  await page.keyboard.press("Enter");
  const x0 = Number(await page.locator("#insp-x").inputValue());
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction((x) => Number(document.querySelector("#insp-x").value) === x + 0.5, x0);
  await page.keyboard.press("r");
  await page.waitForFunction(() => document.querySelector("#insp-rot").value === "15.00");
  await page.keyboard.press("Delete");
  await page.locator('svg#plot .element[data-kind="planter"]').waitFor({ state: "detached" });
  await page.keyboard.press("Control+z");
  await page.locator('svg#plot .element[data-kind="planter"]').waitFor();
});

test("pan and zoom: wheel, drag on empty ground, two-finger pinch, buttons", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.click("#tool-select");
  const vb = async () => (await page.locator("svg#plot").getAttribute("viewBox")).split(" ").map(Number);
  const start = await vb();
  const svgBox = await page.locator("svg#plot").boundingBox();
  const mid = { x: svgBox.x + svgBox.width / 2, y: svgBox.y + svgBox.height / 2 };
  // Wheel towards you zooms in.
  await page.mouse.move(mid.x, mid.y);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((w) => Number(document.querySelector("svg#plot").getAttribute("viewBox").split(" ")[2]) < w, start[2]);
  const zoomed = await vb();
  // Dragging empty ground (outside the plot) pans without changing the scale.
  const corner = { x: svgBox.x + 6, y: svgBox.y + 6 };
  await drag(page, corner, { x: corner.x + 60, y: corner.y + 40 });
  const panned = await vb();
  assert.ok(Math.abs(panned[0] - zoomed[0]) > 0.01, "panned east-west");
  assert.ok(Math.abs(panned[2] - zoomed[2]) < 1e-6, "same scale");
  // Two fingers moving apart zoom in (touch pointer events through the DevTools protocol).
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, d) => cdp.send("Input.dispatchTouchEvent", {
    type,
    touchPoints: type === "touchEnd" ? [] : [
      { x: mid.x - d, y: mid.y, id: 1 },
      { x: mid.x + d, y: mid.y, id: 2 },
    ],
  });
  await touch("touchStart", 20);
  for (const d of [30, 45, 60, 80]) await touch("touchMove", d);
  await touch("touchEnd", 80);
  await page.waitForFunction((w) => Number(document.querySelector("svg#plot").getAttribute("viewBox").split(" ")[2]) < w * 0.8, panned[2]);
  // "Whole plot" brings the first view back.
  await page.click("#zoom-fit");
  await page.waitForFunction((w) => Math.abs(Number(document.querySelector("svg#plot").getAttribute("viewBox").split(" ")[2]) - w) < 1e-3, start[2]);
});

test("a fresh start, then another sample: it replaces the untouched draft and is saved", async () => {
  // A new profile: the first draft is the default sample, untouched.
  const fresh = await launchBrowser({ locale: "en-US" });
  const { page } = fresh;
  try {
    await page.goto(server.url);
    await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
    const first = await page.locator("#plot-area").textContent();
    assert.equal(await page.locator("#draft-list .draft").count(), 1);
    await page.selectOption("#sample", "siping-corner");
    await page.waitForFunction((a) => document.querySelector("#plot-area")?.textContent !== a, first);
    const area = await page.locator("#plot-area").textContent();
    assert.equal(await page.locator("#draft-list .draft").count(), 1, "no clutter: the untouched draft was reused");
    await page.reload();
    await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
    assert.equal(await page.locator("#plot-area").textContent(), area);
  } finally {
    await fresh.close();
  }
});

test("with the grid off, a corner dropped near an edge snaps onto it", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.fill("#plot-width", "20");
  await page.fill("#plot-depth", "15");
  await page.click("#make-rect-plot");
  await page.waitForFunction(() => /300\.0 m²/.test(document.querySelector("#plot-area")?.textContent ?? ""));
  await page.selectOption("#grid", "0");
  await page.selectOption("#zone-kind", "lawn");
  await page.click("#tool-rect");
  const box = await page.locator("svg#plot .plot-boundary").boundingBox();
  // 3 px inside the west edge, away from any corner; the other corner lands off-grid.
  const a = { x: box.x + 3, y: box.y + box.height * 0.37 };
  const b = { x: box.x + box.width * 0.43, y: box.y + box.height * 0.71 };
  await drag(page, a, b);
  await page.locator('svg#plot .zone[data-kind="lawn"]').waitFor();
  assert.equal(await page.locator("#insp-x").inputValue(), "0.00", "snapped to the west edge");
  assert.notEqual(Number(await page.locator("#insp-w").inputValue()) % 0.5, 0, "no grid");
  await page.selectOption("#grid", "0.5");
});

test("turn a bench by dragging its handle round (15° steps on the grid)", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.fill("#plot-width", "10");
  await page.fill("#plot-depth", "10");
  await page.click("#make-rect-plot");
  await page.waitForFunction(() => /100\.0 m²/.test(document.querySelector("#plot-area")?.textContent ?? ""));
  await page.click('.palette-item[data-kind="bench"]');
  const c = await at(page, 0.5, 0.5);
  await page.mouse.click(c.x, c.y);
  await page.locator("svg#plot .rotate-handle").waitFor();
  assert.equal(await page.locator("#insp-rot").inputValue(), "0.00");
  // The handle starts north of the bench; dragging it round to the west turns it 90°.
  const h = await page.locator("svg#plot .rotate-handle").boundingBox();
  const start = { x: h.x + h.width / 2, y: h.y + h.height / 2 };
  await quarterTurn(page, c, start);
  await page.waitForFunction(() => document.querySelector("#insp-rot").value === "90.00");
  await page.click("#undo");
  await page.waitForFunction(() => document.querySelector("#insp-rot").value === "0.00");
});

test("deleting a draft asks first; saying no keeps it", async () => {
  const { page } = browser;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  const other = page.locator("#draft-list .draft:not(.current)").first();
  const id = await other.getAttribute("data-draft");
  const count = await page.locator("#draft-list .draft").count();
  page.once("dialog", (d) => d.dismiss());
  await other.locator(".delete").click();
  assert.equal(await page.locator("#draft-list .draft").count(), count);
  page.once("dialog", (d) => d.accept());
  await page.locator(`#draft-list .draft[data-draft="${id}"] .delete`).click();
  await page.locator(`#draft-list .draft[data-draft="${id}"]`).waitFor({ state: "detached" });
  assert.equal(await page.locator("#draft-list .draft").count(), count - 1);
});

/** Screen centre of the first element matching `sel`. */
async function centre(page, sel) {
  const b = await page.locator(sel).first().boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Waits (up to 5 s) for the inspector's x, y, width and depth, then asserts them. */
async function inspectorIs(page, want) {
  const read = () => page.evaluate(() => ["x", "y", "w", "d"].map((k) => document.querySelector(`#insp-${k}`)?.value));
  for (let i = 0; i < 50 && JSON.stringify(await read()) !== JSON.stringify(want); i++) await page.waitForTimeout(100);
  assert.deepEqual(await read(), want);
}

/** A new 10 × 10 m plot (grid 0.5 m); returns screen pixels per metre. */
async function tenByTen(page) {
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.fill("#plot-width", "10");
  await page.fill("#plot-depth", "10");
  await page.click("#make-rect-plot");
  await page.waitForFunction(() => /100\.0 m²/.test(document.querySelector("#plot-area")?.textContent ?? ""));
  return (await page.locator("svg#plot .plot-boundary").boundingBox()).width / 10;
}

/** Draws a lawn from (2, 8) to (5, 6) on the 10 × 10 m plot: 3 × 2 m, selected. */
async function lawn(page) {
  await page.selectOption("#zone-kind", "lawn");
  await page.click("#tool-rect");
  await drag(page, await at(page, 0.2, 0.2), await at(page, 0.5, 0.4));
  await page.locator('svg#plot .zone[data-kind="lawn"]').waitFor();
  await inspectorIs(page, ["2.00", "6.00", "3.00", "2.00"]);
}

test("resize a zone with its corner and side handles (Shift keeps proportions); undo", async () => {
  const { page, errors } = browser;
  const m = await tenByTen(page);
  await lawn(page);
  // Eight resize handles on the bounding box, each labelled for screen readers.
  assert.equal(await page.locator("svg#plot .resize-handle").count(), 8);
  assert.match(await page.locator('svg#plot .resize-handle[data-arg="ne"]').getAttribute("aria-label"), /Resize/);
  // The north-east corner 1 m east and 1 m north: the south-west corner stays at (2, 6).
  // The figures follow while dragging (6 → 12 m² of lawn on 100 m²), before the drop.
  const green = () => page.locator('[data-metric="green_ratio"] dd').textContent();
  assert.equal(await green(), "6 %");
  const ne = await centre(page, 'svg#plot .resize-handle[data-arg="ne"]');
  await page.mouse.move(ne.x, ne.y);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(ne.x + (m * i) / 5, ne.y - (m * i) / 5);
  await page.waitForFunction(() => document.querySelector('[data-metric="green_ratio"] dd')?.textContent === "12 %");
  await inspectorIs(page, ["2.00", "6.00", "3.00", "2.00"]);
  await page.mouse.up();
  await inspectorIs(page, ["2.00", "6.00", "4.00", "3.00"]);
  assert.equal(await page.locator("#insp-area").textContent(), "12.0 m²");
  // The west side 1 m west: only the width changes, the east side stays at 6.
  const w = await centre(page, 'svg#plot .resize-handle[data-arg="w"]');
  await drag(page, w, { x: w.x - m, y: w.y + 0.6 * m });
  await inspectorIs(page, ["1.00", "6.00", "5.00", "3.00"]);
  // With Shift, the corner 1 m east scales both ways by 6/5: 6 × 3.6 m.
  const ne2 = await centre(page, 'svg#plot .resize-handle[data-arg="ne"]');
  await page.keyboard.down("Shift");
  await drag(page, ne2, { x: ne2.x + m, y: ne2.y });
  await page.keyboard.up("Shift");
  await inspectorIs(page, ["1.00", "6.00", "6.00", "3.60"]);
  // By touch: the hit circle is at least 44 px across whatever the zoom, so a finger 14 px
  // off the small mark still takes the north side; 0.5 m south lands on the grid at 9: 3 m deep.
  const hit = await page.locator('svg#plot .handle-hit[data-arg="n"]').boundingBox();
  assert.ok(hit.width >= 44 && hit.width < 52, `hit circle ${hit.width} px`);
  const n = await centre(page, 'svg#plot .resize-handle[data-arg="n"]');
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, y) => cdp.send("Input.dispatchTouchEvent", {
    type, touchPoints: type === "touchEnd" ? [] : [{ x: n.x + 14, y, id: 1 }],
  });
  await touch("touchStart", n.y);
  for (let i = 1; i <= 5; i++) await touch("touchMove", n.y + (0.5 * m * i) / 5);
  await touch("touchEnd", n.y + 0.5 * m);
  await inspectorIs(page, ["1.00", "6.00", "6.00", "3.00"]);
  // Dragging a side past the opposite one leaves the smallest size, never a flipped zone.
  const e = await centre(page, 'svg#plot .resize-handle[data-arg="e"]');
  await drag(page, e, { x: e.x - 9 * m, y: e.y });
  await inspectorIs(page, ["1.00", "6.00", "0.10", "3.00"]);
  // Each drag is one step back.
  for (const want of [["1.00", "6.00", "6.00", "3.00"], ["1.00", "6.00", "6.00", "3.60"], ["1.00", "6.00", "5.00", "3.00"], ["2.00", "6.00", "4.00", "3.00"], ["2.00", "6.00", "3.00", "2.00"]]) {
    await page.click("#undo");
    await inspectorIs(page, want);
  }
  assert.deepEqual(errors, []);
});

test("turn a zone with its handle about its centroid (15° steps on the grid); undo", async () => {
  const { page } = browser;
  await tenByTen(page);
  await lawn(page);
  // The centroid (3.5, 7) stays; the handle starts north of it.
  const c = await at(page, 0.35, 0.3);
  const start = await centre(page, "svg#plot .rotate-handle");
  assert.ok(Math.abs(start.x - c.x) < 2, `handle above the centroid: ${start.x} vs ${c.x}`);
  assert.match(await page.locator("svg#plot .rotate-handle").getAttribute("aria-label"), /Turn/);
  await quarterTurn(page, c, start);
  // A quarter turn: 2 × 3 m about (3.5, 7), same area.
  await inspectorIs(page, ["2.50", "5.50", "2.00", "3.00"]);
  assert.equal(await page.locator("#insp-area").textContent(), "6.0 m²");
  await page.click("#undo");
  await inspectorIs(page, ["2.00", "6.00", "3.00", "2.00"]);
});

test("resize a bench by a corner handle in its own frame; a lamp (round) has none", async () => {
  const { page } = browser;
  const m = await tenByTen(page);
  await page.click('.palette-item[data-kind="bench"]');
  const c = await at(page, 0.5, 0.5);
  await page.mouse.click(c.x, c.y);
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor();
  // The catalogue's 1.8 × 0.6 m bench at (5, 5): four corner handles.
  await inspectorIs(page, ["5.00", "5.00", "1.80", "0.60"]);
  assert.equal(await page.locator("svg#plot .resize-handle").count(), 4);
  // Its north-east corner (5.9, 5.3) dragged to about (7, 5.5), on the grid: the south-west
  // corner (4.1, 4.7) stays, so the bench is 2.9 × 0.8 m centred on (5.55, 5.1).
  const ne = await centre(page, 'svg#plot .resize-handle[data-arg="ne"]');
  await drag(page, ne, { x: ne.x + 1.1 * m, y: ne.y - 0.2 * m });
  await inspectorIs(page, ["5.55", "5.10", "2.90", "0.80"]);
  await page.click("#undo");
  await inspectorIs(page, ["5.00", "5.00", "1.80", "0.60"]);
  // Turned a quarter (R six times), the same corner handle works in the bench's own frame:
  // its local north-east corner is now at the north-west, (4.7, 5.9).
  await page.locator("svg#plot").focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press("r");
  await page.waitForFunction(() => document.querySelector("#insp-rot").value === "90.00");
  const ne90 = await centre(page, 'svg#plot .resize-handle[data-arg="ne"]');
  assert.ok(ne90.x < c.x && ne90.y < c.y, "the local north-east corner is north-west on screen");
  // Dragged about 1 m west it lands on the grid at (3.5, 6); the far corner (5.3, 4.1) stays:
  // the bench is 1.9 m along its own x (north) by 1.8 m, centred on (4.4, 5.05).
  await drag(page, ne90, { x: ne90.x - m, y: ne90.y });
  await inspectorIs(page, ["4.40", "5.05", "1.90", "1.80"]);
  await page.click("#undo");
  await inspectorIs(page, ["5.00", "5.00", "1.80", "0.60"]);
  // A lamp is round (one diameter): it turns, but has no resize handles.
  await page.click('.palette-item[data-kind="lamp"]');
  const p = await at(page, 0.2, 0.8);
  await page.mouse.click(p.x, p.y);
  await page.locator('svg#plot .element[data-kind="lamp"]').waitFor();
  await page.locator("svg#plot .rotate-handle").waitFor();
  assert.equal(await page.locator("svg#plot .resize-handle").count(), 0);
});

test("every drag on the drawing has a way without dragging (WCAG 2.5.7): taps, buttons, keys", async () => {
  const { page, errors } = browser;
  await tenByTen(page);
  // A rectangle by two taps: the first sets a corner, the next the opposite one.
  await page.selectOption("#zone-kind", "lawn");
  await page.click("#tool-rect");
  const a = await at(page, 0.2, 0.2);
  await page.mouse.click(a.x, a.y);
  assert.equal(await page.locator('svg#plot .zone[data-kind="lawn"]').count(), 0, "one tap makes no zone");
  const b = await at(page, 0.5, 0.4);
  await page.mouse.click(b.x, b.y);
  await page.locator('svg#plot .zone[data-kind="lawn"]').waitFor();
  await inspectorIs(page, ["2.00", "6.00", "3.00", "2.00"]);
  // Move, resize and turn by buttons (each one undo step).
  await page.click("#move-east");
  await inspectorIs(page, ["2.50", "6.00", "3.00", "2.00"]);
  await page.click("#move-north");
  await inspectorIs(page, ["2.50", "6.50", "3.00", "2.00"]);
  await page.click("#grow-w");
  await inspectorIs(page, ["2.50", "6.50", "3.50", "2.00"]);
  await page.click("#grow-d");
  await inspectorIs(page, ["2.50", "6.50", "3.50", "2.50"]);
  await page.click("#shrink-d");
  await inspectorIs(page, ["2.50", "6.50", "3.50", "2.00"]);
  await page.click("#turn-left");
  await page.waitForFunction(() => document.querySelector("#insp-w").value !== "3.50");
  assert.equal(await page.locator("#insp-area").textContent(), "7.0 m²", "a turn keeps the area");
  await page.click("#undo");
  await inspectorIs(page, ["2.50", "6.50", "3.50", "2.00"]);
  // A corner by two taps: tap its handle (it is picked up), then tap where it goes.
  const corner = page.locator('svg#plot .vertex-handle[data-arg="0:0"]');
  const c0 = await centre(page, 'svg#plot .vertex-handle[data-arg="0:0"]');
  const before = await corner.getAttribute("cx");
  await page.mouse.click(c0.x, c0.y);
  await page.locator("svg#plot .picked-corner").waitFor();
  assert.equal(await page.locator("#insp-area").textContent(), "7.0 m²", "picking up changes nothing");
  const m = (await page.locator("svg#plot .plot-boundary").boundingBox()).width / 10;
  await page.mouse.click(c0.x - m, c0.y + m);
  await page.locator("svg#plot .picked-corner").waitFor({ state: "detached" });
  await page.waitForFunction((cx) => document.querySelector('svg#plot .vertex-handle[data-arg="0:0"]')?.getAttribute("cx") !== cx, before);
  assert.notEqual(await page.locator("#insp-area").textContent(), "7.0 m²", "the corner moved");
  await page.click("#undo");
  await page.waitForFunction(() => document.querySelector("#insp-area")?.textContent === "7.0 m²");
  // An element turned by a button, 15° at a time.
  await page.click('.palette-item[data-kind="bench"]');
  const p = await at(page, 0.7, 0.7);
  await page.mouse.click(p.x, p.y);
  await page.locator('svg#plot .element[data-kind="bench"]').waitFor();
  await page.click("#turn-right");
  await page.waitForFunction(() => document.querySelector("#insp-rot").value === "345.00");
  // The view: pan by buttons and, with nothing selected, by the arrow keys; zoom by buttons.
  const vb = async () => (await page.locator("svg#plot").getAttribute("viewBox")).split(" ").map(Number);
  const v0 = await vb();
  await page.click("#pan-east");
  const v1 = await vb();
  assert.ok(v1[0] > v0[0] && Math.abs(v1[2] - v0[2]) < 1e-6, `panned east at the same scale: ${v0} → ${v1}`);
  await page.click("#pan-north");
  assert.ok((await vb())[1] < v1[1], "panned north");
  await page.keyboard.press("Escape");
  await page.locator("svg#plot").focus();
  await page.evaluate(() => document.querySelector("svg#plot").focus());
  await page.mouse.click((await page.locator("svg#plot").boundingBox()).x + 4, (await page.locator("svg#plot").boundingBox()).y + 4);
  const v2 = await vb();
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction((x) => Number(document.querySelector("svg#plot").getAttribute("viewBox").split(" ")[0]) < x, v2[0]);
  await page.click("#zoom-in");
  assert.ok((await vb())[2] < v2[2], "zoomed in");
  assert.deepEqual(errors, []);
});
