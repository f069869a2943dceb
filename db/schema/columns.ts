import { numeric, timestamp, uuid } from "drizzle-orm/pg-core";

/** Exact decimal quantity: numeric(18,6), read and written as strings, never floats. */
export const qty = (name: string) => numeric(name, { precision: 18, scale: 6 });
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const id = () => uuid("id").notNull().defaultRandom();
export const siteId = () => uuid("site_id").notNull();
