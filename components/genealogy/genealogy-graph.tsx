import dagre from "@dagrejs/dagre";
import Link from "next/link";
import type { ReactNode } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { GraphModel, GraphNode } from "./graph-model";

const W = 190;
const H = 46;

const FILL: Record<GraphNode["tone"], { fill: string; stroke: string }> = {
  root: { fill: "#0f172a", stroke: "#0f172a" },
  unit: { fill: "#eff6ff", stroke: "#1d4ed8" },
  serial: { fill: "#eff6ff", stroke: "#1d4ed8" },
  lot: { fill: "#f8fafc", stroke: "#475569" },
  removed: { fill: "#fef2f2", stroke: "#b91c1c" },
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * A genealogy graph laid out by dagre (layered, left to right) and drawn as SVG on the server: no client script, so it
 * shows before hydration and prints. Serial nodes link to their own as-built. When the model is capped the view says
 * "showing N of M" and links to the table for all.
 */
export function GenealogyGraph({ model, noun, tableHref, label }: { model: GraphModel; noun: string; tableHref: string; label: string }) {
  const t = useTranslations("genealogy.graph");
  const locale = useLocale();
  const fmt = (n: number) => n.toLocaleString(locale === "fr" ? "fr-FR" : "en-US");
  const strong = (chunks: ReactNode) => <strong className="tabular-nums">{chunks}</strong>;
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 10, ranksep: 60, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) g.setNode(n.id, { width: W, height: H });
  for (const e of model.edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const graph = g.graph();
  const width = Math.ceil(graph.width ?? W);
  const height = Math.ceil(graph.height ?? H);
  const capped = model.shown < model.total;
  return (
    <figure aria-label={label}>
      <figcaption className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
        <span role="status">
          {capped ? (
            <>
              {t.rich("showing", { shown: fmt(model.shown), total: fmt(model.total), noun, strong })}{" "}
              <Link href={tableHref} className="font-semibold text-blue-800 underline">
                {t("openTable")}
              </Link>
            </>
          ) : (
            <>{t("all", { shown: fmt(model.shown), noun })}</>
          )}
        </span>
      </figcaption>
      <div className="max-h-[70vh] overflow-auto rounded-md border border-slate-300 bg-white">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="block">
          <g fill="none" strokeWidth={1.5}>
            {model.edges.map((e) => {
              // Left to right: from the right side of the parent to the left side of the child, as a smooth curve.
              const a = g.node(e.from);
              const b = g.node(e.to);
              if (!a || !b) return null;
              const [x1, y1, x2, y2] = [a.x + W / 2, a.y, b.x - W / 2, b.y];
              const mid = (x1 + x2) / 2;
              const d = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
              return <path key={`${e.from}>${e.to}`} d={d} stroke={e.dashed ? "#b91c1c" : "#64748b"} strokeDasharray={e.dashed ? "5 4" : undefined} />;
            })}
          </g>
          {model.nodes.map((n) => {
            const p = g.node(n.id);
            if (!p) return null;
            const x = p.x - W / 2;
            const y = p.y - H / 2;
            const c = FILL[n.tone];
            const dark = n.tone === "root";
            const box = (
              <g>
                <title>{`${n.title} — ${n.subtitle}`}</title>
                <rect x={x} y={y} width={W} height={H} rx={6} fill={c.fill} stroke={c.stroke} strokeWidth={1.5} strokeDasharray={n.tone === "removed" ? "5 4" : undefined} />
                <text x={x + 8} y={y + 19} fontSize={13} fontFamily="ui-monospace, monospace" fontWeight={600} fill={dark ? "#fff" : "#0f172a"}>
                  {clip(n.title, 24)}
                </text>
                <text x={x + 8} y={y + 36} fontSize={11} fill={dark ? "#cbd5e1" : "#334155"}>
                  {clip(n.subtitle, 30)}
                </text>
              </g>
            );
            return n.href ? (
              <a key={n.id} href={n.href} aria-label={t("openNode", { title: n.title })}>
                {box}
              </a>
            ) : (
              <g key={n.id}>{box}</g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
