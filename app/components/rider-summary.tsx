/**
 * The first screen of a public notice, for a worker on a phone (issue 24, item 3): what they are
 * paid per order in the common cases, how much the platform may keep, the rest rules, each penalty
 * with its amount and monthly cap in words, how to appeal, and the way to the calculator. Only
 * what the agreement states is said; a term it does not state is left out, never guessed.
 */
import { useTranslation } from "react-i18next";
import { termLabelKey } from "~/domain/industries.ts";
import type { Terms } from "~/domain/terms.ts";

const yuan = (fen: number) => (fen / 100).toFixed(2);
const km = (metres: number) => String(Math.round(metres / 100) / 10);

export function RiderSummary({ terms, industry }: { terms: Terms; industry: string }) {
  const { t } = useTranslation();
  const pay: string[] = [];
  // The standard order at any time of day, by distance: the common case, at most three bands.
  const standard = (terms.pieceRateTable ?? [])
    .filter((row) => row.orderType === "STANDARD" && row.timeBand === "ALL_DAY")
    .sort((a, b) => a.fromMetres - b.fromMetres)
    .slice(0, 3);
  for (const row of standard) pay.push(t("riderSummary.bandPrice", { from: km(row.fromMetres), to: km(row.toMetres), price: yuan(row.priceFen) }));
  if (standard.length === 0 && typeof terms.pieceRateBaseFen === "number") pay.push(t("riderSummary.basePrice", { term: t(termLabelKey(industry, "pieceRateBaseFen")), price: yuan(terms.pieceRateBaseFen) }));
  if (typeof terms.pieceRateNightSurchargeFen === "number" && terms.pieceRateNightSurchargeFen > 0) pay.push(t("riderSummary.night", { amount: yuan(terms.pieceRateNightSurchargeFen) }));
  if (typeof terms.badWeatherSubsidyFen === "number" && terms.badWeatherSubsidyFen > 0) pay.push(t("riderSummary.weather", { amount: yuan(terms.badWeatherSubsidyFen) }));

  const rest: string[] = [];
  if (typeof terms.maxContinuousMinutes === "number") {
    rest.push(
      typeof terms.restAfterContinuousMinutes === "number"
        ? t("riderSummary.continuousWithRest", { minutes: terms.maxContinuousMinutes, rest: terms.restAfterContinuousMinutes })
        : t("riderSummary.continuous", { minutes: terms.maxContinuousMinutes }),
    );
  }
  if (typeof terms.maxDailyMinutes === "number") rest.push(t("riderSummary.daily", { hours: Math.round((terms.maxDailyMinutes / 60) * 10) / 10 }));
  if (typeof terms.restDaysPerMonth === "number") rest.push(t("riderSummary.restDays", { days: terms.restDaysPerMonth }));

  const penalties = (terms.penaltyRules ?? []).map((rule) => t("riderSummary.penalty", { kind: t(`penaltyKind.${rule.kind}`), amount: yuan(rule.amountFen), cap: yuan(rule.monthlyCapFen) }));
  if (typeof terms.penaltyCapFen === "number") penalties.push(t("riderSummary.penaltyTotal", { cap: yuan(terms.penaltyCapFen) }));

  const appealDays = terms.appealWindowDays ?? terms.penaltyRules?.[0]?.appealWindowDays;
  const appeal: string[] = [];
  if (typeof appealDays === "number") appeal.push(t("riderSummary.appealWindow", { days: appealDays }));
  if (typeof terms.appealResponseHours === "number") appeal.push(t("riderSummary.appealResponse", { hours: terms.appealResponseHours }));

  const groups: Array<[string, string[]]> = [
    ["pay", pay],
    ["commission", typeof terms.commissionCapBp === "number" ? [terms.commissionCapBp === 0 ? t("riderSummary.commissionNone") : t("riderSummary.commission", { percent: (terms.commissionCapBp / 100).toFixed(2) })] : []],
    ["rest", rest],
    ["penalties", penalties],
    ["appeal", appeal],
  ];
  return (
    <section aria-labelledby="rider-summary" className="rider-summary card" data-testid="rider-summary">
      <h2 id="rider-summary">{t("riderSummary.title")}</h2>
      <dl>
        {groups
          .filter(([, lines]) => lines.length > 0)
          .map(([group, lines]) => (
            <div key={group} data-group={group}>
              <dt>{t(`riderSummary.group.${group}`)}</dt>
              {lines.map((line) => (
                <dd key={line}>{line}</dd>
              ))}
            </div>
          ))}
      </dl>
      <p>
        <a href="#calculator">{t("riderSummary.calculator")}</a> · <a href="#terms">{t("riderSummary.allTerms")}</a>
      </p>
    </section>
  );
}
