/**
 * What an actor may do on a session now, as one pure projection (issue 15, first step): every
 * procedure action is put to the same state machine the action itself goes through
 * (`transition` in procedure.ts), so the page shows exactly the actions that would succeed, and
 * for an action that is the actor's in this step but cannot be taken yet, the reason as a message
 * key. An action that is not the actor's, or not of this step, is absent.
 *
 * The rules and their articles (《集体合同规定》, 劳动和社会保障部令第22号) live in procedure.ts and
 * procedure-rules.ts; tests/unit/capabilities.test.ts checks this projection against a table
 * written from the law, not from this code.
 */
import { transition, type AgreementKind, type ProcedureEvent, type RefusalCode, type SessionActor, type SessionSnapshot } from "./procedure.ts";

/** The procedure actions of the session page and the agreement page, as the event each one sends. */
export const PROCEDURE_ACTIONS = {
  accept: { type: "ANSWER", accept: true },
  decline: { type: "ANSWER", accept: false, reasons: "-" },
  withdraw: { type: "WITHDRAW" },
  startBargaining: { type: "START_BARGAINING" },
  agreeDraft: { type: "AGREE", kind: "DRAFT" satisfies AgreementKind },
  suspend: { type: "AGREE", kind: "SUSPEND" satisfies AgreementKind },
  resume: { type: "RESUME" },
  openRatification: { type: "OPEN_RATIFICATION" },
  sign: { type: "SIGN" },
  file: { type: "FILE" },
  object: { type: "OBJECT", reasons: "-" },
  requestRenewal: { type: "REQUEST_RENEWAL" },
} as const satisfies Record<string, ProcedureEvent>;

export type ProcedureAction = keyof typeof PROCEDURE_ACTIONS;

/** May the actor take it now; if not (though it is theirs in this step), why, as `errors.<reason>`. */
export type ActionVerdict = { allowed: true } | { allowed: false; reason: RefusalCode };

/** Refusals that mean "not yours" or "not now": the action is not offered at all. */
const NOT_OFFERED: ReadonlySet<RefusalCode> = new Set(["procedure.wrongState", "procedure.notAllowed"]);

export function procedureActions(session: SessionSnapshot, actor: SessionActor, now: Date): Partial<Record<ProcedureAction, ActionVerdict>> {
  const verdicts: Partial<Record<ProcedureAction, ActionVerdict>> = {};
  for (const [action, event] of Object.entries(PROCEDURE_ACTIONS) as Array<[ProcedureAction, ProcedureEvent]>) {
    const result = transition(session, event, actor, now);
    if (result.ok) verdicts[action] = { allowed: true };
    else if (!NOT_OFFERED.has(result.code)) verdicts[action] = { allowed: false, reason: result.code };
  }
  return verdicts;
}
