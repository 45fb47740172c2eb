/**
 * A real SMTP server for tests (smtp-server, from the nodemailer project) on a loopback port: it
 * records every message it accepts, with its envelope and the X-Xieshang-Delivery header the app
 * puts on each mail. It can refuse the next messages with a temporary error (451), or hold the next
 * message after its data arrived without answering (as a stuck mail server does) until released;
 * a held message whose connection closes is never accepted.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

export type SunkMail = { to: string[]; deliveryId: string | null; subject: string; raw: string };

export class SmtpSink {
  readonly accepted: SunkMail[] = [];
  refused = 0;
  private refuseNext = 0;
  private holdNext = false;
  private heldWaiters: Array<() => void> = [];
  private releaseHeld: (() => void) | null = null;
  private server: SMTPServer;
  private readonly closedSessions = new Set<string>();
  private readonly closeWaiters = new Map<string, () => void>();
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => void this.onData(stream, session, callback),
      onClose: (session) => {
        this.closedSessions.add(session.id);
        this.closeWaiters.get(session.id)?.();
      },
    });
    this.server.on("error", () => {});
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** Answers the next `count` messages with 451 (try again later). */
  refuse(count: number) {
    this.refuseNext = count;
  }

  /** Holds the next message unanswered; resolves once it has arrived (its data read). */
  hold(): Promise<void> {
    this.holdNext = true;
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Lets a held message through (if its connection is still open). */
  release() {
    this.releaseHeld?.();
    this.releaseHeld = null;
  }

  forDelivery(deliveryId: string): SunkMail[] {
    return this.accepted.filter((mail) => mail.deliveryId === deliveryId);
  }

  private async onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (this.refuseNext > 0) {
      this.refuseNext -= 1;
      this.refused += 1;
      const error = Object.assign(new Error("mailbox busy, try again later"), { responseCode: 451 });
      return callback(error);
    }
    if (this.holdNext) {
      this.holdNext = false;
      let closed = false;
      const socketClosed = new Promise<void>((resolve) => {
        this.closeWaiters.set(session.id, () => {
          closed = true;
          resolve();
        });
      });
      const released = new Promise<void>((resolve) => (this.releaseHeld = resolve));
      for (const waiter of this.heldWaiters.splice(0)) waiter();
      await Promise.race([socketClosed, released]);
      if (closed || this.closedSessions.has(session.id)) return; // the sender died while we held it: never accepted
    }
    const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(raw.split(/\r?\n\r?\n/)[0] ?? "")?.[1]?.trim() ?? null;
    this.accepted.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), deliveryId: header("X-Xieshang-Delivery"), subject: header("Subject") ?? "", raw });
    callback();
  }

  async stop() {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
