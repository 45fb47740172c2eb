/**
 * The unified social credit code (统一社会信用代码) of GB 32100-2015 《法人和其他组织统一社会信用代码
 * 编码规则》: 18 characters from a 31-character alphabet (the digits and the capital letters without
 * I, O, Z, S and V), the 18th being a check character computed from the first 17 (第4.2条 and
 * 附录 the check-character algorithm: weights 3^(i-1) mod 31, check = 31 − (Σ cᵢ·wᵢ mod 31), 31 → 0).
 * Positions 1–2 are the registration authority and organization category, 3–8 the registering
 * authority's administrative region code (GB/T 2260), 9–17 the organization code.
 *
 * Pure: no I/O. The code is normalized (trimmed, upper-cased, full-width characters folded) before
 * it is checked, so that what a user copies from a business licence is accepted as printed.
 */

export const CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
export const CREDIT_CODE_LENGTH = 18;
/** wᵢ = 3^(i−1) mod 31 for i = 1…17 (GB 32100-2015). */
export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeProblem = "length" | "alphabet" | "checkCharacter";
export type CreditCodeResult = { ok: true; code: string } | { ok: false; problem: CreditCodeProblem };

/** The check character for the first 17 characters (which must be in the alphabet). */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== CREDIT_CODE_LENGTH - 1) throw new RangeError("seventeen characters expected");
  let sum = 0;
  for (let i = 0; i < first17.length; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError("character outside the alphabet");
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET[check]!;
}

/** Folds full-width ASCII (Ａ１) to half-width, trims and upper-cases. */
export function normalizeCreditCode(input: string): string {
  return input
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    // Only ASCII letters: a character that upper-cases to several ("ß", "ﬀ") must not change the length.
    .replace(/[a-z]/g, (ch) => ch.toUpperCase());
}

/** Checks a credit code: length, alphabet, then the check character. */
export function parseCreditCode(input: string): CreditCodeResult {
  const code = normalizeCreditCode(input);
  if (Array.from(code).length !== CREDIT_CODE_LENGTH) return { ok: false, problem: "length" };
  for (const ch of code) if (!CREDIT_CODE_ALPHABET.includes(ch)) return { ok: false, problem: "alphabet" };
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) return { ok: false, problem: "checkCharacter" };
  return { ok: true, code };
}
