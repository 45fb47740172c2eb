/**
 * Idempotent builders for users, organizations and memberships, used by the demo seed and by the
 * tests (so that both exercise the same shapes).
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { hashPassword } from "../app/auth/password.server.ts";

const id = () => randomBytes(12).toString("base64url");

export async function ensureUser(
  db: PrismaClient,
  input: { email: string; displayName: string; password: string; locale?: string | null; passwordHash?: string },
) {
  const existing = await db.user.findUnique({ where: { email: input.email.toLowerCase() } });
  if (existing) return existing;
  return db.user.create({
    data: {
      id: id(),
      email: input.email.toLowerCase(),
      displayName: input.displayName,
      passwordHash: input.passwordHash ?? (await hashPassword(input.password)),
      locale: input.locale ?? null,
    },
  });
}

export async function ensureOrganization(
  db: PrismaClient,
  input: {
    slug: string;
    name: string;
    nameEn?: string;
    type: "UNION" | "ASSOCIATION" | "PLATFORM" | "PARTNER" | "BUREAU";
    regionCode: string;
    parentId?: string;
    description?: string;
  },
) {
  return db.organization.upsert({
    where: { slug: input.slug },
    update: {},
    create: { id: id(), ...input },
  });
}

export async function ensureMembership(db: PrismaClient, input: { userId: string; organizationId: string; role: "ADMIN" | "NEGOTIATOR" | "MEMBER" }) {
  return db.membership.upsert({
    where: { userId_organizationId: { userId: input.userId, organizationId: input.organizationId } },
    update: {},
    create: { id: id(), ...input },
  });
}
