/**
 * The bounded text comparison (issue 19, item 3): what it returns is always a faithful account of
 * both texts (the unchanged and removed parts make the earlier text, the unchanged and added parts
 * the later one), refined to characters where that stays cheap, and "too large" (null) when the
 * texts differ in more paragraphs than the bound. Timing is the bench's business
 * (tests/bench/text-diff.ts), not this test's.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { diffText, TEXT_DIFF_BOUNDS, type TextChange } from "../../app/domain/draft-text.ts";
import { whatChanged } from "../../app/domain/notice.ts";

const rebuild = (changes: TextChange[], side: "before" | "after") => changes.filter((part) => part.kind === "same" || part.kind === (side === "before" ? "removed" : "added")).map((part) => part.text).join("");

/** Deterministic pseudo-random text (a linear congruential generator): `lines` lines of `width` characters. */
function randomText(seed: number, lines: number, width: number): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";
  const out: string[] = [];
  for (let line = 0; line < lines; line += 1) {
    let text = "";
    for (let index = 0; index < width; index += 1) text += alphabet[next() % alphabet.length];
    out.push(text);
  }
  return out.join("\n");
}

describe("diffText", () => {
  it("shows a changed word in a paragraph character by character", () => {
    const changes = diffText("第一条 计件单价为 6.00 元。\n第二条 休息 20 分钟。", "第一条 计件单价为 6.50 元。\n第二条 休息 20 分钟。")!;
    expect(changes.filter((part) => part.kind !== "same").map((part) => `${part.kind}:${part.text}`).sort()).toEqual(["added:5", "removed:0"]);
  });

  it("accounts for both texts exactly, whatever they are", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (before, after) => {
        const changes = diffText(before, after);
        if (changes === null) return;
        expect(rebuild(changes, "before")).toBe(before);
        expect(rebuild(changes, "after")).toBe(after);
      }),
      { numRuns: 300, seed: 19 },
    );
  });

  it("compares two 100 KB random texts of one paragraph each by paragraph, not by character", () => {
    const before = randomText(1, 1, 100_000);
    const after = randomText(2, 1, 100_000);
    const changes = diffText(before, after)!;
    expect(changes.map((part) => part.kind)).toEqual(["removed", "added"]);
    expect(rebuild(changes, "before")).toBe(before);
  });

  it("refines only as much as its budget allows", () => {
    // 200 paragraphs of 1,500 characters, every one slightly changed: each pair is small enough to
    // refine, but together they pass the budget, after which pairs stay whole.
    const before = randomText(3, 200, 1_500);
    const after = before.split("\n").map((line) => `${line.slice(0, 700)}改${line.slice(701)}`).join("\n");
    const changes = diffText(before, after)!;
    expect(rebuild(changes, "before")).toBe(before);
    expect(rebuild(changes, "after")).toBe(after);
    // At most the budget's worth of pairs are refined (fewer if the time bound ends it first).
    const refined = changes.filter((part) => part.kind === "added" && part.text === "改").length;
    expect(refined).toBeGreaterThan(0);
    expect(refined).toBeLessThanOrEqual(Math.floor(TEXT_DIFF_BOUNDS.refineBudgetChars / 3_000));
  });

  it("says the texts are too large to compare inline when they differ in more paragraphs than the bound", () => {
    const before = randomText(4, TEXT_DIFF_BOUNDS.maxLineEdits + 500, 20);
    const after = randomText(5, TEXT_DIFF_BOUNDS.maxLineEdits + 500, 20);
    expect(diffText(before, after)).toBeNull();
    const changes = whatChanged({ text: before, terms: {} }, { text: after, terms: {} });
    expect(changes.textTooLarge).toBe(true);
    expect(changes.text).toEqual([]);
  });
});
