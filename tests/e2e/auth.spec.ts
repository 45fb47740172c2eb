import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { expect, test, uniqueEmail } from "./fixtures.ts";
import { confirmationLink } from "../support/browser.ts";

const negotiator = DEMO_ACCOUNTS.find((account) => account.roleKey === "unionNegotiator")!;

test.use({ locale: "zh-CN" });

test("the login page is in Chinese and lists the demo accounts", async ({ page }) => {
  await page.goto("/login");
  await expect(page).toHaveTitle(/协商/);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
  await expect(page.getByTestId("demo-password")).toHaveText(DEMO_PASSWORD);
  await expect(page.getByRole("cell", { name: negotiator.email })).toBeVisible();
});

test("sign up, see the home page, log out", async ({ page }) => {
  const email = uniqueEmail("e2e-signup");
  await page.goto("/signup");
  await page.getByLabel("姓名或称呼").fill("端到端测试员");
  await page.getByLabel("电子邮箱").fill(email);
  await page.getByLabel("密码", { exact: true }).fill("a long enough password");
  await page.getByLabel("确认密码").fill("a long enough password");
  await page.getByRole("button", { name: "注册" }).click();
  // The account exists once the link sent to the address is followed (issue 19).
  await expect(page.getByTestId("signup-sent")).toContainText("我们已向你填写的邮箱发送了一封邮件");
  await page.goto(await confirmationLink(email));
  await expect(page.getByText("将为 端到端测试员")).toBeVisible();
  await page.getByRole("button", { name: "确认并登录" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "你好，端到端测试员" })).toBeVisible();
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByText("你已退出登录。")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("sign-up errors are shown next to the fields and keep what was typed", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("姓名或称呼").fill("保留我");
  await page.getByLabel("电子邮箱").fill("not-an-email");
  await page.getByLabel("密码", { exact: true }).fill("short");
  await page.getByLabel("确认密码").fill("short");
  await page.getByRole("button", { name: "注册" }).click();
  // Beside each field (and, as links to them, in the summary at the top).
  await expect(page.locator("#f-email-error")).toHaveText("请输入有效的电子邮箱地址。");
  await expect(page.locator("#f-password-error")).toHaveText("密码至少需要 10 个字符。");
  await expect(page.getByTestId("error-summary").getByRole("link", { name: "请输入有效的电子邮箱地址。" })).toHaveAttribute("href", "#f-email");
  await expect(page.getByLabel("姓名或称呼")).toHaveValue("保留我");
  await expect(page.getByLabel("电子邮箱")).toHaveAttribute("aria-invalid", "true");
});

test("a demo negotiator logs in, switches to English and back, and logs out", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill(negotiator.email);
  await page.getByLabel("密码").fill("wrong password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("电子邮箱或密码不正确。");

  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `你好，${negotiator.displayName}` })).toBeVisible();
  await expect(page.getByRole("link", { name: "杭州市外卖配送行业工会（演示）" })).toBeVisible();

  await page.getByLabel("语言", { exact: true }).selectOption("en");
  await page.getByRole("button", { name: "切换" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1, name: `Hello, ${negotiator.displayName}` })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: `Hello, ${negotiator.displayName}` })).toBeVisible();

  await page.getByRole("link", { name: "Hangzhou Food-Delivery Riders' Industry Union (demo)" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Hangzhou Food-Delivery Riders' Industry Union (demo)");
  await expect(page.getByText("Your role: Negotiation staff")).toBeVisible();

  // Back to Chinese while signed in (the choice is stored on the account too), then log out.
  await page.getByLabel("Language", { exact: true }).selectOption("zh-CN");
  await page.getByRole("button", { name: "Change" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByText("你已退出登录。")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "登录" })).toBeVisible();
});

test("an English-speaking visitor logs out in English", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("语言", { exact: true }).selectOption("en");
  await page.getByRole("button", { name: "切换" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await page.getByLabel("E-mail").fill(negotiator.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByText("You have logged out.")).toBeVisible();
});

test("the keyboard reaches the main content through the skip link", async ({ page }) => {
  await page.goto("/login");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "跳到正文" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
