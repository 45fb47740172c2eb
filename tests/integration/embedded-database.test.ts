/**
 * The embedded database's wire server (prisma/embedded.ts, decision 033): PGlite is one backend,
 * shared by pooled connections. Checked from outside with the pg driver and a raw socket:
 * - many parameterised queries at once on a pool, some with parameters large enough to arrive in
 *   several TCP chunks, each get their own answer (no connection's Bind runs against another's
 *   Parse);
 * - a transaction is never interleaved with another connection's statements;
 * - a connection that dies in a transaction, or in the middle of an extended-protocol exchange,
 *   leaves nothing behind: its transaction is rolled back and the others go on.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../prisma/embedded.ts";

let embedded: EmbeddedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
  pool = new pg.Pool({ connectionString: embedded.url, max: 10 });
  await pool.query("CREATE TABLE probe (id int PRIMARY KEY, note text)");
});

afterAll(async () => {
  await pool?.end();
  await embedded?.stop();
});

/** A PostgreSQL protocol message: type byte, length, body. */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const cstring = (text: string) => Buffer.from(`${text}\0`, "utf8");

describe("the embedded database's wire server", () => {
  it("answers 200 concurrent parameterised queries on a pool of 10, each with its own result", async () => {
    // Each query's text differs, so a Bind run against another connection's Parse shows; every
    // other one carries a parameter of 300 KB, which arrives in several TCP chunks (a stored draft
    // update does), so that other connections' messages come in between.
    const big = (n: number) => (n % 2 ? "x".repeat(300_000 + n) : `value ${n}`);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        pool
          .query<{ n: number; length: number; tag: string }>(`SELECT $1::int AS n, length($2::text) AS length, 'query ${n}' AS tag`, [n, big(n)])
          .then((result) => result.rows[0]!, (error: Error) => ({ n: -1, length: -1, tag: error.message })),
      ),
    );
    answers.forEach((row, n) => expect(row).toEqual({ n, length: big(n).length, tag: `query ${n}` }));
  }, 60_000);

  it("keeps a transaction's statements together while other connections query", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("INSERT INTO probe (id, note) VALUES (1, 'in a transaction')");
      // Another connection's statement waits for the transaction to end, so it never sees (or
      // joins) the uncommitted row.
      const other = pool.query<{ count: number }>("SELECT count(*)::int AS count FROM probe WHERE id = 1");
      await new Promise((resolve) => setTimeout(resolve, 50));
      await client.query("ROLLBACK");
      expect((await other).rows[0]!.count).toBe(0);
    } finally {
      client.release();
    }
  }, 30_000);

  it("rolls back the transaction of a connection that dies in it, and goes on", async () => {
    const doomed = new pg.Client({ connectionString: embedded.url });
    doomed.on("error", () => {});
    await doomed.connect();
    await doomed.query("BEGIN");
    await doomed.query("INSERT INTO probe (id, note) VALUES (2, 'never committed')");
    // The connection is cut without a word (as when a process is killed).
    (doomed as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    const after = await pool.query<{ count: number }>("SELECT count(*)::int AS count FROM probe WHERE id = 2");
    expect(after.rows[0]!.count).toBe(0);
    expect((await pool.query("INSERT INTO probe (id, note) VALUES (2, 'committed') RETURNING id")).rows).toEqual([{ id: 2 }]);
  }, 30_000);

  it("ends the exchange of a connection that dies between Parse and Sync, and goes on", async () => {
    const { port } = new URL(embedded.url);
    const socket = net.connect({ host: "127.0.0.1", port: Number(port) });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const params = Buffer.concat([cstring("user"), cstring("postgres"), cstring("database"), cstring("postgres"), Buffer.from([0])]);
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    await new Promise((resolve) => socket.once("data", resolve)); // AuthenticationOk … ReadyForQuery
    // Parse and Bind an unnamed statement, then vanish before Sync.
    const parse = message("P", Buffer.concat([cstring(""), cstring("SELECT 'left behind'::text AS text"), Buffer.from([0, 0])]));
    const bind = message("B", Buffer.concat([cstring(""), cstring(""), Buffer.from([0, 0, 0, 0, 0, 0])]));
    socket.write(Buffer.concat([parse, bind]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    const rows = await Promise.all(Array.from({ length: 20 }, (_, n) => pool.query<{ n: number }>("SELECT $1::int AS n", [n]).then((result) => result.rows[0]!.n)));
    expect(rows).toEqual(Array.from({ length: 20 }, (_, n) => n));
  }, 30_000);

  it("closes a connection that announces an absurd message instead of buffering it", async () => {
    const { port } = new URL(embedded.url);
    const socket = net.connect({ host: "127.0.0.1", port: Number(port) });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    const huge = Buffer.alloc(8);
    huge.writeInt32BE(2_000_000_000, 0);
    huge.writeInt32BE(196608, 4);
    socket.write(huge);
    await closed;
    expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  }, 30_000);
});
