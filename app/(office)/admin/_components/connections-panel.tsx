"use client";

import { Fragment, useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useErrorWords } from "@/components/errors/use-error-words";
import { OutboundSettingsForm, useOutboundSummary, type OutboundSettings } from "./outbound-settings-form";

export type ConnectionRow = {
  id: string;
  name: string;
  source: string;
  keyHint: string;
  plants: { plant: string; siteCode: string | null; siteName: string | null }[];
  createdAt: Date;
  createdByName: string | null;
  revokedAt: Date | null;
  revokedByName: string | null;
  manageable: boolean;
  outbound: OutboundSettings;
};

export type AdminSite = { code: string; name: string };

const input = "min-h-9 w-full rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";
const label = "mb-1 block text-sm font-semibold";

type PlantRow = { key: number; plant: string; siteCode: string };

/**
 * ERP connections: the list (never a key, only its last characters), a form to create one (name, the source its
 * messages carry, ERP plant codes -> sites the admin administers) that shows the clear key once, and revocation with
 * a confirmation step. Actions are disabled until hydrated and while they run; refusals are shown in words.
 */
export function ConnectionsPanel({ connections, adminSites, timeZone }: { connections: ConnectionRow[]; adminSites: AdminSite[]; timeZone: string }) {
  const t = useTranslations("admin.connections");
  const tc = useTranslations("common");
  const { actionErrorMessage } = useErrorWords();
  const outboundSummary = useOutboundSummary();
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const [name, setName] = useState("");
  const [source, setSource] = useState("");
  const [plants, setPlants] = useState<PlantRow[]>([{ key: 0, plant: "", siteCode: adminSites[0]?.code ?? "" }]);
  const [nextKey, setNextKey] = useState(1);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [newKey, setNewKey] = useState<{ name: string; apiKey: string } | null>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const create = useMutation(
    trpc.admin.createConnection.mutationOptions({
      onSuccess: (result, variables) => {
        setNewKey({ name: variables.name, apiKey: result.apiKey });
        setCopied(null);
        setName("");
        setSource("");
        setPlants([{ key: nextKey, plant: "", siteCode: adminSites[0]?.code ?? "" }]);
        setNextKey((k) => k + 1);
        router.refresh();
      },
    }),
  );
  const revoke = useMutation(
    trpc.admin.revokeConnection.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        router.refresh();
      },
    }),
  );

  function onCreate(e: FormEvent) {
    e.preventDefault();
    if (!ready || create.isPending) return;
    setFormProblem(null);
    if (!name.trim()) return setFormProblem(t("giveName"));
    if (!source.trim()) return setFormProblem(t("giveSource"));
    const filled = plants.filter((p) => p.plant.trim());
    if (filled.length === 0) return setFormProblem(t("mapPlant"));
    if (new Set(filled.map((p) => p.plant.trim())).size !== filled.length) return setFormProblem(t("plantOnce"));
    create.mutate({ name: name.trim(), source: source.trim(), plants: filled.map((p) => ({ plant: p.plant.trim(), siteCode: p.siteCode })) });
  }

  async function copyKey() {
    if (!newKey) return;
    try {
      await navigator.clipboard.writeText(newKey.apiKey);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  const busy = !ready || create.isPending;

  return (
    <div className="space-y-5" data-ready={ready ? "true" : "false"}>
      {newKey ? (
        <section aria-labelledby={`${ids}-key`} className="rounded-lg border-2 border-green-600 bg-green-50 p-4">
          <h3 id={`${ids}-key`} className="text-lg font-semibold text-green-900">
            {t("keyTitle", { name: newKey.name })}
          </h3>
          <p className="text-sm text-green-900">{t.rich("keyOnce", { strong: (chunks) => <strong>{chunks}</strong> })}</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <input
              readOnly
              aria-label={t("newKey")}
              value={newKey.apiKey}
              onFocus={(e) => e.currentTarget.select()}
              className="min-h-10 w-full max-w-2xl rounded-md border-2 border-green-700 bg-white px-2 font-mono text-sm"
            />
            <Button variant="secondary" onClick={copyKey} disabled={!ready}>
              {t("copy")}
            </Button>
            <Button variant="ghost" className="text-green-900" onClick={() => setNewKey(null)}>
              {t("stored")}
            </Button>
          </div>
          <p role="status" className="mt-1 text-sm text-green-900">
            {copied === "yes" ? t("copied") : copied === "failed" ? t("copyFailed") : t("copyTip")}
          </p>
        </section>
      ) : null}

      {connections.length === 0 ? (
        <EmptyState title={t("emptyTitle")}>{t("empty")}</EmptyState>
      ) : (
        <Table caption={t("caption")}>
          <THead>
            <Tr>
              <Th>{t("colName")}</Th>
              <Th>{t("colSource")}</Th>
              <Th>{t("colPlants")}</Th>
              <Th>{t("colKey")}</Th>
              <Th>{t("colConfirmations")}</Th>
              <Th>{t("colCreated")}</Th>
              <Th>{t("colStatus")}</Th>
              <Th>
                <span className="sr-only">{t("colActions")}</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {connections.map((c) => (
              <Fragment key={c.id}>
              <Tr className={c.revokedAt ? "text-slate-500" : undefined}>
                <Td className="font-semibold">{c.name}</Td>
                <Td className="font-mono">{c.source}</Td>
                <Td>
                  <ul>
                    {c.plants.map((p) => (
                      <li key={p.plant}>
                        <span className="font-mono">{p.plant}</span> → <span className="font-mono font-semibold">{p.siteCode ?? t("unknownSite")}</span>
                      </li>
                    ))}
                  </ul>
                </Td>
                <Td className="font-mono">…{c.keyHint}</Td>
                <Td className="max-w-xs">
                  <span className="block break-words">{outboundSummary(c.outbound)}</span>
                  {!c.revokedAt && c.manageable ? (
                    <Button variant="secondary" className="mt-1" disabled={!ready} onClick={() => setEditing(editing === c.id ? null : c.id)} aria-expanded={editing === c.id} aria-label={t("changeLabel", { name: c.name })}>
                      {editing === c.id ? t("close") : t("change")}
                    </Button>
                  ) : null}
                </Td>
                <Td>
                  <DateTime value={c.createdAt} timeZone={timeZone} />
                  {c.createdByName ? <span className="block text-xs">{t("by", { name: c.createdByName })}</span> : null}
                </Td>
                <Td>
                  {c.revokedAt ? (
                    <>
                      <Badge tone="neutral">{t("revoked")}</Badge>
                      <span className="block text-xs">
                        <DateTime value={c.revokedAt} timeZone={timeZone} />
                        {c.revokedByName ? <> {t("revokedBy", { name: c.revokedByName })}</> : null}
                      </span>
                    </>
                  ) : (
                    <Badge tone="green">{t("active")}</Badge>
                  )}
                </Td>
                <Td className="min-w-48">
                  {c.revokedAt ? null : !c.manageable ? (
                    <span className="text-xs text-slate-600">{t("notManageable")}</span>
                  ) : confirming === c.id ? (
                    <div role="group" aria-label={t("confirmLabel", { name: c.name })} className="space-y-1">
                      <p className="text-sm font-semibold text-red-900">{t("confirm", { hint: c.keyHint })}</p>
                      <div className="flex gap-2">
                        <Button variant="danger" disabled={!ready || revoke.isPending} onClick={() => revoke.mutate({ connectionId: c.id })}>
                          {revoke.isPending ? t("revoking") : t("yesRevoke")}
                        </Button>
                        <Button variant="secondary" disabled={revoke.isPending} onClick={() => setConfirming(null)}>
                          {tc("cancel")}
                        </Button>
                      </div>
                    </div>
                  ) : (
                    <Button
                      variant="secondary"
                      disabled={!ready || revoke.isPending}
                      onClick={() => {
                        revoke.reset();
                        setConfirming(c.id);
                      }}
                      aria-label={t("revokeLabel", { name: c.name })}
                    >
                      {t("revoke")}
                    </Button>
                  )}
                </Td>
              </Tr>
              {editing === c.id ? (
                <Tr>
                  <Td colSpan={8}>
                    <OutboundSettingsForm connectionId={c.id} name={c.name} current={c.outbound} onDone={() => setEditing(null)} />
                  </Td>
                </Tr>
              ) : null}
              </Fragment>
            ))}
          </TBody>
        </Table>
      )}
      {revoke.error ? (
        <p role="alert" className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">
          {actionErrorMessage(revoke.error)}
        </p>
      ) : null}

      <form onSubmit={onCreate} noValidate aria-labelledby={`${ids}-new`} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-4">
        <h3 id={`${ids}-new`} className="font-semibold">
          {t("newTitle")}
        </h3>
        {adminSites.length === 0 ? (
          <p className="text-sm text-slate-700">{t("notAdmin")}</p>
        ) : (
          <>
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <label htmlFor={`${ids}-name`} className={label}>
                  {t("name")}
                </label>
                <input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder={t("namePlaceholder")} className={input} disabled={create.isPending} />
              </div>
              <div>
                <label htmlFor={`${ids}-source`} className={label}>
                  {t("source")}
                </label>
                <input
                  id={`${ids}-source`}
                  value={source}
                  onChange={(e) => setSource(e.target.value)}
                  maxLength={64}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t("sourcePlaceholder")}
                  className={`${input} font-mono`}
                  disabled={create.isPending}
                />
              </div>
            </div>
            <fieldset className="space-y-2">
              <legend className="text-sm font-semibold">{t("plants")}</legend>
              {plants.map((p, i) => (
                <div key={p.key} className="flex flex-wrap items-end gap-2">
                  <div>
                    <label htmlFor={`${ids}-plant-${p.key}`} className="mb-1 block text-xs font-semibold">
                      {plants.length > 1 ? t("plantNumbered", { n: i + 1 }) : t("plant")}
                    </label>
                    <input
                      id={`${ids}-plant-${p.key}`}
                      value={p.plant}
                      onChange={(e) => setPlants((all) => all.map((x) => (x.key === p.key ? { ...x, plant: e.target.value } : x)))}
                      maxLength={64}
                      autoComplete="off"
                      spellCheck={false}
                      placeholder={t("plantPlaceholder")}
                      className={`${input} w-40 font-mono`}
                      disabled={create.isPending}
                    />
                  </div>
                  <div>
                    <label htmlFor={`${ids}-site-${p.key}`} className="mb-1 block text-xs font-semibold">
                      {plants.length > 1 ? t("siteNumbered", { n: i + 1 }) : t("site")}
                    </label>
                    <select
                      id={`${ids}-site-${p.key}`}
                      value={p.siteCode}
                      onChange={(e) => setPlants((all) => all.map((x) => (x.key === p.key ? { ...x, siteCode: e.target.value } : x)))}
                      className={`${input} w-64`}
                      disabled={create.isPending}
                    >
                      {adminSites.map((s) => (
                        <option key={s.code} value={s.code}>
                          {s.code} · {s.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  {plants.length > 1 ? (
                    <Button variant="secondary" onClick={() => setPlants((all) => all.filter((x) => x.key !== p.key))} disabled={create.isPending}>
                      {t("remove")}
                    </Button>
                  ) : null}
                </div>
              ))}
              <Button
                variant="secondary"
                disabled={busy || plants.length >= 50}
                onClick={() => {
                  setPlants((all) => [...all, { key: nextKey, plant: "", siteCode: adminSites[0]?.code ?? "" }]);
                  setNextKey((k) => k + 1);
                }}
              >
                {t("addPlant")}
              </Button>
            </fieldset>
            <div role="alert" className={formProblem || create.error ? "rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
              {formProblem ?? (create.error ? actionErrorMessage(create.error) : "")}
            </div>
            <Button type="submit" disabled={busy}>
              {create.isPending ? t("creating") : t("submit")}
            </Button>
          </>
        )}
      </form>
    </div>
  );
}
