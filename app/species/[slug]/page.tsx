import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { catalog } from "@/lib/catalog/client";
import { speciesBySlug } from "@/lib/catalog/browse";
import { EDIBILITY_LABELS } from "@/lib/catalog/edibility-labels";
import { EdibilityBadge } from "../../_components/edibility-badge";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const s = await speciesBySlug(catalog(), (await params).slug);
  return { title: s ? s.scientificName : "Species not found" };
}

export default async function SpeciesPage({ params }: Props) {
  const s = await speciesBySlug(catalog(), (await params).slug);
  if (!s) notFound();
  const label = EDIBILITY_LABELS[s.edibility];
  const lookalikes = [
    ...s.lookalikes.map((l) => ({ ...l.to, note: l.note })),
    ...s.lookalikeOf.map((l) => ({ ...l.from, note: l.note })),
  ].filter((l, i, all) => all.findIndex((o) => o.slug === l.slug) === i);
  const facts: [string, string | null][] = [
    ["Family", s.family],
    ["Genus", s.genus],
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

      <section aria-labelledby="photos">
        <h2 id="photos" className="font-semibold">
          Photos
        </h2>
        {s.photos.length === 0 ? (
          <p className="text-sm text-stone-600">No photos in the catalog yet.</p>
        ) : (
          <ul className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4">
            {s.photos.map((p) => {
              const o = p.origins[0];
              return (
                <li key={p.id}>
                  <figure className="overflow-hidden rounded bg-white shadow-sm">
                    <a href={`/api/photos/${p.contentHash}/full`}>
                      {/* eslint-disable-next-line @next/next/no-img-element */}
                      <img src={`/api/photos/${p.contentHash}/thumb`} alt={`${s.scientificName} photo`} loading="lazy" className="aspect-square w-full object-cover" />
                    </a>
                    {o && (
                      <figcaption className="p-2 text-xs text-stone-600">
                        {o.attribution} · {o.licence} ·{" "}
                        <a className="underline" href={o.sourceUrl} rel="nofollow noopener">
                          {o.source.name}
                        </a>
                      </figcaption>
                    )}
                  </figure>
                </li>
              );
            })}
          </ul>
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
