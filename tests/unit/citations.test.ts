/**
 * Every citation in the product is registered (issue 21, item 2; docs/citations.md). The test
 * reads app/ (code, components, the i18n catalogues, the data files) and fails, with file:line, on
 * a 《title》, a document number (〔year〕N号, 令第N号) or an article that the citation register
 * (app/domain/citations.ts) does not list:
 *
 * - an article right after a title or number (《集体合同规定》第三十二条, 人社部发〔2021〕56号 第（五）项,
 *   also through 、 and 至 chains) must be a registered part of that document;
 * - an article with no document beside it is read as 《集体合同规定》's (the product's default) and,
 *   failing that, must be a registered article of some registered document;
 * - "art. N" in English must be the number of some registered article.
 *
 * It also checks the register itself, the holiday notices of app/data/holiday-calendar.json
 * against it, and that the citations issue 21 found wrong stay right.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import calendar from "../../app/data/holiday-calendar.json";
import { SESSION_RULES } from "../../app/domain/capabilities.ts";
import { chineseNumber, cite, CITATIONS, hasPart, NOT_DOCUMENTS, normalizePart, SELF_SOURCED_DATA, type CitationEntry, type CitationId } from "../../app/domain/citations.ts";
import { PROCEDURE_RULES } from "../../app/domain/procedure-rules.ts";
import { checkTerms, penaltyRulesFair, type Terms } from "../../app/domain/rule-checks.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ENTRIES = Object.entries(CITATIONS) as Array<[CitationId, CitationEntry]>;

// ─── The scanner ──────────────────────────────────────────────────────────────────────────────

const NUMERAL = "[零一二三四五六七八九十百千两]+";
const ITEM = "[一二三四五六七八九十]+";
const TITLE = /《([^《》\n]{1,80})》/g;
const NUMBER = /〔\d{4}〕\s*\d+\s*号|令第[\d零一二三四五六七八九十百]+号/g;
/** An article with its paragraph and items: 第四十条第（一）项, 第三十四条（二）、（三）, 第二百零三条第二款. */
const ARTICLE = new RegExp(`第(${NUMERAL})条(第${NUMERAL}款)?((?:第?（${ITEM}）项?(?:、(?=第?（))?)*)`, "g");
/** An item of a document without articles: 人社部发〔2021〕56号 第（五）项. */
const LONE_ITEM = new RegExp(`(?<!条)第（(${ITEM})）项`, "g");
const ENGLISH_ARTICLE = /\barts?\.\s*(\d+)(?:\(\d+\))?((?:\s*(?:–|-|,|and)\s*\d+(?:\(\d+\))?)*)/g;

const byTitle = new Map<string, CitationId>(ENTRIES.flatMap(([id, entry]) => [entry.title, ...entry.aliases].map((name) => [name, id] as const)));
const byNumber = ENTRIES.flatMap(([id, entry]) => (entry.number ? [[entry.number, id] as const] : []));
const articleNumbers = new Set(ENTRIES.flatMap(([, entry]) => Object.keys(entry.parts).flatMap((part) => /^第([^条]+)条/.exec(part)?.slice(1, 2) ?? []).map(chineseNumber)));

/** What a chain of citations before an article or item hangs on: separators, other articles and items, a parenthetical. */
const GLUE = [/\s+$/, /[、，,和及与或至]$/, new RegExp(`第${NUMERAL}条(?:第${NUMERAL}款)?(?:第?（${ITEM}）项?、?)*$`), new RegExp(`第?（${ITEM}）项?$`), /（[^（）]{1,24}）$/, /\([^()]{1,24}\)$/];

/** The registered document a citation at `index` of `line` hangs on (a title or a number right before it), if any. */
function documentBefore(line: string, index: number): CitationId | null {
  let before = line.slice(0, index);
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const glue of GLUE) {
      const next = before.replace(glue, "");
      if (next !== before) {
        before = next;
        stripped = true;
      }
    }
  }
  const title = /《([^《》]+)》$/.exec(before);
  if (title) return byTitle.get(title[1]!) ?? null;
  const squeezed = before.replace(/\s+/g, "");
  return byNumber.find(([number]) => squeezed.endsWith(number))?.[1] ?? null;
}

function checkArticle(line: string, index: number, article: string, items: string[]): string | null {
  const wanted = items.length ? items.map((item) => `${article}（${item}）`) : [article];
  const owner = documentBefore(line, index);
  if (owner) {
    const missing = wanted.filter((part) => !hasPart(owner, part));
    return missing.length ? `${missing.join("、")} is not a registered part of 《${CITATIONS[owner].title}》` : null;
  }
  if (wanted.every((part) => hasPart("collectiveContracts", part))) return null;
  const elsewhere = ENTRIES.some(([id]) => wanted.every((part) => hasPart(id, part)));
  return elsewhere ? null : `${wanted.join("、")} (no document named beside it) is a registered article of no registered document`;
}

/** "file:line: problem" for every citation in `text` that the register does not hold. */
export function unregisteredCitations(text: string, file: string): string[] {
  const problems: string[] = [];
  const selfSourced = file in SELF_SOURCED_DATA;
  text.split("\n").forEach((line, lineIndex) => {
    const report = (problem: string) => problems.push(`${file}:${lineIndex + 1}: ${problem}`);
    for (const match of line.matchAll(TITLE)) {
      const name = match[1]!;
      if (/\{\{|\$\{/.test(name) || NOT_DOCUMENTS.includes(name) || byTitle.has(name)) continue;
      // A self-sourced data file's own regional minimum-wage notices and tables are its rows' documents.
      if (selfSourced && /最低工资/.test(name)) continue;
      report(`《${name}》 is not in the citation register`);
    }
    if (!selfSourced) {
      for (const match of line.matchAll(NUMBER)) {
        const upTo = (line.slice(0, match.index) + match[0]).replace(/\s+/g, "");
        if (byNumber.some(([number]) => upTo.endsWith(number))) continue;
        report(`${upTo.slice(-16)} is not the number of a registered document`);
      }
    }
    for (const match of line.matchAll(ARTICLE)) {
      const article = `第${match[1]}条${match[2] ?? ""}`;
      const items = [...(match[3] ?? "").matchAll(new RegExp(`（(${ITEM})）`, "g"))].map((item) => item[1]!);
      const problem = checkArticle(line, match.index, article, items);
      if (problem) report(problem);
    }
    for (const match of line.matchAll(LONE_ITEM)) {
      const owner = documentBefore(line, match.index);
      if (owner && !hasPart(owner, `（${match[1]}）`)) report(`item （${match[1]}） is not a registered part of 《${CITATIONS[owner].title}》`);
    }
    for (const match of line.matchAll(ENGLISH_ARTICLE)) {
      const numbers = [match[1]!, ...[...(match[2] ?? "").matchAll(/(?:–|-|,|and)\s*(\d+)/g)].map((more) => more[1]!)].map(Number);
      for (const number of numbers) if (!articleNumbers.has(number)) report(`art. ${number} is the number of no registered article`);
    }
  });
  return problems;
}

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated" && entry.name !== "node_modules") found.push(...filesUnder(full, test));
    } else if (entry.isFile() && test(entry.name)) found.push(full);
  }
  return found.sort();
}

const scanned = filesUnder(path.join(root, "app"), (name) => /\.(ts|tsx)$/.test(name))
  .concat(filesUnder(path.join(root, "app", "data"), (name) => name.endsWith(".json")))
  .map((file) => path.relative(root, file).split(path.sep).join("/"));

// ─── Tests ────────────────────────────────────────────────────────────────────────────────────

describe("the citation scanner", () => {
  it("reads the code, the catalogues and the data", () => {
    for (const file of ["app/domain/procedure-rules.ts", "app/domain/capabilities.ts", "app/i18n/zh-CN.ts", "app/i18n/en.ts", "app/data/minimum-wage-standards.json", "app/data/holiday-calendar.json"]) expect(scanned).toContain(file);
  });

  it("passes registered citations", () => {
    const text = [
      "（《集体合同规定》第三十二条；按照《工会法》及有关法律、法规的规定处理（第五十六条）",
      "《集体合同规定》（劳动和社会保障部令第22号）第四十条第（一）项、第三十四条（二）、（三）",
      "人社部发〔2021〕56号 第（五）项；《民法典》第二百零三条第二款；第三十九条至第四十一条",
      "arts. 39–41 of the Provisions; art. 40(1); arts. 32 and 56; 《协调处理协议书》",
    ].join("\n");
    expect(unregisteredCitations(text, "fine.ts")).toEqual([]);
  });

  it("fails on a planted wrong citation, naming the file and line", () => {
    const text = [
      "nothing here",
      "《集体合同规定》第二十九条",
      "人社部发〔2021〕56号 第（七）项",
      "《最低工资条例》",
      "人社部发〔2021〕57号",
      "第一百条",
      "see art. 29",
      "《民法典》第二百零二条",
    ].join("\n");
    expect(unregisteredCitations(text, "planted.ts")).toEqual([
      "planted.ts:2: 第二十九条 is not a registered part of 《集体合同规定》",
      "planted.ts:3: item （七） is not a registered part of 《关于维护新就业形态劳动者劳动保障权益的指导意见》",
      "planted.ts:4: 《最低工资条例》 is not in the citation register",
      "planted.ts:5: 人社部发〔2021〕57号 is not the number of a registered document",
      "planted.ts:6: 第一百条 (no document named beside it) is a registered article of no registered document",
      "planted.ts:7: art. 29 is the number of no registered article",
      "planted.ts:8: 第二百零二条 is not a registered part of 《中华人民共和国民法典》",
    ]);
  });

  it("finds no unregistered citation in app/", () => {
    const problems = scanned.flatMap((file) => unregisteredCitations(fs.readFileSync(path.join(root, file), "utf8"), file));
    expect(problems).toEqual([]);
  });
});

describe("the citation register", () => {
  it("gives every entry its title, English title, issuer, date and parts in their forms", () => {
    for (const [id, entry] of ENTRIES) {
      expect(entry.title, id).toMatch(/^[^《》]+$/);
      expect(entry.titleEn.length, id).toBeGreaterThan(5);
      if (entry.date !== null) expect(entry.date, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (entry.number !== null) expect(entry.number, id).toMatch(/〔\d{4}〕\d+号$|令第[\d零一二三四五六七八九十百]+号$/);
      for (const part of Object.keys(entry.parts)) expect(normalizePart(part), `${id} ${part}`).toBe(part);
      for (const part of entry.unconfirmedParts ?? []) expect(Object.keys(entry.parts), id).toContain(part);
      const names = [entry.number, entry.title, ...entry.aliases].filter((name): name is string => name !== null);
      expect(names.some((name) => entry.label.zh.includes(name)), `${id}: its label names it`).toBe(true);
    }
  });

  it("reads Chinese article numbers", () => {
    expect([chineseNumber("十"), chineseNumber("十五"), chineseNumber("三十一"), chineseNumber("二百零三"), chineseNumber("一千二百五十九")]).toEqual([10, 15, 31, 203, 1259]);
  });

  it("builds source lines from registered parts and refuses the rest", () => {
    expect(cite("collectiveContracts", "第三十二条")).toEqual({ zh: "《集体合同规定》（劳动和社会保障部令第22号）第三十二条", en: "Provisions on Collective Contracts (MOLSS Order No. 22), art. 32" });
    expect(cite("collectiveContracts", "第四十条第（一）项").en).toMatch(/, art\. 40\(1\)$/);
    expect(cite("collectiveContracts", "第三十九条至第四十一条").en).toMatch(/, arts\. 39–41$/);
    expect(cite("rights56", "第（五）项")).toEqual({ zh: "人社部发〔2021〕56号第（五）项", en: "MOHRSS [2021] No. 56, item 5" });
    expect(() => cite("collectiveContracts", "第二十九条")).toThrow(/not in the citation register/);
    expect(() => cite("rights56", "第（七）项")).toThrow(/not in the citation register/);
    expect(() => cite("nothing" as CitationId)).toThrow(/unregistered document/);
  });

  it("holds the State Council holiday notices the calendar data is built from", () => {
    for (const { year, notice } of calendar.years) {
      const entry = ENTRIES.find(([, candidate]) => candidate.kind === "notice" && candidate.title === notice.title)?.[1];
      expect(entry, `${year}: ${notice.title}`).toBeDefined();
      expect({ number: entry!.number, date: entry!.date }).toEqual({ number: notice.number, date: notice.date });
    }
  });
});

describe("the citations issue 21 found wrong", () => {
  const lawOf = (action: keyof typeof SESSION_RULES) => SESSION_RULES[action].law;

  it("cites them as the documents say", () => {
    // Filling a vacant seat is 第三十一条 (第三十条 is replacing a representative).
    expect(PROCEDURE_RULES.vacancyRefillDays.source.zh).toMatch(/第三十一条$/);
    // The minimum wage is item （五） of 人社部发〔2021〕56号; （六） is rest and holiday pay.
    const [minimumWage] = checkTerms({ pieceRateBaseFen: 650 } as Terms).filter((result) => result.id === "minimumWage");
    expect(minimumWage!.source.zh).toContain("人社部发〔2021〕56号第（五）项");
    // The recorder is named by both sides together; suspension is 第三十五条; the chiefs sum up in 第三十四条（四）.
    expect(lawOf("nominateRecorder")).toMatch(/^第三十三条（五）: the recorder is named by both sides/);
    expect(lawOf("confirmRecorder")).toMatch(/^第三十三条（五）: the recorder is named by both sides/);
    expect(lawOf("suspend")).toMatch(/^第三十五条/);
    expect(lawOf("signMinutes")).toMatch(/^第三十四条（四）/);
    // The 2025 report's full title, and the working-time guidance with its number and date.
    expect(CITATIONS.report2025.label.zh).toContain("国务院关于灵活就业和新就业形态劳动者权益保障工作情况的报告");
    const [noLimit] = checkTerms({} as Terms).filter((result) => result.messageKey === "rules.daily.noLimit");
    expect(noLimit!.source.zh).toContain("人社厅发〔2023〕50号，2023年11月8日");
  });

  it("lets no blocking check rest on a commentary alone", () => {
    // A penalty rule not excluding every cause outside the worker's control rested only on the 2026
    // commentary: it is a warning now, citing the State Council's 2025 report (issue 21).
    const AWAITING_DECISION: string[] = [];
    const commentary = cite("commentary2026");
    const blocking = [
      ...checkTerms({} as Terms),
      ...penaltyRulesFair({ penaltyRules: [{ kind: "LATE_DELIVERY", amountFen: 500, monthlyCapFen: 9000, appealWindowDays: 3, excludedCauses: [] }] } as Terms),
    ].filter((result) => result.severity === "blocking");
    expect(blocking.length).toBeGreaterThan(3);
    const onCommentaryAlone = blocking.filter((result) => result.source.zh === commentary.zh).map((result) => result.messageKey);
    expect([...new Set(onCommentaryAlone)]).toEqual(AWAITING_DECISION);
  });
});
