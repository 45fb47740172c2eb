/**
 * The production server bundle, build/index.js (server-entry.ts bundled with the app by
 * `remix build`, decision 032), for tests and benchmarks that start a server in their own process.
 * No vitest import here: the benchmarks use it too.
 */
import type * as ServerBundle from "../../server-entry.ts";

/** The built server bundle (run `npx remix build` first; `npm test` and `npm run bench` do). */
export async function serverBundle(): Promise<typeof ServerBundle> {
  return (await import(new URL("../../build/index.js", import.meta.url).href)) as typeof ServerBundle;
}
