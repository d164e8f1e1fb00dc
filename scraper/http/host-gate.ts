// Per-host politeness: at most `concurrency` requests in flight and `delayMs` between request starts.
export class HostGate {
  private active = 0;
  private nextStart = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private concurrency: number,
    public delayMs: number,
  ) {}

  /** Wait for a slot, then for the delay since the previous start; returns the release function. */
  async acquire(): Promise<() => void> {
    while (this.active >= this.concurrency) await new Promise<void>((r) => this.waiters.push(r));
    this.active++;
    const now = Date.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.delayMs;
    if (start > now) await sleep(start - now);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiters.shift()?.();
    };
  }

  /** The host asked us to back off (Retry-After): nothing starts before `ms` from now. */
  pauseFor(ms: number): void {
    this.nextStart = Math.max(this.nextStart, Date.now() + ms);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
