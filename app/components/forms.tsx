/** Accessible form pieces: every input has a label, errors are tied to it with aria-describedby. */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "~/domain/validation.ts";

export function MessageText({ message }: { message: Message }) {
  const { t } = useTranslation();
  return <>{t(message.key, message.values ?? {})}</>;
}

type FieldProps = {
  name: string;
  label: string;
  errors?: Message[];
  hint?: ReactNode;
};

function FieldShell({ name, label, errors, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <ul className="field-errors" id={`f-${name}-error`} role="alert">
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

function describedBy(name: string, hasHint: boolean, hasErrors: boolean): string | undefined {
  const ids = [hasHint ? `f-${name}-hint` : null, hasErrors ? `f-${name}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function TextField({ name, label, errors, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const hasErrors = Boolean(errors?.length);
  return (
    <FieldShell name={name} label={label} errors={errors} hint={hint}>
      <input
        id={`f-${name}`}
        name={name}
        aria-invalid={hasErrors || undefined}
        aria-describedby={describedBy(name, Boolean(hint), hasErrors)}
        {...input}
      />
    </FieldShell>
  );
}

export function SelectField({
  name,
  label,
  errors,
  hint,
  options,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: Array<{ value: string; label: string }> }) {
  const hasErrors = Boolean(errors?.length);
  return (
    <FieldShell name={name} label={label} errors={errors} hint={hint}>
      <select id={`f-${name}`} name={name} aria-invalid={hasErrors || undefined} aria-describedby={describedBy(name, Boolean(hint), hasErrors)} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
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
 * Every field's message at the top of the form's page, each linked to its field (`#f-<name>`), so
 * that "N things to correct" always says what and where, even when the field is folded away or its
 * form is not on the page any more.
 */
export function ErrorSummary({ fieldErrors }: { fieldErrors: Record<string, Message[]> | undefined }) {
  const { t } = useTranslation();
  const fields = Object.entries(fieldErrors ?? {}).filter(([, messages]) => messages.length > 0);
  if (fields.length === 0) return null;
  return (
    <div className="form-error" role="alert" data-testid="error-summary">
      <p>{t("validation.formHasErrors", { count: fields.length })}</p>
      <ul>
        {fields.map(([field, messages]) => (
          <li key={field}>
            <a href={`#f-${field}`}>
              <MessageText message={messages[0]!} />
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}
