// npm run scrape -- <source> [flags]. See scraper/README.md.
import { Command, InvalidArgumentError } from "commander";
import { createCatalog } from "../lib/catalog/client";
import { settings } from "../lib/settings";
import { crawl } from "./core/crawl";
import { progressFor } from "./core/progress";
import { formatSummary, type RunSummary } from "./core/summary";
import { POLITE_DEFAULTS, PoliteFetcher, userAgentFor } from "./http/fetcher";
import { DEFAULT_BASE_URL, mushroomWorldSource } from "./sources/mushroom-world/source";
import { KAGGLE_215, runKaggleImport } from "./sources/kaggle/source";

const int = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

type CommonOpts = { databaseUrl?: string; photoStore?: string; limit?: number; dryRun?: boolean; concurrency: number };

const program = new Command("scrape").description("Fill the catalog from a data source, politely and resumably");

function common(cmd: Command): Command {
  return cmd
    .option("--database-url <url>", "catalog database (default: DATABASE_URL)")
    .option("--photo-store <dir>", "photo store folder (default: PHOTO_STORE)")
    .option("--limit <n>", "stop after n tasks (requests or files)", int(1))
    .option("--dry-run", "fetch and parse, write nothing");
}

common(program.command("mushroom-world").description("crawl mushroom.world: name list, species pages, photos"))
  .option("--base-url <url>", "site root (a mirror or a local fixture server)", DEFAULT_BASE_URL)
  .option("--delay-ms <ms>", "minimum delay between requests to one host", int(0), POLITE_DEFAULTS.delayMs)
  .option("--concurrency <n>", "requests in flight per host", int(1), POLITE_DEFAULTS.concurrencyPerHost)
  .option("--timeout-ms <ms>", "per-request timeout", int(1), POLITE_DEFAULTS.timeoutMs)
  .option("--retries <n>", "retries for throttled/failed requests", int(0), POLITE_DEFAULTS.retries)
  .option("--retry-base-ms <ms>", "first backoff delay (doubles each retry)", int(0), POLITE_DEFAULTS.retryBaseMs)
  .option("--recrawl", "fetch the name list and species pages again (stored photos are not refetched)")
  .action(async (o: CommonOpts & { baseUrl: string; delayMs: number; timeoutMs: number; retries: number; retryBaseMs: number; recrawl?: boolean }) => {
    const s = settings();
    const db = createCatalog(o.databaseUrl ?? s.databaseUrl);
    try {
      const fetcher = new PoliteFetcher({
        ...POLITE_DEFAULTS,
        userAgent: userAgentFor(s.scraperContactUrl),
        delayMs: o.delayMs,
        concurrencyPerHost: o.concurrency,
        timeoutMs: o.timeoutMs,
        retries: o.retries,
        retryBaseMs: o.retryBaseMs,
      });
      const summary = await crawl(
        db,
        mushroomWorldSource(o.baseUrl),
        fetcher,
        { concurrency: o.concurrency, limit: o.limit, dryRun: !!o.dryRun, recrawl: !!o.recrawl, storeRoot: o.photoStore ?? s.photoStore },
        progressFor(process.stderr.isTTY === true),
      );
      report(summary);
    } finally {
      await db.$disconnect();
    }
  });

common(program.command("kaggle").description(`import ${KAGGLE_215.dataset} from a folder or zip, or download it`))
  .option("--from <path>", "extracted dataset folder or its .zip")
  .option("--download <dir>", "download the zip into <dir> with the Kaggle API (needs credentials), then import it")
  .option("--dataset <owner/name>", "Kaggle dataset to download", KAGGLE_215.dataset)
  .option("--api-url <url>", "Kaggle API root", KAGGLE_215.apiUrl)
  .option("--concurrency <n>", "images processed at once", int(1), 4)
  .option("--create-species", "create a species for a folder named by an unknown scientific name")
  .action(async (o: CommonOpts & { from?: string; download?: string; dataset: string; apiUrl: string; createSpecies?: boolean }) => {
    if (!o.from && !o.download) throw new InvalidArgumentError("give --from <folder|zip> or --download <dir>");
    const s = settings();
    const db = createCatalog(o.databaseUrl ?? s.databaseUrl);
    try {
      const summary = await runKaggleImport(db, {
        from: o.from,
        download: o.download ? { dir: o.download, dataset: o.dataset, apiUrl: o.apiUrl, credentials: s, contactUrl: s.scraperContactUrl } : undefined,
        storeRoot: o.photoStore ?? s.photoStore,
        concurrency: o.concurrency,
        limit: o.limit,
        dryRun: !!o.dryRun,
        createSpecies: !!o.createSpecies,
        progress: progressFor(process.stderr.isTTY === true),
      });
      report(summary);
    } finally {
      await db.$disconnect();
    }
  });

function report(summary: RunSummary): void {
  console.log(formatSummary(summary));
  if (summary.stoppedBy?.startsWith("critical")) process.exitCode = 1;
}

try {
  await program.parseAsync();
} catch (e) {
  console.error(`scrape: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
