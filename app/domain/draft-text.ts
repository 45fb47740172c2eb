/** Plain text and terms out of a draft's Yjs document, and differences between two versions. */
import * as Y from "yjs";
import { diffChars, diffLines, type ChangeObject } from "diff";
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

/**
 * A Yjs update that writes a draft from scratch: one paragraph per line (the shape Tiptap's
 * Collaboration extension writes: one XmlElement per paragraph) and the terms. Used to start an
 * amendment or renewal from the version it continues, and by the demo data.
 */
export function draftUpdateFrom(lines: readonly string[], terms: Record<string, unknown>, base?: Y.Doc): Uint8Array {
  // On top of `base` (the stored document), the change follows what is there: a term set here wins
  // over the stored one (two documents that never saw each other would resolve by client id).
  const doc = base ?? new Y.Doc();
  let update: Uint8Array | null = null;
  const record = (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u);
  doc.on("update", record);
  doc.transact(() => {
    const body = doc.getXmlFragment("body");
    body.insert(
      body.length,
      lines.map((text) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(text)]);
        return paragraph;
      }),
    );
    const termsMap = doc.getMap<unknown>("terms");
    for (const [key, value] of Object.entries(terms)) termsMap.set(key, value);
  });
  doc.off("update", record);
  if (!base) doc.destroy();
  return update ?? Y.encodeStateAsUpdate(new Y.Doc());
}

/** Every term of the draft: the single numbers and the structured ones (table, causes, allocation). */
export function draftTerms(doc: Y.Doc): Record<string, unknown> {
  return doc.getMap<unknown>("terms").toJSON();
}

export const STRUCTURED_TERM_KEYS = ["pieceRateTable", "penaltyExcludedCauses", "allocation", "commissionShownPerOrder", "penaltyRules", "algorithms", "roundingRule", "occupationalInjury", "rewardRules"] as const;

export type TextChange = { kind: "same" | "added" | "removed"; text: string };

/**
 * The cost bounds of a text comparison (issue 19, item 3). Myers' algorithm costs about
 * (N + M) · D for D edits, so an unbounded character diff of two long, different texts blocks the
 * process for seconds. Texts are compared line by line (paragraphs) with at most `maxLineEdits`
 * edits; a replaced paragraph is refined character by character (Chinese has no spaces between
 * words) only when both sides together are at most `refineMaxChars` long and differ in at most
 * `refineMaxEdits` characters, for at most `refineBudgetChars` characters (attempted) and
 * `refineTimeoutMs` of refinement per comparison; the paragraph comparison itself stops after
 * `lineTimeoutMs` (then: too large). A refinement that runs out of time leaves the rest of the
 * paragraphs whole, so what is shown may be coarser on a busy machine, never wrong. The bench
 * (tests/bench/text-diff.ts) measures the worst cases against the 200 ms goal.
 */
export const TEXT_DIFF_BOUNDS = { maxLineEdits: 2_000, refineMaxChars: 4_000, refineMaxEdits: 400, refineBudgetChars: 200_000, lineTimeoutMs: 80, refineTimeoutMs: 80 } as const;

const change = (part: ChangeObject<string>): TextChange => ({ kind: part.added ? "added" : part.removed ? "removed" : "same", text: part.value });

/**
 * Differences between two texts: paragraphs, refined to characters where that stays cheap; null
 * when the texts differ too much to compare inline (the caller offers both texts instead).
 */
export function diffText(before: string, after: string): TextChange[] | null {
  const bounds = TEXT_DIFF_BOUNDS;
  const lines = diffLines(before, after, { maxEditLength: bounds.maxLineEdits, timeout: bounds.lineTimeoutMs });
  if (!lines) return null;
  const out: TextChange[] = [];
  let budget = bounds.refineBudgetChars;
  const deadline = Date.now() + bounds.refineTimeoutMs;
  /** One removed and one added text, by characters if small and close enough, else whole. */
  const refine = (removed: string, added: string) => {
    const size = removed.length + added.length;
    const left = deadline - Date.now();
    let chars: ChangeObject<string>[] | undefined;
    if (size <= bounds.refineMaxChars && size <= budget && left > 0) {
      // Counted whether or not it succeeds: an attempt costs what it costs.
      budget -= size;
      chars = diffChars(removed, added, { maxEditLength: bounds.refineMaxEdits, timeout: left });
    }
    if (chars) {
      out.push(...chars.map(change));
    } else {
      out.push({ kind: "removed", text: removed }, { kind: "added", text: added });
    }
  };
  for (let index = 0; index < lines.length; index += 1) {
    const part = lines[index]!;
    const next = lines[index + 1];
    if (part.removed && next?.added) {
      // A block of replaced paragraphs: paragraph by paragraph when the counts match.
      const removedLines = part.value.split(/(?<=\n)/);
      const addedLines = next.value.split(/(?<=\n)/);
      if (removedLines.length === addedLines.length) removedLines.forEach((line, at) => refine(line, addedLines[at]!));
      else refine(part.value, next.value);
      index += 1;
      continue;
    }
    out.push(change(part));
  }
  return out;
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

/**
 * Makes `target` read as `source` (a saved version): the body's paragraphs replaced by copies of
 * the version's, each term set to the version's value and terms the version did not have removed.
 * Run inside one Yjs transaction, it is one new edit on top of the history, never a rewrite of it.
 */
export function restoreDraftFrom(target: Y.Doc, source: Y.Doc): void {
  target.transact(() => {
    const body = target.getXmlFragment("body");
    const saved = source.getXmlFragment("body");
    if (body.length) body.delete(0, body.length);
    const copies = saved.toArray().map((node) => (node instanceof Y.XmlElement || node instanceof Y.XmlText ? node.clone() : null)).filter((node): node is Y.XmlElement | Y.XmlText => node !== null);
    if (copies.length) body.insert(0, copies);
    const terms = target.getMap<unknown>("terms");
    const wanted = source.getMap<unknown>("terms");
    for (const key of [...terms.keys()]) if (!wanted.has(key)) terms.delete(key);
    for (const [key, value] of wanted.entries()) {
      if (canonicalJson(terms.get(key)) !== canonicalJson(value)) terms.set(key, value);
    }
  });
}
