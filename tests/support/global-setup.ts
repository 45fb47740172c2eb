/**
 * Integration-test databases. With a PostgreSQL server (XS_TEST_PG_URL, set by tests/run.mjs when
 * one answers), we migrate one template database per run and every worker clones it (fast,
 * isolated). Without a server, each worker starts its own in-memory PGlite instead
 * (tests/support/database.ts), so `npm test` works on a laptop with nothing installed.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../prisma/scripts/schema-engine.ts";

export default async function setup(project: TestProject) {
  const serverUrl = process.env.XS_TEST_PG_URL;
  if (!serverUrl) return;
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const template = `xs_test_${runId}_template`;
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  await applyMigrations(templateUrl.toString());
  project.provide("pgTemplate", { serverUrl, template, runId });

  return async () => {
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`xs_test_${runId}_%`]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
}

function withDatabase(url: string, name: string): string {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: { serverUrl: string; template: string; runId: string } | undefined;
  }
}
