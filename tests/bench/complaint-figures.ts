/**
 * Benchmark: the complaint figures of a notice (issue 25, item 3), side by side in one run.
 *
 *   npx tsx tests/bench/complaint-figures.ts        (or `npm run bench`)
 *
 * Creates a scratch database (xs_bench_complaints_<timestamp>) on the PostgreSQL server at
 * 127.0.0.1:5432 (or XS_BENCH_PG_URL), migrates it with the project's migration runner and fills
 * it with bulk SQL: 100,000 cases on one notice over 25 clauses (a fifth unanswered, the rest
 * answered between 0 and 48 hours after filing, against a 24-hour due time) and 400,000 on 40
 * other notices. Then it measures, alternating, over the same rows:
 *
 * - the grouped query the notice page and the API use (`noticeComplaintTotals`: counts and
 *   `percentile_cont` per clause, on the (noticeId, clause) index), and
 * - reading every case of the notice and applying the rule in the domain (`clauseTotals`), which is
 *   what a first version did.
 *
 * Reports the median and p95 of each (20 calls after 3 unmeasured) and their ratio, and checks that
 * both give the same figures. XS_BENCH_SCALE=0.1 scales the counts. The database is dropped at the
 * end. Output: tests/bench/results/complaint-figures.{json,md}.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const THIS_FILE = fileURLToPath(import.meta.url);
const RESULTS_DIR = path.join(path.dirname(THIS_FILE), "results");
const PG_SERVER = process.env.XS_BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SCALE = Number(process.env.XS_BENCH_SCALE ?? 1);
const COUNTS = { cases: Math.round(100_000 * SCALE), otherCases: Math.round(400_000 * SCALE), clauses: 25, otherNotices: 40 };
const ITERATIONS = 20;

const fmt = (ms: number) => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<number> {
  const name = `xs_bench_complaints_${Date.now()}`;
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  const cpus = os.cpus();
  console.log(`Complaint figures benchmark — ${cpus.length} × ${cpus[0]?.model.trim()}, Node ${process.version}${SCALE !== 1 ? ` (scale ${SCALE})` : ""}`);
  const { applyMigrations } = await import("../../prisma/scripts/schema-engine.ts");
  let rows: Array<{ approach: string; call: string; median: number; p95: number }> = [];
  let same = false;
  try {
    await applyMigrations(url.toString());
    process.env.DATABASE_URL = url.toString();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(`INSERT INTO "User" (id, email, "displayName", "passwordHash", phone, "createdAt", "updatedAt") VALUES ('bench-worker', NULL, 'bench', NULL, '+8613900000000', now(), now())`);
      // One notice with COUNTS.cases cases, 40 others sharing COUNTS.otherCases; clauses c0…c24.
      const fill = (notice: string, count: number, offset: number) =>
        client.query(
          `INSERT INTO "ComplaintCase" (id, number, "receiptHash", kind, state, "noticeId", "noticeVersionId", clause, "happenedOn", body, "identityShared", "workerId", "platformOrganizationId", "unionOrganizationIds", "filedAt", "dueAt", "responseSource", "answeredAt")
           SELECT 'case' || i, 'C-' || i, md5(i::text), 'COMPLAINT', 'FILED', ${notice}, 'v', 'c' || (i % ${COUNTS.clauses}), '2026-12-01', 'bench', false, 'bench-worker', 'p', '{}',
                  now() - (i % 300) * interval '1 day', now() - (i % 300) * interval '1 day' + interval '24 hours', 'AGREEMENT',
                  CASE WHEN i % 5 = 0 THEN NULL ELSE now() - (i % 300) * interval '1 day' + (random() * 48) * interval '1 hour' END
             FROM generate_series(${offset} + 1, ${offset} + ${count}) AS i`,
        );
      await fill("'bench-notice'", COUNTS.cases, 0);
      await fill(`'other-' || (i % ${COUNTS.otherNotices})`, COUNTS.otherCases, COUNTS.cases);
      await client.query(`ANALYZE "ComplaintCase"`);
    } finally {
      await client.end();
    }
    const { getDb, disconnectDb } = await import("../../app/infra/db.server.ts");
    try {
      const { noticeComplaintTotals } = await import("../../app/models/complaint.server.ts");
      const { clauseTotals } = await import("../../app/domain/complaints.ts");
      const grouped = () => noticeComplaintTotals("bench-notice");
      const caseByCase = async () => clauseTotals(await getDb().complaintCase.findMany({ where: { noticeId: "bench-notice" }, select: { clause: true, filedAt: true, answeredAt: true, dueAt: true } }));
      const round = (totals: Awaited<ReturnType<typeof grouped>>) => totals.map((row) => ({ ...row, medianHours: row.medianHours === null ? null : Math.round(row.medianHours * 1000) / 1000 })).sort((a, b) => (a.clause < b.clause ? -1 : 1));
      same = JSON.stringify(round(await grouped())) === JSON.stringify(round(await caseByCase()));
      const times: Record<"grouped" | "caseByCase", number[]> = { grouped: [], caseByCase: [] };
      for (let index = 0; index < ITERATIONS + 3; index++) {
        // Alternated, so that both see the same machine.
        for (const [key, run] of (index % 2 ? [["grouped", grouped], ["caseByCase", caseByCase]] : [["caseByCase", caseByCase], ["grouped", grouped]]) as Array<["grouped" | "caseByCase", () => Promise<unknown>]>) {
          const started = performance.now();
          await run();
          if (index >= 3) times[key].push(performance.now() - started);
        }
      }
      rows = [
        { approach: "grouped query (what the notice and the API use)", call: "noticeComplaintTotals", median: median(times.grouped), p95: quantile(times.grouped, 0.95) },
        { approach: "every case read, the rule applied in the domain", call: "findMany + clauseTotals", median: median(times.caseByCase), p95: quantile(times.caseByCase, 0.95) },
      ];
    } finally {
      await disconnectDb();
    }
  } finally {
    const drop = new pg.Client({ connectionString: PG_SERVER });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((error) => console.error("could not drop the benchmark database:", error));
    await drop.end();
  }
  const ratio = rows.length === 2 ? rows[1]!.median / rows[0]!.median : null;
  const report = { generatedAt: new Date().toISOString(), machine: { cpus: cpus.length, model: cpus[0]?.model.trim() ?? "unknown", node: process.version, loadAverage: os.loadavg() }, counts: COUNTS, scale: SCALE, iterations: ITERATIONS, results: rows, sameFigures: same, ratio };
  const md = [
    "## Complaint figures of a notice",
    "",
    `${report.generatedAt}, \`tests/bench/complaint-figures.ts\`: ${cpus.length} × ${report.machine.model}, Node ${process.version}; load average at the end ${report.machine.loadAverage.map((v) => v.toFixed(2)).join(" / ")} (shared machine).${SCALE !== 1 ? ` **Scaled by ${SCALE}.**` : ""}`,
    "",
    `Method: ${COUNTS.cases.toLocaleString("en")} cases on one notice over ${COUNTS.clauses} clauses (a fifth unanswered), ${COUNTS.otherCases.toLocaleString("en")} on ${COUNTS.otherNotices} other notices; each approach called ${ITERATIONS} times after 3 unmeasured, alternating. Same figures from both: ${same ? "yes" : "**NO**"}.`,
    "",
    "| approach | call | median | p95 |",
    "| --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row.approach} | \`${row.call}\` | ${fmt(row.median)} | ${fmt(row.p95)} |`),
    "",
    ratio === null ? "" : `Reading every case takes ${ratio.toFixed(1)}× the grouped query's median time.`,
    "",
  ].join("\n");
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, "complaint-figures.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, "complaint-figures.md"), md);
  console.log(`\n${md}`);
  return rows.length === 2 && same ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error);
}
process.exit(code);
