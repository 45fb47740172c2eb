/**
 * The demo's bargaining session: the Hangzhou riders' union and the catering association bargain
 * over food-delivery piece rates for 2027, with a realistic draft (text and terms that pass every
 * rule check) that the demo accounts can open at once. Built through the same model functions the
 * pages use, so the audit trail and the procedure are real. Run by `seedDemoData` once, on an
 * empty database.
 */
import { seedDemoComplaints } from "./demo-complaints.ts";
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { loadActor } from "../app/auth/actor.server.ts";
import { TERMS_SCHEMA_VERSION, type Terms } from "../app/domain/terms.ts";
import type { SessionPurpose, TerminationGround } from "../app/domain/amendment.ts";
import { draftUpdateFrom } from "../app/domain/draft-text.ts";
import { DEMO_ACCOUNTS, DEMO_CREDIT_CODE_PREFIX, DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_REGION, DEMO_VERIFICATION } from "./demo-accounts.ts";
import { creditCodeCheckCharacter } from "../app/domain/credit-code.ts";
import { decideVerificationRequest, submitVerification } from "../app/models/organization-verification.server.ts";
import { castBallot, closeRatification, openRatification, signAgreement } from "../app/models/agreement.server.ts";
import { appointSeat, applyProcedureEvent, confirmRecorder, proposeSession } from "../app/models/session.server.ts";
import { runClockSweep } from "../app/models/sweep.server.ts";
import { acceptDispute, applyDispute } from "../app/models/dispute.server.ts";
import { appendUpdate, loadDocument } from "../app/models/document-store.server.ts";

export const DEMO_SESSION_TITLE = "杭州市外卖配送行业骑手计件单价集体协商（2027年度）";
/** The agreement in force that the 2027 round renegotiates: ratified, signed, filed and published a year ago. */
export const DEMO_IN_FORCE_TITLE = "杭州市外卖配送行业骑手计件单价集体协议（2025—2027年度）";
/** An amendment of the agreement in force, in force itself (issue 20, item 5). */
export const DEMO_AMENDMENT_TITLE = "关于调整夜间配送补贴的变更协议";
/** The night surcharge the amendment raises the agreement in force's to. */
export const DEMO_AMENDED_NIGHT_SURCHARGE_FEN = 150;
/** A supplementary agreement that both sides later ended by agreement (第三十九条). */
export const DEMO_TERMINATED_TITLE = "杭州市外卖配送行业亚运会期间配送保障专项协议";
export const DEMO_TERMINATION_TITLE = "关于解除亚运会期间配送保障专项协议的协议";
/** Talks suspended by both chiefs with the next meeting agreed (第三十五条), and a dispute before the bureau (第四十九条). */
export const DEMO_SUSPENDED_TITLE = "杭州市外卖配送行业骑手工作时间与休息专项集体协商";

/** Terms of the demo draft: every legal floor met (pay at the 12-minute quota is 30.00 yuan an hour against Hangzhou's 25.00). */
export const DEMO_TERMS: Terms = {
  schemaVersion: TERMS_SCHEMA_VERSION,
  pieceRateBaseFen: 600,
  baseDistanceMetres: 3000,
  distanceSurchargeFenPerKm: 100,
  pieceRateNightSurchargeFen: 150,
  badWeatherSubsidyFen: 200,
  holidayMultiplierBp: 20_000,
  commissionCapBp: 0,
  commissionShownPerOrder: true,
  quotaMinutesPerOrder: 12,
  maxContinuousMinutes: 240,
  restAfterContinuousMinutes: 20,
  maxDailyMinutes: 600,
  waitingAllowanceMinutes: 30,
  restDaysPerMonth: 4,
  paidLeaveDaysPerYear: 5,
  penaltyCapFen: 10_000,
  appealWindowDays: 7,
  appealResponseHours: 24,
  payCycleDays: 7,
  exitNoticeDays: 7,
  roundingRule: "PER_ORDER_HALF_UP",
  occupationalInjury: "BOTH",
  accidentCoverFen: 60_000_000,
  rewardRules: [
    { kind: "PEAK_HOURS", amountFen: 100, condition: "午高峰（11:00—13:00）和晚高峰（17:00—19:00）每完成一单另加 1 元。" },
    { kind: "LONG_SERVICE", amountFen: 20_000, condition: "连续服务满 12 个月、当年无有效投诉的，发放一次性奖励 200 元。" },
  ],
  penaltyExcludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS", "SYSTEM_FAILURE"],
  pieceRateTable: [
    { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "ALL_DAY", priceFen: 600 },
    { orderType: "STANDARD", fromMetres: 3000, toMetres: 5000, timeBand: "ALL_DAY", priceFen: 750 },
    { orderType: "STANDARD", fromMetres: 5000, toMetres: 8000, timeBand: "ALL_DAY", priceFen: 950 },
    { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "PEAK", priceFen: 700 },
    { orderType: "STANDARD", fromMetres: 0, toMetres: 3000, timeBand: "NIGHT", priceFen: 750 },
    { orderType: "URGENT", fromMetres: 0, toMetres: 5000, timeBand: "ALL_DAY", priceFen: 900 },
    { orderType: "BULKY", fromMetres: 0, toMetres: 5000, timeBand: "ALL_DAY", priceFen: 1200 },
    { orderType: "GROCERY", fromMetres: 0, toMetres: 5000, timeBand: "ALL_DAY", priceFen: 800 },
  ],
  penaltyRules: [
    { kind: "LATE_DELIVERY", amountFen: 200, monthlyCapFen: 5000, appealWindowDays: 7, excludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS", "SYSTEM_FAILURE"] },
    { kind: "CUSTOMER_COMPLAINT", amountFen: 500, monthlyCapFen: 5000, appealWindowDays: 14, excludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS"] },
  ],
  allocation: { medianEstimate: true, dispatchRadiusMetres: 3000, maxConcurrentOrders: 3 },
  algorithms: [
    {
      kind: "DISPATCH",
      name: "智能派单",
      decides: "把新订单派给附近的骑手，并决定同时派给一名骑手的订单数。",
      parameters: [
        { name: "到店距离", weightBp: 5000 },
        { name: "顺路程度", weightBp: 3000 },
        { name: "当前在途订单数", weightBp: 2000 },
      ],
      humanReview: "在骑手端“申诉与反馈”提交，由站点负责人和工会联络员共同复核。",
      reviewAnswerDays: 3,
    },
    {
      kind: "TIME_ESTIMATE",
      name: "送达时间预估",
      decides: "估算每单的送达时限，用于考核是否超时。",
      parameters: [
        { name: "同路段历史送达时间中位数", weightBp: 7000 },
        { name: "出餐时间", weightBp: 2000 },
        { name: "天气与路况", weightBp: 1000 },
      ],
      estimatePolicy: "MEDIAN",
      humanReview: "对超时判定有异议的，在骑手端“申诉与反馈”提交，7 日内人工复核。",
      reviewAnswerDays: 7,
    },
    {
      kind: "RATING",
      name: "服务分",
      decides: "计算骑手服务分，影响高峰时段的优先派单。",
      parameters: [
        { name: "准时率（剔除不可控原因）", weightBp: 6000 },
        { name: "顾客评价", weightBp: 2500 },
        { name: "出勤天数", weightBp: 1500 },
      ],
      humanReview: "服务分明细可在骑手端查询；有异议的可申请人工复核。",
      reviewAnswerDays: 7,
    },
    {
      kind: "PAY_DEDUCTION",
      name: "扣罚判定",
      decides: "按协议的扣罚规则判定是否扣罚及金额。",
      parameters: [
        { name: "扣罚规则匹配", weightBp: 8000 },
        { name: "不可控原因核验", weightBp: 2000 },
      ],
      humanReview: "每一笔扣罚都可在 7 日内申诉，申诉期间不扣款。",
      reviewAnswerDays: 7,
    },
  ],
};

/** The agreement in force: the same structure with the rates of a year ago. */
export const DEMO_IN_FORCE_TERMS: Terms = {
  ...DEMO_TERMS,
  pieceRateBaseFen: 550,
  pieceRateNightSurchargeFen: 100,
  holidayMultiplierBp: 15_000,
  pieceRateTable: DEMO_TERMS.pieceRateTable!.map((row) => ({ ...row, priceFen: row.priceFen - 50 })),
};

/** Ride-hailing drivers (issue 22): fares and the platform's take, continuous driving under the road traffic regulation. */
export const DEMO_RIDE_HAILING_TITLE = "杭州市网约车驾驶员劳动报酬与休息集体协议（2026—2028年度）";
export const DEMO_RIDE_HAILING_TERMS: Terms = {
  schemaVersion: TERMS_SCHEMA_VERSION,
  // The driver's price: a starting fare including 3 km, then per km; the platform keeps at most 20 %.
  pieceRateBaseFen: 1300,
  baseDistanceMetres: 3000,
  distanceSurchargeFenPerKm: 230,
  pieceRateNightSurchargeFen: 200,
  commissionCapBp: 2000,
  commissionShownPerOrder: true,
  holidayMultiplierBp: 15_000,
  quotaMinutesPerOrder: 20,
  maxContinuousMinutes: 240,
  restAfterContinuousMinutes: 20,
  maxDailyMinutes: 600,
  waitingAllowanceMinutes: 60,
  restDaysPerMonth: 4,
  paidLeaveDaysPerYear: 5,
  payCycleDays: 1,
  penaltyCapFen: 10_000,
  appealWindowDays: 7,
  appealResponseHours: 48,
  exitNoticeDays: 15,
  roundingRule: "PER_ORDER_HALF_UP",
  occupationalInjury: "SCHEME",
  rewardRules: [{ kind: "PEAK_HOURS", amountFen: 300, condition: "早晚高峰（7:00—9:00、17:00—19:00）每完成一单另加 3 元。" }],
  penaltyExcludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS", "SYSTEM_FAILURE"],
  penaltyRules: [{ kind: "CUSTOMER_COMPLAINT", amountFen: 500, monthlyCapFen: 5000, appealWindowDays: 7, excludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "BUILDING_ACCESS", "SYSTEM_FAILURE"] }],
  allocation: { medianEstimate: true, dispatchRadiusMetres: 3000, maxConcurrentOrders: 1 },
  algorithms: [
    { kind: "DISPATCH", name: "派单引擎", decides: "把乘客的用车需求派给附近的驾驶员。", parameters: [{ name: "接驾距离", weightBp: 7000 }, { name: "服务分", weightBp: 3000 }], humanReview: "在司机端“申诉”提交，3 日内由人工复核。", reviewAnswerDays: 3 },
    { kind: "TIME_ESTIMATE", name: "行程时间预估", decides: "估算接驾和行程时间，用于计价展示和考核迟到。", parameters: [{ name: "同路段历史行程时间中位数", weightBp: 8000 }, { name: "实时路况", weightBp: 2000 }], estimatePolicy: "MEDIAN", humanReview: "对迟到判定有异议的，在司机端申诉，7 日内人工复核。", reviewAnswerDays: 7 },
    { kind: "RATING", name: "服务分", decides: "计算驾驶员服务分，影响派单优先级。", parameters: [{ name: "乘客评价（剔除恶意差评）", weightBp: 6000 }, { name: "完单率", weightBp: 4000 }], humanReview: "服务分明细可在司机端查询；有异议的可申请人工复核。", reviewAnswerDays: 7 },
    { kind: "PAY_DEDUCTION", name: "扣款判定", decides: "按协议的扣罚规则判定是否扣款及金额。", parameters: [{ name: "扣罚规则匹配", weightBp: 8000 }, { name: "不可控原因核验", weightBp: 2000 }], humanReview: "每一笔扣款都可在 7 日内申诉，申诉期间不扣款。", reviewAnswerDays: 7 },
  ],
};
export const DEMO_RIDE_HAILING_BODY = [
  "第一条 为保障网约车驾驶员的劳动报酬和休息权益，根据《集体合同规定》和人社部发〔2021〕56号等规定，经集体协商，订立本协议。",
  "第二条 驾驶员所得按起步价和里程计价，平台抽成不超过每单车费的 20%，并在每一单展示抽成和驾驶员所得。",
  "第三条 驾驶员连续驾驶不超过 4 小时，之后停车休息不少于 20 分钟，平台在此期间停止派单；每日工作时间不超过 10 小时。",
  "第四条 平台为驾驶员参加平台灵活就业人员职业伤害保障；驾驶员对扣款有异议的，平台在 48 小时内回应。",
];

/** Couriers (issue 22): a fee per parcel; no rule sets an hour limit, so the limit is the parties' agreed practice. */
export const DEMO_COURIER_TITLE = "杭州市快递员派费与工作时间集体协议（2026—2028年度）";
export const DEMO_COURIER_TERMS: Terms = {
  schemaVersion: TERMS_SCHEMA_VERSION,
  pieceRateBaseFen: 150,
  badWeatherSubsidyFen: 50,
  holidayMultiplierBp: 20_000,
  quotaMinutesPerOrder: 3,
  maxContinuousMinutes: 180,
  restAfterContinuousMinutes: 30,
  maxDailyMinutes: 600,
  waitingAllowanceMinutes: 60,
  restDaysPerMonth: 4,
  paidLeaveDaysPerYear: 5,
  payCycleDays: 30,
  penaltyCapFen: 5_000,
  appealWindowDays: 15,
  appealResponseHours: 72,
  exitNoticeDays: 30,
  roundingRule: "PER_ORDER_HALF_UP",
  occupationalInjury: "COMMERCIAL",
  accidentCoverFen: 50_000_000,
  rewardRules: [{ kind: "LONG_SERVICE", amountFen: 50_000, condition: "在本网点连续服务满 12 个月的，发放一次性奖励 500 元。" }],
  penaltyExcludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS", "SYSTEM_FAILURE"],
  penaltyRules: [{ kind: "CUSTOMER_COMPLAINT", amountFen: 300, monthlyCapFen: 3000, appealWindowDays: 15, excludedCauses: ["TRAFFIC_CONTROL", "BAD_WEATHER", "MERCHANT_DELAY", "BUILDING_ACCESS", "SYSTEM_FAILURE"] }],
  allocation: { medianEstimate: true, dispatchRadiusMetres: 5000, maxConcurrentOrders: 20 },
  algorithms: [
    { kind: "DISPATCH", name: "派件分配", decides: "把到达网点的快件按片区分给快递员。", parameters: [{ name: "片区", weightBp: 8000 }, { name: "当日件量", weightBp: 2000 }], humanReview: "对分配有异议的，向网点负责人提出，3 日内答复。", reviewAnswerDays: 3 },
    { kind: "TIME_ESTIMATE", name: "时效预估", decides: "估算每票快件的派送时限。", parameters: [{ name: "同片区历史派送时间中位数", weightBp: 10000 }], estimatePolicy: "MEDIAN", humanReview: "对超时判定有异议的，7 日内人工复核。", reviewAnswerDays: 7 },
    { kind: "RATING", name: "服务评价", decides: "汇总收件人评价，作为奖励依据。", parameters: [{ name: "收件人评价", weightBp: 10000 }], humanReview: "评价明细可查询，有异议的可申请复核。", reviewAnswerDays: 7 },
    { kind: "PAY_DEDUCTION", name: "罚款判定", decides: "按协议的罚款规则判定是否罚款及金额。", parameters: [{ name: "罚款规则匹配", weightBp: 10000 }], humanReview: "每一笔罚款都可在 15 日内申诉。", reviewAnswerDays: 7 },
  ],
};
export const DEMO_COURIER_BODY = [
  "第一条 为保障快递员的劳动报酬和休息权益，根据《集体合同规定》和人社部发〔2021〕56号等规定，经集体协商，订立本协议。",
  "第二条 派费按件计算，每件不低于 1.50 元；恶劣天气每件另加 0.50 元补贴。",
  "第三条 快递员连续派送不超过 3 小时，之后休息不少于 30 分钟；这是双方约定的做法。每日工作时间不超过 10 小时。",
  "第四条 快递企业为快递员购买意外伤害保险，每人保险金额不低于 50 万元；罚款可在 15 日内申诉，企业在 72 小时内回应。",
];

export const DEMO_BODY = [
  "第一条 为保障外卖配送骑手的劳动报酬和休息权益，根据《集体合同规定》和人社部发〔2021〕56号等规定，经平等协商，订立本协议。",
  "第二条 本协议适用于杭州市行政区域内参加本协议的外卖平台企业及其合作配送企业，以及通过上述平台从事外卖配送的骑手。",
  "第三条 计件单价按订单类型、配送距离和时段分档确定，详见计件单价表；按劳动定额正常劳动的报酬不得低于本市小时最低工资标准。",
  "第四条 平台在每一单展示抽成与收入明细；连续接单满 4 小时的，停止派单 20 分钟并提示休息。",
  "第五条 因交通管制、恶劣天气、商家出餐延误、楼宇禁止进入或平台系统故障导致超时的，不予扣罚；每一笔扣罚都可申诉。",
];

export type Actors = { negotiator: Actor; unionAdmin: Actor; association: Actor; swiftEats: Actor; lanshan: Actor };

/** The demo people who bargain in the demo sessions. */
export async function demoActors(db: PrismaClient): Promise<Actors> {
  const userId = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
  return {
    negotiator: await loadActor(await userId("negotiator@union.demo")),
    unionAdmin: await loadActor(await userId("admin@union.demo")),
    association: await loadActor(await userId("rep@association.demo")),
    swiftEats: await loadActor(await userId("rep@swifteats.demo")),
    lanshan: await loadActor(await userId("rep@lanshan.demo")),
  };
}
type Actor = Awaited<ReturnType<typeof loadActor>>;

/**
 * Who bargains a demo session: the worker side's union (its negotiator proposes and chairs, its
 * administrator seats the delegation), the employer side's organizations (each answers for
 * itself; the first one's representative chairs, seats its side, agrees, signs and files), the
 * three representatives of each side, the voters on the ratification roll, the industry and topics.
 */
export type Cast = {
  industry: "FOOD_DELIVERY" | "EXPRESS" | "RIDE_HAILING" | "FREIGHT" | "OTHER";
  topics: string[];
  unionSlug: string;
  workerChief: Actor;
  workerAdmin: Actor;
  workerSeats: [string, string, string];
  employerSlugs: string[];
  /** One actor per employer organization, in `employerSlugs` order; the first chairs its side. */
  employerAnswerers: Actor[];
  employerSeats: [string, string, string];
  voters: string[];
};

/** The food-delivery cast of the Hangzhou riders' union, the catering association and two platforms. */
export function deliveryCast(actors: Actors): Cast {
  return {
    industry: "FOOD_DELIVERY",
    topics: ["pieceRate", "allocation", "workTime", "rest", "penalties", "algorithm"],
    unionSlug: "hz-rider-union",
    workerChief: actors.negotiator,
    workerAdmin: actors.unionAdmin,
    workerSeats: ["negotiator@union.demo", "admin@union.demo", "workerrep@union.demo"],
    employerSlugs: ["hz-catering-association", "swift-eats", "lanshan-delivery"],
    employerAnswerers: [actors.association, actors.swiftEats, actors.lanshan],
    employerSeats: ["rep@association.demo", "rep@swifteats.demo", "rep@lanshan.demo"],
    voters: ["workerrep@union.demo", "rider@worker.demo"],
  };
}

/** The cast of another industry's demo agreement (issue 22): its own union, association and platform. */
async function industryCast(db: PrismaClient, industry: "RIDE_HAILING" | "EXPRESS"): Promise<Cast> {
  const actor = async (email: string) => loadActor((await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id);
  if (industry === "RIDE_HAILING") {
    return {
      industry,
      topics: ["pieceRate", "commission", "allocation", "workTime", "rest", "penalties", "protection", "algorithm"],
      unionSlug: "hz-ride-union",
      workerChief: await actor("negotiator@ride-union.demo"),
      workerAdmin: await actor("admin@ride-union.demo"),
      workerSeats: ["negotiator@ride-union.demo", "admin@ride-union.demo", "driver@ride-union.demo"],
      employerSlugs: ["hz-mobility-association", "kuaicheng-mobility"],
      employerAnswerers: [await actor("rep@mobility.demo"), await actor("rep@kuaicheng.demo")],
      employerSeats: ["rep@mobility.demo", "admin@mobility.demo", "rep@kuaicheng.demo"],
      voters: ["driver@ride-union.demo", "admin@ride-union.demo"],
    };
  }
  return {
    industry,
    topics: ["pieceRate", "workTime", "rest", "penalties", "protection", "entryExit"],
    unionSlug: "hz-courier-union",
    workerChief: await actor("negotiator@courier-union.demo"),
    workerAdmin: await actor("admin@courier-union.demo"),
    workerSeats: ["negotiator@courier-union.demo", "admin@courier-union.demo", "courier@courier-union.demo"],
    employerSlugs: ["hz-express-association", "shunda-express"],
    employerAnswerers: [await actor("rep@express-assoc.demo"), await actor("rep@shunda.demo")],
    employerSeats: ["rep@express-assoc.demo", "admin@express-assoc.demo", "rep@shunda.demo"],
    voters: ["courier@courier-union.demo", "admin@courier-union.demo"],
  };
}

/** Proposes, accepts, seats both delegations and the recorder, and starts bargaining, at the given times. */
type ProposalOptions = { title: string; proposalText: string; at: Date; continuesNoticeId?: string; purpose?: SessionPurpose; terminationGround?: TerminationGround; terminationReason?: string; cast?: Cast };

async function sessionInBargaining(db: PrismaClient, actors: Actors, options: ProposalOptions): Promise<string> {
  const cast = options.cast ?? deliveryCast(actors);
  const orgId = async (slug: string) => (await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
  const ctx = (minutes: number) => ({ ip: null, userAgent: "demo seed", now: new Date(options.at.getTime() + minutes * 60_000) });
  const session = await proposeSession({
    actor: cast.workerChief,
    ctx: ctx(0),
    input: {
      proposerOrganizationId: await orgId(cast.unionSlug),
      title: options.title,
      industry: cast.industry,
      regionCode: "330100",
      topics: cast.topics as never,
      proposalText: options.proposalText,
      termMonths: 24,
      representativesPerSide: 3,
      recipientOrganizationIds: await Promise.all(cast.employerSlugs.map(orgId)),
      observerOrganizationIds: [await orgId("hz-hrss-bureau")],
      coveredOrganizationIds: [],
      continuesNoticeId: options.continuesNoticeId,
      purpose: options.purpose,
      terminationGround: options.terminationGround,
      terminationReason: options.terminationReason,
    },
  });
  const sessionId = session.id;
  // Every named organization answers for itself (issue 18): the association, then each platform.
  for (const [index, answerer] of cast.employerAnswerers.entries()) {
    await applyProcedureEvent({ actor: answerer, ctx: ctx(60 + index * 10), sessionId, action: "accept" });
  }
  const employerChief = cast.employerAnswerers[0]!;
  const seat = (actor: Actor, side: "WORKER" | "EMPLOYER", email: string, minute: number, isChief = false) =>
    appointSeat({ actor, ctx: ctx(minute), sessionId, input: { kind: "REPRESENTATIVE", side, email, isChief } });
  for (const [index, email] of cast.workerSeats.entries()) await seat(cast.workerAdmin, "WORKER", email, 120 + index, index === 0);
  for (const [index, email] of cast.employerSeats.entries()) await seat(employerChief, "EMPLOYER", email, 123 + index, index === 0);
  // Both sides name the recorder (《集体合同规定》第三十三条（五））: the union nominates, the association confirms.
  const { seatId: recorderSeat } = await appointSeat({ actor: cast.workerAdmin, ctx: ctx(126), sessionId, input: { kind: "RECORDER", side: null, email: "recorder@xieshang.demo", isChief: false } });
  await confirmRecorder({ actor: employerChief, ctx: ctx(127), sessionId, seatId: recorderSeat });
  await applyProcedureEvent({ actor: cast.workerChief, ctx: ctx(180), sessionId, action: "startBargaining" });
  return sessionId;
}

async function writeDraft(sessionId: string, userId: string, terms: Partial<Terms>, body: readonly string[] = DEMO_BODY) {
  const { documentId, doc } = await loadDocument(sessionId);
  try {
    await appendUpdate(documentId, draftUpdateFrom(body, terms, doc), userId);
  } finally {
    doc.destroy();
  }
}

/**
 * The agreement in force: bargained, agreed, ratified by the worker representatives (secret
 * ballot), signed by both chiefs and filed about a year ago, at those times; the clock then lets
 * the review period lapse, publishes the notice and puts it in force, as it would have.
 */
async function seedAgreementInForce(db: PrismaClient, actors: Actors, now: Date): Promise<string> {
  const start = new Date(now.getTime() - 400 * 24 * 60 * 60_000);
  const sessionId = await throughTheProcedure(db, actors, { title: DEMO_IN_FORCE_TITLE, proposalText: "就外卖配送骑手的计件单价、工作时间与休息、扣罚规则和算法规则开展行业集体协商。", at: start, terms: DEMO_IN_FORCE_TERMS });
  await runClockSweep(now);
  return sessionId;
}

/**
 * One session from proposal to filing, at the given times (days after `at`): proposed, accepted,
 * seated, bargained (the draft written: `terms` and `body`; an amendment only changes the terms of
 * the text it starts from), agreed by both chiefs, ratified by a secret ballot, signed and filed.
 * The caller runs the clock. Also used by tests that need agreements published on given dates.
 */
export async function throughTheProcedure(db: PrismaClient, actors: Actors, options: ProposalOptions & { terms: Partial<Terms>; body?: readonly string[] }): Promise<string> {
  const cast = options.cast ?? deliveryCast(actors);
  const employerChief = cast.employerAnswerers[0]!;
  const day = 24 * 60 * 60_000;
  const at = (days: number) => ({ ip: null, userAgent: "demo seed", now: new Date(options.at.getTime() + days * day) });
  const sessionId = await sessionInBargaining(db, actors, options);
  await writeDraft(sessionId, cast.workerChief.userId, options.terms, options.purpose === "AMENDMENT" ? [] : options.body ?? DEMO_BODY);
  await applyProcedureEvent({ actor: cast.workerChief, ctx: at(30), sessionId, action: "agreeDraft" });
  await applyProcedureEvent({ actor: employerChief, ctx: at(30.1), sessionId, action: "agreeDraft" });
  const union = (await db.organization.findUniqueOrThrow({ where: { slug: cast.unionSlug }, select: { id: true } })).id;
  await openRatification({ actor: cast.workerChief, ctx: at(31), sessionId, input: { secret: true, closesInHours: 72, roll: cast.voters.map((email) => ({ enterpriseId: union, email })) } });
  for (const [index, email] of cast.voters.entries()) {
    const voter = await loadActor((await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id);
    await castBallot({ actor: voter, ctx: at(31.2 + index * 0.1), sessionId, choice: "YES" });
  }
  await closeRatification({ actor: cast.workerChief, ctx: at(32), sessionId });
  await signAgreement({ actor: cast.workerChief, ctx: at(33), sessionId, password: DEMO_PASSWORD });
  await signAgreement({ actor: employerChief, ctx: at(33.1), sessionId, password: DEMO_PASSWORD });
  await applyProcedureEvent({ actor: employerChief, ctx: at(34), sessionId, action: "file" });
  return sessionId;
}

/**
 * Special talks on working time, suspended by both chiefs until next week with the next meeting
 * agreed (第三十五条); the union applied to the bureau for coordination of the dispute (第四十九条)
 * and the bureau accepted it (its 30 days run, 第五十二条).
 */
async function seedSuspendedWithDispute(db: PrismaClient, actors: Actors, now: Date) {
  const day = 24 * 60 * 60_000;
  const start = new Date(now.getTime() - 20 * day);
  const sessionId = await sessionInBargaining(db, actors, { title: DEMO_SUSPENDED_TITLE, proposalText: "就外卖配送骑手连续接单时长、强制休息和每日最长工作时间开展专项集体协商。", at: start });
  const at = (days: number) => ({ ip: null, userAgent: "demo seed", now: new Date(start.getTime() + days * day) });
  const resumesAt = new Date(Math.floor((now.getTime() + 7 * day) / 3_600_000) * 3_600_000);
  const plan = { resumesAt: resumesAt.toISOString(), meetingAt: resumesAt.toISOString(), location: "杭州市总工会三楼会议室", agenda: "每日最长工作时间和强制休息的计算口径" };
  const dispute = await applyDispute({ actor: actors.negotiator, ctx: at(15), sessionId, side: "WORKER", statement: "双方对“连续接单 4 小时”是否包括等单时间不能协商一致，申请人社部门协调处理。" });
  const bureau = await loadActor((await db.user.findUniqueOrThrow({ where: { email: "reviewer@bureau.demo" }, select: { id: true } })).id);
  await acceptDispute({ actor: bureau, ctx: at(15.5), sessionId, disputeId: dispute.id });
  await applyProcedureEvent({ actor: actors.negotiator, ctx: at(16), sessionId, action: "suspend", terms: plan });
  await applyProcedureEvent({ actor: actors.association, ctx: at(16.1), sessionId, action: "suspend", terms: plan });
}

/** A fictitious, check-character-correct credit code for a demo organization (see DEMO_CREDIT_CODE_PREFIX). */
export function demoCreditCode(type: keyof typeof DEMO_CREDIT_CODE_PREFIX, serial: number): string {
  const first17 = `${DEMO_CREDIT_CODE_PREFIX[type]}${DEMO_REGION}${String(serial).padStart(9, "0")}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/**
 * Verifies the demo organizations through the workflow (issue 18), as they would have been: each
 * organization's administrator submits its registration, the operator approves the unions and the
 * bureau, the bureau approves the association and the platforms of its region; the partner
 * enterprise's request stays under review and the riders' mutual-aid group never applied.
 */
export async function verifyDemoOrganizations(db: PrismaClient, at: Date) {
  const userId = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
  const operator = await loadActor(await userId("operator@xieshang.demo"));
  const bureau = await loadActor(await userId("reviewer@bureau.demo"));
  const ctx = (minutes: number) => ({ ip: null, userAgent: "demo seed", now: new Date(at.getTime() + minutes * 60_000) });
  // The operator first (the bureau must be verified before it verifies others).
  const order = ["operator", "bureau", "pending"] as const;
  let minute = 0;
  for (const by of order) {
    for (const [index, org] of DEMO_ORGANIZATIONS.entries()) {
      const plan = DEMO_VERIFICATION[org.slug];
      if (!plan || plan.by !== by) continue;
      const admin = DEMO_ACCOUNTS.find((account) => account.memberships.some((membership) => membership.slug === org.slug && membership.role === "ADMIN"));
      if (!admin) throw new Error(`demo organization ${org.slug} has no administrator to submit its verification`);
      const organizationId = (await db.organization.findUniqueOrThrow({ where: { slug: org.slug }, select: { id: true } })).id;
      const request = await submitVerification({
        actor: await loadActor(await userId(admin.email)),
        ctx: ctx((minute += 10)),
        organizationId,
        input: { creditCode: demoCreditCode(org.type, index + 1), registrationAuthority: plan.registrationAuthority, parentUnionName: plan.parentUnionName, contactName: admin.displayName, contactPhone: `0571-8800${String(index).padStart(4, "0")}`, contactEmail: admin.email },
      });
      if (by === "pending") continue;
      await decideVerificationRequest({ actor: by === "operator" ? operator : bureau, operator: by === "operator", ctx: ctx((minute += 10)), requestId: request.id, approve: true, reason: by === "operator" ? "核对登记证书原件一致（演示）" : "核对营业执照/登记证书一致（演示）" });
    }
  }
}

/**
 * A rehearsal by the unverified mutual-aid group: proposed to the association, which has not
 * answered; it can never be published while the group is unverified.
 */
async function rehearsalByUnverifiedGroup(db: PrismaClient, at: Date) {
  const founder = await loadActor((await db.user.findUniqueOrThrow({ where: { email: "admin@mutual-aid.demo" }, select: { id: true } })).id);
  const orgId = async (slug: string) => (await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
  await proposeSession({
    actor: founder,
    ctx: { ip: null, userAgent: "demo seed", now: at },
    input: {
      proposerOrganizationId: await orgId("hz-rider-mutual-aid"),
      title: "骑手互助会协商演练（未核验组织）",
      industry: "FOOD_DELIVERY",
      regionCode: "330100",
      topics: ["workTime", "rest"],
      proposalText: "演练：就骑手连续工作时间和休息安排向行业协会提出协商要约。",
      termMonths: 12,
      representativesPerSide: 3,
      recipientOrganizationIds: [await orgId("hz-catering-association")],
      observerOrganizationIds: [],
      coveredOrganizationIds: [],
    },
  });
}

/** Creates the demo sessions: an agreement in force with its public notice, and the next round in bargaining with its draft. */
export async function seedDemoScenario(db: PrismaClient, now: Date = new Date()): Promise<string> {
  const actors = await demoActors(db);
  const inForce = await seedAgreementInForce(db, actors, now);
  const series = await db.noticeVersion.findFirstOrThrow({ where: { sessionId: inForce }, select: { noticeId: true } });
  const day = 24 * 60 * 60_000;
  // An amendment of the agreement in force goes through the procedure again (第三十九条至第四十一条):
  // it continues the series, keeps its term, and has been in force for a few days.
  await throughTheProcedure(db, actors, {
    title: DEMO_AMENDMENT_TITLE,
    proposalText: "依据《集体合同规定》第三十九条、第四十一条，提出变更现行协议中的夜间配送补贴。",
    at: new Date(now.getTime() - 60 * day),
    purpose: "AMENDMENT",
    continuesNoticeId: series.noticeId,
    terms: { pieceRateNightSurchargeFen: DEMO_AMENDED_NIGHT_SURCHARGE_FEN },
  });
  await runClockSweep(now);
  // A special agreement that both sides ended by agreement (第三十九条), published as ended.
  const special = await throughTheProcedure(db, actors, { title: DEMO_TERMINATED_TITLE, proposalText: "就亚运会期间外卖配送的计件单价和休息安排开展专项集体协商。", at: new Date(now.getTime() - 300 * day), terms: DEMO_IN_FORCE_TERMS });
  await runClockSweep(new Date(now.getTime() - 200 * day));
  const specialSeries = await db.noticeVersion.findFirstOrThrow({ where: { sessionId: special }, select: { noticeId: true } });
  await throughTheProcedure(db, actors, {
    title: DEMO_TERMINATION_TITLE,
    proposalText: "专项协议所针对的赛事保障期已结束，依据《集体合同规定》第三十九条提出解除。",
    at: new Date(now.getTime() - 90 * day),
    purpose: "TERMINATION",
    continuesNoticeId: specialSeries.noticeId,
    terminationGround: "AGREED",
    terminationReason: "赛事保障期已结束，双方协商一致解除专项协议；骑手的计件单价和休息安排适用行业集体协议。",
    terms: {},
    body: ["第一条 双方协商一致，解除《杭州市外卖配送行业亚运会期间配送保障专项协议》。", "第二条 解除后，骑手的计件单价、工作时间和休息安排适用杭州市外卖配送行业骑手计件单价集体协议。"],
  });
  await runClockSweep(now);
  // Riders' complaints and appeals on the agreement in force, in every step (issue 25).
  await seedDemoComplaints(db, { noticeId: series.noticeId, platform: actors.swiftEats, union: actors.negotiator, now });
  await seedSuspendedWithDispute(db, actors, now);
  // A ride-hailing and a courier agreement in force (issue 22), each with its own parties and fields.
  await throughTheProcedure(db, actors, { title: DEMO_RIDE_HAILING_TITLE, proposalText: "就网约车驾驶员的计价规则、平台抽成、连续驾驶与休息和扣款规则开展行业集体协商。", at: new Date(now.getTime() - 150 * day), terms: DEMO_RIDE_HAILING_TERMS, body: DEMO_RIDE_HAILING_BODY, cast: await industryCast(db, "RIDE_HAILING") });
  await throughTheProcedure(db, actors, { title: DEMO_COURIER_TITLE, proposalText: "就快递员的派费、工作时间与休息、罚款和申诉开展行业集体协商。", at: new Date(now.getTime() - 120 * day), terms: DEMO_COURIER_TERMS, body: DEMO_COURIER_BODY, cast: await industryCast(db, "EXPRESS") });
  await runClockSweep(now);
  await rehearsalByUnverifiedGroup(db, new Date(now.getTime() - 2 * 24 * 60 * 60_000));
  // The 2027 round renews the series of the agreement in force (issue 18, item 3).
  const sessionId = await sessionInBargaining(db, actors, {
    continuesNoticeId: series.noticeId,
    title: DEMO_SESSION_TITLE,
    proposalText: "就 2027 年度外卖配送骑手的计件单价、工作时间与休息、扣罚规则和算法规则，向杭州市餐饮行业协会及主要平台企业提出集体协商要约。",
    at: new Date(now.getTime() - 3 * 24 * 60 * 60_000),
  });
  // The renewal's draft starts from the text in force (seeded when proposed); the 2027 rates are written in.
  await writeDraft(sessionId, actors.negotiator.userId, DEMO_TERMS, []);
  return sessionId;
}
