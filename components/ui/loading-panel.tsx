/** What a page shows while its data loads (loading.tsx, Suspense fallbacks): says what is coming, never a blank. */
export function LoadingPanel({ label, rows = 4 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <p className="font-semibold text-slate-700">{label}</p>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-12 animate-pulse rounded-md bg-slate-200" />
      ))}
    </div>
  );
}
