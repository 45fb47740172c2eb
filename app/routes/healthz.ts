import { json } from "@remix-run/node";
import { getDb } from "~/infra/db.server.ts";

/** Liveness and database reachability, for load balancers and the test harness. */
export async function loader() {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return json({ ok: true, database: "up" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return json({ ok: false, database: "down" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
