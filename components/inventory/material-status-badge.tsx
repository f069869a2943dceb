import { Badge } from "@/components/ui/badge";
import type { MaterialStatus } from "@/server/domain/vocabulary/material-status";

/**
 * The status of material in the floor's one vocabulary (server/domain/vocabulary/material-status.ts): "Usable", or
 * "Not usable: <reasons>" in the words the refusal of a scan uses (wrapping, so every reason stays readable).
 */
export function MaterialStatusBadge({ status }: { status: MaterialStatus }) {
  return status.usable ? (
    <Badge tone="green">{status.label}</Badge>
  ) : (
    <span className="inline-block min-w-32 max-w-64 rounded border border-red-700 bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-900">{status.label}</span>
  );
}
