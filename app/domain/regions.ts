/**
 * Regions (administrative division codes, GB/T 2260): the provincial capitals and municipalities,
 * plus cities named in the demo data. Minimum-wage data per region is added with the term checks.
 */
export const REGIONS = [
  { code: "000000", zh: "全国", en: "Nationwide" },
  { code: "110000", zh: "北京市", en: "Beijing" },
  { code: "120000", zh: "天津市", en: "Tianjin" },
  { code: "130100", zh: "石家庄市", en: "Shijiazhuang" },
  { code: "140100", zh: "太原市", en: "Taiyuan" },
  { code: "150100", zh: "呼和浩特市", en: "Hohhot" },
  { code: "210100", zh: "沈阳市", en: "Shenyang" },
  { code: "220100", zh: "长春市", en: "Changchun" },
  { code: "230100", zh: "哈尔滨市", en: "Harbin" },
  { code: "310000", zh: "上海市", en: "Shanghai" },
  { code: "320100", zh: "南京市", en: "Nanjing" },
  { code: "330100", zh: "杭州市", en: "Hangzhou" },
  { code: "340100", zh: "合肥市", en: "Hefei" },
  { code: "350100", zh: "福州市", en: "Fuzhou" },
  { code: "360100", zh: "南昌市", en: "Nanchang" },
  { code: "370100", zh: "济南市", en: "Jinan" },
  { code: "410100", zh: "郑州市", en: "Zhengzhou" },
  { code: "420100", zh: "武汉市", en: "Wuhan" },
  { code: "430100", zh: "长沙市", en: "Changsha" },
  { code: "440100", zh: "广州市", en: "Guangzhou" },
  { code: "440300", zh: "深圳市", en: "Shenzhen" },
  { code: "450100", zh: "南宁市", en: "Nanning" },
  { code: "460100", zh: "海口市", en: "Haikou" },
  { code: "500000", zh: "重庆市", en: "Chongqing" },
  { code: "510100", zh: "成都市", en: "Chengdu" },
  { code: "520100", zh: "贵阳市", en: "Guiyang" },
  { code: "530100", zh: "昆明市", en: "Kunming" },
  { code: "540100", zh: "拉萨市", en: "Lhasa" },
  { code: "610100", zh: "西安市", en: "Xi'an" },
  { code: "620100", zh: "兰州市", en: "Lanzhou" },
  { code: "630100", zh: "西宁市", en: "Xining" },
  { code: "640100", zh: "银川市", en: "Yinchuan" },
  { code: "650100", zh: "乌鲁木齐市", en: "Ürümqi" },
] as const;

export type RegionCode = (typeof REGIONS)[number]["code"];
export const REGION_CODES = REGIONS.map((region) => region.code) as [RegionCode, ...RegionCode[]];

export function regionName(code: string, locale: string): string {
  const region = REGIONS.find((candidate) => candidate.code === code);
  if (!region) return code;
  return locale === "en" ? region.en : region.zh;
}
