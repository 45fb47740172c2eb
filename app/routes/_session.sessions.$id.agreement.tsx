import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { getAuth } from "~/auth/login-session.server.ts";
import { ErrorSummary, FieldMessages, fieldId, FormError, invalidProps, Notice } from "~/components/forms.tsx";
import { formatDateTime, formatDeadline, orgDisplayName } from "~/components/names.ts";
import { TallyText, TermsTable } from "~/components/notice-bits.tsx";
import { FileForm, ObjectionForm, ReviewOpinions } from "~/components/procedure-forms.tsx";
import { parseReviewRows } from "~/domain/review.ts";
import { agreementActionSchema } from "~/domain/agreement-validation.ts";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import { reviewEndsAt } from "~/domain/procedure.ts";
import { BALLOT_CHOICES, parseRollInput, VOTE_LIMITS } from "~/domain/ratification.ts";
import { idSchema, type FieldErrors } from "~/domain/validation.ts";
import { clientIp, formFailure, parseFormData, runAction, runLoader, type FormFailure, sessionIdParam } from "~/http/forms.server.ts";
import { castBallot, closeRatification, getAgreementView, openRatification, signAgreement } from "~/models/agreement.server.ts";
import { listSessionFeedback, moderateFeedback } from "~/models/feedback.server.ts";
import { getSessionNotices } from "~/models/session-notices.server.ts";
import { applyProcedureEvent } from "~/models/session.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "sessionFrame.agreement" };

/** Private to the session and its voters: never stored by a browser cache or a proxy. */
export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const sessionId = sessionIdParam(params);
    const view = await getAgreementView({ actor, sessionId });
    const [notices, feedback] = view.member ? await Promise.all([getSessionNotices({ actor, sessionId }), listSessionFeedback({ actor, sessionId })]) : [null, null];
    return json({ ...view, notices, feedback }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

function failure(formData: FormData, fieldErrors: FieldErrors, status = 400) {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string" && key !== "password") values[key] = value.slice(0, 100_000);
  return formFailure({ ok: false, formError: null, fieldErrors, values }, status);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, agreementActionSchema);
  if (!parsed.ok) return formFailure(parsed);
  const input = parsed.data;
  const ctx = { ip: clientIp(context), userAgent: request.headers.get("User-Agent"), loginSessionId: (await getAuth(request)).session?.id ?? null };
  return runAction(formData, async () => {
    const sessionId = sessionIdParam(params);
    const back = (notice: string) => redirect(`/sessions/${sessionId}/agreement?notice=${notice}`);
    switch (input.intent) {
      case "openVote": {
        const byEnterprise: Record<string, string> = {};
        for (const [key, value] of formData.entries()) {
          if (key.startsWith("roll_") && typeof value === "string" && idSchema.safeParse(key.slice(5)).success) byEnterprise[key.slice(5)] = value;
        }
        const roll = parseRollInput(byEnterprise);
        if (!roll.ok) return failure(formData, { [roll.field]: [roll.message] });
        await openRatification({ actor, ctx, sessionId, input: { secret: input.secret, closesInHours: input.closesInHours, roll: roll.roll } });
        return back("voteOpened");
      }
      case "castBallot":
        await castBallot({ actor, ctx, sessionId, choice: input.choice });
        return back("voted");
      case "closeVote":
        await closeRatification({ actor, ctx, sessionId });
        return back("voteClosed");
      case "signAgreement":
        await signAgreement({ actor, ctx, sessionId, password: input.password });
        return back("signed");
      case "file":
        await applyProcedureEvent({ actor, ctx, sessionId, action: "file", answers: input.answers });
        return back("filed");
      case "object":
        {
          const opinion = parseReviewRows(input.clause, input.reason);
          if (!opinion.ok) return failure(formData, opinion.errors);
          await applyProcedureEvent({ actor, ctx, sessionId, action: "object", opinion: opinion.items });
        }
        return back("objected");
      case "moderateFeedback":
        await moderateFeedback({ actor, ctx, sessionId, feedbackId: input.feedbackId, status: input.status });
        return back("moderated");
    }
  });
}

type View = ReturnType<typeof useLoaderData<typeof loader>>;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="session-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function FieldError({ failure, name }: { failure?: FormFailure; name: string }) {
  return <FieldMessages id={fieldId(name)} errors={failure?.fieldErrors[name]} />;
}

function OpenVoteForm({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const values = failure?.values.intent === "openVote" ? failure.values : undefined;
  const ruleSource = i18n.language === "en" ? PROCEDURE_RULES.ratification.source.en : PROCEDURE_RULES.ratification.source.zh;
  return (
    <Form method="post" className="stack" aria-labelledby="open-vote">
      <h3 id="open-vote">{t("ratification.openTitle")}</h3>
      <p className="meta">{t("ratification.openIntro", { source: ruleSource })}</p>
      <input type="hidden" name="intent" value="openVote" />
      <p>
        {t("ratification.scope")}
        {t("common.colon")}
        {t(`ratification.scope${view.ratificationPractice}`)} <span className="meta">{t("ratification.scopeChosenInProposal")}</span>
      </p>
      {!view.covered ? <p className="meta">{t("ratification.noCovered")}</p> : null}
      <label className="checkbox">
        <input type="checkbox" name="secret" defaultChecked={values ? values.secret === "on" : true} /> {t("ratification.secret")}
      </label>
      <p className="meta">{t("ratification.secretHint")}</p>
      <label htmlFor="f-closesInHours">{t("ratification.closesInHours")}</label>
      <input id="f-closesInHours" name="closesInHours" type="number" inputMode="numeric" min={VOTE_LIMITS.minHours} max={VOTE_LIMITS.maxDays * 24} defaultValue={(values?.closesInHours as string) ?? "72"} required {...invalidProps("f-closesInHours", failure?.fieldErrors.closesInHours, "closes-hint")} />
      <p id="closes-hint" className="meta">{t("ratification.closesHint", { days: VOTE_LIMITS.maxDays })}</p>
      <FieldError failure={failure} name="closesInHours" />
      {view.enterprises.map((enterprise) => (
        <div key={enterprise.id} className="stack">
          <label htmlFor={`f-roll_${enterprise.id}`}>{t("ratification.rollFor", { name: orgDisplayName(enterprise, i18n.language) })}</label>
          <textarea id={`f-roll_${enterprise.id}`} name={`roll_${enterprise.id}`} rows={4} maxLength={50_000} defaultValue={(values?.[`roll_${enterprise.id}`] as string) ?? ""} {...invalidProps(`f-roll_${enterprise.id}`, failure?.fieldErrors[`roll_${enterprise.id}`], "roll-hint")} />
          <FieldError failure={failure} name={`roll_${enterprise.id}`} />
        </div>
      ))}
      <p id="roll-hint" className="meta">{t("ratification.rollHint")}</p>
      <FieldError failure={failure} name="roll" />
      <button type="submit" className="button">
        {t("ratification.open")}
      </button>
    </Form>
  );
}

/** States in which the last passed vote's text has been reopened for bargaining: a new vote is needed. */
const REOPENED_STATES = new Set(["BARGAINING", "SUSPENDED", "DRAFT_AGREED"]);

function Ratification({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const { vote } = view;
  const names = Object.fromEntries(view.enterprises.map((enterprise) => [enterprise.id, orgDisplayName(enterprise, i18n.language)]));
  return (
    <>
      {view.capabilities.open ? <OpenVoteForm view={view} failure={failure} /> : null}
      {!vote && !view.capabilities.open ? <p>{t("agreement.noVote")}</p> : null}
      {vote ? (
        <>
          <p className="meta">
            {vote.secret ? t("ratification.secretBallot") : t("ratification.openBallot")} · {t(`ratification.scope${vote.scope}`)}
          </p>
          {!vote.closedAt ? (
            <>
              <p role="status" data-testid="vote-status">
                {t("ratification.status", { voted: vote.votedCount, roll: vote.rollSize, closesAt: formatDateTime(vote.closesAt, i18n.language) })}
              </p>
              <p className="meta">{t("ratification.resultsHidden")}</p>
            </>
          ) : (
            <>
              {/* A text that passed and was since reopened (both chiefs, or the bureau's review opinion) is no longer the ratified text (issue 23, item 2). */}
              <p role="status" data-testid="vote-result" className={vote.passed && !REOPENED_STATES.has(view.session.state) ? "notice" : "form-error"}>
                {vote.passed ? (REOPENED_STATES.has(view.session.state) ? t("ratification.passedThenReopened") : t("ratification.passed")) : t("ratification.failed")}
              </p>
              <TallyText tally={(vote.outcome?.tally ?? null) as never} rule={(vote.outcome?.rule ?? null) as never} names={names} />
            </>
          )}
          {view.myBallot ? (
            view.capabilities.vote ? (
              <Form method="post" className="stack ballot-form">
                <input type="hidden" name="intent" value="castBallot" />
                <fieldset className="checkbox-group">
                  <legend>{t("ratification.yourBallot")}</legend>
                  {BALLOT_CHOICES.map((choice) => (
                    <label key={choice} className="checkbox">
                      <input type="radio" name="choice" value={choice} required /> {t(`ratification.choice.${choice}`)}
                    </label>
                  ))}
                </fieldset>
                <FieldError failure={failure} name="choice" />
                <button type="submit" className="button">
                  {t("ratification.cast")}
                </button>
              </Form>
            ) : view.myBallot.voted && !vote.closedAt ? (
              <p className="notice">{t("ratification.youVoted")}</p>
            ) : null
          ) : null}
          {view.capabilities.close ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="closeVote" />
              <button type="submit" className="button">
                {t("ratification.close")}
              </button>
            </Form>
          ) : null}
          {vote.roll.length ? (
            <details>
              <summary>{t("ratification.roll")}</summary>
              <ul>
                {vote.roll.map((row, index) => (
                  <li key={index}>
                    {row.name} · {names[row.enterpriseId] ?? ""} · {row.voted ? t("ratification.voted") : t("ratification.notVoted")}
                    {row.choice ? ` · ${t(`ratification.choice.${row.choice}`)}` : ""}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <p className="meta">
            {t("agreement.contentHash")}: <code data-testid="content-hash">{vote.contentHash}</code>
          </p>
          {view.content ? (
            <details>
              <summary>{t("agreement.showContent")}</summary>
              <p className="meta">{t("agreement.frozenAt", { at: formatDateTime(vote.openedAt, i18n.language) })}</p>
              <TermsTable terms={view.content.terms} caption={t("notice.termsTable")} industry={view.session.industry} />
              <pre className="agreement-text">{view.content.text}</pre>
            </details>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function Signatures({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <p className="meta">{t("signing.intro")}</p>
      <ul className="signatures">
        {(["WORKER", "EMPLOYER"] as const).map((side) => {
          const signature = view.signatures.find((candidate) => candidate.side === side);
          return (
            <li key={side} data-testid={`signature-${side}`}>
              {signature
                ? t("signing.signed", { side: t(`side.${side}`), name: signature.user.displayName, at: formatDateTime(signature.signedAt, i18n.language), hash: `${signature.contentHash.slice(0, 16)}…` })
                : t("signing.notSigned", { side: t(`side.${side}`) })}
            </li>
          );
        })}
      </ul>
      {view.capabilities.sign ? (
        <Form method="post" className="stack sign-form">
          <input type="hidden" name="intent" value="signAgreement" />
          <label htmlFor="f-password">{t("signing.password")}</label>
          <input id="f-password" name="password" type="password" autoComplete="current-password" required maxLength={200} {...invalidProps("f-password", failure?.values.intent === "signAgreement" ? failure.fieldErrors.password : undefined)} />
          <FieldError failure={failure?.values.intent === "signAgreement" ? failure : undefined} name="password" />
          <button type="submit" className="button">
            {t("signing.sign")}
          </button>
        </Form>
      ) : null}
    </>
  );
}

function Filing({ view, failure }: { view: View; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const { session } = view;
  // Counted as the law counts days: to 24:00 China time of the 15th day, past rest days.
  const reviewUntil = session.filedAt ? reviewEndsAt(new Date(session.filedAt)) : null;
  return (
    <>
      {view.fileDueAt ? <p>{t("filing.due", { at: formatDeadline(view.fileDueAt, i18n.language), days: PROCEDURE_RULES.fileWithinDays.value })}</p> : null}
      {session.filedAt && reviewUntil ? <p>{t("filing.filed", { at: formatDateTime(session.filedAt, i18n.language), days: PROCEDURE_RULES.reviewDays.value, until: formatDeadline(reviewUntil, i18n.language) })}</p> : null}
      <p className="meta">{t("filing.reviewIntro")}</p>
      <ReviewOpinions opinions={view.reviewOpinions} />
      {view.capabilities.file ? <FileForm opinion={view.reviewOpinions.find((opinion) => opinion.answeredAt === null) ?? null} failure={failure} /> : null}
      {view.capabilities.object ? <ObjectionForm failure={failure} /> : null}
    </>
  );
}

function Publication({ view }: { view: View }) {
  const { t, i18n } = useTranslation();
  const notices = view.notices;
  if (!notices || notices.versions.length === 0) return <p>{t("publication.none")}</p>;
  const latest = notices.versions.filter((version) => version.latest).at(-1);
  return (
    <>
      <ul>
        {notices.versions.map((version) => (
          <li key={version.id}>
            <Link to={`/notices/${version.noticeId}/v/${version.version}`}>{t("publication.version", { version: version.version })}</Link> · {t(`notice.kind.${version.kind}`)} ·{" "}
            {formatDateTime(version.publishedAt, i18n.language)} · <code>{version.hash.slice(0, 16)}…</code>
          </li>
        ))}
      </ul>
      {latest && view.canProposeChange ? (
        <div className="card stack">
          <p className="meta">{t("amendment.explain")}</p>
          <p>
            <Link className="button" to={`/sessions/new?purpose=AMENDMENT&continues=${latest.noticeId}`}>
              {t("amendment.proposeAmendment")}
            </Link>{" "}
            <Link className="button-danger" to={`/sessions/new?purpose=TERMINATION&continues=${latest.noticeId}`}>
              {t("amendment.proposeTermination")}
            </Link>
          </p>
        </div>
      ) : null}
    </>
  );
}

function Feedback({ view }: { view: View }) {
  const { t, i18n } = useTranslation();
  const feedback = view.feedback;
  if (!feedback) return null;
  return (
    <>
      <p>{t("feedbackAdmin.summary", { total: feedback.total, pending: feedback.pending })}</p>
      <p className="meta">{t("feedbackAdmin.anonymous")}</p>
      {feedback.byTopic.length ? (
        <table className="data-table" data-testid="feedback-by-topic">
          <caption>{t("feedbackAdmin.byTopic")}</caption>
          <tbody>
            {feedback.byTopic.map((row) => (
              <tr key={row.topic}>
                <th scope="row">{t(`topic.${row.topic}`)}</th>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("feedbackAdmin.none")}</p>
      )}
      <ul className="card-list">
        {feedback.items.map((item) => (
          <li key={item.id} className="card">
            <p className="meta">
              {t(`topic.${item.topic}`)} · {t("feedbackAdmin.version", { version: item.version })} · {formatDateTime(item.createdAt, i18n.language)} · {t(`feedbackAdmin.status.${item.status}`)}
            </p>
            <p>{item.body}</p>
            {feedback.moderator && item.status === "PENDING" ? (
              <div className="actions">
                {(["PUBLISHED", "REJECTED"] as const).map((status) => (
                  <Form key={status} method="post" className="inline-form">
                    <input type="hidden" name="intent" value="moderateFeedback" />
                    <input type="hidden" name="feedbackId" value={item.id} />
                    <input type="hidden" name="status" value={status} />
                    <button type="submit" className={status === "PUBLISHED" ? "button-secondary" : "button-danger"}>
                      {status === "PUBLISHED" ? t("feedbackAdmin.publish") : t("feedbackAdmin.reject")}
                    </button>
                  </Form>
                ))}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

const NOTICES = new Set(["voteOpened", "voted", "voteClosed", "signed", "filed", "objected", "moderated", "updated"]);

export default function AgreementPage() {
  const view = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const notice = searchParams.get("notice");
  return (
    <>
      <h1>{view.session.title}</h1>
      <p className="meta">
        {t("agreement.title")} · {t("session.state", { state: t(`state.${view.session.state}`) })}
      </p>
      {notice && NOTICES.has(notice) && !failure ? <Notice>{t(`agreement.notice.${notice}`)}</Notice> : null}
      <FormError message={failure?.formError} />
      {failure && !failure.formError ? <ErrorSummary fieldErrors={failure.fieldErrors} /> : null}
      <Section id="ratification" title={t("ratification.title")}>
        <Ratification view={view} failure={failure} />
      </Section>
      {view.member ? (
        <>
          <Section id="signing" title={t("signing.title")}>
            <Signatures view={view} failure={failure} />
          </Section>
          <Section id="filing" title={t("filing.title")}>
            <Filing view={view} failure={failure} />
          </Section>
          <Section id="publication" title={t("publication.title")}>
            <Publication view={view} />
          </Section>
          {view.feedback ? (
            <Section id="feedback" title={t("feedbackAdmin.title")}>
              <Feedback view={view} />
            </Section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
