import Link from "next/link";
import { catalog } from "@/lib/catalog/client";
import { requireStaffPage } from "@/lib/auth/page";
import { pageParam, pendingPhotos } from "@/lib/moderation/queue";
import { Pagination } from "../_components/pagination";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function QueuePage({ searchParams }: Props) {
  await requireStaffPage("review");
  const sp = await searchParams;
  const q = await pendingPhotos(catalog(), pageParam.parse(sp.page ?? 1));
  const decided = typeof sp.decided === "string" ? sp.decided.split(":") : undefined;
  return (
    <section className="grid gap-4">
      <h1 className="text-2xl font-bold">Photos waiting for review ({q.total})</h1>
      {decided && (
        <p role="status" className="rounded bg-moss-100 p-2 text-sm" data-testid="decided">
          Photo {decided[0]}: {decided[1] === "reject" ? "rejected" : decided[1] === "relabel" ? "relabelled and approved" : "approved"}.
        </p>
      )}
      {q.items.length === 0 ? (
        <p className="text-stone-600">Nothing waits for review.</p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4" data-testid="queue">
          {q.items.map((p) => (
            <li key={p.id} className="overflow-hidden rounded bg-white shadow-sm">
              <Link href={`/review/${p.id}`} className="block">
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={`/api/review/photos/${p.id}/thumb`} alt={`Contributed photo ${p.id}`} className="aspect-square w-full object-cover" />
                <span className="block p-2 text-sm">
                  Claimed: <em>{p.claimed.scientificName}</em>
                  <span className="block text-xs text-stone-600">{p.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={q.page} pages={q.pages} params={{}} base="/review" />
    </section>
  );
}
