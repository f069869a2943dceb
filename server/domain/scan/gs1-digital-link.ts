/**
 * GS1 Digital Link URIs: https://domain/[stem/]<primary key AI>/<value>[/<qualifier AI>/<value>...][?<AI>=<value>&...].
 * Policy (vectors/POLICY.md rule 5): lowercase http/https only; key qualifiers in the path in the order the
 * dictionary gives (e.g. 22, 10, 21 after 01); a GTIN in the path is 14 digits; duplicate AIs are invalid; query
 * attributes are validated like element strings.
 */
import { aiEntry, checkStructure, type AiPair, type Gs1Outcome, finishGs1, label } from "./gs1-element-string";
import { ScanRejection, describeChar } from "./scan-errors";

const URI_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]$/;
const BAD_DOMAIN_CHARS = /[_~?#@!$&'()*+,;=%]/;

export function looksLikeUri(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function percentDecode(raw: string, isQuery: boolean, what: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    const hex = raw.slice(i + 1, i + 3);
    if (ch === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      const code = parseInt(hex, 16);
      if (code === 0) throw new ScanRejection(`${what}: "%00" (a NUL character) is not allowed`);
      out += String.fromCharCode(code);
      i += 2;
    } else if (isQuery && ch === "+") {
      out += " ";
    } else {
      out += ch;
    }
  }
  return out;
}

/** Is `qualifiers` an ordered selection from one of the key's allowed qualifier sequences? */
function validSequence(sequences: readonly (readonly string[])[], qualifiers: string[]): boolean {
  return sequences.some((seq) => {
    let at = 0;
    for (const q of qualifiers) {
      const found = seq.indexOf(q, at);
      if (found < 0) return false;
      at = found + 1;
    }
    return true;
  });
}

function sequenceProblem(key: string, sequences: readonly (readonly string[])[], qualifiers: string[]): string {
  const path = [key, ...qualifiers].map((ai) => `(${ai})`).join("/");
  const nonEmpty = sequences.filter((s) => s.length > 0);
  if (nonEmpty.length === 0) return `GS1 Digital Link path ${path}: (${key}) takes no key qualifiers in the path`;
  const orders = nonEmpty.map((s) => s.join(", ")).join(" or ");
  const stray = qualifiers.find((q) => !nonEmpty.some((s) => s.includes(q)));
  if (stray !== undefined) {
    return `GS1 Digital Link path ${path}: (${stray}) is not a key qualifier of (${key}); the qualifiers of (${key}) are ${orders}`;
  }
  const inOne = nonEmpty.some((s) => qualifiers.every((q) => s.includes(q)));
  if (!inOne) return `GS1 Digital Link path ${path}: key qualifiers from different sequences cannot be mixed (${orders})`;
  if (new Set(qualifiers).size !== qualifiers.length) return `GS1 Digital Link path ${path}: a key qualifier is repeated`;
  return `GS1 Digital Link path ${path}: key qualifiers out of order; after (${key}) the order is ${orders}`;
}

export function parseDigitalLink(uri: string, today: Date): Gs1Outcome {
  const scheme = /^([A-Za-z]+):\/\//.exec(uri)?.[1] ?? "";
  if (scheme !== "http" && scheme !== "https") {
    throw new ScanRejection(
      `GS1 Digital Link URI scheme "${scheme}" is not accepted: it must be lowercase "https://" or "http://" (mixed or upper case is refused)`,
    );
  }
  for (let i = 0; i < uri.length; i++) {
    const ch = uri.charAt(i);
    if (!URI_CHARS.test(ch)) throw new ScanRejection(`GS1 Digital Link URI: ${describeChar(ch)} (position ${i + 1}) is not allowed in a URI`);
  }
  const afterScheme = uri.slice(scheme.length + 3);
  const slash = afterScheme.indexOf("/");
  if (slash <= 0) throw new ScanRejection("GS1 Digital Link URI has no domain or no path");
  const domain = afterScheme.slice(0, slash);
  if (BAD_DOMAIN_CHARS.test(domain)) throw new ScanRejection(`GS1 Digital Link URI domain "${domain}" contains characters not allowed in a domain`);

  let rest = afterScheme.slice(slash);
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  const pathInfo = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q + 1) : "";

  if (pathInfo.endsWith("/")) throw new ScanRejection("GS1 Digital Link path must not end with '/'");
  const segments = pathInfo.split("/").slice(1);
  // Walk back from the end over /AI/value pairs until a primary key is found (anything before it is the stem).
  let root = -1;
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const entry = aiEntry(segments[i] ?? "");
    if (!entry) break;
    if (entry.dlPrimaryKey) {
      root = i;
      break;
    }
  }
  if (root < 0) {
    // Name the broken pair when a primary key is there but what follows it is not /AI/value pairs.
    const keyAt = segments.findLastIndex((seg) => aiEntry(seg)?.dlPrimaryKey);
    for (let i = keyAt; keyAt >= 0 && i < segments.length; i += 2) {
      const entry = aiEntry(segments[i] ?? "");
      if (!entry) {
        throw new ScanRejection(`GS1 Digital Link path: "${segments[i] ?? ""}" after (${segments[keyAt] ?? ""}) is not a GS1 Application Identifier`);
      }
      if (i + 1 >= segments.length) throw new ScanRejection(`GS1 Digital Link path: ${label(entry)} has no value`);
    }
    throw new ScanRejection("GS1 Digital Link URI: no primary key (such as /01/<GTIN> or /00/<SSCC>) found in the path");
  }

  const pathPairs: AiPair[] = [];
  for (let i = root; i < segments.length; i += 2) {
    const ai = segments[i] ?? "";
    const entry = aiEntry(ai);
    if (!entry) throw new ScanRejection(`GS1 Digital Link path: (${ai}) is not a GS1 Application Identifier`);
    const raw = segments[i + 1] ?? "";
    if (raw === "") throw new ScanRejection(`GS1 Digital Link path: ${label(entry)} has no value`);
    const value = percentDecode(raw, false, label(entry));
    const hint = ai === "01" ? " (in a Digital Link path a GTIN is written with 14 digits; pad 8, 12 and 13-digit GTINs with leading zeros)" : "";
    checkStructure(entry, value, { length: hint });
    pathPairs.push({ ai, value, entry });
  }

  const queryPairs: AiPair[] = [];
  for (const param of query.split("&")) {
    if (param === "") continue;
    const eq = param.indexOf("=");
    if (eq < 0) continue; // a parameter without a value is not AI data
    const key = param.slice(0, eq);
    if (!/^\d+$/.test(key)) continue; // non-AI parameters are ignored
    const entry = aiEntry(key);
    if (!entry) throw new ScanRejection(`GS1 Digital Link query: "${key}" is not a GS1 Application Identifier`);
    const raw = param.slice(eq + 1);
    if (raw === "") throw new ScanRejection(`GS1 Digital Link query: ${label(entry)} has no value`);
    let value = percentDecode(raw, true, label(entry));
    if (key === "01" && [8, 12, 13].includes(value.length)) value = value.padStart(14, "0");
    checkStructure(entry, value, { characters: raw.includes("+") ? ' ("+" in a query string stands for a space)' : "" });
    queryPairs.push({ ai: key, value, entry });
  }

  const [keyPair, ...qualifierPairs] = pathPairs;
  if (!keyPair?.entry.dlPrimaryKey) throw new ScanRejection("GS1 Digital Link URI: no primary key found in the path");
  const sequences = keyPair.entry.dlPrimaryKey;
  const qualifiers = qualifierPairs.map((p) => p.ai);
  if (!validSequence(sequences, qualifiers)) throw new ScanRejection(sequenceProblem(keyPair.ai, sequences, qualifiers));

  const seen = new Set(pathPairs.map((p) => p.ai));
  for (const p of queryPairs) {
    if (seen.has(p.ai)) throw new ScanRejection(`GS1 Digital Link URI: ${label(p.entry)} appears more than once`);
    seen.add(p.ai);
    if (!p.entry.dlDataAttribute) {
      throw new ScanRejection(`GS1 Digital Link query: ${label(p.entry)} is not permitted as a data attribute`);
    }
    for (let at = 0; at <= qualifiers.length; at++) {
      const trial = [...qualifiers.slice(0, at), p.ai, ...qualifiers.slice(at)];
      if (validSequence(sequences, trial)) {
        throw new ScanRejection(
          `GS1 Digital Link URI: ${label(p.entry)} is a key qualifier of (${keyPair.ai}) and must be in the path, not the query string`,
        );
      }
    }
  }
  return finishGs1([...pathPairs, ...queryPairs], today);
}
