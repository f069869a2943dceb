import "server-only";
import type { DbOrTx } from "@/db/client";
import * as inbox from "@/server/repos/erp-inbox";
import { normalizeHistoryDetail, normalizeMessageError, type MessageError } from "@/server/domain/erp/message-error";
import type { Connection } from "./receive-messages";

export type MessageStatusView = {
  messageId: string;
  /** received (being applied, or waiting to be retried after a temporary failure), applied, duplicate, overtaken, held, rejected, dead_letter */
  status: string;
  final: boolean;
  type: string;
  key: string;
  version: number;
  receivedAt: string;
  appliedAt: string | null;
  error: MessageError | null;
  warnings: string[];
  history: { status: string; at: string; note: string | null; error: MessageError | null }[];
};

const FINAL = new Set(["applied", "duplicate", "overtaken", "rejected"]);

/** One of a connection's messages as the ERP may ask about it (GET /api/erp/v1/messages/{id}), or null. */
export async function messageStatus(db: DbOrTx, connection: Connection, messageId: string): Promise<MessageStatusView | null> {
  const row = await inbox.messageOfConnection(db, connection.id, messageId);
  if (!row) return null;
  const events = await inbox.eventsOf(db, row.id);
  return {
    messageId: row.messageId,
    status: row.status,
    final: FINAL.has(row.status),
    type: row.type,
    key: row.objectKey,
    version: row.version,
    receivedAt: row.receivedAt.toISOString(),
    appliedAt: row.appliedAt ? row.appliedAt.toISOString() : null,
    error: normalizeMessageError(row.error),
    warnings: Array.isArray(row.warnings) ? row.warnings : [],
    history: events.map((e) => {
      const d = normalizeHistoryDetail(e.detail);
      return { status: e.status, at: e.at.toISOString(), note: d.note, error: d.error };
    }),
  };
}
