import { catalog } from "@/lib/catalog/client";
import { requireStaffPage } from "@/lib/auth/page";
import { auditLog, pageParam } from "@/lib/moderation/queue";
import { Pagination } from "../../_components/pagination";
import { DataTable } from "../../_components/data-table";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  await requireStaffPage("review");
  const log = await auditLog(catalog(), pageParam.parse((await searchParams).page ?? 1));
  return (
    <section className="grid gap-3">
      <h1 className="text-2xl font-bold">Audit log ({log.total} decisions)</h1>
      <DataTable headings={["When (UTC)", "Reviewer", "Action", "Photo", "Status", "Taxon", "Note"]} testId="audit-log">
        {log.rows.map((d) => (
          <tr key={d.id} className="border-b last:border-0">
            <td className="p-2 whitespace-nowrap">{d.createdAt.toISOString().slice(0, 19).replace("T", " ")}</td>
            <td className="p-2">{d.reviewerEmail}</td>
            <td className="p-2">{d.action.toLowerCase()}</td>
            <td className="p-2">{d.photoId}</td>
            <td className="p-2">
              {d.fromStatus.toLowerCase()} → {d.toStatus.toLowerCase()}
            </td>
            <td className="p-2 italic">{d.fromTaxon === d.toTaxon ? d.toTaxon : `${d.fromTaxon} → ${d.toTaxon}`}</td>
            <td className="p-2">{d.note}</td>
          </tr>
        ))}
      </DataTable>
      <Pagination page={log.page} pages={log.pages} params={{}} base="/review/audit" />
    </section>
  );
}
