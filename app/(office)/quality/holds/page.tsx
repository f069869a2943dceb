import type { Metadata } from "next";
import Link from "next/link";
import { SignatureList } from "@/components/quality/signature-line";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { ButtonLink } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { PlaceHoldForm } from "./_components/place-hold-form";

export const metadata: Metadata = { title: "Holds" };

type Api = Awaited<ReturnType<typeof serverCaller>>;
type HoldRow = Awaited<ReturnType<Api["quality"]["holds"]>>["active"][number];

const TARGET_WORDS: Record<HoldRow["targetType"], string> = {
  lot: "Lot",
  serial: "Serial",
  part_revision: "Part revision",
  manufacturer: "Manufacturer",
  supplier: "Supplier",
};

export default async function HoldsPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const api = await serverCaller(actor);
  const { active, released } = await api.quality.holds();
  const canSign = actor.roles.includes("quality_engineer");

  return (
    <>
      <PageHeader
        title="Holds"
        description={`Quality holds at ${actor.siteName}: held material cannot be kitted or consumed. Every hold and release is signed electronically.`}
        actions={
          <>
            <Link href="/quality/suspect-parts" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Suspect parts
            </Link>
            <Link href="/quality/sources" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Authorised sources
            </Link>
            <Link href="/quality/tools" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Tools
            </Link>
            <Link href="/quality/qualifications" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Qualifications
            </Link>
            {canSign && actor.roles.includes("enterprise") ? <ButtonLink href="/quality/holds/enterprise">Hold at every site</ButtonLink> : null}
            <Link href="/quality/operations" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Operation requirements
            </Link>
          </>
        }
      />
      <div className="space-y-5">
        {canSign ? (
          <Card labelledBy="place-heading">
            <CardHeader id="place-heading" title="Place a hold" description="On a lot, a serial, a part revision (all its stock), or everything from a manufacturer or supplier." />
            <CardBody>
              <PlaceHoldForm signerName={actor.displayName} />
            </CardBody>
          </Card>
        ) : (
          <p className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">
            Supervisors see holds read-only; a quality engineer places and releases them.
          </p>
        )}
        <Card labelledBy="active-heading">
          <CardHeader id="active-heading" title={`Active holds (${active.length})`} />
          <CardBody>
            {active.length === 0 ? (
              <EmptyState title="No active holds">Nothing is held at {actor.siteName}.</EmptyState>
            ) : (
              <HoldTable rows={active} timeZone={actor.timeZone} released={false} />
            )}
          </CardBody>
        </Card>
        <Card labelledBy="released-heading">
          <CardHeader id="released-heading" title="Recently released" description="The 50 most recent releases." />
          <CardBody>
            {released.length === 0 ? (
              <EmptyState title="No released holds yet" />
            ) : (
              <HoldTable rows={released} timeZone={actor.timeZone} released />
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}

function HoldTable({ rows, timeZone, released }: { rows: HoldRow[]; timeZone: string; released: boolean }) {
  return (
    <Table caption={released ? "Released holds" : "Active holds"}>
      <THead>
        <Tr>
          <Th>Held</Th>
          <Th>Reason</Th>
          <Th>Placed</Th>
          {released ? <Th>Released</Th> : null}
          <Th>Signatures</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((h) => (
          <Tr key={h.id} className={h.tampered ? "bg-red-50" : undefined}>
            <Td>
              <span className="block text-xs text-slate-600">{TARGET_WORDS[h.targetType]}</span>
              <Link href={`/quality/holds/${h.id}`} className="font-semibold text-blue-800 underline">
                {h.targetLabel}
              </Link>
              {h.active ? <Badge tone="red" className="ml-2">On hold</Badge> : null}
            </Td>
            <Td className="max-w-xs">{h.reason}</Td>
            <Td>
              <DateTime value={h.placedAt} timeZone={timeZone} />
              <span className="block text-xs text-slate-600">{h.placedByName}</span>
            </Td>
            {released ? (
              <Td className="max-w-xs">
                <DateTime value={h.releasedAt} timeZone={timeZone} />
                <span className="block text-xs text-slate-600">{h.releasedByName}</span>
                <span className="block">{h.releaseReason}</span>
              </Td>
            ) : null}
            <Td className="min-w-80">
              <SignatureList signatures={h.signatures} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
