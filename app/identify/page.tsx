import type { Metadata } from "next";
import { shippedModel } from "@/lib/identify/shipped-model";
import { ortRuntimeBase } from "@/lib/identify/runtime-assets";
import { IdentifyClient } from "./identify-client";

export const metadata: Metadata = { title: "Identify a mushroom" };
export const dynamic = "force-dynamic";

export default async function IdentifyPage() {
  const model = await shippedModel();
  return (
    <div className="grid gap-5">
      <h1 className="text-2xl font-bold">Identify a mushroom</h1>
      <p className="max-w-2xl text-stone-700">
        Add one or more photos of the same find — the cap from above, the gills or pores underneath, the whole stem and its
        base. The photos are analysed on this device; nothing is uploaded unless you choose to contribute a photo.
      </p>
      {model ? (
        <IdentifyClient model={{ url: model.url, sha256: model.sha256 }} ortBase={ortRuntimeBase()} />
      ) : (
        <p role="alert">No model is installed on this server.</p>
      )}
      <noscript>
        <form action="/api/identify?format=html" method="post" encType="multipart/form-data" className="grid gap-2 rounded-lg bg-white p-4">
          <p>Without JavaScript, the photo is sent to this server, classified there and not stored.</p>
          <input type="file" name="photo" accept="image/*" multiple required />
          <button className="rounded bg-moss-700 px-4 py-2 text-white">Identify on the server</button>
        </form>
      </noscript>
    </div>
  );
}
