import Link from "next/link";
import { notFound } from "next/navigation";
import { catalog } from "@/lib/catalog/client";
import { requireStaffPage } from "@/lib/auth/page";
import { NOTE_MAX } from "@/lib/moderation/decide";
import { modelTopFive } from "@/lib/moderation/predict";
import { photoIdParam, reviewItem } from "@/lib/moderation/queue";
import { settings } from "@/lib/settings";
import { EdibilityBadge } from "../../_components/edibility-badge";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const ERRORS: Record<string, string> = {
  "already-decided": "Someone decided about this photo already.",
  "unknown-taxon": "That name is not a taxon in the catalog.",
  "same-taxon": "The photo already carries that name: approve it instead.",
  "no-such-photo": "There is no such photo.",
};

export default async function ReviewPhotoPage({ params, searchParams }: Props) {
  await requireStaffPage("review");
  const id = photoIdParam.safeParse((await params).id);
  const item = id.success ? await reviewItem(catalog(), id.data) : null;
  if (!item) notFound();
  const { photo, references, decisions } = item;
  const pending = photo.status === "PENDING_REVIEW";
  const model = pending ? await modelTopFive(catalog(), settings().photoStore, photo.filePath) : null;
  const error = (await searchParams).error;
  const action = `/api/review/photos/${photo.id}/decision`;
  const claimed = photo.species;
  return (
    <article className="grid gap-4">
      <p className="text-sm">
        <Link href="/review" className="underline">
          ← Queue
        </Link>
      </p>
      <h1 className="text-2xl font-bold">
        Photo {photo.id}: claimed <em>{claimed.scientificName}</em>
        {claimed.commonNames[0] && <span className="text-lg font-normal"> ({claimed.commonNames[0].name})</span>}{" "}
        <EdibilityBadge value={claimed.edibility} />
      </h1>
      {typeof error === "string" && (
        <p role="alert" className="rounded bg-red-50 p-2 text-red-900">
          {ERRORS[error] ?? error}
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <section aria-labelledby="contributed" className="rounded-lg bg-white p-3">
          <h2 id="contributed" className="font-semibold">
            Contributed photo
          </h2>
          {pending ? (
            <a href={`/api/review/photos/${photo.id}/full`}>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={`/api/review/photos/${photo.id}/full`} alt={`Contributed photo ${photo.id}`} className="mt-2 max-h-[28rem] w-full rounded object-contain" data-testid="contributed-photo" />
            </a>
          ) : (
            <p className="mt-2 text-sm text-stone-600">Decided: {photo.status === "APPROVED" ? "approved" : "rejected"}.</p>
          )}
          <p className="mt-2 text-xs text-stone-600">
            {photo.width}×{photo.height}, received {photo.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC ·{" "}
            {photo.origins.map((o) => [o.photographer && `credit: ${o.photographer}`, o.licenceCode ?? o.licence].filter(Boolean).join(", ")).join("; ")}
          </p>
        </section>
        <section aria-labelledby="references" className="rounded-lg bg-white p-3">
          <h2 id="references" className="font-semibold">
            Reference photos of <Link href={`/species/${claimed.slug}`} className="italic underline">{claimed.scientificName}</Link>
          </h2>
          {references.length === 0 ? (
            <p className="mt-2 text-sm text-stone-600">The catalog has no approved photos of this taxon yet.</p>
          ) : (
            <ul className="mt-2 grid grid-cols-3 gap-2" data-testid="reference-photos">
              {references.map((h) => (
                <li key={h}>
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={`/api/photos/${h}/thumb`} alt={`Reference photo of ${claimed.scientificName}`} className="aspect-square w-full rounded object-cover" loading="lazy" />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {model && (
        <section aria-labelledby="model" className="rounded-lg bg-white p-3">
          <h2 id="model" className="font-semibold">
            What the model sees
          </h2>
          {model.ok ? (
            <>
              <ol className="mt-2 grid gap-1" data-testid="model-top5">
                {model.candidates.map((c) => (
                  <li key={c.label} className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="w-14 text-right tabular-nums">{(c.probability * 100).toFixed(1)} %</span>
                    {c.taxon?.inCatalog ? (
                      <Link href={`/species/${c.taxon.slug}`} className="italic underline">
                        {c.taxon.scientificName}
                      </Link>
                    ) : (
                      <span>{c.label}</span>
                    )}
                    {c.taxon?.inCatalog && c.taxon.scientificName !== claimed.scientificName && pending && (
                      <form method="post" action={action}>
                        <input type="hidden" name="action" value="relabel" />
                        <input type="hidden" name="taxon" value={c.taxon.scientificName} />
                        <button className="rounded bg-stone-200 px-2 py-0.5 text-xs">Relabel as this</button>
                      </form>
                    )}
                  </li>
                ))}
              </ol>
              <p className="mt-1 text-xs text-stone-600">
                Model {model.modelId}, {model.ms.toFixed(0)} ms on the server.
              </p>
            </>
          ) : (
            <p className="mt-2 text-sm text-stone-600">{model.message}</p>
          )}
        </section>
      )}

      {pending && (
        <section aria-labelledby="decide" className="grid gap-3 rounded-lg bg-white p-3">
          <h2 id="decide" className="font-semibold">
            Decision
          </h2>
          <div className="flex flex-wrap gap-3">
            <form method="post" action={action}>
              <input type="hidden" name="action" value="approve" />
              <button className="rounded bg-moss-700 px-4 py-2 text-white" data-testid="approve">
                Approve as {claimed.scientificName}
              </button>
            </form>
            <form method="post" action={action} className="flex flex-wrap items-center gap-2">
              <input type="hidden" name="action" value="reject" />
              <input name="note" maxLength={NOTE_MAX} placeholder="Reason (optional, for the audit log)" aria-label="Reason for rejecting" className="rounded border border-stone-300 px-2 py-1 text-sm" />
              <button className="rounded bg-red-800 px-4 py-2 text-white" data-testid="reject">
                Reject
              </button>
            </form>
          </div>
          <form method="post" action={action} className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="action" value="relabel" />
            <label className="grid gap-1 text-sm">
              Relabel to another taxon (scientific, synonym or common name)
              <input name="taxon" required minLength={2} maxLength={200} className="rounded border border-stone-300 px-2 py-1" data-testid="relabel-taxon" />
            </label>
            <input name="note" maxLength={NOTE_MAX} placeholder="Why (optional)" aria-label="Reason for relabelling" className="rounded border border-stone-300 px-2 py-1 text-sm" />
            <button className="rounded bg-stone-700 px-4 py-2 text-white" data-testid="relabel">
              Relabel and approve
            </button>
          </form>
        </section>
      )}

      <section aria-labelledby="history" className="rounded-lg bg-white p-3">
        <h2 id="history" className="font-semibold">
          Decisions
        </h2>
        {decisions.length === 0 ? (
          <p className="text-sm text-stone-600">None yet.</p>
        ) : (
          <ul className="text-sm">
            {decisions.map((d) => (
              <li key={d.id}>
                {d.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC · {d.reviewerEmail} · {d.action.toLowerCase()} · {d.fromTaxon} → {d.toTaxon}
                {d.note && <> · {d.note}</>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
