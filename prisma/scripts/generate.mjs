// `prisma generate` from a clean clone. The Prisma CLI insists on locating a native schema engine
// at start-up (and would download one from a host we cannot reach) even though generating the
// client does not use it; pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing file satisfies that
// check. Migrations use the WebAssembly engine instead (prisma/scripts/schema-engine.ts).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const placeholder = path.join(root, "prisma/scripts/no-native-engine.sh");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !fs.existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
const cli = path.join(root, "node_modules/prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, "generate"], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
