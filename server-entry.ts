/**
 * The production entry point. `remix build` bundles this file with the app (remix.config.js
 * `server`) into build/index.js, so the HTTP server, the realtime layer, the clock and every route
 * share one copy of each module in a process: one Prisma client, one event bus, one page cache
 * (decision 032). `npm start` runs `node build/index.js`.
 *
 * The bundle also exports the Remix build itself (routes, assets, entry) for the tests that read
 * the route manifest, and `startServer` for the tests and benchmarks that start a server in their
 * own process.
 */
import { pathToFileURL } from "node:url";
import * as build from "@remix-run/dev/server-build";
import type { ServerBuild } from "@remix-run/node";
import { runMain, startServer as startServerFor, type RunningServer } from "./server.ts";

export * from "@remix-run/dev/server-build";
export { contentSecurityPolicy, logProcessFailures, type RunningServer } from "./server.ts";
// For tests that run two instances in one process (tests/realtime/revocation, scale-out).
export { inProcessBus } from "./app/infra/events.server.ts";

const serverBuild: ServerBuild = build;

export function startServer(overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<RunningServer> {
  return startServerFor(serverBuild, overrides);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runMain(serverBuild);
