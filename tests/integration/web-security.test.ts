/**
 * Web security (issue 8, item 5; decision 018): the Content-Security-Policy with a fresh nonce per
 * response on every inline script, the other security headers, HSTS only behind TLS.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { TestBrowser } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { demoAccount, loginAs } from "../support/sessions.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let db: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await server?.close();
});

function directives(header: string | null): Map<string, string> {
  return new Map(
    (header ?? "")
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name!, values.join(" ")] as const;
      }),
  );
}

describe("security headers", () => {
  it("gives every page a CSP whose nonce is fresh per response and carried by every inline script", async () => {
    const nonces = new Set<string>();
    for (const path of ["/login", "/signup", "/"]) {
      const page = await new TestBrowser(server.url).get(path);
      expect(page.status).toBe(200);
      const csp = directives(page.headers.get("content-security-policy"));
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp.get("script-src") ?? "")?.[1];
      expect(nonce, `${path}: script-src with a nonce`).toBeTruthy();
      expect(csp.get("script-src")).not.toContain("unsafe-inline");
      expect(csp.get("default-src")).toBe("'self'");
      expect(csp.get("frame-ancestors")).toBe("'none'");
      expect(csp.get("object-src")).toBe("'none'");
      expect(csp.get("base-uri")).toBe("'self'");
      nonces.add(nonce!);
      const scripts = [...page.text.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
      expect(scripts.length, `${path}: Remix's scripts are in the page`).toBeGreaterThan(0);
      for (const attributes of scripts) {
        // Inline or not, every script element carries this response's nonce.
        expect(attributes, `${path}: <script${attributes}>`).toContain(`nonce="${nonce}"`);
      }
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(page.headers.get("x-frame-options")).toBe("DENY");
    }
    expect(nonces.size, "a different nonce on each response").toBe(3);
  });

  it("sends HSTS only when the request came over TLS through a trusted proxy", async () => {
    const plain = await new TestBrowser(server.url).get("/login");
    expect(plain.headers.get("strict-transport-security")).toBeNull();
    // The test server trusts one proxy hop (XS_TRUST_PROXY=1): the proxy says the visitor used https.
    const behindTls = await new TestBrowser(server.url).get("/login", { headers: { "X-Forwarded-Proto": "https" } });
    expect(behindTls.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
  });

  it("ignores X-Forwarded-Proto from a client when no proxy is trusted", async () => {
    const untrusted = await startTestServer({ XS_TRUST_PROXY: "0" });
    try {
      const spoofed = await new TestBrowser(untrusted.url).get("/login", { headers: { "X-Forwarded-Proto": "https" } });
      expect(spoofed.status).toBe(200);
      expect(spoofed.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await untrusted.close();
    }
  });
});

describe("session rotation on privilege change", () => {
  const signedIn = async (browser: TestBrowser) => (await browser.get("/orgs")).status === 200;
  const membershipId = async (email: string) =>
    (await db.query(`SELECT m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" JOIN "Organization" o ON o.id = m."organizationId" WHERE u.email = $1 AND o.slug = 'hz-rider-union'`, [email])).rows[0]?.id as string | undefined;

  it("ends every session of a member whose role changes or who is removed, and only theirs", async () => {
    const admin = await loginAs(server.url, "unionAdmin");
    const member = demoAccount("workerRepresentative");
    const onLaptop = await loginAs(server.url, "workerRepresentative");
    const onPhone = await loginAs(server.url, "workerRepresentative");
    const bystander = await loginAs(server.url, "unionNegotiator");
    expect(await signedIn(onLaptop)).toBe(true);
    expect(await signedIn(onPhone)).toBe(true);

    // A refused change (the last administrator cannot step down) changes nothing, sessions included.
    const self = (await membershipId(demoAccount("unionAdmin").email))!;
    const refused = await admin.post("/orgs/hz-rider-union", { intent: "changeRole", membershipId: self, role: "MEMBER" });
    expect(refused.status).toBe(409);
    expect(await signedIn(admin)).toBe(true);

    const promoted = await admin.post("/orgs/hz-rider-union", { intent: "changeRole", membershipId: (await membershipId(member.email))!, role: "NEGOTIATOR" });
    expect(promoted.status).toBe(302);
    expect(await signedIn(onLaptop), "the old session on the laptop").toBe(false);
    expect(await signedIn(onPhone), "the old session on the phone").toBe(false);
    expect(await signedIn(admin), "the administrator who made the change").toBe(true);
    expect(await signedIn(bystander), "another member").toBe(true);

    // Signing in again gives a fresh session with the new role; removal ends it as well.
    const again = await loginAs(server.url, "workerRepresentative");
    expect(await signedIn(again)).toBe(true);
    const removed = await admin.post("/orgs/hz-rider-union", { intent: "removeMember", membershipId: (await membershipId(member.email))! });
    expect(removed.status).toBe(302);
    expect(await signedIn(again)).toBe(false);
    expect(await signedIn(bystander)).toBe(true);
  });
});
