/**
 * The one error class of the domain and data layers. `code` is stable and doubles as the i18n key
 * under `errors.` (app/i18n/*.ts), so every refusal reaches the user as a localized sentence;
 * `params` fill the sentence's placeholders. Turned into HTTP responses at the edge
 * (app/http/forms.server.ts).
 */
export const ERROR_STATUS = {
  "auth.invalidCredentials": 401,
  "signup.linkInvalid": 404,
  "signup.linkExpired": 410,
  "auth.weakPassword.common": 400,
  "auth.weakPassword.pattern": 400,
  "auth.weakPassword.dates": 400,
  "auth.weakPassword.personal": 400,
  "auth.weakPassword.guessable": 400,
  "auth.rateLimited": 429,
  "auth.required": 401,
  "auth.sessionExpired": 401,
  "worker.codeWrong": 400,
  "invite.workersByUnion": 403,
  "complaint.wrongState": 409,
  "complaint.notDue": 409,
  "complaint.notInForce": 409,
  "complaint.workersOnly": 403,
  "complaint.noSuchClause": 400,
  "complaint.appealNeedsPenalty": 400,
  "complaint.happenedOn": 400,
  "complaint.appealWindowPassed": 400,
  "complaint.platform": 400,
  "complaint.photoCount": 400,
  "complaint.photo.type": 400,
  "complaint.photo.tooLarge": 400,
  "complaint.photo.unreadable": 400,
  "complaint.receiptUnknown": 404,
  "complaint.textRequired": 400,
  "workerInvite.invalid": 404,
  "workerInvite.used": 410,
  "workerInvite.expired": 410,
  "workerInvite.revoked": 410,
  "worker.codeExpired": 400,
  "forbidden": 403,
  "notFound": 404,
  "badOrigin": 403,
  "invalidInput": 400,
  "org.slugTaken": 409,
  "org.lastAdmin": 409,
  "org.alreadyMember": 409,
  "invite.invalid": 404,
  "invite.expired": 410,
  "invite.revoked": 410,
  "invite.used": 410,
  "procedure.wrongState": 409,
  "procedure.notAllowed": 403,
  "procedure.delegationIncomplete": 409,
  "procedure.reviewPeriodOver": 409,
  "procedure.alreadyDone": 409,
  "procedure.renewalWindowClosed": 409,
  "procedure.resumeInPast": 400,
  "procedure.meetingBeforeResume": 400,
  "procedure.startsOnPast": 400,
  "review.answerRequired": 400,
  "review.itemsRequired": 400,
  "session.proposerType": 400,
  "session.recipientSide": 400,
  "session.observerType": 400,
  "session.noRecipients": 400,
  "seat.notPartyMember": 400,
  "seat.sideRequired": 400,
  "seat.recorderPending": 409,
  "seat.full": 409,
  "seat.chiefTaken": 409,
  "seat.alreadySeated": 409,
  "seat.closed": 409,
  "seat.unknownUser": 400,
  "seat.notOutsider": 400,
  "seat.bothSides": 400,
  "seat.outsiderChief": 400,
  "seat.outsiderLimit": 409,
  "round.wrongState": 409,
  "round.minutesSigned": 409,
  "round.noMinutes": 409,
  "round.attendeeUnknown": 400,
  "round.inPast": 400,
  "round.notStarted": 409,
  "offer.unchanged": 409,
  "terms.blockingBreach": 409,
  "terms.unreadable": 409,
  "ratification.noCoveredEnterprise": 409,
  "ratification.enterpriseWithoutVoters": 400,
  "ratification.unknownVoters": 400,
  "ratification.notOpen": 409,
  "ratification.notOnRoll": 403,
  "ratification.alreadyVoted": 409,
  "ratification.stillOpen": 409,
  "agreement.notRatified": 409,
  "agreement.contentChanged": 409,
  "agreement.badPassword": 401,
  "agreement.noBureau": 409,
  "notice.notInNoticePeriod": 409,
  "feedback.rateLimited": 429,
  "verification.ownOrganization": 403,
  "verification.alreadyPending": 409,
  "verification.parentUnionRequired": 400,
  "verification.nothingChanged": 409,
  "verification.notPending": 409,
  "verification.reasonRequired": 400,
  "verification.codeTaken": 409,
  "party.nothingToAnswer": 409,
  "series.unknown": 404,
  "series.required": 400,
  "series.notInForce": 409,
  "termination.groundRequired": 400,
  "notice.unverifiedParty": 409,
  "series.partiesMissing": 409,
  // Disputes (issue 20, item 7; app/domain/disputes.ts).
  "dispute.noBureau": 409,
  "dispute.wrongSessionState": 409,
  "dispute.wrongState": 409,
  "dispute.alreadyExtended": 409,
  "dispute.pastDue": 409,
  "dispute.extensionRange": 400,
  "dispute.tripartiteIncomplete": 400,
  "dispute.answerNotDue": 409,
  "dispute.alreadyReferred": 409,
  "dispute.alreadyOpen": 409,
  "dispute.notYourBureau": 403,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  /** Which form field the error belongs to, when it belongs to one. */
  readonly field?: string;

  constructor(code: ErrorCode, options: { params?: Record<string, string | number>; field?: string } = {}) {
    super(code);
    this.name = "DomainError";
    this.code = code;
    this.params = options.params ?? {};
    this.field = options.field;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
