/**
 * A minimal browser for HTTP-level tests: keeps cookies, sends the Origin header a same-site form
 * post would send, and presents its own client address (X-Forwarded-For) so that tests do not
 * share login throttles unless they mean to.
 */
import { randomInt } from "node:crypto";
import pg from "pg";

/**
 * The confirmation link the server sent to `email` (the newest), from the outbox of the database
 * the test server uses (DATABASE_URL, set by startTestServer; XS_E2E_DATABASE_URL in Playwright).
 */
export async function confirmationLink(email: string): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.XS_E2E_DATABASE_URL ?? process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT payload->>'href' AS href FROM "OutboxMessage" WHERE "toEmail" = $1 AND kind = 'account.confirmEmail' ORDER BY "createdAt" DESC LIMIT 1`, [email]);
    if (!rows[0]?.href) throw new Error(`no confirmation was sent to ${email}`);
    return rows[0].href as string;
  } finally {
    await client.end();
  }
}

export type Page = { status: number; headers: Headers; text: string; location: string | null };

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  readonly ip: string;
  acceptLanguage = "zh-CN,zh;q=0.9";

  constructor(readonly baseUrl: string, options: { ip?: string } = {}) {
    this.ip = options.ip ?? `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      const expired = /max-age=0/i.test(line) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit & { origin?: string | null } = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    headers.set("X-Forwarded-For", this.ip);
    if (!headers.has("Accept-Language")) headers.set("Accept-Language", this.acceptLanguage);
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && init.origin !== null) headers.set("Origin", init.origin ?? this.baseUrl);
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    this.remember(response.headers);
    return { status: response.status, headers: response.headers, text: await response.text(), location: response.headers.get("location") };
  }

  get(path: string, init: RequestInit = {}) {
    return this.request(path, init);
  }

  /** A form post, as a browser without JavaScript sends it. */
  post(path: string, form: Record<string, string>, init: RequestInit & { origin?: string | null } = {}) {
    return this.request(path, {
      ...init,
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...(init.headers as Record<string, string> | undefined) },
      body: new URLSearchParams(form).toString(),
    });
  }

  async login(email: string, password: string) {
    const page = await this.post("/login", { email, password, redirectTo: "/" });
    if (page.status !== 302) throw new Error(`login as ${email} failed with ${page.status}`);
    return page;
  }

  /**
   * Signs up and follows the confirmation link sent to the address (issue 19: the account exists
   * once the link is followed), read from the outbox of the server's database — the e-mail the
   * server would send. Returns the confirmation's answer (a redirect, signed in).
   */
  async signup(input: { email: string; displayName?: string; password?: string }) {
    const password = input.password ?? "correct horse battery";
    const page = await this.post("/signup", {
      email: input.email,
      displayName: input.displayName ?? "Test User",
      password,
      confirmPassword: password,
      redirectTo: "/",
    });
    if (page.status !== 302) throw new Error(`sign-up of ${input.email} failed with ${page.status}: ${page.text.slice(0, 500)}`);
    const link = await confirmationLink(input.email.trim().toLowerCase());
    const confirmed = await this.post(link, {});
    if (confirmed.status !== 302) throw new Error(`confirming the sign-up of ${input.email} failed with ${confirmed.status}: ${confirmed.text.slice(0, 500)}`);
    return confirmed;
  }
}

let counter = 0;
/** A unique e-mail address for this test run. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.test`;
}
