import Link from "next/link";

export function Pagination({ page, pages, params, base = "/species" }: { page: number; pages: number; params: Record<string, string | undefined>; base?: string }) {
  if (pages <= 1) return null;
  const href = (p: number) => {
    const sp = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
    sp.set("page", String(p));
    return `${base}?${sp}`;
  };
  return (
    <nav aria-label="Pagination" className="mt-6 flex items-center justify-center gap-4">
      {page > 1 ? (
        <Link rel="prev" href={href(Math.min(page - 1, pages))} className="rounded bg-white px-3 py-2 shadow-sm hover:bg-moss-100">
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      <span className="text-sm">
        Page {Math.min(page, pages)} of {pages}
      </span>
      {page < pages ? (
        <Link rel="next" href={href(page + 1)} className="rounded bg-white px-3 py-2 shadow-sm hover:bg-moss-100">
          Next →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
