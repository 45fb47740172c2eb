/**
 * Bargaining sessions: proposing, the procedure's transitions, delegations (seats), rounds and
 * minutes, caucus notes, the audit trail and notifications. Every function takes the actor;
 * what the actor may see or do is decided by the one projection (app/domain/capabilities.ts) from
 * the subject `subjectOf` loads here (procedure snapshot and the roles derived in
 * app/domain/session-access.ts). A user who cannot view a session gets "not found" for everything
 * about it. Every change writes its audit event in the same transaction.
 */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { auditChainVerdict } from "~/models/audit-chain.server.ts";
import { DomainError } from "~/domain/errors.ts";
import { sha256Hex } from "~/domain/hash.ts";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import { deadlinesOf, delegationProblems, otherSide, vacancyRefillDueAt, type Deadline, type Side } from "~/domain/procedure.ts";
import { nextActions, type ActionFacts } from "~/domain/next-actions.ts";
import { speakingSide } from "~/domain/session-access.ts";
import type { Industry, Topic } from "~/domain/session-topics.ts";
import { announceAccessChange } from "~/infra/events.server.ts";
import { allowedActions, decideOrganization, procedureStep, requireAllowed, type ProcedureAction, type SessionSubject } from "~/domain/capabilities.ts";
import { newId } from "~/infra/ids.server.ts";

import { appendAudit, chiefsOf, lockSession, negotiatorsOf, notify, patchData, requireSessionAction, sessionInclude, snapshotOf, subjectOf, type LoadedSession, type RequestContext, type Tx } from "~/models/session-core.server.ts";
import { requireVisibleSession } from "~/models/session-clock.server.ts";
import { versionForRound } from "~/models/draft-version.server.ts";
import { storedRecord, storedTerms } from "~/models/stored-json.server.ts";
import { seriesPartySlugs } from "~/models/notice.server.ts";
import { seedDraft } from "~/models/document-store.server.ts";
import { versionInForceOn } from "~/domain/notice.ts";
import { draftBreaches } from "~/models/draft-access.server.ts";
import { UNREADABLE_TERMS } from "~/domain/rule-checks.ts";
import { CHANGING_PURPOSES, carriesTerms, SERIES_PURPOSES, type SessionPurpose, type TerminationGround } from "~/domain/amendment.ts";
import type { ReviewItem } from "~/domain/review.ts";
import type { RatificationScope } from "~/domain/ratification.ts";
import { answerReviewOpinion, listReviewOpinions, recordReviewOpinion } from "~/models/review.server.ts";
// ─── Proposing ──────────────────────────────────────────────────────────────────────────────

export type ProposalInput = {
  proposerOrganizationId: string;
  title: string;
  industry: Industry;
  regionCode: string;
  topics: Topic[];
  proposalText: string;
  termMonths: number;
  representativesPerSide: number;
  recipientOrganizationIds: string[];
  observerOrganizationIds: string[];
  coveredOrganizationIds: string[];
  /** The notice series this session renews (issue 18, item 3). */
  continuesNoticeId?: string;
  /** How the vote will be counted, agreed by accepting the proposal (issue 20, item 2). */
  ratificationPractice?: RatificationScope;
  /** A new agreement, or a renewal, amendment or termination of `continuesNoticeId` (issue 20, item 5). */
  purpose?: SessionPurpose;
  terminationGround?: TerminationGround;
  terminationReason?: string;
};

export async function proposeSession(options: { actor: Actor; ctx: RequestContext; input: ProposalInput }) {
  const { actor, ctx, input } = options;
  const now = ctx.now ?? new Date();
  const db = getDb();
  const proposer = await db.organization.findUnique({ where: { id: input.proposerOrganizationId }, select: { id: true, type: true } });
  if (!proposer) throw new DomainError("notFound");
  requireAllowed(decideOrganization(actor, "proposeSession", proposer), { field: "proposerOrganizationId" });
  const proposerSide: Side = proposer.type === "UNION" ? "WORKER" : "EMPLOYER";
  const recipientIds = [...new Set(input.recipientOrganizationIds)].filter((id) => id !== proposer.id);
  if (recipientIds.length === 0) throw new DomainError("session.noRecipients", { field: "recipientOrganizationIds" });
  const recipients = await db.organization.findMany({ where: { id: { in: recipientIds } }, select: { id: true, type: true } });
  const recipientSide = otherSide(proposerSide);
  const sideOf = (type: string): Side | null => (type === "UNION" ? "WORKER" : type === "BUREAU" ? null : "EMPLOYER");
  if (recipients.length !== recipientIds.length || recipients.some((org) => sideOf(org.type) !== recipientSide)) {
    throw new DomainError("session.recipientSide", { field: "recipientOrganizationIds" });
  }
  const observerIds = [...new Set(input.observerOrganizationIds)];
  const observers = await db.organization.findMany({ where: { id: { in: observerIds } }, select: { id: true, type: true } });
  if (observers.length !== observerIds.length || observers.some((org) => org.type !== "BUREAU")) {
    throw new DomainError("session.observerType", { field: "observerOrganizationIds" });
  }
  const covered = new Set(input.coveredOrganizationIds);
  // The proposer agrees by proposing; every other party is invited and answers for itself.
  const parties = [
    { organizationId: proposer.id, role: proposerSide, isProposer: true, covered: covered.has(proposer.id) && proposerSide === "EMPLOYER", consent: "ACCEPTED" as const, answeredAt: now, answeredById: actor.userId },
    ...recipients.map((org) => ({ organizationId: org.id, role: recipientSide, isProposer: false, covered: covered.has(org.id) && recipientSide === "EMPLOYER" })),
    ...observers.map((org) => ({ organizationId: org.id, role: "OBSERVER" as const, isProposer: false, covered: false })),
  ];
  // A series named with no purpose is its renewal (as before issue 20).
  const purpose: SessionPurpose = input.purpose && input.purpose !== "AGREEMENT" ? input.purpose : input.continuesNoticeId ? "RENEWAL" : "AGREEMENT";
  if (SERIES_PURPOSES.includes(purpose) && !input.continuesNoticeId) throw new DomainError("series.required", { field: "continuesNoticeId" });
  if (purpose === "TERMINATION" && !input.terminationGround) throw new DomainError("termination.groundRequired", { field: "terminationGround" });
  if (purpose === "TERMINATION" && !input.terminationReason) throw new DomainError("termination.groundRequired", { field: "terminationReason" });
  // A change or an end is of the version in force now; an amendment keeps its term (第三十九条至第四十一条).
  let amended: { effectiveUntil: Date; text: string; terms: unknown } | null = null;
  if (input.continuesNoticeId && (purpose === "AMENDMENT" || purpose === "RENEWAL" || purpose === "TERMINATION")) {
    const versions = await db.noticeVersion.findMany({ where: { noticeId: input.continuesNoticeId }, select: { version: true, kind: true, effectiveFrom: true, effectiveUntil: true, text: true, terms: true } });
    const inForce = versionInForceOn(versions, now);
    if (CHANGING_PURPOSES.includes(purpose) && !inForce) throw new DomainError(versions.length ? "series.notInForce" : "series.unknown", { field: "continuesNoticeId" });
    const latest = inForce ?? [...versions].sort((a, b) => b.version - a.version)[0];
    if (latest && latest.kind !== "TERMINATION") amended = latest;
  }
  // A renewal names its series, and its parties include every party of the series' latest version.
  let seriesPeople: string[] = [];
  if (input.continuesNoticeId) {
    const required = await seriesPartySlugs(db, input.continuesNoticeId);
    if (!required) throw new DomainError("series.unknown", { field: "continuesNoticeId" });
    const named = await db.organization.findMany({ where: { id: { in: parties.map((party) => party.organizationId) } }, select: { slug: true } });
    const missing = required.filter((slug) => !named.some((org) => org.slug === slug));
    if (missing.length > 0) throw new DomainError("series.partiesMissing", { field: "continuesNoticeId", params: { count: missing.length } });
    seriesPeople = (await db.membership.findMany({ where: { organization: { slug: { in: required } }, role: { in: ["ADMIN", "NEGOTIATOR"] } }, select: { userId: true } })).map((member) => member.userId);
  }
  const id = newId();
  await db.$transaction(async (tx) => {
    await tx.bargainingSession.create({
      data: {
        id,
        title: input.title,
        industry: input.industry,
        regionCode: input.regionCode,
        topics: input.topics,
        proposalText: input.proposalText,
        proposerSide,
        proposedById: actor.userId,
        proposedAt: now,
        termMonths: input.termMonths,
        representativesPerSide: input.representativesPerSide,
        signatures: [],
        continuesNoticeId: input.continuesNoticeId ?? null,
        purpose,
        terminationGround: purpose === "TERMINATION" ? input.terminationGround : null,
        terminationReason: purpose === "TERMINATION" ? input.terminationReason : null,
        // An amendment applies until the end of the term of the agreement it changes.
        effectiveUntil: purpose === "AMENDMENT" ? amended?.effectiveUntil ?? null : null,
        ratificationPractice: input.ratificationPractice ?? "ORDINARY",
        parties: { create: parties.map((party) => ({ id: newId(), ...party })) },
      },
    });
    const created = await lockSession(tx, id);
    await appendAudit(
      tx,
      id,
      auditEvent("session.proposed", {
        title: input.title,
        industry: input.industry,
        regionCode: input.regionCode,
        topics: input.topics,
        proposerSide,
        parties: parties.map(({ organizationId, role, covered: isCovered }) => ({ organizationId, role, covered: isCovered })),
        ratificationPractice: input.ratificationPractice ?? "ORDINARY",
        purpose,
      }),
      actor.userId,
      ctx,
      now,
    );
    // Only the other side answers a proposal (《集体合同规定》第三十二条); the observing bureau is
    // told it observes, not asked to answer.
    await notify(tx, await negotiatorsOf(tx, created, [recipientSide]), id, "session.proposed", { title: input.title, days: PROCEDURE_RULES.answerWithinDays.value }, actor.userId);
    await notify(tx, await negotiatorsOf(tx, created, ["OBSERVER"]), id, "session.observing", { title: input.title }, actor.userId);
    // Everyone in the series is told that a renewal of it is proposed.
    if (input.continuesNoticeId) await notify(tx, seriesPeople, id, "series.renewalProposed", { title: input.title, noticeId: input.continuesNoticeId }, actor.userId);
  });
  // An amendment or a renewal starts from the text and terms it continues (a termination from an empty page).
  if (amended && purpose !== "TERMINATION") await seedDraft(id, amended.text, storedTerms(amended.terms), actor.userId);
  return { id };
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────

/** Audit events shown per page of the session page's trail (newest page first). */
export const AUDIT_PAGE_SIZE = 50;

export async function getSessionView(options: { actor: Actor; sessionId: string; now?: Date; audit?: { before?: number; full?: boolean } }) {
  const now = options.now ?? new Date();
  const { session, roles } = await requireVisibleSession(options.actor, options.sessionId, now);
  const db = getDb();
  const [detail, auditEvents] = await Promise.all([
    db.bargainingSession.findUniqueOrThrow({
      where: { id: session.id },
      select: {
        id: true, title: true, industry: true, regionCode: true, topics: true, proposalText: true, state: true, proposerSide: true,
        proposedAt: true, answeredAt: true, answerReasons: true, representativesPerSide: true, termMonths: true, ratificationPractice: true, purpose: true,
        signedAt: true, filedAt: true, effectiveFrom: true, effectiveUntil: true, signatures: true, agreements: true,
        proposedBy: { select: { displayName: true } },
        parties: {
          orderBy: [{ role: "asc" }, { createdAt: "asc" }],
          select: { organizationId: true, role: true, isProposer: true, covered: true, consent: true, answeredAt: true, declineReason: true, organization: { select: { slug: true, name: true, nameEn: true, type: true, verification: true, creditCode: true } } },
        },
        seats: {
          orderBy: [{ appointedAt: "asc" }],
          select: {
            id: true, kind: true, side: true, isChief: true, appointedAt: true, endedAt: true, endReason: true, replacesSeatId: true, nominatedBySide: true, confirmedAt: true, outsideProfessional: true,
            user: { select: { id: true, displayName: true } },
            organization: { select: { name: true, nameEn: true } },
          },
        },
        rounds: {
          orderBy: { number: "asc" },
          select: {
            id: true, number: true, scheduledAt: true, location: true, agenda: true, chairSide: true, status: true, heldAt: true,
            attendeeIds: true, minutes: true, minutesAt: true, minutesHash: true,
            signatures: { select: { side: true, signedAt: true, contentHash: true, user: { select: { displayName: true } } } },
          },
        },
      },
    }),
    // One page of the trail: the newest events, or those before `audit.before` (decision 027).
    db.auditEvent.findMany({
      where: { sessionId: session.id, ...(options.audit?.before ? { seq: { lt: options.audit.before } } : {}) },
      orderBy: { seq: "desc" },
      take: AUDIT_PAGE_SIZE,
      select: { seq: true, type: true, payload: true, at: true, actorId: true, hash: true },
    }),
  ]);
  auditEvents.reverse();
  const verdict = await auditChainVerdict(session.id, { full: options.audit?.full, now });
  const snapshot = snapshotOf(session);
  const pendingRecorder = detail.seats.find((seat) => seat.kind === "RECORDER" && !seat.endedAt && !seat.confirmedAt);
  // Every action of the page, with its verdict, from the one projection.
  const actions = allowedActions(subjectOf(options.actor, session, { pendingRecorderBy: pendingRecorder?.nominatedBySide ?? null }), now);
  const vacancies = detail.seats
    .filter((seat) => seat.endedAt && !detail.seats.some((other) => other.replacesSeatId === seat.id))
    .map((seat) => ({ seatId: seat.id, side: seat.side, vacatedAt: seat.endedAt!, refillDueAt: vacancyRefillDueAt(seat.endedAt!), overdue: now > vacancyRefillDueAt(seat.endedAt!) }));
  const actorNames = new Map(
    (await db.user.findMany({ where: { id: { in: [...new Set(auditEvents.map((e) => e.actorId).filter((id): id is string => id !== null))] } }, select: { id: true, displayName: true } })).map((user) => [user.id, user.displayName]),
  );
  return {
    session: detail,
    roles,
    /** Two-step decisions one chief agreed, with the terms the other chief is asked to agree to. */
    pending: snapshot.agreements,
    /** The suspension both chiefs agreed (第三十五条), while suspended. */
    suspension: snapshot.suspension,
    plannedEffectiveFrom: session.plannedEffectiveFrom,
    /** The bureau's review opinions and the parties' answers (第四十五条、第四十六条). */
    reviewOpinions: await listReviewOpinions(session.id),
    deadlines: deadlinesOf(snapshot, now),
    delegationProblems: delegationProblems(snapshot),
    /** What the page offers: exactly the actions the projection allows now, and why not the others. */
    actions,
    /** The invited organizations still to answer that this user answers for (issue 18, item 2). */
    answersFor: session.parties.filter((party) => party.role !== "OBSERVER" && party.consent === "INVITED" && decideOrganization(options.actor, "answerForOrganization", { id: party.organizationId }).allowed).map((party) => party.organizationId),
    vacancies,
    audit: {
      verdict,
      /** The seq before which the previous (older) page ends, or null on the first page. */
      earlierBefore: auditEvents.length && auditEvents[0]!.seq > 1 ? auditEvents[0]!.seq : null,
      pageSize: AUDIT_PAGE_SIZE,
      events: auditEvents.map((event) => ({ seq: event.seq, type: event.type, payload: storedRecord(event.payload), at: event.at, actor: event.actorId ? actorNames.get(event.actorId) ?? null : null, hash: event.hash })),
    },
    /** Seat candidates for the appoint form: only of the sides the user names representatives for. */
    candidates: actions.appointRepresentative.allowed ? (await seatCandidates(session)).filter((candidate) => actions.appointRepresentative.sides?.includes(candidate.side)) : [],
  };
}

async function seatCandidates(session: LoadedSession) {
  const members = await getDb().membership.findMany({
    where: { organizationId: { in: session.parties.filter((party) => party.role !== "OBSERVER").map((party) => party.organizationId) } },
    select: { organizationId: true, user: { select: { id: true, displayName: true, email: true } } },
  });
  const sideOf = new Map(session.parties.map((party) => [party.organizationId, party.role]));
  return members.map((member) => ({ side: sideOf.get(member.organizationId) as Side, organizationId: member.organizationId, ...member.user }));
}

/** Sessions where one of my organizations is a party or I hold a seat, with what needs me. */
export async function listMySessions(options: { actor: Actor; now?: Date }) {
  const now = options.now ?? new Date();
  const organizationIds = options.actor.memberships.map((membership) => membership.organizationId);
  const db = getDb();
  const sessions = await db.bargainingSession.findMany({
    where: { OR: [{ parties: { some: { organizationId: { in: organizationIds } } } }, { seats: { some: { userId: options.actor.userId, endedAt: null } } }, { ratificationVotes: { some: { closedAt: null, voters: { some: { userId: options.actor.userId } } } } }] },
    orderBy: { updatedAt: "desc" },
    take: 100,
    include: { ...sessionInclude, rounds: { select: { id: true, status: true, minutesHash: true, signatures: { select: { side: true } } } } },
  });
  const ids = sessions.map((session) => session.id);
  // The facts the projection does not hold (app/domain/next-actions.ts), each in one query for all sessions.
  const [pending, ballots, objections, feedback, endedSeats, openVotes] = await Promise.all([
    // Recorders nominated by one side and waiting for the other (第三十三条（五）).
    db.seat.findMany({ where: { sessionId: { in: ids }, kind: "RECORDER", endedAt: null, confirmedAt: null }, select: { sessionId: true, nominatedBySide: true } }),
    db.ratificationVoter.findMany({ where: { userId: options.actor.userId, vote: { sessionId: { in: ids }, closedAt: null } }, select: { votedAt: true, vote: { select: { sessionId: true, closesAt: true } } } }),
    db.reviewOpinion.findMany({ where: { sessionId: { in: ids }, answeredAt: null }, select: { sessionId: true } }),
    ids.length
      ? db.$queryRaw<Array<{ sessionId: string; n: number }>>`SELECT v."sessionId", count(*)::int AS n FROM "NoticeFeedback" f JOIN "NoticeVersion" v ON v.id = f."noticeVersionId" WHERE v."sessionId" = ANY(${ids}) AND f.status = 'PENDING' GROUP BY v."sessionId"`
      : Promise.resolve([]),
    db.seat.findMany({ where: { sessionId: { in: ids }, endedAt: { not: null } }, select: { id: true, sessionId: true, endedAt: true } }),
    db.ratificationVote.findMany({ where: { sessionId: { in: ids }, closedAt: null }, select: { sessionId: true, closesAt: true } }),
  ]);
  const replaced = new Set((await db.seat.findMany({ where: { replacesSeatId: { in: endedSeats.map((seat) => seat.id) } }, select: { replacesSeatId: true } })).map((seat) => seat.replacesSeatId));
  return sessions.map((session) => {
    const ballot = ballots.find((candidate) => candidate.vote.sessionId === session.id);
    const subject = subjectOf(options.actor, session, { pendingRecorderBy: pending.find((seat) => seat.sessionId === session.id)?.nominatedBySide ?? null, isVoter: ballot !== undefined });
    const vacated = endedSeats.filter((seat) => seat.sessionId === session.id && !replaced.has(seat.id)).map((seat) => vacancyRefillDueAt(seat.endedAt!));
    const mySide = subject.roles.chiefOf;
    const facts: ActionFacts = {
      // Only while one of the actor's own organizations is still to answer (issue 18, item 2).
      answersForInvitedParty: session.parties.some((party) => party.role !== "OBSERVER" && party.consent === "INVITED" && decideOrganization(options.actor, "answerForOrganization", { id: party.organizationId }).allowed),
      minutesToSign: mySide !== null && session.rounds.some((round) => round.minutesHash && !round.signatures.some((signature) => signature.side === mySide)),
      unvotedBallot: ballot && !ballot.votedAt ? { closesAt: ballot.vote.closesAt } : null,
      objectionOpen: objections.some((opinion) => opinion.sessionId === session.id),
      feedbackToModerate: feedback.find((row) => row.sessionId === session.id)?.n ?? 0,
      vacancyDueAt: vacated.length ? new Date(Math.min(...vacated.map((date) => date.getTime()))) : null,
    };
    return {
      id: session.id,
      title: session.title,
      industry: session.industry,
      regionCode: session.regionCode,
      state: session.state,
      nextDeadline: deadlinesOf(subject.snapshot, now)[0] ?? voteDeadline(openVotes.find((vote) => vote.sessionId === session.id)?.closesAt, now),
      actions: nextActions(subject, facts, now),
    };
  });
}

/** While a ratification vote is open, its closing time is the session's next deadline. */
function voteDeadline(closesAt: Date | undefined, now: Date): Deadline | null {
  return closesAt ? { kind: "vote", dueAt: closesAt, overdue: now >= closesAt, rule: null } : null;
}

/** How many actions wait on the actor across their sessions (the header's count). */
export async function countMyActions(options: { actor: Actor; now?: Date }): Promise<number> {
  return (await listMySessions(options)).reduce((sum, session) => sum + session.actions.length, 0);
}

// ─── Procedure transitions ─────────────────────────────────────────────────────────────────

/** The procedure actions taken through the generic path (the session and agreement pages' buttons). */
const GENERIC_PROCEDURE_ACTIONS = ["accept", "decline", "withdraw", "startBargaining", "agreeDraft", "suspend", "resume", "reopen", "file", "object", "requestRenewal"] as const satisfies readonly ProcedureAction[];
export type GenericProcedureAction = (typeof GENERIC_PROCEDURE_ACTIONS)[number];

/**
 * What a procedure action carries besides itself: a refusal's reasons; the terms a chief agrees to
 * (a suspension's plan, the draft's start date, why a text is reopened); the bureau's review
 * opinion; the parties' answers to it when refiling.
 */
export type ProcedureInput = { reasons?: string; terms?: unknown; opinion?: ReviewItem[]; answers?: string[] };

export async function applyProcedureEvent(options: { actor: Actor; ctx: RequestContext; sessionId: string; action: GenericProcedureAction } & ProcedureInput) {
  const now = options.ctx.now ?? new Date();
  const visible = await requireVisibleSession(options.actor, options.sessionId, now);
  // Opening the vote and signing go through app/models/agreement.server.ts (roll, ballots,
  // re-entered password, content hash), never through this generic path.
  if (!(GENERIC_PROCEDURE_ACTIONS as readonly string[]).includes(options.action)) throw new DomainError("procedure.notAllowed");
  // Filing goes to the session's labour bureau: a session without one cannot be filed.
  if (options.action === "file" && !(await getDb().sessionParty.findFirst({ where: { sessionId: options.sessionId, role: "OBSERVER" }, select: { id: true } }))) {
    throw new DomainError("agreement.noBureau");
  }
  // Filing recomputes the checks from the stored text (issue 18, item 4): nothing unreadable or in
  // breach of a legal floor reaches the bureau, whatever let it into the document.
  if (options.action === "file") {
    // Only for someone who may file now: the projection first, so nobody else learns of the terms.
    requireSessionAction(options.actor, visible.session, "file", now);
    const breaches = carriesTerms(visible.session.purpose) ? await draftBreaches(options.sessionId) : [];
    if (breaches.some((breach) => breach.id === UNREADABLE_TERMS.id)) throw new DomainError("terms.unreadable");
    if (breaches.length > 0) throw new DomainError("terms.blockingBreach");
  }
  const result = await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    return applyTransitionInTx(tx, session, options.actor, options.ctx, options.action, now, options);
  });
  // The round agreed with a suspension starts from a recorded version of the draft, as every round.
  if (result.to === "SUSPENDED" && result.from !== result.to) {
    const last = await getDb().round.findFirst({ where: { sessionId: options.sessionId }, orderBy: { number: "desc" }, select: { number: true } });
    if (last) await versionForRound(options.sessionId, last.number);
  }
  // The step decides whether the draft can still be edited.
  if (result.from !== result.to) announceAccessChange(options.sessionId);
  return result;
}

/**
 * One procedure action inside the caller's transaction (the session locked): the projection's
 * verdict, the update, the audit event and the notifications.
 */
export async function applyTransitionInTx(tx: Tx, session: LoadedSession, actor: Actor, ctx: RequestContext, action: ProcedureAction, now: Date, input: ProcedureInput = {}) {
  const { reasons } = input;
  const subject = subjectOf(actor, session);
  const step = procedureStep(subject, action, now, { ...input, terms: agreementTermsOf(action, subject, input.terms) });
  requireAllowed(step.verdict, { params: { months: PROCEDURE_RULES.renewalWindowMonths.value, days: PROCEDURE_RULES.reviewDays.value } });
  const result = step.result;
  if (!result?.ok) throw new DomainError(result?.code ?? "procedure.wrongState");
  // Refiling after a review opinion: the parties' answer to each of its items (第四十六条).
  if (action === "file") await answerReviewOpinion(tx, session, actor, ctx, now, input.answers ?? []);
  if (action === "accept" || action === "decline") {
    // Each named organization answers for itself (issue 18, item 2): the proposal is accepted
    // when the last party has accepted; one party's refusal, with its reasons, is the answer.
    const stillInvited = await recordPartyAnswers(tx, session, actor, ctx, action === "accept", now, reasons);
    if (action === "accept" && stillInvited > 0) {
      await notify(tx, await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"]), session.id, "session.partyAnswered", { waiting: stillInvited }, actor.userId);
      return { ok: true as const, from: session.state, to: session.state, patch: {} };
    }
  }
  const { event } = step;
  const answerReasons = event.type === "ANSWER" && !event.accept ? event.reasons : undefined;
  await tx.bargainingSession.update({ where: { id: session.id }, data: { ...patchData(result.patch), ...(answerReasons ? { answerReasons } : {}) } });
  const givenReasons = event.type === "ANSWER" && !event.accept ? event.reasons : undefined;
  await appendAudit(
    tx,
    session.id,
    auditEvent("session.transition", {
      event: event.type === "AGREE" ? `AGREE_${event.kind}` : event.type,
      from: result.from,
      to: result.to,
      ...(givenReasons ? { reasons: givenReasons } : {}),
      ...(event.type === "AGREE" || event.type === "SIGN" ? { side: event.side } : {}),
      ...(event.type === "AGREE" && event.terms ? { terms: event.terms as Record<string, unknown> } : {}),
    }),
    actor.userId,
    ctx,
    now,
  );
  if (event.type === "OBJECT") await recordReviewOpinion(tx, session, actor, ctx, now, input.opinion ?? []);
  // 第三十五条: the next meeting agreed with the suspension is on the calendar as a round.
  if (result.to === "SUSPENDED" && result.patch.suspension) {
    const plan = result.patch.suspension;
    await addRound(tx, session, actor, ctx, now, { scheduledAt: new Date(plan.meetingAt), location: plan.location, agenda: plan.agenda });
  }
  // A chief agreed and waits for the other: the other side's chief is asked to answer.
  if (event.type === "AGREE" && result.from === result.to) {
    await notify(tx, chiefsOf(session), session.id, "session.agreementPending", { kind: event.kind }, actor.userId);
  }
  if (result.from !== result.to) {
    const everyone = [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"])), ...chiefsOf(session)];
    if (result.to === "FILED") everyone.push(...(await negotiatorsOf(tx, session, ["OBSERVER"])));
    await notify(tx, everyone, session.id, "session.stateChanged", { to: result.to }, actor.userId);
  }
  return result;
}

/**
 * The terms a chief agrees to: as given; without them, the other chief's pending terms (agreeing
 * to them), or the decision's default when it has one (the draft without a later start date,
 * resuming now). A suspension's plan and a reopening's reason are never assumed.
 */
function agreementTermsOf(action: ProcedureAction, subject: SessionSubject, given: unknown): unknown {
  if (given !== undefined) return given;
  const kind = ({ agreeDraft: "DRAFT", suspend: "SUSPEND", resume: "RESUME", reopen: "REOPEN" } as const)[action as "agreeDraft" | "suspend" | "resume" | "reopen"];
  if (!kind || !subject.roles.chiefOf) return undefined;
  const pending = subject.snapshot.agreements;
  if (pending[kind]?.length && !pending[kind]!.includes(subject.roles.chiefOf!)) return undefined;
  if (kind === "DRAFT") return { startsOn: null };
  if (kind === "RESUME") return {};
  throw new DomainError("invalidInput");
}

/**
 * Records the actor's answer for every party still invited that the actor may answer for (its
 * administrators and negotiators, decideOrganization "answerForOrganization"), each in the
 * session's chain; returns how many worker- or employer-side parties are still to answer.
 */
async function recordPartyAnswers(tx: Tx, session: LoadedSession, actor: Actor, ctx: RequestContext, accept: boolean, now: Date, reasons?: string): Promise<number> {
  const invited = session.parties.filter((party) => party.role !== "OBSERVER" && party.consent === "INVITED");
  const mine = invited.filter((party) => decideOrganization(actor, "answerForOrganization", { id: party.organizationId }).allowed);
  if (mine.length === 0) throw new DomainError("party.nothingToAnswer");
  for (const party of mine) {
    await tx.sessionParty.update({ where: { id: party.id }, data: { consent: accept ? "ACCEPTED" : "DECLINED", answeredAt: now, answeredById: actor.userId, declineReason: accept ? null : reasons ?? null } });
    await appendAudit(tx, session.id, auditEvent("party.answered", { organizationId: party.organizationId, accept, ...(accept || !reasons ? {} : { reasons }) }), actor.userId, ctx, now);
  }
  return invited.length - mine.length;
}

// ─── Delegations ────────────────────────────────────────────────────────────────────────────

export async function appointSeat(options: {
  actor: Actor;
  ctx: RequestContext;
  sessionId: string;
  input: { kind: "REPRESENTATIVE" | "RECORDER"; side: Side | null; email: string; isChief: boolean; outsideProfessional?: boolean; replacesSeatId?: string };
}) {
  const now = options.ctx.now ?? new Date();
  const { input } = options;
  await requireVisibleSession(options.actor, options.sessionId, now);
  const appointed = await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const isRecorder = input.kind === "RECORDER";
    const side = isRecorder ? null : input.side;
    // A representative sits for one side and belongs to an organization of that side
    // (《集体合同规定》第十九条至第二十一条), or is an outside professional the side's chief appoints
    // (第二十三条): a seat without a side would skip both checks below.
    if (!isRecorder && !side) throw new DomainError("seat.sideRequired", { field: "side" });
    const outsider = !isRecorder && input.outsideProfessional === true;
    const subject = requireSessionAction(options.actor, session, isRecorder ? "nominateRecorder" : outsider ? "appointOutsider" : "appointRepresentative", now, side ?? undefined);
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true, displayName: true } });
    if (!user) throw new DomainError("seat.unknownUser", { field: "email" });
    let organizationId: string | null = null;
    if (side) {
      const orgsOf = (role: Side) => session.parties.filter((party) => party.role === role).map((party) => party.organizationId);
      const membership = await tx.membership.findFirst({ where: { userId: user.id, organizationId: { in: orgsOf(side) } }, select: { organizationId: true } });
      if (outsider) {
        // An outside professional is from outside the side's organizations, and not of the other
        // side either: nobody represents both sides (第二十四条).
        if (membership) throw new DomainError("seat.notOutsider", { field: "email" });
        if (await tx.membership.findFirst({ where: { userId: user.id, organizationId: { in: orgsOf(otherSide(side)) } }, select: { id: true } })) throw new DomainError("seat.bothSides", { field: "email" });
      } else {
        if (!membership) throw new DomainError("seat.notPartyMember", { field: "email" });
        organizationId = membership.organizationId;
      }
    }
    if (session.seats.some((seat) => seat.userId === user.id)) throw new DomainError("seat.alreadySeated", { field: "email" });

    // The recorder is named by both sides together (第三十三条（五）): one side nominates, the other
    // confirms (confirmRecorder); one nomination at a time.
    const nominatedBySide = isRecorder ? speakingSide(subject.roles) : null;
    if (isRecorder && (await tx.seat.findFirst({ where: { sessionId: session.id, kind: "RECORDER", endedAt: null, confirmedAt: null }, select: { id: true } }))) {
      throw new DomainError("seat.recorderPending", { field: "email" });
    }
    let replaced: { id: string; isChief: boolean; userId: string } | null = null;
    if (input.replacesSeatId) {
      const target = await tx.seat.findFirst({ where: { id: input.replacesSeatId, sessionId: session.id, kind: input.kind, side }, select: { id: true, isChief: true, userId: true, endedAt: true, replacedBy: { select: { id: true } } } });
      if (!target || target.replacedBy) throw new DomainError("notFound");
      // A recorder being replaced stays in office until the other side confirms the successor.
      if (!target.endedAt && !isRecorder) {
        await tx.seat.update({ where: { id: target.id }, data: { endedAt: now, endReason: "replaced" } });
        await appendAudit(tx, session.id, auditEvent("seat.ended", { seatId: target.id, userId: target.userId, reason: "replaced" }), options.actor.userId, options.ctx, now);
      }
      replaced = target;
    }
    const current = session.seats.filter((seat) => seat.id !== replaced?.id && seat.kind === input.kind && seat.side === side);
    if (isRecorder ? current.length >= 1 : current.length >= session.representativesPerSide) throw new DomainError("seat.full");
    const isChief = !isRecorder && input.isChief;
    if (isChief && outsider) throw new DomainError("seat.outsiderChief", { field: "isChief" });
    if (isChief && current.some((seat) => seat.isChief)) throw new DomainError("seat.chiefTaken", { field: "isChief" });
    if (outsider) {
      // 第二十三条: outside professionals are at most one third of the side's representatives
      // (不得超过, so exactly one third is allowed).
      const outsiders = await tx.seat.count({ where: { sessionId: session.id, side, endedAt: null, outsideProfessional: true, ...(replaced ? { id: { not: replaced.id } } : {}) } });
      if ((outsiders + 1) * 3 > session.representativesPerSide) {
        throw new DomainError("seat.outsiderLimit", { field: "email", params: { limit: Math.floor(session.representativesPerSide / 3) } });
      }
    }

    const seatId = newId();
    await tx.seat.create({
      data: {
        id: seatId, sessionId: session.id, kind: input.kind, side, userId: user.id, organizationId, isChief, appointedAt: now, appointedById: options.actor.userId, replacesSeatId: replaced?.id ?? null,
        nominatedBySide, outsideProfessional: outsider,
        ...(isRecorder ? {} : { confirmedAt: now, confirmedById: options.actor.userId }),
      },
    });
    await appendAudit(
      tx,
      session.id,
      auditEvent("seat.appointed", { seatId, kind: input.kind, side, userId: user.id, isChief, replacesSeatId: replaced?.id ?? null, ...(outsider ? { outsideProfessional: true } : {}) }),
      options.actor.userId,
      options.ctx,
      now,
    );
    if (isRecorder && nominatedBySide) {
      // The other side's negotiators are asked to confirm; the nominee hears once confirmed.
      await notify(tx, await negotiatorsOf(tx, session, [otherSide(nominatedBySide)]), session.id, "seat.recorderNominated", { name: user.displayName }, options.actor.userId);
    } else {
      await notify(tx, [user.id], session.id, "seat.appointed", { kind: input.kind, side, isChief }, options.actor.userId);
    }
    return { seatId };
  });
  announceAccessChange(options.sessionId);
  return appointed;
}

/**
 * Confirms a recorder the other side nominated (《集体合同规定》第三十三条（五）: both sides name the
 * recorder together). Only a negotiator of the side that did not nominate may confirm; the
 * recorder being replaced, if any, leaves office now.
 */
export async function confirmRecorder(options: { actor: Actor; ctx: RequestContext; sessionId: string; seatId: string }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const seat = await tx.seat.findFirst({
      where: { id: options.seatId, sessionId: session.id, kind: "RECORDER", endedAt: null, confirmedAt: null },
      select: { id: true, userId: true, nominatedBySide: true, replacesSeatId: true },
    });
    if (!seat || !seat.nominatedBySide) throw new DomainError("notFound");
    requireSessionAction(options.actor, session, "confirmRecorder", now, undefined, { pendingRecorderBy: seat.nominatedBySide });
    if (seat.replacesSeatId) {
      const replaced = await tx.seat.findFirst({ where: { id: seat.replacesSeatId, endedAt: null }, select: { id: true, userId: true } });
      if (replaced) {
        await tx.seat.update({ where: { id: replaced.id }, data: { endedAt: now, endReason: "replaced" } });
        await appendAudit(tx, session.id, auditEvent("seat.ended", { seatId: replaced.id, userId: replaced.userId, reason: "replaced" }), options.actor.userId, options.ctx, now);
      }
    }
    await tx.seat.update({ where: { id: seat.id }, data: { confirmedAt: now, confirmedById: options.actor.userId } });
    await appendAudit(tx, session.id, auditEvent("seat.confirmed", { seatId: seat.id, userId: seat.userId }), options.actor.userId, options.ctx, now);
    await notify(tx, [seat.userId], session.id, "seat.appointed", { kind: "RECORDER", side: null, isChief: false }, options.actor.userId);
  });
  announceAccessChange(options.sessionId);
}

/** Ends a seat (resignation, withdrawal): the vacancy must be refilled within 15 days. */
export async function endSeat(options: { actor: Actor; ctx: RequestContext; sessionId: string; seatId: string; reason: string }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const seat = await tx.seat.findFirst({ where: { id: options.seatId, sessionId: session.id, endedAt: null }, select: { id: true, side: true, userId: true } });
    if (!seat) throw new DomainError("notFound");
    requireSessionAction(options.actor, session, seat.side ? "endSeat" : "endRecorder", now, seat.side ?? undefined);
    await tx.seat.update({ where: { id: seat.id }, data: { endedAt: now, endReason: options.reason } });
    await appendAudit(tx, session.id, auditEvent("seat.ended", { seatId: seat.id, userId: seat.userId, reason: options.reason }), options.actor.userId, options.ctx, now);
  });
  // A representative removed mid-session loses the document at once.
  announceAccessChange(options.sessionId);
}

// ─── Rounds and minutes ─────────────────────────────────────────────────────────────────────

export async function scheduleRound(options: { actor: Actor; ctx: RequestContext; sessionId: string; input: { scheduledAt: Date; location: string; agenda: string } }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  const scheduled = await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    requireSessionAction(options.actor, session, "scheduleRound", now);
    // A meeting is scheduled ahead (the current minute counts: the form is to the minute).
    if (options.input.scheduledAt.getTime() < now.getTime() - 60_000) throw new DomainError("round.inPast", { field: "scheduledAt" });
    return addRound(tx, session, options.actor, options.ctx, now, options.input);
  });
  // Every round starts from a recorded version of the draft.
  await versionForRound(options.sessionId, scheduled.number);
  return scheduled;
}

/** Adds the session's next round (the caller holds the lock and decided who may). */
async function addRound(tx: Tx, session: LoadedSession, actor: Actor, ctx: RequestContext, now: Date, input: { scheduledAt: Date; location: string; agenda: string }) {
  const count = await tx.round.count({ where: { sessionId: session.id } });
  const number = count + 1;
  // Chiefs chair in turn, the proposing side first.
  const chairSide = number % 2 === 1 ? session.proposerSide : otherSide(session.proposerSide);
  const id = newId();
  await tx.round.create({ data: { id, sessionId: session.id, number, chairSide, attendeeIds: [], ...input } });
  await appendAudit(
    tx,
    session.id,
    auditEvent("round.scheduled", { roundId: id, number, scheduledAt: input.scheduledAt.toISOString(), location: input.location, chairSide }),
    actor.userId,
    ctx,
    now,
  );
  await notify(tx, session.seats.map((seat) => seat.userId), session.id, "round.scheduled", { number, scheduledAt: input.scheduledAt.toISOString() }, actor.userId);
  return { id, number };
}

/** The recorder records who attended and writes the minutes; both chiefs then sign that text. */
export async function recordRound(options: { actor: Actor; ctx: RequestContext; sessionId: string; roundId: string; input: { attendeeIds: string[]; minutes: string } }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    requireSessionAction(options.actor, session, "recordRound", now);
    const round = await tx.round.findFirst({ where: { id: options.roundId, sessionId: session.id }, select: { id: true, number: true, status: true, scheduledAt: true, _count: { select: { signatures: true } } } });
    if (!round) throw new DomainError("notFound");
    if (round.status === "CANCELLED") throw new DomainError("round.wrongState");
    // Minutes record a meeting that has begun; saving them marks it held.
    if (round.scheduledAt.getTime() > now.getTime()) throw new DomainError("round.notStarted");
    if (round._count.signatures > 0) throw new DomainError("round.minutesSigned");
    const seated = new Set(session.seats.map((seat) => seat.userId));
    if (options.input.attendeeIds.some((id) => !seated.has(id))) throw new DomainError("round.attendeeUnknown", { field: "attendeeIds" });
    const minutesHash = sha256Hex(options.input.minutes);
    await tx.round.update({
      where: { id: round.id },
      data: { status: "HELD", heldAt: now, attendeeIds: options.input.attendeeIds, minutes: options.input.minutes, minutesAt: now, minutesById: options.actor.userId, minutesHash },
    });
    await appendAudit(tx, session.id, auditEvent("round.held", { roundId: round.id, number: round.number, attendeeIds: options.input.attendeeIds }), options.actor.userId, options.ctx, now);
    await appendAudit(tx, session.id, auditEvent("minutes.written", { roundId: round.id, number: round.number, minutesHash }), options.actor.userId, options.ctx, now);
    await notify(tx, chiefsOf(session), session.id, "minutes.toSign", { number: round.number }, options.actor.userId);
  });
}

export async function signMinutes(options: { actor: Actor; ctx: RequestContext; sessionId: string; roundId: string; minutesHash: string }) {
  const now = options.ctx.now ?? new Date();
  await requireVisibleSession(options.actor, options.sessionId, now);
  await getDb().$transaction(async (tx) => {
    const session = await lockSession(tx, options.sessionId);
    const side = requireSessionAction(options.actor, session, "signMinutes", now).roles.chiefOf!;
    const round = await tx.round.findFirst({ where: { id: options.roundId, sessionId: session.id }, select: { id: true, number: true, minutesHash: true, signatures: { select: { side: true } } } });
    if (!round) throw new DomainError("notFound");
    if (!round.minutesHash) throw new DomainError("round.noMinutes");
    // The chief signs exactly the text they saw: if the minutes changed meanwhile, refuse.
    if (round.minutesHash !== options.minutesHash) throw new DomainError("round.minutesSigned");
    if (round.signatures.some((signature) => signature.side === side)) throw new DomainError("procedure.alreadyDone");
    await tx.minutesSignature.create({ data: { id: newId(), roundId: round.id, side, userId: options.actor.userId, signedAt: now, contentHash: round.minutesHash } });
    await appendAudit(tx, session.id, auditEvent("minutes.signed", { roundId: round.id, number: round.number, side, minutesHash: round.minutesHash }), options.actor.userId, options.ctx, now);
  });
}

// ─── Caucus ─────────────────────────────────────────────────────────────────────────────────

export async function listCaucusNotes(options: { actor: Actor; sessionId: string; side: Side; now?: Date }) {
  const now = options.now ?? new Date();
  const { session } = await requireVisibleSession(options.actor, options.sessionId, now);
  requireSessionAction(options.actor, session, "readCaucus", now, options.side);
  return {
    notes: await getDb().caucusNote.findMany({
      where: { sessionId: session.id, side: options.side },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, body: true, createdAt: true, author: { select: { displayName: true } } },
    }),
  };
}

export async function addCaucusNote(options: { actor: Actor; sessionId: string; side: Side; body: string; now?: Date }) {
  const now = options.now ?? new Date();
  const { session } = await requireVisibleSession(options.actor, options.sessionId, now);
  requireSessionAction(options.actor, session, "writeCaucus", now, options.side);
  await getDb().caucusNote.create({ data: { id: newId(), sessionId: session.id, side: options.side, authorId: options.actor.userId, body: options.body } });
}

/** Whether the actor may send a written proposal for any of their organizations (the dashboard's button). */
export async function canProposeSessions(options: { actor: Actor }): Promise<boolean> {
  const ids = options.actor.memberships.map((membership) => membership.organizationId);
  if (ids.length === 0) return false;
  const organizations = await getDb().organization.findMany({ where: { id: { in: ids } }, select: { id: true, type: true } });
  return organizations.some((org) => decideOrganization(options.actor, "proposeSession", org).allowed);
}

export async function listPartyCandidates(options: { actor: Actor }) {
  requireAllowed(decideOrganization(options.actor, "viewOrganization"));
  return getDb().organization.findMany({ orderBy: [{ type: "asc" }, { name: "asc" }], take: 500, select: { id: true, name: true, nameEn: true, type: true, regionCode: true, verification: true } });
}

