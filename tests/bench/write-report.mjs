// Gathers the benchmark results (tests/bench/results/*.md, written by each benchmark) into
// BENCHMARKS.md at the project root. Run by `npm run bench` after the benchmarks.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = path.join(root, "tests/bench/results");
const sections = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith(".md"))
  .sort()
  .map((name) => fs.readFileSync(path.join(dir, name), "utf8").trim());
const header = `# Benchmarks

Measured by \`npm run bench\` (scripts in \`tests/bench/\`, raw figures as JSON in \`tests/bench/results/\`).
These machines are shared and noisy: compare figures measured side by side in one run, not across runs.
`;
// The machine the report was written on (each section also names the machine of its own run).
const cpus = os.cpus();
let postgres = "unknown";
try {
  postgres = execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"], { encoding: "utf8", timeout: 5_000 }).trim();
} catch {
  // no psql or no server: left unknown
}
const machine = { nproc: cpus.length, cpu: cpus[0]?.model.trim() ?? "unknown", memoryGiB: Math.round(os.totalmem() / 1024 ** 3), node: process.version, postgres, platform: `${os.platform()} ${os.release()}` };
const machineLine = `Machine: ${machine.nproc} cores (\`nproc\`), ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}, ${machine.platform}.\n`;
fs.writeFileSync(path.join(root, "BENCHMARKS.md"), `${header}${machineLine}\n${sections.join("\n\n")}\n`);
// Every figure as JSON too: each benchmark's own file, gathered under its name.
const figures = Object.fromEntries(
  fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => [name.replace(/\.json$/, ""), JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"))]),
);
fs.writeFileSync(path.join(root, "BENCHMARKS.json"), `${JSON.stringify({ generatedAt: new Date().toISOString(), machine, benchmarks: figures }, null, 2)}\n`);
console.log(`Wrote BENCHMARKS.md (${sections.length} section(s)) and BENCHMARKS.json.`);
