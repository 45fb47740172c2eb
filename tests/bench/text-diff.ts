/**
 * Benchmark (issue 19, item 3): the CPU time of one text comparison ("what changed" on a notice,
 * version compare), worst cases first, against the goal of 200 ms per request. In-process, no
 * database. Each case runs `RUNS` times; the report gives the median and the maximum CPU time
 * (process.cpuUsage: user + system) of one `whatChanged` call, which is the whole comparison a
 * notice page makes (terms field by field, paragraphs, the bounded text diff).
 *
 *   npx tsx tests/bench/text-diff.ts        (or `npm run bench`)
 *
 * Output: a table on stdout, tests/bench/results/text-diff.json and text-diff.md. Exits 0 whatever
 * the timings (targets live in the report, never in assertions).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { diffChars } from "diff";
import { whatChanged } from "../../app/domain/notice.ts";
import { TEXT_DIFF_BOUNDS } from "../../app/domain/draft-text.ts";
import { DEMO_BODY, DEMO_IN_FORCE_TERMS, DEMO_TERMS } from "../../prisma/demo-scenario.ts";

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
const RUNS = Number(process.env.XS_BENCH_RUNS ?? 9);
const GOAL_MS = 200;

let seed = 7;
const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
const HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经";
const random = (chars: number, lineEvery = 0) => {
  let text = "";
  for (let index = 0; index < chars; index += 1) text += lineEvery && index % lineEvery === lineEvery - 1 ? "\n" : HAN[next() % HAN.length];
  return text;
};

type Case = { name: string; before: string; after: string };
const seededText = DEMO_BODY.join("\n");
const cases: Case[] = [
  { name: "two 100 KB random texts, one paragraph each", before: random(100_000), after: random(100_000) },
  { name: "two 100 KB random texts, a paragraph every 50 characters", before: random(100_000, 50), after: random(100_000, 50) },
  { name: "two 100 KB random texts, a paragraph every 2,000 characters", before: random(100_000, 2_000), after: random(100_000, 2_000) },
  { name: "a 100 KB text and the same with every paragraph edited", ...(() => { const before = random(100_000, 1_000); return { before, after: before.split("\n").map((line) => `${line.slice(0, 500)}改${line.slice(501)}`).join("\n") }; })() },
  { name: "the largest seeded agreement against its next round", before: seededText, after: DEMO_BODY.map((line, index) => (index % 2 ? line : `${line}（修订）`)).join("\n") },
];

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows = cases.map((item) => {
  const times: number[] = [];
  let tooLarge = false;
  for (let run = 0; run < RUNS; run += 1) {
    times.push(cpuMs(() => {
      const changes = whatChanged({ text: item.before, terms: item.name.includes("seeded") ? DEMO_IN_FORCE_TERMS : {} }, { text: item.after, terms: item.name.includes("seeded") ? DEMO_TERMS : {} });
      tooLarge = changes.textTooLarge;
    }));
  }
  return { name: item.name, chars: item.before.length + item.after.length, medianMs: median(times), maxMs: Math.max(...times), tooLarge, underGoal: Math.max(...times) < GOAL_MS };
});

// For comparison: what the old unbounded character diff costs on a small random pair (10 KB each;
// the 100 KB pair takes minutes), measured once.
const oldSmall = cpuMs(() => diffChars(random(10_000), random(10_000)));

const table = [
  "| case | characters | median CPU | max CPU | result | under 200 ms |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows.map((row) => `| ${row.name} | ${row.chars.toLocaleString("en")} | ${row.medianMs.toFixed(1)} ms | ${row.maxMs.toFixed(1)} ms | ${row.tooLarge ? "too large to compare inline" : "compared"} | ${row.underGoal ? "yes" : "**no**"} |`),
].join("\n");
const worst = Math.max(...rows.map((row) => row.maxMs));
const md = `## Text comparison ("what changed", version compare)

${new Date().toISOString()}, \`tests/bench/text-diff.ts\`: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, Node ${process.version}; ${RUNS} runs per case, CPU time of one \`whatChanged\` call.

Bounds (\`TEXT_DIFF_BOUNDS\`, app/domain/draft-text.ts): ${TEXT_DIFF_BOUNDS.maxLineEdits.toLocaleString("en")} paragraph edits within ${TEXT_DIFF_BOUNDS.lineTimeoutMs} ms, refined to characters for pairs up to ${TEXT_DIFF_BOUNDS.refineMaxChars.toLocaleString("en")} characters and ${TEXT_DIFF_BOUNDS.refineMaxEdits} character edits, at most ${TEXT_DIFF_BOUNDS.refineBudgetChars.toLocaleString("en")} characters and ${TEXT_DIFF_BOUNDS.refineTimeoutMs} ms of refinement per comparison. Goal: under ${GOAL_MS} ms of CPU per comparison. Each comparison of two versions is then cached (versions never change).

${table}

Worst case: **${worst.toFixed(1)} ms**. The old unbounded character diff took ${oldSmall.toFixed(0)} ms of CPU for two random 10 KB texts (its cost grows with the product of length and differences; two 15 KB texts took 29 s in the issue's report).
`;
fs.mkdirSync(RESULTS_DIR, { recursive: true });
fs.writeFileSync(path.join(RESULTS_DIR, "text-diff.md"), md);
fs.writeFileSync(path.join(RESULTS_DIR, "text-diff.json"), `${JSON.stringify({ measuredAt: new Date().toISOString(), goalMs: GOAL_MS, bounds: TEXT_DIFF_BOUNDS, cases: rows, worstMs: worst, oldUnboundedSmallMs: oldSmall }, null, 2)}\n`);
console.log(md);
