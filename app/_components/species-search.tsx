import { EDIBILITY } from "@/lib/catalog/types";
import { EDIBILITY_LABELS } from "@/lib/catalog/edibility-labels";

type Props = {
  q?: string;
  family?: string;
  genus?: string;
  rank?: string;
  edibility?: string;
  families: { family: string; count: number }[];
  genera: { genus: string; count: number }[];
};

const RANKS = [
  ["SPECIES", "Species"],
  ["GROUP", "Species groups"],
  ["SECTION", "Sections"],
  ["GENUS", "Genera"],
] as const;

const selectClass = "rounded border border-stone-300 px-2 py-2 text-base";

/** A plain GET form: works without JavaScript and keeps the state in the URL. */
export function SpeciesSearch({ q, family, genus, rank, edibility, families, genera }: Props) {
  return (
    <form role="search" action="/species" method="get" className="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_1fr_auto]">
      <label className="grid gap-1 text-sm">
        <span className="font-medium">Name</span>
        <input
          type="search"
          name="q"
          defaultValue={q}
          maxLength={100}
          placeholder="e.g. horse mushroom, Boletus badius"
          className="rounded border border-stone-300 px-3 py-2 text-base"
        />
      </label>
      <label className="grid gap-1 text-sm">
        <span className="font-medium">Family</span>
        <select name="family" defaultValue={family ?? ""} className={selectClass}>
          <option value="">All families</option>
          {families.map((f) => (
            <option key={f.family} value={f.family}>
              {f.family} ({f.count})
            </option>
          ))}
        </select>
      </label>
      <label className="grid gap-1 text-sm">
        <span className="font-medium">Genus</span>
        <select name="genus" defaultValue={genus ?? ""} className={selectClass}>
          <option value="">All genera</option>
          {genera.map((g) => (
            <option key={g.genus} value={g.genus}>
              {g.genus} ({g.count})
            </option>
          ))}
        </select>
      </label>
      <label className="grid gap-1 text-sm">
        <span className="font-medium">Rank</span>
        <select name="rank" defaultValue={rank ?? ""} className={selectClass}>
          <option value="">All ranks</option>
          {RANKS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label className="grid gap-1 text-sm">
        <span className="font-medium">Edibility</span>
        <select name="edibility" defaultValue={edibility ?? ""} className={selectClass}>
          <option value="">Any</option>
          {EDIBILITY.map((e) => (
            <option key={e} value={e}>
              {EDIBILITY_LABELS[e].label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="self-end rounded bg-moss-700 px-4 py-2 font-medium text-white hover:bg-moss-800">
        Search
      </button>
    </form>
  );
}
