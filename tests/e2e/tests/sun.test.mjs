// The editor's buildings and the sun page, as a resident uses them: draw a neighbouring
// building, type its height (a bad one is refused with a message in English and in Chinese),
// go to the sun page (#/sun, its own bundle) with a plot that has a location, read the heat map's legend in hours in both languages,
// move the time slider and watch the shadows move, move the building and see the heat map
// follow (the time from the drag to the new heat map is printed), and the same on a phone.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, screenshotOnFailure } from "../harness.mjs";

let server;
let browser;
let phone;
let current;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ locale: "en-US" });
  phone = await launchBrowser({ locale: "zh-CN", viewport: { width: 375, height: 740 } });
});
after(async () => {
  await browser?.close();
  await phone?.close();
  await server?.stop();
});
afterEach(async (t) => screenshotOnFailure(t, current));

/** Screen point at fractions (fx, fy) of the plot boundary's on-screen box. */
async function at(page, fx, fy) {
  const box = await page.locator("svg#plot .plot-boundary").boundingBox();
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

async function drag(page, a, b, steps = 5) {
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(a.x + ((b.x - a.x) * i) / steps, a.y + ((b.y - a.y) * i) / steps);
  }
  await page.mouse.up();
}

/** Opens the sample `id` in a fresh editor. */
async function openSample(page, id) {
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.locator("#loading-sample").waitFor({ state: "detached", timeout: 20000 });
  await page.selectOption("#sample", id);
  await page.waitForFunction((id) => document.querySelector("#sample")?.value === id, id);
  await page.locator("svg#plot .plot-boundary").waitFor();
}

/** The heat map's numbers: minutes of sun per cell, from its data attributes. */
async function heatMinutes(page) {
  const rows = await page.locator("#sun-heat").getAttribute("data-rows");
  return rows.split(";").filter(Boolean).flatMap((r) => r.split(",").slice(2)).filter((m) => m !== "").map(Number);
}

/** From the editor to the sun page (another bundle: the page reloads with the same draft). */
async function openSunPage(page) {
  await page.click("#sun-toggle");
  await page.locator("#sun-panel").waitFor({ timeout: 30000 });
  assert.equal(await page.locator("#nav-sun").getAttribute("aria-current"), "page");
}

/** Waits until the sun view shows an answer that is not being replaced. */
async function settled(page) {
  await page.locator("#sun-heat").waitFor({ timeout: 30000 });
  await page.waitForFunction(() => document.querySelector("#sun-panel")?.getAttribute("aria-busy") === "false", null, { timeout: 30000 });
}

test("draw a neighbouring building, type its height; a bad height is refused in both languages", async () => {
  const { page, errors } = browser;
  current = page;
  await openSample(page, "yifuyuan-rooftop");
  const before = await page.locator("svg#plot .building").count();
  await page.selectOption("#zone-kind", "building");
  await page.click("#tool-rect");
  // (In the upper part of the plot: the rooftop fills the drawing, whose lower part lies
  // below the test window, where a mouse does not reach.)
  await drag(page, await at(page, 0.1, 0.55), await at(page, 0.45, 0.7));
  const drawn = page.locator("svg#plot .building.selected");
  await drawn.waitFor();
  assert.equal(await page.locator("svg#plot .building").count(), before + 1);
  assert.equal(await drawn.getAttribute("data-height"), "18", "a new building starts 18 m high");
  // A height that is not a number above 0: said in plain words, the building keeps 18 m.
  const height = page.locator("#insp-height");
  await height.fill("-3");
  await height.press("Enter");
  const error = page.locator("#insp-height-error");
  await error.waitFor();
  assert.match(await error.textContent(), /Type the height in metres, more than 0/);
  assert.equal(await height.getAttribute("aria-invalid"), "true");
  assert.equal(await drawn.getAttribute("data-height"), "18");
  await page.selectOption("#lang", "zh-CN");
  await page.waitForFunction(() => /请输入高度/.test(document.querySelector("#insp-height-error")?.textContent ?? ""));
  await page.selectOption("#lang", "en");
  await page.locator("text=Type the height in metres").waitFor();
  // A real height: taken, and the message goes.
  await height.fill("24.5");
  await height.press("Enter");
  await page.waitForFunction(() => document.querySelector("svg#plot .building.selected")?.dataset.height === "24.5");
  await error.waitFor({ state: "detached" });
  // One undo brings back 18 m.
  await page.click("#undo");
  await page.waitForFunction(() => document.querySelector("svg#plot .building.selected")?.dataset.height === "18");
  await page.click("#redo");
  await page.waitForFunction(() => document.querySelector("svg#plot .building.selected")?.dataset.height === "24.5");
  assert.deepEqual(errors, []);
});

test("the sun view: heat map with a legend in hours in English and Chinese, the time slider moves the shadows, a drag updates it", async () => {
  const { page, errors } = browser;
  current = page;
  await openSample(page, "yifuyuan-rooftop");
  await openSunPage(page);
  await settled(page);
  const panel = page.locator("#sun-panel");
  assert.match(await panel.textContent(), /Winter sun/);
  assert.match(await panel.textContent(), /Greater Cold/);
  // The legend: one band per hour of the 8-hour window, in hours, with the 2-hour threshold.
  const bands = await page.locator(".sun-legend li[data-band]").allTextContents();
  assert.equal(bands.length, 8, bands.join(" | "));
  assert.equal(bands[0].trim(), "0–1 h");
  assert.equal(bands[7].trim(), "7–8 h");
  assert.match(await page.locator(".sun-threshold").textContent(), /2 hours: the least for a sunlit spot/);
  assert.match(await page.locator("#sun-legend-h").textContent(), /each square 0\.5 m/);
  // The heat map covers the plot in 0.5 m cells; the neighbours shade part of it.
  const minutes = await heatMinutes(page);
  assert.ok(minutes.length > 1000, `${minutes.length} cells on a 450 m² rooftop`);
  assert.ok(minutes.every((m) => m >= 0 && m <= 480), "within the 8-hour window");
  assert.ok(Math.min(...minutes) < Math.max(...minutes), "some cells get less sun than others");
  assert.ok(await page.locator("#sun-heat path[data-band]").count() >= 2);

  // The time slider: later moments, other shadows; the clock says so in solar and Beijing time.
  const shadow = async () => page.locator("#sun-shadow").getAttribute("d");
  const clockText = async () => page.locator("#sun-time-text").textContent();
  assert.equal(await page.locator("#sun-earlier").isDisabled(), true, "the first moment");
  const d0 = await shadow();
  const t0 = await clockText();
  assert.match(t0, /08:00/);
  for (let i = 0; i < 4; i++) await page.click("#sun-later");
  await page.waitForFunction((t) => document.querySelector("#sun-time-text")?.textContent !== t, t0);
  assert.match(await clockText(), /09:00/);
  assert.notEqual(await shadow(), d0, "the shadows moved");
  const slider = page.locator("#sun-time");
  const max = Number(await slider.getAttribute("max"));
  await slider.fill(String(max));
  await page.waitForFunction(() => /15:45/.test(document.querySelector("#sun-time-text")?.textContent ?? ""));
  assert.notEqual(await shadow(), d0);
  assert.equal(await page.locator("#sun-later").isDisabled(), true, "the last moment");

  // Chinese: the same view in plain Chinese, hours as 小时.
  await page.selectOption("#lang", "zh-CN");
  await page.locator("text=冬季日照").first().waitFor();
  const zhBands = await page.locator(".sun-legend li[data-band]").allTextContents();
  assert.equal(zhBands[0].trim(), "0–1 小时");
  assert.match(await page.locator(".sun-threshold").textContent(), /2 小时：有日照的最低要求/);
  assert.match(await panel.textContent(), /大寒/);
  await page.selectOption("#lang", "en");
  await page.locator("text=Winter sun").first().waitFor();

  // A drag that changes the shade: a tall building dropped on the plot's south side and
  // moved north; the heat map follows without a reload. The time from releasing the mouse
  // to the new heat map is measured.
  await page.selectOption("#zone-kind", "building");
  await page.click("#tool-rect");
  await drag(page, await at(page, 0.4, 0.55), await at(page, 0.6, 0.7));
  await page.locator("svg#plot .building.selected").waitFor();
  await settled(page);
  const rowsBefore = await page.locator("#sun-heat").getAttribute("data-rows");
  await page.click("#tool-select");
  const b = await page.locator("svg#plot .building.selected").boundingBox();
  const from = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  const t = Date.now();
  await drag(page, from, { x: from.x, y: from.y - b.height }, 10);
  await page.waitForFunction((r) => {
    const h = document.querySelector("#sun-heat");
    return h && h.dataset.rows !== r && document.querySelector("#sun-panel")?.getAttribute("aria-busy") === "false";
  }, rowsBefore, { timeout: 30000 });
  const ms = Date.now() - t;
  console.log(`sun view: from the end of a drag to the updated heat map on the 450 m² rooftop: ${ms} ms`);
  // Back to the plan: the editor shows the draft as changed on the sun page (two more
  // buildings), without the sun view.
  const buildings = await page.locator("svg#plot .building").count();
  await page.click("#plan-back");
  await page.locator("#finding-counts").waitFor({ timeout: 30000 });
  assert.equal(await page.locator("#sun-panel").count(), 0);
  assert.equal(await page.locator("svg#plot .building").count(), buildings);
  assert.deepEqual(errors, []);
});

test("a plot drawn in plain metres has no location: the sun view says so", async () => {
  const { page, errors } = browser;
  current = page;
  await page.goto(server.url);
  await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
  await page.locator("#loading-sample").waitFor({ state: "detached", timeout: 20000 });
  await page.fill("#plot-width", "10");
  await page.fill("#plot-depth", "10");
  await page.click("#make-rect-plot");
  await page.waitForFunction(() => /100\.0 m²/.test(document.querySelector("#plot-area")?.textContent ?? ""));
  await openSunPage(page);
  const error = page.locator("#sun-error");
  await error.waitFor({ timeout: 30000 });
  assert.match(await error.textContent(), /sun could not be worked out/);
  assert.equal(await page.locator("#sun-heat").count(), 0);
  assert.deepEqual(errors, []);
});

test("on a phone in Chinese: the heat map, the legend and big buttons", async () => {
  const { page, errors } = phone;
  current = page;
  await openSample(page, "guonian-lot");
  await openSunPage(page);
  await settled(page);
  assert.match(await page.locator("#sun-panel").textContent(), /冬季日照/);
  const heat = await page.locator("#sun-heat").boundingBox();
  assert.ok(heat.width > 100, `the heat map is drawn on the phone (${heat.width} px wide)`);
  assert.ok((await heatMinutes(page)).length > 0);
  assert.match((await page.locator(".sun-legend li[data-band]").first().textContent()).trim(), /小时$/);
  for (const id of ["#plan-back", "#sun-earlier", "#sun-later"]) {
    const box = await page.locator(id).boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `${id}: ${box.width} × ${box.height} px`);
  }
  const d0 = await page.locator("#sun-shadow").getAttribute("d");
  await page.locator("#sun-later").tap().catch(() => page.click("#sun-later"));
  await page.waitForFunction((d) => document.querySelector("#sun-shadow")?.getAttribute("d") !== d, d0);
  assert.deepEqual(errors, []);
});
