/**
 * The sweep the server runs every minute (server.ts), the top of the models' layers: clock
 * transitions for every session something is due for, reminders of answers coming due, votes whose
 * time is up, filing reminders.
 */
import "~/infra/crypto.server.ts";
import { getDb } from "~/infra/db.server.ts";
import { PROCEDURE_RULES } from "~/domain/procedure-rules.ts";
import { advanceByClock, addDays, answerDueAt, otherSide, type SessionState } from "~/domain/procedure.ts";
import { announcePublicContentChange } from "~/infra/events.server.ts";
import { closeDueVotes, remindFiling } from "~/models/agreement.server.ts";
import { runComplaintSweep } from "~/models/complaint.server.ts";
import { runDisputeSweep } from "~/models/dispute.server.ts";
import { applyClock } from "~/models/session-clock.server.ts";
import { lockSession, negotiatorsOf, notify, sessionInclude, snapshotOf } from "~/models/session-core.server.ts";

const CLOCK_STATES: SessionState[] = ["SUSPENDED", "FILED", "APPROVED", "IN_FORCE", "RENEWAL_REQUESTED"];

/** Recipients are reminded this many days before the answer to a proposal is due. */
const ANSWER_REMINDER_DAYS = 3;

export async function runClockSweep(now = new Date()): Promise<number> {
  const db = getDb();
  const candidates = await db.bargainingSession.findMany({ where: { state: { in: CLOCK_STATES } }, include: sessionInclude });
  // Lock only the sessions that something is due for (applyClock re-checks under the lock).
  const due = candidates.filter((session) => advanceByClock(snapshotOf(session), now).length > 0);
  for (const { id } of due) await db.$transaction((tx) => applyClock(tx, id, now));
  // The clock may have published a notice: cached public pages are stale (the page cache listens).
  if (due.length) announcePublicContentChange();
  // Answers coming due: one reminder per session to the recipients' negotiators.
  // The due date is counted in calendar days past rest days (app/domain/periods.ts), so it is never
  // earlier than 20 × 24 hours after the proposal: the query narrows, the due date decides.
  const reminderFrom = addDays(now, -(PROCEDURE_RULES.answerWithinDays.value - ANSWER_REMINDER_DAYS));
  const awaiting = (
    await db.bargainingSession.findMany({
      where: { state: "PROPOSED", proposedAt: { lte: reminderFrom }, notifications: { none: { type: "session.answerDue" } } },
      include: sessionInclude,
    })
  ).filter((session) => addDays(answerDueAt(session.proposedAt), -ANSWER_REMINDER_DAYS) <= now);
  for (const session of awaiting) {
    await db.$transaction(async (tx) => {
      // Under the session lock, so that two processes sweeping at once send one reminder.
      await lockSession(tx, session.id);
      if (await tx.notification.findFirst({ where: { sessionId: session.id, type: "session.answerDue" }, select: { id: true } })) return;
      const recipients = await negotiatorsOf(tx, session, [otherSide(session.proposerSide)]);
      await notify(tx, recipients, session.id, "session.answerDue", { dueAt: answerDueAt(session.proposedAt).toISOString(), title: session.title });
    });
  }
  // Ratification votes whose time is up are closed and counted; filing reminders go out.
  await closeDueVotes(now);
  await remindFiling(now);
  // Coordinations of disputes past their 30 (+15) days: one overdue notice (第五十二条).
  await runDisputeSweep(now);
  // Complaint cases past the platform's answer time go to the union by themselves (issue 25).
  await runComplaintSweep(now);
  return due.length;
}
