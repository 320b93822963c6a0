// Time to interactive on a slow phone, measured (no assertions: measurements, not timed
// tests): Chromium with its network throttled to about 1.6 Mbps down, 750 kbps up and a
// 150 ms round trip, and its CPU slowed 4× (DevTools protocol: Network.emulateNetworkConditions,
// Emulation.setCPUThrottlingRate), a fresh profile (nothing cached), 375 × 740 px.
//   - the ballot a resident opens from the QR code: navigation → the marking buttons of
//     every option shown (the options' drawings may still be coming);
//   - the editor: navigation → the default sample plot drawn and editable.
// Median and spread of 5 loads each; the ballot's budget is 3 s.
// Run from tests/e2e after `cargo xtask build-web` and `cargo build -p plotwise`:
//   PLOTWISE_BIN=../../target/debug/plotwise PLOTWISE_WEB_DIR=../../web/dist node scripts/slow-phone.mjs
import { startServer, launchBrowser } from "../harness.mjs";

const RUNS = Number(process.env.RUNS || 5);
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6e6 / 8) * 0.9, // bytes/s, with DevTools' 90 % packet overhead factor
  uploadThroughput: (750e3 / 8) * 0.9,
};

const server = await startServer();

/** The setup code from the log, the first account, and a ballot token of an open vote. */
async function ballotToken() {
  let code;
  for (let i = 0; i < 100 && !code; i++) {
    code = server.stderr.replace(/\x1b\[[0-9;]*m/g, "").match(/setup_code=([0-9a-f]{24})/)?.[1];
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  const setup = await fetch(`${server.url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ setup_code: code, username: "alice", password: "correct horse battery" }),
  });
  const cookie = setup.headers.getSetCookie()[0].split(";")[0];
  const { csrf_token } = await setup.json();
  const api = async (method, path, body, type = "application/json") => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, "x-csrf-token": csrf_token, "content-type": type },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const doc = await (await fetch(`${server.url}/api/samples/guonian-lot`)).json();
  const c = await api("POST", "/api/consultations", {
    title: "北门空地", description: "", settings: { method: "irv", tie_break: { rule: "shortlist_order" }, resolution: { rule: "art278-ordinary" }, headcount: "owner" },
  });
  await api("PUT", `/api/consultations/${c.id}/electorate`, "unit,building,area_m2,owner\n" + Array.from({ length: 10 }, (_, i) => `1-${101 + i},1,80,o${i}`).join("\n") + "\n", "text/csv");
  await api("POST", `/api/consultations/${c.id}/transition`, { to: "collecting" });
  const ids = [];
  for (const t of ["花园 Garden", "安静花园 Quiet garden", "广场 Square"]) {
    ids.push((await api("POST", `/api/consultations/${c.id}/proposals`, { title: t, author: "王阿姨", layout: doc })).id);
  }
  await api("POST", `/api/consultations/${c.id}/transition`, { to: "frozen", proposal_ids: ids });
  const tokens = await api("POST", `/api/consultations/${c.id}/tokens`, { round: "option", base_url: server.url });
  await api("POST", `/api/consultations/${c.id}/open-vote`, {});
  return tokens.tokens[0].token;
}

/** Loads `url` on a throttled fresh phone; ms from navigation start until `selector` shows. */
async function timeToInteractive(url, selector) {
  const b = await launchBrowser({ locale: "zh-CN", viewport: { width: 375, height: 740 } });
  try {
    const cdp = await b.context.newCDPSession(b.page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", NETWORK);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    // The moment the selector first shows, in the page's own clock (0 = navigation start).
    await b.page.addInitScript((sel) => {
      new MutationObserver((_, obs) => {
        if (document.querySelector(sel)) {
          window.__interactiveMs = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, selector);
    let bytes = 0;
    b.page.on("response", async (r) => {
      const len = Number(r.headers()["content-length"] || 0);
      bytes += len;
    });
    await b.page.goto(url, { waitUntil: "commit" });
    await b.page.waitForFunction(() => window.__interactiveMs !== undefined, null, { timeout: 120000, polling: 50 });
    const ms = await b.page.evaluate(() => window.__interactiveMs);
    return { ms, bytes };
  } finally {
    await b.close();
  }
}

function summary(name, runs, budget) {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  const kb = Math.round(runs[0].bytes / 1000);
  const verdict = budget ? (median < budget ? `under the ${budget} ms budget` : `OVER the ${budget} ms budget`) : "";
  console.log(`${name}: median ${median.toFixed(0)} ms (min ${ms[0].toFixed(0)}, max ${ms[ms.length - 1].toFixed(0)}, ${ms.length} loads), ~${kb} kB over the wire ${verdict}`);
}

try {
  const token = await ballotToken();
  const ballot = [];
  for (let i = 0; i < RUNS; i++) ballot.push(await timeToInteractive(`${server.url}/#/ballot/${token}`, '#ballot [data-option="C"] .mark'));
  const editor = [];
  for (let i = 0; i < RUNS; i++) editor.push(await timeToInteractive(`${server.url}/`, "svg#plot .plot-boundary"));
  console.log("slow phone: 1.6 Mbps down, 150 ms RTT, CPU 4× slower, nothing cached, 375 × 740 px");
  summary("ballot (QR link) time to interactive", ballot, 3000);
  summary("editor time to interactive", editor);
} finally {
  await server.stop();
}
