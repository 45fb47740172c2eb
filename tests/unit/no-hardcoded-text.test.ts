/**
 * UI text comes from app/i18n, never from the components: no Chinese characters in any .tsx file
 * under app/, and (a heuristic) no English words as JSX text in routes, components and root.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const appDir = path.join(root, "app");

const CJK = /[\u3400-\u9fff]/;
const JSX_ENGLISH_TEXT = />\s*[A-Za-z][A-Za-z ,.'!?]{2,}\s*</;

function tsxFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "generated" || entry.name === "node_modules") continue;
      found.push(...tsxFilesUnder(full));
    } else if (entry.isFile() && entry.name.endsWith(".tsx")) {
      found.push(full);
    }
  }
  return found.sort();
}

/** "file:line: text" for every line matching the pattern. */
function offendingLines(files: readonly string[], pattern: RegExp): string[] {
  const offences: string[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      if (pattern.test(line)) offences.push(`${path.relative(root, file)}:${index + 1}: ${line.trim()}`);
    });
  }
  return offences;
}

const allTsx = tsxFilesUnder(appDir);
const uiTsx = [
  ...tsxFilesUnder(path.join(appDir, "routes")),
  ...tsxFilesUnder(path.join(appDir, "components")),
  path.join(appDir, "root.tsx"),
].filter((file) => fs.existsSync(file));

describe("no hard-coded UI text", () => {
  it("finds the .tsx files to scan", () => {
    expect(allTsx.map((file) => path.relative(root, file))).toContain("app/root.tsx");
    expect(uiTsx.length).toBeGreaterThan(3);
  });

  it("the patterns catch what they are meant to catch", () => {
    expect(CJK.test("<h1>登录</h1>")).toBe(true);
    expect(CJK.test("<h1>{t(\"login.title\")}</h1>")).toBe(false);
    expect(JSX_ENGLISH_TEXT.test("<button>Log in</button>")).toBe(true);
    expect(JSX_ENGLISH_TEXT.test("  <p>Don't do this.</p>")).toBe(true);
    expect(JSX_ENGLISH_TEXT.test("<button>{t(\"login.submit\")}</button>")).toBe(false);
    expect(offendingLines([path.join(appDir, "root.tsx")], /<html/).length).toBeGreaterThan(0);
  });

  it("has no CJK characters in any .tsx file under app/", () => {
    const offences = offendingLines(allTsx, CJK);
    expect(offences, `Move this text to app/i18n/zh-CN.ts and app/i18n/en.ts:\n${offences.join("\n")}`).toEqual([]);
  });

  it("has no English words as JSX text in routes, components and root.tsx", () => {
    const offences = offendingLines(uiTsx, JSX_ENGLISH_TEXT);
    expect(offences, `Move this text to app/i18n/zh-CN.ts and app/i18n/en.ts:\n${offences.join("\n")}`).toEqual([]);
  });
});
