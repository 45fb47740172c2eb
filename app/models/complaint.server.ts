/**
 * Complaint and penalty-appeal cases (issue 25, item 2; decision 045): filed by a worker against a
 * clause of the agreement in force, answered by the platform within the agreement's time (else 24
 * hours for food delivery), taken to the union by the worker or by the clock, taken by the union to
 * the labour bureau, closed with an outcome. Every step is in the case's own audit chain
 * (app/domain/case-audit.ts); who may take it is the projection's (`decideCase`); the steps and
 * the clock are app/domain/complaints.ts. The platform sees who filed only when the worker said so.
 */
import "~/infra/crypto.server.ts";
import type { Actor } from "~/domain/actors.ts";
import { GENESIS_HASH } from "~/domain/audit.ts";
import { caseAuditEvent, caseEventHash, verifyCaseChain, type CaseAuditDraft } from "~/domain/case-audit.ts";
import { allowedCaseActions, decideCase, requireAllowed, type CaseAction, type CaseSubject } from "~/domain/capabilities.ts";
import {
  appealWindowDays,
  appealWindowEnd,
  caseTransition,
  figuresByClause,
  COMPLAINT_LIMITS,
  findClause,
  formatReceiptCode,
  happenedOnAllowed,
  noticeClauses,
  RECEIPT_CODE,
  responseDueAt,
  responseRule,
  type CaseEvent,
  type CaseState,
  type ClauseTotals,
  type ComplaintFiling,
} from "~/domain/complaints.ts";
import { DomainError } from "~/domain/errors.ts";
import type { NoticeParty } from "~/domain/notice.ts";
import { chinaDate } from "~/domain/periods.ts";
import type { Industry } from "~/domain/session-topics.ts";
import { readTerms } from "~/domain/terms.ts";
import { checkReceiptGuessAllowed, recordWrongReceipt } from "~/auth/rate-limit.server.ts";
import { getDb, type Prisma } from "~/infra/db.server.ts";
import { hashToken, newId, randomCode } from "~/infra/ids.server.ts";
import { cleanPhoto, type CleanPhoto } from "~/infra/images.server.ts";
import { noticeInForceOn } from "~/models/notice.server.ts";
import { writeOutbox, writeOutboxToPhone } from "~/models/outbox.server.ts";
import { storedRecord, toStoredJson } from "~/models/stored-json.server.ts";

type Tx = Prisma.TransactionClient;
const STAFF = ["ADMIN", "NEGOTIATOR"] as const;

// ─── Filing ──────────────────────────────────────────────────────────────────────────────────

/** The notice's version in force now and what a filing against it needs: its clauses, platforms, unions, answer time. */
export async function filingContext(noticeId: string, now = new Date()) {
  const version = await noticeInForceOn({ noticeId, date: now });
  if (!version) throw new DomainError("complaint.notInForce");
  const parties = (version.parties ?? []) as NoticeParty[];
  const platforms = await getDb().organization.findMany({ where: { slug: { in: version.platformSlugs }, type: "PLATFORM" }, select: { id: true, slug: true, name: true, nameEn: true } });
  const unionSlugs = parties.filter((party) => party.role === "WORKER").map((party) => party.slug);
  const unions = await getDb().organization.findMany({ where: { slug: { in: unionSlugs } }, select: { id: true, slug: true, name: true, nameEn: true } });
  const terms = readTerms(version.terms);
  const rule = responseRule(version.industry as Industry, terms?.appealResponseHours);
  return { version, terms, clauses: noticeClauses(terms), platforms, unions, rule };
}

export type FilingPhoto = { bytes: Buffer };

/**
 * Files a case. Refused, with nothing stored, when the notice has no version in force, the clause
 * is not one of its clauses, the day is out of range, a photo is refused, or the actor is not a
 * worker. Returns the receipt code, shown once.
 */
export async function fileComplaint(options: { actor: Actor; noticeId: string; filing: ComplaintFiling; platform?: string; photos: readonly FilingPhoto[]; now?: Date }) {
  const now = options.now ?? new Date();
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: options.actor.userId }, select: { email: true } });
  // Workers' accounts have no e-mail (phone or a union's invitation code, decision 044).
  if (!user || user.email !== null) throw new DomainError("complaint.workersOnly");
  const context = await filingContext(options.noticeId, now);
  const clause = findClause(context.terms, options.filing.clause);
  if (!clause) throw new DomainError("complaint.noSuchClause", { field: "clause" });
  if (options.filing.kind === "PENALTY_APPEAL" && clause.kind !== "penalty" && clause.key !== "penaltyRules" && clause.key !== "penaltyCapFen") throw new DomainError("complaint.appealNeedsPenalty", { field: "clause" });
  if (!happenedOnAllowed(options.filing.happenedOn, chinaDate(now).toString())) throw new DomainError("complaint.happenedOn", { field: "happenedOn", params: { days: COMPLAINT_LIMITS.happenedWithinDays } });
  // A penalty is appealed within the agreement's window, counted in calendar days past rest days.
  if (options.filing.kind === "PENALTY_APPEAL") {
    const days = appealWindowDays(context.terms, clause);
    const window = appealWindowEnd(options.filing.happenedOn, days);
    if (window && now.getTime() >= window.endsAt.getTime()) throw new DomainError("complaint.appealWindowPassed", { field: "happenedOn", params: { days: days!, lastDay: window.lastDay } });
  }
  const platform = options.platform ? context.platforms.find((candidate) => candidate.slug === options.platform) : context.platforms.length === 1 ? context.platforms[0] : undefined;
  if (!platform) throw new DomainError("complaint.platform", { field: "platform" });
  if (options.photos.length > COMPLAINT_LIMITS.photosMax) throw new DomainError("complaint.photoCount", { field: "photos", params: { max: COMPLAINT_LIMITS.photosMax } });
  const photos: CleanPhoto[] = [];
  for (const [index, photo] of options.photos.entries()) {
    const cleaned = await cleanPhoto(photo.bytes, { bytesMax: COMPLAINT_LIMITS.photoBytesMax, pixelsMax: COMPLAINT_LIMITS.photoPixelsMax, sideMax: COMPLAINT_LIMITS.photoStoredSideMax });
    if ("refused" in cleaned) throw new DomainError(`complaint.photo.${cleaned.refused}` as const, { field: "photos", params: { number: index + 1, mb: COMPLAINT_LIMITS.photoBytesMax / 1024 / 1024 } });
    photos.push(cleaned);
  }
  const receipt = randomCode(RECEIPT_CODE.alphabet, RECEIPT_CODE.length);
  const number = `C-${randomCode(RECEIPT_CODE.alphabet, 8)}`;
  const dueAt = responseDueAt(now, context.rule);
  const id = newId();
  const shared = options.filing.shareIdentity === "yes";
  await db.$transaction(async (tx) => {
    await tx.complaintCase.create({
      data: {
        id,
        number,
        receiptHash: hashToken(receipt),
        kind: options.filing.kind,
        noticeId: options.noticeId,
        noticeVersionId: context.version.id,
        clause: clause.id,
        happenedOn: options.filing.happenedOn,
        body: options.filing.body,
        reference: options.filing.reference ?? null,
        identityShared: shared,
        workerId: options.actor.userId,
        platformOrganizationId: platform.id,
        unionOrganizationIds: context.unions.map((union) => union.id),
        filedAt: now,
        dueAt,
        responseSource: context.rule.source,
      },
    });
    for (const photo of photos) await tx.complaintPhoto.create({ data: { id: newId(), caseId: id, contentType: photo.contentType, bytes: new Uint8Array(photo.bytes), size: photo.bytes.length, width: photo.width, height: photo.height, createdAt: now } });
    const draft = caseAuditEvent("case.filed", {
      number,
      kind: options.filing.kind,
      noticeVersionId: context.version.id,
      clause: clause.id,
      dueAt: dueAt?.toISOString() ?? null,
      responseSource: context.rule.source,
      identityShared: shared,
      photos: photos.length,
      bodyHash: hashToken(options.filing.body),
    });
    await appendCaseAudit(tx, id, draft, null, now);
    await tellStaff(tx, [platform.id], "complaint.filed", { number, agreement: context.version.title, href: `/complaints/${id}`, ...(dueAt ? { dueAt: dueAt.toISOString() } : {}) }, now);
  });
  return { id, number, receipt: formatReceiptCode(receipt), dueAt };
}

// ─── Steps ───────────────────────────────────────────────────────────────────────────────────

const STEP: Record<Exclude<CaseAction, "viewCase" | "viewIdentity" | "exportCases">, CaseEvent["type"]> = {
  answer: "ANSWER",
  accept: "ACCEPT",
  escalateToUnion: "ESCALATE_TO_UNION",
  resolve: "RESOLVE",
  escalateToBureau: "ESCALATE_TO_BUREAU",
  recordOutcome: "RECORD_OUTCOME",
};
export type CaseStepAction = keyof typeof STEP;
export const CASE_STEP_ACTIONS = Object.keys(STEP) as CaseStepAction[];

type CaseRow = Prisma.ComplaintCaseGetPayload<object>;

function subjectOf(row: CaseRow): CaseSubject {
  return { workerId: row.workerId, state: row.state, answered: row.answeredAt !== null, identityShared: row.identityShared, platformOrganizationId: row.platformOrganizationId, unionOrganizationIds: row.unionOrganizationIds };
}

async function lockCase(tx: Tx, caseId: string): Promise<CaseRow> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "ComplaintCase" WHERE id = ${caseId} FOR UPDATE`;
  if (locked.length === 0) throw new DomainError("notFound");
  return tx.complaintCase.findUniqueOrThrow({ where: { id: caseId } });
}

/** Takes one step of a case for the actor (the projection decides who), with its text where it has one. */
export async function takeCaseStep(options: { actor: Actor; caseId: string; action: CaseStepAction; text?: string; now?: Date }) {
  const now = options.now ?? new Date();
  await getDb().$transaction(async (tx) => {
    const row = await lockCase(tx, options.caseId);
    requireAllowed(decideCase(options.actor, subjectOf(row), options.action));
    const step = caseTransition(row.state, { type: STEP[options.action] } as CaseEvent, { dueAt: row.dueAt, now });
    if (!step.ok) throw new DomainError(step.code);
    const title = (await tx.noticeVersion.findUnique({ where: { id: row.noticeVersionId }, select: { title: true } }))?.title ?? "";
    const message = { number: row.number, agreement: title, href: `/complaints/${row.id}` };
    const closes = step.state === "ACCEPTED" || step.state === "RESOLVED" || step.state === "CLOSED_BY_BUREAU";
    const data: Prisma.ComplaintCaseUpdateInput = { state: step.state, ...(closes ? { closedAt: now } : {}) };
    let draft: CaseAuditDraft;
    switch (options.action) {
      case "answer": {
        const text = requiredText(options.text, "answer");
        const late = row.dueAt !== null && now.getTime() > row.dueAt.getTime();
        Object.assign(data, { answer: text, answeredAt: now, answeredById: options.actor.userId });
        draft = caseAuditEvent("case.answered", { by: "PLATFORM", late, answerHash: hashToken(text) });
        await tx.complaintCase.update({ where: { id: row.id }, data });
        await tellWorker(tx, row.workerId, "complaint.answered", message, now);
        if (row.state === "WITH_UNION") await tellStaff(tx, row.unionOrganizationIds, "complaint.answered", message, now);
        break;
      }
      case "accept":
        draft = caseAuditEvent("case.accepted", { by: "WORKER" });
        await tx.complaintCase.update({ where: { id: row.id }, data });
        break;
      case "escalateToUnion":
        Object.assign(data, { escalatedAt: now });
        draft = caseAuditEvent("case.escalatedToUnion", { by: "WORKER" });
        await tx.complaintCase.update({ where: { id: row.id }, data });
        await tellStaff(tx, row.unionOrganizationIds, "complaint.escalated", message, now);
        break;
      case "resolve": {
        const text = requiredText(options.text, "outcome");
        Object.assign(data, { outcome: text });
        draft = caseAuditEvent("case.resolved", { by: "UNION", outcomeHash: hashToken(text) });
        await tx.complaintCase.update({ where: { id: row.id }, data });
        await tellWorker(tx, row.workerId, "complaint.updated", { ...message, state: step.state }, now);
        break;
      }
      case "escalateToBureau":
        Object.assign(data, { bureauAt: now });
        draft = caseAuditEvent("case.escalatedToBureau", { by: "UNION" });
        await tx.complaintCase.update({ where: { id: row.id }, data });
        await tellWorker(tx, row.workerId, "complaint.updated", { ...message, state: step.state }, now);
        break;
      case "recordOutcome": {
        const text = requiredText(options.text, "outcome");
        Object.assign(data, { outcome: text });
        draft = caseAuditEvent("case.outcomeRecorded", { by: "UNION", outcomeHash: hashToken(text) });
        await tx.complaintCase.update({ where: { id: row.id }, data });
        await tellWorker(tx, row.workerId, "complaint.updated", { ...message, state: step.state }, now);
        break;
      }
    }
    // The worker's own steps are recorded without their account: the chain is shown to the platform.
    await appendCaseAudit(tx, row.id, draft, options.action === "accept" || options.action === "escalateToUnion" ? null : options.actor.userId, now);
  });
}

function requiredText(text: string | undefined, field: string): string {
  const trimmed = text?.trim() ?? "";
  if (!trimmed) throw new DomainError("complaint.textRequired", { field });
  return trimmed;
}

/**
 * Cases past their answer time go to the union by themselves and the union is told (runs in the
 * clock sweep, a job on the queue every process shares). Re-checked under the case's row lock, so
 * two sweeps at once escalate a case once.
 */
export async function runComplaintSweep(now = new Date()): Promise<number> {
  const due = await getDb().complaintCase.findMany({ where: { state: "FILED", dueAt: { lt: now } }, select: { id: true }, take: 500 });
  let escalated = 0;
  for (const { id } of due) {
    await getDb().$transaction(async (tx) => {
      const row = await lockCase(tx, id);
      const step = caseTransition(row.state, { type: "OVERDUE" }, { dueAt: row.dueAt, now });
      if (!step.ok) return;
      await tx.complaintCase.update({ where: { id }, data: { state: step.state, overdueAt: now } });
      await appendCaseAudit(tx, id, caseAuditEvent("case.overdue", { by: "CLOCK", dueAt: row.dueAt!.toISOString() }), null, now);
      const title = (await tx.noticeVersion.findUnique({ where: { id: row.noticeVersionId }, select: { title: true } }))?.title ?? "";
      const message = { number: row.number, agreement: title, href: `/complaints/${id}`, dueAt: row.dueAt!.toISOString() };
      await tellStaff(tx, row.unionOrganizationIds, "complaint.overdue", message, now);
      await tellWorker(tx, row.workerId, "complaint.updated", { ...message, state: step.state }, now);
      escalated++;
    });
  }
  return escalated;
}

// ─── Reading ─────────────────────────────────────────────────────────────────────────────────

/** A case as the actor may see it: the worker's name and number only where the projection allows. */
export async function caseForActor(options: { actor: Actor; caseId: string }) {
  const db = getDb();
  const row = await db.complaintCase.findUnique({ where: { id: options.caseId } });
  if (!row) throw new DomainError("notFound");
  const subject = subjectOf(row);
  requireAllowed(decideCase(options.actor, subject, "viewCase"));
  const actions = allowedCaseActions(options.actor, subject);
  const [version, platform, unions, photos, events, worker] = await Promise.all([
    db.noticeVersion.findUniqueOrThrow({ where: { id: row.noticeVersionId }, select: { noticeId: true, version: true, title: true, terms: true, industry: true } }),
    db.organization.findUnique({ where: { id: row.platformOrganizationId }, select: { slug: true, name: true, nameEn: true } }),
    db.organization.findMany({ where: { id: { in: row.unionOrganizationIds } }, select: { slug: true, name: true, nameEn: true } }),
    db.complaintPhoto.findMany({ where: { caseId: row.id }, select: { id: true, width: true, height: true }, orderBy: { createdAt: "asc" } }),
    db.complaintAuditEvent.findMany({ where: { caseId: row.id }, orderBy: { seq: "asc" } }),
    actions.viewIdentity.allowed ? db.user.findUnique({ where: { id: row.workerId }, select: { displayName: true, phone: true } }) : Promise.resolve(null),
  ]);
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    state: row.state,
    clause: findClause(readTerms(version.terms), row.clause) ?? { id: row.clause, kind: "term" as const, key: row.clause },
    notice: { noticeId: version.noticeId, version: version.version, title: version.title, industry: version.industry },
    happenedOn: row.happenedOn,
    body: row.body,
    reference: row.reference,
    identityShared: row.identityShared,
    worker: worker ? { name: worker.displayName, phone: worker.phone } : null,
    isWorker: options.actor.userId === row.workerId,
    platform,
    unions,
    filedAt: row.filedAt,
    dueAt: row.dueAt,
    responseSource: row.responseSource,
    overdue: row.state === "FILED" && row.dueAt !== null && row.dueAt.getTime() < Date.now(),
    answeredAt: row.answeredAt,
    answer: row.answer,
    answeredLate: row.answeredAt !== null && row.dueAt !== null && row.answeredAt.getTime() > row.dueAt.getTime(),
    escalatedAt: row.escalatedAt,
    overdueAt: row.overdueAt,
    bureauAt: row.bureauAt,
    closedAt: row.closedAt,
    outcome: row.outcome,
    photos,
    chain: { verdict: verifyCaseChain(events), events: events.map((event) => ({ seq: event.seq, type: event.type, at: event.at, by: String(storedRecord(event.payload).by ?? "WORKER"), hash: event.hash })) },
    actions,
  };
}

/** A photo of a case, for those who may see the case. */
export async function casePhoto(options: { actor: Actor; caseId: string; photoId: string }) {
  const row = await getDb().complaintCase.findUnique({ where: { id: options.caseId } });
  if (!row) throw new DomainError("notFound");
  requireAllowed(decideCase(options.actor, subjectOf(row), "viewCase"));
  const photo = await getDb().complaintPhoto.findFirst({ where: { id: options.photoId, caseId: row.id }, select: { contentType: true, bytes: true } });
  if (!photo) throw new DomainError("notFound");
  return photo;
}

/** The cases the actor follows: as the worker who filed, the platform that answers, or the union. */
export async function listCasesFor(options: { actor: Actor; take?: number }) {
  const staffOf = options.actor.memberships.filter((membership) => (STAFF as readonly string[]).includes(membership.role)).map((membership) => membership.organizationId);
  const rows = await getDb().complaintCase.findMany({
    where: { OR: [{ workerId: options.actor.userId }, { platformOrganizationId: { in: staffOf } }, { unionOrganizationIds: { hasSome: staffOf } }] },
    orderBy: { filedAt: "desc" },
    take: options.take ?? 200,
  });
  const titles = new Map((await getDb().noticeVersion.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.noticeVersionId))] } }, select: { id: true, title: true, terms: true } })).map((version) => [version.id, version]));
  return rows.map((row) => {
    const version = titles.get(row.noticeVersionId);
    const role = row.workerId === options.actor.userId ? "WORKER" : staffOf.includes(row.platformOrganizationId) ? "PLATFORM" : "UNION";
    return {
      id: row.id,
      number: row.number,
      kind: row.kind,
      state: row.state,
      role,
      title: version?.title ?? "",
      clause: findClause(readTerms(version?.terms), row.clause) ?? { id: row.clause, kind: "term" as const, key: row.clause },
      filedAt: row.filedAt,
      dueAt: row.dueAt,
      overdueAt: row.overdueAt,
    };
  });
}

/** What a receipt code shows to whoever holds it: the case's steps and answers, never who filed it. */
export async function caseByReceipt(options: { receipt: string; ip: string }) {
  await checkReceiptGuessAllowed(options.ip);
  const row = await getDb().complaintCase.findUnique({ where: { receiptHash: hashToken(options.receipt) } });
  if (!row) {
    await recordWrongReceipt(options.ip);
    throw new DomainError("complaint.receiptUnknown", { field: "receipt" });
  }
  const version = await getDb().noticeVersion.findUniqueOrThrow({ where: { id: row.noticeVersionId }, select: { noticeId: true, version: true, title: true, terms: true } });
  const events = await getDb().complaintAuditEvent.findMany({ where: { caseId: row.id }, orderBy: { seq: "asc" }, select: { type: true, at: true } });
  return {
    number: row.number,
    kind: row.kind,
    state: row.state,
    notice: { noticeId: version.noticeId, version: version.version, title: version.title },
    clause: findClause(readTerms(version.terms), row.clause) ?? { id: row.clause, kind: "term" as const, key: row.clause },
    filedAt: row.filedAt,
    dueAt: row.dueAt,
    answeredAt: row.answeredAt,
    answer: row.answer,
    outcome: row.outcome,
    closedAt: row.closedAt,
    steps: events,
  };
}

// ─── Figures (item 3) ────────────────────────────────────────────────────────────────────────

/** Per clause of a notice series: received, answered in time, median hours; counts under 5 hidden. */
export async function noticeComplaintFigures(noticeId: string, terms: unknown) {
  return figuresByClause(noticeClauses(readTerms(terms)), await noticeComplaintTotals(noticeId));
}

/**
 * The totals per clause of a notice series in one grouped query (the index on noticeId, clause), so
 * that a notice with many cases is not read case by case on every view: the same rule as
 * `clauseTotals` (app/domain/complaints.ts), which tests/integration/complaints.test.ts compares it with.
 */
export async function noticeComplaintTotals(noticeId: string): Promise<ClauseTotals[]> {
  const rows = await getDb().$queryRaw<Array<{ clause: string; received: number; answeredInTime: number; answered: number; medianHours: number | null }>>`
    SELECT clause,
           count(*)::int AS received,
           (count(*) FILTER (WHERE "answeredAt" IS NOT NULL AND ("dueAt" IS NULL OR "answeredAt" <= "dueAt")))::int AS "answeredInTime",
           count("answeredAt")::int AS answered,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "answeredAt" - "filedAt") / 3600.0) FILTER (WHERE "answeredAt" IS NOT NULL))::float8 AS "medianHours"
      FROM "ComplaintCase" WHERE "noticeId" = ${noticeId}
     GROUP BY clause ORDER BY clause`;
  return rows.map((row) => ({ ...row, medianHours: row.medianHours === null ? null : Number(row.medianHours) }));
}

/** The same figures as CSV for the union's staff of the notice (the projection's `exportCases`). */
export async function noticeFiguresForUnion(options: { actor: Actor; noticeId: string }) {
  const latest = await getDb().noticeVersion.findFirst({ where: { noticeId: options.noticeId }, orderBy: { version: "desc" } });
  if (!latest) throw new DomainError("notFound");
  const unionSlugs = ((latest.parties ?? []) as NoticeParty[]).filter((party) => party.role === "WORKER").map((party) => party.slug);
  const unions = await getDb().organization.findMany({ where: { slug: { in: unionSlugs } }, select: { id: true } });
  const subject: CaseSubject = { workerId: "", state: "FILED", answered: false, identityShared: false, platformOrganizationId: "", unionOrganizationIds: unions.map((union) => union.id) };
  requireAllowed(decideCase(options.actor, subject, "exportCases"));
  return { version: latest, figures: await noticeComplaintFigures(options.noticeId, latest.terms) };
}

// ─── The chain and the messages ──────────────────────────────────────────────────────────────

async function appendCaseAudit(tx: Tx, caseId: string, draft: CaseAuditDraft, actorId: string | null, at: Date) {
  const last = await tx.complaintAuditEvent.findFirst({ where: { caseId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const event = { caseId, seq: (last?.seq ?? 0) + 1, type: draft.type, payload: draft.payload, actorId, at, ip: null, userAgent: null, prevHash: last?.hash ?? GENESIS_HASH };
  await tx.complaintAuditEvent.create({ data: { id: newId(), ...event, payload: toStoredJson(event.payload), hash: caseEventHash(event) } });
}

/** The administrators and negotiators of these organizations, told in the change's transaction. */
async function tellStaff(tx: Tx, organizationIds: readonly string[], kind: string, payload: Record<string, unknown>, now: Date) {
  const members = await tx.membership.findMany({ where: { organizationId: { in: [...organizationIds] }, role: { in: [...STAFF] } }, select: { userId: true } });
  await writeOutbox(tx, { userIds: [...new Set(members.map((member) => member.userId))], sessionId: null, kind, payload, now });
}

/**
 * The worker, in the app and, when they sign in by phone, by a text message naming the case (a
 * worker's account has no e-mail: a rider learns of the answer on the phone they work with).
 */
async function tellWorker(tx: Tx, workerId: string, kind: "complaint.answered" | "complaint.updated", payload: Record<string, unknown>, now: Date) {
  await writeOutbox(tx, { userIds: [workerId], sessionId: null, kind, payload, now });
  const worker = await tx.user.findUnique({ where: { id: workerId }, select: { phone: true, email: true, locale: true } });
  if (worker?.phone && worker.email === null) await writeOutboxToPhone(tx, { phone: worker.phone, locale: worker.locale, kind, payload: { number: String(payload.number) }, now });
}

export type { CaseState };
