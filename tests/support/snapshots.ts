/**
 * A bargaining session's procedure snapshot for pure tests: the union (worker side) proposed,
 * 3 + 3 representatives with a chief each and the recorder seated. Dates are relative to `NOW`.
 */
import type { SessionSnapshot, SessionState, Side } from "../../app/domain/procedure.ts";

export const NOW = new Date("2026-06-01T04:00:00Z");
export const DAY = 24 * 60 * 60 * 1000;

export function completeSession(state: SessionState, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  const side = (s: Side) => [0, 1, 2].map((i) => ({ side: s, isChief: i === 0 }));
  return {
    state,
    proposerSide: "WORKER",
    proposedAt: new Date(NOW.getTime() - 60 * DAY),
    answeredAt: new Date(NOW.getTime() - 50 * DAY),
    representativesPerSide: 3,
    termMonths: 24,
    plannedEffectiveFrom: null,
    signedAt: null,
    filedAt: null,
    effectiveFrom: null,
    effectiveUntil: null,
    agreements: {},
    suspension: null,
    signatures: [],
    delegation: [...side("WORKER"), ...side("EMPLOYER")],
    hasRecorder: true,
    ...overrides,
  };
}
