/**
 * Refusing weak passwords (issue 19, item 5) with zxcvbn-ts, the maintained port of Dropbox's
 * estimator, and its common-password dictionary: a password must be at least "safely unguessable"
 * (score 3 of 4: about 10^8 guesses, out of reach online and slow against an offline attack on
 * our scrypt hashes). The reason given names what made it guessable, in a few kinds the user can
 * act on; the account's e-mail and name count as guessable too.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import type { ErrorCode } from "~/domain/errors.ts";

export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  return estimator;
}

const KINDS: Record<string, ErrorCode> = {
  topTen: "auth.weakPassword.common",
  topHundred: "auth.weakPassword.common",
  common: "auth.weakPassword.common",
  similarToCommon: "auth.weakPassword.common",
  pwned: "auth.weakPassword.common",
  wordByItself: "auth.weakPassword.common",
  namesByThemselves: "auth.weakPassword.common",
  commonNames: "auth.weakPassword.common",
  straightRow: "auth.weakPassword.pattern",
  keyPattern: "auth.weakPassword.pattern",
  simpleRepeat: "auth.weakPassword.pattern",
  extendedRepeat: "auth.weakPassword.pattern",
  sequences: "auth.weakPassword.pattern",
  recentYears: "auth.weakPassword.dates",
  dates: "auth.weakPassword.dates",
  userInputs: "auth.weakPassword.personal",
};

/** Why the password is too easy to guess (an error code), or null when it is strong enough. */
export function passwordWeakness(password: string, userInputs: string[]): ErrorCode | null {
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.\s_-]+/)]).filter((input) => input.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  return (result.feedback.warning && KINDS[result.feedback.warning]) || "auth.weakPassword.guessable";
}
