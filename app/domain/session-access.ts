/**
 * What a user is in a bargaining session, derived from their memberships in the session's party
 * organizations and from the seats they hold. Pure; app/domain/permissions.ts decides with it.
 */
import type { Actor } from "./permissions.ts";
import type { Side, SessionActor } from "./procedure.ts";

export type PartyRole = "WORKER" | "EMPLOYER" | "OBSERVER";

export type SessionRoles = SessionActor & {
  /** Member of a party organization, or holder of a seat: may see the session at all. */
  canView: boolean;
  /** Sides whose private caucus the user may read and write. */
  caucusSides: Side[];
};

export function sessionRolesOf(
  actor: Actor | null,
  parties: ReadonlyArray<{ organizationId: string; role: PartyRole }>,
  seats: ReadonlyArray<{ userId: string; side: Side | null; kind: "REPRESENTATIVE" | "RECORDER"; isChief: boolean }>,
): SessionRoles {
  const none: SessionRoles = { userId: actor?.userId ?? "", canView: false, negotiatorOf: [], caucusSides: [], representativeOf: null, chiefOf: null, isRecorder: false, isReviewer: false };
  if (!actor) return none;
  const negotiatorOf = new Set<Side>();
  const memberOf = new Set<Side>();
  let isReviewer = false;
  for (const party of parties) {
    const membership = actor.memberships.find((m) => m.organizationId === party.organizationId);
    if (!membership) continue;
    if (party.role === "OBSERVER") {
      isReviewer = true;
      continue;
    }
    memberOf.add(party.role);
    if (membership.role === "ADMIN" || membership.role === "NEGOTIATOR") negotiatorOf.add(party.role);
  }
  const mySeats = seats.filter((seat) => seat.userId === actor.userId);
  const representative = mySeats.find((seat) => seat.kind === "REPRESENTATIVE" && seat.side !== null);
  const chief = mySeats.find((seat) => seat.kind === "REPRESENTATIVE" && seat.isChief && seat.side !== null);
  const isRecorder = mySeats.some((seat) => seat.kind === "RECORDER");
  const caucusSides = new Set<Side>(memberOf);
  if (representative?.side) caucusSides.add(representative.side);
  return {
    userId: actor.userId,
    canView: memberOf.size > 0 || isReviewer || mySeats.length > 0,
    negotiatorOf: [...negotiatorOf],
    caucusSides: [...caucusSides],
    representativeOf: representative?.side ?? null,
    chiefOf: chief?.side ?? null,
    isRecorder,
    isReviewer,
  };
}
