/** Accessible form pieces: every input has a label, errors are tied to it with aria-describedby. */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { INTENT } from "@conform-to/dom";
import { parseWithZod } from "@conform-to/zod";
import { useNavigation } from "@remix-run/react";
import { useEffect, useMemo, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { messagesOf, type FieldErrors, type Message } from "~/domain/validation.ts";

export function MessageText({ message }: { message: Message }) {
  const { t } = useTranslation();
  return <>{t(message.key, message.values ?? {})}</>;
}

type FieldProps = {
  name: string;
  label: string;
  errors?: Message[];
  hint?: ReactNode;
  /** On a page where several forms share field names: which form (see `fieldId`). */
  formKey?: string;
};

function FieldShell({ name, label, errors, hint, formKey, children }: FieldProps & { children: ReactNode }) {
  const id = fieldId(name, formKey);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <ul className="field-errors" id={`${id}-error`} role="alert">
          {errors.map((error, index) => (
            <li key={index}>
              <MessageText message={error} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * For a hand-written input: marks it invalid and ties it to its message (`<id>-error`, which
 * `FieldMessages` renders) and to its hint, if any.
 */
export function invalidProps(id: string, errors: Message[] | undefined, hintId?: string) {
  const hasErrors = Boolean(errors?.length);
  const described = [hintId ?? null, hasErrors ? `${id}-error` : null].filter(Boolean);
  return { "aria-invalid": hasErrors || undefined, "aria-describedby": described.length ? described.join(" ") : undefined };
}

/** The messages of a hand-written input (see `invalidProps`). */
export function FieldMessages({ id, errors }: { id: string; errors: Message[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p className="field-errors" id={`${id}-error`} role="alert">
      <MessageText message={errors[0]!} />
    </p>
  );
}

/** The props that tie a field to its label, hint and messages. */
function fieldProps(name: string, formKey: string | undefined, hasHint: boolean, errors: Message[] | undefined) {
  const id = fieldId(name, formKey);
  const hasErrors = Boolean(errors?.length);
  const described = [hasHint ? `${id}-hint` : null, hasErrors ? `${id}-error` : null].filter(Boolean);
  return { id, name, "aria-invalid": hasErrors || undefined, "aria-describedby": described.length ? described.join(" ") : undefined };
}

export function TextField({ name, label, errors, hint, formKey, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell name={name} label={label} errors={errors} hint={hint} formKey={formKey}>
      <input {...fieldProps(name, formKey, Boolean(hint), errors)} {...input} />
    </FieldShell>
  );
}

export function TextAreaField({ name, label, errors, hint, formKey, ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell name={name} label={label} errors={errors} hint={hint} formKey={formKey}>
      <textarea {...fieldProps(name, formKey, Boolean(hint), errors)} {...textarea} />
    </FieldShell>
  );
}

export function SelectField({
  name,
  label,
  errors,
  hint,
  formKey,
  options,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: Array<{ value: string; label: string }> }) {
  return (
    <FieldShell name={name} label={label} errors={errors} hint={hint} formKey={formKey}>
      <select {...fieldProps(name, formKey, Boolean(hint), errors)} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/**
 * A group of checkboxes (`name[]`, a list) or radio buttons (`name`, one value) under a legend. The
 * fieldset carries the field's id (`f-<name>`), so the error summary's link reaches it.
 */
export function ChoiceGroup({
  name,
  legend,
  hint,
  errors,
  type,
  options,
  checked,
}: {
  name: string;
  legend: string;
  hint?: string;
  errors?: Message[];
  type: "checkbox" | "radio";
  options: Array<{ value: string; label: string }>;
  checked: (value: string) => boolean;
}) {
  const hasErrors = Boolean(errors?.length);
  const { name: _name, ...group } = fieldProps(name, undefined, Boolean(hint), errors);
  return (
    <fieldset className="checkbox-group" tabIndex={-1} {...group}>
      <legend>{legend}</legend>
      {hint ? (
        <p className="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {options.map((option) => (
        <label key={option.value} className="checkbox">
          <input type={type} name={type === "checkbox" ? `${name}[]` : name} value={option.value} defaultChecked={checked(option.value)} />
          {option.label}
        </label>
      ))}
      {hasErrors ? (
        <p className="field-errors" id={`f-${name}-error`} role="alert">
          <MessageText message={errors![0]!} />
        </p>
      ) : null}
    </fieldset>
  );
}

/** A form-level error (not tied to one field), announced to screen readers. */
export function FormError({ message }: { message: Message | null | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      <MessageText message={message} />
    </p>
  );
}

/**
 * The id of a form's field, which the error summary links to: `f-<name>` on a page with one form
 * of its kind, `f-<form>-<name>` where several forms share field names (`form` is `formOf` the
 * submission); an item of a list, `name[2]` (Conform's path) or `name.2`, is `<name>-2`.
 */
export function fieldId(name: string, form?: string): string {
  const item = name.replace(/\[(\d+)\]|\.(\d+)/g, (_match, bracket: string | undefined, dot: string | undefined) => `-${bracket ?? dot}`);
  return `f-${form ? `${form}-` : ""}${item}`;
}

/**
 * Which form on a page a submission came from: its intent, and the id of the item (round, seat,
 * dispute…) for a form repeated per item, e.g. "recordRound-<roundId>".
 */
export function formOf(values: Record<string, string | string[]> | undefined, ...itemFields: string[]): string | undefined {
  const intent = values?.intent;
  if (typeof intent !== "string" || !intent) return undefined;
  const item = itemFields.map((field) => values?.[field]).find((value): value is string => typeof value === "string" && value.length > 0);
  return item ? `${intent}-${item}` : intent;
}

/**
 * Every field's message at the top of the form's page, each linked to its field (`fieldId`), so
 * that "N things to correct" always says what and where, even when the field is folded away.
 */
export function ErrorSummary({ fieldErrors, form }: { fieldErrors: Record<string, Message[]> | undefined; form?: string }) {
  const { t } = useTranslation();
  const fields = Object.entries(fieldErrors ?? {}).filter(([, messages]) => messages.length > 0);
  if (fields.length === 0) return null;
  return (
    <div className="form-error" role="alert" data-testid="error-summary">
      <p>{t("validation.formHasErrors", { count: fields.length })}</p>
      <ul>
        {fields.map(([field, messages]) => (
          <li key={field}>
            <a href={`#${fieldId(field, form)}`}>
              <MessageText message={messages[0]!} />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the server sends back for a refused form (`FormFailure`, app/http/forms.server.ts). */
type FormAnswer = { formError: Message | null; fieldErrors: FieldErrors; values: Record<string, string | string[]> };

/**
 * One validation path for a form (decision 043): Conform checks the form in the browser with the
 * same zod schema and the same messages (`messagesOf`) the server's `parseFormData` uses: a field
 * is checked when it loses focus and again as it is corrected; a submit with errors is stopped
 * and the first invalid field is focused. The server's answer (`failure`) is reported the same
 * way, so that without JavaScript, and for checks only the server can make, the messages stand
 * beside the same fields and the first one is focused after the page comes back.
 *
 * On a page with several forms, `intent` says which form this is: a failure is this form's only
 * when the submitted `intent` was this one.
 */
export function useValidatedForm<S extends z.ZodTypeAny>(
  schema: S,
  failure: FormAnswer | null | undefined,
  options: { intent?: string } = {},
): { formProps: ReturnType<typeof getFormProps>; errors: FieldErrors; formError: Message | null } {
  const mine = failure && failure.fieldErrors && (options.intent === undefined || failure.values?.intent === options.intent) ? failure : undefined;
  const lastResult = useMemo<SubmissionResult<Message[]> | undefined>(
    () =>
      mine
        ? {
            status: "error",
            error: { ...(mine.formError ? { "": [mine.formError] } : {}), ...mine.fieldErrors },
            initialValue: mine.values,
          }
        : undefined,
    [mine],
  );
  const [form] = useForm<Record<string, unknown>, Record<string, unknown>, Message[]>({
    lastResult,
    // First on submit, not as a field loses focus: a message appearing on blur moves the button
    // under the pointer between press and release, and the click is lost. Then as it is corrected.
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema, disableAutoCoercion: true, formatError: messagesOf }),
  });
  const { "": formErrors, ...errors } = form.allErrors;
  const props = getFormProps(form);
  return {
    formProps: {
      ...props,
      onSubmit: (event) => {
        props.onSubmit(event);
        // A submit the person made (not Conform checking one field as it loses focus, which it does
        // by a submit with its intent button) stopped in the browser: once the messages are shown,
        // the first invalid field has the focus (Conform focuses it for the server's answer, not
        // always for its own check).
        const submitter = (event.nativeEvent as SubmitEvent).submitter;
        if (event.defaultPrevented && submitter?.getAttribute("name") !== INTENT) {
          const element = event.currentTarget;
          const firstInvalid = () => element.querySelector('[aria-invalid="true"]') as HTMLElement | null;
          setTimeout(() => firstInvalid()?.focus(), 0);
        }
      },
    },
    errors,
    formError: formErrors?.[0] ?? null,
  };
}

/**
 * After a form's answer comes back with errors, the first invalid field has the focus, on every
 * page: forms checked by `useValidatedForm` focus it themselves; this covers the forms still
 * checked on the server only (their fields carry `invalidProps`). Nothing moves when the person
 * is already in an invalid field.
 */
export function useFocusFirstInvalidAfterSubmit() {
  const navigation = useNavigation();
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") submitted.current = true;
    if (navigation.state !== "idle" || !submitted.current) return;
    submitted.current = false;
    const active = document.activeElement;
    if (active?.getAttribute("aria-invalid") === "true") return;
    const first = document.querySelector('main [aria-invalid="true"]') as HTMLElement | null;
    first?.focus();
  }, [navigation.state]);
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}
