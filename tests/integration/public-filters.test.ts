/**
 * Issue 23, item 3 (part): the public notices say what is wrong instead of quietly answering
 * everything, and every notice lists the platforms it covers. Against the real server with the
 * demo data, from outside (plain HTTP):
 * - /api/notices and /api/notices/in-force refuse an unknown industry or region, a malformed
 *   platform and search text over 100 characters with a 400 and a localized message, as the
 *   README promises;
 * - the notices page answers a too-long search with a message beside the field, keeps what was
 *   typed, and lists nothing rather than everything;
 * - a feed for an unknown industry, region or platform is a localized 404;
 * - each published demo notice lists its platforms, and appears in each platform's feed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;

const get = (path: string, language = "zh-CN") => fetch(`${server.url}${path}`, { headers: { "Accept-Language": language } });

beforeAll(async () => {
  server = await startTestServer({ XS_DEMO_SCENARIO: "true" });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe("filters validated as documented", () => {
  it.each([
    ["industry=FOO", "industry", /行业不存在/, /Unknown industry/],
    ["region=999999", "region", /地区不存在/, /Unknown region/],
    ["platform=Not%20A%20Slug", "platform", /平台以其组织简称表示/, /short name/],
    [`q=${"骑".repeat(101)}`, "q", /搜索词最多 100 个字/, /at most 100 characters/],
  ])("/api/notices?%s answers 400 with a localized message for %s", async (query, field, zh, en) => {
    for (const path of [`/api/notices?${query}`, `/api/notices/in-force?date=2026-06-01&${query}`]) {
      const chinese = await get(path);
      expect(chinese.status, path).toBe(400);
      const body = (await chinese.json()) as { error: string; fieldErrors: Record<string, string[]> };
      expect(body.fieldErrors[field]?.join(" ")).toMatch(zh);
      const english = (await (await get(path, "en")).json()) as { fieldErrors: Record<string, string[]> };
      expect(english.fieldErrors[field]?.join(" ")).toMatch(en);
    }
  });

  it("valid filters still answer 200, and 100 characters of search text are accepted", async () => {
    expect((await get("/api/notices?industry=RIDE_HAILING&region=330100")).status).toBe(200);
    expect((await get(`/api/notices?q=${"骑".repeat(100)}`)).status).toBe(200);
  });

  it("the notices page answers a too-long search beside the field, keeps the text and lists nothing", async () => {
    const typed = "骑手".repeat(60);
    const page = await get(`/notices?q=${encodeURIComponent(typed)}`);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("搜索词最多 100 个字");
    expect(html).toMatch(/id="f-q"[^>]*aria-invalid="true"/);
    expect(html).toContain(typed);
    expect(html).not.toContain("notice-list");
    const english = await (await get(`/notices?q=${encodeURIComponent(typed)}`, "en")).text();
    expect(english).toContain("Search text can be at most 100 characters");
  });
});

describe("feeds", () => {
  it.each([
    ["/feeds/platform/no-such-platform", "没有平台“no-such-platform”的订阅源", "No feed for the platform “no-such-platform”"],
    ["/feeds/region/999999", "没有地区“999999”的订阅源", "No feed for the region “999999”"],
    ["/feeds/industry/FOO", "没有行业“FOO”的订阅源", "No feed for the industry “FOO”"],
  ])("%s is a localized 404", async (path, zh, en) => {
    const chinese = await get(path);
    expect(chinese.status).toBe(404);
    expect(await chinese.text()).toContain(zh);
    const english = await get(path, "en");
    expect(english.status).toBe(404);
    expect(await english.text()).toContain(en);
  });

  it("every published demo notice lists the platforms it covers and appears in each platform's feed", async () => {
    const list = (await (await get("/api/notices")).json()) as { notices: Array<{ noticeId: string; title: string; platforms: string[]; industry: string }> };
    expect(list.notices.length).toBeGreaterThanOrEqual(4);
    for (const notice of list.notices) {
      expect(notice.platforms.length, notice.title).toBeGreaterThan(0);
      for (const platform of notice.platforms) {
        const feed = await (await get(`/feeds/platform/${platform}`)).text();
        expect(feed, `${notice.title} in ${platform}'s feed`).toContain(`/notices/${notice.noticeId}/v/`);
      }
    }
    const rideHailing = list.notices.find((notice) => notice.industry === "RIDE_HAILING")!;
    expect(rideHailing.platforms).toEqual(["kuaicheng-mobility"]);
    const delivery = list.notices.filter((notice) => notice.industry === "FOOD_DELIVERY");
    for (const notice of delivery) expect(notice.platforms).toEqual(["lanshan-delivery", "swift-eats"]);
  });
});
