import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { b2mmlToEnvelopes, findXmlSyntaxError, type B2mmlResult } from "./b2mml";
import { envelope, PAYLOADS, type Envelope } from "./messages";
import { b2mmlFixture, b2mmlSchemaErrors, b2mmlSchemaErrorsOf } from "./b2mml-schema.test-helper";

const receivedAt = new Date("2026-11-25T15:00:00Z");
const map = (xml: string, plant?: string): B2mmlResult => b2mmlToEnvelopes(xml, { source: "SAP-PRD", receivedAt, ...(plant ? { plant } : {}) });

/** A fixture with exact text replacements; each `from` must occur, so a case never silently tests the original. */
function edit(name: string, ...changes: [string | RegExp, string][]): string {
  let xml = b2mmlFixture(name);
  for (const [from, to] of changes) {
    const next = xml.replace(from, to);
    if (next === xml) throw new Error(`edit(${name}): ${String(from)} not found`);
    xml = next;
  }
  return xml;
}

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

type Case = {
  name: string;
  xml: string;
  plant?: string;
  /** Expected envelopes (partial match, in order), or their count. */
  envelopes?: Partial<Envelope>[] | number;
  /** Expected errors: field (exact) and a fragment of the reason. */
  errors?: { field: string; reason: string | RegExp }[];
};

// Every document of this table is valid against the official B2MML V0700 schemas (asserted before it is used):
// the mapper's errors are about what Traceline needs, never about XML that the schemas would refuse anyway.
const CASES: Case[] = [
  {
    name: "a MaterialDefinition BOD maps to parts, then the BOM of the assembly",
    xml: b2mmlFixture("material-definitions.xml"),
    envelopes: [
      {
        messageId: "MATMAS-0000481516#1.part",
        type: "part",
        key: "SEAL-310",
        version: 3,
        plant: "P100",
        occurredAt: "2026-11-20T14:00:00.000Z",
        payload: { partNumber: "SEAL-310", description: "O-ring seal, fluorosilicone, AMS 7273", uom: "EA", tracking: "lot", shelfLifeDays: 365, revisions: [{ revision: "A", status: "released" }] },
      },
      // no <Version>: the BOD's CreationDateTime as a change stamp (ms since 1970)
      { messageId: "MATMAS-0000481516#2.part", key: "BOLT-12", version: Date.parse("2026-11-20T08:00:00-06:00"), versionKind: "timestamp", payload: { partNumber: "BOLT-12", description: "Bolt, hex head, NAS1352-3-12", uom: "EA", tracking: "untracked", revisions: [{ revision: "A", status: "released" }] } },
      { messageId: "MATMAS-0000481516#3.part", key: "VALVE-9", payload: expect.objectContaining({ tracking: "serial" }) },
      {
        messageId: "MATMAS-0000481516#4.part",
        key: "ACT-200",
        payload: expect.objectContaining({ revisions: [{ revision: "A", status: "obsolete" }, { revision: "B", status: "released" }] }),
      },
      {
        messageId: "MATMAS-0000481516#4.bom",
        type: "bom",
        key: "ACT-200/B",
        version: 1,
        payload: {
          partNumber: "ACT-200",
          revision: "B",
          lines: [
            { findNumber: 10, partNumber: "SEAL-310", revision: "A", quantity: "2", operationSeq: 10, backflush: false },
            { findNumber: 20, partNumber: "BOLT-12", revision: "A", quantity: "4", operationSeq: 10, backflush: true },
            { findNumber: 30, partNumber: "VALVE-9", revision: "C", quantity: "1", operationSeq: 20, effectiveFrom: "2026-12-01", backflush: false },
          ],
        },
      },
    ],
    errors: [],
  },
  {
    name: "a MaterialLot BOD issues a lot, and untracked bulk without a lot number",
    xml: b2mmlFixture("material-lot-issue.xml"),
    envelopes: [
      {
        messageId: "GI-4900012345#1.material_issue",
        key: "L-4471", // the goods issue's business key: the lot event (no MaterialDocument property)
        type: "material_issue",
        plant: "P100",
        occurredAt: "2026-11-21T15:30:00.000Z",
        payload: {
          partNumber: "SEAL-310",
          revision: "A",
          lotNumber: "L-4471",
          quantity: "40",
          location: "STORES",
          manufacturer: "81349",
          supplierLot: "PK-22-0915",
          expiresAt: "2027-06-30T23:59:59-05:00",
          inspectionStatus: "accepted",
          certificateRef: "COC-2026-7781",
        },
      },
      { messageId: "GI-4900012345#2.material_issue", payload: { partNumber: "BOLT-12", revision: "A", quantity: "250", location: "STORES", manufacturer: "56878", inspectionStatus: "accepted" } },
    ],
    errors: [],
  },
  {
    name: "a bare MaterialLot with sub-lots issues one serial each; plant from ?plant=, ids from the content",
    xml: b2mmlFixture("material-lot-serials.xml"),
    plant: "P100",
    envelopes: [
      {
        messageId: expect.stringMatching(/^b2mml-[0-9a-f]{64}$/),
        plant: "P100",
        occurredAt: "2026-11-21T16:00:00.000Z",
        payload: { partNumber: "VALVE-9", revision: "C", serialNumber: "VS-0001", quantity: "1", location: "QUARANTINE", manufacturer: "0FA12", inspectionStatus: "pending", certificateRef: "COC-V-0001" },
      },
      { payload: expect.objectContaining({ serialNumber: "VS-0002", certificateRef: "COC-V-0002", location: "QUARANTINE" }) },
    ],
    errors: [],
  },
  {
    name: "a document without a Site HierarchyScope and without ?plant= names no plant",
    xml: b2mmlFixture("material-lot-serials.xml"),
    envelopes: 0,
    errors: [{ field: "/MaterialLot", reason: /No plant: give a HierarchyScope with EquipmentLevel Site .*\(line 7\)/ }],
  },
  {
    name: "?plant= that contradicts the document's HierarchyScope is an error",
    xml: b2mmlFixture("material-lot-issue.xml"),
    plant: "P200",
    envelopes: 0,
    errors: [
      { field: "/SyncMaterialLot/DataArea/MaterialLot[1]/HierarchyScope", reason: "for plant P100, but the request names plant P200" },
      { field: "/SyncMaterialLot/DataArea/MaterialLot[2]/HierarchyScope", reason: "for plant P100, but the request names plant P200" },
    ],
  },
  {
    name: "?plant= that agrees with the document is fine",
    xml: b2mmlFixture("material-lot-issue.xml"),
    plant: "P100",
    envelopes: 2,
    errors: [],
  },
  {
    name: "an OperationsDefinition maps to a routing with its operations and parameter limits",
    xml: b2mmlFixture("operations-definition.xml"),
    envelopes: [
      {
        messageId: "ROUTING-R-ACT-200-0002#1.routing",
        type: "routing",
        key: "R-ACT-200",
        version: 2,
        plant: "P100",
        payload: {
          code: "R-ACT-200",
          partNumber: "ACT-200",
          revision: "B",
          operations: [
            { seq: 10, code: "ASSY", description: "Install seals and torque end cap", workCenter: "WC1", parameters: [{ name: "END_CAP_TORQUE", unit: "N.m", min: "23.5", max: "26.5" }] },
            { seq: 20, code: "TEST", description: "Functional test", workCenter: "WC1", parameters: [] },
          ],
        },
      },
    ],
    errors: [],
  },
  {
    name: "an OperationsSchedule releases a production order",
    xml: b2mmlFixture("operations-schedule-release.xml"),
    envelopes: [
      {
        messageId: "LOIPRO-1000457#1.production_order",
        type: "production_order",
        key: "WO-5001",
        version: 1,
        plant: "P100",
        payload: { action: "release", number: "WO-5001", partNumber: "ACT-200", revision: "B", quantity: 2, serials: ["SN-1001", "SN-1002"], routing: "R-ACT-200", dueDate: "2026-12-10" },
      },
    ],
    errors: [],
  },
  {
    name: "a later version of the request is a change",
    xml: b2mmlFixture("operations-schedule-change.xml"),
    envelopes: [{ version: 2, payload: { action: "change", number: "WO-5001", partNumber: "ACT-200", revision: "B", quantity: 3, serials: ["SN-1001", "SN-1002", "SN-1003"], dueDate: "2026-12-10" } }],
    errors: [],
  },
  {
    name: "RequestState Closed closes the order",
    xml: b2mmlFixture("operations-schedule-close.xml"),
    envelopes: [{ version: 3, payload: { action: "close", number: "WO-5001" } }],
    errors: [],
  },
  {
    name: "a Change BOD is a change even at version 1",
    xml: edit("operations-schedule-release.xml", [/ProcessOperationsSchedule/g, "ChangeOperationsSchedule"], ["<Process/>", "<Change/>"]),
    envelopes: [{ version: 1, payload: expect.objectContaining({ action: "change" }) }],
    errors: [],
  },
  {
    name: "unit serials may come from property SerialNumber",
    xml: edit(
      "operations-schedule-release.xml",
      [/\s*<MaterialSubLotID>SN-100\d<\/MaterialSubLotID>/g, ""],
      [
        "</MaterialRequirementProperty>",
        "</MaterialRequirementProperty>\n<MaterialRequirementProperty><ID>SerialNumber</ID><Value><ValueString>U-1</ValueString></Value><Value><ValueString>U-2</ValueString></Value></MaterialRequirementProperty>",
      ],
    ),
    envelopes: [{ payload: expect.objectContaining({ action: "release", serials: ["U-1", "U-2"] }) }],
    errors: [],
  },
  {
    name: "a MaterialInformation maps what it can: the MaterialClass is refused, the definition still maps",
    xml: b2mmlFixture("material-information.xml"),
    envelopes: [
      {
        messageId: expect.stringMatching(/^b2mml-[0-9a-f]{64}$/),
        key: "SEAL-310",
        version: 4,
        plant: "P100",
        occurredAt: "2026-11-24T12:00:00.000Z",
        payload: expect.objectContaining({ tracking: "lot", shelfLifeDays: 730, minRemainingShelfLifeDays: 90, revisions: [{ revision: "A", status: "released" }, { revision: "B", status: "released" }] }),
      },
    ],
    errors: [{ field: "/MaterialInformation/MaterialClass", reason: "Traceline does not mirror material classes" }],
  },
  {
    name: "a nil ShelfLifeDays clears the shelf life",
    xml: edit("material-information.xml", ['<MaterialInformation xmlns="http://www.mesa.org/xml/B2MML">', `<MaterialInformation xmlns="http://www.mesa.org/xml/B2MML" ${XSI}>`], ["<ValueString>730</ValueString>", '<ValueString xsi:nil="true"/>']),
    envelopes: [{ payload: expect.objectContaining({ shelfLifeDays: null }) }],
  },
  {
    name: "a BOD without BODID gets content-hash ids",
    xml: edit("material-lot-issue.xml", ["<BODID>GI-4900012345</BODID>", ""]),
    envelopes: [{ messageId: expect.stringMatching(/^b2mml-[0-9a-f]{64}$/), occurredAt: "2026-11-21T15:30:00.000Z" }, { messageId: expect.stringMatching(/^b2mml-[0-9a-f]{64}$/) }],
    errors: [],
  },
  // --- elements that cannot be mapped: precise path and reason, no envelope for that element, the others still map
  {
    name: "a Version that is not a whole number",
    xml: edit("material-definitions.xml", ["<Version>3</Version>", "<Version>C</Version>"]),
    envelopes: [{ key: "BOLT-12" }, { key: "VALVE-9" }, { key: "ACT-200" }, { key: "ACT-200/B" }],
    errors: [{ field: "/SyncMaterialDefinition/DataArea/MaterialDefinition[1]/Version", reason: /Version must be a whole number of at least 1 \(got "C"\).*\(line 19\)/ }],
  },
  {
    name: "a part without its unit of measure",
    xml: edit("material-definitions.xml", [/<MaterialDefinitionProperty>\s*<ID>UnitOfMeasure<\/ID>\s*<Value><ValueString>EA<\/ValueString><\/Value>\s*<\/MaterialDefinitionProperty>(?=\s*<MaterialDefinitionProperty>\s*<ID>TrackingType<\/ID>\s*<Value><ValueString>untracked)/, ""]),
    envelopes: 4,
    errors: [{ field: "/SyncMaterialDefinition/DataArea/MaterialDefinition[2]", reason: "Property UnitOfMeasure is required" }],
  },
  {
    name: "a tracking type given twice",
    xml: edit("material-definitions.xml", ["<ID>TrackingType</ID>", "<ID>TrackingType</ID>\n<Value><ValueString>serial</ValueString></Value>"]),
    envelopes: 4,
    errors: [{ field: "/SyncMaterialDefinition/DataArea/MaterialDefinition[1]/MaterialDefinitionProperty[2]", reason: "Property TrackingType must have exactly one Value (it has 2)" }],
  },
  {
    name: "a BOM line without its operation drops the assembly's part and BOM, not the components",
    xml: edit("material-definitions.xml", ["<MaterialDefinitionProperty><ID>OperationSequence</ID><Value><ValueString>20</ValueString></Value></MaterialDefinitionProperty>", ""]),
    envelopes: [{ key: "SEAL-310" }, { key: "BOLT-12" }, { key: "VALVE-9" }],
    errors: [{ field: "/SyncMaterialDefinition/DataArea/MaterialDefinition[4]/AssemblyDefinition[3]", reason: "Property OperationSequence is required" }],
  },
  {
    name: "a BOM whose parent revision is ambiguous",
    xml: edit("material-definitions.xml", [/<MaterialDefinitionProperty>\s*<ID>BOMRevision<\/ID>[\s\S]*?<\/MaterialDefinitionProperty>/, ""], ["<ValueString>obsolete</ValueString>", "<ValueString>released</ValueString>"]),
    envelopes: 3,
    errors: [{ field: "/SyncMaterialDefinition/DataArea/MaterialDefinition[4]", reason: "add property BOMRevision" }],
  },
  {
    name: "a multi-level AssemblyDefinition",
    xml: edit("material-definitions.xml", ["<MaterialDefinitionProperty><ID>OperationSequence</ID><Value><ValueString>20</ValueString></Value></MaterialDefinitionProperty>", "<MaterialDefinitionProperty><ID>OperationSequence</ID><Value><ValueString>20</ValueString></Value></MaterialDefinitionProperty><AssemblyDefinition><ID>SPRING-1</ID></AssemblyDefinition>"]),
    envelopes: 3,
    errors: [{ field: "/SyncMaterialDefinition/DataArea/MaterialDefinition[4]/AssemblyDefinition[3]/AssemblyDefinition", reason: "send the sub-assembly's BOM as its own MaterialDefinition" }],
  },
  {
    name: "an expiry date without its zone offset",
    xml: edit("material-lot-issue.xml", ["2027-06-30T23:59:59-05:00", "2027-06-30T23:59:59"]),
    envelopes: [{ messageId: "GI-4900012345#2.material_issue" }],
    errors: [{ field: "/SyncMaterialLot/DataArea/MaterialLot[1]/MaterialLotProperty[4]/Value/ValueString", reason: "must be a date and time with its zone offset" }],
  },
  {
    name: "a lot without StorageLocation and without InspectionStatus",
    xml: edit("material-lot-issue.xml", [/<StorageLocation>[\s\S]*?<\/StorageLocation>/, ""], ["<MaterialLotProperty><ID>InspectionStatus</ID><Value><ValueString>accepted</ValueString></Value></MaterialLotProperty>", ""]),
    envelopes: 1,
    errors: [
      { field: "/SyncMaterialLot/DataArea/MaterialLot[1]", reason: "StorageLocation/Location is required" },
      { field: "/SyncMaterialLot/DataArea/MaterialLot[1]", reason: "Property InspectionStatus is required" },
    ],
  },
  {
    name: "a lot with two quantities",
    xml: edit("material-lot-issue.xml", ["</Quantity>", "</Quantity>\n<Quantity><QuantityString>0.04</QuantityString><UnitOfMeasure>KG</UnitOfMeasure></Quantity>"]),
    envelopes: 1,
    errors: [{ field: "/SyncMaterialLot/DataArea/MaterialLot[1]/Quantity[2]", reason: "Give one Quantity" }],
  },
  {
    name: "an operation whose segment ID is not a sequence number",
    xml: edit("operations-definition.xml", ["<ID>10</ID>", "<ID>OP10</ID>"]),
    envelopes: 0,
    errors: [{ field: "/SyncOperationsDefinition/DataArea/OperationsDefinition/OperationsSegment[1]/ID", reason: 'The OperationsSegment ID (the operation sequence number) must be a whole number of at least 1 (got "OP10")' }],
  },
  {
    name: "a routing that names no produced part, an operation without work center, a non-numeric limit",
    xml: edit(
      "operations-definition.xml",
      ["<MaterialUse>Produced</MaterialUse>", "<MaterialUse>Consumed</MaterialUse>"],
      [/<EquipmentSpecification>\s*<ID>ES-20<\/ID>[\s\S]*?<\/EquipmentSpecification>/, ""],
      ["<ValueString>26.5</ValueString>", "<ValueString>26,5</ValueString>"],
    ),
    envelopes: 0,
    errors: [
      { field: "/SyncOperationsDefinition/DataArea/OperationsDefinition", reason: 'No MaterialSpecification with MaterialUse "Produced"' },
      { field: "/SyncOperationsDefinition/DataArea/OperationsDefinition/OperationsSegment[1]/ParameterSpecification/Value[3]/ValueString", reason: 'A parameter limit is a plain decimal number (got "26,5")' },
      { field: "/SyncOperationsDefinition/DataArea/OperationsDefinition/OperationsSegment[2]", reason: "Give exactly one EquipmentSpecification/EquipmentID" },
    ],
  },
  {
    name: "a cancelled request",
    xml: edit("operations-schedule-release.xml", ["<RequestState>Released</RequestState>", "<RequestState>Cancelled</RequestState>"]),
    envelopes: 0,
    errors: [{ field: "/ProcessOperationsSchedule/DataArea/OperationsSchedule/OperationsRequest/RequestState", reason: "Request state Cancelled cannot be applied" }],
  },
  {
    name: "a release without serials, with a fractional quantity",
    xml: edit("operations-schedule-release.xml", [/\s*<MaterialSubLotID>SN-100\d<\/MaterialSubLotID>/g, ""], ["<QuantityString>2</QuantityString>", "<QuantityString>2.5</QuantityString>"]),
    envelopes: 0,
    errors: [
      { field: "/ProcessOperationsSchedule/DataArea/OperationsSchedule/OperationsRequest/SegmentRequirement/MaterialRequirement/Quantity/QuantityString", reason: 'whole number of units (got "2.5")' },
      { field: "/ProcessOperationsSchedule/DataArea/OperationsSchedule/OperationsRequest/SegmentRequirement/MaterialRequirement", reason: "A release names the unit serials to build" },
    ],
  },
  {
    name: "a release without a produced material requirement",
    xml: edit("operations-schedule-release.xml", ["<MaterialUse>Produced</MaterialUse>", "<MaterialUse>Consumed</MaterialUse>"]),
    envelopes: 0,
    errors: [{ field: "/ProcessOperationsSchedule/DataArea/OperationsSchedule/OperationsRequest", reason: 'No MaterialRequirement with MaterialUse "Produced"' }],
  },
  {
    name: "a Cancel BOD is refused: the mirror does not delete",
    xml: edit("operations-schedule-release.xml", [/ProcessOperationsSchedule/g, "CancelOperationsSchedule"], ["<Process/>", "<Cancel/>"]),
    envelopes: 0,
    errors: [{ field: "/CancelOperationsSchedule", reason: "CancelOperationsSchedule is not accepted: the ERP mirror does not delete objects" }],
  },
  {
    name: "a Get BOD is refused: it is a question, not data",
    xml: edit("material-lot-issue.xml", [/SyncMaterialLot/g, "GetMaterialLot"], ["<Sync/>", "<Get/>"]),
    envelopes: 0,
    errors: [{ field: "/GetMaterialLot", reason: "GetMaterialLot is not accepted on this endpoint: send Sync, Process, Show or Change MaterialLot" }],
  },
  {
    name: "a MaterialClass BOD is refused with the reason",
    xml: `<?xml version="1.0" encoding="UTF-8"?>
<SyncMaterialClass xmlns="http://www.mesa.org/xml/B2MML" releaseID="7.0">
  <ApplicationArea><CreationDateTime>2026-11-20T08:00:00Z</CreationDateTime></ApplicationArea>
  <DataArea><Sync/><MaterialClass><ID>SEALS</ID></MaterialClass></DataArea>
</SyncMaterialClass>`,
    envelopes: 0,
    errors: [{ field: "/SyncMaterialClass", reason: "Traceline does not mirror material classes" }],
  },
];

/** Documents that are not valid B2MML on purpose: the helper must say so, and the mapper must refuse them precisely. */
const NOT_B2MML: { name: string; xml: string; error: { field: string; reason: string | RegExp } }[] = [
  {
    name: "not well-formed: an element left open",
    xml: b2mmlFixture("malformed-unclosed.xml"),
    error: { field: "body", reason: "Malformed XML at line 12, column 3: Expected closing tag 'MaterialLot' (opened in line 10, col 5) instead of closing tag 'DataArea'." },
  },
  {
    name: "not in the B2MML namespace",
    xml: `<?xml version="1.0"?>\n<MaterialDefinition><ID>X</ID></MaterialDefinition>`,
    error: { field: "/MaterialDefinition", reason: "is in no namespace; a B2MML document's elements are in http://www.mesa.org/xml/B2MML" },
  },
  {
    name: "an undeclared namespace prefix",
    xml: `<?xml version="1.0"?>\n<b:MaterialDefinition xmlns:b="http://www.mesa.org/xml/B2MML">\n  <c:ID>X</c:ID>\n</b:MaterialDefinition>`,
    error: { field: "body", reason: 'Malformed XML at line 3, column 3: Namespace prefix "c" of element <c:ID> is not declared.' },
  },
  {
    name: "an undefined entity",
    xml: `<?xml version="1.0"?>\n<MaterialDefinition xmlns="http://www.mesa.org/xml/B2MML"><ID>A&nbsp;B</ID></MaterialDefinition>`,
    error: { field: "body", reason: /^Malformed XML at line 2, column 64: An '&' must start an entity/ },
  },
  {
    name: "a second root element",
    xml: `<?xml version="1.0"?>\n<MaterialLot xmlns="http://www.mesa.org/xml/B2MML"><ID>A</ID></MaterialLot>\n<MaterialLot xmlns="http://www.mesa.org/xml/B2MML"><ID>B</ID></MaterialLot>`,
    error: { field: "body", reason: /^Malformed XML at line 3, column \d+: Multiple possible root nodes found\.$/ },
  },
  {
    name: "text after the root element",
    xml: `<?xml version="1.0"?>\n<MaterialLot xmlns="http://www.mesa.org/xml/B2MML"><ID>A</ID></MaterialLot> <!-- ok -->\ntrailing`,
    error: { field: "body", reason: "Malformed XML at line 3, column 1: Extra text at the end" },
  },
];

/** Documents xmllint accepts but the interface refuses on principle (entity expansion, non-UTF-8 bodies). */
const REFUSED_ON_PRINCIPLE: { name: string; xml: string; reason: string }[] = [
  {
    name: "a DOCTYPE",
    xml: `<?xml version="1.0"?>\n<!DOCTYPE MaterialLot [<!ENTITY x "y">]>\n<MaterialLot xmlns="http://www.mesa.org/xml/B2MML"><ID>&x;</ID></MaterialLot>`,
    reason: "Malformed XML at line 2, column 1: DOCTYPE declarations are not accepted (a B2MML document has none).",
  },
  {
    name: "another declared encoding",
    xml: `<?xml version="1.0" encoding="ISO-8859-1"?>\n<MaterialLot xmlns="http://www.mesa.org/xml/B2MML"><ID>A</ID></MaterialLot>`,
    reason: "Malformed XML at line 1, column 31: The document declares encoding ISO-8859-1; send it as UTF-8.",
  },
];

/** Further documents the tests below map; valid B2MML like the table's. */
const SERIALS = b2mmlFixture("material-lot-serials.xml");
const MORE = {
  serialsReformatted: SERIALS.replace(/<!--[\s\S]*?-->\n/, "")
    .replaceAll("b2mml:", "")
    .replace('xmlns:b2mml="http://www.mesa.org/xml/B2MML"', 'xmlns="http://www.mesa.org/xml/B2MML"')
    .replace(/>\s+</g, "><"),
  serialsOtherSerial: edit("material-lot-serials.xml", ["VS-0002", "VS-0003"]),
  serialsUndated: edit("material-lot-serials.xml", [/\s*<b2mml:PublishedDate>.*<\/b2mml:PublishedDate>/, ""]),
  escapedText: edit("material-information.xml", ["(supersedes AMS-R-25988)", "&amp; &#x2013; <![CDATA[<legacy & co>]]> &#233;"]),
};

let schema: Record<string, string[]> = {};
beforeAll(async () => {
  schema = await b2mmlSchemaErrorsOf(
    Object.fromEntries([
      ...CASES.map((c) => [c.name, c.xml]),
      ...NOT_B2MML.map((c) => [c.name, c.xml]),
      ...REFUSED_ON_PRINCIPLE.map((c) => [c.name, c.xml]),
      ...Object.entries(MORE),
    ]),
  );
});
const expectValid = (name: keyof typeof MORE) => expect(schema[name], `${name} must be valid B2MML V0700`).toEqual([]);

/** Every envelope the mapper produces passes the JSON endpoint's envelope and payload schemas. */
function expectAcceptedShape(envelopes: Envelope[]) {
  for (const e of envelopes) {
    expect(envelope.safeParse(e).error?.issues ?? []).toEqual([]);
    expect(PAYLOADS[e.type].safeParse(e.payload).error?.issues ?? []).toEqual([]);
  }
}

describe("b2mmlToEnvelopes", () => {
  it.each(CASES)("$name", (c) => {
    expect(schema[c.name], "the document must be valid B2MML V0700 before it is used").toEqual([]);
    const { envelopes, errors } = map(c.xml, c.plant);
    if (typeof c.envelopes === "number") expect(envelopes).toHaveLength(c.envelopes);
    else if (c.envelopes) {
      expect(envelopes).toHaveLength(c.envelopes.length);
      c.envelopes.forEach((want, i) => expect(envelopes[i]).toMatchObject(want));
    }
    if (c.errors) {
      expect(errors).toHaveLength(c.errors.length);
      for (const want of c.errors) {
        expect(errors).toContainEqual({ field: want.field, reason: typeof want.reason === "string" ? expect.stringContaining(want.reason) : expect.stringMatching(want.reason) });
      }
    }
    for (const e of envelopes) expect(e.source).toBe("SAP-PRD");
    expectAcceptedShape(envelopes);
  });

  it.each(NOT_B2MML)("refuses a document that is $name, and so does the schema check", (c) => {
    expect(schema[c.name]!.length, "xmllint must refuse it too").toBeGreaterThan(0);
    const { envelopes, errors } = map(c.xml, "P100");
    expect(envelopes).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: c.error.field, reason: typeof c.error.reason === "string" ? expect.stringContaining(c.error.reason) : expect.stringMatching(c.error.reason) });
  });

  it.each(REFUSED_ON_PRINCIPLE)("refuses $name although the schemas would accept it", (c) => {
    expect(schema[c.name]).toEqual([]);
    expect(map(c.xml, "P100")).toMatchObject({ envelopes: [], versionFrom: [], errors: [{ field: "body", reason: c.reason }] });
    expect(findXmlSyntaxError(c.xml)).not.toBeNull();
  });

  it("gives the same ids for a redelivered document, whatever its prefixes and layout", () => {
    expectValid("serialsReformatted");
    expectValid("serialsOtherSerial");
    const original = SERIALS;
    const reformatted = MORE.serialsReformatted;
    expect(reformatted).not.toBe(original);
    const a = map(original, "P100");
    const b = map(reformatted, "P100");
    expect(a.envelopes).toHaveLength(2);
    expect(b.envelopes).toEqual(a.envelopes);
    expect(map(original, "P100")).toEqual(a);
    // A different content (another serial) is another message.
    const other = map(MORE.serialsOtherSerial, "P100");
    expect(other.envelopes[0]!.messageId).toBe(a.envelopes[0]!.messageId);
    expect(other.envelopes[1]!.messageId).not.toBe(a.envelopes[1]!.messageId);
  });

  it("reads entities, character references and CDATA as text", () => {
    expectValid("escapedText");
    const [part] = map(MORE.escapedText).envelopes;
    expect((part!.payload as { description: string }).description).toBe("O-ring seal, fluorosilicone, AMS 7273 & \u2013 <legacy & co> \u00e9");
  });

  it("stamps an undated bare document with the time of receipt", () => {
    expectValid("serialsUndated");
    const { envelopes } = map(MORE.serialsUndated, "P100");
    expect(envelopes.map((e) => e.occurredAt)).toEqual([receivedAt.toISOString(), receivedAt.toISOString()]);
  });
});

describe("findXmlSyntaxError", () => {
  it("answers null for a well-formed document and the position of the first problem otherwise", () => {
    expect(findXmlSyntaxError(b2mmlFixture("operations-definition.xml"))).toBeNull();
    expect(findXmlSyntaxError(b2mmlFixture("malformed-unclosed.xml"))).toEqual({ line: 12, column: 3, message: expect.stringContaining("Expected closing tag 'MaterialLot'") });
    expect(findXmlSyntaxError("")).toEqual({ line: 1, column: 1, message: "The body is empty: expected a B2MML XML document." });
    expect(findXmlSyntaxError("<a>x & y</a>")).toMatchObject({ line: 1, column: 6 });
    expect(findXmlSyntaxError("<a><!-- never closed </a>")).toMatchObject({ line: 1, column: 4, message: "Unterminated comment." });
  });
});

describe("the B2MML schema check (test helper)", () => {
  it("accepts every fixture document meant to be valid", async () => {
    const names = ["material-definitions.xml", "material-lot-issue.xml", "material-lot-serials.xml", "material-information.xml", "operations-definition.xml", "operations-schedule-release.xml", "operations-schedule-change.xml", "operations-schedule-close.xml"];
    const errors = await b2mmlSchemaErrorsOf(Object.fromEntries(names.map((n) => [n, b2mmlFixture(n)])));
    expect(errors).toEqual(Object.fromEntries(names.map((n) => [n, []])));
  });

  it("detects a document that is invalid against the XSD, with the line and the reason", async () => {
    const errors = await b2mmlSchemaErrors(b2mmlFixture("invalid-material-definition.xml"));
    expect(errors).toEqual([expect.stringMatching(/^line 9: .*Element '\{http:\/\/www\.mesa\.org\/xml\/B2MML\}MaterialDefinition': This element is not expected\. Expected is \( \{http:\/\/www\.mesa\.org\/xml\/B2MML\}Sync \)/)]);
  });

  it("validates the example of docs/erp-interface.md, which maps as documented", async () => {
    const docs = readFileSync(path.resolve(import.meta.dirname, "../../../docs/erp-interface.md"), "utf8");
    // the inbound B2MML half only: the confirmations section after it has its own (outbound) examples
    const start = docs.indexOf("## B2MML");
    const end = docs.indexOf("\n## ", start + 1);
    const section = docs.slice(start, end === -1 ? undefined : end);
    const examples = [...section.matchAll(/```xml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThan(0);
    for (const xml of examples) {
      expect(await b2mmlSchemaErrors(xml)).toEqual([]);
      const { envelopes, errors } = map(xml);
      expect(errors).toEqual([]);
      expectAcceptedShape(envelopes);
    }
    expect(map(examples[0]!).envelopes).toMatchObject([
      { messageId: "GI-4900012345#1.material_issue", type: "material_issue", plant: "P100", payload: { partNumber: "SEAL-310", revision: "A", lotNumber: "L-4471", quantity: "40", location: "STORES" } },
    ]);
  });
});
