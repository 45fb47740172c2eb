/**
 * The bargaining view of the structured terms: term by term, the current draft value and each
 * side's latest offer, with the history of offers by round. A party with the offer capability
 * puts its position; an editor writes an offer into the draft (the server records the trace).
 */
import { useEffect, useState } from "react";
import * as Y from "yjs";
import { useTranslation } from "react-i18next";
import { DOC_EVENTS } from "../../realtime/protocol.ts";
import { allocationSchema, EXCLUDED_CAUSES, formatTermValue, parseTermInput, TERM_KEYS, TERM_FIELDS, type TermKey } from "~/domain/terms.ts";
import type { DraftProvider } from "./provider.ts";
import { useAllTerms, useNumericTerms, useTerm, useTermsMap } from "./use-terms.ts";
import { comparePay } from "~/domain/pay.ts";
import { readTerms, type Terms } from "~/domain/terms.ts";
import { WORKER_PROFILES } from "~/domain/worker-profiles.ts";
import { signed } from "~/components/PayCalculator.tsx";

/** An offer as the server sends it (TermOfferView): a number for a scalar term, a table or object for a structured one. */
type Offer = { id: string; termKey: string; side: "WORKER" | "EMPLOYER"; value: unknown; note: string | null; roundNumber: number; createdAt: string; accepted: boolean; author: string };
type ScalarOffer = Omit<Offer, "value"> & { value: number };
type TableRow = { orderType: string; fromMetres: number; toMetres: number; timeBand: string; priceFen: number };
type TableOffer = Omit<Offer, "value"> & { value: TableRow[] };
type StructuredOffer = Omit<Offer, "value"> & { value: unknown };
type AllocationValue = { medianEstimate: boolean; dispatchRadiusMetres: number; maxConcurrentOrders: number };

export function OffersPanel({ doc, provider, canOffer, canAccept }: { doc: Y.Doc; provider: DraftProvider; canOffer: boolean; canAccept: boolean }) {
  const { t } = useTranslation();
  const values = useNumericTerms(useTermsMap(doc));
  const [offers, setOffers] = useState<Offer[]>([]);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, { key: string; values?: Record<string, string | number> }>>({});

  useEffect(() => {
    const load = async () => {
      const ack = await provider.request(DOC_EVENTS.offerList);
      if (ack.ok && Array.isArray(ack.offers)) setOffers(ack.offers as Offer[]);
    };
    const offSynced = provider.onSynced(() => void load());
    const offPush = provider.onPush<Offer>(DOC_EVENTS.offerChanged, (offer) =>
      setOffers((current) => (current.some((item) => item.id === offer.id) ? current.map((item) => (item.id === offer.id ? offer : item)) : [...current, offer])),
    );
    return () => {
      offSynced();
      offPush();
    };
  }, [provider]);

  const makeOffer = async (key: TermKey) => {
    const parsed = parseTermInput(key, inputs[key] ?? "");
    if (!parsed.ok) {
      setErrors((current) => ({ ...current, [key]: parsed.message }));
      return;
    }
    const ack = await provider.request(DOC_EVENTS.offerMake, { termKey: key, value: parsed.value });
    if (!ack.ok) {
      setErrors((current) => ({ ...current, [key]: ack.message ?? { key: `draft.error.${ack.code}` } }));
      return;
    }
    setErrors(({ [key]: _removed, ...rest }) => rest);
    setInputs(({ [key]: _removed, ...rest }) => rest);
  };
  const accept = async (offer: Offer) => {
    const ack = await provider.request(DOC_EVENTS.offerAccept, { offerId: offer.id });
    if (!ack.ok) setErrors((current) => ({ ...current, [offer.termKey]: ack.message ?? { key: `draft.error.${ack.code}` } }));
  };

  const scalarOffers = offers.filter((offer): offer is ScalarOffer => typeof offer.value === "number");
  const latest = (key: string, side: Offer["side"]) => [...scalarOffers].reverse().find((offer) => offer.termKey === key && offer.side === side);
  const show = (key: TermKey, value: number | undefined) => (value === undefined ? "—" : `${formatTermValue(key, value)} ${t(`termUnit.${TERM_FIELDS[key].unit}`)}`);

  return (
    <section aria-labelledby="offers-title" className="offers">
      <h2 id="offers-title">{t("draft.offers.title")}</h2>
      <table className="data-table offers-table">
        <thead>
          <tr>
            <th scope="col">{t("draft.offers.term")}</th>
            <th scope="col">{t("draft.offers.draftValue")}</th>
            <th scope="col">{t("side.WORKER")}</th>
            <th scope="col">{t("side.EMPLOYER")}</th>
            {canOffer ? <th scope="col">{t("draft.offers.yourOffer")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {TERM_KEYS.map((key) => {
            const history = scalarOffers.filter((offer) => offer.termKey === key);
            return (
              <tr key={key} data-testid={`offer-row-${key}`}>
                <th scope="row">
                  {t(`term.${key}`)}
                  {history.length ? (
                    <details>
                      <summary>{t("draft.offers.history", { count: history.length })}</summary>
                      <ol>
                        {history.map((offer) => (
                          <li key={offer.id}>
                            {t("draft.offers.historyLine", { round: offer.roundNumber, side: t(`side.${offer.side}`), author: offer.author, value: show(key, offer.value) })}
                            {offer.accepted ? ` · ${t("draft.offers.accepted")}` : ""}
                          </li>
                        ))}
                      </ol>
                    </details>
                  ) : null}
                </th>
                <td data-label={t("draft.offers.draftValue")} data-testid={`draft-value-${key}`}>{show(key, values[key])}</td>
                {(["WORKER", "EMPLOYER"] as const).map((side) => {
                  const offer = latest(key, side);
                  return (
                    <td data-label={t(`side.${side}`)} key={side} data-testid={`latest-${side}-${key}`}>
                      {offer ? show(key, offer.value) : "—"}
                      {offer?.accepted ? <span className="badge badge-ok">{t("draft.offers.accepted")}</span> : null}
                      {offer && !offer.accepted && canAccept ? (
                        <button type="button" className="button-secondary" onClick={() => void accept(offer)}>
                          {t("draft.offers.accept")}
                        </button>
                      ) : null}
                    </td>
                  );
                })}
                {canOffer ? (
                  <td data-label={t("draft.offers.yourOffer")}>
                    <form
                      className="inline-form"
                      onSubmit={(event) => {
                        event.preventDefault();
                        void makeOffer(key);
                      }}
                    >
                      <label className="visually-hidden" htmlFor={`offer-${key}`}>
                        {t("draft.offers.offerFor", { term: t(`term.${key}`) })}
                      </label>
                      <input id={`offer-${key}`} inputMode="decimal" size={7} value={inputs[key] ?? ""} onChange={(event) => setInputs((current) => ({ ...current, [key]: event.target.value }))} aria-invalid={errors[key] ? true : undefined} />
                      <button type="submit" className="button-secondary">
                        {t("draft.offers.make")}
                      </button>
                    </form>
                    {errors[key] ? (
                      <p className="field-errors" role="alert">
                        {t(errors[key]!.key, errors[key]!.values ?? {})}
                      </p>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      <TableOffers doc={doc} offers={offers.filter((offer): offer is TableOffer => offer.termKey === "pieceRateTable" && Array.isArray(offer.value))} canOffer={canOffer} canAccept={canAccept} onOffer={(rows) => provider.request(DOC_EVENTS.offerMake, { termKey: "pieceRateTable", value: rows })} onAccept={(offer) => provider.request(DOC_EVENTS.offerAccept, { offerId: offer.id })} />
      <StructuredOffers doc={doc} offers={offers} canOffer={canOffer} canAccept={canAccept} provider={provider} />
      <OfferEffects doc={doc} offers={offers} />
    </section>
  );
}

/**
 * What each side's latest open offer would mean for the example workers: the draft's terms with the
 * offer written in, against the draft as it is, through the same pay calculator.
 */
function OfferEffects({ doc, offers }: { doc: Y.Doc; offers: StructuredOffer[] }) {
  const { t } = useTranslation();
  const current = useAllTerms(useTermsMap(doc));
  if (!current) return null;
  const open = new Map<string, StructuredOffer>();
  for (const offer of offers) if (!offer.accepted) open.set(`${offer.termKey}|${offer.side}`, offer);
  const rows = [...open.values()]
    .map((offer) => {
      const changed: Terms | null = readTerms({ ...current, [offer.termKey]: offer.value });
      return changed ? { offer, deltas: WORKER_PROFILES.map((profile) => comparePay(current, changed, profile.period).netDeltaFen) } : null;
    })
    .filter((row): row is { offer: StructuredOffer; deltas: number[] } => row !== null);
  if (!rows.length) return null;
  return (
    <table className="data-table offer-effects" data-testid="offer-effects">
      <caption>{t("pay.effect.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("draft.offers.term")}</th>
          {WORKER_PROFILES.map((profile) => (
            <th key={profile.id} scope="col">
              {t(`pay.profiles.${profile.id}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ offer, deltas }) => (
          <tr key={offer.id} data-testid={`effect-${offer.side}-${offer.termKey}`}>
            <th scope="row">
              {t(`side.${offer.side}`)} · {t((TERM_KEYS as readonly string[]).includes(offer.termKey) ? `term.${offer.termKey}` : `versions.structured.${offer.termKey}`)}
            </th>
            {deltas.map((delta, index) => (
              <td data-label={t(`pay.profiles.${WORKER_PROFILES[index]!.id}`)} key={index} className="number">
                {t("pay.yuan", { amount: signed(delta) })}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Offers on the piece-rate table: each side's latest table, a counter-offer on the prices, accept. */
function TableOffers({
  doc,
  offers,
  canOffer,
  canAccept,
  onOffer,
  onAccept,
}: {
  doc: Y.Doc;
  offers: TableOffer[];
  canOffer: boolean;
  canAccept: boolean;
  onOffer: (rows: TableRow[]) => Promise<{ ok: boolean }>;
  onAccept: (offer: TableOffer) => Promise<{ ok: boolean }>;
}) {
  const { t } = useTranslation();
  const draft = useTerm<TableRow[]>(useTermsMap(doc), "pieceRateTable") ?? [];
  const [prices, setPrices] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = (side: "WORKER" | "EMPLOYER") => [...offers].reverse().find((offer) => offer.side === side);
  const describe = (rows: TableRow[]) =>
    rows.map((row) => `${t(`orderType.${row.orderType}`)} ${row.fromMetres / 1000}–${row.toMetres / 1000} km ${t(`timeBand.${row.timeBand}`)}: ${(row.priceFen / 100).toFixed(2)}`).join("；");
  if (draft.length === 0 && offers.length === 0) return null;
  return (
    <div className="table-offers" data-testid="table-offers">
      <h3>{t("draft.offers.tableTitle")}</h3>
      <p>
        {t("draft.offers.draftValue")}: {draft.length ? describe(draft) : "—"}
      </p>
      {(["WORKER", "EMPLOYER"] as const).map((side) => {
        const offer = latest(side);
        return offer ? (
          <p key={side} data-testid={`table-offer-${side}`}>
            {t(`side.${side}`)} · {t("draft.offers.historyLine", { round: offer.roundNumber, side: t(`side.${side}`), author: offer.author, value: describe(offer.value) })}
            {offer.accepted ? <span className="badge badge-ok">{t("draft.offers.accepted")}</span> : null}
            {!offer.accepted && canAccept ? (
              <button type="button" className="button-secondary" onClick={() => void onAccept(offer)}>
                {t("draft.offers.accept")}
              </button>
            ) : null}
          </p>
        ) : null;
      })}
      {canOffer && draft.length ? (
        prices ? (
          <form
            className="stack"
            onSubmit={async (event) => {
              event.preventDefault();
              if (prices.some((price) => !/^\d+(\.\d{1,2})?$/.test(price.trim()))) {
                setError("validation.number");
                return;
              }
              const ack = await onOffer(draft.map((row, index) => ({ ...row, priceFen: Math.round(Number(prices[index]) * 100) })));
              if (ack.ok) {
                setPrices(null);
                setError(null);
              } else setError("draft.error.invalid");
            }}
          >
            {draft.map((row, index) => (
              <label key={index} className="field">
                {t(`orderType.${row.orderType}`)} {row.fromMetres / 1000}–{row.toMetres / 1000} km {t(`timeBand.${row.timeBand}`)}
                <input inputMode="decimal" value={prices[index] ?? ""} onChange={(event) => setPrices(prices.map((price, i) => (i === index ? event.target.value : price)))} />
              </label>
            ))}
            {error ? (
              <p className="field-errors" role="alert">
                {t(error)}
              </p>
            ) : null}
            <button type="submit" className="button">
              {t("draft.offers.sendTable")}
            </button>
          </form>
        ) : (
          <button type="button" className="button-secondary" onClick={() => setPrices(draft.map((row) => (row.priceFen / 100).toFixed(2)))}>
            {t("draft.offers.counterTable")}
          </button>
        )
      ) : null}
    </div>
  );
}

/** Offers on the causes never penalised and on the allocation parameters. */
function StructuredOffers({ doc, offers, canOffer, canAccept, provider }: { doc: Y.Doc; offers: StructuredOffer[]; canOffer: boolean; canAccept: boolean; provider: DraftProvider }) {
  const { t } = useTranslation();
  const terms = useTermsMap(doc);
  const causes = useTerm<string[]>(terms, "penaltyExcludedCauses") ?? [];
  const allocation = useTerm<AllocationValue>(terms, "allocation");
  const [causeDraft, setCauseDraft] = useState<string[] | null>(null);
  const [allocationDraft, setAllocationDraft] = useState<{ medianEstimate: boolean; dispatchRadiusMetres: string; maxConcurrentOrders: string } | null>(null);
  const [error, setError] = useState<{ key: string; values?: Record<string, string | number> } | null>(null);
  const describe = (key: string, value: unknown) => {
    if (value === null || value === undefined) return "—";
    if (key === "penaltyExcludedCauses") return (value as string[]).map((cause) => t(`cause.${cause}`)).join("、") || "—";
    const a = value as AllocationValue;
    return `${a.medianEstimate ? t("draft.allocation.median") : "—"}；${t("draft.allocation.dispatchRadiusMetres")} ${a.dispatchRadiusMetres}；${t("draft.allocation.maxConcurrentOrders")} ${a.maxConcurrentOrders}`;
  };
  const send = async (termKey: string, value: unknown) => {
    const ack = await provider.request(DOC_EVENTS.offerMake, { termKey, value });
    if (!ack.ok) {
      setError(ack.message ?? { key: `draft.error.${ack.code}` });
      return false;
    }
    setError(null);
    return true;
  };
  return (
    <div className="structured-offers">
      {(["penaltyExcludedCauses", "allocation"] as const).map((key) => {
        const latest = (side: "WORKER" | "EMPLOYER") => [...offers].reverse().find((offer) => offer.termKey === key && offer.side === side);
        return (
          <div key={key} data-testid={`structured-offer-${key}`}>
            <h3>{t(`versions.structured.${key}`)}</h3>
            <p>
              {t("draft.offers.draftValue")}: {describe(key, key === "allocation" ? allocation : causes)}
            </p>
            {(["WORKER", "EMPLOYER"] as const).map((side) => {
              const offer = latest(side);
              return offer ? (
                <p key={side}>
                  {t("draft.offers.historyLine", { round: offer.roundNumber, side: t(`side.${side}`), author: offer.author, value: describe(key, offer.value) })}
                  {offer.accepted ? <span className="badge badge-ok">{t("draft.offers.accepted")}</span> : null}
                  {!offer.accepted && canAccept ? (
                    <button type="button" className="button-secondary" onClick={() => void provider.request(DOC_EVENTS.offerAccept, { offerId: offer.id })}>
                      {t("draft.offers.accept")}
                    </button>
                  ) : null}
                </p>
              ) : null;
            })}
          </div>
        );
      })}
      {canOffer ? (
        <div className="stack">
          {causeDraft ? (
            <form
              onSubmit={async (event) => {
                event.preventDefault();
                if (await send("penaltyExcludedCauses", causeDraft)) setCauseDraft(null);
              }}
            >
              <fieldset className="checkbox-group">
                <legend>{t("draft.causes.title")}</legend>
                {EXCLUDED_CAUSES.map((cause) => (
                  <label key={cause} className="checkbox">
                    <input type="checkbox" checked={causeDraft.includes(cause)} onChange={(event) => setCauseDraft(event.target.checked ? [...causeDraft, cause] : causeDraft.filter((item) => item !== cause))} />
                    {t(`cause.${cause}`)}
                  </label>
                ))}
              </fieldset>
              <button type="submit" className="button">
                {t("draft.offers.sendStructured")}
              </button>
            </form>
          ) : (
            <button type="button" className="button-secondary" onClick={() => setCauseDraft(causes)}>
              {t("draft.offers.counterStructured", { term: t("versions.structured.penaltyExcludedCauses") })}
            </button>
          )}
          {allocationDraft ? (
            <form
              className="stack"
              onSubmit={async (event) => {
                event.preventDefault();
                const parsed = allocationSchema.safeParse({
                  medianEstimate: allocationDraft.medianEstimate,
                  dispatchRadiusMetres: Number(allocationDraft.dispatchRadiusMetres),
                  maxConcurrentOrders: Number(allocationDraft.maxConcurrentOrders),
                });
                if (!parsed.success) {
                  setError({ key: parsed.error.issues[0]?.message ?? "validation.invalid" });
                  return;
                }
                if (await send("allocation", parsed.data)) setAllocationDraft(null);
              }}
            >
              <label className="checkbox">
                <input type="checkbox" checked={allocationDraft.medianEstimate} onChange={(event) => setAllocationDraft({ ...allocationDraft, medianEstimate: event.target.checked })} />
                {t("draft.allocation.median")}
              </label>
              {(["dispatchRadiusMetres", "maxConcurrentOrders"] as const).map((field) => (
                <label key={field} className="field">
                  {t(`draft.allocation.${field}`)}
                  <input inputMode="numeric" value={allocationDraft[field]} onChange={(event) => setAllocationDraft({ ...allocationDraft, [field]: event.target.value })} />
                </label>
              ))}
              <button type="submit" className="button">
                {t("draft.offers.sendStructured")}
              </button>
            </form>
          ) : (
            <button
              type="button"
              className="button-secondary"
              onClick={() =>
                setAllocationDraft({
                  medianEstimate: allocation?.medianEstimate ?? true,
                  dispatchRadiusMetres: String(allocation?.dispatchRadiusMetres ?? 3000),
                  maxConcurrentOrders: String(allocation?.maxConcurrentOrders ?? 3),
                })
              }
            >
              {t("draft.offers.counterStructured", { term: t("versions.structured.allocation") })}
            </button>
          )}
          {error ? (
            <p className="field-errors" role="alert">
              {t(error.key, error.values ?? {})}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
