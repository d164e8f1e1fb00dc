// Error types decide what happens to a task (see scraper/README.md, "Errors and retries").
//   NonRetryableError  the URL will not work however often we ask (404, robots.txt disallows, not an image,
//                      unparseable page): the task is SKIPPED with the reason; the run goes on.
//   RetryLaterError    the server is busy or flaky (429, 5xx, timeout, connection reset): retried in this run with
//                      backoff (honouring Retry-After); when retries run out the task is FAILED and the next run
//                      tries it again.
//   CriticalError      going on would be wrong or useless (robots.txt unreachable, the store or catalog fails):
//                      the run stops, is marked FAILED, and unfinished tasks stay PENDING for the next run.

export class ScrapeError extends Error {
  constructor(
    message: string,
    /** Short stable key used in the run summary's skip counts, e.g. "http-404", "robots", "image-corrupt". */
    readonly reason: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NonRetryableError extends ScrapeError {}

export class RetryLaterError extends ScrapeError {
  constructor(
    message: string,
    reason: string,
    /** Server-requested wait (Retry-After) in ms, if any. */
    readonly retryAfterMs?: number,
  ) {
    super(message, reason);
  }
}

export class CriticalError extends ScrapeError {}

/** Anything unexpected (a bug, a database error) stops the run, like a CriticalError. */
export function classify(e: unknown): ScrapeError {
  if (e instanceof ScrapeError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new CriticalError(msg, "unexpected");
}
