import Link from "next/link";
import type { SpeciesCard as Card } from "@/lib/catalog/browse";
import { EdibilityBadge } from "./edibility-badge";
import { MushroomIcon } from "./mushroom-icon";

export function SpeciesCard({ s }: { s: Card }) {
  return (
    <li className="overflow-hidden rounded-lg bg-white shadow-sm">
      <Link href={`/species/${s.slug}`} className="flex h-full gap-3 p-3 hover:bg-moss-100 focus:bg-moss-100">
        {s.thumbHash ? (
          // eslint-disable-next-line @next/next/no-img-element
          <img src={`/api/photos/${s.thumbHash}/thumb`} alt="" width={72} height={72} loading="lazy" className="h-18 w-18 shrink-0 rounded object-cover" />
        ) : (
          <div aria-hidden className="flex h-18 w-18 shrink-0 items-center justify-center rounded bg-moss-100"><MushroomIcon /></div>
        )}
        <div className="min-w-0">
          <p className="truncate font-semibold italic">
            {s.scientificName}
            {s.rank === "GENUS" && <span className="ml-1 text-xs font-normal not-italic text-stone-600">(genus)</span>}
          </p>
          {s.commonName && <p className="truncate text-sm text-stone-700">{s.commonName}</p>}
          <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-stone-600">
            {s.family && <span>{s.family}</span>}
            <EdibilityBadge value={s.edibility} />
          </p>
        </div>
      </Link>
    </li>
  );
}
