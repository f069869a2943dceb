import { check, foreignKey, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { toolStatus } from "./enums";
import { id, siteId, ts } from "./columns";
import { sites } from "./org";
import { users } from "./users";

/** A skill or certification an operation may require (crimping, sealing, torque, bonding): per site, by code. */
export const skills = pgTable(
  "skills",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "skills_pk", columns: [t.siteId, t.id] }), unique("skills_code_unique").on(t.siteId, t.code)],
);

/**
 * An operator's qualification in a skill: current from `qualified_at` until `expires_at` (null: no expiry) unless
 * revoked. One row per operator and skill, maintained by a supervisor or quality; every change is audited.
 */
export const operatorQualifications = pgTable(
  "operator_qualifications",
  {
    siteId: siteId(),
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    skillId: uuid("skill_id").notNull(),
    qualifiedAt: ts("qualified_at").notNull(),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    updatedBy: uuid("updated_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "operator_qualifications_pk", columns: [t.siteId, t.id] }),
    unique("operator_qualifications_user_skill_unique").on(t.siteId, t.userId, t.skillId),
    foreignKey({ name: "operator_qualifications_skill_fk", columns: [t.siteId, t.skillId], foreignColumns: [skills.siteId, skills.id] }),
    check("operator_qualifications_expiry_after_start", sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.qualifiedAt}`),
  ],
);

/** A tool or gauge in the register: its label code, class (what operations ask for), calibration and status. */
export const tools = pgTable(
  "tools",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    /** what the tool's label carries (asset number) */
    code: text("code").notNull(),
    toolClass: text("tool_class").notNull(),
    description: text("description").notNull(),
    calibratedAt: ts("calibrated_at"),
    /** null: not calibrated (refused where a calibrated tool is required) */
    calibrationDueAt: ts("calibration_due_at"),
    status: toolStatus("status").notNull().default("in_service"),
    /** A signed quality hold on the tool (found out of calibration): refused at the station while set. */
    holdReason: text("hold_reason"),
    heldAt: ts("held_at"),
    heldBy: uuid("held_by").references(() => users.id, { onDelete: "restrict" }),
    holdSignatureId: uuid("hold_signature_id"),
    /**
     * The installs the hold suspects: those made with the tool at or after this time (its last good calibration), or
     * every install made with it when null. Their units are marked on the WIP board while the hold stands.
     */
    holdAffectsSince: ts("hold_affects_since"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "tools_pk", columns: [t.siteId, t.id] }),
    unique("tools_code_unique").on(t.siteId, t.code),
    check("tools_hold_complete", sql`(${t.heldAt} is null) = (${t.holdReason} is null) and (${t.heldAt} is null) = (${t.heldBy} is null)`),
  ],
);
