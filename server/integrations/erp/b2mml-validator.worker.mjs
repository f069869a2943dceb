// The B2MML schema validator's worker thread (started by b2mml-validator.ts): libxml2 (libxml2-wasm) compiles the
// vendored V0700 schemas once, then validates each document it is sent and answers with libxml2's errors (message,
// line, and the element's position path). Validation runs here so that a large document never holds up the server's
// event loop. Plain JavaScript: Node loads it as it is, under `next start`, the scripts and the tests alike.
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { XmlDocument, XmlValidateError, XsdValidator } from "libxml2-wasm";
import { xmlRegisterFsInputProviders } from "libxml2-wasm/lib/nodejs.mjs";

xmlRegisterFsInputProviders();
const { schemaDir, entrySchema } = workerData;
let validator = null;

function details(e) {
  const list = Array.isArray(e?.details) ? e.details : [];
  return list.map((d) => ({ message: String(d.message ?? "").trim(), line: Number(d.line) || 0, column: Number(d.col) || 0, xpath: typeof d.xpath === "string" ? d.xpath : null }));
}

parentPort.on("message", ({ id, xml }) => {
  try {
    if (!validator) {
      // The schema document stays alive with the validator (libxml2's compiled schema refers to it).
      const schemaDoc = XmlDocument.fromString(entrySchema, { url: path.join(schemaDir, "traceline-b2mml-entry.xsd") });
      validator = XsdValidator.fromDoc(schemaDoc);
    }
    let doc;
    try {
      doc = XmlDocument.fromString(xml);
    } catch (e) {
      parentPort.postMessage({ id, result: { kind: "not_well_formed", issues: details(e) } });
      return;
    }
    try {
      validator.validate(doc);
      parentPort.postMessage({ id, result: { kind: "valid" } });
    } catch (e) {
      if (e instanceof XmlValidateError) parentPort.postMessage({ id, result: { kind: "invalid", issues: details(e) } });
      else throw e;
    } finally {
      doc.dispose();
    }
  } catch (e) {
    parentPort.postMessage({ id, failure: e instanceof Error ? e.message : String(e) });
  }
});
