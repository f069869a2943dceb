/*
 * The message catalogs: one JSON file per namespace and language, messages/<locale>/<namespace>.json (docs/I18N.md).
 * A new namespace is added here for both languages; i18n/catalogs.test.ts checks that both have the same keys.
 */
import type { Locale } from "./locales";
import en_areas from "@/messages/en/areas.json";
import en_common from "@/messages/en/common.json";
import en_errors from "@/messages/en/errors.json";
import en_material from "@/messages/en/material.json";
import en_nextSteps from "@/messages/en/nextSteps.json";
import en_ncr from "@/messages/en/ncr.json";
import en_refusals from "@/messages/en/refusals.json";
import en_roles from "@/messages/en/roles.json";
import en_shell from "@/messages/en/shell.json";
import en_signIn from "@/messages/en/signIn.json";
import en_signatures from "@/messages/en/signatures.json";
import en_station from "@/messages/en/station.json";
import en_status from "@/messages/en/status.json";
import en_storage from "@/messages/en/storage.json";
import en_suspect from "@/messages/en/suspect.json";
import fr_areas from "@/messages/fr/areas.json";
import fr_common from "@/messages/fr/common.json";
import fr_errors from "@/messages/fr/errors.json";
import fr_material from "@/messages/fr/material.json";
import fr_nextSteps from "@/messages/fr/nextSteps.json";
import fr_ncr from "@/messages/fr/ncr.json";
import fr_refusals from "@/messages/fr/refusals.json";
import fr_roles from "@/messages/fr/roles.json";
import fr_shell from "@/messages/fr/shell.json";
import fr_signIn from "@/messages/fr/signIn.json";
import fr_signatures from "@/messages/fr/signatures.json";
import fr_station from "@/messages/fr/station.json";
import fr_status from "@/messages/fr/status.json";
import fr_storage from "@/messages/fr/storage.json";
import fr_suspect from "@/messages/fr/suspect.json";

const en = {
  areas: en_areas,
  common: en_common,
  errors: en_errors,
  material: en_material,
  nextSteps: en_nextSteps,
  ncr: en_ncr,
  refusals: en_refusals,
  roles: en_roles,
  shell: en_shell,
  signIn: en_signIn,
  signatures: en_signatures,
  station: en_station,
  status: en_status,
  storage: en_storage,
  suspect: en_suspect,
};

/** The shape of every catalog (English is the reference: next-intl's AppConfig types `t` keys from it). */
export type Messages = typeof en;

const fr: Messages = {
  areas: fr_areas,
  common: fr_common,
  errors: fr_errors,
  material: fr_material,
  nextSteps: fr_nextSteps,
  ncr: fr_ncr,
  refusals: fr_refusals,
  roles: fr_roles,
  shell: fr_shell,
  signIn: fr_signIn,
  signatures: fr_signatures,
  station: fr_station,
  status: fr_status,
  storage: fr_storage,
  suspect: fr_suspect,
};

export const MESSAGES: Record<Locale, Messages> = { en, fr };

/** The namespaces, in the order of the files (the catalog test walks them). */
export const NAMESPACES = Object.keys(en) as (keyof Messages)[];
