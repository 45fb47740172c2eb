/**
 * Weak passwords refused with a reason the user can act on (issue 19, item 5): zxcvbn-ts with its
 * common-password dictionary, at least score 3.
 */
import { describe, expect, it } from "vitest";
import { passwordWeakness } from "../../app/auth/password-strength.server.ts";

describe("passwordWeakness", () => {
  it.each([
    ["1111111111", "auth.weakPassword.pattern"],
    ["abcdefghijk", "auth.weakPassword.pattern"],
    ["qwertyuiop", "auth.weakPassword.common"],
    ["password123", "auth.weakPassword.common"],
    ["iloveyou2026", "auth.weakPassword.common"],
  ])("refuses %s (%s)", (password, reason) => {
    expect(passwordWeakness(password, ["someone@example.test", "某人"])).toBe(reason);
  });

  it("refuses a password made of the account's own e-mail or name", () => {
    expect(passwordWeakness("zhangweirider", ["zhangweirider@example.test", "张伟"])).toBe("auth.weakPassword.personal");
  });

  it.each(["correct horse battery", "xieshang-demo-2026", "风雨无阻送餐 2026 夏", "Tangerine-Bicycle-Lamp"])("accepts %s", (password) => {
    expect(passwordWeakness(password, ["someone@example.test", "某人"])).toBeNull();
  });
});
