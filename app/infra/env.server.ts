/**
 * Environment variables, parsed once with zod at start-up. A wrong value stops the server with a
 * message that names the variable and says what is expected.
 */
import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** PostgreSQL server; when unset, the embedded database (PGlite) is started. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/xieshang")
    .optional(),
  /** Redis for socket.io fan-out across processes (optional for one process). */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "expected a redis:// URL, e.g. redis://127.0.0.1:6379").optional(),
  PORT: z.coerce.number({ message: "expected a port number" }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** Loopback port of the embedded database (0 picks a free one); fixed for tools that connect to it. */
  XS_EMBEDDED_DB_PORT: z.coerce.number({ message: "expected a port number" }).int().min(0).max(65535).default(0),
  /** Folder of the embedded database, relative to the project. */
  XS_DATA_DIR: z.string().min(1).default(".data/pglite"),
  /**
   * Demo mode: seed demo data into an empty database and show the demo accounts on the login
   * page. On by default so that `npm start` is a working try-out; set XS_DEMO=false in production.
   */
  XS_DEMO: booleanFlag.default("true"),
  /** With XS_DEMO, also a bargaining session with a realistic draft (prisma/demo-scenario.ts); tests turn it off to start from demo accounts only. */
  XS_DEMO_SCENARIO: booleanFlag.default("true"),
  /** Number of reverse proxies in front of the app (for client IPs and https detection). */
  XS_TRUST_PROXY: z.coerce.number({ message: "expected a number of proxy hops" }).int().min(0).max(10).default(0),
  /** Connections per process in the database pool. */
  /** Refusals a realtime connection may collect per minute before it is closed (realtime/protocol.ts LIMITS.refusalsPerMinute). */
  XS_REALTIME_REFUSALS_PER_MINUTE: z.coerce.number({ message: "expected a number of refusals" }).int().min(1).max(100_000_000).default(60),
  XS_DB_POOL_SIZE: z.coerce.number({ message: "expected a number of connections" }).int().min(1).max(200).default(10),
  /**
   * Longest a single SQL statement may run (lock waits included) before PostgreSQL cancels it, so
   * that a slow or locked database gives a clear error instead of a hung request.
   */
  XS_DB_STATEMENT_TIMEOUT_MS: z.coerce.number({ message: "expected milliseconds" }).int().min(100).max(600_000).default(15_000),
  /** Longest to wait for a database connection (opening one, or a free one from the pool). */
  XS_DB_CONNECT_TIMEOUT_MS: z.coerce.number({ message: "expected milliseconds" }).int().min(100).max(120_000).default(10_000),
  /**
   * The site's public address, for links in e-mails (never taken from a request's Host header).
   * Defaults to http://localhost:<PORT>.
   */
  XS_PUBLIC_URL: z.string().regex(/^https?:\/\/[^/\s]+\/?$/, "expected an origin such as https://xieshang.example").optional(),
  /** How long an anonymous public page is served from the page cache (decision 024). */
  XS_PAGE_CACHE_TTL_MS: z.coerce.number({ message: "expected milliseconds" }).int().min(0).max(600_000).default(2_000),
  /** Which parts this process runs: everything (default), only the web server, or only the background workers (decision 034). */
  XS_PROCESS: z.enum(["all", "web", "worker"], { message: "expected all, web or worker" }).default("all"),
  /** Seconds between clock sweeps (the procedure's deadlines), shared by every process through the job queue. */
  XS_CLOCK_SWEEP_SECONDS: z.coerce.number({ message: "expected seconds" }).int().min(1).max(3600).default(60),
  /** Seconds between runs of the outbox relay (pending e-mails handed to the job queue). */
  XS_OUTBOX_RELAY_SECONDS: z.coerce.number({ message: "expected seconds" }).int().min(1).max(3600).default(5),
  /** A running job not finished after this many seconds is taken for dead (its process killed) and run again. */
  XS_JOB_EXPIRE_SECONDS: z.coerce.number({ message: "expected seconds" }).int().min(2).max(86_400).default(300),
  /** How often the queue looks for expired jobs and due retries. */
  XS_JOB_SUPERVISE_SECONDS: z.coerce.number({ message: "expected seconds" }).int().min(1).max(3600).default(30),
  /** First retry delay of a failed delivery, doubled at each retry (exponential back-off). */
  XS_DELIVERY_RETRY_SECONDS: z.coerce.number({ message: "expected seconds" }).int().min(1).max(3600).default(30),
  /** Retries of a failed delivery before it is failed for good (an operator may retry it). */
  XS_DELIVERY_RETRIES: z.coerce.number({ message: "expected a number of retries" }).int().min(0).max(50).default(8),
  /** SMTP server for e-mail; when unset, mails are printed to the console. */
  XS_SMTP_HOST: z.string().min(1).optional(),
  XS_SMTP_PORT: z.coerce.number({ message: "expected a port number" }).int().min(1).max(65535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  XS_SMTP_SECURE: booleanFlag.default("false"),
  /** Refuse to send unless the server upgrades to TLS (STARTTLS). */
  XS_SMTP_REQUIRE_TLS: booleanFlag.default("false"),
  XS_SMTP_USER: z.string().min(1).optional(),
  XS_SMTP_PASSWORD: z.string().min(1).optional(),
  XS_SMTP_TIMEOUT_MS: z.coerce.number({ message: "expected milliseconds" }).int().min(100).max(600_000).default(30_000),
  /** What the console transport prints of each mail: all of it (default), or one line (tests). */
  XS_MAIL_LOG: z.enum(["full", "line"], { message: "expected full or line" }).default("full"),
  XS_MAIL_FROM: z.string().min(3).default("协商 Xieshang <no-reply@xieshang.localhost>"),
  /** An HTTP gateway for text messages (sign-in codes); when unset, messages are printed to the console. */
  XS_SMS_HTTP_URL: z.string().regex(/^https?:\/\/\S+$/, "expected an http(s) URL").optional(),
  XS_SMS_HTTP_TOKEN: z.string().min(1).optional(),
  XS_SMS_TIMEOUT_MS: z.coerce.number({ message: "expected milliseconds" }).int().min(100).max(120_000).default(10_000),
  /** The key that seals a sign-in code while it waits in the outbox (32 bytes, base64); every process of one site needs the same. */
  XS_SEAL_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length === 32, "expected 32 bytes in base64")
    .optional(),
  /**
   * E-mail addresses of the site's operators (comma separated): they see the job queue and the
   * deliveries (/admin/jobs). In demo mode, operator@xieshang.demo when none is given.
   */
  XS_OPERATOR_EMAILS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((email) => email.trim().toLowerCase()).filter(Boolean)),
  /** Extra origins allowed to send mutating requests (comma separated), e.g. https://xieshang.example. */
  XS_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean)),
});

export type Env = Omit<z.infer<typeof EnvSchema>, "XS_PUBLIC_URL"> & { XS_PUBLIC_URL: string };

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable (`DATABASE_URL=`) means "not set", as in most shells' .env conventions.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  return {
    ...env,
    XS_PUBLIC_URL: env.XS_PUBLIC_URL ?? `http://localhost:${env.PORT || 3000}`,
    XS_OPERATOR_EMAILS: env.XS_OPERATOR_EMAILS.length === 0 && env.XS_DEMO ? ["operator@xieshang.demo"] : env.XS_OPERATOR_EMAILS,
  };
}

let cached: Env | undefined;

/** Installs the environment the server parsed at start-up (a test may start servers with different settings). */
export function configureEnv(env: Env): void {
  cached = env;
}

export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

/**
 * The site's public origin (XS_PUBLIC_URL without a trailing slash) for every absolute URL the app
 * writes — links, feeds, the JSON API, QR codes, e-mails — never a request's Host or
 * X-Forwarded-Host, which anyone can forge (issue 18, item 5).
 */
export function publicOrigin(): string {
  return getEnv().XS_PUBLIC_URL.replace(/\/+$/, "");
}
