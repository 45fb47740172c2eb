/**
 * A short-lived in-memory cache of public responses (the notice pages, the notice list, the JSON
 * API and feeds), for anonymous readers only: the day new piece rates are published, the same page
 * is asked for thousands of times a second, and rendering it each time (database reads, React)
 * capped the notice page at a few dozen requests per second in the benchmark
 * (tests/bench/notice-pages.ts, decision 024).
 *
 * What is cached: a 200 answer to an anonymous GET (no session cookie) that the route itself marked
 * shareable (`Cache-Control: public` and an ETag, see app/notices/http.server.ts), without
 * Set-Cookie. The key is the URL plus what the response varies on (Cookie: the locale cookie,
 * Accept-Language). An entry lives `ttlMs` (2 s by default) and every cached entry of this process
 * is dropped on any state-changing request (a feedback post, a publication), so a reader sees a
 * change at most `ttlMs` late (on another process too). A hit is answered without rendering: 304
 * when If-None-Match holds the entry's ETag, else the stored body, compressed once per encoding
 * (brotli, gzip) instead of once per response. One request renders a missing or expired entry;
 * the others meanwhile get the entry being replaced (for at most `staleMs`) or wait for the render,
 * so that a popular page is rendered once per `ttlMs` however many readers ask for it.
 *
 * The body is sent with the Content-Security-Policy it was rendered with, so the readers of one
 * entry share its script nonce. A nonce stops script injected into a response from running; the
 * cached body is byte for byte the one rendered with that nonce, so nothing can be injected into
 * it afterwards, and every other response (every other entry, every signed-in page) has a nonce
 * of its own. The trade-off is argued in decision 024.
 */
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import type { NextFunction, Request, Response } from "express";
import { announcePublicContentChange, publicContentGeneration } from "~/infra/events.server.ts";

type Encoding = "br" | "gzip" | "identity";
type Entry = {
  generation: number;
  expires: number;
  headers: Record<string, string | string[]>;
  /** The body as rendered, and its compressed forms (made on first use). */
  bodies: Partial<Record<Encoding, Buffer>>;
  /** The Content-Security-Policy sent with the render, whose nonce the body carries. */
  policy: string;
  etag: string;
};

const PUBLIC_PATHS = /^\/(?:notices|api\/notices)(?:\/|$)/;
/** A verification recomputes the hash chain from the stored rows each time: that is its point. */
const NEVER_CACHED = /\/verify\/?$/;
const SESSION_COOKIE = /(?:^|;\s*)xs_session=/;
const MAX_ENTRIES = 2_000;
const MAX_BODY_BYTES = 1024 * 1024;
/** Never replayed from the cache: set per response by the middleware before us. */
const PER_RESPONSE_HEADERS = new Set(["content-security-policy", "content-length", "content-encoding", "transfer-encoding", "connection", "date", "keep-alive", "set-cookie"]);

function keyOf(req: Request): string {
  return `${req.originalUrl}\u0000${req.headers.cookie ?? ""}\u0000${req.headers["accept-language"] ?? ""}`;
}

/** Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string, etag: string): boolean {
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

export function publicPageCache(options: { ttlMs?: number; staleMs?: number } = {}) {
  const ttlMs = options.ttlMs ?? 2_000;
  const staleMs = options.staleMs ?? 10_000;
  const entries = new Map<string, Entry>();
  /** Renders under way, by key: the requests that find one wait for it or take the stale entry. */
  const rendering = new Map<string, Promise<void>>();

  const serve = (req: Request, res: Response, entry: Entry) => {
    for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
    // RFC 9111 §5.1: how long ago the response was rendered (it marks a response from this cache).
    res.setHeader("Age", String(Math.max(0, Math.floor((Date.now() - (entry.expires - ttlMs)) / 1000))));
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch && matches(ifNoneMatch, entry.etag)) {
      // As conditionalGet in server.ts: no body, and no policy that would not match a cached body.
      res.removeHeader("Content-Type");
      res.removeHeader("Content-Security-Policy");
      res.status(304).end();
      return;
    }
    const accepted = String(req.headers["accept-encoding"] ?? "");
    const encoding: Encoding = /\bbr\b/.test(accepted) ? "br" : /\bgzip\b/.test(accepted) ? "gzip" : "identity";
    const plain = entry.bodies.identity!;
    const body = (entry.bodies[encoding] ??=
      encoding === "br"
        ? brotliCompressSync(plain, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: plain.byteLength } })
        : encoding === "gzip"
          ? gzipSync(plain)
          : plain);
    res.setHeader("Content-Security-Policy", entry.policy);
    res.setHeader("Vary", [String(entry.headers.vary ?? entry.headers.Vary ?? ""), "Accept-Encoding"].filter(Boolean).join(", "));
    if (encoding !== "identity") res.setHeader("Content-Encoding", encoding);
    res.setHeader("Content-Length", String(body.byteLength));
    res.status(200);
    if (req.method === "HEAD") res.end();
    else res.end(body);
  };

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      // Something may have changed once a state-changing request succeeded: nothing cached here is
      // trusted any longer. A refused or failed request changed nothing, so it purges nothing (an
      // anonymous stranger cannot empty the cache by posting garbage).
      if (req.method !== "OPTIONS") {
        res.once("finish", () => {
          if (res.statusCode < 400) {
            entries.clear();
            announcePublicContentChange();
          }
        });
      }
      return next();
    }
    if (ttlMs <= 0 || !PUBLIC_PATHS.test(req.path) || NEVER_CACHED.test(req.path) || SESSION_COOKIE.test(req.headers.cookie ?? "")) return next();
    const key = keyOf(req);
    const now = Date.now();
    const entry = entries.get(key);
    const current = entry && entry.generation === publicContentGeneration() ? entry : undefined;
    const pending = rendering.get(key);
    if (current && (current.expires > now || (pending && now < current.expires + staleMs))) return serve(req, res, current);
    if (pending) {
      // Someone is rendering this page: wait for it, then serve what it left (or render too).
      pending.then(() => {
        const fresh = entries.get(key);
        if (fresh && fresh.generation === publicContentGeneration() && fresh.expires > Date.now()) serve(req, res, fresh);
        else next();
      }, next);
      return;
    }
    if (entry && !current) entries.delete(key);
    // The one request that renders gets the full page, so that there is a body to keep for the
    // others (conditionalGet would otherwise turn it into a bodiless 304, and readers who all
    // revalidate would never refill the entry: measured, 18 requests/s).
    delete req.headers["if-none-match"];
    render(req, res, next, key);
  };

  /** Lets the route render, and keeps a copy of what it sends when it may be shared. */
  const render = (req: Request, res: Response, next: NextFunction, key: string) => {
    let done!: () => void;
    rendering.set(key, new Promise<void>((resolve) => (done = resolve)));
    const settle = () => {
      rendering.delete(key);
      done();
    };
    res.once("finish", settle);
    res.once("close", settle);
    const renderedIn = publicContentGeneration();
    const chunks: Buffer[] = [];
    let size = 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      const buffer = typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
      size += buffer.byteLength;
      if (size <= MAX_BODY_BYTES) chunks.push(buffer);
    };
    res.write = function cachedWrite(this: Response, ...args: unknown[]) {
      keep(args[0], args[1]);
      return write(...args);
    } as typeof res.write;
    res.end = function cachedEnd(this: Response, ...args: unknown[]) {
      keep(args[0], args[1]);
      const etag = res.getHeader("ETag");
      const cacheControl = String(res.getHeader("Cache-Control") ?? "");
      const shareable = req.method === "GET" && res.statusCode === 200 && typeof etag === "string" && /\bpublic\b/.test(cacheControl) && !res.getHeader("Set-Cookie");
      if (shareable && size <= MAX_BODY_BYTES && renderedIn === publicContentGeneration()) {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.getHeaders())) {
          if (value !== undefined && !PER_RESPONSE_HEADERS.has(name.toLowerCase())) headers[name] = typeof value === "number" ? String(value) : value;
        }
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(key, {
          generation: renderedIn,
          expires: Date.now() + ttlMs,
          headers,
          bodies: { identity: Buffer.concat(chunks) },
          policy: String(res.getHeader("Content-Security-Policy") ?? ""),
          etag,
        });
      }
      return end(...args);
    } as typeof res.end;
    next();
  };

  return middleware;
}
