/**
 * Terms that are checked and computed, in the browser: lowering the piece rate until pay at the
 * labour quota falls below Hangzhou's hourly minimum wage shows the breach beside the field at once,
 * raising it clears it; the pay calculator in the editor gives the same figures as the domain
 * calculator the server uses (one implementation).
 */
import type { Browser, Page } from "@playwright/test";
import pg from "pg";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { calculatePay } from "../../app/domain/pay.ts";
import { WORKER_PROFILES } from "../../app/domain/worker-profiles.ts";
import { sessionInBargaining } from "../support/sessions.ts";
import { expect, languageCookie, ownAddress, test } from "./fixtures.ts";

test.use({ locale: "zh-CN" });

async function signedInPage(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  return page;
}

async function setTerm(page: Page, label: RegExp, value: string) {
  const input = page.getByLabel(label);
  await input.fill(value);
  await input.press("Enter");
}

test("pay at quota below the minimum wage is flagged beside the piece rate at once; the calculator matches the domain calculator", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let sessionId: string;
  try {
    sessionId = await sessionInBargaining(baseURL!, db, `最低工资 ${Date.now()}`);
  } finally {
    await db.end();
  }
  const negotiator = await signedInPage(browser, baseURL!, "negotiator@union.demo");
  const platform = await signedInPage(browser, baseURL!, "rep@swifteats.demo");
  for (const page of [negotiator, platform]) {
    await page.goto(`/sessions/${sessionId}/draft`);
    await expect(page.getByTestId("draft-status")).toContainText("已同步");
  }

  // 12 minutes per standard order at 5.50 yuan: 27.50 yuan an hour, above Hangzhou's 25.00.
  await setTerm(negotiator, /^劳动定额/, "12");
  await setTerm(negotiator, /^基础计件单价/, "5.50");
  const rateField = (page: Page) => page.locator(".field", { has: page.getByLabel(/^基础计件单价/) });
  await expect(platform.getByLabel(/^基础计件单价/)).toHaveValue("5.50");
  await expect(rateField(negotiator)).not.toContainText("最低工资");

  // Lowered to 4.80 yuan: 24.00 yuan an hour. The breach shows beside the field in both browsers, as blocking.
  await setTerm(negotiator, /^基础计件单价/, "4.80");
  for (const page of [negotiator, platform]) {
    const beside = rateField(page).locator("[data-severity=blocking]");
    // No longest working day is agreed yet: an 8-hour day is assumed, with no allowance (人社厅发〔2023〕50号 第四条).
    await expect(beside).toContainText("按劳动定额正常劳动，每小时工作时间的报酬为 24.00 元（按每日 8 小时、其中宽放时间 0 分钟计），低于本地区");
    await expect(beside).toContainText("小时最低工资标准 25.00 元");
    await expect(beside).toContainText("阻止签署");
    await expect(beside).toContainText("浙政发〔2025〕23号");
    await expect(page.getByTestId("rule-summary")).toContainText("每小时工作时间的报酬为 24.00 元");
  }

  // The calculator shows the full-time example under these terms, exactly as the domain calculator computes it.
  const expected = calculatePay({ quotaMinutesPerOrder: 12, pieceRateBaseFen: 480 }, WORKER_PROFILES[0]!.period);
  const net = negotiator.getByTestId("pay-totals").locator("[data-total=net] td").last();
  await expect(net).toHaveText((expected.netFen / 100).toFixed(2));

  // A worker's own numbers: 100 standard orders of 2 km over 20 hours gives 480.00 yuan, 24.00 an hour online.
  const calculator = negotiator.getByTestId("pay-calculator");
  await calculator.getByLabel("在线时长（小时）").fill("20");
  await calculator.getByLabel("接单时长（小时）").fill("18");
  const firstRow = calculator.locator(".pay-orders tbody tr").first();
  await firstRow.getByLabel("单数").fill("100");
  await firstRow.getByLabel("其中法定节假日").fill("0");
  await firstRow.getByLabel("其中恶劣天气").fill("0");
  while ((await calculator.locator(".pay-orders tbody tr").count()) > 1) await calculator.locator(".pay-orders tbody tr").last().getByRole("button", { name: "删除" }).click();
  while ((await calculator.locator(".pay-penalties tbody tr").count()) > 0) await calculator.locator(".pay-penalties tbody tr").last().getByRole("button", { name: "删除" }).click();
  await expect(net).toHaveText("480.00");
  await expect(negotiator.getByTestId("pay-totals").locator("[data-total=perOnlineHour] td").last()).toHaveText("24.00");
  // Bad input is refused with a message; the result keeps the last valid figures.
  await firstRow.getByLabel("单数").fill("十");
  await expect(calculator.getByTestId("pay-error")).toBeVisible();
  await expect(net).toHaveText("480.00");

  // Raised back to 5.50 yuan: the breach clears at once.
  await setTerm(negotiator, /^基础计件单价/, "5.50");
  await expect(rateField(negotiator).locator("[data-severity=blocking]")).toHaveCount(0);
  await expect(rateField(platform).locator("[data-severity=blocking]")).toHaveCount(0);
});

test("a ride-hailing draft shows the drivers' own terms; more than 4 hours of continuous driving blocks signing, exactly 4 does not (issue 22)", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let sessionId: string;
  try {
    sessionId = await sessionInBargaining(baseURL!, db, `网约车 ${Date.now()}`, { industry: "RIDE_HAILING" });
  } finally {
    await db.end();
  }
  const negotiator = await signedInPage(browser, baseURL!, "negotiator@union.demo");
  await negotiator.goto(`/sessions/${sessionId}/draft`);
  await expect(negotiator.getByTestId("draft-status")).toContainText("已同步");
  // The industry's own names; no piece-rate table or bad-weather subsidy, which ride-hailing terms do not have.
  await expect(negotiator.getByLabel(/^起步价（司机所得价格，含起步里程）/)).toBeVisible();
  await expect(negotiator.getByLabel(/^平台抽成上限/)).toBeVisible();
  await expect(negotiator.getByTestId("piece-rate-table")).toHaveCount(0);
  await expect(negotiator.getByLabel(/^恶劣天气补贴/)).toHaveCount(0);
  const drivingField = negotiator.locator(".field", { has: negotiator.getByLabel(/^最长连续驾驶时间/) });
  await setTerm(negotiator, /^最长连续驾驶时间/, "241");
  await expect(drivingField.locator("[data-severity=blocking]")).toContainText("连续驾驶超过 240 分钟（4 小时）未停车休息是禁止的");
  await expect(drivingField.locator("[data-severity=blocking]")).toContainText("《道路交通安全法实施条例》第六十二条（七）");
  await setTerm(negotiator, /^最长连续驾驶时间/, "240");
  await expect(drivingField.locator("[data-severity=blocking]")).toHaveCount(0);
  // The rounding rule is chosen from the list; the calculator says which rule it follows.
  await expect(negotiator.getByTestId("pay-rounding")).toContainText("协议未写明取整规则");
  await negotiator.getByLabel("金额取整规则").selectOption("TOTAL_HALF_UP");
  await expect(negotiator.getByTestId("pay-rounding")).toContainText("按精确金额合计");
  await expect(negotiator.getByTestId("pay-rounding")).not.toContainText("协议未写明取整规则");
});

test("no verdict before the draft has synced: the checks wait for the document, in both languages", async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let sessionId: string;
  try {
    sessionId = await sessionInBargaining(baseURL!, db, `载入前 ${Date.now()}`);
  } finally {
    await db.end();
  }
  for (const [language, pending, blocking, synced] of [
    ["zh-CN", "草案载入后显示规则检查结果。", "阻止签署", "已同步"],
    ["en", "The rule checks appear once the draft has loaded.", "blocks signing", "Synced"],
  ] as const) {
    const context = await browser.newContext({ locale: language, baseURL, extraHTTPHeaders: ownAddress() });
    await context.addCookies([languageCookie(language, baseURL!)]);
    const page = await context.newPage();
    await page.goto("/login");
    await page.locator("input[name=email]").fill("negotiator@union.demo");
    await page.locator("input[name=password]").fill(DEMO_PASSWORD);
    await page.locator("form:has(input[name=password]) button[type=submit]").click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    // The realtime connection never gets through (neither transport), so the draft never syncs.
    await page.routeWebSocket(/\/socket\.io\//, () => {});
    await page.route(/\/socket\.io\//, (route) => route.abort());
    await page.goto(`/sessions/${sessionId}/draft`);
    await expect(page.getByTestId("rule-summary-pending")).toHaveText(pending);
    await page.waitForTimeout(1_500);
    await expect(page.getByTestId("draft-status")).not.toContainText(synced);
    await expect(page.getByText(blocking)).toHaveCount(0);
    await context.close();
  }
  // Once it syncs, the verdict appears.
  const synced = await signedInPage(browser, baseURL!, "negotiator@union.demo");
  await synced.goto(`/sessions/${sessionId}/draft`);
  await expect(synced.getByTestId("draft-status")).toContainText("已同步");
  await expect(synced.getByTestId("rule-summary-pending")).toHaveCount(0);
  await expect(synced.getByTestId("rule-summary")).toContainText("阻止签署");
});

test("a saved version is opened and restored from the browser, as a new edit every copy receives", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let sessionId: string;
  try {
    sessionId = await sessionInBargaining(baseURL!, db, `恢复版本 ${Date.now()}`);
  } finally {
    await db.end();
  }
  const negotiator = await signedInPage(browser, baseURL!, "negotiator@union.demo");
  const platform = await signedInPage(browser, baseURL!, "rep@swifteats.demo");
  await negotiator.goto(`/sessions/${sessionId}/draft`);
  await expect(negotiator.getByTestId("draft-status")).toContainText("已同步");
  await setTerm(negotiator, /^基础计件单价/, "6.20");
  await expect(negotiator.getByLabel(/^基础计件单价/)).toHaveValue("6.20");

  // Saved as a named version, then changed.
  await negotiator.goto(`/sessions/${sessionId}/versions`);
  await negotiator.getByLabel("版本名称").fill("六元二角稿");
  await negotiator.getByRole("button", { name: "保存当前版本" }).click();
  await expect(negotiator.locator("li", { hasText: "六元二角稿" })).toBeVisible();
  await negotiator.goto(`/sessions/${sessionId}/draft`);
  await expect(negotiator.getByTestId("draft-status")).toContainText("已同步");
  await setTerm(negotiator, /^基础计件单价/, "5.10");
  await platform.goto(`/sessions/${sessionId}/draft`);
  await expect(platform.getByLabel(/^基础计件单价/)).toHaveValue("5.10");

  // Opened on the versions page, then restored on the draft page after confirming.
  await negotiator.goto(`/sessions/${sessionId}/versions`);
  await negotiator.locator("li", { hasText: "六元二角稿" }).getByRole("link", { name: "查看" }).click();
  await expect(negotiator.getByTestId("version-terms")).toContainText("6.20");
  await negotiator.getByRole("link", { name: "恢复为此版本" }).click();
  await expect(negotiator.getByTestId("restore-banner")).toContainText("六元二角稿");
  await expect(negotiator.getByTestId("draft-status")).toContainText("已同步");
  await negotiator.getByRole("button", { name: "确认恢复" }).click();
  await expect(negotiator.getByTestId("restore-done")).toContainText("已将草案恢复为“六元二角稿”");
  for (const page of [negotiator, platform]) await expect(page.getByLabel(/^基础计件单价/)).toHaveValue("6.20");
});
