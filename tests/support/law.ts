/**
 * Who may do what on a bargaining session, written by hand from 《集体合同规定》
 * (劳动和社会保障部令第22号) and the platform's own rules — not derived from
 * app/domain/capabilities.ts, so that the tests that use it (tests/unit/capabilities.test.ts, the
 * matrix; tests/integration/refusals.test.ts, every route as every role) check the projection
 * against the law instead of against itself.
 */
import type { MembershipRole } from "../../app/domain/actors.ts";
import type { SessionAction } from "../../app/domain/capabilities.ts";
import { SESSION_STATES, type SessionState, type Side } from "../../app/domain/procedure.ts";

export const PARTIES = [
  { organizationId: "union", role: "WORKER" as const },
  { organizationId: "association", role: "EMPLOYER" as const },
  { organizationId: "bureau", role: "OBSERVER" as const },
];
export type Seat = { side: Side | null; kind: "REPRESENTATIVE" | "RECORDER"; isChief: boolean };
export type Person = { memberships: Array<{ organizationId: string; role: MembershipRole }>; seats: Seat[]; isVoter?: boolean };

/** The people of a session: what organization they belong to, what seat they hold. */
export const PEOPLE = {
  workerChief: { memberships: [{ organizationId: "union", role: "NEGOTIATOR" }], seats: [{ side: "WORKER", kind: "REPRESENTATIVE", isChief: true }] },
  employerChief: { memberships: [{ organizationId: "association", role: "NEGOTIATOR" }], seats: [{ side: "EMPLOYER", kind: "REPRESENTATIVE", isChief: true }] },
  workerNegotiator: { memberships: [{ organizationId: "union", role: "NEGOTIATOR" }], seats: [] },
  employerAdmin: { memberships: [{ organizationId: "association", role: "ADMIN" }], seats: [] },
  workerRepresentative: { memberships: [{ organizationId: "union", role: "MEMBER" }], seats: [{ side: "WORKER", kind: "REPRESENTATIVE", isChief: false }] },
  employerRepresentative: { memberships: [{ organizationId: "association", role: "MEMBER" }], seats: [{ side: "EMPLOYER", kind: "REPRESENTATIVE", isChief: false }] },
  unionMember: { memberships: [{ organizationId: "union", role: "MEMBER" }], seats: [] },
  recorder: { memberships: [], seats: [{ side: null, kind: "RECORDER", isChief: false }] },
  bureauReviewer: { memberships: [{ organizationId: "bureau", role: "MEMBER" }], seats: [] },
  voter: { memberships: [], seats: [], isVoter: true },
  rider: { memberships: [], seats: [] },
} satisfies Record<string, Person>;
export type Who = keyof typeof PEOPLE;
export const EVERYONE = Object.keys(PEOPLE) as Who[];

const CHIEFS: Who[] = ["workerChief", "employerChief"];
const NEGOTIATORS: Who[] = ["workerChief", "employerChief", "workerNegotiator", "employerAdmin"];
const AT_THE_TABLE: Who[] = [...NEGOTIATORS, "workerRepresentative", "employerRepresentative"];
const WORKER_SIDE_PEN: Who[] = ["workerChief", "workerNegotiator", "workerRepresentative"];
const PARTICIPANTS: Who[] = EVERYONE.filter((who) => who !== "rider" && who !== "voter");
/** Each side's negotiators and chief, for an action about that side (disputes). */
const SIDE_NEGOTIATORS: Record<Side, Who[]> = { WORKER: ["workerChief", "workerNegotiator"], EMPLOYER: ["employerChief", "employerAdmin"] };
/** 第四十九条: disputes "during bargaining", from acceptance until the text is signed. */
const DISPUTE_DURING_BARGAINING: SessionState[] = ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED", "RATIFICATION", "RATIFIED"];
/** 第五十五条: a signed agreement, whether in review, in force or ended. */
const AGREEMENT_SIGNED: SessionState[] = ["SIGNED", "FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED", "EXPIRED", "AMENDED", "TERMINATED"];
export const SEATS_OPEN: SessionState[] = ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED", "RATIFICATION", "RATIFIED", "SIGNED", "FILED"];

export type Row = { states: readonly SessionState[]; who: Who[] | Record<Side, Who[]>; source: string };

/**
 * Who may take each action, in which steps; for an action about one side, who may take it for
 * each side. The union proposed, so the employer side answers; the pending recorder was nominated
 * by the worker side, so the employer side confirms.
 */
export const LAW: Record<SessionAction, Row> = {
  view: { states: SESSION_STATES, who: PARTICIPANTS, source: "第二十条至第二十二条 (the parties and their representatives), 第四十四条 (the bureau); nobody else (platform rule)" },
  viewAgreement: { states: SESSION_STATES, who: [...PARTICIPANTS, "voter"], source: "第三十六条: the representatives on the roll read what they vote on" },
  accept: { states: ["PROPOSED"], who: ["employerChief", "employerAdmin"], source: "第三十二条: the other side answers the written proposal" },
  decline: { states: ["PROPOSED"], who: ["employerChief", "employerAdmin"], source: "第三十二条: the other side answers (refusing with its reasons)" },
  withdraw: { states: ["PROPOSED"], who: ["workerChief", "workerNegotiator"], source: "第三十二条: the proposer's own proposal, withdrawn by its side" },
  appointRepresentative: { states: SEATS_OPEN, who: { WORKER: ["workerChief", "workerNegotiator"], EMPLOYER: ["employerChief", "employerAdmin"] }, source: "第二十条、第二十一条: each side names its own" },
  appointOutsider: { states: SEATS_OPEN, who: { WORKER: ["workerChief"], EMPLOYER: ["employerChief"] }, source: "第二十三条: the side's chief appoints outside professionals" },
  endSeat: { states: SEATS_OPEN, who: { WORKER: ["workerChief", "workerNegotiator"], EMPLOYER: ["employerChief", "employerAdmin"] }, source: "第三十条、第三十一条: a side replaces its own representatives; a vacancy is refilled within 15 days" },
  nominateRecorder: { states: SEATS_OPEN, who: NEGOTIATORS, source: "第三十三条（五）: both sides name the recorder (either nominates)" },
  confirmRecorder: { states: SEATS_OPEN, who: ["employerChief", "employerAdmin"], source: "第三十三条（五）: both sides name the recorder (the other side confirms)" },
  endRecorder: { states: SEATS_OPEN, who: NEGOTIATORS, source: "第三十三条（五）; removal: platform rule" },
  startBargaining: { states: ["ACCEPTED"], who: CHIEFS, source: "第十九条, 第三十三条（五）, 第三十四条" },
  scheduleRound: { states: ["BARGAINING"], who: NEGOTIATORS, source: "第三十四条: meetings chaired by the chiefs in turn" },
  recordRound: { states: ["BARGAINING", "SUSPENDED"], who: ["recorder"], source: "第三十三条（五）: the recorder keeps the record" },
  signMinutes: { states: SESSION_STATES, who: CHIEFS, source: "第三十四条（四）: the chiefs sum up" },
  agreeDraft: { states: ["BARGAINING"], who: CHIEFS, source: "第三十四条（四）: both chiefs sign an agreed draft" },
  suspend: { states: ["BARGAINING"], who: CHIEFS, source: "第三十五条: suspended by agreement of both" },
  resume: { states: ["SUSPENDED"], who: CHIEFS, source: "第三十五条: resumed as both agreed (early: both chiefs)" },
  reopen: { states: ["DRAFT_AGREED", "RATIFIED", "SIGNED"], who: CHIEFS, source: "第三十四条（四）; platform rule: both chiefs reopen what both agreed" },
  editDraft: { states: ["ACCEPTED", "BARGAINING"], who: WORKER_SIDE_PEN, source: "platform rule: the worker side holds the pen until both chiefs agree the draft" },
  commentDraft: { states: ["ACCEPTED", "BARGAINING", "SUSPENDED", "DRAFT_AGREED"], who: AT_THE_TABLE, source: "第三十四条（二）、（三）" },
  offerDraft: { states: ["BARGAINING"], who: AT_THE_TABLE, source: "第三十四条（二）、（三）" },
  openRatification: { states: ["DRAFT_AGREED"], who: ["workerChief"], source: "第三十六条: the worker side brings the draft to the congress" },
  vote: { states: ["RATIFICATION"], who: ["voter"], source: "第三十六条: those on the roll vote" },
  closeVote: { states: ["RATIFICATION"], who: ["workerChief", "recorder"], source: "第三十六条; who closes early: platform rule" },
  sign: { states: ["RATIFIED"], who: CHIEFS, source: "第三十七条: both chiefs sign" },
  file: { states: ["SIGNED"], who: ["employerChief"], source: "第四十二条: 由用人单位一方 files" },
  object: { states: ["FILED"], who: ["bureauReviewer"], source: "第四十四条、第四十五条: the bureau reviews" },
  requestRenewal: { states: ["IN_FORCE"], who: CHIEFS, source: "第三十八条: either side, in the last 3 months" },
  proposeChange: { states: ["IN_FORCE", "RENEWAL_REQUESTED"], who: NEGOTIATORS, source: "第三十九条至第四十一条: changed or ended through the procedure again" },
  readCaucus: { states: SESSION_STATES, who: { WORKER: [...WORKER_SIDE_PEN, "unionMember"], EMPLOYER: ["employerChief", "employerAdmin", "employerRepresentative"] }, source: "platform rule: each side's own room" },
  writeCaucus: { states: SESSION_STATES, who: { WORKER: [...WORKER_SIDE_PEN, "unionMember"], EMPLOYER: ["employerChief", "employerAdmin", "employerRepresentative"] }, source: "platform rule: each side's own room" },
  viewFeedback: { states: SESSION_STATES, who: AT_THE_TABLE, source: "platform rule" },
  moderateFeedback: { states: SESSION_STATES, who: WORKER_SIDE_PEN, source: "第二十条: the union speaks for the workers" },
  // Disputes (第三十二条、第四十九条至第五十六条; the dispute's own steps and clock: tests/unit/disputes.test.ts).
  viewDisputes: { states: SESSION_STATES, who: PARTICIPANTS, source: "第四十九条、第五十条: the parties and the coordinating bureau" },
  referRefusal: { states: ["PROPOSED", "DECLINED"], who: ["workerChief", "workerNegotiator"], source: "第三十二条、第五十六条: the union's proposal refused or unanswered; the worker side refers it" },
  applyDispute: { states: DISPUTE_DURING_BARGAINING, who: SIDE_NEGOTIATORS, source: "第四十九条: either side applies in writing for coordination" },
  acceptDispute: { states: SESSION_STATES, who: ["bureauReviewer"], source: "第五十三条（一）: the bureau accepts" },
  recordDisputeParticipants: { states: SESSION_STATES, who: ["bureauReviewer"], source: "第五十条: the bureau coordinates with the union and the enterprise organization" },
  extendDispute: { states: SESSION_STATES, who: ["bureauReviewer"], source: "第五十二条: the bureau extends, at most 15 days" },
  concludeDispute: { states: SESSION_STATES, who: ["bureauReviewer"], source: "第五十三条（五）、第五十四条: the 协调处理协议书" },
  withdrawDispute: { states: SESSION_STATES, who: SIDE_NEGOTIATORS, source: "第四十九条: the applicant side's own application (withdrawal: platform rule)" },
  referPerformance: { states: AGREEMENT_SIGNED, who: SIDE_NEGOTIATORS, source: "第五十五条: performance disputes go to labour arbitration" },
};


/** Whether a person who is all of `who` may take `action` (about `side`) in `state`, by the table. */
export function lawAllows(who: readonly Who[], action: SessionAction, state: SessionState, side?: Side): boolean {
  const row = LAW[action];
  if (!row.states.includes(state)) return false;
  const allowed = Array.isArray(row.who) ? row.who : side ? row.who[side] : [];
  return who.some((person) => allowed.includes(person));
}
