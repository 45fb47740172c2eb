/**
 * Crash durability at the scale of issue 8: 20 clients type into 4 documents (sessions) at once;
 * the server, a child process (`node build/index.js`, what `npm start` runs), is killed with SIGKILL at a random moment (no
 * shutdown hook, no flush) at least 10 times and restarted on the same port.
 *
 * After every restart each client joins again with a fresh connection and, before anything else,
 * every insert the server acknowledged must be in the document it loads. Then the client sends what
 * its replica still holds that the server lacks (its unacknowledged inserts, as any y-protocols
 * client does on reconnect). At the end every replica of a document, and a fresh reader, hold the
 * same text, and every insert ever typed is in it exactly once.
 *
 * Seeded (XS_CRASH_SEED overrides; the seed is printed) so that a failing run can be replayed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import type { DocAck } from "../../realtime/protocol.ts";
import { workerDatabaseUrl } from "../support/database.ts";
import { startTestServer } from "../support/server.ts";
import { loginAs, sessionInBargaining } from "../support/sessions.ts";
import { waitFor, YjsTestClient } from "../support/yjs-client.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const KILLS = 10;
const CLIENTS = 20;
const DOCUMENTS = 4;
/** At most this many inserts per client between two kills (they stop earlier, at the kill). */
const MAX_INSERTS_PER_ROUND = 60;
const SEED = Number(process.env.XS_CRASH_SEED ?? 0x5eed_2024) >>> 0;
/** The worker side's seats in every session of the fixture: the accounts that may edit the draft. */
const EDITORS: Array<[roleKey: string, index: number]> = [
  ["unionNegotiator", 0],
  ["unionAdmin", 0],
  ["workerRepresentative", 0],
];

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
const sessionIds: string[] = [];
const cookies: string[] = [];
let port: number;
let child: ChildProcess | null = null;
/** The child's output (all of its lives), shown when it fails to start. */
let childOutput = "";
const clients: YjsTestClient[] = [];

function childAlive(target: ChildProcess): boolean {
  return target.exitCode === null && target.signalCode === null;
}

async function startChild(): Promise<ChildProcess> {
  const started = spawn(process.execPath, ["build/index.js"], {
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
    // Its own process group, so that the kill reaches the server and nothing else (and nothing it
    // might start is orphaned).
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

/** SIGKILLs the server (its whole process group) and waits until it is really gone. */
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

/** A client slot: which document, which account, and its replica (kept across connections). */
type Slot = { index: number; sessionId: string; cookie: string; replica: Y.Doc; sent: string[]; acked: Set<string> };

async function connect(slot: Slot): Promise<YjsTestClient> {
  const client = new YjsTestClient(`http://127.0.0.1:${port}`, slot.sessionId, slot.cookie);
  clients.push(client);
  const ack = await client.join();
  expect(ack, `join of client ${slot.index} after (re)start (seed ${SEED})`).toMatchObject({ ok: true, capabilities: { edit: true } });
  return client;
}

/** Sends what the slot's replica has and the server lacks, then makes the replica this client's doc. */
async function resendPending(slot: Slot, client: YjsTestClient): Promise<void> {
  const missing = Y.encodeStateAsUpdate(slot.replica, Y.encodeStateVector(client.doc));
  Y.applyUpdate(client.doc, missing, "server");
  const ack = await client.sendUpdate(missing);
  expect(ack, `resending client ${slot.index}'s unacknowledged inserts (seed ${SEED})`).toMatchObject({ ok: true });
  Y.applyUpdate(slot.replica, Y.encodeStateAsUpdate(client.doc));
}

const markers = (text: string): string[] => text.match(/\[c\d+k\d+i\d+\]/g) ?? [];

beforeAll(async () => {
  console.log(`crash durability: seed ${SEED} (replay with XS_CRASH_SEED=${SEED})`);
  // Seed and build the sessions with an in-process server, then hand the database to the child.
  databaseUrl = await workerDatabaseUrl();
  const seeder = await startTestServer();
  try {
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    for (let d = 0; d < DOCUMENTS; d += 1) sessionIds.push(await sessionInBargaining(seeder.url, db, `崩溃测试 ${d} ${Date.now()}`));
    for (const [roleKey, index] of EDITORS) {
      const cookie = (await loginAs(seeder.url, roleKey, index)).cookies.get("xs_session");
      expect(cookie, `session cookie of ${roleKey} ${index}`).toBeTruthy();
      cookies.push(cookie!);
    }
  } finally {
    await seeder.close();
  }
  port = await freePort();
  await startChild();
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.close();
  if (child) await killChild(child);
  await db?.end();
});

describe("crash durability", () => {
  it(`keeps every acknowledged update of ${CLIENTS} clients in ${DOCUMENTS} documents through ${KILLS} SIGKILLs, and all replicas converge`, async () => {
    const random = lcg(SEED);
    const slots: Slot[] = Array.from({ length: CLIENTS }, (_, index) => ({
      index,
      sessionId: sessionIds[index % DOCUMENTS]!,
      cookie: cookies[index % cookies.length]!,
      replica: new Y.Doc(),
      sent: [],
      acked: new Set<string>(),
    }));
    let killsWithSendsInFlight = 0;
    let inFlightAtKills = 0;

    for (let kill = 0; kill < KILLS; kill += 1) {
      const live = await Promise.all(slots.map(connect));
      // Everything acknowledged before the previous kill(s) was loaded from the database.
      for (const slot of slots) {
        const loaded = live[slot.index]!.text();
        const lost = [...slots.filter((other) => other.sessionId === slot.sessionId).flatMap((other) => [...other.acked])].filter((marker) => !loaded.includes(marker));
        expect(lost, `acknowledged inserts lost at restart ${kill} in document ${slot.sessionId} (seed ${SEED})`).toEqual([]);
      }
      await Promise.all(slots.map((slot) => resendPending(slot, live[slot.index]!)));

      const target = child!;
      let outstanding = 0;
      const typing = slots.map(async (slot) => {
        const client = live[slot.index]!;
        // Each client keeps typing until the kill cuts it off (bounded, so a slow kill cannot grow
        // the documents without end): the kill always lands while inserts are in flight, however
        // fast the machine acknowledges them.
        const awaitEach = random.int(2) === 0; // one at a time, or several in flight at once
        const pauses = Array.from({ length: MAX_INSERTS_PER_ROUND }, () => 5 + random.int(20));
        const pending: Promise<void>[] = [];
        for (let i = 0; i < MAX_INSERTS_PER_ROUND; i += 1) {
          // A socket that has seen the disconnect would only buffer the emit until its ack timeout.
          if (!client.socket.connected) break;
          const marker = `[c${slot.index}k${kill}i${i}]`;
          slot.sent.push(marker);
          outstanding += 1;
          const settled = client
            .change((doc) => {
              const text = doc.getText("probe");
              text.insert(text.length, marker);
            })
            .then(
              (ack: DocAck) => {
                if (ack.ok) slot.acked.add(marker);
              },
              () => undefined, // disconnected or timed out: not acknowledged
            )
            .finally(() => (outstanding -= 1));
          pending.push(settled);
          if (awaitEach) await settled;
          await new Promise((resolve) => setTimeout(resolve, pauses[i]));
        }
        await Promise.all(pending);
      });
      const killDelayMs = 50 + random.int(500);
      await new Promise((resolve) => setTimeout(resolve, killDelayMs));
      inFlightAtKills += outstanding;
      if (outstanding > 0) killsWithSendsInFlight += 1;
      await killChild(target);
      // The kill closes every connection; every outstanding send settles (acked or rejected).
      await waitFor(() => live.every((client) => !client.socket.connected), "the clients to notice the kill");
      await Promise.all(typing);
      for (const slot of slots) {
        // The replica keeps everything this client typed or received, acknowledged or not.
        Y.applyUpdate(slot.replica, Y.encodeStateAsUpdate(live[slot.index]!.doc));
        live[slot.index]!.close();
      }
      await startChild();
    }

    // Last reconnection, no kill: every replica sends what it holds, then all must agree.
    const live = await Promise.all(slots.map(connect));
    for (const slot of slots) {
      const lost = [...slot.acked].filter((marker) => !live[slot.index]!.text().includes(marker));
      expect(lost, `acknowledged inserts lost after the last restart (seed ${SEED})`).toEqual([]);
    }
    await Promise.all(slots.map((slot) => resendPending(slot, live[slot.index]!)));
    const readers = await Promise.all(sessionIds.map((sessionId) => connect({ index: -1, sessionId, cookie: cookies[0]!, replica: new Y.Doc(), sent: [], acked: new Set() })));
    for (const [d, sessionId] of sessionIds.entries()) {
      const expected = readers[d]!.text();
      const mine = slots.filter((slot) => slot.sessionId === sessionId);
      // Every replica converges on what a fresh reader loads from the restarted server.
      await waitFor(() => mine.every((slot) => live[slot.index]!.text() === expected), `replicas of document ${d} to converge (seed ${SEED})`);
      const present = markers(expected);
      expect(present.join(""), "nothing but whole markers").toBe(expected);
      expect(new Set(present).size, "each marker at most once").toBe(present.length);
      const typed = mine.flatMap((slot) => slot.sent);
      expect(typed.filter((marker) => !present.includes(marker)), `typed inserts missing from document ${d} (seed ${SEED})`).toEqual([]);
      expect(present.length).toBe(typed.length);
    }

    const acknowledged = slots.reduce((sum, slot) => sum + slot.acked.size, 0);
    const typed = slots.reduce((sum, slot) => sum + slot.sent.length, 0);
    console.log(
      `crash durability (seed ${SEED}): ${KILLS} SIGKILLs survived, ${CLIENTS} clients in ${DOCUMENTS} documents, ` +
        `${typed} inserts typed, ${acknowledged} acknowledged, 0 lost; ${inFlightAtKills} in flight at the kills (${killsWithSendsInFlight} kills with sends in flight)`,
    );
    // The scenario really exercised what it claims to.
    expect(acknowledged, "acknowledged inserts").toBeGreaterThan(CLIENTS);
    expect(killsWithSendsInFlight, "kills that happened while inserts were in flight").toBeGreaterThanOrEqual(KILLS / 2);
  }, 300_000);
});
