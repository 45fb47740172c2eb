/**
 * realtime/socketio-internals.ts holds everything that reaches into socket.io's and engine.io's
 * internals. These tests run it against a bare socket.io server of the installed version and fail
 * when an update changes what it relies on: the adapter's packet encoder, engine.io's pre-encoded
 * WebSocket frames, the upgrade request a connection keeps.
 */
import { createServer, type Server as HttpServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Server, type Socket } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { releaseUpgradeRequest, sendPreEncoded, takesPreEncodedFrames } from "../../realtime/socketio-internals.ts";
import { waitFor } from "../support/yjs-client.ts";

let http: HttpServer;
let io: Server;
let url: string;
const serverSockets: Socket[] = [];
const clients: ClientSocket[] = [];

beforeAll(async () => {
  http = createServer();
  io = new Server(http, { serveClient: false });
  io.on("connection", (socket) => serverSockets.push(socket));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

async function open(transports: string[]): Promise<{ client: ClientSocket; socket: Socket }> {
  const before = serverSockets.length;
  const client = connect(url, { transports, forceNew: true, reconnection: false, upgrade: false });
  clients.push(client);
  await waitFor(() => client.connected && serverSockets.length > before, "the connection");
  return { client, socket: serverSockets.find((socket) => socket.id === client.id)! };
}

describe("socket.io internals used by the realtime server", () => {
  it("sends a binary event as one pre-encoded frame to WebSocket connections, and names the others", async () => {
    const ws = await open(["websocket"]);
    const polling = await open(["polling"]);
    expect(takesPreEncodedFrames(ws.socket), "a WebSocket connection takes pre-encoded frames").toBe(true);
    expect(takesPreEncodedFrames(polling.socket), "long polling does not").toBe(false);
    const received: unknown[][] = [];
    ws.client.on("yjs:sync", (...args: unknown[]) => received.push(args));
    const payload = new Uint8Array(70_000).map((_, i) => i % 251); // a 64-bit length frame too
    const others = sendPreEncoded(io.of("/"), [ws.socket.id, polling.socket.id], ["yjs:sync", "session-1", payload]);
    expect(others).toEqual([polling.socket.id]);
    await waitFor(() => received.length === 1, "the pre-encoded event");
    const [sessionId, message] = received[0]!;
    expect(sessionId).toBe("session-1");
    expect(new Uint8Array(message as ArrayBuffer)).toEqual(payload);
    // The connection goes on working in order after a pre-encoded frame.
    ws.socket.emit("yjs:sync", "session-2", new Uint8Array([1, 2, 3]));
    await waitFor(() => received.length === 2, "an ordinary event after it");
    expect(received[1]![0]).toBe("session-2");
  });

  it("lets go of the upgrade request and its headers but the user agent, and the connection keeps working", async () => {
    const { client, socket } = await open(["websocket"]);
    const connection = socket.conn as unknown as { request: { headers: Record<string, unknown> } | null };
    expect(connection.request, "engine.io keeps the upgrade request on the connection").not.toBeNull();
    const request = connection.request!;
    expect(Object.keys(socket.handshake.headers).length).toBeGreaterThan(1);
    releaseUpgradeRequest(socket);
    expect(connection.request).toBeNull();
    expect(request.headers).toEqual({});
    expect(Object.keys(socket.handshake.headers)).toEqual(Object.keys(socket.handshake.headers).filter((name) => name === "user-agent"));
    const echoed = new Promise<string>((resolve) => client.on("pong-back", resolve));
    socket.emit("pong-back", "still here");
    expect(await echoed).toBe("still here");
  });
});
