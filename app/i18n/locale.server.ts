/**
 * Which language to answer in: the language the user picked (cookie, also stored on the account),
 * else the account's preference, else the browser's Accept-Language, else Simplified Chinese.
 */
import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";
import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from "./i18n.ts";

export const localeCookie = createCookie("xs_lang", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  maxAge: 60 * 60 * 24 * 365,
});

export function localeFromAcceptLanguage(header: string | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  const requested = new Negotiator({ headers: { "accept-language": header } }).languages();
  try {
    const chosen = match(requested.filter((tag) => tag !== "*"), [...LOCALES], DEFAULT_LOCALE);
    return isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  } catch {
    // A malformed language tag in the header: fall back rather than fail the page.
    return DEFAULT_LOCALE;
  }
}

export async function resolveLocale(request: Request, userLocale?: string | null): Promise<Locale> {
  const fromCookie: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  if (isLocale(userLocale)) return userLocale;
  return localeFromAcceptLanguage(request.headers.get("Accept-Language"));
}
