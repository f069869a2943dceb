import { toSVG } from "bwip-js/node";
import type { LabelCode } from "@/server/domain/labels/item-label";

/** bwip-js's escape form (parse: true): control characters and `^` as ^NNN. */
const bwipEscape = (s: string) => [...s].map((ch) => (ch === "^" || ch < " " ? `^${String(ch.charCodeAt(0)).padStart(3, "0")}` : ch)).join("");

/**
 * The 2D code of a lot or serial label, rendered on the server to SVG (no script, no image request): a GS1 DataMatrix
 * (FNC1 first, from the bracketed AIs), or a plain Data Matrix holding the ISO/IEC 15434 envelope. `data-scan` carries
 * what a scanner sends when it reads it.
 */
export function ItemDataMatrix({ code, label }: { code: LabelCode; label: string }) {
  const svg =
    code.syntax === "gs1"
      ? toSVG({ bcid: "gs1datamatrix", text: code.bracketed, scale: 4, padding: 2 })
      : toSVG({ bcid: "datamatrix", text: bwipEscape(code.scanned), parse: true, scale: 4, padding: 2 });
  return <div role="img" aria-label={label} data-scan={code.scanned} className="h-40 w-40 shrink-0 [&>svg]:h-full [&>svg]:w-full" dangerouslySetInnerHTML={{ __html: svg }} />;
}
