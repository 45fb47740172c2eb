/**
 * An in-process signal that who-may-do-what in a session has changed (a seat ended, a member
 * removed, the procedure moved on), so that the realtime server re-checks its open connections at
 * once. Kept on globalThis because the Remix build and the realtime server load separate copies
 * of the app's modules in one process; other processes hear of it through socket.io's adapter.
 */
import { EventEmitter } from "node:events";

declare global {
  var __xieshangEvents: EventEmitter | undefined;
}

function bus(): EventEmitter {
  globalThis.__xieshangEvents ??= new EventEmitter();
  return globalThis.__xieshangEvents;
}

/** `sessionId` null means "possibly every session" (a membership changed). */
export function announceAccessChange(sessionId: string | null): void {
  bus().emit("access-changed", sessionId);
}

export function onAccessChange(listener: (sessionId: string | null) => void): () => void {
  bus().on("access-changed", listener);
  return () => bus().off("access-changed", listener);
}

/** A login session ended (logout), or every login session of a user was revoked. */
export type LoginRevocation = { kind: "session"; id: string } | { kind: "user"; id: string };

/** Tells the realtime server to close the connections opened with that login (on every process). */
export function announceLoginRevocation(revocation: LoginRevocation): void {
  bus().emit("login-revoked", revocation);
}

export function onLoginRevocation(listener: (revocation: LoginRevocation) => void): () => void {
  bus().on("login-revoked", listener);
  return () => bus().off("login-revoked", listener);
}
