import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { INVALID_SIGNATURE_TEXT } from "@/server/domain/quality/signature";

export type SignatureLineProps = {
  display: string;
  meaning: string;
  meaningDescription: string;
  authMethod: string;
  status: "valid" | "invalid";
};

/**
 * One electronic signature as the record shows it: printed name, meaning, time with time zone ("Priya Raman — hold —
 * 2026-11-25 10:42 CST (America/Chicago)"), and a loud INVALID when the record changed after signing.
 */
export function SignatureLine({ signature }: { signature: SignatureLineProps }) {
  const invalid = signature.status === "invalid";
  return (
    <div className={invalid ? "rounded border-2 border-red-600 bg-red-50 px-2 py-1" : "px-0 py-0.5"} data-testid="signature">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900">{signature.display}</span>
        {invalid ? <Badge tone="red">{INVALID_SIGNATURE_TEXT}</Badge> : <Badge tone="green">Signature valid</Badge>}
      </div>
      <p className="text-xs text-slate-600">
        Signed “{signature.meaningDescription}” with {signature.authMethod === "pin" ? "badge PIN" : "password"}.
      </p>
    </div>
  );
}

export function SignatureList({ signatures, placedBy }: { signatures: SignatureLineProps[]; placedBy?: ReactNode }) {
  if (signatures.length === 0) return placedBy ? <>{placedBy}</> : <span className="font-semibold text-red-800">No signature on record</span>;
  return (
    <div className="space-y-1">
      {signatures.map((s, i) => (
        <SignatureLine key={i} signature={s} />
      ))}
    </div>
  );
}
