/**
 * Script payloads in text rendered in the browser from the realtime channel (issue 8, item 5):
 * the draft body, a comment thread (body and quote) and the session title arrive as data and must
 * show as text. Were any of them injected as markup, the handler would set window.__xss, or the
 * Content-Security-Policy would block it with a console error (which fails the test by itself).
 */
import pg from "pg";
import * as Y from "yjs";
import { DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { DOC_EVENTS } from "../../realtime/protocol.ts";
import { writeText } from "../support/agreement.ts";
import { loginAs as httpLogin, sessionInBargaining } from "../support/sessions.ts";
import { YjsTestClient } from "../support/yjs-client.ts";
import { expect, test } from "./fixtures.ts";

test.use({ locale: "zh-CN" });

const payload = (marker: string) => `<img src=x onerror="window.__xss='${marker}'"><script>window.__xss='${marker}'</script>`;

test("script payloads in the draft body, a comment and the title are shown as text, never run", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const db = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL });
  await db.connect();
  let sessionId: string;
  try {
    sessionId = await sessionInBargaining(baseURL!, db, payload("title"));
  } finally {
    await db.end();
  }
  await writeText(baseURL!, sessionId, [payload("body")]);
  // A comment on the first paragraph, over the realtime channel, as the platform's representative.
  const cookie = (await httpLogin(baseURL!, "platformRepresentative")).cookies.get("xs_session")!;
  const commenter = new YjsTestClient(baseURL!, sessionId, cookie);
  try {
    expect(await commenter.join()).toMatchObject({ ok: true });
    const paragraph = commenter.doc.getXmlFragment("body").get(0) as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    const at = (index: number) => Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index));
    const added = await commenter.socket.timeout(10_000).emitWithAck(DOC_EVENTS.commentAdd, sessionId, { body: payload("comment"), anchorStart: at(0), anchorEnd: at(4), quote: payload("quote").slice(0, 60), mentions: [] });
    expect(added).toMatchObject({ ok: true });
  } finally {
    commenter.close();
  }

  await page.goto("/login");
  await page.getByLabel("电子邮箱").fill("negotiator@union.demo");
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();

  await page.goto(`/sessions/${sessionId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(payload("title"));
  await page.goto(`/sessions/${sessionId}/draft`);
  await expect(page.getByTestId("draft-status")).toContainText("已同步");
  await expect(page.getByRole("textbox", { name: "协议正文" })).toContainText(payload("body"));
  await expect(page.getByText(payload("comment"))).toBeVisible();
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss), "no payload ran").toBeUndefined();
  expect(await page.locator('main img[src="x"]').count(), "no payload became an element").toBe(0);
});
