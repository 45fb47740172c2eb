/**
 * Run as its own process by tests/unit/process-failures.test.ts: installs the server's process-level
 * failure logging, then commits one unhandled rejection (the process must go on) and one uncaught
 * exception (the fatal handler must run).
 */
import { logProcessFailures } from "../../server.ts";

logProcessFailures(() => {
  console.log("fatal handler ran");
  process.exit(3);
});
void Promise.reject(new Error("probe rejection"));
setTimeout(() => {
  console.log("still serving after the rejection");
  setTimeout(() => {
    throw new Error("probe exception");
  }, 10);
}, 100);
