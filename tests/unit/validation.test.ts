/**
 * Input schemas of app/domain/validation.ts: what they accept, how they normalize, and which
 * i18n key (with which limit) each refusal carries, as forms see it through fieldErrorsOf.
 */
import { describe, it, expect } from "vitest";
import type { z } from "zod";
import {
  LIMITS,
  fieldErrorsOf,
  invitationCreateSchema,
  loginSchema,
  organizationCreateSchema,
  redirectToSchema,
  signupSchema,
  type FieldErrors,
} from "../../app/domain/validation.ts";

/** Parses and returns the field errors; fails the test if the input was accepted. */
function errorsOf(schema: z.ZodTypeAny, input: unknown): FieldErrors {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected the input to be refused: ${JSON.stringify(input)}`);
  return fieldErrorsOf(result.error);
}

function keysOf(errors: FieldErrors, field: string): string[] {
  return (errors[field] ?? []).map((message) => message.key);
}

const validSignup = {
  email: "rider@example.com",
  displayName: "Li Lei",
  password: "correct horse battery",
  confirmPassword: "correct horse battery",
};

const validOrganization = {
  name: "Hangzhou Rider Union",
  slug: "hz-rider-union",
  type: "UNION",
  regionCode: "330100",
};

describe("loginSchema", () => {
  it("trims and lower-cases the e-mail and defaults redirectTo to /", () => {
    const parsed = loginSchema.parse({ email: "  Alice@Example.COM ", password: "x" });
    expect(parsed).toEqual({ email: "alice@example.com", password: "x", redirectTo: "/" });
  });

  it("does not apply the sign-up length rule to the password (only requires one)", () => {
    expect(loginSchema.safeParse({ email: "a@example.com", password: "short" }).success).toBe(true);
    expect(keysOf(errorsOf(loginSchema, { email: "a@example.com", password: "" }), "password")).toEqual(["validation.required"]);
  });

  it("refuses a malformed e-mail with validation.email", () => {
    expect(keysOf(errorsOf(loginSchema, { email: "not-an-email", password: "x" }), "email")).toEqual(["validation.email"]);
  });

  it("refuses missing fields with validation.required", () => {
    const errors = errorsOf(loginSchema, {});
    expect(keysOf(errors, "email")).toEqual(["validation.required"]);
    expect(keysOf(errors, "password")).toEqual(["validation.required"]);
  });

  it("keeps a safe redirectTo and drops an unsafe one", () => {
    expect(loginSchema.parse({ email: "a@example.com", password: "x", redirectTo: "/orgs/abc" }).redirectTo).toBe("/orgs/abc");
    expect(loginSchema.parse({ email: "a@example.com", password: "x", redirectTo: "//evil.com" }).redirectTo).toBe("/");
  });
});

describe("signupSchema", () => {
  it("accepts a valid sign-up and normalizes e-mail and name", () => {
    const parsed = signupSchema.parse({ ...validSignup, email: " Rider@Example.COM ", displayName: "  Li Lei  " });
    expect(parsed.email).toBe("rider@example.com");
    expect(parsed.displayName).toBe("Li Lei");
    expect(parsed.redirectTo).toBe("/");
  });

  it("refuses a malformed e-mail with validation.email", () => {
    const errors = errorsOf(signupSchema, { ...validSignup, email: "rider@@example" });
    expect(keysOf(errors, "email")).toEqual(["validation.email"]);
  });

  it("refuses a too long e-mail with validation.tooLong and the limit", () => {
    const email = `${"a".repeat(LIMITS.emailMax)}@example.com`;
    const errors = errorsOf(signupSchema, { ...validSignup, email });
    expect(errors.email).toContainEqual({ key: "validation.tooLong", values: { max: LIMITS.emailMax } });
    expect(LIMITS.emailMax).toBe(254);
  });

  it("accepts an e-mail exactly at the limit", () => {
    const email = `${"a".repeat(LIMITS.emailMax - "@example.com".length)}@example.com`;
    expect(email).toHaveLength(LIMITS.emailMax);
    expect(signupSchema.safeParse({ ...validSignup, email }).success).toBe(true);
  });

  it("refuses a too long display name with validation.tooLong and the limit", () => {
    const errors = errorsOf(signupSchema, { ...validSignup, displayName: "x".repeat(LIMITS.displayNameMax + 1) });
    expect(errors.displayName).toEqual([{ key: "validation.tooLong", values: { max: LIMITS.displayNameMax } }]);
    expect(LIMITS.displayNameMax).toBe(80);
  });

  it("counts the display name after trimming", () => {
    const displayName = `   ${"x".repeat(LIMITS.displayNameMax)}   `;
    expect(signupSchema.parse({ ...validSignup, displayName }).displayName).toHaveLength(LIMITS.displayNameMax);
  });

  it("refuses a blank display name with validation.required", () => {
    expect(keysOf(errorsOf(signupSchema, { ...validSignup, displayName: "   " }), "displayName")).toEqual(["validation.required"]);
  });

  it("refuses a short password with validation.passwordTooShort and the minimum", () => {
    const errors = errorsOf(signupSchema, { ...validSignup, password: "short", confirmPassword: "short" });
    expect(errors.password).toEqual([{ key: "validation.passwordTooShort", values: { min: LIMITS.passwordMin } }]);
    expect(LIMITS.passwordMin).toBe(10);
  });

  it("accepts a password of exactly the minimum length", () => {
    const password = "p".repeat(LIMITS.passwordMin);
    expect(signupSchema.safeParse({ ...validSignup, password, confirmPassword: password }).success).toBe(true);
  });

  it("refuses a too long password with validation.tooLong", () => {
    const password = "p".repeat(LIMITS.passwordMax + 1);
    const errors = errorsOf(signupSchema, { ...validSignup, password, confirmPassword: password });
    expect(errors.password).toEqual([{ key: "validation.tooLong", values: { max: LIMITS.passwordMax } }]);
  });

  it("refuses mismatched passwords with validation.passwordMismatch on confirmPassword", () => {
    const errors = errorsOf(signupSchema, { ...validSignup, confirmPassword: "something else entirely" });
    expect(Object.keys(errors)).toEqual(["confirmPassword"]);
    expect(keysOf(errors, "confirmPassword")).toEqual(["validation.passwordMismatch"]);
  });
});

describe("redirectToSchema", () => {
  it.each([
    ["/orgs?x=1", "/orgs?x=1"],
    ["/", "/"],
    ["/orgs/hz-rider-union#members", "/orgs/hz-rider-union#members"],
  ])("keeps the local path %s", (input, expected) => {
    expect(redirectToSchema.parse(input)).toBe(expected);
  });

  it.each([
    ["//evil.com"],
    ["https://evil.com"],
    ["/\\evil"],
    ["/\\/evil.com"],
    ["javascript:alert(1)"],
    ["evil.com/path"],
    ["/ evil"],
    ["/\tevil"],
    [""],
    [`/${"a".repeat(500)}`],
  ])("replaces %j with /", (input) => {
    expect(redirectToSchema.parse(input)).toBe("/");
  });

  it("defaults undefined to /", () => {
    expect(redirectToSchema.parse(undefined)).toBe("/");
  });
});

describe("organizationCreateSchema", () => {
  it("accepts a valid organization, lower-cases the slug and drops blank optional text", () => {
    const parsed = organizationCreateSchema.parse({ ...validOrganization, slug: " HZ-Rider-Union ", nameEn: "   ", description: "" });
    expect(parsed).toEqual({
      name: "Hangzhou Rider Union",
      nameEn: undefined,
      slug: "hz-rider-union",
      type: "UNION",
      regionCode: "330100",
      description: undefined,
    });
  });

  it.each([["abc"], ["a1b"], ["hz-rider-union"], ["a".repeat(LIMITS.slugMax)]])("accepts the slug %s", (slug) => {
    expect(organizationCreateSchema.safeParse({ ...validOrganization, slug }).success).toBe(true);
  });

  it.each([["ab"], ["-abc"], ["abc-"], ["a_b_c"], ["a b c"], ["abc.def"], ["工会组织"]])("refuses the slug %j with validation.slug", (slug) => {
    expect(keysOf(errorsOf(organizationCreateSchema, { ...validOrganization, slug }), "slug")).toContain("validation.slug");
  });

  it("refuses a too long slug with validation.tooLong and the limit", () => {
    const errors = errorsOf(organizationCreateSchema, { ...validOrganization, slug: "a".repeat(LIMITS.slugMax + 1) });
    expect(errors.slug).toEqual([{ key: "validation.tooLong", values: { max: LIMITS.slugMax } }]);
  });

  it("refuses an unknown type with validation.choice", () => {
    const errors = errorsOf(organizationCreateSchema, { ...validOrganization, type: "COMPANY" });
    expect(Object.keys(errors)).toEqual(["type"]);
    expect(keysOf(errors, "type")).toEqual(["validation.choice"]);
  });

  it("refuses an unknown region with validation.choice", () => {
    const errors = errorsOf(organizationCreateSchema, { ...validOrganization, regionCode: "999999" });
    expect(Object.keys(errors)).toEqual(["regionCode"]);
    expect(keysOf(errors, "regionCode")).toEqual(["validation.choice"]);
  });

  it("refuses a blank name and a too long description", () => {
    const errors = errorsOf(organizationCreateSchema, { ...validOrganization, name: "  ", description: "d".repeat(LIMITS.orgDescriptionMax + 1) });
    expect(keysOf(errors, "name")).toEqual(["validation.required"]);
    expect(errors.description).toEqual([{ key: "validation.tooLong", values: { max: LIMITS.orgDescriptionMax } }]);
  });
});

describe("invitationCreateSchema", () => {
  it("defaults expiresInDays to 7", () => {
    expect(invitationCreateSchema.parse({ role: "MEMBER" })).toEqual({ role: "MEMBER", expiresInDays: 7, note: undefined });
  });

  it("coerces a form string to a number", () => {
    expect(invitationCreateSchema.parse({ role: "NEGOTIATOR", expiresInDays: "14" }).expiresInDays).toBe(14);
  });

  it.each([[1], [30]])("accepts the bound %d", (expiresInDays) => {
    expect(invitationCreateSchema.parse({ role: "ADMIN", expiresInDays }).expiresInDays).toBe(expiresInDays);
  });

  it("refuses 0 days with validation.rangeMin and the minimum", () => {
    const errors = errorsOf(invitationCreateSchema, { role: "MEMBER", expiresInDays: 0 });
    expect(errors.expiresInDays).toEqual([{ key: "validation.rangeMin", values: { min: 1 } }]);
  });

  it("refuses 31 days with validation.rangeMax and the maximum", () => {
    const errors = errorsOf(invitationCreateSchema, { role: "MEMBER", expiresInDays: 31 });
    expect(errors.expiresInDays).toEqual([{ key: "validation.rangeMax", values: { max: 30 } }]);
  });

  it("refuses a non-number with validation.number", () => {
    expect(keysOf(errorsOf(invitationCreateSchema, { role: "MEMBER", expiresInDays: "abc" }), "expiresInDays")).toEqual(["validation.number"]);
  });

  it("refuses a fraction with validation.number", () => {
    expect(keysOf(errorsOf(invitationCreateSchema, { role: "MEMBER", expiresInDays: "1.5" }), "expiresInDays")).toEqual(["validation.number"]);
  });

  it("refuses an unknown role with validation.choice", () => {
    expect(keysOf(errorsOf(invitationCreateSchema, { role: "OWNER" }), "role")).toEqual(["validation.choice"]);
  });

  it("refuses a too long note with validation.tooLong", () => {
    const errors = errorsOf(invitationCreateSchema, { role: "MEMBER", note: "n".repeat(LIMITS.inviteNoteMax + 1) });
    expect(errors.note).toEqual([{ key: "validation.tooLong", values: { max: LIMITS.inviteNoteMax } }]);
  });
});

describe("fieldErrorsOf", () => {
  it("puts form-level issues under _form and replaces non-i18n messages with validation.invalid", () => {
    const result = signupSchema.safeParse("not an object");
    expect(result.success).toBe(false);
    if (result.success) return;
    const errors = fieldErrorsOf(result.error);
    expect(Object.keys(errors)).toEqual(["_form"]);
    expect(keysOf(errors, "_form")).toEqual(["validation.invalid"]);
  });
});

describe("invitationCreateSchema with an emptied field", () => {
  it("treats an empty 'valid for' field as the default of 7 days", () => {
    expect(invitationCreateSchema.parse({ role: "ADMIN", expiresInDays: "" }).expiresInDays).toBe(7);
  });
});

describe("a bound in the units a person types", () => {
  it("fills the message with yuan, % or kilometres, never the stored fen, basis points or metres", async () => {
    const { penaltyRuleSchema } = await import("~/domain/terms.ts");
    const { typedIssueMessage } = await import("~/domain/validation.ts");
    const tooMuch = penaltyRuleSchema.safeParse({ kind: "LATE_DELIVERY", amountFen: 100_000_01, monthlyCapFen: 100_000_01, appealWindowDays: 7, excludedCauses: [] });
    expect(tooMuch.success).toBe(false);
    expect(typedIssueMessage(tooMuch.error!.issues[0]!)).toEqual({ key: "validation.rangeMax", values: { max: 100_000 } });
    const longWindow = penaltyRuleSchema.safeParse({ kind: "LATE_DELIVERY", amountFen: 200, monthlyCapFen: 5000, appealWindowDays: 400, excludedCauses: [] });
    expect(typedIssueMessage(longWindow.error!.issues[0]!)).toEqual({ key: "validation.rangeMax", values: { max: 365 } });
  });
});
