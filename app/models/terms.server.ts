/**
 * The stored draft's terms and their rule checks, as the server sees them: the same checks and the
 * same context (the region's minimum wage on the effective date) as the browser, computed from the
 * stored document, which is authoritative. Used by the session page and by the signing guard.
 */
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { ruleContextFor } from "~/domain/minimum-wage.ts";
import { checkTerms, type CheckResult } from "~/domain/rule-checks.ts";
import { readTerms } from "~/domain/terms.ts";
import { getDraftAccess } from "~/models/draft-access.server.ts";
import { loadDocument } from "~/models/document-store.server.ts";

/** Rule checks on a session's stored draft, or null when the actor may not see the draft or there is none yet. */
export async function getDraftRuleChecks(options: { actor: Actor; sessionId: string }): Promise<{ results: CheckResult[]; termsValid: boolean } | null> {
  const access = await getDraftAccess({ actor: options.actor, sessionId: options.sessionId });
  if (!access?.view) return null;
  const db = getDb();
  const [session, document] = await Promise.all([
    db.bargainingSession.findUnique({ where: { id: options.sessionId }, select: { regionCode: true, industry: true, plannedEffectiveFrom: true, effectiveFrom: true, effectiveUntil: true, termMonths: true } }),
    db.draftDocument.findUnique({ where: { sessionId: options.sessionId }, select: { id: true } }),
  ]);
  if (!session || !document) return null;
  const { doc } = await loadDocument(options.sessionId);
  try {
    const terms = readTerms(doc.getMap("terms").toJSON());
    return terms ? { results: checkTerms(terms, ruleContextFor(session)), termsValid: true } : { results: [], termsValid: false };
  } finally {
    doc.destroy();
  }
}
