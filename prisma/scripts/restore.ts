/**
 * `npm run db:restore -- <file>`: restores a backup made by `npm run db:backup` into an EMPTY
 * database, then recomputes every audit and notice hash chain (docs/decisions/019).
 *
 *   DATABASE_URL set   → pg_restore of a .dump into that database, which must have no tables
 *                        (create it first: createdb xieshang_restored)
 *   DATABASE_URL unset → a .tar.gz unpacked by PGlite into XS_DATA_DIR, which must not exist yet
 *
 * Restoring over live data is refused: a restore never destroys the record it would replace.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "../embedded.ts";
import { parseEnv } from "../../app/infra/env.server.ts";
import { describeReport, verifyAllChains, type ChainReport } from "./verify-chains.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function fail(message: string): never {
  console.error(`db:restore: ${message}`);
  process.exit(1);
}

const env = (() => {
  try {
    return parseEnv(process.env);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();
const source = process.argv[2];
if (!source) fail("name the backup file: npm run db:restore -- backups/xieshang-….dump");
const file = path.resolve(source);
if (!fs.existsSync(file)) fail(`${file} does not exist`);

let report: ChainReport;
if (env.DATABASE_URL) {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  try {
    await client.connect();
  } catch (error) {
    fail(`cannot connect to DATABASE_URL (${error instanceof Error ? error.message : error}); create the database first (createdb …)`);
  }
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
    if (rows[0].n > 0) fail(`the target database has ${rows[0].n} tables: restore into a new, empty database (createdb xieshang_restored) and point DATABASE_URL at it`);
    const restore = spawnSync("pg_restore", ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", env.DATABASE_URL, file], { stdio: ["ignore", "inherit", "inherit"] });
    if (restore.error) fail(`pg_restore could not run (${restore.error.message}); install the PostgreSQL client tools`);
    if (restore.status !== 0) fail(`pg_restore failed (exit ${restore.status}); the single transaction was rolled back, the database is still empty`);
    report = await verifyAllChains(async (sql, params) => (await client.query(sql, params)).rows);
  } finally {
    await client.end();
  }
} else {
  const dataDir = path.resolve(ROOT, env.XS_DATA_DIR);
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) fail(`${dataDir} (XS_DATA_DIR) is not empty: restore into a new folder, e.g. XS_DATA_DIR=.data/restored`);
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { loadDataDir: new Blob([fs.readFileSync(file)]), extensions: PGLITE_EXTENSIONS });
  try {
    report = await verifyAllChains(async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows);
  } finally {
    await db.close();
  }
}
console.log(`Restored ${file}; ${describeReport(report)}`);
process.exit(report.broken.length ? 2 : 0);
