import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/forms.tsx";
import { useTranslation } from "react-i18next";
import { VerificationBadge } from "~/components/verification.tsx";
import { z } from "zod";
import { isOperator, requireActor } from "~/auth/actor.server.ts";
import { verifierOf } from "~/models/organization-verification.server.ts";
import { orgDisplayName } from "~/components/names.ts";
import { ORGANIZATION_TYPES } from "~/domain/actors.ts";
import { REGIONS, REGION_CODES, regionName } from "~/domain/regions.ts";
import { runLoader } from "~/http/forms.server.ts";
import { listDirectory, listMyOrganizations } from "~/models/organization.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "orgs.title" };

/** Unknown filter values are ignored rather than failing the page (links get shared and edited). */
const FilterSchema = z.object({
  type: z.enum(ORGANIZATION_TYPES).optional().catch(undefined),
  region: z.enum(REGION_CODES).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireActor(request);
  const url = new URL(request.url);
  const filter = FilterSchema.parse({ type: url.searchParams.get("type") || undefined, region: url.searchParams.get("region") || undefined });
  return runLoader(async () => {
    const [mine, directory, verifier] = await Promise.all([
      listMyOrganizations({ actor }),
      listDirectory({ actor, type: filter.type, regionCode: filter.region }),
      verifierOf(actor, isOperator(user)),
    ]);
    // Those who verify organizations find their queue from here.
    return json({ mine, directory, filter, mayVerify: verifier.operator || verifier.bureaus.length > 0 });
  });
}

export default function Organizations() {
  const { mine, directory, filter, mayVerify } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  return (
    <>
      {searchParams.get("notice") === "left" ? <Notice>{t("orgs.left")}</Notice> : null}
      <div className="title-row">
        <h1>{t("orgs.title")}</h1>
        <Link className="button" to="/orgs/new">
          {t("orgs.create")}
        </Link>
      </div>
      {mayVerify ? (
        <p>
          <Link to="/admin/verifications">{t("verification.queueTitle")}</Link>
        </p>
      ) : null}
      <section aria-labelledby="mine">
        <h2 id="mine">{t("orgs.mine")}</h2>
        {mine.length === 0 ? (
          <p>{t("home.noOrganizations")}</p>
        ) : (
          <ul className="card-list">
            {mine.map((org) => (
              <li key={org.id} className="card">
                <Link to={`/orgs/${org.slug}`}>{orgDisplayName(org, i18n.language)}</Link>
                <span className="meta">{t(`role.${org.memberships[0]?.role ?? "MEMBER"}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="directory">
        <h2 id="directory">{t("orgs.directory")}</h2>
        <Form method="get" className="filters">
          <label>
            {t("orgs.filterType")}
            <select name="type" defaultValue={filter.type ?? ""}>
              <option value="">{t("orgs.all")}</option>
              {ORGANIZATION_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`orgType.${type}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("orgs.filterRegion")}
            <select name="region" defaultValue={filter.region ?? ""}>
              <option value="">{t("orgs.all")}</option>
              {REGIONS.map((region) => (
                <option key={region.code} value={region.code}>
                  {i18n.language === "en" ? region.en : region.zh}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button-secondary">
            {t("orgs.filter")}
          </button>
        </Form>
        {directory.length === 0 ? (
          <p>{t("orgs.empty")}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("orgs.name")}</th>
                <th scope="col">{t("orgs.type")}</th>
                <th scope="col">{t("orgs.region")}</th>
                <th scope="col">{t("orgs.members")}</th>
              </tr>
            </thead>
            <tbody>
              {directory.map((org) => (
                <tr key={org.id}>
                  <td data-label={t("orgs.name")}>
                    <Link to={`/orgs/${org.slug}`}>{orgDisplayName(org, i18n.language)}</Link>{" "}
                    <VerificationBadge status={org.verification} />
                  </td>
                  <td data-label={t("orgs.type")}>{t(`orgType.${org.type}`)}</td>
                  <td data-label={t("orgs.region")}>{regionName(org.regionCode, i18n.language)}</td>
                  <td data-label={t("orgs.members")}>{org._count.memberships}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
