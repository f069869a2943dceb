/** Which physical material: a serial, a lot, or untracked bulk. */
export function LotBadge({ lotNumber, serialNumber }: { lotNumber: string | null; serialNumber: string | null }) {
  if (serialNumber) {
    return (
      <span className="whitespace-nowrap font-mono text-sm">
        <span className="mr-1 text-xs font-sans font-semibold uppercase text-slate-600">SN</span>
        {serialNumber}
      </span>
    );
  }
  if (lotNumber) {
    return (
      <span className="whitespace-nowrap font-mono text-sm">
        <span className="mr-1 text-xs font-sans font-semibold uppercase text-slate-600">Lot</span>
        {lotNumber}
      </span>
    );
  }
  return <span className="text-sm text-slate-600">Untracked</span>;
}

export function PartRev({ partNumber, revision, description }: { partNumber: string; revision: string; description?: string }) {
  return (
    <span>
      <span className="whitespace-nowrap font-mono font-semibold">{partNumber}</span>
      <span className="ml-1 whitespace-nowrap text-slate-700">rev {revision}</span>
      {description ? <span className="block text-xs text-slate-600">{description}</span> : null}
    </span>
  );
}
