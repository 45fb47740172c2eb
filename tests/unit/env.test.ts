/**
 * Environment parsing (app/infra/env.server.ts): defaults, and a refusal that names the variable.
 */
import { describe, it, expect } from "vitest";
import { parseEnv as parseEnvSource } from "../../app/infra/env.server.ts";

/** NodeJS.ProcessEnv is typed with a required NODE_ENV; tests pass plain partial sources. */
function parseEnv(source: Record<string, string>) {
  return parseEnvSource(source as NodeJS.ProcessEnv);
}

describe("parseEnv", () => {
  it("fills in the defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.XS_DEMO).toBe(true);
    expect(env.XS_DATA_DIR).toBe(".data/pglite");
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.NODE_ENV).toBe("production");
    expect(env.XS_TRUST_PROXY).toBe(0);
    expect(env.XS_ALLOWED_ORIGINS).toEqual([]);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("parses the database time-outs, with defaults, and refuses nonsense naming the variable", () => {
    expect(parseEnv({}).XS_DB_STATEMENT_TIMEOUT_MS).toBe(15_000);
    expect(parseEnv({}).XS_DB_CONNECT_TIMEOUT_MS).toBe(10_000);
    expect(parseEnv({ XS_DB_STATEMENT_TIMEOUT_MS: "2500" }).XS_DB_STATEMENT_TIMEOUT_MS).toBe(2500);
    expect(() => parseEnv({ XS_DB_STATEMENT_TIMEOUT_MS: "soon" })).toThrow(/XS_DB_STATEMENT_TIMEOUT_MS: expected milliseconds/);
    expect(() => parseEnv({ XS_DB_CONNECT_TIMEOUT_MS: "0" })).toThrow(/XS_DB_CONNECT_TIMEOUT_MS/);
  });

  it("does not read process.env when given a source", () => {
    expect(parseEnv({ PORT: "4321" }).PORT).toBe(4321);
  });

  it.each([["postgresql://postgres@127.0.0.1:5432/xieshang"], ["postgres://u:p@db/x"]])("accepts DATABASE_URL %s", (url) => {
    expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it("treats an empty variable as unset", () => {
    const env = parseEnv({ DATABASE_URL: "", PORT: "" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it("refuses a non-PostgreSQL DATABASE_URL, naming the variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(Error);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
  });

  it.each([["abc"], ["70000"], ["-1"], ["80.5"]])("refuses PORT=%s, naming the variable", (port) => {
    expect(() => parseEnv({ PORT: port })).toThrow(/PORT/);
  });

  it("accepts PORT=0 (any free port)", () => {
    expect(parseEnv({ PORT: "0" }).PORT).toBe(0);
  });

  it.each([
    ["false", false],
    ["0", false],
    ["no", false],
    ["true", true],
    ["1", true],
    ["yes", true],
  ] as const)("reads XS_DEMO=%s as %s", (value, expected) => {
    expect(parseEnv({ XS_DEMO: value }).XS_DEMO).toBe(expected);
  });

  it("refuses XS_DEMO=maybe, naming the variable", () => {
    expect(() => parseEnv({ XS_DEMO: "maybe" })).toThrow(/XS_DEMO/);
  });

  it("splits XS_ALLOWED_ORIGINS on commas and trims each origin", () => {
    expect(parseEnv({ XS_ALLOWED_ORIGINS: "https://a.example, https://b.example" }).XS_ALLOWED_ORIGINS).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
    expect(parseEnv({ XS_ALLOWED_ORIGINS: " https://a.example ,, " }).XS_ALLOWED_ORIGINS).toEqual(["https://a.example"]);
  });

  it("refuses a non-Redis REDIS_URL and an unknown NODE_ENV", () => {
    expect(() => parseEnv({ REDIS_URL: "http://cache" })).toThrow(/REDIS_URL/);
    expect(() => parseEnv({ NODE_ENV: "staging" })).toThrow(/NODE_ENV/);
  });

  it("names every wrong variable in one message", () => {
    let message = "";
    try {
      parseEnv({ PORT: "abc", XS_DEMO: "maybe", DATABASE_URL: "mysql://x" });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/XS_DEMO/);
    expect(message).toMatch(/DATABASE_URL/);
  });
});
