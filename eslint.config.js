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
