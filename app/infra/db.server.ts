/**
 * The Prisma client (Prisma 7, `prisma-client` generator, pg driver adapter: no native engine).
 * One per process, created on first use from DATABASE_URL, which server.ts sets to the embedded
 * database when none was given, so every later line of code is the same for both.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "~/infra/env.server.ts";

/** Module state: the server and the Remix build are one bundle, so this exists once (decision 032). */
let client: PrismaClient | undefined;

function createClient(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (server.ts sets it before the app loads)");
  const env = getEnv();
  const adapter = new PrismaPg({
    connectionString: url,
    max: env.XS_DB_POOL_SIZE,
    // A pool that cannot get a connection, or a statement stuck behind a lock, fails with an error
    // after these times rather than holding the request (or the edit's acknowledgement) forever.
    connectionTimeoutMillis: env.XS_DB_CONNECT_TIMEOUT_MS,
    statement_timeout: env.XS_DB_STATEMENT_TIMEOUT_MS,
  });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  client ??= createClient();
  return client;
}

export async function disconnectDb(): Promise<void> {
  const open = client;
  client = undefined;
  await open?.$disconnect();
}

export type Db = PrismaClient;
export { Prisma } from "~/generated/prisma/client";
