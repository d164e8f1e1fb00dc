import Link from "next/link";
import { catalog } from "@/lib/catalog/client";

export const dynamic = "force-dynamic";

export default async function Home() {
  const count = await catalog().species.count();
  return (
    <div className="grid gap-8">
      <section className="rounded-xl bg-moss-800 p-6 text-white sm:p-10">
        <h1 className="text-3xl font-bold sm:text-4xl">What mushroom is this?</h1>
        <p className="mt-3 max-w-2xl text-lg text-moss-100">
          Photograph or upload a mushroom. The photo is analysed on your device; nothing is uploaded unless you choose to
          contribute it.
        </p>
        <p className="mt-6 flex flex-wrap gap-3">
          <Link href="/identify" className="rounded-lg bg-white px-5 py-3 font-semibold text-moss-900 hover:bg-moss-100">
            Identify a mushroom
          </Link>
          <Link href="/species" className="rounded-lg px-5 py-3 font-semibold ring-1 ring-white hover:bg-moss-700">
            Browse {count} species
          </Link>
        </p>
      </section>
      <section role="note" className="rounded-lg border-l-4 border-red-700 bg-white p-4">
        <h2 className="font-semibold">Never eat a wild mushroom on the strength of an app</h2>
        <p className="mt-1">
          Identification from photos is uncertain, and deadly species look like edible ones. Confirm any find with a local
          expert. If someone may have eaten a poisonous mushroom, call emergency services or a poison control centre now.
        </p>
      </section>
      <form role="search" action="/species" method="get" className="flex gap-2">
        <label htmlFor="home-q" className="sr-only">
          Search species
        </label>
        <input id="home-q" type="search" name="q" maxLength={100} placeholder="Search by common or scientific name" className="min-w-0 flex-1 rounded border border-stone-300 px-3 py-2" />
        <button className="rounded bg-moss-700 px-4 py-2 font-medium text-white">Search</button>
      </form>
    </div>
  );
}
