/**
 * A whole bargaining session through the UI: the union proposes to the association and two
 * platforms, the association answers, both sides name three representatives with chiefs, a
 * recorder is named, a round is held and its minutes signed by both chiefs; each step shows on
 * the timeline and in the audit trail.
 */
import type { Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { expect, test } from "./fixtures.ts";

test.use({ locale: "zh-CN" });

const email = (roleKey: string, index = 0) => DEMO_ACCOUNTS.filter((account) => account.roleKey === roleKey)[index]!.email;

async function loginAs(page: Page, address: string) {
  await page.goto("/login");
  if (await page.getByRole("button", { name: "退出登录" }).isVisible()) {
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL(/\/login/);
  }
  await page.getByLabel("电子邮箱").fill(address);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
}

/** Names someone and waits until the seat count of that side shows them. */
async function appoint(page: Page, side: "职工方" | "企业方" | "记录员", address: string, seatsAfter: string, chief = false) {
  const form = page.getByRole("form", { name: `为${side}确定人选` });
  await form.getByLabel("人选的电子邮箱").fill(address);
  if (chief) await form.getByLabel("担任首席代表").check();
  await form.getByRole("button", { name: "确定" }).click();
  await expect(page.getByRole("heading", { name: `${side} (${seatsAfter})` })).toBeVisible();
}

test("a full bargaining session up to signed minutes", async ({ page }) => {
  test.setTimeout(120_000);
  const title = `杭州外卖骑手计件单价集体协商 ${Date.now()}`;

  // 1. The union negotiator proposes.
  await loginAs(page, email("unionNegotiator"));
  await page.getByRole("link", { name: "协商会话" }).click();
  await page.getByRole("link", { name: "发出协商要约" }).click();
  await page.getByLabel("标题").fill(title);
  for (const topic of ["计件单价", "工作时间", "算法"]) await page.getByRole("group", { name: "协商议题" }).getByLabel(topic).check();
  const recipients = page.getByRole("group", { name: "要约对象" });
  await recipients.getByLabel(/杭州市餐饮与配送行业协会/).check();
  await recipients.getByLabel(/速达外卖/).check();
  await recipients.getByLabel(/蓝山即送/).check();
  await page.getByRole("group", { name: "协议覆盖的企业" }).getByLabel(/速达外卖/).check();
  await page.getByRole("group", { name: "列席（人社部门）" }).getByLabel(/人力资源和社会保障局/).check();
  await page.getByLabel("要约内容").fill("就外卖配送计件单价、工作时间和派单算法开展行业集体协商。");
  await page.getByRole("button", { name: "发出要约" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".step-current")).toHaveText("要约待回应");
  // 24:00 China time of the 20th day after today, moved past a weekend or holiday (app/domain/periods.ts).
  await expect(page.getByText(/回应期限：.* 24:00（还有 (2\d) 天）/)).toBeVisible();
  const sessionUrl = page.url();

  // 2. The association answers.
  await loginAs(page, email("associationRepresentative"));
  await page.goto("/sessions");
  await expect(page.getByRole("region", { name: "需要我处理" }).getByText("回应要约")).toBeVisible();
  // Each action is a link to where it is done (issue 23, item 1).
  await expect(page.getByRole("region", { name: "需要我处理" }).getByText(title)).toBeVisible();
  await page.getByRole("region", { name: "需要我处理" }).getByRole("link", { name: "回应要约" }).click();
  await page.getByRole("button", { name: "接受要约" }).click();
  // Each named organization answers for itself (issue 18): the platforms still have to.
  await expect(page.locator(".step-current")).toHaveText("要约待回应");
  await expect(page.getByTestId("party-consent").filter({ hasText: "已同意参加" })).toHaveCount(2);
  for (const index of [0, 1]) {
    await loginAs(page, email("platformRepresentative", index));
    await page.goto(sessionUrl);
    await page.getByRole("button", { name: "接受要约" }).click();
  }
  await expect(page.locator(".step-current")).toHaveText("确定协商代表");
  await loginAs(page, email("associationRepresentative"));
  await page.goto(sessionUrl);

  // 3. The employer side names its three representatives, the association's as chief.
  await appoint(page, "企业方", email("associationRepresentative"), "1/3", true);
  await appoint(page, "企业方", email("platformRepresentative", 0), "2/3");
  await appoint(page, "企业方", email("platformRepresentative", 1), "3/3");

  // 4. The union names its three, the negotiator as chief, and the neutral recorder.
  await loginAs(page, email("unionAdmin"));
  await page.goto(sessionUrl);
  await appoint(page, "职工方", email("unionNegotiator"), "1/3", true);
  await appoint(page, "职工方", email("unionAdmin"), "2/3");
  await appoint(page, "职工方", email("workerRepresentative"), "3/3");
  // The recorder is named by both sides together (《集体合同规定》第三十三条（五））: nominated here,
  // in office once the employer side confirms.
  await appoint(page, "记录员", email("recorder"), "0/1");
  await expect(page.getByText("待对方确认")).toBeVisible();
  await expect(page.getByRole("button", { name: "确认记录员" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "企业方 (3/3)" })).toBeVisible();
  await loginAs(page, email("associationRepresentative"));
  await page.goto(sessionUrl);
  await page.getByRole("button", { name: "确认记录员" }).click();
  await expect(page.getByRole("heading", { name: "记录员 (1/1)" })).toBeVisible();

  // 5. The worker chief opens bargaining and schedules round 1 (chaired by the worker side).
  await loginAs(page, email("unionNegotiator"));
  await page.goto(sessionUrl);
  await page.getByRole("button", { name: "开始协商" }).click();
  await expect(page.locator(".step-current")).toHaveText("协商中");
  // The current minute in China time: a round may not be scheduled in the past, and its minutes wait for its start.
  // Not in the last seconds of a minute: the minute typed must still be the current one when the
  // server checks it (a fresh-clone run once crossed the minute between typing and sending).
  const second = new Date().getSeconds();
  if (second >= 45) await page.waitForTimeout((61 - second) * 1000);
  await page.getByLabel("时间（北京时间）").fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16));
  await page.getByLabel("地点或会议链接").fill("杭州市总工会 3 楼会议室");
  await page.getByLabel("议程").fill("计件单价与恶劣天气补贴");
  await page.getByRole("button", { name: "安排", exact: true }).click();
  await expect(page.getByRole("heading", { name: "第 1 次协商会议" })).toBeVisible();
  await expect(page.getByText("主持：职工方首席代表")).toBeVisible();

  // 6. The recorder writes the minutes.
  await loginAs(page, email("recorder"));
  await page.goto(sessionUrl);
  await page.getByLabel("会议记录").fill("双方就计件单价交换意见；企业方将在下次会议前提交测算数据。");
  await page.getByRole("button", { name: "保存会议记录" }).click();
  await expect(page.getByText("会议记录已保存，等待双方首席代表签字。")).toBeVisible();

  // 7. Both chiefs sign the minutes.
  for (const chief of [email("unionNegotiator"), email("associationRepresentative")]) {
    await loginAs(page, chief);
    await page.goto(sessionUrl);
    await page.getByRole("button", { name: "签署会议记录" }).click();
    await expect(page.getByText("已签署会议记录。")).toBeVisible();
  }
  await expect(page.locator(".signatures li")).toHaveCount(2);
  await expect(page.locator(".signatures")).not.toContainText("未签字");

  // 8. The audit trail shows every step, and the chain verifies.
  const audit = page.getByRole("region", { name: "操作留痕记录" });
  await expect(audit.getByTestId("audit-verdict")).toContainText("操作留痕记录完整：共 19 条记录");
  for (const label of ["发出要约", "程序变更 · 确定协商代表", "确定人选", "对方确认记录员", "程序变更 · 协商中", "安排会议", "举行会议", "会议记录", "签署会议记录"]) {
    await expect(audit.getByRole("cell", { name: label, exact: false }).first()).toBeVisible();
  }
  await page.screenshot({ path: "test-results/session-flow.png", fullPage: true });
});
