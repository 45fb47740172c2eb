import type { Browser, Page } from "@playwright/test";
import pg from "pg";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { sessionInBargaining } from "../support/sessions.ts";
import { expect, languageCookie, ownAddress, test } from "./fixtures.ts";

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

test.describe("every page at 360 px", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  /** Signs in as `email` (or stays anonymous) in a fresh context of its own language. */
  async function visitor(browser: Browser, baseURL: string, language: string, email: string | null): Promise<Page> {
    const context = await browser.newContext({ locale: language, baseURL, viewport: { width: 360, height: 740 }, extraHTTPHeaders: ownAddress() });
    await context.addCookies([languageCookie(language, baseURL)]);
    const page = await context.newPage();
    if (email) {
      await page.goto("/login");
      await page.locator("input[name=email]").fill(email);
      await page.locator("input[name=password]").fill(DEMO_PASSWORD);
      await page.locator("form:has(input[name=password]) button[type=submit]").click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    }
    return page;
  }

  test("every role's pages fit the screen in both languages, and the header folds into a menu", async ({ browser, baseURL }) => {
    test.setTimeout(240_000);
    const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
    await db.connect();
    let sessionId: string;
    let noticeId: string | null;
    try {
      sessionId = await sessionInBargaining(baseURL!, db, `手机上的协商：一个很长的标题用来检验换行是否正常工作而不撑宽页面 ${Date.now()}`);
      noticeId = (await db.query('SELECT id FROM "Notice" ORDER BY "createdAt" LIMIT 1')).rows[0]?.id ?? null;
    } finally {
      await db.end();
    }
    const base = `/sessions/${sessionId}`;
    const roles: Array<[string | null, string[]]> = [
      [null, ["/", "/login", "/signup", "/worker/login", "/complaints/track", "/notices", ...(noticeId ? [`/notices/${noticeId}`, `/notices/${noticeId}/verify`] : [])]],
      ["negotiator@union.demo", ["/", "/sessions", "/sessions/new", "/orgs", "/orgs/new", "/orgs/hz-rider-union", "/notifications", "/settings/notifications", "/complaints", base, `${base}/draft`, `${base}/versions`, `${base}/agreement`, `${base}/disputes`, `${base}/caucus/worker`]],
      ["reviewer@bureau.demo", ["/sessions", base, `${base}/agreement`]],
      ["operator@xieshang.demo", ["/admin/jobs", "/admin/verifications"]],
      ["rider@worker.demo", ["/", "/notices"]],
    ];
    const problems: string[] = [];
    for (const language of ["zh-CN", "en"]) {
      for (const [email, paths] of roles) {
        const page = await visitor(browser, baseURL!, language, email);
        for (const path of paths) {
          const response = await page.goto(path);
          expect(response?.status(), `${email ?? "anonymous"} ${path}`).toBeLessThan(400);
          // The live draft renders after it connects.
          if (path.endsWith("/draft")) await expect(page.getByTestId("draft-status")).toBeVisible();
          const { overflow, culprits } = await page.evaluate(() => {
            const width = document.documentElement.clientWidth;
            const culprits = [...document.querySelectorAll("body *")]
              .filter((element) => element.getBoundingClientRect().right > width + 1 && !element.closest(".visually-hidden"))
              .slice(0, 4)
              .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).slice(0, 40)} «${element.textContent?.trim().slice(0, 30)}»`);
            return { overflow: document.documentElement.scrollWidth - width, culprits };
          });
          if (overflow > 0) problems.push(`${language} ${email ?? "anonymous"} ${path}: ${overflow}px too wide: ${culprits.join(" | ")}`);
          // Tables become labelled cards: a stacked cell of a table with column headers says which
          // column it is (data-label), unless it is the row's only cell beside its row header.
          const unlabelled = await page.evaluate(() =>
            [...document.querySelectorAll(".data-table")]
              .filter((table) => table.querySelector("thead"))
              .flatMap((table) => [...table.querySelectorAll("tbody tr")])
              .flatMap((row) => {
                const cells = [...row.querySelectorAll(":scope > td")];
                return cells.length > 1 || !row.querySelector(":scope > th") ? cells : [];
              })
              .filter((cell) => !cell.getAttribute("data-label") && !cell.hasAttribute("colspan") && cell.getBoundingClientRect().height > 0)
              .slice(0, 3)
              .map((cell) => `${cell.closest("table")!.className} «${cell.textContent?.trim().slice(0, 30)}»`),
          );
          if (unlabelled.length) problems.push(`${language} ${email ?? "anonymous"} ${path}: table cells without a label: ${unlabelled.join(" | ")}`);
        }
        // The header folds: the links are behind "Menu" until it is opened.
        await page.goto("/");
        const toggle = page.getByTestId("nav-toggle");
        await expect(toggle).toBeVisible();
        await expect(page.getByRole("navigation").getByRole("link", { name: language === "en" ? "Public notices" : "公布的规则" })).toBeHidden();
        await toggle.click();
        await expect(page.getByRole("navigation").getByRole("link", { name: language === "en" ? "Public notices" : "公布的规则" })).toBeVisible();
        await page.context().close();
      }
    }
    expect(problems).toEqual([]);
  });
});
