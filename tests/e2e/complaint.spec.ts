/**
 * A food-delivery rider complains on a phone (issue 25), at 360 px in both languages: signed in
 * with the code the console SMS transport prints, the rider finds the Hangzhou agreement in force
 * on the worker page, opens the late-delivery penalty's row of the notice's complaint figures,
 * files an appeal (an empty description refused beside the field first) with a photo, gets the
 * receipt code, follows the case, and then, signed out in another browser, looks the case up by
 * its receipt code (a wrong code refused beside the field). Nothing is wider than the screen.
 *
 * The e2e server seeds the demo accounts only (XS_DEMO_SCENARIO=false in playwright.config.ts);
 * the demo scenario with the agreement in force (prisma/demo-scenario.ts) is seeded here once,
 * with the same functions `npm start` runs on an empty database.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import type { Page } from "@playwright/test";
import { expect, languageCookie, ownAddress, serverOutput, serverOutputLength, test } from "./fixtures.ts";

test.use({ viewport: { width: 360, height: 740 } });

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLAUSE = "penaltyRules:LATE_DELIVERY";
/**
 * DEMO_IN_FORCE_TITLE of prisma/demo-scenario.ts, written out: that module reaches app code whose
 * JSON imports Playwright's loader does not read (tests/integration/complaints.test.ts looks the same title up).
 */
const DEMO_IN_FORCE_TITLE = "杭州市外卖配送行业骑手计件单价集体协议（2025—2027年度）";

const TEXT = {
  "zh-CN": {
    phone: "手机号码",
    send: "获取验证码",
    code: "短信验证码",
    signIn: "登录",
    heading: "我的协议",
    industry: "行业",
    region: "地区",
    save: "保存",
    saved: "已保存。",
    covering: "覆盖杭州市外卖配送的协议",
    complain: "投诉此条款",
    fileTitle: "投诉或申诉",
    body: "发生了什么",
    photos: "照片（选填）",
    platform: "平台企业",
    swiftEats: "速达外卖（演示）",
    submit: "提交",
    required: "此项必填。",
    filedTitle: "已提交",
    follow: "查看案件进展",
    filed: "待平台处理",
    clause: "扣罚规则：超时送达",
    appeal: "扣罚申诉",
    trackTitle: "查询案件进展",
    receipt: "查询码",
    look: "查询",
    unknown: "没有找到这个查询码对应的案件，请核对后再输入。",
    description: "小区不让电动车进，步行送到超时 3 分钟，被扣了 2 元。",
  },
  en: {
    phone: "Mobile number",
    send: "Send me a code",
    code: "Code from the text message",
    signIn: "Sign in",
    heading: "My agreements",
    industry: "Industry",
    region: "Region",
    save: "Save",
    saved: "Saved.",
    covering: "Agreements covering Food delivery in Hangzhou",
    complain: "Complain about this clause",
    fileTitle: "Complain or appeal",
    body: "What happened",
    photos: "Photos (optional)",
    platform: "Platform company",
    swiftEats: "SwiftEats (demo)",
    submit: "Submit",
    required: "This field is required.",
    filedTitle: "Submitted",
    follow: "Follow the case",
    filed: "Waiting for the platform",
    clause: "Penalty rule: Late delivery",
    appeal: "Penalty appeal",
    trackTitle: "Follow a case",
    receipt: "Receipt code",
    look: "Look up",
    unknown: "No case has this receipt code: check it and try again.",
    description: "The estate does not let e-bikes in; I walked the order in, 3 minutes late, and was fined 2 yuan.",
  },
} as const;

/** Nothing wider than the screen; the message names what sticks out (as tests/e2e/mobile.spec.ts). */
async function fits(page: Page) {
  const { overflow, scrollWidth, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1 && !element.closest(".visually-hidden"))
      .slice(0, 4)
      .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).slice(0, 40)} «${element.textContent?.trim().slice(0, 30)}»`);
    return { overflow: document.documentElement.scrollWidth - width, scrollWidth: document.documentElement.scrollWidth, culprits };
  });
  expect(overflow, `${page.url()} is wider than the screen: ${culprits.join(" | ")}`).toBeLessThanOrEqual(0);
  expect(scrollWidth, `${page.url()} scrolls sideways at 360 px`).toBeLessThanOrEqual(360);
}

/** A real PNG (8 × 8, RGB, a colour gradient) that any decoder reads: signature, IHDR, IDAT, IEND with their CRCs. */
function smallPng(side = 8): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter method, no interlace
  const rows: number[] = [];
  for (let y = 0; y < side; y += 1) {
    rows.push(0); // filter: none
    for (let x = 0; x < side; x += 1) rows.push((x * 255) / (side - 1), (y * 255) / (side - 1), 128);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(Buffer.from(rows))), chunk("IEND", Buffer.alloc(0))]);
}

/** Browser console errors of a page the `page` fixture does not watch (same rule as tests/e2e/fixtures.ts). */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

test.beforeAll(() => {
  test.setTimeout(120_000);
  // The demo scenario (its agreement in force and the demo complaints), once, in the server's database.
  const script = [
    'const { getDb, disconnectDb } = await import("./app/infra/db.server.ts");',
    'const { seedDemoScenarioOnce, skipDemoHistoryMail } = await import("./prisma/seed.ts");',
    "await seedDemoScenarioOnce(getDb());",
    "await skipDemoHistoryMail(getDb());",
    "await disconnectDb();",
  ].join("\n");
  execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: process.env.XS_E2E_DATABASE_URL! },
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 110_000,
  });
});

for (const language of ["zh-CN", "en"] as const) {
  const text = TEXT[language];
  test.describe(language, () => {
    test.use({ locale: language });

    test(`a rider appeals a late-delivery penalty on a phone and follows the case by its receipt code (${language})`, async ({ page, browser, baseURL }) => {
      test.setTimeout(90_000);
      // A number of its own (one code per number per minute): 139, the language, then the clock.
      const digits = `139${language === "en" ? 2 : 1}${String(Date.now() % 10_000_000).padStart(7, "0")}`;
      await page.context().setExtraHTTPHeaders(ownAddress());
      await page.context().addCookies([languageCookie(language, baseURL!)]);

      // 1. Signed in with the code the console SMS transport prints.
      await page.goto("/worker/login");
      await fits(page);
      const printed = serverOutputLength();
      await page.getByLabel(text.phone).fill(digits);
      await page.getByRole("button", { name: text.send }).click();
      await expect(page.getByTestId("code-sent")).toContainText(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
      await fits(page);
      const line = await serverOutput(new RegExp(`sms \\(console transport[^)]*\\) to \\+86${digits}: .*?(\\d{6})`), printed);
      await page.getByLabel(text.code).fill(line[1]!);
      await page.getByRole("button", { name: text.signIn, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: text.heading })).toBeVisible();
      await fits(page);

      // 2. The agreement in force for food delivery in Hangzhou, and its complaint figures.
      await page.getByLabel(text.industry).selectOption("FOOD_DELIVERY");
      await page.getByLabel(text.region).selectOption("330100");
      await page.getByRole("button", { name: text.save }).click();
      await expect(page.getByText(text.saved)).toBeVisible();
      await expect(page.getByRole("heading", { level: 2, name: text.covering })).toBeVisible();
      await fits(page);
      await page.getByTestId("worker-notices").getByRole("link", { name: DEMO_IN_FORCE_TITLE, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: DEMO_IN_FORCE_TITLE })).toBeVisible();
      const noticeId = /\/notices\/([^/?#]+)$/.exec(new URL(page.url()).pathname)![1]!;
      await fits(page);
      const section = page.getByTestId("complaints-section");
      await section.scrollIntoViewIfNeeded();
      const row = section.getByTestId("complaint-figures").locator(`tr[data-clause="${CLAUSE}"]`);
      await expect(row).toHaveCount(1);
      await expect(row.getByRole("rowheader")).toContainText(text.clause);
      const complain = row.getByRole("link", { name: text.complain });
      await expect(complain).toHaveAttribute("href", `/notices/${noticeId}/complain?clause=${encodeURIComponent(CLAUSE)}&kind=PENALTY_APPEAL`);
      await fits(page);
      await complain.click();

      // 3. The filing page: the clause and the kind chosen already; an empty description refused beside the field.
      await expect(page).toHaveURL(new RegExp(`/notices/${noticeId}/complain\\?`));
      await expect(page.getByRole("heading", { level: 1, name: text.fileTitle })).toBeVisible();
      await expect(page.locator("#f-clause")).toHaveValue(CLAUSE);
      await expect(page.locator('input[name="kind"][value="PENALTY_APPEAL"]')).toBeChecked();
      await expect(page.locator('input[name="shareIdentity"][value="no"]')).toBeChecked();
      await expect(page.locator("#f-happenedOn")).not.toHaveValue("");
      await fits(page);
      await page.getByRole("button", { name: text.submit, exact: true }).click();
      const body = page.locator("#f-body");
      await expect(body).toHaveAttribute("aria-invalid", "true");
      await expect(page.locator("#f-body-error")).toHaveText(text.required);
      await expect(body).toHaveAttribute("aria-describedby", /f-body-error/);
      await expect(page.getByTestId("complaint-receipt")).toHaveCount(0);
      await fits(page);
      await expect(page.getByLabel(text.body, { exact: true })).toHaveAttribute("id", "f-body");
      await body.fill(text.description);
      // The agreement covers two platform companies: the rider says which one fined them.
      await page.getByLabel(text.platform, { exact: true }).selectOption({ label: text.swiftEats });
      await page.locator('input[name="reference"]').fill("PD20261207099");
      const photos = page.getByLabel(text.photos, { exact: true });
      await expect(photos).toHaveAttribute("id", "f-photos");
      await photos.setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer: smallPng() });
      await page.getByRole("button", { name: text.submit, exact: true }).click();

      // The receipt, shown once.
      const receipt = page.getByTestId("complaint-receipt");
      await expect(receipt).toBeVisible();
      await expect(page.getByRole("heading", { level: 1, name: text.filedTitle })).toBeVisible();
      const code = (await page.getByTestId("receipt-code").textContent())!.trim();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      const number = /C-[0-9A-HJKMNP-TV-Z]{8}/.exec((await receipt.textContent()) ?? "")?.[0];
      expect(number, "the case number on the receipt").toBeTruthy();
      await fits(page);

      // 4. Following the case, signed in: waiting for the platform, about the late-delivery penalty, with the photo.
      await page.getByRole("link", { name: text.follow }).click();
      await expect(page).toHaveURL(/\/complaints\/[^/?#]+$/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(number!);
      await expect(page.getByTestId("case-state")).toHaveText(text.filed);
      await expect(page.getByTestId("case-clause")).toHaveText(text.clause);
      await expect(page.getByText(text.description)).toBeVisible();
      const photo = page.locator(".photo-list img");
      await expect(photo).toHaveCount(1);
      await photo.scrollIntoViewIfNeeded();
      await expect.poll(() => photo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(8);
      await fits(page);

      // Signed out, in another browser: the case by its receipt code; a wrong code first.
      const stranger = await browser.newContext({ locale: language, baseURL, viewport: { width: 360, height: 740 }, extraHTTPHeaders: ownAddress() });
      await stranger.addCookies([languageCookie(language, baseURL!)]);
      const other = await stranger.newPage();
      const strangerErrors = watchConsole(other);
      await other.goto("/complaints/track");
      await expect(other.getByRole("heading", { level: 1, name: text.trackTitle })).toBeVisible();
      await fits(other);
      const field = other.locator("#f-receipt");
      await expect(other.getByLabel(text.receipt, { exact: true })).toHaveCount(1);
      // A code of the right shape that is not this case's (the first character changed).
      const wrong = `${code[0] === "0" ? "1" : "0"}${code.slice(1)}`;
      await field.fill(wrong);
      await other.getByRole("button", { name: text.look, exact: true }).click();
      await expect(field).toHaveAttribute("aria-invalid", "true");
      await expect(other.locator("#f-receipt-error")).toHaveText(text.unknown);
      await expect(other.getByTestId("tracked-case")).toHaveCount(0);
      await fits(other);
      // Lower case, without the hyphens.
      await field.fill(code.replaceAll("-", "").toLowerCase());
      await other.getByRole("button", { name: text.look, exact: true }).click();
      const tracked = other.getByTestId("tracked-case");
      await expect(tracked).toBeVisible();
      await expect(tracked.getByRole("heading", { level: 2 })).toContainText(number!);
      await expect(tracked.getByTestId("case-state")).toHaveText(text.filed);
      await expect(tracked).toContainText(text.appeal);
      await expect(tracked).toContainText(text.clause);
      await expect(tracked).toContainText(DEMO_IN_FORCE_TITLE);
      // Never who filed it or what they wrote.
      await expect(tracked).not.toContainText(text.description);
      await expect(tracked).not.toContainText(digits);
      await expect(field).not.toHaveAttribute("aria-invalid", "true");
      await fits(other);
      expect(strangerErrors, "browser console errors (signed-out context)").toEqual([]);
      await stranger.close();
    });
  });
}
