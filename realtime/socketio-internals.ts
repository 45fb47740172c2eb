/**
 * Everything that depends on socket.io's and engine.io's internals, in one small file, held to the
 * installed versions by tests/realtime/socketio-internals.test.ts (which fails when a library
 * update changes what is used here). Two things, both measured by the fan-out bench (decision 023):
 *
 * - relaying one binary event to many sockets with its WebSocket frames built once;
 * - letting go of the HTTP upgrade request engine.io keeps for a connection's whole life.
 */
import { IncomingMessage } from "node:http";
import type { Namespace, Socket } from "socket.io";

/**
 * One unmasked WebSocket frame (RFC 6455, 5.2), as a server sends it: FIN, the opcode (1 text,
 * 2 binary), the payload length and the payload.
 */
function webSocketFrame(payload: Buffer, opcode: 1 | 2): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** What engine.io's WebSocket transport needs to take a frame built in advance. */
type EngineTransport = { name?: string; perMessageDeflate?: unknown; socket?: { _sender?: { sendFrame?: unknown } } };
type EngineConnection = { readyState: string; transport: EngineTransport; write(data: unknown, options: Record<string, unknown>): unknown };
type PacketEncoder = { encode(packet: unknown): Array<string | Buffer> };

/**
 * engine.io's connection behind a socket, checked at run time to have what is used here (the
 * public typings do not expose it); a library update that changes it fails loudly, and
 * tests/realtime/socketio-internals.test.ts says so first.
 */
function isEngineConnection(value: unknown): value is EngineConnection {
  return typeof value === "object" && value !== null && "readyState" in value && typeof value.readyState === "string" && "transport" in value && typeof value.transport === "object" && value.transport !== null && "write" in value && typeof value.write === "function";
}
function engineConnection(socket: Socket): EngineConnection {
  const connection: unknown = socket.conn;
  if (!isEngineConnection(connection)) throw new Error("engine.io's connection no longer has readyState, transport and write");
  return connection;
}
function isEncoderHolder(value: unknown): value is { encoder: PacketEncoder } {
  return typeof value === "object" && value !== null && "encoder" in value && typeof value.encoder === "object" && value.encoder !== null && "encode" in value.encoder && typeof value.encoder.encode === "function";
}

/** Whether a socket can take a pre-encoded frame: an open WebSocket connection without compression. */
export function takesPreEncodedFrames(socket: Socket): boolean {
  const connection = engineConnection(socket);
  const transport = connection.transport;
  return connection.readyState === "open" && transport.name === "websocket" && !transport.perMessageDeflate && typeof transport.socket?._sender?.sendFrame === "function";
}

/**
 * Sends one event (`data`: the event name and its arguments) to the given sockets of this
 * process. Why not `io.to(room).emit()`: a binary event is two engine.io packets (a text header
 * and the binary attachment), and socket.io's broadcast builds the WebSocket frames once for all
 * sockets only for single-packet events; for ours it framed both packets again for every socket,
 * and wrote them in two writes. Here the packets are encoded once with the adapter's encoder, and
 * for each WebSocket connection the two frames are built once, concatenated, and handed to
 * engine.io as a pre-encoded frame (the mechanism socket.io's own broadcast uses): one buffer and
 * one write per socket, in order with the socket's other packets.
 *
 * Returns the ids of the sockets that could not take the frame (long polling, a connection being
 * upgraded, compression on): the caller emits to those the ordinary way.
 */
export function sendPreEncoded(namespace: Namespace, socketIds: Iterable<string>, data: unknown[]): string[] {
  const adapter: unknown = namespace.adapter;
  if (!isEncoderHolder(adapter)) throw new Error("socket.io's adapter no longer has its packet encoder");
  const { encoder } = adapter;
  let packets: Array<string | Buffer> | null = null;
  let frame: Buffer | null = null;
  const others: string[] = [];
  for (const id of socketIds) {
    const socket = namespace.sockets.get(id);
    if (!socket) continue;
    if (!takesPreEncodedFrames(socket)) {
      if (engineConnection(socket).readyState === "open") others.push(id);
      continue;
    }
    packets ??= encoder.encode({ type: 2 /* EVENT; the encoder makes it BINARY_EVENT + attachments */, nsp: namespace.name, data });
    frame ??= Buffer.concat(packets.map((packet) => (typeof packet === "string" ? webSocketFrame(Buffer.from(`4${packet}`), 1) : webSocketFrame(Buffer.from(packet), 2))));
    // The header packet carries the frames of all packets; engine.io writes them as one.
    engineConnection(socket).write(packets[0], { preEncoded: true, wsPreEncodedFrame: [frame] });
  }
  return others;
}

/**
 * engine.io keeps the HTTP request that opened the connection (an IncomingMessage with its socket
 * and parser state) for the connection's whole life; what we use of it was copied into
 * socket.handshake when the socket.io handshake was built. Dropping it is socket.io's own advice
 * for memory per idle connection. The same request stays reachable from engine.io's upgrade
 * response object (a "close" listener on the TCP socket), and socket.handshake.headers is its
 * header object: keep the one header read later (the user agent, for audit entries) and let the
 * rest (the cookie, every other header, the raw header list) go.
 */
export function releaseUpgradeRequest(socket: Socket): void {
  const connection: unknown = socket.conn;
  let request: unknown = null;
  if (typeof connection === "object" && connection !== null && "request" in connection) {
    request = connection.request;
    connection.request = null;
  }
  const userAgent = socket.handshake.headers["user-agent"];
  socket.handshake.headers = userAgent === undefined ? {} : { "user-agent": userAgent };
  if (request instanceof IncomingMessage) {
    request.headers = {};
    request.rawHeaders = [];
  }
}
