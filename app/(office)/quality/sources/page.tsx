import type { Metadata } from "next";
import Link from "next/link";
import { ForbiddenNotice } from "@/components/shell/forbidden-notice";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { canOpen } from "@/server/api/areas";
import { serverCaller } from "@/server/api/server-caller";
import { requireActor } from "@/server/auth/session";
import { SourceAuthorisationForm } from "./_components/source-form";

export const metadata: Metadata = { title: "Authorised sources" };

type Api = Awaited<ReturnType<typeof serverCaller>>;
type View = Awaited<ReturnType<Api["quality"]["sources"]>>;

const OWNER_WORDS = (kind: string, owner: string | null) =>
  owner === "traceline"
    ? null
    : owner === "erp"
      ? `Owned by ERP (ownership registry ${kind}.authorised_source): read-only here; it changes in ERP and reaches Traceline through the interface.`
      : `${kind}.authorised_source is not in the ownership registry: read-only until an administrator adds it.`;

export default async function SourcesPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const api = await serverCaller(actor);
  const v = await api.quality.sources();
  const canEdit = actor.roles.includes("quality_engineer");
  const editable = (["manufacturer", "supplier"] as const).filter((k) => v.owners[k] === "traceline");

  return (
    <>
      <PageHeader
        title="Authorised sources"
        description="Counterfeit prevention (AS5553 / AS6174): material from a manufacturer or supplier that is not an authorised source is refused at kitting, stock moves and the station."
        actions={
          <>
            <Link href="/quality/suspect-parts" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Suspect parts
            </Link>
            <Link href="/quality/holds" className="inline-flex min-h-10 items-center font-semibold text-blue-800 underline">
              Holds
            </Link>
          </>
        }
      />
      <div className="space-y-5">
        {canEdit && editable.length > 0 ? (
          <Card labelledBy="set-heading">
            <CardHeader id="set-heading" title="Change a source" description="Every change is audited with its reason." />
            <CardBody>
              <SourceAuthorisationForm kinds={[...editable]} />
            </CardBody>
          </Card>
        ) : null}
        {!canEdit ? <p className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">Supervisors see sources read-only; a quality engineer decides which are authorised.</p> : null}
        <SourceTable id="manufacturers" title="Manufacturers" rows={v.manufacturers} ownerNote={OWNER_WORDS("manufacturer", v.owners.manufacturer)} />
        <SourceTable id="suppliers" title="Suppliers" rows={v.suppliers} ownerNote={OWNER_WORDS("supplier", v.owners.supplier)} />
      </div>
    </>
  );
}

function SourceTable({ id, title, rows, ownerNote }: { id: string; title: string; rows: View["manufacturers"]; ownerNote: string | null }) {
  const refused = rows.filter((r) => !r.authorisedSource).length;
  return (
    <Card labelledBy={`${id}-heading`}>
      <CardHeader id={`${id}-heading`} title={`${title} (${rows.length}, ${refused} not authorised)`} description={ownerNote ?? "Set by quality in Traceline."} />
      <CardBody>
        {rows.length === 0 ? (
          <EmptyState title={`No ${title.toLowerCase()} yet`}>They arrive from ERP with the approved-manufacturer lists and supplier messages.</EmptyState>
        ) : (
          <Table caption={title}>
            <THead>
              <Tr>
                <Th>Code</Th>
                <Th>Name</Th>
                <Th>Authorised source</Th>
              </Tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <Tr key={r.code}>
                  <Td className="font-mono">{r.code}</Td>
                  <Td>{r.name}</Td>
                  <Td>{r.authorisedSource ? <Badge tone="green">Authorised</Badge> : <Badge tone="red">Not authorised: material refused</Badge>}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
