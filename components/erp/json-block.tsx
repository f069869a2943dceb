/** A JSON value, pretty-printed, scrolling inside its box (payloads can be long). */
export function JsonBlock({ value, label, maxHeight = "28rem" }: { value: unknown; label: string; maxHeight?: string }) {
  const text = value === undefined ? "(nothing)" : (JSON.stringify(value, null, 2) ?? String(value));
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      style={{ maxHeight }}
      className="overflow-auto rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-xs leading-relaxed whitespace-pre text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-500"
    >
      {text}
    </pre>
  );
}
