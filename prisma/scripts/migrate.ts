/**
 * `npm run db:migrate`: applies pending migrations from prisma/migrations to DATABASE_URL,
 * interchangeable with `prisma migrate deploy` (same folder, same `_prisma_migrations` table).
 */
import { applyMigrations } from "./schema-engine.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/xieshang npm run db:migrate");
  console.error("(Without DATABASE_URL, `npm start` applies migrations to the embedded database itself.)");
  process.exit(1);
}
const applied = await applyMigrations(url);
console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date: no pending migrations.");
process.exit(0);
