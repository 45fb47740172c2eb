import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { decideOrganization } from "~/domain/capabilities.ts";
import { ChoiceGroup, ErrorSummary, FormError, SelectField, TextAreaField, TextField, useValidatedForm } from "~/components/forms.tsx";
import { orgDisplayName } from "~/components/names.ts";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import { SESSION_PURPOSES, TERMINATION_GROUND_KEYS, TERMINATION_GROUNDS } from "~/domain/amendment.ts";
import { REGIONS } from "~/domain/regions.ts";
import { INDUSTRIES, TOPICS } from "~/domain/session-topics.ts";
import { proposalSchema, SESSION_LIMITS } from "~/domain/session-validation.ts";
import { clientIp, formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { listPartyCandidates, proposeSession } from "~/models/session.server.ts";
import { listRenewableSeries } from "~/models/notice.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "sessions.proposeTitle" };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const organizations = await listPartyCandidates({ actor });
    const proposers = organizations.filter((org) => decideOrganization(actor, "proposeSession", org).allowed);
    const series = await listRenewableSeries(proposers.map((org) => org.id));
    // A link from an agreement in force may preselect an amendment or termination of its series.
    const url = new URL(request.url);
    const purpose = SESSION_PURPOSES.find((candidate) => candidate === url.searchParams.get("purpose")) ?? null;
    const continues = series.find((item) => item.noticeId === url.searchParams.get("continues"))?.noticeId ?? null;
    return json({ organizations, proposers, series, preset: { purpose, continues } });
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, proposalSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const { id } = await proposeSession({ actor, ctx: { ip: clientIp(context), userAgent: request.headers.get("User-Agent") }, input: parsed.data });
    return redirect(`/sessions/${id}`);
  });
}

export default function ProposeSession() {
  const { organizations, proposers, series, preset } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const values = failure?.values ?? {};
  const { formProps, errors, formError } = useValidatedForm(proposalSchema, failure);
  const locale = i18n.language;
  const checkboxGroup = (name: string, legend: string, options: Array<{ value: string; label: string }>, hint?: string) => (
    <ChoiceGroup type="checkbox" name={name} legend={legend} hint={hint} options={options} errors={errors[name]} checked={(value) => ([] as string[]).concat(values[name] ?? []).includes(value)} />
  );
  if (proposers.length === 0) {
    return (
      <div className="narrow">
        <h1>{t("sessions.proposeTitle")}</h1>
        <p>{t("sessions.cannotPropose")}</p>
      </div>
    );
  }
  const others = organizations.filter((org) => org.type !== "BUREAU");
  // Unverified organizations say so wherever they are offered (issue 18).
  const tag = (org: { verification: string }) => (org.verification === "VERIFIED" ? "" : ` · ${t(`verification.status.${org.verification}`)}`);
  return (
    <div className="narrow wide-form">
      <h1>{t("sessions.proposeTitle")}</h1>
      <p>{t("sessions.proposeIntro", { days: PROCEDURE_RULES.answerWithinDays.value })}</p>
      <ErrorSummary fieldErrors={errors} />
      <Form method="post" {...formProps} className="stack">
        <FormError message={formError} />
        <SelectField
          name="proposerOrganizationId"
          label={t("sessions.proposer")}
          defaultValue={values.proposerOrganizationId as string | undefined}
          errors={errors.proposerOrganizationId}
          options={proposers.map((org) => ({ value: org.id, label: `${orgDisplayName(org, locale)} (${t(`orgType.${org.type}`)})${tag(org)}` }))}
        />
        <TextField name="title" label={t("sessions.sessionTitle")} required maxLength={SESSION_LIMITS.titleMax} defaultValue={values.title as string | undefined} errors={errors.title} />
        <SelectField name="industry" label={t("sessions.industry")} defaultValue={(values.industry as string | undefined) ?? "FOOD_DELIVERY"} errors={errors.industry} options={INDUSTRIES.map((value) => ({ value, label: t(`industry.${value}`) }))} />
        <SelectField name="regionCode" label={t("sessions.region")} defaultValue={(values.regionCode as string | undefined) ?? "330100"} errors={errors.regionCode} options={REGIONS.map((region) => ({ value: region.code, label: locale === "en" ? region.en : region.zh }))} />
        {checkboxGroup("topics", t("sessions.topics"), TOPICS.map((topic) => ({ value: topic, label: t(`topic.${topic}`) })))}
        {checkboxGroup(
          "recipientOrganizationIds",
          t("sessions.recipients"),
          others.map((org) => ({ value: org.id, label: `${orgDisplayName(org, locale)} (${t(`orgType.${org.type}`)})${tag(org)}` })),
          t("sessions.recipientsHint"),
        )}
        {checkboxGroup(
          "coveredOrganizationIds",
          t("sessions.covered"),
          others.filter((org) => org.type === "PLATFORM" || org.type === "PARTNER").map((org) => ({ value: org.id, label: `${orgDisplayName(org, locale)}${tag(org)}` })),
          t("sessions.coveredHint"),
        )}
        {checkboxGroup(
          "observerOrganizationIds",
          t("sessions.observers"),
          organizations.filter((org) => org.type === "BUREAU").map((org) => ({ value: org.id, label: `${orgDisplayName(org, locale)}${tag(org)}` })),
        )}
        <SelectField
          name="purpose"
          label={t("amendment.purpose")}
          hint={t("amendment.purposeHint")}
          defaultValue={(values.purpose as string | undefined) ?? preset.purpose ?? "AGREEMENT"}
          errors={errors.purpose}
          options={SESSION_PURPOSES.map((value) => ({ value, label: t(`amendment.purpose${value}`) }))}
        />
        <SelectField
          name="continuesNoticeId"
          label={t("sessions.continues")}
          hint={t("sessions.continuesHint")}
          defaultValue={(values.continuesNoticeId as string | undefined) ?? preset.continues ?? ""}
          errors={errors.continuesNoticeId}
          options={[{ value: "", label: t("sessions.newSeries") }, ...series.map((item) => ({ value: item.noticeId, label: t("sessions.seriesOption", { title: item.title, version: item.version }) }))]}
        />
        <SelectField
          name="terminationGround"
          label={t("amendment.ground")}
          hint={t("amendment.groundHint")}
          defaultValue={(values.terminationGround as string | undefined) ?? ""}
          errors={errors.terminationGround}
          options={[{ value: "", label: t("amendment.groundNone") }, ...TERMINATION_GROUND_KEYS.map((value) => ({ value, label: `${t(`amendment.ground${value}`)} (${TERMINATION_GROUNDS[value][locale === "en" ? "en" : "zh"]})` }))]}
        />
        <TextAreaField name="terminationReason" label={t("amendment.reason")} rows={3} maxLength={SESSION_LIMITS.reasonsMax} defaultValue={values.terminationReason as string | undefined} errors={errors.terminationReason} />
        <TextField
          name="representativesPerSide"
          type="number"
          min={PROCEDURE_RULES.minRepresentativesPerSide.value}
          max={PROCEDURE_RULES.maxRepresentativesPerSide.value}
          label={t("sessions.representativesPerSide")}
          hint={t("sessions.representativesHint", { min: PROCEDURE_RULES.minRepresentativesPerSide.value, source: PROCEDURE_RULES.minRepresentativesPerSide.source[locale === "en" ? "en" : "zh"] })}
          defaultValue={(values.representativesPerSide as string | undefined) ?? "3"}
          errors={errors.representativesPerSide}
        />
        <TextField
          name="termMonths"
          type="number"
          min={PROCEDURE_RULES.termMonths.value.min}
          max={PROCEDURE_RULES.termMonths.value.max}
          label={t("sessions.termMonths")}
          hint={t("sessions.termHint", { source: PROCEDURE_RULES.termMonths.source[locale === "en" ? "en" : "zh"] })}
          defaultValue={(values.termMonths as string | undefined) ?? "24"}
          errors={errors.termMonths}
        />
        <ChoiceGroup
          type="radio"
          name="ratificationPractice"
          legend={t("ratification.scope")}
          hint={t("ratification.scopeChosenInProposal")}
          options={(["ORDINARY", "AGREED_PER_ENTERPRISE"] as const).map((practice) => ({ value: practice, label: t(`ratification.scope${practice}`) }))}
          errors={errors.ratificationPractice}
          checked={(practice) => ((values.ratificationPractice as string | undefined) ?? "ORDINARY") === practice}
        />
        <TextAreaField name="proposalText" label={t("sessions.proposalText")} rows={8} maxLength={SESSION_LIMITS.proposalMax} defaultValue={values.proposalText as string | undefined} errors={errors.proposalText} />
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("sessions.submitProposal")}
        </button>
      </Form>
    </div>
  );
}
