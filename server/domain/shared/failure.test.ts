import { describe, expect, it } from "vitest";
import { classifyFailure } from "./failure";

/** An error as the drivers throw it: a code (driver code or SQLSTATE), possibly wrapped (drizzle's "Failed query" error). */
function driverError(code: string, wrapped = true): Error {
  const inner = Object.assign(new Error(`driver says ${code}`), { code });
  return wrapped ? Object.assign(new Error('Failed query: select password_hash from users where id = $1\nparams: 42'), { cause: inner }) : inner;
}

describe("classifyFailure", () => {
  it.each([
    ["a lost connection mid-transaction", Object.assign(new Error("lost"), { code: "DATABASE_CONNECTION_LOST" }), "DATABASE_CONNECTION_LOST", 503, true],
    ["a refused connection", driverError("ECONNREFUSED"), "DATABASE_UNAVAILABLE", 503, true],
    ["every address refused (AggregateError)", Object.assign(new AggregateError([driverError("ECONNREFUSED", false)], "x"), {}), "DATABASE_UNAVAILABLE", 503, true],
    ["a server shutting down", driverError("57P01"), "DATABASE_UNAVAILABLE", 503, true],
    ["too many connections", driverError("53300"), "DATABASE_UNAVAILABLE", 503, true],
    ["a deadlock", driverError("40P01"), "DATABASE_BUSY", 503, true],
    ["a serialization failure", driverError("40001"), "DATABASE_BUSY", 503, true],
    ["a lock timeout", driverError("55P03"), "DATABASE_BUSY", 503, true],
    ["a NUL that reached the database", driverError("22021"), "INVALID_INPUT", 400, false],
    ["a bug", new TypeError("x is undefined"), "INTERNAL_ERROR", 500, false],
    ["anything thrown", "a string", "INTERNAL_ERROR", 500, false],
  ])("%s", (_, error, code, status, retryable) => {
    const f = classifyFailure(error);
    expect(f).toMatchObject({ code, status, retryable });
    expect(f.message).not.toMatch(/select|password|params|driver/i);
  });
});
