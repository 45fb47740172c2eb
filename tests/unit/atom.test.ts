/** The Atom writer (app/domain/atom.ts): escaping of every text and attribute, a well-formed feed. */
import { describe, expect, it } from "vitest";
import { atomXml, xmlEscape } from "../../app/domain/atom.ts";

describe("Atom feed", () => {
  it("escapes markup, quotes and ampersands, and drops characters XML forbids", () => {
    expect(xmlEscape(`<b>"规则" & 'rules'</b>\u0000\u0008`)).toBe("&lt;b&gt;&quot;规则&quot; &amp; &apos;rules&apos;&lt;/b&gt;");
  });

  it("writes one entry per version with escaped titles and links", () => {
    const xml = atomXml({
      id: "https://x.example/feeds/platform/a",
      title: "公示 & <规则>",
      subtitle: "s",
      selfLink: "https://x.example/feeds/platform/a?lang=en&x=1",
      alternateLink: "https://x.example/notices?platform=a",
      updated: new Date("2026-06-01T00:00:00Z"),
      language: "zh-CN",
      entries: [{ id: "https://x.example/notices/n/v/1", title: `第 1 版 "更正"`, updated: new Date("2026-06-01T00:00:00Z"), published: new Date("2026-06-01T00:00:00Z"), link: "https://x.example/notices/n/v/1", summary: "a < b", categories: ["FOOD_DELIVERY"] }],
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(xml).toContain("<title>公示 &amp; &lt;规则&gt;</title>");
    expect(xml).toContain('href="https://x.example/feeds/platform/a?lang=en&amp;x=1"');
    expect(xml).toContain("<title>第 1 版 &quot;更正&quot;</title>");
    expect(xml).toContain("<summary type=\"text\">a &lt; b</summary>");
    expect(xml.match(/<entry>/g)).toHaveLength(1);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });
});
