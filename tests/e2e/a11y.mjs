// Accessibility measured in the page: axe-core (npm `axe-core`, injected as a script; the
// `@axe-core/playwright` wrapper needs Node 22) with the WCAG 2.0–2.2 A and AA tags, and the
// elder-mode measurements of the MIIT 适老化 rules (2021) from computed styles and boxes:
// body text at least 18 CSS px in large text, every visible control's hit area at least
// 60 × 60 CSS px in large text (44 × 44 otherwise), text contrast at least 4.5:1 whatever its
// size (axe's contrast check with its large-text threshold raised from 3:1 to 4.5:1).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

/** The WCAG tags every page is audited with. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Injects axe-core into the page (again after a reload). */
async function ensureAxe(page) {
  if (await page.evaluate(() => typeof window.axe === "undefined")) {
    await page.addScriptTag({ path: AXE_PATH });
  }
}

/** axe's violations on the page, one line each: rule, impact, the offending elements. */
export async function axeViolations(page) {
  await ensureAxe(page);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
      // Elder mode: 4.5:1 for all text, large text included (WCAG AA alone asks 3:1 of it).
      checks: { "color-contrast": { options: { contrastRatio: { large: { expected: 4.5 } } } } },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`),
    }));
  }, WCAG_TAGS);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 8).join("\n    ")}`);
}

/**
 * The elder-mode measurements: every visible control's hit area (its box, or its label's
 * when a label wraps it) against `minTarget` CSS px each way, and, when `minFont` is given,
 * the computed font size of every visible text outside the drawings. Returns one line per
 * offender, naming it, and the numbers measured.
 */
export async function elderMeasurements(page, { minTarget, minFont }) {
  return page.evaluate(({ minTarget, minFont }) => {
    const name = (el) => {
      const id = el.id ? `#${el.id}` : "";
      const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
      const text = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
    };
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) return false;
      for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === "none" || s.visibility === "hidden" || s.opacity === "0") return false;
        if (e.tagName === "DETAILS" && !e.open && e !== el && !el.closest("summary")) return false;
      }
      // Out of the page (a skip link waiting for focus).
      return r.right > 0 && r.left > -1000;
    };
    const problems = [];
    const controls = document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], svg .handle-hit",
    );
    for (const el of controls) {
      if (!shown(el) || el.closest(".sr-only")) continue;
      // An inline link in a sentence is exempt (WCAG 2.5.8); none is expected here.
      let r = el.getBoundingClientRect();
      const label = el.closest("label");
      if (label) {
        const lr = label.getBoundingClientRect();
        r = { width: Math.max(r.width, lr.width), height: Math.max(r.height, lr.height) };
      }
      if (r.width + 0.5 < minTarget || r.height + 0.5 < minTarget) {
        problems.push(`control ${name(el)}: ${r.width.toFixed(1)} × ${r.height.toFixed(1)} px, needs ${minTarget} × ${minTarget}`);
      }
    }
    if (minFont) {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const seen = new Set();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || seen.has(el) || !n.textContent.trim() || el.closest("svg, script, style, noscript")) continue;
        seen.add(el);
        if (!shown(el) || el.closest(".sr-only")) continue;
        const px = parseFloat(getComputedStyle(el).fontSize);
        if (px + 0.01 < minFont) problems.push(`text ${name(el)}: ${px.toFixed(1)} px, needs ${minFont}`);
      }
    }
    return problems;
  }, { minTarget, minFont });
}

/** Sets the interface language and large text through the header, as a resident would. */
export async function setPrefs(page, { lang, large }) {
  await page.selectOption("#lang", lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  const on = await page.evaluate(() => document.documentElement.classList.contains("large-text"));
  if (on !== large) await page.click("#large-text");
  await page.waitForFunction((want) => document.documentElement.classList.contains("large-text") === want, large);
}

/** The four ways every page is audited in. */
export const MODES = [
  { lang: "zh-CN", large: false },
  { lang: "zh-CN", large: true },
  { lang: "en", large: false },
  { lang: "en", large: true },
];

/**
 * Audits the page as it is now in the four modes: axe with 0 violations allowed, the hit
 * areas (44 px, 60 px in large text) and, in large text, text of at least 18 px. `ready` is
 * awaited after each change of mode (the page re-renders). Returns the measurements for the
 * report; throws naming every offender.
 */
export async function auditPage(page, label, ready = async () => {}) {
  const report = [];
  const failures = [];
  for (const mode of MODES) {
    await setPrefs(page, mode);
    await ready();
    const tag = `${label} [${mode.lang}${mode.large ? ", large text" : ""}]`;
    const violations = await axeViolations(page);
    const elder = await elderMeasurements(page, { minTarget: mode.large ? 60 : 44, minFont: mode.large ? 18 : null });
    const sizes = await page.evaluate(() => {
      const body = parseFloat(getComputedStyle(document.body).fontSize);
      // The hit area: the control's box, or its label's when a label wraps it.
      const controls = [...document.querySelectorAll("a[href], button, select, input:not([type=hidden]), summary, svg .handle-hit")]
        .filter((e) => e.getBoundingClientRect().width > 2 && e.getBoundingClientRect().left > -1000)
        .map((e) => {
          const r = e.getBoundingClientRect();
          const l = e.closest("label")?.getBoundingClientRect();
          return l ? { width: Math.max(r.width, l.width), height: Math.max(r.height, l.height) } : r;
        })
        .filter((r) => r.height > 2);
      const min = controls.reduce((m, r) => Math.min(m, r.width, r.height), Infinity);
      return { body, minControl: Number.isFinite(min) ? min : null, controls: controls.length };
    });
    report.push({ page: tag, violations: violations.length, bodyPx: sizes.body, smallestControlPx: sizes.minControl, controls: sizes.controls });
    for (const v of violations) failures.push(`${tag} axe ${v}`);
    for (const p of elder) failures.push(`${tag} ${p}`);
  }
  if (failures.length) throw new Error(`${failures.length} accessibility problems:\n${failures.join("\n")}`);
  return report;
}
