/**
 * Crash durability: an update the server acknowledged is in PostgreSQL, so it survives the server
 * process being killed with SIGKILL (no shutdown hook, no flush) and started again. The real
 * server runs as a child process (`tsx server.ts`), is killed at a random moment (seeded, so a
 * failure is reproducible) while inserts are in flight, restarted on the same port, and a fresh
 * client must load every acknowledged insert. Unacknowledged inserts may or may not be there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { DocAck } from "../../realtime/protocol.ts";
import { workerDatabaseUrl } from "../support/database.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ROUNDS = 10;
const SEED = 0x5eed_2024;

/** A small deterministic PRNG (Numerical Recipes LCG), so that a failing run can be replayed. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return {
    /** An integer in [0, n). */
    int(n: number): number {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return Math.floor((state / 2 ** 32) * n);
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

let databaseUrl: string;
let db: pg.Client;
let sessionId: string;
let cookie: string;
let port: number;
let child: ChildProcess | null = null;
/** The child's output (all of its lives), shown when it fails to start. */
let childOutput = "";
const clients: YjsTestClient[] = [];

function childAlive(target: ChildProcess): boolean {
  return target.exitCode === null && target.signalCode === null;
}

async function startChild(): Promise<ChildProcess> {
  const started = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "server.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      XS_DEMO: "true",
      NODE_ENV: "production",
      // One process: no fan-out.
      REDIS_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // tsx's CLI runs server.ts in a child process of its own: the server is a grandchild. Its own
    // process group lets us SIGKILL both at once (killing only tsx would orphan the server).
    detached: true,
  });
  child = started;
  // Should this worker die without running afterAll, do not leave a server behind.
  const reap = () => killGroup(started);
  process.once("exit", reap);
  started.once("exit", () => process.off("exit", reap));
  started.stdout!.on("data", (chunk: Buffer) => (childOutput += chunk.toString()));
  started.stderr!.on("data", (chunk: Buffer) => (childOutput += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!childAlive(started)) throw new Error(`the server exited during start-up (${started.exitCode ?? started.signalCode}):\n${childOutput.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within 30 s:\n${childOutput.slice(-3000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      await response.text();
      if (response.status === 200) return started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function killGroup(target: ChildProcess) {
  try {
    if (target.pid) process.kill(-target.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function portRefuses(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/** SIGKILLs the server (tsx and the server process under it) and waits until it is really gone. */
async function killChild(target: ChildProcess): Promise<void> {
  const exited = childAlive(target) ? new Promise<void>((resolve) => target.once("exit", () => resolve())) : Promise.resolve();
  killGroup(target);
  await exited;
  const deadline = Date.now() + 10_000;
  while (!(await portRefuses())) {
    if (Date.now() > deadline) throw new Error(`something still listens on port ${port} after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function joinFresh(): Promise<YjsTestClient> {
  const client = new YjsTestClient(`http://127.0.0.1:${port}`, sessionId, cookie);
  clients.push(client);
  const ack = await client.join();
  expect(ack, "join after (re)start").toMatchObject({ ok: true });
  return client;
}

beforeAll(async () => {
  // Seed and build the session with an in-process server, then hand the database to the child.
  databaseUrl = await workerDatabaseUrl();
  const seeder = await startTestServer();
  try {
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    sessionId = await sessionInBargaining(seeder.url, db);
    cookie = (await loginAs(seeder.url, "unionNegotiator")).cookies.get("xs_session")!;
    expect(cookie, "session cookie of the union negotiator").toBeTruthy();
  } finally {
    await seeder.close();
  }
  port = await freePort();
  await startChild();
}, 90_000);

afterAll(async () => {
  for (const client of clients) client.close();
  if (child) await killChild(child);
  await db?.end();
});

describe("crash durability", () => {
  it("keeps every acknowledged update when the server is killed with SIGKILL and restarted", async () => {
    const random = lcg(SEED);
    /** Every marker the server acknowledged ({ ok: true }), across all rounds. */
    const acknowledged: string[] = [];
    /** Every marker ever sent (acknowledged or not). */
    const sent = new Set<string>();
    let killsWithSendsInFlight = 0;

    for (let round = 0; round < ROUNDS; round += 1) {
      const client = await joinFresh();
      // Everything acknowledged before the previous kill(s) was loaded from the database.
      const loaded = client.text();
      const missing = acknowledged.filter((marker) => !loaded.includes(marker));
      expect(missing, `acknowledged inserts lost by round ${round} (seed ${SEED})`).toEqual([]);

      const target = child!;
      const sends = 5 + random.int(8); // 5..12 inserts this round
      const killAt = 1 + random.int(sends - 1); // kill right after sending this one (never the first)...
      const killDelayMs = random.int(30); // ...after this many milliseconds
      const awaitEach = random.int(2) === 0; // one at a time, or all in flight at once
      const pending: Promise<void>[] = [];
      const ackedThisRound: string[] = [];
      let killed: Promise<void> | null = null;
      let inFlightAtKill = 0;
      let outstanding = 0;

      for (let i = 0; i < sends; i += 1) {
        // A socket that has seen the disconnect would only buffer the emit until its ack timeout.
        if (!client.socket.connected) break;
        const marker = `[k${round}-${i}]`;
        sent.add(marker);
        outstanding += 1;
        const settled = client
          .change((doc) => {
            const text = doc.getText("probe");
            text.insert(text.length, marker);
          })
          .then(
            (ack: DocAck) => {
              if (ack.ok) ackedThisRound.push(marker);
            },
            () => undefined, // disconnected or timed out: not acknowledged
          )
          .finally(() => (outstanding -= 1));
        pending.push(settled);
        if (i === killAt) {
          killed = new Promise<void>((resolve, reject) =>
            setTimeout(() => {
              inFlightAtKill = outstanding;
              killChild(target).then(resolve, reject);
            }, killDelayMs),
          );
        }
        if (awaitEach && !killed) await settled;
      }
      await killed;
      // The kill closes the connection; every outstanding send settles (acked or rejected).
      await waitFor(() => !client.socket.connected, "the client to notice the kill");
      await Promise.all(pending);
      if (inFlightAtKill > 0) killsWithSendsInFlight += 1;
      acknowledged.push(...ackedThisRound);
      client.close();

      await startChild();
    }

    const final = await joinFresh();
    const text = final.text();
    expect(acknowledged.filter((marker) => !text.includes(marker)), `acknowledged inserts lost after the last restart (seed ${SEED})`).toEqual([]);
    // Nothing but what we sent, and each marker at most once.
    const present = text.match(/\[k\d+-\d+\]/g) ?? [];
    expect(present.join("")).toBe(text);
    expect(new Set(present).size).toBe(present.length);
    expect(present.every((marker) => sent.has(marker))).toBe(true);
    // The scenario really exercised what it claims to.
    expect(acknowledged.length, "acknowledged inserts").toBeGreaterThan(0);
    expect(killsWithSendsInFlight, "kills that happened while inserts were in flight").toBeGreaterThan(0);
  }, 120_000);
});
