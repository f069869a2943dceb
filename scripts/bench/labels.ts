// Labels as a scanner types them, for the station benchmark's tablets.

const GS = "\u001d";
/** GS1's example GTIN (valid check digit); the app looks material up by lot and part number. */
const GTIN = "09506000134352";

/**
 * A lot label as a hand scanner sends it from a GS1 DataMatrix: the AIM symbology identifier ]d2, GTIN (01), lot (10,
 * variable length, so a GS separator follows it) and the part number (240).
 */
export function lotLabel(lotNumber: string, partNumber: string): string {
  return `]d201${GTIN}10${lotNumber}${GS}240${partNumber}`;
}
