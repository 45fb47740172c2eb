/**
 * The demo's complaint cases (issue 25) on the Hangzhou food-delivery agreement in force, filed
 * and moved through the model functions (so each has its audit chain and messages) at past times:
 * one case in every step — waiting for the platform, answered, accepted, taken to the union by the
 * clock, with the bureau, decided — and enough answered appeals against the late-delivery penalty
 * that the notice shows that clause's figures in full. 刘洋 (the demo rider) filed three of them.
 */
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import type { Actor } from "../app/domain/actors.ts";
import { chinaDate } from "../app/domain/periods.ts";
import { newId } from "../app/infra/ids.server.ts";
import { fileComplaint, filingContext, runComplaintSweep, takeCaseStep } from "../app/models/complaint.server.ts";
import { DEMO_WORKER } from "./demo-accounts.ts";

const HOUR = 60 * 60_000;

/** Other riders who filed demo cases (phone accounts, as riders sign in). */
export const DEMO_COMPLAINANTS = [
  { phone: "+8613800000002", displayName: "王磊" },
  { phone: "+8613800000003", displayName: "陈静" },
  { phone: "+8613800000004", displayName: "赵强" },
  { phone: "+8613800000005", displayName: "孙丽" },
] as const;

async function phoneWorker(db: PrismaClient, phone: string, displayName: string): Promise<Actor> {
  const user = await db.user.upsert({ where: { phone }, create: { id: newId(), phone, email: null, passwordHash: null, displayName, locale: null }, update: {}, select: { id: true } });
  return { userId: user.id, memberships: [] };
}

export async function seedDemoComplaints(db: PrismaClient, options: { noticeId: string; platform: Actor; union: Actor; now: Date }) {
  const { noticeId, platform, union, now } = options;
  const context = await filingContext(noticeId, now);
  const platformSlug = context.platforms.find((candidate) => platform.memberships.some((membership) => membership.organizationId === candidate.id))?.slug;
  const liu = await phoneWorker(db, DEMO_WORKER.phone, DEMO_WORKER.displayName);
  const others = await Promise.all(DEMO_COMPLAINANTS.map((worker) => phoneWorker(db, worker.phone, worker.displayName)));
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
  const day = (hoursAgo: number) => chinaDate(at(hoursAgo + 12)).toString();
  const file = async (worker: Actor, hoursAgo: number, filing: { kind: "COMPLAINT" | "PENALTY_APPEAL"; clause: string; body: string; reference?: string; shareIdentity?: "yes" | "no" }) =>
    (await fileComplaint({ actor: worker, noticeId, platform: platformSlug, photos: [], now: at(hoursAgo), filing: { shareIdentity: "no", happenedOn: day(hoursAgo), ...filing } })).id;

  // Six appeals against late-delivery penalties answered within the day: the clause's figures are shown in full.
  const answers = [3, 5, 8, 12, 20, 30];
  for (const [index, hoursToAnswer] of answers.entries()) {
    const filedHoursAgo = 24 * (20 + index * 3);
    const id = await file(others[index % others.length]!, filedHoursAgo, { kind: "PENALTY_APPEAL", clause: "penaltyRules:LATE_DELIVERY", body: "暴雨天商家出餐慢导致超时，被扣 2 元，按协议恶劣天气和商家出餐延误不得扣罚。", reference: `PD2026${1000 + index}` });
    await takeCaseStep({ actor: platform, caseId: id, action: "answer", text: "经核实，当日属恶劣天气，已撤销该笔扣款，并于下一结算周期退回。", now: at(filedHoursAgo - hoursToAnswer) });
    await takeCaseStep({ actor: others[index % others.length]!, caseId: id, action: "accept", now: at(filedHoursAgo - hoursToAnswer - 2) });
  }
  // 刘洋: one answered (waiting for him), one waiting for the platform, one the union settled.
  const answered = await file(liu, 30, { kind: "COMPLAINT", clause: "pieceRateTable", body: "3 公里以内的普通订单，App 里每单只结算 4.5 元，比协议的单价表少。", reference: "OD20261201088", shareIdentity: "yes" });
  await takeCaseStep({ actor: platform, caseId: answered, action: "answer", text: "系统在 11 月按旧单价表结算，差额已补发，共 36 单。", now: at(20) });
  await file(liu, 2, { kind: "PENALTY_APPEAL", clause: "penaltyRules:LATE_DELIVERY", body: "小区禁止电动车进入，步行送达超时，被扣 2 元。", reference: "PD20261207031" });
  const settled = await file(liu, 24 * 9, { kind: "COMPLAINT", clause: "maxContinuousMinutes", body: "连续送单超过 4 小时，系统没有提示休息，仍在派单。" });
  await takeCaseStep({ actor: liu, caseId: settled, action: "escalateToUnion", now: at(24 * 8) });
  await takeCaseStep({ actor: union, caseId: settled, action: "resolve", text: "工会与平台核对后，平台修复了连续工作时长的统计错误，并承诺每月报告执行情况。", now: at(24 * 6) });
  // Unanswered past its 24 hours: the clock takes it to the union.
  await file(others[0]!, 40, { kind: "COMPLAINT", clause: "commissionCapBp", body: "协议规定平台不抽成，但本周有 12 单的结算明细里扣了平台服务费。" });
  await runComplaintSweep(now);
  // With the bureau, and one the bureau decided.
  const bureau = await file(others[1]!, 24 * 15, { kind: "COMPLAINT", clause: "restDaysPerMonth", body: "本月只休息了 1 天，平台以考核为由不批准休息。" });
  await takeCaseStep({ actor: others[1]!, caseId: bureau, action: "escalateToUnion", now: at(24 * 14) });
  await takeCaseStep({ actor: union, caseId: bureau, action: "escalateToBureau", now: at(24 * 10) });
  const decided = await file(others[2]!, 24 * 40, { kind: "PENALTY_APPEAL", clause: "penaltyCapFen", body: "本月扣罚合计 80 元，超过协议规定的每月上限。" });
  await takeCaseStep({ actor: platform, caseId: decided, action: "answer", text: "扣罚均有记录，维持。", now: at(24 * 39) });
  await takeCaseStep({ actor: others[2]!, caseId: decided, action: "escalateToUnion", now: at(24 * 38) });
  await takeCaseStep({ actor: union, caseId: decided, action: "escalateToBureau", now: at(24 * 35) });
  await takeCaseStep({ actor: union, caseId: decided, action: "recordOutcome", text: "劳动保障行政部门调查后责令平台退还超过每月上限的扣款 30 元，平台已执行。", now: at(24 * 20) });
}
