// Gathers the benchmark results (tests/bench/results/*.md, written by each benchmark) into
// BENCHMARKS.md at the project root. Run by `npm run bench` after the benchmarks.
import fs from "node:fs";
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
fs.writeFileSync(path.join(root, "BENCHMARKS.md"), `${header}\n${sections.join("\n\n")}\n`);
console.log(`Wrote BENCHMARKS.md (${sections.length} section(s)).`);
