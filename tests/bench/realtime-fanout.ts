/**
 * Benchmark: realtime fan-out, Xieshang against Hocuspocus, side by side in one run (issue 7,
 * items 2 and 6).
 *
 *   npx tsx tests/bench/realtime-fanout.ts        (or `npm run bench`)
 *
 * Starts, in child processes of their own: the real Xieshang server (build/index.js) and a Hocuspocus
 * server with its Database extension, both on a scratch database (xs_bench_fanout_<timestamp>)
 * on the PostgreSQL server at 127.0.0.1:5432 (or XS_BENCH_PG_URL), created, migrated and dropped
 * here. The load generator is this process, on loopback only; every phase is bounded in count
 * and time.
 *
 * Scenarios (each run alternates which system goes first, 3 runs, medians reported):
 * - fan-out: one writer sending single-character edits at a steady rate to one document watched
 *   by 100, 500 and 1,000 observers: delivery latency (p50/p99 over every observer × edit), server
 *   CPU per update per observer, memory per idle connection (RSS after a full GC), join time;
 * - 20 writers at once on one document watched by 100 observers;
 * - memory per open document;
 * - scale-out: two Xieshang processes sharing rooms through Redis (127.0.0.1:6379 or
 *   XS_BENCH_REDIS_URL; started here with redis-server if nothing answers) against one process.
 *
 * XS_BENCH_QUICK=1: one run of each, smaller sizes (a check that the bench works).
 * Output: tests/bench/results/realtime-fanout.{json,md}. Exits 1 only if a run could not be made
 * or a replica did not converge.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import * as Y from "yjs";
import { loginAs } from "../support/sessions.ts";
import { createSessionsInBargaining } from "./bench-sessions.ts";
import {
  baselineClient,
  hocuspocusObserver,
  hocuspocusWriter,
  ServerProcess,
  xieshangObserver,
  xieshangSocket,
  withTimeout,
  xieshangWireObserver,
  xieshangWriter,
  type BaselineName,
  type Observer,
  type SystemName,
  type Writer,
} from "./realtime-peers.ts";

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), "../..");
const RESULTS_DIR = path.join(path.dirname(THIS_FILE), "results");
const QUICK = process.env.XS_BENCH_QUICK === "1";
const PG_SERVER = process.env.XS_BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.XS_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

const RUNS = QUICK ? 1 : 3;
const OBSERVER_COUNTS = QUICK ? [50, 200] : [100, 500, 1_000];
/** One writer: edits per run and the steady rate. */
const EDITS = QUICK ? 20 : 40;
const EDITS_PER_SECOND = 5;
/** 20 writers, each at this rate, for this many edits each. */
const WRITERS = 20;
const WRITER_EDITS = QUICK ? 4 : 10;
const WRITER_EDITS_PER_SECOND = 2;
const WRITERS_OBSERVERS = QUICK ? 20 : 100;
const DOCUMENTS = QUICK ? 4 : 10;
const SCALE_OUT_OBSERVERS = QUICK ? 100 : 500;
/** Logouts per run whose reach to open sockets on both processes is timed (issue 14). */
const LOGOUTS = QUICK ? 5 : 20;
/** After the last edit is sent, deliveries still missing after this long are counted as lost. */
const DRAIN_MS = 15_000;
/** Connections opened at once while joining (the rest wait for a free slot). */
const JOIN_CONCURRENCY = 1_000;
/** Connections of each baseline server (socket.io alone, ws alone). */
const BASELINE_CONNECTIONS = QUICK ? 200 : 1_000;
const GOAL_OBSERVERS = 500;

// ---------------------------------------------------------------------------------------------
// Figures

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

function median(values: number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

type Latency = { p50: number; p99: number; max: number; deliveries: number; expected: number };

function latencyOf(latencies: number[], expected: number): Latency {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, deliveries: sorted.length, expected };
}

// ---------------------------------------------------------------------------------------------
// Infrastructure

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/** Redis at REDIS_URL, or a redis-server started here (on that port, in memory only). */
async function ensureRedis(): Promise<{ started: ChildProcess | null } | null> {
  if (await redisAnswers(REDIS_URL)) return { started: null };
  const { port } = new URL(REDIS_URL);
  let child: ChildProcess;
  try {
    child = spawn("redis-server", ["--port", port || "6379", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  } catch {
    return null;
  }
  const failed = new Promise<boolean>((resolve) => child.once("error", () => resolve(false)));
  for (let i = 0; i < 50; i += 1) {
    if (await Promise.race([redisAnswers(REDIS_URL), failed])) return { started: child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  return null;
}

/** Waits until the server's RSS stops falling (connections closed, buffers released). */
async function settle(server: ServerProcess): Promise<void> {
  let previous = Infinity;
  for (let i = 0; i < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { rss } = await server.stats(true);
    if (rss >= previous - 256 * 1024) return;
    previous = rss;
  }
}

// ---------------------------------------------------------------------------------------------
// The two systems behind one interface

type Target = {
  system: SystemName;
  server: ServerProcess;
  observer(onArrival: (key: number, at: number) => void, keepDoc: boolean, document?: number, via?: ServerProcess): Observer;
  writer(index: number, document?: number, via?: ServerProcess): Writer;
};

type Cookies = { observer: string; editors: string[] };

function xieshangTarget(server: ServerProcess, sessions: string[], cookies: Cookies): Target {
  return {
    system: "xieshang",
    server,
    observer: (onArrival, keepDoc, document = 0, via = server) =>
      keepDoc ? xieshangObserver(via.url, sessions[document]!, cookies.observer, onArrival, true) : xieshangWireObserver(via.url, sessions[document]!, cookies.observer, onArrival),
    writer: (index, document = 0, via = server) => xieshangWriter(via.url, sessions[document]!, cookies.editors[index % cookies.editors.length]!),
  };
}

function hocuspocusTarget(server: ServerProcess, prefix: string): Target {
  const ws = `ws://127.0.0.1:${server.port}`;
  return {
    system: "hocuspocus",
    server,
    observer: (onArrival, keepDoc, document = 0) => hocuspocusObserver(ws, `${prefix}-${document}`, onArrival, keepDoc),
    writer: (_index, document = 0) => hocuspocusWriter(ws, `${prefix}-${document}`),
  };
}

async function openAll<T extends { ready: Promise<void> }>(count: number, open: (index: number) => T): Promise<{ items: T[]; ms: number }> {
  const items: T[] = [];
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const item = open(next++);
      items.push(item);
      await item.ready;
    }
  };
  await Promise.all(Array.from({ length: Math.min(JOIN_CONCURRENCY, count) }, lane));
  return { items, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// One fan-out run: N observers join, M writers send edits at a steady rate

type RunResult = {
  system: SystemName;
  observers: number;
  writers: number;
  joinMs: number;
  /** (RSS with N idle joined observers − RSS before) / N, both after a full GC. */
  bytesPerConnection: number;
  /** The same with the JS heap (heapUsed) instead of RSS: finer, but blind to native buffers. */
  heapBytesPerConnection: number;
  latency: Latency;
  /** Median over edits of the first observer's delivery latency. */
  firstDeliveryP50: number;
  /** Writer-side: from sending an edit to the server's acknowledgement. */
  ack: { p50: number; p99: number };
  /** Server CPU time over the edit phase / (updates × observers), in microseconds. */
  cpuMicrosPerUpdatePerObserver: number;
  serverCpuMs: number;
  converged: boolean;
  /** Scale-out only: latency to the observers on the writer's process and on the other one. */
  split?: { sameProcess: Latency; otherProcess: Latency };
};

async function fanoutRun(
  target: Target,
  observerCount: number,
  writerCount: number,
  editsPerWriter: number,
  ratePerWriter: number,
  document: number,
  otherProcess?: ServerProcess,
): Promise<RunResult> {
  const { server } = target;
  await settle(server);
  const before = await server.stats(true);
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const sameLatencies: number[] = [];
  const otherLatencies: number[] = [];
  /** Per edit, its first arrival at any observer: the server's own pipeline plus one hop. */
  const firstArrival = new Map<number, number>();
  const arrival = (bucket: number[] | null) => (key: number, at: number) => {
    const sent = sentAt.get(key);
    if (sent === undefined) return;
    if (!firstArrival.has(key)) firstArrival.set(key, at - sent);
    latencies.push(at - sent);
    bucket?.push(at - sent);
  };
  // Scale-out: every other observer on the other process.
  const { items: observers, ms: joinMs } = await openAll(observerCount, (index) => {
    const elsewhere = otherProcess && index % 2 === 1;
    return target.observer(arrival(otherProcess ? (elsewhere ? otherLatencies : sameLatencies) : null), index === 0, document, elsewhere ? otherProcess : undefined);
  });
  // Memory per *idle* connection: once the joins' transient work has been collected and RSS has
  // stopped falling (settle), not while the last joins are still being answered.
  await settle(server);
  const joined = await server.stats(true);
  const bytesPerConnection = (joined.rss - before.rss) / observerCount;
  const heapBytesPerConnection = (joined.heapUsed - before.heapUsed) / observerCount;

  const { items: writers } = await openAll(writerCount, (index) => target.writer(index, document));
  const acks: number[] = [];
  const pending: Promise<unknown>[] = [];
  let refused = 0;
  const cpuBefore = await server.stats(false);
  const period = 1_000 / ratePerWriter;
  const started = performance.now();
  await Promise.all(
    writers.map(async (writer, index) => {
      // Writers start spread over one period, so that the combined rate is steady too.
      const offset = (period * index) / writers.length;
      for (let edit = 0; edit < editsPerWriter; edit += 1) {
        const due = started + offset + edit * period;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const key = writer.doc.clientID * 1_000_000 + Y.getState(writer.doc.store, writer.doc.clientID);
        const sent = performance.now();
        sentAt.set(key, sent);
        pending.push(
          writer
            .change((doc) => doc.getText("probe").insert(doc.getText("probe").length, String.fromCharCode(97 + ((edit + index) % 26))))
            .then((ok) => {
              if (!ok) refused += 1;
              acks.push(performance.now() - sent);
            }),
        );
      }
    }),
  );
  await Promise.all(pending);
  const expected = sentAt.size * observerCount;
  const drainStarted = performance.now();
  while (latencies.length < expected && performance.now() - drainStarted < DRAIN_MS) await new Promise((resolve) => setTimeout(resolve, 50));
  const cpuAfter = await server.stats(false);
  // Scale-out: CPU of the writer's process only (the figure is reported for single-process runs).
  const serverCpuMicros = cpuAfter.cpuMicros - cpuBefore.cpuMicros;

  // Convergence: the observer that keeps a document has what the writers wrote.
  const reference = observers[0]!.doc!;
  const convergedDeadline = performance.now() + 5_000;
  const texts = () => writers.map((writer) => writer.doc.getText("probe").toString());
  let converged = false;
  while (performance.now() < convergedDeadline) {
    const mine = reference.getText("probe").toString();
    if (writerCount === 1 ? mine === texts()[0] : mine.length >= sentAt.size) {
      converged = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (refused > 0) converged = false;
  for (const item of [...observers, ...writers]) item.close();
  const sortedAcks = [...acks].sort((a, b) => a - b);
  return {
    system: target.system,
    observers: observerCount,
    writers: writerCount,
    joinMs,
    bytesPerConnection,
    heapBytesPerConnection,
    latency: latencyOf(latencies, expected),
    firstDeliveryP50: median([...firstArrival.values()]),
    ack: { p50: percentile(sortedAcks, 50), p99: percentile(sortedAcks, 99) },
    cpuMicrosPerUpdatePerObserver: serverCpuMicros / (sentAt.size * observerCount),
    serverCpuMs: serverCpuMicros / 1_000,
    converged,
    ...(otherProcess ? { split: { sameProcess: latencyOf(sameLatencies, expected / 2), otherProcess: latencyOf(otherLatencies, expected / 2) } } : {}),
  };
}

/** Retained JS heap and RSS per idle connection of a baseline server (socket.io alone, ws alone). */
async function baselineRun(system: BaselineName, connections: number): Promise<{ system: BaselineName; connections: number; heapBytesPerConnection: number; bytesPerConnection: number }> {
  const server = await ServerProcess.start(system, {});
  try {
    await settle(server);
    const before = await server.stats(true);
    const clients = Array.from({ length: connections }, () => baselineClient(system, server.port));
    await Promise.all(clients.map((client) => client.ready));
    await settle(server);
    const after = await server.stats(true);
    for (const client of clients) client.close();
    return { system, connections, heapBytesPerConnection: (after.heapUsed - before.heapUsed) / connections, bytesPerConnection: (after.rss - before.rss) / connections };
  } finally {
    await server.stop();
  }
}

/** Memory per open document: D documents, each opened by one client that writes 1,000 characters. */
async function documentsRun(target: Target): Promise<{ system: SystemName; documents: number; bytesPerDocument: number; heapBytesPerDocument: number }> {
  const { server } = target;
  await settle(server);
  const before = await server.stats(true);
  const writers: Writer[] = [];
  for (let document = 1; document <= DOCUMENTS; document += 1) {
    const writer = target.writer(0, document);
    await writer.ready;
    await writer.change((doc) => doc.getText("probe").insert(0, "协".repeat(1_000)));
    writers.push(writer);
  }
  await settle(server);
  const after = await server.stats(true);
  for (const writer of writers) writer.close();
  return { system: target.system, documents: DOCUMENTS, bytesPerDocument: (after.rss - before.rss) / DOCUMENTS, heapBytesPerDocument: (after.heapUsed - before.heapUsed) / DOCUMENTS };
}

// ---------------------------------------------------------------------------------------------
// Report

type Aggregate = {
  system: SystemName;
  observers: number;
  writers: number;
  runs: number;
  p50: number;
  p99: number;
  firstP50: number;
  ackP50: number;
  ackP99: number;
  joinMs: number;
  bytesPerConnection: number;
  heapBytesPerConnection: number;
  cpuMicrosPerUpdatePerObserver: number;
  delivered: string;
  converged: boolean;
  sameP99?: number;
  otherP99?: number;
  sameP50?: number;
  otherP50?: number;
};

function aggregate(runs: RunResult[]): Aggregate {
  const first = runs[0]!;
  const delivered = runs.reduce((sum, run) => sum + run.latency.deliveries, 0);
  const expected = runs.reduce((sum, run) => sum + run.latency.expected, 0);
  return {
    system: first.system,
    observers: first.observers,
    writers: first.writers,
    runs: runs.length,
    p50: median(runs.map((run) => run.latency.p50)),
    p99: median(runs.map((run) => run.latency.p99)),
    firstP50: median(runs.map((run) => run.firstDeliveryP50)),
    ackP50: median(runs.map((run) => run.ack.p50)),
    ackP99: median(runs.map((run) => run.ack.p99)),
    joinMs: median(runs.map((run) => run.joinMs)),
    bytesPerConnection: median(runs.map((run) => run.bytesPerConnection)),
    heapBytesPerConnection: median(runs.map((run) => run.heapBytesPerConnection)),
    cpuMicrosPerUpdatePerObserver: median(runs.map((run) => run.cpuMicrosPerUpdatePerObserver)),
    delivered: `${delivered.toLocaleString("en")}/${expected.toLocaleString("en")}`,
    converged: runs.every((run) => run.converged),
    ...(first.split
      ? {
          sameP50: median(runs.map((run) => run.split!.sameProcess.p50)),
          sameP99: median(runs.map((run) => run.split!.sameProcess.p99)),
          otherP50: median(runs.map((run) => run.split!.otherProcess.p50)),
          otherP99: median(runs.map((run) => run.split!.otherProcess.p99)),
        }
      : {}),
  };
}

const ms = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "—" : value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);
const kib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : "—");
const micros = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} µs` : "—");
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "—");
const NAMES: Record<SystemName, string> = { xieshang: "Xieshang", hocuspocus: "Hocuspocus" };

function table(headers: string[], rows: string[][]): string[] {
  return [`| ${headers.join(" | ")} |`, `| ${headers.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
}

type Report = {
  generatedAt: string;
  machine: { cpus: number; model: string; memoryGiB: number; node: string; postgres: string; platform: string; loadAverage: number[] };
  settings: Record<string, unknown>;
  fanout: Aggregate[];
  writers: Aggregate[];
  documents: Array<{ system: SystemName; documents: number; bytesPerDocument: number; heapBytesPerDocument: number }>;
  baselines: Array<{ system: BaselineName; connections: number; heapBytesPerConnection: number; bytesPerConnection: number }>;
  scaleOut: { single: Aggregate; twoProcesses: Aggregate } | { skipped: string };
  /** From a logout's POST to the close of the login's sockets, per run (ms). */
  revocation?: { runs: Array<{ sameProcess: Latency; otherProcess: Latency }> };
  raw: { fanout: RunResult[]; writers: RunResult[]; scaleOut: RunResult[] };
  goals: {
    p99: { xieshang: number; hocuspocus: number; met: boolean };
    /** Judged on the retained JS heap; RSS beside it (see the notes). */
    idleConnection: { xieshang: number; hocuspocus: number; met: boolean; rss: { xieshang: number; hocuspocus: number } };
  };
};

const NOTES =
  "What the first runs showed and what was changed (a one-statement append, no re-encoding per update, WebSocket frames built once per update, lighter joins, " +
  "the upgrade request dropped per connection, one set of event listeners shared by every socket instead of a dozen closures each, the upgrade request's headers let go) " +
  "is in docs/decisions/023-realtime-fan-out.md. Memory per idle connection is judged on the retained JS heap after a full GC once the server has settled: " +
  "RSS after GC moves with V8's heap-space sizing and the allocator's kept pages (on a settled server it fell below its own baseline in a probe), so it is shown " +
  "beside the heap figure but is no measure of what a connection holds. Where Xieshang still costs more: each join authenticates the session cookie and reads the " +
  "session's seats in PostgreSQL (Hocuspocus, unconfigured, checks nothing), hence the join times; every update is committed to PostgreSQL before it is " +
  "relayed to anyone, so that no observer is ever shown an edit the record might not keep (Hocuspocus relays at once and stores seconds later): that commit is " +
  "the difference in first delivery, about as large as the p99 gap where there is one; and socket.io (the stack's realtime layer) holds more per " +
  "connection on its own than a Hocuspocus connection does in all (baselines below). Latency figures swing between runs on this shared machine; compare the two systems within a run.";

function markdown(report: Report): string {
  const m = report.machine;
  const pair = (list: Aggregate[], observers: number, writers: number) => ({
    x: list.find((a) => a.system === "xieshang" && a.observers === observers && a.writers === writers)!,
    h: list.find((a) => a.system === "hocuspocus" && a.observers === observers && a.writers === writers)!,
  });
  const fanoutRows = [...new Set(report.fanout.map((a) => a.observers))].flatMap((observers) => {
    const { x, h } = pair(report.fanout, observers, 1);
    return [x, h].map((a) => [
      observers.toLocaleString("en"),
      NAMES[a.system],
      ms(a.firstP50),
      ms(a.p50),
      ms(a.p99),
      a.system === "xieshang" ? ratio(x.p99, h.p99) : "",
      ms(a.ackP50),
      micros(a.cpuMicrosPerUpdatePerObserver),
      `${kib(a.bytesPerConnection)} (heap ${kib(a.heapBytesPerConnection)})`,
      ms(a.joinMs),
      a.delivered,
      a.converged ? "yes" : "NO",
    ]);
  });
  const w = pair(report.writers, WRITERS_OBSERVERS, WRITERS);
  const lines = [
    "## Realtime fan-out: Xieshang and Hocuspocus",
    "",
    `${report.generatedAt}, \`tests/bench/realtime-fanout.ts\`: ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, ${m.platform}; ` +
      `load average at the start ${m.loadAverage.map((v) => v.toFixed(2)).join(" / ")} (the machine is shared with other engineers' tests).`,
    "",
    "Both servers run at the same time on the same machine, each in a child process of its own, on the same PostgreSQL server; " +
      `every run alternates which system goes first, and each figure is the median of ${RUNS} run(s). The load generator (this process, on loopback) ` +
      "drives both with the same kind of client: observers that only note the arrival of each update (one per run keeps a real Y.Doc and is checked against the writer), " +
      "a writer with a real Y.Doc. Latency is from the writer handing an edit to its socket to its arrival at an observer, over every (observer, edit) pair; " +
      "it includes the load generator's own time to read 1,000 sockets, the same for both.",
    "",
    `- **Xieshang** (socket.io, y-protocols): authenticates every connection from its session cookie and every join against the session's seats; an update is ` +
      "committed to PostgreSQL (one transaction per update, ordered per document) **before** it is acknowledged and relayed, so an acknowledged edit survives a crash.",
    "- **Hocuspocus** 3.4.4 (`@hocuspocus/server` with `@hocuspocus/extension-database` storing the whole document state to a table in the same database; 3.4.4 is the newest release that runs on Node 20): " +
      "applies and relays an update at once and acknowledges it (SyncStatus) once **applied in memory**; the store is **debounced** (2 s after the last change, at most 10 s), " +
      "so edits acknowledged in the last seconds before a crash are lost. No authentication is configured (none is built in).",
    "",
    `One writer, ${EDITS} single-character edits at ${EDITS_PER_SECOND}/s per run:`,
    "",
    ...table(
      ["observers", "system", "first delivery p50", "delivery p50", "delivery p99", "p99 ratio X/H", "ack p50", "server CPU / update / observer", "memory / idle connection: RSS (JS heap)", `join (all at once)`, "delivered", "converged"],
      fanoutRows,
    ),
    "",
    `${WRITERS} writers at once, each ${WRITER_EDITS} edits at ${WRITER_EDITS_PER_SECOND}/s (${WRITERS * WRITER_EDITS_PER_SECOND} edits/s in all), ${WRITERS_OBSERVERS} observers:`,
    "",
    ...table(
      ["system", "delivery p50", "delivery p99", "ack p50", "ack p99", "server CPU / update / observer", "delivered", "converged"],
      [w.x, w.h].map((a) => [NAMES[a.system], ms(a.p50), ms(a.p99), ms(a.ackP50), ms(a.ackP99), micros(a.cpuMicrosPerUpdatePerObserver), a.delivered, a.converged ? "yes" : "NO"]),
    ),
    "",
    `Memory per open document (${DOCUMENTS} documents, each opened by one client that wrote 1,000 characters; RSS after a full GC, including that client's connection):`,
    "",
    ...table(
      ["system", "memory / document: RSS", "JS heap"],
      report.documents.map((d) => [NAMES[d.system], kib(d.bytesPerDocument), kib(d.heapBytesPerDocument)]),
    ),
    "",
    "Memory figures are deltas after `global.gc()` in the server process once it has settled, measured the same way for both: the JS heap (what the connections and documents hold) and RSS (coarse: the allocator keeps freed pages).",
    "",
    "Baselines, the same way (idle connections, nothing joined): what the transport layers hold on their own.",
    "",
    ...table(
      ["server", "connections", "memory / idle connection: JS heap", "RSS"],
      report.baselines.map((b) => [b.system === "socketio-bare" ? "socket.io 4.8 server, no handlers" : "ws 8 server (what Hocuspocus builds on)", b.connections.toLocaleString("en"), kib(b.heapBytesPerConnection), kib(b.bytesPerConnection)]),
    ),
    "",
    "### Scale-out: two Xieshang processes behind Redis",
    "",
  ];
  if ("skipped" in report.scaleOut) {
    lines.push(`Not measured: ${report.scaleOut.skipped}.`, "");
  } else {
    const { single, twoProcesses } = report.scaleOut;
    lines.push(
      `One writer (${EDITS} edits at ${EDITS_PER_SECOND}/s) and ${SCALE_OUT_OBSERVERS} observers: all on one process (no Redis), against two processes sharing rooms through the socket.io Redis adapter ` +
        "with the writer and every other observer on the first process and the rest on the second.",
      "",
      ...table(
        ["setup", "delivery p50", "delivery p99", "same process p50 / p99", "other process p50 / p99", "ack p50", "delivered", "converged"],
        [
          ["one process", ms(single.p50), ms(single.p99), "—", "—", ms(single.ackP50), single.delivered, single.converged ? "yes" : "NO"],
          [
            "two processes + Redis",
            ms(twoProcesses.p50),
            ms(twoProcesses.p99),
            `${ms(twoProcesses.sameP50)} / ${ms(twoProcesses.sameP99)}`,
            `${ms(twoProcesses.otherP50)} / ${ms(twoProcesses.otherP99)}`,
            ms(twoProcesses.ackP50),
            twoProcesses.delivered,
            twoProcesses.converged ? "yes" : "NO",
          ],
        ],
      ),
      "",
      `Cross-process overhead (other process − same process): p50 ${ms((twoProcesses.otherP50 ?? NaN) - (twoProcesses.sameP50 ?? NaN))}, p99 ${ms((twoProcesses.otherP99 ?? NaN) - (twoProcesses.sameP99 ?? NaN))}. ` +
        "Both processes share the same two cores, so this is the cost of the Redis hop plus the second process competing for CPU, not a multi-machine figure.",
      "",
    );
  }
  if (report.revocation) {
    const runs = report.revocation.runs;
    lines.push(
      "### Revocation: a logout reaching open sockets on two processes",
      "",
      `A login with one socket on each of the two processes behind Redis; the time from sending POST /logout to the first process until the server closed each socket (${LOGOUTS} logouts per run, so p99 is the slowest). It includes the logout request itself (deleting the login session in PostgreSQL).`,
      "",
      ...table(
        ["run", "same process p50", "same process max", "other process p50", "other process max"],
        runs.map((r, i) => [String(i + 1), ms(r.sameProcess.p50), ms(r.sameProcess.max), ms(r.otherProcess.p50), ms(r.otherProcess.max)]),
      ),
      "",
    );
  }
  const g = report.goals;
  lines.push(
    "Goals:",
    "",
    `- p99 delivery at ${GOAL_OBSERVERS} observers, Xieshang ≤ Hocuspocus: ${g.p99.met ? "MET" : "NOT MET"} (${ms(g.p99.xieshang)} against ${ms(g.p99.hocuspocus)}).`,
    `- Memory per idle connection (retained JS heap), Xieshang ≤ Hocuspocus: ${g.idleConnection.met ? "MET" : "NOT MET"} (${kib(g.idleConnection.xieshang)} against ${kib(g.idleConnection.hocuspocus)}, median over every size and run; RSS ${kib(g.idleConnection.rss.xieshang)} against ${kib(g.idleConnection.rss.hocuspocus)}).`,
    "",
    NOTES,
    "",
  );
  return lines.join("\n");
}

/**
 * Revocation reaching live sockets (issue 14): a login opens one socket on each of two processes
 * behind Redis; the time from sending the logout (POST /logout to the first process) until each
 * socket is closed by the server.
 */
async function revocationRun(a: ServerProcess, b: ServerProcess, logouts: number): Promise<{ sameProcess: Latency; otherProcess: Latency }> {
  const same: number[] = [];
  const other: number[] = [];
  for (let i = 0; i < logouts; i += 1) {
    const browser = await loginAs(a.url, "bureauReviewer");
    const cookie = browser.cookies.get("xs_session")!;
    const sockets = [xieshangSocket(a.url, cookie), xieshangSocket(b.url, cookie)];
    try {
      await withTimeout(Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.once("connect", () => resolve())))), 30_000, "the login's sockets to connect");
      const closed = sockets.map((socket) => new Promise<number>((resolve) => socket.once("disconnect", () => resolve(performance.now()))));
      const start = performance.now();
      const page = await browser.post("/logout", {});
      if (page.status !== 302) throw new Error(`logout answered ${page.status}`);
      const [atA, atB] = (await withTimeout(Promise.all(closed), 15_000, "the logout to close the sockets on both processes")) as [number, number];
      same.push(atA - start);
      other.push(atB - start);
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  }
  return { sameProcess: latencyOf(same, logouts), otherProcess: latencyOf(other, logouts) };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) throw new Error("build/index.js is missing: run `npx remix build` first (npm run bench does)");
  if (!(await answers(PG_SERVER))) throw new Error(`no PostgreSQL server answers at ${PG_SERVER}`);
  const cpus = os.cpus();
  const postgres = (await query<{ v: string }>(PG_SERVER, "SELECT current_setting('server_version') AS v"))[0]!.v;
  const machine = {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    postgres,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg(),
  };
  console.log(`Realtime fan-out benchmark — ${machine.cpus} × ${machine.model}, Node ${machine.node}, PostgreSQL ${postgres}${QUICK ? " (quick)" : ""}`);

  const { applyMigrations } = await import("../../prisma/scripts/schema-engine.ts");
  const name = `xs_bench_fanout_${Date.now()}`;
  const databaseUrl = withDatabase(PG_SERVER, name);
  const started: ServerProcess[] = [];
  let redis: { started: ChildProcess | null } | null = null;
  const raw: Report["raw"] = { fanout: [], writers: [], scaleOut: [] };
  const documents: Report["documents"] = [];
  const baselines: Report["baselines"] = [];
  let scaleOut: Report["scaleOut"] = { skipped: "not run" };
  let revocation: Report["revocation"];
  try {
    await applyMigrations(databaseUrl);
    const env = { XS_BENCH_DATABASE_URL: databaseUrl };
    const [xs, hp] = await Promise.all([ServerProcess.start("xieshang", env), ServerProcess.start("hocuspocus", env)]);
    started.push(xs, hp);
    console.log(`Xieshang on ${xs.port}, Hocuspocus on ${hp.port}; database ${name}`);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    let sessions: string[];
    try {
      sessions = await createSessionsInBargaining(xs.url, db, DOCUMENTS + 2);
    } finally {
      await db.end();
    }
    const cookie = async (roleKey: string) => (await loginAs(xs.url, roleKey)).cookies.get("xs_session")!;
    const cookies: Cookies = {
      observer: await cookie("bureauReviewer"),
      editors: [await cookie("unionNegotiator"), await cookie("unionAdmin"), await cookie("workerRepresentative")],
    };
    const targets = [xieshangTarget(xs, sessions, cookies), hocuspocusTarget(hp, `bench-${Date.now()}`)];
    const ordered = (run: number) => (run % 2 === 0 ? targets : [...targets].reverse());

    for (const observers of OBSERVER_COUNTS) {
      for (let run = 0; run < RUNS; run += 1) {
        for (const target of ordered(run)) {
          const result = await fanoutRun(target, observers, 1, EDITS, EDITS_PER_SECOND, 0);
          raw.fanout.push(result);
          console.log(
            `${target.system.padEnd(10)} ${String(observers).padStart(5)} observers, run ${run + 1}: first ${ms(result.firstDeliveryP50)}, p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}, ` +
              `ack ${ms(result.ack.p50)}, join ${ms(result.joinMs)}, ${kib(result.bytesPerConnection)}/conn, ${micros(result.cpuMicrosPerUpdatePerObserver)} CPU/update/observer, ` +
              `${result.latency.deliveries}/${result.latency.expected} delivered${result.converged ? "" : ", NOT CONVERGED"}`,
          );
        }
      }
    }
    for (let run = 0; run < RUNS; run += 1) {
      for (const target of ordered(run)) {
        const result = await fanoutRun(target, WRITERS_OBSERVERS, WRITERS, WRITER_EDITS, WRITER_EDITS_PER_SECOND, 0);
        raw.writers.push(result);
        console.log(`${target.system.padEnd(10)} ${WRITERS} writers, run ${run + 1}: p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}, ack p99 ${ms(result.ack.p99)}, ${result.latency.deliveries}/${result.latency.expected} delivered`);
      }
    }
    for (const target of targets) {
      const result = await documentsRun(target);
      documents.push(result);
      console.log(`${target.system.padEnd(10)} ${kib(result.bytesPerDocument)} per open document`);
    }
    await hp.stop();
    for (const system of ["socketio-bare", "ws-bare"] as const) {
      const runs = [];
      for (let run = 0; run < RUNS; run += 1) runs.push(await baselineRun(system, BASELINE_CONNECTIONS));
      const result = { system, connections: BASELINE_CONNECTIONS, heapBytesPerConnection: median(runs.map((r) => r.heapBytesPerConnection)), bytesPerConnection: median(runs.map((r) => r.bytesPerConnection)) };
      baselines.push(result);
      console.log(`${system.padEnd(14)} ${kib(result.heapBytesPerConnection)} heap, ${kib(result.bytesPerConnection)} RSS per idle connection`);
    }

    redis = await ensureRedis();
    if (!redis) {
      scaleOut = { skipped: `no Redis answers at ${REDIS_URL} and redis-server could not be started` };
    } else {
      const redisEnv = { ...env, XS_BENCH_REDIS_URL: REDIS_URL };
      const [a, b] = await Promise.all([ServerProcess.start("xieshang", redisEnv), ServerProcess.start("xieshang", redisEnv)]);
      started.push(a, b);
      const single = xieshangTarget(xs, sessions, cookies);
      const pairTarget = xieshangTarget(a, sessions, cookies);
      const singles: RunResult[] = [];
      const pairs: RunResult[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const order: Array<"single" | "pair"> = run % 2 === 0 ? ["single", "pair"] : ["pair", "single"];
        for (const which of order) {
          const result =
            which === "single"
              ? await fanoutRun(single, SCALE_OUT_OBSERVERS, 1, EDITS, EDITS_PER_SECOND, 0)
              : await fanoutRun(pairTarget, SCALE_OUT_OBSERVERS, 1, EDITS, EDITS_PER_SECOND, DOCUMENTS + 1, b);
          (which === "single" ? singles : pairs).push(result);
          raw.scaleOut.push(result);
          console.log(
            `scale-out ${which.padEnd(6)} run ${run + 1}: p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}` +
              (result.split ? ` (same ${ms(result.split.sameProcess.p99)}, other ${ms(result.split.otherProcess.p99)} p99)` : "") +
              `, ${result.latency.deliveries}/${result.latency.expected} delivered`,
          );
        }
      }
      scaleOut = { single: aggregate(singles), twoProcesses: aggregate(pairs) };
      revocation = { runs: [] };
      for (let run = 0; run < RUNS; run += 1) {
        const result = await revocationRun(a, b, LOGOUTS);
        revocation.runs.push(result);
        console.log(`revocation run ${run + 1}: logout → sockets closed, same process p50 ${ms(result.sameProcess.p50)} max ${ms(result.sameProcess.max)}, other process p50 ${ms(result.otherProcess.p50)} max ${ms(result.otherProcess.max)}`);
      }
    }
  } finally {
    await Promise.all(started.map((server) => server.stop().catch(() => {})));
    redis?.started?.kill();
    await query(PG_SERVER, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((error) => console.error("could not drop the benchmark database:", error));
  }

  const groups = (list: RunResult[]) => {
    const keys = [...new Set(list.map((r) => `${r.system}:${r.observers}:${r.writers}`))];
    return keys.map((key) => aggregate(list.filter((r) => `${r.system}:${r.observers}:${r.writers}` === key)));
  };
  const fanout = groups(raw.fanout);
  const goalSize = OBSERVER_COUNTS.includes(GOAL_OBSERVERS) ? GOAL_OBSERVERS : OBSERVER_COUNTS[OBSERVER_COUNTS.length - 1]!;
  const at = (system: SystemName) => fanout.find((a) => a.system === system && a.observers === goalSize)!;
  const idle = (system: SystemName) => median(raw.fanout.filter((r) => r.system === system).map((r) => r.heapBytesPerConnection));
  const idleRss = (system: SystemName) => median(raw.fanout.filter((r) => r.system === system).map((r) => r.bytesPerConnection));
  const report: Report = {
    generatedAt: new Date().toISOString(),
    machine,
    settings: { runs: RUNS, observerCounts: OBSERVER_COUNTS, edits: EDITS, editsPerSecond: EDITS_PER_SECOND, writers: WRITERS, writerEdits: WRITER_EDITS, writerEditsPerSecond: WRITER_EDITS_PER_SECOND, writersObservers: WRITERS_OBSERVERS, documents: DOCUMENTS, scaleOutObservers: SCALE_OUT_OBSERVERS, quick: QUICK },
    fanout,
    writers: groups(raw.writers),
    documents,
    baselines,
    scaleOut,
    revocation,
    raw,
    goals: {
      p99: { xieshang: at("xieshang").p99, hocuspocus: at("hocuspocus").p99, met: at("xieshang").p99 <= at("hocuspocus").p99 },
      idleConnection: { xieshang: idle("xieshang"), hocuspocus: idle("hocuspocus"), met: idle("xieshang") <= idle("hocuspocus"), rss: { xieshang: idleRss("xieshang"), hocuspocus: idleRss("hocuspocus") } },
    },
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, "realtime-fanout.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, "realtime-fanout.md"), markdown(report));
  console.log(`\n${markdown(report)}`);
  const diverged = [...raw.fanout, ...raw.writers, ...raw.scaleOut].filter((r) => !r.converged);
  if (diverged.length) {
    console.error(`${diverged.length} run(s) did not converge or had refused edits`);
    return 1;
  }
  return 0;
}

/**
 * XS_BENCH_REPORT_ONLY=1: writes realtime-fanout.md again from the figures in realtime-fanout.json
 * (the last run's), when only the report's wording changed. Measures nothing.
 */
function reportOnly(): number {
  const report = JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, "realtime-fanout.json"), "utf8")) as Report;
  fs.writeFileSync(path.join(RESULTS_DIR, "realtime-fanout.md"), markdown(report));
  console.log(`Rewrote realtime-fanout.md from the figures of ${report.generatedAt}.`);
  return 0;
}

let code = 1;
try {
  code = process.env.XS_BENCH_REPORT_ONLY === "1" ? reportOnly() : await main();
} catch (error) {
  console.error(error);
}
process.exit(code);
