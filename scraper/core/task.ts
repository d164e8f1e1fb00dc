// Crawl tasks as sources see them; the frontier stores them as CrawlTask rows.
export type TaskKind = "NAMELIST" | "SPECIES_PAGE" | "PHOTO";
export type TaskContext = Record<string, string>;
export type TaskSpec = { kind: TaskKind; url: string; context?: TaskContext };
export type Task = { id: number; kind: TaskKind; url: string; context: TaskContext; attempts: number };
