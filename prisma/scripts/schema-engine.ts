/**
 * Prisma's own schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm), driven through
 * the pg driver adapter. The Prisma CLI cannot fetch its native engine on our machines, so this is
 * how we apply the standard `prisma/migrations` folder (recording `_prisma_migrations` exactly as
 * `prisma migrate deploy` does) and how we compute the SQL of a new migration.
 * See docs/decisions/003-migrations-with-wasm-schema-engine.md.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { startEmbeddedPostgres } from "../embedded.ts";
import { projectRoot } from "./project-root.ts";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

export const PRISMA_DIR = path.join(projectRoot(import.meta.url), "prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
/** The datamodel that the migrations folder produces; the base of the next `db:migration` diff. */
export const SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, "..", "migrations.snapshot.prisma");

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ";", which breaks
 * dollar-quoted function bodies (our audit-log trigger). The native engine sends the script whole;
 * so do we: PostgreSQL's simple-query protocol runs several statements in one call.
 */
class WholeScriptPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const driver = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(error: unknown): never };
    adapter.executeScript = async (script: string) => {
      try {
        await driver.client.query(script);
      } catch (error) {
        driver.onError(error);
      }
    };
    return adapter;
  }
}

const NO_FILTER = { externalTables: [] as string[], externalEnums: [] as string[] };

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

/**
 * The generated bindings keep the wasm instance in a module variable of their own: one per
 * process, however many copies of this file a process loads (the server bundle, and a test's own
 * import from source). Instantiating it twice breaks the first copy's closures, so the promise of
 * the one instantiation is kept on the bindings' setter function, the one object every copy shares.
 */
type WasmSetter = ((exports: unknown) => void) & { xieshangReady?: Promise<void> };

/** The package is built for bundlers (it imports the .wasm file); Node needs it instantiated by hand. */
function loadWasm(): Promise<void> {
  const setWasm = (engineBindings as unknown as { __wbg_set_wasm: WasmSetter }).__wbg_set_wasm;
  setWasm.xieshangReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmFile = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
    const module = await WebAssembly.compile(fs.readFileSync(wasmFile));
    const instance = await WebAssembly.instantiate(module, {
      "./schema_engine_bg.js": engineBindings as unknown as WebAssembly.ModuleImports,
    });
    setWasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  })();
  return setWasm.xieshangReady;
}

function readSchema(schemaPath = SCHEMA_PATH) {
  return { path: path.relative(process.cwd(), schemaPath) || schemaPath, content: fs.readFileSync(schemaPath, "utf8") };
}

async function withEngine<T>(connectionString: string | undefined, run: (engine: Engine) => Promise<T>): Promise<T> {
  if (connectionString === undefined) {
    // The engine connects on start-up even for a pure schema-to-schema diff: give it a throwaway
    // in-memory database rather than asking the developer for a server.
    const scratch = await startEmbeddedPostgres({ dataDir: "memory://" });
    try {
      return await withEngine(scratch.url, run);
    } finally {
      await scratch.stop();
    }
  }
  await loadWasm();
  const schema = readSchema();
  // An explicit pool so that we can close every connection when done (the embedded database
  // serves a bounded number of connections).
  const pool = new pg.Pool({ connectionString, max: 2 });
  const factory = bindMigrationAwareSqlAdapterFactory(new WholeScriptPg(pool));
  const logs: string[] = [];
  const SchemaEngine = (engineBindings as unknown as { SchemaEngine: { new: (...a: unknown[]) => Promise<Engine> } }).SchemaEngine;
  const engine = await SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    (line: string) => logs.push(line),
    factory,
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
    await pool.end();
  }
}

/** The migrations folder in the shape the engine expects (what `prisma migrate deploy` reads). */
export function readMigrationList(dir = MIGRATIONS_DIR) {
  const lockPath = path.join(dir, "migration_lock.toml");
  const migrationDirectories = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
        .map((name) => {
          const file = path.join(dir, name, "migration.sql");
          return {
            path: name,
            migrationFile: {
              path: "migration.sql",
              content: fs.existsSync(file)
                ? { tag: "ok" as const, value: fs.readFileSync(file, "utf8") }
                : { tag: "error" as const, value: `${file} is missing` },
            },
          };
        })
    : [];
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Creates the target database if the server has none of that name (as `prisma migrate deploy` does). */
export async function ensureDatabaseExists(connectionString: string): Promise<void> {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres";
  const admin = new URL(connectionString);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Applies every pending migration; returns the names applied now. Idempotent. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  await ensureDatabaseExists(connectionString);
  return withEngine(connectionString, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList: readMigrationList(), filters: NO_FILTER });
    return result.appliedMigrationNames;
  });
}

/** SQL that turns the database described by `fromSchema` (or an empty one) into `toSchema`. */
export async function diffSchemas(fromSchema: string | null, toSchema: string): Promise<string> {
  return withEngine(undefined, async (engine) => {
    const result = await engine.diff({
      from: fromSchema === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "from.prisma", content: fromSchema }] },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: toSchema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return result.stdout ?? "";
  });
}
