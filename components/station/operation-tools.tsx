"use client";

import { useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

const field = "min-h-12 rounded-md border-2 border-slate-400 bg-white px-3 text-lg";

/**
 * What an operation asks of the operator beyond material: the skills they must hold (checked by the server at every
 * install and completion) and the tools to scan. The scanned tool codes stay for the operation's later scans and the
 * completion; the server checks each one (register, calibration, hold) and records it with the install.
 */
export function OperationTools({
  id,
  requiredSkills,
  requiredToolClasses,
  tools,
  onTools,
  disabled,
}: {
  id: string;
  requiredSkills: string[];
  requiredToolClasses: string[];
  tools: string[];
  onTools: (tools: string[]) => void;
  disabled: boolean;
}) {
  const t = useTranslations("ui.tools");
  const [code, setCode] = useState("");
  const strong = (chunks: ReactNode) => <strong className="font-mono">{chunks}</strong>;
  const add = () => {
    const c = code.trim();
    if (c !== "" && !tools.some((t) => t.toUpperCase() === c.toUpperCase())) onTools([...tools, c]);
    setCode("");
  };
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-300 p-3">
      <legend className="px-1 text-lg font-semibold">{t("legend")}</legend>
      <p className="text-base">
        {requiredSkills.length > 0 ? t.rich("skillsRequired", { skills: requiredSkills.join(", "), strong }) : t("noSkill")}{" "}
        {requiredToolClasses.length > 0 ? t.rich("toolsRequired", { tools: requiredToolClasses.join(", "), strong }) : t("noTool")}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-tool`} className="mb-1 block font-semibold">
            {t("scanLabel")}
          </label>
          <input
            id={`${id}-tool`}
            data-own-scan=""
            className={`${field} w-56 font-mono`}
            value={code}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
            disabled={disabled}
          />
        </div>
        <Button type="button" size="lg" variant="secondary" onClick={add} disabled={disabled || code.trim() === ""}>
          {t("add")}
        </Button>
      </div>
      {tools.length > 0 ? (
        <ul aria-label={t("list")} className="flex flex-wrap gap-2">
          {tools.map((tool) => (
            <li key={tool} className="flex items-center gap-2 rounded border border-slate-400 bg-slate-50 px-2 py-1 font-mono text-lg">
              {tool}
              <Button type="button" variant="ghost" onClick={() => onTools(tools.filter((x) => x !== tool))} aria-label={t("remove", { tool })} disabled={disabled}>
                ×
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
