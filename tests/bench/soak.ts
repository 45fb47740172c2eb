/**
 * Soak (issue 8): 200 clients editing drafts and 1,000 notice readers against one real server for
 * 10 minutes, on loopback only, bounded in count and time. Checks that nothing errors, that every
 * acknowledged edit is in the stored document at the end and all replicas converge, and reports
 * memory and latency per window so that drift shows.
 *
 *   npx tsx tests/bench/soak.ts            (part of `npm run bench`)
 *
 * Environment: XS_SOAK_SECONDS (default 600), XS_SOAK_EDITORS (200), XS_SOAK_READERS (1000),
 * XS_SOAK_WINDOW_SECONDS (30), XS_SOAK_READ_PATHS (read these pages instead of a published notice). Database: a scratch database xs_soak_<timestamp> on the PostgreSQL
 * server at TEST_DATABASE_URL / DATABASE_URL / 127.0.0.1:5432, dropped at the end. The server is the
 * real one (build/index.js, the production bundle) in a child process, so its memory is measured alone.
 *
 * Output: tests/bench/results/soak.json and soak.md. Exits 1 if an error occurred, an acknowledged
 * edit is missing or replicas diverge; timings never fail the run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { loginAs, sessionInBargaining, VALID_TERMS, writeTerms } from "../support/sessions.ts";
import { YjsTestClient } from "../support/yjs-client.ts";

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), "../..");
const RESULTS_DIR = path.join(path.dirname(THIS_FILE), "results");
const SECONDS = Number(process.env.XS_SOAK_SECONDS ?? 600);
const EDITORS = Number(process.env.XS_SOAK_EDITORS ?? 200);
const READERS = Number(process.env.XS_SOAK_READERS ?? 1000);
const WINDOW_SECONDS = Number(process.env.XS_SOAK_WINDOW_SECONDS ?? 30);
const EDITORS_PER_DOCUMENT = 20;
/** Each editor types one character every 2 s ± 0.5 s; each reader reads a page every 5 s ± 2 s. */
const EDIT_INTERVAL_MS = 2_000;
const READ_INTERVAL_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (base: number, spread: number) => base - spread + Math.random() * 2 * spread;

function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (value: number | null, digits = 1) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Resident memory of a process and its descendants. */
function rssMb(pid: number): number | null {
  const rssOf = (id: number): number => {
    let total = 0;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${id}/status`, "utf8"));
      total += match ? Number(match[1]) : 0;
      for (const task of fs.readdirSync(`/proc/${id}/task`)) {
        const children = fs.readFileSync(`/proc/${id}/task/${task}/children`, "utf8").trim();
        for (const child of children ? children.split(/\s+/) : []) total += rssOf(Number(child));
      }
    } catch {
      // The process ended between listing and reading.
    }
    return total;
  };
  const kb = rssOf(pid);
  return kb ? kb / 1024 : null;
}

async function findServerUrl(): Promise<string> {
  for (const candidate of [process.env.TEST_DATABASE_URL, process.env.DATABASE_URL, "postgresql://postgres@127.0.0.1:5432/postgres"]) {
    if (!candidate) continue;
    const client = new pg.Client({ connectionString: candidate, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.end();
      return candidate;
    } catch {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error("the soak needs a PostgreSQL server (TEST_DATABASE_URL, DATABASE_URL or 127.0.0.1:5432)");
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

type Window = { second: number; rssMb: number | null; edits: number; editP50: number | null; editP99: number | null; reads: number; readP50: number | null; readP99: number | null; errors: number };

async function main() {
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) {
    const built = spawnSync("npx", ["remix", "build"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("remix build failed");
  }
  const serverUrl = await findServerUrl();
  const database = `xs_soak_${Date.now()}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  // An idle client's connection ended by the server (another job on the shared machine) must not crash the soak.
  admin.on("error", (error) => console.error(`admin connection: ${error.message}`));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const databaseUrl = withDatabase(serverUrl, database);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let server: ChildProcess | null = null;
  const clients: YjsTestClient[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: READERS });
  let exitCode = 0;
  try {
    server = spawn(process.execPath, ["build/index.js"], {
      cwd: ROOT,
      // XS_TRUST_PROXY: the setup logs in many times from loopback; the test browser gives each login its own X-Forwarded-For.
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", XS_DEMO: "1", XS_DEMO_SCENARIO: "0", XS_TRUST_PROXY: "1", NODE_ENV: "production", REDIS_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let serverLog = "";
    server.stdout!.on("data", (chunk) => (serverLog += chunk));
    server.stderr!.on("data", (chunk) => (serverLog += chunk));
    const started = Date.now();
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited:\n${serverLog}`);
      const ok = await fetch(`${baseUrl}/healthz`).then((response) => response.ok).catch(() => false);
      if (ok) break;
      if (Date.now() - started > 120_000) throw new Error(`the server did not start:\n${serverLog}`);
      await sleep(250);
    }
    // A pool, not one client: a connection ended by the server (another job on the shared machine) is replaced.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on("error", (error) => console.error(`setup connection: ${error.message}`));
    const db = pool as unknown as pg.Client;

    // Drafts to edit: one session per 20 editors, all bargaining.
    const documents = Math.max(1, Math.ceil(EDITORS / EDITORS_PER_DOCUMENT));
    const sessionIds: string[] = [];
    for (let index = 0; index < documents; index += 1) sessionIds.push(await sessionInBargaining(baseUrl, db, `压力测试 ${index}`));

    // A published notice to read, through the whole procedure (the review period moved back by SQL, then a read lets the clock act).
    // XS_SOAK_READ_PATHS (comma-separated) reads given pages instead, for a quick check of the soak itself.
    // Its own session: a published agreement's draft is no longer editable.
    const readPaths = process.env.XS_SOAK_READ_PATHS ? process.env.XS_SOAK_READ_PATHS.split(",") : await publishNotice(baseUrl, db, await sessionInBargaining(baseUrl, db, "压力测试 公示"));
    console.log(`Soak: ${EDITORS} editors on ${documents} drafts, ${READERS} readers of ${readPaths.join(", ")}, ${SECONDS} s.`);

    const cookie = (await loginAs(baseUrl, "unionNegotiator")).cookies.get("xs_session")!;
    for (let index = 0; index < EDITORS; index += 1) {
      const client = new YjsTestClient(baseUrl, sessionIds[index % documents]!, cookie);
      const joined = await client.join();
      if (!joined.ok) throw new Error(`editor ${index} could not join: ${JSON.stringify(joined)}`);
      clients.push(client);
    }

    const editLatencies: number[] = [];
    const readLatencies: number[] = [];
    let errors = 0;
    const errorSamples: string[] = [];
    const acknowledged = new Map<string, number>(); // session → characters acknowledged
    const noteError = (what: string) => {
      errors += 1;
      if (errorSamples.length < 10) errorSamples.push(what);
    };
    const endAt = Date.now() + SECONDS * 1000;

    const editor = async (client: YjsTestClient, index: number) => {
      await sleep(Math.random() * EDIT_INTERVAL_MS);
      while (Date.now() < endAt) {
        const begin = performance.now();
        try {
          const ack = await client.change((doc) => {
            const text = doc.getText("soak");
            text.insert(Math.floor(Math.random() * (text.length + 1)), String.fromCharCode(0x4e00 + (index % 500)));
          });
          if (ack.ok) {
            editLatencies.push(performance.now() - begin);
            acknowledged.set(client.sessionId, (acknowledged.get(client.sessionId) ?? 0) + 1);
          } else noteError(`edit refused: ${JSON.stringify(ack)}`);
        } catch (error) {
          noteError(`edit failed: ${(error as Error).message}`);
        }
        await sleep(jitter(EDIT_INTERVAL_MS, 500));
      }
    };
    const etags = new Map<string, string>();
    const reader = async (index: number) => {
      await sleep(Math.random() * READ_INTERVAL_MS);
      while (Date.now() < endAt) {
        const target = readPaths[index % readPaths.length]!;
        const begin = performance.now();
        // As browsers do, an idempotent GET whose reused keep-alive connection the server had just
        // closed (ECONNRESET on a reused socket) is sent once more on a fresh connection.
        const get = () => new Promise<number>((resolve, reject) => {
            const etag = etags.get(target);
            // Half the readers come back with the page cached, as phones do.
            const headers: Record<string, string> = { "Accept-Encoding": "gzip, br", "Accept-Language": "zh-CN" };
            if (etag && index % 2 === 0) headers["If-None-Match"] = etag;
            const request = http.get(`${baseUrl}${target}`, { agent, headers, timeout: 30_000 }, (response) => {
              const tag = response.headers.etag;
              if (typeof tag === "string") etags.set(target, tag);
              response.resume();
              response.on("end", () => resolve(response.statusCode ?? 0));
            });
            request.on("timeout", () => request.destroy(new Error("timeout")));
            request.on("error", (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reused: request.reusedSocket })));
          });
        try {
          const status = await get().catch((error: NodeJS.ErrnoException & { reused?: boolean }) => {
            if (error.code === "ECONNRESET" && error.reused) return get();
            throw error;
          });
          if (status === 200 || status === 304) readLatencies.push(performance.now() - begin);
          else noteError(`read ${target}: HTTP ${status}`);
        } catch (error) {
          noteError(`read ${target}: ${(error as Error).message}`);
        }
        await sleep(jitter(READ_INTERVAL_MS, 2_000));
      }
    };

    const windows: Window[] = [];
    const startedAt = Date.now();
    const sampler = (async () => {
      let editsSeen = 0;
      let readsSeen = 0;
      let errorsSeen = 0;
      while (Date.now() < endAt) {
        await sleep(Math.min(WINDOW_SECONDS * 1000, Math.max(0, endAt - Date.now())));
        const edits = editLatencies.slice(editsSeen);
        const reads = readLatencies.slice(readsSeen);
        editsSeen = editLatencies.length;
        readsSeen = readLatencies.length;
        const window: Window = {
          second: Math.round((Date.now() - startedAt) / 1000),
          rssMb: round(rssMb(server!.pid!)),
          edits: edits.length,
          editP50: round(percentile(edits, 50)),
          editP99: round(percentile(edits, 99)),
          reads: reads.length,
          readP50: round(percentile(reads, 50)),
          readP99: round(percentile(reads, 99)),
          errors: errors - errorsSeen,
        };
        errorsSeen = errors;
        windows.push(window);
        console.log(JSON.stringify(window));
      }
    })();
    await Promise.all([...clients.map((client, index) => editor(client, index)), ...Array.from({ length: READERS }, (_, index) => reader(index)), sampler]);

    // Nothing acknowledged is lost, and every replica converges: a fresh client per document reads what the server stored.
    await sleep(2_000);
    const integrity: Array<{ sessionId: string; acknowledged: number; stored: number; replicasAgree: boolean }> = [];
    for (const sessionId of sessionIds) {
      const probe = new YjsTestClient(baseUrl, sessionId, cookie);
      await probe.join();
      const stored = probe.doc.getText("soak").toString();
      const replicas = clients.filter((client) => client.sessionId === sessionId).map((client) => client.doc.getText("soak").toString());
      integrity.push({ sessionId, acknowledged: acknowledged.get(sessionId) ?? 0, stored: [...stored].length, replicasAgree: replicas.every((text) => text === stored) });
      probe.close();
    }
    const lost = integrity.reduce((sum, row) => sum + Math.max(0, row.acknowledged - row.stored), 0);
    const diverged = integrity.filter((row) => !row.replicasAgree).length;
    if (errors > 0 || lost > 0 || diverged > 0) exitCode = 1;

    const steady = windows.filter((window) => window.second > 60);
    const first = steady[0] ?? windows[0];
    const last = windows[windows.length - 1];
    const summary = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      parameters: { seconds: SECONDS, editors: EDITORS, documents, readers: READERS, readPaths, editIntervalMs: EDIT_INTERVAL_MS, readIntervalMs: READ_INTERVAL_MS },
      totals: { edits: editLatencies.length, reads: readLatencies.length, errors, errorSamples, lost, diverged },
      overall: { editP50: round(percentile(editLatencies, 50)), editP99: round(percentile(editLatencies, 99)), readP50: round(percentile(readLatencies, 50)), readP99: round(percentile(readLatencies, 99)) },
      drift: {
        rssFirstMb: first?.rssMb ?? null,
        rssLastMb: last?.rssMb ?? null,
        rssRatio: first?.rssMb && last?.rssMb ? round(last.rssMb / first.rssMb, 2) : null,
        editP99Ratio: first?.editP99 && last?.editP99 ? round(last.editP99 / first.editP99, 2) : null,
        readP99Ratio: first?.readP99 && last?.readP99 ? round(last.readP99 / first.readP99, 2) : null,
      },
      integrity,
      windows,
    };
    await pool.end();
    writeResults(summary);
  } finally {
    for (const client of clients) client.close();
    agent.destroy();
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await Promise.race([new Promise((resolve) => server!.once("exit", resolve)), sleep(10_000)]);
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  process.exit(exitCode);
}

/** Takes a session through the procedure to a published notice; returns the public paths to read. */
async function publishNotice(baseUrl: string, db: pg.Client, sessionId: string): Promise<string[]> {
  const { ratifyAndSign } = await import("../support/agreement.ts");
  await writeTerms(baseUrl, sessionId, { ...VALID_TERMS, quotaMinutesPerOrder: 12 });
  for (const roleKey of ["unionNegotiator", "associationRepresentative"]) {
    const chief = await loginAs(baseUrl, roleKey);
    const page = await chief.post(`/sessions/${sessionId}`, { intent: "agree", kind: "DRAFT" });
    if (page.status !== 302) throw new Error(`agreeing the draft failed: ${page.status}`);
  }
  await ratifyAndSign(baseUrl, db, sessionId, { file: true });
  // The 15-day review lapses without objection: move the filing back, then any read lets the clock act.
  await db.query(`UPDATE "BargainingSession" SET "filedAt" = now() - interval '16 days' WHERE id = $1`, [sessionId]);
  const negotiator = await loginAs(baseUrl, "unionNegotiator");
  await negotiator.get(`/sessions/${sessionId}`);
  const list = await fetch(`${baseUrl}/notices`).then(async (response) => ({ status: response.status, text: await response.text() }));
  if (list.status !== 200) throw new Error(`the public notice list answered ${list.status}`);
  const link = /href="(\/notices\/[^"?#]+)"/.exec(list.text)?.[1];
  if (!link) throw new Error("no published notice appears on /notices");
  return [link, "/notices"];
}

function writeResults(summary: Record<string, unknown> & { totals: { edits: number; reads: number; errors: number; lost: number; diverged: number; errorSamples: string[] } }) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, "soak.json"), `${JSON.stringify(summary, null, 2)}\n`);
  const s = summary as unknown as {
    machine: { cpus: number; memoryGb: number; node: string };
    parameters: { seconds: number; editors: number; documents: number; readers: number; readPaths: string[] };
    totals: { edits: number; reads: number; errors: number; lost: number; diverged: number; errorSamples: string[] };
    overall: { editP50: number; editP99: number; readP50: number; readP99: number };
    drift: { rssFirstMb: number; rssLastMb: number; rssRatio: number; editP99Ratio: number; readP99Ratio: number };
    windows: Window[];
  };
  const lines = [
    "## Soak: editors and notice readers together",
    "",
    `Method: one server process (build/index.js, the production bundle, PostgreSQL on the same machine), ${s.parameters.editors} y-protocols clients typing one character every 2 ± 0.5 s into ${s.parameters.documents} drafts (20 per draft; every edit stored before it is acknowledged), and ${s.parameters.readers} readers fetching ${s.parameters.readPaths.join(" and ")} every 5 ± 2 s over keep-alive (half of them revalidating with If-None-Match), for ${s.parameters.seconds} s on loopback. Machine: ${s.machine.cpus} cores, ${s.machine.memoryGb} GB, Node ${s.machine.node}; the load generator shares the machine with the server.`,
    "",
    `Result: ${s.totals.edits} edits acknowledged, ${s.totals.reads} pages read, **${s.totals.errors} errors**, **${s.totals.lost} acknowledged edits lost**, ${s.totals.diverged} diverged documents.`,
    "",
    `Latency over the whole run: edit acknowledgement p50 ${s.overall.editP50} ms, p99 ${s.overall.editP99} ms; page read p50 ${s.overall.readP50} ms, p99 ${s.overall.readP99} ms.`,
    "",
    `Drift (first window after the first minute → last window): server RSS ${s.drift.rssFirstMb} → ${s.drift.rssLastMb} MB (×${s.drift.rssRatio}); edit p99 ×${s.drift.editP99Ratio}; read p99 ×${s.drift.readP99Ratio}.`,
    "",
    "| second | server RSS (MB) | edits | edit p50 (ms) | edit p99 (ms) | reads | read p50 (ms) | read p99 (ms) | errors |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...s.windows.map((w) => `| ${w.second} | ${w.rssMb} | ${w.edits} | ${w.editP50} | ${w.editP99} | ${w.reads} | ${w.readP50} | ${w.readP99} | ${w.errors} |`),
  ];
  if (s.totals.errorSamples.length) lines.push("", "First errors:", "", ...s.totals.errorSamples.map((line) => `- ${line}`));
  fs.writeFileSync(path.join(RESULTS_DIR, "soak.md"), `${lines.join("\n")}\n`);
  console.log(`Wrote tests/bench/results/soak.md and soak.json (errors ${s.totals.errors}, lost ${s.totals.lost}, diverged ${s.totals.diverged}).`);
}

await main();
