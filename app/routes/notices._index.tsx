/** Public notices: search and filter by industry, region and platform. No sign-in; a plain GET form. */
import type { RouteHandle } from "~/root.tsx";
import { json, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDate, orgDisplayName } from "~/components/names.ts";
import { regionName } from "~/domain/regions.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { listNotices, listStamp, noticeFacets } from "~/models/notice.server.ts";
import { filtersFrom, publicCacheHeaders, strictFiltersFrom } from "~/notices/http.server.ts";
import { noticeHeaders } from "~/notices/page.server.ts";

/** Served without scripts: plain HTML and forms, for phones on weak networks (decision 026). */
export const handle: RouteHandle = { hydrate: false, title: "notice.listTitle" };

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const checked = strictFiltersFrom(url);
  // A filter that is not one of the listed values, or search text that is too long, is answered with
  // a message beside its field and no list: never silently "everything" (issue 23).
  if (!checked.ok) {
    const error = { field: checked.field, key: checked.key, values: checked.values ?? {} };
    return json({ notices: [], facets: await noticeFacets(), filters: filtersFrom(url), query: url.search, error, typed: url.searchParams.get("q") ?? "" }, { status: 400, headers: { "Cache-Control": "no-store" } });
  }
  const filters = checked.filters;
  const [notices, facets, stamp, locale] = await Promise.all([listNotices({ filters }), noticeFacets(), listStamp(), resolveLocale(request)]);
  const headers = publicCacheHeaders(request, ["notices", stamp, locale, url.search, notices.map((notice) => notice.status).join(",")]);
  return json({ notices, facets, filters, query: url.search, error: null, typed: filters.q ?? "" }, { headers });
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => noticeHeaders({ loaderHeaders, actionHeaders });

export default function NoticesPage() {
  const { notices, facets, filters, query, error, typed } = useLoaderData<typeof loader>();
  const errorOf = (field: string) =>
    error && error.field === field ? (
      <p id={`f-${field}-error`} className="field-errors" role="alert">
        {t(error.key, error.values)}
      </p>
    ) : null;
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const feedQuery = filters.platform ? `/feeds/platform/${filters.platform}` : filters.regionCode ? `/feeds/region/${filters.regionCode}` : filters.industry ? `/feeds/industry/${filters.industry}` : null;
  return (
    <>
      <h1>{t("notice.listTitle")}</h1>
      <p>{t("notice.listIntro")}</p>
      <Form method="get" className="filters" role="search" aria-label={t("notice.search")}>
        <div>
          <label htmlFor="f-industry">{t("notice.industry")}</label>
          <select id="f-industry" name="industry" defaultValue={filters.industry ?? ""}>
            <option value="">{t("notice.all")}</option>
            {facets.industries.map((industry) => (
              <option key={industry} value={industry}>
                {t(`industry.${industry}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-region">{t("notice.region")}</label>
          <select id="f-region" name="region" defaultValue={filters.regionCode ?? ""}>
            <option value="">{t("notice.all")}</option>
            {facets.regionCodes.map((code) => (
              <option key={code} value={code}>
                {regionName(code, locale)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-platform">{t("notice.platform")}</label>
          <select id="f-platform" name="platform" defaultValue={filters.platform ?? ""}>
            <option value="">{t("notice.all")}</option>
            {facets.platforms.map((platform) => (
              <option key={platform.slug} value={platform.slug}>
                {orgDisplayName(platform, locale)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-q">{t("notice.q")}</label>
          <input id="f-q" name="q" type="search" defaultValue={typed} aria-invalid={error?.field === "q" ? true : undefined} aria-describedby={error?.field === "q" ? "f-q-error" : undefined} />
          {errorOf("q")}
        </div>
        <button type="submit" className="button">
          {t("notice.search")}
        </button>
      </Form>
      {error && error.field !== "q" ? (
        <p className="form-error" role="alert" id={`f-${error.field}-error`}>
          {t(error.key, error.values)}
        </p>
      ) : null}
      {error ? null : notices.length === 0 ? (
        <p role="status">{t("notice.none")}</p>
      ) : (
        <ul className="card-list notice-list" aria-live="polite">
          {notices.map((notice) => {
            const { parties } = notice;
            const platforms = notice.platformSlugs.map((slug) => {
              const party = parties.find((candidate) => candidate.slug === slug);
              return party ? orgDisplayName(party, locale) : slug;
            });
            return (
              <li key={notice.id} className="card">
                <h2>
                  <Link to={`/notices/${notice.noticeId}`}>{notice.title}</Link>
                </h2>
                <p className="meta">
                  {t(`industry.${notice.industry}`)} · {regionName(notice.regionCode, locale)}
                  {platforms.length ? ` · ${platforms.join(t("common.listSeparator"))}` : ""}
                </p>
                <p>
                  <strong className={notice.status === "IN_FORCE" ? "badge badge-ok" : "badge"}>{t(`notice.status.${notice.status}`)}</strong> {t("notice.version", { version: notice.version })} ·{" "}
                  {t("notice.effectiveFrom")} {formatDate(notice.effectiveFrom, locale)}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      <p className="meta">
        <a href={`/api/notices${query}`}>{t("notice.json")}</a>
        {feedQuery ? (
          <>
            {" · "}
            <a href={feedQuery}>{t("notice.feed")}</a>
          </>
        ) : null}
      </p>
    </>
  );
}
