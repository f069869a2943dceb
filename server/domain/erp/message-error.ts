/**
 * The error stored with an inbound ERP message (erp_inbox.error, erp_inbox_events.detail.error) as the monitor shows
 * it: a code, a sentence, and the envelope fields at fault. Stored errors are `{ code, message, fields? }`; anything
 * else (older rows, free text) is still shown, never dropped.
 */
export type FieldProblem = { field: string; reason: string };
export type MessageError = { code: string | null; message: string; fields: FieldProblem[] };

function fieldsOf(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((f) => {
    if (!f || typeof f !== "object") return [];
    const { field, reason } = f as { field?: unknown; reason?: unknown };
    if (typeof field !== "string" && typeof reason !== "string") return [];
    return [{ field: typeof field === "string" ? field : "", reason: typeof reason === "string" ? reason : "" }];
  });
}

export function normalizeMessageError(error: unknown): MessageError | null {
  if (error === null || error === undefined) return null;
  if (typeof error === "string") return error.trim() ? { code: null, message: error, fields: [] } : null;
  if (typeof error === "object" && !Array.isArray(error)) {
    const e = error as { code?: unknown; message?: unknown; fields?: unknown };
    if (typeof e.message === "string" || typeof e.code === "string") {
      return {
        code: typeof e.code === "string" ? e.code : null,
        message: typeof e.message === "string" ? e.message : "",
        fields: fieldsOf(e.fields),
      };
    }
  }
  return { code: null, message: JSON.stringify(error), fields: [] };
}

/** What an event of a message's history says (its stored detail: error, note, warnings). */
export type HistoryDetail = { note: string | null; error: MessageError | null; warnings: string[] };

export function normalizeHistoryDetail(detail: unknown): HistoryDetail {
  if (!detail || typeof detail !== "object" || Array.isArray(detail)) return { note: null, error: null, warnings: [] };
  const d = detail as { note?: unknown; error?: unknown; warnings?: unknown };
  return {
    note: typeof d.note === "string" && d.note ? d.note : null,
    error: normalizeMessageError(d.error),
    warnings: Array.isArray(d.warnings) ? d.warnings.filter((w): w is string => typeof w === "string") : [],
  };
}
