/**
 * Live co-drafting in two browsers: the union negotiator types in the body and sets a piece rate;
 * the platform representative sees both at once and cannot type in the body.
 */
import type { Browser, Page } from "@playwright/test";
import pg from "pg";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { sessionInBargaining } from "../support/sessions.ts";
import { expect, test } from "./fixtures.ts";

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

test("two people in the draft: edits and term changes appear live; the platform side cannot type", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let sessionId: string;
  try {
    sessionId = await sessionInBargaining(baseURL!, db, `实时起草 ${Date.now()}`);
  } finally {
    await db.end();
  }

  const negotiator = await signedInPage(browser, baseURL!, "negotiator@union.demo");
  const platform = await signedInPage(browser, baseURL!, "rep@swifteats.demo");
  for (const page of [negotiator, platform]) {
    await page.goto(`/sessions/${sessionId}/draft`);
    await expect(page.getByTestId("draft-status")).toContainText("已同步");
  }
  await expect(negotiator.getByTestId("draft-status")).toContainText("你可以编辑");
  await expect(platform.getByTestId("draft-status")).toContainText("只读");

  // Both see each other in the presence list.
  await expect(negotiator.getByTestId("presence")).toContainText("陈志强");
  await expect(platform.getByTestId("presence")).toContainText("王建华");

  // The negotiator types; the platform representative sees it at once.
  const body = negotiator.getByRole("textbox", { name: "协议正文" });
  await body.click();
  await negotiator.keyboard.type("第一条 计件单价按订单距离分档计算。");
  await expect(platform.getByRole("textbox", { name: "协议正文" })).toContainText("第一条 计件单价按订单距离分档计算。");

  // The negotiator sets the base piece rate; it appears on the other side.
  const rate = negotiator.getByLabel(/^基础计件单价/);
  await rate.fill("7.20");
  await rate.press("Enter");
  await expect(platform.getByLabel(/^基础计件单价/)).toHaveValue("7.20");

  // Rule checks run live beside the field: 5 hours of continuous order-taking is over the reference.
  const continuous = negotiator.getByLabel(/^最长连续接单时间/);
  await continuous.fill("300");
  await continuous.press("Enter");
  // Once beside the field and once in the summary of checks.
  await expect(negotiator.getByText("最长连续接单时间为 300 分钟，长于外卖指导意见的参考值 240 分钟。")).toHaveCount(2);
  await expect(platform.getByText("最长连续接单时间为 300 分钟，长于外卖指导意见的参考值 240 分钟。")).toHaveCount(2);
  await continuous.fill("240");
  await continuous.press("Enter");
  await expect(negotiator.getByText("最长连续接单时间为 300 分钟")).toHaveCount(0);

  // An invalid value is refused with a message and never reaches the other side.
  await rate.fill("abc");
  await rate.press("Enter");
  // A money value is asked for as money, never "enter a whole number" (issue 24); 7.205 has one decimal too many.
  await expect(negotiator.getByRole("alert").filter({ hasText: "请输入以元为单位的金额，最多两位小数，例如 12.50。" })).toBeVisible();
  await rate.fill("7.205");
  await rate.press("Enter");
  await expect(negotiator.getByRole("alert").filter({ hasText: "请输入以元为单位的金额，最多两位小数" })).toBeVisible();
  await expect(rate).toHaveAttribute("aria-invalid", "true");
  await expect(platform.getByLabel(/^基础计件单价/)).toHaveValue("7.20");

  // The platform representative cannot type in the body.
  const readOnlyBody = platform.getByRole("textbox", { name: "协议正文" });
  await expect(readOnlyBody).toHaveAttribute("contenteditable", "false");
  await readOnlyBody.click();
  await platform.keyboard.type("企业方擅自修改");
  await expect(negotiator.getByRole("textbox", { name: "协议正文" })).not.toContainText("企业方擅自修改");
  await expect(platform.getByRole("textbox", { name: "协议正文" })).not.toContainText("企业方擅自修改");
  await expect(platform.getByLabel(/^基础计件单价/)).toHaveAttribute("readonly", "");

  // The platform representative comments on a sentence; the negotiator sees it at once.
  const sentence = "计件单价按订单距离分档计算";
  await platform.getByRole("textbox", { name: "协议正文" }).evaluate((element, words) => {
    const node = [...element.querySelectorAll("p")].flatMap((p) => [...p.childNodes]).find((child) => child.textContent?.includes(words))!;
    const start = node.textContent!.indexOf(words);
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + words.length);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }, sentence);
  await platform.getByRole("button", { name: "评论所选文字" }).click();
  await platform.getByLabel("评论内容").fill("距离分档请写明每一档的公里数。");
  await platform.getByRole("button", { name: "发表评论" }).click();
  const negotiatorThreads = negotiator.getByTestId("comment-threads");
  await expect(negotiatorThreads).toContainText("距离分档请写明每一档的公里数。");
  await expect(negotiatorThreads).toContainText(`“${sentence}”`);

  // The comment stays on its words when the negotiator edits before them.
  await body.click();
  await negotiator.keyboard.press("Control+Home");
  await negotiator.keyboard.type("【草案】");
  await expect(negotiatorThreads).toContainText(`“${sentence}”`);

  // A counter-offer on the piece rate; the negotiator sees it at once and writes it into the draft.
  await platform.getByLabel("对“基础计件单价”报价").fill("6.50");
  await platform.getByTestId("offer-row-pieceRateBaseFen").getByRole("button", { name: "报价" }).click();
  await expect(negotiator.getByTestId("latest-EMPLOYER-pieceRateBaseFen")).toContainText("6.50 元");
  // Its effect on the example workers: 832 orders a month for the full-time rider at 0.70 yuan less each.
  await expect(negotiator.getByTestId("effect-EMPLOYER-pieceRateBaseFen")).toContainText("−582.40 元");
  await negotiator.getByTestId("latest-EMPLOYER-pieceRateBaseFen").getByRole("button", { name: "采纳写入草案" }).click();
  await expect(platform.getByTestId("draft-value-pieceRateBaseFen")).toHaveText("6.50 元");
  await expect(negotiator.getByTestId("draft-value-pieceRateBaseFen")).toHaveText("6.50 元");
  await expect(platform.getByLabel(/^基础计件单价/)).toHaveValue("6.50");
  // The negotiator's own unfinished (invalid) input is kept, not overwritten.
  await expect(negotiator.getByLabel(/^基础计件单价/)).toHaveValue("7.205");
});
