/** The socket.io server on the app's port authenticates every handshake from the session cookie. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/demo-accounts.ts";
import { EVENT_READY, HANDSHAKE_ERRORS, type ReadyPayload } from "../../realtime/protocol.ts";
import { TestBrowser } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.close();
});

function open(headers: Record<string, string>): Socket {
  const socket = connect(server.url, { transports: ["websocket"], extraHeaders: headers, reconnection: false, timeout: 5000 });
  sockets.push(socket);
  return socket;
}

function outcome(socket: Socket): Promise<{ ready: ReadyPayload } | { error: string }> {
  return new Promise((resolve) => {
    socket.once(EVENT_READY, (payload: ReadyPayload) => resolve({ ready: payload }));
    socket.once("connect_error", (error: Error) => resolve({ error: error.message }));
  });
}

describe("socket.io handshake", () => {
  it("accepts a signed-in user and says who they are", async () => {
    const browser = new TestBrowser(server.url);
    const negotiator = DEMO_ACCOUNTS.find((account) => account.roleKey === "unionNegotiator")!;
    await browser.login(negotiator.email, DEMO_PASSWORD);
    const result = await outcome(open({ Cookie: `xs_session=${browser.cookies.get("xs_session")}`, Origin: server.url }));
    expect(result).toMatchObject({ ready: { displayName: negotiator.displayName } });
  });

  it("refuses a connection without a session cookie", async () => {
    expect(await outcome(open({}))).toEqual({ error: HANDSHAKE_ERRORS.unauthorized });
  });

  it("refuses a forged or logged-out session", async () => {
    expect(await outcome(open({ Cookie: "xs_session=forged0000000000000000000000000000000000" }))).toEqual({ error: HANDSHAKE_ERRORS.unauthorized });
    const browser = new TestBrowser(server.url);
    await browser.signup({ email: `socket-${process.pid}-${Date.now()}@example.test` });
    const sessionId = browser.cookies.get("xs_session")!;
    await browser.post("/logout", {});
    expect(await outcome(open({ Cookie: `xs_session=${sessionId}` }))).toEqual({ error: HANDSHAKE_ERRORS.unauthorized });
  });

  it("refuses a handshake from a page of another origin, even with a valid cookie", async () => {
    const browser = new TestBrowser(server.url);
    await browser.signup({ email: `socket-origin-${process.pid}-${Date.now()}@example.test` });
    const result = await outcome(open({ Cookie: `xs_session=${browser.cookies.get("xs_session")}`, Origin: "https://evil.example" }));
    expect(result).toHaveProperty("error");
    expect(result).not.toHaveProperty("ready");
  });

  it.each(["null", "not a url", "https://evil.example"])("answers 403 to a handshake with Origin %j and stays up", async (origin) => {
    const response = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: origin } });
    expect(response.status).toBe(403);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
