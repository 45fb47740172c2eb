/**
 * A structured term (anything more than one number) summarised on one line, for the version
 * comparison and the notices' "what changed". Shared so that every page words a term the same way.
 */
import type { TFunction } from "i18next";
import type { AlgorithmEntry } from "~/domain/algorithm-register.ts";
import type { PenaltyRule, PieceRateRow, RewardRule } from "~/domain/terms.ts";

export function summarizeStructuredTerm(t: TFunction, key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  const separator = t("common.listSeparator");
  switch (key) {
    case "pieceRateTable":
      return (value as PieceRateRow[]).map((row) => `${t(`orderType.${row.orderType}`)} ${row.fromMetres / 1000}–${row.toMetres / 1000} km ${t(`timeBand.${row.timeBand}`)} ${(row.priceFen / 100).toFixed(2)}`).join(separator);
    case "penaltyExcludedCauses":
      return (value as string[]).map((cause) => t(`cause.${cause}`)).join(separator);
    case "commissionShownPerOrder":
      return value ? t("common.yes") : t("common.no");
    case "penaltyRules":
      return (value as PenaltyRule[])
        .map((rule) => `${t(`penaltyKind.${rule.kind}`)} ${(rule.amountFen / 100).toFixed(2)} / ${(rule.monthlyCapFen / 100).toFixed(2)} · ${t("penaltyRules.appealWindow")} ${rule.appealWindowDays}`)
        .join(separator);
    case "algorithms":
      return (value as AlgorithmEntry[])
        .map((entry) => `${t(`algorithmKind.${entry.kind}`)} ${entry.name}${entry.parameters.length ? ` (${entry.parameters.map((parameter) => `${parameter.name} ${parameter.weightBp / 100}%`).join(separator)})` : ""}`)
        .join(separator);
    case "roundingRule":
    case "occupationalInjury":
      return t(`termChoice.${key}.${String(value)}`);
    case "rewardRules": {
      const rules = value as RewardRule[];
      if (rules.length === 0) return t("rewardRules.noneAgreed");
      return rules.map((rule) => `${t(`rewardKind.${rule.kind}`)} ${(rule.amountFen / 100).toFixed(2)}: ${rule.condition}`).join(separator);
    }
    case "allocation": {
      const allocation = value as { medianEstimate: boolean; dispatchRadiusMetres: number; maxConcurrentOrders: number };
      return `${allocation.medianEstimate ? t("draft.allocation.median") : "—"}${separator}${t("draft.allocation.dispatchRadiusMetres")} ${allocation.dispatchRadiusMetres}${separator}${t("draft.allocation.maxConcurrentOrders")} ${allocation.maxConcurrentOrders}`;
    }
    default:
      return JSON.stringify(value);
  }
}
