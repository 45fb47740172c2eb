/**
 * The real server as a process of its own (`node build/index.js`, what `npm start` runs), for tests
 * that need several processes or kill one: started with its own environment, in its own process
 * group (so that SIGKILL reaches it and nothing else), ready once /healthz answers 200.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type ChildServer = { url: string; port: number; child: ChildProcess; output(): string; kill(): Promise<void>; stop(): Promise<void> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, ["build/index.js"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", REDIS_URL: "", XS_DEMO_SCENARIO: "false", XS_TRUST_PROXY: "1", XS_MAIL_LOG: "line", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const reap = () => killGroup(child);
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive(child)) throw new Error(`the server exited during start-up (${child.exitCode ?? child.signalCode}):\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within 60 s:\n${output.slice(-3000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      await response.text();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const exited = () => (alive(child) ? new Promise<void>((resolve) => child.once("exit", () => resolve())) : Promise.resolve());
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    async kill() {
      const gone = exited();
      killGroup(child);
      await gone;
    },
    async stop() {
      const gone = exited();
      if (alive(child)) child.kill("SIGTERM");
      await gone;
    },
  };
}

function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}
