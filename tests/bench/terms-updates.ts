/**
 * Benchmark: what checking one update of the draft's terms costs the realtime server, as the
 * document grows (issue 18, item 4). In-process, no network, no database: only the check.
 *
 *   OLD  the check realtime/collab.ts had before: re-encode the whole live document into a fresh
 *        copy, apply the update there, validate the copy's terms (`oldCheckOnCopy`, kept below).
 *   NEW  realtime/terms-guard.ts: resolve which roots the update touches (`touchedRoots`), apply it
 *        to the room's shadow document, validate the shadow's terms (`TermsShadow.admit`).
 *
 * For each document (text of ~1 KB, ~100 KB and ~1 MB in the `body` fragment, and a long history of
 * single-character edits) it times, interleaved, the same stream of valid term overwrites through
 * both, then a stream of one-character text edits (OLD: the old guard alone, which decoded the
 * update and found no `terms` parent; NEW: the guard and the shadow apply). Median, p90 and runs.
 *
 *   npx tsx tests/bench/terms-updates.ts        (or `npm run bench`; XS_BENCH_QUICK=1 for a quick check)
 *
 * Output: a table on stdout, tests/bench/results/terms-updates.json and terms-updates.md. Exits 0
 * whatever the timings; 1 only if OLD and NEW disagree on an update's verdict.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as Y from "yjs";
import { termsSchema } from "../../app/domain/terms.ts";
import { TermsShadow } from "../../realtime/terms-guard.ts";

const THIS_FILE = fileURLToPath(import.meta.url);
const RESULTS_DIR = path.join(path.dirname(THIS_FILE), "results");
const QUICK = process.env.XS_BENCH_QUICK === "1";
/** Timed runs per measurement (after the warm-up), unless the budget runs out first (at least MIN_RUNS). */
const RUNS = QUICK ? 30 : 200;
const MIN_RUNS = 15;
const WARM_UP = 5;
const BUDGET_MS = QUICK ? 3_000 : 20_000;
const HISTORY_EDITS = QUICK ? 5_000 : 50_000;

// ---------------------------------------------------------------------------------------------
// The old check, as realtime/collab.ts had it (`invalidTerms`), split in its two parts so that its
// cost when it checks can be timed: its guard recognised only a struct whose parent is named
// "terms" (a new key), so it never checked an overwrite, which is what the streams below send.

/** The old guard: a struct whose decoded parent is the root name "terms". */
function oldTouchesTerms(update: Uint8Array): boolean {
  return Y.decodeUpdate(update).structs.some((struct) => "parent" in struct && (struct.parent as unknown) === "terms");
}

/** The old check itself: the whole document re-encoded into a copy, the update applied, the copy's terms validated. */
function oldCheckOnCopy(doc: Y.Doc, update: Uint8Array): string | null {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(copy, update);
    const result = termsSchema.safeParse(copy.getMap("terms").toJSON());
    return result.success ? null : String(result.error.issues[0]?.path[0] ?? "terms");
  } finally {
    copy.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Documents

const TERMS = {
  pieceRateBaseFen: 650,
  pieceRateNightSurchargeFen: 100,
  badWeatherSubsidyFen: 200,
  holidayMultiplierBp: 20_000,
  commissionCapBp: 1_500,
  maxContinuousMinutes: 240,
  restAfterContinuousMinutes: 20,
  maxDailyMinutes: 600,
  waitingAllowanceMinutes: 30,
  penaltyCapFen: 5_000,
  appealWindowDays: 7,
  allocation: { medianEstimate: true, dispatchRadiusMetres: 3_000, maxConcurrentOrders: 3 },
  pieceRateTable: [
    { orderType: "STANDARD", fromMetres: 0, toMetres: 3_000, timeBand: "ALL_DAY", priceFen: 650 },
    { orderType: "STANDARD", fromMetres: 3_000, toMetres: 6_000, timeBand: "ALL_DAY", priceFen: 850 },
    { orderType: "URGENT", fromMetres: 0, toMetres: 3_000, timeBand: "PEAK", priceFen: 900 },
  ],
  penaltyRules: [{ kind: "LATE_DELIVERY", amountFen: 200, monthlyCapFen: 2_000, appealWindowDays: 7, excludedCauses: ["BAD_WEATHER", "TRAFFIC_CONTROL"] }],
};

const PARAGRAPH = "第一条 本协议所称计件单价，是指平台企业按照每单配送向劳动者支付的基本报酬，不含恶劣天气补贴与夜间加价。".repeat(8).slice(0, 340); // ~1 KB in UTF-8

/** A draft whose body holds `paragraphs` paragraphs of ~1 KB each, with the terms above. */
function draftOfParagraphs(paragraphs: number): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const terms = doc.getMap("terms");
    for (const [key, value] of Object.entries(TERMS)) terms.set(key, value);
    const body = doc.getXmlFragment("body");
    for (let i = 0; i < paragraphs; i += 1) {
      const paragraph = new Y.XmlElement("paragraph");
      body.push([paragraph]);
      paragraph.insert(0, [new Y.XmlText(PARAGRAPH)]);
    }
  });
  return doc;
}

/** A draft built by `edits` one-character edits (a tenth of them deletions) at random places, one update each, by three clients. */
function draftOfHistory(edits: number): Y.Doc {
  const writers = [draftOfParagraphs(1)];
  for (let i = 0; i < 2; i += 1) {
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(writers[0]!));
    writers.push(writer);
  }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(writers[0]!));
  let seed = 0x5eed;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return Math.floor((seed / 2 ** 32) * n);
  };
  for (let i = 0; i < edits; i += 1) {
    const writer = writers[i % writers.length]!;
    const body = writer.getXmlFragment("body");
    const update = captured(writer, () => {
      if (i % 200 === 0) {
        const paragraph = new Y.XmlElement("paragraph");
        body.insert(random(body.length + 1), [paragraph]);
        paragraph.insert(0, [new Y.XmlText("")]);
      }
      const text = (body.get(random(body.length)) as Y.XmlElement).get(0) as Y.XmlText;
      if (i % 10 === 9 && text.length > 0) text.delete(random(text.length), 1);
      else text.insert(random(text.length + 1), "协商"[i % 2]!);
    });
    // Every writer gets every edit, as through the server.
    for (const other of writers) if (other !== writer) Y.applyUpdate(other, update);
    Y.applyUpdate(doc, update);
  }
  for (const writer of writers) writer.destroy();
  if (doc.store.pendingStructs || doc.store.pendingDs) throw new Error("the history left pending structs");
  return doc;
}

function captured(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  doc.on("update", capture);
  doc.transact(change);
  doc.off("update", capture);
  if (!update) throw new Error("the change made no update");
  return update;
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Stats = { medianMs: number; p90Ms: number; minMs: number; runs: number };
type Row = {
  document: string;
  textBytes: number;
  encodedBytes: number;
  structs: number;
  termsUpdate: { old: Stats; new: Stats; ratio: number };
  textUpdate: { old: Stats; new: Stats };
};

function statsOf(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { medianMs: at(0.5), p90Ms: at(0.9), minMs: sorted[0]!, runs: sorted.length };
}

const now = () => performance.now();

function structCount(doc: Y.Doc): number {
  let count = 0;
  for (const structs of doc.store.clients.values()) count += structs.length;
  return count;
}

function textBytesOf(doc: Y.Doc): number {
  return Buffer.byteLength(doc.getXmlFragment("body").toString(), "utf8");
}

/**
 * Times OLD and NEW, interleaved, on the same stream of updates made by an editor replica: each
 * update is then applied to the live document (untimed), as the server does once it is stored.
 */
function measure(name: string, live: Y.Doc): Row {
  const state = Y.encodeStateAsUpdate(live);
  // The document as it was before the runs (which add a term value and a character each).
  const size = { textBytes: textBytesOf(live), encodedBytes: state.byteLength, structs: structCount(live) };
  const shadow = new TermsShadow(state);
  const editor = new Y.Doc();
  Y.applyUpdate(editor, state);
  const terms = { old: [] as number[], new: [] as number[] };
  const text = { old: [] as number[], new: [] as number[] };
  const started = now();
  let disagreements = 0;
  for (let run = 0; run < WARM_UP + RUNS; run += 1) {
    if (run >= WARM_UP + MIN_RUNS && now() - started > BUDGET_MS) break;
    // A valid overwrite of a term: an origin, no parent (what the form sends for an existing key).
    const termsUpdate = captured(editor, () => editor.getMap("terms").set("pieceRateBaseFen", 600 + (run % 100)));
    let t = now();
    const oldVerdict = oldCheckOnCopy(live, termsUpdate);
    const oldMs = now() - t;
    t = now();
    const newVerdict = shadow.admit(termsUpdate);
    const newMs = now() - t;
    if (oldVerdict !== newVerdict) disagreements += 1;
    Y.applyUpdate(live, termsUpdate);
    // A one-character text edit in the middle of the body.
    const body = editor.getXmlFragment("body");
    const paragraph = body.get(Math.floor(body.length / 2)) as Y.XmlElement;
    const textUpdate = captured(editor, () => (paragraph.get(0) as Y.XmlText).insert(1, "改"));
    t = now();
    const oldTouched = oldTouchesTerms(textUpdate);
    const oldTextMs = now() - t;
    t = now();
    const newTextVerdict = shadow.admit(textUpdate);
    const newTextMs = now() - t;
    if (oldTouched || newTextVerdict !== null) disagreements += 1;
    Y.applyUpdate(live, textUpdate);
    if (run >= WARM_UP) {
      terms.old.push(oldMs);
      terms.new.push(newMs);
      text.old.push(oldTextMs);
      text.new.push(newTextMs);
    }
  }
  if (disagreements) throw new Error(`${name}: OLD and NEW disagreed on ${disagreements} update(s)`);
  shadow.destroy();
  editor.destroy();
  const old = statsOf(terms.old);
  const fresh = statsOf(terms.new);
  return {
    document: name,
    ...size,
    termsUpdate: { old, new: fresh, ratio: old.medianMs / fresh.medianMs },
    textUpdate: { old: statsOf(text.old), new: statsOf(text.new) },
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (value: number) => (value >= 100 ? `${Math.round(value)} ms` : value >= 1 ? `${value.toFixed(2)} ms` : `${(value * 1000).toFixed(0)} µs`);
const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);
const cell = (stats: Stats) => `${ms(stats.medianMs)} (p90 ${ms(stats.p90Ms)}, ${stats.runs} runs)`;

type Report = { generatedAt: string; quick: boolean; machine: Record<string, unknown>; rows: Row[] };

function markdown(report: Report): string {
  const m = report.machine;
  return [
    "## Terms update check benchmark",
    "",
    `${report.generatedAt}, \`tests/bench/terms-updates.ts\`${report.quick ? " (quick)" : ""}: ${m.cpus} × ${m.model}, Node ${m.node}, ${m.platform}; load average at the start ${(m.loadAverage as number[]).map((v) => v.toFixed(2)).join(" / ")}.`,
    "",
    "What the realtime server spends checking one update of the draft's terms before storing it, in-process (no network, no database). " +
      "OLD re-encodes the whole document into a copy, applies the update and validates the copy's terms (the check `realtime/collab.ts` had); " +
      "NEW resolves the roots the update touches, applies it to the room's shadow document and validates the shadow's terms (`realtime/terms-guard.ts`). " +
      "Both get the same stream of valid overwrites of `pieceRateBaseFen`, interleaved; median, p90 and timed runs after a warm-up.",
    "",
    "| document | text | encoded | structs | terms update: OLD | terms update: NEW | OLD / NEW |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.rows.map((row) => `| ${row.document} | ${kib(row.textBytes)} | ${kib(row.encodedBytes)} | ${row.structs.toLocaleString("en")} | ${cell(row.termsUpdate.old)} | ${cell(row.termsUpdate.new)} | ${row.termsUpdate.ratio.toFixed(1)}× |`),
    "",
    "A one-character text edit, for the other side of the ledger: OLD's guard only decoded the update (and let every overwrite of a term through unchecked); NEW also applies the edit to the shadow, which keeps it a mirror.",
    "",
    "| document | text update: OLD (guard only) | text update: NEW (guard + shadow apply) |",
    "| --- | --- | --- |",
    ...report.rows.map((row) => `| ${row.document} | ${cell(row.textUpdate.old)} | ${cell(row.textUpdate.new)} |`),
    "",
    "The old guard recognised only a struct whose parent is named `terms` (a new key): an overwrite, an edit inside a nested value and a deletion passed unchecked, so OLD's column is what its check cost whenever it did check. " +
      "NEW's cost per terms update follows the size of the update and of the terms, not of the document; the full re-encode now happens only when an update is refused (to rebuild the shadow). " +
      "The shadow doubles the memory a loaded document takes.",
  ].join("\n");
}

function main() {
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg(),
  };
  console.log(`Terms update check benchmark — ${machine.cpus} × ${machine.model}, Node ${machine.node}${QUICK ? " (quick)" : ""}`);
  const documents: Array<[string, () => Y.Doc]> = [
    ["~1 KB of text", () => draftOfParagraphs(1)],
    ["~100 KB of text", () => draftOfParagraphs(100)],
    ["~1 MB of text", () => draftOfParagraphs(1_000)],
    [`${HISTORY_EDITS.toLocaleString("en")} one-character edits`, () => draftOfHistory(HISTORY_EDITS)],
  ];
  const rows: Row[] = [];
  for (const [name, build] of documents) {
    const doc = build();
    const row = measure(name, doc);
    doc.destroy();
    rows.push(row);
    console.log(`${name}: text ${kib(row.textBytes)}, encoded ${kib(row.encodedBytes)}, ${row.structs} structs — terms update OLD ${cell(row.termsUpdate.old)}, NEW ${cell(row.termsUpdate.new)} (${row.termsUpdate.ratio.toFixed(1)}×); text update OLD ${cell(row.textUpdate.old)}, NEW ${cell(row.textUpdate.new)}`);
  }
  const report: Report = { generatedAt: new Date().toISOString(), quick: QUICK, machine, rows };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, "terms-updates.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, "terms-updates.md"), `${markdown(report)}\n`);
  console.log(`\n${markdown(report)}`);
}

main();
