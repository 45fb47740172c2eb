// Lint: TypeScript rules plus the project's boundaries (STYLE.md): browser code never imports
// server-only modules (*.server.ts), and the pure domain never imports I/O.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "app/generated/**", "node_modules/**", "test-results/**", "playwright-report/**", "tests/.tmp/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
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
