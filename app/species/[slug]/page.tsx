import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { catalog } from "@/lib/catalog/client";
import { approvedPhotosFrom, speciesBySlug } from "@/lib/catalog/browse";
import { CONTRIBUTION_SOURCE } from "@/lib/identify/contribute";
import { EDIBILITY_LABELS } from "@/lib/catalog/edibility-labels";
import { genusFact } from "@/lib/edibility/index.ts";
import { EdibilityBadge } from "../../_components/edibility-badge";
import { CreditedPhoto } from "../../_components/photo-credit";

const RANK_WORD = { SPECIES: "Species", GROUP: "Species group", SECTION: "Section", GENUS: "Genus" } as const;

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const s = await speciesBySlug(catalog(), (await params).slug);
  return { title: s ? s.scientificName : "Species not found" };
}

export default async function SpeciesPage({ params }: Props) {
  const s = await speciesBySlug(catalog(), (await params).slug);
  if (!s) notFound();
  const contributed = await approvedPhotosFrom(catalog(), s.id, CONTRIBUTION_SOURCE.key);
  const contributedHashes = new Set(contributed.map((p) => p.contentHash));
  const photos = s.photos.filter((p) => !contributedHashes.has(p.contentHash));
  const label = EDIBILITY_LABELS[s.edibility];
  const lookalikes = [
    ...s.lookalikes.map((l) => ({ ...l.to, note: l.note })),
    ...s.lookalikeOf.map((l) => ({ ...l.from, note: l.note })),
  ].filter((l, i, all) => all.findIndex((o) => o.slug === l.slug) === i);
  const isGenus = s.rank === "GENUS";
  // Only facts that warn: a genus-wide "edible" would read as clearance for species nobody has checked.
  const gf = genusFact(s.genus);
  const fact = gf && ["DEADLY", "POISONOUS", "PSYCHOACTIVE"].includes(gf.worst) ? gf : undefined;
  const disagree = new Set(s.claims.map((c) => c.edibility)).size > 1;
  const facts: [string, string | null][] = [
    ["Rank", RANK_WORD[s.rank]],
    ["Family", s.family],
    ["Other names", s.synonyms.map((x) => x.name).join(", ") || null],
    ["Where it grows", s.location],
    ["Dimensions", s.dimensions],
  ];
  return (
    <article className="grid gap-6">
      <header>
        <p className="text-sm">
          <Link href="/species" className="underline">
            Species
          </Link>
          {s.family && <> · {s.family}</>}
          {s.parent && (
            <>
              {" "}
              ·{" "}
              <Link href={`/species/${s.parent.slug}`} className="italic underline">
                {s.parent.scientificName}
              </Link>
            </>
          )}
        </p>
        <h1 className="mt-1 text-3xl font-bold italic">{s.scientificName}</h1>
        {s.commonNames.length > 0 && <p className="text-lg text-stone-700">{s.commonNames.map((c) => c.name).join(", ")}</p>}
      </header>

      <section aria-labelledby="edibility" className={`rounded-lg p-4 ${label.tone === "danger" ? "bg-red-50 ring-2 ring-red-700" : "bg-white"}`}>
        <h2 id="edibility" className="flex items-center gap-2 font-semibold">
          Edibility <EdibilityBadge value={s.edibility} />
        </h2>
        <p className="mt-1">{label.explain}</p>
        {s.edibilityNote && <p className="mt-1 text-sm">{s.edibilityNote}</p>}
        {fact && (
          <p className="mt-2 rounded bg-amber-50 p-2 text-sm" data-testid="genus-fact">
            <strong>
              Genus {fact.genus}: {fact.worst === "DEADLY" ? "includes deadly species" : fact.worst === "POISONOUS" ? "includes poisonous species" : "includes psychoactive species"}.
            </strong>{" "}
            {fact.fact} (
            <a className="underline" href={fact.source.url} rel="nofollow noopener">
              {fact.source.title}
            </a>
            )
          </p>
        )}
        {disagree && (
          <div className="mt-2 text-sm" data-testid="edibility-disagreement">
            <p className="font-medium">Sources disagree; the more dangerous class is used:</p>
            <ul className="list-disc pl-5">
              {s.claims.map((c) => (
                <li key={c.id}>
                  {c.sourceUrl ? (
                    <a className="underline" href={c.sourceUrl} rel="nofollow noopener">
                      {c.sourceTitle}
                    </a>
                  ) : (
                    c.sourceTitle
                  )}
                  : {EDIBILITY_LABELS[c.edibility].label}
                </li>
              ))}
            </ul>
          </div>
        )}
        <p className="mt-1 text-sm text-stone-600">
          Source:{" "}
          {s.edibilitySource ? (
            s.edibilitySourceUrl ? (
              <a className="underline" href={s.edibilitySourceUrl} rel="nofollow noopener">
                {s.edibilitySource}
              </a>
            ) : (
              s.edibilitySource
            )
          ) : (
            "no consulted source established the edibility of this species"
          )}
        </p>
      </section>

      <dl className="grid gap-x-6 gap-y-2 rounded-lg bg-white p-4 sm:grid-cols-[max-content_1fr]">
        {facts
          .filter((f): f is [string, string] => Boolean(f[1]))
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-medium">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>

      {s.description && (
        <section aria-labelledby="description" className="rounded-lg bg-white p-4">
          <h2 id="description" className="font-semibold">
            Description
          </h2>
          <div className="mt-2 grid gap-3 leading-relaxed">
            {s.description.split(/\n{2,}/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </div>
        </section>
      )}

      {s.children.length > 0 && (
        <section aria-labelledby="members">
          <h2 id="members" className="font-semibold">
            {isGenus ? `Species of ${s.scientificName} in the catalog` : "Members"} ({s.children.length})
          </h2>
          <ul className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-3" data-testid="genus-members">
            {s.children.map((c) => (
              <li key={c.slug} className="flex items-center gap-2 rounded bg-white p-2">
                {c.photos[0] ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={`/api/photos/${c.photos[0].contentHash}/thumb`} alt="" width={48} height={48} loading="lazy" className="h-12 w-12 rounded object-cover" />
                ) : (
                  <span className="h-12 w-12 rounded bg-moss-100" aria-hidden />
                )}
                <span className="min-w-0">
                  <Link href={`/species/${c.slug}`} className="block truncate italic underline">
                    {c.scientificName}
                  </Link>
                  {c.commonNames[0] && <span className="block truncate text-xs text-stone-600">{c.commonNames[0].name}</span>}
                </span>
                <span className="ml-auto">
                  <EdibilityBadge value={c.edibility} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="photos">
        <h2 id="photos" className="font-semibold">
          Photos
        </h2>
        {photos.length === 0 && contributed.length === 0 ? (
          <p className="text-sm text-stone-600">No photos in the catalog yet.</p>
        ) : (
          <ul className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4">
            {photos.map((p) => (
              <li key={p.id}>
                <CreditedPhoto contentHash={p.contentHash} alt={`${s.scientificName} photo`} origin={p.origins[0]} />
              </li>
            ))}
          </ul>
        )}
        {contributed.length > 0 && (
          <>
            <h3 className="mt-4 text-sm font-semibold">Contributed by visitors, checked by a reviewer</h3>
            <ul className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4" data-testid="contributed-photos">
              {contributed.map((p) => (
                <li key={p.id}>
                  <CreditedPhoto contentHash={p.contentHash} alt={`${s.scientificName} photo`} origin={p.origins[0]} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="lookalikes" className="rounded-lg bg-white p-4">
        <h2 id="lookalikes" className="font-semibold">
          Lookalikes
        </h2>
        {lookalikes.length === 0 ? (
          <p className="text-sm text-stone-600">No lookalikes recorded. That does not mean there are none.</p>
        ) : (
          <ul className="mt-2 grid gap-2">
            {lookalikes.map((l) => (
              <li key={l.slug} className="flex flex-wrap items-center gap-2">
                <Link href={`/species/${l.slug}`} className="italic underline">
                  {l.scientificName}
                </Link>
                <EdibilityBadge value={l.edibility} />
                {l.note && <span className="text-sm text-stone-600">{l.note}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {s.records.length > 0 && (
        <p className="text-sm text-stone-600">
          Facts from:{" "}
          {s.records.map((r, i) => (
            <span key={r.id}>
              {i > 0 && ", "}
              {r.sourceUrl ? (
                <a className="underline" href={r.sourceUrl} rel="nofollow noopener">
                  {r.source.name}
                </a>
              ) : (
                r.source.name
              )}
            </span>
          ))}
        </p>
      )}
    </article>
  );
}
