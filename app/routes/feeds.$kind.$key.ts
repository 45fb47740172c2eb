/**
 * Atom feeds of published notice versions: /feeds/industry/:industry, /feeds/region/:code,
 * /feeds/platform/:slug. Language from ?lang=en|zh-CN, else the request's. Cached by ETag.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomXml } from "~/domain/atom.ts";
import { DomainError } from "~/domain/errors.ts";
import { regionName } from "~/domain/regions.ts";
import { runLoader } from "~/http/forms.server.ts";
import { translator, isLocale } from "~/i18n/i18n.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { feedEntries, platformExists, type NoticeFilters } from "~/models/notice.server.ts";
import { apiCacheHeaders, noticeFilterSchema } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  return runLoader(async () => {
    const url = new URL(request.url);
    const kind = params.kind;
    const key = params.key ?? "";
    const lang = url.searchParams.get("lang");
    const locale = lang && isLocale(lang) ? lang : await resolveLocale(request);
    const t = translator(locale);
    let filters: NoticeFilters;
    if (kind === "industry" && noticeFilterSchema.shape.industry.parse(key)) filters = { industry: noticeFilterSchema.shape.industry.parse(key) };
    else if (kind === "region" && noticeFilterSchema.shape.region.parse(key)) filters = { regionCode: key };
    else if (kind === "platform" && noticeFilterSchema.shape.platform.parse(key) && (await platformExists(key))) filters = { platform: key };
    else {
      // An unknown industry, region or platform: a 404 that says what was not found, in the reader's language (issue 23).
      if (kind !== "industry" && kind !== "region" && kind !== "platform") throw new DomainError("notFound");
      return new Response(t(`notice.feedNotFound.${kind}`, { key: key.slice(0, 64) }), { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "Content-Language": locale } });
    }
    const rows = await feedEntries({ filters, take: 50 });
    const scope = kind === "industry" ? t(`industry.${key}`) : kind === "region" ? regionName(key, locale) : key;
    const listLink = `${publicOrigin()}/notices?${kind === "region" ? "region" : kind}=${encodeURIComponent(key)}`;
    const xml = atomXml({
      id: `${publicOrigin()}/feeds/${kind}/${key}`,
      title: `${t("notice.listTitle")} · ${scope}`,
      subtitle: t("notice.listIntro"),
      selfLink: `${publicOrigin()}/feeds/${kind}/${key}${lang ? `?lang=${lang}` : ""}`,
      alternateLink: listLink,
      updated: rows[0]?.publishedAt ?? new Date(0),
      language: locale,
      entries: rows.map((row) => ({
        id: `${publicOrigin()}/notices/${row.noticeId}/v/${row.version}`,
        title: `${row.title} · ${t("notice.version", { version: row.version })} · ${t(`notice.kind.${row.kind}`)}`,
        updated: row.publishedAt,
        published: row.publishedAt,
        link: `${publicOrigin()}/notices/${row.noticeId}/v/${row.version}`,
        categories: [row.industry, row.regionCode, ...row.platformSlugs],
        summary: [
          `${t("notice.effectiveFrom")}: ${row.effectiveFrom.toISOString().slice(0, 10)}`,
          `${t("notice.effectiveUntil")}: ${row.effectiveUntil.toISOString().slice(0, 10)}`,
          row.correctionReason ? t("notice.correctionReason", { reason: row.correctionReason }) : "",
          `${t("notice.hash")}: ${row.hash}`,
        ]
          .filter(Boolean)
          .join("\n"),
      })),
    });
    return new Response(xml, { headers: apiCacheHeaders(["feed", kind, key, locale, rows.map((row) => row.hash).join(",")], "application/atom+xml; charset=utf-8", 300) });
  });
}
