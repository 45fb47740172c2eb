/**
 * `npm run screenshots`: the README's pictures, taken from the real product. Starts the built
 * server (`node build/index.js`) on a fresh embedded database with the demo data, opens Debian's
 * Chromium and writes:
 *
 * - docs/screenshots/notice-phone-zh.png, notice-phone-en.png: the first screen of the demo's
 *   food-delivery notice on a 360 px phone, as a rider sees it (the summary in plain words);
 * - docs/screenshots/draft-desktop-zh.png: the live draft of the demo's 2027 round as the union's
 *   negotiator sees it.
 *
 * Run `npm run build` first (the npm script does). No database server is needed. Chinese text needs
 * a CJK font in the system (Debian: `apt-get install fonts-noto-cjk`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { DEMO_IN_FORCE_TITLE, DEMO_SESSION_TITLE } from "../../prisma/demo-scenario.ts";
import { startChildServer } from "../support/child-server.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = path.join(ROOT, "docs/screenshots");
const CHROMIUM = process.env.XS_CHROMIUM_PATH ?? "/usr/bin/chromium";

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xs-screenshots-"));
  const server = await startChildServer({ DATABASE_URL: "", XS_DATA_DIR: dataDir, XS_DEMO: "true", XS_DEMO_SCENARIO: "true" });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const notices = (await (await fetch(`${server.url}/api/notices`)).json()) as { notices: Array<{ noticeId: string; title: string }> };
    const notice = notices.notices.find((candidate) => candidate.title === DEMO_IN_FORCE_TITLE) ?? notices.notices[0];
    if (!notice) throw new Error("the demo data has no published notice");
    for (const language of ["zh-CN", "en"] as const) {
      const phone = await browser.newContext({ locale: language, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await phone.newPage();
      await page.goto(`${server.url}/notices/${notice.noticeId}`);
      // The first screen, as the rider sees it on opening the notice; and the whole summary.
      await page.screenshot({ path: path.join(OUT, `notice-phone-${language === "en" ? "en" : "zh"}.png`) });
      await phone.close();
    }
    const desktop = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    await page.goto(`${server.url}/login`);
    await page.locator("input[name=email]").fill("negotiator@union.demo");
    await page.locator("input[name=password]").fill(DEMO_PASSWORD);
    await page.locator("form:has(input[name=password]) button[type=submit]").click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${server.url}/sessions`);
    const href = await page.getByRole("link", { name: DEMO_SESSION_TITLE }).first().getAttribute("href");
    if (!href) throw new Error("the demo session is not on the negotiator's dashboard");
    await page.goto(`${server.url}${href.replace(/\/$/, "")}/draft`);
    await page.getByTestId("rule-summary").waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="rule-summary-pending"]'));
    await page.screenshot({ path: path.join(OUT, "draft-desktop-zh.png") });
    await desktop.close();
    console.log(`Screenshots written to ${path.relative(ROOT, OUT)}/.`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
