/**
 * Changing or ending an agreement in force (变更、解除), issue 20 item 5. 《集体合同规定》
 * (劳动和社会保障部令第22号): the parties' representatives may change or end an agreement by
 * agreement (第三十九条) or on one of the grounds of 第四十条; either way it goes through this
 * regulation's bargaining procedure again (第四十一条) — proposal, negotiation, ratification,
 * signatures, filing within 10 days of signing (第四十二条: 签订或变更后) and review. So an amendment
 * or a termination is a bargaining session of its own that continues the notice series of the
 * agreement it changes or ends. Before signing a text is simply edited; after signing, a change
 * needs new signatures on the new hash (reopening, app/domain/procedure.ts); after filing, only an
 * amendment session can change it. Texts confirmed against published copies of the regulation.
 */
import { cite } from "./citations.ts";

export const SESSION_PURPOSES = ["AGREEMENT", "RENEWAL", "AMENDMENT", "TERMINATION"] as const;
export type SessionPurpose = (typeof SESSION_PURPOSES)[number];

/** Purposes that continue an existing notice series (and must name it). */
export const SERIES_PURPOSES: readonly SessionPurpose[] = ["RENEWAL", "AMENDMENT", "TERMINATION"];
/** Purposes that change or end the version in force now (it must be in force when proposed). */
export const CHANGING_PURPOSES: readonly SessionPurpose[] = ["AMENDMENT", "TERMINATION"];

/** An article or item of 《集体合同规定》, from the citation register (app/domain/citations.ts). */
const regulation = (part: string) => cite("collectiveContracts", part);

/** The grounds on which an agreement may be ended (or changed), each with its article. */
export const TERMINATION_GROUNDS = {
  /** 第三十九条: 双方协商代表协商一致. */
  AGREED: regulation("第三十九条"),
  /** 第四十条（一）: 用人单位因被兼并、解散、破产等原因，致使集体合同无法履行. */
  MERGER_DISSOLUTION_BANKRUPTCY: regulation("第四十条第（一）项"),
  /** 第四十条（二）: 因不可抗力等原因致使集体合同无法履行或部分无法履行. */
  FORCE_MAJEURE: regulation("第四十条第（二）项"),
  /** 第四十条（三）: 集体合同约定的变更或解除条件出现. */
  AGREED_CONDITION: regulation("第四十条第（三）项"),
  /** 第四十条（四）: 法律、法规、规章规定的其他情形. */
  OTHER_LAW: regulation("第四十条第（四）项"),
} as const;
export type TerminationGround = keyof typeof TERMINATION_GROUNDS;
export const TERMINATION_GROUND_KEYS = Object.keys(TERMINATION_GROUNDS) as [TerminationGround, ...TerminationGround[]];

/** The procedure every change or end follows. */
export const AMENDMENT_SOURCE = regulation("第三十九条至第四十一条");

/** The state the session whose version was in force takes when this session's agreement takes effect. */
export function replacedState(purpose: SessionPurpose): "AMENDED" | "TERMINATED" | null {
  if (purpose === "AMENDMENT") return "AMENDED";
  if (purpose === "TERMINATION") return "TERMINATED";
  return null;
}

/** A termination carries no terms of its own: the term checks apply to agreements and amendments. */
export const carriesTerms = (purpose: SessionPurpose) => purpose !== "TERMINATION";
