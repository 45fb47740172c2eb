/**
 * GET /notices/:id/complaints.csv: the notice's complaint figures per clause for the union's staff
 * (issue 25, item 3): the same figures the notice shows, counts under 5 as "fewer than 5". UTF-8
 * with a byte-order mark so spreadsheet programs read the Chinese; cells that a spreadsheet would
 * run as a formula are quoted as text (csv-stringify, decision 045).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { DomainError } from "~/domain/errors.ts";
import { noticeClauses, type ShownCount } from "~/domain/complaints.ts";
import { readTerms } from "~/domain/terms.ts";
import { clauseLabel } from "~/components/complaint-bits.tsx";
import { runLoader } from "~/http/forms.server.ts";
import { translator } from "~/i18n/i18n.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { requireActor } from "~/auth/actor.server.ts";
import { noticeFiguresForUnion } from "~/models/complaint.server.ts";
import { noticeIdSchema } from "~/notices/http.server.ts";

/** A cell a spreadsheet would evaluate (=, +, -, @, tab, CR) starts with an apostrophe. */
function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireActor(request);
  return runLoader(async () => {
    const id = noticeIdSchema.safeParse(params.id);
    if (!id.success) throw new DomainError("notFound");
    const { version, figures } = await noticeFiguresForUnion({ actor, noticeId: id.data });
    const t = translator(await resolveLocale(request));
    const clauses = new Map(noticeClauses(readTerms(version.terms)).map((clause) => [clause.id, clause]));
    const label = (id: string) => {
      const clause = clauses.get(id);
      return clause ? clauseLabel(t, clause, version.industry) : id;
    };
    const shown = (count: ShownCount) => ("exact" in count ? String(count.exact) : t("complaint.fewerThan", { count: count.fewerThan }));
    const rows = figures.map((row) => [row.clause, label(row.clause), shown(row.received), shown(row.answeredInTime), row.medianHoursToAnswer === null ? "" : String(row.medianHoursToAnswer)].map(safeCell));
    const csv = stringify([[t("complaint.csv.clauseId"), t("complaint.clause"), t("complaint.received"), t("complaint.inTime"), t("complaint.medianHours")], ...rows]);
    return new Response(`\uFEFF${csv}`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="complaints-${id.data}.csv"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
