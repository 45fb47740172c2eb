/**
 * The embedded default database: PGlite (PostgreSQL compiled to WebAssembly) served on a loopback
 * port by pglite-socket, so that the app, the migration engine and tests reach it exactly like a
 * PostgreSQL server, through the same pg driver. Used when DATABASE_URL is unset.
 * See docs/decisions/002-embedded-postgres-default.md.
 */
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * Extensions the migrations create (pg_trgm: trigram indexes for notice search). PGlite ships them
 * as contrib modules that must be loaded when the database is opened, by every tool that opens it.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };

export type EmbeddedPostgres = {
  /** A postgresql:// URL for the pg driver (SSL off: the socket server does not speak TLS). */
  url: string;
  stop(): Promise<void>;
};

/**
 * Starts PGlite with its data in `dataDir` (created if missing) or in memory when `dataDir` is
 * "memory://", and serves it on 127.0.0.1:`port` (0 picks a free port).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; maxConnections?: number }): Promise<EmbeddedPostgres> {
  if (options.dataDir !== "memory://") fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir === "memory://" ? undefined : options.dataDir, { extensions: PGLITE_EXTENSIONS });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    // PGlite itself is single-connection; the socket server multiplexes clients onto it.
    maxConnections: options.maxConnections ?? 32,
  });
  let port = 0;
  server.addEventListener("listening", (event) => {
    port = (event as CustomEvent<{ port: number }>).detail.port;
  });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
