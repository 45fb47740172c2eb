/**
 * Verifying organizations (issue 18, item 1). An organization's administrator submits its
 * registration (the unified social credit code, checked with its GB 32100-2015 check character;
 * the registration authority; for a trade union, the higher-level union through which its legal
 * personality is registered; a contact); the site's operator — or a verified labour bureau, for the
 * associations and enterprises of its region — approves or rejects it with a reason. Every step is
 * in the organization's own audit chain. A verified organization that changes its name or its code
 * goes back to review. Who may decide is the projection's `decideVerification`
 * (app/domain/capabilities.ts); what an unverified organization may not do is enforced where it is
 * done (publication, app/models/notice.server.ts).
 */
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { decideOrganization, decideVerification, requireAllowed, type Verifier } from "~/domain/capabilities.ts";
import { DomainError } from "~/domain/errors.ts";
import { organizationAuditEvent } from "~/domain/organization-audit.ts";
import { newId } from "~/infra/ids.server.ts";
import { appendOrganizationAudit, lockOrganization, organizationAuditTrail, type OrganizationRequestContext } from "~/models/organization-audit.server.ts";
import { publishNoticesWaitingFor } from "~/models/notice.server.ts";
import { writeOutbox } from "~/models/outbox.server.ts";

export type VerificationInput = {
  creditCode: string;
  registrationAuthority: string;
  parentUnionName?: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
};

/** The verifier an actor is: the operator flag (from the login) and the verified bureaus they belong to. */
export async function verifierOf(actor: Actor, operator: boolean): Promise<Verifier> {
  const bureaus = await getDb().organization.findMany({
    where: { id: { in: actor.memberships.map((membership) => membership.organizationId) }, type: "BUREAU", verification: "VERIFIED" },
    select: { id: true, regionCode: true },
  });
  return { userId: actor.userId, operator, bureaus: bureaus.map((bureau) => ({ organizationId: bureau.id, regionCode: bureau.regionCode })) };
}

/** Submits (or, for a verified organization changing its code, resubmits) the registration for review. */
export async function submitVerification(options: { actor: Actor; ctx: OrganizationRequestContext; organizationId: string; input: VerificationInput }) {
  const now = options.ctx.now ?? new Date();
  const { input } = options;
  return getDb().$transaction(async (tx) => {
    const organization = await lockOrganization(tx, options.organizationId);
    requireAllowed(decideOrganization(options.actor, "requestVerification", organization));
    if (organization.verification === "PENDING") throw new DomainError("verification.alreadyPending");
    // A trade union's legal personality is registered through the higher-level union
    // (《中华人民共和国工会法》（2021年修正）第十五条; 全总《基层工会法人登记管理办法》, 总工办发〔2020〕20号): name it.
    if (organization.type === "UNION" && !input.parentUnionName) throw new DomainError("verification.parentUnionRequired", { field: "parentUnionName" });
    if (organization.verification === "VERIFIED" && organization.creditCode === input.creditCode) throw new DomainError("verification.nothingChanged", { field: "creditCode" });
    const request = await tx.organizationVerification.create({
      data: {
        id: newId(),
        organizationId: organization.id,
        registeredName: organization.name,
        creditCode: input.creditCode,
        registrationAuthority: input.registrationAuthority,
        parentUnionName: organization.type === "UNION" ? input.parentUnionName ?? null : null,
        contactName: input.contactName,
        contactPhone: input.contactPhone,
        contactEmail: input.contactEmail,
        submittedById: options.actor.userId,
        submittedAt: now,
      },
      select: { id: true },
    });
    if (organization.verification === "VERIFIED") {
      await appendOrganizationAudit(tx, organization.id, organizationAuditEvent("verification.reopened", { changed: ["creditCode"], from: { creditCode: organization.creditCode ?? "" }, to: { creditCode: input.creditCode } }), options.actor.userId, options.ctx, now);
    }
    await tx.organization.update({ where: { id: organization.id }, data: { verification: "PENDING" } });
    await appendOrganizationAudit(
      tx,
      organization.id,
      organizationAuditEvent("verification.submitted", { requestId: request.id, registeredName: organization.name, creditCode: input.creditCode, registrationAuthority: input.registrationAuthority, parentUnionName: organization.type === "UNION" ? input.parentUnionName ?? null : null }),
      options.actor.userId,
      options.ctx,
      now,
    );
    return request;
  });
}

/** The administrator withdraws a pending request; the organization is unverified again. */
export async function withdrawVerification(options: { actor: Actor; ctx: OrganizationRequestContext; organizationId: string }) {
  const now = options.ctx.now ?? new Date();
  await getDb().$transaction(async (tx) => {
    const organization = await lockOrganization(tx, options.organizationId);
    requireAllowed(decideOrganization(options.actor, "requestVerification", organization));
    const pending = await tx.organizationVerification.findFirst({ where: { organizationId: organization.id, status: "PENDING" }, select: { id: true } });
    if (!pending) throw new DomainError("verification.notPending");
    await tx.organizationVerification.update({ where: { id: pending.id }, data: { status: "WITHDRAWN", decidedAt: now, decidedById: options.actor.userId } });
    await tx.organization.update({ where: { id: organization.id }, data: { verification: "UNVERIFIED", creditCode: null, verifiedAt: null } });
    await appendOrganizationAudit(tx, organization.id, organizationAuditEvent("verification.withdrawn", { requestId: pending.id }), options.actor.userId, options.ctx, now);
  });
}

/**
 * Approves or rejects a pending request. Approval records the code on the organization (one
 * verified organization per code: the database's partial unique index decides under concurrency)
 * and publishes any approved agreement that waited only for this verification.
 */
export async function decideVerificationRequest(options: { actor: Actor; operator: boolean; ctx: OrganizationRequestContext; requestId: string; approve: boolean; reason?: string }) {
  const now = options.ctx.now ?? new Date();
  const db = getDb();
  const request = await db.organizationVerification.findUnique({ where: { id: options.requestId }, select: { id: true, organizationId: true } });
  if (!request) throw new DomainError("notFound");
  const verifier = await verifierOf(options.actor, options.operator);
  // Someone who verifies nothing learns nothing about the queue (as the page answers them).
  if (!verifier.operator && verifier.bureaus.length === 0) throw new DomainError("notFound");
  if (!options.approve && !options.reason) throw new DomainError("verification.reasonRequired", { field: "reason" });
  try {
    await db.$transaction(async (tx) => {
      const organization = await lockOrganization(tx, request.organizationId);
      const verdict = decideVerification(verifier, options.actor.memberships.map((m) => m.organizationId), organization);
      requireAllowed(verdict);
      const current = await tx.organizationVerification.findUniqueOrThrow({ where: { id: request.id } });
      if (current.status !== "PENDING") throw new DomainError("verification.notPending");
      const decidedAs = verdict.as ?? "OPERATOR";
      await tx.organizationVerification.update({ where: { id: request.id }, data: { status: options.approve ? "APPROVED" : "REJECTED", decidedAt: now, decidedById: options.actor.userId, decidedAs, reason: options.reason ?? null } });
      if (options.approve) {
        // The name on the request is the one that was reviewed; a rename since reopened review.
        await tx.organization.update({ where: { id: organization.id }, data: { verification: "VERIFIED", creditCode: current.creditCode, verifiedAt: now } });
        await appendOrganizationAudit(tx, organization.id, organizationAuditEvent("verification.approved", { requestId: request.id, creditCode: current.creditCode, decidedAs, reason: options.reason ?? null }), options.actor.userId, options.ctx, now);
      } else {
        await tx.organization.update({ where: { id: organization.id }, data: { verification: "REJECTED", creditCode: null, verifiedAt: null } });
        await appendOrganizationAudit(tx, organization.id, organizationAuditEvent("verification.rejected", { requestId: request.id, decidedAs, reason: options.reason! }), options.actor.userId, options.ctx, now);
      }
      // The organization's administrators are told (in-app and by e-mail).
      const admins = await tx.membership.findMany({ where: { organizationId: organization.id, role: "ADMIN" }, select: { userId: true } });
      await writeOutbox(tx, {
        userIds: admins.map((admin) => admin.userId),
        sessionId: null,
        kind: options.approve ? "verification.approved" : "verification.rejected",
        payload: { name: organization.name, reason: options.reason ?? "", href: `/orgs/${organization.slug}#verification` },
        now,
      });
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new DomainError("verification.codeTaken", { field: "creditCode" });
    throw error;
  }
  if (options.approve) await publishNoticesWaitingFor(request.organizationId, now);
}

/** The requests an actor may decide (operator: all; a bureau: its region's associations and enterprises). */
export async function listVerificationQueue(options: { actor: Actor; operator: boolean }) {
  const verifier = await verifierOf(options.actor, options.operator);
  if (!verifier.operator && verifier.bureaus.length === 0) throw new DomainError("notFound");
  const pending = await getDb().organizationVerification.findMany({
    where: { status: "PENDING" },
    orderBy: { submittedAt: "asc" },
    take: 200,
    select: {
      id: true, registeredName: true, creditCode: true, registrationAuthority: true, parentUnionName: true, contactName: true, contactPhone: true, contactEmail: true, submittedAt: true,
      organization: { select: { id: true, slug: true, name: true, nameEn: true, type: true, regionCode: true, parent: { select: { name: true, verification: true } } } },
    },
  });
  const memberOf = options.actor.memberships.map((m) => m.organizationId);
  return pending.filter((request) => decideVerification(verifier, memberOf, request.organization).allowed);
}

/** What the organization page shows of verification: status, the latest request, the chain. */
export async function getVerificationRecord(options: { actor: Actor; organizationId: string }) {
  const db = getDb();
  const organization = await db.organization.findUnique({ where: { id: options.organizationId }, select: { id: true, type: true } });
  if (!organization) throw new DomainError("notFound");
  const mayRequest = decideOrganization(options.actor, "requestVerification", organization).allowed;
  const latest = await db.organizationVerification.findFirst({
    where: { organizationId: organization.id },
    orderBy: { submittedAt: "desc" },
    select: { id: true, status: true, creditCode: true, registrationAuthority: true, parentUnionName: true, submittedAt: true, decidedAt: true, decidedAs: true, reason: true, contactName: true, contactPhone: true, contactEmail: true },
  });
  // The contact is for the reviewers and the organization's administrators only.
  const request = latest && !mayRequest ? { ...latest, contactName: null, contactPhone: null, contactEmail: null } : latest;
  // Who did what is for the organization's own members; others see what happened and when.
  const member = options.actor.memberships.some((membership) => membership.organizationId === organization.id);
  const trail = await organizationAuditTrail(organization.id);
  return { mayRequest, latest: request, trail: member ? trail : { ...trail, events: trail.events.map((event) => ({ ...event, actor: null })) } };
}
