import { getTranslations } from "next-intl/server";
import { SignatureLine } from "@/components/quality/signature-line";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { serverCaller } from "@/server/api/server-caller";
import type { Actor } from "@/server/auth/types";

/**
 * The inspector stamps of a unit's operations (issue 19, Must 5) beside its as-built: who bought each operation off, when,
 * and whether the signature still matches the operation's record (INVALID once it was altered). Nothing when the unit
 * has no stamped operation.
 */
export async function InspectorStamps({ actor, unitId }: { actor: Actor; unitId: string }) {
  const api = await serverCaller(actor);
  const stamps = await api.ncr.unitStamps({ unitId });
  if (stamps.length === 0) return null;
  const t = await getTranslations("ncr.stamps");
  return (
    <Card labelledBy="stamps-heading">
      <CardHeader id="stamps-heading" title={t("title")} description={t("description")} />
      <CardBody>
        <ul className="space-y-2">
          {stamps.map((s) => (
            <li key={s.operationSeq} data-testid="inspector-stamp">
              <p className="font-semibold">{t("operation", { seq: s.operationSeq })}</p>
              {s.signature ? <SignatureLine signature={s.signature} /> : <p className="font-semibold text-red-800">{t("missing")}</p>}
            </li>
          ))}
        </ul>
      </CardBody>
    </Card>
  );
}
