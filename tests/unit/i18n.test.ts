/**
 * The two message catalogues (app/i18n/zh-CN.ts, app/i18n/en.ts) stay in step: same keys, no
 * empty sentence, same placeholders; and every key the code hands to the edge (validation
 * messages, error codes, organization types, roles) has a sentence in both languages.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { en } from "../../app/i18n/en.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { createI18n, LOCALES } from "../../app/i18n/i18n.ts";
import { ERROR_STATUS } from "../../app/domain/errors.ts";
import { MEMBERSHIP_ROLES, ORGANIZATION_TYPES } from "../../app/domain/actors.ts";

/** Nested catalogue → { "a.b.c": value } (leaves only). */
function flatten(tree: unknown, prefix = ""): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object") {
      for (const [childPath, childValue] of flatten(value, path)) leaves.set(childPath, childValue);
    } else {
      leaves.set(path, value);
    }
  }
  return leaves;
}

function placeholdersOf(sentence: string): string[] {
  return [...new Set([...sentence.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1] ?? ""))].sort();
}

/**
 * Looks a dotted key up the way i18next does with keySeparator ".": the catalogues use keys such
 * as `errors["auth.required"]`, which i18next also resolves, so try the longest own key first.
 */
function lookup(tree: unknown, key: string): unknown {
  if (key === "") return tree;
  if (tree === null || typeof tree !== "object") return undefined;
  const node = tree as Record<string, unknown>;
  const parts = key.split(".");
  for (let length = parts.length; length >= 1; length--) {
    const head = parts.slice(0, length).join(".");
    if (Object.hasOwn(node, head)) {
      const found = lookup(node[head], parts.slice(length).join("."));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const catalogues = { "zh-CN": zhCN, en } as const;
const flatZh = flatten(zhCN);
const flatEn = flatten(en);

describe("message catalogues", () => {
  it("have exactly the same keys", () => {
    const zhKeys = [...flatZh.keys()].sort();
    const enKeys = [...flatEn.keys()].sort();
    expect(enKeys.filter((key) => !flatZh.has(key)), "keys in en.ts but not in zh-CN.ts").toEqual([]);
    expect(zhKeys.filter((key) => !flatEn.has(key)), "keys in zh-CN.ts but not in en.ts").toEqual([]);
    expect(zhKeys.length).toBeGreaterThan(50);
  });

  it.each(Object.entries(catalogues))("%s has only non-empty strings", (_locale, catalogue) => {
    const bad = [...flatten(catalogue)].filter(([, value]) => typeof value !== "string" || value.trim() === "").map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it("use the same {{placeholders}} for each key", () => {
    const mismatches: string[] = [];
    for (const [key, zhValue] of flatZh) {
      const enValue = flatEn.get(key);
      if (typeof zhValue !== "string" || typeof enValue !== "string") continue;
      const zh = placeholdersOf(zhValue);
      const english = placeholdersOf(enValue);
      if (zh.join(",") !== english.join(",")) mismatches.push(`${key}: zh-CN {${zh.join(",")}} vs en {${english.join(",")}}`);
    }
    expect(mismatches).toEqual([]);
    // The check above must actually compare something.
    expect(placeholdersOf(String(flatEn.get("validation.tooLong")))).toEqual(["max"]);
  });

  describe("cover every validation message used in app/domain/validation.ts", () => {
    const source = fs.readFileSync(fileURLToPath(new URL("../../app/domain/validation.ts", import.meta.url)), "utf8");
    const keys = [...new Set([...source.matchAll(/["'`](validation\.[A-Za-z0-9_]+)["'`]/g)].map((match) => match[1] ?? ""))].sort();

    it("finds the messages in the source", () => {
      expect(keys).toEqual(expect.arrayContaining(["validation.required", "validation.tooLong", "validation.invalid", "validation.passwordMismatch"]));
    });

    it.each(keys.map((key) => [key]))("%s", (key) => {
      for (const [locale, catalogue] of Object.entries(catalogues)) {
        expect(typeof lookup(catalogue, key), `${key} in ${locale}`).toBe("string");
      }
    });
  });

  it.each(Object.keys(ERROR_STATUS).map((code) => [code]))("have errors.%s in both languages", (code) => {
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      expect(typeof lookup(catalogue, `errors.${code}`), `errors.${code} in ${locale}`).toBe("string");
    }
  });

  it.each(ORGANIZATION_TYPES.map((type) => [type]))("have orgType.%s in both languages", (type) => {
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      expect(typeof lookup(catalogue, `orgType.${type}`), `orgType.${type} in ${locale}`).toBe("string");
    }
  });

  it.each(MEMBERSHIP_ROLES.map((role) => [role]))("have role.%s in both languages", (role) => {
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      expect(typeof lookup(catalogue, `role.${role}`), `role.${role} in ${locale}`).toBe("string");
    }
  });

  it.each(LOCALES.map((locale) => [locale]))("name the language %s in both languages", (locale) => {
    for (const catalogue of Object.values(catalogues)) {
      expect(typeof lookup(catalogue, `language.${locale}`)).toBe("string");
    }
  });
});

describe("createI18n", () => {
  it("translates into English", () => {
    expect(createI18n("en").t("login.title")).toBe("Log in");
  });

  it("translates into Simplified Chinese", () => {
    expect(createI18n("zh-CN").t("login.title")).toBe("登录");
  });

  it("interpolates placeholders", () => {
    expect(createI18n("en").t("validation.tooLong", { max: 5 })).toBe("At most 5 characters.");
    expect(createI18n("zh-CN").t("validation.tooLong", { max: 5 })).toBe("最多 5 个字符。");
  });

  it("resolves error codes that contain a dot", () => {
    expect(createI18n("en").t("errors.auth.required")).toBe(en.errors["auth.required"]);
    expect(createI18n("zh-CN").t("errors.invite.expired")).toBe(zhCN.errors["invite.expired"]);
  });

  it("keeps one language per instance", () => {
    const english = createI18n("en");
    const chinese = createI18n("zh-CN");
    expect(english.t("nav.home")).toBe("Home");
    expect(chinese.t("nav.home")).toBe(zhCN.nav.home);
    expect(english.language).toBe("en");
  });
});
