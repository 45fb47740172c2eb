/**
 * The edge between HTTP and the domain: parse input with zod, turn DomainErrors into localized
 * responses. Routes stay thin by using these.
 */
import { json, redirect } from "@remix-run/node";
import type { z } from "zod";
import { DomainError, isDomainError } from "~/domain/errors.ts";
import { parseWithZod } from "@conform-to/zod";
import { idSchema, messagesOf, type FieldErrors, type Message } from "~/domain/validation.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { translator } from "~/i18n/i18n.ts";

/** Never echo these back into a form. */
const SECRET_FIELDS = new Set(["password", "confirmPassword", "currentPassword"]);

export type FormFailure = {
  ok: false;
  formError: Message | null;
  fieldErrors: FieldErrors;
  /** What the user typed, so that nothing is lost when the form comes back with errors. */
  values: Record<string, string | string[]>;
};

export type ActionResult<T = Record<string, never>> = ({ ok: true } & T) | FormFailure;

function valuesOf(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(formObject(formData))) {
    if (!SECRET_FIELDS.has(key)) values[key] = Array.isArray(value) ? value.map((item) => item.slice(0, 10_000)) : value.slice(0, 100_000);
  }
  return values;
}

/**
 * Form data as a plain object for zod: a key that appears once is a string, a key that appears
 * several times (checkbox groups) or whose name ends in "[]" is an array. Files are ignored.
 */
export function formObject(formData: FormData): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const key of new Set(formData.keys())) {
    const values = formData.getAll(key).filter((value): value is string => typeof value === "string");
    const name = key.endsWith("[]") ? key.slice(0, -2) : key;
    object[name] = key.endsWith("[]") || values.length > 1 ? values : values[0] ?? "";
  }
  return object;
}

/**
 * The names our forms use: a plain name, or a plain name and "[]" for a list. Conform reads
 * "a.b" and "a[7]" as paths into nested objects and arrays; a forged "ids[99999999]" would make an
 * array that long for zod to walk, so any other name is dropped before parsing (our schemas
 * would ignore it anyway).
 */
const FORM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,99}(\[\])?$/;

/**
 * The form parsed by Conform with the page's zod schema (decision 043): the same schema and the
 * same messages (`messagesOf`) as the browser's check in `useValidatedForm`. Values stay strings as
 * typed (no automatic coercion: the schemas coerce where they mean to); files are dropped.
 */
export function parseFormData<S extends z.ZodTypeAny>(
  formData: FormData,
  schema: S,
): { ok: true; data: z.output<S> } | FormFailure {
  const bounded = new FormData();
  for (const [key, value] of formData.entries()) if (typeof value === "string" && FORM_NAME.test(key)) bounded.append(key, value);
  // PostgreSQL text cannot hold U+0000: refused here, with the field named, rather than failing
  // the insert later with a 500.
  const withNul = [...new Set([...bounded.entries()].filter(([, value]) => (value as string).includes("\u0000")).map(([key]) => key.replace(/\[\]$/, "")))];
  if (withNul.length) return { ok: false, formError: { key: "validation.invalid" }, fieldErrors: Object.fromEntries(withNul.map((key) => [key, [{ key: "validation.invalid" }]])), values: valuesOf(formData) };
  const submission = parseWithZod(bounded, { schema, disableAutoCoercion: true, formatError: messagesOf });
  if (submission.status === "success") return { ok: true, data: submission.value as z.output<S> };
  const { "": formErrors, ...fields } = submission.error ?? {};
  const fieldErrors: FieldErrors = {};
  for (const [name, messages] of Object.entries(fields)) if (messages?.length) fieldErrors[name] = messages;
  return { ok: false, formError: formErrors?.[0] ?? null, fieldErrors, values: valuesOf(formData) };
}

/** A failure of one or more fields found after parsing (a check across fields), keeping the user's input. */
export function fieldFailure(formData: FormData, fieldErrors: FieldErrors, status = 400) {
  return formFailure({ ok: false, formError: null, fieldErrors, values: valuesOf(formData) }, status);
}

/** A DomainError as a form failure (400-level), keeping the user's input. */
export function failureFromError(error: DomainError, formData?: FormData): FormFailure {
  const message: Message = { key: `errors.${error.code}`, values: error.params };
  return {
    ok: false,
    formError: error.field ? null : message,
    fieldErrors: error.field ? { [error.field]: [message] } : {},
    values: formData ? valuesOf(formData) : {},
  };
}

export function formFailure(failure: FormFailure, status = 400, headers?: HeadersInit) {
  return json(failure, { status, headers });
}

/**
 * Runs an action body; DomainErrors become a localized form failure with the right status, and the
 * typed values come back. Other errors propagate (500 with the error page).
 */
export async function runAction<T>(formData: FormData, body: () => Promise<T>): Promise<T | ReturnType<typeof formFailure>> {
  try {
    return await body();
  } catch (error) {
    if (isDomainError(error)) {
      if (error.code === "auth.required") throw redirect("/login");
      return formFailure(failureFromError(error, formData), error.status);
    }
    throw error;
  }
}

/** For loaders: DomainErrors become error responses rendered by the nearest ErrorBoundary. */
export async function runLoader<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (isDomainError(error)) {
      if (error.code === "auth.required") throw redirect("/login");
      throw json({ code: error.code, params: error.params }, { status: error.status });
    }
    throw error;
  }
}

/** The client address Express determined (honouring XS_TRUST_PROXY), passed as load context. */
export type AppLoadContext = { clientIp: string; cspNonce: string };

export function clientIp(context: unknown): string {
  const ip = (context as Partial<AppLoadContext> | undefined)?.clientIp;
  return typeof ip === "string" && ip.length > 0 ? ip : "unknown";
}

/**
 * For endpoints without a page of their own (JSON clients, tampered forms): the failure with every
 * message already translated into the request's language.
 */
export async function localizedFailure(request: Request, failure: FormFailure, status = 400) {
  const t = translator(await resolveLocale(request));
  const fieldErrors = Object.fromEntries(
    Object.entries(failure.fieldErrors).map(([field, messages]) => [field, messages.map((m) => t(m.key, m.values ?? {}))]),
  );
  const first = failure.formError ?? Object.values(failure.fieldErrors)[0]?.[0];
  return json(
    { ok: false, error: first ? t(first.key, first.values ?? {}) : t("errors.invalidInput"), fieldErrors },
    { status },
  );
}

/** The session id in a route's `$id`; "not found" for anything that cannot be one. */
export function sessionIdParam(params: { id?: string }): string {
  const parsed = idSchema.safeParse(params.id);
  if (!parsed.success) throw new DomainError("notFound");
  return parsed.data;
}
