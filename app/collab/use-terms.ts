/** React bindings to the draft's `terms` Y.Map, shared by the terms form, offers and tables. */
import { useEffect, useMemo, useState } from "react";
import type * as Y from "yjs";
import { readTerms, TERM_KEYS, type Terms } from "~/domain/terms.ts";

export function useTermsMap(doc: Y.Doc): Y.Map<unknown> {
  return useMemo(() => doc.getMap<unknown>("terms"), [doc]);
}

/** The single-number terms as they are in the draft now, re-read on every change. */
export function useNumericTerms(terms: Y.Map<unknown>): Record<string, number | undefined> {
  const [values, setValues] = useState<Record<string, number | undefined>>({});
  useEffect(() => {
    const read = () => setValues(Object.fromEntries(TERM_KEYS.map((key) => [key, terms.get(key) as number | undefined])));
    read();
    terms.observe(read);
    return () => terms.unobserve(read);
  }, [terms]);
  return values;
}

/** One term's current value, re-read on every change. */
export function useTerm<T>(terms: Y.Map<unknown>, key: string): T | undefined {
  const [value, setValue] = useState<T | undefined>(terms.get(key) as T | undefined);
  useEffect(() => {
    const read = () => setValue(terms.get(key) as T | undefined);
    read();
    terms.observe(read);
    return () => terms.unobserve(read);
  }, [terms, key]);
  return value;
}

/** The whole terms map read as current-version terms (null while it is not valid), re-read on every change. */
export function useAllTerms(terms: Y.Map<unknown>): Terms | null {
  const [value, setValue] = useState<Terms | null>(() => readTerms(terms.toJSON()));
  useEffect(() => {
    const read = () => setValue(readTerms(terms.toJSON()));
    read();
    terms.observe(read);
    return () => terms.unobserve(read);
  }, [terms]);
  return value;
}
