import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { validateXML, memoryPages } from "xmllint-wasm";
import { B2MML_ENTRY_SCHEMA, readB2mmlSchemas, type SchemaFile } from "./b2mml-schemas";

/**
 * Test support: validate B2MML documents against the official MESA B2MML V0700 schemas with xmllint (WASM).
 * The schemas are the repository's own copy in ./b2mml-v0700/ (see its SOURCES.md), read through b2mml-schemas.ts.
 * B2MML-Common.xsd includes nearly every other file, so the whole folder is preloaded and a small entry schema
 * includes the four the ERP interface maps (Material, OperationsDefinition, OperationsSchedule inbound;
 * OperationsPerformance for confirmations outbound).
 */
const ENTRY = B2MML_ENTRY_SCHEMA;

let schemaFiles: SchemaFile[] | null = null;

function loadSchemas() {
  schemaFiles ??= readB2mmlSchemas();
  return schemaFiles;
}

/**
 * The XSD validation errors of each document (an empty list: valid). Documents are validated in one xmllint run.
 * A document that is not well-formed XML is reported as invalid too (xmllint's parser error).
 */
export async function b2mmlSchemaErrorsOf(docs: Record<string, string>): Promise<Record<string, string[]>> {
  const names = Object.keys(docs);
  const files = names.map((name, i) => ({ fileName: `doc-${i + 1}.xml`, contents: docs[name]! }));
  const result = await validateXML({
    xml: files,
    schema: [{ fileName: "traceline-b2mml-entry.xsd", contents: ENTRY }],
    preload: loadSchemas(),
    initialMemoryPages: 512,
    maxMemoryPages: memoryPages.GiB,
  });
  // xmllint prints, per document, its errors ("doc-1.xml:12: ... error ...") and a verdict ("doc-1.xml fails to
  // validate" / "doc-1.xml validates"). Schema-parser warnings about the MESA files' own imports and the caret
  // lines under a parser error belong to no document and say nothing about validity: they are left out.
  const out: Record<string, string[]> = {};
  names.forEach((name, i) => {
    const fileName = files[i]!.fileName;
    const own = result.errors.filter((e) => e.loc?.fileName === fileName).map((e) => `line ${e.loc!.lineNumber}: ${e.message}`);
    const failed = result.rawOutput.split("\n").some((line) => line.trim() === `${fileName} fails to validate`);
    out[name] = own.length > 0 ? own : failed ? [`${fileName} fails to validate (xmllint gave no detail)`] : [];
  });
  if (!result.valid && names.every((n) => out[n]!.length === 0)) {
    // Never report a failed run as valid: without a per-document verdict, every document gets the raw output.
    for (const name of names) out[name]!.push(`xmllint reported the run invalid: ${result.rawOutput.trim()}`);
  }
  return out;
}

/** The XSD validation errors of one document (an empty list: valid). */
export async function b2mmlSchemaErrors(xml: string): Promise<string[]> {
  return (await b2mmlSchemaErrorsOf({ document: xml })).document!;
}

/** Read a fixture document from ./fixtures. */
export function b2mmlFixture(name: string): string {
  return readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", name), "utf8");
}
