import { useTranslations } from "next-intl";
import { StatusBadge } from "@/components/production/status-badge";
import { DateTime } from "@/components/ui/date-time";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { MessageError } from "@/server/domain/erp/message-error";
import { MessageErrorView } from "./message-error-view";

export type HistoryEntry = { id: number; status: string; at: Date; note: string | null; error: MessageError | null; warnings: string[]; actorName: string | null };

/** Every status an inbound message went through, oldest first, with the reason and who acted (or the interface). */
export function MessageHistory({ events, timeZone }: { events: HistoryEntry[]; timeZone: string }) {
  const t = useTranslations("erp.message");
  return (
    <Table caption={t("historyCaption")}>
      <THead>
        <Tr>
          <Th>{t("colWhen")}</Th>
          <Th>{t("colStatus")}</Th>
          <Th>{t("colWhatHappened")}</Th>
          <Th>{t("colBy")}</Th>
        </Tr>
      </THead>
      <TBody>
        {events.map((e) => (
          <Tr key={e.id}>
            <Td>
              <DateTime value={e.at} timeZone={timeZone} />
            </Td>
            <Td>
              <StatusBadge status={e.status} />
            </Td>
            <Td className="max-w-xl">
              {e.note ? <p>{e.note}</p> : null}
              {e.error ? <MessageErrorView error={e.error} compact /> : null}
              {e.warnings.length > 0 ? (
                <ul className="list-disc pl-4 text-sm text-amber-900" aria-label={t("warnings")}>
                  {e.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              ) : null}
              {!e.note && !e.error && e.warnings.length === 0 ? <span className="text-slate-500">—</span> : null}
            </Td>
            <Td>{e.actorName ?? <span className="text-slate-600">{t("byInterface")}</span>}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
