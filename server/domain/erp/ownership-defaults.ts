import type { Ownership } from "./versioning";

export type OwnershipDefault = { entity: string; attribute: string; note: string } & Ownership;

const erp = (entity: string, attribute: string, note: string): OwnershipDefault => ({ entity, attribute, owner: "erp", direction: "erp_to_traceline", note });
const tl = (entity: string, attribute: string, note: string, direction: Ownership["direction"] = "none"): OwnershipDefault => ({ entity, attribute, owner: "traceline", direction, note });

/**
 * The ownership registry's starting point (docs/domain.md section 1). Inbound ERP messages write only rows owned by ERP;
 * screens edit only rows owned by Traceline. Changing a row afterwards is change-controlled (proposed, approved, audited).
 */
export const DEFAULT_OWNERSHIP: OwnershipDefault[] = [
  erp("part", "description", "Part master: ERP is the system of record."),
  erp("part", "uom", "Unit of measure comes with the part master."),
  erp("part", "tracking", "Serial / lot / untracked is set on the material master."),
  erp("part", "shelf_life_days", "Shelf life from manufacture, per the material master."),
  erp("part", "min_remaining_shelf_life_days", "Minimum remaining shelf life at use, per the material master."),
  erp("part", "gtin", "GTIN (EAN) of the part's GS1 labels, per the material master; labels are checked against it."),
  tl("part", "out_time_minutes", "Floor life after opening/thawing is a shop-floor process limit, set by manufacturing engineering."),
  erp("part_revision", "status", "Revision release status comes from engineering change in ERP/PLM."),
  erp("bom", "lines", "BOMs and their effectivity are ERP's; a work order freezes its copy at release."),
  erp("routing", "operations", "Routings are ERP's (plant-specific)."),
  tl("routing", "required_skills", "Skills an operator must hold for an operation (special processes): set by quality in Traceline unless ERP's routing carries them."),
  tl("routing", "required_tool_classes", "Tool classes (calibrated tools) an operation requires: set by manufacturing engineering in Traceline unless ERP's routing carries them."),
  erp("work_order", "quantity", "Production order quantity and unit serials to build."),
  erp("work_order", "due_date", "Planning dates come from ERP."),
  erp("work_order", "status", "Release and close come from ERP; execution status is derived on the floor."),
  erp("approved_manufacturer", "status", "AML/ASL approval is ERP's; enforced at the station."),
  erp("manufacturer", "name", "Manufacturer master."),
  erp("supplier", "name", "Supplier master."),
  tl("manufacturer", "authorised_source", "Whether a manufacturer is an authorised source (counterfeit prevention, AS5553 / AS6174): set by quality in Traceline unless ERP's AML messages carry it."),
  tl("supplier", "authorised_source", "Whether a supplier is an authorised (franchised) source: set by quality in Traceline unless ERP's supplier messages carry it."),
  erp("stock", "issued_to_floor", "ERP issues material to the floor; from there Traceline owns it."),
  erp("lot", "expires_at", "Expiry from the supplier's certificate, recorded at receipt in ERP."),
  erp("lot", "manufactured_at", "Date of manufacture, recorded at receipt."),
  erp("lot", "inspection_status", "Receiving inspection result."),
  erp("lot", "certificate_ref", "Certificate of conformance reference."),
  erp("lot", "supplier_lot", "Supplier's own lot number."),
  tl("lot", "out_time_started_at", "When the container was opened or thawed: a floor event."),
  erp("serial_item", "expires_at", "Expiry of a life-limited serialized part."),
  erp("serial_item", "inspection_status", "Receiving inspection result."),
  erp("serial_item", "certificate_ref", "Certificate of conformance reference."),
  erp("serial_item", "supplier_lot", "Supplier's lot the serial came from."),
  erp("serial_item", "uii", "MIL-STD-130 UII when ERP knows it; otherwise Traceline records it at the serial's first accepted label scan."),
  tl("stock", "point_of_use", "Kits, point-of-use and WIP stock are Traceline's; consumption is confirmed to ERP.", "traceline_to_erp"),
  tl("genealogy", "as_built", "Which serial/lot went into which unit: Traceline's as-built record."),
  tl("hold", "status", "Station holds are Traceline's; ERP is told of quality blocks.", "traceline_to_erp"),
  tl("allowed_lot", "list", "Allowed-lot lists are set by quality in Traceline."),
  tl("bom_line", "backflush_rule", "Backflush rules are configured in Traceline (ERP's flag is the default)."),
  erp("erp_stock_snapshot", "lines", "What ERP believes is on the floor, kept for reconciliation."),
];
