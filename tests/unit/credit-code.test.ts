/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015) of app/domain/credit-code.ts:
 * real published codes are accepted as printed (lower case, padded, full-width), every single
 * substitution, deletion and insertion is refused with the right problem, and a property over
 * random 17-character bodies (fast-check, fixed seed so a failure is reproducible).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CREDIT_CODE_ALPHABET,
  CREDIT_CODE_LENGTH,
  CREDIT_CODE_WEIGHTS,
  creditCodeCheckCharacter,
  normalizeCreditCode,
  parseCreditCode,
} from "../../app/domain/credit-code.ts";

type PublishedCode = {
  code: string;
  organization: string;
  /** The category that positions 1–2 of the code encode (GB 32100-2015, 4.2.1 and 4.2.2). */
  category: string;
  /** A public page on which the code is printed next to the organization's name. */
  source: string;
};

/**
 * Real codes of real organizations, each copied from the page cited with it (none recalled or
 * constructed). The Wikidata page is the property proposal for "Unified Social Credit Identifier"
 * (P6795), whose worked examples pair each code with a Wikidata item.
 */
const WIKIDATA_PROPOSAL = "https://m.wikidata.org/wiki/Wikidata:Property_proposal/Unified_Social_Credit_Identifier";
const PUBLISHED_CODES: readonly PublishedCode[] = [
  {
    code: "914403001922038216",
    organization: "华为技术有限公司 (Huawei Technologies Co., Ltd.)",
    category: "91 market regulation: enterprise",
    source: "https://zh.wikipedia.org/zh-hk/%E8%8F%AF%E7%88%B2 (infobox, 機構代碼)",
  },
  {
    code: "91440300708461136T",
    organization: "深圳市腾讯计算机系统有限公司 (Shenzhen Tencent Computer Systems Co., Ltd.)",
    category: "91 market regulation: enterprise",
    source: "https://check-china.com/example_report/en/8 (business licence information)",
  },
  {
    // Platform work (ride-hailing): Didi's operating company. Secondary source only: a copy of a
    // commercial registry (Qichacha) equity-pledge record kept in a public repository.
    code: "911101080673385595",
    organization: "北京嘀嘀无限科技发展有限公司 (Beijing DiDi Infinity Technology and Development Co., Ltd.)",
    category: "91 market regulation: enterprise",
    source:
      "https://github.com/wujiancho/Xiao_Qi_Good_boy/blob/6bf3f0965185460d47487520a4302d00b1379a8f/app/src/main/java/com/lx/xqgg/ui/product/bean/QccBean.java (Pledgee / PledgeeNo)",
  },
  {
    code: "91110108MA7KNAB27F",
    organization: "Beijing Hexian Lianjing Technology Co., Ltd. (borrower, Bank of China working capital loan contract)",
    category: "91 market regulation: enterprise",
    source: "https://sec.gov/Archives/edgar/data/1946025/000119312524075863/d403554dex106.htm (Exhibit 10.6)",
  },
  { code: "91370000728611939A", organization: "Shandong Buchang Pharma (Q30261306)", category: "91 market regulation: enterprise", source: WIKIDATA_PROPOSAL },
  { code: "9111000071093123XX", organization: "State Grid Corporation of China (Q209078)", category: "91 market regulation: enterprise", source: WIKIDATA_PROPOSAL },
  { code: "91100000000013477B", organization: "China State Railway Group Co., Ltd. (Q1073489)", category: "91 market regulation: enterprise", source: WIKIDATA_PROPOSAL },
  { code: "5110000050001963XY", organization: "China Welfare Institute (Q10874014)", category: "51 civil affairs: social organization", source: WIKIDATA_PROPOSAL },
  { code: "531000005000160090", organization: "China Red Cross Foundation (Q10874054)", category: "53 civil affairs: foundation", source: WIKIDATA_PROPOSAL },
  {
    code: "13100000500010213J",
    organization: "China Soong Ching Ling Foundation (Q10873646)",
    category: "13 establishment: people's organization staffed by the central establishment office",
    source: WIKIDATA_PROPOSAL,
  },
  { code: "11100000MB1789023A", organization: "Supreme People's Court of the People's Republic of China (Q691994)", category: "11 establishment: state organ", source: WIKIDATA_PROPOSAL },
  { code: "11100000000011519T", organization: "Supreme People's Procuratorate (Q2682024)", category: "11 establishment: state organ", source: WIKIDATA_PROPOSAL },
  { code: "71310106424845496E", organization: "Jing'an Temple (Q403189)", category: "71 religious affairs: place of worship", source: WIKIDATA_PROPOSAL },
  { code: "119900000106319731", organization: "Xinjiang Production and Construction Corps (Q1323296)", category: "11 establishment: state organ", source: WIKIDATA_PROPOSAL },
];

/** Characters a reader might type or copy that the standard leaves out, or that are not code characters at all. */
const OUTSIDE_ALPHABET = ["I", "O", "Z", "S", "V", "-", "中"] as const;

const toFullWidth = (text: string) => text.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
const replaceAt = (text: string, index: number, ch: string) => text.slice(0, index) + ch + text.slice(index + 1);
const removeAt = (text: string, index: number) => text.slice(0, index) + text.slice(index + 1);
const insertAt = (text: string, index: number, ch: string) => text.slice(0, index) + ch + text.slice(index);

describe("the alphabet and the weights", () => {
  it("has 31 characters: the digits and the capital letters without I, O, Z, S and V", () => {
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    expect(new Set(CREDIT_CODE_ALPHABET).size).toBe(31);
    for (const letter of ["I", "O", "Z", "S", "V"]) expect(CREDIT_CODE_ALPHABET).not.toContain(letter);
  });

  it("weights position i by 3^(i−1) mod 31", () => {
    expect(CREDIT_CODE_WEIGHTS).toHaveLength(CREDIT_CODE_LENGTH - 1);
    CREDIT_CODE_WEIGHTS.forEach((weight, index) => expect(weight).toBe(Number(3n ** BigInt(index) % 31n)));
  });
});

describe("published codes", () => {
  it("lists distinct well-formed codes, each with its organization and source", () => {
    expect(PUBLISHED_CODES.length).toBeGreaterThanOrEqual(6);
    expect(new Set(PUBLISHED_CODES.map((entry) => entry.code)).size).toBe(PUBLISHED_CODES.length);
    for (const entry of PUBLISHED_CODES) {
      expect(entry.code).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
      expect(entry.organization).not.toBe("");
      expect(entry.source).toMatch(/^https:\/\//);
      expect(entry.category.slice(0, 2)).toBe(entry.code.slice(0, 2));
    }
  });

  describe.each(PUBLISHED_CODES)("$code ($organization)", ({ code }) => {
    it("is accepted as printed", () => {
      expect(parseCreditCode(code)).toEqual({ ok: true, code });
    });

    it("is accepted in lower case, with surrounding white space and in full-width characters", () => {
      const variants = [
        code.toLowerCase(),
        `  ${code}  `,
        `\t${code.toLowerCase()}\n`,
        `\u3000${code}\u3000`,
        toFullWidth(code),
        toFullWidth(code.toLowerCase()),
        ` ${toFullWidth(code)} `,
      ];
      for (const variant of variants) {
        expect(normalizeCreditCode(variant)).toBe(code);
        expect(parseCreditCode(variant)).toEqual({ ok: true, code });
      }
    });

    it("has its 18th character recomputed from the first 17", () => {
      expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
    });

    it("refuses every substitution of one character by another of the alphabet with checkCharacter", () => {
      let refused = 0;
      for (let index = 0; index < CREDIT_CODE_LENGTH; index += 1) {
        for (const ch of CREDIT_CODE_ALPHABET) {
          if (ch === code[index]) continue;
          const mistyped = replaceAt(code, index, ch);
          expect(parseCreditCode(mistyped), mistyped).toEqual({ ok: false, problem: "checkCharacter" });
          refused += 1;
        }
      }
      expect(refused).toBe(CREDIT_CODE_LENGTH * (CREDIT_CODE_ALPHABET.length - 1));
    });

    it("refuses every substitution by a character outside the alphabet with alphabet", () => {
      for (let index = 0; index < CREDIT_CODE_LENGTH; index += 1) {
        for (const ch of OUTSIDE_ALPHABET) {
          const mistyped = replaceAt(code, index, ch);
          expect(parseCreditCode(mistyped), mistyped).toEqual({ ok: false, problem: "alphabet" });
        }
      }
    });

    it("refuses every deletion of one character with length", () => {
      for (let index = 0; index < CREDIT_CODE_LENGTH; index += 1) {
        const shortened = removeAt(code, index);
        expect(shortened).toHaveLength(17);
        expect(parseCreditCode(shortened), shortened).toEqual({ ok: false, problem: "length" });
      }
    });

    it("refuses every insertion of one character with length", () => {
      for (let index = 0; index <= CREDIT_CODE_LENGTH; index += 1) {
        for (const ch of [...CREDIT_CODE_ALPHABET, ...OUTSIDE_ALPHABET]) {
          const lengthened = insertAt(code, index, ch);
          expect(lengthened).toHaveLength(19);
          expect(parseCreditCode(lengthened), lengthened).toEqual({ ok: false, problem: "length" });
        }
      }
    });
  });
});

describe("parseCreditCode on input that is not a code", () => {
  it("refuses the empty string and white space alone with length", () => {
    expect(parseCreditCode("")).toEqual({ ok: false, problem: "length" });
    expect(parseCreditCode("   ")).toEqual({ ok: false, problem: "length" });
    expect(parseCreditCode("\u3000")).toEqual({ ok: false, problem: "length" });
  });
});

describe("creditCodeCheckCharacter on bad input", () => {
  it("throws unless given exactly seventeen characters", () => {
    const first17 = PUBLISHED_CODES[0]!.code.slice(0, 17);
    for (const wrongLength of ["", first17.slice(0, 16), PUBLISHED_CODES[0]!.code, `${first17}00`]) {
      expect(() => creditCodeCheckCharacter(wrongLength), JSON.stringify(wrongLength)).toThrow(RangeError);
    }
  });

  it("throws on a character outside the alphabet (it expects normalized input)", () => {
    const first17 = PUBLISHED_CODES[0]!.code.slice(0, 17);
    for (const ch of [...OUTSIDE_ALPHABET, "a", " ", "１"]) {
      for (const index of [0, 8, 16]) {
        const bad = replaceAt(first17, index, ch);
        expect(() => creditCodeCheckCharacter(bad), bad).toThrow(RangeError);
      }
    }
  });
});

describe("property over random bodies", () => {
  const SEED = 321_002_015; // GB 32100-2015
  const RUNS = { seed: SEED, numRuns: 1_000 } as const;
  const bodyArb = fc
    .array(fc.constantFrom(...CREDIT_CODE_ALPHABET), { minLength: CREDIT_CODE_LENGTH - 1, maxLength: CREDIT_CODE_LENGTH - 1 })
    .map((characters) => characters.join(""));

  it("accepts the body followed by its computed check character, and refuses any other last character", () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        const check = creditCodeCheckCharacter(body);
        expect(CREDIT_CODE_ALPHABET).toContain(check);
        expect(parseCreditCode(body + check)).toEqual({ ok: true, code: body + check });
        for (const other of CREDIT_CODE_ALPHABET) {
          if (other === check) continue;
          expect(parseCreditCode(body + other)).toEqual({ ok: false, problem: "checkCharacter" });
        }
      }),
      RUNS,
    );
  });
});
