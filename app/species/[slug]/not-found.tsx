import Link from "next/link";

export default function SpeciesNotFound() {
  return (
    <div className="rounded-lg bg-white p-6">
      <h1 className="text-xl font-bold">Species not found</h1>
      <p className="mt-2">
        No species in the catalog has this address. <Link className="underline" href="/species">Search the species list</Link>.
      </p>
    </div>
  );
}
