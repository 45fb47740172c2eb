/**
 * Issue 13: a bug that escapes every handler is loud. The server's process-level logging, in a
 * process of its own: an unhandled rejection is logged on one line and the process goes on; an
 * uncaught exception is logged and hands over to the shutdown (which exits non-zero).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

it("logs an unhandled rejection and keeps running; logs an uncaught exception and runs the fatal handler", () => {
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["tests/support/process-failure-probe.ts"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  const rejection = result.stderr.split("\n").filter((line) => line.startsWith("BUG: unhandled promise rejection"));
  expect(rejection, result.stderr).toHaveLength(1);
  expect(rejection[0]).toMatch(/^BUG: unhandled promise rejection: Error: probe rejection \(at .*process-failure-probe\.ts/);
  expect(result.stdout).toContain("still serving after the rejection");
  expect(result.stderr).toMatch(/^BUG: uncaught exception \(uncaughtException\): Error: probe exception/m);
  expect(result.stdout).toContain("fatal handler ran");
  expect(result.status).toBe(3);
}, 60_000);
