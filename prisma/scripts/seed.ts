/** `npm run db:seed`: the demo accounts and organizations on DATABASE_URL (idempotent). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../app/generated/prisma/client.ts";
import { seedDemoData } from "../seed.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/xieshang npm run db:seed");
  process.exit(1);
}
const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
await seedDemoData(db);
await db.$disconnect();
console.log("Demo data is in place.");
