/**
 * Everything about login sessions lives here, so that lucia (v3, with @lucia-auth/adapter-prisma)
 * can be replaced in this one file. Sessions are rows in PostgreSQL; the cookie is HttpOnly,
 * SameSite=Lax, and Secure when the request came over TLS.
 */
import { Cookie, Lucia, TimeSpan, type Session, type User } from "lucia";
import { PrismaAdapter } from "@lucia-auth/adapter-prisma";
import { redirect } from "@remix-run/node";
import { getDb } from "~/infra/db.server.ts";
import { announceLoginRevocation } from "~/infra/events.server.ts";

export const SESSION_COOKIE = "xs_session";

function createLucia() {
  const db = getDb();
  // The adapter only needs the two model delegates; its declared peer range predates Prisma 7.
  const adapter = new PrismaAdapter(db.session as never, db.user as never);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: { name: SESSION_COOKIE, expires: true, attributes: { sameSite: "lax", secure: false } },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      phone: attributes.phone,
      displayName: attributes.displayName,
      locale: attributes.locale,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { email: string | null; phone: string | null; displayName: string; locale: string | null };
  }
}

let lucia: ReturnType<typeof createLucia> | undefined;
function getLucia() {
  lucia ??= createLucia();
  return lucia;
}

export type AuthUser = User;
export type Auth = {
  user: User | null;
  session: Session | null;
  /** A session cookie was sent but is no longer valid (expired or revoked). */
  expired: boolean;
  /** Set-Cookie to send back (a refreshed or a cleared cookie), if any. */
  setCookie: string | null;
};

function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

/** The Secure flag depends on the request (TLS or not), so it is decided here, not in config. */
function serialize(cookie: Cookie, request: Request): string {
  return new Cookie(cookie.name, cookie.value, { ...cookie.attributes, secure: isSecure(request) }).serialize();
}

const cache = new WeakMap<Request, Promise<Auth>>();

/** Reads and validates the session cookie once per request. */
export function getAuth(request: Request): Promise<Auth> {
  let pending = cache.get(request);
  if (!pending) {
    pending = (async () => {
      const sessionId = getLucia().readSessionCookie(request.headers.get("Cookie") ?? "");
      if (!sessionId) return { user: null, session: null, expired: false, setCookie: null };
      const { session, user } = await getLucia().validateSession(sessionId);
      if (!session) {
        return { user: null, session: null, expired: true, setCookie: serialize(getLucia().createBlankSessionCookie(), request) };
      }
      const setCookie = session.fresh ? serialize(getLucia().createSessionCookie(session.id), request) : null;
      return { user, session, expired: false, setCookie };
    })();
    cache.set(request, pending);
  }
  return pending;
}

export async function getUser(request: Request): Promise<User | null> {
  return (await getAuth(request)).user;
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<User> {
  const auth = await getAuth(request);
  if (auth.user) return auth.user;
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
  if (auth.expired) params.set("expired", "1");
  throw redirect(`/login?${params}`, auth.setCookie ? { headers: { "Set-Cookie": auth.setCookie } } : undefined);
}

/**
 * Starts a new session for the user and returns its Set-Cookie header. Any session the request
 * carried is invalidated first (a fresh id at every login: no session fixation).
 */
export async function startSession(request: Request, userId: string): Promise<string> {
  const previous = getLucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (previous) {
    await getLucia().invalidateSession(previous);
    announceLoginRevocation({ kind: "session", id: previous });
  }
  await getLucia().deleteExpiredSessions();
  const session = await getLucia().createSession(userId, {});
  return serialize(getLucia().createSessionCookie(session.id), request);
}

/** Ends the request's session; returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const sessionId = getLucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (sessionId) {
    await getLucia().invalidateSession(sessionId);
    // Open realtime connections of this login are closed too, on every process.
    announceLoginRevocation({ kind: "session", id: sessionId });
  }
  return serialize(getLucia().createBlankSessionCookie(), request);
}

/** Validates a raw session id (socket.io handshake). */
export async function validateSessionId(sessionId: string) {
  return getLucia().validateSession(sessionId);
}

export function readSessionCookie(cookieHeader: string): string | null {
  return getLucia().readSessionCookie(cookieHeader);
}

/** Logs the user out everywhere (privilege change, password change). */
export async function revokeAllSessions(userId: string): Promise<void> {
  await getLucia().invalidateUserSessions(userId);
  announceLoginRevocation({ kind: "user", id: userId });
}

/**
 * The device cookie (issue 19): a random token the account's known-device row holds the hash of,
 * set at every successful login. With it, the account's failure ceiling never refuses its owner.
 */
export const DEVICE_COOKIE = "xs_device";
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function readDeviceToken(request: Request): string | null {
  const pair = (request.headers.get("Cookie") ?? "").split(";").map((part) => part.trim()).find((part) => part.startsWith(`${DEVICE_COOKIE}=`));
  const token = pair?.slice(DEVICE_COOKIE.length + 1) ?? null;
  return token && DEVICE_TOKEN.test(token) ? token : null;
}

export function deviceCookie(request: Request, token: string): string {
  return new Cookie(DEVICE_COOKIE, token, { path: "/", httpOnly: true, sameSite: "lax", maxAge: 365 * 24 * 60 * 60, secure: isSecure(request) }).serialize();
}
