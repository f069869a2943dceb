import { DomainError } from "../shared/errors";

/*
 * Canonical JSON: the one text form of a value that is hashed, wherever a hash must not depend on how the value was
 * built (idempotency payload hashes in request_log, electronic-signature content hashes, ERP message hashes and derived
 * B2MML message ids). Pure.
 *
 * - object keys sorted (by UTF-16 code units, as Array.prototype.sort orders strings), at every depth;
 * - a property whose value is undefined is left out, as JSON.stringify does; undefined as a whole value or as an
 *   array element is written null (JSON.stringify's form in arrays);
 * - arrays keep their order; no whitespace; strings and finite numbers exactly as JSON.stringify writes them;
 * - an object with toJSON (a Date) is written as what toJSON returns, as JSON.stringify does;
 * - refused with VALIDATION_FAILED, naming where: non-finite numbers (JSON has no form for them; JSON.stringify would
 *   silently write null), invalid dates, bigint, functions, symbols, cycles, and objects that are not plain (Map, Set,
 *   class instances without toJSON: JSON.stringify would silently write {}).
 */
export function canonicalJson(value: unknown): string {
  const ancestors: object[] = [];
  const refuse = (path: string, what: string): never => {
    throw new DomainError("VALIDATION_FAILED", `Cannot write ${what} as canonical JSON (at ${path}).`, { path });
  };
  const write = (v: unknown, path: string, key: string): string => {
    switch (typeof v) {
      case "string":
      case "boolean":
        return JSON.stringify(v);
      case "number":
        return Number.isFinite(v) ? JSON.stringify(v) : refuse(path, `the non-finite number ${String(v)}`);
      case "undefined":
        return "null";
      case "bigint":
        return refuse(path, "a bigint");
      case "function":
      case "symbol":
        return refuse(path, `a ${typeof v}`);
    }
    if (v === null) return "null";
    const obj = v as object;
    if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
      if (obj instanceof Date && Number.isNaN(obj.getTime())) return refuse(path, "an invalid date");
      return write((obj as { toJSON: (key: string) => unknown }).toJSON(key), path, key);
    }
    if (ancestors.includes(obj)) return refuse(path, "a cyclic structure");
    ancestors.push(obj);
    try {
      if (Array.isArray(obj)) {
        const items: string[] = [];
        // a loop, not map: a hole in a sparse array is written null, as JSON.stringify does
        for (let i = 0; i < obj.length; i++) items.push(write(obj[i], `${path}[${i}]`, String(i)));
        return `[${items.join(",")}]`;
      }
      const proto = Object.getPrototypeOf(obj) as unknown;
      if (proto !== Object.prototype && proto !== null) return refuse(path, `a ${obj.constructor?.name ?? "non-plain"} object`);
      const record = obj as Record<string, unknown>;
      const parts: string[] = [];
      for (const name of Object.keys(record).sort()) {
        const member = record[name];
        if (member !== undefined) parts.push(`${JSON.stringify(name)}:${write(member, `${path}.${name}`, name)}`);
      }
      return `{${parts.join(",")}}`;
    } finally {
      ancestors.pop();
    }
  };
  return write(value, "$", "");
}
