// The crawl frontier. CatalogFrontier keeps it in CrawlTask rows so a killed run resumes where it stopped;
// MemoryFrontier serves --dry-run, which must not write to the catalog.
import type { Catalog } from "../../lib/catalog/client";
import type { Task, TaskSpec } from "./task";

/** A task that failed (retries exhausted) in this many runs stays FAILED until someone looks at it. */
export const MAX_TASK_ATTEMPTS = 10;

export interface Frontier {
  /** Reset FAILED tasks under MAX_TASK_ATTEMPTS (and with `recrawl`, finished pages) to PENDING and add the seeds; returns PENDING count. */
  start(seeds: TaskSpec[], recrawl: boolean): Promise<number>;
  /** Up to `n` PENDING tasks not in `exclude`, oldest first. */
  next(n: number, exclude: Set<number>): Promise<Task[]>;
  /** Add tasks not seen before; returns how many were new. */
  add(specs: TaskSpec[]): Promise<number>;
  done(task: Task): Promise<void>;
  skip(task: Task, reason: string): Promise<void>;
  fail(task: Task, reason: string): Promise<void>;
  pending(): Promise<number>;
}

export class CatalogFrontier implements Frontier {
  constructor(
    private db: Catalog,
    private sourceId: number,
  ) {}

  async start(seeds: TaskSpec[], recrawl: boolean): Promise<number> {
    await this.db.crawlTask.updateMany({
      where: { sourceId: this.sourceId, status: "FAILED", attempts: { lt: MAX_TASK_ATTEMPTS } },
      data: { status: "PENDING" },
    });
    if (recrawl) {
      await this.db.crawlTask.updateMany({
        where: { sourceId: this.sourceId, kind: { in: ["NAMELIST", "SPECIES_PAGE"] } },
        data: { status: "PENDING" },
      });
    }
    await this.add(seeds);
    return this.pending();
  }

  async next(n: number, exclude: Set<number>): Promise<Task[]> {
    const rows = await this.db.crawlTask.findMany({
      where: { sourceId: this.sourceId, status: "PENDING", id: { notIn: [...exclude] } },
      orderBy: { id: "asc" },
      take: n,
    });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      url: r.url,
      attempts: r.attempts,
      context: r.context ? (JSON.parse(r.context) as Task["context"]) : {},
    }));
  }

  async add(specs: TaskSpec[]): Promise<number> {
    if (specs.length === 0) return 0;
    const known = await this.db.crawlTask.findMany({
      where: { sourceId: this.sourceId, url: { in: specs.map((s) => s.url) } },
      select: { url: true },
    });
    const have = new Set(known.map((k) => k.url));
    const fresh = [...new Map(specs.filter((s) => !have.has(s.url)).map((s) => [s.url, s])).values()];
    const row = (s: TaskSpec) => ({ sourceId: this.sourceId, kind: s.kind, url: s.url, context: s.context ? JSON.stringify(s.context) : null });
    try {
      await this.db.crawlTask.createMany({ data: fresh.map(row) });
      return fresh.length;
    } catch {
      // A concurrent page added some of the same URLs: fall back to one idempotent upsert each.
      let created = 0;
      for (const s of fresh) {
        const key = { sourceId_url: { sourceId: this.sourceId, url: s.url } };
        if (await this.db.crawlTask.findUnique({ where: key, select: { id: true } })) continue;
        await this.db.crawlTask.upsert({ where: key, create: row(s), update: {} });
        created++;
      }
      return created;
    }
  }

  // Attempts are counted when a task ends (one write per task); a task cut off by a kill is simply run again.
  async done(task: Task): Promise<void> {
    await this.finish(task, "DONE", null);
  }
  async skip(task: Task, reason: string): Promise<void> {
    await this.finish(task, "SKIPPED", reason);
  }
  async fail(task: Task, reason: string): Promise<void> {
    await this.finish(task, "FAILED", reason);
  }
  private async finish(task: Task, status: "DONE" | "SKIPPED" | "FAILED", lastError: string | null): Promise<void> {
    await this.db.crawlTask.update({ where: { id: task.id }, data: { status, lastError, attempts: { increment: 1 } } });
  }
  pending(): Promise<number> {
    return this.db.crawlTask.count({ where: { sourceId: this.sourceId, status: "PENDING" } });
  }
}

export class MemoryFrontier implements Frontier {
  private tasks: (Task & { status: "PENDING" | "DONE" | "SKIPPED" | "FAILED" })[] = [];
  private byUrl = new Set<string>();

  async start(seeds: TaskSpec[]): Promise<number> {
    await this.add(seeds);
    return this.pending();
  }
  async next(n: number, exclude: Set<number>): Promise<Task[]> {
    return this.tasks.filter((t) => t.status === "PENDING" && !exclude.has(t.id)).slice(0, n);
  }
  async add(specs: TaskSpec[]): Promise<number> {
    let created = 0;
    for (const s of specs) {
      if (this.byUrl.has(s.url)) continue;
      this.byUrl.add(s.url);
      this.tasks.push({ id: this.tasks.length + 1, kind: s.kind, url: s.url, context: s.context ?? {}, attempts: 0, status: "PENDING" });
      created++;
    }
    return created;
  }
  async done(task: Task): Promise<void> {
    this.find(task).status = "DONE";
  }
  async skip(task: Task): Promise<void> {
    this.find(task).status = "SKIPPED";
  }
  async fail(task: Task): Promise<void> {
    this.find(task).status = "FAILED";
  }
  async pending(): Promise<number> {
    return this.tasks.filter((t) => t.status === "PENDING").length;
  }
  private find(task: Task) {
    return this.tasks[task.id - 1];
  }
}
