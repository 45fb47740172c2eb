/**
 * The register of every document the product cites (issue 21, item 2; docs/citations.md): its
 * full title, number (文号), issuing body, date, and the articles, items or parts the product uses.
 * Code builds its rule sources from here with `cite`, which throws when the module loads if the
 * document or the part is not registered; tests/unit/citations.test.ts scans app/ (code, i18n,
 * data) and fails on any title in 《》, 〔year〕N号 number or article not registered here.
 *
 * Every field was checked with published copies (`checked` says where); a field that could not be
 * confirmed is null, and `checked` says so. Parts whose numbering is not yet confirmed beside their
 * text are listed in `unconfirmedParts`.
 *
 * Regional minimum-wage notices are not listed one by one: each row of app/data/minimum-wage-standards.json
 * names its own notice (with its number where known) and says whether it was verified against the
 * notice itself (docs/minimum-wage-data.md). The register holds the national rules and the
 * summary table those rows also cite. The State Council's holiday notices behind
 * app/data/holiday-calendar.json are listed here, and the test checks that the two agree.
 */

export type CitationKind =
  /** A law of the NPC or its Standing Committee. */
  | "law"
  /** A ministry's regulation (部门规章). */
  | "regulation"
  /** A normative policy document of ministries or the ACFTU (意见, 通知). */
  | "policy"
  /** A ministry's guidance (指引) issued by a numbered notice. */
  | "guidance"
  /** A report to the NPC Standing Committee: describes practice, binds no one. */
  | "report"
  /** The State Council's annual holiday arrangement. */
  | "notice"
  /** A published table of figures. */
  | "data"
  /** A newspaper commentary: it may explain, never be the basis of a blocking check. */
  | "commentary";

export type CitationEntry = {
  /** Full Chinese title, without 《》. */
  title: string;
  /** Shorter titles the text uses for the same document, without 《》. */
  aliases: readonly string[];
  titleEn: string;
  /** 文号 (document number); null when the document has none or it could not be confirmed. */
  number: string | null;
  /** Issuing body; null when not confirmed. */
  issuer: string | null;
  /** Date issued (公布/印发), YYYY-MM-DD; null when not confirmed. */
  date: string | null;
  kind: CitationKind;
  /**
   * The articles, items or parts the product cites, each with what it says (paraphrased). Keys are
   * normalized: 第三十三条, 第三十三条（五）, 第二百零三条第二款, （五） (an item of a document without
   * articles), 第二部分 (a numbered section).
   */
  parts: Readonly<Record<string, string>>;
  /** Parts whose numbering is not confirmed beside their text in a published copy. */
  unconfirmedParts?: readonly string[];
  /** How the product names it in a source line. */
  label: { zh: string; en: string };
  /** What was confirmed, where, and what was not. */
  checked: string;
};

const REGULATION = "集体合同规定";

export const CITATIONS = {
  collectiveContracts: {
    title: REGULATION,
    aliases: [],
    titleEn: "Provisions on Collective Contracts",
    number: "劳动和社会保障部令第22号",
    issuer: "劳动和社会保障部",
    date: "2004-01-20",
    kind: "regulation",
    parts: {
      第十九条: "Each side's representatives are equal in number, at least 3, each side names one chief.",
      第二十条: "The worker side's representatives are named by the union; its chief is the union chair or delegated in writing.",
      第二十一条: "The employer side's representatives are named by the legal representative, who is chief or delegates in writing.",
      第二十二条: "The represented side sets how long its representatives serve.",
      第二十三条: "A chief may appoint outside professionals in writing, at most one third of the side; never as chief.",
      第二十四条: "No one represents both sides.",
      第三十条: "Each side may replace its own representatives.",
      第三十一条: "A seat left vacant (replacement, resignation, force majeure) is filled within 15 days of the vacancy.",
      第三十二条: "Either side proposes in writing; the other answers in writing within 20 days and may not refuse without a proper reason.",
      第三十三条: "Preparation before bargaining.",
      "第三十三条（五）": "Both sides together name one non-representative as recorder, who stays neutral and keeps both sides' confidences.",
      第三十四条: "Meetings are chaired by the two chiefs in turn, in four steps.",
      "第三十四条（二）": "One chief states the demands, the other chief answers them.",
      "第三十四条（三）": "Both sides state their views and discuss.",
      "第三十四条（四）": "The chiefs sum up; an agreed draft is signed by both chiefs.",
      第三十五条: "Talks may be suspended by agreement of both sides, who agree its length and the time, place and content of the next meeting.",
      第三十六条: "The draft goes to the workers' congress or all workers: 三分之二以上 attend, 半数以上 of all approve.",
      第三十七条: "The chiefs sign the text the congress passed.",
      第三十八条: "Term of 1 to 3 years; either side may ask to renew within the last 3 months.",
      第三十九条: "The representatives may change or end an agreement by agreement.",
      第四十条: "Grounds on which an agreement may be changed or ended.",
      "第四十条（一）": "Merger, dissolution or bankruptcy makes it impossible to perform.",
      "第四十条（二）": "Force majeure makes it impossible to perform, in whole or in part.",
      "第四十条（三）": "A condition the agreement sets for its change or end occurs.",
      "第四十条（四）": "Other situations laws, regulations or rules provide.",
      第四十一条: "Changing or ending an agreement follows this regulation's bargaining procedure.",
      第四十二条: "The employer side files the signed (or changed) text with the labour bureau within 10 days of signing.",
      第四十四条: "The bureau reviews legality: the parties' standing, the procedure, the content.",
      第四十五条: "An objection is a review opinion served on both sides within 15 days of receipt, with the parties, date received, opinion and its date.",
      第四十六条: "Renegotiated and signed again, the text is filed again as in 第四十二条.",
      第四十七条: "No objection within 15 days of receipt: the agreement takes effect at once.",
      第四十八条: "In force, each side's representatives publish it promptly to those they represent.",
      第四十九条: "A dispute during bargaining the sides cannot settle: either or both apply in writing to the labour bureau for coordination.",
      第五十条: "The bureau coordinates together with the union and the enterprise organization at its level.",
      第五十二条: "Coordination ends within 30 days of accepting the application; extension at most 15 days.",
      第五十三条: "The steps of coordination.",
      "第五十三条（一）": "Accepting the application.",
      "第五十三条（五）": "Writing the 协调处理协议书.",
      第五十四条: "What the 协调处理协议书 records.",
      第五十五条: "A dispute over performing the agreement goes to labour arbitration.",
      第五十六条: "An employer refusing the union's or workers' request without a proper reason is dealt with under the Trade Union Law.",
    },
    unconfirmedParts: ["第五十五条", "第五十六条"],
    label: { zh: "《集体合同规定》（劳动和社会保障部令第22号）", en: "Provisions on Collective Contracts (MOLSS Order No. 22)" },
    checked:
      "Number, issuer, date (2004-01-20; in force 2004-05-01) and the texts of 第十九条 to 第二十四条, the end of 第三十条 and 第三十一条 to 第三十五条 read in published copies (search, 2026-12); the rest as paraphrased in shared/sources/key-articles.md. 第五十五条 and 第五十六条: texts known, numbers from shared/sources/key-articles.md, not yet read beside them.",
  },
  laborContractLaw: {
    title: "中华人民共和国劳动合同法",
    aliases: ["劳动合同法"],
    titleEn: "Labour Contract Law of the People's Republic of China",
    number: "中华人民共和国主席令第六十五号",
    issuer: "全国人民代表大会常务委员会",
    date: "2007-06-29",
    kind: "law",
    parts: {
      第五十三条: "Industry-wide and regional collective contracts below county level.",
      第五十四条: "Filing; no objection within 15 days and the contract takes effect; industry-wide and regional contracts bind that industry or region.",
    },
    label: { zh: "《劳动合同法》", en: "Labour Contract Law" },
    checked: "Order No. 65 and 2007-06-29 read in a published bilingual copy; 第五十三条、第五十四条 texts read (search, 2026-12). The 2012-12-28 amendment (which left these articles as they were) not separately confirmed.",
  },
  civilCode: {
    title: "中华人民共和国民法典",
    aliases: ["民法典"],
    titleEn: "Civil Code of the People's Republic of China",
    number: null,
    issuer: "全国人民代表大会",
    date: "2020-05-28",
    kind: "law",
    parts: {
      第二百零一条: "A period in days starts the day after the event.",
      第二百零三条: "The last day of a period.",
      第二百零三条第一款: "A last day that is a statutory rest day moves to the day after the rest ends.",
      第二百零三条第二款: "The last day ends at 24:00.",
      第一千二百五十九条: "以上、以下、以内、届满 include the number; 不满、超过、以外 do not.",
    },
    label: { zh: "《民法典》", en: "Civil Code" },
    checked: "Adopted 2020-05-28 by the 13th NPC, 3rd session (published copies); 第二百零一条、第二百零三条 texts read. The President's order number not confirmed, so null.",
  },
  tradeUnionLaw: {
    title: "中华人民共和国工会法",
    aliases: ["工会法"],
    titleEn: "Trade Union Law of the People's Republic of China",
    number: null,
    issuer: "全国人民代表大会常务委员会",
    date: null,
    kind: "law",
    parts: {
      第十五条: "The ACFTU, local federations and industry unions are legal persons; a grassroots union that meets the conditions obtains legal personality.",
    },
    unconfirmedParts: ["第十五条"],
    label: { zh: "《中华人民共和国工会法》", en: "Trade Union Law" },
    checked: "Title confirmed. The article on legal personality is article 14 in the 2001/2009 text (read); that it is 第十五条 in the 2021 amendment, and the amendment's date, not confirmed, so number and date are null.",
  },
  grassrootsUnionRegistration: {
    title: "基层工会法人登记管理办法",
    aliases: [],
    titleEn: "Measures for the Administration of Legal-Person Registration of Grassroots Trade Unions",
    number: "总工办发〔2020〕20号",
    issuer: "中华全国总工会办公厅",
    date: "2020-12-08",
    kind: "policy",
    parts: {},
    label: { zh: "全国总工会《基层工会法人登记管理办法》（总工办发〔2020〕20号）", en: "ACFTU Measures on the Legal-Person Registration of Grassroots Unions" },
    checked: "Title, number, issuer and date read in a published copy of the issuing notice (search, 2026-12). The product cited the ACFTU's older 基层工会法人资格登记办法 (1997, revised 2008) before; these are the measures in force since 2020 (that they repealed the older ones is not confirmed beside the text).",
  },
  minimumWageRules: {
    title: "最低工资规定",
    aliases: [],
    titleEn: "Provisions on Minimum Wages",
    number: "劳动和社会保障部令第21号",
    issuer: "劳动和社会保障部",
    date: "2004-01-20",
    kind: "regulation",
    parts: {},
    label: { zh: "《最低工资规定》（劳动和社会保障部令第21号）", en: "Provisions on Minimum Wages (MOLSS Order No. 21)" },
    checked: "Number and date (2004-01-20; in force 2004-03-01) read in a published copy (search, 2026-12).",
  },
  minimumWageTable: {
    title: "全国各省、自治区、直辖市最低工资标准情况（截至2026年1月1日）",
    aliases: [],
    titleEn: "MOHRSS table of minimum wages by province (as of 2026-01-01)",
    number: null,
    issuer: "人力资源社会保障部",
    date: null,
    kind: "data",
    parts: {},
    label: { zh: "人力资源社会保障部《全国各省、自治区、直辖市最低工资标准情况（截至2026年1月1日）》", en: "MOHRSS table of minimum wages by province (as of 2026-01-01)" },
    checked: "As cited by app/data/minimum-wage-standards.json; the table has no number. Its publication date could not be confirmed by search, so null (its figures are as of 2026-01-01).",
  },
  rights56: {
    title: "关于维护新就业形态劳动者劳动保障权益的指导意见",
    aliases: [],
    titleEn: "Guiding Opinions on Protecting the Labour Rights of Workers in New Forms of Employment",
    number: "人社部发〔2021〕56号",
    issuer: "人力资源社会保障部、国家发展改革委、交通运输部、应急部、市场监管总局、国家医保局、最高人民法院、全国总工会",
    date: "2021-07-16",
    kind: "policy",
    parts: {
      "（五）": "Minimum wage: workers providing normal work are paid no less than the local minimum wage.",
      "（六）": "Rest: quota standards, rest rules, and higher pay for work on statutory holidays.",
      "（九）": "Occupational injury protection: a pilot scheme for platform workers, ride-hailing, food delivery, instant delivery and intra-city freight platforms first, which platforms join as required; commercial accident and employer's liability insurance encouraged.",
      "（十）": "Rules and algorithms on order allocation, piece rates, commission, pay, working time, rewards and penalties hear the union and are published; an appeal mechanism.",
    },
    label: { zh: "人社部发〔2021〕56号", en: "MOHRSS [2021] No. 56" },
    checked: "Title, number, issuers, items and date (2021-07-16, at the end of the text) read in shared/sources/000 and published copies (search, 2026-12). The minimum wage is item （五）, not （六）; item （九） (occupational injury) read in shared/sources/000.",
  },
  delivery38: {
    title: "关于落实网络餐饮平台责任切实维护外卖送餐员权益的指导意见",
    aliases: [],
    titleEn: "Guiding Opinions on Online Catering Platforms' Responsibility for the Rights of Food-Delivery Workers",
    number: "国市监网监发〔2021〕38号",
    issuer: "市场监管总局、国家网信办、国家发展改革委、公安部、人力资源社会保障部、商务部、中华全国总工会",
    date: "2021-07-16",
    kind: "policy",
    parts: {
      第一部分: "Pay rules: quotas, minimum pay per order, no less than the minimum wage; subsidies for holidays, bad weather and night work.",
      第二部分: "Performance rules: not the 'strictest algorithm'; 算法取中.",
      第三部分: "Dispatch: after more than 4 hours of continuous delivery, a fatigue prompt and no orders for 20 minutes.",
      第五部分: "Insurance: social insurance for employed riders; the occupational injury protection pilot; commercial insurance suited to platform work.",
      第九部分: "Risk and disputes: clear complaint channels with stated procedures and time limits; routine problems from objective causes (a late delivery, say) resolved within 24 hours as a rule.",
    },
    label: { zh: "国市监网监发〔2021〕38号", en: "SAMR [2021] No. 38 (food delivery)" },
    checked: "Title, number, the seven issuers, sections and date (2021-07-16, at the end of the text) read in shared/sources/000; issuers also in press reports (2021-07-26). Parts 五 and 九 read in shared/sources/000 (issue 22).",
  },
  acftu12: {
    title: "中华全国总工会关于切实维护新就业形态劳动者劳动保障权益的意见",
    aliases: [],
    titleEn: "ACFTU Opinions on Protecting the Labour Rights of Workers in New Forms of Employment",
    number: "总工发〔2021〕12号",
    issuer: "中华全国总工会",
    date: null,
    kind: "policy",
    parts: {
      "（五）": "Industry unions bargain with associations and lead platforms on piece rates, order allocation, commission, quotas, payment, entry and exit, working time, rest, protection and penalties.",
    },
    label: { zh: "总工发〔2021〕12号", en: "ACFTU [2021] No. 12" },
    checked: "Title, number and item （五） read in shared/sources/000; its date is not printed there and could not be confirmed by search, so null.",
  },
  restAndPay2023: {
    title: "新就业形态劳动者休息和劳动报酬权益保障指引",
    aliases: [],
    titleEn: "Guidelines on Protecting the Rest and Pay of Workers in New Forms of Employment",
    number: "人社厅发〔2023〕50号",
    issuer: "人力资源社会保障部办公厅",
    date: "2023-11-08",
    kind: "guidance",
    parts: {
      第四条: "Daily working time is accumulated order time plus an allowance (宽放时间) for waiting, preparation and physical needs, set by bargaining.",
      第五条: "The longest continuous order time and the longest working day are set by bargaining; reaching either, the system prompts rest and stops dispatching for a time.",
    },
    label: {
      zh: "《新就业形态劳动者休息和劳动报酬权益保障指引》（人社厅发〔2023〕50号，2023年11月8日）",
      en: "MOHRSS guidelines on the rest and pay of platform workers (MOHRSS General Office [2023] No. 50, 2023-11-08)",
    },
    checked: "Issued with two other guides by 人社厅发〔2023〕50号 of 2023-11-08 (the notice's text and a city bureau's forwarding notice, search 2026-12; made public 2024-02-23); 第四条、第五条 texts read.",
  },
  roadTrafficRegulation: {
    title: "中华人民共和国道路交通安全法实施条例",
    aliases: ["道路交通安全法实施条例"],
    titleEn: "Regulation on the Implementation of the Road Traffic Safety Law of the People's Republic of China",
    number: "中华人民共和国国务院令第405号",
    issuer: "国务院",
    date: "2004-04-30",
    kind: "regulation",
    parts: {
      "第六十二条（七）": "A driver may not drive continuously for more than 4 hours without stopping to rest, or stop for less than 20 minutes.",
    },
    label: { zh: "《道路交通安全法实施条例》", en: "Regulation on the Implementation of the Road Traffic Safety Law" },
    checked:
      "第六十二条（七） text read in several published copies (search, 2026-12). Order No. 405 and 2004-04-30 as commonly cited; the 2017 revision (Order No. 687) left 第六十二条 as it was, as far as the copies read show; not read beside the official gazette.",
  },
  report2025: {
    title: "国务院关于灵活就业和新就业形态劳动者权益保障工作情况的报告",
    aliases: [],
    titleEn: "State Council Report on the Protection of the Rights of Flexibly Employed Workers and Workers in New Forms of Employment",
    number: null,
    issuer: "国务院",
    date: "2025-12-22",
    kind: "report",
    parts: {
      "一、（二）": "Guidance and supervision: the 阳光抽成 campaign, lower commissions and penalties, algorithm governance, collective contracts signed.",
    },
    label: {
      zh: "《国务院关于灵活就业和新就业形态劳动者权益保障工作情况的报告》（2025年12月22日）",
      en: "State Council report on the rights of flexible and platform workers (2025-12-22)",
    },
    checked: "Full title and date read on npc.gov.cn and in shared/sources/002: delivered 2025-12-22 to the 19th session of the 14th NPC Standing Committee by 吴秀章 (Vice-Minister, MOHRSS). A report has no number.",
  },
  commentary2026: {
    title: "织密新就业群体保障网",
    aliases: [],
    titleEn: "Weaving a tighter safety net for new-employment workers",
    number: null,
    issuer: null,
    date: null,
    kind: "commentary",
    parts: {},
    label: { zh: "《织密新就业群体保障网》（2026年报刊评论解读，非规范性文件）", en: "'Weaving a tighter safety net for new-employment workers' (2026 newspaper commentary, not a normative document)" },
    checked: "The commentary in shared/sources/004 (written after the April 2026 opinions it discusses). Newspaper, author and date not confirmed, so null. Not a basis for a blocking check.",
  },
  holidays2025: {
    title: "国务院办公厅关于2025年部分节假日安排的通知",
    aliases: [],
    titleEn: "General Office of the State Council: Notice on the 2025 Holiday Arrangements",
    number: "国办发明电〔2024〕12号",
    issuer: "国务院办公厅",
    date: "2024-11-12",
    kind: "notice",
    parts: {},
    label: { zh: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）", en: "State Council holiday notice for 2025 (2024-11-12)" },
    checked: "Number and date read in published copies (search, 2026-12); the dates are in app/data/holiday-calendar.json.",
  },
  holidays2026: {
    title: "国务院办公厅关于2026年部分节假日安排的通知",
    aliases: [],
    titleEn: "General Office of the State Council: Notice on the 2026 Holiday Arrangements",
    number: null,
    issuer: "国务院办公厅",
    date: "2025-11-04",
    kind: "notice",
    parts: {},
    label: { zh: "国务院办公厅关于2026年部分节假日安排的通知", en: "State Council holiday notice for 2026 (2025-11-04)" },
    checked: "Text and date read in published copies (新华社 via 光明网, 2025-11-04); the document number is not printed there, so null.",
  },
} as const satisfies Record<string, CitationEntry>;

export type CitationId = keyof typeof CITATIONS;

/** Titles written in 《》 that name no cited document (a form the regulation names, for instance). */
export const NOT_DOCUMENTS: readonly string[] = ["协调处理协议书"];

/**
 * Data files whose rows name their own sources. Numbers (〔year〕N号) inside them, and titles of
 * minimum-wage notices and tables (titles naming 最低工资), are the rows' regional documents and are not
 * registered one by one; other titles in 《》 in them still are.
 */
export const SELF_SOURCED_DATA: Readonly<Record<string, string>> = {
  "app/data/minimum-wage-standards.json": "each row names its documents (regional notices, the MOHRSS tables, the copies read) in `documents`; `verified` says whether an official text was read (docs/minimum-wage-data.md)",
};

// ─── Numbers and parts ────────────────────────────────────────────────────────────────────────

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/** The value of a Chinese numeral as used in article numbers: 十五 → 15, 二百零三 → 203, 一千二百五十九 → 1259. */
export function chineseNumber(text: string): number {
  if (!text) throw new RangeError("empty numeral");
  let total = 0;
  let digit: number | null = null;
  for (const character of text) {
    const value = DIGITS[character];
    const unit = UNITS[character];
    if (value !== undefined) digit = value;
    else if (unit !== undefined) {
      total += (digit ?? 1) * unit;
      digit = null;
    } else throw new RangeError(`not a Chinese numeral: ${text}`);
  }
  return total + (digit ?? 0);
}

const NUMERAL = "[零一二三四五六七八九十百千两]+";
const PART = new RegExp(`^(?:(第${NUMERAL}条)(第${NUMERAL}款)?)?(?:第?（(${NUMERAL})）项?)?$`);
const SECTION = new RegExp(`^第(${NUMERAL})部分$`);
const NUMBERED_SECTION = /^[一二三四五六七八九十]+、（[一二三四五六七八九十]+）$/;

/** A part as written in text (第四十条第（一）项, 第（十）项) in the register's normalized form (第四十条（一）, （十）). */
export function normalizePart(written: string): string {
  if (SECTION.test(written) || NUMBERED_SECTION.test(written)) return written;
  const match = PART.exec(written);
  if (!match || (!match[1] && !match[3])) throw new Error(`not a citable part: ${written}`);
  return `${match[1] ?? ""}${match[2] ?? ""}${match[3] ? `（${match[3]}）` : ""}`;
}

/** Whether the document lists the part, or (for an article cited as a whole) any item of it. */
export function hasPart(id: CitationId, normalized: string): boolean {
  const parts: Readonly<Record<string, string>> = CITATIONS[id].parts;
  if (normalized in parts) return true;
  return /条$/.test(normalized) && Object.keys(parts).some((part) => part.startsWith(normalized));
}

/** The English for a normalized part: art. 40(1), art. 203(2), item 5, part 2. */
function partEn(normalized: string): string {
  const section = SECTION.exec(normalized);
  if (section) return `part ${chineseNumber(section[1]!)}`;
  if (NUMBERED_SECTION.test(normalized)) return `part ${normalized}`;
  const match = new RegExp(`^(?:第(${NUMERAL})条(?:第(${NUMERAL})款)?)?(?:（(${NUMERAL})）)?$`).exec(normalized)!;
  const [, article, paragraph, item] = match;
  if (!article) return `item ${chineseNumber(item!)}`;
  const sub = [paragraph, item].filter((value): value is string => value !== undefined).map((value) => `(${chineseNumber(value)})`);
  return `art. ${chineseNumber(article)}${sub.join("")}`;
}

export type Cited = { zh: string; en: string };

/**
 * A source line for a registered document, or for one of its registered parts written as the text
 * writes it ("第三十二条", "第四十条第（一）项", "第（五）项", "第二部分", or a range "第三十九条至第四十一条"),
 * with an optional note ("（阳光抽成）"). Throws for an unregistered document or part, so a wrong
 * citation in a rule table stops the module from loading.
 */
export function cite(id: CitationId, written?: string, note?: Cited): Cited {
  const entry: CitationEntry | undefined = (CITATIONS as Record<string, CitationEntry>)[id];
  if (!entry) throw new Error(`citation of an unregistered document: ${id}`);
  let zh = entry.label.zh;
  let en = entry.label.en;
  if (written !== undefined) {
    const ends = written.split("至");
    if (ends.length > 2) throw new Error(`not a citable range: ${written}`);
    const normalized = ends.map(normalizePart);
    for (const part of normalized) {
      if (!hasPart(id, part)) throw new Error(`${entry.title} ${part} is not in the citation register (app/domain/citations.ts)`);
    }
    zh += written;
    en += normalized.length === 2 ? `, arts. ${partEn(normalized[0]!).replace(/^art\. /, "")}–${partEn(normalized[1]!).replace(/^art\. /, "")}` : `, ${partEn(normalized[0]!)}`;
  }
  if (note) {
    zh += note.zh;
    en += ` ${note.en}`;
  }
  return { zh, en };
}

/** Several sources in one line, as the UI shows them: "A；B" and "A; B". */
export const citeAll = (...sources: readonly Cited[]): Cited => ({ zh: sources.map((source) => source.zh).join("；"), en: sources.map((source) => source.en).join("; ") });
