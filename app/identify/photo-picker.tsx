"use client";

import { useEffect, useId, useState } from "react";

export type PickedPhoto = { id: string; file: File; url: string };
const MAX_PHOTOS = 5;

/** File picker, camera, drag and drop and paste: all feed the same list of photos of one find. */
export function PhotoPicker({ photos, onChange }: { photos: PickedPhoto[]; onChange: (p: PickedPhoto[]) => void }) {
  const [dragging, setDragging] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const inputId = useId();

  const add = (files: Iterable<File>) => {
    const images = [...files].filter((f) => f.type.startsWith("image/") || f.type === "");
    const room = MAX_PHOTOS - photos.length;
    setNote(images.length > room ? `At most ${MAX_PHOTOS} photos of one find; the extra ones were left out.` : null);
    const next = images.slice(0, Math.max(0, room)).map((file) => ({ id: crypto.randomUUID(), file, url: URL.createObjectURL(file) }));
    if (next.length) onChange([...photos, ...next]);
  };

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length) add(files);
    };
    window.addEventListener("paste", onPaste);
    return () => window.removeEventListener("paste", onPaste);
  });

  return (
    <div className="grid gap-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer.files);
        }}
        className={`grid place-items-center gap-3 rounded-xl border-2 border-dashed p-6 text-center ${dragging ? "border-moss-700 bg-moss-100" : "border-stone-300 bg-white"}`}
      >
        <p className="font-medium">Drop photos here, paste one, or</p>
        <div className="flex flex-wrap justify-center gap-3">
          <label htmlFor={`${inputId}-files`} className="cursor-pointer rounded bg-moss-700 px-4 py-2 font-medium text-white">
            Choose photos
          </label>
          <input id={`${inputId}-files`} data-testid="photo-input" type="file" accept="image/*" multiple className="sr-only" onChange={(e) => { add(e.target.files ?? []); e.target.value = ""; }} />
          <label htmlFor={`${inputId}-camera`} className="cursor-pointer rounded px-4 py-2 font-medium ring-1 ring-moss-700">
            Take a photo
          </label>
          <input id={`${inputId}-camera`} type="file" accept="image/*" capture="environment" className="sr-only" onChange={(e) => { add(e.target.files ?? []); e.target.value = ""; }} />
        </div>
      </div>
      {note && <p className="text-sm text-amber-900">{note}</p>}
      {photos.length > 0 && (
        <ul className="flex flex-wrap gap-3" aria-label="Photos of this find">
          {photos.map((p, i) => (
            <li key={p.id} className="relative">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={p.url} alt={`Photo ${i + 1}`} className="h-24 w-24 rounded object-cover" />
              <button
                type="button"
                onClick={() => {
                  URL.revokeObjectURL(p.url);
                  onChange(photos.filter((o) => o.id !== p.id));
                }}
                className="absolute -right-2 -top-2 rounded-full bg-stone-900 px-2 text-white"
                aria-label={`Remove photo ${i + 1}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
