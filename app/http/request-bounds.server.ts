/**
 * The HTTP edge's bounds (issue 19, item 1), applied before Remix sees a request:
 *
 * - **Cookies**: a `Cookie` header pair whose value is not valid percent-encoding (`foo=%FF`) is
 *   dropped, as if the browser had not sent it; the rest of the header is kept.
 * - **Content type**: a request with a body (POST, PUT, PATCH, DELETE) to the app is a form post,
 *   `application/x-www-form-urlencoded` or `multipart/form-data`; anything else answers 415.
 * - **Body size**: at most `FORM_BODY_LIMIT` bytes. A declared `Content-Length` over the limit is
 *   refused before a byte is read; a chunked body is counted as it arrives and refused (the
 *   connection closed) the moment it passes the limit. Either way 413.
 *
 * Refusals are a short localized page (or JSON for a client that asks for it), `no-store`. The
 * socket.io endpoint is not a form route and has its own bounds (realtime/protocol.ts).
 */
import { Readable } from "node:stream";
import onHeaders from "on-headers";
import type { NextFunction, Request, Response } from "express";
import { COMPLAINT_BODY_LIMIT } from "~/domain/complaints.ts";
import { isLocale, translator } from "~/i18n/i18n.ts";
import { localeCookie, localeFromAcceptLanguage } from "~/i18n/locale.server.ts";

/** Forms post a few kilobytes; the largest (a correction's text and terms) stays far below. */
export const FORM_BODY_LIMIT = 64 * 1024;

/**
 * The only larger bodies: a complaint filed with its photos (issue 25), at most three photos of
 * 4 MB and the form around them (each photo is bounded again as it is read).
 */
export const LARGER_BODIES: ReadonlyArray<{ path: RegExp; limit: number }> = [{ path: /^\/notices\/[A-Za-z0-9_-]{1,64}\/complain$/, limit: COMPLAINT_BODY_LIMIT }];

/** The body limit of a request path. */
export function bodyLimitFor(pathname: string, fallback = FORM_BODY_LIMIT): number {
  return LARGER_BODIES.find((entry) => entry.path.test(pathname))?.limit ?? fallback;
}
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Valid percent-encoding (what a cookie value decodes through), without throwing. */
function decodable(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

/** The Cookie header without pairs whose value cannot be decoded; null when nothing is left. */
export function saneCookieHeader(header: string): string | null {
  const kept = header
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0 && decodable(pair.slice(pair.indexOf("=") + 1)) && decodable(pair.slice(0, Math.max(pair.indexOf("="), 0))));
  return kept.length ? kept.join("; ") : null;
}

/** The language picked on the site (its cookie), else the browser's. */
async function localeOf(req: Request) {
  const picked: unknown = await localeCookie.parse(req.headers.cookie ?? null).catch(() => null);
  return isLocale(picked) ? picked : localeFromAcceptLanguage(req.get("accept-language") ?? null);
}

async function refuse(req: Request, res: Response, status: 413 | 415, key: string, values: Record<string, string | number> = {}) {
  const locale = await localeOf(req);
  const t = translator(locale);
  const message = t(key, values);
  res.status(status).setHeader("Cache-Control", "no-store");
  // The client may still be sending: tell it the connection ends here.
  res.setHeader("Connection", "close");
  if (req.accepts(["html", "json"]) === "json") {
    res.json({ ok: false, code: status === 413 ? "tooLarge" : "unsupportedType", error: message });
  } else {
    const title = t("http.errorTitle");
    res.type("html").send(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><main class="error-page"><h1>${title}</h1><p role="alert">${message}</p></main></html>`);
  }
}

/**
 * A request whose body has been read (and counted) here, handed on to Remix as if it were the
 * original: everything but the body stream comes from the original request (headers, URL, the
 * proxy settings), the stream methods Remix's adapter uses come from the buffered body.
 */
function withBody(req: Request, body: Buffer): Request {
  const stream = Readable.from([body]);
  const replaced = Object.create(req) as Request;
  for (const method of ["on", "once", "off", "removeListener", "pause", "resume", "destroy", "pipe"] as const) {
    Object.defineProperty(replaced, method, { value: (stream[method] as (...args: unknown[]) => unknown).bind(stream) });
  }
  Object.defineProperty(replaced, "readable", { get: () => stream.readable });
  return replaced;
}

/** Drops undecodable cookie pairs before anything reads the header. */
export function saneCookies() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const cookie = req.headers.cookie;
    if (cookie !== undefined) {
      const sane = saneCookieHeader(cookie);
      if (sane === null) delete req.headers.cookie;
      else req.headers.cookie = sane;
    }
    next();
  };
}

type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

/**
 * Wraps the app's request handler: a request with a body must be a form post within the limit;
 * its body is read and counted here and handed to `handler` with the request.
 */
export function bounded(handler: Handler, options: { limit?: number } = {}): Handler {
  return (req, res, next) => {
    if (!BODY_METHODS.has(req.method)) return handler(req, res, next);
    const limit = bodyLimitFor(req.path, options.limit ?? FORM_BODY_LIMIT);
    const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.includes(type)) return refuse(req, res, 415, "http.unsupportedType");
    const declared = Number(req.get("content-length"));
    if (Number.isFinite(declared) && declared > limit) return refuse(req, res, 413, "http.tooLarge", { kb: Math.floor(limit / 1024) });
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off("data", onData);
        void refuse(req, res, 413, "http.tooLarge", { kb: Math.floor(limit / 1024) });
        // Stop reading what is left: the answer is sent, the connection closes after it.
        res.once("finish", () => req.destroy());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      if (done) return;
      done = true;
      handler(withBody(req, Buffer.concat(chunks, size)), res, next);
    });
    req.once("error", () => {
      done = true;
    });
  };
}

/**
 * Every response says how it may be cached (issue 19, item 7). A route or middleware that chose
 * (public notices: `private` for a signed-in reader; the API, the same for everyone: public;
 * assets) keeps its choice; anything else is `private, no-store` when the request carries a login
 * cookie, and `no-store` otherwise.
 */
export function explicitCacheControl() {
  return (req: Request, res: Response, next: NextFunction) => {
    onHeaders(res, function () {
      const signedIn = /(?:^|;\s*)xs_session=/.test(req.headers.cookie ?? "");
      const chosen = this.getHeader("Cache-Control");
      if (chosen === undefined) this.setHeader("Cache-Control", signedIn ? "private, no-store" : "no-store");
    });
    next();
  };
}
