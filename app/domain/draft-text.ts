/** Plain text and terms out of a draft's Yjs document, and differences between two versions. */
import * as Y from "yjs";
import { diffChars } from "diff";
import { TERM_KEYS, type TermKey } from "./terms.ts";

const BLOCKS = new Set(["paragraph", "heading", "listItem", "blockquote", "codeBlock"]);

function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlFragment, out: string[]) {
  if (node instanceof Y.XmlText) {
    out.push((node.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === "string" ? op.insert : "")).join(""));
    return;
  }
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText || child instanceof Y.XmlElement) textOf(child, out);
  }
  if (node instanceof Y.XmlElement && BLOCKS.has(node.nodeName) && node.nodeName !== "listItem") out.push("\n");
}

/** The agreement body as plain text, one line per paragraph. */
export function draftPlainText(doc: Y.Doc): string {
  const out: string[] = [];
  textOf(doc.getXmlFragment("body"), out);
  return out.join("").replace(/\n+$/, "");
}

export function draftTerms(doc: Y.Doc): Partial<Record<TermKey, number>> {
  const map = doc.getMap<number>("terms");
  return Object.fromEntries(TERM_KEYS.filter((key) => typeof map.get(key) === "number").map((key) => [key, map.get(key)!]));
}

export type TextChange = { kind: "same" | "added" | "removed"; text: string };

/** Character-level differences (Chinese has no spaces between words, so characters it is). */
export function diffText(before: string, after: string): TextChange[] {
  return diffChars(before, after).map((part) => ({ kind: part.added ? "added" : part.removed ? "removed" : "same", text: part.value }));
}

export function diffTerms(before: Partial<Record<TermKey, number>>, after: Partial<Record<TermKey, number>>) {
  return TERM_KEYS.map((key) => ({ key, before: before[key] ?? null, after: after[key] ?? null, changed: (before[key] ?? null) !== (after[key] ?? null) }));
}
