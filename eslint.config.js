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
const NO_DYNAMIC_PROJECT_IMPORT = {
  selector: "ImportExpression[source.type='Literal'][source.value=/^(~\\/|\\.{1,2}\\/)/]",
  message: "Import the project's own modules statically (a dynamic import() hides a dependency and, often, a cycle).",
};

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
    files: ["app/**/*.{ts,tsx}", "realtime/**/*.ts", "server.ts", "prisma/**/*.ts"],
    ignores: ["app/generated/**"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver": undefined,
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "no-restricted-syntax": ["error", NO_DYNAMIC_PROJECT_IMPORT, NO_DOUBLE_CAST],
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
    files: ["realtime/**/*.ts", "server.ts"],
    ignores: ["realtime/dispatcher.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        NO_DYNAMIC_PROJECT_IMPORT,
        NO_DOUBLE_CAST,
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
  {
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/*.server", "**/*.server.ts", "~/db*", "~/models/*"], message: "app/domain is pure: no server modules or data access." },
            { group: ["node:*", "pg", "@prisma/*"], message: "app/domain is pure: no I/O." },
          ],
        },
      ],
    },
  },
);
