/**
 * Starts the real server (Express + Remix + socket.io) on a free port against this worker's
 * database: the production bundle, build/index.js (server-entry.ts bundled with the app by
 * `remix build`), so tests run the code that ships, with one copy of each module (decision 032).
 */
import type { RunningServer } from "../../server.ts";
import { serverBundle } from "./bundle.ts";
import { workerDatabaseUrl } from "./database.ts";

export type { RunningServer };
export { serverBundle };

/** Starts the built server with these environment overrides. */
export async function startServer(overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<RunningServer> {
  return (await serverBundle()).startServer(overrides);
}

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
    // One line per mail of the console transport, not the whole mail.
    XS_MAIL_LOG: "line",
    ...env,
  });
  return { ...server, url: `http://127.0.0.1:${server.port}`, databaseUrl };
}
