import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireActor } from "~/auth/actor.server.ts";
import { ErrorSummary, FormError, Notice, SelectField, TextField, useValidatedForm } from "~/components/forms.tsx";
import { formatDate, formatDateTime, orgDisplayName } from "~/components/names.ts";
import { MEMBERSHIP_ROLES } from "~/domain/actors.ts";
import { regionName } from "~/domain/regions.ts";
import { LIMITS, idSchema, invitationCreateSchema, membershipRoleSchema, organizationUpdateSchema, slugSchema, verificationRequestSchema } from "~/domain/validation.ts";
import { clientIp, formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { VerificationBadge } from "~/components/verification.tsx";
import { getVerificationRecord, submitVerification, withdrawVerification } from "~/models/organization-verification.server.ts";
import { DomainError } from "~/domain/errors.ts";
import {
  changeMemberRole,
  createInvitation,
  getOrganization,
  leaveOrganization,
  removeMember,
  revokeInvitation,
  updateOrganization,
} from "~/models/organization.server.ts";
import type { RouteHandle } from "~/root.tsx";
import { INVITE_CODE, workerCodeCreateSchema } from "~/domain/worker-auth.ts";
import { createWorkerInvitationCode } from "~/models/worker-auth.server.ts";

export const handle: RouteHandle = { title: ({ data, language }) => orgDisplayName((data as { organization: { name: string; nameEn?: string | null } }).organization, language) };

function parseSlug(params: { slug?: string }): string {
  const parsed = slugSchema.safeParse(params.slug);
  if (!parsed.success) throw new DomainError("notFound");
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const view = await getOrganization({ actor, slug: parseSlug(params) });
    return json({ ...view, verificationRecord: await getVerificationRecord({ actor, organizationId: view.organization.id }) }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("changeRole"), membershipId: idSchema, role: membershipRoleSchema }),
  z.object({ intent: z.literal("removeMember"), membershipId: idSchema }),
  z.object({ intent: z.literal("revokeInvitation"), invitationId: idSchema }),
  z.object({ intent: z.literal("leave") }),
  invitationCreateSchema.extend({ intent: z.literal("createInvitation") }),
  verificationRequestSchema.extend({ intent: z.literal("submitVerification") }),
  z.object({ intent: z.literal("withdrawVerification") }),
  organizationUpdateSchema.extend({ intent: z.literal("updateOrganization") }),
  workerCodeCreateSchema.extend({ intent: z.literal("createWorkerCode") }),
], { errorMap: () => ({ message: "validation.choice" }) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const ctx = { ip: clientIp(context), userAgent: request.headers.get("User-Agent") };
  const formData = await request.formData();
  const parsed = parseFormData(formData, ActionSchema);
  if (!parsed.ok) return formFailure(parsed);
  const input = parsed.data;
  return runAction(formData, async () => {
    const { organization } = await getOrganization({ actor, slug: parseSlug(params) });
    const organizationId = organization.id;
    switch (input.intent) {
      case "changeRole":
        await changeMemberRole({ actor, organizationId, membershipId: input.membershipId, role: input.role });
        return redirect(`/orgs/${organization.slug}?notice=roleChanged`);
      case "removeMember":
        await removeMember({ actor, organizationId, membershipId: input.membershipId });
        return redirect(`/orgs/${organization.slug}?notice=memberRemoved`);
      case "revokeInvitation":
        await revokeInvitation({ actor, organizationId, invitationId: input.invitationId });
        return redirect(`/orgs/${organization.slug}?notice=invitationRevoked`);
      case "leave":
        await leaveOrganization({ actor, organizationId });
        return redirect(`/orgs?notice=left`);
      case "submitVerification": {
        const { intent: _intent, ...evidence } = input;
        await submitVerification({ actor, ctx, organizationId, input: evidence });
        return redirect(`/orgs/${organization.slug}?notice=verificationSubmitted#verification`);
      }
      case "withdrawVerification":
        await withdrawVerification({ actor, ctx, organizationId });
        return redirect(`/orgs/${organization.slug}?notice=verificationWithdrawn#verification`);
      case "updateOrganization": {
        const { intent: _intent, ...fields } = input;
        await updateOrganization({ actor, ctx, organizationId, input: fields });
        return redirect(`/orgs/${organization.slug}?notice=updated`);
      }
      case "createWorkerCode": {
        const created = await createWorkerInvitationCode({ actor, organization, expiresInDays: input.expiresInDays, note: input.note });
        return json({ ok: true as const, workerCode: created.code, days: input.expiresInDays });
      }
      case "createInvitation": {
        const invitation = await createInvitation({ actor, organizationId, role: input.role, expiresInDays: input.expiresInDays, note: input.note });
        const link = new URL(`/invite/${invitation.token}`, request.url).toString();
        return json({ ok: true as const, invitationLink: link });
      }
    }
  });
}

const NOTICES = new Set(["created", "roleChanged", "memberRemoved", "invitationRevoked", "verificationSubmitted", "verificationWithdrawn", "updated"]);

export default function OrganizationPage() {
  const { organization, myRole, members, invitations, can, verificationRecord } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (FormFailure | { ok: true; invitationLink: string } | { ok: true; workerCode: string; days: number }) | undefined;
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const notice = searchParams.get("notice");
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const isAdmin = can.manageMembers;
  const update = useValidatedForm(ActionSchema, failure, { intent: "updateOrganization" });
  const invite = useValidatedForm(ActionSchema, failure, { intent: "createInvitation" });
  const workerCode = useValidatedForm(ActionSchema, failure, { intent: "createWorkerCode" });
  return (
    <>
      <h1>
        {orgDisplayName(organization, locale)}{" "}
        <VerificationBadge status={organization.verification} />
      </h1>
      {notice && NOTICES.has(notice) && !actionData ? <Notice>{t(`orgs.${notice}`)}</Notice> : null}
      {/* Errors on fields the visitor cannot see (the hidden ids and intent of a row's button). */}
      <FormError message={failure?.formError ?? (failure?.fieldErrors.membershipId ?? failure?.fieldErrors.invitationId ?? failure?.fieldErrors.intent)?.[0]} />
      <dl className="facts">
        <dt>{t("orgs.type")}</dt>
        <dd>{t(`orgType.${organization.type}`)}</dd>
        <dt>{t("orgs.region")}</dt>
        <dd>{regionName(organization.regionCode, locale)}</dd>
        {organization.parent ? (
          <>
            <dt>{t("orgs.parent")}</dt>
            <dd>
              <Link to={`/orgs/${organization.parent.slug}`}>{orgDisplayName(organization.parent, locale)}</Link>
            </dd>
          </>
        ) : null}
        <dt>{t("verification.creditCode")}</dt>
        <dd data-testid="credit-code">{organization.verification === "VERIFIED" && organization.creditCode ? organization.creditCode : t(`verification.hint.${organization.verification}`)}</dd>
        <dt>{t("orgs.members")}</dt>
        <dd>{t("orgs.memberCount", { count: organization._count.memberships })}</dd>
        {myRole ? (
          <>
            <dt>{t("orgs.role")}</dt>
            <dd>{t("orgs.yourRole", { role: t(`role.${myRole}`) })}</dd>
          </>
        ) : null}
      </dl>
      {organization.description ? <p className="description">{organization.description}</p> : null}
      {organization.children.length ? (
        <section aria-labelledby="children">
          <h2 id="children">{t("orgs.children")}</h2>
          <ul>
            {organization.children.map((child) => (
              <li key={child.slug}>
                <Link to={`/orgs/${child.slug}`}>{orgDisplayName(child, locale)}</Link> · {t(`orgType.${child.type}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <VerificationSection organizationType={organization.type} status={organization.verification} record={verificationRecord} failure={failure} />
      {can.updateOrganization ? (
        <details className="stack" open={failure?.values.intent === "updateOrganization" || undefined}>
          <summary>{t("orgs.edit")}</summary>
          <ErrorSummary fieldErrors={update.errors} />
          <Form method="post" className="stack" {...update.formProps}>
            <input type="hidden" name="intent" value="updateOrganization" />
            <p className="hint">{t("orgs.editHint")}</p>
            <TextField name="name" label={t("orgs.name")} maxLength={LIMITS.orgNameMax} defaultValue={failure?.values.name ?? organization.name} errors={update.errors.name} />
            <TextField name="nameEn" label={t("orgs.nameEn")} maxLength={LIMITS.orgNameMax} defaultValue={failure?.values.nameEn ?? organization.nameEn ?? ""} errors={update.errors.nameEn} />
            <TextField name="description" label={t("orgs.description")} maxLength={LIMITS.orgDescriptionMax} defaultValue={failure?.values.description ?? organization.description ?? ""} errors={update.errors.description} />
            <button type="submit" className="button">{t("orgs.save")}</button>
          </Form>
        </details>
      ) : null}

      <section aria-labelledby="members">
        <h2 id="members">{t("orgs.members")}</h2>
        {members === null ? (
          <p>{t("orgs.membersHidden")}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("orgs.name_col")}</th>
                <th scope="col">{t("orgs.email_col")}</th>
                <th scope="col">{t("orgs.role")}</th>
                <th scope="col">{t("orgs.joined")}</th>
                {isAdmin ? <th scope="col">{t("orgs.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id}>
                  <td data-label={t("orgs.name_col")}>{member.user.displayName}</td>
                  <td data-label={t("orgs.email_col")}>{member.user.email ?? "—"}</td>
                  <td data-label={t("orgs.role")}>{t(`role.${member.role}`)}</td>
                  <td data-label={t("orgs.joined")}>{formatDate(member.createdAt, locale)}</td>
                  {isAdmin ? (
                    <td data-label={t("orgs.actions")} className="row-actions">
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="changeRole" />
                        <input type="hidden" name="membershipId" value={member.id} />
                        <label className="visually-hidden" htmlFor={`role-${member.id}`}>
                          {t("orgs.changeRole")}
                        </label>
                        <select id={`role-${member.id}`} name="role" defaultValue={member.role}>
                          {MEMBERSHIP_ROLES.map((role) => (
                            <option key={role} value={role}>
                              {t(`role.${role}`)}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button-secondary">
                          {t("orgs.save")}
                        </button>
                      </Form>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="removeMember" />
                        <input type="hidden" name="membershipId" value={member.id} />
                        <button type="submit" className="button-danger">
                          {t("orgs.remove")}
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {can.leaveOrganization ? (
          <Form method="post">
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button-secondary">
              {t("orgs.leave")}
            </button>
          </Form>
        ) : null}
      </section>

      {invitations !== null ? (
        <section aria-labelledby="invitations">
          <h2 id="invitations">{t("orgs.invitations")}</h2>
          {actionData?.ok && "invitationLink" in actionData ? (
            <div className="notice" role="status">
              <p>{t("orgs.inviteCreated")}</p>
              <p>
                <input className="invite-link" readOnly value={actionData.invitationLink} aria-label={t("orgs.invitations")} data-testid="invitation-link" />
              </p>
            </div>
          ) : null}
          {invitations.length === 0 ? (
            <p>{t("orgs.noInvitations")}</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("orgs.role")}</th>
                  <th scope="col">{t("orgs.inviteNote")}</th>
                  <th scope="col">{t("orgs.expiresAt")}</th>
                  <th scope="col">{t("orgs.createdBy")}</th>
                  <th scope="col">{t("orgs.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((invitation) => (
                  <tr key={invitation.id}>
                    <td data-label={t("orgs.role")}>{t(`role.${invitation.role}`)}</td>
                    <td data-label={t("orgs.inviteNote")}>{invitation.note}</td>
                    <td data-label={t("orgs.expiresAt")}>{formatDateTime(invitation.expiresAt, locale)}</td>
                    <td data-label={t("orgs.createdBy")}>{invitation.createdBy.displayName}</td>
                    <td data-label={t("orgs.actions")}>
                      <Form method="post">
                        <input type="hidden" name="intent" value="revokeInvitation" />
                        <input type="hidden" name="invitationId" value={invitation.id} />
                        <button type="submit" className="button-danger">
                          {t("orgs.revoke")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ErrorSummary fieldErrors={invite.errors} />
          <Form method="post" className="stack invite-form" {...invite.formProps}>
            <h3>{t("orgs.createInvitation")}</h3>
            <input type="hidden" name="intent" value="createInvitation" />
            <SelectField name="role" label={t("orgs.inviteRole")} defaultValue={failure?.values.role ?? "MEMBER"} errors={invite.errors.role} options={MEMBERSHIP_ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
            <TextField name="expiresInDays" type="number" min={1} max={30} label={t("orgs.inviteExpires")} defaultValue={failure?.values.expiresInDays ?? "7"} errors={invite.errors.expiresInDays} />
            <TextField name="note" label={t("orgs.inviteNote")} maxLength={LIMITS.inviteNoteMax} defaultValue={failure?.values.note} errors={invite.errors.note} />
            <button type="submit" className="button">
              {t("orgs.createInvitation")}
            </button>
          </Form>
        </section>
      ) : null}
      {can.inviteWorkers ? (
        <section aria-labelledby="worker-codes">
          <h2 id="worker-codes">{t("worker.codesTitle")}</h2>
          <p>{t("worker.codesIntro")}</p>
          {actionData?.ok && "workerCode" in actionData ? (
            <p className="notice" role="status" data-testid="worker-code">
              {t("worker.codeCreated", { code: actionData.workerCode, days: actionData.days })}
            </p>
          ) : null}
          <ErrorSummary fieldErrors={workerCode.errors} form="createWorkerCode" />
          <Form method="post" className="stack" {...workerCode.formProps}>
            <input type="hidden" name="intent" value="createWorkerCode" />
            <TextField formKey="createWorkerCode" name="expiresInDays" type="number" min={1} max={INVITE_CODE.expiresInDays.max} label={t("worker.codeExpires")} defaultValue={failure?.values.intent === "createWorkerCode" ? (failure.values.expiresInDays as string) : String(INVITE_CODE.expiresInDays.default)} errors={workerCode.errors.expiresInDays} />
            <TextField formKey="createWorkerCode" name="note" label={t("worker.codeNote")} maxLength={LIMITS.inviteNoteMax} defaultValue={failure?.values.intent === "createWorkerCode" ? (failure.values.note as string) : undefined} errors={workerCode.errors.note} />
            <button type="submit" className="button-secondary">
              {t("worker.createCode")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

type VerificationRecord = ReturnType<typeof useLoaderData<typeof loader>>["verificationRecord"];

/** Verification: where it stands, the latest request and decision, the form, the organization's chain. */
function VerificationSection({ organizationType, status, record, failure }: { organizationType: string; status: string; record: VerificationRecord; failure: FormFailure | undefined }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const latest = record.latest;
  const mine = failure?.values.intent === "submitVerification" ? failure : undefined;
  const { formProps, errors } = useValidatedForm(ActionSchema, failure, { intent: "submitVerification" });
  return (
    <section aria-labelledby="verification-heading" id="verification">
      <h2 id="verification-heading">{t("verification.title")}</h2>
      <p>
        <VerificationBadge status={status} /> {t(`verification.hint.${status}`)}
      </p>
      {latest ? (
        <dl className="facts" data-testid="verification-latest">
          <dt>{t("verification.latest")}</dt>
          <dd>{t(`verification.decision.${latest.status}`)} · {formatDateTime(latest.submittedAt, locale)}</dd>
          <dt>{t("verification.creditCode")}</dt>
          <dd>{latest.creditCode}</dd>
          <dt>{t("verification.registrationAuthority")}</dt>
          <dd>{latest.registrationAuthority}</dd>
          {latest.parentUnionName ? (
            <>
              <dt>{t("verification.parentUnionName")}</dt>
              <dd>{latest.parentUnionName}</dd>
            </>
          ) : null}
          {latest.decidedAs ? (
            <>
              <dt>{t("verification.decidedBy")}</dt>
              <dd>{latest.decidedAs === "OPERATOR" ? t("verification.byOperator") : t("verification.byBureau")}{latest.decidedAt ? ` · ${formatDateTime(latest.decidedAt, locale)}` : ""}</dd>
            </>
          ) : null}
          {latest.reason ? (
            <>
              <dt>{t("verification.reason")}</dt>
              <dd>{latest.reason}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {mine && status === "PENDING" ? <FormError message={Object.values(mine.fieldErrors)[0]?.[0] ?? mine.formError} /> : <ErrorSummary fieldErrors={errors} />}
      {record.mayRequest && status === "PENDING" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="withdrawVerification" />
          <button type="submit" className="button-secondary">{t("verification.withdraw")}</button>
        </Form>
      ) : null}
      {record.mayRequest && status !== "PENDING" ? (
        <Form method="post" className="stack" {...formProps} aria-labelledby="verification-form">
          <h3 id="verification-form">{status === "VERIFIED" ? t("verification.resubmit") : t("verification.submit")}</h3>
          <p className="hint">{t("verification.intro")}</p>
          <input type="hidden" name="intent" value="submitVerification" />
          <TextField name="creditCode" label={t("verification.creditCode")} hint={t("verification.creditCodeHint")} maxLength={18} autoComplete="off" defaultValue={mine?.values.creditCode as string | undefined} errors={errors.creditCode} />
          <TextField name="registrationAuthority" label={t("verification.registrationAuthority")} hint={t("verification.registrationAuthorityHint")} maxLength={LIMITS.authorityMax} defaultValue={mine?.values.registrationAuthority as string | undefined} errors={errors.registrationAuthority} />
          {organizationType === "UNION" ? (
            <TextField name="parentUnionName" label={t("verification.parentUnionName")} hint={t("verification.parentUnionHint")} maxLength={LIMITS.orgNameMax} defaultValue={mine?.values.parentUnionName as string | undefined} errors={errors.parentUnionName} />
          ) : null}
          <TextField name="contactName" label={t("verification.contactName")} maxLength={LIMITS.displayNameMax} defaultValue={mine?.values.contactName as string | undefined} errors={errors.contactName} />
          <TextField name="contactPhone" type="tel" label={t("verification.contactPhone")} maxLength={LIMITS.phoneMax} defaultValue={mine?.values.contactPhone as string | undefined} errors={errors.contactPhone} />
          <TextField name="contactEmail" type="email" label={t("verification.contactEmail")} maxLength={LIMITS.emailMax} defaultValue={mine?.values.contactEmail as string | undefined} errors={errors.contactEmail} />
          <button type="submit" className="button">{t("verification.send")}</button>
        </Form>
      ) : null}
      <details>
        <summary>{t("verification.trail", { count: record.trail.events.length })}</summary>
        <p role="status">{record.trail.verdict.ok ? t("audit.intact", { count: record.trail.verdict.length }) : t("audit.broken", { seq: record.trail.verdict.brokenAt })}</p>
        <ol className="audit-trail" data-testid="organization-trail">
          {record.trail.events.map((event) => (
            <li key={event.seq}>
              {formatDateTime(event.at, locale)} · {t(`verification.event.${event.type}`)}
              {event.actor ? ` · ${event.actor}` : ""}
              {typeof event.payload.reason === "string" ? ` · ${event.payload.reason}` : ""}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
