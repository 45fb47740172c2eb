/**
 * The one Node process: Express serving the Remix app and socket.io on the same port.
 *
 *   DATABASE_URL set   → that PostgreSQL server, nothing else
 *   DATABASE_URL unset → embedded PostgreSQL (PGlite) with its data in XS_DATA_DIR
 *
 * Either way, pending migrations are applied and, in demo mode, an empty database is seeded;
 * from then on the code path is the same. This module is not run by itself: `remix build` bundles
 * it with the app through server-entry.ts (remix.config.js `server`) into build/index.js, so the
 * server, the realtime layer and every route share one copy of each module (decision 032).
 * See docs/operations.md.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { configureEnv, parseEnv, type Env } from "./app/infra/env.server.ts";
import { getDb, disconnectDb } from "./app/infra/db.server.ts";
import { translator } from "./app/i18n/i18n.ts";
import { localeFromAcceptLanguage } from "./app/i18n/locale.server.ts";
import { bounded, explicitCacheControl, saneCookies } from "./app/http/request-bounds.server.ts";
import { applyMigrations } from "./prisma/scripts/schema-engine.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./prisma/embedded.ts";
import { isDatabaseEmpty, seedDemoData, seedDemoScenarioOnce, seedDemoVerificationsOnce, skipDemoHistoryMail } from "./prisma/seed.ts";
import { attachRealtime, type Realtime } from "./realtime/server.ts";
import { runClockSweep } from "./app/models/sweep.server.ts";
import { startBackground } from "./app/jobs/background.server.ts";
import { publicPageCache } from "./app/http/page-cache.server.ts";
import { projectRoot } from "./prisma/scripts/project-root.ts";

const ROOT = projectRoot(import.meta.url);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type RunningServer = {
  url: string;
  port: number;
  httpServer: HttpServer;
  realtime: Realtime;
  /** Runs the procedure's clock now, as the minute timer does (`now` for tests of later days); errors are thrown. */
  sweep(now?: Date): Promise<void>;
  close(): Promise<void>;
};

/**
 * Security headers for every response (decision 018). Each response gets its own CSP nonce
 * (res.locals.cspNonce, handed to Remix through the load context): only scripts from this origin
 * and inline scripts carrying that nonce run. Styles allow 'unsafe-inline' because the editor
 * (ProseMirror, collaboration carets) sets style attributes; see the decision for why that is an
 * acceptable risk. HSTS only when the request really came over TLS (directly, or through
 * XS_TRUST_PROXY proxies that set X-Forwarded-Proto), so a plain-HTTP try-out is not pinned.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

/**
 * Conditional GET (RFC 9110 §13): a GET or HEAD about to be answered 200 with an ETag the client
 * already holds (If-None-Match, compared by Express's `req.fresh`) is answered 304 with no body
 * instead. Routes opt in by setting an ETag (the public notices, their JSON API and feeds). The page
 * is still rendered, but nothing crosses a weak network. The 304 carries no Content-Security-Policy
 * so that a cache keeps the policy whose nonce matches the HTML it already holds (decision 016).
 */
function conditionalGet() {
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !req.headers["if-none-match"]) return next();
    const writeHead = res.writeHead as (...args: unknown[]) => Response;
    res.writeHead = function patchedWriteHead(this: Response, ...args: unknown[]) {
      const status = typeof args[0] === "number" ? args[0] : this.statusCode;
      if (status === 200 && this.getHeader("ETag") && req.fresh) {
        this.statusCode = 304;
        if (typeof args[0] === "number") args[0] = 304;
        for (const header of ["Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding", "Content-Security-Policy"]) this.removeHeader(header);
      }
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}

/**
 * Refuses every state-changing request whose Origin (or, failing that, Referer) is not this site:
 * cookies ride along with cross-site form posts, so this is what stops cross-site request forgery.
 */
function originCheck(env: Env) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const own = `${req.protocol}://${req.get("host")}`;
    let origin = req.get("origin");
    if (!origin || origin === "null") {
      const referer = req.get("referer");
      try {
        origin = referer ? new URL(referer).origin : undefined;
      } catch {
        origin = undefined;
      }
    }
    if (origin && (origin === own || env.XS_ALLOWED_ORIGINS.includes(origin))) return next();
    const locale = localeFromAcceptLanguage(req.get("accept-language") ?? null);
    const t = translator(locale);
    const message = t("errors.badOrigin");
    res.status(403).setHeader("Cache-Control", "no-store");
    if (req.accepts(["html", "json"]) === "json") {
      res.json({ ok: false, code: "badOrigin", error: message });
    } else {
      const title = t("http.forbiddenTitle");
      res.type("html").send(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${message}</p></html>`);
    }
  };
}

/**
 * Refuses a URL carrying a NUL byte (%00) with a plain 400: no route has a use for one, PostgreSQL
 * text cannot hold it, and a search or filter parameter with one would otherwise reach a query and
 * fail there with a 500.
 */
function rejectNulInUrl() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!/%00/i.test(req.originalUrl)) return next();
    const locale = localeFromAcceptLanguage(req.get("accept-language") ?? null);
    const t = translator(locale);
    res.status(400).setHeader("Cache-Control", "no-store");
    if (req.accepts(["html", "json"]) === "json") {
      res.json({ ok: false, code: "invalidInput", error: t("errors.invalidInput") });
    } else {
      const title = t("http.errorTitle");
      res.type("html").send(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p role="alert">${t("errors.invalidInput")}</p></html>`);
    }
  };
}

/**
 * Starts the server for `build` (the Remix build this module was bundled with; see
 * server-entry.ts). The app reads its configuration from process.env, so overrides go there.
 */
export async function startServer(build: ServerBuild, overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<RunningServer> {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined || value === "") delete process.env[key];
    else process.env[key] = value;
  }
  const env = parseEnv(process.env);
  configureEnv(env);
  let embedded: EmbeddedPostgres | null = null;
  if (env.DATABASE_URL) {
    process.env.DATABASE_URL = env.DATABASE_URL;
  } else {
    const dataDir = path.resolve(ROOT, env.XS_DATA_DIR);
    embedded = await startEmbeddedPostgres({ dataDir, port: env.XS_EMBEDDED_DB_PORT });
    process.env.DATABASE_URL = embedded.url;
    console.log(`Embedded PostgreSQL (PGlite) with data in ${path.relative(process.cwd(), dataDir) || dataDir}`);
  }
  const databaseUrl = process.env.DATABASE_URL;

  const applied = await applyMigrations(databaseUrl);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  if (env.XS_DEMO && (await isDatabaseEmpty(getDb()))) {
    await seedDemoData(getDb());
    await seedDemoVerificationsOnce(getDb());
    if (env.XS_DEMO_SCENARIO) await seedDemoScenarioOnce(getDb());
    await skipDemoHistoryMail(getDb());
    console.log("Seeded demo data (see the login page for the demo accounts).");
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.XS_TRUST_PROXY);
  app.use(compression());
  app.use(explicitCacheControl());
  app.use(securityHeaders());
  app.use(conditionalGet());
  // Fingerprinted assets never change.
  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(ROOT, "public"), { maxAge: "1h" }));
  app.use(rejectNulInUrl());
  // Undecodable cookie pairs are dropped before anything reads them (issue 19).
  app.use(saneCookies());
  // Anonymous reads of the public notices served from a 2-second cache (decision 024).
  app.use(publicPageCache({ ttlMs: env.XS_PAGE_CACHE_TTL_MS }));
  app.use(originCheck(env));
  app.all(
    "*",
    // A body is a form post within FORM_BODY_LIMIT, read and counted before Remix sees it (issue 19).
    bounded(
      createRequestHandler({
        build,
        mode: env.NODE_ENV === "development" ? "development" : "production",
        getLoadContext: (req, res) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown", cspNonce: String(res.locals.cspNonce ?? "") }),
      }),
    ),
  );

  const httpServer = createServer(app);
  const realtime = await attachRealtime(httpServer, { allowedOrigins: env.XS_ALLOWED_ORIGINS, redisUrl: env.REDIS_URL, refusalsPerMinute: env.XS_REALTIME_REFUSALS_PER_MINUTE });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(env.PORT, env.HOST, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://localhost:${port}`;
  // Without XS_PUBLIC_URL, links point at this server as `npm start` serves it (the port it got).
  if (!process.env.XS_PUBLIC_URL) configureEnv({ ...env, XS_PUBLIC_URL: url });

  // Deadlines that act by themselves (the review period lapsing, an agreement taking effect or
  // expiring) happen whether or not anyone opens the session: the clock sweep, the outbox relay and
  // e-mail deliveries run on the job queue that every process shares (app/jobs/, decision 034).
  // A web-only process (XS_PROCESS=web) queues work but leaves running it to worker processes.
  const background = await startBackground({ databaseUrl, env, workers: env.XS_PROCESS !== "web" });

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    httpServer,
    realtime,
    sweep: async (now = new Date()) => {
      await runClockSweep(now);
    },
    close() {
      closing ??= (async () => {
        // A connection still busy after a grace period (a slow request, a client that never
        // finishes) must not hold the shutdown forever: it is cut then.
        const force = setTimeout(() => httpServer.closeAllConnections(), 5_000);
        force.unref();
        // Stops socket.io after every acknowledged update is stored and compactions are done.
        await realtime.close();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        clearTimeout(force);
        await background.stop();
        await disconnectDb();
        await embedded?.stop();
      })();
      return closing;
    },
  };
}

/** A thrown value as one line: its name, message and the first frame of its stack. */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const where = error.stack?.split("\n").find((line) => line.trim().startsWith("at "))?.trim();
  return `${error.name}: ${error.message.slice(0, 500)}${where ? ` (${where})` : ""}`;
}

/**
 * Makes a bug that escaped every handler loud (issue 13), without being what keeps the server
 * safe: every socket handler and request handler catches its own errors, so these fire only for a
 * bug. An unhandled rejection is logged and the process keeps serving (one request's promise, not
 * the process's state, went wrong). An uncaught exception is logged and then `onFatal` runs: Node
 * documents that the process state is undefined after one, so the caller shuts down (storing what
 * was acknowledged) and exits non-zero for the supervisor to restart it.
 */
export function logProcessFailures(onFatal: (error: unknown) => void): void {
  process.on("unhandledRejection", (reason) => {
    console.error(`BUG: unhandled promise rejection: ${oneLine(reason)}`);
  });
  process.on("uncaughtException", (error, origin) => {
    console.error(`BUG: uncaught exception (${origin}): ${oneLine(error)}`);
    onFatal(error);
  });
}

/**
 * A worker process (XS_PROCESS=worker): the job queue's workers without the web server, for
 * deployments that run them apart (README, "Background work"). Needs DATABASE_URL: the embedded
 * database serves one process.
 */
export async function startWorkerProcess(overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<{ close(): Promise<void> }> {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined || value === "") delete process.env[key];
    else process.env[key] = value;
  }
  const env = parseEnv(process.env);
  configureEnv(env);
  if (!env.DATABASE_URL) throw new Error("XS_PROCESS=worker needs DATABASE_URL (a PostgreSQL server shared with the web processes)");
  process.env.DATABASE_URL = env.DATABASE_URL;
  await applyMigrations(env.DATABASE_URL);
  const background = await startBackground({ databaseUrl: env.DATABASE_URL, env, workers: true });
  let closing: Promise<void> | null = null;
  return {
    close() {
      closing ??= (async () => {
        await background.stop();
        await disconnectDb();
      })();
      return closing;
    },
  };
}

/** Runs the server as this process's main program: logs, signals, exit codes. */
export async function runMain(build: ServerBuild): Promise<void> {
  let server: { close(): Promise<void> } | null = null;
  const shutdown = (reason: string, exitCode = 0) => {
    console.log(`${reason}: shutting down`);
    if (!server) process.exit(exitCode || 1);
    server.close().then(
      () => process.exit(exitCode),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  logProcessFailures(() => shutdown("uncaught exception", 1));
  try {
    if (parseEnv(process.env).XS_PROCESS === "worker") {
      server = await startWorkerProcess();
      console.log("Xieshang background workers are running (XS_PROCESS=worker)");
    } else {
      const web = await startServer(build);
      server = web;
      console.log(`Xieshang is running on ${web.url}`);
    }
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
