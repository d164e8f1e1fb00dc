import Link from "next/link";

export default function NotFound() {
  return (
    <div className="rounded-lg bg-white p-6">
      <h1 className="text-xl font-bold">Page not found</h1>
      <p className="mt-2">
        Nothing lives at this address. <Link className="underline" href="/species">Search the species list</Link>.
      </p>
    </div>
  );
}
