/**
 * The transactional outbox (issue 17). Whatever must reach someone is written here in the same
 * transaction as the change that causes it: one OutboxMessage per recipient, and one Delivery per
 * channel. The in-app channel is delivered in that transaction (the Notification row the bell
 * shows); e-mail is handed to the job queue by the relay (app/jobs/) and delivered by a job, which
 * records every attempt. A change that rolls back leaves no message behind.
 *
 * Every delivery is idempotent, keyed by its own id: a job that runs again (a retry, or a second
 * run after a process was killed mid-job) finds the delivery already sent and does nothing.
 */
import { readableTimes } from "~/i18n/dates.ts";
import os from "node:os";
import { getDb, type Prisma } from "~/infra/db.server.ts";
import { getEnv } from "~/infra/env.server.ts";
import { newId } from "~/infra/ids.server.ts";
import { sendMail, type OutgoingMail } from "~/infra/mail.server.ts";
import { sendSms } from "~/infra/sms.server.ts";
import { unseal } from "~/infra/sealed.server.ts";
import { isAccountKind, isRequiredKind, messageKindSchema } from "~/domain/outbox.ts";
import { DEFAULT_LOCALE, isLocale, translator } from "~/i18n/i18n.ts";
import type { Locale } from "~/domain/validation.ts";
import { storedRecord, toStoredJson } from "~/models/stored-json.server.ts";

type Tx = Prisma.TransactionClient;

/** host:pid, recorded with every attempt so that an operator can tell the processes apart. */
export const WORKER_NAME = `${os.hostname()}:${process.pid}`;

/** A delivery handed to the queue this long ago and still pending is handed again (the queue lost it). */
const REQUEUE_AFTER_MS = 60 * 60 * 1000;

/**
 * Writes one message per recipient, delivers the in-app channel at once and leaves the e-mail
 * channel pending for the relay. Call inside the transaction of the change.
 */
export async function writeOutbox(tx: Tx, input: { userIds: readonly string[]; sessionId: string | null; kind: string; payload: Record<string, unknown>; now?: Date }) {
  // Only the kinds the app knows (each has its texts and its e-mail rule); a new one is added there.
  const kind = messageKindSchema.parse(input.kind);
  if (input.userIds.length === 0) return;
  const now = input.now ?? new Date();
  const payload = toStoredJson(input.payload);
  const messages = input.userIds.map((userId) => ({ id: newId(), userId, sessionId: input.sessionId, kind, payload, createdAt: now }));
  await tx.outboxMessage.createMany({ data: messages });
  await tx.notification.createMany({ data: messages.map((message) => ({ id: newId(), userId: message.userId, sessionId: message.sessionId, type: message.kind, payload, createdAt: now })) });
  await tx.delivery.createMany({
    data: messages.flatMap((message) => [
      { id: newId(), messageId: message.id, channel: "IN_APP" as const, status: "SENT" as const, attempts: 1, sentAt: now, createdAt: now },
      { id: newId(), messageId: message.id, channel: "EMAIL" as const, createdAt: now },
    ]),
  });
}

/**
 * A message to an address that has no account (yet): e-mail only, no in-app notification, no
 * preferences to consult. Call inside the transaction of the change.
 */
export async function writeOutboxToAddress(tx: Tx, input: { to: { email: string; displayName: string; locale: string | null }; kind: string; payload: Record<string, unknown>; now?: Date }) {
  const kind = messageKindSchema.parse(input.kind);
  const now = input.now ?? new Date();
  const id = newId();
  await tx.outboxMessage.create({ data: { id, userId: null, toEmail: input.to.email, toName: input.to.displayName, toLocale: input.to.locale, sessionId: null, kind, payload: toStoredJson(input.payload), createdAt: now } });
  await tx.delivery.create({ data: { id: newId(), messageId: id, channel: "EMAIL", createdAt: now } });
}

/**
 * A text message to a phone number (a sign-in code; issue 25): SMS only. The payload's secret, if
 * any, is sealed (`seal`, app/infra/sealed.server.ts) and erased once the message is sent. Call
 * inside the transaction of the change.
 */
export async function writeOutboxToPhone(tx: Tx, input: { phone: string; locale: string | null; kind: string; payload: Record<string, unknown>; now?: Date }) {
  const kind = messageKindSchema.parse(input.kind);
  const now = input.now ?? new Date();
  const id = newId();
  await tx.outboxMessage.create({ data: { id, userId: null, toPhone: input.phone, toLocale: input.locale, sessionId: null, kind, payload: toStoredJson(input.payload), createdAt: now } });
  const deliveryId = newId();
  await tx.delivery.create({ data: { id: deliveryId, messageId: id, channel: "SMS", createdAt: now } });
  return deliveryId;
}

/**
 * The relay: claims pending e-mail and text-message deliveries that are not yet with the queue
 * (or were handed to it long ago and never got through), marks them handed, and lets `enqueue` put
 * their jobs on the queue in the same transaction, so that a delivery is never handed twice and
 * never dropped. Text messages first: a sign-in code is waited for, on the phone, now; a burst of
 * e-mails must not hold it back. Returns how many were handed.
 */
export async function relayPendingDeliveries(enqueue: (tx: Tx, deliveries: Array<{ id: string; channel: "EMAIL" | "SMS" }>) => Promise<void>, now = new Date(), limit = 200): Promise<number> {
  return getDb().$transaction(async (tx) => {
    const stale = new Date(now.getTime() - REQUEUE_AFTER_MS);
    const rows = await tx.$queryRaw<Array<{ id: string; channel: "EMAIL" | "SMS" }>>`
      SELECT id, channel::text AS channel FROM "Delivery"
      WHERE status = 'PENDING' AND channel IN ('EMAIL', 'SMS') AND ("queuedAt" IS NULL OR "queuedAt" < ${stale})
      ORDER BY (channel = 'SMS') DESC, "createdAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return 0;
    await tx.delivery.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { queuedAt: now } });
    await enqueue(tx, rows);
    return rows.length;
  });
}

export type DeliveryOutcome = "sent" | "skipped" | "alreadyDone";

/** Delivers one delivery of the queue, by its channel. */
export async function deliver(deliveryId: string, options: { finalAttempt: boolean; now?: Date }): Promise<DeliveryOutcome> {
  const delivery = await getDb().delivery.findUnique({ where: { id: deliveryId }, select: { channel: true } });
  if (delivery?.channel === "SMS") return deliverSms(deliveryId, options);
  return deliverEmail(deliveryId, options);
}

/**
 * Delivers one text message: in the recipient's language, its sealed secret opened for the text
 * and erased from the stored payload once sent. A failure is recorded and thrown for a retry.
 */
export async function deliverSms(deliveryId: string, options: { finalAttempt: boolean; now?: Date }): Promise<DeliveryOutcome> {
  const db = getDb();
  const delivery = await db.delivery.findUnique({ where: { id: deliveryId }, select: { status: true, channel: true, message: { select: { id: true, kind: true, payload: true, toPhone: true, toLocale: true } } } });
  if (!delivery || delivery.status !== "PENDING" || delivery.channel !== "SMS" || !delivery.message.toPhone) return "alreadyDone";
  const { message } = delivery;
  const payload = storedRecord(message.payload);
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(payload)) if (typeof value === "string" || typeof value === "number") values[key] = value;
  if (typeof payload.sealedCode === "string") {
    const code = unseal(payload.sealedCode);
    if (code === null) {
      // Sealed by a process with another key (XS_SEAL_KEY differs): it can never be read here.
      await db.delivery.updateMany({ where: { id: deliveryId, status: "PENDING" }, data: { status: "FAILED", lastError: "sealed with another key (XS_SEAL_KEY)" } });
      console.warn(`delivery ${deliveryId} (SMS, ${message.kind}) failed for good: sealed with another key; every process needs the same XS_SEAL_KEY`);
      return "skipped";
    }
    values.code = code;
  }
  const t = translator(isLocale(message.toLocale) ? message.toLocale : DEFAULT_LOCALE);
  const text = t(`sms.${message.kind}`, values);
  try {
    await sendSms({ id: deliveryId, to: message.toPhone!, text });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await db.$transaction([
      db.deliveryAttempt.create({ data: { id: newId(), deliveryId, ok: false, error: reason, worker: WORKER_NAME, at: options.now ?? new Date() } }),
      db.delivery.update({ where: { id: deliveryId }, data: { attempts: { increment: 1 }, lastError: reason, ...(options.finalAttempt ? { status: "FAILED" as const } : {}) } }),
    ]);
    console.warn(`delivery ${deliveryId} (SMS, ${message.kind}) failed${options.finalAttempt ? " for good" : ", will retry"}: ${reason}`);
    throw error;
  }
  const sentAt = options.now ?? new Date();
  const { sealedCode: _sealed, ...kept } = payload;
  await db.$transaction([
    db.deliveryAttempt.create({ data: { id: newId(), deliveryId, ok: true, worker: WORKER_NAME, at: sentAt } }),
    db.delivery.update({ where: { id: deliveryId }, data: { status: "SENT", attempts: { increment: 1 }, sentAt, lastError: null } }),
    db.outboxMessage.update({ where: { id: message.id }, data: { payload: toStoredJson(kept) } }),
  ]);
  return "sent";
}

/**
 * Delivers one e-mail delivery. Already sent (or skipped, or failed for good): nothing to do. The
 * recipient turned this kind off (and the procedure does not require it): skipped. Otherwise the
 * mail goes out in the recipient's language and the attempt is recorded; a failure is recorded and
 * thrown so that the queue retries with back-off, and on the last attempt the delivery is failed.
 */
export async function deliverEmail(deliveryId: string, options: { finalAttempt: boolean; now?: Date }): Promise<DeliveryOutcome> {
  const db = getDb();
  const delivery = await db.delivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      status: true,
      channel: true,
      message: { select: { kind: true, payload: true, sessionId: true, toEmail: true, toName: true, toLocale: true, session: { select: { title: true } }, user: { select: { id: true, email: true, displayName: true, locale: true } } } },
    },
  });
  if (!delivery || delivery.status !== "PENDING" || delivery.channel !== "EMAIL") return "alreadyDone";
  const { message } = delivery;
  const recipient = message.user ?? { id: null, email: message.toEmail, displayName: message.toName ?? message.toEmail ?? "", locale: message.toLocale };
  // An account without an address (a worker who signs in by SMS) gets no mail.
  if (!recipient.email) {
    await db.delivery.updateMany({ where: { id: deliveryId, status: "PENDING" }, data: { status: "SKIPPED", lastError: "no e-mail address" } });
    return "skipped";
  }
  const to = { ...recipient, email: recipient.email };
  if (!isRequiredKind(message.kind) && !isAccountKind(message.kind) && to.id) {
    const preference = await db.notificationPreference.findUnique({ where: { userId_kind: { userId: to.id, kind: message.kind } }, select: { email: true } });
    if (preference && !preference.email) {
      await db.delivery.updateMany({ where: { id: deliveryId, status: "PENDING" }, data: { status: "SKIPPED" } });
      return "skipped";
    }
  }
  const mail = composeMail({ deliveryId, kind: message.kind, payload: storedRecord(message.payload), sessionId: message.sessionId, sessionTitle: message.session?.title ?? null, to });
  try {
    await sendMail(mail);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await db.$transaction([
      db.deliveryAttempt.create({ data: { id: newId(), deliveryId, ok: false, error: reason, worker: WORKER_NAME, at: options.now ?? new Date() } }),
      db.delivery.update({ where: { id: deliveryId }, data: { attempts: { increment: 1 }, lastError: reason, ...(options.finalAttempt ? { status: "FAILED" as const } : {}) } }),
    ]);
    console.warn(`delivery ${deliveryId} (e-mail, ${message.kind}) failed${options.finalAttempt ? " for good" : ", will retry"}: ${reason}`);
    throw error;
  }
  const sentAt = options.now ?? new Date();
  await db.$transaction([
    db.deliveryAttempt.create({ data: { id: newId(), deliveryId, ok: true, worker: WORKER_NAME, at: sentAt } }),
    db.delivery.update({ where: { id: deliveryId }, data: { status: "SENT", sentAt, attempts: { increment: 1 }, lastError: null } }),
  ]);
  return "sent";
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);
}

/** The mail for one message, in the recipient's language (their choice, else Chinese), as text and HTML. */
export function composeMail(input: {
  deliveryId: string;
  kind: string;
  payload: Record<string, unknown>;
  sessionId: string | null;
  sessionTitle: string | null;
  to: { email: string; displayName: string; locale: string | null };
}): OutgoingMail {
  const locale: Locale = input.to.locale && isLocale(input.to.locale) ? input.to.locale : DEFAULT_LOCALE;
  const t = translator(locale);
  const base = getEnv().XS_PUBLIC_URL.replace(/\/+$/, "");
  const values = { ...readableTimes(input.payload, locale), to: input.payload.to ? t(`state.${String(input.payload.to)}`) : "", title: input.sessionTitle ?? "" };
  const line = t(`notifications.type.${input.kind}`, values);
  const href = typeof input.payload.href === "string" && input.payload.href.startsWith("/") ? input.payload.href : input.sessionId ? `/sessions/${input.sessionId}` : "/notifications";
  const link = `${base}${href}`;
  const settings = `${base}/settings/notifications`;
  const subject = input.sessionTitle ? t("mail.subjectWithSession", { title: input.sessionTitle, line }) : t("mail.subject", { line });
  const always = isRequiredKind(input.kind) || isAccountKind(input.kind);
  const footer = isAccountKind(input.kind) ? t("mail.accountFooter") : isRequiredKind(input.kind) ? t("mail.requiredFooter") : t("mail.optionalFooter", { settings });
  const text = [t("mail.greeting", { name: input.to.displayName }), "", ...(input.sessionTitle ? [input.sessionTitle, ""] : []), line, "", `${t("mail.open")}: ${link}`, "", "—", footer].join("\n");
  const heading = input.sessionTitle ? `<h1 style="font-size:120%">${escapeHtml(input.sessionTitle)}</h1>` : "";
  const html = `<!doctype html><html lang="${locale}"><body><p>${escapeHtml(t("mail.greeting", { name: input.to.displayName }))}</p>${heading}<p>${escapeHtml(line)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(t("mail.open"))}</a></p><hr><p style="color:#555;font-size:90%">${escapeHtml(footer)}${always ? "" : ` <a href="${escapeHtml(settings)}">${escapeHtml(t("mail.settings"))}</a>`}</p></body></html>`;
  // The delivery's id lets an operator (and a mail server's log) tie a mail to its attempts.
  const headers: Record<string, string> = { "X-Xieshang-Delivery": input.deliveryId };
  if (!always) headers["List-Unsubscribe"] = `<${settings}>`;
  return { to: input.to.email, subject, text, html, headers };
}

// ─── The operator's view ─────────────────────────────────────────────────────────────────────

/** Deliveries by status, and the latest failed or retried ones with their attempts. */
export async function deliveryOverview() {
  const db = getDb();
  const counts = await db.delivery.groupBy({ by: ["channel", "status"], _count: { _all: true } });
  const troubled = await db.delivery.findMany({
    where: { channel: "EMAIL", OR: [{ status: "FAILED" }, { attempts: { gt: 1 } }, { status: "PENDING", lastError: { not: null } }] },
    orderBy: { updatedAt: "desc" },
    take: 50,
    select: {
      id: true,
      status: true,
      attempts: true,
      lastError: true,
      updatedAt: true,
      message: { select: { kind: true, toEmail: true, user: { select: { email: true } } } },
      attemptLog: { orderBy: { at: "desc" }, take: 5, select: { at: true, ok: true, error: true, worker: true } },
    },
  });
  return { counts: counts.map((row) => ({ channel: row.channel, status: row.status, count: row._count._all })), troubled };
}

/** Puts a failed e-mail delivery back in line: the relay hands it to the queue again. */
export async function retryDelivery(deliveryId: string): Promise<boolean> {
  const result = await getDb().delivery.updateMany({ where: { id: deliveryId, channel: "EMAIL", status: "FAILED" }, data: { status: "PENDING", queuedAt: null } });
  return result.count === 1;
}

/** A user's e-mail choices for the optional kinds (no row: on). */
export async function getEmailPreferences(userId: string): Promise<Record<string, boolean>> {
  const rows = await getDb().notificationPreference.findMany({ where: { userId }, select: { kind: true, email: true } });
  return Object.fromEntries(rows.map((row) => [row.kind, row.email]));
}

export async function setEmailPreferences(userId: string, choices: Record<string, boolean>): Promise<void> {
  const db = getDb();
  await db.$transaction(
    Object.entries(choices)
      .filter(([kind]) => !isRequiredKind(kind))
      .map(([kind, email]) => db.notificationPreference.upsert({ where: { userId_kind: { userId, kind } }, create: { userId, kind, email }, update: { email } })),
  );
}
