import type { Metadata } from "next";
import Link from "next/link";
import { catalog } from "@/lib/catalog/client";
import { browseSpecies, listFamilies, listGenera, parseBrowseQuery } from "@/lib/catalog/browse";
import { SpeciesSearch } from "../_components/species-search";
import { SpeciesCard } from "../_components/species-card";
import { Pagination } from "../_components/pagination";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Species" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SpeciesIndex({ searchParams }: Props) {
  const query = parseBrowseQuery(await searchParams);
  const db = catalog();
  const [result, families, genera] = await Promise.all([browseSpecies(db, query), listFamilies(db), listGenera(db)]);
  const params = { q: query.q, family: query.family, genus: query.genus, rank: query.rank, edibility: query.edibility };
  return (
    <div className="grid gap-5">
      <h1 className="text-2xl font-bold">Species</h1>
      <SpeciesSearch {...params} families={families} genera={genera} />
      <p className="text-sm text-stone-700" aria-live="polite">
        {result.total === 0
          ? "No species match."
          : result.items.length === 0
            ? `Page ${result.page} is past the last page (${result.pages}).`
            : `${result.total} ${result.total === 1 ? "taxon" : "taxa"}${query.q ? ` matching “${query.q}”` : ""}.`}
        {result.items.length === 0 && result.total > 0 && (
          <>
            {" "}
            <Link className="underline" href="/species">
              Back to the first page
            </Link>
          </>
        )}
      </p>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Species results">
        {result.items.map((s) => (
          <SpeciesCard key={s.slug} s={s} />
        ))}
      </ul>
      <Pagination page={result.page} pages={result.pages} params={params} />
    </div>
  );
}
