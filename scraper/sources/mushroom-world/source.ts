// mushroom.world: name list -> species pages -> photos. The base URL is configurable (a mirror or a
// local fixture server).
import { normalizeScientificName } from "../../../lib/catalog/names";
import { MUSHROOM_WORLD_SOURCE } from "../../../lib/catalog/seed/mushroom-world-2023";
import { NonRetryableError } from "../../errors";
import type { Task } from "../../core/task";
import type { CrawlContext, CrawlSource } from "../types";
import { ParseError, parseNameList, parseSpeciesPage } from "./parse";

export const DEFAULT_BASE_URL = "https://www.mushroom.world";
export const PHOTO_LICENCE = "© mushroom.world; all rights reserved by the site and its photographers; reference use with attribution";

export function mushroomWorldSource(baseUrl: string = DEFAULT_BASE_URL): CrawlSource {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    info: MUSHROOM_WORLD_SOURCE,
    seeds: () => [{ kind: "NAMELIST", url: `${base}/mushrooms/namelist` }],
    handle: (task, ctx) => {
      if (task.kind === "NAMELIST") return nameList(task, ctx);
      if (task.kind === "SPECIES_PAGE") return speciesPage(task, ctx);
      return photo(task, ctx);
    },
  };
}

async function nameList(task: Task, ctx: CrawlContext): Promise<string> {
  const res = await ctx.fetcher.get(task.url);
  const { speciesUrls } = parseNameList(res.body.toString("utf8"), res.url);
  if (speciesUrls.length === 0) throw new NonRetryableError(`no species links on ${task.url}`, "parse");
  ctx.counter.page();
  await ctx.enqueue(speciesUrls.map((url) => ({ kind: "SPECIES_PAGE" as const, url })));
  return `name list: ${speciesUrls.length} species`;
}

async function speciesPage(task: Task, ctx: CrawlContext): Promise<string> {
  const res = await ctx.fetcher.get(task.url);
  let page;
  try {
    page = parseSpeciesPage(res.body.toString("utf8"), res.url);
  } catch (e) {
    if (e instanceof ParseError) throw new NonRetryableError(e.message, "parse");
    throw e;
  }
  ctx.counter.page();
  const { created } = await ctx.sink.species(page.species, task.url);
  ctx.counter.species(created);
  const scientificName = normalizeScientificName(page.species.scientificName);
  await ctx.enqueue(page.photos.map((p) => ({ kind: "PHOTO" as const, url: p.url, context: { scientificName, pageUrl: task.url } })));
  return `species ${scientificName} (${page.photos.length} photos)`;
}

async function photo(task: Task, ctx: CrawlContext): Promise<string> {
  const scientificName = task.context.scientificName;
  if (!scientificName) throw new NonRetryableError(`photo task without a species: ${task.url}`, "no-species");
  if (await ctx.sink.hasPhoto(task.url)) {
    ctx.counter.photo("existing");
    return `photo already stored ${task.url}`;
  }
  const res = await ctx.fetcher.get(task.url, { maxBytes: ctx.sink.limits.maxBytes });
  const outcome = await ctx.sink.photo(scientificName, res.body, {
    sourceUrl: task.url,
    licence: PHOTO_LICENCE,
    attribution: `mushroom.world, ${task.context.pageUrl ?? task.url}`,
  });
  ctx.counter.photo(outcome);
  return `photo ${outcome} ${task.url}`;
}
