import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { expect, test } from "./fixtures.ts";

test.use({ locale: "zh-CN" });

const admin = DEMO_ACCOUNTS.find((account) => account.roleKey === "unionAdmin")!;

test("on a phone, pages fit the screen and an administrator can manage members", async ({ page }) => {
  await page.goto("/login");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByLabel("电子邮箱").fill(admin.email);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("link", { name: "杭州市外卖配送行业工会（演示）" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "成员" })).toBeVisible();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(wide).toBeLessThanOrEqual(0);
  await page.getByRole("button", { name: "生成邀请链接" }).click();
  await expect(page.getByTestId("invitation-link")).toHaveValue(/\/invite\/[A-Za-z0-9_-]{40,}/);
});
