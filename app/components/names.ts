/** Display helpers shared by pages. */
export function orgDisplayName(org: { name: string; nameEn?: string | null }, locale: string): string {
  return locale === "en" && org.nameEn ? org.nameEn : org.name;
}

export { formatDate, formatDateTime, formatDeadline } from "~/i18n/dates.ts";
