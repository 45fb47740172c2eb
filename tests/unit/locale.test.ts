/**
 * Choice of language (app/i18n/locale.server.ts): cookie, then account preference, then
 * Accept-Language, then Simplified Chinese.
 */
import { describe, it, expect } from "vitest";
import { localeCookie, localeFromAcceptLanguage, resolveLocale } from "../../app/i18n/locale.server.ts";

describe("localeFromAcceptLanguage", () => {
  it.each([
    [null, "zh-CN"],
    ["", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["en", "en"],
    ["zh-CN", "zh-CN"],
    ["zh-TW,zh;q=0.9,en;q=0.5", "zh-CN"],
    ["fr-FR", "zh-CN"],
    ["en;q=0.1, zh-CN;q=0.9", "zh-CN"],
    ["zh-CN;q=0.1, en;q=0.9", "en"],
    ["fr-FR, en-GB;q=0.8", "en"],
    ["*", "zh-CN"],
  ] as const)("%j → %s", (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });

  it.each([["!!!,;;q=abc"], ["en-US-x-@@@"], [";;;"]])("falls back to zh-CN on the malformed header %j without throwing", (header) => {
    expect(() => localeFromAcceptLanguage(header)).not.toThrow();
    expect(localeFromAcceptLanguage(header)).toBe("zh-CN");
  });

  it("does not throw on a malformed quality value", () => {
    expect(() => localeFromAcceptLanguage("zh-CN;q=abc, en")).not.toThrow();
  });
});

async function cookieHeader(locale: string): Promise<string> {
  const setCookie = await localeCookie.serialize(locale);
  // Set-Cookie carries attributes after the first ";"; a Cookie header only name=value.
  return setCookie.split(";")[0] ?? "";
}

function requestWith(headers: Record<string, string>): Request {
  return new Request("http://x/", { headers });
}

describe("resolveLocale", () => {
  it("prefers the xs_lang cookie over the account's locale and Accept-Language", async () => {
    const request = requestWith({ Cookie: await cookieHeader("en"), "Accept-Language": "zh-CN" });
    expect(await resolveLocale(request, "zh-CN")).toBe("en");
  });

  it("reads a zh-CN cookie too", async () => {
    const request = requestWith({ Cookie: await cookieHeader("zh-CN"), "Accept-Language": "en" });
    expect(await resolveLocale(request, "en")).toBe("zh-CN");
  });

  it("prefers the account's locale over Accept-Language", async () => {
    const request = requestWith({ "Accept-Language": "zh-CN" });
    expect(await resolveLocale(request, "en")).toBe("en");
  });

  it("ignores a cookie with an unsupported language", async () => {
    const request = requestWith({ Cookie: await cookieHeader("fr"), "Accept-Language": "zh-CN" });
    expect(await resolveLocale(request, "en")).toBe("en");
  });

  it("ignores an unsupported account locale and falls back to Accept-Language", async () => {
    const request = requestWith({ "Accept-Language": "en-US,en;q=0.9" });
    expect(await resolveLocale(request, "de")).toBe("en");
    expect(await resolveLocale(request, null)).toBe("en");
    expect(await resolveLocale(request)).toBe("en");
  });

  it("ignores an unparsable cookie", async () => {
    const request = requestWith({ Cookie: "xs_lang=%%%not-base64", "Accept-Language": "en" });
    expect(await resolveLocale(request)).toBe("en");
  });

  it("answers zh-CN when nothing says otherwise", async () => {
    expect(await resolveLocale(requestWith({}))).toBe("zh-CN");
  });
});
