import "server-only";

/*
 * An export's body as a byte stream written while its rows are read: the producer awaits `write`, which returns once
 * the reader wants more (back-pressure: a slow download does not pile the whole tree up in memory). When the reader
 * goes away (download cancelled), the next write throws ExportCancelled and the producer's transaction ends. A failure
 * after the first bytes cannot change the status any more: the stream errors (the download fails, it is never a
 * silently short file) and `onError` logs it.
 */

export type ExportFile = {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
  /** settles (never rejects) when the producer has ended: written whole, failed, or stopped by a cancelled download */
  done: Promise<void>;
};

export class ExportCancelled extends Error {
  constructor() {
    super("The download was cancelled.");
    this.name = "ExportCancelled";
  }
}

/** Write a chunk; `flush` sends what is gathered now (after a header, after a batch of rows). */
export type Write = (chunk: string | Uint8Array, flush?: boolean) => Promise<void>;

const HIGH_WATER = 256 * 1024;

export function produceStream(produce: (write: Write) => Promise<void>, onError: (e: unknown) => void = () => {}): Pick<ExportFile, "body" | "done"> {
  const encoder = new TextEncoder();
  let wake: (() => void) | null = null;
  let cancelled = false;
  let pending = "";
  let ended: () => void = () => {};
  const done = new Promise<void>((r) => (ended = r));
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const flush = () => {
          if (pending.length > 0) {
            controller.enqueue(encoder.encode(pending));
            pending = "";
          }
        };
        const write: Write = async (chunk, flushNow = false) => {
          if (cancelled) throw new ExportCancelled();
          // small strings are gathered into one chunk of ~16 KB: fewer, larger network writes
          if (typeof chunk === "string") {
            pending += chunk;
            if (pending.length < 16 * 1024 && !flushNow) return;
            flush();
          } else {
            flush();
            controller.enqueue(chunk);
          }
          while ((controller.desiredSize ?? 1) <= 0 && !cancelled) await new Promise<void>((r) => (wake = r));
          if (cancelled) throw new ExportCancelled();
        };
        void produce(write)
          .then(
            () => {
              if (cancelled) return;
              flush();
              controller.close();
            },
            (e: unknown) => {
              if (cancelled || e instanceof ExportCancelled) return;
              onError(e);
              controller.error(e);
            },
          )
          .finally(() => ended());
      },
      pull() {
        wake?.();
        wake = null;
      },
      cancel() {
        cancelled = true;
        wake?.();
        wake = null;
      },
    },
    { highWaterMark: HIGH_WATER, size: (chunk) => chunk.byteLength },
  );
  return { body, done };
}

/** The whole body of a stream (tests, and callers that need the file at once). */
export async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return Buffer.concat(parts);
}
