/**
 * Demo data (prisma/demo-accounts.ts). Idempotent: running it twice changes nothing.
 * `npm run db:seed` seeds DATABASE_URL; `npm start` seeds an empty database by itself in demo mode.
 */
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { hashPassword } from "../app/auth/password.server.ts";
import { DEMO_ACCOUNTS, DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_REGION, DEMO_WORKER } from "./demo-accounts.ts";
import { newId } from "../app/infra/ids.server.ts";
import { ensureMembership, ensureOrganization, ensureUser } from "./factories.ts";
import { DEMO_SESSION_TITLE, seedDemoScenario, verifyDemoOrganizations } from "./demo-scenario.ts";

export async function seedDemoData(db: PrismaClient): Promise<void> {
  const organizations = new Map<string, string>();
  for (const org of DEMO_ORGANIZATIONS) {
    const { parentSlug, ...fields } = org;
    const created = await ensureOrganization(db, {
      ...fields,
      regionCode: DEMO_REGION,
      parentId: parentSlug ? organizations.get(parentSlug) : undefined,
    });
    organizations.set(org.slug, created.id);
  }
  // One hash for all demo users: they share the documented demo password, and scrypt is slow on purpose.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    const user = await ensureUser(db, { ...account, password: DEMO_PASSWORD, passwordHash });
    for (const membership of account.memberships) {
      const organizationId = organizations.get(membership.slug);
      if (!organizationId) throw new Error(`demo membership names unknown organization ${membership.slug}`);
      await ensureMembership(db, { userId: user.id, organizationId, role: membership.role });
    }
  }
  const worker = await db.user.upsert({
    where: { phone: DEMO_WORKER.phone },
    create: { id: newId(), phone: DEMO_WORKER.phone, email: null, passwordHash: null, displayName: DEMO_WORKER.displayName, locale: null },
    update: {},
    select: { id: true },
  });
  await db.workerProfile.upsert({ where: { userId: worker.id }, create: { userId: worker.id, industry: DEMO_WORKER.industry, regionCode: DEMO_WORKER.regionCode }, update: {} });
}

/**
 * The demo's bargaining session with its draft (prisma/demo-scenario.ts). Needs the application's
 * database connection (getDb), so the server runs it after `seedDemoData` on an empty database.
 */
/**
 * The demo's history (built through the model functions, so it wrote to the outbox like any
 * change) is not e-mailed: its pending e-mail deliveries are marked skipped, with the reason.
 * In-app, the notifications are there as they would be.
 */
export async function skipDemoHistoryMail(db: PrismaClient): Promise<void> {
  // Nor texted: the demo riders' complaint cases would text their (fictitious) numbers.
  await db.delivery.updateMany({ where: { channel: { in: ["EMAIL", "SMS"] }, status: "PENDING" }, data: { status: "SKIPPED", lastError: "demo data: history is not e-mailed or texted" } });
}

/**
 * The demo organizations verified through the workflow (issue 18), as if 500 days ago; needs the
 * application's connection (the models), so the server runs it after `seedDemoData`. Once.
 */
export async function seedDemoVerificationsOnce(db: PrismaClient, now: Date = new Date()): Promise<void> {
  if ((await db.organizationVerification.count()) > 0) return;
  await verifyDemoOrganizations(db, new Date(now.getTime() - 500 * 24 * 60 * 60_000));
}

export async function seedDemoScenarioOnce(db: PrismaClient): Promise<void> {
  if (await db.bargainingSession.findFirst({ where: { title: DEMO_SESSION_TITLE }, select: { id: true } })) return;
  await seedDemoScenario(db);
}

export async function isDatabaseEmpty(db: PrismaClient): Promise<boolean> {
  return (await db.user.count()) === 0 && (await db.organization.count()) === 0;
}
