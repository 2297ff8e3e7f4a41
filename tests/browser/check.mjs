// Opens HTML pages in headless Chromium and checks them:
//   - axe-core with the WCAG 2.1 A and AA rules (tags wcag2a, wcag2aa,
//     wcag21a, wcag21aa);
//   - at a 320 CSS px wide viewport, that the page does not scroll
//     horizontally (WCAG 1.4.10 Reflow);
//   - at 320 px, the smallest chart text as drawn (minChartTextPx);
//   - screenshots of each page at 1280 and 320 px (its top, and its first
//     referential table, else its first table), for people to look at.
//
// Usage: node check.mjs SCREENSHOT_DIR PAGE.html...
// Prints one JSON object: {"pages": [{file, violations, scrollWidth,
// clientWidth, screenshots}]}. Exit status 2 when the browser cannot be
// started (the Rust test turns that into a clear failure).
import { readFileSync } from "node:fs";
import { basename, resolve, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [shotDir, ...files] = process.argv.slice(2);
if (!shotDir || files.length === 0) {
  console.error("usage: node check.mjs SCREENSHOT_DIR PAGE.html...");
  process.exit(64);
}
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

let browser;
try {
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
} catch (e) {
  console.error(`cannot start Chromium at ${executablePath}: ${e.message}`);
  process.exit(2);
}

// The top of the page, and the page scrolled to its first table (where
// the layout matters most); whole pages of the seed are too tall to view.
async function shoot(tab, name, width) {
  const top = join(shotDir, `${name}-${width}.png`);
  await tab.screenshot({ path: top });
  const shots = [top];
  // The referential's first table on a document (the first table there
  // is the scales'), the first table elsewhere.
  const referential = tab.locator("table.referential").first();
  const table = (await referential.count()) > 0 ? referential : tab.locator("table").first();
  if ((await table.count()) > 0) {
    // Its top at the top of the screen (scrollIntoViewIfNeeded centres a
    // tall table, showing the middle of one cell).
    await table.evaluate((el) => el.scrollIntoView({ block: "start" }));
    const at = join(shotDir, `${name}-${width}-table.png`);
    await tab.screenshot({ path: at });
    shots.push(at);
  }
  return shots;
}

const results = [];
try {
  // One browser for every page; a fresh context per width.
  for (const file of files) {
    const url = pathToFileURL(resolve(file)).href;
    const name = basename(file).replace(/\.html$/, "");
    const page = { file, violations: [], screenshots: [] };

    const wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await wide.newPage();
    await tab.goto(url, { waitUntil: "load" });
    await tab.addScriptTag({ content: axeSource });
    const axe = await tab.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        resultTypes: ["violations"],
      }),
    );
    page.violations = axe.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, summary: n.failureSummary })),
    }));
    page.rulesChecked = axe.passes === undefined ? null : axe.passes.length;
    page.screenshots.push(...(await shoot(tab, name, 1280)));
    await wide.close();

    const narrow = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const small = await narrow.newPage();
    await small.goto(url, { waitUntil: "load" });
    const widths = await small.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      bodyScrollWidth: document.body.scrollWidth,
      // The smallest text of the pictures (charts, structure) as drawn:
      // its font size times the SVG's scale (a wide viewBox shrinks it on
      // a narrow screen).
      minChartTextPx: Math.min(
        ...[...document.querySelectorAll("svg.chart, svg.structure")].flatMap((svg) => {
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll("text")].map(
            (t) => parseFloat(getComputedStyle(t).fontSize) * scale,
          );
        }),
      ),
    }));
    // JSON has no Infinity: a page without charts says null.
    if (!Number.isFinite(widths.minChartTextPx)) widths.minChartTextPx = null;
    Object.assign(page, widths);
    page.screenshots.push(...(await shoot(small, name, 320)));
    await narrow.close();

    // Table cells cut off at the widths of small phones, 320 px and 390 px
    // (an iPhone's): tables of figures reflow into cards there, and no
    // other table may push a cell past the screen's edge outside its own
    // scrolling region (a matrix of candidates × blocks scrolls in its
    // focusable `.scroll` box, as data tables may: WCAG 1.4.10).
    page.cellsOutside = {};
    for (const width of [320, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const view = await context.newPage();
      await view.goto(url, { waitUntil: "load" });
      page.cellsOutside[width] = await view.evaluate(() => {
        const edge = document.documentElement.clientWidth + 0.5;
        return [...document.querySelectorAll("th, td")]
          .filter((cell) => cell.closest("table.figures") || !cell.closest(".scroll"))
          .filter((cell) => cell.getBoundingClientRect().right > edge)
          .slice(0, 5)
          .map((cell) => cell.textContent.trim().slice(0, 40));
      });
      await context.close();
    }
    results.push(page);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages: results }, null, 2));
