/**
 * Organizations, memberships and invitations. Every function takes the acting user (`actor`) and
 * puts its action to the one projection (decideOrganization, app/domain/capabilities.ts) before
 * touching data; lists read through the visibility where-clauses below.
 */
import { getDb, type Prisma } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { decideOrganization, requireAllowed, type OrganizationAction } from "~/domain/capabilities.ts";
import { DomainError } from "~/domain/errors.ts";
import type { MembershipRole, OrganizationType } from "~/domain/actors.ts";
import { announceAccessChange } from "~/infra/events.server.ts";
import { hashToken, newId, newToken } from "~/infra/ids.server.ts";
import { organizationAuditEvent } from "~/domain/organization-audit.ts";
import { appendOrganizationAudit, lockOrganization, type OrganizationRequestContext } from "~/models/organization-audit.server.ts";

type Tx = Prisma.TransactionClient;

/** Organizations the actor belongs to. */
function memberOfWhere(actor: Actor): Prisma.OrganizationWhereInput {
  return { memberships: { some: { userId: actor.userId } } };
}

export async function listMyOrganizations(options: { actor: Actor }) {
  return getDb().organization.findMany({
    where: memberOfWhere(options.actor),
    orderBy: { name: "asc" },
    select: {
      id: true, slug: true, name: true, nameEn: true, type: true, regionCode: true, verification: true,
      memberships: { where: { userId: options.actor.userId }, select: { role: true } },
    },
  });
}

export async function listDirectory(options: { actor: Actor; type?: OrganizationType; regionCode?: string }) {
  requireAllowed(decideOrganization(options.actor, "viewOrganization"));
  const organizations = await getDb().organization.findMany({
    where: { type: options.type, regionCode: options.regionCode },
    orderBy: [{ type: "asc" }, { name: "asc" }],
    take: 200,
    select: {
      id: true, slug: true, name: true, nameEn: true, type: true, regionCode: true, verification: true, creditCode: true,
      _count: { select: { memberships: true } },
    },
  });
  // Verified organizations first, then those under review, then the rest (stable: type, name).
  const rank = { VERIFIED: 0, PENDING: 1, UNVERIFIED: 2, REJECTED: 3 } as const;
  return organizations.sort((a, b) => rank[a.verification] - rank[b.verification]);
}

export async function getOrganization(options: { actor: Actor; slug: string }) {
  requireAllowed(decideOrganization(options.actor, "viewOrganization"));
  const db = getDb();
  const organization = await db.organization.findUnique({
    where: { slug: options.slug },
    select: {
      id: true, slug: true, name: true, nameEn: true, type: true, regionCode: true, verification: true, creditCode: true, verifiedAt: true, description: true, createdAt: true,
      parent: { select: { slug: true, name: true, nameEn: true } },
      children: { select: { slug: true, name: true, nameEn: true, type: true }, orderBy: { name: "asc" } },
      _count: { select: { memberships: true } },
    },
  });
  if (!organization) throw new DomainError("notFound");
  const may = (action: OrganizationAction) => decideOrganization(options.actor, action, organization).allowed;
  const myRole = options.actor.memberships.find((m) => m.organizationId === organization.id)?.role ?? null;
  const members = may("viewMembers")
    ? await db.membership.findMany({
        where: { organizationId: organization.id },
        orderBy: [{ role: "asc" }, { createdAt: "asc" }],
        select: { id: true, role: true, createdAt: true, user: { select: { id: true, displayName: true, email: true } } },
      })
    : null;
  const invitations = may("createInvitation")
    ? await db.invitation.findMany({
        where: { organizationId: organization.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: "desc" },
        select: { id: true, role: true, note: true, expiresAt: true, createdAt: true, createdBy: { select: { displayName: true } } },
      })
    : null;
  // What the page offers, from the same projection the actions go through.
  const can = { manageMembers: may("manageMembers"), leaveOrganization: may("leaveOrganization"), createInvitation: may("createInvitation"), updateOrganization: may("updateOrganization"), inviteWorkers: may("inviteWorkers") };
  return { organization, myRole, members, invitations, can };
}

export async function createOrganization(options: {
  actor: Actor;
  ctx?: OrganizationRequestContext;
  input: { name: string; nameEn?: string; slug: string; type: OrganizationType; regionCode: string; description?: string };
}) {
  const ctx = options.ctx ?? { ip: null, userAgent: null };
  requireAllowed(decideOrganization(options.actor, "createOrganization"));
  const db = getDb();
  if (await db.organization.findUnique({ where: { slug: options.input.slug }, select: { id: true } })) {
    throw new DomainError("org.slugTaken", { field: "slug" });
  }
  try {
    return await db.$transaction(async (tx) => {
      const organization = await tx.organization.create({
        data: { id: newId(), ...options.input, verification: "UNVERIFIED" },
        select: { id: true, slug: true },
      });
      await tx.membership.create({ data: { id: newId(), userId: options.actor.userId, organizationId: organization.id, role: "ADMIN" } });
      await appendOrganizationAudit(tx, organization.id, organizationAuditEvent("organization.registered", { name: options.input.name, type: options.input.type, regionCode: options.input.regionCode }), options.actor.userId, ctx, ctx.now ?? new Date());
      return organization;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new DomainError("org.slugTaken", { field: "slug" });
    throw error;
  }
}

/**
 * The administrator edits the organization's record. A verified organization that changes its
 * name goes back to review (issue 18): a new request with the new name and the evidence last
 * approved, the organization pending until a reviewer decides.
 */
export async function updateOrganization(options: { actor: Actor; ctx: OrganizationRequestContext; organizationId: string; input: { name: string; nameEn?: string; description?: string } }) {
  const now = options.ctx.now ?? new Date();
  await getDb().$transaction(async (tx) => {
    const organization = await lockOrganization(tx, options.organizationId);
    requireAllowed(decideOrganization(options.actor, "updateOrganization", organization));
    const { name, nameEn = null, description = null } = options.input;
    const fields = [name !== organization.name && "name", nameEn !== organization.nameEn && "nameEn", description !== organization.description && "description"].filter((field): field is string => Boolean(field));
    if (fields.length === 0) return;
    const renamed = name !== organization.name;
    const reopen = renamed && (organization.verification === "VERIFIED" || organization.verification === "PENDING");
    const basis = reopen ? await tx.organizationVerification.findFirst({ where: { organizationId: organization.id, status: { in: ["APPROVED", "PENDING"] } }, orderBy: { submittedAt: "desc" } }) : null;
    // Without evidence on record (verified before requests were kept) it must be submitted anew.
    const status = reopen ? (basis ? "PENDING" : "UNVERIFIED") : organization.verification;
    await tx.organization.update({ where: { id: organization.id }, data: { name, nameEn, description, verification: status, ...(reopen ? { verifiedAt: null, creditCode: basis ? organization.creditCode : null } : {}) } });
    await appendOrganizationAudit(tx, organization.id, organizationAuditEvent("organization.updated", { fields }), options.actor.userId, options.ctx, now);
    if (!reopen) return;
    await tx.organizationVerification.updateMany({ where: { organizationId: organization.id, status: "PENDING" }, data: { status: "WITHDRAWN", decidedAt: now, decidedById: options.actor.userId } });
    if (basis) {
      const { id: _previous, status: _status, decidedAt: _at, decidedById: _by, decidedAs: _as, reason: _reason, ...evidence } = basis;
      await tx.organizationVerification.create({ data: { ...evidence, id: newId(), registeredName: name, submittedById: options.actor.userId, submittedAt: now } });
    }
    await appendOrganizationAudit(tx, organization.id, organizationAuditEvent("verification.reopened", { changed: ["name"], from: { name: organization.name }, to: { name } }), options.actor.userId, options.ctx, now);
  });
}

/** Refuses (rolling back the transaction) when a change left the organization without an admin. */
async function assertStillHasAdmin(tx: Tx, organizationId: string): Promise<void> {
  const admins = await tx.membership.count({ where: { organizationId, role: "ADMIN" } });
  if (admins === 0) throw new DomainError("org.lastAdmin");
}

async function findMembership(tx: Tx, organizationId: string, membershipId: string) {
  const membership = await tx.membership.findFirst({ where: { id: membershipId, organizationId }, select: { id: true, userId: true } });
  if (!membership) throw new DomainError("notFound");
  return membership;
}

export async function changeMemberRole(options: { actor: Actor; organizationId: string; membershipId: string; role: MembershipRole }) {
  requireAllowed(decideOrganization(options.actor, "manageMembers", { id: options.organizationId }));
  await getDb().$transaction(async (tx) => {
    const membership = await findMembership(tx, options.organizationId, options.membershipId);
    await tx.membership.update({ where: { id: options.membershipId }, data: { role: options.role } });
    await assertStillHasAdmin(tx, options.organizationId);
    // A privilege change ends the member's sessions (decision 018): no session outlives the role
    // it was opened with; they sign in again and get a fresh one.
    await tx.session.deleteMany({ where: { userId: membership.userId } });
  });
  // Session capabilities follow memberships: open documents re-check at once.
  announceAccessChange(null);
}

export async function removeMember(options: { actor: Actor; organizationId: string; membershipId: string }) {
  requireAllowed(decideOrganization(options.actor, "manageMembers", { id: options.organizationId }));
  await getDb().$transaction(async (tx) => {
    const membership = await findMembership(tx, options.organizationId, options.membershipId);
    await tx.membership.delete({ where: { id: options.membershipId } });
    await assertStillHasAdmin(tx, options.organizationId);
    // Losing a membership is a privilege change: the member's sessions end too (decision 018).
    await tx.session.deleteMany({ where: { userId: membership.userId } });
  });
  // Session capabilities follow memberships: open documents re-check at once.
  announceAccessChange(null);
}

export async function leaveOrganization(options: { actor: Actor; organizationId: string }) {
  requireAllowed(decideOrganization(options.actor, "leaveOrganization", { id: options.organizationId }));
  await getDb().$transaction(async (tx) => {
    await tx.membership.deleteMany({ where: { organizationId: options.organizationId, userId: options.actor.userId } });
    await assertStillHasAdmin(tx, options.organizationId);
  });
  // Session capabilities follow memberships: open documents re-check at once.
  announceAccessChange(null);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates an invitation link; the token is returned once and only its hash is stored. */
export async function createInvitation(options: {
  actor: Actor;
  organizationId: string;
  role: MembershipRole;
  expiresInDays: number;
  note?: string;
  now?: Date;
}) {
  requireAllowed(decideOrganization(options.actor, "createInvitation", { id: options.organizationId }));
  const now = options.now ?? new Date();
  const { token, hash } = newToken();
  const invitation = await getDb().invitation.create({
    data: {
      id: newId(),
      organizationId: options.organizationId,
      role: options.role,
      tokenHash: hash,
      note: options.note,
      createdById: options.actor.userId,
      expiresAt: new Date(now.getTime() + options.expiresInDays * DAY_MS),
    },
    select: { id: true, expiresAt: true },
  });
  return { ...invitation, token };
}

export async function revokeInvitation(options: { actor: Actor; organizationId: string; invitationId: string; now?: Date }) {
  requireAllowed(decideOrganization(options.actor, "revokeInvitation", { id: options.organizationId }));
  const result = await getDb().invitation.updateMany({
    where: { id: options.invitationId, organizationId: options.organizationId, revokedAt: null, acceptedAt: null },
    data: { revokedAt: options.now ?? new Date() },
  });
  if (result.count === 0) throw new DomainError("notFound");
}

/** What an invitation link offers, or why it cannot be used. Public: the token is the secret. */
export async function getInvitation(options: { token: string; now?: Date }) {
  const now = options.now ?? new Date();
  const invitation = await getDb().invitation.findUnique({
    where: { tokenHash: hashToken(options.token) },
    select: {
      id: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true,
      organization: { select: { id: true, slug: true, name: true, nameEn: true, type: true, verification: true } },
    },
  });
  if (!invitation) throw new DomainError("invite.invalid");
  if (invitation.revokedAt) throw new DomainError("invite.revoked");
  if (invitation.acceptedAt) throw new DomainError("invite.used");
  if (invitation.expiresAt <= now) throw new DomainError("invite.expired");
  return invitation;
}

export async function acceptInvitation(options: { actor: Actor; token: string; now?: Date }) {
  const now = options.now ?? new Date();
  const invitation = await getInvitation({ token: options.token, now });
  if (options.actor.memberships.some((m) => m.organizationId === invitation.organization.id)) {
    throw new DomainError("org.alreadyMember");
  }
  await getDb().$transaction(async (tx) => {
    // Claim the invitation first so that one link admits one person even under concurrency.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedById: options.actor.userId },
    });
    if (claimed.count === 0) throw new DomainError("invite.used");
    await tx.membership.create({
      data: { id: newId(), userId: options.actor.userId, organizationId: invitation.organization.id, role: invitation.role },
    });
  }).catch((error: unknown) => {
    // Joined meanwhile through another link: the unique (user, organization) index decides.
    if ((error as { code?: string }).code === "P2002") throw new DomainError("org.alreadyMember");
    throw error;
  });
  return invitation.organization;
}
