/**
 * The demo setting: a food-delivery bargaining scene in Hangzhou. Shared by the seed, the login
 * page (demo mode only) and the tests. Everything here is fictitious.
 */
export const DEMO_PASSWORD = "xieshang-demo-2026";

export const DEMO_REGION = "330100"; // 杭州市

export type DemoOrganization = {
  slug: string;
  name: string;
  nameEn: string;
  type: "UNION" | "ASSOCIATION" | "PLATFORM" | "PARTNER" | "BUREAU";
  parentSlug?: string;
  description: string;
};

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    slug: "hz-federation",
    name: "杭州市总工会（演示）",
    nameEn: "Hangzhou Federation of Trade Unions (demo)",
    type: "UNION",
    description: "市总工会，指导全市新就业形态劳动者入会和集体协商工作。",
  },
  {
    slug: "hz-rider-union",
    name: "杭州市外卖配送行业工会（演示）",
    nameEn: "Hangzhou Food-Delivery Riders' Industry Union (demo)",
    type: "UNION",
    parentSlug: "hz-federation",
    description: "代表全市外卖配送骑手，与行业协会和平台企业就计件单价、抽成比例、工作时间等开展行业集体协商。",
  },
  {
    slug: "hz-catering-association",
    name: "杭州市餐饮与配送行业协会（演示）",
    nameEn: "Hangzhou Catering and Delivery Industry Association (demo)",
    type: "ASSOCIATION",
    description: "由餐饮企业、外卖平台及配送服务企业组成的行业协会。",
  },
  {
    slug: "swift-eats",
    name: "速达外卖（演示）",
    nameEn: "SwiftEats (demo)",
    type: "PLATFORM",
    description: "外卖平台企业（虚构）。",
  },
  {
    slug: "lanshan-delivery",
    name: "蓝山即送（演示）",
    nameEn: "Lanshan Express Delivery (demo)",
    type: "PLATFORM",
    description: "即时配送平台企业（虚构）。",
  },
  {
    slug: "hengtong-staffing",
    name: "恒通劳务派遣有限公司（演示）",
    nameEn: "Hengtong Staffing Co. (demo)",
    type: "PARTNER",
    description: "与平台合作、承接配送业务的劳务派遣企业（虚构）。",
  },
  {
    // Registered by a user and never verified (issue 18): it may draft and rehearse, never publish.
    slug: "hz-rider-mutual-aid",
    name: "杭州骑手互助会（演示，未核验）",
    nameEn: "Hangzhou Riders' Mutual Aid Group (demo, unverified)",
    type: "UNION",
    description: "骑手自发登记的组织（虚构），尚未提交核验。",
  },
  // Ride-hailing and courier work (issue 22): each industry bargains with its own parties.
  {
    slug: "hz-ride-union",
    name: "杭州市网约车驾驶员行业工会（演示）",
    nameEn: "Hangzhou Ride-Hailing Drivers' Industry Union (demo)",
    type: "UNION",
    parentSlug: "hz-federation",
    description: "代表全市网约车驾驶员，就计价规则、平台抽成、连续驾驶与休息等开展行业集体协商。",
  },
  {
    slug: "hz-mobility-association",
    name: "杭州市网络预约出租汽车行业协会（演示）",
    nameEn: "Hangzhou Ride-Hailing Industry Association (demo)",
    type: "ASSOCIATION",
    description: "由网约车平台和运营服务企业组成的行业协会（虚构）。",
  },
  {
    slug: "kuaicheng-mobility",
    name: "快程出行（演示）",
    nameEn: "Kuaicheng Mobility (demo)",
    type: "PLATFORM",
    description: "网约车平台企业（虚构）。",
  },
  {
    slug: "hz-courier-union",
    name: "杭州市快递行业工会（演示）",
    nameEn: "Hangzhou Couriers' Industry Union (demo)",
    type: "UNION",
    parentSlug: "hz-federation",
    description: "代表全市快递员，就派费、工作时间与休息、罚款和申诉等开展行业集体协商。",
  },
  {
    slug: "hz-express-association",
    name: "杭州市快递行业协会（演示）",
    nameEn: "Hangzhou Express Delivery Association (demo)",
    type: "ASSOCIATION",
    description: "由快递企业及其加盟网点组成的行业协会（虚构）。",
  },
  {
    slug: "shunda-express",
    name: "顺达快递（演示）",
    nameEn: "Shunda Express (demo)",
    type: "PLATFORM",
    description: "快递企业（虚构）。",
  },
  {
    slug: "hz-hrss-bureau",
    name: "杭州市人力资源和社会保障局（演示）",
    nameEn: "Hangzhou Human Resources and Social Security Bureau (demo)",
    type: "BUREAU",
    description: "负责集体合同审查的人社部门（演示）。",
  },
];

export type DemoAccount = {
  email: string;
  displayName: string;
  /** i18n key under `demoRole.` */
  roleKey:
    | "unionNegotiator"
    | "unionAdmin"
    | "platformRepresentative"
    | "associationRepresentative"
    | "workerRepresentative"
    | "bureauReviewer"
    | "recorder"
    | "worker"
    | "organizationAdmin"
    | "operator";
  locale: "zh-CN" | "en" | null;
  memberships: Array<{ slug: string; role: "ADMIN" | "NEGOTIATOR" | "MEMBER" }>;
};

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: "negotiator@union.demo",
    displayName: "王建华",
    roleKey: "unionNegotiator",
    locale: null,
    memberships: [{ slug: "hz-rider-union", role: "NEGOTIATOR" }],
  },
  {
    email: "admin@union.demo",
    displayName: "李秀英",
    roleKey: "unionAdmin",
    locale: null,
    memberships: [
      { slug: "hz-rider-union", role: "ADMIN" },
      { slug: "hz-federation", role: "ADMIN" },
    ],
  },
  {
    email: "rep@swifteats.demo",
    displayName: "陈志强",
    roleKey: "platformRepresentative",
    locale: null,
    memberships: [{ slug: "swift-eats", role: "NEGOTIATOR" }],
  },
  {
    email: "rep@lanshan.demo",
    displayName: "赵敏",
    roleKey: "platformRepresentative",
    locale: null,
    memberships: [{ slug: "lanshan-delivery", role: "NEGOTIATOR" }],
  },
  {
    email: "rep@association.demo",
    displayName: "孙丽",
    roleKey: "associationRepresentative",
    locale: null,
    memberships: [{ slug: "hz-catering-association", role: "NEGOTIATOR" }],
  },
  {
    email: "workerrep@union.demo",
    displayName: "刘洋",
    roleKey: "workerRepresentative",
    locale: null,
    memberships: [
      { slug: "hz-rider-union", role: "MEMBER" },
      { slug: "hengtong-staffing", role: "MEMBER" },
    ],
  },
  {
    email: "reviewer@bureau.demo",
    displayName: "周海涛",
    roleKey: "bureauReviewer",
    locale: null,
    memberships: [{ slug: "hz-hrss-bureau", role: "MEMBER" }],
  },
  {
    email: "recorder@xieshang.demo",
    displayName: "吴静",
    roleKey: "recorder",
    locale: null,
    // A neutral recorder belongs to neither side.
    memberships: [],
  },
  {
    // The site's operator in demo mode (XS_OPERATOR_EMAILS defaults to this address with XS_DEMO):
    // sees the job queue and the deliveries at /admin/jobs. Belongs to no organization.
    email: "operator@xieshang.demo",
    displayName: "郑凯",
    roleKey: "operator",
    locale: null,
    memberships: [],
  },
  // Each organization's own administrator: submits its verification (issue 18) and may answer
  // for it when it is named in a proposal.
  { email: "admin@association.demo", displayName: "钱晓东", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "hz-catering-association", role: "ADMIN" }] },
  { email: "admin@swifteats.demo", displayName: "韩雪", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "swift-eats", role: "ADMIN" }] },
  { email: "admin@lanshan.demo", displayName: "冯磊", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "lanshan-delivery", role: "ADMIN" }] },
  { email: "admin@hengtong.demo", displayName: "杨帆", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "hengtong-staffing", role: "ADMIN" }] },
  { email: "admin@bureau.demo", displayName: "何立新", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "hz-hrss-bureau", role: "ADMIN" }] },
  { email: "admin@mutual-aid.demo", displayName: "马骏", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "hz-rider-mutual-aid", role: "ADMIN" }] },
  {
    email: "rider@worker.demo",
    displayName: "张伟",
    roleKey: "worker",
    locale: null,
    memberships: [],
  },
  // Ride-hailing (issue 22): the drivers' union and the industry's association and platform.
  { email: "negotiator@ride-union.demo", displayName: "高建国", roleKey: "unionNegotiator", locale: null, memberships: [{ slug: "hz-ride-union", role: "NEGOTIATOR" }] },
  { email: "admin@ride-union.demo", displayName: "林芳", roleKey: "unionAdmin", locale: null, memberships: [{ slug: "hz-ride-union", role: "ADMIN" }] },
  { email: "driver@ride-union.demo", displayName: "郭强", roleKey: "workerRepresentative", locale: null, memberships: [{ slug: "hz-ride-union", role: "MEMBER" }] },
  { email: "rep@mobility.demo", displayName: "沈佳", roleKey: "associationRepresentative", locale: null, memberships: [{ slug: "hz-mobility-association", role: "NEGOTIATOR" }] },
  { email: "admin@mobility.demo", displayName: "曹颖", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "hz-mobility-association", role: "ADMIN" }] },
  { email: "rep@kuaicheng.demo", displayName: "彭涛", roleKey: "platformRepresentative", locale: null, memberships: [{ slug: "kuaicheng-mobility", role: "NEGOTIATOR" }] },
  { email: "admin@kuaicheng.demo", displayName: "许晨", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "kuaicheng-mobility", role: "ADMIN" }] },
  // Couriers (issue 22).
  { email: "negotiator@courier-union.demo", displayName: "邓丽华", roleKey: "unionNegotiator", locale: null, memberships: [{ slug: "hz-courier-union", role: "NEGOTIATOR" }] },
  { email: "admin@courier-union.demo", displayName: "唐明", roleKey: "unionAdmin", locale: null, memberships: [{ slug: "hz-courier-union", role: "ADMIN" }] },
  { email: "courier@courier-union.demo", displayName: "罗刚", roleKey: "workerRepresentative", locale: null, memberships: [{ slug: "hz-courier-union", role: "MEMBER" }] },
  { email: "rep@express-assoc.demo", displayName: "韦静", roleKey: "associationRepresentative", locale: null, memberships: [{ slug: "hz-express-association", role: "NEGOTIATOR" }] },
  { email: "admin@express-assoc.demo", displayName: "蒋涛", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "hz-express-association", role: "ADMIN" }] },
  { email: "rep@shunda.demo", displayName: "谢宁", roleKey: "platformRepresentative", locale: null, memberships: [{ slug: "shunda-express", role: "NEGOTIATOR" }] },
  { email: "admin@shunda.demo", displayName: "宋佳", roleKey: "organizationAdmin", locale: null, memberships: [{ slug: "shunda-express", role: "ADMIN" }] },
];

/**
 * Demo organizations' unified social credit codes: fictitious (an all-zero organization number, so
 * they cannot be any real organization's), with the registration-authority and category digits of
 * their kind and a correct GB 32100-2015 check character, so that they pass validation.
 */
export const DEMO_CREDIT_CODE_PREFIX: Record<DemoOrganization["type"], string> = { UNION: "81", ASSOCIATION: "51", PLATFORM: "91", PARTNER: "91", BUREAU: "11" };

/** How each demo organization is verified by the seed (through the workflow); absent: left unverified. */
export const DEMO_VERIFICATION: Record<string, { by: "operator" | "bureau" | "pending"; parentUnionName?: string; registrationAuthority: string }> = {
  "hz-federation": { by: "operator", parentUnionName: "浙江省总工会", registrationAuthority: "浙江省总工会" },
  "hz-rider-union": { by: "operator", parentUnionName: "杭州市总工会", registrationAuthority: "杭州市总工会" },
  "hz-hrss-bureau": { by: "operator", registrationAuthority: "杭州市委机构编制委员会办公室" },
  "hz-catering-association": { by: "bureau", registrationAuthority: "杭州市民政局" },
  "hz-ride-union": { by: "operator", parentUnionName: "杭州市总工会", registrationAuthority: "杭州市总工会" },
  "hz-courier-union": { by: "operator", parentUnionName: "杭州市总工会", registrationAuthority: "杭州市总工会" },
  "hz-mobility-association": { by: "bureau", registrationAuthority: "杭州市民政局" },
  "hz-express-association": { by: "bureau", registrationAuthority: "杭州市民政局" },
  "kuaicheng-mobility": { by: "bureau", registrationAuthority: "杭州市市场监督管理局" },
  "shunda-express": { by: "bureau", registrationAuthority: "杭州市市场监督管理局" },
  "swift-eats": { by: "bureau", registrationAuthority: "杭州市市场监督管理局" },
  "lanshan-delivery": { by: "bureau", registrationAuthority: "杭州市市场监督管理局" },
  "hengtong-staffing": { by: "pending", registrationAuthority: "杭州市市场监督管理局" },
};

/**
 * A rider who signs in by phone (issue 25): type this number at /worker/login and the server prints
 * the code. No e-mail, no password; they said they deliver food in Hangzhou.
 */
export const DEMO_WORKER = { phone: "+8613800000001", typed: "13800000001", displayName: "刘洋", industry: "FOOD_DELIVERY", regionCode: "330100" } as const;
