/**
 * A socket.io client written against the wire protocol itself (engine.io v4 over a plain WebSocket,
 * socket.io packet encoding v5), as a hostile script would speak it. socket.io-client cannot send
 * what an attacker sends: its encoder walks every argument recursively (hasBinary), so a value
 * nested 100,000 levels deep throws in the client before anything leaves it. Here the packet is
 * text the test writes, and binary attachments are raw frames.
 */
import WebSocket from "ws";

/** The answer to an event: the acknowledgement's arguments, or why there was none. */
export type RawAnswer = { kind: "ack"; args: unknown[] } | { kind: "closed" } | { kind: "timeout" };

export class RawSocketClient {
  private nextAckId = 1;
  private readonly waiting = new Map<number, (answer: RawAnswer) => void>();
  private closedFlag = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return; // attachments of server events (sync, awareness): not needed here
      const text = data.toString();
      if (text === "2") return void ws.send("3"); // engine.io ping → pong
      // 43<id>[...]: an acknowledgement. (46… would be a binary ack; the server sends none.)
      const match = /^43(\d+)/.exec(text);
      if (!match) return;
      const id = Number(match[1]);
      this.waiting.get(id)?.({ kind: "ack", args: JSON.parse(text.slice(match[0].length)) as unknown[] });
      this.waiting.delete(id);
    });
    ws.on("close", () => {
      this.closedFlag = true;
      for (const resolve of this.waiting.values()) resolve({ kind: "closed" });
      this.waiting.clear();
    });
  }

  /** Opens the WebSocket transport with the session cookie and joins the main namespace. */
  static async connect(baseUrl: string, sessionCookie: string): Promise<RawSocketClient> {
    const url = `${baseUrl.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url, { headers: { Cookie: `xs_session=${sessionCookie}` }, maxPayload: 8 * 1024 * 1024 });
    const connected = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("raw socket: no namespace connect within 10 s")), 10_000);
      ws.on("message", (data, isBinary) => {
        const text = isBinary ? "" : data.toString();
        if (text.startsWith("0")) ws.send("40"); // engine.io open → socket.io CONNECT
        else if (text.startsWith("40")) {
          clearTimeout(timer);
          resolve();
        } else if (text.startsWith("44")) {
          clearTimeout(timer);
          reject(new Error(`raw socket: connect refused ${text}`));
        }
      });
      ws.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const client = new RawSocketClient(ws);
    await connected;
    return client;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Sends `event` with its arguments given as JSON text (what follows the event name inside the
   * packet's array, e.g. `"abc",{"x":1}`; empty for none) and binary attachments, referenced in
   * that text as `{"_placeholder":true,"num":i}`. Resolves with the acknowledgement.
   */
  emit(event: string, argsJson: string, attachments: Uint8Array[] = [], timeoutMs = 15_000): Promise<RawAnswer> {
    if (this.closedFlag) return Promise.resolve({ kind: "closed" });
    const id = this.nextAckId++;
    const array = `[${JSON.stringify(event)}${argsJson ? `,${argsJson}` : ""}]`;
    const answer = new Promise<RawAnswer>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ kind: "timeout" });
      }, timeoutMs);
      this.waiting.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
    // EVENT is type 2, BINARY_EVENT type 5 with its attachment count before a dash.
    this.ws.send(attachments.length ? `45${attachments.length}-${id}${array}` : `42${id}${array}`);
    for (const attachment of attachments) this.ws.send(attachment, { binary: true });
    return answer;
  }

  close() {
    this.ws.close();
  }
}
