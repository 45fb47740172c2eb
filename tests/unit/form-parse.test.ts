/**
 * One validation path (decision 043): the server's `parseFormData` and the browser's check read a
 * form the same way and give the same messages; forged names are never walked; the summary's
 * links follow `fieldId`.
 */
import { describe, expect, it } from "vitest";
import { parseWithZod } from "@conform-to/zod";
import { z } from "zod";
import { fieldId, formOf } from "~/components/forms.tsx";
import { proposalSchema } from "~/domain/session-validation.ts";
import { messagesOf, signupSchema, organizationCreateSchema } from "~/domain/validation.ts";
import { parseFormData } from "~/http/forms.server.ts";

const form = (entries: Array<[string, string]>) => {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
};

describe("parseFormData (Conform over our schemas)", () => {
  it("gives the browser's messages for the same input, with their limits", () => {
    const entries: Array<[string, string]> = [
      ["displayName", "名".repeat(200)],
      ["email", "not-an-address"],
      ["password", "short"],
      ["confirmPassword", "short"],
    ];
    const server = parseFormData(form(entries), signupSchema);
    const browser = parseWithZod(form(entries), { schema: signupSchema, disableAutoCoercion: true, formatError: messagesOf });
    expect(server.ok).toBe(false);
    if (server.ok) return;
    expect(browser.status).toBe("error");
    expect(server.fieldErrors).toEqual(browser.status === "error" ? browser.error : null);
    expect(server.fieldErrors.displayName).toEqual([{ key: "validation.tooLong", values: { max: 80 } }]);
    expect(server.fieldErrors.email).toEqual([{ key: "validation.email", values: {} }]);
    expect(server.fieldErrors.password).toEqual([{ key: "validation.passwordTooShort", values: { min: 10 } }]);
    // What was typed comes back, never a password.
    expect(server.values).toEqual({ displayName: "名".repeat(200), email: "not-an-address" });
  });

  it("keeps values as typed strings and reads `name[]` as a list, even of one", () => {
    const parsed = parseFormData(form([["name", "  骑手工会  "], ["slug", "rider-union"], ["type", "UNION"], ["regionCode", "330100"], ["description", ""]]), organizationCreateSchema);
    expect(parsed).toEqual({ ok: true, data: { name: "骑手工会", slug: "rider-union", type: "UNION", regionCode: "330100", description: undefined, nameEn: undefined } });
    const proposal = parseFormData(form([["topics[]", "PIECE_RATE"]]), proposalSchema);
    expect(proposal.ok).toBe(false);
    if (!proposal.ok) expect(proposal.fieldErrors.topics).toBeUndefined();
  });

  it("drops names that are paths or indexes, so nothing is walked or polluted", () => {
    const parsed = parseFormData(form([["topics[49999999]", "x"], ["__proto__[polluted]", "yes"], ["constructor.prototype.polluted", "yes"], ["title.x", "y"]]), proposalSchema);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.values).toMatchObject({ "topics[49999999]": "x" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses U+0000 beside the field", () => {
    const parsed = parseFormData(form([["name", "a\u0000b"], ["topics[]", "a\u0000"]]), organizationCreateSchema);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.fieldErrors).sort()).toEqual(["name", "topics"]);
  });

  it("puts an error of the whole form in formError, not in a field", () => {
    const parsed = parseFormData(form([["a", "1"]]), z.object({ a: z.string() }).refine(() => false, { message: "validation.passwordMismatch" }));
    expect(parsed).toMatchObject({ ok: false, formError: { key: "validation.passwordMismatch" }, fieldErrors: {} });
  });
});

describe("field ids for the error summary", () => {
  it("names a field by its form where several forms share names, and a list's item by its index", () => {
    expect(fieldId("email")).toBe("f-email");
    expect(fieldId("location", "scheduleRound")).toBe("f-scheduleRound-location");
    expect(fieldId("answers[2]", "file")).toBe("f-file-answers-2");
    expect(fieldId("clause.0", "object")).toBe("f-object-clause-0");
  });

  it("tells the form by its intent and the item it is repeated for", () => {
    expect(formOf(undefined)).toBeUndefined();
    expect(formOf({ intent: "decline" }, "roundId")).toBe("decline");
    expect(formOf({ intent: "recordRound", roundId: "r1" }, "roundId", "seatId")).toBe("recordRound-r1");
    expect(formOf({ intent: "endSeat", roundId: "", seatId: "s9" }, "roundId", "seatId")).toBe("endSeat-s9");
  });
});
