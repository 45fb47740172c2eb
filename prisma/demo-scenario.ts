/**
 * The demo's bargaining session: the Hangzhou riders' union and the catering association bargain
 * over food-delivery piece rates for 2027, with a realistic draft (text and terms that pass every
 * rule check) that the demo accounts can open at once. Built through the same model functions the
 * pages use, so the audit trail and the procedure are real. Run by `seedDemoData` once, on an
 * empty database.
 */
import * as Y from "yjs";
import type { PrismaClient } from "../app/generated/prisma/client.ts";
import { loadActor } from "../app/authz.server.ts";
import { TERMS_SCHEMA_VERSION, type Terms } from "../app/domain/terms.ts";
import { appointSeat, applyProcedureEvent, proposeSession } from "../app/models/session.server.ts";
import { appendUpdate, loadDocument } from "../realtime/document-store.ts";

export const DEMO_SESSION_TITLE = "杭州市外卖配送行业骑手计件单价集体协商（2027年度）";

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

const DEMO_BODY = [
  "第一条 为保障外卖配送骑手的劳动报酬和休息权益，根据《集体合同规定》和人社部发〔2021〕56号等规定，经平等协商，订立本协议。",
  "第二条 本协议适用于杭州市行政区域内参加本协议的外卖平台企业及其合作配送企业，以及通过上述平台从事外卖配送的骑手。",
  "第三条 计件单价按订单类型、配送距离和时段分档确定，详见计件单价表；按劳动定额正常劳动的报酬不得低于本市小时最低工资标准。",
  "第四条 平台在每一单展示抽成与收入明细；连续接单满 4 小时的，停止派单 20 分钟并提示休息。",
  "第五条 因交通管制、恶劣天气、商家出餐延误、楼宇禁止进入或平台系统故障导致超时的，不予扣罚；每一笔扣罚都可申诉。",
];

function draftUpdate(): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array | null = null;
  doc.on("update", (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u));
  doc.transact(() => {
    // The same shape Tiptap's Collaboration extension writes: one XmlElement per paragraph.
    const body = doc.getXmlFragment("body");
    body.insert(
      0,
      DEMO_BODY.map((text) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(text)]);
        return paragraph;
      }),
    );
    const terms = doc.getMap<unknown>("terms");
    for (const [key, value] of Object.entries(DEMO_TERMS)) terms.set(key, value);
  });
  doc.destroy();
  return update!;
}

/** Creates the demo session in bargaining, with its draft; returns its id. */
export async function seedDemoScenario(db: PrismaClient): Promise<string> {
  const userId = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
  const orgId = async (slug: string) => (await db.organization.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
  const ctx = { ip: null, userAgent: "demo seed" };
  const negotiator = await loadActor(await userId("negotiator@union.demo"));
  const unionAdmin = await loadActor(await userId("admin@union.demo"));
  const association = await loadActor(await userId("rep@association.demo"));

  const session = await proposeSession({
    actor: negotiator,
    ctx,
    input: {
      proposerOrganizationId: await orgId("hz-rider-union"),
      title: DEMO_SESSION_TITLE,
      industry: "FOOD_DELIVERY",
      regionCode: "330100",
      topics: ["pieceRate", "allocation", "workTime", "rest", "penalties", "algorithm"],
      proposalText: "就 2027 年度外卖配送骑手的计件单价、工作时间与休息、扣罚规则和算法规则，向杭州市餐饮行业协会及主要平台企业提出集体协商要约。",
      termMonths: 24,
      representativesPerSide: 3,
      recipientOrganizationIds: [await orgId("hz-catering-association"), await orgId("swift-eats"), await orgId("lanshan-delivery")],
      observerOrganizationIds: [await orgId("hz-hrss-bureau")],
      coveredOrganizationIds: [],
    },
  });
  const sessionId = session.id;
  await applyProcedureEvent({ actor: association, ctx, sessionId, event: { type: "ANSWER", accept: true } });
  const seat = (actor: typeof negotiator, side: "WORKER" | "EMPLOYER", email: string, isChief = false) =>
    appointSeat({ actor, ctx, sessionId, input: { kind: "REPRESENTATIVE", side, email, isChief } });
  await seat(unionAdmin, "WORKER", "negotiator@union.demo", true);
  await seat(unionAdmin, "WORKER", "admin@union.demo");
  await seat(unionAdmin, "WORKER", "workerrep@union.demo");
  await seat(association, "EMPLOYER", "rep@association.demo", true);
  await seat(association, "EMPLOYER", "rep@swifteats.demo");
  await seat(association, "EMPLOYER", "rep@lanshan.demo");
  await appointSeat({ actor: unionAdmin, ctx, sessionId, input: { kind: "RECORDER", side: null, email: "recorder@xieshang.demo", isChief: false } });
  await applyProcedureEvent({ actor: negotiator, ctx, sessionId, event: { type: "START_BARGAINING" } });

  const { documentId, doc } = await loadDocument(sessionId);
  doc.destroy();
  await appendUpdate(documentId, draftUpdate(), negotiator.userId);
  return sessionId;
}
