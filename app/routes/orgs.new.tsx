import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActor } from "~/auth/actor.server.ts";
import { ErrorSummary, FormError, SelectField, TextField, TextAreaField, useValidatedForm } from "~/components/forms.tsx";
import { ORGANIZATION_TYPES } from "~/domain/actors.ts";
import { REGIONS } from "~/domain/regions.ts";
import { LIMITS, organizationCreateSchema } from "~/domain/validation.ts";
import { formFailure, parseFormData, runAction, type FormFailure } from "~/http/forms.server.ts";
import { createOrganization } from "~/models/organization.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "orgs.createTitle" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActor(request);
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, organizationCreateSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const organization = await createOrganization({ actor, input: parsed.data });
    return redirect(`/orgs/${organization.slug}?notice=created`);
  });
}

export default function NewOrganization() {
  const actionData = useActionData<typeof action>() as FormFailure | undefined;
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const values = actionData?.values ?? {};
  const { formProps, errors, formError } = useValidatedForm(organizationCreateSchema, actionData);
  return (
    <div className="narrow">
      <h1>{t("orgs.createTitle")}</h1>
      <p>{t("orgs.createIntro")}</p>
      <ErrorSummary fieldErrors={errors} />
      <Form method="post" {...formProps} className="stack">
        <FormError message={formError} />
        <TextField name="name" label={t("orgs.name")} required maxLength={LIMITS.orgNameMax} defaultValue={values.name} errors={errors.name} />
        <TextField name="nameEn" label={t("orgs.nameEn")} maxLength={LIMITS.orgNameMax} defaultValue={values.nameEn} errors={errors.nameEn} lang="en" />
        <TextField name="slug" label={t("orgs.slug")} required maxLength={LIMITS.slugMax} hint={t("orgs.slugHint")} defaultValue={values.slug} errors={errors.slug} autoCapitalize="none" spellCheck={false} />
        <SelectField
          name="type"
          label={t("orgs.type")}
          defaultValue={values.type ?? "UNION"}
          errors={errors.type}
          options={ORGANIZATION_TYPES.map((type) => ({ value: type, label: t(`orgType.${type}`) }))}
        />
        <SelectField
          name="regionCode"
          label={t("orgs.region")}
          defaultValue={values.regionCode ?? "330100"}
          errors={errors.regionCode}
          options={REGIONS.map((region) => ({ value: region.code, label: i18n.language === "en" ? region.en : region.zh }))}
        />
        <TextAreaField name="description" label={t("orgs.description")} rows={4} maxLength={LIMITS.orgDescriptionMax} defaultValue={values.description} errors={errors.description} />
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("orgs.submitCreate")}
        </button>
      </Form>
    </div>
  );
}
