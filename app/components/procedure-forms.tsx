/**
 * Forms of the procedure's decisions that carry terms (issue 20): a suspension's plan (art. 35),
 * the draft's start date (art. 47), reopening an agreed text, the bureau's review opinion
 * (art. 45) and the parties' answers when refiling (art. 46). When the other chief agreed
 * first, the form shows and carries their terms: agreeing unchanged agrees them, changing them is
 * a counter-proposal.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/validation.ts";
import { REVIEW_LIMITS } from "~/domain/review.ts";
import { SESSION_LIMITS } from "~/domain/session-validation.ts";
import type { PendingAgreements, SuspensionPlan } from "~/domain/procedure.ts";
import { MessageText } from "./forms.tsx";
import { formatDate, formatDateTime } from "./names.ts";

/** What a refused submission brings back (the shape of FormFailure, app/http/forms.server.ts). */
type FormFailure = { values: Record<string, string | string[]>; fieldErrors: FieldErrors };

/** An instant as a datetime-local value in China time (the forms' time zone). */
export function chinaLocalInput(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 16);
}

function FieldErrors({ failure, intent, name }: { failure?: FormFailure; intent: string; name: string }) {
  const errors = failure?.values.intent === intent ? failure.fieldErrors[name] : undefined;
  if (!errors?.length) return null;
  return (
    <p className="field-errors" id={`f-${intent}-${name}-error`} role="alert">
      <MessageText message={errors[0]!} />
    </p>
  );
}

/** The value the user typed (after a refused submission), else the pending terms' value. */
function valueOf(failure: FormFailure | undefined, intent: string, name: string, fallback: string | undefined): string | undefined {
  if (failure?.values.intent === intent) {
    const value = failure.values[name];
    return typeof value === "string" ? value : fallback;
  }
  return fallback;
}

export function SuspensionText({ plan }: { plan: SuspensionPlan }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="facts suspension-plan">
      <dt>{t("suspension.resumesAt")}</dt>
      <dd>
        <time dateTime={plan.resumesAt}>{formatDateTime(plan.resumesAt, i18n.language)}</time>
      </dd>
      <dt>{t("suspension.meetingAt")}</dt>
      <dd>
        <time dateTime={plan.meetingAt}>{formatDateTime(plan.meetingAt, i18n.language)}</time>
      </dd>
      <dt>{t("suspension.location")}</dt>
      <dd className="wrap-anywhere">{plan.location}</dd>
      <dt>{t("suspension.agenda")}</dt>
      <dd className="wrap-anywhere">{plan.agenda}</dd>
    </dl>
  );
}

/** Art. 35: both chiefs agree the length of the suspension and the next meeting. */
export function SuspendForm({ pending, failure }: { pending: PendingAgreements; failure?: FormFailure }) {
  const { t } = useTranslation();
  const proposed = pending.terms?.SUSPEND;
  const intent = "suspend";
  const field = (name: "resumesAt" | "meetingAt" | "location" | "agenda", input: "datetime" | "text" | "area") => {
    const id = `f-${intent}-${name}`;
    const fallback = proposed ? (input === "datetime" ? chinaLocalInput(proposed[name]) : proposed[name]) : undefined;
    const value = valueOf(failure, intent, name, fallback);
    const invalid = Boolean(failure?.values.intent === intent && failure.fieldErrors[name]?.length);
    return (
      <div className="field">
        <label htmlFor={id}>{t(`suspension.${name}`)}</label>
        {input === "area" ? (
          <textarea id={id} name={name} rows={2} required maxLength={SESSION_LIMITS.agendaMax} defaultValue={value} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined} />
        ) : (
          <input id={id} name={name} type={input === "datetime" ? "datetime-local" : "text"} required maxLength={input === "text" ? SESSION_LIMITS.locationMax : undefined} defaultValue={value} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${id}-error` : undefined} />
        )}
        <FieldErrors failure={failure} intent={intent} name={name} />
      </div>
    );
  };
  return (
    <Form method="post" className="stack procedure-form">
      <input type="hidden" name="intent" value={intent} />
      <p className="meta">{proposed ? t("suspension.otherProposed") : t("suspension.explain")}</p>
      {field("resumesAt", "datetime")}
      {field("meetingAt", "datetime")}
      {field("location", "text")}
      {field("agenda", "area")}
      <button type="submit" className="button">
        {proposed ? t("suspension.agreeProposed") : t("session.do.agreeSUSPEND")}
      </button>
    </Form>
  );
}

/** Agreeing the draft, with a later start date the parties may write into it (art. 47). */
export function AgreeDraftForm({ pending, failure }: { pending: PendingAgreements; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const intent = "agree";
  const proposed = pending.terms?.DRAFT;
  const value = valueOf(failure, intent, "startsOn", proposed?.startsOn ?? undefined);
  const invalid = Boolean(failure?.values.intent === intent && failure.fieldErrors.startsOn?.length);
  return (
    <Form method="post" className="stack procedure-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="kind" value="DRAFT" />
      {proposed ? (
        <p className="meta">{proposed.startsOn ? t("agreeDraft.otherProposedDate", { date: formatDate(`${proposed.startsOn}T00:00:00+08:00`, i18n.language) }) : t("agreeDraft.otherProposedNoDate")}</p>
      ) : null}
      <div className="field">
        <label htmlFor="f-agree-startsOn">{t("agreeDraft.startsOn")}</label>
        <input id="f-agree-startsOn" name="startsOn" type="date" defaultValue={value} aria-invalid={invalid || undefined} aria-describedby={`f-agree-startsOn-hint${invalid ? " f-agree-startsOn-error" : ""}`} />
        <p className="hint" id="f-agree-startsOn-hint">
          {t("agreeDraft.startsOnHint")}
        </p>
        <FieldErrors failure={failure} intent={intent} name="startsOn" />
      </div>
      <button type="submit" className="button">
        {t("session.do.agreeDRAFT")}
      </button>
    </Form>
  );
}

/** Reopening an agreed, ratified or signed text: both chiefs, with a reason. */
export function ReopenForm({ pending, failure }: { pending: PendingAgreements; failure?: FormFailure }) {
  const { t } = useTranslation();
  const intent = "reopen";
  const proposed = pending.terms?.REOPEN;
  const value = valueOf(failure, intent, "reason", proposed?.reason);
  return (
    <Form method="post" className="stack procedure-form">
      <input type="hidden" name="intent" value={intent} />
      {proposed ? <p className="meta">{t("reopen.otherProposed")}</p> : <p className="meta">{t("reopen.explain")}</p>}
      <label htmlFor="f-reopen-reason">{t("reopen.reason")}</label>
      <textarea id="f-reopen-reason" name="reason" rows={3} required maxLength={SESSION_LIMITS.reasonsMax} defaultValue={value} />
      <FieldErrors failure={failure} intent={intent} name="reason" />
      <button type="submit" className="button-danger">
        {t("session.do.reopen")}
      </button>
    </Form>
  );
}

/** Spare rows the objection form shows; rows left empty are dropped. */
const OPINION_ROWS = 3;

/** The bureau's review opinion: the clauses it concerns and the reason for each (art. 45). */
export function ObjectionForm({ failure }: { failure?: FormFailure }) {
  const { t } = useTranslation();
  const intent = "object";
  const typed = failure?.values.intent === intent ? failure.values : undefined;
  const list = (name: string) => [typed?.[name] ?? []].flat();
  const clauses = list("clause");
  const reasons = list("reason");
  const rows = Math.max(OPINION_ROWS, clauses.length);
  return (
    <Form method="post" className="stack procedure-form">
      <input type="hidden" name="intent" value={intent} />
      <p className="meta">{t("review.explain")}</p>
      <div id="f-object-items" tabIndex={-1} className="stack">
      {Array.from({ length: rows }, (_, index) => (
        <fieldset key={index} className="review-item">
          <legend>{t("review.item", { number: index + 1 })}</legend>
          <label htmlFor={`f-object-clause-${index}`}>{t("review.clause")}</label>
          <input id={`f-object-clause-${index}`} name="clause[]" maxLength={REVIEW_LIMITS.clauseMax} defaultValue={clauses[index]} />
          <label htmlFor={`f-object-reason-${index}`}>{t("review.reason")}</label>
          <textarea id={`f-object-reason-${index}`} name="reason[]" rows={2} maxLength={REVIEW_LIMITS.reasonMax} defaultValue={reasons[index]} />
        </fieldset>
      ))}
      </div>
      <FieldErrors failure={failure} intent={intent} name="items" />
      <button type="submit" className="button-danger">
        {t("session.do.object")}
      </button>
    </Form>
  );
}

export type OpinionView = {
  id: string;
  bureau: { name: string; nameEn: string | null };
  issuedBy: string | null;
  receivedAt: string;
  issuedAt: string;
  answeredAt: string | null;
  items: Array<{ clause: string; reason: string; answer: string | null }>;
};

/** Filing; after a review opinion, with the parties' answer to each of its items (art. 46). */
export function FileForm({ opinion, failure }: { opinion: OpinionView | null; failure?: FormFailure }) {
  const { t } = useTranslation();
  const intent = "file";
  const typed = failure?.values.intent === intent ? [failure.values.answers ?? []].flat() : [];
  return (
    <Form method="post" className="stack procedure-form">
      <input type="hidden" name="intent" value={intent} />
      {opinion ? <p className="meta">{t("review.answerExplain")}</p> : null}
      <div id="f-file-answers" tabIndex={-1} className="stack">
      {opinion?.items.map((item, index) => (
        <div key={index} className="field">
          <label htmlFor={`f-file-answers-${index}`}>{t("review.answerTo", { number: index + 1, clause: item.clause })}</label>
          <textarea id={`f-file-answers-${index}`} name="answers[]" rows={2} required maxLength={REVIEW_LIMITS.answerMax} defaultValue={typed[index]} />
        </div>
      ))}
      </div>
      <FieldErrors failure={failure} intent={intent} name="answers" />
      <button type="submit" className="button">
        {t("session.do.file")}
      </button>
    </Form>
  );
}

/** The bureau's review opinions and the parties' answers, shown to both sides and the bureau. */
export function ReviewOpinions({ opinions }: { opinions: OpinionView[] }) {
  const { t, i18n } = useTranslation();
  if (opinions.length === 0) return null;
  return (
    <div className="review-opinions" id="review">
      {opinions.map((opinion) => (
        <article key={opinion.id} className="review-opinion">
          <h3>{t("review.title")}</h3>
          <p className="meta">
            {t("review.served", {
              bureau: i18n.language === "en" && opinion.bureau.nameEn ? opinion.bureau.nameEn : opinion.bureau.name,
              received: formatDate(opinion.receivedAt, i18n.language),
              issued: formatDate(opinion.issuedAt, i18n.language),
            })}
          </p>
          <ol>
            {opinion.items.map((item, index) => (
              <li key={index} className="wrap-anywhere">
                <strong>{item.clause}</strong>
                {t("common.colon")}
                {item.reason}
                {item.answer ? <p className="review-answer">{t("review.answered", { answer: item.answer })}</p> : null}
              </li>
            ))}
          </ol>
          <p className="meta">{opinion.answeredAt ? t("review.answeredAt", { date: formatDateTime(opinion.answeredAt, i18n.language) }) : t("review.unanswered")}</p>
        </article>
      ))}
    </div>
  );
}
