import { Badge } from "@/components/ui/badge";
import type { MaterialStatus } from "@/server/domain/vocabulary/material-status";

/**
 * The status of material in the floor's one vocabulary (server/domain/vocabulary/material-status.ts): "Usable", or
 * "Not usable: <reasons>" in the words the refusal of a scan uses.
 */
export function MaterialStatusBadge({ status }: { status: MaterialStatus }) {
  return status.usable ? (
    <Badge tone="green">{status.label}</Badge>
  ) : (
    <Badge tone="red" className="whitespace-normal">
      {status.label}
    </Badge>
  );
}
