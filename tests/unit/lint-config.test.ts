/**
 * Issue 16: the lint configuration keeps the layers honest. A cycle between two modules of the
 * product, an import upward through the layers, or a dynamic import() of one of the project's own
 * modules fails `npx eslint .`;
 * checked here on probe files written into the tree for the duration of the test.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ESLint } from "eslint";

const probes: string[] = [];
function probe(relative: string, text: string): string {
  const file = path.resolve(relative);
  fs.writeFileSync(file, text);
  probes.push(file);
  return file;
}

afterAll(() => {
  for (const file of probes) fs.rmSync(file, { force: true });
});

const eslint = new ESLint();
const rulesHit = async (files: string[]) => (await eslint.lintFiles(files)).flatMap((result) => result.messages.map((message) => `${path.basename(result.filePath)}:${message.ruleId}`));

describe("the lint configuration", () => {
  it("fails on an import cycle between two models", async () => {
    const suffix = `${process.pid}`;
    const a = probe(`app/models/__probe-a-${suffix}.server.ts`, `import { b } from "~/models/__probe-b-${suffix}.server.ts";\nexport const a = (): unknown => b;\n`);
    const b = probe(`app/models/__probe-b-${suffix}.server.ts`, `import { a } from "./__probe-a-${suffix}.server.ts";\nexport const b = (): unknown => a;\n`);
    const hits = await rulesHit([a, b]);
    expect(hits).toContain(`__probe-a-${suffix}.server.ts:import-x/no-cycle`);
    expect(hits).toContain(`__probe-b-${suffix}.server.ts:import-x/no-cycle`);
  }, 60_000);

  it("fails on a dynamic import() of the project's own modules, in the app and in the realtime server", async () => {
    for (const [where, source] of [
      ["app/models", "~/infra/db.server.ts"],
      ["realtime", "../app/infra/db.server.ts"],
    ] as const) {
      const file = probe(`${where}/__probe-dynamic-${process.pid}.ts`, `export async function lazy(): Promise<unknown> {\n  return import("${source}");\n}\n`);
      expect(await rulesHit([file]), where).toContain(`${path.basename(file)}:no-restricted-syntax`);
    }
  }, 60_000);

  it("fails on an import upward through the layers (models → http, auth → models, infra → auth, app → realtime)", async () => {
    for (const [where, source] of [
      ["app/models", "~/http/page-cache.server.ts"],
      ["app/models", "~/notices/http.server.ts"],
      ["app/models", "../../realtime/protocol.ts"],
      ["app/auth", "~/models/user.server.ts"],
      ["app/infra", "~/auth/password.server.ts"],
      ["app/infra", "~/models/user.server.ts"],
    ] as const) {
      const file = probe(`${where}/__probe-upward-${process.pid}.server.ts`, `import * as above from "${source}";
export const upward = (): unknown => above;
`);
      expect(await rulesHit([file]), `${where} → ${source}`).toContain(`${path.basename(file)}:no-restricted-imports`);
      fs.rmSync(file, { force: true });
    }
  }, 60_000);

  it("fails on a singleton hung on globalThis (the server is one module graph, decision 032)", async () => {
    for (const where of ["app/infra", "realtime"]) {
      const file = probe(`${where}/__probe-global-${process.pid}.ts`, `export const bus = ((globalThis as Record<string, unknown>).__bus ??= new Map());\n`);
      expect(await rulesHit([file]), where).toContain(`${path.basename(file)}:no-restricted-syntax`);
    }
  }, 60_000);

  it("passes the same modules without the cycle or the dynamic import", async () => {
    const file = probe(`app/models/__probe-clean-${process.pid}.server.ts`, `import { getDb } from "~/infra/db.server.ts";\nexport const db = (): unknown => getDb();\n`);
    expect(await rulesHit([file])).toEqual([]);
  }, 60_000);
});
