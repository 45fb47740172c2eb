/**
 * The public notice page: mobile-first, readable without JavaScript. The worker's questions
 * come first (is it in force, from when, what changed, what do I earn), the legal record after
 * (full text, signatures, vote, versions, verification). The page is served without scripts
 * (decision 026): every form, the pay calculator included, is a plain GET or POST form.
 */
import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { VerificationBadge } from "~/components/verification.tsx";
import { PayCalculatorForm } from "~/components/PayCalculator.tsx";
import type { PeriodDraft } from "~/components/pay-draft.ts";
import { FormError, MessageText, Notice } from "~/components/forms.tsx";
import { formatDate, formatDateTime, orgDisplayName } from "~/components/names.ts";
import { TallyText, TermsTable, WhatChangedList } from "~/components/notice-bits.tsx";
import { FEEDBACK_LIMITS, noticeRatificationSchema, type NoticeParty, type NoticeSignature, type WhatChanged } from "~/domain/notice.ts";
import { regionName } from "~/domain/regions.ts";
import { TERMINATION_GROUNDS, type TerminationGround } from "~/domain/amendment.ts";
import { TOPICS } from "~/domain/session-topics.ts";
import { readTerms } from "~/domain/terms.ts";
import type { FieldErrors, Message } from "~/domain/validation.ts";
import type { WageFloor } from "~/domain/rule-checks.ts";
import { RiderSummary } from "~/components/rider-summary.tsx";
import { clauseLabel, ComplaintFiguresTable } from "~/components/complaint-bits.tsx";
import { noticeClauses, type ClauseFigures } from "~/domain/complaints.ts";

/** The shape of a refused form (app/http/forms.server.ts FormFailure), without importing server code. */
type FormFailure = { formError: Message | null; fieldErrors: FieldErrors; values: Record<string, string | string[]> };

type Dateish = string | Date;
export type NoticePageData = {
  version: {
    noticeId: string;
    version: number;
    kind: "AGREEMENT" | "CORRECTION" | "AMENDMENT" | "TERMINATION";
    terminationGround?: string | null;
    title: string;
    text: string;
    terms: unknown;
    industry: string;
    regionCode: string;
    platformSlugs: string[];
    parties: NoticeParty[];
    signatures: NoticeSignature[];
    ratification: unknown;
    correctionReason: string | null;
    publishedAt: Dateish;
    effectiveFrom: Dateish;
    effectiveUntil: Dateish;
    hash: string;
  };
  previous: { version: number; terms: unknown } | null;
  versions: Array<{ version: number; kind: string; publishedAt: Dateish; effectiveFrom: Dateish; status: string }>;
  status: string;
  latest: number;
  changes: WhatChanged;
  feedbackOpen: boolean;
  feedbackCount: number;
  inForce: { date: string; valid: boolean; version: number | null } | null;
  print: boolean;
  thanks: boolean;
  origin: string;
  /** The page's own path (the calculator form submits to it). */
  path: string;
  /** A submitted calculator form, or null for the first example profile. */
  calculator: { draft: PeriodDraft; tooLarge: boolean } | null;
  /** The minimum wage where the agreement applies, against pay at its quota (null for a termination). */
  wageFloor: WageFloor | null;
  /** Complaints about its clauses (issue 25): whether a case can be filed now, and the figures per clause (null for a termination). */
  complaints: { open: boolean; figures: ClauseFigures[] } | null;
};

const yuanOf = (fen: number) => (fen / 100).toFixed(2);

/** The minimum wage in force for the notice's region on its effective date, and how pay at the quota compares (issue 22). */
function WageFloorSection({ floor, region }: { floor: WageFloor; region: string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === "en";
  const standard = floor.standard;
  return (
    <section aria-labelledby="wage-floor" data-testid="wage-floor">
      <h2 id="wage-floor">{t("notice.wageFloor.title")}</h2>
      {standard ? (
        <>
          <p>
            {t(standard.nationwide ? "notice.wageFloor.standardNationwide" : "notice.wageFloor.standard", { region, date: floor.date, minimum: yuanOf(standard.hourlyFen), monthly: yuanOf(standard.monthlyFen), tier: en ? standard.tier.en : standard.tier.zh, effectiveFrom: standard.effectiveFrom })}
            {standard.areaResolved ? "" : ` ${t("notice.wageFloor.highestTier")}`}
          </p>
          {!standard.verified ? <p className="rule-warning" data-testid="wage-floor-unverified">{t("notice.wageFloor.unverified")}</p> : null}
          <p className="meta">{t("rules.source", { source: en ? standard.source.en : standard.source.zh })}</p>
        </>
      ) : (
        <p data-testid="wage-floor-none">{t("notice.wageFloor.noData", { region, date: floor.date })}</p>
      )}
      {floor.atQuota ? (
        <p data-testid="wage-floor-pay">
          {t("notice.wageFloor.pay", { pay: yuanOf(floor.atQuota.perHourFen), perOrder: yuanOf(floor.atQuota.perOrderFen), hours: floor.atQuota.dayMinutes / 60, allowance: floor.atQuota.allowanceMinutes })}{" "}
          {floor.differenceFen === null ? "" : floor.differenceFen >= 0 ? t("notice.wageFloor.above", { difference: yuanOf(floor.differenceFen) }) : t("notice.wageFloor.below", { difference: yuanOf(-floor.differenceFen) })}
        </p>
      ) : (
        <p>{t("notice.wageFloor.noQuota")}</p>
      )}
      {floor.later.length ? (
        <ul>
          {floor.later.map((later) => (
            <li key={later.key}>{t(later.below ? "notice.wageFloor.laterBelow" : "notice.wageFloor.later", { effectiveFrom: later.effectiveFrom, minimum: yuanOf(later.hourlyFen), tier: en ? later.tier.en : later.tier.zh })}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/**
 * A section a worker opens when they want it (the details after the summary): a native
 * <details>, so it folds without a script; open on the print view. A link to its heading's id
 * opens it (browsers expand <details> on fragment navigation).
 */
function Fold({ id, title, open, children }: { id: string; title: string; open: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="fold">
      <details open={open || undefined}>
        <summary>
          <h2 id={id}>{title}</h2>
        </summary>
        {children}
      </details>
    </section>
  );
}

/** The clause a pay question is about: the piece-rate table when the agreement has one, else the base price. */
function payClause(terms: NonNullable<ReturnType<typeof readTerms>>): string {
  const ids = noticeClauses(terms).map((clause) => clause.id);
  return ids.find((id) => id === "pieceRateTable") ?? ids.find((id) => id === "pieceRateBaseFen") ?? ids[0] ?? "";
}

function paragraphs(text: string) {
  return text.split("\n").filter((line) => line.trim() !== "");
}

export function NoticeView({ data, failure }: { data: NoticePageData; failure?: FormFailure }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { version } = data;
  const base = `/notices/${version.noticeId}`;
  const self = `${base}/v/${version.version}`;
  const terms = readTerms(version.terms);
  const previousTerms = data.previous ? readTerms(data.previous.terms) : null;
  const algorithms = terms?.algorithms ?? [];
  const ratification = noticeRatificationSchema.catch(null).parse(version.ratification);
  const enterpriseNames = Object.fromEntries(version.parties.map((party) => [party.slug, orgDisplayName(party, locale)]));
  const platformNames = version.platformSlugs.map((slug) => enterpriseNames[slug] ?? slug);
  const statusClass = data.status === "IN_FORCE" ? "badge badge-ok" : data.status === "NOTICE_PERIOD" ? "badge badge-warn" : "badge";
  return (
    <article className={data.print ? "notice-page print-view" : "notice-page"} aria-labelledby="notice-title">
      {!data.print ? (
        <p className="breadcrumbs no-print">
          <Link to="/notices">{t("notice.listTitle")}</Link>
        </p>
      ) : null}
      <h1 id="notice-title">{version.title}</h1>
      <p className="meta">
        {t(`industry.${version.industry}`)} · {regionName(version.regionCode, locale)}
        {platformNames.length ? ` · ${platformNames.join(t("common.listSeparator"))}` : ""}
      </p>
      <p>
        <strong className={statusClass} data-testid="notice-status">
          {t(`notice.status.${data.status}`)}
        </strong>{" "}
        {t("notice.version", { version: version.version })} · {t(`notice.kind.${version.kind}`)}
      </p>
      {/* The rider's summary comes first, on the first screen of a phone (issue 24); the dates and details after. */}
      {terms && version.kind !== "TERMINATION" ? <RiderSummary terms={terms} industry={version.industry} /> : null}
      <dl className="notice-dates">
        <div>
          <dt>{t("notice.publishedAt")}</dt>
          <dd>
            <time dateTime={new Date(version.publishedAt).toISOString()}>{formatDateTime(version.publishedAt, locale)}</time>
          </dd>
        </div>
        <div>
          <dt>{t("notice.effectiveFrom")}</dt>
          <dd>
            <time dateTime={new Date(version.effectiveFrom).toISOString()}>{formatDateTime(version.effectiveFrom, locale)}</time>
          </dd>
        </div>
        <div>
          <dt>{t("notice.effectiveUntil")}</dt>
          <dd>
            <time dateTime={new Date(version.effectiveUntil).toISOString()}>{formatDate(version.effectiveUntil, locale)}</time>
          </dd>
        </div>
      </dl>
      {version.correctionReason && version.kind === "CORRECTION" ? <p>{t("notice.correctionReason", { reason: version.correctionReason })}</p> : null}
      {data.status === "NOTICE_PERIOD" && !data.print ? (
        <p className="notice" role="status">
          {t("notice.noticePeriod", { date: formatDateTime(version.effectiveFrom, locale) })} <a href="#feedback">{t("feedback.title")}</a>
        </p>
      ) : null}
      {version.version !== data.latest ? (
        <p className="notice" role="status">
          {t("notice.notLatest")} <Link to={`${base}/v/${data.latest}`}>{t("notice.latestLink", { version: data.latest })}</Link>
        </p>
      ) : null}

      {version.kind === "TERMINATION" ? <TerminationBanner version={version} locale={locale} /> : null}

      {version.kind !== "TERMINATION" ? (
        <>
      <section aria-labelledby="what-changed">
        <h2 id="what-changed">{t("notice.whatChanged")}</h2>
        <WhatChangedList changes={data.changes} downloads={data.previous ? { before: `/api/notices/${version.noticeId}/versions/${data.previous.version}`, after: `/api/notices/${version.noticeId}/versions/${version.version}` } : undefined} />
      </section>

      <Fold id="terms" title={t("notice.terms")} open={data.print}>
        <div className="table-scroll">
          <TermsTable terms={(version.terms ?? {}) as Record<string, unknown>} caption={t("notice.termsTable")} industry={version.industry} />
        </div>
      </Fold>

      {data.wageFloor ? <WageFloorSection floor={data.wageFloor} region={regionName(version.regionCode, locale)} /> : null}

      {!data.print ? (
        <section aria-labelledby="calculator" className="no-print" data-testid="calculator-section">
          <h2 id="calculator">{t("notice.calculator")}</h2>
          {/* The pay calculator of issue 5 (app/components/PayCalculator.tsx), with the worker's own numbers. */}
          {terms ? (
            <PayCalculatorForm
              terms={terms}
              previousTerms={previousTerms}
              headingLevel={3}
              action={data.path}
              draft={data.calculator?.draft ?? null}
              tooLarge={data.calculator?.tooLarge ?? false}
              complainHref={data.complaints?.open ? `${base}/complain?clause=${payClause(terms)}` : undefined}
            />
          ) : (
            <p>{t("notice.calculatorSoon")}</p>
          )}
        </section>
      ) : null}
        </>
      ) : null}

      {data.complaints && !data.print ? (
        <section aria-labelledby="complaints" className="no-print" data-testid="complaints-section">
          <h2 id="complaints">{t("complaint.noticeHeading")}</h2>
          <p>{data.complaints.open ? t("complaint.noticeIntro") : t("complaint.noticeClosed")}</p>
          <div className="table-scroll">
            <ComplaintFiguresTable
              figures={data.complaints.figures}
              labels={Object.fromEntries(noticeClauses(terms).map((clause) => [clause.id, clauseLabel(t, clause, version.industry)]))}
              fileHref={data.complaints.open ? (clause) => `${base}/complain?clause=${encodeURIComponent(clause)}${clause.startsWith("penaltyRules:") ? "&kind=PENALTY_APPEAL" : ""}` : null}
            />
          </div>
          <p className="meta">{t("complaint.figuresNote")}</p>
          <p>
            <a href="/complaints/track">{t("complaint.trackLink")}</a>
          </p>
        </section>
      ) : null}

      {algorithms.length ? (
        <Fold id="algorithms" title={t("notice.algorithms")} open={data.print}>
          <ul className="card-list">
            {algorithms.map((entry, index) => (
              <li key={index} className="card">
                <h3>
                  {t(`algorithmKind.${entry.kind}`)} · {entry.name}
                </h3>
                {entry.decides ? <p>{t("notice.algorithmDecides", { text: entry.decides })}</p> : null}
                {entry.parameters.length ? (
                  <ul>
                    {entry.parameters.map((parameter, position) => (
                      <li key={position}>
                        {parameter.name} · {t("notice.percent", { value: (parameter.weightBp / 100).toFixed(0) })}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {entry.estimatePolicy ? <p>{t(`estimatePolicy.${entry.estimatePolicy}`)}</p> : null}
                {entry.humanReview ? <p>{t("notice.algorithmReview", { text: entry.humanReview, days: entry.reviewAnswerDays })}</p> : null}
              </li>
            ))}
          </ul>
        </Fold>
      ) : null}

      <Fold id="full-text" title={t("notice.text")} open={data.print}>
        <div className="agreement-body">
          {paragraphs(version.text).map((line, index) => (
            <p key={index}>{line}</p>
          ))}
        </div>
      </Fold>

      <Fold id="signatures" title={t("notice.signatures")} open={data.print}>
        <ul>
          {version.signatures.map((signature) => (
            <li key={signature.side}>
              {t("notice.signedBy", { side: t(`side.${signature.side}`), name: signature.name, organization: signature.organization ?? "—", at: formatDateTime(signature.signedAt, locale) })}
            </li>
          ))}
        </ul>
        {ratification?.tally ? (
          <>
            <h3>{t("notice.ratification")}</h3>
            <TallyText tally={ratification.tally as never} rule={(ratification.rule ?? null) as never} names={{}} />
          </>
        ) : null}
        <h3>{t("notice.parties")}</h3>
        <ul>
          {version.parties.map((party) => (
            <li key={party.slug}>
              {orgDisplayName(party, locale)} · {t(`notice.partyRole.${party.role}`)} · <PartyProvenance party={party} />
            </li>
          ))}
        </ul>
      </Fold>

      {!data.print ? (
        <section aria-labelledby="feedback" id="feedback-section" className="no-print">
          <h2 id="feedback">{t("feedback.title")}</h2>
          {data.thanks ? <Notice>{t("feedback.thanks")}</Notice> : null}
          {data.feedbackOpen ? (
            <Form method="post" className="stack" preventScrollReset>
              <p className="meta">{t("feedback.privacy")}</p>
              <FormError message={failure?.formError} />
              <label htmlFor="f-topic">{t("feedback.topic")}</label>
              <select id="f-topic" name="topic" defaultValue={(failure?.values.topic as string) ?? "pieceRate"}>
                {TOPICS.map((topic) => (
                  <option key={topic} value={topic}>
                    {t(`topic.${topic}`)}
                  </option>
                ))}
              </select>
              <label htmlFor="f-body">{t("feedback.body")}</label>
              <textarea id="f-body" name="body" rows={4} maxLength={FEEDBACK_LIMITS.bodyMax} required defaultValue={(failure?.values.body as string) ?? ""} aria-invalid={failure?.fieldErrors.body ? true : undefined} />
              {failure?.fieldErrors.body ? (
                <p className="field-errors" role="alert">
                  <MessageText message={failure.fieldErrors.body[0]!} />
                </p>
              ) : null}
              <button type="submit" className="button">
                {t("feedback.submit")}
              </button>
            </Form>
          ) : (
            <p>{t("feedback.closed")}</p>
          )}
          <p className="meta">{t("feedback.count", { count: data.feedbackCount })}</p>
        </section>
      ) : null}

      <section aria-labelledby="versions">
        <h2 id="versions">{t("notice.versions")}</h2>
        <ol className="versions-list">
          {data.versions.map((row) => (
            <li key={row.version}>
              {row.version === version.version ? <strong>{t("notice.version", { version: row.version })}</strong> : <Link to={`${base}/v/${row.version}`}>{t("notice.version", { version: row.version })}</Link>} · {t(`notice.kind.${row.kind}`)} ·{" "}
              {formatDate(row.effectiveFrom, locale)} · {t(`notice.status.${row.status}`)}
            </li>
          ))}
        </ol>
        {!data.print ? (
          <Form method="get" className="inline-form in-force-form no-print" action={self}>
            <label htmlFor="f-on">{t("notice.inForceDate")}</label>
            <input id="f-on" name="on" type="date" defaultValue={data.inForce?.date ?? ""} required />
            <button type="submit" className="button-secondary">
              {t("notice.inForceAsk")}
            </button>
          </Form>
        ) : null}
        {data.inForce ? (
          <p role="status" data-testid="in-force-answer">
            {!data.inForce.valid
              ? t("notice.badDate")
              : data.inForce.version
                ? t("notice.inForceAnswer", { date: data.inForce.date, version: data.inForce.version })
                : t("notice.inForceNone", { date: data.inForce.date })}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="tools" className="notice-tools">
        <h2 id="tools">{t("notice.moreTools")}</h2>
        <p className="meta">
          {t("notice.hash")}: <code className="hash">{version.hash}</code>
        </p>
        <figure className="qr">
          <img src={`${base}/qr`} width={164} height={164} alt={t("notice.qrAlt")} />
          <figcaption>
            {t("notice.qr")}
            <br />
            <span className="meta">{`${data.origin}${base}`}</span>
          </figcaption>
        </figure>
        {!data.print ? (
          <ul className="tool-links no-print">
            <li>
              <Link to={`${base}/verify`}>{t("notice.verify")}</Link>
            </li>
            <li>
              <a href={`${self}?print=1`}>{t("notice.print")}</a>
            </li>
            <li>
              <a href={`/api/notices/${version.noticeId}/versions/${version.version}`}>{t("notice.json")}</a>
            </li>
            <li>
              <a href={`/feeds/industry/${version.industry}`}>
                {t("notice.feed")} · {t(`industry.${version.industry}`)}
              </a>
            </li>
            <li>
              <a href={`/feeds/region/${version.regionCode}`}>
                {t("notice.feed")} · {regionName(version.regionCode, locale)}
              </a>
            </li>
            {version.platformSlugs.map((slug) => (
              <li key={slug}>
                <a href={`/feeds/platform/${slug}`}>
                  {t("notice.feed")} · {enterpriseNames[slug] ?? slug}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </article>
  );
}

/** A party's verification when the version was published, and its unified social credit code (issue 18). */
export function PartyProvenance({ party }: { party: NoticeParty }) {
  const { t } = useTranslation();
  if (!party.verification) return <span data-testid="party-provenance">{t("verification.notRecorded")}</span>;
  return (
    <span data-testid="party-provenance" data-verification={party.verification.status}>
      <VerificationBadge status={party.verification.status} />
      {party.verification.creditCode ? ` ${t("verification.creditCode")} ${party.verification.creditCode}` : ""}
    </span>
  );
}

/** A termination's notice: the agreement no longer applies, from when, on which ground and why (art. 40). */
function TerminationBanner({ version, locale }: { version: NoticePageData["version"]; locale: string }) {
  const { t } = useTranslation();
  const ground = version.terminationGround && version.terminationGround in TERMINATION_GROUNDS ? (version.terminationGround as TerminationGround) : null;
  return (
    <div className="notice termination" role="status" data-testid="termination">
      <p>
        <strong>{t("amendment.terminatedBanner", { date: formatDate(version.effectiveFrom, locale) })}</strong>
      </p>
      {ground ? <p>{t("amendment.terminatedGround", { ground: t(`amendment.ground${ground}`), source: TERMINATION_GROUNDS[ground][locale === "en" ? "en" : "zh"] })}</p> : null}
      {version.correctionReason ? <p className="wrap-anywhere">{t("amendment.terminatedReason", { reason: version.correctionReason })}</p> : null}
    </div>
  );
}
