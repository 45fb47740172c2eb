import { z } from "zod";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { VerificationBadge } from "~/components/verification.tsx";
import { requireActor } from "~/auth/actor.server.ts";
import { ErrorSummary, FormError, formOf, MessageText, Notice, TextAreaField, TextField, useValidatedForm } from "~/components/forms.tsx";
import { formatDateTime, orgDisplayName } from "~/components/names.ts";
import { DeadlineText } from "~/components/session-bits.tsx";
import { ChecksSummary } from "~/collab/RuleChecks.tsx";
import { getDraftRuleChecks } from "~/models/terms.server.ts";
import { RefusalPointer } from "~/components/dispute-pointer.tsx";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import { regionName } from "~/domain/regions.ts";
import { SESSION_LIMITS, sessionActionSchema } from "~/domain/session-validation.ts";
import { parseReviewRows } from "~/domain/review.ts";
import { clientIp, fieldFailure, formFailure, parseFormData, runAction, runLoader, type FormFailure, sessionIdParam } from "~/http/forms.server.ts";
import { appointSeat, applyProcedureEvent, confirmRecorder, endSeat, getSessionView, recordRound, scheduleRound, signMinutes, type GenericProcedureAction, type ProcedureInput } from "~/models/session.server.ts";
import { AgreeDraftForm, FileForm, ObjectionForm, ReopenForm, ReviewOpinions, SuspendForm, SuspensionText } from "~/components/procedure-forms.tsx";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "sessionFrame.overview" };

/** The audit trail's page (`?auditBefore=seq`) and a whole-chain recheck (`?auditFull=1`); anything else is ignored. */
const auditBeforeSchema = z.coerce.number().int().min(2).max(2_147_483_647);
function auditQuery(params: URLSearchParams) {
  const before = auditBeforeSchema.safeParse(params.get("auditBefore") ?? undefined);
  return { before: before.success ? before.data : undefined, full: params.get("auditFull") === "1" };
}

/** Session pages are private to their members: never stored by a browser cache or a proxy. */
export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const sessionId = sessionIdParam(params);
    const url = new URL(request.url);
    const view = await getSessionView({ actor, sessionId, audit: auditQuery(url.searchParams) });
    // The rule checks on the stored draft, as the signing guard computes them.
    const ruleChecks = await getDraftRuleChecks({ actor, sessionId });
    return json({ ...view, ruleChecks, now: new Date().toISOString() }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, sessionActionSchema);
  if (!parsed.ok) return formFailure(parsed);
  const input = parsed.data;
  const ctx = { ip: clientIp(context), userAgent: request.headers.get("User-Agent") };
  return runAction(formData, async () => {
    const sessionId = sessionIdParam(params);
    const back = (notice: string) => redirect(`/sessions/${sessionId}?notice=${notice}`);
    const procedure = (action: GenericProcedureAction, input: ProcedureInput = {}) => applyProcedureEvent({ actor, ctx, sessionId, action, ...input });
    switch (input.intent) {
      case "accept":
        await procedure("accept");
        return back("answered");
      case "decline":
        await procedure("decline", { reasons: input.reasons });
        return back("answered");
      case "withdraw":
        await procedure("withdraw");
        return back("updated");
      case "startBargaining":
        await procedure("startBargaining");
        return back("updated");
      case "agree":
        await procedure("agreeDraft", { terms: { startsOn: input.startsOn ?? null } });
        return back("updated");
      case "suspend":
        await procedure("suspend", { terms: { resumesAt: input.resumesAt.toISOString(), meetingAt: input.meetingAt.toISOString(), location: input.location, agenda: input.agenda } });
        return back("updated");
      case "resume":
        await procedure("resume", { terms: {} });
        return back("updated");
      case "reopen":
        await procedure("reopen", { terms: { reason: input.reason } });
        return back("updated");
      case "file":
        await procedure("file", { answers: input.answers });
        return back("updated");
      case "object": {
        const opinion = parseReviewRows(input.clause, input.reason);
        if (!opinion.ok) return fieldFailure(formData, opinion.errors);
        await procedure("object", { opinion: opinion.items });
        return back("updated");
      }
      case "requestRenewal":
        await procedure("requestRenewal");
        return back("updated");
      case "appointSeat":
        await appointSeat({
          actor,
          ctx,
          sessionId,
          input: { kind: input.kind, side: input.side ?? null, email: input.email, isChief: input.isChief, outsideProfessional: input.outsideProfessional, replacesSeatId: input.replacesSeatId },
        });
        return back(input.kind === "RECORDER" ? "recorderNominated" : "seatAppointed");
      case "endSeat":
        await endSeat({ actor, ctx, sessionId, seatId: input.seatId, reason: input.reason });
        return back("seatEnded");
      case "confirmRecorder":
        await confirmRecorder({ actor, ctx, sessionId, seatId: input.seatId });
        return back("recorderConfirmed");
      case "scheduleRound":
        await scheduleRound({ actor, ctx, sessionId, input: { scheduledAt: input.scheduledAt, location: input.location, agenda: input.agenda } });
        return back("roundScheduled");
      case "recordRound":
        await recordRound({ actor, ctx, sessionId, roundId: input.roundId, input: { attendeeIds: input.attendeeIds, minutes: input.minutes } });
        return back("minutesWritten");
      case "signMinutes":
        await signMinutes({ actor, ctx, sessionId, roundId: input.roundId, minutesHash: input.minutesHash });
        return back("minutesSigned");
    }
  });
}

type View = ReturnType<typeof useLoaderData<typeof loader>>;

/** The main path of the procedure, for the timeline. */
const MAIN_PATH = ["PROPOSED", "ACCEPTED", "BARGAINING", "DRAFT_AGREED", "RATIFICATION", "RATIFIED", "SIGNED", "FILED", "APPROVED", "IN_FORCE", "EXPIRED"] as const;

function IntentButton({ intent, label, extra, danger }: { intent: string; label: string; extra?: Record<string, string>; danger?: boolean }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={danger ? "button-danger" : "button"}>
        {label}
      </button>
    </Form>
  );
}

/**
 * The form a refused submission came from, for the error summary's links (`fieldId`): the intent,
 * and for a form repeated per round, seat or side, which one.
 */
function summaryForm(values: FormFailure["values"]): string | undefined {
  if (values.intent === "appointSeat") return `appointSeat-${typeof values.side === "string" && values.side ? values.side : "RECORDER"}`;
  return formOf(values, "roundId", "seatId");
}

function ReasonForm({ intent, label, failure }: { intent: string; label: string; failure?: FormFailure }) {
  const { t } = useTranslation();
  const { formProps, errors } = useValidatedForm(sessionActionSchema, failure, { intent });
  return (
    <Form method="post" className="stack reason-form" {...formProps}>
      <input type="hidden" name="intent" value={intent} />
      <TextAreaField formKey={intent} name="reasons" label={t("session.reasons")} rows={3} maxLength={SESSION_LIMITS.reasonsMax} defaultValue={failure?.values.intent === intent ? (failure.values.reasons as string) : undefined} errors={errors.reasons} />
      <button type="submit" className="button-danger">
        {label}
      </button>
    </Form>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="session-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function ProcedureActions({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t } = useTranslation();
  const { session, actions, delegationProblems } = view;
  const buttons: ReactNode[] = [];
  // Only what the projection offers (app/domain/capabilities.ts): an action that is the user's in
  // this step but cannot be taken yet shows its reason instead of a button that would be refused.
  const offer = (action: keyof typeof actions, button: () => ReactNode, waiting?: () => ReactNode) => {
    const verdict = actions[action];
    if (!verdict.allowed && !verdict.offered) return;
    if (verdict.allowed) buttons.push(button());
    else if (verdict.reason === "procedure.alreadyDone" && waiting) buttons.push(waiting());
    else if (verdict.reason !== "procedure.delegationIncomplete") {
      buttons.push(
        <p key={`${action}-reason`} className="meta">
          {t(`errors.${verdict.reason}`, { months: PROCEDURE_RULES.renewalWindowMonths.value })}
        </p>,
      );
    }
  };
  // Answering is for the invited organizations the user answers for, while one is still to answer.
  if (view.answersFor.length > 0) {
    offer("accept", () => <IntentButton key="accept" intent="accept" label={t("session.do.accept")} />);
    offer("decline", () => <ReasonForm key="decline" intent="decline" label={t("session.do.decline")} failure={failure} />);
  }
  offer("withdraw", () => <IntentButton key="withdraw" intent="withdraw" label={t("session.do.withdraw")} danger />);
  offer("startBargaining", () => <IntentButton key="start" intent="startBargaining" label={t("session.do.startBargaining")} />);
  const waiting = (what: string) => () => (
    <p key={`${what}-waiting`} className="meta">
      {t("session.waitingForOtherChief", { what: t(`session.do.${what}`) })}
    </p>
  );
  offer("agreeDraft", () => <AgreeDraftForm key="DRAFT" pending={view.pending} failure={failure} />, waiting("agreeDRAFT"));
  offer("suspend", () => <SuspendForm key="SUSPEND" pending={view.pending} failure={failure} />, waiting("agreeSUSPEND"));
  if (view.suspension) buttons.push(<SuspensionText key="suspension" plan={view.suspension} />);
  offer(
    "resume",
    () => <IntentButton key="resume" intent="resume" label={view.pending.RESUME?.length ? t("session.do.resumeAgree") : t("session.do.resume")} />,
    waiting("resume"),
  );
  offer("reopen", () => <ReopenForm key="reopen" pending={view.pending} failure={failure} />, waiting("reopen"));
  if (session.state === "DRAFT_AGREED" || session.state === "RATIFICATION" || session.state === "RATIFIED") {
    // The vote (roll, ballots) and the signatures (password re-entered) have their own page.
    const label = actions.openRatification.allowed ? "session.do.openRatification" : actions.sign.allowed ? "session.do.sign" : "agreement.link";
    buttons.push(
      <Link key="agreement" className="button" to={`/sessions/${session.id}/agreement`}>
        {t(label)}
      </Link>,
    );
  }
  const openOpinion = view.reviewOpinions.find((opinion) => opinion.answeredAt === null) ?? null;
  offer("file", () => <FileForm key="file" opinion={openOpinion} failure={failure} />);
  offer("object", () => <ObjectionForm key="object" failure={failure} />);
  offer("requestRenewal", () => <IntentButton key="renew" intent="requestRenewal" label={t("session.do.requestRenewal")} />);
  return (
    <>
      {session.state === "ACCEPTED" && delegationProblems.length ? (
        <ul className="problems">
          {delegationProblems.map((problem) => (
            <li key={problem}>{t(`session.problem.${problem.replace(":", "_")}`, { count: session.representativesPerSide })}</li>
          ))}
        </ul>
      ) : null}
      {buttons.length ? <div className="actions">{buttons}</div> : <p className="meta">{t("session.noActionForYou")}</p>}
    </>
  );
}

function Timeline({ view }: { view: View }) {
  const { t } = useTranslation();
  const { session, deadlines, vacancies, now } = view;
  const currentIndex = MAIN_PATH.indexOf(session.state as (typeof MAIN_PATH)[number]);
  return (
    <>
      <ol className="timeline">
        {MAIN_PATH.map((state, index) => {
          const status = state === session.state ? "current" : currentIndex >= 0 && index < currentIndex ? "done" : "upcoming";
          return (
            <li key={state} className={`step step-${status}`} aria-current={status === "current" ? "step" : undefined}>
              <span className="step-name">{t(`state.${state}`)}</span>
            </li>
          );
        })}
      </ol>
      {currentIndex < 0 ? <p className="state-off-path">{t("session.currentState", { state: t(`state.${session.state}`) })}</p> : null}
      {deadlines.length || vacancies.length ? (
        <ul className="deadlines">
          {deadlines.map((deadline) => (
            <li key={deadline.kind}>
              <DeadlineText deadline={deadline} now={now} />
            </li>
          ))}
          {vacancies.map((vacancy) => (
            <li key={vacancy.seatId}>
              <DeadlineText deadline={{ kind: "vacancy", dueAt: vacancy.refillDueAt, overdue: vacancy.overdue }} now={now} />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function Delegations({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const { session, actions, candidates } = view;
  const current = session.seats.filter((seat) => !seat.endedAt);
  const past = session.seats.filter((seat) => seat.endedAt);
  // The projection's verdicts, by side (the recorder's seat: side null).
  const canNameMember = (side: "WORKER" | "EMPLOYER" | null) => (side ? actions.appointRepresentative.sides?.includes(side) === true : actions.nominateRecorder.allowed);
  const canNameOutsider = (side: "WORKER" | "EMPLOYER" | null) => side !== null && actions.appointOutsider.sides?.includes(side) === true;
  const canAppoint = (side: "WORKER" | "EMPLOYER" | null) => canNameMember(side) || canNameOutsider(side);
  const canEnd = (side: "WORKER" | "EMPLOYER" | null) => (side ? actions.endSeat.sides?.includes(side) === true : actions.endRecorder.allowed);
  const sides = [
    { side: "WORKER" as const, label: t("side.WORKER") },
    { side: "EMPLOYER" as const, label: t("side.EMPLOYER") },
    { side: null, label: t("session.recorder") },
  ];
  const appointErrors = failure?.values.intent === "appointSeat" ? failure.fieldErrors : {};
  return (
    <div className="delegations">
      {sides.map(({ side, label }) => {
        const seats = current.filter((seat) => seat.side === side && (side ? seat.kind === "REPRESENTATIVE" : seat.kind === "RECORDER"));
        const listId = `seat-${side ?? "recorder"}`;
        return (
          <div key={listId} className="delegation">
            <h3 id={listId}>
              {label} ({seats.filter((seat) => seat.confirmedAt).length}
              {side ? `/${session.representativesPerSide}` : "/1"})
            </h3>
            <ul aria-labelledby={listId}>
              {seats.map((seat) => (
                <li key={seat.id}>
                  {seat.user.displayName}
                  {seat.isChief ? <strong className="badge badge-ok">{t("session.chief")}</strong> : null}
                  {!seat.confirmedAt ? <strong className="badge">{t("session.recorderAwaiting")}</strong> : null}
                  {!seat.confirmedAt && actions.confirmRecorder.allowed ? (
                    <IntentButton intent="confirmRecorder" label={t("session.confirmRecorder")} extra={{ seatId: seat.id }} />
                  ) : null}
                  {seat.organization ? <span className="meta"> · {orgDisplayName(seat.organization, i18n.language)}</span> : null}
                  {seat.outsideProfessional ? <span className="badge">{t("session.outsideProfessional")}</span> : null}
                  {canEnd(side) ? (
                    <details className="seat-actions">
                      <summary>{t("session.endSeat")}</summary>
                      <Form method="post" className="stack">
                        <input type="hidden" name="intent" value="endSeat" />
                        <input type="hidden" name="seatId" value={seat.id} />
                        <label htmlFor={`f-endSeat-${seat.id}-reason`}>{t("session.endReason")}</label>
                        <input id={`f-endSeat-${seat.id}-reason`} name="reason" maxLength={SESSION_LIMITS.reasonsMax} required />
                        <button type="submit" className="button-danger">
                          {t("session.endSeat")}
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </li>
              ))}
            </ul>
            {canAppoint(side) && seats.length < (side ? session.representativesPerSide : 1) ? (
              // Keyed by the seat count so that a successful appointment starts a blank form.
              <Form key={`${listId}-${seats.length}`} method="post" className="stack appoint-form" aria-label={t("session.appointFor", { side: label })}>
                <input type="hidden" name="intent" value="appointSeat" />
                <input type="hidden" name="kind" value={side ? "REPRESENTATIVE" : "RECORDER"} />
                {side ? <input type="hidden" name="side" value={side} /> : null}
                <label htmlFor={`f-appointSeat-${side ?? "RECORDER"}-email`}>{t("session.appointEmail")}</label>
                <input id={`f-appointSeat-${side ?? "RECORDER"}-email`} name="email" type="email" list={`candidates-${listId}`} required maxLength={254} />
                <datalist id={`candidates-${listId}`}>
                  {candidates
                    .filter((candidate) => (!side || candidate.side === side) && candidate.email)
                    .map((candidate) => (
                      <option key={`${candidate.id}-${candidate.organizationId}`} value={candidate.email ?? ""}>
                        {candidate.displayName}
                      </option>
                    ))}
                </datalist>
                {side && canNameMember(side) ? (
                  <label className="checkbox">
                    <input type="checkbox" name="isChief" /> {t("session.asChief")}
                  </label>
                ) : null}
                {/* Provisions on Collective Contracts (jiti hetong guiding), art. 23: the side's chief may appoint outside professionals, at most a third of the seats, never as chief. */}
                {canNameOutsider(side) && canNameMember(side) ? (
                  <label className="checkbox">
                    <input type="checkbox" name="outsideProfessional" /> {t("session.asOutsideProfessional", { limit: Math.floor(session.representativesPerSide / 3) })}
                  </label>
                ) : canNameOutsider(side) ? (
                  <>
                    <input type="hidden" name="outsideProfessional" value="on" />
                    <p className="meta">{t("session.asOutsideProfessional", { limit: Math.floor(session.representativesPerSide / 3) })}</p>
                  </>
                ) : null}
                {past.some((seat) => seat.side === side) ? (
                  <>
                    <label htmlFor={`replaces-${listId}`}>{t("session.replaces")}</label>
                    <select id={`replaces-${listId}`} name="replacesSeatId" defaultValue="">
                      <option value="">{t("session.noReplacement")}</option>
                      {past
                        .filter((seat) => seat.side === side && !session.seats.some((other) => other.replacesSeatId === seat.id))
                        .map((seat) => (
                          <option key={seat.id} value={seat.id}>
                            {seat.user.displayName}
                          </option>
                        ))}
                    </select>
                  </>
                ) : null}
                <button type="submit" className="button-secondary">
                  {t("session.appoint")}
                </button>
              </Form>
            ) : null}
          </div>
        );
      })}
      {Object.values(appointErrors).flat().length ? (
        <ul className="field-errors" role="alert">
          {Object.values(appointErrors)
            .flat()
            .map((message, index) => (
              <li key={index}>
                <MessageText message={message} />
              </li>
            ))}
        </ul>
      ) : null}
      {past.length ? (
        <details>
          <summary>{t("session.pastSeats", { count: past.length })}</summary>
          <ul>
            {past.map((seat) => (
              <li key={seat.id}>
                {seat.user.displayName} · {seat.side ? t(`side.${seat.side}`) : t("session.recorder")} · {formatDateTime(seat.endedAt!, i18n.language)} · {seat.endReason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function Rounds({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const { session, roles, actions } = view;
  const seated = session.seats.filter((seat) => !seat.endedAt);
  const names = new Map(session.seats.map((seat) => [seat.user.id, seat.user.displayName]));
  const schedule = useValidatedForm(sessionActionSchema, failure, { intent: "scheduleRound" });
  const typed = (failure?.values.intent === "scheduleRound" ? failure.values : {}) as Record<string, string | undefined>;
  return (
    <>
      {session.rounds.length === 0 ? <p>{t("session.noRounds")}</p> : null}
      {session.rounds.map((round) => (
        <article key={round.id} className="round card" aria-labelledby={`round-${round.number}`}>
          <h3 id={`round-${round.number}`}>{t("session.roundTitle", { number: round.number })}</h3>
          <p className="meta">
            {formatDateTime(round.scheduledAt, i18n.language)} · {round.location} · {t("session.chair", { side: t(`side.${round.chairSide}`) })} · {t(`roundStatus.${round.status}`)}
          </p>
          <p className="agenda">{round.agenda}</p>
          {round.minutes ? (
            <>
              <h4>{t("session.minutes")}</h4>
              <p className="meta">{t("session.attendance", { names: round.attendeeIds.map((id) => names.get(id) ?? id).join("、") })}</p>
              <pre className="minutes">{round.minutes}</pre>
              <p className="meta">
                {t("session.minutesHash")}: <code>{round.minutesHash?.slice(0, 16)}…</code>
              </p>
              <ul className="signatures">
                {(["WORKER", "EMPLOYER"] as const).map((side) => {
                  const signature = round.signatures.find((candidate) => candidate.side === side);
                  return (
                    <li key={side}>
                      {t(`side.${side}`)}:{" "}
                      {signature ? t("session.signedBy", { name: signature.user.displayName, at: formatDateTime(signature.signedAt, i18n.language) }) : t("session.notSigned")}
                    </li>
                  );
                })}
              </ul>
              {actions.signMinutes.allowed && !round.signatures.some((signature) => signature.side === roles.chiefOf) ? (
                <IntentButton intent="signMinutes" extra={{ roundId: round.id, minutesHash: round.minutesHash ?? "" }} label={t("session.signMinutes")} />
              ) : null}
            </>
          ) : actions.recordRound.allowed && round.status !== "CANCELLED" && new Date(round.scheduledAt) > new Date(view.now) ? (
            <p className="meta" data-testid="minutes-after-start">{t("session.minutesAfterStart", { at: formatDateTime(round.scheduledAt, i18n.language) })}</p>
          ) : actions.recordRound.allowed && round.status !== "CANCELLED" ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="recordRound" />
              <input type="hidden" name="roundId" value={round.id} />
              <fieldset className="checkbox-group" id={`f-recordRound-${round.id}-attendeeIds`} tabIndex={-1}>
                <legend>{t("session.attendees")}</legend>
                {seated.map((seat) => (
                  <label key={seat.id} className="checkbox">
                    <input type="checkbox" name="attendeeIds[]" value={seat.user.id} defaultChecked /> {seat.user.displayName}
                  </label>
                ))}
              </fieldset>
              <label htmlFor={`f-recordRound-${round.id}-minutes`}>{t("session.minutes")}</label>
              <textarea id={`f-recordRound-${round.id}-minutes`} name="minutes" rows={6} maxLength={SESSION_LIMITS.minutesMax} required defaultValue={failure?.values.roundId === round.id ? (failure.values.minutes as string) : undefined} />
              <button type="submit" className="button">
                {t("session.saveMinutes")}
              </button>
            </Form>
          ) : null}
        </article>
      ))}
      {actions.scheduleRound.allowed ? (
        <Form method="post" className="stack schedule-form" {...schedule.formProps}>
          <h3>{t("session.scheduleRound")}</h3>
          <input type="hidden" name="intent" value="scheduleRound" />
          <TextField formKey="scheduleRound" name="scheduledAt" type="datetime-local" required label={t("session.scheduledAt")} defaultValue={typed.scheduledAt} errors={schedule.errors.scheduledAt} />
          <TextField formKey="scheduleRound" name="location" required maxLength={SESSION_LIMITS.locationMax} label={t("session.location")} defaultValue={typed.location} errors={schedule.errors.location} />
          <TextAreaField formKey="scheduleRound" name="agenda" rows={3} required maxLength={SESSION_LIMITS.agendaMax} label={t("session.agenda")} defaultValue={typed.agenda} errors={schedule.errors.agenda} />
          <button type="submit" className="button-secondary">
            {t("session.schedule")}
          </button>
        </Form>
      ) : null}
    </>
  );
}

function AuditLog({ view }: { view: View }) {
  const { t, i18n } = useTranslation();
  const { audit } = view;
  return (
    <>
      <p className={audit.verdict.ok ? "notice" : "form-error"} role="status" data-testid="audit-verdict">
        {audit.verdict.ok ? t("audit.intact", { count: audit.verdict.length }) : t("audit.broken", { seq: audit.verdict.brokenAt })}
      </p>
      <p className="meta" data-testid="audit-checked">
        {t("audit.fullyChecked", { at: formatDateTime(audit.verdict.fullyCheckedAt, i18n.language) })} <a href="?auditFull=1#audit">{t("audit.recheck")}</a>
      </p>
      {audit.events.length ? (
        <p className="meta">
          {t("audit.showing", { from: audit.events[0]!.seq, to: audit.events[audit.events.length - 1]!.seq, total: audit.verdict.length })}
        </p>
      ) : null}
      <table className="data-table audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t("audit.time")}</th>
            <th scope="col">{t("audit.event")}</th>
            <th scope="col">{t("audit.actor")}</th>
            <th scope="col">{t("audit.hash")}</th>
          </tr>
        </thead>
        <tbody>
          {audit.events.map((event) => {
            const { payload } = event;
            // One side's half of a two-sided act changes no step: it is told as what that side did, never as the step again.
            const halfStep = event.type === "session.transition" && payload.from === payload.to && typeof payload.side === "string";
            const detail = event.type === "session.transition" || event.type === "session.clock" ? t(`state.${String(payload.to)}`) : event.type.startsWith("round") || event.type.startsWith("minutes") ? t("session.roundTitle", { number: payload.number }) : "";
            return (
              <tr key={event.seq}>
                <td data-label={"#"}>{event.seq}</td>
                <td data-label={t("audit.time")}>{formatDateTime(event.at, i18n.language)}</td>
                <td data-label={t("audit.event")} data-testid="audit-event">
                  {halfStep
                    ? t(`audit.halfStep.${String(payload.event)}`, { side: t(`side.${String(payload.side)}`), defaultValue: t("audit.halfStep.other", { side: t(`side.${String(payload.side)}`) }) })
                    : detail
                      ? `${t(`audit.type.${event.type}`)} · ${detail}`
                      : t(`audit.type.${event.type}`)}
                </td>
                <td data-label={t("audit.actor")}>{event.actor ?? t("audit.system")}</td>
                <td data-label={t("audit.hash")}>
                  <code>{event.hash.slice(0, 12)}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="inline-form">
        {audit.earlierBefore ? <a href={`?auditBefore=${audit.earlierBefore}#audit`}>{t("audit.earlier", { count: Math.min(audit.pageSize, audit.earlierBefore - 1) })}</a> : null}
        {audit.events.length && audit.events[audit.events.length - 1]!.seq < audit.verdict.length ? <a href="?#audit">{t("audit.latest")}</a> : null}
      </p>
    </>
  );
}

const NOTICES = new Set(["answered", "updated", "seatAppointed", "seatEnded", "roundScheduled", "minutesWritten", "minutesSigned", "recorderNominated", "recorderConfirmed"]);

export default function SessionPage() {
  const view = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const { session, actions } = view;
  const locale = i18n.language;
  const [searchParams] = useSearchParams();
  const notice = searchParams.get("notice");
  return (
    <>
      <h1>{session.title}</h1>
      <p className="meta">
        {t(`industry.${session.industry}`)} · {regionName(session.regionCode, locale)} · {t("session.state", { state: t(`state.${session.state}`) })}
      </p>
      {notice && NOTICES.has(notice) && !failure ? <Notice>{t(`session.notice.${notice}`, { days: PROCEDURE_RULES.vacancyRefillDays.value })}</Notice> : null}
      <FormError message={failure?.formError} />
      {failure && !failure.formError ? <ErrorSummary fieldErrors={failure.fieldErrors} form={summaryForm(failure.values)} /> : null}

      <Section id="timeline" title={t("session.timeline")}>
        <Timeline view={view} />
        <ReviewOpinions opinions={view.reviewOpinions} />
        <ProcedureActions view={view} failure={failure} />
        <RefusalPointer allowed={actions.referRefusal.allowed} session={session} now={view.now} />
      </Section>

      <Section id="draft" title={t("session.draft")}>
        <p>
          <Link className="button-secondary" to={`/sessions/${session.id}/draft`}>
            {t("draft.open")}
          </Link>{" "}
          {["DRAFT_AGREED", "RATIFICATION", "RATIFIED", "SIGNED", "FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED", "EXPIRED"].includes(session.state) ? (
            <Link className="button-secondary" to={`/sessions/${session.id}/agreement`}>
              {t("agreement.link")}
            </Link>
          ) : null}
        </p>
        {view.ruleChecks?.termsValid ? <ChecksSummary results={view.ruleChecks.results} /> : null}
      </Section>

      <Section id="proposal" title={t("session.proposal")}>
        <p className="meta">{t("session.proposedBy", { name: session.proposedBy.displayName, at: formatDateTime(session.proposedAt, locale) })}</p>
        <p>
          {t("sessions.topics")}: {session.topics.map((topic) => t(`topic.${topic}`)).join("、")}
        </p>
        <p className="meta">
          {t("ratification.scope")}
          {t("common.colon")}
          {t(`ratification.scope${session.ratificationPractice}`)}
        </p>
        <pre className="proposal-text">{session.proposalText}</pre>
        {session.answerReasons ? <p>{t("session.declineReasons", { reasons: session.answerReasons })}</p> : null}
      </Section>

      <Section id="parties" title={t("session.parties")}>
        <ul>
          {session.parties.map((party) => (
            <li key={party.organizationId}>
              <Link to={`/orgs/${party.organization.slug}`}>{orgDisplayName(party.organization, locale)}</Link> <VerificationBadge status={party.organization.verification} creditCode={party.organization.creditCode} /> · {t(`partyRole.${party.role}`)}
              {party.isProposer ? ` · ${t("session.proposerBadge")}` : ""}
              {party.covered ? ` · ${t("session.coveredBadge")}` : ""}
              {party.role !== "OBSERVER" ? (
                <span data-testid="party-consent" data-consent={party.consent}>
                  {" · "}
                  {t(`session.consent.${party.consent}`)}
                  {party.answeredAt ? ` (${formatDateTime(party.answeredAt, locale)})` : ""}
                  {party.declineReason ? ` · ${party.declineReason}` : ""}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="delegations" title={t("session.delegations")}>
        <Delegations view={view} failure={failure} />
      </Section>

      <Section id="rounds" title={t("session.rounds")}>
        <Rounds view={view} failure={failure} />
      </Section>

      {actions.readCaucus.allowed ? (
        <Section id="caucus" title={t("session.caucus")}>
          <ul>
            {(actions.readCaucus.sides ?? []).map((side) => (
              <li key={side}>
                <Link to={`/sessions/${session.id}/caucus/${side.toLowerCase()}`}>{t("caucus.linkFor", { side: t(`side.${side}`) })}</Link>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section id="audit" title={t("session.audit")}>
        <AuditLog view={view} />
      </Section>
    </>
  );
}
