/** Display helpers shared by pages. */
export function orgDisplayName(org: { name: string; nameEn?: string | null }, locale: string): string {
  return locale === "en" && org.nameEn ? org.nameEn : org.name;
}

/** Dates are stored in UTC and shown in China time by default. */
export function formatDateTime(value: string | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(new Date(value));
}

export function formatDate(value: string | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "Asia/Shanghai" }).format(new Date(value));
}
