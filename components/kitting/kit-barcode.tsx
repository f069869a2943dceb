import { toSVG } from "bwip-js/node";

/** A Data Matrix of the kit number, rendered on the server to SVG (no script, no image request). */
export function KitDataMatrix({ text, label }: { text: string; label: string }) {
  const svg = toSVG({ bcid: "datamatrix", text, scale: 4, padding: 2 });
  return <div role="img" aria-label={label} className="h-40 w-40 [&>svg]:h-full [&>svg]:w-full" dangerouslySetInnerHTML={{ __html: svg }} />;
}
