/**
 * Who is asking: the signed-in user with their memberships (a redirect to login for anonymous
 * users). What they may do is decided by the one projection, app/domain/capabilities.ts, which
 * every model function puts its action to before touching data.
 */
import { getDb } from "~/infra/db.server.ts";
import type { Actor } from "~/domain/actors.ts";
import { requireUser, getUser, type AuthUser } from "~/auth/login-session.server.ts";
import { getEnv } from "~/infra/env.server.ts";
import { DomainError } from "~/domain/errors.ts";

export type { Actor };

export async function loadActor(userId: string): Promise<Actor> {
  const memberships = await getDb().membership.findMany({ where: { userId }, select: { organizationId: true, role: true } });
  return { userId, memberships };
}

/** The signed-in user with their memberships, or a redirect to login. */
export async function requireActor(request: Request): Promise<{ user: AuthUser; actor: Actor }> {
  const user = await requireUser(request);
  return { user, actor: await loadActor(user.id) };
}

export async function getActor(request: Request): Promise<{ user: AuthUser; actor: Actor } | null> {
  const user = await getUser(request);
  return user ? { user, actor: await loadActor(user.id) } : null;
}

/** Whether this user operates the site (XS_OPERATOR_EMAILS): the job queue and the deliveries. */
export function isOperator(user: AuthUser): boolean {
  return user.email !== null && getEnv().XS_OPERATOR_EMAILS.includes(user.email.toLowerCase());
}

/** The signed-in operator; "not found" for anyone else (the page's existence is not advertised). */
export async function requireOperator(request: Request): Promise<AuthUser> {
  const user = await requireUser(request);
  if (!isOperator(user)) throw new DomainError("notFound");
  return user;
}
