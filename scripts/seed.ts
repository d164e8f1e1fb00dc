// npm run db:seed — fill the catalog from DATA_DIR (default ../shared/data): taxa and edibility from the bundled
// tables and the mushroom.world records, then every photo folder. Exits 1 when a folder label resolves to no taxon.
import { createCatalog } from "../lib/catalog/client";
import { importPhotoFolders } from "../lib/catalog/import/photo-folders";
import { seedCatalog } from "../lib/catalog/seed/seed";
import { settings } from "../lib/settings";

const db = createCatalog();
try {
  const s = settings();
  const taxa = await seedCatalog(db, s.dataDir);
  const reports = await importPhotoFolders(db, s.dataDir, s.photoStore, { log: console.log });
  const total = (k: "files" | "added" | "existing") => reports.reduce((a, r) => a + r[k], 0);
  const skipped = reports.flatMap((r) => r.skipped);
  const unresolved = reports.flatMap((r) => r.unresolvedLabels.map((l) => `${r.folder}/${l}`));
  console.log(
    `catalog: ${taxa.species} taxa; photos: ${total("files")} files, ${total("added")} added, ${total("existing")} already imported, ` +
      `${skipped.filter((x) => x.reason === "duplicate").length} exact duplicates, ${skipped.filter((x) => x.reason === "undecodable").length} undecodable`,
  );
  if (unresolved.length) {
    console.error(`labels that name no taxon (photos not imported): ${unresolved.join(", ")}`);
    process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
