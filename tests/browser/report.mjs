// Opens an `agentid inventory --format html` page from a file:// URL in
// Debian's chromium (driven by playwright-core, no downloaded browser),
// exercises it, and prints what it saw as one JSON object on stdout.
// tests/report_html.rs makes the assertions; scripts/report-screenshot.sh
// uses the screenshot.
//
//   node report.mjs REPORT.html OUT_DIR
//
// Environment: AGENTID_TEST_CHROMIUM (default /usr/bin/chromium).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [htmlPath, outDir] = process.argv.slice(2);
if (!htmlPath || !outDir) {
  console.error("usage: node report.mjs REPORT.html OUT_DIR");
  process.exit(2);
}
const executablePath = process.env.AGENTID_TEST_CHROMIUM || "/usr/bin/chromium";
const url = pathToFileURL(resolve(htmlPath)).href;
const profile = mkdtempSync(join(tmpdir(), "agentid-chromium-"));

// The flags this machine needs (see .library/env/machines/rust.md): without
// the background-networking ones chromium itself tries to reach Google.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const seen = {
  url,
  requests: [],
  dialogs: [],
  console: [],
  pageErrors: [],
  cspViolations: [],
};
try {
  const page = browser.pages()[0] || (await browser.newPage());
  // Every request of the page, whatever its scheme.
  page.on("request", (r) => seen.requests.push(r.url()));
  page.on("dialog", async (d) => {
    seen.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on("console", (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => seen.pageErrors.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(300);

  seen.title = await page.title();
  seen.planted = await page.evaluate(() => window.__planted === undefined ? null : window.__planted);
  seen.cspViolations = await page.evaluate(() => window.__csp || []);
  seen.scriptRan = await page.evaluate(() => !document.getElementById("filters").hidden);
  seen.styleApplied = await page.evaluate(
    () => getComputedStyle(document.querySelector(".card")).borderTopLeftRadius,
  );
  seen.cards = await page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll("[data-card]")) {
      const v = el.querySelector(".value") || el;
      out[el.getAttribute("data-card")] = v.textContent.trim();
    }
    return out;
  });
  seen.agentNames = await page.evaluate(() =>
    Array.from(document.querySelectorAll("#agents article h3")).map((h) => h.firstChild.textContent.trim()),
  );
  seen.ageBuckets = await page.evaluate(() => {
    const out = {};
    for (const g of document.querySelectorAll("#chart-ages [data-bucket]")) {
      out[g.getAttribute("data-bucket")] = g.querySelector(".hist-count").textContent.trim();
    }
    return out;
  });
  seen.ageThreshold = await page.evaluate(() => {
    const el = document.getElementById("max-key-age-label");
    return el ? el.textContent.trim() : null;
  });
  seen.agentPurposes = await page.evaluate(() =>
    Array.from(document.querySelectorAll("#agents article")).map((a) =>
      a.querySelector('[data-field="purpose"]').textContent.trim(),
    ),
  );
  seen.agentTrust = await page.evaluate(() =>
    Array.from(document.querySelectorAll("#agents article")).map((a) =>
      Array.from(a.querySelectorAll('[data-field="trust"] li')).map((li) => li.textContent.trim()),
    ),
  );
  seen.agentAges = await page.evaluate(() =>
    Array.from(document.querySelectorAll("#agents article")).map((a) =>
      Array.from(a.querySelectorAll("table.credentials td[data-age-days]")).map((td) => td.getAttribute("data-age-days")),
    ),
  );
  seen.owners = await page.evaluate(() =>
    Array.from(document.querySelectorAll("#filter-owner option")).map((o) => o.value),
  );
  seen.scriptElements = await page.evaluate(() => document.querySelectorAll("script").length);
  seen.imgElements = await page.evaluate(() => document.querySelectorAll("img").length);

  const visibleSeverities = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll("#findings-table tbody tr"))
        .filter((r) => !r.hidden && r.offsetParent !== null)
        .map((r) => r.getAttribute("data-severity")),
    );
  seen.rowsBefore = (await visibleSeverities()).length;
  seen.filtered = {};
  for (const sev of ["critical", "high", "medium", "low", "info"]) {
    await page.selectOption("#filter-severity", sev);
    seen.filtered[sev] = {
      visible: await visibleSeverities(),
      shown: await page.textContent("#shown"),
    };
  }
  await page.selectOption("#filter-severity", "");
  seen.rowsAfterReset = (await visibleSeverities()).length;

  // Sort by severity, ascending then descending.
  const severityHeader = page.locator("#findings-table thead th").first().locator("button");
  await severityHeader.click();
  seen.sortedAscending = await visibleSeverities();
  await severityHeader.click();
  seen.sortedDescending = await visibleSeverities();
  seen.ariaSort = await page.getAttribute("#findings-table thead th:first-child", "aria-sort");

  // Reload to the page's first state for the screenshots.
  await page.goto(url, { waitUntil: "load" });
  seen.screenshot = join(outDir, "report.png");
  await page.screenshot({ path: seen.screenshot, fullPage: false });
  seen.screenshotFull = join(outDir, "report-full.png");
  await page.screenshot({ path: seen.screenshotFull, fullPage: true });

  await page.emulateMedia({ colorScheme: "dark" });
  seen.darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  seen.screenshotDark = join(outDir, "report-dark.png");
  await page.screenshot({ path: seen.screenshotDark, fullPage: false });

  await page.emulateMedia({ colorScheme: "light", media: "print" });
  seen.printFiltersDisplay = await page.evaluate(
    () => getComputedStyle(document.getElementById("filters")).display,
  );
  seen.pdf = join(outDir, "report.pdf");
  await page.pdf({ path: seen.pdf, format: "A4" });
  await page.emulateMedia({ colorScheme: "light", media: "screen" });
  seen.lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(seen) + "\n");
