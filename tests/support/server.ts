/** Starts the real server (Express + Remix build + socket.io) on a free port against this worker's database. */
import { startServer, type RunningServer } from "../../server.ts";
import { workerDatabaseUrl } from "./database.ts";

export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer & { databaseUrl: string }> {
  const databaseUrl = await workerDatabaseUrl();
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    XS_DEMO: "true",
    // Tests build their own sessions; the demo scenario would only add to every worker's start-up.
    XS_DEMO_SCENARIO: "false",
    // Tests present themselves from different client addresses through X-Forwarded-For.
    XS_TRUST_PROXY: "1",
    ...env,
  });
  return { ...server, url: `http://127.0.0.1:${server.port}`, databaseUrl };
}
