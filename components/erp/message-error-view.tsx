import { useTranslations } from "next-intl";
import type { MessageError } from "@/server/domain/erp/message-error";

/** Why a message was refused: its code, the sentence, and the envelope fields at fault. */
export function MessageErrorView({ error, compact = false }: { error: MessageError; compact?: boolean }) {
  const t = useTranslations("erp.message");
  return (
    <div className={compact ? "text-sm text-red-900" : "text-red-900"}>
      <p>
        {error.code ? <span className="mr-1 font-mono text-xs font-semibold">{error.code}</span> : null}
        {error.message}
      </p>
      {error.fields.length > 0 ? (
        <ul className={compact ? "mt-0.5 list-disc pl-4 text-xs" : "mt-1 list-disc pl-5 text-sm"} aria-label={t("fieldsAtFault")}>
          {error.fields.map((f, i) => (
            <li key={`${f.field}-${i}`}>
              {f.field ? <span className="font-mono font-semibold">{f.field}</span> : null}
              {/* the reason is often the message itself: say it once */}
              {f.reason && f.reason !== error.message ? (
                <>
                  {f.field ? ": " : null}
                  {f.reason}
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
