/**
 * One database per test worker: a clone of the migrated template on a PostgreSQL server, or an
 * in-memory PGlite when there is no server. Returns its URL (set as DATABASE_URL).
 */
import pg from "pg";
import { inject } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../prisma/embedded.ts";
import { applyMigrations } from "../../prisma/scripts/schema-engine.ts";

let pending: Promise<string> | undefined;
let embedded: EmbeddedPostgres | undefined;

async function create(): Promise<string> {
  const template = inject("pgTemplate");
  if (template) {
    const name = `xs_test_${template.runId}_w${process.env.VITEST_POOL_ID ?? "0"}_${process.pid}`;
    const admin = new pg.Client({ connectionString: withDatabase(template.serverUrl, "postgres") });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template.template}"`);
    } finally {
      await admin.end();
    }
    return withDatabase(template.serverUrl, name);
  }
  embedded = await startEmbeddedPostgres({ dataDir: "memory://" });
  await applyMigrations(embedded.url);
  return embedded.url;
}

export function workerDatabaseUrl(): Promise<string> {
  pending ??= create();
  return pending;
}

function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}
