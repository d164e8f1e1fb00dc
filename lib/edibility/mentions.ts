// Species a note names ("confused with the sickener (Russula emetica)", "unlike A. xanthodermus"): every table
// species an edible entry's note names must be a linked lookalike, or the warning would exist only as prose.
import { knowledgeTable, findEntry } from "./knowledge.ts";
import type { KnowledgeEntry } from "./types.ts";

const BINOMIAL = /\b([A-Z][a-z]+|[A-Z]\.)\s([a-z][a-z-]{2,})\b/g;

/** Table entries a text names, by full binomial or "G. epithet" (resolved when exactly one table species fits). */
export function mentionedEntries(text: string, self?: KnowledgeEntry): KnowledgeEntry[] {
  const out = new Map<string, KnowledgeEntry>();
  for (const m of text.matchAll(BINOMIAL)) {
    const [genus, epithet] = [m[1]!, m[2]!];
    let entry: KnowledgeEntry | undefined;
    if (genus.endsWith(".")) {
      const fits = knowledgeTable().filter((e) => {
        const [g, ep] = e.scientificName.split(" ");
        return ep === epithet && g!.startsWith(genus[0]!) && !e.scientificName.includes(" sect.");
      });
      // Prefer the entry's own genus for "A. x" written inside an Amanita note.
      const own = self && fits.find((e) => e.scientificName.split(" ")[0] === self.scientificName.split(" ")[0]);
      entry = own ?? (fits.length === 1 ? fits[0] : undefined);
    } else entry = findEntry(`${genus} ${epithet}`);
    if (entry && entry !== self) out.set(entry.scientificName, entry);
  }
  return [...out.values()];
}
