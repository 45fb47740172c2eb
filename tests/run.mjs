#!/usr/bin/env node
/**
 * `npm test`: every check, in order — Prisma client, type check, lint, Remix build, unit and
 * integration tests (vitest), end-to-end tests (Playwright, Debian's Chromium).
 *
 * Database: DATABASE_URL (or TEST_DATABASE_URL) when set; otherwise a PostgreSQL server on
 * 127.0.0.1:5432 if one answers; otherwise the embedded database (PGlite), so this also works on a
 * laptop with nothing installed (XS_TEST_EMBEDDED=1 forces that path). Test databases are created
 * and dropped per run.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules/.bin", name);

function step(title, command, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (${seconds}s)`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds}s)`);
}

async function findPostgres() {
  const candidates = [process.env.TEST_DATABASE_URL, process.env.DATABASE_URL, "postgresql://postgres@127.0.0.1:5432/postgres"].filter(Boolean);
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return url;
    } catch {
      // try the next candidate
    } finally {
      await client.end().catch(() => {});
    }
  }
  return null;
}

/** Whether something answers on a TCP port of this machine. */
function answers(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host, timeout: 1000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const only = process.argv[2]; // optional: unit | integration | e2e
const filters = process.argv.slice(3); // optional, with integration: test files (vitest filters)

if (!fs.existsSync(path.join(root, "app/generated/prisma/client.ts"))) {
  step("Generate the Prisma client", process.execPath, ["prisma/scripts/generate.mjs"]);
}
if (!only) {
  step("Type check (tsc)", bin("tsc"), ["--noEmit"]);
  step("Lint (eslint)", bin("eslint"), ["."]);
}
step("Build (remix build)", bin("remix"), ["build"]);

// XS_TEST_EMBEDDED=1 forces the embedded database even where a server answers (to check that path).
const serverUrl = process.env.XS_TEST_EMBEDDED === "1" ? null : await findPostgres();
const dbEnv = serverUrl ? { XS_TEST_PG_URL: serverUrl } : { XS_TEST_PG_URL: "" };
console.log(serverUrl ? `\nDatabase: PostgreSQL server at ${new URL(serverUrl).host}` : "\nDatabase: embedded PGlite (no PostgreSQL server answered)");

if (!only || only === "unit") step("Unit tests (vitest)", bin("vitest"), ["run", "--project", "unit"]);
// The scale-out suite needs Redis. CI always has it (XS_REQUIRE_REDIS=1 makes its absence a
// failure); on a laptop without Redis that one suite is left out, and we say so.
const redis = await answers(6379);
if (!redis && process.env.XS_REQUIRE_REDIS === "1") {
  console.error("✖ Redis is required (XS_REQUIRE_REDIS=1) but nothing answers on 127.0.0.1:6379");
  process.exit(1);
}
const integrationArgs = ["run", "--project", "integration", ...(only === "integration" ? filters : [])];
if (!redis) {
  console.log("\n! Redis does not answer on 127.0.0.1:6379: the scale-out and Redis-fault suites (tests/realtime/scale-out.test.ts, redis-faults.test.ts) are not run.");
  integrationArgs.push("--exclude", "tests/realtime/scale-out.test.ts", "--exclude", "tests/realtime/redis-faults.test.ts");
}
if (!serverUrl) {
  console.log("\n! Embedded database: the two lock tests of tests/realtime/database-faults.test.ts (a slow, locked database) are not run: PGlite is one backend, so no second session can hold a lock for the server to wait on (decision 033).");
}
if (!only || only === "integration") step("Integration tests (vitest, real database)", bin("vitest"), integrationArgs, dbEnv);
if (!only || only === "e2e") step("End-to-end tests (Playwright, Chromium)", bin("playwright"), ["test"], dbEnv);

console.log("\nAll checks passed.");
