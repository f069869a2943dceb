import { getActor } from "@/server/auth/session";
import { asBuiltExport } from "@/app/api/genealogy/export-handlers";

export const dynamic = "force-dynamic";

/** GET ?item=<serial item id>&at=<YYYY-MM-DDTHH:mm site wall time, optional>&format=csv|pdf: the as-built as a file. */
export const GET = asBuiltExport(getActor);
