// Runs a crawl source to completion (or --limit): pulls PENDING tasks from the frontier, runs up to
// `concurrency` at once, and files each outcome by error type. Kill it anywhere: the next run resumes.
import type { Catalog } from "../../lib/catalog/client";
import { upsertSource } from "../../lib/catalog/ingest";
import { CriticalError, NonRetryableError, RetryLaterError, classify } from "../errors";
import type { PoliteFetcher } from "../http/fetcher";
import type { CrawlSource } from "../sources/types";
import { CatalogFrontier, MemoryFrontier, type Frontier } from "./frontier";
import type { Progress } from "./progress";
import { CatalogSink, DryRunSink, type Sink } from "./sink";
import { SummaryCounter, type RunSummary } from "./summary";
import type { Task } from "./task";
import type { ImageLimits } from "../../lib/photos/validate";
import { tuneSqlite } from "./sqlite";

export type CrawlOptions = {
  /** Tasks in flight at once (the per-host cap in the fetcher still applies). */
  concurrency: number;
  /** Stop after this many tasks (each is one page or photo request). */
  limit?: number;
  dryRun: boolean;
  /** Fetch name lists and species pages again to pick up changes (photos already stored are not refetched). */
  recrawl: boolean;
  storeRoot: string;
  imageLimits?: ImageLimits;
};

export async function crawl(
  db: Catalog,
  source: CrawlSource,
  fetcher: PoliteFetcher,
  opts: CrawlOptions,
  progress: Progress,
): Promise<RunSummary> {
  const counter = new SummaryCounter(source.info.key, opts.dryRun);
  let frontier: Frontier;
  let sink: Sink;
  let runId: number | undefined;
  if (opts.dryRun) {
    frontier = new MemoryFrontier();
    sink = new DryRunSink(opts.imageLimits);
  } else {
    const sourceId = await upsertSource(db, source.info);
    // A run that is still RUNNING was killed: say so, then resume its tasks.
    await db.scrapeRun.updateMany({ where: { sourceId, status: "RUNNING" }, data: { status: "FAILED", finishedAt: new Date() } });
    runId = (await db.scrapeRun.create({ data: { sourceId } })).id;
    frontier = new CatalogFrontier(db, sourceId);
    const catalogSink = new CatalogSink(db, sourceId, opts.storeRoot, opts.imageLimits);
    await catalogSink.preload();
    sink = catalogSink;
  }

  let total = await frontier.start(source.seeds(), opts.recrawl);
  progress.total(opts.limit ? Math.min(opts.limit, total) : total);
  const ctx = {
    fetcher,
    sink,
    counter,
    enqueue: async (specs: Parameters<Frontier["add"]>[0]) => {
      total += await frontier.add(specs);
      progress.total(opts.limit ? Math.min(opts.limit, total) : total);
    },
  };

  let critical: CriticalError | undefined;
  const runTask = async (task: Task): Promise<void> => {
    try {
      if (opts.dryRun && task.kind === "PHOTO") throw new NonRetryableError(`dry run: not fetching ${task.url}`, "dry-run");
      const line = await source.handle(task, ctx);
      await frontier.done(task);
      progress.tick(line);
    } catch (e) {
      const err = classify(e);
      if (err instanceof NonRetryableError) {
        await frontier.skip(task, `${err.reason}: ${err.message}`);
        counter.skip(err.reason);
        if (err.reason !== "dry-run") progress.warn(`skipped (${err.reason}) ${err.message}`);
        progress.tick(`skipped ${task.url}`);
      } else if (err instanceof RetryLaterError) {
        await frontier.fail(task, `${err.reason}: ${err.message}`);
        counter.fail(err.reason);
        progress.warn(`failed, will retry next run (${err.reason}) ${err.message}`);
        progress.tick(`failed ${task.url}`);
      } else {
        critical ??= err;
        progress.warn(`critical (${err.reason}) ${err.message}: stopping`);
      }
    }
  };

  const inflight = new Map<number, Promise<void>>();
  let queue: Task[] = [];
  let started = 0;
  const underLimit = () => opts.limit === undefined || started < opts.limit;
  try {
    if (!opts.dryRun) await tuneSqlite(db);
    while (!critical && underLimit()) {
      while (!critical && inflight.size < opts.concurrency && underLimit()) {
        // Read ahead a batch so the frontier is not queried once per task.
        if (queue.length === 0) queue = await frontier.next(Math.max(64, opts.concurrency * 4), new Set(inflight.keys()));
        const task = queue.shift();
        if (!task) break;
        started++;
        inflight.set(
          task.id,
          runTask(task).finally(() => inflight.delete(task.id)),
        );
      }
      if (inflight.size === 0) break;
      await Promise.race(inflight.values());
    }
    await Promise.all(inflight.values());
  } catch (e) {
    critical ??= classify(e);
    await Promise.allSettled(inflight.values());
  }

  const stoppedBy = critical ? `critical: ${critical.message}` : undefined;
  const pending = await frontier.pending().catch(() => -1);
  const summary = counter.finish(pending, fetcher.requests, stoppedBy ?? (pending > 0 && opts.limit ? `limit ${opts.limit}` : undefined));
  progress.stop();
  if (runId !== undefined) {
    await db.scrapeRun.update({
      where: { id: runId },
      data: { status: critical ? "FAILED" : "FINISHED", finishedAt: new Date(), summary: JSON.stringify(summary) },
    });
  }
  return summary;
}
