/**
 * The server guard around `authorize` (app/domain/permissions.ts): loads the actor's memberships
 * and refuses with a localized 403 (or a redirect to login for anonymous users). Every model
 * function that reads or writes protected data takes the actor and goes through here.
 */
import { getDb } from "~/db.server.ts";
import { DomainError } from "~/domain/errors.ts";
import { authorize, type Actor, type Permission, type ResourceFor } from "~/domain/permissions.ts";
import { requireUser, getUser, type AuthUser } from "~/session.server.ts";

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

export function can<P extends Permission>(actor: Actor | null, permission: P, ...resource: ResourceFor<P> extends undefined ? [] : [ResourceFor<P>]): boolean {
  return authorize(actor, permission, resource[0] as ResourceFor<P>);
}

/** Throws a DomainError("forbidden") unless `actor` holds `permission` on `resource`. */
export function requirePermission<P extends Permission>(actor: Actor | null, permission: P, ...resource: ResourceFor<P> extends undefined ? [] : [ResourceFor<P>]): void {
  if (!actor) throw new DomainError("auth.required");
  if (!authorize(actor, permission, resource[0] as ResourceFor<P>)) throw new DomainError("forbidden");
}
