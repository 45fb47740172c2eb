import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireActor } from "~/auth/actor.server.ts";
import { FormError, Notice, SelectField, TextField } from "~/components/forms.tsx";
import { formatDate, formatDateTime, orgDisplayName } from "~/components/names.ts";
import { MEMBERSHIP_ROLES } from "~/domain/actors.ts";
import { regionName } from "~/domain/regions.ts";
import { LIMITS, idSchema, invitationCreateSchema, membershipRoleSchema, slugSchema } from "~/domain/validation.ts";
import { formFailure, parseFormData, runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { DomainError } from "~/domain/errors.ts";
import {
  changeMemberRole,
  createInvitation,
  getOrganization,
  leaveOrganization,
  removeMember,
  revokeInvitation,
} from "~/models/organization.server.ts";

function parseSlug(params: { slug?: string }): string {
  const parsed = slugSchema.safeParse(params.slug);
  if (!parsed.success) throw new DomainError("notFound");
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => json(await getOrganization({ actor, slug: parseSlug(params) })));
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("changeRole"), membershipId: idSchema, role: membershipRoleSchema }),
  z.object({ intent: z.literal("removeMember"), membershipId: idSchema }),
  z.object({ intent: z.literal("revokeInvitation"), invitationId: idSchema }),
  z.object({ intent: z.literal("leave") }),
  invitationCreateSchema.extend({ intent: z.literal("createInvitation") }),
], { errorMap: () => ({ message: "validation.choice" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
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
      case "createInvitation": {
        const invitation = await createInvitation({ actor, organizationId, role: input.role, expiresInDays: input.expiresInDays, note: input.note });
        const link = new URL(`/invite/${invitation.token}`, request.url).toString();
        return json({ ok: true as const, invitationLink: link });
      }
    }
  });
}

const NOTICES = new Set(["created", "roleChanged", "memberRemoved", "invitationRevoked"]);

export default function OrganizationPage() {
  const { organization, myRole, members, invitations, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (FormFailure | { ok: true; invitationLink: string }) | undefined;
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const notice = searchParams.get("notice");
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const isAdmin = can.manageMembers;
  return (
    <>
      <h1>
        {orgDisplayName(organization, locale)}{" "}
        <span className={organization.verified ? "badge badge-ok" : "badge"} title={organization.verified ? undefined : t("orgs.unverifiedHint")}>
          {organization.verified ? t("orgs.verified") : t("orgs.unverified")}
        </span>
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
                  <td>{member.user.displayName}</td>
                  <td>{member.user.email}</td>
                  <td>{t(`role.${member.role}`)}</td>
                  <td>{formatDate(member.createdAt, locale)}</td>
                  {isAdmin ? (
                    <td className="row-actions">
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
          {actionData?.ok ? (
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
                    <td>{t(`role.${invitation.role}`)}</td>
                    <td>{invitation.note}</td>
                    <td>{formatDateTime(invitation.expiresAt, locale)}</td>
                    <td>{invitation.createdBy.displayName}</td>
                    <td>
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
          <Form method="post" className="stack invite-form" noValidate>
            <h3>{t("orgs.createInvitation")}</h3>
            <input type="hidden" name="intent" value="createInvitation" />
            <SelectField name="role" label={t("orgs.inviteRole")} defaultValue={failure?.values.role ?? "MEMBER"} errors={failure?.fieldErrors.role} options={MEMBERSHIP_ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
            <TextField name="expiresInDays" type="number" min={1} max={30} label={t("orgs.inviteExpires")} defaultValue={failure?.values.expiresInDays ?? "7"} errors={failure?.fieldErrors.expiresInDays} />
            <TextField name="note" label={t("orgs.inviteNote")} maxLength={LIMITS.inviteNoteMax} defaultValue={failure?.values.note} errors={failure?.fieldErrors.note} />
            <button type="submit" className="button">
              {t("orgs.createInvitation")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
