// Lint: TypeScript rules plus the project's boundaries (STYLE.md): browser code never imports
// server-only modules (*.server.ts), and the pure domain never imports I/O.
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

// Issue 16: the project's modules are imported statically, so that the module graph shows every
// dependency and a cycle cannot hide behind a lazy import (the Remix build, loaded by path, and
// the generated Prisma client are not the project's own modules in this sense).
// `x as unknown as T` forces any type onto any value; stored JSON is read through its schema
// (app/models/stored-json.server.ts) and other values through a type guard instead.
const NO_DOUBLE_CAST = {
  selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
  message: "No `as unknown as`: read stored JSON through app/models/stored-json.server.ts, other values through a type guard.",
};
// One module graph per process (decision 032): module state is shared by every importer, so
// nothing needs hanging on globalThis.
const NO_GLOBAL_THIS = {
  selector: "Identifier[name='globalThis']",
  message: "No globalThis: the server is one bundle, so module state exists once per process (decision 032).",
};
const NO_DYNAMIC_PROJECT_IMPORT = {
  selector: "ImportExpression[source.type='Literal'][source.value=/^(~\\/|\\.{1,2}\\/)/]",
  message: "Import the project's own modules statically (a dynamic import() hides a dependency and, often, a cycle).",
};

/**
 * The layers of app/ (docs/modules.md): routes → notices, http → models → auth → infra → domain.
 * A layer may not import a layer above it; nothing in app/ imports the realtime server.
 */
const ABOVE_MODELS = ["~/routes/*", "~/http/*", "~/notices/*", "**/realtime/*"];
function layer(files, forbidden, message) {
  return { files, rules: { "no-restricted-imports": ["error", { patterns: [{ group: forbidden, message }] }] } };
}

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "app/generated/**", "node_modules/**", "test-results/**", "playwright-report/**", "tests/.tmp/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Layers import downward (issue 16): no module of the product takes part in an import cycle.
    files: ["app/**/*.{ts,tsx}", "realtime/**/*.ts", "server.ts", "server-entry.ts", "prisma/**/*.ts"],
    ignores: ["app/generated/**"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver": undefined,
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "no-restricted-syntax": ["error", NO_DYNAMIC_PROJECT_IMPORT, NO_DOUBLE_CAST, NO_GLOBAL_THIS],
    },
  },
  {
    // The wasm schema engine's driver speaks to generated bindings; the cast rule is for the product.
    files: ["prisma/scripts/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", NO_DYNAMIC_PROJECT_IMPORT] },
  },
  {
    files: ["app/components/**/*.{ts,tsx}", "app/collab/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/*.server", "**/*.server.ts", "**/*.server.tsx"], message: "Browser code must not import server-only modules (*.server.ts)." }] },
      ],
    },
  },
  {
    // One realtime door (issue 14): only the dispatcher listens to a socket, so that every
    // client→server event is bounded, parsed and checked against its capability in one place.
    files: ["realtime/**/*.ts", "server.ts", "server-entry.ts"],
    ignores: ["realtime/dispatcher.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        NO_DYNAMIC_PROJECT_IMPORT,
        NO_DOUBLE_CAST,
        NO_GLOBAL_THIS,
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(on|once|onAny|prependAny|addListener|prependListener)$/][callee.object.name=/socket/i]",
          message: "Register client events in the dispatch table (realtime/dispatcher.ts), not with socket.on.",
        },
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(on|once|onAny|prependAny|addListener|prependListener)$/][callee.object.property.name=/socket/i]",
          message: "Register client events in the dispatch table (realtime/dispatcher.ts), not with socket.on.",
        },
      ],
    },
  },
  layer(["app/models/**/*.ts"], ABOVE_MODELS, "Models sit below routes, HTTP helpers and the realtime server: pass what they need in, or move the code down."),
  layer(["app/auth/**/*.ts"], [...ABOVE_MODELS, "~/models/*"], "app/auth sits below the models (docs/modules.md)."),
  layer(["app/infra/**/*.ts"], [...ABOVE_MODELS, "~/models/*", "~/auth/*"], "app/infra is the bottom server layer: database, environment, events, ids (docs/modules.md)."),
  {
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/*.server", "**/*.server.ts", "~/infra/*", "~/auth/*", "~/http/*", "~/notices/*", "~/models/*"], message: "app/domain is pure: no server modules or data access." },
            { group: ["node:*", "pg", "@prisma/*"], message: "app/domain is pure: no I/O." },
          ],
        },
      ],
    },
  },
);
