/**
 * Password hashing (app/auth/password.server.ts): scrypt with a random salt, stored as
 * `scrypt$N$r$p$salt$hash`.
 */
import { describe, it, expect } from "vitest";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "../../app/auth/password.server.ts";

describe("hashPassword", () => {
  it("stores scheme, cost, salt and hash", async () => {
    const stored = await hashPassword("password123");
    const parts = stored.split("$");
    expect(parts).toHaveLength(6);
    const [scheme, n, r, p, salt, hash] = parts;
    expect(scheme).toBe("scrypt");
    expect(Number(n)).toBeGreaterThanOrEqual(16384);
    expect(Number(r)).toBeGreaterThanOrEqual(8);
    expect(Number(p)).toBeGreaterThanOrEqual(1);
    expect(Buffer.from(salt ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(hash ?? "", "base64")).toHaveLength(64);
    expect(stored).not.toContain("password123");
  });

  it("uses a random salt: two hashes of the same password differ", async () => {
    const [first, second] = await Promise.all([hashPassword("password123"), hashPassword("password123")]);
    expect(first).not.toBe(second);
    expect(first?.split("$")[4]).not.toBe(second?.split("$")[4]);
  });
});

describe("verifyPassword", () => {
  const stored = hashPassword("password123");

  it("accepts the right password", async () => {
    expect(await verifyPassword(await stored, "password123")).toBe(true);
  });

  it.each([["password124"], ["Password123"], ["password123 "], [""]])("refuses the wrong password %j", async (attempt) => {
    expect(await verifyPassword(await stored, attempt)).toBe(false);
  });

  it.each([[""], ["bcrypt$x"], ["scrypt$1$2"], ["scrypt$16384$16$1$c2FsdA=="], ["plain-text-password"]])(
    "returns false for the garbage stored string %j",
    async (garbage) => {
      expect(await verifyPassword(garbage, "password123")).toBe(false);
    },
  );

  it("refuses a stored hash from another scheme even with matching fields", async () => {
    const other = (await stored).replace(/^scrypt\$/, "bcrypt$");
    expect(await verifyPassword(other, "password123")).toBe(false);
  });

  it("normalizes with NFKC: full-width characters match their ASCII form", async () => {
    expect(await verifyPassword(await stored, "ｐａｓｓｗｏｒｄ１２３")).toBe(true);
  });

  it("normalizes composed and decomposed accents alike", async () => {
    const composed = await hashPassword("caf\u00e9-password");
    expect(await verifyPassword(composed, "cafe\u0301-password")).toBe(true);
  });
});

describe("verifyAgainstDummy", () => {
  it("always answers false", async () => {
    expect(await verifyAgainstDummy("xieshang-timing-equalizer")).toBe(false);
    expect(await verifyAgainstDummy("anything")).toBe(false);
  });
});

describe("verifyPassword with a corrupt stored hash", () => {
  it.each(["scrypt$abc$1$1$c2FsdA==$aGFzaA==", "scrypt$1$1$1$c2FsdA==$aGFzaA=="])("refuses %s instead of throwing", async (stored) => {
    await expect(verifyPassword(stored, "whatever")).resolves.toBe(false);
  });
});
