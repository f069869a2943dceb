/**
 * The business content of an inbound ERP message (pure): what a retry must repeat for it to be the same message.
 * Type, key, version (and how it was counted), plant and payload, with every string trimmed and in Unicode NFC form;
 * the envelope's `occurredAt`, its `source` (the connection decides it), the message id's padding and the JSON's
 * layout are not part of it. The inbox stores the SHA-256 of its canonical JSON (server/domain/canonical-json): the
 * same message id with the same content is a duplicate, with other content a conflict.
 */
export function businessContent(message: unknown): unknown {
  if (!message || typeof message !== "object" || Array.isArray(message)) return normalized(message);
  const m = message as Record<string, unknown>;
  return normalized({ type: m.type, key: m.key, version: m.version, versionKind: m.versionKind ?? "counter", plant: m.plant, payload: m.payload });
}

/** A copy with strings trimmed and NFC-normalised, iteratively (no recursion on hostile depth). */
function normalized(value: unknown): unknown {
  const fix = (v: unknown): unknown => (typeof v === "string" ? v.trim().normalize("NFC") : v);
  if (value === null || typeof value !== "object") return fix(value);
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: { from: Record<string, unknown> | unknown[]; to: Record<string, unknown> | unknown[] }[] = [{ from: value as Record<string, unknown>, to: root as Record<string, unknown> }];
  while (stack.length > 0) {
    const { from, to } = stack.pop()!;
    for (const [k, v] of Object.entries(from)) {
      let out: unknown = fix(v);
      if (v !== null && typeof v === "object") {
        out = Array.isArray(v) ? [] : {};
        stack.push({ from: v as Record<string, unknown>, to: out as Record<string, unknown> });
      }
      if (Array.isArray(to)) to[Number(k)] = out;
      else to[k.trim().normalize("NFC")] = out;
    }
  }
  return root;
}
