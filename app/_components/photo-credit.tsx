import { creditParts } from "@/lib/photos/credit";

export type Origin = {
  licence: string;
  licenceCode: string | null;
  licenceUrl: string | null;
  photographer: string | null;
  originalUrl: string | null;
  nonCommercial: boolean;
  source: { name: string; homepage: string | null };
};

/** "© Nathan Wilson · CC BY-SA 3.0 · Mushroom Observer", each part linked where a URL is known. */
export function PhotoCredit({ o }: { o: Origin }) {
  const parts = creditParts(
    {
      licence: o.licence,
      licenceCode: o.licenceCode ?? undefined,
      licenceUrl: o.licenceUrl ?? undefined,
      photographer: o.photographer ?? undefined,
      originalUrl: o.originalUrl ?? undefined,
    },
    o.source,
  );
  return (
    <figcaption className="p-2 text-xs text-stone-600" data-testid="photo-credit">
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 && " · "}
          {p.href ? (
            <a className="underline" href={p.href} rel="nofollow noopener">
              {p.text}
            </a>
          ) : (
            p.text
          )}
        </span>
      ))}
      {o.nonCommercial && <span className="ml-1 rounded bg-amber-100 px-1 font-semibold text-amber-900" title="Non-commercial licence">NC</span>}
    </figcaption>
  );
}

/** A catalog photo's thumbnail, linked to the full image, with its credit line. */
export function CreditedPhoto({ contentHash, alt, origin }: { contentHash: string; alt: string; origin: Origin | undefined }) {
  return (
    <figure className="overflow-hidden rounded bg-white shadow-sm">
      <a href={`/api/photos/${contentHash}/full`}>
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={`/api/photos/${contentHash}/thumb`} alt={alt} loading="lazy" className="aspect-square w-full object-cover" />
      </a>
      {origin && <PhotoCredit o={origin} />}
    </figure>
  );
}
