/** Migrations, the schema snapshot and the demo seed. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../app/generated/prisma/client.ts";
import { DEMO_ACCOUNTS, DEMO_ORGANIZATIONS } from "../../prisma/demo-accounts.ts";
import { applyMigrations, diffSchemas, readMigrationList, SCHEMA_PATH, SNAPSHOT_PATH } from "../../prisma/scripts/schema-engine.ts";
import { seedDemoData, isDatabaseEmpty } from "../../prisma/seed.ts";
import { workerDatabaseUrl } from "../support/database.ts";

let url: string;
let db: PrismaClient;
let client: pg.Client;

beforeAll(async () => {
  url = await workerDatabaseUrl();
  db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  client = new pg.Client({ connectionString: url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.$disconnect();
});

describe("migrations", () => {
  it("records every migration folder in _prisma_migrations, as prisma migrate deploy does", async () => {
    const folders = readMigrationList().migrationDirectories.map((entry) => entry.path);
    expect(folders.length).toBeGreaterThan(0);
    const { rows } = await client.query("SELECT migration_name, finished_at, rolled_back_at, checksum FROM _prisma_migrations ORDER BY migration_name");
    expect(rows.map((row) => row.migration_name)).toEqual(folders);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("is idempotent: a second run applies nothing", async () => {
    expect(await applyMigrations(url)).toEqual([]);
  });

  it("has no schema change left without a migration (snapshot = schema.prisma, as SQL)", async () => {
    const sql = await diffSchemas(fs.readFileSync(SNAPSHOT_PATH, "utf8"), fs.readFileSync(SCHEMA_PATH, "utf8"));
    expect(sql.replace(/^--.*$/gm, "").trim()).toBe("");
  });

  it("a migration computed from an empty database reproduces the schema", async () => {
    const sql = await diffSchemas(null, fs.readFileSync(SCHEMA_PATH, "utf8"));
    expect(sql).toContain('CREATE TABLE "User"');
    expect(sql).toContain('CREATE TABLE "Organization"');
  });
});

describe("demo seed", () => {
  it("is idempotent and creates the documented demo setting", async () => {
    await seedDemoData(db);
    const counts = async () => ({
      users: await db.user.count({ where: { email: { in: DEMO_ACCOUNTS.map((account) => account.email) } } }),
      orgs: await db.organization.count({ where: { slug: { in: DEMO_ORGANIZATIONS.map((org) => org.slug) } } }),
      memberships: await db.membership.count({ where: { user: { email: { in: DEMO_ACCOUNTS.map((account) => account.email) } } } }),
    });
    const first = await counts();
    await seedDemoData(db);
    expect(await counts()).toEqual(first);
    expect(first).toEqual({
      users: DEMO_ACCOUNTS.length,
      orgs: DEMO_ORGANIZATIONS.length,
      memberships: DEMO_ACCOUNTS.reduce((sum, account) => sum + account.memberships.length, 0),
    });
    expect(await isDatabaseEmpty(db)).toBe(false);
    const union = await db.organization.findUniqueOrThrow({ where: { slug: "hz-rider-union" }, include: { parent: true } });
    expect(union.parent?.slug).toBe("hz-federation");
    const types = new Set((await db.organization.findMany({ where: { slug: { in: DEMO_ORGANIZATIONS.map((org) => org.slug) } } })).map((org) => org.type));
    expect(types).toEqual(new Set(["UNION", "ASSOCIATION", "PLATFORM", "PARTNER", "BUREAU"]));
  });
});
