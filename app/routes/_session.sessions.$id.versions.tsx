import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireActor } from "~/auth/actor.server.ts";
import { FormError, MessageText } from "~/components/forms.tsx";
import { formatDateTime } from "~/components/names.ts";
import { DomainError } from "~/domain/errors.ts";
import { formatTermValue, TERM_FIELDS } from "~/domain/terms.ts";
import { summarizeStructuredTerm } from "~/components/term-summary.ts";
import { signed } from "~/components/PayCalculator.tsx";
import { idSchema } from "~/domain/validation.ts";
import { formFailure, parseFormData, runAction, runLoader, type FormFailure, sessionIdParam } from "~/http/forms.server.ts";
import { compareVersions, createVersion, getVersion, listVersions } from "~/models/draft-version.server.ts";
import { getDraftHeader } from "~/models/draft-access.server.ts";
import type { RouteHandle } from "~/root.tsx";

export const handle: RouteHandle = { title: "versions.title" };

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

const CompareSchema = z.object({ a: idSchema, b: idSchema });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const sessionId = sessionIdParam(params);
    const header = await getDraftHeader({ actor, sessionId });
    if (!header) throw new DomainError("notFound");
    const versions = await listVersions({ actor, sessionId });
    const url = new URL(request.url);
    const wanted = CompareSchema.safeParse({ a: url.searchParams.get("a"), b: url.searchParams.get("b") });
    const comparison = wanted.success ? await compareVersions({ actor, sessionId, beforeId: wanted.data.a, afterId: wanted.data.b }) : null;
    // One version opened on its own (?view=): an unknown or malformed id is "not found".
    const viewParam = url.searchParams.get("view");
    let opened = null;
    if (viewParam !== null) {
      const id = idSchema.safeParse(viewParam);
      if (!id.success) throw new DomainError("notFound");
      const version = await getVersion({ actor, sessionId, versionId: id.data });
      opened = { ...version, createdAt: version.createdAt.toISOString() };
    }
    return json({ sessionId, versions, comparison, opened, canSave: header.capabilities.comment, canRestore: header.capabilities.edit }, { headers: { "Cache-Control": "private, no-store" } });
  });
}

const CreateSchema = z.object({
  name: z
    .string({ required_error: "validation.required" })
    .transform((value) => value.trim())
    .pipe(z.string().min(1, "validation.required").max(120, "validation.tooLong")),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireActor(request);
  const formData = await request.formData();
  const parsed = parseFormData(formData, CreateSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const sessionId = sessionIdParam(params);
    await createVersion({ actor, sessionId, name: parsed.data.name });
    return redirect(`/sessions/${sessionId}/versions`);
  });
}

export default function Versions() {
  const { sessionId, versions, comparison, opened, canSave, canRestore } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as FormFailure | undefined;
  const { t, i18n } = useTranslation();
  const label = (version: { name: string; roundNumber: number | null }) => (version.roundNumber ? t("versions.forRound", { number: version.roundNumber }) : version.name);
  const summarize = (key: string, value: unknown) => summarizeStructuredTerm(t, key, value);
  const show = (key: keyof typeof TERM_FIELDS, value: number | null) => (value === null ? "—" : `${formatTermValue(key, value)} ${t(`termUnit.${TERM_FIELDS[key].unit}`)}`);
  return (
    <>
      <h1>{t("versions.title")}</h1>
      {canSave ? (
      <Form method="post" className="inline-form">
        <label htmlFor="f-name">{t("versions.name")}</label>
        <input id="f-name" name="name" maxLength={120} required defaultValue={failure?.values.name as string | undefined} />
        <button type="submit" className="button-secondary">
          {t("versions.create")}
        </button>
      </Form>
      ) : null}
      <FormError message={failure?.formError} />
      {failure?.fieldErrors.name ? (
        <p className="field-errors" role="alert">
          <MessageText message={failure.fieldErrors.name[0]!} />
        </p>
      ) : null}
      {versions.length < 2 ? (
        <p>{t("versions.needTwo")}</p>
      ) : (
        <Form method="get" className="filters">
          {(["a", "b"] as const).map((name) => (
            <label key={name}>
              {t(name === "a" ? "versions.before" : "versions.after")}
              <select name={name} defaultValue={name === "a" ? (comparison?.before.id ?? versions[1]!.id) : (comparison?.after.id ?? versions[0]!.id)}>
                {versions.map((version) => (
                  <option key={version.id} value={version.id}>
                    {label(version)} · {formatDateTime(version.createdAt, i18n.language)}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button type="submit" className="button">
            {t("versions.compare")}
          </button>
        </Form>
      )}
      {opened ? (
        <section aria-labelledby="opened-title" className="card version-opened">
          <h2 id="opened-title">{t("versions.opened", { name: label(opened), at: formatDateTime(opened.createdAt, i18n.language) })}</h2>
          <pre className="minutes" data-testid="version-text">{opened.text || t("versions.emptyText")}</pre>
          <table className="data-table" data-testid="version-terms">
            <tbody>
              {(Object.keys(TERM_FIELDS) as Array<keyof typeof TERM_FIELDS>)
                .filter((key) => typeof opened.terms[key] === "number")
                .map((key) => (
                  <tr key={key}>
                    <th scope="row">{t(`term.${key}`)}</th>
                    <td>{show(key, opened.terms[key] as number)}</td>
                  </tr>
                ))}
              {Object.keys(opened.terms).filter((key) => !(key in TERM_FIELDS) && key !== "schemaVersion").map((key) => (
                <tr key={key}>
                  <th scope="row">{t(`versions.structured.${key}`)}</th>
                  <td>{summarize(key, opened.terms[key])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canRestore ? (
            <p>
              <Link className="button-secondary" to={`/sessions/${sessionId}/draft?restore=${opened.id}`}>
                {t("versions.restore")}
              </Link>{" "}
              <span className="meta">{t("versions.restoreHint")}</span>
            </p>
          ) : null}
        </section>
      ) : null}
      {comparison ? (
        <div className="comparison">
          <section aria-labelledby="text-diff">
            <h2 id="text-diff">{t("versions.textChanges")}</h2>
            {comparison.textTooLarge ? (
              <p className="meta" data-testid="diff-too-large">
                {t("notice.diffTooLarge")} <a href={`/sessions/${sessionId}/versions/${comparison.before.id}/text`} download>{t("notice.downloadBefore")}</a> · <a href={`/sessions/${sessionId}/versions/${comparison.after.id}/text`} download>{t("notice.downloadAfter")}</a>
              </p>
            ) : null}
            <p className="diff" data-testid="text-diff">
              {comparison.text.map((part, index) =>
                part.kind === "added" ? (
                  <ins key={index}>{part.text}</ins>
                ) : part.kind === "removed" ? (
                  <del key={index}>{part.text}</del>
                ) : (
                  <span key={index}>{part.text}</span>
                ),
              )}
            </p>
          </section>
          <section aria-labelledby="pay-diff">
            <h2 id="pay-diff">{t("pay.versionsTitle")}</h2>
            <table className="data-table" data-testid="pay-diff">
              <thead>
                <tr>
                  <th scope="col">{t("pay.profile")}</th>
                  <th scope="col">{label(comparison.before)}</th>
                  <th scope="col">{label(comparison.after)}</th>
                  <th scope="col">{t("pay.delta")}</th>
                </tr>
              </thead>
              <tbody>
                {comparison.pay.map((row) => (
                  <tr key={row.profile} data-profile={row.profile}>
                    <th scope="row">{t(`pay.profiles.${row.profile}`)}</th>
                    <td data-label={label(comparison.before)} className="number">{row.beforeFen === null ? "—" : t("pay.yuan", { amount: (row.beforeFen / 100).toFixed(2) })}</td>
                    <td data-label={label(comparison.after)} className="number">{row.afterFen === null ? "—" : t("pay.yuan", { amount: (row.afterFen / 100).toFixed(2) })}</td>
                    <td data-label={t("pay.delta")} className="number">{row.beforeFen === null || row.afterFen === null ? "—" : t("pay.yuan", { amount: signed(row.afterFen - row.beforeFen) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="terms-diff">
            <h2 id="terms-diff">{t("versions.termChanges")}</h2>
            <table className="data-table" data-testid="terms-diff">
              <thead>
                <tr>
                  <th scope="col">{t("draft.offers.term")}</th>
                  <th scope="col">{label(comparison.before)}</th>
                  <th scope="col">{label(comparison.after)}</th>
                </tr>
              </thead>
              <tbody>
                {comparison.structuredTerms.map((row) => (
                  <tr key={row.key} className={row.changed ? "changed" : undefined}>
                    <th scope="row">{t(`versions.structured.${row.key}`)}</th>
                    <td data-label={label(comparison.before)}>{summarize(row.key, row.before)}</td>
                    <td data-label={label(comparison.after)}>
                      {summarize(row.key, row.after)}
                      {row.changed ? <strong className="badge">{t("versions.changed")}</strong> : null}
                    </td>
                  </tr>
                ))}
                {comparison.terms.map((row) => (
                  <tr key={row.key} className={row.changed ? "changed" : undefined}>
                    <th scope="row">{t(`term.${row.key}`)}</th>
                    <td data-label={label(comparison.before)}>{show(row.key, row.before)}</td>
                    <td data-label={label(comparison.after)}>
                      {show(row.key, row.after)}
                      {row.changed ? <strong className="badge">{t("versions.changed")}</strong> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      ) : null}
      <h2>{t("versions.all")}</h2>
      <ul>
        {versions.map((version) => (
          <li key={version.id}>
            {label(version)} · {formatDateTime(version.createdAt, i18n.language)} · <Link to={`?view=${version.id}`}>{t("versions.open")}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
