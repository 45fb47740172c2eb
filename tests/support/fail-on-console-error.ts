// A console.error during a test is a failure (STYLE.md, "Tests").
import { afterEach, vi } from "vitest";

const errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};

afterEach(() => {
  if (errors.length) {
    const copy = errors.splice(0);
    throw new Error(`console.error was called during the test:\n${copy.map((args) => args.map(String).join(" ")).join("\n")}`);
  }
  vi.restoreAllMocks();
});
