"use client";

import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { AsBuiltTable, type AsBuiltLine, type AsBuiltRow } from "@/components/genealogy/as-built-table";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { Button } from "@/components/ui/button";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type AsBuiltLevelNode = inferRouterOutputs<AppRouter>["genealogy"]["asBuilt"]["level"]["nodes"][number];

/** the open and close marks of a node (symbols, the same in every language) */
const OPEN_MARK = "▸";
const CLOSE_MARK = "▾";

/** components read per opening (and per "show more") */
const PAGE = 200;

type Opened = { state: "loading" | "ready" | "error"; nodes: AsBuiltLevelNode[]; total: number; error: string | null; more: boolean };

const toRow = (n: AsBuiltLevelNode, depth: number): AsBuiltRow => ({
  ...n,
  depth,
  installedAt: new Date(n.installedAt),
  removedAt: n.removedAt ? new Date(n.removedAt) : null,
});

/**
 * The as-built tree table, opened on demand: the server renders the first level (the page the user asked for); a
 * component with components below it opens with one request for its own level (a page of up to 200, then "show
 * more"), always as the tree stood at the moment the page shows, so what opens agrees with the counts. Nothing below
 * a node is read until it is opened. Buttons wait for hydration.
 */
export function AsBuiltTree({ nodes, at, includeRemoved, timeZone }: { nodes: AsBuiltLevelNode[]; at: string; includeRemoved: boolean; timeZone: string }) {
  const t = useTranslations("genealogy.tree");
  const locale = useLocale();
  const fmt = (n: number) => n.toLocaleString(locale === "fr" ? "fr-FR" : "en-US");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [opened, setOpened] = useState<ReadonlyMap<string, Opened>>(new Map());
  const patch = (edgeId: string, change: (o: Opened | undefined) => Opened | undefined) =>
    setOpened((prev) => {
      const next = new Map(prev);
      const o = change(prev.get(edgeId));
      if (o) next.set(edgeId, o);
      else next.delete(edgeId);
      return next;
    });

  const load = async (n: AsBuiltLevelNode, offset: number) => {
    patch(n.edgeId, (o) => (o ? { ...o, state: offset === 0 ? "loading" : o.state, more: offset > 0, error: null } : { state: "loading", nodes: [], total: n.below, error: null, more: false }));
    try {
      const r = await queryClient.fetchQuery(trpc.genealogy.asBuilt.queryOptions({ serialItemId: n.serialItemId!, at: new Date(at), includeRemoved, offset, limit: PAGE }));
      patch(n.edgeId, (o) => ({ state: "ready", nodes: [...(offset === 0 ? [] : (o?.nodes ?? [])), ...r.level.nodes], total: r.level.total, error: null, more: false }));
    } catch (e) {
      patch(n.edgeId, (o) => ({ state: "error", nodes: o?.nodes ?? [], total: o?.total ?? 0, error: actionErrorMessage(e), more: false }));
    }
  };

  const toggle = (n: AsBuiltLevelNode) => {
    if (opened.has(n.edgeId)) patch(n.edgeId, () => undefined);
    else void load(n, 0);
  };

  const lines: AsBuiltLine[] = [];
  const walk = (level: AsBuiltLevelNode[], depth: number) => {
    for (const n of level) {
      const o = opened.get(n.edgeId);
      const what = n.serialNumber ?? n.partNumber;
      const below = t("below", { count: n.below, countText: fmt(n.below) });
      lines.push({
        kind: "node",
        row: toRow(n, depth),
        toggle:
          n.serialItemId && n.below > 0 ? (
            <button
              type="button"
              disabled={!ready || o?.state === "loading"}
              aria-expanded={Boolean(o)}
              aria-label={o ? t("closeNode", { what, below }) : t("openNode", { what, below })}
              title={o ? t("close") : t("show", { below })}
              onClick={() => toggle(n)}
              className="inline-flex min-h-7 min-w-6 items-center justify-center gap-0.5 whitespace-nowrap rounded border border-slate-400 bg-white px-1 text-xs font-semibold text-slate-900 hover:bg-slate-100 disabled:opacity-50"
            >
              {o ? CLOSE_MARK : OPEN_MARK} <span className="ml-0.5 tabular-nums">{fmt(n.below)}</span>
            </button>
          ) : undefined,
      });
      if (!o) continue;
      if (o.state === "loading") {
        lines.push({ kind: "note", key: `${n.edgeId}:loading`, depth, content: <span role="status">{t("reading", { what })}</span> });
        continue;
      }
      walk(o.nodes, depth + 1);
      if (o.state === "error") {
        lines.push({
          kind: "note",
          key: `${n.edgeId}:error`,
          depth,
          content: (
            <span role="alert" className="text-red-900">
              {t("failed", { what, error: o.error ?? "" })}{" "}
              <Button variant="secondary" onClick={() => void load(n, o.nodes.length)}>
                {t("tryAgain")}
              </Button>
            </span>
          ),
        });
      } else if (o.nodes.length < o.total) {
        const next = Math.min(PAGE, o.total - o.nodes.length);
        lines.push({
          kind: "note",
          key: `${n.edgeId}:more`,
          depth,
          content: (
            <span className="inline-flex items-center gap-2">
              {t("showing", { shown: fmt(o.nodes.length), total: fmt(o.total), what })}
              <Button variant="secondary" disabled={!ready || o.more} onClick={() => void load(n, o.nodes.length)}>
                {o.more ? t("readingMore") : t("showNext", { count: fmt(next) })}
              </Button>
            </span>
          ),
        });
      }
    }
  };
  walk(nodes, 1);
  return <AsBuiltTable lines={lines} timeZone={timeZone} />;
}
