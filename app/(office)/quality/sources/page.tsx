import Link from "next/link";
import { getTranslations } from "next-intl/server";
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

export async function generateMetadata() {
  const t = await getTranslations("suspect");
  return { title: t("sources.title") };
}

type Api = Awaited<ReturnType<typeof serverCaller>>;
type View = Awaited<ReturnType<Api["quality"]["sources"]>>;
type T = Awaited<ReturnType<typeof getTranslations<"suspect">>>;

const linkClass = "inline-flex min-h-10 items-center font-semibold text-blue-800 underline";

/** Who owns a kind's flag, in words: null when Traceline does (the screen edits it). */
function ownerNote(t: T, kind: "manufacturer" | "supplier", owner: string | null): string {
  const attribute = `${kind}.authorised_source`;
  if (owner === "traceline") return t("sources.ownedByTraceline");
  return owner === "erp" ? t("sources.ownedByErp", { attribute }) : t("sources.notInRegistry", { attribute });
}

export default async function SourcesPage() {
  const actor = await requireActor();
  if (!canOpen(actor.roles, "quality")) return <ForbiddenNotice siteName={actor.siteName} area="quality" />;
  const t = await getTranslations("suspect");
  const api = await serverCaller(actor);
  const v = await api.quality.sources();
  const canEdit = actor.roles.includes("quality_engineer");
  const editable = (["manufacturer", "supplier"] as const).filter((k) => v.owners[k] === "traceline");

  return (
    <>
      <PageHeader
        title={t("sources.title")}
        description={t("sources.description")}
        actions={
          <>
            <Link href="/quality/suspect-parts" className={linkClass}>
              {t("links.suspectParts")}
            </Link>
            <Link href="/quality/holds" className={linkClass}>
              {t("links.holds")}
            </Link>
          </>
        }
      />
      <div className="space-y-5">
        {canEdit && editable.length > 0 ? (
          <Card labelledBy="set-heading">
            <CardHeader id="set-heading" title={t("sources.changeTitle")} description={t("sources.changeDescription")} />
            <CardBody>
              <SourceAuthorisationForm kinds={[...editable]} />
            </CardBody>
          </Card>
        ) : null}
        {!canEdit ? <p className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">{t("sources.readOnly")}</p> : null}
        <SourceTable
          id="manufacturers"
          title={t("sources.manufacturers", { count: v.manufacturers.length, refused: v.manufacturers.filter((r) => !r.authorisedSource).length })}
          caption={t("sources.manufacturersCaption")}
          empty={t("sources.emptyManufacturers")}
          rows={v.manufacturers}
          note={ownerNote(t, "manufacturer", v.owners.manufacturer)}
          t={t}
        />
        <SourceTable
          id="suppliers"
          title={t("sources.suppliers", { count: v.suppliers.length, refused: v.suppliers.filter((r) => !r.authorisedSource).length })}
          caption={t("sources.suppliersCaption")}
          empty={t("sources.emptySuppliers")}
          rows={v.suppliers}
          note={ownerNote(t, "supplier", v.owners.supplier)}
          t={t}
        />
      </div>
    </>
  );
}

function SourceTable({ id, title, caption, empty, rows, note, t }: { id: string; title: string; caption: string; empty: string; rows: View["manufacturers"]; note: string; t: T }) {
  return (
    <Card labelledBy={`${id}-heading`}>
      <CardHeader id={`${id}-heading`} title={title} description={note} />
      <CardBody>
        {rows.length === 0 ? (
          <EmptyState title={empty}>{t("sources.emptyHint")}</EmptyState>
        ) : (
          <Table caption={caption}>
            <THead>
              <Tr>
                <Th>{t("sources.colCode")}</Th>
                <Th>{t("sources.colName")}</Th>
                <Th>{t("sources.colAuthorised")}</Th>
              </Tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <Tr key={r.code}>
                  <Td className="font-mono">{r.code}</Td>
                  <Td>{r.name}</Td>
                  <Td>{r.authorisedSource ? <Badge tone="green">{t("sources.authorised")}</Badge> : <Badge tone="red">{t("sources.notAuthorised")}</Badge>}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
