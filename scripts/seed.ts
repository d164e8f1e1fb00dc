// npm run db:seed — fill the catalog from DATA_DIR (default ../shared/data).
import { createCatalog } from "../lib/catalog/client";
import { seedCatalog } from "../lib/catalog/seed/seed";
import { settings } from "../lib/settings";

const db = createCatalog();
try {
  await seedCatalog(db, settings().dataDir);
} finally {
  await db.$disconnect();
}
