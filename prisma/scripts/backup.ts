/**
 * `npm run db:backup [-- <file>]`: a consistent backup of the database (docs/decisions/019).
 *
 *   DATABASE_URL set   → pg_dump in its custom format (a snapshot taken in one transaction, so the
 *                        server may keep running), default file backups/xieshang-<time>.dump
 *   DATABASE_URL unset → the embedded database in XS_DATA_DIR, copied with PGlite's dumpDataDir
 *                        into a .tar.gz; the server must be stopped first (one process at a time)
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "../embedded.ts";
import { parseEnv } from "../../app/infra/env.server.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function fail(message: string): never {
  console.error(`db:backup: ${message}`);
  process.exit(1);
}

const env = (() => {
  try {
    return parseEnv(process.env);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const target = path.resolve(process.argv[2] ?? path.join(ROOT, "backups", `xieshang-${stamp}${env.DATABASE_URL ? ".dump" : ".tar.gz"}`));
if (fs.existsSync(target)) fail(`${target} exists already; name another file`);
fs.mkdirSync(path.dirname(target), { recursive: true });

if (env.DATABASE_URL) {
  const dump = spawnSync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", target, "--dbname", env.DATABASE_URL], { stdio: ["ignore", "inherit", "inherit"] });
  if (dump.error) fail(`pg_dump could not run (${dump.error.message}); install the PostgreSQL client tools of the server's major version`);
  if (dump.status !== 0) {
    fs.rmSync(target, { force: true });
    fail(`pg_dump failed (exit ${dump.status}); nothing was written`);
  }
} else {
  const dataDir = path.resolve(ROOT, env.XS_DATA_DIR);
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) fail(`no embedded database in ${dataDir} (XS_DATA_DIR)`);
  // PGlite keeps postmaster.pid while the folder is open: a running server (or one killed without
  // shutting down) would make the copy inconsistent.
  if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
    fail(`the embedded database in ${dataDir} is open (postmaster.pid is present): stop the server first; if it was killed, start and stop it once`);
  }
  const db = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
  try {
    const archive = await db.dumpDataDir("gzip");
    fs.writeFileSync(target, Buffer.from(await archive.arrayBuffer()));
  } finally {
    await db.close();
  }
}
console.log(`Backup written to ${target} (${fs.statSync(target).size} bytes)`);
process.exit(0);
