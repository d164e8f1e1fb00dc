// What every crawl source provides. A source parses (pure functions in its parse.ts) and decides what
// to fetch next; fetching, politeness, storage and resumption belong to scraper/core.
import type { SourceInput } from "../../lib/catalog/types";
import type { PoliteFetcher } from "../http/fetcher";
import type { Sink } from "../core/sink";
import type { SummaryCounter } from "../core/summary";
import type { Task, TaskSpec } from "../core/task";

export type CrawlContext = {
  fetcher: PoliteFetcher;
  sink: Sink;
  counter: SummaryCounter;
  enqueue(specs: TaskSpec[]): Promise<void>;
};

export interface CrawlSource {
  /** DataSource row (key, name, homepage, licence). */
  readonly info: SourceInput;
  seeds(): TaskSpec[];
  /** Handle one task; throw a ScrapeError subclass to skip, retry later or stop. Returns a log line. */
  handle(task: Task, ctx: CrawlContext): Promise<string>;
}
