/**
 * Who may do what, decided in one place (issue 15). Two tables of data — what may be done on a
 * bargaining session, what may be done on an organization — each row naming the roles that may
 * act, the steps of the procedure in which it can be done, and the article or platform rule behind
 * it; and one projection that answers, for an actor and a session at a moment, every action with
 * a verdict: allowed, or refused with the reason as a message key (`errors.<reason>`).
 *
 * Loaders show what the projection allows; route actions, model functions and the realtime
 * dispatcher refuse through the same verdict (`requireAllowed`). Nothing else decides
 * permissions: the procedure state machine (procedure.ts) only knows steps and time, the models
 * only know data.
 *
 * Citations are to 《集体合同规定》 (劳动和社会保障部令第22号) unless named otherwise; every document
 * and article named here is in the citation register (app/domain/citations.ts, checked by
 * tests/unit/citations.test.ts). Rows marked "platform rule" are Xieshang's own, not law.
 * tests/unit/capabilities.test.ts checks this projection against a table written from the law.
 */
import { PROPOSER_TYPES, type Actor, type MembershipRole, type OrganizationType } from "./actors.ts";
import { CASE_STATES, type CaseState } from "./complaints.ts";
import { DomainError, type ErrorCode } from "./errors.ts";
import { otherSide, transition, SESSION_STATES, type ProcedureEvent, type SessionSnapshot, type SessionState, type Side, type TransitionResult } from "./procedure.ts";
import type { SessionRoles } from "./session-access.ts";

// ─── Who ──────────────────────────────────────────────────────────────────────────────────────

/** What a session needs known to decide: the procedure snapshot, the actor's roles, a few facts. */
export type SessionSubject = {
  snapshot: SessionSnapshot;
  roles: SessionRoles;
  /** On the roll of the session's latest ratification vote. */
  isVoter?: boolean;
  /** The side that nominated a recorder still waiting for the other side's confirmation. */
  pendingRecorderBy?: Side | null;
};

/**
 * The roles a row may name. `…Target` roles are relative to the side the action is about (the
 * side whose seat is filled, whose caucus is read); `proposer`/`recipient` to the proposal.
 */
const SESSION_ROLES = {
  /** Member of a party organization, a seat holder, or the observing bureau (`canView`). */
  participant: (s) => s.roles.canView,
  voter: (s) => s.isVoter === true,
  negotiator: (s) => s.roles.negotiatorOf.length > 0,
  negotiatorOfProposer: (s) => s.roles.negotiatorOf.includes(s.snapshot.proposerSide),
  negotiatorOfRecipient: (s) => s.roles.negotiatorOf.includes(otherSide(s.snapshot.proposerSide)),
  negotiatorOfTarget: (s, target) => target !== undefined && s.roles.negotiatorOf.includes(target),
  negotiatorOfWorker: (s) => s.roles.negotiatorOf.includes("WORKER"),
  /** A worker-side negotiator when the worker side made the proposal (第五十六条: the union's or workers' request). */
  negotiatorOfWorkerProposer: (s) => s.snapshot.proposerSide === "WORKER" && s.roles.negotiatorOf.includes("WORKER"),
  /** A negotiator of the side that did not nominate the pending recorder. */
  recorderConfirmer: (s) => Boolean(s.pendingRecorderBy) && s.roles.negotiatorOf.includes(otherSide(s.pendingRecorderBy!)),
  representative: (s) => s.roles.representativeOf !== null,
  representativeOfWorker: (s) => s.roles.representativeOf === "WORKER",
  chief: (s) => s.roles.chiefOf !== null,
  chiefOfWorker: (s) => s.roles.chiefOf === "WORKER",
  chiefOfEmployer: (s) => s.roles.chiefOf === "EMPLOYER",
  chiefOfTarget: (s, target) => target !== undefined && s.roles.chiefOf === target,
  recorder: (s) => s.roles.isRecorder,
  reviewer: (s) => s.roles.isReviewer,
  caucusOfTarget: (s, target) => target !== undefined && s.roles.caucusSides.includes(target),
} satisfies Record<string, (subject: SessionSubject, target: Side | undefined) => boolean>;
export type SessionRole = keyof typeof SESSION_ROLES;

// ─── What, when, and by which rule ────────────────────────────────────────────────────────────

const ANY: readonly SessionState[] = SESSION_STATES;
/** Steps in which seats can be filled, ended and confirmed: from acceptance to filing. */
export const OPEN_FOR_SEATS: readonly SessionState[] = ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED", "RATIFICATION", "RATIFIED", "SIGNED", "FILED"];
/** Steps in which there is an agreed text: the agreement page (vote, signatures, filing, notice) has something to show. */
export const HAS_AGREEMENT_STATES: readonly SessionState[] = ["DRAFT_AGREED", "RATIFICATION", "RATIFIED", "SIGNED", "FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED", "EXPIRED"];
/** Steps in which the draft can be edited (it is frozen once both chiefs agree it). */
export const DRAFT_EDITABLE_STATES: readonly SessionState[] = ["ACCEPTED", "BARGAINING"];
/** Steps in which the draft can be commented on. */
export const DRAFT_COMMENTABLE_STATES: readonly SessionState[] = ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED"];

type SessionRule = {
  /** Any one of these roles may act. */
  who: readonly SessionRole[];
  /** The steps in which the action can be taken at all. */
  states: readonly SessionState[];
  /** The article (or platform rule) behind the row. */
  law: string;
  /** The refusal when the actor has none of the roles. */
  notYours: ErrorCode;
  /** The refusal when the session is in another step. */
  wrongState: ErrorCode;
  /** Whether the action is about one side (`target`): whose seat, whose caucus. */
  targeted?: true;
  /** The procedure event the action sends; its timing and two-step rules come from procedure.ts. */
  event?: (side: Side | null) => ProcedureEvent;
};

const rule = (who: readonly SessionRole[], states: readonly SessionState[], law: string, refusals: { notYours?: ErrorCode; wrongState?: ErrorCode } = {}, extra: Pick<SessionRule, "targeted" | "event"> = {}): SessionRule => ({
  who,
  states,
  law,
  notYours: refusals.notYours ?? "forbidden",
  wrongState: refusals.wrongState ?? "procedure.wrongState",
  ...extra,
});
const PROCEDURE = { notYours: "procedure.notAllowed", wrongState: "procedure.wrongState" } as const;
const event = (make: (side: Side | null) => ProcedureEvent) => ({ event: make });

export const SESSION_RULES = {
  // Seeing the session at all. Outsiders are told "not found" and learn nothing.
  view: rule(["participant"], ANY, "第二十条至第二十二条 (the parties and their representatives); 第四十四条 (the bureau reviews); platform rule: nobody else", { notYours: "notFound" }),
  viewAgreement: rule(["participant", "voter"], ANY, "第三十六条: the worker representatives vote on the text before them", { notYours: "notFound" }),

  // The proposal (第三十二条).
  accept: rule(["negotiatorOfRecipient"], ["PROPOSED"], "第三十二条: the other side answers the written proposal", PROCEDURE, event(() => ({ type: "ANSWER", accept: true }))),
  decline: rule(["negotiatorOfRecipient"], ["PROPOSED"], "第三十二条: the other side answers, refusing only with its reasons", PROCEDURE, event(() => ({ type: "ANSWER", accept: false, reasons: "-" }))),
  withdraw: rule(["negotiatorOfProposer"], ["PROPOSED"], "第三十二条: the proposing side's own written proposal, withdrawn before an answer", PROCEDURE, event(() => ({ type: "WITHDRAW" }))),

  // Delegations (第十九条至第二十四条, 第三十条、第三十一条, 第三十三条（五）).
  appointRepresentative: rule(["negotiatorOfTarget"], OPEN_FOR_SEATS, "第二十条、第二十一条: each side names its own representatives and chief", { wrongState: "seat.closed" }, { targeted: true }),
  appointOutsider: rule(["chiefOfTarget"], OPEN_FOR_SEATS, "第二十三条: a chief appoints outside professionals for the side in writing, at most one third of its seats", { wrongState: "seat.closed" }, { targeted: true }),
  endSeat: rule(["negotiatorOfTarget"], OPEN_FOR_SEATS, "第三十条: a side replaces its own representative; 第三十一条: the vacancy is refilled within 15 days", { wrongState: "seat.closed" }, { targeted: true }),
  nominateRecorder: rule(["negotiator"], OPEN_FOR_SEATS, "第三十三条（五）: the recorder is named by both sides together (one nominates)", { wrongState: "seat.closed" }),
  confirmRecorder: rule(["recorderConfirmer"], OPEN_FOR_SEATS, "第三十三条（五）: the recorder is named by both sides together (the other confirms)", { wrongState: "seat.closed" }),
  endRecorder: rule(["negotiator"], OPEN_FOR_SEATS, "第三十三条（五）: a recorder who is not neutral can be withdrawn by either side (platform rule: the law is silent on removal)", { wrongState: "seat.closed" }),

  // Meetings (第三十三条至第三十五条).
  startBargaining: rule(["chief"], ["ACCEPTED"], "第十九条 (equal delegations, a chief each), 第三十三条（五） (the recorder), 第三十四条 (the chiefs chair)", PROCEDURE, event(() => ({ type: "START_BARGAINING" }))),
  scheduleRound: rule(["chief", "negotiator"], ["BARGAINING"], "第三十四条: meetings chaired by the chiefs in turn (platform rule: a negotiator may schedule for them)", { wrongState: "round.wrongState" }),
  recordRound: rule(["recorder"], ["BARGAINING", "SUSPENDED"], "第三十三条（五）: the recorder keeps the record of the meetings", { wrongState: "round.wrongState" }),
  signMinutes: rule(["chief"], ANY, "第三十四条（四）: the chiefs sum up the meeting", { wrongState: "round.wrongState" }),
  agreeDraft: rule(["chief"], ["BARGAINING"], "第三十四条（四）: a draft agreed by both sides is signed by both chiefs", PROCEDURE, event((side) => ({ type: "AGREE", kind: "DRAFT", side: side! }))),
  suspend: rule(["chief"], ["BARGAINING"], "第三十五条: talks may be suspended by agreement of both sides, who agree its length and the time, place and content of the next meeting", PROCEDURE, event((side) => ({ type: "AGREE", kind: "SUSPEND", side: side! }))),
  resume: rule(["chief"], ["SUSPENDED"], "第三十五条: talks resume on the agreed date, or earlier when both sides agree", PROCEDURE, event((side) => ({ type: "AGREE", kind: "RESUME", side: side! }))),
  reopen: rule(["chief"], ["DRAFT_AGREED", "RATIFIED", "SIGNED"], "第三十四条（四） (both chiefs agreed the text); platform rule: reopening an agreed, ratified or signed text for renegotiation needs both chiefs, and it is voted and signed again (第三十六条、第三十七条)", PROCEDURE, event((side) => ({ type: "AGREE", kind: "REOPEN", side: side! }))),

  // The draft (platform rules: how the co-drafting tool is shared; the law leaves drafting to the parties).
  editDraft: rule(["negotiatorOfWorker", "representativeOfWorker"], DRAFT_EDITABLE_STATES, "platform rule: the worker side holds the pen; the other side answers by comment and counter-offer (第三十四条（二）)"),
  commentDraft: rule(["negotiator", "representative"], DRAFT_COMMENTABLE_STATES, "第三十四条（二）、（三）: each side's demands and answers, by every representative"),
  offerDraft: rule(["negotiator", "representative"], ["BARGAINING"], "第三十四条（二）、（三）: offers and counter-offers while bargaining"),

  // Ratification and signature (第三十六条、第三十七条).
  openRatification: rule(["chiefOfWorker"], ["DRAFT_AGREED"], "第三十六条: the draft goes to the workers' congress (the worker side brings it)", PROCEDURE, event(() => ({ type: "OPEN_RATIFICATION" }))),
  vote: rule(["voter"], ["RATIFICATION"], "第三十六条: the worker representatives on the roll vote", { notYours: "ratification.notOnRoll", wrongState: "ratification.notOpen" }),
  closeVote: rule(["chiefOfWorker", "recorder"], ["RATIFICATION"], "第三十六条: the tally decides; platform rule: the worker chief or the recorder closes once every ballot is in", { wrongState: "ratification.notOpen" }),
  sign: rule(["chief"], ["RATIFIED"], "第三十七条: both chiefs sign the text the congress passed", { ...PROCEDURE, wrongState: "agreement.notRatified" }, event((side) => ({ type: "SIGN", side: side! }))),

  // Filing, review, effect (第四十二条至第四十八条, 第三十八条).
  file: rule(["chiefOfEmployer"], ["SIGNED"], "第四十二条: 由用人单位一方 files the signed text within 10 days", PROCEDURE, event(() => ({ type: "FILE" }))),
  object: rule(["reviewer"], ["FILED"], "第四十四条、第四十五条: the bureau reviews legality (standing, procedure, content) and may serve a review opinion within 15 days of receiving the text", PROCEDURE, event(() => ({ type: "OBJECT" }))),
  requestRenewal: rule(["chief"], ["IN_FORCE"], "第三十八条: either side may ask to renew in the last 3 months", PROCEDURE, event(() => ({ type: "REQUEST_RENEWAL" }))),
  // Changing or ending the agreement in force goes through the procedure again (第三十九条至第四十一条):
  // an amendment or termination session, proposed by those who may propose (decideOrganization).
  proposeChange: rule(["negotiator"], ["IN_FORCE", "RENEWAL_REQUESTED"], "第三十九条至第四十一条: a change or an end of the agreement in force is bargained again, from a written proposal (第三十二条)"),

  // The sides' private rooms and the workers' feedback (platform rules).
  readCaucus: rule(["caucusOfTarget"], ANY, "platform rule: each side's caucus is its own (第三十三条（五）: even the recorder keeps each side's confidences)", {}, { targeted: true }),
  writeCaucus: rule(["caucusOfTarget"], ANY, "platform rule: each side's caucus is its own", {}, { targeted: true }),
  viewFeedback: rule(["negotiator", "representative"], ANY, "platform rule: both sides read what the workers say, never who said it"),
  moderateFeedback: rule(["negotiatorOfWorker", "representativeOfWorker"], ANY, "第二十条: the union speaks for the workers, and moderates their feedback (platform rule)"),

  // Disputes (第三十二条、第四十九条至第五十六条). The dispute's own steps and clock: app/domain/disputes.ts.
  // The numbers of 第五十五条、第五十六条 are from shared/sources/key-articles.md, not confirmed beside their texts (docs/disputes.md).
  viewDisputes: rule(["participant"], ANY, "第四十九条、第五十条: the parties and the bureau that coordinates; platform rule: every participant of the session sees its disputes", { notYours: "notFound" }),
  referRefusal: rule(["negotiatorOfWorkerProposer"], ["PROPOSED", "DECLINED"], "第三十二条 (a written answer within 20 days, no refusal without a proper reason), 第五十六条 (an employer's refusal of the union's request is dealt with under the Trade Union Law): the worker side records a refusal or a missing answer and refers it to the labour bureau", { wrongState: "dispute.wrongSessionState" }),
  applyDispute: rule(["negotiatorOfTarget", "chiefOfTarget"], ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED", "RATIFICATION", "RATIFIED"], "第四十九条: a dispute during bargaining the sides cannot settle; either or both apply in writing to the labour bureau for coordination", { wrongState: "dispute.wrongSessionState" }, { targeted: true }),
  acceptDispute: rule(["reviewer"], ANY, "第五十三条（一）: the bureau accepts the application; 第五十二条: its 30 days run from acceptance"),
  recordDisputeParticipants: rule(["reviewer"], ANY, "第五十条: the bureau coordinates with the trade union and the enterprise organization at its level (tripartite)"),
  extendDispute: rule(["reviewer"], ANY, "第五十二条: coordination may be extended, by 15 days at most"),
  concludeDispute: rule(["reviewer"], ANY, "第五十三条（五）、第五十四条: the bureau concludes with the 协调处理协议书 (the application, the facts, the result, matters left for further bargaining)"),
  withdrawDispute: rule(["negotiatorOfTarget", "chiefOfTarget"], ANY, "第四十九条: the application is the applicant side's own (platform rule: it may withdraw it until coordination ends)", {}, { targeted: true }),
  referPerformance: rule(["negotiatorOfTarget", "chiefOfTarget"], ["SIGNED", "FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED", "EXPIRED", "AMENDED", "TERMINATED"], "第五十五条: a dispute over performing the signed agreement goes to labour arbitration; platform rule: recorded and linked (commission, case number), never arbitrated here", { wrongState: "dispute.wrongSessionState" }, { targeted: true }),
} satisfies Record<string, SessionRule>;

export type SessionAction = keyof typeof SESSION_RULES;
export const SESSION_ACTIONS = Object.keys(SESSION_RULES) as SessionAction[];
/** The actions that send a procedure event (exactly the rows with `event`; a unit test holds them equal). */
export const PROCEDURE_ACTIONS = ["accept", "decline", "withdraw", "startBargaining", "agreeDraft", "suspend", "resume", "reopen", "openRatification", "sign", "file", "object", "requestRenewal"] as const satisfies readonly SessionAction[];
export type ProcedureAction = (typeof PROCEDURE_ACTIONS)[number];
/** The actions about one side. */
export const TARGETED_ACTIONS = SESSION_ACTIONS.filter((action) => (SESSION_RULES[action] as SessionRule).targeted === true);

// ─── The verdicts ─────────────────────────────────────────────────────────────────────────────

/**
 * Allowed, or refused with a reason. `offered` is false when the action is not the actor's or not
 * of this step (the page does not show it); true when it is theirs but cannot be taken yet (the
 * page says why instead of showing a button that would be refused).
 */
export type Verdict = { allowed: true } | { allowed: false; offered: boolean; reason: ErrorCode };
/** A verdict for each action; a targeted action is allowed when it is for some side (`sides`). */
export type SessionVerdicts = { [A in SessionAction]: Verdict & { sides?: Side[] } };

const allowed: Verdict = { allowed: true };
const refusedAs = (reason: ErrorCode, offered = false): Verdict => ({ allowed: false, offered, reason });

/** The procedure event an action sends for this actor (a chief's two-step decisions carry the side). */
export function procedureEventOf(action: ProcedureAction, roles: Pick<SessionRoles, "chiefOf">): ProcedureEvent {
  const make = (SESSION_RULES[action] as SessionRule).event;
  if (!make) throw new Error(`${action} sends no procedure event`);
  return make(roles.chiefOf);
}

/** One action: may the actor take it now (about `target`, for a targeted action)? */
export function decide(subject: SessionSubject, action: SessionAction, now: Date, target?: Side): Verdict {
  const row: SessionRule | undefined = SESSION_RULES[action];
  // Deny by default: an action without a row is nobody's.
  if (!row) return refusedAs("forbidden");
  if (!row.who.some((role) => SESSION_ROLES[role](subject, target))) return refusedAs(row.notYours);
  if (!row.states.includes(subject.snapshot.state)) return refusedAs(row.wrongState);
  if (row.event) {
    const result = transition(subject.snapshot, row.event(subject.roles.chiefOf), now);
    if (!result.ok) return refusedAs(result.code, true);
  }
  return allowed;
}

/**
 * A procedure action, decided and, if allowed, the change it makes (for the model to apply). The
 * one way a procedure event is applied on a user's behalf.
 */
export function procedureStep(subject: SessionSubject, action: ProcedureAction, now: Date, input: { reasons?: string; terms?: unknown } = {}): { verdict: Verdict; event: ProcedureEvent; result: TransitionResult | null } {
  const verdict = decide(subject, action, now);
  const base = procedureEventOf(action, subject.roles);
  const { reasons, terms } = input;
  const event: ProcedureEvent =
    reasons !== undefined && base.type === "ANSWER" && !base.accept
      ? { ...base, reasons }
      : base.type === "AGREE" && terms !== undefined
        ? ({ ...base, terms } as ProcedureEvent)
        : base;
  return { verdict, event, result: verdict.allowed ? transition(subject.snapshot, event, now) : null };
}

/** Every session action with its verdict now: what the pages show and the dashboard counts. */
export function allowedActions(subject: SessionSubject, now: Date): SessionVerdicts {
  const verdicts = {} as SessionVerdicts;
  for (const action of SESSION_ACTIONS) {
    if ((SESSION_RULES[action] as SessionRule).targeted) {
      const bySide = (["WORKER", "EMPLOYER"] as const).map((side) => [side, decide(subject, action, now, side)] as const);
      const sides = bySide.filter(([, verdict]) => verdict.allowed).map(([side]) => side);
      verdicts[action] = sides.length ? { allowed: true, sides } : { ...bySide[0]![1], sides: [] };
    } else {
      verdicts[action] = decide(subject, action, now);
    }
  }
  return verdicts;
}

/**
 * Refuses (throws the verdict's reason) unless allowed; `params` fill the reason's sentence,
 * `field` names the form field the refusal belongs to.
 */
export function requireAllowed(verdict: Verdict, options: { params?: Record<string, string | number>; field?: string } = {}): void {
  if (!verdict.allowed) throw new DomainError(verdict.reason, options);
}

// ─── Organizations ────────────────────────────────────────────────────────────────────────────

type OrganizationRule = {
  /** The membership roles that may act; "anyone" is any signed-in user. */
  who: "anyone" | readonly MembershipRole[];
  /** The organization types on whose behalf the action can be taken (all when absent), and the refusal for others. */
  types?: readonly OrganizationType[];
  wrongType?: ErrorCode;
  law: string;
};

export const ORGANIZATION_RULES = {
  createOrganization: { who: "anyone", law: "platform rule: anyone may register an organization; it stays unverified until the operator verifies it" },
  viewOrganization: { who: "anyone", law: "platform rule: the directory of organizations is public to signed-in users" },
  viewMembers: { who: ["ADMIN", "NEGOTIATOR", "MEMBER"], law: "platform rule: members see each other" },
  leaveOrganization: { who: ["ADMIN", "NEGOTIATOR", "MEMBER"], law: "platform rule: anyone may leave (the last administrator may not)" },
  updateOrganization: { who: ["ADMIN"], law: "platform rule: administrators keep the organization's record" },
  requestVerification: { who: ["ADMIN"], law: "platform rule (issue 18): an organization's own administrator submits its registration for verification" },
  /** Answering an invitation to be a party to a session: the organization's own admins or the negotiators it delegated. */
  answerForOrganization: { who: ["ADMIN", "NEGOTIATOR"], law: "第三十二条: the party named in the proposal answers it; platform rule: each named organization answers for itself, through its administrators or the negotiators it named" },
  manageMembers: { who: ["ADMIN"], law: "platform rule: administrators give and take roles" },
  createInvitation: { who: ["ADMIN"], law: "platform rule: administrators invite" },
  revokeInvitation: { who: ["ADMIN"], law: "platform rule: administrators invite" },
  inviteWorkers: {
    who: ["ADMIN", "NEGOTIATOR"],
    types: ["UNION"],
    wrongType: "invite.workersByUnion",
    law: "platform rule (issue 25): a union's own staff give workers invitation codes; 总工发〔2021〕12号: the union organizes and represents the workers",
  },
  proposeSession: {
    who: ["ADMIN", "NEGOTIATOR"],
    types: PROPOSER_TYPES,
    wrongType: "session.proposerType",
    law: "第三十二条: either side proposes in writing; 第二十条、第二十一条: the union for the workers, the employers (here their association or the platform) for theirs",
  },
} satisfies Record<string, OrganizationRule>;

export type OrganizationAction = keyof typeof ORGANIZATION_RULES;
export const ORGANIZATION_ACTIONS = Object.keys(ORGANIZATION_RULES) as OrganizationAction[];

/** May the actor take the action on this organization (or, for "anyone" rows, at all)? */
export function decideOrganization(actor: Actor | null, action: OrganizationAction, organization?: { id: string; type?: OrganizationType }): Verdict {
  if (!actor) return refusedAs("auth.required");
  const row: OrganizationRule | undefined = ORGANIZATION_RULES[action];
  // Deny by default: an action without a row is nobody's.
  if (!row) return refusedAs("forbidden");
  if (row.who === "anyone") return allowed;
  const role = organization ? actor.memberships.find((membership) => membership.organizationId === organization.id)?.role : undefined;
  if (!role || !row.who.includes(role)) return refusedAs("forbidden");
  if (row.types && (!organization?.type || !row.types.includes(organization.type))) return refusedAs(row.wrongType ?? "forbidden");
  return allowed;
}

// ─── Verifying organizations ─────────────────────────────────────────────────────────────────

/** The organization types a labour bureau may verify in its region (platform rule, issue 18). */
export const BUREAU_VERIFIES: readonly OrganizationType[] = ["ASSOCIATION", "PLATFORM", "PARTNER"];

/** Whether a bureau's region (GB/T 2260) covers an organization's: the same code, its province or its city. */
export function regionCovers(bureauRegion: string, region: string): boolean {
  if (bureauRegion === region) return true;
  if (bureauRegion.endsWith("0000")) return region.startsWith(bureauRegion.slice(0, 2));
  if (bureauRegion.endsWith("00")) return region.startsWith(bureauRegion.slice(0, 4));
  return false;
}

export type Verifier = {
  userId: string;
  /** The site's operator (XS_OPERATOR_EMAILS). */
  operator: boolean;
  /** Verified labour bureaus the user belongs to. */
  bureaus: ReadonlyArray<{ organizationId: string; regionCode: string }>;
};

/**
 * Who may approve or reject an organization's verification (platform rule, issue 18): the site's
 * operator, any organization; a member of a verified labour bureau, an association or enterprise of
 * its region. Trade unions (whose legal personality is registered through the higher-level union)
 * and bureaus are verified by the operator. Nobody decides on an organization they belong to.
 * `as` names the capacity the decision is recorded under.
 */
export function decideVerification(verifier: Verifier, memberOf: readonly string[], organization: { id: string; type: OrganizationType; regionCode: string }): Verdict & { as?: string } {
  if (memberOf.includes(organization.id)) return refusedAs("verification.ownOrganization");
  if (verifier.operator) return { ...allowed, as: "OPERATOR" };
  if (!BUREAU_VERIFIES.includes(organization.type)) return refusedAs("forbidden");
  const bureau = verifier.bureaus.find((candidate) => regionCovers(candidate.regionCode, organization.regionCode));
  return bureau ? { ...allowed, as: `BUREAU:${bureau.organizationId}` } : refusedAs("forbidden");
}

// ─── Complaint cases (issue 25) ──────────────────────────────────────────────────────────────

/** What a case needs known to decide: its worker, the platform that answers, the unions that follow it. */
export type CaseSubject = {
  workerId: string;
  state: CaseState;
  answered: boolean;
  identityShared: boolean;
  platformOrganizationId: string;
  unionOrganizationIds: readonly string[];
};

/** Staff who act for an organization on a case: its administrators and negotiators. */
const CASE_STAFF: readonly MembershipRole[] = ["ADMIN", "NEGOTIATOR"];

const CASE_ROLES = {
  /** The worker who filed the case. */
  worker: (actor, c) => actor.userId === c.workerId,
  /** The platform's designated handlers: the staff of the platform the agreement binds. */
  platform: (actor, c) => actor.memberships.some((m) => m.organizationId === c.platformOrganizationId && CASE_STAFF.includes(m.role)),
  /** The staff of the worker-side union party of the agreement. */
  union: (actor, c) => actor.memberships.some((m) => c.unionOrganizationIds.includes(m.organizationId) && CASE_STAFF.includes(m.role)),
  /** The platform's handlers when the worker let the platform see who they are. */
  platformWithConsent: (actor, c) => c.identityShared && actor.memberships.some((m) => m.organizationId === c.platformOrganizationId && CASE_STAFF.includes(m.role)),
} satisfies Record<string, (actor: Actor, subject: CaseSubject) => boolean>;
type CaseRole = keyof typeof CASE_ROLES;

type CaseRule = { who: readonly CaseRole[]; states: readonly CaseState[]; law: string };
const ALL_CASE_STATES: readonly CaseState[] = CASE_STATES;

export const CASE_RULES = {
  viewCase: { who: ["worker", "platform", "union"], states: ALL_CASE_STATES, law: "国市监网监发〔2021〕38号 九: complaint channels with a stated procedure; platform rule: the worker, the platform that answers and the union that supervises see the case" },
  /** Name, phone and the worker's own words beyond the case: the union always, the platform only with consent. */
  viewIdentity: { who: ["worker", "union", "platformWithConsent"], states: ALL_CASE_STATES, law: "platform rule (issue 25, decision 045): the union the worker turns to always sees who filed; the platform only when the worker said yes when filing (the default is no)" },
  answer: { who: ["platform"], states: ["FILED", "WITH_UNION"], law: "国市监网监发〔2021〕38号 九: the platform answers within the stated time (routine matters in food delivery: 24 hours); 人社部发〔2021〕56号 （十）: complaints answered in time" },
  accept: { who: ["worker"], states: ["ANSWERED"], law: "platform rule (issue 25): the worker says whether the answer settles it" },
  escalateToUnion: { who: ["worker"], states: ["FILED", "ANSWERED"], law: "总工发〔2021〕12号: the union supervises performance and speaks for workers; platform rule: the worker may take the case to the union at any step" },
  resolve: { who: ["union"], states: ["WITH_UNION"], law: "总工发〔2021〕12号: the union takes up workers' complaints with the enterprise" },
  escalateToBureau: { who: ["union"], states: ["WITH_UNION"], law: "《集体合同规定》第五十五条 and 人社部发〔2021〕56号 （十）: a dispute over performance goes to the labour administration or arbitration; platform rule: the union records that it did" },
  recordOutcome: { who: ["union"], states: ["WITH_BUREAU"], law: "platform rule (issue 25): the union records the bureau's outcome so the case is closed on the record" },
  exportCases: { who: ["union"], states: ALL_CASE_STATES, law: "总工发〔2021〕12号: the union supervises performance; platform rule: it exports the figures of the agreement's cases" },
} satisfies Record<string, CaseRule>;

export type CaseAction = keyof typeof CASE_RULES;
export const CASE_ACTIONS = Object.keys(CASE_RULES) as CaseAction[];

/** May the actor take the action on this case now? Refused as notFound when they may not even see it. */
export function decideCase(actor: Actor | null, subject: CaseSubject, action: CaseAction): Verdict {
  if (!actor) return refusedAs("auth.required");
  const sees = CASE_RULES.viewCase.who.some((role) => CASE_ROLES[role](actor, subject));
  if (!sees) return refusedAs("notFound");
  const row: CaseRule = CASE_RULES[action];
  if (!row.who.some((role) => CASE_ROLES[role](actor, subject))) return refusedAs("forbidden");
  if (!row.states.includes(subject.state)) return refusedAs("complaint.wrongState", true);
  if (action === "answer" && subject.answered) return refusedAs("complaint.wrongState", true);
  return allowed;
}

/** Every case action's verdict for the actor (what the case page offers). */
export function allowedCaseActions(actor: Actor | null, subject: CaseSubject): Record<CaseAction, Verdict> {
  return Object.fromEntries(CASE_ACTIONS.map((action) => [action, decideCase(actor, subject, action)])) as Record<CaseAction, Verdict>;
}
