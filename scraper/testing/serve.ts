// npm run scraper:fixture-server [-- --port 8765]: serve the fixture mushroom.world until Ctrl-C.
import { Command } from "commander";
import { settings } from "../../lib/settings";
import { loadFixtureSite } from "./fixture-site";
import { startFixtureServer } from "./fixture-server";

const opts = new Command("fixture-server")
  .option("--port <n>", "port to listen on (0 = any free port)", "8765")
  .parse()
  .opts<{ port: string }>();
const site = await loadFixtureSite(settings().dataDir);
const server = await startFixtureServer(site, { port: Number(opts.port) });
console.log(`fixture mushroom.world: ${site.species.length} species, ${site.photoCount} photos at ${server.url}`);
console.log(`try: npm run scrape -- mushroom-world --base-url ${server.url}`);
