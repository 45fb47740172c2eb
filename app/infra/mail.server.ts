/**
 * Sending e-mail (issue 17) with nodemailer: over SMTP when XS_SMTP_HOST is set (port, TLS and
 * credentials from the environment, parsed by app/infra/env.server.ts), otherwise a console
 * transport that prints each mail, so that `npm start` shows what would be sent. Timeouts are
 * bounded so that a stuck mail server fails an attempt instead of holding a job forever.
 * See decision 034.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "~/infra/env.server.ts";

export type OutgoingMail = { to: string; subject: string; text: string; html: string; headers?: Record<string, string> };

let transport: Transporter | undefined;
let transportKey = "";
let consoleMode = false;

function getTransport(): Transporter {
  const env = getEnv();
  const key = JSON.stringify([env.XS_SMTP_HOST, env.XS_SMTP_PORT, env.XS_SMTP_SECURE, env.XS_SMTP_REQUIRE_TLS, env.XS_SMTP_USER, env.XS_SMTP_TIMEOUT_MS]);
  if (transport && key === transportKey) return transport;
  transport?.close();
  transportKey = key;
  consoleMode = false;
  if (env.XS_SMTP_HOST) {
    transport = nodemailer.createTransport({
      host: env.XS_SMTP_HOST,
      port: env.XS_SMTP_PORT,
      secure: env.XS_SMTP_SECURE,
      auth: env.XS_SMTP_USER ? { user: env.XS_SMTP_USER, pass: env.XS_SMTP_PASSWORD ?? "" } : undefined,
      connectionTimeout: env.XS_SMTP_TIMEOUT_MS,
      greetingTimeout: env.XS_SMTP_TIMEOUT_MS,
      socketTimeout: env.XS_SMTP_TIMEOUT_MS,
      // A local sink or a relay on a private network may not offer TLS.
      ignoreTLS: !env.XS_SMTP_SECURE && !env.XS_SMTP_REQUIRE_TLS,
      requireTLS: env.XS_SMTP_REQUIRE_TLS,
    });
  } else {
    consoleMode = true;
    transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }
  return transport;
}

export async function sendMail(mail: OutgoingMail): Promise<void> {
  const env = getEnv();
  const info = await getTransport().sendMail({ from: env.XS_MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers });
  if (consoleMode && env.XS_MAIL_LOG === "line") {
    console.log(`mail (console transport) to ${mail.to}: ${mail.subject}`);
  } else if (consoleMode) {
    console.log(`\n── mail (console transport: XS_SMTP_HOST is not set) ─────────────\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n──────────────────────────────────────────────────────────────────`);
    void info;
  }
}
