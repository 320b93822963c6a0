// A whole consultation in the browser, as the committee and two residents go through it:
// the committee takes the first account with the setup code from the server's log, creates a
// consultation (ranked choice, art. 278 ordinary matter), imports the electorate (a bad file
// first: one error per line, nothing imported), adds two layouts (the sample GeoJSON and a
// changed copy), freezes them, issues ballot codes (a list, and a QR sheet for a lost code)
// and opens the vote, sealing the ballot box: two scrutineers' codes are shown once, on
// printable cards. A resident votes on a 375 px phone in Chinese, another types the code from
// the QR sheet on a laptop in English; each gets a receipt code. The paper desk marks a unit
// that put its ballot in the box, and a unit that voted online is refused and listed; while
// voting nobody sees a count or a digest of the ballots. At the supervised count the box's
// paper ballot is entered without its unit, a wrong pair of codes is refused, the right pair
// opens the box; the count shows the rounds; a formal resolution is voted online and on
// paper, validated and published; the public results page shows the result and the digests
// of what anyone can download, and each voter finds their receipt among the counted ones.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, launchBrowser, screenshotOnFailure, artifactsDir } from "../harness.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const screens = join(artifactsDir, "screens");
const sampleText = readFileSync(join(repo, "crates/plan/samples/guonian-layout-example.geojson"), "utf8");
const electoratePath = join(repo, "tests/fixtures/zhengwen-electorate.csv");

/** The sample with the fitness and play parts taken out: a quieter garden. */
function quietCopy() {
  const d = JSON.parse(sampleText);
  d.features = d.features.filter((f) => {
    const p = f.properties ?? {};
    return !["fitness", "play"].includes(p.kind) && !["fitness_station", "hopscotch"].includes(p.type);
  });
  assert.ok(d.features.length < JSON.parse(sampleText).features.length);
  return JSON.stringify(d);
}

let server;
let committee; // 1280 × 900, English
let phone; // 375 × 740, Chinese
let laptop; // 1280 × 900, English, a resident
let current; // the page to screenshot when a step fails

before(async () => {
  server = await startServer();
  committee = await launchBrowser({ locale: "en-US" });
  phone = await launchBrowser({ locale: "zh-CN", viewport: { width: 375, height: 740 } });
  laptop = await launchBrowser({ locale: "en-US" });
  mkdirSync(screens, { recursive: true });
});
after(async () => {
  await committee?.close();
  await phone?.close();
  await laptop?.close();
  await server?.stop();
});
afterEach(async (t) => screenshotOnFailure(t, current));

/** The one-time setup code from the server's log (tracing may colour it). */
async function setupCode() {
  for (let i = 0; i < 100; i++) {
    const log = server.stderr.replace(/\x1b\[[0-9;]*m/g, "");
    const m = log.match(/setup_code=([0-9a-f]{24})/);
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no setup code in the server log:\n${server.stderr}`);
}

async function phase(page, name) {
  await page.locator(`#manage[data-phase="${name}"]`).waitFor({ timeout: 15000 });
}

/** Moves the consultation on with the two-click button. */
async function advance(page, to) {
  await page.click(`#to-${to}`);
  await page.click(`#to-${to}-confirm`);
  await phase(page, to);
}

async function shot(page, name) {
  await page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });
}

const sha256 = (s) => createHash("sha256").update(s).digest("hex");

test("a consultation from setup to the published result, online and on paper", async () => {
  const c = committee.page;
  current = c;
  const code = await setupCode();

  // The editor keeps a draft in this browser (the default sample), to be taken as a proposal.
  await c.goto(server.url);
  await c.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });

  // First account, with the code from the log.
  await c.goto(`${server.url}/#/consult/committee`);
  await c.locator("#sign-in").waitFor({ timeout: 20000 });
  await c.click("#setup-panel summary");
  await c.fill("#setup-code", "0".repeat(24));
  await c.fill("#setup-user", "alice");
  await c.fill("#setup-pass", "correct horse battery");
  await c.click("#setup-form button[type=submit]");
  await c.locator(".error-box").waitFor();
  await c.fill("#setup-code", code);
  await c.click("#setup-form button[type=submit]");
  await c.locator("#new-consultation").waitFor();

  // A new consultation: ranked choice, art. 278 ordinary matter.
  await c.fill("#new-title", "北门空地 North gate lot");
  await c.fill("#new-desc", "Which garden for the lot by the south wall?");
  await c.selectOption("#set-method", "irv");
  await c.selectOption("#set-rule", "art278-ordinary");
  await c.click("#create-consultation");
  await phase(c, "draft");
  const id = Number(new URL(c.url()).hash.match(/#\/consult\/committee\/(\d+)/)[1]);
  assert.ok(id > 0);

  // A bad electorate: one error per bad line, nothing imported.
  await c.setInputFiles("#electorate-file", {
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("unit,building,area_m2,owner\n1-101,1,80,o1\n1-102,1,-3,o2\n1-101,1,60,o4\n"),
  });
  await c.click("#import-electorate");
  await c.locator('#line-errors li[data-line="3"]').waitFor();
  assert.equal(await c.locator("#line-errors li").count(), 2);
  assert.equal(await c.locator("#electorate-summary").count(), 0, "nothing was imported");
  // The real one: 324 units in 27 buildings.
  await c.setInputFiles("#electorate-file", electoratePath);
  await c.click("#import-electorate");
  await c.locator("#electorate-summary").waitFor();
  assert.match(await c.locator("#electorate-summary").textContent(), /324 units · 27 buildings/);

  // Proposals from two layout files, shortlisted and frozen.
  await advance(c, "collecting");
  await c.fill("#proposal-title", "花园 Garden");
  await c.fill("#proposal-author", "王阿姨");
  await c.setInputFiles("#proposal-file", { name: "garden.geojson", mimeType: "application/geo+json", buffer: Buffer.from(sampleText) });
  await c.click("#add-from-file");
  await c.locator("#proposal-list li").first().waitFor();
  await c.fill("#proposal-title", "安静花园 Quiet garden");
  await c.fill("#proposal-author", "李老师");
  await c.setInputFiles("#proposal-file", { name: "quiet.geojson", mimeType: "application/geo+json", buffer: Buffer.from(quietCopy()) });
  await c.click("#add-from-file");
  await c.locator("#proposal-list li").nth(1).waitFor();
  // A file that is not a layout is refused with a message, and adds nothing.
  await c.setInputFiles("#proposal-file", { name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": 1}') });
  await c.click("#add-from-file");
  await c.locator('#proposals-section .error-box[data-code="file"]').waitFor();
  assert.equal(await c.locator("#proposal-list li").count(), 2);
  // A third from the editor's draft, then left out of the shortlist.
  await c.fill("#proposal-title", "草稿 Draft");
  await c.click("#add-from-draft");
  await c.locator("#proposal-list li").nth(2).waitFor();
  await c.locator("#proposal-list li").nth(2).locator(".shortlist-pick").uncheck();
  assert.equal(await c.locator("#proposal-list .shortlist-pick:checked").count(), 2);
  await advance(c, "frozen");
  assert.equal(await c.locator("#frozen-options li").count(), 2);
  assert.match(await c.locator("#frozen-options").textContent(), /A · 花园 Garden/);

  // The home page draws both options at one scale with plan's metrics.
  await c.goto(`${server.url}/#/consult/${id}`);
  await c.locator('#consult-home [data-option="B"] svg.plan .zone').first().waitFor();
  const boxes = await c.locator("#consult-home svg.plan").evaluateAll((els) => els.map((e) => e.getAttribute("viewBox").split(" ").slice(2).join(" ")));
  assert.equal(boxes.length, 2);
  assert.equal(boxes[0], boxes[1], "the same window size: one scale");
  const zonesA = await c.locator('#consult-home [data-option="A"] .zone').count();
  const zonesB = await c.locator('#consult-home [data-option="B"] .zone').count();
  assert.ok(zonesA > zonesB, `the quiet copy has fewer zones (${zonesA} vs ${zonesB})`);
  await c.locator("#option-metrics tbody tr").first().waitFor();
  // The figures under each drawing and the table are the server's comparison of the options.
  await c.locator('#consult-home [data-option="A"] dl.figures').waitFor();
  await c.locator('#consult-home [data-option="B"] dl.figures').waitFor();
  assert.equal(await c.locator('#option-metrics tr[data-row="seats"] td').count(), 2);
  await shot(c, "consult-home-1280x900-en");

  // Ballot codes: a list, then a QR sheet replacing a "lost" code.
  await c.goto(`${server.url}/#/consult/committee/${id}`);
  await phase(c, "frozen");
  await c.click("#issue-list");
  await c.locator('#token-table tr[data-unit="1-101"]').waitFor();
  assert.equal(await c.locator("#token-table tbody tr").count(), 324);
  const tokenOf = async (unit) => (await c.locator(`#token-table tr[data-unit="${unit}"] code`).textContent()).trim();
  const tok101 = await tokenOf("1-101");
  const tok102 = await tokenOf("1-102");
  const oldTok201 = await tokenOf("2-101");
  await c.click("#tokens-section details summary");
  await c.fill("#replace-units", "2-101");
  await c.click("#replace-sheet");
  const sheet = c.frameLocator("#qr-sheet");
  await sheet.locator(".card svg").first().waitFor();
  assert.equal(await sheet.locator(".card").count(), 1);
  const typedTok = (await sheet.locator(".card .tok").textContent()).trim();
  assert.match(typedTok, /^[a-z2-7]{5}(-[a-z2-7]{1,5})+$/);
  assert.match(await sheet.locator(".card").textContent(), /2-101/);
  // Opening the vote seals the box: the two codes, each on its own card, shown once.
  await c.click("#open-vote");
  await c.click("#open-vote-confirm");
  await c.locator("#scrutineer-codes").waitFor();
  await phase(c, "voting");
  const codes = await c.locator("#scrutineer-codes .code-card .code").allTextContents();
  assert.equal(codes.length, 2);
  for (const k of codes) assert.match(k, /^\d{4}( \d{4}){5}$/);
  assert.notEqual(codes[0], codes[1]);
  await shot(c, "manage-codes-1280x900-en");
  // Printed, the page is the two cards alone.
  await c.emulateMedia({ media: "print" });
  assert.equal(await c.locator("#paper-desk").isVisible(), false, "only the cards are printed");
  assert.equal(await c.locator("#code-card-2").isVisible(), true);
  await c.emulateMedia({ media: "screen" });
  await c.click("#codes-done");
  assert.equal(await c.locator("#scrutineer-codes").count(), 0, "the codes are gone from the page");

  // Resident 1: the QR link on a phone, in Chinese; ranks A then B.
  const p = phone.page;
  current = p;
  await p.goto(`${server.url}/#/ballot`);
  await p.locator("#token-input").waitFor({ timeout: 20000 });
  await p.click("#token-entry button[type=submit]");
  await p.locator("#token-entry .error-box").waitFor(); // nothing typed: said so
  await shot(p, "token-entry-375x740-zh");
  await p.goto(`${server.url}/#/ballot/${tok101}`);
  await p.locator("#ballot").waitFor({ timeout: 20000 });
  // The token has left the address bar (and so the history) as soon as it was read.
  assert.equal(new URL(p.url()).hash, "#/ballot");
  assert.ok(!p.url().includes(tok101));
  await p.locator('#ballot [data-option="A"] svg.plan').waitFor();
  assert.match(await p.locator("#instructions").textContent(), /最喜欢/);
  await shot(p, "ballot-375x740-zh-start");
  await p.click('[data-option="A"] .mark.rank');
  await p.click('[data-option="B"] .mark.rank');
  assert.equal(await p.locator('[data-option="B"] .rank-badge').textContent(), "✓ 第 2 选择");
  await shot(p, "ballot-375x740-zh-marked");
  await p.click("#next");
  await p.locator("#confirm").waitFor();
  const summary = await p.locator("#vote-summary li").allTextContents();
  assert.deepEqual(summary, ["第 1 选择：A · 花园 Garden", "第 2 选择：B · 安静花园 Quiet garden"]);
  await shot(p, "ballot-375x740-zh-confirm");
  await p.click("#cast");
  await p.locator("#receipt").waitFor();
  assert.match(await p.locator("#receipt h1").textContent(), /您的投票已记录/);
  const receipt101 = (await p.locator("#receipt-code").textContent()).trim();
  assert.match(receipt101, /^[a-z2-7]{5}-[a-z2-7]{5}$/);
  await shot(p, "ballot-375x740-zh-receipt");
  // The same link again: already voted. (Another bundle's page in between: wait until the
  // page loader has reloaded into it, or the next address races that reload.)
  await p.goto(`${server.url}/#/consult`);
  await p.locator("#consult-list").waitFor({ timeout: 20000 });
  await p.goto(`${server.url}/#/ballot/${tok101}`);
  await p.locator("#already-voted").waitFor();

  // The replaced code no longer works.
  await p.goto(`${server.url}/#/ballot/${oldTok201}`);
  await p.locator("#ballot-error").waitFor();

  // Resident 2: types the code from the QR sheet on a laptop, in English; ranks B only.
  const q = laptop.page;
  current = q;
  await q.goto(`${server.url}/#/ballot`);
  await q.locator("#token-input").waitFor({ timeout: 20000 });
  await q.fill("#token-input", typedTok.toUpperCase());
  await q.click("#token-entry button[type=submit]");
  await q.locator("#ballot").waitFor();
  await q.click('[data-option="B"] .mark.rank');
  await shot(q, "ballot-1280x900-en-marked");
  await q.click("#next");
  assert.deepEqual(await q.locator("#vote-summary li").allTextContents(), [
    "Choice 1: B · 安静花园 Quiet garden",
    "Not ranked: A · 花园 Garden",
  ]);
  await q.click("#cast");
  await q.locator("#receipt").waitFor();
  const receiptTyped = (await q.locator("#receipt-code").textContent()).trim();
  assert.notEqual(receiptTyped, receipt101);
  await shot(q, "ballot-1280x900-en-receipt");

  // The paper desk marks 1-102, whose ballot goes in the box (A first; entered at the count),
  // then 1-101, which voted online: refused and listed.
  current = c;
  await c.goto(`${server.url}/#/consult/committee/${id}`);
  await phase(c, "voting");
  await c.fill("#paper-unit", "1-102");
  await c.click("#paper-mark");
  await c.locator('#paper-log li.ok[data-unit="1-102"]').waitFor();
  await c.fill("#paper-unit", "1-101");
  await c.click("#paper-mark");
  await c.locator('#paper-log li.refused[data-unit="1-101"]').waitFor();
  await c.locator("#refusals li", { hasText: "1-101" }).waitFor();
  await c.locator("#live-participation .big-number", { hasText: "3 / 324" }).waitFor();
  await c.click("#voted-list summary");
  await c.locator('#voted-list li[data-unit="1-102"]', { hasText: "paper" }).waitFor();
  assert.equal(await c.locator("#voted-list li").count(), 3);
  assert.match(await c.locator('#voted-list li[data-unit="1-101"]').textContent(), /online/);
  await shot(c, "manage-voting-1280x900-en");
  // 1-102 voted on paper first: its online code now opens "already voted".
  await p.goto(`${server.url}/#/ballot/${tok102}`);
  await p.locator("#already-voted").waitFor();

  // While voting the committee sees participation, never a count or a digest of ballots.
  const during = await (await committeeFetch(c, `/api/consultations/${id}/results`)).json();
  assert.equal(during.option_result, null);
  assert.equal(during.digests.option_ballots_sha256, null);
  await c.goto(`${server.url}/#/consult/${id}/results`);
  await c.locator('#digest-ballots[data-sealed="true"]').waitFor();

  // The supervised count: the box's one paper ballot (A first), entered without its unit.
  await c.goto(`${server.url}/#/consult/committee/${id}`);
  await phase(c, "voting");
  await c.locator('#count-reconcile[data-ok="false"]').waitFor();
  await c.click('#count [data-option="A"] .mark.rank');
  await c.click("#count-add");
  await c.locator('#count-reconcile[data-ok="true"]').waitFor();
  assert.equal(await c.locator("#count-batch li").count(), 1);
  // The paper ballots survive a reload (kept in this browser until the count).
  await c.reload();
  await c.locator('#count-reconcile[data-ok="true"]').waitFor();
  // One scrutineer's code twice: the box does not open.
  await c.fill("#count-code-1", codes[0]);
  await c.fill("#count-code-2", codes[0]);
  await c.click("#count-start");
  await c.click("#count-confirm");
  await c.locator('#count .error-box[data-code="wrong_codes"]').waitFor({ timeout: 20000 });
  await phase(c, "voting");
  // Both codes, in the other order, with a typo'd separator: the box opens.
  await c.fill("#count-code-1", codes[1].replaceAll(" ", "-"));
  await c.fill("#count-code-2", codes[0]);
  await shot(c, "manage-count-1280x900-en");
  await c.click("#count-start");
  await c.click("#count-confirm");
  await phase(c, "closed");
  await c.goto(`${server.url}/#/consult/${id}/results`);
  await c.locator("#winners").waitFor();
  assert.match(await c.locator("#winners").textContent(), /A · 花园 Garden/);
  assert.match(await c.locator("#counted").textContent(), /online 2 · paper 1 · Spoiled 0/i);
  assert.equal(await c.locator("#irv-rounds tbody tr").count(), 3, "two options and the exhausted row");
  assert.match(await c.locator("#irv-rounds tbody tr").first().textContent(), /2/);

  // The formal resolution on option A: resolution codes, one online yes, one paper no.
  await c.goto(`${server.url}/#/consult/committee/${id}`);
  await phase(c, "closed");
  await c.click("#issue-list");
  await c.locator('#token-table tr[data-unit="1-101"]').waitFor();
  const res101 = await tokenOf("1-101");
  await advance(c, "resolution");
  current = p;
  await p.goto(`${server.url}/#/ballot/${res101}`);
  await p.locator('#ballot[data-round="resolution"]').waitFor();
  await p.click("#next");
  await p.locator(".next-bar .error-box").waitFor(); // nothing chosen yet
  await p.click("#choice-yes");
  await shot(p, "ballot-375x740-zh-resolution");
  await p.click("#next");
  await p.click("#cast");
  await p.locator("#receipt").waitFor();
  current = c;
  await c.fill("#paper-unit", "1-102");
  await c.click("#paper-no");
  await c.click("#paper-submit");
  await c.locator('#paper-log li.ok[data-unit="1-102"]').waitFor();

  // Validate and publish.
  await advance(c, "validated");
  await c.goto(`${server.url}/#/consult/${id}/results`);
  await c.locator("#resolution-verdict").waitFor();
  await advance_from_results(c, id);

  // The public results page (no session), on the phone and on the laptop.
  current = p;
  await p.goto(`${server.url}/#/consult/${id}/results`);
  await p.locator('#results[data-phase="published"]').waitFor();
  assert.match(await p.locator("#winners").textContent(), /A · 花园 Garden/);
  assert.match(await p.locator("#yes-no").textContent(), /同意 1.*反对 1.*弃权 0/);
  // 2 of 324 units took part: far below the 2/3 quorum, so not passed.
  assert.match(await p.locator("#resolution-verdict").textContent(), /未通过/);
  assert.match(await p.locator("#opt-quorum").textContent(), /尚未达到/);
  await shot(p, "results-375x740-zh");
  await p.goto(`${server.url}/#/consult/${id}`);
  await p.locator('#consult-home[data-phase="published"] #option-metrics').waitFor();
  await shot(p, "consult-home-375x740-zh");
  current = q;
  await q.goto(`${server.url}/#/consult/${id}/results`);
  await q.locator('#results[data-phase="published"]').waitFor();
  assert.match(await q.locator("#opt-area").textContent(), /Needed ≥ 2\/3/);
  await shot(q, "results-1280x900-en");

  // The digests on the page are those of what anyone can download.
  const cons = await (await fetch(`${server.url}/api/consultations/${id}`)).json();
  const lines = cons.options.map((o) => `${o.index} ${o.label} ${o.sha256}\n`).join("");
  assert.equal((await q.locator("#digest-options").textContent()).trim(), sha256(lines));
  const csv = await (await fetch(`${server.url}/api/consultations/${id}/export/ballots.csv`)).text();
  assert.equal(csv.trim().split("\n").length, 4, "a header and three ballots");
  assert.equal((await q.locator("#digest-ballots").textContent()).trim(), sha256(csv));

  // Each online voter checks their receipt; a code nobody got is not found.
  await q.fill("#receipt-input", receiptTyped.toUpperCase().replace("-", " "));
  await q.click("#receipt-submit");
  await q.locator('#receipt-answer[data-counted="true"]').waitFor();
  current = p;
  await p.goto(`${server.url}/#/consult/${id}/results`);
  await p.locator("#receipt-check").waitFor();
  await p.fill("#receipt-input", receipt101);
  await p.click("#receipt-submit");
  await p.locator('#receipt-answer[data-counted="true"]').waitFor();
  assert.match(await p.locator("#receipt-answer").textContent(), /已计入/);
  await p.fill("#receipt-input", "aaaaa-aaaaa");
  await p.click("#receipt-submit");
  await p.locator('#receipt-answer[data-counted="false"]').waitFor();
  await shot(p, "results-receipt-375x740-zh");
  current = q;

  // The printable sheet.
  await q.click("#open-sheet");
  await q.locator("#sheet").waitFor();
  assert.match(await q.locator("#sheet").textContent(), new RegExp(sha256(lines)));
  await q.emulateMedia({ media: "print" });
  assert.equal(await q.locator("#print").isVisible(), false, "the print button is not printed");
  await shot(q, "sheet-print-1280x900-en");
  await q.emulateMedia({ media: "screen" });

  // The home page shows the published state and links the results.
  await q.goto(`${server.url}/#/consult/${id}`);
  await q.locator('#consult-home[data-phase="published"] #see-results').waitFor();
  for (const b of [committee, phone, laptop]) assert.deepEqual(b.errors, []);
});

/** A committee session through the API (after the first test made the account). */
async function committeeApi() {
  const login = await fetch(`${server.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "alice", password: "correct horse battery" }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = login.headers.getSetCookie()[0].split(";")[0];
  const { csrf_token } = await login.json();
  return async (method, path, body, type = "application/json") => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, "x-csrf-token": csrf_token, "content-type": type },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

const SMALL = "unit,building,area_m2,owner\n1-101,1,80,o1\n1-102,1,70.5,o2\n1-201,1,90,o3\n2-101,2,100,o4\n2-102,2,59.5,o4\n";

/** A consultation with three options (the layouts the browser froze in the first test),
 * the small electorate, and the option vote open; returns its id and the option tokens. */
async function openVote(api, settings) {
  const layouts = [];
  for (const i of [0, 1]) layouts.push(await (await fetch(`${server.url}/api/consultations/1/options/${i}/layout`)).json());
  const c = await api("POST", "/api/consultations", { title: `三个方案 ${settings.method}`, description: "", settings });
  await api("PUT", `/api/consultations/${c.id}/electorate`, SMALL, "text/csv");
  await api("POST", `/api/consultations/${c.id}/transition`, { to: "collecting" });
  const ids = [];
  for (const [title, layout] of [["花园 Garden", layouts[0]], ["安静花园 Quiet garden", layouts[1]], ["停车 Parking", layouts[1]]]) {
    ids.push((await api("POST", `/api/consultations/${c.id}/proposals`, { title, author: "王阿姨", layout })).id);
  }
  await api("POST", `/api/consultations/${c.id}/transition`, { to: "frozen", proposal_ids: ids });
  const tokens = await api("POST", `/api/consultations/${c.id}/tokens`, { round: "option", base_url: server.url });
  const opened = await api("POST", `/api/consultations/${c.id}/open-vote`, {});
  const tok = Object.fromEntries(tokens.tokens.map((t) => [t.unit, t.token]));
  return { id: c.id, tok, codes: opened.codes };
}

/** The count of an `openVote` consultation with no paper ballots, through the API. */
async function count(api, v) {
  return api("POST", `/api/consultations/${v.id}/count`, { codes: v.codes });
}

/** A GET with the committee page's session cookie (the page's own fetch). */
async function committeeFetch(page, path) {
  const cookies = await page.context().cookies(server.url);
  const cookie = cookies.map((k) => `${k.name}=${k.value}`).join("; ");
  return fetch(`${server.url}${path}`, { headers: { cookie } });
}

const base = { tie_break: { rule: "shortlist_order" }, resolution: { rule: "art278-ordinary" }, headcount: "owner" };

test("score and approval ballots on a phone send exactly what was marked", async () => {
  const api = await committeeApi();
  const p = phone.page;
  current = p;

  // Scores 0–5: every option needs a score before the confirmation.
  const score = await openVote(api, { ...base, method: "score", max_score: 5 });
  await p.goto(`${server.url}/#/ballot/${score.tok["1-101"]}`);
  await p.locator('#ballot[data-method="score"]').waitFor({ timeout: 20000 });
  assert.equal(await p.locator('[data-option="A"] .mark.score').count(), 6, "0 to 5");
  await p.click('[data-option="A"] .mark.score[data-score="5"]');
  await p.click('[data-option="C"] .mark.score[data-score="3"]');
  await p.click("#next");
  assert.match(await p.locator(".next-bar .error-box").textContent(), /每个方案都打分/);
  await p.click('[data-option="B"] .mark.score[data-score="0"]');
  await shot(p, "ballot-375x740-zh-scores");
  await p.click("#next");
  assert.deepEqual(await p.locator("#vote-summary li").allTextContents(), [
    "A · 花园 Garden：5 分",
    "B · 安静花园 Quiet garden：0 分",
    "C · 停车 Parking：3 分",
  ]);
  // Going back keeps the marks.
  await p.click("#change");
  await p.locator('[data-option="C"] .mark.score[data-score="3"][aria-pressed="true"]').waitFor();
  await p.click("#next");
  await p.click("#cast");
  await p.locator("#receipt").waitFor();
  await count(api, score);
  const sr = await api("GET", `/api/consultations/${score.id}/results`);
  assert.deepEqual(sr.option_result.explanation.totals, [5, 0, 3]);

  // Approval: approve A and C, un-approve B after approving it.
  const appr = await openVote(api, { ...base, method: "approval" });
  await p.goto(`${server.url}/#/ballot/${appr.tok["2-101"]}`);
  await p.locator('#ballot[data-method="approval"]').waitFor();
  for (const o of ["A", "B", "C", "B"]) await p.click(`[data-option="${o}"] .mark.approve`);
  assert.equal(await p.locator('[data-option="B"] .mark.approve').getAttribute("aria-pressed"), "false");
  await shot(p, "ballot-375x740-zh-approval");
  await p.click("#next");
  assert.deepEqual(await p.locator("#vote-summary li").allTextContents(), ["✓ 同意 A · 花园 Garden", "✓ 同意 C · 停车 Parking"]);
  await p.click("#cast");
  await p.locator("#receipt").waitFor();
  // A blank approval ballot is allowed and said so plainly.
  await p.goto(`${server.url}/#/ballot/${appr.tok["1-102"]}`);
  await p.locator('#ballot[data-method="approval"]').waitFor();
  await p.click("#next");
  assert.deepEqual(await p.locator("#vote-summary li").allTextContents(), ["您没有同意任何方案（空白票）"]);
  await p.click("#cast");
  await p.locator("#receipt").waitFor();
  await count(api, appr);
  const ar = await api("GET", `/api/consultations/${appr.id}/results`);
  assert.deepEqual(ar.option_result.explanation.scores, [1, 0, 1]);
  assert.equal(ar.option_result.ballots, 2);

  // Schulze: one ranking C > A; the committee's results page shows the pairwise matrix.
  const sch = await openVote(api, { ...base, method: "schulze" });
  await p.goto(`${server.url}/#/ballot/${sch.tok["1-201"]}`);
  await p.locator('#ballot[data-method="schulze"]').waitFor();
  await p.click('[data-option="C"] .mark.rank');
  await p.click('[data-option="A"] .mark.rank');
  await p.click("#next");
  await p.click("#cast");
  await p.locator("#receipt").waitFor();
  await count(api, sch);
  const c = committee.page;
  current = c;
  await c.goto(`${server.url}/#/consult/${sch.id}/results`);
  await c.locator("#pairwise").waitFor({ timeout: 20000 });
  assert.match(await c.locator("#winners").textContent(), /C · 停车 Parking/);
  // Row C, column A: one voter prefers C to A, none the other way.
  const rowC = await c.locator("#pairwise tbody tr").nth(2).locator("td").allTextContents();
  assert.deepEqual(rowC, ["1", "1", "—"]);
  await shot(c, "results-schulze-1280x900-en");

  // A tie left to the committee: refused without its decision, then recorded with it.
  const tie = await openVote(api, { ...base, method: "approval", tie_break: { rule: "committee" } });
  await p.goto(`${server.url}/#/ballot/${tie.tok["1-101"]}`);
  await p.locator('#ballot[data-method="approval"]').waitFor();
  await p.click('[data-option="A"] .mark.approve');
  await p.click('[data-option="B"] .mark.approve');
  await p.click("#next");
  await p.click("#cast");
  await p.locator("#receipt").waitFor();
  await count(api, tie);
  await c.goto(`${server.url}/#/consult/committee/${tie.id}`);
  await phase(c, "closed");
  await c.click("#to-resolution");
  await c.click("#to-resolution-confirm");
  await c.locator('.transition .error-box[data-code="tie"]').waitFor();
  await c.selectOption("#committee-option", "1");
  await c.click("#to-resolution");
  await c.click("#to-resolution-confirm");
  await phase(c, "resolution");
  assert.equal((await api("GET", `/api/consultations/${tie.id}`)).adopted_option, 1);
  await c.goto(`${server.url}/#/consult/${tie.id}/results`);
  await c.locator("#tie-broken").waitFor();
  assert.match(await c.locator("#tie-broken p").textContent(), /^Tied: A, B; decided by the committee \(recorded\): B$/);

  // Signing out and in again through the form.
  await c.click("#logout");
  await c.goto(`${server.url}/#/consult/committee`);
  await c.locator("#login-form").waitFor();
  await c.fill("#login-user", "alice");
  await c.fill("#login-pass", "wrong password!");
  await c.click("#login-form button[type=submit]");
  await c.locator('#sign-in .error-box[data-code="unauthorized"]').waitFor();
  await c.fill("#login-pass", "correct horse battery");
  await c.click("#login-form button[type=submit]");
  await c.locator("#committee-list").waitFor();
  for (const b of [committee, phone]) assert.deepEqual(b.errors, []);
});

/** Publishes from the committee's page (after looking at the validated results). */
async function advance_from_results(c, id) {
  await c.goto(`${server.url}/#/consult/committee/${id}`);
  await phase(c, "validated");
  await advance(c, "published");
  await c.locator("#public-results").waitFor();
}

test("the paper desk and the supervised count in Chinese, on a phone", async () => {
  const api = await committeeApi();
  const v = await openVote(api, { ...base, method: "irv" });
  const p = phone.page;
  current = p;
  await p.goto(`${server.url}/#/consult/committee`);
  await p.locator("#login-form").waitFor({ timeout: 20000 });
  await p.fill("#login-user", "alice");
  await p.fill("#login-pass", "correct horse battery");
  await p.click("#login-form button[type=submit]");
  await p.locator("#committee-list").waitFor();
  await p.goto(`${server.url}/#/consult/committee/${v.id}`);
  await phase(p, "voting");
  // Two units put paper ballots in the box; one of them is marked twice by mistake.
  for (const unit of ["1-201", "2-102", "1-201"]) {
    await p.fill("#paper-unit", unit);
    await p.click("#paper-mark");
  }
  await p.locator('#paper-log li.refused[data-unit="1-201"]').waitFor();
  assert.match(await p.locator('#paper-log li.ok[data-unit="2-102"]').textContent(), /已登记纸质投票/);
  // The count: one readable ballot (C first), one spoiled.
  await p.click('#count [data-option="C"] .mark.rank');
  await p.click("#count-add");
  await p.locator('#count-reconcile[data-ok="false"]').waitFor();
  assert.match(await p.locator("#count-reconcile").textContent(), /登记纸质投票 2 户/);
  await p.click("#spoiled-plus");
  await p.locator('#count-reconcile[data-ok="true"]').waitFor();
  // A typo in the second code is named by its group, in Chinese.
  const typo = v.codes[1].slice(0, 5) + ((Number(v.codes[1][5]) + 1) % 10) + v.codes[1].slice(6);
  await p.fill("#count-code-1", v.codes[0]);
  await p.fill("#count-code-2", typo);
  await p.click("#count-start");
  await p.click("#count-confirm");
  await p.locator('#count .error-box[data-code="bad_file"]').waitFor({ timeout: 20000 });
  assert.match(await p.locator("#count .error-box").textContent(), /第 2 个监票码：第 2 组有输入错误/);
  await shot(p, "manage-count-375x740-zh");
  await p.fill("#count-code-2", v.codes[1]);
  await p.click("#count-start");
  await p.click("#count-confirm");
  await phase(p, "closed");
  const r = await api("GET", `/api/consultations/${v.id}/results`);
  assert.deepEqual(r.counted, { online: 0, paper: 1, spoiled: 1 });
  assert.deepEqual(r.option_result.winners, [2]);
  await p.goto(`${server.url}/#/consult/${v.id}/results`);
  await p.locator("#counted").waitFor();
  assert.match(await p.locator("#counted").textContent(), /开箱计票：网上 0 · 纸质 1 · 废票 1/);
  assert.deepEqual(phone.errors, []);
});

test("the committee manages its accounts: add a member, disable and enable, the sign-in log", async () => {
  const c = committee.page;
  current = c;
  await c.goto(`${server.url}/#/consult/committee`);
  await c.locator("#accounts #account-list").waitFor({ timeout: 20000 });
  await c.click("#accounts details.sub summary >> nth=0");
  await c.fill("#new-user", "bob");
  await c.fill("#new-pass", "bob's long password");
  await c.click("#add-account button[type=submit]");
  await c.locator('#account-list li[data-account="bob"][data-disabled="false"]').waitFor();
  await c.click('#account-list li[data-account="bob"] button.disable');
  await c.locator('#account-list li[data-account="bob"][data-disabled="true"]').waitFor();
  await c.locator("#accounts-done").waitFor();
  // Bob cannot sign in while disabled, and is told so.
  const login = await fetch(`${server.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "bob", password: "bob's long password" }),
  });
  assert.equal(login.status, 403);
  assert.equal((await login.json()).code, "disabled");
  await c.click('#account-list li[data-account="bob"] button:has-text("Enable")');
  await c.locator('#account-list li[data-account="bob"][data-disabled="false"]').waitFor();
  // The last enabled account cannot disable itself away... alice can, since bob is enabled;
  // the sign-in log lists alice's sign-ins and the account changes.
  await c.click("#server-audit summary");
  await c.locator('#server-audit li[data-action="account_disabled"]').waitFor();
  await c.locator('#server-audit li[data-action="login"]').first().waitFor();
  await shot(c, "committee-accounts-1280x900-en");
  assert.deepEqual(committee.errors, []);
});
