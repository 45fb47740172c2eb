/**
 * Minimum-wage standards added to the data re-check the agreements in force (issue 22, item 1).
 *
 * `recordMinimumWageStandards` runs at start-up: each standard of app/data/minimum-wage-standards.json
 * whose key this database has not seen is recorded, and the caller queues a re-check when any was
 * new (the job queue's `minimum-wage-recheck`, app/jobs/background.server.ts). `recheckAgreementsInForce`
 * checks every agreement in force against every standard in force on some day of its term, with
 * the same function the draft's check uses (`minimumWageBreaches`); a breach not found before is
 * recorded, written to the session's activity record and told to both sides and the bureau through
 * the outbox. Run again, it finds nothing new: each (version, standard) is told once.
 */
import { getDb } from "~/infra/db.server.ts";
import { newId } from "~/infra/ids.server.ts";
import { auditEvent } from "~/domain/audit.ts";
import { MINIMUM_WAGE_DATA, ruleContextFor, standardKey, type MinimumWageData } from "~/domain/minimum-wage.ts";
import { payPerHourAtQuota } from "~/domain/pay.ts";
import { minimumWageBreaches } from "~/domain/rule-checks.ts";
import { readTerms } from "~/domain/terms.ts";
import { noticesInForceOn } from "~/models/notice.server.ts";
import { appendAudit, chiefsOf, lockSession, negotiatorsOf, notify } from "~/models/session-core.server.ts";

/** Records the standards this database has not seen; returns their keys. */
export async function recordMinimumWageStandards(data: MinimumWageData = MINIMUM_WAGE_DATA): Promise<string[]> {
  const keys = [...new Set(data.rows.map(standardKey))];
  // ON CONFLICT: two processes starting together record each key once, and only one of them sees it as new.
  const inserted = await getDb().$queryRaw<Array<{ key: string }>>`
    INSERT INTO "KnownMinimumWageStandard" (key) SELECT unnest(${keys}::text[]) ON CONFLICT (key) DO NOTHING RETURNING key`;
  return inserted.map((row) => row.key).sort();
}

export type RecheckReport = { checked: number; breaches: Array<{ noticeVersionId: string; sessionId: string; standardKey: string; payPerHourFen: number; minimumFen: number }> };

/** Checks every agreement in force on `now` against the standards of its whole term; records and tells each new breach. */
export async function recheckAgreementsInForce(now: Date = new Date(), data: MinimumWageData = MINIMUM_WAGE_DATA): Promise<RecheckReport> {
  const versions = await noticesInForceOn({ date: now, filters: {} });
  const report: RecheckReport = { checked: 0, breaches: [] };
  const sessions = new Map((await getDb().noticeVersion.findMany({ where: { id: { in: versions.map((version) => version.id) } }, select: { id: true, sessionId: true } })).map((row) => [row.id, row.sessionId]));
  for (const stored of versions) {
    if (stored.kind === "TERMINATION") continue;
    const version = { ...stored, sessionId: sessions.get(stored.id)! };
    const terms = readTerms(version.terms);
    const atQuota = terms ? payPerHourAtQuota(terms) : null;
    if (!terms || !atQuota) continue;
    report.checked += 1;
    const context = ruleContextFor({ regionCode: version.regionCode, industry: version.industry, plannedEffectiveFrom: null, effectiveFrom: version.effectiveFrom, effectiveUntil: version.effectiveUntil }, { data });
    for (const standard of minimumWageBreaches(terms, context)) {
      const found = await getDb().$transaction(async (tx) => {
        const created = await tx.minimumWageBreach.createMany({
          data: [{ id: newId(), noticeVersionId: version.id, sessionId: version.sessionId, standardKey: standard.key, payPerHourFen: atQuota.perHourFen, minimumFen: standard.hourlyFen, foundAt: now }],
          skipDuplicates: true,
        });
        if (created.count === 0) return false;
        const session = await lockSession(tx, version.sessionId);
        const values = { noticeVersionId: version.id, standardKey: standard.key, payPerHourFen: atQuota.perHourFen, minimumFen: standard.hourlyFen, effectiveFrom: standard.effectiveFrom };
        await appendAudit(tx, version.sessionId, auditEvent("minimumWage.breachFound", values), null, { ip: null, userAgent: null }, now);
        await notify(tx, [...(await negotiatorsOf(tx, session, ["WORKER", "EMPLOYER", "OBSERVER"])), ...chiefsOf(session)], version.sessionId, "minimumWage.breach", {
          title: version.title,
          href: `/notices/${version.noticeId}/v/${version.version}`,
          pay: (atQuota.perHourFen / 100).toFixed(2),
          minimum: (standard.hourlyFen / 100).toFixed(2),
          // A calendar day in China, as the standard's notice writes it.
          effectiveFrom: standard.effectiveFrom,
          tier: standard.tier.zh,
          tierEn: standard.tier.en,
        });
        return true;
      });
      if (found) report.breaches.push({ noticeVersionId: version.id, sessionId: version.sessionId, standardKey: standard.key, payPerHourFen: atQuota.perHourFen, minimumFen: standard.hourlyFen });
    }
  }
  return report;
}
