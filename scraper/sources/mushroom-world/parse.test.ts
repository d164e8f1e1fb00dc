import { describe, expect, it } from "vitest";
import { mapEdibility, parseNameList, parseSpeciesPage, ParseError } from "./parse";

// Markup in the shape of www.mushroom.world's species page (as crawled in 2023), older copy with edibility.
const PAGE = `<!DOCTYPE html><html><body>
<div class="caption"><b>Agaricus arvensis</b> (Horse mushroom)</div>
<div class="labelus">Family:</div>
<div class="textus">Agaricaceae</div>
<div class="labelus">Location:</div>
<div class="textus">Europe and parts of North America</div>
<div class="labelus">Dimensions:</div>
<div class="textus">Cap 8-20 cm diameter</div>
<div class="labelus">Edibility:</div>
<div class="textus">edible and good</div>
<div class="labelus">Description:</div>
<div class="longtextus">First paragraph,
 wrapped.<br><br>

Second paragraph.</div>
<div id="mushroom-list">
 <div class="image"><a href="data/fungi/Agaricusarvensis1.jpg" title="Agaricus arvensis"><img src="x"></a></div>
 <div class="image"><a href="/data/fungi/Agaricusarvensis2.jpg" title="Agaricus arvensis"><img src="x"></a></div>
 <div class="image"><a href="data/fungi/Agaricusarvensis1.jpg" title="Agaricus arvensis">dup</a></div>
 <div class="image"><a href="data/fungi/no-title.jpg">no title: not a photo link</a></div>
</div></body></html>`;

describe("mushroom.world parsers", () => {
  it("reads a species page: names, facts, edibility and photo links", () => {
    const p = parseSpeciesPage(PAGE, "https://www.mushroom.world/show?n=Agaricus-arvensis");
    expect(p.species).toMatchObject({
      scientificName: "Agaricus arvensis",
      commonNames: ["Horse mushroom"],
      family: "Agaricaceae",
      location: "Europe and parts of North America",
      dimensions: "Cap 8-20 cm diameter",
      edibility: "CHOICE",
      edibilitySource: "mushroom.world",
    });
    expect(p.species.description).toBe("First paragraph, wrapped.\n\nSecond paragraph.");
    expect(p.photos.map((x) => x.url)).toEqual([
      "https://www.mushroom.world/data/fungi/Agaricusarvensis1.jpg",
      "https://www.mushroom.world/data/fungi/Agaricusarvensis2.jpg",
    ]);
  });

  it("maps old edibility values and the current no-data notice", () => {
    expect(mapEdibility("edible and good")).toBe("CHOICE");
    expect(mapEdibility("edible")).toBe("EDIBLE");
    expect(mapEdibility("inedible")).toBe("INEDIBLE");
    expect(mapEdibility("poisonous")).toBe("POISONOUS");
    expect(mapEdibility("deadly poisonous")).toBe("DEADLY");
    expect(mapEdibility("This site contains no information about the edibility or toxicity of mushrooms.")).toBe("UNKNOWN");
    expect(mapEdibility(undefined)).toBe("UNKNOWN");
    expect(mapEdibility("tasty?")).toBe("UNKNOWN");
  });

  it("leaves edibility UNKNOWN without a source when the page has none", () => {
    const p = parseSpeciesPage(PAGE.replace("edible and good", "This site contains no information about the edibility or toxicity of mushrooms."), "https://x/show?n=a");
    expect(p.species.edibility).toBe("UNKNOWN");
    expect(p.species.edibilitySource).toBeUndefined();
  });

  it("throws ParseError on a page without a species caption", () => {
    expect(() => parseSpeciesPage("<html><body><div class=caption><b></div><div class='labelus'>Fam", "https://x/show?n=a")).toThrow(ParseError);
    expect(() => parseSpeciesPage("<p>Not found</p>", "https://x/show?n=a")).toThrow(ParseError);
  });

  it("reads the name list", () => {
    const html = `<div id="name-list"><div class="item"><a href="../show?n=Agaricus-arvensis">A</a></div>
      <div class="item"><a href="/show?n=Boletus-edulis">B</a></div><div class="other"><a href="/x">not a species</a></div></div>`;
    expect(parseNameList(html, "https://www.mushroom.world/mushrooms/namelist").speciesUrls).toEqual([
      "https://www.mushroom.world/show?n=Agaricus-arvensis",
      "https://www.mushroom.world/show?n=Boletus-edulis",
    ]);
  });
});
