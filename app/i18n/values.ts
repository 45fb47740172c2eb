/**
 * Values that come from data in two languages (a minimum-wage tier's name, say): a value `x` has
 * its English in `xEn`. In English, `xEn` stands in for `x`, so every message uses `{{x}}` in both
 * catalogues.
 */
export function inLanguage<T extends Record<string, unknown>>(values: T, locale: string): T {
  if (!locale.startsWith("en")) return values;
  const out: Record<string, unknown> = { ...values };
  for (const [key, value] of Object.entries(values)) {
    if (key.length > 2 && key.endsWith("En") && typeof value === "string") out[key.slice(0, -2)] = value;
  }
  return out as T;
}
