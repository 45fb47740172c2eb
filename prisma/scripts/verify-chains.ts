/**
 * Recomputes every hash chain in a database: the audit trail of each bargaining session and, when
 * the notices model is present, each notice series. Used after a restore (`npm run db:restore`)
 * and by tests/integration/backup-restore.test.ts. Works on any `query` function, so both a
 * PostgreSQL server (pg) and an embedded data folder (PGlite) can be checked.
 */
import { verifyChain, type ChainedEvent } from "../../app/domain/audit.ts";
import { verifyOrganizationChain, type OrganizationChainedEvent } from "../../app/domain/organization-audit.ts";

export type Query = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

export type ChainReport = {
  auditChains: number;
  auditEvents: number;
  noticeChains: number;
  noticeVersions: number;
  organizationChains: number;
  organizationEvents: number;
  /** One line per broken chain; empty when everything verifies. */
  broken: string[];
};

async function tableExists(query: Query, table: string): Promise<boolean> {
  const rows = await query("SELECT to_regclass($1) IS NOT NULL AS present", [`public."${table}"`]);
  return rows[0]?.present === true;
}

export async function verifyAllChains(query: Query): Promise<ChainReport> {
  const report: ChainReport = { auditChains: 0, auditEvents: 0, noticeChains: 0, noticeVersions: 0, organizationChains: 0, organizationEvents: 0, broken: [] };
  const events = await query(
    `SELECT "sessionId", seq, type, payload, "actorId", at, ip, "userAgent", "prevHash", hash FROM "AuditEvent" ORDER BY "sessionId", seq`,
  );
  const bySession = new Map<string, ChainedEvent[]>();
  for (const row of events) {
    const event = { ...row, at: new Date(row.at as string | Date) } as ChainedEvent;
    bySession.set(event.sessionId, [...(bySession.get(event.sessionId) ?? []), event]);
  }
  for (const [sessionId, chain] of bySession) {
    const verdict = verifyChain(chain);
    report.auditChains += 1;
    report.auditEvents += chain.length;
    if (!verdict.ok) report.broken.push(`audit trail of session ${sessionId}: broken at event ${verdict.brokenAt} (${verdict.reason})`);
  }

  if (await tableExists(query, "OrganizationAuditEvent")) {
    const rows = await query(`SELECT "organizationId", seq, type, payload, "actorId", at, ip, "userAgent", "prevHash", hash FROM "OrganizationAuditEvent" ORDER BY "organizationId", seq`);
    const byOrganization = new Map<string, OrganizationChainedEvent[]>();
    for (const row of rows) {
      const event = { ...row, at: new Date(row.at as string | Date) } as OrganizationChainedEvent;
      byOrganization.set(event.organizationId, [...(byOrganization.get(event.organizationId) ?? []), event]);
    }
    for (const [organizationId, chain] of byOrganization) {
      const verdict = verifyOrganizationChain(chain);
      report.organizationChains += 1;
      report.organizationEvents += chain.length;
      if (!verdict.ok) report.broken.push(`audit trail of organization ${organizationId}: broken at event ${verdict.brokenAt} (${verdict.reason})`);
    }
  }

  if (await tableExists(query, "NoticeVersion")) {
    // The notices model (app/domain/notice.ts) computes the chain; loaded only where it exists.
    const noticeDomain = "../../app/domain/notice.ts";
    const { verifyNoticeChain } = (await import(/* @vite-ignore */ noticeDomain)) as {
      verifyNoticeChain: (versions: unknown[]) => { ok: boolean; brokenAt: number | null; length: number };
    };
    const versions = await query(`SELECT * FROM "NoticeVersion" ORDER BY "noticeId", version`);
    const bySeries = new Map<string, Array<Record<string, unknown>>>();
    for (const row of versions) {
      const version = { ...row } as Record<string, unknown>;
      for (const key of ["publishedAt", "effectiveFrom", "effectiveUntil"]) version[key] = new Date(row[key] as string | Date);
      bySeries.set(row.noticeId as string, [...(bySeries.get(row.noticeId as string) ?? []), version]);
    }
    for (const [noticeId, series] of bySeries) {
      const verdict = verifyNoticeChain(series);
      report.noticeChains += 1;
      report.noticeVersions += series.length;
      if (!verdict.ok) report.broken.push(`notice ${noticeId}: broken at version ${verdict.brokenAt}`);
    }
  }
  return report;
}

export function describeReport(report: ChainReport): string {
  const counts = `${report.auditChains} audit chains (${report.auditEvents} events), ${report.organizationChains} organization chains (${report.organizationEvents} events), ${report.noticeChains} notice chains (${report.noticeVersions} versions)`;
  return report.broken.length ? `BROKEN: ${report.broken.join("; ")} — of ${counts}` : `verified ${counts}`;
}
