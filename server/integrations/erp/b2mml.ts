import { createHash } from "node:crypto";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Envelope, FieldError, MessageType } from "./messages";
import { canonicalJson } from "@/server/domain/canonical-json/canonical-json";
import { stockStatusOfB2mml, type StockStatus } from "@/server/domain/erp/stock-status";

/**
 * ISA-95 / B2MML V0700 (MESA International) -> the inbound ERP envelopes of ./messages.ts.
 *
 * A B2MML document becomes the same envelopes the JSON endpoint takes, so it goes through exactly the same
 * validation, deduplication, versioning and apply path (receiveErpMessages). This module only maps: it has no
 * database and reads no clock (the receipt time is passed in). The mapping table is in docs/erp-interface.md
 * under "B2MML"; the rules are repeated next to the code that implements them.
 *
 * An element that cannot be mapped yields one error per problem (element path + reason, with its line) and no
 * envelope at all for that element (a part is never sent without its BOM half, or an order without its serials).
 *
 * The Business To Manufacturing Markup Language (B2MML) is used courtesy of MESA International.
 */

export const B2MML_NAMESPACE = "http://www.mesa.org/xml/B2MML";
const XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

/**
 * `language`: the language descriptions are taken in (a `Description` whose `languageID` matches it, by primary
 * subtag: "en" matches "en-US"; else one without `languageID`; else the first). `schemaIssues`: the document's XSD
 * validation errors (b2mml-validator.ts): an element with one maps to nothing, with the rule as its error.
 */
export type B2mmlMeta = { source: string; plant?: string; receivedAt: Date; language?: string; schemaIssues?: SchemaIssueAt[] };
/** Where a version came from (said in the answer): the element's Version, else its change stamp, else the receipt. */
export type VersionFrom = "Version" | "PublishedDate" | "CreationDateTime" | "receipt";
/** An element that could not be mapped: its path and why; schema errors add the line, column, element and rule. */
export type B2mmlError = FieldError & { line?: number; column?: number; element?: string; rule?: string };
export type B2mmlResult = { envelopes: Envelope[]; versionFrom: VersionFrom[]; errors: B2mmlError[] };
/** An XSD validation error as libxml2 reports it: the message, the line, and the element's position path (/*\/*[2]/*). */
export type SchemaIssueAt = { message: string; line: number; xpath: string | null };
export type XmlSyntaxError = { line: number; column: number; message: string };

/** BOD verbs whose DataArea carries data to mirror. Get/Acknowledge/Respond are conversations; Cancel deletes. */
const DATA_VERBS = ["Sync", "Process", "Show", "Change"] as const;
const OTHER_VERBS = ["Get", "Acknowledge", "Respond", "Cancel"] as const;
/** Nouns this interface maps (bare, or inside a BOD of a data verb). */
const NOUNS = [
  "MaterialInformation",
  "MaterialDefinition",
  "MaterialLot",
  "OperationsDefinitionInformation",
  "OperationsDefinition",
  "OperationsSchedule",
  "OperationsRequest",
] as const;
type Noun = (typeof NOUNS)[number];
/** Nouns that are valid B2MML but carry nothing Traceline mirrors, with the reason given to the sender. */
const NOT_MIRRORED: Record<string, string> = {
  MaterialClass: "Traceline does not mirror material classes; send MaterialDefinition elements.",
  MaterialSubLot: "A MaterialSubLot alone does not name its part; send it inside its MaterialLot.",
  TestSpecification: "Traceline does not mirror test specifications.",
  OperationsSegment: "An OperationsSegment outside an OperationsDefinition is not mapped; put it inside the OperationsDefinition it belongs to.",
  OperationsMaterialBill: "Operations material bills are not mapped; send the BOM as AssemblyDefinition elements of the parent MaterialDefinition.",
};

// ---------------------------------------------------------------------------------------------------------------
// XML reading: well-formedness with line/column, namespaces, element paths
// ---------------------------------------------------------------------------------------------------------------

type XNode = {
  local: string;
  ns: string | null;
  /** Attributes by expanded name: "{namespace}local" or "local"; namespace declarations are left out. */
  attrs: Map<string, string>;
  children: XNode[];
  /** The element's own character data (text and CDATA), entities decoded, not trimmed. */
  text: string;
  nil: boolean;
  path: string;
  line: number;
  column: number;
  parent: XNode | null;
};

type Parsed = { ok: true; root: XNode } | { ok: false; error: XmlSyntaxError };

const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;

function decode(text: string): string {
  return text.replace(REFERENCE, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) =>
    name ? PREDEFINED[name]! : String.fromCodePoint(Number.parseInt(hex ?? dec!, hex ? 16 : 10)),
  );
}

function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

/**
 * What the validator does not check: no DOCTYPE (no entity expansion from the document itself, B2MML has none),
 * and every `&` starts one of the five predefined entities or a character reference. Comments, CDATA and
 * processing instructions are skipped while scanning.
 */
function lexicalCheck(xml: string, at: (offset: number) => { line: number; column: number }): XmlSyntaxError | null {
  const fail = (offset: number, message: string): XmlSyntaxError => ({ ...at(offset), message });
  let i = 0;
  while (i < xml.length) {
    const c = xml[i];
    if (c === "<") {
      for (const [open, close] of [["<!--", "-->"], ["<![CDATA[", "]]>"], ["<?", "?>"]] as const) {
        if (xml.startsWith(open, i)) {
          const end = xml.indexOf(close, i + open.length);
          if (end < 0) return fail(i, `Unterminated ${open === "<?" ? "processing instruction" : open === "<!--" ? "comment" : "CDATA section"}.`);
          i = end + close.length;
          break;
        }
      }
      if (xml[i] !== "<") continue;
      if (/^<!DOCTYPE/i.test(xml.slice(i, i + 9))) return fail(i, "DOCTYPE declarations are not accepted (a B2MML document has none).");
    } else if (c === "&") {
      REFERENCE.lastIndex = i;
      const m = REFERENCE.exec(xml);
      if (!m || m.index !== i) return fail(i, "An '&' must start an entity (&amp; &lt; &gt; &quot; &apos;) or a character reference; escape a literal ampersand as &amp;.");
      const code = m[1] ? Number.parseInt(m[1], 16) : m[2] ? Number.parseInt(m[2], 10) : 0x20;
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return fail(i, `Character reference ${m[0]} is not a valid XML character.`);
    }
    i++;
  }
  return null;
}

/** The first well-formedness problem of a document (line and column are 1-based), or null when it is well formed. */
export function findXmlSyntaxError(xml: string): XmlSyntaxError | null {
  const r = parseXml(xml);
  return r.ok ? null : r.error;
}

type RawEntry = Record<string | symbol, unknown> & { ":@"?: Record<string, string> };
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  captureMetaData: true,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: "#cdata",
  commentPropName: false,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

function tagOf(entry: RawEntry): string | undefined {
  return Object.keys(entry).find((k) => k !== ":@");
}

function parseXml(input: string): Parsed {
  const xml = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const at = lineIndex(xml);
  const fail = (offset: number, message: string): Parsed => ({ ok: false, error: { ...at(offset), message } });
  if (!xml.trim()) return { ok: false, error: { line: 1, column: 1, message: "The body is empty: expected a B2MML XML document." } };
  // The body is read as UTF-8 (as xmllint and the XSD tooling do): a document declaring another encoding is refused.
  const declared = /^\s*<\?xml[^?]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(xml);
  if (declared && !/^(utf-8|utf8|us-ascii)$/i.test(declared[1]!)) return fail(declared.index + declared[0].lastIndexOf(declared[1]!), `The document declares encoding ${declared[1]}; send it as UTF-8.`);
  const lexical = lexicalCheck(xml, at);
  if (lexical) return { ok: false, error: lexical };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, error: { line: valid.err.line || 1, column: valid.err.col || 1, message: valid.err.msg } };

  let entries: RawEntry[];
  try {
    entries = parser.parse(xml) as RawEntry[];
  } catch (e) {
    return { ok: false, error: { line: 1, column: 1, message: e instanceof Error ? e.message : String(e) } };
  }
  const elements = entries.filter((e) => {
    const tag = tagOf(e);
    return tag !== undefined && !tag.startsWith("?") && !tag.startsWith("#");
  });
  // The validator has already refused a second root and text after the root; this only guards the parser's output.
  if (elements.length !== 1) return fail(0, "A document has exactly one root element.");
  const rootEntry = elements[0]!;

  try {
    return { ok: true, root: buildNode(rootEntry, new Map([["xml", "http://www.w3.org/XML/1998/namespace"]]), "", 0, at) };
  } catch (e) {
    if (e instanceof NamespaceError) return fail(e.offset, e.message);
    throw e;
  }
}

class NamespaceError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function startOf(entry: RawEntry): number | undefined {
  return (entry[META] as { startIndex?: number } | undefined)?.startIndex;
}

function splitName(qname: string): [string | null, string] {
  const i = qname.indexOf(":");
  return i < 0 ? [null, qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

/** `index` is the element's position among same-named siblings, or 0 when it has none (then the path has no [n]). */
function buildNode(entry: RawEntry, inherited: Map<string, string>, parentPath: string, index: number, at: (offset: number) => { line: number; column: number }): XNode {
  const qname = tagOf(entry)!;
  const offset = startOf(entry) ?? 0;
  const rawAttrs = entry[":@"] ?? {};
  const scope = new Map(inherited);
  for (const [name, value] of Object.entries(rawAttrs)) {
    if (name === "xmlns") scope.set("", decode(value));
    else if (name.startsWith("xmlns:")) scope.set(name.slice(6), decode(value));
  }
  const [prefix, local] = splitName(qname);
  const ns = prefix === null ? scope.get("") || null : scope.get(prefix);
  if (ns === undefined) throw new NamespaceError(`Namespace prefix "${prefix}" of element <${qname}> is not declared.`, offset);
  const attrs = new Map<string, string>();
  for (const [name, value] of Object.entries(rawAttrs)) {
    if (name === "xmlns" || name.startsWith("xmlns:")) continue;
    const [aPrefix, aLocal] = splitName(name);
    if (aPrefix === null) attrs.set(aLocal, decode(value));
    else {
      const aNs = scope.get(aPrefix);
      if (aNs === undefined) throw new NamespaceError(`Namespace prefix "${aPrefix}" of attribute ${name} is not declared.`, offset);
      attrs.set(`{${aNs}}${aLocal}`, decode(value));
    }
  }
  const nilAttr = attrs.get(`{${XSI_NAMESPACE}}nil`);
  const node: XNode = {
    local,
    ns,
    attrs,
    children: [],
    text: "",
    nil: nilAttr === "true" || nilAttr === "1",
    path: `${parentPath}/${local}${index > 0 ? `[${index}]` : ""}`,
    line: at(offset).line,
    column: at(offset).column,
    parent: null,
  };
  const content = (entry[qname] as RawEntry[] | undefined) ?? [];
  const siblingsByName = new Map<string, number>();
  for (const child of content) {
    const tag = tagOf(child);
    if (tag && !tag.startsWith("#") && !tag.startsWith("?")) {
      const l = splitName(tag)[1];
      siblingsByName.set(l, (siblingsByName.get(l) ?? 0) + 1);
    }
  }
  const seen = new Map<string, number>();
  const texts: string[] = [];
  for (const child of content) {
    const tag = tagOf(child);
    if (tag === undefined || tag.startsWith("?")) continue;
    if (tag === "#text") texts.push(decode(String(child[tag])));
    else if (tag === "#cdata") texts.push(((child[tag] as RawEntry[]) ?? []).map((t) => String(t["#text"] ?? "")).join(""));
    else {
      const l = splitName(tag)[1];
      const n = (seen.get(l) ?? 0) + 1;
      seen.set(l, n);
      // Paths index repeated siblings from 1 (XPath style); an element without same-named siblings has no index.
      const childNode = buildNode(child, scope, node.path, (siblingsByName.get(l) ?? 0) > 1 ? n : 0, at);
      childNode.parent = node;
      node.children.push(childNode);
    }
  }
  node.text = texts.join("");
  return node;
}

/** Canonical form of an element (namespace-resolved names, sorted attributes, trimmed text): prefixes and layout do not matter. */
function canonical(n: XNode): string {
  const attrs = [...n.attrs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([`{${n.ns ?? ""}}${n.local}`, attrs, n.text.trim(), n.children.map(canonical)]);
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

// ---------------------------------------------------------------------------------------------------------------
// Reading B2MML content
// ---------------------------------------------------------------------------------------------------------------

const isB2mml = (n: XNode) => n.ns === B2MML_NAMESPACE;
const els = (n: XNode, local: string) => n.children.filter((c) => isB2mml(c) && c.local === local);
const el = (n: XNode, local: string): XNode | undefined => els(n, local)[0];
/** Trimmed text, or null for an absent, nil or empty element. */
const str = (n: XNode | undefined): string | null => (n && !n.nil ? n.text.trim() || null : null);
const textOf = (n: XNode, local: string) => str(el(n, local));

class Issues {
  readonly list: B2mmlError[] = [];
  add(at: XNode, reason: string, extra: Omit<B2mmlError, "field" | "reason"> = {}): undefined {
    const issue = { field: at.path, reason: `${reason} (line ${at.line})`, ...extra };
    if (!this.list.some((i) => i.field === issue.field && i.reason === issue.reason)) this.list.push(issue);
    return undefined;
  }
}

/** A required child element's text, or an error naming the element that is missing. */
function required(n: XNode, local: string, issues: Issues, what: string): string | undefined {
  const v = textOf(n, local);
  if (v === null) return issues.add(n, `${local} is required: ${what}.`);
  return v;
}

/** A property: ID + Value elements (B2MML ValueType) + child properties. */
type Prop = { id: string; node: XNode; values: XNode[]; children: Prop[] };

function readProps(n: XNode, element: string, childElement: string): Prop[] {
  return els(n, element).map((p) => ({ id: textOf(p, "ID") ?? "", node: p, values: els(p, "Value"), children: readProps(p, childElement, childElement) }));
}

type PropValue = { text: string | null; uom: string | null; at: XNode };

/**
 * Property lookup by ID (case-insensitive). Lookups answer null when the property is absent and false when it is
 * present but wrong (the problem is already reported), so a caller never reports the same property twice.
 */
class Props {
  constructor(
    readonly all: Prop[],
    private readonly issues: Issues,
  ) {}
  many(id: string): Prop[] {
    return this.all.filter((p) => p.id.toLowerCase() === id.toLowerCase());
  }
  one(id: string): Prop | null | false {
    const found = this.many(id);
    if (found.length > 1) return this.issues.add(found[1]!.node, `Property ${id} appears more than once.`) ?? false;
    return found[0] ?? null;
  }
  /** The single Value of a property; text is null when its ValueString is nil or empty. */
  value(id: string): PropValue | null | false {
    const p = this.one(id);
    if (!p) return p;
    if (p.values.length !== 1) return this.issues.add(p.node, `Property ${id} must have exactly one Value (it has ${p.values.length}).`) ?? false;
    const v = p.values[0]!;
    const vs = el(v, "ValueString");
    return { text: str(vs), uom: textOf(v, "UnitOfMeasure"), at: vs ?? v };
  }
  /** A required text value: reported at `owner` when absent. */
  text(id: string, owner: XNode, what: string): string | undefined {
    const v = this.value(id);
    if (v === false) return undefined;
    if (v === null) return this.issues.add(owner, `Property ${id} is required: ${what}.`);
    if (v.text === null) return this.issues.add(v.at, `Property ${id} has no value: ${what}.`);
    return v.text;
  }
  optionalText(id: string): string | undefined {
    const v = this.value(id);
    return v ? (v.text ?? undefined) : undefined;
  }
  /** An optional whole number; absent -> undefined. */
  wholeNumber(id: string, min: number): number | undefined {
    const v = this.value(id);
    if (!v) return undefined;
    if (v.text === null) return this.issues.add(v.at, `Property ${id} has no value.`);
    return wholeNumber(v.text, v.at, this.issues, `Property ${id}`, min);
  }
}

const WHOLE = /^\+?\d{1,9}$/;

function wholeNumber(text: string, at: XNode, issues: Issues, what: string, min: number): number | undefined {
  if (!WHOLE.test(text) || Number(text) < min) return issues.add(at, `${what} must be a whole number${min > 0 ? ` of at least ${min}` : ""} (got "${text}").`);
  return Number(text);
}

type Version = { version: number; from: VersionFrom };

/**
 * The version of an element (docs/erp-interface.md, "Versions without <Version>"): its `Version`, a whole number >= 1
 * (leading zeros allowed); without one, its change stamp as milliseconds since 1970 (newer wins): the element's (or its
 * container's) `PublishedDate`, else the BOD's `ApplicationArea/CreationDateTime`; without any, the time of receipt.
 */
function versionOf(n: XNode, issues: Issues, doc: Doc, receivedAt: Date, fallback?: XNode): Version | undefined {
  const v = el(n, "Version") ?? (fallback ? el(fallback, "Version") : undefined);
  const text = str(v);
  if (v && text !== null) {
    if (!WHOLE.test(text) || Number(text) < 1) return issues.add(v, `Version must be a whole number of at least 1 (got "${text}"); Traceline applies a newer version over an older one.`);
    return { version: Number(text), from: "Version" };
  }
  const published = [n, ...(fallback ? [fallback] : [])].map((x) => el(x, "PublishedDate")).find((x) => str(x) !== null);
  if (published) {
    const at = instant(str(published)!, true);
    if (at === null) return issues.add(published, `PublishedDate must be an xsd:dateTime (got "${str(published)}").`);
    return { version: Date.parse(at), from: "PublishedDate" };
  }
  if (doc.created) return { version: Date.parse(doc.created), from: "CreationDateTime" };
  return { version: receivedAt.getTime(), from: "receipt" };
}

/** The description in the wanted language: a matching languageID (primary subtag), else one without, else the first. */
function describedIn(n: XNode, language: string): string | undefined {
  const all = els(n, "Description").filter((d) => str(d) !== null);
  const lang = (d: XNode) => (d.attrs.get("languageID") ?? "").trim().toLowerCase();
  const want = language.trim().toLowerCase();
  const primary = want.split("-")[0]!;
  const chosen =
    all.find((d) => lang(d) === want) ??
    all.find((d) => lang(d).split("-")[0] === primary) ??
    all.find((d) => lang(d) === "") ??
    all[0];
  return chosen ? str(chosen)! : undefined;
}

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** An xsd:dateTime as an ISO instant; without a zone offset only when `assumeUtc` (informational times). */
function instant(text: string, assumeUtc: boolean): string | null {
  const m = DATE_TIME.exec(text);
  if (!m || (!m[8] && !assumeUtc)) return null;
  const d = new Date(m[8] ? text : `${text}Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A business date-time value: an xsd:dateTime with its zone offset, passed on as written (ISO 8601). */
function zonedDateTime(text: string, at: XNode, issues: Issues, what: string): string | undefined {
  if (instant(text, false) === null) return issues.add(at, `${what} must be a date and time with its zone offset, e.g. 2027-06-30T23:59:59-05:00 (got "${text}").`);
  return text;
}

/** The calendar date of an xsd:dateTime as written by the sender (its own local date), YYYY-MM-DD. */
function calendarDate(n: XNode | undefined, issues: Issues, what: string): string | undefined {
  const text = str(n);
  if (!n || text === null) return undefined;
  const m = DATE_TIME.exec(text);
  if (!m || instant(text, true) === null) return issues.add(n, `${what} must be an xsd:dateTime such as 2026-12-10T17:00:00-06:00 (got "${text}").`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function siteIn(scope: XNode | undefined): string | null {
  if (!scope) return null;
  const level = textOf(scope, "EquipmentLevel") ?? textOf(scope, "EquipmentElementLevel");
  if (level === "Site") return textOf(scope, "EquipmentID");
  return siteIn(el(scope, "HierarchyScopeChild"));
}

// ---------------------------------------------------------------------------------------------------------------
// The document: roots, BODs, units to map
// ---------------------------------------------------------------------------------------------------------------

type UnitKind = "material_definition" | "material_lot" | "operations_definition" | "operations_request";
type Unit = { kind: UnitKind; node: XNode; containers: XNode[]; index: number };
type Doc = { verb: string | null; bodId: string | null; created: string | null; units: Unit[]; receivedAt: Date; language: string };

function collectUnits(noun: Noun, node: XNode, containers: XNode[], out: Omit<Unit, "index">[], issues: Issues): void {
  const refuse = (children: XNode[]) => {
    for (const c of children) if (isB2mml(c) && NOT_MIRRORED[c.local]) issues.add(c, NOT_MIRRORED[c.local]!);
  };
  switch (noun) {
    case "MaterialInformation":
      for (const c of node.children.filter(isB2mml)) {
        if (c.local === "MaterialDefinition") out.push({ kind: "material_definition", node: c, containers: [node, ...containers] });
        else if (c.local === "MaterialLot") out.push({ kind: "material_lot", node: c, containers: [node, ...containers] });
      }
      refuse(node.children);
      return;
    case "MaterialDefinition":
      out.push({ kind: "material_definition", node, containers });
      return;
    case "MaterialLot":
      out.push({ kind: "material_lot", node, containers });
      return;
    case "OperationsDefinitionInformation":
      for (const c of els(node, "OperationsDefinition")) out.push({ kind: "operations_definition", node: c, containers: [node, ...containers] });
      refuse(node.children);
      return;
    case "OperationsDefinition":
      out.push({ kind: "operations_definition", node, containers });
      return;
    case "OperationsSchedule":
      for (const c of els(node, "OperationsRequest")) out.push({ kind: "operations_request", node: c, containers: [node, ...containers] });
      return;
    case "OperationsRequest":
      out.push({ kind: "operations_request", node, containers });
      return;
  }
}

function readDocument(root: XNode, issues: Issues, meta: B2mmlMeta): Doc {
  const doc: Doc = { verb: null, bodId: null, created: null, units: [], receivedAt: meta.receivedAt, language: meta.language ?? "en" };
  if (!isB2mml(root)) {
    issues.add(root, `The root element <${root.local}> is ${root.ns ? `in namespace ${root.ns}` : "in no namespace"}; a B2MML document's elements are in ${B2MML_NAMESPACE}.`);
    return doc;
  }
  const found: Omit<Unit, "index">[] = [];
  const bare = NOUNS.find((n) => n === root.local);
  if (bare) {
    collectUnits(bare, root, [], found, issues);
  } else {
    const verb = [...DATA_VERBS, ...OTHER_VERBS].find((v) => root.local.startsWith(v) && root.local.length > v.length);
    const noun = verb ? root.local.slice(verb.length) : root.local;
    if (verb && (OTHER_VERBS as readonly string[]).includes(verb)) {
      issues.add(
        root,
        verb === "Cancel"
          ? `${root.local} is not accepted: the ERP mirror does not delete objects (close an order with RequestState Closed; mark a revision obsolete).`
          : `${root.local} is not accepted on this endpoint: send Sync, Process, Show or Change ${noun}.`,
      );
      return doc;
    }
    if (!verb || !(NOUNS as readonly string[]).includes(noun)) {
      issues.add(root, NOT_MIRRORED[noun] ?? `<${root.local}> is not a B2MML document this interface maps. Expected ${NOUNS.join(", ")}, or one of them in a ${DATA_VERBS.join("/")} BOD.`);
      return doc;
    }
    doc.verb = verb;
    const app = el(root, "ApplicationArea");
    doc.bodId = app ? textOf(app, "BODID") : null;
    const created = app ? el(app, "CreationDateTime") : undefined;
    doc.created = str(created) ? instant(str(created)!, true) : null;
    const data = el(root, "DataArea");
    if (!data) {
      issues.add(root, `${root.local} has no DataArea.`);
      return doc;
    }
    for (const c of els(data, noun)) collectUnits(noun as Noun, c, [], found, issues);
  }
  if (found.length === 0 && issues.list.length === 0) issues.add(root, "The document holds nothing this interface maps (no MaterialDefinition, MaterialLot, OperationsDefinition or OperationsRequest).");
  doc.units = found.map((u, i) => ({ ...u, index: i + 1 }));
  return doc;
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping each kind of element
// ---------------------------------------------------------------------------------------------------------------

/** `identity`: the content a message id is hashed from when the document has no BODID (default: the element). */
type Draft = { type: MessageType; key: string | null; version: Version; payload: Record<string, unknown>; suffix: string; identity?: XNode };
type Context = { unit: Unit; doc: Doc; issues: Issues };

/** MaterialDefinition -> part (+ bom when it carries AssemblyDefinition elements). */
function mapMaterialDefinition({ unit, doc, issues }: Context): Draft[] {
  const n = unit.node;
  const partNumber = required(n, "ID", issues, "the part number");
  const version = versionOf(n, issues, doc, doc.receivedAt);
  const description = describedIn(n, doc.language);
  if (description === undefined) issues.add(n, "Description is required: the part's description.");
  const props = new Props(readProps(n, "MaterialDefinitionProperty", "MaterialDefinitionPropertyChild"), issues);

  const uom = props.text("UnitOfMeasure", n, "the part's unit of measure (e.g. EA)");
  const trackingText = props.text("TrackingType", n, "serial, lot or untracked");
  const tracking = trackingText?.toLowerCase() === "none" ? "untracked" : trackingText?.toLowerCase();
  const days = (id: string, min: number, unitNames: RegExp, unitWord: string): number | null | undefined => {
    const v = props.value(id);
    if (!v) return undefined;
    if (v.text === null) return null; // nil or empty: clears the value
    if (v.uom && !unitNames.test(v.uom)) return issues.add(v.at, `Property ${id} is counted in ${unitWord} (got unit "${v.uom}").`);
    return wholeNumber(v.text, v.at, issues, `Property ${id}`, min);
  };
  const shelfLifeDays = days("ShelfLifeDays", 1, /^(d|day|days|dy)$/i, "days");
  const minRemainingShelfLifeDays = days("MinRemainingShelfLifeDays", 0, /^(d|day|days|dy)$/i, "days");
  const outTimeMinutes = days("OutTimeMinutes", 1, /^(min|mins|minute|minutes)$/i, "minutes");

  const revisions: { revision: string; status: string }[] = [];
  for (const p of props.many("Revision")) {
    const statusProp = p.children.find((c) => c.id.toLowerCase() === "status");
    const status = statusProp ? str(el(statusProp.values[0] ?? statusProp.node, "ValueString"))?.toLowerCase() : "released";
    if (statusProp && status !== "released" && status !== "obsolete") issues.add(statusProp.node, `A revision's Status is released or obsolete (got "${status ?? ""}").`);
    if (p.values.length === 0) issues.add(p.node, "Property Revision has no Value: give one Value per revision.");
    for (const v of p.values) {
      const r = str(el(v, "ValueString"));
      if (r === null) issues.add(v, "A Revision Value is empty.");
      else revisions.push({ revision: r, status: status ?? "released" });
    }
  }
  if (revisions.length === 0 && props.many("Revision").length === 0) issues.add(n, "Property Revision is required: at least one revision of the part (one Value per revision).");

  const part: Record<string, unknown> = {
    partNumber,
    description,
    uom,
    tracking,
    ...(shelfLifeDays !== undefined ? { shelfLifeDays } : {}),
    ...(minRemainingShelfLifeDays !== undefined ? { minRemainingShelfLifeDays } : {}),
    ...(outTimeMinutes !== undefined ? { outTimeMinutes } : {}),
    revisions,
  };
  if (!version) return [];
  const drafts: Draft[] = [{ type: "part", key: partNumber ?? null, version, payload: part, suffix: "part" }];

  const assemblies = els(n, "AssemblyDefinition");
  if (assemblies.length > 0) {
    // The BOM belongs to one parent revision: BOMRevision, else the only released revision listed.
    const bomRevision = props.optionalText("BOMRevision");
    const released = revisions.filter((r) => r.status === "released");
    const parentRevision = bomRevision ?? (released.length === 1 ? released[0]!.revision : undefined);
    if (!parentRevision) issues.add(n, "The AssemblyDefinition elements are a BOM of one revision: add property BOMRevision (the part lists several or no released revisions).");
    const lines = assemblies.map((a, i) => mapBomLine(a, i, issues));
    drafts.push({ type: "bom", key: partNumber && parentRevision ? `${partNumber}/${parentRevision}` : null, version, payload: { partNumber, revision: parentRevision, lines }, suffix: "bom" });
  }
  return drafts;
}

function mapBomLine(a: XNode, i: number, issues: Issues): Record<string, unknown> {
  const props = new Props(readProps(a, "MaterialDefinitionProperty", "MaterialDefinitionPropertyChild"), issues);
  if (els(a, "AssemblyDefinition").length > 0) issues.add(el(a, "AssemblyDefinition")!, "A BOM line cannot hold its own AssemblyDefinition: send the sub-assembly's BOM as its own MaterialDefinition.");
  const partNumber = required(a, "ID", issues, "the component part number");
  const revision = props.text("Revision", a, "the component revision");
  const quantity = props.text("Quantity", a, "the quantity per assembly, as a decimal");
  // FindNumber defaults to the line's position among the AssemblyDefinition elements.
  const findNumber = props.value("FindNumber") === null ? i + 1 : props.wholeNumber("FindNumber", 1);
  const operationSeq = props.value("OperationSequence") === null ? issues.add(a, "Property OperationSequence is required: the routing operation at which the component is consumed.") : props.wholeNumber("OperationSequence", 1);
  const bf = props.value("Backflush");
  let backflush = false;
  if (bf && bf.text !== null) {
    if (!/^(true|false|1|0)$/i.test(bf.text)) issues.add(bf.at, `Backflush is true or false (got "${bf.text}").`);
    backflush = /^(true|1)$/i.test(bf.text);
  }
  const serialFrom = props.optionalText("SerialFrom");
  const serialTo = props.optionalText("SerialTo");
  const effectiveFrom = calendarDate(el(a, "EffectiveStartDate"), issues, "EffectiveStartDate");
  const effectiveTo = calendarDate(el(a, "EffectiveEndDate"), issues, "EffectiveEndDate");
  return {
    findNumber,
    partNumber,
    revision,
    quantity,
    operationSeq,
    ...(serialFrom !== undefined ? { serialFrom } : {}),
    ...(serialTo !== undefined ? { serialTo } : {}),
    ...(effectiveFrom !== undefined ? { effectiveFrom } : {}),
    ...(effectiveTo !== undefined ? { effectiveTo } : {}),
    backflush,
  };
}

/** The location code of a StorageLocation: its Location, or the innermost LocationChild's. */
function locationCode(loc: XNode | undefined): string | null {
  if (!loc) return null;
  const child = el(loc, "LocationChild");
  return (child && locationCode(child)) || textOf(loc, "Location");
}

function singleQuantity(n: XNode, issues: Issues): { text: string; uom: string | null; at: XNode } | undefined | null {
  const quantities = els(n, "Quantity");
  if (quantities.length === 0) return null;
  if (quantities.length > 1) return issues.add(quantities[1]!, "Give one Quantity (in the part's unit of measure).");
  const q = quantities[0]!;
  const text = textOf(q, "QuantityString");
  if (text === null) return issues.add(q, "Quantity has no QuantityString.");
  return { text, uom: textOf(q, "UnitOfMeasure"), at: el(q, "QuantityString")! };
}

/** MaterialLot -> material_issue: one issue of the lot, or one per MaterialSubLot (serial numbers). */
function mapMaterialLot({ unit, doc, issues }: Context): Draft[] {
  const n = unit.node;
  const lotId = required(n, "ID", issues, "the lot number");
  const partNumber = required(n, "MaterialDefinitionID", issues, "the part number");
  const version = versionOf(n, issues, doc, doc.receivedAt);
  const lotProps = readProps(n, "MaterialLotProperty", "MaterialLotPropertyChild");
  if (!version) return [];
  // The goods issue's business key: ERP's material document (and item) when given, else the lot (and sub-lot) ID.
  const lotLevel = new Props(lotProps, issues);
  const materialDocument = lotLevel.optionalText("MaterialDocument");
  const documentItem = lotLevel.optionalText("MaterialDocumentItem");
  const issueKey = (subLot?: string) => (materialDocument ? [materialDocument, documentItem, subLot].filter(Boolean).join("/") : [lotId, subLot].filter(Boolean).join("/"));

  const issue = (props: Props, at: XNode, quantity: string | undefined, location: string | null, ids: { lotNumber?: string; serialNumber?: string }, uom?: string | null) => {
    const trackingValue = props.value("TrackingType");
    const tracking = trackingValue ? trackingValue.text?.toLowerCase() : undefined;
    if (trackingValue && tracking !== "untracked" && tracking !== "none") {
      issues.add(trackingValue.at, `On a MaterialLot, TrackingType is only given for untracked material (got "${tracking ?? ""}"); lot and serial tracking follow from the element.`);
    }
    if (!location) issues.add(at, "StorageLocation/Location is required: the stores or quarantine location the material is issued to.");
    const dt = (id: string) => {
      const v = props.value(id);
      if (!v || v.text === null) return undefined;
      return zonedDateTime(v.text, v.at, issues, `Property ${id}`);
    };
    const untracked = tracking === "untracked" || tracking === "none";
    const supplier = props.optionalText("Supplier");
    const supplierLot = props.optionalText("SupplierLot");
    const manufacturedAt = dt("ManufactureDate");
    const expiresAt = dt("ExpiryDate");
    const certificateRef = props.optionalText("CertificateOfConformance");
    const stockStatus = stockStatusOf(at, n, issues);
    // without an InspectionStatus property, the stock status says it: unrestricted is accepted, the others not yet
    const inspectionStatus =
      stockStatus !== undefined && props.value("InspectionStatus") === null
        ? undefined
        : props.text("InspectionStatus", at, "pending, accepted or rejected")?.toLowerCase();
    return {
      partNumber,
      revision: props.text("Revision", at, "the part revision issued"),
      ...(untracked ? {} : ids),
      quantity,
      ...(uom ? { uom } : {}),
      location: location ?? undefined,
      manufacturer: props.text("Manufacturer", at, "the manufacturer's code (CAGE)"),
      ...(supplier !== undefined ? { supplier } : {}),
      ...(supplierLot !== undefined ? { supplierLot } : {}),
      ...(manufacturedAt !== undefined ? { manufacturedAt } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(inspectionStatus !== undefined ? { inspectionStatus } : stockStatus ? { inspectionStatus: stockStatus === "unrestricted" ? "accepted" : stockStatus === "blocked" ? "rejected" : "pending" } : {}),
      ...(stockStatus ? { stockStatus } : {}),
      ...(certificateRef !== undefined ? { certificateRef } : {}),
    };
  };

  const subLots = els(n, "MaterialSubLot");
  const lotLocation = locationCode(el(n, "StorageLocation"));
  if (subLots.length === 0) {
    const q = singleQuantity(n, issues);
    if (q === null) issues.add(n, "Quantity is required: the quantity issued to the floor.");
    const payload = issue(new Props(lotProps, issues), n, q?.text, lotLocation, { lotNumber: lotId }, q?.uom);
    return [{ type: "material_issue", key: lotId ? issueKey() : null, version, payload, suffix: "material_issue" }];
  }
  // Serial-tracked material: each MaterialSubLot is one serial number (quantity 1), sharing the lot's properties.
  if (els(n, "Quantity").length > 0) issues.add(el(n, "Quantity")!, "A MaterialLot with MaterialSubLot elements issues serials one by one: give no Quantity on the lot.");
  return subLots.map((s, i) => {
    const sub = readProps(s, "MaterialLotProperty", "MaterialLotPropertyChild");
    const overridden = new Set(sub.map((p) => p.id.toLowerCase()));
    const props = new Props([...lotProps.filter((p) => !overridden.has(p.id.toLowerCase())), ...sub], issues);
    const serial = required(s, "ID", issues, "the serial number");
    if (els(s, "MaterialSubLotChild").length > 0) issues.add(el(s, "MaterialSubLotChild")!, "Nested MaterialSubLotChild elements are not mapped: list every serial as a MaterialSubLot of the lot.");
    const q = singleQuantity(s, issues);
    const payload = issue(props, s, q ? q.text : "1", locationCode(el(s, "StorageLocation")) ?? lotLocation, { serialNumber: serial }, q?.uom);
    // A serial's identity is the lot with only its own sub-lot: correcting another serial of the lot leaves it alone.
    const identity = { ...n, children: n.children.filter((c) => c === s || !(isB2mml(c) && c.local === "MaterialSubLot")) };
    return { type: "material_issue" as const, key: lotId && serial ? issueKey(serial) : null, version, payload, suffix: `material_issue.${i + 1}`, identity };
  });
}

/** The produced material of a set of material specifications/requirements (MaterialUse = Produced). */
function producedOf(nodes: XNode[]): XNode[] {
  return nodes.filter((m) => textOf(m, "MaterialUse") === "Produced");
}

/** OperationsDefinition -> routing. */
function mapOperationsDefinition({ unit, doc, issues }: Context): Draft[] {
  const n = unit.node;
  const code = required(n, "ID", issues, "the routing code");
  const version = versionOf(n, issues, doc, doc.receivedAt);
  if (!version) return [];
  const segments = els(n, "OperationsSegment");
  if (segments.length === 0) issues.add(n, "An OperationsDefinition needs at least one OperationsSegment (one per operation).");

  const produced = producedOf(segments.flatMap((s) => els(s, "MaterialSpecification")));
  const products = new Map<string, XNode>();
  for (const m of produced) {
    const ids = els(m, "MaterialDefinitionID").map(str);
    const rev = readProps(m, "MaterialSpecificationProperty", "MaterialSpecificationPropertyChild").find((p) => p.id.toLowerCase() === "revision");
    const revision = rev ? str(el(rev.values[0] ?? rev.node, "ValueString")) : null;
    if (ids.length !== 1 || !ids[0]) issues.add(m, "The produced MaterialSpecification names exactly one MaterialDefinitionID (the part the routing builds).");
    else if (!revision) issues.add(m, "The produced MaterialSpecification needs property Revision (the part revision the routing builds).");
    else products.set(`${ids[0]}\u0000${revision}`, m);
  }
  if (produced.length === 0) issues.add(n, 'No MaterialSpecification with MaterialUse "Produced": the routing must name the part and revision it builds.');
  if (products.size > 1) issues.add([...products.values()][1]!, "The segments name different produced parts or revisions: one routing builds one part revision.");
  const [product] = [...products.keys()].map((k) => k.split("\u0000"));

  const operations = segments.map((s) => {
    const id = required(s, "ID", issues, "the operation sequence number");
    const seq = id !== undefined ? wholeNumber(id, el(s, "ID")!, issues, "The OperationsSegment ID (the operation sequence number)", 1) : undefined;
    const processSegments = els(s, "ProcessSegmentID").map(str).filter(Boolean);
    if (processSegments.length !== 1) issues.add(s, "Give exactly one ProcessSegmentID: the operation code.");
    const description = describedIn(s, doc.language);
    if (!description) issues.add(s, "Description is required: the operation's description.");
    const centers = els(s, "EquipmentSpecification").flatMap((e) => els(e, "EquipmentID").map(str)).filter(Boolean);
    if (centers.length !== 1) issues.add(s, `Give exactly one EquipmentSpecification/EquipmentID: the work center of the operation (found ${centers.length}).`);
    if (els(s, "OperationsSegmentChild").length > 0) issues.add(el(s, "OperationsSegmentChild")!, "Nested OperationsSegmentChild elements are not mapped: list every operation as an OperationsSegment of the definition.");
    const parameters = els(s, "ParameterSpecification").map((p) => mapParameter(p, issues));
    return { seq, code: processSegments[0], description, workCenter: centers[0], parameters };
  });
  return [{ type: "routing", key: code ?? null, version, payload: { code, partNumber: product?.[0], revision: product?.[1], operations }, suffix: "routing" }];
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** ParameterSpecification -> { name, unit, min, max }: Values keyed Min/Minimum and Max/Maximum give the limits. */
function mapParameter(p: XNode, issues: Issues): Record<string, unknown> {
  const name = required(p, "ID", issues, "the parameter name");
  if (els(p, "ParameterChild").length > 0) issues.add(el(p, "ParameterChild")!, "Nested ParameterChild elements are not mapped: give the limits as Values with Key Min and Max.");
  const values = els(p, "Value");
  const unit = values.map((v) => textOf(v, "UnitOfMeasure")).find(Boolean);
  if (!unit) issues.add(p, "A parameter needs a Value with UnitOfMeasure (e.g. N.m, degC).");
  const limit = (keys: string[]) => {
    const v = values.find((x) => keys.includes((textOf(x, "Key") ?? "").toLowerCase()));
    if (!v) return undefined;
    const text = textOf(v, "ValueString");
    if (text === null || !NUMBER.test(text)) return issues.add(el(v, "ValueString") ?? v, `A parameter limit is a plain decimal number (got "${text ?? ""}").`);
    return text;
  };
  const min = limit(["min", "minimum"]);
  const max = limit(["max", "maximum"]);
  return { name, unit, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

const RELEASABLE = new Set(["Released", "Waiting", "Ready"]);
const CLOSING = new Set(["Closed", "Completed"]);

/** OperationsRequest (in an OperationsSchedule or alone) -> production_order. */
function mapOperationsRequest({ unit, doc, issues }: Context): Draft[] {
  const n = unit.node;
  const schedule = unit.containers.find((c) => c.local === "OperationsSchedule");
  const number = required(n, "ID", issues, "the production order number");
  const version = versionOf(n, issues, doc, doc.receivedAt, schedule);
  if (!version) return [];
  const stateNode = el(n, "RequestState") ?? (schedule ? el(schedule, "ScheduleState") : undefined);
  const state = str(stateNode);
  if (state !== null && !RELEASABLE.has(state) && !CLOSING.has(state)) {
    issues.add(stateNode!, `Request state ${state} cannot be applied: Traceline takes Released, Waiting or Ready (release or change the order) and Closed or Completed (close it).`);
    return [];
  }
  if (state !== null && CLOSING.has(state)) {
    return [{ type: "production_order", key: number ?? null, version, payload: { action: "close", number }, suffix: "production_order" }];
  }
  // A counted version above 1 is a change; a change stamp cannot tell, so a Sync is a release (Traceline applies it as a
  // change when the order already exists: production orders versioned by change time, docs/erp-interface.md).
  const action = doc.verb === "Change" || (version.from === "Version" && version.version > 1) ? "change" : "release";

  const requirements: XNode[] = [];
  const walk = (s: XNode) => {
    requirements.push(s);
    els(s, "SegmentRequirementChild").forEach(walk);
  };
  els(n, "SegmentRequirement").forEach(walk);
  const produced = producedOf(requirements.flatMap((s) => els(s, "MaterialRequirement")));
  if (produced.length > 1) issues.add(produced[1]!, 'More than one MaterialRequirement with MaterialUse "Produced": a Traceline order builds one part.');
  const product = produced[0];
  if (!product && action === "release") issues.add(n, 'No MaterialRequirement with MaterialUse "Produced" in a SegmentRequirement: a release names the part, quantity and serials it builds.');

  const payload: Record<string, unknown> = { action, number };
  if (product) {
    const ids = els(product, "MaterialDefinitionID").map(str);
    if (ids.length !== 1 || !ids[0]) issues.add(product, "The produced MaterialRequirement names exactly one MaterialDefinitionID (the part to build).");
    const props = new Props(readProps(product, "MaterialRequirementProperty", "MaterialRequirementPropertyChild"), issues);
    const revision = action === "release" ? props.text("Revision", product, "the part revision to build") : props.optionalText("Revision");
    const q = singleQuantity(product, issues);
    if (q === null && action === "release") issues.add(product, "Quantity is required: the number of units to build.");
    const quantity = q ? (/^\d+(\.0+)?$/.test(q.text) ? wholeNumber(q.text.replace(/\.0+$/, ""), q.at, issues, "The quantity to build", 1) : issues.add(q.at, `The quantity to build is a whole number of units (got "${q.text}").`)) : undefined;
    // Unit serials: MaterialSubLotID elements, else MaterialLotID elements, else property SerialNumber (one Value each).
    const fromIds = (local: string) => els(product, local).map((x) => str(x)).filter((x): x is string => x !== null);
    const bySub = fromIds("MaterialSubLotID");
    const byLot = fromIds("MaterialLotID");
    const byProp = props.many("SerialNumber").flatMap((p) => p.values.map((v) => str(el(v, "ValueString")))).filter((x): x is string => x !== null);
    const serials = bySub.length ? bySub : byLot.length ? byLot : byProp;
    if (action === "release" && serials.length === 0) issues.add(product, "A release names the unit serials to build: MaterialSubLotID (or MaterialLotID) elements, or property SerialNumber.");
    Object.assign(payload, {
      partNumber: ids[0] ?? undefined,
      ...(revision !== undefined ? { revision } : {}),
      ...(quantity !== undefined ? { quantity } : {}),
      ...(serials.length ? { serials } : {}),
    });
  }
  if (action === "release") {
    const definitions = new Set([textOf(n, "OperationsDefinitionID"), ...requirements.map((s) => textOf(s, "OperationsDefinitionID"))].filter((x): x is string => x !== null));
    if (definitions.size > 1) issues.add(n, `The request names different OperationsDefinitionIDs (${[...definitions].join(", ")}): an order follows one routing.`);
    const [routing] = definitions;
    if (routing) payload.routing = routing;
  }
  // Due date: the request's EndTime, else the latest LatestEndTime of its segment requirements (the date as written).
  const latest = requirements
    .map((s) => el(s, "LatestEndTime"))
    .filter((x): x is XNode => str(x) !== null)
    .sort((a, b) => (instant(str(b)!, true) ?? "").localeCompare(instant(str(a)!, true) ?? ""));
  const end = str(el(n, "EndTime")) !== null ? el(n, "EndTime") : latest[0];
  const dueDate = calendarDate(end, issues, end?.local ?? "EndTime");
  if (dueDate) payload.dueDate = dueDate;
  else if (action === "release" && !end) issues.add(n, "A release needs a due date: EndTime of the OperationsRequest or LatestEndTime of a SegmentRequirement.");
  return [{ type: "production_order", key: number ?? null, version, payload, suffix: "production_order" }];
}

const MAPPERS: Record<UnitKind, (ctx: Context) => Draft[]> = {
  material_definition: mapMaterialDefinition,
  material_lot: mapMaterialLot,
  operations_definition: mapOperationsDefinition,
  operations_request: mapOperationsRequest,
};

// ---------------------------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------------------------

/** The element a libxml2 position path (/*\/*[2]/*[3]) points at in our tree, or null. */
function nodeAt(root: XNode, xpath: string | null): XNode | null {
  if (!xpath) return null;
  const steps = xpath.split("/").slice(1);
  if (steps.length === 0 || !/^\*(\[\d+\])?$/.test(steps[0]!)) return null;
  let node: XNode = root;
  for (const step of steps.slice(1)) {
    const m = /^\*(?:\[(\d+)\])?$/.exec(step);
    if (!m) return null;
    const child = node.children[(m[1] ? Number(m[1]) : 1) - 1];
    if (!child) return null;
    node = child;
  }
  return node;
}

/** The rule of a libxml2 schema message, without its "Element '{ns}Name':" prefix. */
function ruleOf(message: string): string {
  return message.replace(/^Element '[^']*'(?:, attribute '[^']*')?:\s*/, "").replace(/\{http:\/\/www\.mesa\.org\/xml\/B2MML\}/g, "").trim();
}

/**
 * Map a B2MML document to inbound ERP envelopes.
 * - messageId: `<BODID>#<n>.<type>` (n = the element's position among the mapped elements of the BOD; `.k` per
 *   serial of a lot), else `b2mml-<sha256>` of the element's canonical content and what was derived from it, so a
 *   redelivered document dedupes. Ids longer than 128 characters are hashed the same way.
 * - version: versionOf (the element's Version; else its PublishedDate, the BOD's CreationDateTime, the receipt time as
 *   a change stamp, `versionKind: "timestamp"`); `versionFrom` says which, per envelope.
 * - plant: the Site-level HierarchyScope/EquipmentID of the element or its container, else meta.plant.
 * - occurredAt: ApplicationArea/CreationDateTime, else the element's or its container's PublishedDate, else receivedAt.
 * - an element with an XSD error (meta.schemaIssues) maps to nothing: its error names the line, column, element and
 *   rule; an XSD error outside every mapped element refuses the whole document.
 */
export function b2mmlToEnvelopes(xml: string, meta: B2mmlMeta): B2mmlResult {
  const parsed = parseXml(xml);
  if (!parsed.ok) {
    const e = parsed.error;
    return { envelopes: [], versionFrom: [], errors: [{ field: "body", reason: `Malformed XML at line ${e.line}, column ${e.column}: ${e.message}`, line: e.line, column: e.column }] };
  }
  const docIssues = new Issues();
  const doc = readDocument(parsed.root, docIssues, meta);
  const errors: B2mmlError[] = [...docIssues.list];
  const envelopes: Envelope[] = [];
  const versionFrom: VersionFrom[] = [];
  const requestPlant = meta.plant?.trim() || null;

  // XSD errors, each at the element it names (found by its position path), attributed to the mapped element holding it
  const schemaByUnit = new Map<Unit, B2mmlError[]>();
  for (const issue of meta.schemaIssues ?? []) {
    const at = nodeAt(parsed.root, issue.xpath);
    const element = at ? at.local : (/^Element '\{[^}]*\}([^']+)'/.exec(issue.message)?.[1] ?? "");
    const line = at?.line ?? issue.line;
    const column = at?.column ?? 0;
    const rule = ruleOf(issue.message);
    const error: B2mmlError = { field: at?.path ?? "body", reason: `Not valid against the B2MML V0700 schema: ${rule} (line ${line}, column ${column})`, line, column, element, rule };
    let unit: Unit | undefined;
    for (let n: XNode | null = at; n && !unit; n = n.parent) unit = doc.units.find((u) => u.node === n);
    if (unit) schemaByUnit.set(unit, [...(schemaByUnit.get(unit) ?? []), error]);
    else errors.push(error);
  }
  if ((meta.schemaIssues?.length ?? 0) > 0 && errors.some((e) => e.rule !== undefined)) return { envelopes: [], versionFrom: [], errors };

  for (const unit of doc.units) {
    const invalid = schemaByUnit.get(unit);
    if (invalid) {
      errors.push(...invalid);
      continue;
    }
    const issues = new Issues();
    const drafts = MAPPERS[unit.kind]({ unit, doc, issues });

    const scopes = [unit.node, ...unit.containers];
    const scoped = scopes.map((s) => ({ s, site: siteIn(el(s, "HierarchyScope")) })).find((x) => x.site);
    let plant = scoped?.site ?? requestPlant;
    if (scoped && requestPlant && scoped.site !== requestPlant) {
      issues.add(el(scoped.s, "HierarchyScope")!, `The document is for plant ${scoped.site}, but the request names plant ${requestPlant}.`);
    }
    if (!plant) {
      issues.add(unit.node, "No plant: give a HierarchyScope with EquipmentLevel Site (its EquipmentID is the plant), or ?plant= on the request.");
      plant = "";
    }
    const published = scopes.map((s) => str(el(s, "PublishedDate"))).find((x): x is string => x !== null);
    const occurredAt = doc.created ?? (published ? instant(published, true) : null) ?? meta.receivedAt.toISOString();

    if (issues.list.length > 0) {
      errors.push(...issues.list);
      continue;
    }
    for (const d of drafts) {
      // A version read from a change stamp or the receipt is hashed as 1, as every version without <Version> was before:
      // ids stay what they were (the stamp itself is in the element's content), and a redelivery has the same id.
      const versionInId = d.version.from === "Version" ? d.version.version : 1;
      let messageId = doc.bodId
        ? `${doc.bodId}#${unit.index}.${d.suffix}`
        : `b2mml-${sha256(`${canonical(d.identity ?? unit.node)}\n${canonicalJson({ type: d.type, plant, version: versionInId, payload: d.payload })}`)}`;
      if (messageId.length > 128) messageId = `b2mml-${sha256(messageId)}`;
      envelopes.push({
        source: meta.source,
        messageId,
        type: d.type,
        // A material issue without a lot ID (untracked material) has no business key of its own: its message id is.
        key: d.key ?? messageId,
        version: d.version.version,
        ...(d.version.from === "Version" ? {} : { versionKind: "timestamp" as const }),
        plant,
        occurredAt,
        payload: stripUndefined(d.payload),
      });
      versionFrom.push(d.version.from);
    }
  }
  return { envelopes, versionFrom, errors };
}

/**
 * The stock status of a lot or sub-lot: its `Status` (a free code) and `Disposition` (ISA-95's list; `Other` with its
 * `OtherValue`), a sub-lot's own over its lot's, the stricter of the two when both are given. A value that says the
 * lot cannot be issued (planned, in process, closed) or that this interface does not know is an error at the element.
 */
function stockStatusOf(at: XNode, lot: XNode, issues: Issues): StockStatus | undefined {
  const rank: Record<StockStatus, number> = { unrestricted: 0, restricted: 1, quality_inspection: 1, blocked: 2 };
  let found: StockStatus | undefined;
  for (const local of ["Status", "Disposition"]) {
    const node = (at !== lot ? el(at, local) : undefined) ?? el(lot, local);
    const text = str(node);
    if (!node || text === null) continue;
    const value = local === "Disposition" && text === "Other" ? (node.attrs.get("OtherValue") ?? "").trim() : text;
    const status = stockStatusOfB2mml(value);
    if (status === null) {
      issues.add(node, `${local} "${value}": a lot that is planned, in process or closed cannot be issued to the floor.`);
      continue;
    }
    if (status === undefined) {
      issues.add(node, `${local} "${value}" is not a stock status Traceline knows: use Unrestricted, Quality Inspection (or Quarantine), Restricted or Blocked.`);
      continue;
    }
    if (!found || rank[status] > rank[found]) found = status;
  }
  return found;
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
