/* The WIP board as the service returns it and the screens show it (server/services/wip/read-board.ts). */
import type { Blocker } from "./blockers";
import type { UpcomingBlocker } from "./upcoming";

export type WipFilters = {
  line?: string;
  station?: string;
  workOrder?: string;
  part?: string;
  status?: "pending" | "in_progress";
  blockedOnly?: boolean;
  /** one operation cell: `<work center code>/<operation code>` */
  operation?: string;
};

export type WipTile = {
  unitId: string;
  serialItemId: string;
  serial: string;
  workOrderId: string;
  workOrderNumber: string;
  partNumber: string;
  revision: string;
  seq: number;
  status: "pending" | "in_progress";
  stationCode: string | null;
  minutesAtOperation: number;
  blockers: Blocker[];
};

export type WipCell = {
  key: string;
  workCenterCode: string;
  opCode: string;
  description: string;
  stations: string[];
  units: number;
  inProgress: number;
  waiting: number;
  blocked: number;
  longestMinutes: number;
  usualMinutes: number | null;
  tiles: WipTile[];
  more: number;
  /** material its units still need here that expires or runs out of out-time within the site's alert horizons */
  upcoming: UpcomingBlocker[];
  /** how many upcoming blockers in all (upcoming lists the soonest) */
  upcomingTotal: number;
};

export type WipLine = { code: string; name: string; units: number; blocked: number; cells: WipCell[] };

export type WipBoard = {
  asOf: Date;
  shiftEndsAt: Date;
  totals: { units: number; inProgress: number; waiting: number; blocked: number; blockedBy: Partial<Record<Blocker["kind"], number>>; /** upcoming blockers over every operation shown */ upcoming: number };
  options: { lines: { code: string; name: string }[]; stations: { code: string; line: string }[]; workOrders: string[]; parts: string[] };
  lines: WipLine[];
  /** units per operation (all lines, after filters), for the chart */
  wipByOperation: { key: string; units: number; blocked: number }[];
};

export type WipFigures = {
  days: number;
  completedPerDay: { day: string; units: number }[];
  operationTimes: { operation: string; samples: number; averageMinutes: number; longestMinutes: number; medianMinutes: number }[];
  scrapPareto: { reason: string; units: number; cumulativePercent: number }[];
  kitShortages: { part: string; uom: string; shortQty: string; kits: number }[];
};
