/**
 * A worker on a phone (issue 25, item 1), at 360 px in both languages: from the log-in page to
 * the phone sign-in, the code read from what the server prints (the console SMS transport, as
 * with `npm start`), a wrong code refused beside the field, signed in, the industry and region
 * chosen, and the agreements covering them listed. Nothing is wider than the screen.
 */
import type { Page } from "@playwright/test";
import { expect, languageCookie, ownAddress, serverOutput, serverOutputLength, test } from "./fixtures.ts";

test.use({ viewport: { width: 360, height: 740 } });

const TEXT = {
  "zh-CN": { link: "工人手机号登录", phone: "手机号码", send: "获取验证码", code: "短信验证码", signIn: "登录", wrong: "验证码不正确", industry: "行业", region: "地区", save: "保存", saved: "已保存。", heading: "我的协议", covering: "覆盖杭州市外卖配送的协议", menu: "菜单" },
  en: { link: "Workers: sign in with your phone", phone: "Mobile number", send: "Send me a code", code: "Code from the text message", signIn: "Sign in", wrong: "That code is not right", industry: "Industry", region: "Region", save: "Save", saved: "Saved.", heading: "My agreements", covering: "Agreements covering Food delivery in Hangzhou", menu: "Menu" },
} as const;

async function fits(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${page.url()} is wider than the screen`).toBeLessThanOrEqual(0);
}

let counter = 0;
for (const language of ["zh-CN", "en"] as const) {
  const text = TEXT[language];
  test(`a worker signs in on a phone with the code the console transport prints (${language})`, async ({ browser, baseURL }) => {
    counter += 1;
    const digits = `137${String(Date.now() % 10_000_000).padStart(7, "0")}${counter}`.slice(0, 11);
    const context = await browser.newContext({ locale: language, viewport: { width: 360, height: 740 }, extraHTTPHeaders: ownAddress() });
    await context.addCookies([languageCookie(language, baseURL!)]);
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByRole("link", { name: text.link }).click();
    await expect(page).toHaveURL(/\/worker\/login$/);
    await fits(page);
    const printed = serverOutputLength();
    await page.getByLabel(text.phone).fill(`${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`);
    await page.getByRole("button", { name: text.send }).click();
    await expect(page.getByTestId("code-sent")).toContainText(`${digits.slice(0, 3)}****${digits.slice(-4)}`);
    await fits(page);
    const line = await serverOutput(new RegExp(`sms \\(console transport[^)]*\\) to \\+86${digits}: .*?(\\d{6})`), printed);
    const code = line[1]!;
    // A wrong code: beside the field, focused, nothing signed in.
    await page.getByLabel(text.code).fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: text.signIn, exact: true }).click();
    await expect(page.locator("#f-code-error")).toContainText(text.wrong);
    await expect(page.getByLabel(text.code)).toBeFocused();
    await page.getByLabel(text.code).fill(code);
    await page.getByRole("button", { name: text.signIn, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: text.heading })).toBeVisible();
    await expect(page).toHaveURL(/\/worker/);
    await fits(page);
    await page.getByLabel(text.industry).selectOption("FOOD_DELIVERY");
    await page.getByLabel(text.region).selectOption("330100");
    await page.getByRole("button", { name: text.save }).click();
    await expect(page.getByText(text.saved)).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: text.covering })).toBeVisible();
    await fits(page);
    // The menu leads back to the worker's page.
    await page.getByTestId("nav-toggle").click();
    await expect(page.getByRole("navigation").getByRole("link", { name: text.heading })).toBeVisible();
    await context.close();
  });
}
