/**
 * i18next set-up shared by the server render and the browser. Both languages are bundled (they
 * are small), so the browser needs no extra request to switch language.
 * See docs/decisions/005-i18n.md.
 */
import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en.ts";
import { zhCN } from "./zh-CN.ts";
import { LOCALES, type Locale } from "~/domain/validation.ts";

export { LOCALES, type Locale };
export const DEFAULT_LOCALE: Locale = "zh-CN";

export const resources = {
  "zh-CN": { translation: zhCN },
  en: { translation: en },
} as const;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A fresh instance per request on the server (requests must not share a language). */
export function createI18n(locale: Locale): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    resources,
    // React escapes output; escaping here too would show entities.
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** A translate function outside React (server responses, emails). */
export function translator(locale: Locale) {
  return createI18n(locale).t;
}
