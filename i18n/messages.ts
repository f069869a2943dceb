/*
 * The message catalogs: one JSON file per namespace and language, messages/<locale>/<namespace>.json (docs/I18N.md).
 * A new namespace is added here for both languages; i18n/catalogs.test.ts checks that both have the same keys.
 */
import type { Locale } from "./locales";
import en_admin from "@/messages/en/admin.json";
import en_alerts from "@/messages/en/alerts.json";
import en_areas from "@/messages/en/areas.json";
import en_common from "@/messages/en/common.json";
import en_erp from "@/messages/en/erp.json";
import en_errors from "@/messages/en/errors.json";
import en_genealogy from "@/messages/en/genealogy.json";
import en_holds from "@/messages/en/holds.json";
import en_kitting from "@/messages/en/kitting.json";
import en_labels from "@/messages/en/labels.json";
import en_material from "@/messages/en/material.json";
import en_mixing from "@/messages/en/mixing.json";
import en_ncr from "@/messages/en/ncr.json";
import en_nextSteps from "@/messages/en/nextSteps.json";
import en_quality from "@/messages/en/quality.json";
import en_reconciliation from "@/messages/en/reconciliation.json";
import en_refusals from "@/messages/en/refusals.json";
import en_roles from "@/messages/en/roles.json";
import en_shell from "@/messages/en/shell.json";
import en_signIn from "@/messages/en/signIn.json";
import en_signatures from "@/messages/en/signatures.json";
import en_station from "@/messages/en/station.json";
import en_status from "@/messages/en/status.json";
import en_storage from "@/messages/en/storage.json";
import en_suspect from "@/messages/en/suspect.json";
import en_transfers from "@/messages/en/transfers.json";
import en_ui from "@/messages/en/ui.json";
import en_validation from "@/messages/en/validation.json";
import en_wip from "@/messages/en/wip.json";
import fr_admin from "@/messages/fr/admin.json";
import fr_alerts from "@/messages/fr/alerts.json";
import fr_areas from "@/messages/fr/areas.json";
import fr_common from "@/messages/fr/common.json";
import fr_erp from "@/messages/fr/erp.json";
import fr_errors from "@/messages/fr/errors.json";
import fr_genealogy from "@/messages/fr/genealogy.json";
import fr_holds from "@/messages/fr/holds.json";
import fr_kitting from "@/messages/fr/kitting.json";
import fr_labels from "@/messages/fr/labels.json";
import fr_material from "@/messages/fr/material.json";
import fr_mixing from "@/messages/fr/mixing.json";
import fr_ncr from "@/messages/fr/ncr.json";
import fr_nextSteps from "@/messages/fr/nextSteps.json";
import fr_quality from "@/messages/fr/quality.json";
import fr_reconciliation from "@/messages/fr/reconciliation.json";
import fr_refusals from "@/messages/fr/refusals.json";
import fr_roles from "@/messages/fr/roles.json";
import fr_shell from "@/messages/fr/shell.json";
import fr_signIn from "@/messages/fr/signIn.json";
import fr_signatures from "@/messages/fr/signatures.json";
import fr_station from "@/messages/fr/station.json";
import fr_status from "@/messages/fr/status.json";
import fr_storage from "@/messages/fr/storage.json";
import fr_suspect from "@/messages/fr/suspect.json";
import fr_transfers from "@/messages/fr/transfers.json";
import fr_ui from "@/messages/fr/ui.json";
import fr_validation from "@/messages/fr/validation.json";
import fr_wip from "@/messages/fr/wip.json";

const en = {
  admin: en_admin,
  alerts: en_alerts,
  areas: en_areas,
  common: en_common,
  erp: en_erp,
  errors: en_errors,
  genealogy: en_genealogy,
  holds: en_holds,
  kitting: en_kitting,
  labels: en_labels,
  material: en_material,
  mixing: en_mixing,
  ncr: en_ncr,
  nextSteps: en_nextSteps,
  quality: en_quality,
  reconciliation: en_reconciliation,
  refusals: en_refusals,
  roles: en_roles,
  shell: en_shell,
  signIn: en_signIn,
  signatures: en_signatures,
  station: en_station,
  status: en_status,
  storage: en_storage,
  suspect: en_suspect,
  transfers: en_transfers,
  ui: en_ui,
  validation: en_validation,
  wip: en_wip,
};

/** The shape of every catalog (English is the reference: next-intl's AppConfig types `t` keys from it). */
export type Messages = typeof en;

const fr: Messages = {
  admin: fr_admin,
  alerts: fr_alerts,
  areas: fr_areas,
  common: fr_common,
  erp: fr_erp,
  errors: fr_errors,
  genealogy: fr_genealogy,
  holds: fr_holds,
  kitting: fr_kitting,
  labels: fr_labels,
  material: fr_material,
  mixing: fr_mixing,
  ncr: fr_ncr,
  nextSteps: fr_nextSteps,
  quality: fr_quality,
  reconciliation: fr_reconciliation,
  refusals: fr_refusals,
  roles: fr_roles,
  shell: fr_shell,
  signIn: fr_signIn,
  signatures: fr_signatures,
  station: fr_station,
  status: fr_status,
  storage: fr_storage,
  suspect: fr_suspect,
  transfers: fr_transfers,
  ui: fr_ui,
  validation: fr_validation,
  wip: fr_wip,
};

export const MESSAGES: Record<Locale, Messages> = { en, fr };

/** The namespaces, in the order of the files (the catalog test walks them). */
export const NAMESPACES = Object.keys(en) as (keyof Messages)[];
