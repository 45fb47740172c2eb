import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getActor } from "~/auth/actor.server.ts";
import { listMyOrganizations } from "~/models/organization.server.ts";
import { orgDisplayName } from "~/components/names.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await getActor(request);
  if (!signedIn) return json({ user: null, organizations: [] });
  const organizations = await listMyOrganizations({ actor: signedIn.actor });
  return json({ user: { displayName: signedIn.user.displayName }, organizations });
}

export default function Index() {
  const { user, organizations } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  if (!user) {
    return (
      <section className="hero">
        <h1>{t("home.titleAnonymous")}</h1>
        <p className="lead">{t("home.introAnonymous")}</p>
        <p className="actions">
          <Link className="button" to="/login">
            {t("home.ctaLogin")}
          </Link>
          <Link className="button-secondary" to="/signup">
            {t("home.ctaSignup")}
          </Link>
        </p>
      </section>
    );
  }
  return (
    <>
      <h1>{t("home.title", { name: user.displayName })}</h1>
      <section aria-labelledby="my-orgs">
        <h2 id="my-orgs">{t("home.myOrganizations")}</h2>
        {organizations.length === 0 ? (
          <p>{t("home.noOrganizations")}</p>
        ) : (
          <ul className="card-list">
            {organizations.map((org) => (
              <li key={org.id} className="card">
                <Link to={`/orgs/${org.slug}`}>{orgDisplayName(org, i18n.language)}</Link>
                <span className="meta">
                  {t(`orgType.${org.type}`)} · {t(`role.${org.memberships[0]?.role ?? "MEMBER"}`)}
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className="actions">
          <Link to="/orgs">{t("home.browseDirectory")}</Link>
          <Link to="/orgs/new">{t("home.createOrganization")}</Link>
        </p>
      </section>
    </>
  );
}
