/**
 * What a user is in a bargaining session, derived from their memberships in the session's party
 * organizations and from the seats they hold. Pure; app/domain/capabilities.ts decides with it.
 */
import type { Actor } from "./actors.ts";
import type { Side } from "./procedure.ts";

/** What the actor is in this session; derived from memberships and seats by the caller. */
export type SessionActor = {
  userId: string;
  /** The side(s) of the parties the actor is a negotiator or admin of. */
  negotiatorOf: Side[];
  /** The side of the actor's representative seat, if any. */
  representativeOf: Side | null;
  chiefOf: Side | null;
  isRecorder: boolean;
  /** Member of an observing labour bureau. */
  isReviewer: boolean;
};

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

/**
 * The side the actor speaks for (the colour of their presence, the side of their comments and
 * offers): their seat's side, else the side they negotiate for; null for the recorder, the bureau
 * and anyone else. Attribution, not permission: app/domain/capabilities.ts decides what they may do.
 */
export function speakingSide(roles: Pick<SessionActor, "representativeOf" | "negotiatorOf">): Side | null {
  return roles.representativeOf ?? roles.negotiatorOf[0] ?? null;
}
