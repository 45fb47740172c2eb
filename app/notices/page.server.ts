/**
 * Loader and action of the public notice page, shared by /notices/:id (the latest version, the
 * address the QR code carries) and /notices/:id/v/:version (one version, a permanent address).
 */
import { json, redirect } from "@remix-run/node";
import { feedbackSchema } from "~/domain/agreement-validation.ts";
import { DomainError } from "~/domain/errors.ts";
import { versionInForceOn } from "~/domain/notice.ts";
import { ruleContextFor } from "~/domain/minimum-wage.ts";
import { wageFloorOf } from "~/domain/rule-checks.ts";
import { readTerms } from "~/domain/terms.ts";
import { WORKER_PROFILES } from "~/domain/worker-profiles.ts";
import { draftFromQuery, hasCalculatorQuery, QUERY, toDraft } from "~/components/pay-draft.ts";
import { clientIp, parseFormData, formFailure, runAction, runLoader } from "~/http/forms.server.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { submitFeedback } from "~/models/feedback.server.ts";
import { noticeComplaintFigures } from "~/models/complaint.server.ts";
import { getNoticeVersion } from "~/models/notice.server.ts";
import { noticeIdSchema, parseChinaDate, publicCacheHeaders, versionNumberSchema } from "~/notices/http.server.ts";
import { publicOrigin } from "~/infra/env.server.ts";

function parseParams(params: { id?: string; version?: string }) {
  const id = noticeIdSchema.safeParse(params.id);
  const version = params.version === undefined ? { success: true as const, data: undefined } : versionNumberSchema.safeParse(params.version);
  if (!id.success || !version.success) throw new DomainError("notFound");
  return { noticeId: id.data, version: version.data };
}

export async function noticePageLoader(request: Request, params: { id?: string; version?: string }) {
  return runLoader(async () => {
    const { noticeId, version } = parseParams(params);
    const url = new URL(request.url);
    const now = new Date();
    const view = await getNoticeVersion({ noticeId, version, now });
    const onParam = url.searchParams.get("on");
    const onDate = parseChinaDate(onParam);
    const inForce = onParam
      ? { date: onParam, valid: onDate !== null, version: onDate ? versionInForceOn(view.versions.map((row) => ({ ...row, effectiveFrom: new Date(row.effectiveFrom), effectiveUntil: new Date(row.effectiveUntil) })), onDate)?.version ?? null : null }
      : null;
    const print = url.searchParams.get("print") === "1";
    const thanks = url.searchParams.get("feedback") === "thanks";
    const locale = await resolveLocale(request);
    const calculator = calculatorFrom(url.searchParams);
    // The minimum wage where the agreement applies on its effective date, against pay at its quota (issue 22).
    const wageFloor =
      view.version.kind === "TERMINATION"
        ? null
        : wageFloorOf(
            readTerms(view.version.terms),
            ruleContextFor({ regionCode: view.version.regionCode, industry: view.version.industry, plannedEffectiveFrom: null, effectiveFrom: new Date(view.version.effectiveFrom), effectiveUntil: new Date(view.version.effectiveUntil) }),
          );
    // Complaints about its clauses (issue 25): filed while this version is in force; the figures count the whole series.
    const complaints = view.version.kind === "TERMINATION" ? null : { open: view.status === "IN_FORCE", figures: await noticeComplaintFigures(noticeId, view.version.terms) };
    const headers = publicCacheHeaders(request, ["notice", JSON.stringify(complaints), wageFloor?.standard?.key ?? "-", wageFloor?.later.map((later) => later.key).join(",") ?? "-", view.version.hash, view.latest, view.status, view.feedbackOpen ? 1 : 0, view.feedbackCount, locale, onParam, print ? 1 : 0, thanks ? 1 : 0, version === undefined ? "latest" : "v", JSON.stringify(calculator)]);
    return json({ ...view, inForce, print, thanks, origin: publicOrigin(), path: url.pathname, calculator, wageFloor, complaints, now: now.toISOString() }, { headers });
  });
}

/**
 * The pay calculator's input from the query: an example profile (`?profile=`), a submitted form
 * (`?calc=1&…`), or null for the page as first opened.
 */
function calculatorFrom(params: URLSearchParams) {
  if (!hasCalculatorQuery(params)) return null;
  if (!params.has(QUERY.submitted)) {
    const profile = WORKER_PROFILES.find((candidate) => candidate.id === params.get(QUERY.profile)) ?? WORKER_PROFILES[0]!;
    return { draft: toDraft(profile.period), tooLarge: false };
  }
  return draftFromQuery(params);
}

export async function noticePageAction(request: Request, params: { id?: string; version?: string }, context: unknown) {
  const formData = await request.formData();
  const parsed = parseFormData(formData, feedbackSchema);
  if (!parsed.ok) return formFailure(parsed);
  return runAction(formData, async () => {
    const { noticeId, version } = parseParams(params);
    const target = version ?? (await getNoticeVersion({ noticeId })).latest;
    await submitFeedback({ noticeId, version: target, ip: clientIp(context), input: parsed.data });
    const path = version === undefined ? `/notices/${noticeId}` : `/notices/${noticeId}/v/${version}`;
    return redirect(`${path}?feedback=thanks#feedback`);
  });
}

/** Pass the loader's cache headers on (Remix uses the deepest route's `headers`). */
export function noticeHeaders({ loaderHeaders, actionHeaders }: { loaderHeaders: Headers; actionHeaders: Headers }) {
  if ([...actionHeaders.keys()].length) return { "Cache-Control": "no-store" };
  const headers: Record<string, string> = {};
  for (const name of ["Cache-Control", "ETag", "Vary"]) {
    const value = loaderHeaders.get(name);
    if (value) headers[name] = value;
  }
  return headers;
}
