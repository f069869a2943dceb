import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The official B2MML schemas (MESA International; origin, licence and checksums in b2mml-v0700/SOURCES.md), carried
 * beside the code that maps B2MML. The folder is resolved from the working directory, like db/client.ts's
 * MIGRATIONS_FOLDER: the app (`next start`), the scripts and the tests all run from the repository folder, which
 * holds it, so the path depends neither on where the bundler puts this module nor on `next build`'s output file
 * tracing (the app is not deployed as a standalone copy). The marker keeps Turbopack from tracing the folder.
 */
export const B2MML_SCHEMA_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "server", "integrations", "erp", "b2mml-v0700");

export type SchemaFile = { fileName: string; contents: string };

/** Every .xsd of the folder, by name (B2MML-Common.xsd includes nearly all the others, so a validator needs them all). */
export function readB2mmlSchemas(dir: string = B2MML_SCHEMA_DIR): SchemaFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".xsd"))
    .sort()
    .map((fileName) => ({ fileName, contents: readFileSync(path.join(dir, fileName), "utf8") }));
  if (files.length === 0) throw new Error(`No .xsd files in ${dir}`);
  return files;
}

/**
 * The schema documents are validated against: the official files, included from a small entry schema (the four
 * B2MML parts the ERP interface maps: Material, OperationsDefinition, OperationsSchedule inbound; OperationsPerformance
 * for confirmations outbound). B2MML-Common.xsd includes nearly every other file of the folder.
 */
export const B2MML_ENTRY_SCHEMA = `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.mesa.org/xml/B2MML"
  xmlns="http://www.mesa.org/xml/B2MML" elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xsd:include schemaLocation="B2MML-Material.xsd"/>
  <xsd:include schemaLocation="B2MML-OperationsDefinition.xsd"/>
  <xsd:include schemaLocation="B2MML-OperationsSchedule.xsd"/>
  <xsd:include schemaLocation="B2MML-OperationsPerformance.xsd"/>
</xsd:schema>
`;
