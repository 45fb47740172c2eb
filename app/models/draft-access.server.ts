/**
 * What a user may do with a session's live draft (view, edit, comment, offer — from the capability
 * projection), the page header of the draft and versions pages, and the blocking rule checks on
 * the stored draft. The realtime server and the draft's models ask here.
 */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/auth/actor.server.ts";
import { speakingSide, type SessionRoles } from "~/domain/session-access.ts";
import { decide, type SessionAction } from "~/domain/capabilities.ts";
import { ruleContextFor, type AgreementFacts } from "~/domain/minimum-wage.ts";
import { blockingBreaches, UNREADABLE_TERMS } from "~/domain/rule-checks.ts";
import { termsSchema } from "~/domain/terms.ts";
import { loadDocument } from "~/models/document-store.server.ts";
import { sessionInclude, subjectOf, type LoadedSession } from "~/models/session-core.server.ts";

export type DraftCapabilities = { view: boolean; edit: boolean; comment: boolean; offer: boolean };

/** What a user may do with a session's draft right now; null when they may not see the session. */
export async function getDraftAccess(options: { actor: Actor; sessionId: string }): Promise<DraftCapabilities | null> {
  // Every realtime join and access re-check comes here: only the capabilities, without the rule
  // context getDraftHeader also computes for the page (measured in the realtime fan-out bench).
  const session = await getDb().bargainingSession.findUnique({ where: { id: options.sessionId }, include: sessionInclude });
  return session ? (draftCapabilitiesOf(options.actor, session)?.capabilities ?? null) : null;
}

/**
 * For the realtime server: the actor's capabilities on the draft and the side of their seat (the
 * colour and label others see on their presence), or null when they may not see the session.
 */
export async function getDraftParticipant(options: { actor: Actor; sessionId: string }): Promise<{ capabilities: DraftCapabilities; side: "WORKER" | "EMPLOYER" | null } | null> {
  const session = await getDb().bargainingSession.findUnique({ where: { id: options.sessionId }, include: sessionInclude });
  const access = session ? draftCapabilitiesOf(options.actor, session) : null;
  if (!access) return null;
  return { capabilities: access.capabilities, side: speakingSide(access.roles) };
}

/** The draft's capabilities, from the one projection (the realtime dispatcher checks against these). */
function draftCapabilitiesOf(actor: Actor, session: LoadedSession, now = new Date()): { roles: SessionRoles; capabilities: DraftCapabilities } | null {
  const subject = subjectOf(actor, session);
  const may = (action: SessionAction) => decide(subject, action, now).allowed;
  if (!may("view")) return null;
  return { roles: subject.roles, capabilities: { view: true, edit: may("editDraft"), comment: may("commentDraft"), offer: may("offerDraft") } };
}

/** The little the draft and versions pages need: title, the user's side and capabilities. */
export async function getDraftHeader(options: { actor: Actor; sessionId: string }) {
  const session = await getDb().bargainingSession.findUnique({ where: { id: options.sessionId }, include: sessionInclude });
  if (!session) return null;
  const access = draftCapabilitiesOf(options.actor, session);
  if (!access) return null;
  const { roles, capabilities } = access;
  return {
    title: session.title,
    side: speakingSide(roles),
    capabilities,
    // The same facts the server checks signing against (draftBreaches), so the browser shows the same results.
    ruleContext: ruleContextFor(session),
  };
}


/** Blocking rule-check results on the stored draft's terms (the stored state is authoritative). */
export async function draftBreaches(sessionId: string) {
  const session = await getDb().bargainingSession.findUniqueOrThrow({ where: { id: sessionId }, select: { regionCode: true, industry: true, plannedEffectiveFrom: true, effectiveFrom: true, effectiveUntil: true, termMonths: true } });
  const { doc } = await loadDocument(sessionId);
  try {
    return termsBreaches(doc.getMap("terms").toJSON(), session);
  } finally {
    doc.destroy();
  }
}

/**
 * Blocking rule-check results on stored terms (a draft's, a ratified version's): terms that do not
 * parse are a breach of their own ("the terms cannot be read", issue 18).
 */
export function termsBreaches(terms: unknown, session: AgreementFacts) {
  const parsed = termsSchema.safeParse(terms);
  return parsed.success ? blockingBreaches(parsed.data, ruleContextFor(session)) : [UNREADABLE_TERMS];
}
