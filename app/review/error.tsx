"use client";

export default function ReviewError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded bg-red-50 p-4">
      <p className="font-semibold">The review queue could not be read.</p>
      <button onClick={reset} className="mt-2 rounded bg-moss-700 px-3 py-1.5 text-white">
        Try again
      </button>
    </div>
  );
}
