/**
 * From the agreed draft to a signed, filed agreement: the ratification vote (roll per covered
 * enterprise, optional secret ballot, results hidden until close, thresholds in
 * app/domain/ratification.ts), the chiefs' signatures (password re-entered, bound to the ratified
 * content hash, refused if the content changed or a blocking rule check fails) and the filing
 * reminders. Filing and objections are procedure events (app/models/session.server.ts).
 * See docs/decisions/015-ratification-and-signatures.md.
 */
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { DomainError } from "~/domain/errors.ts";
import { agreementContentHash } from "~/domain/notice.ts";
import { addDays, fileDueAt, ratificationClosed, SIDES, type Side } from "~/domain/procedure.ts";
import { speakingSide } from "~/domain/session-access.ts";
import { allowedActions, decide, HAS_AGREEMENT_STATES, requireAllowed, type SessionAction } from "~/domain/capabilities.ts";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import { everyoneVoted, ratificationOutcome, type BallotChoice, type RatificationScope } from "~/domain/ratification.ts";
import { draftPlainText, draftTerms } from "~/domain/draft-text.ts";
import { newId } from "~/infra/ids.server.ts";
import { loadDocument } from "~/models/document-store.server.ts";
import { versionForRatification } from "~/models/draft-version.server.ts";
import { verifyPassword } from "~/auth/password.server.ts";
import { checkConfirmationAllowed, recordConfirmationFailure, recordConfirmationSuccess } from "~/auth/rate-limit.server.ts";
import { announceAccessChange } from "~/infra/events.server.ts";
import { appendAudit, chiefsOf, lockSession, negotiatorsOf, notify, patchData, sessionInclude, subjectOf, type LoadedSession, type RequestContext, type Tx } from "~/models/session-core.server.ts";
import { applyTransitionInTx } from "~/models/session.server.ts";
import { draftBreaches } from "~/models/draft-access.server.ts";
import { UNREADABLE_TERMS } from "~/domain/rule-checks.ts";
import { carriesTerms } from "~/domain/amendment.ts";
import { requireVisibleSession } from "~/models/session-clock.server.ts";
import { storedOutcome, storedTerms, toStoredJson } from "~/models/stored-json.server.ts";
import { listReviewOpinions } from "~/models/review.server.ts";

const HOUR = 60 * 60 * 1000;

/** The session's latest vote (the open one, or the one that decided the current step). */
async function latestVote(db: Tx | ReturnType<typeof getDb>, sessionId: string) {
  return db.ratificationVote.findFirst({ where: { sessionId }, orderBy: { openedAt: "desc" } });
}

/**
 * The groups a roll is listed by: the covered enterprises (platforms and partner enterprises the
 * agreement binds). A session that names none votes in one workers' congress, listed under the
 * worker-side union(s); the industry-wide rule then cannot apply.
 */
async function rollGroups(sessionId: string) {
  const select = { organization: { select: { id: true, slug: true, name: true, nameEn: true, type: true } } } as const;
  const covered = await getDb().sessionParty.findMany({ where: { sessionId, covered: true }, select, orderBy: { createdAt: "asc" } });
  if (covered.length) return { covered: true, groups: covered.map((party) => party.organization) };
  const unions = await getDb().sessionParty.findMany({ where: { sessionId, role: "WORKER" }, select, orderBy: { createdAt: "asc" } });
  return { covered: false, groups: unions.map((party) => party.organization) };
}

/**
 * Who the actor is for the agreement page: session roles, and whether they are on the roll of the
 * latest vote. Outsiders get "not found", as for every session page.
 */
async function requireAgreementAccess(actor: Actor, sessionId: string) {
  const db = getDb();
  const session = await db.bargainingSession.findUnique({ where: { id: sessionId }, include: sessionInclude });
  if (!session) throw new DomainError("notFound");
  const vote = await latestVote(db, sessionId);
  const voter = vote ? await db.ratificationVoter.findUnique({ where: { voteId_userId: { voteId: vote.id, userId: actor.userId } } }) : null;
  const subject = subjectOf(actor, session, { isVoter: voter !== null });
  requireAllowed(decide(subject, "viewAgreement", new Date()));
  return { session, roles: subject.roles, subject, vote, voter };
}

// ─── The frame around every session page ──────────────────────────────────────────────────────

/**
 * What every page of a session shows around itself (the layout route sessions.$id): the title, the
 * step, the actor's side and which of the session's pages the actor may open, each decided by the
 * projection. A participant sees them all; a worker representative on the roll who is not a
 * participant (第三十六条) sees only the agreement they vote on. "Not found" for anyone else, as
 * for every page under it.
 */
export async function getSessionFrame(options: { actor: Actor; sessionId: string; now?: Date }) {
  const now = options.now ?? new Date();
  // Members' reads apply the procedure clock, as the pages themselves do.
  await requireVisibleSession(options.actor, options.sessionId, now).catch((error: unknown) => {
    if (!(error instanceof DomainError && error.code === "notFound")) throw error;
  });
  const { session, subject } = await requireAgreementAccess(options.actor, options.sessionId);
  const may = (action: SessionAction, side?: Side) => decide(subject, action, now, side).allowed;
  const member = may("view");
  return {
    id: session.id,
    title: session.title,
    state: session.state,
    side: speakingSide(subject.roles),
    pages: {
      overview: member,
      draft: member,
      versions: member,
      agreement: HAS_AGREEMENT_STATES.includes(session.state),
      caucus: SIDES.filter((side) => may("readCaucus", side)),
      disputes: may("viewDisputes"),
    },
  };
}

// ─── Opening the vote ───────────────────────────────────────────────────────────────────────

/** The vote is counted as the session's proposal chose (`ratificationPractice`, agreed by acceptance). */
export type OpenRatificationInput = {
  secret: boolean;
  closesInHours: number;
  roll: Array<{ enterpriseId: string; email: string }>;
};

export async function openRatification(options: { actor: Actor; ctx: RequestContext; sessionId: string; input: OpenRatificationInput }) {
  const now = options.ctx.now ?? new Date();
  const { input } = options;
  const db = getDb();
  const { session, subject } = await requireAgreementAccess(options.actor, options.sessionId);
  requireAllowed(decide(subject, "view", now));
  requireAllowed(decide(subject, "openRatification", now));
  const { covered, groups: enterprises } = await rollGroups(session.id);
  // How the vote is counted was chosen in the proposal and agreed by accepting it (issue 20, item 2).
  const scope: RatificationScope = session.ratificationPractice;
  if (scope === "AGREED_PER_ENTERPRISE" && !covered) throw new DomainError("ratification.noCoveredEnterprise");
  const enterpriseIds = new Set(enterprises.map((enterprise) => enterprise.id));
  if (input.roll.some((entry) => !enterpriseIds.has(entry.enterpriseId))) throw new DomainError("invalidInput");
  if (scope === "AGREED_PER_ENTERPRISE") {
    const empty = enterprises.find((enterprise) => !input.roll.some((entry) => entry.enterpriseId === enterprise.id));
    if (empty) throw new DomainError("ratification.enterpriseWithoutVoters", { params: { name: empty.name }, field: `roll_${empty.id}` });
  }
  const users = await db.user.findMany({ where: { email: { in: input.roll.map((entry) => entry.email) } }, select: { id: true, email: true } });
  const idOf = new Map(users.map((user) => [user.email, user.id]));
  const unknown = input.roll.filter((entry) => !idOf.has(entry.email)).map((entry) => entry.email);
  if (unknown.length) throw new DomainError("ratification.unknownVoters", { params: { emails: unknown.slice(0, 10).join(", ") }, field: "roll" });

  // The draft is frozen since both chiefs agreed it; this version is what the roll votes on.
  const { id: versionId } = await versionForRatification(session.id, options.actor.userId);
  const version = await db.draftVersion.findUniqueOrThrow({ where: { id: versionId }, select: { text: true, terms: true } });
  const contentHash = agreementContentHash({ text: version.text, terms: version.terms });
  const closesAt = new Date(now.getTime() + input.closesInHours * HOUR);
  const voteId = newId();
  const roll = input.roll.map((entry) => ({ userId: idOf.get(entry.email)!, enterpriseId: entry.enterpriseId }));

  await db.$transaction(async (tx) => {
    const locked = await lockSession(tx, session.id);
    await applyTransitionInTx(tx, locked, options.actor, options.ctx, "openRatification", now);
    await tx.ratificationVote.create({
      data: { id: voteId, sessionId: session.id, versionId, contentHash, scope, secret: input.secret, openedAt: now, openedById: options.actor.userId, closesAt },
    });
    await tx.ratificationVoter.createMany({ data: roll.map((entry) => ({ id: newId(), voteId, ...entry })) });
    await appendAudit(
      tx,
      session.id,
      auditEvent("ratification.opened", { voteId, versionId, contentHash, scope, secret: input.secret, closesAt: closesAt.toISOString(), roll }),
      options.actor.userId,
      options.ctx,
      now,
    );
    await notify(tx, roll.map((entry) => entry.userId), session.id, "ratification.opened", { href: `/sessions/${session.id}/agreement`, closesAt: closesAt.toISOString() }, options.actor.userId);
  });
  announceAccessChange(session.id);
  return { voteId };
}

// ─── Voting ─────────────────────────────────────────────────────────────────────────────────

export async function castBallot(options: { actor: Actor; ctx: RequestContext; sessionId: string; choice: BallotChoice }) {
  const now = options.ctx.now ?? new Date();
  const { session, subject, vote, voter } = await requireAgreementAccess(options.actor, options.sessionId);
  if (!vote || vote.closedAt) throw new DomainError("ratification.notOpen");
  requireAllowed(decide(subject, "vote", now));
  if (!voter) throw new DomainError("ratification.notOnRoll");
  if (now >= vote.closesAt) {
    await closeDueVotes(now);
    throw new DomainError("ratification.notOpen");
  }
  await getDb().$transaction(async (tx) => {
    await lockSession(tx, session.id);
    // Under the lock: one ballot per representative, and none after the vote closed.
    const current = await tx.ratificationVote.findUniqueOrThrow({ where: { id: vote.id }, select: { closedAt: true } });
    if (current.closedAt) throw new DomainError("ratification.notOpen");
    const marked = await tx.ratificationVoter.updateMany({
      where: { id: voter.id, votedAt: null },
      // A secret ballot keeps only "has voted" beside the name; the choice goes into an unlinked ballot.
      data: { votedAt: now, choice: vote.secret ? null : options.choice },
    });
    if (marked.count === 0) throw new DomainError("ratification.alreadyVoted");
    await tx.ratificationBallot.create({ data: { id: newId(), voteId: vote.id, enterpriseId: voter.enterpriseId, choice: options.choice } });
  });
}

/** Counts a vote and applies its result, under the session lock. `actorId` null: closed by the clock. */
async function closeVoteInTx(tx: Tx, session: LoadedSession, voteId: string, at: Date, actorId: string | null, ctx: RequestContext) {
  const vote = await tx.ratificationVote.findUniqueOrThrow({ where: { id: voteId }, include: { voters: true, ballots: true } });
  if (vote.closedAt) return null;
  const outcome = ratificationOutcome({
    scope: vote.scope,
    roll: vote.voters.map((voter) => ({ enterpriseId: voter.enterpriseId })),
    ballots: vote.ballots.map((ballot) => ({ enterpriseId: ballot.enterpriseId, choice: ballot.choice })),
  });
  const result = ratificationClosed({ state: session.state }, outcome.passed);
  if (!result.ok) return null;
  const stored = {
    ...outcome,
    // Who voted (never how, in a secret ballot); in an open ballot each choice is on the record.
    voted: vote.voters.filter((voter) => voter.votedAt).map((voter) => ({ userId: voter.userId, enterpriseId: voter.enterpriseId, ...(vote.secret ? {} : { choice: voter.choice }) })),
  };
  await tx.ratificationVote.update({ where: { id: vote.id }, data: { closedAt: at, passed: outcome.passed, outcome: toStoredJson(stored) } });
  await tx.bargainingSession.update({ where: { id: session.id }, data: patchData(result.patch) });
  await appendAudit(
    tx,
    session.id,
    auditEvent("ratification.closed", { voteId: vote.id, passed: outcome.passed, early: actorId !== null, tally: stored.tally, rule: { ...stored.rule, voted: stored.voted } }),
    actorId,
    ctx,
    at,
  );
  await appendAudit(tx, session.id, auditEvent("session.transition", { event: "RECORD_RATIFICATION", from: result.from, to: result.to, passed: outcome.passed }), actorId, ctx, at);
  const everyone = [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"])), ...chiefsOf(session), ...vote.voters.map((voter) => voter.userId)];
  await notify(tx, everyone, session.id, "ratification.closed", { href: `/sessions/${session.id}/agreement`, passed: outcome.passed ? 1 : 0 });
  return outcome;
}

/** Early close, once every representative on the roll has voted (worker chief or recorder). */
export async function closeRatification(options: { actor: Actor; ctx: RequestContext; sessionId: string }) {
  const now = options.ctx.now ?? new Date();
  const { session, subject, vote } = await requireAgreementAccess(options.actor, options.sessionId);
  requireAllowed(decide(subject, "view", now));
  requireAllowed(decide(subject, "closeVote", now));
  if (!vote || vote.closedAt) throw new DomainError("ratification.notOpen");
  const outcome = await getDb().$transaction(async (tx) => {
    const locked = await lockSession(tx, session.id);
    const [rollSize, voted] = await Promise.all([tx.ratificationVoter.count({ where: { voteId: vote.id } }), tx.ratificationVoter.count({ where: { voteId: vote.id, votedAt: { not: null } } })]);
    // Before its closing time a vote only closes when nobody is left to vote: closing it early
    // must not shut anyone out.
    if (now < vote.closesAt && !everyoneVoted(rollSize, voted)) throw new DomainError("ratification.stillOpen", { params: { voted, roll: rollSize } });
    return closeVoteInTx(tx, locked, vote.id, now < vote.closesAt ? now : vote.closesAt, options.actor.userId, options.ctx);
  });
  announceAccessChange(session.id);
  return outcome;
}

/** Closes and counts every vote whose closing time has passed (the clock sweep and reads call it). */
export async function closeDueVotes(now: Date): Promise<number> {
  const db = getDb();
  const due = await db.ratificationVote.findMany({ where: { closedAt: null, closesAt: { lte: now } }, select: { id: true, sessionId: true, closesAt: true } });
  for (const vote of due) {
    await db.$transaction(async (tx) => {
      const session = await lockSession(tx, vote.sessionId);
      await closeVoteInTx(tx, session, vote.id, vote.closesAt, null, { ip: null, userAgent: null });
    });
    announceAccessChange(vote.sessionId);
  }
  return due.length;
}

// ─── Signatures ─────────────────────────────────────────────────────────────────────────────

/** The stored draft's content hash now (every acknowledged edit is in the database). */
async function currentDraftHash(sessionId: string): Promise<string> {
  const { doc } = await loadDocument(sessionId);
  try {
    return agreementContentHash({ text: draftPlainText(doc), terms: draftTerms(doc) });
  } finally {
    doc.destroy();
  }
}

/**
 * A chief signs the ratified agreement: password re-entered (throttled like a login), the
 * content unchanged since the vote, no blocking rule-check failure. Records who, when, what hash.
 */
export async function signAgreement(options: { actor: Actor; ctx: RequestContext; sessionId: string; password: string }) {
  const now = options.ctx.now ?? new Date();
  const db = getDb();
  const { session, subject, vote } = await requireAgreementAccess(options.actor, options.sessionId);
  requireAllowed(decide(subject, "view", now));
  requireAllowed(decide(subject, "sign", now));
  if (!vote?.passed) throw new DomainError("agreement.notRatified");
  const user = await db.user.findUniqueOrThrow({ where: { id: options.actor.userId }, select: { email: true, passwordHash: true } });
  // Its own counter, per login session: nobody else's failures can stop a signing (issue 19).
  const scope = `${options.actor.userId}:${options.ctx.loginSessionId ?? "-"}`;
  await checkConfirmationAllowed(scope);
  // An account without a password (a worker who signs in by SMS) cannot confirm a signature.
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, options.password))) {
    await recordConfirmationFailure(scope);
    throw new DomainError("agreement.badPassword", { field: "password" });
  }
  await recordConfirmationSuccess(scope);
  if ((await currentDraftHash(session.id)) !== vote.contentHash) throw new DomainError("agreement.contentChanged");
  // A termination carries no terms of its own (app/domain/amendment.ts).
  const breaches = carriesTerms(session.purpose) ? await draftBreaches(session.id) : [];
  if (breaches.some((breach) => breach.id === UNREADABLE_TERMS.id)) throw new DomainError("terms.unreadable");
  if (breaches.length > 0) throw new DomainError("terms.blockingBreach");
  const side = subject.roles.chiefOf!;
  const result = await db.$transaction(async (tx) => {
    const locked = await lockSession(tx, session.id);
    const result = await applyTransitionInTx(tx, locked, options.actor, options.ctx, "sign", now);
    await tx.agreementSignature.create({ data: { id: newId(), sessionId: session.id, voteId: vote.id, side, userId: options.actor.userId, signedAt: now, contentHash: vote.contentHash } });
    await appendAudit(tx, session.id, auditEvent("agreement.signed", { voteId: vote.id, side, contentHash: vote.contentHash }), options.actor.userId, options.ctx, now);
    return result;
  });
  if (result.from !== result.to) announceAccessChange(session.id);
  return result;
}

// ─── Filing reminders ───────────────────────────────────────────────────────────────────────

/** Chiefs and negotiators are reminded this many days before filing is due. */
const FILE_REMINDER_DAYS = 3;

/** One reminder per signed agreement whose filing deadline (10 days after signing) comes close. */
export async function remindFiling(now: Date): Promise<number> {
  const db = getDb();
  const from = addDays(now, -(PROCEDURE_RULES.fileWithinDays.value - FILE_REMINDER_DAYS));
  // The due date (calendar days past rest days) is never earlier than 10 × 24 hours after signing:
  // the query narrows, the due date decides.
  const sessions = (
    await db.bargainingSession.findMany({
      where: { state: "SIGNED", signedAt: { lte: from }, notifications: { none: { type: "agreement.fileDue" } } },
      include: sessionInclude,
    })
  ).filter((session) => session.signedAt && addDays(fileDueAt(session.signedAt), -FILE_REMINDER_DAYS) <= now);
  for (const session of sessions) {
    await db.$transaction(async (tx) => {
      await lockSession(tx, session.id);
      if (await tx.notification.findFirst({ where: { sessionId: session.id, type: "agreement.fileDue" }, select: { id: true } })) return;
      const recipients = [...chiefsOf(session), ...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER"]))];
      await notify(tx, recipients, session.id, "agreement.fileDue", { dueAt: fileDueAt(session.signedAt!).toISOString() });
    });
  }
  return sessions.length;
}

// ─── The agreement page ─────────────────────────────────────────────────────────────────────

export async function getAgreementView(options: { actor: Actor; sessionId: string; now?: Date }) {
  const now = options.now ?? new Date();
  const db = getDb();
  // Members' reads apply the procedure clock (review lapsing, taking effect), as the session page does.
  await requireVisibleSession(options.actor, options.sessionId, now).catch((error: unknown) => {
    if (!(error instanceof DomainError && error.code === "notFound")) throw error;
  });
  let access = await requireAgreementAccess(options.actor, options.sessionId);
  // Reads apply the clock: a vote past its time is counted before anyone sees the page.
  if (access.vote && !access.vote.closedAt && access.vote.closesAt <= now) {
    await closeDueVotes(now);
    access = await requireAgreementAccess(options.actor, options.sessionId);
  }
  const { session, roles, subject, vote, voter } = access;
  // Every action of this page comes from the one projection (app/domain/capabilities.ts).
  const actions = allowedActions(subject, now);
  const member = actions.view.allowed;
  const detail = await db.bargainingSession.findUniqueOrThrow({
    where: { id: session.id },
    select: { id: true, title: true, industry: true, regionCode: true, state: true, signedAt: true, filedAt: true, effectiveFrom: true, effectiveUntil: true, plannedEffectiveFrom: true, signatures: true },
  });
  const version = vote ? await db.draftVersion.findUniqueOrThrow({ where: { id: vote.versionId }, select: { text: true, terms: true, createdAt: true } }) : null;
  const { covered, groups: enterprises } = await rollGroups(session.id);
  const rollSize = vote ? await db.ratificationVoter.count({ where: { voteId: vote.id } }) : 0;
  const votedCount = vote ? await db.ratificationVoter.count({ where: { voteId: vote.id, votedAt: { not: null } } }) : 0;
  const signatures = vote
    ? await db.agreementSignature.findMany({ where: { voteId: vote.id }, orderBy: { signedAt: "asc" }, select: { side: true, signedAt: true, contentHash: true, user: { select: { displayName: true } } } })
    : [];
  const voters =
    vote && member
      ? await db.ratificationVoter.findMany({
          where: { voteId: vote.id },
          orderBy: { id: "asc" },
          select: { votedAt: true, choice: true, enterpriseId: true, user: { select: { displayName: true } } },
        })
      : [];
  return {
    session: detail,
    member,
    roles,
    /** Every action of the page with its verdict (the projection's). */
    actions,
    now: now.toISOString(),
    enterprises,
    covered,
    /** Whether the page offers to propose an amendment or termination of the agreement in force. */
    canProposeChange: member && actions.proposeChange.allowed,
    /** How the vote is counted: chosen in the proposal, agreed by accepting it. */
    ratificationPractice: session.ratificationPractice,
    /** The bureau's review opinions with the parties' answers (第四十五条、第四十六条); members only. */
    reviewOpinions: member ? await listReviewOpinions(session.id) : [],
    vote: vote
      ? {
          id: vote.id,
          scope: vote.scope,
          secret: vote.secret,
          openedAt: vote.openedAt,
          closesAt: vote.closesAt,
          closedAt: vote.closedAt,
          contentHash: vote.contentHash,
          rollSize,
          votedCount,
          // Results stay hidden until the vote closes, from everyone.
          passed: vote.closedAt ? vote.passed : null,
          outcome: vote.closedAt ? storedOutcome(vote.outcome) : null,
          // Open ballots name each choice once closed; a secret ballot only shows who took part.
          roll: voters.map((row) => ({ name: row.user.displayName, enterpriseId: row.enterpriseId, voted: row.votedAt !== null, choice: vote.closedAt && !vote.secret ? row.choice : null })),
        }
      : null,
    myBallot: voter ? { voted: voter.votedAt !== null, enterpriseId: voter.enterpriseId } : null,
    content: version && (member || voter) ? { text: version.text, terms: storedTerms(version.terms) } : null,
    signatures,
    capabilities: {
      open: member && actions.openRatification.allowed,
      vote: actions.vote.allowed && voter !== null && voter.votedAt === null && vote !== null && !vote.closedAt,
      close: member && actions.closeVote.allowed && vote !== null && !vote.closedAt && (everyoneVoted(rollSize, votedCount) || vote.closesAt <= now),
      sign: member && actions.sign.allowed,
      file: member && actions.file.allowed,
      object: member && actions.object.allowed,
    },
    fileDueAt: detail.signedAt && detail.state === "SIGNED" ? fileDueAt(detail.signedAt) : null,
  };
}
