/** Plain text and terms out of a draft's Yjs document, and differences between two versions. */
import * as Y from "yjs";
import { diffChars } from "diff";
import { canonicalJson } from "./hash.ts";
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

/** Every term of the draft: the single numbers and the structured ones (table, causes, allocation). */
export function draftTerms(doc: Y.Doc): Record<string, unknown> {
  return doc.getMap<unknown>("terms").toJSON();
}

export const STRUCTURED_TERM_KEYS = ["pieceRateTable", "penaltyExcludedCauses", "allocation", "commissionShownPerOrder", "penaltyRules", "algorithms"] as const;

export type TextChange = { kind: "same" | "added" | "removed"; text: string };

/** Character-level differences (Chinese has no spaces between words, so characters it is). */
export function diffText(before: string, after: string): TextChange[] {
  return diffChars(before, after).map((part) => ({ kind: part.added ? "added" : part.removed ? "removed" : "same", text: part.value }));
}

export function diffTerms(before: Record<string, unknown>, after: Record<string, unknown>) {
  const number = (value: unknown) => (typeof value === "number" ? value : null);
  return TERM_KEYS.map((key: TermKey) => ({ key, before: number(before[key]), after: number(after[key]), changed: number(before[key]) !== number(after[key]) }));
}

/** Structured terms compared as wholes (canonical JSON), for "changed / unchanged" and display. */
export function diffStructuredTerms(before: Record<string, unknown>, after: Record<string, unknown>) {
  return STRUCTURED_TERM_KEYS.map((key) => {
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    return { key, before: a, after: b, changed: canonicalJson(a) !== canonicalJson(b) };
  });
}
