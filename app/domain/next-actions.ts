/**
 * What a user must do next in a session, and by when (issue 23, item 1): derived from the one
 * capability projection (app/domain/capabilities.ts) and the procedure's state, plus the few facts
 * only the database knows (an unvoted ballot, feedback awaiting moderation, minutes to sign, a
 * review opinion to answer). The dashboard's "needs my action", the notifications page and the
 * header's count all read this one function, so they cannot disagree.
 *
 * An action is listed only when the projection allows it now **and** something waits on this
 * user: an observer is never asked to act (the bureau only reviews what was filed with it), a chief
 * is asked to agree only what the other chief already agreed, a voter only while their ballot is
 * unvoted.
 */
import { allowedActions, type SessionSubject } from "./capabilities.ts";
import { delegationProblems, deadlinesOf, type AgreementKind, type Side } from "./procedure.ts";

export const NEXT_ACTIONS = [
  "answer",
  "nameRepresentatives",
  "confirmRecorder",
  "startBargaining",
  "signMinutes",
  "agreeDraft",
  "agreeSuspension",
  "agreeResumption",
  "agreeReopening",
  "vote",
  "sign",
  "file",
  "answerObjection",
  "review",
  "moderateFeedback",
] as const;
export type NextActionKind = (typeof NEXT_ACTIONS)[number];

export type NextAction = { kind: NextActionKind; dueAt: Date | null };

/** Facts from the database the projection does not hold. */
export type ActionFacts = {
  /** One of the user's organizations is invited and has not answered (issue 18, item 2). */
  answersForInvitedParty: boolean;
  /** Minutes written and not yet signed by the user's side. */
  minutesToSign: boolean;
  /** The user is on the roll of the open vote and has not voted; when it closes. */
  unvotedBallot: { closesAt: Date } | null;
  /** The bureau's review opinion was served and the renegotiated agreement is not yet filed again (第四十六条). */
  objectionOpen: boolean;
  /** Feedback on the session's notice awaiting moderation. */
  feedbackToModerate: number;
  /** The end of the period to refill a vacant seat, when one is vacant (第三十一条). */
  vacancyDueAt: Date | null;
};

const AGREEMENT_ACTIONS: ReadonlyArray<[AgreementKind, NextActionKind, "agreeDraft" | "suspend" | "resume" | "reopen"]> = [
  ["DRAFT", "agreeDraft", "agreeDraft"],
  ["SUSPEND", "agreeSuspension", "suspend"],
  ["RESUME", "agreeResumption", "resume"],
  ["REOPEN", "agreeReopening", "reopen"],
];

export function nextActions(subject: SessionSubject, facts: ActionFacts, now: Date): NextAction[] {
  const can = allowedActions(subject, now);
  const snapshot = subject.snapshot;
  const deadline = (kind: string) => deadlinesOf(snapshot, now).find((candidate) => candidate.kind === kind)?.dueAt ?? null;
  const out: NextAction[] = [];
  const push = (kind: NextActionKind, dueAt: Date | null = null) => out.push({ kind, dueAt });

  if (can.accept.allowed && facts.answersForInvitedParty) push("answer", deadline("answer"));
  const problems = delegationProblems(snapshot);
  if (can.appointRepresentative.sides?.some((side) => problems.some((problem) => problem.startsWith(side)))) push("nameRepresentatives", facts.vacancyDueAt);
  if (can.confirmRecorder.allowed) push("confirmRecorder");
  if (can.startBargaining.allowed) push("startBargaining");
  if (can.signMinutes.allowed && facts.minutesToSign) push("signMinutes");
  // A two-step decision the other chief has agreed and this chief has not (第三十四条（四）、第三十五条).
  const mySide: Side | null = subject.roles.chiefOf;
  if (mySide) {
    for (const [kind, action, capability] of AGREEMENT_ACTIONS) {
      const agreed = snapshot.agreements[kind] ?? [];
      if (agreed.length > 0 && !agreed.includes(mySide) && can[capability].allowed) push(action, kind === "RESUME" && snapshot.suspension ? new Date(snapshot.suspension.resumesAt) : null);
    }
  }
  if (can.vote.allowed && facts.unvotedBallot) push("vote", facts.unvotedBallot.closesAt);
  if (can.sign.allowed) push("sign");
  // The bureau's opinion is answered item by item when the renegotiated text is filed again (第四十六条): the chiefs' task until then.
  if (facts.objectionOpen && mySide) push("answerObjection");
  if (can.file.allowed) push("file", deadline("file"));
  if (can.object.allowed) push("review", deadline("review"));
  if (can.moderateFeedback.allowed && facts.feedbackToModerate > 0) push("moderateFeedback");
  return out;
}
