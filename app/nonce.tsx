/**
 * The per-request CSP nonce (generated in server.ts, passed through the load context, provided
 * here by entry.server.tsx) for the inline scripts Remix renders. In the browser the value is
 * empty: browsers hide a nonce attribute once the page is parsed, and scripts added later are
 * loaded from 'self'.
 */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
