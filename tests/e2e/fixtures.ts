import fs from "node:fs";
import { test as base, expect, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";

/**
 * Every message key of the catalogue, as a raw key would show on a page: the full key
 * ("errors.ratification.emptyRoll") and, for the flat keys under `errors`, the key without its
 * prefix ("ratification.emptyRoll"), the way a key used without it would show.
 */
const MESSAGE_KEYS: ReadonlySet<string> = (() => {
  const keys = new Set<string>();
  const walk = (node: unknown, prefix: string) => {
    if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        walk(value, prefix ? `${prefix}.${key}` : key);
        if (prefix === "errors" && key.includes(".")) keys.add(key);
      }
    } else if (prefix.includes(".")) keys.add(prefix);
  };
  walk(zhCN, "");
  return keys;
})();

/** What a page shows that no reader should see: a raw message key, or a placeholder left unfilled. */
async function messageProblems(page: Page): Promise<string[]> {
  if (page.isClosed()) return [];
  // A page that is navigating away, closing or whose context closed has nothing left to read.
  const read = page.evaluate(() => document.body?.innerText ?? "").catch(() => "");
  const text = await Promise.race([read, new Promise<string>((resolve) => setTimeout(() => resolve(""), 3_000))]);
  const problems: string[] = [];
  // Every link of an error summary reaches its field on the page (fieldId, app/components/forms.tsx).
  const deadLinks = await page
    .evaluate(() =>
      [...document.querySelectorAll<HTMLAnchorElement>('[data-testid="error-summary"] a[href^="#"]')]
        .map((link) => link.getAttribute("href")!.slice(1))
        .filter((id) => !document.getElementById(decodeURIComponent(id))),
    )
    .catch(() => [] as string[]);
  for (const id of deadLinks) problems.push(`${page.url()}: the error summary links to #${id}, which is not on the page`);
  const placeholder = /\{\{[^}]*\}\}/.exec(text);
  if (placeholder) problems.push(`${page.url()}: unfilled placeholder ${placeholder[0]}`);
  for (const token of text.match(/\b[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9_]+)+\b/g) ?? []) {
    if (MESSAGE_KEYS.has(token)) problems.push(`${page.url()}: raw message key ${token}`);
  }
  return problems;
}

/**
 * Every page fails its test on a browser console error, an uncaught exception, a raw message key,
 * an unfilled placeholder or an error summary's link to a field that is not there (checked at each page load and at the end of the test, in every page
 * the test opens, including pages of contexts it creates itself).
 */
export const test = base.extend<{ consoleErrors: string[]; messagesRead: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        // Chromium logs every 4xx answer as "Failed to load resource"; refused form submissions
        // answer 400/401/409 on purpose, so only other errors count.
        if (message.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
          errors.push(message.text());
        }
      });
      page.on("pageerror", (error) => errors.push(error.message));
      await use(errors);
      expect(errors, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
  messagesRead: [
    async ({ page, browser }, use) => {
      const problems: string[] = [];
      const pages = new Set<Page>();
      const pending: Array<Promise<void>> = [];
      const watch = (target: Page) => {
        if (pages.has(target)) return;
        pages.add(target);
        target.on("load", () => pending.push(messageProblems(target).then((found) => void problems.push(...found))));
      };
      watch(page);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof browser.newContext>) => {
        const context = await newContext(...args);
        context.on("page", watch);
        return context;
      };
      try {
        await use(problems);
      } finally {
        browser.newContext = newContext;
      }
      for (const target of pages) problems.push(...(await messageProblems(target)));
      await Promise.all(pending);
      expect([...new Set(problems)], "raw message keys or unfilled placeholders on a page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.test`;
}

let address = 0;
/**
 * A client address of its own for a context that signs in (sent as X-Forwarded-For, which the
 * test server trusts): a long run signs in many times, and the login throttle counts per address.
 */
export function ownAddress(): Record<string, string> {
  address += 1;
  return { "X-Forwarded-For": `10.77.${Math.floor(address / 250) % 250}.${(address % 250) + 1}` };
}

/**
 * The language cookie the language switch sets (xs_lang, as Remix's createCookie writes it), for a
 * context that must read the site in one language whatever the account's stored preference is.
 */
export function languageCookie(language: string, baseURL: string) {
  return { name: "xs_lang", value: encodeURIComponent(Buffer.from(JSON.stringify(language)).toString("base64")), url: baseURL };
}

/**
 * Waits for a line the server prints that matches `pattern` (after `since` characters of its
 * output), as a person trying `npm start` reads a code from the console; returns the match.
 */
export async function serverOutput(pattern: RegExp, since = 0, timeoutMs = 20_000): Promise<RegExpExecArray> {
  const file = process.env.XS_E2E_SERVER_LOG!;
  for (let waited = 0; waited < timeoutMs; waited += 200) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").slice(since) : "";
    const found = pattern.exec(text);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server printed nothing matching ${pattern} within ${timeoutMs} ms`);
}

/** How much the server has printed so far (to read only what follows). */
export function serverOutputLength(): number {
  const file = process.env.XS_E2E_SERVER_LOG!;
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").length : 0;
}
