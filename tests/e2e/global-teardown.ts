import fs from "node:fs";
import pg from "pg";

/** Drops the e2e database or folder this run created (the web server has stopped by now). */
export default async function teardown() {
  fs.rmSync("tests/.tmp", { recursive: true, force: true });
  const serverUrl = process.env.XS_TEST_PG_URL;
  if (!serverUrl) return;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'xs_e2e_%'");
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
