// Prisma CLI configuration (Prisma 7 reads the datasource URL from here, not from the schema).
// DATABASE_URL may be unset: the CLI is then only used for `prisma generate`, which needs no database.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/xieshang" },
});
