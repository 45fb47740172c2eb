/**
 * End-to-end tests in Debian's Chromium (/usr/bin/chromium; `npx playwright install` cannot
 * download browsers here). The web server is the real one (`node build/index.js`, the bundle `npm start` runs) with
 * a fresh database: a new database on the PostgreSQL server when tests/run.mjs found one
 * (XS_TEST_PG_URL), otherwise the embedded PGlite in a fresh folder.
 */
import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const CHROMIUM = process.env.XS_CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(CHROMIUM)) {
  throw new Error(
    `Chromium not found at ${CHROMIUM}. Install Debian's chromium (sudo apt-get install chromium) or set XS_CHROMIUM_PATH. ` +
      "Playwright cannot download its own browser on these machines.",
  );
}

const PORT = Number(process.env.XS_E2E_PORT ?? 3210);
const runId = `${Date.now().toString(36)}`;
// XS_TRUST_PROXY=1: tests that prepare data over HTTP (tests/support) present their own client
// addresses through X-Forwarded-For, as in the integration tests, so that a long end-to-end run
// does not exhaust the login throttle of one address.
const serverEnv: Record<string, string> = { PORT: String(PORT), HOST: "127.0.0.1", XS_DEMO: "true", XS_DEMO_SCENARIO: "false", NODE_ENV: "production", XS_TRUST_PROXY: "1" };
// What the server prints (the console transports' mails and text messages), for tests to read
// (tests/e2e/serve.mjs, `serverOutput` in tests/e2e/fixtures.ts).
process.env.XS_E2E_SERVER_LOG ??= path.resolve("tests/.tmp", `e2e-server-${runId}.log`);
if (process.env.XS_TEST_PG_URL) {
  const url = new URL(process.env.XS_TEST_PG_URL);
  url.pathname = `/xs_e2e_${runId}`;
  serverEnv.DATABASE_URL = url.toString();
  // Read by tests/e2e/global-teardown.ts (same process) to drop this run's database only.
  process.env.XS_E2E_DATABASE ??= `xs_e2e_${runId}`;
  // Tests that prepare data directly (tests/support/sessions.ts) reach the same database.
  process.env.XS_E2E_DATABASE_URL ??= serverEnv.DATABASE_URL;
} else {
  const dataDir = path.join("tests/.tmp", `e2e-pglite-${runId}`);
  serverEnv.XS_DATA_DIR = dataDir;
  serverEnv.XS_EMBEDDED_DB_PORT = String(PORT + 1);
  process.env.XS_E2E_DATABASE_URL ??= `postgresql://postgres:postgres@127.0.0.1:${PORT + 1}/postgres?sslmode=disable`;
  process.env.XS_E2E_DATA_DIR ??= dataDir;
  serverEnv.DATABASE_URL = "";
}

/** Debian's Chromium, without the features that reach the network or need a display server. */
const launchOptions = {
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  globalTeardown: "./tests/e2e/global-teardown.ts",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      testIgnore: /mobile\.spec\.ts|complaint\.spec\.ts/,
      use: {
        ...devices["Desktop Chrome"],
        launchOptions,
      },
    },
    {
      name: "mobile",
      use: {
        ...devices["Pixel 7"],
        launchOptions,
      },
      testMatch: /mobile\.spec\.ts/,
    },
    {
      // The rider's complaint flow (issue 25) seeds the demo scenario (an agreement in force with
      // its cases) into the shared database, so it runs after every other spec.
      name: "complaint",
      dependencies: ["chromium", "mobile"],
      use: {
        ...devices["Desktop Chrome"],
        launchOptions,
      },
      testMatch: /complaint\.spec\.ts/,
    },
  ],
  webServer: {
    command: "node tests/e2e/serve.mjs",
    url: `http://127.0.0.1:${PORT}/healthz`,
    env: { ...process.env, ...serverEnv } as Record<string, string>,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
