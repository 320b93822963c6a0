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
  const r = c.y - start.y;
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    const a = (Math.PI / 2) * (i / 8);
    await page.mouse.move(c.x - Math.sin(a) * r, c.y - Math.cos(a) * r);
  }
  await page.mouse.up();
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
