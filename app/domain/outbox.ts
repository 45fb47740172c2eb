/**
 * What the outbox carries (issue 17): the kinds of message, and which of them a recipient may turn
 * off for e-mail. A kind is required when it starts, or warns of the end of, a period the
 * regulation sets for the recipient to act — that is a platform rule (the regulation does not say
 * how the parties are told), written down with the article whose period it serves. The in-app
 * notification is always delivered.
 */
import { z } from "zod";

export const MESSAGE_KINDS = [
  "session.proposed",
  "session.answerDue",
  "session.observing",
  "session.stateChanged",
  "session.inForce",
  "session.agreementPending",
  "review.opinion",
  "seat.appointed",
  "seat.recorderNominated",
  "round.scheduled",
  "minutes.toSign",
  "ratification.opened",
  "ratification.closed",
  "agreement.fileDue",
  "notice.published",
  "notice.publicationRefused",
  "session.partyAnswered",
  "series.renewalProposed",
  "verification.approved",
  "verification.rejected",
  "account.loginFailures",
  "account.confirmEmail",
  "account.signupAttempt",
  "account.signInCode",
  // Disputes (issue 20, item 7).
  "dispute.applied",
  "dispute.referred",
  "dispute.accepted",
  "dispute.participantsRecorded",
  "dispute.extended",
  "dispute.concluded",
  "dispute.withdrawn",
  "dispute.overdue",
  // A minimum-wage standard added to the data that an agreement in force pays below (issue 22).
  "minimumWage.breach",
  // Complaint cases (issue 25): to the platform's handlers, the union and the worker; never who filed.
  "complaint.filed",
  "complaint.answered",
  "complaint.escalated",
  "complaint.overdue",
  "complaint.updated",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const messageKindSchema = z.enum(MESSAGE_KINDS);

/** Kinds always sent by e-mail, with the period each serves (《集体合同规定》, 劳动和社会保障部令第22号). */
export const REQUIRED_KINDS: Readonly<Partial<Record<MessageKind, string>>> = {
  "session.proposed": "第三十二条: the written answer is due within 20 days of receiving the proposal",
  "session.answerDue": "第三十二条: the 20 days to answer are running out",
  "ratification.opened": "第三十六条: the representatives vote on the draft within the time set",
  "agreement.fileDue": "第四十二条: the signed agreement is filed within 10 days",
  "session.stateChanged": "第四十四条至第四十七条: the bureau's review, an objection or the agreement taking effect changes what each side must do",
  "dispute.accepted": "第五十二条: the bureau's coordination ends within 30 days of accepting the application",
  "dispute.overdue": "第五十二条: the coordination's 30 days (and any extension, at most 15) have run out",
};

export function isRequiredKind(kind: string): boolean {
  return Object.hasOwn(REQUIRED_KINDS, kind);
}

/**
 * About the account itself (confirming an address, failed logins, someone signing up with it):
 * always sent, to the address, whatever the preferences — platform rule, not the procedure's.
 */
export function isAccountKind(kind: string): boolean {
  return kind.startsWith("account.");
}

export const OPTIONAL_KINDS: readonly MessageKind[] = MESSAGE_KINDS.filter((kind) => !isRequiredKind(kind) && !isAccountKind(kind));

/** The preferences form: one checkbox per optional kind (checked = send e-mail). */
/**
 * The e-mail settings form: the optional kinds ticked (`email[]`, one value per kind); a kind not
 * listed is off. A kind the procedure requires cannot be turned off, so it is never a choice here.
 */
export const preferencesSchema = z.object({
  email: z
    .array(z.enum(OPTIONAL_KINDS as [MessageKind, ...MessageKind[]], { errorMap: () => ({ message: "validation.choice" }) }))
    .max(MESSAGE_KINDS.length, "validation.choice")
    .optional()
    .transform((kinds) => new Set(kinds ?? [])),
});
