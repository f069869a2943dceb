/**
 * Input the database cannot store, found before any query (pure). PostgreSQL text and jsonb cannot hold the NUL
 * character, and a lone UTF-16 surrogate has no UTF-8 encoding (the driver would silently store U+FFFD instead): both
 * are refused as bad input, naming the field. Limits on string length, nesting depth and the number of values keep a
 * hostile request from reaching a query (or the stack) at all. Every value is visited once, without recursion.
 */
export type InputLimits = {
  /** Longest string, in UTF-16 code units. */
  maxStringLength: number;
  /** Deepest nesting of arrays and objects (the input itself is depth 0). */
  maxDepth: number;
  /** Most values (strings, numbers, objects, array elements, keys) in one input. */
  maxValues: number;
};

/** Limits for what a screen sends (the longest field any form takes is 2,000 characters). */
export const SCREEN_INPUT_LIMITS: InputLimits = { maxStringLength: 10_000, maxDepth: 32, maxValues: 20_000 };

export type InputProblemReason = "nul" | "lone_surrogate" | "too_long" | "too_deep" | "too_many_values";

/** `path` names the field: dot-separated keys and array positions from the root ("lines.3.note"); "" is the input itself. */
export type InputProblem = { path: string; reason: InputProblemReason };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(s: string, limits: InputLimits): InputProblemReason | null {
  if (s.length > limits.maxStringLength) return "too_long";
  if (s.includes("\u0000")) return "nul";
  if (LONE_SURROGATE.test(s)) return "lone_surrogate";
  return null;
}

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** A key as it appears in a field path: printable and short, whatever was sent. */
function keyLabel(key: string | number): string {
  if (typeof key === "number") return String(key);
  const label = key.replace(/\u0000/g, "\\0").replace(LONE_SURROGATES, "?");
  const chars = Array.from(label);
  return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : label;
}

const join = (path: string, key: string | number) => (path ? `${path}.${keyLabel(key)}` : keyLabel(key));

/** The first value of `input` the database cannot store, or that is beyond the limits; null when all is storable. */
export function findInputProblem(input: unknown, limits: InputLimits = SCREEN_INPUT_LIMITS): InputProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: "", depth: 0 }];
  let values = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (++values > limits.maxValues) return { path, reason: "too_many_values" };
    if (typeof value === "string") {
      const reason = stringProblem(value, limits);
      if (reason) return { path, reason };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (value instanceof Date || value instanceof RegExp) continue;
    if (depth >= limits.maxDepth) return { path, reason: "too_deep" };
    const entries: [string | number, unknown][] =
      Array.isArray(value) ? value.map((v, i) => [i, v])
      : value instanceof Set ? [...value].map((v, i) => [i, v])
      : value instanceof Map ? [...value].map(([k, v]) => [typeof k === "string" || typeof k === "number" ? k : String(k), v])
      : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (typeof key === "string") {
        const reason = stringProblem(key, limits);
        if (reason) return { path: join(path, key), reason };
      }
      stack.push({ value: child, path: join(path, key), depth: depth + 1 });
    }
  }
  return null;
}

/** The refusal in words for people, naming the field (or "The input" when the whole input is at fault). */
export function describeInputProblem(problem: InputProblem, limits: InputLimits = SCREEN_INPUT_LIMITS): string {
  const subject = problem.path ? `The field "${problem.path}"` : "The input";
  switch (problem.reason) {
    case "nul":
      return `${subject} contains a NUL character, which cannot be stored. Remove it and try again.`;
    case "lone_surrogate":
      return `${subject} contains a broken character (an unpaired UTF-16 surrogate), which cannot be stored. Retype it and try again.`;
    case "too_long":
      return `${subject} is longer than ${limits.maxStringLength.toLocaleString("en-US")} characters.`;
    case "too_deep":
      return `${subject} is nested more than ${limits.maxDepth} levels deep.`;
    case "too_many_values":
      return `The input has more than ${limits.maxValues.toLocaleString("en-US")} values; send less at once.`;
  }
}

/**
 * A copy of `input` the database can store, to keep a refused input for inspection: NUL and lone surrogates become
 * U+FFFD, strings beyond the limit are cut (with "…"), anything nested deeper than the limit or beyond the number of
 * values becomes a note saying so. Never used for what is applied: only what was refused is kept this way.
 */
export function storableCopy(input: unknown, limits: InputLimits = SCREEN_INPUT_LIMITS): unknown {
  const fixString = (s: string) => {
    const cut = s.length > limits.maxStringLength ? `${s.slice(0, limits.maxStringLength)}…` : s;
    return cut.replace(/\u0000/g, "\uFFFD").replace(LONE_SURROGATES, "\uFFFD");
  };
  let values = 0;
  const copyOf = (value: unknown, depth: number, into: (v: unknown) => void, stack: (() => void)[]) => {
    if (++values > limits.maxValues) return into(`[more than ${limits.maxValues} values: not kept]`);
    if (typeof value === "string") return into(fixString(value));
    if (value === null || typeof value !== "object") return into(typeof value === "number" && !Number.isFinite(value) ? null : value);
    if (depth >= limits.maxDepth) return into(`[nested deeper than ${limits.maxDepth} levels: not kept]`);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      into(out);
      value.forEach((v, i) => stack.push(() => copyOf(v, depth + 1, (c) => (out[i] = c), stack)));
      return;
    }
    const out: Record<string, unknown> = {};
    into(out);
    for (const [k, v] of Object.entries(value)) stack.push(() => copyOf(v, depth + 1, (c) => (out[fixString(k)] = c), stack));
  };
  let root: unknown = null;
  const stack: (() => void)[] = [];
  copyOf(input, 0, (v) => (root = v), stack);
  while (stack.length > 0) stack.pop()!();
  return root;
}
