/** Anyone can check a notice: every version's hash recomputed, the chain's links, the signatures. */
import type { RouteHandle } from "~/root.tsx";
import { json, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime, orgDisplayName } from "~/components/names.ts";
import { PartyProvenance } from "~/components/NoticeView.tsx";
import { DomainError } from "~/domain/errors.ts";
import { runLoader } from "~/http/forms.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { verifyNotice } from "~/models/notice.server.ts";
import { noticeIdSchema, publicCacheHeaders } from "~/notices/http.server.ts";
import { noticeHeaders } from "~/notices/page.server.ts";

/** Served without scripts: plain HTML and forms, for phones on weak networks (decision 026). */
export const handle: RouteHandle = { hydrate: false, title: ({ data, t }) => `${t("verify.title")} · ${(data as { title: string }).title}` };

export async function loader({ request, params }: LoaderFunctionArgs) {
  return runLoader(async () => {
    const id = noticeIdSchema.safeParse(params.id);
    if (!id.success) throw new DomainError("notFound");
    const { verdict, versions } = await verifyNotice({ noticeId: id.data });
    const headers = publicCacheHeaders(request, ["verify", id.data, JSON.stringify(verdict), await resolveLocale(request)]);
    return json(
      {
        noticeId: id.data,
        title: versions[versions.length - 1]!.title,
        verdict,
        versions: versions.map((version) => ({ version: version.version, contentHash: version.contentHash, prevHash: version.prevHash, hash: version.hash, signatures: version.signatures, parties: version.parties, publishedAt: version.publishedAt })),
      },
      { headers },
    );
  });
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => noticeHeaders({ loaderHeaders, actionHeaders });

export default function VerifyNoticePage() {
  const { noticeId, title, verdict, versions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <p className="breadcrumbs">
        <Link to={`/notices/${noticeId}`}>{t("verify.back")}</Link>
      </p>
      <h1>{t("verify.title")}</h1>
      <p className="meta">{title}</p>
      <p>{t("verify.intro")}</p>
      <p className={verdict.ok ? "notice" : "form-error"} role="status" data-testid="verify-verdict">
        {verdict.ok ? t("verify.ok", { count: verdict.length }) : t("verify.broken", { version: verdict.brokenAt })}
      </p>
      <div className="table-scroll">
        <table className="data-table verify-table">
          <thead>
            <tr>
              <th scope="col">{t("verify.version")}</th>
              <th scope="col">{t("verify.content")}</th>
              <th scope="col">{t("verify.link")}</th>
              <th scope="col">{t("verify.chain")}</th>
            </tr>
          </thead>
          <tbody>
            {verdict.versions.map((check) => {
              const stored = versions.find((version) => version.version === check.version)!;
              const cell = (ok: boolean, label: string) => <td data-label={label} className={ok ? "ok" : "bad"}>{ok ? t("verify.good") : t("verify.bad")}</td>;
              return (
                <tr key={check.version}>
                  <th scope="row">
                    <Link to={`/notices/${noticeId}/v/${check.version}`}>{t("notice.version", { version: check.version })}</Link>
                    <br />
                    <code className="hash">{stored.hash}</code>
                  </th>
                  {cell(check.contentOk, t("verify.content"))}
                  {cell(check.linkOk, t("verify.link"))}
                  {cell(check.hashOk, t("verify.chain"))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>{t("verify.provenance")}</h2>
      {versions.map((version) => (
        <section key={version.version} aria-label={t("notice.version", { version: version.version })}>
          <h3>{t("notice.version", { version: version.version })}</h3>
          <h4>{t("notice.parties")}</h4>
          <ul data-testid="verify-parties">
            {version.parties.map((party) => (
              <li key={party.slug}>
                {orgDisplayName(party, i18n.language)} · {t(`notice.partyRole.${party.role}`)} · <PartyProvenance party={party} />
              </li>
            ))}
          </ul>
          <h4>{t("notice.signatures")}</h4>
          <ul>
            {version.signatures.map((signature) => (
              <li key={signature.side}>
                {t("notice.signedBy", { side: t(`side.${signature.side}`), name: signature.name, organization: signature.organization ?? "—", at: formatDateTime(signature.signedAt, i18n.language) })} ·{" "}
                <code className="hash">{signature.contentHash}</code>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <p className="meta">
        {t("verify.howTo")} <a href={`/api/notices/${noticeId}/verify`}>{t("notice.json")}</a>
      </p>
    </>
  );
}
