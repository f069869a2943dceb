import { getActor } from "@/server/auth/session";
import { whereUsedExport } from "@/app/api/genealogy/export-handlers";

export const dynamic = "force-dynamic";

/** GET ?kind=&id=|supplierLot=&current=1&top=1&format=csv|pdf: the whole where-used answer (all pages) as a file. */
export const GET = whereUsedExport(getActor);
