import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { VerificationBadge } from "~/components/verification.tsx";
import { z } from "zod";
import { requireActor } from "~/auth/actor.server.ts";
import { FormError } from "~/components/forms.tsx";
import { formatDateTime, orgDisplayName } from "~/components/names.ts";
import { DomainError } from "~/domain/errors.ts";
import { runAction, runLoader, type FormFailure } from "~/http/forms.server.ts";
import { acceptInvitation, getInvitation } from "~/models/organization.server.ts";
import { getUser } from "~/auth/login-session.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: ({ data, t, language }) => t("invite.title", { org: orgDisplayName((data as { organization: { name: string; nameEn?: string | null } }).organization, language) }) };

const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

function parseToken(params: { token?: string }): string {
  const parsed = TokenSchema.safeParse(params.token);
  if (!parsed.success) throw new DomainError("invite.invalid");
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return runLoader(async () => {
    const invitation = await getInvitation({ token: parseToken(params) });
    const user = await getUser(request);
    return json({
      signedIn: Boolean(user),
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      organization: invitation.organization,
    });
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  return runAction(formData, async () => {
    const organization = await acceptInvitation({ actor, token: parseToken(params) });
    return redirect(`/orgs/${organization.slug}`);
  });
}

export default function Invitation() {
  const { signedIn, role, expiresAt, organization } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const name = orgDisplayName(organization, i18n.language);
  const here = useLocation().pathname;
  return (
    <div className="narrow">
      <h1>
        {t("invite.title", { org: name })} <VerificationBadge status={organization.verification} />
      </h1>
      <p>{t("invite.intro", { org: name, role: t(`role.${role}`) })}</p>
      <p>{t("invite.expiresAt", { date: formatDateTime(expiresAt, i18n.language) })}</p>
      <FormError message={actionData?.formError} />
      {signedIn ? (
        <Form method="post">
          <button type="submit" className="button">
            {t("invite.accept")}
          </button>
        </Form>
      ) : (
        <p>
          {t("invite.loginToAccept")} <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("nav.login")}</Link> ·{" "}
          <Link to={`/signup?redirectTo=${encodeURIComponent(here)}`}>{t("nav.signup")}</Link>
        </p>
      )}
    </div>
  );
}
