/**
 * Backup and restore (issue 8, item 7; decision 019), through the real commands
 * (`npm run db:backup` / `db:restore`, i.e. prisma/scripts/backup.ts and restore.ts):
 *
 * - PostgreSQL server: pg_dump of a database with bargaining sessions, restored into a fresh
 *   database; every table has the same rows and every audit (and notice) hash chain verifies.
 *   Restoring over a database that has tables is refused. A tampered audit row is detected, so the
 *   verification can fail.
 * - Embedded database: the server (child process) writes data into a PGlite folder and stops; the
 *   folder is backed up with dumpDataDir, restored into a new folder and verified the same way.
 *   A backup of an open folder is refused.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "../../prisma/embedded.ts";
import { verifyAllChains } from "../../prisma/scripts/verify-chains.ts";
import { startTestServer } from "../support/server.ts";
import { sessionInBargaining, writeTerms } from "../support/sessions.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "xs-backup-"));

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Runs one of the npm scripts' files as `npm run` would, with this environment. */
function run(script: "backup" | "restore", args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [TSX, `prisma/scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

/** Rows of every table of the public schema (ordered), to compare two databases. */
async function contents(client: pg.Client): Promise<Record<string, string>> {
  const { rows: tables } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const result: Record<string, string> = {};
  for (const { tablename } of tables) {
    const { rows } = await client.query(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest, count(*)::int AS n FROM "${tablename}" t`);
    result[tablename] = `${rows[0].n}:${rows[0].digest}`;
  }
  return result;
}

const template = inject("pgTemplate");

describe.runIf(template)("backup and restore on a PostgreSQL server (pg_dump / pg_restore)", () => {
  it("restores into a fresh database with every row and every hash chain intact", async () => {
    const server = await startTestServer();
    const source = new pg.Client({ connectionString: server.databaseUrl });
    await source.connect();
    const freshName = `xs_test_${template!.runId}_restored_${process.pid}`;
    const freshUrl = withDatabase(template!.serverUrl, freshName);
    const admin = new pg.Client({ connectionString: withDatabase(template!.serverUrl, "postgres") });
    await admin.connect();
    let restored: pg.Client | null = null;
    let stopped = false;
    try {
      await writeTerms(server.url, await sessionInBargaining(server.url, source, `备份测试 ${Date.now()}`));
      // Stopped before the backup: its background work (e-mail deliveries) would go on changing rows.
      await server.close();
      stopped = true;
      const before = await verifyAllChains(async (sql, params) => (await source.query(sql, params)).rows);
      expect(before.broken).toEqual([]);
      expect(before.auditChains).toBeGreaterThanOrEqual(1);
      expect(before.organizationChains).toBeGreaterThanOrEqual(1);

      const file = path.join(scratch, "server.dump");
      const backup = run("backup", [file], { DATABASE_URL: server.databaseUrl });
      expect(backup.status, backup.output).toBe(0);
      expect(fs.statSync(file).size).toBeGreaterThan(0);

      // Over live data: refused, nothing touched.
      const over = run("restore", [file], { DATABASE_URL: server.databaseUrl });
      expect(over.status).toBe(1);
      expect(over.output).toMatch(/restore into a new, empty database/);

      await admin.query(`CREATE DATABASE "${freshName}"`);
      const restore = run("restore", [file], { DATABASE_URL: freshUrl });
      expect(restore.status, restore.output).toBe(0);
      expect(restore.output).toMatch(new RegExp(`verified ${before.auditChains} audit chains \\(${before.auditEvents} events\\)`));

      restored = new pg.Client({ connectionString: freshUrl });
      await restored.connect();
      expect(await contents(restored)).toEqual(await contents(source));
      const after = await verifyAllChains(async (sql, params) => (await restored!.query(sql, params)).rows);
      expect(after).toEqual(before);
      // The append-only trigger came back with the schema.
      await expect(restored.query(`UPDATE "AuditEvent" SET type = type`)).rejects.toThrow();

      // The verification can fail: alter one audit row behind the trigger's back.
      await restored.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await restored.query(`UPDATE "AuditEvent" SET payload = '{"tampered":true}' WHERE seq = 2 AND "sessionId" = (SELECT min("sessionId") FROM "AuditEvent")`);
      const tampered = await verifyAllChains(async (sql, params) => (await restored!.query(sql, params)).rows);
      expect(tampered.broken).toHaveLength(1);
      expect(tampered.broken[0]).toMatch(/broken at event 2 \(hash\)/);
    } finally {
      await restored?.end();
      await source.end();
      if (!stopped) await server.close();
      await admin.query(`DROP DATABASE IF EXISTS "${freshName}" WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});

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

/** The real server on the embedded database in `dataDir`, as `npm start` runs it. */
async function startEmbeddedServer(dataDir: string): Promise<{ url: string; dbUrl: string; child: ChildProcess; output: () => string }> {
  const [port, dbPort] = [await freePort(), await freePort()];
  let output = "";
  const child = spawn(process.execPath, ["build/index.js"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", XS_DATA_DIR: dataDir, XS_EMBEDDED_DB_PORT: String(dbPort), PORT: String(port), HOST: "127.0.0.1", XS_DEMO: "true", NODE_ENV: "production", REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output.slice(-3000)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) break;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `http://127.0.0.1:${port}`, dbUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`, child, output: () => output };
}

describe("backup and restore of the embedded database (PGlite data folder)", () => {
  it("copies a stopped server's folder and restores it into a new folder with every hash chain intact", async () => {
    const dataDir = path.join(scratch, "pglite");
    const server = await startEmbeddedServer(dataDir);
    let before: Awaited<ReturnType<typeof verifyAllChains>>;
    try {
      const client = new pg.Client({ connectionString: server.dbUrl });
      await client.connect();
      try {
        await sessionInBargaining(server.url, client, `嵌入式备份 ${Date.now()}`);
        before = await verifyAllChains(async (sql, params) => (await client.query(sql, params)).rows);
      } finally {
        await client.end();
      }
      expect(before.broken).toEqual([]);
      expect(before.auditEvents).toBeGreaterThan(0);
      // While the server has the folder open, a copy would be inconsistent: refused.
      const open = run("backup", [path.join(scratch, "open.tar.gz")], { XS_DATA_DIR: dataDir });
      expect(open.status).toBe(1);
      expect(open.output).toMatch(/stop the server first/);
    } finally {
      const exited = new Promise((resolve) => server.child.once("exit", resolve));
      server.child.kill("SIGTERM");
      await exited;
    }

    const file = path.join(scratch, "embedded.tar.gz");
    const backup = run("backup", [file], { XS_DATA_DIR: dataDir });
    expect(backup.status, backup.output).toBe(0);

    const restoredDir = path.join(scratch, "restored");
    const restore = run("restore", [file], { XS_DATA_DIR: restoredDir });
    expect(restore.status, restore.output).toBe(0);
    expect(restore.output).toMatch(new RegExp(`verified ${before.auditChains} audit chains \\(${before.auditEvents} events\\)`));
    // Into a folder that has a database already: refused.
    const over = run("restore", [file], { XS_DATA_DIR: restoredDir });
    expect(over.status).toBe(1);

    const copy = await PGlite.create(restoredDir, { extensions: PGLITE_EXTENSIONS });
    try {
      const after = await verifyAllChains(async (sql, params) => (await copy.query<Record<string, unknown>>(sql, params)).rows);
      expect(after).toEqual(before);
      const sessions = await copy.query<{ n: number }>(`SELECT count(*)::int AS n FROM "BargainingSession"`);
      expect(sessions.rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await copy.close();
    }
  }, 180_000);
});
