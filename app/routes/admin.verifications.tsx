/**
 * Verifying organizations (issue 18): the requests the signed-in reviewer may decide — the
 * site's operator, every request; a member of a verified labour bureau, the associations and
 * enterprises of its region (app/domain/capabilities.ts `decideVerification`) — each with its
 * evidence, approved or rejected with a reason. "Not found" for anyone else.
 */
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isOperator, requireActor } from "~/auth/actor.server.ts";
import { LIMITS, verificationDecisionSchema } from "~/domain/validation.ts";
import { regionName } from "~/domain/regions.ts";
import { formatDateTime, orgDisplayName } from "~/components/names.ts";
import { FormError, Notice } from "~/components/forms.tsx";
import { VerificationBadge } from "~/components/verification.tsx";
import { clientIp, formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { decideVerificationRequest, listVerificationQueue } from "~/models/organization-verification.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "verification.queueTitle" };

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireActor(request);
  return runLoader(async () => json({ requests: await listVerificationQueue({ actor, operator: isOperator(user) }) }, { headers: { "Cache-Control": "private, no-store" } }));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, actor } = await requireActor(request);
  const formData = await request.formData();
  return runAction(formData, async () => {
    const parsed = parseFormData(formData, verificationDecisionSchema);
    if (!parsed.ok) return formFailure(parsed);
    const { requestId, decision, reason } = parsed.data;
    await decideVerificationRequest({ actor, operator: isOperator(user), ctx: { ip: clientIp(context), userAgent: request.headers.get("User-Agent") }, requestId, approve: decision === "approve", reason });
    return redirect(`/admin/verifications?decided=${decision}`);
  });
}

export default function Verifications() {
  const { requests } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [searchParams] = useSearchParams();
  const decided = searchParams.get("decided");
  return (
    <>
      <h1>{t("verification.queueTitle")}</h1>
      <p>{t("verification.queueIntro")}</p>
      {decided === "approve" || decided === "reject" ? !failure ? <Notice>{t(`verification.decided.${decided}`)}</Notice> : null : null}
      <FormError message={failure?.formError ?? (failure ? Object.values(failure.fieldErrors)[0]?.[0] : undefined)} />
      {requests.length === 0 ? <p>{t("verification.queueEmpty")}</p> : null}
      {requests.map((request) => (
        <article key={request.id} className="card stack" data-testid="verification-request">
          <h2>
            <Link to={`/orgs/${request.organization.slug}`}>{orgDisplayName(request.organization, locale)}</Link> <VerificationBadge status="PENDING" />
          </h2>
          <dl className="facts">
            <dt>{t("orgs.type")}</dt>
            <dd>{t(`orgType.${request.organization.type}`)} · {regionName(request.organization.regionCode, locale)}</dd>
            <dt>{t("verification.registeredName")}</dt>
            <dd>{request.registeredName}</dd>
            <dt>{t("verification.creditCode")}</dt>
            <dd>{request.creditCode}</dd>
            <dt>{t("verification.registrationAuthority")}</dt>
            <dd>{request.registrationAuthority}</dd>
            {request.parentUnionName ? (
              <>
                <dt>{t("verification.parentUnionName")}</dt>
                <dd>{request.parentUnionName}</dd>
              </>
            ) : null}
            <dt>{t("verification.contact")}</dt>
            <dd>
              {request.contactName} · {request.contactPhone} · {request.contactEmail}
            </dd>
            <dt>{t("verification.submittedAt")}</dt>
            <dd>{formatDateTime(request.submittedAt, locale)}</dd>
          </dl>
          <Form method="post" className="stack">
            <input type="hidden" name="requestId" value={request.id} />
            <label htmlFor={`reason-${request.id}`}>{t("verification.reasonLabel")}</label>
            <textarea id={`reason-${request.id}`} name="reason" rows={2} maxLength={LIMITS.reasonMax} />
            <div className="row-actions">
              <button type="submit" name="decision" value="approve" className="button">{t("verification.approve")}</button>
              <button type="submit" name="decision" value="reject" className="button-danger">{t("verification.reject")}</button>
            </div>
          </Form>
        </article>
      ))}
    </>
  );
}
