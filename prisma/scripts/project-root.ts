/**
 * The project's root folder (the one holding package.json), found by walking up from the module
 * that asks. The same answer whether that module runs from source (prisma/scripts/, the root) or
 * inside the server bundle (build/index.js), where every module shares the bundle's address.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function projectRoot(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}
