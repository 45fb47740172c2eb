/**
 * The documentation holds together: every relative link in docs/ (and its subfolders) and in
 * README.md points to a file or folder that exists, and docs/ARCHITECTURE.md stays a map (issue
 * 16) — the details belong in the topical pages it links to. Anchors are not checked.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ARCHITECTURE_MAX_LINES = 150;

function markdownFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFilesUnder(full));
    else if (entry.isFile() && entry.name.endsWith(".md")) found.push(full);
  }
  return found.sort();
}

/** The text a reader sees as prose: fenced code blocks and inline code spans blanked out. */
function withoutCode(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, " "))
    .replace(/`[^`\n]*`/g, (span) => " ".repeat(span.length));
}

/** Every link target in a Markdown text: inline `[text](target)`, images, and reference definitions. */
function linkTargets(markdown: string): Array<{ line: number; target: string }> {
  const text = withoutCode(markdown);
  const targets: Array<{ line: number; target: string }> = [];
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  for (const match of text.matchAll(/\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g)) {
    targets.push({ line: lineOf(match.index ?? 0), target: match[1]!.replace(/^<|>$/g, "") });
  }
  for (const match of text.matchAll(/^ {0,3}\[[^\]\n]+\]:\s*(<[^>\n]*>|\S+)/gm)) {
    targets.push({ line: lineOf(match.index ?? 0), target: match[1]!.replace(/^<|>$/g, "") });
  }
  return targets;
}

/** The path a link points to inside the repository, or null for web, mail and same-page links. */
function localPath(fromFile: string, target: string): string | null {
  if (/^(https?:|mailto:)/i.test(target) || target.startsWith("#")) return null;
  const withoutAnchor = target.replace(/[?#].*$/, "");
  let decoded = withoutAnchor;
  try {
    decoded = decodeURIComponent(withoutAnchor);
  } catch {
    // A malformed escape stays as written, and is then reported as missing.
  }
  return decoded.startsWith("/") ? path.join(root, decoded) : path.resolve(path.dirname(fromFile), decoded);
}

const files = [...markdownFilesUnder(path.join(root, "docs")), path.join(root, "README.md")];

describe("documentation links", () => {
  it("finds inline links, images and reference definitions, and skips code", () => {
    const sample = [
      "See [the map](ARCHITECTURE.md#layers) and ![a chart](img/chart.png 'title').",
      "`[not a link](nowhere.md)` and [web](https://example.com), [mail](mailto:a@b.c), [here](#top).",
      "```",
      "[also not a link](nowhere-either.md)",
      "```",
      "[ref]: decisions/029-capability-projection.md",
    ].join("\n");
    expect(linkTargets(sample)).toEqual([
      { line: 1, target: "ARCHITECTURE.md#layers" },
      { line: 1, target: "img/chart.png" },
      { line: 2, target: "https://example.com" },
      { line: 2, target: "mailto:a@b.c" },
      { line: 2, target: "#top" },
      { line: 6, target: "decisions/029-capability-projection.md" },
    ]);
    const from = path.join(root, "docs", "ARCHITECTURE.md");
    expect(localPath(from, "https://example.com")).toBeNull();
    expect(localPath(from, "mailto:a@b.c")).toBeNull();
    expect(localPath(from, "#top")).toBeNull();
    expect(localPath(from, "realtime.md#scale-out")).toBe(path.join(root, "docs", "realtime.md"));
    expect(localPath(from, "../README.md")).toBe(path.join(root, "README.md"));
  });

  it("every relative link in docs/ and README.md points to a file that exists", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const { line, target } of linkTargets(fs.readFileSync(file, "utf8"))) {
        const local = localPath(file, target);
        if (local === null) continue;
        checked += 1;
        if (!fs.existsSync(local)) broken.push(`${path.relative(root, file)}:${line}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
    // The docs do link to each other: a finder that found nothing would pass vacuously.
    expect(checked).toBeGreaterThan(50);
  });

  it(`docs/ARCHITECTURE.md is a map of at most ${ARCHITECTURE_MAX_LINES} lines`, () => {
    const text = fs.readFileSync(path.join(root, "docs", "ARCHITECTURE.md"), "utf8");
    const lines = text.replace(/\n$/, "").split("\n").length;
    expect(lines, "move the detail into a topical page under docs/ and link to it").toBeLessThanOrEqual(ARCHITECTURE_MAX_LINES);
  });
});
