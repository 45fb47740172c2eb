import fs from "node:fs";
import pg from "pg";

/** Drops the e2e database or folder this run created (the web server has stopped by now). */
export default async function teardown() {
  if (process.env.XS_E2E_DATA_DIR) fs.rmSync(process.env.XS_E2E_DATA_DIR, { recursive: true, force: true });
  const serverUrl = process.env.XS_TEST_PG_URL;
  const database = process.env.XS_E2E_DATABASE;
  if (!serverUrl || !database) return;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
