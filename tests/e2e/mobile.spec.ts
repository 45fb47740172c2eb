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

test.describe("at 360 px", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("the operator verifies an organization on a phone, in both languages, and its page says so", async ({ page }) => {
    // Nothing wider than the screen; the message names what sticks out.
    const fits = async () => {
      const { overflow, culprits } = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const culprits = [...document.querySelectorAll("body *")]
          .filter((element) => element.getBoundingClientRect().right > width + 1)
          .slice(0, 5)
          .map((element) => `${element.tagName.toLowerCase()}.${element.className} ${element.textContent?.slice(0, 40)}`);
        return { overflow: document.documentElement.scrollWidth - width, culprits };
      });
      expect(overflow, `${page.url()}: ${culprits.join(" | ")}`).toBeLessThanOrEqual(0);
    };
    await page.goto("/login");
    await page.getByLabel("电子邮箱").fill("operator@xieshang.demo");
    await page.getByLabel("密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto("/admin/verifications");
    await expect(page.getByRole("heading", { level: 1, name: "组织核验" })).toBeVisible();
    // The demo's partner enterprise has a request under review (seeded through the workflow).
    const request = page.getByTestId("verification-request").filter({ hasText: "恒通劳务派遣有限公司（演示）" });
    await expect(request).toBeVisible();
    await fits();
    await page.goto("/orgs/hz-rider-mutual-aid");
    await expect(page.locator("h1 [data-verification]")).toHaveText("未核验");
    await fits();
    await page.evaluate(async () => {
      const body = new URLSearchParams({ locale: "en", redirectTo: "/admin/verifications" });
      await fetch("/locale", { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    });
    await page.goto("/admin/verifications");
    await expect(page.getByRole("heading", { level: 1, name: "Verifying organizations" })).toBeVisible();
    await fits();
    const pending = page.getByTestId("verification-request").filter({ hasText: "Hengtong Staffing Co. (demo)" });
    await pending.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByText("The organization is verified.")).toBeVisible();
    await page.goto("/orgs/hengtong-staffing");
    await expect(page.locator("h1 [data-verification]")).toHaveText("Verified");
    await fits();
  });
});
