/**
 * Filing a complaint or a penalty appeal about one clause of a notice in force (issue 25, item 2):
 * which clause, what happened, when, the platform's order or penalty number, optional photos, and
 * whether the platform may see who is filing (default: no). A worker's account is needed: a
 * visitor is sent to the phone sign-in and brought back. The receipt code is shown once.
 */
import { json, redirect, unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, MaxPartSizeExceededError, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ChoiceGroup, ErrorSummary, FieldMessages, fieldId, FormError, invalidProps, SelectField, TextAreaField, TextField, useValidatedForm } from "~/components/forms.tsx";
import { clauseLabel } from "~/components/complaint-bits.tsx";
import { formatDateTime } from "~/components/names.ts";
import { CASE_KINDS, COMPLAINT_LIMITS, complaintFilingSchema, complaintFilingWithPlatformSchema, PHOTO_TYPES } from "~/domain/complaints.ts";
import { DomainError } from "~/domain/errors.ts";
import { chinaDate } from "~/domain/periods.ts";
import { failureFromError, formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { getActor } from "~/auth/actor.server.ts";
import { fileComplaint, filingContext } from "~/models/complaint.server.ts";
import { noticeIdSchema } from "~/notices/http.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "complaint.fileTitle" };

function noticeIdOf(params: { id?: string }) {
  const id = noticeIdSchema.safeParse(params.id);
  if (!id.success) throw new DomainError("notFound");
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const signedIn = await getActor(request);
  if (!signedIn) throw redirect(`/worker/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  return runLoader(async () => {
    const noticeId = noticeIdOf(params);
    const context = await filingContext(noticeId);
    const clause = url.searchParams.get("clause") ?? "";
    const kind = url.searchParams.get("kind") === "PENALTY_APPEAL" ? "PENALTY_APPEAL" : "COMPLAINT";
    // From the pay calculator's result: what it computed, in fen, to start the description with.
    const fen = (name: string) => {
      const raw = url.searchParams.get(name) ?? "";
      return /^-?\d{1,10}$/.test(raw) ? Number(raw) : null;
    };
    const calculated = fen("gross") !== null && fen("net") !== null ? { gross: (fen("gross")! / 100).toFixed(2), net: (fen("net")! / 100).toFixed(2) } : null;
    return json({
      noticeId,
      title: context.version.title,
      version: context.version.version,
      industry: context.version.industry,
      clauses: context.clauses,
      platforms: context.platforms,
      rule: context.rule,
      clause: context.clauses.some((candidate) => candidate.id === clause) ? clause : "",
      kind,
      calculated,
      worker: signedIn.user.email === null,
      today: chinaDate(new Date()).toString(),
    });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const signedIn = await getActor(request);
  if (!signedIn) throw redirect("/worker/login");
  // Photos are read into memory one part at a time, each at most photoBytesMax (the request as a
  // whole is bounded at the edge, COMPLAINT_BODY_LIMIT); text fields as strings.
  let formData: FormData;
  try {
    formData = request.headers.get("content-type")?.startsWith("multipart/form-data")
      ? await unstable_parseMultipartFormData(
          request,
          unstable_composeUploadHandlers(
            unstable_createMemoryUploadHandler({
              maxPartSize: COMPLAINT_LIMITS.photoBytesMax,
              // Only the photo field may carry files; an empty file input sends an empty part.
              filter: ({ name, filename }) => (filename ? name === "photos" : true),
            }),
          ),
        )
      : await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return formFailure(failureFromError(new DomainError("complaint.photo.tooLarge", { field: "photos", params: { number: 1, mb: COMPLAINT_LIMITS.photoBytesMax / 1024 / 1024 } })), 413);
    throw error;
  }
  // An agreement binding several platforms asks which one (the form shows the choice then).
  const choosesPlatform = formData.has("platform");
  const parsed = parseFormData(formData, choosesPlatform ? complaintFilingWithPlatformSchema : complaintFilingSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const noticeId = noticeIdOf(params);
    const files = formData.getAll("photos").filter((value): value is File => typeof value !== "string" && value.size > 0);
    const photos = await Promise.all(files.map(async (file) => ({ bytes: Buffer.from(await file.arrayBuffer()) })));
    const platform = formData.get("platform");
    const filed = await fileComplaint({ actor: signedIn.actor, noticeId, filing: parsed.data, platform: typeof platform === "string" && platform ? platform : undefined, photos });
    return json({ ok: true as const, id: filed.id, number: filed.number, receipt: filed.receipt, dueAt: filed.dueAt?.toISOString() ?? null }, { headers: { "Cache-Control": "no-store" } });
  });
}

type Filed = { ok: true; id: string; number: string; receipt: string; dueAt: string | null };

export default function FileComplaint() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as FormFailure | Filed | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const failure = answer && !answer.ok ? answer : undefined;
  const { formProps, errors, formError } = useValidatedForm(data.platforms.length > 1 ? complaintFilingWithPlatformSchema : complaintFilingSchema, failure);
  const value = (name: string, fallback: string) => (failure?.values[name] as string | undefined) ?? fallback;
  const label = (id: string) => {
    const clause = data.clauses.find((candidate) => candidate.id === id);
    return clause ? clauseLabel(t, clause, data.industry) : id;
  };
  if (answer?.ok) {
    return (
      <div className="stack">
        <h1>{t("complaint.filedTitle")}</h1>
        <section className="card receipt" aria-labelledby="receipt-heading" data-testid="complaint-receipt">
          <h2 id="receipt-heading">{t("complaint.receiptHeading")}</h2>
          <p>{t("complaint.caseNumber", { number: answer.number })}</p>
          <p>
            {t("complaint.receiptIs")} <strong className="code" data-testid="receipt-code">{answer.receipt}</strong>
          </p>
          <p className="meta">{t("complaint.receiptOnce")}</p>
          <p>{answer.dueAt ? t("complaint.dueBy", { at: formatDateTime(answer.dueAt, locale) }) : t("complaint.noDue")}</p>
        </section>
        <p>
          <Link to={`/complaints/${answer.id}`} className="button">
            {t("complaint.follow")}
          </Link>
        </p>
      </div>
    );
  }
  const ruleText = data.rule.source === "AGREEMENT" ? t("complaint.ruleAgreement", { hours: data.rule.hours }) : data.rule.source === "FOOD_DELIVERY_38" ? t("complaint.ruleFoodDelivery") : t("complaint.ruleNone");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to={`/notices/${data.noticeId}`}>{data.title}</Link>
      </p>
      <h1>{t("complaint.fileTitle")}</h1>
      <p>{t("complaint.fileIntro")}</p>
      <p className="meta">{ruleText}</p>
      {!data.worker ? <p className="notice" role="status">{t("errors.complaint.workersOnly")}</p> : null}
      <ErrorSummary fieldErrors={errors} />
      <Form method="post" encType="multipart/form-data" className="stack" {...formProps}>
        <FormError message={formError} />
        <ChoiceGroup name="kind" legend={t("complaint.kind")} type="radio" errors={errors.kind} options={CASE_KINDS.map((kind) => ({ value: kind, label: t(`complaint.kinds.${kind}`) }))} checked={(kind) => value("kind", data.kind) === kind} />
        <SelectField name="clause" label={t("complaint.clause")} hint={t("complaint.clauseHint")} defaultValue={value("clause", data.clause)} errors={errors.clause} options={[{ value: "", label: t("complaint.chooseClause") }, ...data.clauses.map((clause) => ({ value: clause.id, label: label(clause.id) }))]} />
        {data.platforms.length > 1 ? (
          <SelectField name="platform" label={t("complaint.platform")} defaultValue={value("platform", "")} errors={errors.platform} options={[{ value: "", label: t("complaint.choosePlatform") }, ...data.platforms.map((platform) => ({ value: platform.slug, label: locale === "en" && platform.nameEn ? platform.nameEn : platform.name }))]} />
        ) : null}
        <TextField name="happenedOn" type="date" label={t("complaint.happenedOn")} max={data.today} defaultValue={value("happenedOn", data.today)} errors={errors.happenedOn} />
        <TextAreaField name="body" label={t("complaint.body")} hint={t("complaint.bodyHint")} rows={5} maxLength={COMPLAINT_LIMITS.bodyMax} defaultValue={value("body", data.calculated ? t("complaint.fromCalculatorBody", data.calculated) : "")} errors={errors.body} />
        <TextField name="reference" label={t("complaint.reference")} hint={t("complaint.referenceHint")} maxLength={COMPLAINT_LIMITS.referenceMax} defaultValue={value("reference", "")} errors={errors.reference} />
        <div className="field">
          <label htmlFor={fieldId("photos")}>{t("complaint.photos")}</label>
          <p className="hint" id={`${fieldId("photos")}-hint`}>
            {t("complaint.photosHint", { max: COMPLAINT_LIMITS.photosMax, mb: COMPLAINT_LIMITS.photoBytesMax / 1024 / 1024 })}
          </p>
          <input type="file" id={fieldId("photos")} name="photos" multiple accept={PHOTO_TYPES.join(",")} {...invalidProps(fieldId("photos"), errors.photos, `${fieldId("photos")}-hint`)} />
          <FieldMessages id={fieldId("photos")} errors={errors.photos} />
        </div>
        <ChoiceGroup
          name="shareIdentity"
          legend={t("complaint.shareIdentity")}
          hint={t("complaint.shareIdentityHint")}
          type="radio"
          errors={errors.shareIdentity}
          options={[
            { value: "no", label: t("complaint.shareNo") },
            { value: "yes", label: t("complaint.shareYes") },
          ]}
          checked={(choice) => value("shareIdentity", "no") === choice}
        />
        <button type="submit" className="button">
          {t("complaint.submit")}
        </button>
      </Form>
      <p>
        <Link to="/complaints/track">{t("complaint.trackLink")}</Link>
      </p>
    </div>
  );
}
