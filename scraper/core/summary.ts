// The end-of-run summary: printed, and stored as JSON in ScrapeRun.summary.
import type { PhotoOutcome } from "./sink";

export type RunSummary = {
  source: string;
  dryRun: boolean;
  /** HTML pages handled (name lists and species pages). */
  pages: number;
  /** HTTP requests sent, retries and robots.txt included. */
  requests: number;
  species: { created: number; updated: number };
  photos: { added: number; linked: number; existing: number };
  /** Skipped tasks or files by reason key (see scraper/errors.ts). */
  skipped: Record<string, number>;
  /** Tasks that ran out of retries this run; the next run tries them again. */
  failed: Record<string, number>;
  /** Tasks still pending (stopped by --limit or a critical error). */
  pending: number;
  complete: boolean;
  stoppedBy?: string;
  durationMs: number;
};

export class SummaryCounter {
  readonly s: RunSummary;
  private t0 = Date.now();

  constructor(source: string, dryRun: boolean) {
    this.s = {
      source,
      dryRun,
      pages: 0,
      requests: 0,
      species: { created: 0, updated: 0 },
      photos: { added: 0, linked: 0, existing: 0 },
      skipped: {},
      failed: {},
      pending: 0,
      complete: false,
      durationMs: 0,
    };
  }
  page(): void {
    this.s.pages++;
  }
  species(created: boolean): void {
    this.s.species[created ? "created" : "updated"]++;
  }
  photo(outcome: PhotoOutcome): void {
    this.s.photos[outcome]++;
  }
  skip(reason: string): void {
    this.s.skipped[reason] = (this.s.skipped[reason] ?? 0) + 1;
  }
  fail(reason: string): void {
    this.s.failed[reason] = (this.s.failed[reason] ?? 0) + 1;
  }
  finish(pending: number, requests: number, stoppedBy?: string): RunSummary {
    this.s.pending = pending;
    this.s.requests = requests;
    this.s.stoppedBy = stoppedBy;
    this.s.complete = pending === 0 && !stoppedBy && Object.keys(this.s.failed).length === 0;
    this.s.durationMs = Date.now() - this.t0;
    return this.s;
  }
}

export function formatSummary(s: RunSummary): string {
  const kv = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k}=${v}`).join(", ") || "none";
  return [
    `${s.source}${s.dryRun ? " (dry run)" : ""}: ${s.complete ? "complete" : `incomplete${s.stoppedBy ? ` (${s.stoppedBy})` : ""}`}`,
    `  pages ${s.pages}, requests ${s.requests}`,
    `  species created ${s.species.created}, updated ${s.species.updated}`,
    `  photos added ${s.photos.added}, linked ${s.photos.linked}, already had ${s.photos.existing}`,
    `  skipped: ${kv(s.skipped)}`,
    `  failed (retried next run): ${kv(s.failed)}`,
    `  pending ${s.pending}, time ${(s.durationMs / 1000).toFixed(1)} s`,
  ].join("\n");
}
