/**
 * The session's disputes (issue 20, item 7; docs/disputes.md): a refusal or a missing answer
 * referred by the worker side, applications for the labour bureau's coordination with their clock,
 * participants, extension and coordination agreement (art. 54), performance disputes linked to
 * their arbitration case.
 * What is offered comes from the loader (the projection and the dispute's state machine); the
 * model refuses anything else.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { ErrorSummary, FieldMessages, FormError, formOf, invalidProps, MessageText, Notice } from "~/components/forms.tsx";
import { formatDateTime, formatDeadline, orgDisplayName } from "~/components/names.ts";
import { disputeActionSchema } from "~/domain/dispute-validation.ts";
import { DISPUTE_LIMITS, PARTICIPANT_ROLES } from "~/domain/disputes.ts";
import { clientIp, formFailure, parseFormData, runAction, runLoader, sessionIdParam, type FormFailure } from "~/http/forms.server.ts";
import { acceptDispute, applyDispute, concludeDispute, extendDispute, getDisputesView, recordDisputeParticipants, referPerformance, referRefusal, withdrawDispute } from "~/models/dispute.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "disputes.title" };

/** Private to the session: never stored by a browser cache or a proxy. */
export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const view = await getDisputesView({ actor, sessionId: sessionIdParam(params) });
    return json(view, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, disputeActionSchema);
  if (!parsed.ok) return formFailure(parsed);
  const input = parsed.data;
  const ctx = { ip: clientIp(context), userAgent: request.headers.get("User-Agent") };
  return runAction(formData, async () => {
    const sessionId = sessionIdParam(params);
    const common = { actor, ctx, sessionId };
    const back = (notice: string) => redirect(`/sessions/${sessionId}/disputes?notice=${notice}`);
    switch (input.intent) {
      case "apply":
        await applyDispute({ ...common, side: input.side, statement: input.statement });
        return back("applied");
      case "referRefusal":
        await referRefusal({ ...common, statement: input.statement });
        return back("referred");
      case "referPerformance":
        await referPerformance({ ...common, side: input.side, statement: input.statement, referredTo: input.referredTo, referenceNumber: input.referenceNumber });
        return back("referred");
      case "accept":
        await acceptDispute({ ...common, disputeId: input.disputeId });
        return back("accepted");
      case "recordParticipants":
        await recordDisputeParticipants({ ...common, disputeId: input.disputeId, participants: input.participants });
        return back("participantsRecorded");
      case "extend":
        await extendDispute({ ...common, disputeId: input.disputeId, days: input.days, reason: input.reason });
        return back("extended");
      case "conclude":
        await concludeDispute({ ...common, disputeId: input.disputeId, settlementText: input.settlementText });
        return back("concluded");
      case "withdraw":
        await withdrawDispute({ ...common, disputeId: input.disputeId });
        return back("withdrawn");
    }
  });
}

type View = ReturnType<typeof useLoaderData<typeof loader>>;
type DisputeView = View["disputes"][number];

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="session-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The failure of this form (its intent, and for a dispute's form, its dispute). */
function failureOf(failure: FormFailure | undefined, intent: string, disputeId?: string): FormFailure | undefined {
  if (!failure || failure.values.intent !== intent) return undefined;
  if (disputeId !== undefined && failure.values.disputeId !== disputeId) return undefined;
  return failure;
}

/** A field's own messages and those of its items ("organization[2]"). */
function errorsOf(failure: FormFailure | undefined, name: string) {
  const errors = Object.entries(failure?.fieldErrors ?? {}).flatMap(([field, messages]) => (field === name || field.startsWith(`${name}[`) ? messages : []));
  return errors.length ? errors : undefined;
}

/** Beside the field `id` (marked with `invalidProps`); without an id, for a field that is not shown. */
function FieldError({ failure, name, id }: { failure?: FormFailure; name: string; id?: string }) {
  const errors = errorsOf(failure, name);
  if (id) return <FieldMessages id={id} errors={errors} />;
  return errors ? (
    <p className="field-errors" role="alert">
      <MessageText message={errors[0]!} />
    </p>
  ) : null;
}

const valueOf = (failure: FormFailure | undefined, name: string): string | undefined => {
  const value = failure?.values[name];
  return typeof value === "string" ? value : undefined;
};

function SidePicker({ sides, failure, id, label }: { sides: string[]; failure?: FormFailure; id: string; label: string }) {
  const { t } = useTranslation();
  if (sides.length === 1) {
    return (
      <>
        <input type="hidden" name="side" value={sides[0]} />
        <FieldError failure={failure} name="side" />
      </>
    );
  }
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} name="side" defaultValue={valueOf(failure, "side") ?? sides[0]} {...invalidProps(id, errorsOf(failure, "side"))}>
        {sides.map((side) => (
          <option key={side} value={side}>
            {t(`side.${side}`)}
          </option>
        ))}
      </select>
      <FieldError failure={failure} name="side" id={id} />
    </>
  );
}

function StatementField({ id, label, failure }: { id: string; label: string; failure?: FormFailure }) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name="statement" rows={5} maxLength={DISPUTE_LIMITS.statementMax} required defaultValue={valueOf(failure, "statement")} {...invalidProps(id, errorsOf(failure, "statement"))} />
      <FieldError failure={failure} name="statement" id={id} />
    </>
  );
}

function RefusalForm({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t } = useTranslation();
  const mine = failureOf(failure, "referRefusal");
  return (
    <Section id="refer-refusal" title={t("disputes.refusal.title")}>
      <p>{t(`disputes.refusal.intro${view.refusalKind}`, { days: view.rules.answerWithinDays.value })}</p>
      <Form method="post" className="stack dispute-form">
        <input type="hidden" name="intent" value="referRefusal" />
        <StatementField id="f-referRefusal-statement" label={t("disputes.refusal.statement")} failure={mine} />
        <button type="submit" className="button">
          {t("disputes.refusal.submit")}
        </button>
      </Form>
    </Section>
  );
}

function ApplyForm({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t } = useTranslation();
  const mine = failureOf(failure, "apply");
  return (
    <Section id="apply" title={t("disputes.apply.title")}>
      <p className="meta">{t("disputes.apply.intro")}</p>
      <Form method="post" className="stack dispute-form">
        <input type="hidden" name="intent" value="apply" />
        <SidePicker sides={view.can.apply.sides} failure={mine} id="f-apply-side" label={t("disputes.apply.side")} />
        <StatementField id="f-apply-statement" label={t("disputes.apply.statement")} failure={mine} />
        <button type="submit" className="button">
          {t("disputes.apply.submit")}
        </button>
      </Form>
    </Section>
  );
}

function PerformanceForm({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t } = useTranslation();
  const mine = failureOf(failure, "referPerformance");
  return (
    <Section id="performance" title={t("disputes.performance.title")}>
      <p className="meta">{t("disputes.performance.intro")}</p>
      <Form method="post" className="stack dispute-form">
        <input type="hidden" name="intent" value="referPerformance" />
        <SidePicker sides={view.can.referPerformance.sides} failure={mine} id="f-referPerformance-side" label={t("disputes.performance.side")} />
        <StatementField id="f-referPerformance-statement" label={t("disputes.performance.statement")} failure={mine} />
        <label htmlFor="f-referPerformance-referredTo">{t("disputes.performance.referredTo")}</label>
        <input id="f-referPerformance-referredTo" name="referredTo" required maxLength={DISPUTE_LIMITS.referredToMax} defaultValue={valueOf(mine, "referredTo")} {...invalidProps("f-referPerformance-referredTo", errorsOf(mine, "referredTo"))} />
        <FieldError failure={mine} name="referredTo" id="f-referPerformance-referredTo" />
        <label htmlFor="f-referPerformance-referenceNumber">{t("disputes.performance.referenceNumber")}</label>
        <input id="f-referPerformance-referenceNumber" name="referenceNumber" maxLength={DISPUTE_LIMITS.referenceNumberMax} defaultValue={valueOf(mine, "referenceNumber")} {...invalidProps("f-referPerformance-referenceNumber", errorsOf(mine, "referenceNumber"))} />
        <FieldError failure={mine} name="referenceNumber" id="f-referPerformance-referenceNumber" />
        <button type="submit" className="button">
          {t("disputes.performance.submit")}
        </button>
      </Form>
    </Section>
  );
}

function StepButton({ intent, disputeId, label, danger }: { intent: string; disputeId: string; label: string; danger?: boolean }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="disputeId" value={disputeId} />
      <button type="submit" className={danger ? "button-danger" : "button"}>
        {label}
      </button>
    </Form>
  );
}

function ParticipantsForm({ dispute, failure }: { dispute: DisputeView; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const mine = failureOf(failure, "recordParticipants", dispute.id);
  // One row per party of art. 50 (the bureau's own people, the union, the enterprise organization) and one for others.
  const recorded = (role: string) => dispute.participants.find((participant) => participant.role === role);
  return (
    <details open={mine !== undefined || dispute.participants.length === 0}>
      <summary>{t("disputes.recordParticipants.title")}</summary>
      <Form method="post" className="stack dispute-form">
        <p className="meta">{t("disputes.recordParticipants.intro")}</p>
        <input type="hidden" name="intent" value="recordParticipants" />
        <input type="hidden" name="disputeId" value={dispute.id} />
        {PARTICIPANT_ROLES.map((role, index) => (
          <fieldset key={role} className="participant-row">
            <legend>{t(`disputes.participantRole.${role}`)}</legend>
            <input type="hidden" name="role[]" value={role} />
            <label htmlFor={`f-recordParticipants-${dispute.id}-organization-${index}`}>{t("disputes.recordParticipants.organization")}</label>
            <input id={`f-recordParticipants-${dispute.id}-organization-${index}`} name="organization[]" maxLength={DISPUTE_LIMITS.organizationMax} defaultValue={recorded(role)?.organization ?? (role === "LABOUR_BUREAU" ? orgDisplayName(dispute.bureau, i18n.language) : "")} />
            <label htmlFor={`f-recordParticipants-${dispute.id}-people-${index}`}>{t("disputes.recordParticipants.people")}</label>
            <input id={`f-recordParticipants-${dispute.id}-people-${index}`} name="people[]" maxLength={DISPUTE_LIMITS.peopleMax} defaultValue={recorded(role)?.people ?? ""} />
          </fieldset>
        ))}
        <FieldError failure={mine} name="organization" />
        <FieldError failure={mine} name="people" />
        <button type="submit" className="button-secondary">
          {t("disputes.recordParticipants.submit")}
        </button>
      </Form>
    </details>
  );
}

function ExtendForm({ dispute, view, failure }: { dispute: DisputeView; view: View; failure?: FormFailure }) {
  const { t } = useTranslation();
  const mine = failureOf(failure, "extend", dispute.id);
  const max = view.rules.coordinationExtensionDays.value;
  return (
    <details open={mine !== undefined}>
      <summary>{t("disputes.extend.title")}</summary>
      <Form method="post" className="stack dispute-form">
        <input type="hidden" name="intent" value="extend" />
        <input type="hidden" name="disputeId" value={dispute.id} />
        <label htmlFor={`f-extend-${dispute.id}-days`}>{t("disputes.extend.days", { max })}</label>
        <input id={`f-extend-${dispute.id}-days`} name="days" type="number" inputMode="numeric" min={1} max={max} required defaultValue={valueOf(mine, "days")} {...invalidProps(`f-extend-${dispute.id}-days`, errorsOf(mine, "days"))} />
        <FieldError failure={mine} name="days" id={`f-extend-${dispute.id}-days`} />
        <label htmlFor={`f-extend-${dispute.id}-reason`}>{t("disputes.extend.reason")}</label>
        <textarea id={`f-extend-${dispute.id}-reason`} name="reason" rows={2} maxLength={DISPUTE_LIMITS.reasonMax} required defaultValue={valueOf(mine, "reason")} {...invalidProps(`f-extend-${dispute.id}-reason`, errorsOf(mine, "reason"))} />
        <FieldError failure={mine} name="reason" id={`f-extend-${dispute.id}-reason`} />
        <button type="submit" className="button-secondary">
          {t("disputes.extend.submit")}
        </button>
      </Form>
    </details>
  );
}

function ConcludeForm({ dispute, failure }: { dispute: DisputeView; failure?: FormFailure }) {
  const { t } = useTranslation();
  const mine = failureOf(failure, "conclude", dispute.id);
  return (
    <details open={mine !== undefined}>
      <summary>{t("disputes.conclude.title")}</summary>
      <Form method="post" className="stack dispute-form">
        <p className="meta">{t("disputes.conclude.intro")}</p>
        <input type="hidden" name="intent" value="conclude" />
        <input type="hidden" name="disputeId" value={dispute.id} />
        <label htmlFor={`f-conclude-${dispute.id}-settlementText`}>{t("disputes.conclude.text")}</label>
        <textarea id={`f-conclude-${dispute.id}-settlementText`} name="settlementText" rows={8} maxLength={DISPUTE_LIMITS.settlementMax} required defaultValue={valueOf(mine, "settlementText")} {...invalidProps(`f-conclude-${dispute.id}-settlementText`, errorsOf(mine, "settlementText"))} />
        <FieldError failure={mine} name="settlementText" id={`f-conclude-${dispute.id}-settlementText`} />
        <button type="submit" className="button">
          {t("disputes.conclude.submit")}
        </button>
      </Form>
    </details>
  );
}

function DisputeCard({ dispute, view, failure }: { dispute: DisputeView; view: View; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const source = (rule: { source: { zh: string; en: string } }) => (locale === "en" ? rule.source.en : rule.source.zh);
  const steps = new Set(dispute.steps);
  return (
    <li className="card stack dispute-card" data-testid="dispute" data-state={dispute.state}>
      <h3>
        {t(`disputes.kind.${dispute.kind}`)} <span className={dispute.state === "CONCLUDED" ? "badge badge-ok" : "badge"}>{t(`disputes.state.${dispute.state}`)}</span>
      </h3>
      <p className="meta">{t("disputes.applicant", { side: t(`side.${dispute.applicantSide}`), name: dispute.appliedBy ?? "", at: formatDateTime(dispute.appliedAt, locale) })}</p>
      <p className="meta">{t("disputes.bureau", { name: orgDisplayName(dispute.bureau, locale) })}</p>
      <h4>{t("disputes.statement")}</h4>
      <pre className="proposal-text">{dispute.statement}</pre>
      {dispute.referredTo ? <p>{t("disputes.referredTo", { to: dispute.referredTo })}</p> : null}
      {dispute.referenceNumber ? <p>{t("disputes.referenceNumber", { number: dispute.referenceNumber })}</p> : null}
      {dispute.acceptedAt ? <p>{t("disputes.accepted", { at: formatDateTime(dispute.acceptedAt, locale), name: dispute.acceptedBy ?? "" })}</p> : null}
      {dispute.dueAt && dispute.state !== "WITHDRAWN" ? (
        <p className={dispute.overdue ? "deadline overdue" : "deadline"} data-testid="dispute-due">
          {t("disputes.due", { at: formatDeadline(dispute.dueAt, locale) })}
          <span className="meta"> · {t("disputes.source", { source: source(view.rules.coordinationDays) })}</span>
        </p>
      ) : null}
      {dispute.overdue ? (
        <p className="form-error" role="status">
          {t("disputes.overdue")}
        </p>
      ) : null}
      {dispute.extensionDays > 0 ? <p>{t("disputes.extension", { days: dispute.extensionDays, reason: dispute.extensionReason ?? "" })}</p> : null}
      {dispute.kind === "BARGAINING" && dispute.state !== "APPLIED" ? (
        <>
          <h4>{t("disputes.participants")}</h4>
          {dispute.participants.length ? (
            <ul>
              {dispute.participants.map((participant, index) => (
                <li key={index}>
                  {t("disputes.participantLine", { role: t(`disputes.participantRole.${participant.role}`), organization: participant.organization })}
                  {participant.people ? ` · ${participant.people}` : ""}
                </li>
              ))}
            </ul>
          ) : (
            <p className="meta">{t("disputes.noParticipants")}</p>
          )}
        </>
      ) : null}
      {dispute.settlementText ? (
        <>
          <h4>{t("disputes.settlement")}</h4>
          <pre className="proposal-text" data-testid="settlement">
            {dispute.settlementText}
          </pre>
          {dispute.concludedAt ? <p className="meta">{t("disputes.concluded", { at: formatDateTime(dispute.concludedAt, locale), name: dispute.concludedBy ?? "" })}</p> : null}
          {dispute.late ? <p className="meta">{t("disputes.concludedLate")}</p> : null}
        </>
      ) : null}
      {dispute.withdrawnAt ? <p className="meta">{t("disputes.withdrawn", { at: formatDateTime(dispute.withdrawnAt, locale) })}</p> : null}
      {steps.size ? (
        <div className="stack">
          {steps.has("ACCEPT") ? <StepButton intent="accept" disputeId={dispute.id} label={t("disputes.accept")} /> : null}
          {steps.has("RECORD_PARTICIPANTS") ? <ParticipantsForm dispute={dispute} failure={failure} /> : null}
          {steps.has("EXTEND") ? <ExtendForm dispute={dispute} view={view} failure={failure} /> : null}
          {steps.has("CONCLUDE") ? <ConcludeForm dispute={dispute} failure={failure} /> : null}
          {steps.has("WITHDRAW") ? <StepButton intent="withdraw" disputeId={dispute.id} label={t("disputes.withdraw")} danger /> : null}
        </div>
      ) : null}
    </li>
  );
}

const NOTICES = new Set(["applied", "referred", "accepted", "participantsRecorded", "extended", "concluded", "withdrawn"]);

export default function DisputesPage() {
  const view = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const notice = searchParams.get("notice");
  return (
    <>
      <h1>{view.session.title}</h1>
      <p className="meta">
        {t("disputes.title")} · {t("session.state", { state: t(`state.${view.session.state}`) })}
      </p>
      {notice && NOTICES.has(notice) && !failure ? <Notice>{t(`disputes.notice.${notice}`)}</Notice> : null}
      <FormError message={failure?.formError} />
      {failure && !failure.formError && Object.keys(failure.fieldErrors).length ? <ErrorSummary fieldErrors={failure.fieldErrors} form={formOf(failure.values, "disputeId")} /> : null}
      <p>{t("disputes.intro")}</p>
      {!view.bureau ? <p className="form-error">{t("disputes.noBureau")}</p> : null}
      {view.can.referRefusal && view.refusalKind ? <RefusalForm view={view} failure={failure} /> : null}
      {view.can.apply.allowed ? <ApplyForm view={view} failure={failure} /> : null}
      {view.can.referPerformance.allowed ? <PerformanceForm view={view} failure={failure} /> : null}
      <Section id="dispute-list" title={t("disputes.listTitle")}>
        {view.disputes.length === 0 ? (
          <p>{t("disputes.none")}</p>
        ) : (
          <ul className="card-list">
            {view.disputes.map((dispute) => (
              <DisputeCard key={dispute.id} dispute={dispute} view={view} failure={failure} />
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
