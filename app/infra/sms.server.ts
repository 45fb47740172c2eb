/**
 * Sending text messages (issue 25): sign-in codes to workers' phones. An interface with two
 * transports, chosen by the environment (app/infra/env.server.ts; decision 044):
 *
 * - **console** (default): prints each message, so that `npm start` shows the code to type;
 * - **http**: a generic HTTP gateway (XS_SMS_HTTP_URL): a JSON POST `{ id, to, text }` with
 *   `Authorization: Bearer XS_SMS_HTTP_TOKEN`; any 2xx is sent, anything else (or no answer within
 *   XS_SMS_TIMEOUT_MS) fails the attempt and the job queue retries it. A provider's own API (an
 *   SMS service of a Chinese cloud) sits behind such a gateway, which owns its signature and
 *   template (docs/operations.md, "Text messages").
 */
import { getEnv } from "~/infra/env.server.ts";

export type OutgoingSms = { id: string; to: string; text: string };

export interface SmsTransport {
  send(sms: OutgoingSms): Promise<void>;
}

const consoleTransport: SmsTransport = {
  async send(sms) {
    console.log(`sms (console transport: XS_SMS_HTTP_URL is not set) to ${sms.to}: ${sms.text}`);
  },
};

function httpTransport(url: string, token: string | undefined, timeoutMs: number): SmsTransport {
  return {
    async send(sms) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(sms),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      // The body is read (and bounded) so that the connection is released.
      const answer = (await response.text().catch(() => "")).slice(0, 200);
      if (!response.ok) throw new Error(`SMS gateway answered ${response.status}${answer ? `: ${answer}` : ""}`);
    },
  };
}

export function smsTransport(): SmsTransport {
  const env = getEnv();
  return env.XS_SMS_HTTP_URL ? httpTransport(env.XS_SMS_HTTP_URL, env.XS_SMS_HTTP_TOKEN, env.XS_SMS_TIMEOUT_MS) : consoleTransport;
}

export async function sendSms(sms: OutgoingSms): Promise<void> {
  await smsTransport().send(sms);
}
