/**
 * The live draft: the agreement body in Tiptap (ProseMirror + y-prosemirror via Tiptap's
 * Collaboration extension) with named, party-coloured carets; the structured terms in a form bound
 * to the document's `terms` Y.Map; who is here. Browser only (mounted after hydration).
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import * as Y from "yjs";
import { DOC_EVENTS } from "../../realtime/protocol.ts";
import { useTranslation } from "react-i18next";
import { DraftProvider } from "./provider.ts";
import { formatTermValue, parseTermInput, TERM_CHOICES, TERM_FIELDS, type ChoiceKey, type TermKey } from "~/domain/terms.ts";
import { industryProfile, termLabelKey } from "~/domain/industries.ts";

import { SIDE_COLOURS } from "./colours.ts";
import { CommentsPanel } from "./CommentsPanel.tsx";
import { OffersPanel } from "./OffersPanel.tsx";
import { StructuredTerms } from "./StructuredTerms.tsx";
import { useAllTerms, useNumericTerms, useTerm, useTermsMap } from "./use-terms.ts";
import { ChecksSummary, FieldChecks } from "./RuleChecks.tsx";
import { PenaltyRulesEditor } from "./PenaltyRulesEditor.tsx";
import { AlgorithmRegisterEditor } from "./AlgorithmRegisterEditor.tsx";
import { RewardRulesEditor } from "./RewardRulesEditor.tsx";
import { PayCalculator } from "~/components/PayCalculator.tsx";
import { checkTerms, type CheckResult, type RuleContext } from "~/domain/rule-checks.ts";
import type { Terms } from "~/domain/terms.ts";

/**
 * The rule checks on the draft's terms, recomputed on every change with the same functions and the
 * same context (the region's minimum wage on the effective date) the server checks signing with.
 */
function useTermChecks(terms: Terms | null, context: RuleContext): CheckResult[] {
  return useMemo(() => (terms ? checkTerms(terms, context) : []), [terms, context]);
}

function ChoiceTerm({ terms, name, canEdit, checks }: { terms: Y.Map<unknown>; name: ChoiceKey; canEdit: boolean; checks: CheckResult[] }) {
  const { t } = useTranslation();
  const value = useTerm<string>(terms, name);
  const id = `term-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{t(`term.${name}`)}</label>
      <select
        id={id}
        value={value ?? ""}
        disabled={!canEdit}
        onChange={(event) => {
          // Only the listed options are ever written; "not stated" removes the term.
          const chosen = (TERM_CHOICES[name].options as readonly string[]).find((option) => option === event.target.value);
          if (chosen) terms.set(name, chosen);
          else terms.delete(name);
        }}
      >
        <option value="">{t("termChoice.unset")}</option>
        {TERM_CHOICES[name].options.map((option) => (
          <option key={option} value={option}>
            {t(`termChoice.${name}.${option}`)}
          </option>
        ))}
      </select>
      <FieldChecks results={checks.filter((check) => check.field === name)} />
    </div>
  );
}

function OtherTerms({ terms, canEdit, industry, checks }: { terms: Y.Map<unknown>; canEdit: boolean; industry: string; checks: CheckResult[] }) {
  const { t } = useTranslation();
  const shown = useTerm<boolean>(terms, "commissionShownPerOrder") ?? false;
  const profile = industryProfile(industry);
  return (
    <section className="other-terms" aria-labelledby="other-terms-title">
      <h3 id="other-terms-title">{t("otherTerms.title")}</h3>
      <div className="terms-grid">
        {profile.choices.map((name) => (
          <ChoiceTerm key={name} terms={terms} name={name} canEdit={canEdit} checks={checks} />
        ))}
      </div>
      {profile.structured.includes("commissionShownPerOrder") ? (
        <label className="checkbox">
          <input type="checkbox" checked={shown} disabled={!canEdit} onChange={(event) => terms.set("commissionShownPerOrder", event.target.checked)} />
          {t("otherTerms.commissionShownPerOrder")}
        </label>
      ) : null}
    </section>
  );
}

type Me = { name: string; side: "WORKER" | "EMPLOYER" | null };

function useProviderState(provider: DraftProvider) {
  return useSyncExternalStore(
    (listener) => provider.subscribe(listener),
    () => `${provider.generation}|${provider.status}|${JSON.stringify(provider.capabilities)}|${provider.lastError}`,
    () => "connecting",
  );
}

function usePresence(provider: DraftProvider) {
  const [people, setPeople] = useState<Array<{ clientId: number; name: string; color: string; where: string | null }>>([]);
  useEffect(() => {
    const update = () =>
      setPeople(
        [...provider.awareness.getStates().entries()]
          .filter(([, state]) => state && (state as { user?: unknown }).user)
          .map(([clientId, state]) => {
            const { user, where } = state as { user: { name: string; color: string }; where?: string };
            return { clientId, name: user.name, color: user.color, where: where ?? null };
          }),
      );
    update();
    provider.awareness.on("change", update);
    return () => provider.awareness.off("change", update);
  }, [provider]);
  return people;
}

function TermsForm({ doc, provider, canEdit, checks, industry }: { doc: Y.Doc; provider: DraftProvider; canEdit: boolean; checks: CheckResult[]; industry: string }) {
  const { t } = useTranslation();
  const terms = useTermsMap(doc);
  const values = useNumericTerms(terms);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, { key: string; values?: Record<string, number> }>>({});
  const commit = (key: TermKey) => {
    const raw = drafts[key];
    if (raw === undefined) return;
    const parsed = parseTermInput(key, raw);
    if (!parsed.ok) {
      // Invalid input stays in the field with its error; nothing is written to the draft.
      setErrors((current) => ({ ...current, [key]: parsed.message }));
      return;
    }
    setErrors(({ [key]: _removed, ...rest }) => rest);
    setDrafts(({ [key]: _removed, ...rest }) => rest);
    if (terms.get(key) !== parsed.value) terms.set(key, parsed.value);
  };
  return (
    <form className="terms-form" onSubmit={(event) => event.preventDefault()} aria-labelledby="terms-title">
      <h2 id="terms-title">{t("draft.terms")}</h2>
      <div className="terms-grid">
        {industryProfile(industry).numeric.map((key) => {
          const id = `term-${key}`;
          const stored = values[key];
          const shown = drafts[key] ?? (stored === undefined ? "" : formatTermValue(key, stored));
          return (
            <div key={key} className="field">
              <label htmlFor={id}>
                {t(termLabelKey(industry, key))} <span className="meta">({t(`termUnit.${TERM_FIELDS[key].unit}`)})</span>
              </label>
              <input
                id={id}
                inputMode="decimal"
                value={shown}
                readOnly={!canEdit}
                aria-invalid={errors[key] ? true : undefined}
                aria-describedby={errors[key] ? `${id}-error` : undefined}
                onChange={(event) => setDrafts((current) => ({ ...current, [key]: event.target.value }))}
                onBlur={() => commit(key)}
                onFocus={() => provider.awareness.setLocalStateField("where", key)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") commit(key);
                }}
              />
              {errors[key] ? (
                <p id={`${id}-error`} className="field-errors" role="alert">
                  {t(errors[key]!.key, errors[key]!.values ?? {})}
                </p>
              ) : null}
              <FieldChecks results={checks.filter((check) => check.field === key)} />
            </div>
          );
        })}
      </div>
    </form>
  );
}

/** A saved version the editor chose to restore (versions page), waiting for confirmation. */
export type RestoreCandidate = { id: string; name: string | null; roundNumber: number | null } | null;

export function DraftEditor({ sessionId, me, ruleContext, restore = null }: { sessionId: string; me: Me; ruleContext: RuleContext; restore?: RestoreCandidate }) {
  const provider = useMemo(() => new DraftProvider(sessionId), [sessionId]);
  useEffect(() => () => provider.destroy(), [provider]);
  useProviderState(provider);
  // A change the server refused resets the provider onto a fresh document (provider.ts): the
  // editor, the forms and the presence list are rebuilt on it rather than kept on the old one.
  return (
    <>
      {restore ? <RestoreBanner provider={provider} candidate={restore} /> : null}
      <DraftWorkspace key={provider.generation} provider={provider} doc={provider.doc} me={me} ruleContext={ruleContext} />
    </>
  );
}

/** Confirms restoring a saved version: the server applies it as a new edit and records it. */
function RestoreBanner({ provider, candidate }: { provider: DraftProvider; candidate: NonNullable<RestoreCandidate> }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"asking" | "working" | "done" | "dismissed">("asking");
  const [error, setError] = useState<{ key: string; values?: Record<string, string | number> } | null>(null);
  const name = candidate.roundNumber ? t("versions.forRound", { number: candidate.roundNumber }) : (candidate.name ?? "");
  if (state === "dismissed") return null;
  if (state === "done") return <p className="notice" role="status" data-testid="restore-done">{t("versions.restored", { name })}</p>;
  const confirm = async () => {
    setState("working");
    const ack = await provider.request(DOC_EVENTS.versionRestore, { versionId: candidate.id });
    if (ack.ok) {
      setState("done");
      setError(null);
    } else {
      setState("asking");
      setError(ack.message ?? { key: `draft.error.${ack.code}` });
    }
  };
  return (
    <section className="card restore-banner" aria-labelledby="restore-title" data-testid="restore-banner">
      <p id="restore-title">{t("versions.restoreConfirm", { name })}</p>
      {error ? (
        <p className="form-error" role="alert">
          {t(error.key, error.values ?? {})}
        </p>
      ) : null}
      <p>
        <button type="button" className="button" disabled={state === "working" || provider.status !== "synced"} onClick={() => void confirm()}>
          {t("versions.restoreButton")}
        </button>{" "}
        <button type="button" className="button-secondary" onClick={() => setState("dismissed")}>
          {t("versions.restoreCancel")}
        </button>
      </p>
    </section>
  );
}

const NO_CHECKS: CheckResult[] = [];

function DraftWorkspace({ provider, doc, me, ruleContext }: { provider: DraftProvider; doc: Y.Doc; me: Me; ruleContext: RuleContext }) {
  const { t } = useTranslation();
  const people = usePresence(provider);
  const colour = SIDE_COLOURS[me.side ?? "NONE"];
  useEffect(() => {
    provider.awareness.setLocalStateField("user", { name: me.name, color: colour });
  }, [provider, me.name, colour]);
  const canEdit = provider.capabilities.edit && provider.status !== "revoked";
  const termsMap = useTermsMap(doc);
  const allTerms = useAllTerms(termsMap);
  // No verdict before the document has synced: an empty map is not the draft, and "signing
  // blocked" (or "all checks pass") while connecting would be a lie.
  const [loaded, setLoaded] = useState(provider.status === "synced");
  useEffect(() => {
    if (provider.status === "synced") setLoaded(true);
    return provider.onSynced(() => setLoaded(true));
  }, [provider]);
  const computed = useTermChecks(allTerms, ruleContext);
  const checks = loaded ? computed : NO_CHECKS;

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: false,
      extensions: [
        // Undo/redo comes from the collaboration history, not ProseMirror's own.
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: doc, field: "body" }),
        CollaborationCaret.configure({ provider, user: { name: me.name, color: colour } }),
      ],
      editorProps: { attributes: { "aria-label": t("draft.body"), role: "textbox", "aria-multiline": "true", class: "draft-body" } },
      onFocus: () => provider.awareness.setLocalStateField("where", "body"),
    },
    [provider],
  );
  useEffect(() => {
    editor?.setEditable(canEdit);
  }, [editor, canEdit]);

  return (
    <div className="draft">
      <p className={`draft-status status-${provider.status}`} role="status" data-testid="draft-status">
        {t(`draft.status.${provider.status}`)}
        {provider.status !== "revoked" ? ` · ${canEdit ? t("draft.canEdit") : t("draft.readOnly")}` : ""}
      </p>
      {provider.lastError ? (
        <p className="form-error" role="alert">
          {t(`draft.error.${provider.lastError}`)}
        </p>
      ) : null}
      <section aria-labelledby="presence-title" className="presence">
        <h2 id="presence-title">{t("draft.presence")}</h2>
        <ul data-testid="presence">
          {people.map((person) => (
            <li key={person.clientId}>
              <span className="presence-dot" style={{ background: person.color }} aria-hidden="true" />
              {person.name}
              {person.where ? <span className="meta"> · {person.where === "body" ? t("draft.body") : t(`term.${person.where}`)}</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <div className="draft-columns">
        <section aria-labelledby="body-title" className="draft-main">
          <h2 id="body-title">{t("draft.body")}</h2>
          <EditorContent editor={editor} />
        </section>
        <CommentsPanel provider={provider} editor={editor} canComment={provider.capabilities.comment && provider.status !== "revoked"} />
      </div>
      <ChecksSummary results={checks} pending={!loaded} />
      <TermsForm doc={doc} provider={provider} canEdit={canEdit} checks={checks} industry={ruleContext.industry} />
      <StructuredTerms doc={doc} canEdit={canEdit} checks={checks} pieceRateTable={industryProfile(ruleContext.industry).structured.includes("pieceRateTable")} />
      <OtherTerms terms={termsMap} canEdit={canEdit} industry={ruleContext.industry} checks={checks} />
      <PenaltyRulesEditor terms={termsMap} canEdit={canEdit} checks={checks} />
      <RewardRulesEditor terms={termsMap} canEdit={canEdit} checks={checks} />
      <AlgorithmRegisterEditor terms={termsMap} canEdit={canEdit} checks={checks} />
      {allTerms ? <PayCalculator terms={allTerms} /> : null}
      <OffersPanel doc={doc} provider={provider} canOffer={provider.capabilities.offer && provider.status !== "revoked"} canAccept={canEdit} />
    </div>
  );
}
