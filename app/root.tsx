import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { createI18n, DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from "~/i18n/i18n.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { getAuth } from "~/auth/login-session.server.ts";
import { getEnv } from "~/infra/env.server.ts";
import { countUnreadNotifications } from "~/models/notifications.server.ts";
import { countMyActions } from "~/models/session.server.ts";
import { loadActor } from "~/auth/actor.server.ts";
import stylesheet from "~/styles/app.css";
import { useNonce } from "~/nonce.tsx";
import { useFocusFirstInvalidAfterSubmit } from "~/components/forms.tsx";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ name: "viewport", content: "width=device-width, initial-scale=1" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await getAuth(request);
  const locale = await resolveLocale(request, auth.user?.locale);
  const headers = new Headers({ Vary: "Cookie, Accept-Language" });
  if (auth.setCookie) headers.append("Set-Cookie", auth.setCookie);
  return json(
    {
      locale,
      demo: getEnv().XS_DEMO,
      // A worker (signed in by phone or a union's code, no e-mail) sees their agreements and cases, not the bargaining pages.
      user: auth.user ? { id: auth.user.id, displayName: auth.user.displayName, worker: auth.user.email === null } : null,
      unread: auth.user ? await countUnreadNotifications(auth.user.id) : 0,
      // What waits on the user across their sessions (app/domain/next-actions.ts), the dashboard's list counted.
      toDo: auth.user ? await countMyActions({ actor: await loadActor(auth.user.id) }) : 0,
    },
    { headers },
  );
}

export type RootData = ReturnType<typeof useRootData>;
export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

function useLocale(): Locale {
  const data = useRootData();
  return data && isLocale(data.locale) ? data.locale : DEFAULT_LOCALE;
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/locale" className="language-switch" aria-label={t("language.switch")}>
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <label htmlFor="language-select" className="visually-hidden">
        {t("language.label")}
      </label>
      <select id="language-select" name="locale" defaultValue={i18n.language} key={i18n.language}>
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(`language.${code}`)}
          </option>
        ))}
      </select>
      <button type="submit" className="button-secondary">
        {t("language.apply")}
      </button>
    </Form>
  );
}

function Header() {
  const { t } = useTranslation();
  const data = useRootData();
  return (
    <header className="site-header">
      <a href="#main" className="skip-link">
        {t("app.skipToContent")}
      </a>
      <div className="header-row">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        {/* On a narrow screen the links and tools fold behind "Menu": a checkbox and its label, so it
            works on the scriptless pages too; on a wide screen they are always shown. */}
        <input type="checkbox" id="nav-toggle" className="nav-toggle" aria-controls="nav-panel" />
        <label htmlFor="nav-toggle" className="nav-toggle-label button-secondary" data-testid="nav-toggle">
          {t("nav.menu")}
          {data?.user && data.toDo > 0 ? <span className="badge badge-count">{t("nav.actionCount", { count: data.toDo })}</span> : null}
        </label>
        <div className="nav-panel" id="nav-panel">
        <nav aria-label={t("nav.main")}>
          <ul className="nav-list">
            <li>
              <Link to="/">{t("nav.home")}</Link>
            </li>
            <li>
              <Link to="/notices">{t("nav.notices")}</Link>
            </li>
            {data?.user?.worker ? (
              <>
                <li>
                  <Link to="/worker">{t("worker.nav")}</Link>
                </li>
                <li>
                  <Link to="/complaints">{t("complaint.nav")}</Link>
                </li>
                <li>
                  <Link to="/notifications">
                    {t("nav.notifications")}
                    {data.unread > 0 ? <span className="badge badge-count">{t("nav.unreadCount", { count: data.unread })}</span> : null}
                  </Link>
                </li>
              </>
            ) : data?.user ? (
              <>
                <li>
                  <Link to="/sessions">
                    {t("nav.sessions")}
                    {data.toDo > 0 ? (
                      <span className="badge badge-count" data-testid="action-count">
                        {t("nav.actionCount", { count: data.toDo })}
                      </span>
                    ) : null}
                  </Link>
                </li>
                <li>
                  <Link to="/orgs">{t("nav.organizations")}</Link>
                </li>
                <li>
                  <Link to="/complaints">{t("complaint.staffNav")}</Link>
                </li>
                <li>
                  <Link to="/notifications">
                    {t("nav.notifications")}
                    {data.unread > 0 ? <span className="badge badge-count">{t("nav.unreadCount", { count: data.unread })}</span> : null}
                  </Link>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          {data?.user ? (
            <Form method="post" action="/logout" className="logout-form">
              <span className="signed-in">{t("nav.signedInAs", { name: data.user.displayName })}</span>
              <button type="submit" className="button-secondary">
                {t("nav.logout")}
              </button>
            </Form>
          ) : (
            <span className="auth-links">
              <Link to="/login">{t("nav.login")}</Link> · <Link to="/signup">{t("nav.signup")}</Link>
            </span>
          )}
        </div>
        </div>
      </div>
      {data?.demo ? <p className="demo-banner">{t("app.demoBanner")}</p> : null}
    </header>
  );
}

/**
 * What a route's `handle` may say. `hydrate: false` serves the page without any script (no React
 * in the browser): the public notice pages, read on weak networks, whose every form is a plain
 * HTML form (decision 026).
 */
export type RouteHandle = {
  hydrate?: boolean;
  /**
   * The page's part of the document title: an i18n key, or a function of the route's loader data
   * (a session's or a notice's own title). The root joins the parts of every matched route,
   * deepest first, then the product's name, so each page has its own title.
   */
  title?: string | ((args: { data: unknown; t: TFunction; language: string }) => string | null);
};

/** The document title: the matched routes' titles, deepest first, then the product's name; an error's own title on an error page. */
function usePageTitle(t: TFunction, language: string): string {
  const matches = useMatches();
  const error = useRouteError();
  if (error !== undefined && error !== null) {
    const status = isRouteErrorResponse(error) ? error.status : 500;
    return `${t(status === 404 ? "http.notFoundTitle" : status === 403 ? "http.forbiddenTitle" : "http.errorTitle")} · ${t("app.name")}`;
  }
  const parts = [...matches].reverse().flatMap((match) => {
    const title = (match.handle as RouteHandle | undefined)?.title;
    if (!title) return [];
    const text = typeof title === "string" ? t(title) : match.data === undefined || match.data === null ? null : title({ data: match.data, t, language });
    return text ? [text] : [];
  });
  return parts.length ? [...parts, t("app.name")].join(" · ") : t("app.fullName");
}

/** Whether the page being rendered loads the Remix app in the browser. */
function useHydrate(): boolean {
  return !useMatches().some((match) => (match.handle as RouteHandle | undefined)?.hydrate === false);
}

function Document({ children, locale }: { children: ReactNode; locale: Locale }) {
  const i18n = useMemo(() => createI18n(locale), [locale]);
  // The CSP nonce of this response (decision 018): Remix's inline scripts carry it.
  const nonce = useNonce();
  const hydrate = useHydrate();
  const title = usePageTitle(i18n.t, locale);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <Meta />
        <title>{title}</title>
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const locale = useLocale();
  return <Document locale={locale}>{children}</Document>;
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <p>{t("app.footer")}</p>
    </footer>
  );
}

export default function App() {
  useFocusFirstInvalidAfterSubmit();
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <Footer />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  let title = t("http.errorTitle");
  let text = t("http.errorText");
  if (isRouteErrorResponse(error)) {
    const code = (error.data as { code?: string } | null)?.code;
    if (error.status === 404) title = t("http.notFoundTitle");
    if (error.status === 403) title = t("http.forbiddenTitle");
    if (code) text = t(`errors.${code}`, (error.data as { params?: Record<string, string> }).params ?? {});
    else if (error.status === 404) text = t("errors.notFound");
  }
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1} className="error-page">
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <Link to="/">{t("http.backHome")}</Link>
        </p>
      </main>
    </>
  );
}
