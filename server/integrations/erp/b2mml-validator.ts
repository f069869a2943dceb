import path from "node:path";
import { Worker } from "node:worker_threads";
import { B2MML_ENTRY_SCHEMA, B2MML_SCHEMA_DIR } from "./b2mml-schemas";

/**
 * Run-time XSD validation of B2MML documents against the vendored V0700 schemas (./b2mml-v0700, MESA International),
 * with libxml2 (libxml2-wasm, pinned): the schemas are compiled once per worker, then each document takes about a
 * millisecond per kilobyte. One worker thread validates documents one at a time (b2mml-validator.worker.mjs), so a
 * large document never blocks the event loop that answers other requests; it is replaced after many documents (its
 * WebAssembly memory only grows) and when it fails or takes longer than the timeout.
 *
 * xmllint-wasm (a development dependency) stays the independent check of the tests: it runs the xmllint command on
 * each call, compiling the schemas every time (0.6-1.1 s per document here), too slow for the request path.
 */

export type SchemaIssue = { message: string; line: number; column: number; xpath: string | null };
export type SchemaCheck = { kind: "valid" } | { kind: "invalid"; issues: SchemaIssue[] } | { kind: "not_well_formed"; issues: SchemaIssue[] };

/** The worker, resolved from the working directory like the schema folder (the app, scripts and tests run from the repository). */
const WORKER_FILE = path.join(/*turbopackIgnore: true*/ process.cwd(), "server", "integrations", "erp", "b2mml-validator.worker.mjs");
const TIMEOUT_MS = Number(process.env.TRACELINE_B2MML_VALIDATION_TIMEOUT_MS ?? 60_000);
const DOCUMENTS_PER_WORKER = 500;

type Pending = { resolve: (c: SchemaCheck) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class SchemaValidatorUnavailable extends Error {
  readonly code = "SCHEMA_VALIDATOR_UNAVAILABLE";
}

let worker: Worker | null = null;
let served = 0;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(reason: string) {
  for (const [id, p] of pending) {
    clearTimeout(p.timer);
    p.reject(new SchemaValidatorUnavailable(reason));
    pending.delete(id);
  }
}

function retire(w: Worker) {
  if (worker === w) worker = null;
  void w.terminate();
}

function start(): Worker {
  const w = new Worker(WORKER_FILE, { workerData: { schemaDir: B2MML_SCHEMA_DIR, entrySchema: B2MML_ENTRY_SCHEMA } });
  w.unref();
  served = 0;
  w.on("message", (m: { id: number; result?: SchemaCheck; failure?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.result) p.resolve(m.result);
    else p.reject(new SchemaValidatorUnavailable(`the schema validator failed: ${m.failure ?? "no answer"}`));
    // a worker that has served its share is replaced once it is idle (its memory is given back)
    if (served >= DOCUMENTS_PER_WORKER && pending.size === 0) retire(w);
  });
  w.on("error", (e) => {
    retire(w);
    failAll(`the schema validator stopped: ${e.message}`);
  });
  w.on("exit", () => {
    if (worker === w) worker = null;
    failAll("the schema validator stopped");
  });
  return w;
}

/** Validate one document (its text as received, decoded) against the B2MML V0700 schemas. */
export function validateB2mmlSchema(xml: string): Promise<SchemaCheck> {
  const w = (worker ??= start());
  served += 1;
  const id = nextId++;
  return new Promise<SchemaCheck>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      retire(w);
      failAll("the schema validator did not answer in time");
      reject(new SchemaValidatorUnavailable("the schema validator did not answer in time"));
    }, TIMEOUT_MS);
    timer.unref();
    pending.set(id, { resolve, reject, timer });
    w.ref();
    w.postMessage({ id, xml });
  }).finally(() => {
    if (pending.size === 0) w.unref();
  });
}
