/**
 * One validation path (issue 24, item 1; decision 043): the browser checks a form with the same
 * zod schema and says the same sentence as the server; the message stands beside its field, which
 * is marked (aria-invalid, aria-describedby) and focused; the summary at the top links to each
 * field; what the user typed is kept. Without JavaScript the server's answer does the same.
 * In both languages. (The fixture also fails any page whose error summary links to a missing field.)
 */
import type { Browser, Page } from "@playwright/test";
import pg from "pg";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { sessionInBargaining } from "../support/sessions.ts";
import { expect, languageCookie, ownAddress, test } from "./fixtures.ts";

const TEXT = {
  "zh-CN": { displayName: "姓名或称呼", email: "电子邮箱", password: "密码", signup: "注册", login: "登录", slug: "网址标识", name: "组织名称", create: "登记", logout: "退出登录" },
  en: { displayName: "Name", email: "E-mail", password: "Password", signup: "Sign up", login: "Log in", slug: "Web address handle", name: "Name", create: "Register", logout: "Log out" },
} as const;

async function contextFor(browser: Browser, baseURL: string, language: "zh-CN" | "en", javaScriptEnabled = true) {
  const context = await browser.newContext({ locale: language, javaScriptEnabled, extraHTTPHeaders: ownAddress() });
  await context.addCookies([languageCookie(language, baseURL)]);
  return context;
}

/** Field name → the sentence shown beside it. */
async function fieldMessages(page: Page, names: string[]): Promise<Record<string, string>> {
  const messages: Record<string, string> = {};
  for (const name of names) messages[name] = (await page.locator(`#f-${name}-error`).innerText()).trim();
  return messages;
}

for (const language of ["zh-CN", "en"] as const) {
  const text = TEXT[language];

  test(`sign-up: the browser and the server say the same sentence beside the same field (${language})`, async ({ browser, baseURL }) => {
    // With JavaScript: checked in the browser, nothing is sent.
    const context = await contextFor(browser, baseURL!, language);
    const page = await context.newPage();
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.goto("/signup");
    await page.getByLabel(text.displayName).fill("表单测试 Forms");
    await page.getByLabel(text.email).fill("not-an-address");
    await page.getByLabel(text.password, { exact: true }).fill("short");
    // Nothing is said while typing a first time (a message appearing as a field loses focus would
    // move the button under the pointer).
    await expect(page.locator("#f-email-error")).toHaveCount(0);
    await page.getByRole("button", { name: text.signup, exact: true }).click();
    // Stopped in the browser: the first invalid field has the focus, the summary links each field.
    await expect(page.getByLabel(text.email)).toBeFocused();
    await expect(page.getByLabel(text.email)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel(text.email)).toHaveAttribute("aria-describedby", /f-email-error/);
    const summary = page.getByTestId("error-summary");
    await expect(summary.getByRole("link").first()).toHaveAttribute("href", "#f-email");
    const links = async (target: Page) => target.getByTestId("error-summary").getByRole("link").evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
    const inBrowserLinks = await links(page);
    expect(inBrowserLinks).toContain("#f-password");
    expect(posts, "an invalid form is not sent").toEqual([]);
    await expect(page.getByLabel(text.displayName)).toHaveValue("表单测试 Forms");
    const inBrowser = await fieldMessages(page, ["email", "password"]);
    expect(inBrowser.password).toMatch(language === "en" ? /at least 10 characters/ : /至少需要 10 个字符/);
    expect(inBrowser.email).not.toMatch(/\{\{|validation\./);
    // Corrected as it is typed: the message goes once the value is right.
    await page.getByLabel(text.email).fill("forms-check@example.test");
    await expect(page.locator("#f-email-error")).toHaveCount(0);
    await expect(page.getByLabel(text.email)).not.toHaveAttribute("aria-invalid", "true");
    await context.close();

    // Without JavaScript: the server's answer, the same sentences beside the same fields.
    const plain = await contextFor(browser, baseURL!, language, false);
    const form = await plain.newPage();
    await form.goto("/signup");
    await form.getByLabel(text.displayName).fill("表单测试 Forms");
    await form.getByLabel(text.email).fill("not-an-address");
    await form.getByLabel(text.password, { exact: true }).fill("short");
    await form.getByRole("button", { name: text.signup, exact: true }).click();
    await expect(form.getByTestId("error-summary")).toBeVisible();
    expect(await links(form)).toEqual(inBrowserLinks);
    expect(await fieldMessages(form, ["email", "password"])).toEqual(inBrowser);
    await expect(form.getByLabel(text.email)).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel(text.password, { exact: true })).toHaveAttribute("aria-invalid", "true");
    // Typed values stay (never the password).
    await expect(form.getByLabel(text.displayName)).toHaveValue("表单测试 Forms");
    await expect(form.getByLabel(text.email)).toHaveValue("not-an-address");
    await expect(form.getByLabel(text.password, { exact: true })).toHaveValue("");
    await plain.close();
  });

  test(`a check only the server can make comes back beside its field, focused, with the input kept (${language})`, async ({ browser, baseURL }) => {
    const context = await contextFor(browser, baseURL!, language);
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel(text.email).fill("admin@union.demo");
    await page.getByLabel(text.password).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: text.login, exact: true }).click();
    await expect(page.getByRole("button", { name: text.logout })).toBeAttached();
    await page.goto("/orgs/new");
    await page.getByLabel(text.name, { exact: true }).fill(`重名检查 ${language}`);
    // The handle of a demo organization: only the database knows it is taken.
    await page.getByLabel(text.slug).fill("hz-rider-union");
    await page.getByRole("button", { name: text.create }).click();
    await expect(page.locator("#f-slug-error")).toHaveText(language === "en" ? /handle is taken/ : /已被使用/);
    await expect(page.getByLabel(text.slug)).toBeFocused();
    await expect(page.getByLabel(text.slug)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("error-summary").getByRole("link")).toHaveAttribute("href", "#f-slug");
    await expect(page.getByLabel(text.name, { exact: true })).toHaveValue(`重名检查 ${language}`);
    await expect(page.getByLabel(text.slug)).toHaveValue("hz-rider-union");
    await context.close();
  });
}

test("a form checked on the server only: the refused field is marked, described and focused, in both languages", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let sessionId: string;
  try {
    sessionId = await sessionInBargaining(baseURL!, db, `服务器校验 ${Date.now()}`);
  } finally {
    await db.end();
  }
  for (const [language, submit, required] of [
    ["zh-CN", "提交协调处理申请", "此项必填。"],
    ["en", "Submit the application", "This field is required."],
  ] as const) {
    const context = await contextFor(browser, baseURL!, language);
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel(TEXT[language].email).fill("negotiator@union.demo");
    await page.getByLabel(TEXT[language].password).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: TEXT[language].login, exact: true }).click();
    await expect(page.getByRole("button", { name: TEXT[language].logout })).toBeAttached();
    await page.goto(`/sessions/${sessionId}/disputes`);
    // Blank but for spaces: the browser lets it through, the server refuses it.
    await page.locator("#f-apply-statement").fill("   ");
    await page.getByRole("button", { name: submit }).click();
    await expect(page.locator("#f-apply-statement-error")).toHaveText(required);
    await expect(page.locator("#f-apply-statement")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#f-apply-statement")).toHaveAttribute("aria-describedby", "f-apply-statement-error");
    await expect(page.locator("#f-apply-statement")).toBeFocused();
    await expect(page.getByTestId("error-summary").getByRole("link", { name: required })).toHaveAttribute("href", "#f-apply-statement");
    await context.close();
  }
});
