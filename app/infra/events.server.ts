/**
 * In-process signals between the parts of one server process: who-may-do-what in a session has
 * changed (a seat ended, a member removed, the procedure moved on), a login was revoked, public
 * content changed without a request passing the page cache (the clock published a notice). The
 * realtime server and the page cache listen; other processes hear of access changes and
 * revocations through socket.io's adapter. Plain module state: the server and the Remix build are
 * one bundle, so every module exists once per process (decision 032).
 */
import { EventEmitter } from "node:events";

const bus = new EventEmitter();
let publicGeneration = 0;

/**
 * The bus itself, for tests that run two server instances in one process and must make one of
 * them deaf to it (so that news reaches it only through Redis, as between real processes).
 */
export function inProcessBus(): EventEmitter {
  return bus;
}

/** `sessionId` null means "possibly every session" (a membership changed). */
export function announceAccessChange(sessionId: string | null): void {
  bus.emit("access-changed", sessionId);
}

export function onAccessChange(listener: (sessionId: string | null) => void): () => void {
  bus.on("access-changed", listener);
  return () => bus.off("access-changed", listener);
}

/** A login session ended (logout), or every login session of a user was revoked. */
export type LoginRevocation = { kind: "session"; id: string } | { kind: "user"; id: string };

/** Tells the realtime server to close the connections opened with that login (on every process). */
export function announceLoginRevocation(revocation: LoginRevocation): void {
  bus.emit("login-revoked", revocation);
}

export function onLoginRevocation(listener: (revocation: LoginRevocation) => void): () => void {
  bus.on("login-revoked", listener);
  return () => bus.off("login-revoked", listener);
}

/**
 * Public content may have changed without a state-changing request reaching the page cache (the
 * clock published a notice): every cached public response of this process is forgotten.
 */
export function announcePublicContentChange(): void {
  publicGeneration += 1;
}

/** Bumped by announcePublicContentChange; a cached public response from an older one is stale. */
export function publicContentGeneration(): number {
  return publicGeneration;
}
