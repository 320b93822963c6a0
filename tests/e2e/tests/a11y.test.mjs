// Accessibility of every page, measured: the editor, the comparison, the consultations, a
// consultation's home, the ballot (code entry, each kind of ballot, the check, the receipt),
// the committee's pages (sign-in, the list, a consultation collecting proposals and one in
// its vote), the results and the printable sheet, each in Chinese and English, in normal and
// large text: axe-core with the WCAG 2.0–2.2 A and AA rules, 0 violations; and the elder-mode
// sizes (MIIT 适老化 2021): text of at least 18 px in large text, every visible control's hit
// area at least 60 × 60 px in large text and 44 × 44 px otherwise, text contrast 4.5:1
// (see ../a11y.mjs). The measurements are printed as a table.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, screenshotOnFailure } from "../harness.mjs";
import { auditPage } from "../a11y.mjs";

let server;
let browser;
let phone;
let current;
const rows = [];

before(async () => {
  server = await startServer();
  // axe-core is injected as a script tag: past the app's Content-Security-Policy.
  browser = await launchBrowser({ locale: "en-US", bypassCSP: true });
  phone = await launchBrowser({ locale: "zh-CN", viewport: { width: 375, height: 740 }, bypassCSP: true });
});
after(async () => {
  if (rows.length) {
    console.log("accessibility measured (axe violations, body text px, smallest hit area px):");
    for (const r of rows) {
      console.log(`  ${r.page.padEnd(58)} axe ${r.violations}  body ${r.bodyPx} px  smallest control ${r.smallestControlPx?.toFixed(1)} px (${r.controls} controls)`);
    }
  }
  await browser?.close();
  await phone?.close();
  await server?.stop();
});
afterEach(async (t) => screenshotOnFailure(t, current));

/** The one-time setup code from the server's log (tracing may colour it). */
async function setupCode() {
  for (let i = 0; i < 100; i++) {
    const m = server.stderr.replace(/\x1b\[[0-9;]*m/g, "").match(/setup_code=([0-9a-f]{24})/);
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no setup code in the server log:\n${server.stderr}`);
}

/** The first committee account, and calls as it through the API. */
async function committeeApi() {
  const res = await fetch(`${server.url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ setup_code: await setupCode(), username: "alice", password: "correct horse battery" }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers.getSetCookie()[0].split(";")[0];
  const { csrf_token } = await res.json();
  return async (method, path, body, type = "application/json") => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, "x-csrf-token": csrf_token, "content-type": type },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

const ELECTORATE = "unit,building,area_m2,owner\n1-101,1,80,o1\n1-102,1,70.5,o2\n1-201,1,90,o3\n2-101,2,100,o4\n2-102,2,59.5,o4\n";
const base = { tie_break: { rule: "shortlist_order" }, resolution: { rule: "art278-ordinary" }, headcount: "owner" };

/** A consultation with two options (a sample plot, and the same with half its zones). */
async function consultation(api, title, settings, { open = true } = {}) {
  const doc = await (await fetch(`${server.url}/api/samples/guonian-lot`)).json();
  const quiet = structuredClone(doc);
  quiet.layout.zones = quiet.layout.zones.slice(0, Math.ceil(quiet.layout.zones.length / 2));
  const c = await api("POST", "/api/consultations", { title, description: "Which garden for the lot?", settings });
  await api("PUT", `/api/consultations/${c.id}/electorate`, ELECTORATE, "text/csv");
  await api("POST", `/api/consultations/${c.id}/transition`, { to: "collecting" });
  if (!open) return { id: c.id };
  const ids = [];
  for (const [t, layout] of [["花园 Garden", doc], ["安静花园 Quiet garden", quiet]]) {
    ids.push((await api("POST", `/api/consultations/${c.id}/proposals`, { title: t, author: "王阿姨", layout })).id);
  }
  await api("POST", `/api/consultations/${c.id}/transition`, { to: "frozen", proposal_ids: ids });
  const tokens = await api("POST", `/api/consultations/${c.id}/tokens`, { round: "option", base_url: server.url });
  const opened = await api("POST", `/api/consultations/${c.id}/open-vote`, {});
  return { id: c.id, tok: tokens.tokens.map((t) => t.token), codes: opened.codes };
}

/** A consultation whose option vote is counted and whose formal resolution is open. */
async function resolutionOpen(api, title) {
  const c = await consultation(api, title, { ...base, method: "approval" });
  await api("POST", "/api/ballots", { token: c.tok[0], vote: { round: "option", ballot: { kind: "approval", approved: [0] } } });
  await api("POST", `/api/consultations/${c.id}/count`, { codes: c.codes });
  await api("POST", `/api/consultations/${c.id}/transition`, { to: "resolution" });
  const res = await api("POST", `/api/consultations/${c.id}/tokens`, { round: "resolution", base_url: server.url });
  return { ...c, resolutionTokens: res.tokens.map((t) => t.token) };
}

async function audit(page, label, ready) {
  current = page;
  rows.push(...(await auditPage(page, label, ready)));
}

/** Opens `hash` and waits for `selector`. */
async function open(page, hash, selector) {
  await page.goto(`${server.url}/${hash}`);
  await page.locator(selector).first().waitFor({ timeout: 20000 });
}

let api;
let irv;
let published;
const ballots = {};

test("set up consultations in every phase through the API", async () => {
  api = await committeeApi();
  irv = await consultation(api, "北门空地 North gate lot", { ...base, method: "irv" });
  for (const [method, extra] of [["approval", {}], ["score", { max_score: 5 }], ["plurality", {}]]) {
    ballots[method] = await consultation(api, `${method} 投票`, { ...base, method, ...extra });
  }
  // Counted, resolved and published: the results page and sheet have everything.
  published = await resolutionOpen(api, "已公布 Published");
  await api("POST", "/api/ballots", { token: published.resolutionTokens[0], vote: { round: "resolution", choice: "yes" } });
  // A formal resolution open for ballots.
  const resolution = await resolutionOpen(api, "正式表决 Resolution");
  ballots.resolution = { tok: resolution.resolutionTokens };
});

test("the editor with a zone selected, and the comparison", async () => {
  const { page, errors } = browser;
  await open(page, "", "svg#plot .plot-boundary");
  await page.locator("#loading-sample").waitFor({ state: "detached", timeout: 20000 });
  // A rectangle drawn by two taps (no drag), selected: the inspector and handles show.
  await page.selectOption("#zone-kind", "seating");
  await page.click("#tool-rect");
  const box = await page.locator("svg#plot .plot-boundary").boundingBox();
  for (const [fx, fy] of [[0.3, 0.3], [0.6, 0.6]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }
  await page.locator('svg#plot .zone[data-kind="seating"].selected').waitFor();
  await audit(page, "editor", async () => page.locator("svg#plot .resize-handle").first().waitFor());
  await page.click("#nav-compare");
  await page.locator("#compare-table").waitFor({ timeout: 20000 });
  await audit(page, "compare");
  assert.deepEqual(errors, []);
});

test("a building in the editor; the sun page: a building selected, the heat map, the legend and the time slider", async () => {
  const { page, errors } = browser;
  await open(page, "", "svg#plot .plot-boundary");
  await page.locator("#loading-sample").waitFor({ state: "detached", timeout: 20000 });
  await page.selectOption("#sample", "yifuyuan-rooftop");
  await page.waitForFunction(() => document.querySelector("#sample")?.value === "yifuyuan-rooftop");
  // A neighbouring building drawn by two taps (selected: its height field shows), with a
  // bad height typed, so the message is audited too. The window is made tall enough for the
  // whole drawing (the rooftop plot fills it; a mouse does not reach below the window).
  const size = page.viewportSize();
  await page.setViewportSize({ width: size.width, height: 1600 });
  await page.selectOption("#zone-kind", "building");
  await page.click("#tool-rect");
  const box = await page.locator("svg#plot .plot-boundary").boundingBox();
  for (const [fx, fy] of [[0.1, 0.75], [0.4, 0.95]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }
  await page.locator("svg#plot .building.selected").waitFor();
  await page.fill("#insp-height", "0");
  await page.press("#insp-height", "Enter");
  await page.locator("#insp-height-error").waitFor();
  await audit(page, "editor, a building with a bad height", async () => page.locator("#insp-height-error").waitFor());
  // The sun page (its own bundle, the same draft): the heat map, the legend, the time
  // slider, and a building selected there with a bad height typed.
  await page.click("#sun-toggle");
  const ready = async () => {
    await page.locator("#sun-heat").waitFor({ timeout: 30000 });
    await page.waitForFunction(() => document.querySelector("#sun-panel")?.getAttribute("aria-busy") === "false", null, { timeout: 30000 });
    await page.locator(".sun-legend").waitFor();
  };
  await ready();
  const b = await page.locator("svg#plot .building").last().boundingBox();
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await page.locator("svg#plot .building.selected").waitFor();
  await page.fill("#insp-height", "0");
  await page.press("#insp-height", "Enter");
  await page.locator("#insp-height-error").waitFor();
  await page.click("#sun-later");
  await audit(page, "sun page", ready);
  await page.setViewportSize(size);
  assert.deepEqual(errors, []);
});

test("the consultations, a consultation's home, the results and the printable sheet", async () => {
  const { page, errors } = browser;
  await open(page, "#/consult", "#consult-list .cards li");
  await audit(page, "consultations");
  await open(page, `#/consult/${irv.id}`, '#consult-home [data-option="B"] svg.plan');
  await audit(page, "consultation home");
  // Validated and published: the public results show the count and the resolution.
  await api("POST", `/api/consultations/${published.id}/transition`, { to: "validated" });
  await api("POST", `/api/consultations/${published.id}/transition`, { to: "published" });
  await open(page, `#/consult/${published.id}/results`, '#results[data-phase="published"] #winners');
  await audit(page, "results");
  await open(page, `#/consult/${published.id}/sheet`, "#sheet #sheet-options");
  await audit(page, "printable sheet");
  assert.deepEqual(errors, []);
});

test("the ballot on a phone: the code, each kind of ballot, the check and the receipt", async () => {
  const { page, errors } = phone;
  await open(page, "#/ballot", "#token-input");
  await audit(page, "ballot: code entry");
  await open(page, `#/ballot/${irv.tok[0]}`, '#ballot[data-method="irv"] [data-option="B"] svg.plan');
  await audit(page, "ballot: ranked (irv)");
  for (const method of ["approval", "score", "plurality"]) {
    await open(page, `#/ballot/${ballots[method].tok[0]}`, `#ballot[data-method="${method}"] [data-option="B"] svg.plan`);
    await audit(page, `ballot: ${method}`);
  }
  await open(page, `#/ballot/${ballots.resolution.tok[0]}`, '#ballot[data-round="resolution"] #choice-yes');
  await audit(page, "ballot: formal resolution");
  // The check and the receipt of a ranked ballot.
  await open(page, `#/ballot/${irv.tok[1]}`, '#ballot [data-option="A"] .mark.rank');
  await page.click('[data-option="A"] .mark.rank');
  await page.click("#next");
  await page.locator("#confirm").waitFor();
  await audit(page, "ballot: check");
  await page.click("#cast");
  await page.locator("#receipt #receipt-code").waitFor();
  await audit(page, "ballot: receipt");
  assert.deepEqual(errors, []);
});

test("the committee's pages: sign-in, the list, collecting proposals, the vote", async () => {
  const { page, errors } = browser;
  const collecting = await consultation(api, "收集中 Collecting", { ...base, method: "approval" }, { open: false });
  await open(page, "#/consult/committee", "#login-form");
  await audit(page, "committee: sign-in");
  await page.fill("#login-user", "alice");
  await page.fill("#login-pass", "correct horse battery");
  await page.click("#login-form button[type=submit]");
  await page.locator("#committee-list").waitFor();
  await audit(page, "committee: consultations");
  await open(page, `#/consult/committee/${collecting.id}`, '#manage[data-phase="collecting"] #proposals-section');
  await audit(page, "committee: collecting");
  await open(page, `#/consult/committee/${irv.id}`, '#manage[data-phase="voting"] #count');
  await audit(page, "committee: voting", async () => page.locator("#live-participation .participation").waitFor());
  assert.deepEqual(errors, []);
});
