/**
 * The end-to-end suite's web server: `node build/index.js` (what `npm start` serves), its output
 * passed through and also written to XS_E2E_SERVER_LOG, so that a test can read what the console
 * transports print (a worker's sign-in code by SMS, issue 25) as a person trying `npm start` would.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const logPath = process.env.XS_E2E_SERVER_LOG;
if (logPath) fs.mkdirSync(path.dirname(logPath), { recursive: true });
const log = logPath ? fs.createWriteStream(logPath, { flags: "a" }) : null;
const child = spawn(process.execPath, ["build/index.js"], { stdio: ["ignore", "pipe", "pipe"], env: process.env });
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  log?.write(chunk);
});
child.stderr.on("data", (chunk) => process.stderr.write(chunk));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  log?.end();
  process.exit(code ?? (signal ? 1 : 0));
});
