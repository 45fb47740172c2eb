/**
 * The mails of the outbox (app/models/outbox.server.ts composeMail, app/domain/outbox.ts): in the
 * recipient's language, as text and HTML with what the user typed escaped, linking to the site's
 * configured address (never a request's Host), with an unsubscribe link only where the procedure
 * does not require the message.
 */
import { describe, expect, it } from "vitest";
import { composeMail } from "../../app/models/outbox.server.ts";
import { isAccountKind, isRequiredKind, MESSAGE_KINDS, OPTIONAL_KINDS, REQUIRED_KINDS } from "../../app/domain/outbox.ts";
import { configureEnv, parseEnv } from "../../app/infra/env.server.ts";

configureEnv(parseEnv({ NODE_ENV: "test", XS_PUBLIC_URL: "https://xieshang.example", XS_DEMO: "false" }));

const to = (locale: string | null) => ({ email: "chief@union.example", displayName: "王建华", locale });

describe("outbox mails", () => {
  it("writes a required notice in Chinese by default, with no way to unsubscribe", () => {
    const mail = composeMail({ deliveryId: "d1", kind: "session.proposed", payload: { days: 20 }, sessionId: "s1", sessionTitle: "外卖骑手计件单价", to: to(null) });
    expect(mail.subject).toContain("外卖骑手计件单价");
    expect(mail.text).toContain("收到协商要约");
    expect(mail.text).toContain("https://xieshang.example/sessions/s1");
    expect(mail.text).toContain("不能退订");
    expect(mail.headers).toEqual({ "X-Xieshang-Delivery": "d1" });
    expect(mail.html).toContain('<html lang="zh-CN">');
  });

  it("writes an optional notice in English for an English-speaking user, with the settings link", () => {
    const mail = composeMail({ deliveryId: "d2", kind: "round.scheduled", payload: { number: 3 }, sessionId: "s1", sessionTitle: "Piece rates", to: to("en") });
    expect(mail.text).toContain("Round 3");
    expect(mail.text).toContain("https://xieshang.example/settings/notifications");
    expect(mail.headers).toEqual({ "X-Xieshang-Delivery": "d2", "List-Unsubscribe": "<https://xieshang.example/settings/notifications>" });
    expect(mail.html).toContain('<html lang="en">');
  });

  it("escapes a title typed by a user in the HTML part", () => {
    const mail = composeMail({ deliveryId: "d3", kind: "session.inForce", payload: {}, sessionId: "s1", sessionTitle: '<img src=x onerror="alert(1)">', to: to(null) });
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("&lt;img");
  });

  it("names every kind the app sends, required ones with the article whose period they serve", () => {
    // Every kind is optional, required by the procedure, or about the account (always sent).
    const accountKinds = MESSAGE_KINDS.filter((kind) => isAccountKind(kind));
    expect(accountKinds).toEqual(["account.loginFailures", "account.confirmEmail", "account.signupAttempt", "account.signInCode"]);
    expect(OPTIONAL_KINDS.length + Object.keys(REQUIRED_KINDS).length + accountKinds.length).toBe(MESSAGE_KINDS.length);
    for (const [kind, why] of Object.entries(REQUIRED_KINDS)) {
      expect(isRequiredKind(kind)).toBe(true);
      expect(why).toMatch(/^第.+条/);
    }
    expect(isRequiredKind("round.scheduled")).toBe(false);
  });
});
