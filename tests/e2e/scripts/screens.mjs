// Screenshots of the editor and the comparison at phone (375×740) and desktop (1280×900)
// sizes, in Chinese and English, for looking at by eye. Run from tests/e2e:
//   PLOTWISE_BIN=../../target/debug/plotwise PLOTWISE_WEB_DIR=../../web/dist node scripts/screens.mjs
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launchBrowser, artifactsDir } from "../harness.mjs";

const out = join(artifactsDir, "screens");
mkdirSync(out, { recursive: true });
const server = await startServer();
try {
  for (const [w, h] of [[375, 740], [1280, 900]]) {
    for (const locale of ["zh-CN", "en-US"]) {
      const b = await launchBrowser({ viewport: { width: w, height: h }, locale });
      const { page, errors } = b;
      await page.goto(server.url);
      await page.locator("svg#plot .plot-boundary").waitFor({ timeout: 20000 });
      await page.selectOption("#sample", "guonian-layout-example");
      await page.waitForTimeout(300);
      const tag = `${w}x${h}-${locale}`;
      await page.screenshot({ path: join(out, `editor-${tag}.png`) });
      await page.screenshot({ path: join(out, `editor-${tag}-full.png`), fullPage: true });
      // Screen by screen, as a phone user scrolls (the sticky bar stays on top).
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0, i = 0; y < height && i < 8; y += h - 100, i++) {
        await page.evaluate((top) => window.scrollTo(0, top), y);
        await page.screenshot({ path: join(out, `editor-${tag}-scroll${i}.png`) });
      }
      // Large text, with the keyboard focus on the first tool (the ring must be visible).
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.click("#large-text");
      await page.locator("#tool-select").focus();
      await page.keyboard.press("Tab");
      await page.screenshot({ path: join(out, `editor-${tag}-large-focus.png`) });
      await page.click("#large-text");
      await page.goto(server.url + "/#/compare");
      await page.locator("#compare-table").waitFor({ timeout: 20000 });
      await page.screenshot({ path: join(out, `compare-${tag}-full.png`), fullPage: true });
      if (errors.length) console.error(tag, errors);
      await b.close();
    }
  }
} finally {
  await server.stop();
}
console.log(`screenshots in ${out}`);
