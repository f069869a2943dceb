/*
 * Test helper: the text a PDF shows, read from its bytes (uncompressed PDFs, as the exports write them). Text drawn in
 * an embedded (Type0/Identity-H) font is decoded through the font's ToUnicode CMap, literal and hex strings of simple
 * fonts as Latin-1. One string per text-showing operator, in content order.
 */
type CMap = Map<number, string>;

function objects(raw: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) out.set(Number(m[1]), m[2]!);
  return out;
}

function utf16(hex: string): string {
  let s = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return s;
}

function parseCMap(stream: string): CMap {
  const map: CMap = new Map();
  for (const block of stream.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      const dst = m[3]!;
      if (dst.startsWith("[")) {
        // an item may hold several UTF-16 units, space-separated (ligatures: <0066 0069> is "fi")
        const items = [...dst.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) => utf16(x[1]!.replace(/\s+/g, "")));
        for (let c = lo; c <= hi && c - lo < items.length; c++) map.set(c, items[c - lo]!);
      } else {
        const base = dst.slice(1, -1);
        const start = parseInt(base, 16);
        for (let c = lo; c <= hi; c++) map.set(c, utf16((start + (c - lo)).toString(16).padStart(base.length, "0")));
      }
    }
  }
  for (const block of stream.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), utf16(m[2]!));
  }
  return map;
}

function unescapeLiteral(s: string): string {
  return s.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
    /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" } as Record<string, string>)[e] ?? e,
  );
}

export function pdfShownText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const objs = objects(raw);
  // font resource name (/F1) -> its ToUnicode map, when it has one
  const fontMaps = new Map<string, CMap>();
  for (const body of objs.values()) {
    const fontDict = body.match(/\/Font\s*<<([^>]*)>>/);
    if (!fontDict) continue;
    for (const m of fontDict[1]!.matchAll(/\/([A-Za-z0-9]+)\s+(\d+) 0 R/g)) {
      const font = objs.get(Number(m[2]));
      const tu = font?.match(/\/ToUnicode (\d+) 0 R/);
      const stream = tu ? objs.get(Number(tu[1])) : undefined;
      if (stream) fontMaps.set(m[1]!, parseCMap(stream));
    }
  }
  const out: string[] = [];
  let cmap: CMap | undefined;
  const decodeHex = (hex: string) => {
    if (!cmap) return Buffer.from(hex, "hex").toString("latin1");
    let s = "";
    for (let i = 0; i + 4 <= hex.length; i += 4) s += cmap.get(parseInt(hex.slice(i, i + 4), 16)) ?? "\uFFFD";
    return s;
  };
  for (const m of raw.matchAll(/\/([A-Za-z0-9]+)\s+[\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
    if (m[1] !== undefined) cmap = fontMaps.get(m[1]);
    else if (m[2] !== undefined) {
      let s = "";
      for (const h of m[2].matchAll(/<([0-9a-fA-F]*)>|\(((?:\\.|[^\\)])*)\)/g)) s += h[1] !== undefined ? decodeHex(h[1]) : unescapeLiteral(h[2]!);
      out.push(s);
    } else if (m[3] !== undefined) out.push(decodeHex(m[3]));
    else out.push(unescapeLiteral(m[4]!));
  }
  return out.join("\n");
}
