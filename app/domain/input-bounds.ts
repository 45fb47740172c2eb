/**
 * Bounds on client-supplied values, checked before anything walks, serializes or parses them.
 *
 * Everything here is iterative (an explicit stack, never recursion), so a value nested 100,000
 * levels deep is measured and refused in time proportional to the part of it that was looked at,
 * without touching the call stack: `JSON.stringify`, zod and most libraries recurse and throw
 * `RangeError: Maximum call stack size exceeded` on such a value (issue 13). Each check stops as
 * soon as a limit is passed, so a huge value costs no more than the limit to refuse.
 */

export type InputBounds = {
  /** Deepest nesting of arrays and objects; a scalar is depth 0, `[]` and `{}` depth 1. */
  maxDepth: number;
  /**
   * Largest size, counted as the value's JSON text would be in UTF-8 (strings by their UTF-8
   * bytes plus quotes, object keys likewise, numbers and literals by their text, binary data by
   * its byte length, one byte per separator).
   */
  maxBytes: number;
};

/** Why a value was refused, with the limit it passed. */
export type BoundsRefusal = { reason: "tooDeep"; max: number } | { reason: "tooLarge"; max: number } | { reason: "unsupported" };

/**
 * Bounds for JSON-shaped arguments of socket events and the states of awareness updates: far above
 * anything a real client sends (a comment's input is 4 levels deep and a few KB; a presence state
 * 3 levels and well under 1 KB), far below what would cost a handler noticeable time or memory.
 */
export const JSON_INPUT_BOUNDS: InputBounds = { maxDepth: 32, maxBytes: 64 * 1024 };

/** UTF-8 length of `text`, counting no further than `stopAfter` (then returns a value above it). */
function utf8Length(text: string, stopAfter: number): number {
  // Every UTF-16 code unit is at least one UTF-8 byte.
  if (text.length > stopAfter) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4; // a surrogate pair is one 4-byte character
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
    if (bytes > stopAfter) return bytes;
  }
  return bytes;
}

function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/**
 * Checks a decoded value (what JSON.parse or socket.io's parser yields: null, booleans, numbers,
 * strings, arrays, plain objects, binary data) against `bounds`, without recursion. Anything else
 * (functions, symbols, bigints, class instances) is `unsupported`: no wire format produces it.
 * Returns null when the value is within bounds.
 */
export function checkInputBounds(value: unknown, bounds: InputBounds = JSON_INPUT_BOUNDS): BoundsRefusal | null {
  let size = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || current === undefined || typeof current === "boolean") size += 5;
    else if (typeof current === "number") size += 24;
    else if (typeof current === "string") size += utf8Length(current, bounds.maxBytes) + 2;
    else if (isBinary(current)) size += current.byteLength;
    else if (typeof current === "object") {
      const prototype = Object.getPrototypeOf(current);
      const isArray = Array.isArray(current);
      if (!isArray && prototype !== Object.prototype && prototype !== null) return { reason: "unsupported" };
      if (depth + 1 > bounds.maxDepth) return { reason: "tooDeep", max: bounds.maxDepth };
      size += 2;
      if (isArray) {
        const items = current as unknown[];
        size += items.length; // separators
        if (size > bounds.maxBytes) return { reason: "tooLarge", max: bounds.maxBytes };
        for (const item of items) stack.push({ value: item, depth: depth + 1 });
      } else {
        for (const key in current) {
          if (!Object.prototype.hasOwnProperty.call(current, key)) continue;
          size += utf8Length(key, bounds.maxBytes) + 4; // quotes, colon, separator
          if (size > bounds.maxBytes) return { reason: "tooLarge", max: bounds.maxBytes };
          stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
        }
      }
    } else return { reason: "unsupported" };
    if (size > bounds.maxBytes) return { reason: "tooLarge", max: bounds.maxBytes };
  }
  return null;
}

/**
 * Checks JSON text against `bounds` before it is parsed: its UTF-8 size, and the nesting depth of
 * its brackets outside string literals, in one pass. It does not validate the JSON (JSON.parse
 * does that afterwards, and on bounded text it cannot exhaust the stack, nor can anything that
 * walks the parsed value). Returns null when the text is within bounds.
 */
export function checkJsonTextBounds(text: string, bounds: InputBounds = JSON_INPUT_BOUNDS): BoundsRefusal | null {
  if (utf8Length(text, bounds.maxBytes) > bounds.maxBytes) return { reason: "tooLarge", max: bounds.maxBytes };
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i += 1; // the escaped character cannot end the string
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
      depth += 1;
      if (depth > bounds.maxDepth) return { reason: "tooDeep", max: bounds.maxDepth };
    } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) depth -= 1;
  }
  return null;
}
