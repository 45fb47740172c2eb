/**
 * From an agreed draft to a public notice, in the browser: the worker chief puts the draft to a
 * vote, worker representatives ratify it, both chiefs sign with their password, the agreement is
 * filed, the bureau reviewer lets the review lapse (the clock is moved by dating the filing 30 days
 * back), the notice appears publicly; both chiefs correct it, and a worker on a phone finds it by
 * platform, reads what changed and works out their pay. Then: the notice page without JavaScript,
 * and a repeat request answered 304.
 */
import { randomInt } from "node:crypto";
import { devices, type Page } from "@playwright/test";
import pg from "pg";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { calculatePay } from "../../app/domain/pay.ts";
import { WORKER_PROFILES } from "../../app/domain/worker-profiles.ts";
import { agreeDraft, ratifyAndSign, workerRepresentatives, writeText } from "../support/agreement.ts";
import { sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";
import { expect, test } from "./fixtures.ts";

test.use({ locale: "zh-CN" });

const email = (roleKey: string, index = 0) => DEMO_ACCOUNTS.filter((account) => account.roleKey === roleKey)[index]!.email;
const REP_PASSWORD = "correct horse battery";

async function loginAs(page: Page, address: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  if (await page.getByRole("button", { name: "退出登录" }).isVisible()) {
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL(/\/login/);
  }
  await page.getByLabel("电子邮箱").fill(address);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
}

/** A session covering SwiftEats with realistic terms and text, agreed by both chiefs (set up over HTTP). */
async function agreedSession(baseURL: string, db: pg.Client, title: string) {
  const sessionId = await sessionInBargaining(baseURL, db, title, { covered: ["swift-eats"] });
  await writeTerms(baseURL, sessionId, VALID_TERMS);
  await writeText(baseURL, sessionId, ["第一条 计件单价按本协议条款执行。", "第二条 连续送单 4 小时后，平台提示休息并 20 分钟内不派单。"]);
  await agreeDraft(baseURL, sessionId);
  return sessionId;
}

/** The clock, moved: the filing is dated 30 days back, so the 15-day review (calendar days, past rest days) has lapsed when next read. */
async function lapseReview(db: pg.Client, sessionId: string) {
  await db.query(`UPDATE "BargainingSession" SET "filedAt" = "filedAt" - interval '30 days' WHERE id = $1`, [sessionId]);
}

test("worker representatives ratify, both chiefs sign, the review lapses, and a worker on a phone finds the notice, reads what changed and works out their pay", async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  // This test signs in ten times: from an address of its own, so as not to spend the login throttle of others.
  await page.context().setExtraHTTPHeaders({ "X-Forwarded-For": `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` });
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  try {
    const title = `杭州外卖平台劳动规则 ${Date.now()}`;
    const sessionId = await agreedSession(baseURL!, db, title);
    const reps = await workerRepresentatives(baseURL!, 3);

    // 1. The worker chief freezes the draft and opens a secret ballot of SwiftEats' worker representatives.
    await loginAs(page, email("unionNegotiator"));
    await page.goto(`/sessions/${sessionId}`);
    await page.getByRole("link", { name: "提交职工代表审议" }).click();
    await page.getByLabel("速达外卖（演示） 的职工代表").fill(reps.map((rep) => rep.email).join("\n"));
    await expect(page.getByLabel("无记名投票")).toBeChecked();
    await page.getByRole("button", { name: "冻结表决稿并开始表决" }).click();
    await expect(page.getByTestId("vote-status")).toContainText("已投票 0 / 3 人");

    // 2. Each representative reads the frozen text and votes; nobody sees a result before the close.
    for (const rep of reps) {
      await loginAs(page, rep.email, REP_PASSWORD);
      await page.goto("/notifications");
      await page.getByRole("link", { name: title }).first().click();
      await page.getByText("查看表决稿全文与条款").click();
      await expect(page.getByText("第二条 连续送单 4 小时后")).toBeVisible();
      await page.getByRole("group", { name: "你的表决意见" }).getByLabel("同意", { exact: true }).check();
      await page.getByRole("button", { name: "投票", exact: true }).click();
      await expect(page.getByText("你已投票。结果将在表决结束后公布。")).toBeVisible();
      await expect(page.getByTestId("vote-result")).toHaveCount(0);
    }

    // 3. Everyone voted: the worker chief closes the vote; the tally and the rule are shown.
    await loginAs(page, email("unionNegotiator"));
    await page.goto(`/sessions/${sessionId}/agreement`);
    await page.getByRole("button", { name: "结束表决并计票" }).click();
    await expect(page.getByTestId("vote-result")).toHaveText("表决通过。");
    await expect(page.getByText("出席 3 / 3 人（至少需要 2 人）；同意 3 人（至少需要 2 人）")).toBeVisible();

    // 4. Both chiefs sign with their password (a wrong one is refused).
    await page.getByLabel("你的登录密码").fill("wrong password");
    await page.getByRole("button", { name: "签署协议" }).click();
    // Beside the field, and in the summary at the top, which links to the field (issue 24).
    await expect(page.getByRole("region", { name: "首席代表签署" }).getByRole("alert")).toHaveText("密码不正确，未签署。");
    await expect(page.getByTestId("error-summary").getByRole("link", { name: "密码不正确，未签署。" })).toHaveAttribute("href", "#f-password");
    await page.getByLabel("你的登录密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "签署协议" }).click();
    await expect(page.getByTestId("signature-WORKER")).toContainText("职工方首席代表");
    await loginAs(page, email("associationRepresentative"));
    await page.goto(`/sessions/${sessionId}/agreement`);
    await page.getByLabel("你的登录密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "签署协议" }).click();
    await expect(page.getByTestId("signature-EMPLOYER")).toContainText("企业方首席代表");
    await page.getByRole("button", { name: "报送人社部门审查" }).click();
    await expect(page.getByText("已报送人社部门审查。")).toBeVisible();

    // 5. The bureau reviewer sees it filed and lets the review lapse (the clock moved 30 days).
    await loginAs(page, email("bureauReviewer"));
    await page.goto(`/sessions/${sessionId}/agreement`);
    await expect(page.getByText(/已于 .* 报送人社部门；审查期 15 日/)).toBeVisible();
    await expect(page.getByRole("button", { name: "提出异议" })).toBeVisible();
    await lapseReview(db, sessionId);
    await page.reload();
    await expect(page.getByRole("button", { name: "提出异议" })).toHaveCount(0);
    // In force at the end of review (《集体合同规定》第四十七条: 即行生效) and published at once.
    await page.getByRole("link", { name: "第 1 版" }).click();
    await expect(page.getByTestId("notice-status")).toHaveText("现行有效");

    // 6. A change of the agreement in force is a new proposal that goes through the procedure
    //    again (第三十九条至第四十一条): the agreement page offers it, the form comes preset.
    await loginAs(page, email("unionNegotiator"));
    await page.goto(`/sessions/${sessionId}/agreement`);
    await page.getByRole("link", { name: "提出变更要约" }).click();
    await expect(page).toHaveURL(/\/sessions\/new\?purpose=AMENDMENT&continues=/);
    await expect(page.getByLabel("要约事项")).toHaveValue("AMENDMENT");

    // 7. A worker on a phone, not signed in: finds the notice by platform, reads what changed, works out their pay.
    const phone = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", baseURL });
    const worker = await phone.newPage();
    const errors: string[] = [];
    worker.on("pageerror", (error) => errors.push(error.message));
    worker.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await worker.goto("/");
    // On a phone the header's links are behind "菜单" (menu).
    await worker.getByTestId("nav-toggle").click();
    await worker.getByRole("link", { name: "公布的规则", exact: true }).click();
    await worker.getByLabel("平台").selectOption({ label: "速达外卖（演示）" });
    await worker.getByRole("button", { name: "查找" }).click();
    await expect(worker).toHaveURL(/platform=swift-eats/);
    await worker.getByRole("link", { name: title }).click();
    await expect(worker.getByRole("heading", { level: 1, name: title })).toBeVisible();
    expect(await worker.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await expect(worker.getByText("第 1 版 · 协议").first()).toBeVisible();
    await expect(worker.getByTestId("what-changed")).toContainText("基础计件单价：6.50 元");

    const calculator = worker.getByTestId("pay-calculator");
    await calculator.scrollIntoViewIfNeeded();
    const firstRow = calculator.locator(".pay-orders tbody tr").first();
    await firstRow.getByLabel("单数").fill("100");
    // The notice page carries no script (decision 026): the calculator is a form the server computes.
    await calculator.getByRole("button", { name: "计算" }).click();
    await expect(worker).toHaveURL(/calc=1/);
    await expect(calculator.locator(".pay-orders tbody tr").first().getByLabel("单数")).toHaveValue("100");
    const period = structuredClone(WORKER_PROFILES[0]!.period);
    period.orders[0]!.count = 100;
    // As the domain calculator computes it.
    const expected = calculatePay(VALID_TERMS, period);
    const net = worker.getByTestId("pay-totals").locator("[data-total=net] td");
    await expect(net.nth(0)).toHaveText((expected.netFen / 100).toFixed(2));
    expect(errors, "phone console errors").toEqual([]);
    await phone.close();
  } finally {
    await db.end();
  }
});

test("the notice page works without JavaScript and answers a repeat request with 304", async ({ browser, baseURL, request }) => {
  test.setTimeout(180_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let noticeId: string;
  const title = `无脚本公示 ${Date.now()}`;
  try {
    const sessionId = await agreedSession(baseURL!, db, title);
    await ratifyAndSign(baseURL!, db, sessionId, { file: true });
    await lapseReview(db, sessionId);
    // Any read applies the clock; the session page as the reviewer.
    const { loginAs: httpLogin } = await import("../support/sessions.ts");
    await (await httpLogin(baseURL!, "bureauReviewer")).get(`/sessions/${sessionId}`);
    noticeId = (await db.query('SELECT "noticeId" FROM "NoticeVersion" WHERE "sessionId" = $1', [sessionId])).rows[0].noticeId;
  } finally {
    await db.end();
  }

  const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN", baseURL, ...devices["Pixel 7"] });
  const page = await context.newPage();
  await page.goto("/notices");
  await page.getByLabel("关键词").fill(title);
  await page.getByRole("button", { name: "查找" }).click();
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // The summary first; the full text and the terms fold open without a script (native <details>).
  await expect(page.getByTestId("rider-summary")).toBeVisible();
  await expect(page.getByText("第二条 连续送单 4 小时后，平台提示休息并 20 分钟内不派单。")).toBeHidden();
  await page.getByRole("heading", { name: "协议全文" }).click();
  await expect(page.getByText("第二条 连续送单 4 小时后，平台提示休息并 20 分钟内不派单。")).toBeVisible();
  await page.getByRole("heading", { name: "条款", exact: true }).click();
  await expect(page.getByRole("table", { name: "条款一览" })).toContainText("6.50 元");
  // Plain forms: the "in force on" question and anonymous feedback both work without scripts.
  await page.getByLabel("日期").fill("2020-01-01");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByTestId("in-force-answer")).toHaveText("2020-01-01 没有生效的版本。");
  // The pay calculator: a wrong entry comes back in its field with the error and nothing computed;
  // corrected, the server computes the month with the domain calculator.
  const calculator = page.getByTestId("pay-calculator");
  const days = calculator.getByLabel("工作天数");
  await days.fill("二十");
  await calculator.getByRole("button", { name: "计算" }).click();
  await expect(page.getByTestId("pay-error")).toBeVisible();
  await expect(calculator.getByLabel("工作天数")).toHaveValue("二十");
  await expect(page.getByTestId("pay-totals")).toHaveCount(0);
  await calculator.getByLabel("工作天数").fill("20");
  const blank = calculator.locator(".pay-orders tbody tr").last();
  await blank.getByLabel("距离（公里）").fill("2");
  await blank.getByLabel("单数").fill("10");
  await calculator.getByRole("button", { name: "计算" }).click();
  const period = structuredClone(WORKER_PROFILES[0]!.period);
  period.days = 20;
  period.orders.push({ orderType: "STANDARD", timeBand: "ALL_DAY", distanceMetres: 2000, count: 10, holidayCount: 0, badWeatherCount: 0 });
  const expected = calculatePay(VALID_TERMS, period);
  // This version's column (the series may hold an earlier version from another test: then the
  // table shows before, after and the difference).
  const netCells = page.getByTestId("pay-totals").locator("[data-total=net] td");
  await expect(netCells.nth((await netCells.count()) === 3 ? 1 : 0)).toHaveText((expected.netFen / 100).toFixed(2));
  await expect(calculator.locator(".pay-orders tbody tr")).toHaveCount(period.orders.length + 1);
  expect(await page.locator("script").count(), "scripts on the notice page").toBe(0);
  // The notice's address under the QR code is one long word whose width depends on the id's
  // letters: even the widest id wraps instead of widening the phone's page (it once did, by 4 px).
  await page.locator(".qr figcaption .meta").evaluate((caption) => (caption.textContent = `http://localhost:3210/notices/${"W".repeat(16)}`));
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), "horizontal overflow on a phone").toBeLessThanOrEqual(0);
  await page.getByLabel("你的意见").fill("希望恶劣天气补贴再提高一些。");
  await page.getByRole("button", { name: "提交意见" }).click();
  await expect(page.getByText("已收到你的意见，谢谢。")).toBeVisible();
  // The verification page too.
  await page.goto(`/notices/${noticeId}/verify`);
  await expect(page.getByTestId("verify-verdict")).toContainText("哈希链完整");
  await context.close();

  // A repeat request with the ETag is answered 304, without a body.
  const first = await request.get(`/notices/${noticeId}`);
  expect(first.status()).toBe(200);
  const etag = first.headers()["etag"]!;
  expect(etag).toBeTruthy();
  expect(first.headers()["cache-control"]).toContain("public");
  const repeat = await request.get(`/notices/${noticeId}`, { headers: { "If-None-Match": etag } });
  expect(repeat.status()).toBe(304);
  expect((await repeat.body()).length).toBe(0);
});
