// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma: one model definition, two providers.
// With --check it fails when the committed copy is stale.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { schemaPaths } from "../lib/catalog/schema-engine";

export function postgresSchemaFrom(sqlite: string): string {
  const out = sqlite
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../lib/catalog/generated/sqlite"', 'output       = "../../lib/catalog/generated/postgresql"');
  if (out === sqlite || !out.includes("generated/postgresql")) throw new Error("schema.prisma layout changed: update sync-schemas.ts");
  return "// GENERATED from ../schema.prisma by scripts/sync-schemas.ts: do not edit.\n" + out;
}

const src = await readFile(schemaPaths("sqlite").schema, "utf8");
const want = postgresSchemaFrom(src);
const target = schemaPaths("postgresql").schema;
if (process.argv.includes("--check")) {
  const have = await readFile(target, "utf8").catch(() => "");
  if (have !== want) {
    console.error(`${target} is stale: run npm run db:sync-schemas`);
    process.exit(1);
  }
} else {
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, want);
  console.log(`wrote ${target}`);
}
