// A plain HTML rendering of a server-side result, for browsers without JavaScript.
import type { IdentifyResult } from "./result";
import { isDangerWarning } from "../verdict/verdict.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (p: number) => `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;

export function resultHtml(r: IdentifyResult, meta: { modelId: string; ms: number }): string {
  const v = r.verdict;
  const line = (w: (typeof v.warnings)[number]) => `<li><strong>${esc(w.edibility)}</strong>: ${esc(w.message)}</li>`;
  const warnings = v.warnings.filter(isDangerWarning).map(line).join("");
  const cautions = v.warnings.filter((w) => !isDangerWarning(w)).map(line).join("");
  const rows = r.candidates
    .map((c) => {
      const name = c.facts ? `<a href="/species/${esc(c.facts.slug)}"><i>${esc(c.facts.scientificName)}</i></a>` : esc(c.label);
      return `<li>${name} — ${pct(c.probability)} — ${esc(c.facts?.edibility ?? "not in catalog: edibility unknown, treat as not edible")}</li>`;
    })
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Identification result · Mushroom ID</title></head><body style="font-family:sans-serif;max-width:40rem;margin:auto;padding:1rem">
<h1>${esc(v.status === "not-sure" ? "Not sure" : v.verdict.headline)}</h1>
${warnings ? `<section role="alert" style="border:3px solid #b91c1c;padding:.5rem"><h2>Danger</h2><ul>${warnings}</ul></section>` : ""}
<p>${esc(v.verdict.text)}</p>
${cautions ? `<ul>${cautions}</ul>` : ""}
<h2>Candidates</h2><ol>${rows}</ol>
<section style="border-left:4px solid #b91c1c;padding-left:.5rem"><h2>Caution</h2><p>${esc(v.caution)}</p></section>
<p><small>Model ${esc(meta.modelId)} on the server (onnxruntime-node), ${meta.ms.toFixed(0)} ms. Your photo was not stored.</small></p>
<p><a href="/identify">Identify another</a></p></body></html>`;
}
