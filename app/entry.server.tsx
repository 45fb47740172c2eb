/**
 * Server rendering (Remix's default for Node, plus the CSP nonce): every inline script Remix or
 * React writes into the page carries the nonce server.ts generated for this request and named in
 * its Content-Security-Policy header (decision 018).
 */
import { Transform } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/nonce.tsx";

const ABORT_DELAY = 5_000;

/**
 * Drops 0x00 bytes from the rendered HTML. React 18.3's Node renderer flushes its whole 2 KB
 * buffer when a multi-byte character does not fit in the bytes left at its end (writeStringChunk:
 * `writeToDestination(destination, currentView)`), so those unused bytes go out as NULs in the
 * middle of Chinese text (two NULs between two CJK characters). In UTF-8 a 0x00 byte is only ever U+0000, which HTML
 * forbids and our inputs refuse, so removing every one is exact. (Fixed in React 19.)
 */
function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (chunk.indexOf(0) === -1) return callback(null, chunk);
      const kept = Buffer.allocUnsafe(chunk.length);
      let length = 0;
      for (const byte of chunk) if (byte !== 0) kept[length++] = byte;
      callback(null, kept.subarray(0, length));
    },
  });
}

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = typeof (loadContext as { cspNonce?: unknown }).cspNonce === "string" ? (loadContext as { cspNonce: string }).cspNonce : "";
  // Bots and SPA mode get the whole page at once; browsers get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = withoutNulBytes();
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce || undefined} />
      </NonceContext.Provider>,
      {
        nonce: nonce || undefined,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell is ready reject and are logged by Remix.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Server errors are logged, once each; what a client caused is not an error of the server: a
 * request it aborted, or a refusal Remix itself answers with a 4xx (a POST to a page that takes no
 * form is a 405). Bots posting at every page would otherwise fill the log.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  const internal = (error as { status?: unknown } | null)?.status;
  if (typeof internal === "number" && internal < 500) return;
  console.error(error);
};
