/**
 * The statutory words (issue 21, item 3): every user-facing string of app/i18n/zh-CN.ts uses the
 * glossary's words (shared/GLOSSARY.md), not words that mean something else in labour law:
 *
 * - 集体协商 for the process, not 平等协商 or 集体谈判 / 谈判;
 * - 操作留痕记录 on user-facing pages, not 审计记录 / 审计链;
 * - 公布 for publishing what is in force (《集体合同规定》第四十八条); 公示 / 公示期 only for advance
 *   publication for comment, before something takes effect — and only under the keys allowed below;
 * - 回应 for the answer to a proposal (第三十二条: 以书面形式给以回应), not 答复; 答复 stays only for
 *   answers that are not to a proposal (allowed below);
 * - 协商代表 only for a seated representative: an organization's negotiation staff (the membership
 *   role, the demo accounts' roles) are 协商工作人员;
 * - 平台企业 (not 平台公司) and 会议记录 (not 会议纪要).
 *
 * A failure names the key and the string.
 */
import { describe, expect, it } from "vitest";
import { zhCN } from "../../app/i18n/zh-CN.ts";

/** Nested catalogue → [dotted key, string] for every leaf. */
function leaves(tree: unknown, prefix = ""): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object") found.push(...leaves(value, path));
    else if (typeof value === "string") found.push([path, value]);
  }
  return found;
}

/**
 * Keys whose 公示 really means advance publication for comment, before something takes effect,
 * each with why. None today: since decision 040 an agreement is published (公布) when it takes
 * effect and workers' feedback is open for its whole term, so no string speaks of a 公示期. A rule
 * or algorithm change published for comment before it applies would be added here, with its reason.
 */
const ADVANCE_PUBLICATION_FOR_COMMENT: Readonly<Record<string, string>> = {};

/** Keys whose 答复 is an answer to something other than a proposal to bargain, each with why. */
const ANSWERS_NOT_TO_A_PROPOSAL: Readonly<Record<string, string>> = {
  "notice.algorithmReview": "the platform's answer to a worker's request for human review of an automated decision",
  "register.reviewAnswerDays": "the same answer to a request for human review, its period in days",
  "notifications.type.session.agreementPending": "a chief's answer to the other chief's decision awaiting both chiefs (中止、恢复、草案、重新协商)",
};

type Rule = { word: RegExp; why: string; allowed?: Readonly<Record<string, string>> };

const RULES: readonly Rule[] = [
  { word: /审计/, why: "操作留痕记录 on user-facing pages, not 审计记录 / 审计链" },
  { word: /公示/, why: "公布 for what is published in force (第四十八条); 公示 / 公示期 only for advance publication for comment", allowed: ADVANCE_PUBLICATION_FOR_COMMENT },
  { word: /平等协商/, why: "集体协商 for the process" },
  { word: /谈判/, why: "集体协商 / 协商, not 谈判 (集体谈判, 谈判员)" },
  { word: /答复/, why: "回应 for the answer to a proposal (第三十二条)", allowed: ANSWERS_NOT_TO_A_PROPOSAL },
  { word: /管理员或协商代表|协商代表或管理员/, why: "an organization's negotiators are 协商工作人员; 协商代表 only for a seated representative" },
  { word: /平台公司/, why: "平台企业" },
  { word: /会议纪要/, why: "会议记录 (minutes)" },
];

/** Labels of people by their role in an organization (not a seat in a session). */
const ROLE_LABEL_PREFIXES = ["role.", "demoRole."];

/** "key: “string” (why)" for every string breaking a rule. */
function offences(catalogue: unknown): string[] {
  const found: string[] = [];
  for (const [key, value] of leaves(catalogue)) {
    for (const rule of RULES) {
      if (rule.word.test(value) && !(rule.allowed && Object.hasOwn(rule.allowed, key))) found.push(`${key}: “${value}” (${rule.why})`);
    }
    // 职工代表 (a workers' congress representative) is the law's word for who votes; any other 代表
    // in a role label would call someone a representative for a role that holds no seat.
    if (ROLE_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix)) && /代表/.test(value.replaceAll("职工代表", ""))) {
      found.push(`${key}: “${value}” (a role in an organization holds no seat: 协商工作人员, not 协商代表 / 代表)`);
    }
  }
  return found;
}

describe("the statutory words in zh-CN", () => {
  it("finds what it is meant to find, with the key and the string", () => {
    const planted = {
      session: { audit: "审计记录" },
      nav: { notices: "公示" },
      home: { intro: "平等协商" },
      role: { NEGOTIATOR: "协商代表", MEMBER: "成员" },
      demoRole: { workerRepresentative: "职工代表" },
      notice: { algorithmReview: "（{{days}} 日内答复）" },
      sessions: { proposeIntro: "对方应在 {{days}} 日内书面答复。" },
    };
    const found = offences(planted);
    expect(found).toEqual([
      expect.stringMatching(/^session\.audit: “审计记录”/),
      expect.stringMatching(/^nav\.notices: “公示”/),
      expect.stringMatching(/^home\.intro: “平等协商”/),
      expect.stringMatching(/^role\.NEGOTIATOR: “协商代表”/),
      expect.stringMatching(/^sessions\.proposeIntro: “对方应在 \{\{days\}\} 日内书面答复。”/),
    ]);
    expect(leaves(zhCN).length).toBeGreaterThan(500);
  });

  it("uses no retired word in any user-facing string", () => {
    const found = offences(zhCN);
    expect(found, `Use the glossary's words (shared/GLOSSARY.md):\n${found.join("\n")}`).toEqual([]);
  });

  it("names the membership role and the demo accounts' roles as the glossary does", () => {
    expect(zhCN.role.NEGOTIATOR).toBe("协商工作人员");
    expect(zhCN.session.audit).toBe("操作留痕记录");
  });

  it.each([
    ["advance publication for comment (公示)", ADVANCE_PUBLICATION_FOR_COMMENT, /公示/],
    ["answers not to a proposal (答复)", ANSWERS_NOT_TO_A_PROPOSAL, /答复/],
  ] as const)("allows %s only under keys that exist and still use the word", (_name, allowed, word) => {
    const strings = new Map(leaves(zhCN));
    const stale = Object.keys(allowed).filter((key) => !word.test(strings.get(key) ?? ""));
    expect(stale, "allow-listed keys that no longer exist or no longer use the word: remove them from the list").toEqual([]);
    for (const [key, why] of Object.entries(allowed)) expect(why.length, `the reason for ${key}`).toBeGreaterThan(10);
  });
});
