/** The job queue's state for the operator's view: jobs per queue and state (pg-boss's own tables). */
import { getDb } from "~/infra/db.server.ts";
import { QUEUES } from "~/jobs/background.server.ts";

export type JobCount = { queue: string; state: string; count: number };

export async function jobCounts(): Promise<JobCount[]> {
  const names = Object.values(QUEUES);
  try {
    const rows = await getDb().$queryRawUnsafe<Array<{ queue: string; state: string; count: number }>>(
      `SELECT name AS queue, state::text AS state, count(*)::int AS count FROM pgboss.job WHERE name = ANY($1::text[]) GROUP BY name, state ORDER BY name, state`,
      names,
    );
    return rows;
  } catch {
    // No queue yet (a web-only process before any worker created it): nothing to show.
    return [];
  }
}
