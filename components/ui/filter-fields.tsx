import type { ReactNode } from "react";

/** The look of a filter control in the office lists (GET forms whose values live in the URL). */
export const filterField = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none";

function FilterLabel({ htmlFor, children }: { htmlFor: string; children: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="mb-1 block text-sm font-semibold">
      {children}
    </label>
  );
}

/** A select of a filter form: "any" first, then the options (value, label). */
export function FilterSelect({
  id,
  name,
  label,
  anyLabel,
  options,
  value,
}: {
  id: string;
  name: string;
  label: string;
  anyLabel: string;
  options: readonly { value: string; label: string }[];
  value: string | undefined;
}) {
  return (
    <div>
      <FilterLabel htmlFor={id}>{label}</FilterLabel>
      <select id={id} name={name} defaultValue={value ?? ""} className={filterField}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A free-text search of a filter form (identifiers: monospace, no spell check). */
export function FilterSearch({ id, name, label, value, placeholder }: { id: string; name: string; label: string; value: string | undefined; placeholder: string }) {
  return (
    <div>
      <FilterLabel htmlFor={id}>{label}</FilterLabel>
      <input id={id} name={name} defaultValue={value ?? ""} maxLength={200} autoComplete="off" spellCheck={false} placeholder={placeholder} className={`${filterField} w-64 font-mono`} />
    </div>
  );
}

/** A date of a filter form. */
export function FilterDate({ id, name, label, value }: { id: string; name: string; label: string; value: string | undefined }) {
  return (
    <div>
      <FilterLabel htmlFor={id}>{label}</FilterLabel>
      <input id={id} name={name} type="date" defaultValue={value ?? ""} className={filterField} />
    </div>
  );
}

/** What the URL asked for that could not be used, said once above the list. */
export function FilterProblems({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul role="alert" className="rounded-md border-2 border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}
