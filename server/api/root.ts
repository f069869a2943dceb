import "server-only";
import { createRouter } from "./trpc";
import { sessionRouter } from "./routers/session";
import { plantRouter } from "./routers/plant";
import { stationRouter } from "./routers/station";
import { kittingRouter } from "./routers/kitting";
import { genealogyRouter } from "./routers/genealogy";
import { qualityRouter } from "./routers/quality";
import { wipRouter } from "./routers/wip";
import { productionRouter } from "./routers/production";
import { erpRouter } from "./routers/erp";
import { adminRouter } from "./routers/admin";
import { qualificationRouter } from "./routers/qualification";
import { toolsRouter } from "./routers/tools";
import { reconciliationRouter } from "./routers/reconciliation";
import { containmentRouter } from "./routers/containment";
import { transfersRouter } from "./routers/transfers";
import { enterpriseRouter } from "./routers/enterprise";
import { ncrRouter } from "./routers/nonconformance";
import { materialRouter } from "./routers/material";

/** Every procedure the browser can call, one router per area (server/api/routers/<module>.ts). */
export const appRouter = createRouter({
  session: sessionRouter,
  plant: plantRouter,
  station: stationRouter,
  kitting: kittingRouter,
  genealogy: genealogyRouter,
  quality: qualityRouter,
  wip: wipRouter,
  production: productionRouter,
  erp: erpRouter,
  admin: adminRouter,
  qualification: qualificationRouter,
  tools: toolsRouter,
  reconciliation: reconciliationRouter,
  containment: containmentRouter,
  transfers: transfersRouter,
  enterprise: enterpriseRouter,
  ncr: ncrRouter,
  material: materialRouter,
});

export type AppRouter = typeof appRouter;
